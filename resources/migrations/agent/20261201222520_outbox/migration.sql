CREATE TABLE `agent_devices` (
	`id` integer PRIMARY KEY,
	`name` text NOT NULL,
	`host` text NOT NULL,
	`status` text NOT NULL,
	`status_since` integer
);
--> statement-breakpoint
CREATE TABLE `agent_state` (
	`key` text PRIMARY KEY,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `counters` (
	`name` text PRIMARY KEY,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `local_lease` (
	`id` integer PRIMARY KEY,
	`holder` text NOT NULL,
	`epoch` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `pending_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`device_id` integer NOT NULL,
	`from_status` text NOT NULL,
	`to_status` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `pending_minutes` (
	`device_id` integer NOT NULL,
	`minute_at` integer NOT NULL,
	`probes` integer NOT NULL,
	`failures` integer NOT NULL,
	`rtt_min` integer,
	`rtt_max` integer,
	`rtt_sum` integer NOT NULL,
	CONSTRAINT `pending_minutes_pk` PRIMARY KEY(`minute_at`, `device_id`)
);
--> statement-breakpoint
CREATE TABLE `pending_segments` (
	`device_id` integer NOT NULL,
	`start_at` integer NOT NULL,
	`state` text NOT NULL,
	`end_at` integer NOT NULL,
	`sent_end_at` integer,
	CONSTRAINT `pending_segments_pk` PRIMARY KEY(`device_id`, `start_at`)
);
--> statement-breakpoint
CREATE TABLE `sealed_batches` (
	`sequence` integer PRIMARY KEY,
	`sealed_at` integer NOT NULL,
	`body` text NOT NULL,
	`observations` integer NOT NULL,
	`rows` integer NOT NULL,
	`oldest_at` integer
);
