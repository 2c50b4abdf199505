CREATE TABLE `alarm_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`alarm_id` integer NOT NULL,
	`rule_name` text NOT NULL,
	`channel` text NOT NULL,
	`target` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`next_attempt_at` integer,
	`sent_at` integer,
	CONSTRAINT `fk_alarm_deliveries_alarm_id_alarms_id_fk` FOREIGN KEY (`alarm_id`) REFERENCES `alarms`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `alarms` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`kind` text NOT NULL,
	`subject_key` text NOT NULL,
	`severity` text NOT NULL,
	`area_id` integer,
	`device_id` integer,
	`opened_at` integer NOT NULL,
	`cleared_at` integer,
	`acknowledged_at` integer,
	`acknowledged_by` integer,
	`note` text,
	`detail` text NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT `fk_alarms_area_id_areas_id_fk` FOREIGN KEY (`area_id`) REFERENCES `areas`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_alarms_device_id_devices_id_fk` FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_alarms_acknowledged_by_users_id_fk` FOREIGN KEY (`acknowledged_by`) REFERENCES `users`(`id`)
);
--> statement-breakpoint
CREATE TABLE `shift_notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`at` integer NOT NULL,
	`user_id` integer NOT NULL,
	`text` text NOT NULL,
	CONSTRAINT `fk_shift_notes_user_id_users_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`)
);
--> statement-breakpoint
ALTER TABLE `devices` ADD `parent_id` integer REFERENCES devices(id);--> statement-breakpoint
CREATE INDEX `alarm_deliveries_alarm_idx` ON `alarm_deliveries` (`alarm_id`);--> statement-breakpoint
CREATE INDEX `alarm_deliveries_due_idx` ON `alarm_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `alarms_one_open` ON `alarms` (`subject_key`) WHERE cleared_at IS NULL;--> statement-breakpoint
CREATE INDEX `alarms_opened_idx` ON `alarms` (`opened_at`);--> statement-breakpoint
CREATE INDEX `alarms_updated_idx` ON `alarms` (`updated_at`);--> statement-breakpoint
CREATE INDEX `shift_notes_at_idx` ON `shift_notes` (`at`);--> statement-breakpoint
-- The alarm desk is a new screen: whoever saw the dashboard sees the alarms, and whoever filed maintenance acknowledges them.
INSERT INTO `user_permissions` (`user_id`, `screen`, `can_view`, `can_edit`)
SELECT d.`user_id`, 'alarms', 1, COALESCE((SELECT m.`can_edit` FROM `user_permissions` m WHERE m.`user_id` = d.`user_id` AND m.`screen` = 'maintenance'), 0)
FROM `user_permissions` d WHERE d.`screen` = 'dashboard' AND (d.`can_view` = 1 OR d.`can_edit` = 1);
