CREATE TABLE `camera_access` (
	`device_id` integer PRIMARY KEY,
	`make` text NOT NULL,
	`snapshot_url` text NOT NULL,
	`rtsp_url` text NOT NULL,
	`username` text NOT NULL,
	`password_sealed` text,
	`updated_at` integer NOT NULL,
	CONSTRAINT `fk_camera_access_device_id_devices_id_fk` FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `video_health` (
	`device_id` integer PRIMARY KEY,
	`health` text NOT NULL,
	`detail` text NOT NULL,
	`checked_at` integer NOT NULL,
	`since` integer NOT NULL,
	`same_count` integer NOT NULL,
	`thumbnail` text,
	CONSTRAINT `fk_video_health_device_id_devices_id_fk` FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON DELETE CASCADE
);
