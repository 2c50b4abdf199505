CREATE TABLE `probe_rollups_hourly` (
	`device_id` integer NOT NULL,
	`day_at` integer NOT NULL,
	`source` text NOT NULL,
	`hours` blob NOT NULL,
	CONSTRAINT `probe_rollups_hourly_pk` PRIMARY KEY(`device_id`, `day_at`, `source`),
	CONSTRAINT `fk_probe_rollups_hourly_device_id_devices_id_fk` FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE INDEX `probe_rollups_hourly_day_idx` ON `probe_rollups_hourly` (`day_at`);