CREATE TABLE `agent_batches` (
	`agent_id` integer NOT NULL,
	`sequence` integer NOT NULL,
	`received_at` integer NOT NULL,
	`observations` integer NOT NULL,
	CONSTRAINT `agent_batches_pk` PRIMARY KEY(`agent_id`, `sequence`),
	CONSTRAINT `fk_agent_batches_agent_id_agents_id_fk` FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `agents` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`area_id` integer NOT NULL UNIQUE,
	`key_hash` text NOT NULL,
	`key_prefix` text NOT NULL,
	`last_heartbeat_at` integer,
	`last_sequence` integer DEFAULT 0 NOT NULL,
	`version` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT `fk_agents_area_id_areas_id_fk` FOREIGN KEY (`area_id`) REFERENCES `areas`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `areas` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`code` text NOT NULL UNIQUE,
	`name` text NOT NULL,
	`time_zone` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`at` integer NOT NULL,
	`user_id` integer,
	`username` text NOT NULL,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text,
	`outcome` text NOT NULL,
	`before` text,
	`after` text
);
--> statement-breakpoint
CREATE TABLE `bi_snapshots` (
	`granularity` text NOT NULL,
	`period` text NOT NULL,
	`device_id` integer NOT NULL,
	`seconds_online` integer NOT NULL,
	`seconds_offline` integer NOT NULL,
	`seconds_maintenance` integer NOT NULL,
	`seconds_shutdown` integer NOT NULL,
	`seconds_nodata` integer NOT NULL,
	`computed_at` integer NOT NULL,
	CONSTRAINT `bi_snapshots_pk` PRIMARY KEY(`granularity`, `period`, `device_id`),
	CONSTRAINT `fk_bi_snapshots_device_id_devices_id_fk` FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `devices` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`area_id` integer NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`context` text NOT NULL,
	`host` text NOT NULL,
	`location` text DEFAULT '' NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'OFFLINE' NOT NULL,
	`status_since` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT `fk_devices_area_id_areas_id_fk` FOREIGN KEY (`area_id`) REFERENCES `areas`(`id`) ON DELETE RESTRICT
);
--> statement-breakpoint
CREATE TABLE `maintenance_cases` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`device_id` integer NOT NULL,
	`category` text NOT NULL,
	`description` text NOT NULL,
	`opened_by` integer,
	`opened_at` integer NOT NULL,
	`solution` text,
	`closed_by` integer,
	`closed_at` integer,
	CONSTRAINT `fk_maintenance_cases_device_id_devices_id_fk` FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_maintenance_cases_opened_by_users_id_fk` FOREIGN KEY (`opened_by`) REFERENCES `users`(`id`),
	CONSTRAINT `fk_maintenance_cases_closed_by_users_id_fk` FOREIGN KEY (`closed_by`) REFERENCES `users`(`id`)
);
--> statement-breakpoint
CREATE TABLE `monitor_lease` (
	`id` integer PRIMARY KEY,
	`holder` text NOT NULL,
	`epoch` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `probe_results` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`device_id` integer NOT NULL,
	`at` integer NOT NULL,
	`source` text NOT NULL,
	`alive` integer NOT NULL,
	`rtt_ms` real,
	CONSTRAINT `fk_probe_results_device_id_devices_id_fk` FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `probe_rollups` (
	`device_id` integer NOT NULL,
	`hour_at` integer NOT NULL,
	`source` text NOT NULL,
	`minutes` blob NOT NULL,
	CONSTRAINT `probe_rollups_pk` PRIMARY KEY(`device_id`, `hour_at`, `source`),
	CONSTRAINT `fk_probe_rollups_device_id_devices_id_fk` FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `shutdown_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`device_id` integer NOT NULL,
	`justification` text NOT NULL,
	`status` text NOT NULL,
	`requested_by` integer,
	`requested_at` integer NOT NULL,
	`decided_by` integer,
	`decided_at` integer,
	`decision_reason` text,
	`reenabled_by` integer,
	`reenabled_at` integer,
	CONSTRAINT `fk_shutdown_requests_device_id_devices_id_fk` FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_shutdown_requests_requested_by_users_id_fk` FOREIGN KEY (`requested_by`) REFERENCES `users`(`id`),
	CONSTRAINT `fk_shutdown_requests_decided_by_users_id_fk` FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`),
	CONSTRAINT `fk_shutdown_requests_reenabled_by_users_id_fk` FOREIGN KEY (`reenabled_by`) REFERENCES `users`(`id`)
);
--> statement-breakpoint
CREATE TABLE `state_segments` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`device_id` integer NOT NULL,
	`state` text NOT NULL,
	`source` text NOT NULL,
	`start_at` integer NOT NULL,
	`end_at` integer,
	CONSTRAINT `fk_state_segments_device_id_devices_id_fk` FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `status_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`device_id` integer NOT NULL,
	`from_status` text NOT NULL,
	`to_status` text NOT NULL,
	`at` integer NOT NULL,
	`source` text NOT NULL,
	CONSTRAINT `fk_status_changes_device_id_devices_id_fk` FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `sweeps` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`source` text NOT NULL,
	`epoch` integer NOT NULL,
	`started_at` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	`devices_probed` integer NOT NULL,
	`failures` integer NOT NULL,
	`overrun_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `user_areas` (
	`user_id` integer NOT NULL,
	`area_id` integer NOT NULL,
	CONSTRAINT `user_areas_pk` PRIMARY KEY(`user_id`, `area_id`),
	CONSTRAINT `fk_user_areas_user_id_users_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_user_areas_area_id_areas_id_fk` FOREIGN KEY (`area_id`) REFERENCES `areas`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `user_permissions` (
	`user_id` integer NOT NULL,
	`screen` text NOT NULL,
	`can_view` integer NOT NULL,
	`can_edit` integer NOT NULL,
	CONSTRAINT `user_permissions_pk` PRIMARY KEY(`user_id`, `screen`),
	CONSTRAINT `fk_user_permissions_user_id_users_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`username` text NOT NULL UNIQUE,
	`display_name` text NOT NULL,
	`password_hash` text NOT NULL,
	`is_admin` integer DEFAULT false NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`must_change_password` integer DEFAULT false NOT NULL,
	`failed_attempts` integer DEFAULT 0 NOT NULL,
	`locked_until` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_entity_idx` ON `audit_log` (`entity`,`entity_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `devices_area_name_unique` ON `devices` (`area_id`,`name`);--> statement-breakpoint
CREATE INDEX `devices_status_idx` ON `devices` (`status`);--> statement-breakpoint
CREATE INDEX `devices_host_idx` ON `devices` (`host`);--> statement-breakpoint
CREATE INDEX `maintenance_cases_device_idx` ON `maintenance_cases` (`device_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `maintenance_cases_one_open` ON `maintenance_cases` (`device_id`) WHERE closed_at IS NULL;--> statement-breakpoint
CREATE INDEX `probe_results_at_idx` ON `probe_results` (`at`);--> statement-breakpoint
CREATE INDEX `probe_results_device_at_idx` ON `probe_results` (`device_id`,`at`);--> statement-breakpoint
CREATE INDEX `probe_rollups_hour_idx` ON `probe_rollups` (`hour_at`);--> statement-breakpoint
CREATE INDEX `shutdown_requests_device_idx` ON `shutdown_requests` (`device_id`);--> statement-breakpoint
CREATE INDEX `shutdown_requests_status_idx` ON `shutdown_requests` (`status`);--> statement-breakpoint
CREATE INDEX `state_segments_device_start_idx` ON `state_segments` (`device_id`,`start_at`);--> statement-breakpoint
CREATE INDEX `status_changes_at_idx` ON `status_changes` (`at`);--> statement-breakpoint
CREATE INDEX `status_changes_device_at_idx` ON `status_changes` (`device_id`,`at`);--> statement-breakpoint
CREATE INDEX `sweeps_started_idx` ON `sweeps` (`started_at`);