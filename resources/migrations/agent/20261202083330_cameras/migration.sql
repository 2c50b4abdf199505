CREATE TABLE `agent_cameras` (
	`device_id` integer PRIMARY KEY,
	`password_sealed` text,
	`health` text,
	`detail` text,
	`checked_at` integer,
	`since` integer,
	`same_count` integer DEFAULT 0 NOT NULL,
	`thumbnail` text,
	`reported_at` integer
);
