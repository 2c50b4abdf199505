CREATE TABLE `agent_heartbeats` (
	`agent_id` integer NOT NULL,
	`at` integer NOT NULL,
	`latency_ms` integer,
	`devices_online` integer NOT NULL,
	`outbox_rows` integer NOT NULL,
	`clock_offset_ms` integer,
	CONSTRAINT `agent_heartbeats_pk` PRIMARY KEY(`agent_id`, `at`),
	CONSTRAINT `fk_agent_heartbeats_agent_id_agents_id_fk` FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
ALTER TABLE `agent_batches` ADD `digest` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `agents` ADD `key_created_at` integer;--> statement-breakpoint
ALTER TABLE `agents` ADD `revoked_at` integer;--> statement-breakpoint
ALTER TABLE `agents` ADD `observations_received` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `agents` ADD `last_report` text;--> statement-breakpoint
ALTER TABLE `status_changes` ADD `superseded` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `agent_batches_received_idx` ON `agent_batches` (`received_at`);--> statement-breakpoint
CREATE INDEX `agent_heartbeats_at_idx` ON `agent_heartbeats` (`at`);--> statement-breakpoint
CREATE INDEX `agents_key_prefix_idx` ON `agents` (`key_prefix`);