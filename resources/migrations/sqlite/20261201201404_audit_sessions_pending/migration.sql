CREATE TABLE `sessions` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`user_id` integer NOT NULL,
	`token_hash` text NOT NULL UNIQUE,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	CONSTRAINT `fk_sessions_user_id_users_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
ALTER TABLE `audit_log` ADD `entity_label` text;--> statement-breakpoint
ALTER TABLE `audit_log` ADD `area_id` integer;--> statement-breakpoint
ALTER TABLE `audit_log` ADD `reason` text;--> statement-breakpoint
ALTER TABLE `status_changes` ADD `user_id` integer;--> statement-breakpoint
ALTER TABLE `sweeps` ADD `prober` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `sweeps` ADD `probes_not_run` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sweeps` ADD `prober_problem` text;--> statement-breakpoint
CREATE INDEX `audit_log_area_at_idx` ON `audit_log` (`area_id`,`at`);--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE INDEX `sessions_expires_idx` ON `sessions` (`expires_at`);--> statement-breakpoint
-- Two pending requests for one device could be filed before this index existed; the older one wins, the others are rejected.
UPDATE `shutdown_requests` SET `status` = 'rejected', `decision_reason` = 'duplicate of an earlier pending request' WHERE `status` = 'pending' AND `id` NOT IN (SELECT MIN(`id`) FROM `shutdown_requests` WHERE `status` = 'pending' GROUP BY `device_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `shutdown_requests_one_pending` ON `shutdown_requests` (`device_id`) WHERE status = 'pending';--> statement-breakpoint
-- Workflow changes were logged with the person as the source ('user:<id>'); the person now has its own column.
UPDATE `status_changes` SET `user_id` = CAST(substr(`source`, 6) AS integer), `source` = 'workflow' WHERE `source` LIKE 'user:%';--> statement-breakpoint
-- Audit actions now have one name each ('<subject>.<verb>'), a reason key, an area and the name of what they are about.
UPDATE `audit_log` SET `reason` = CASE json_extract(`after`, '$.reason') WHEN 'unknown user' THEN 'unknown_user' WHEN 'wrong password' THEN 'wrong_password' WHEN 'locked now' THEN 'locked_now' WHEN 'locked' THEN 'locked' WHEN 'inactive' THEN 'inactive' END, `after` = NULL WHERE `action` = 'login' AND `outcome` = 'failure' AND json_valid(`after`);--> statement-breakpoint
UPDATE `audit_log` SET `action` = `entity` || '.' || `action` WHERE `action` IN ('create', 'update', 'delete');--> statement-breakpoint
UPDATE `audit_log` SET `action` = 'session.' || `action` WHERE `action` IN ('login', 'logout', 'setup');--> statement-breakpoint
UPDATE `audit_log` SET `entity` = 'user' WHERE `action` = 'session.setup';--> statement-breakpoint
UPDATE `audit_log` SET `action` = 'user.' || `action`, `entity` = 'user' WHERE `action` IN ('change_password', 'reset_password');--> statement-breakpoint
UPDATE `audit_log` SET `action` = 'export.run', `entity` = 'export' WHERE `action` = 'export';--> statement-breakpoint
UPDATE `audit_log` SET `area_id` = (SELECT `area_id` FROM `devices` WHERE `devices`.`id` = CAST(`audit_log`.`entity_id` AS integer)), `entity_label` = (SELECT `name` FROM `devices` WHERE `devices`.`id` = CAST(`audit_log`.`entity_id` AS integer)) WHERE `entity` = 'device';--> statement-breakpoint
UPDATE `audit_log` SET `area_id` = CAST(`entity_id` AS integer), `entity_label` = (SELECT `code` FROM `areas` WHERE `areas`.`id` = CAST(`audit_log`.`entity_id` AS integer)) WHERE `entity` = 'area';--> statement-breakpoint
UPDATE `audit_log` SET `entity_label` = (SELECT `username` FROM `users` WHERE `users`.`id` = CAST(`audit_log`.`entity_id` AS integer)) WHERE `entity` = 'user';
