CREATE TABLE [alarm_deliveries] (
	[id] int IDENTITY(1, 1),
	[alarm_id] int NOT NULL,
	[rule_name] nvarchar(100) NOT NULL,
	[channel] nvarchar(10) NOT NULL,
	[target] nvarchar(2000) NOT NULL,
	[payload] nvarchar(max) NOT NULL,
	[status] nvarchar(10) NOT NULL,
	[attempts] int NOT NULL,
	[last_error] nvarchar(1000),
	[created_at] bigint NOT NULL,
	[next_attempt_at] bigint,
	[sent_at] bigint,
	CONSTRAINT [alarm_deliveries_pk] PRIMARY KEY([id])
);
--> statement-breakpoint
CREATE TABLE [alarms] (
	[id] int IDENTITY(1, 1),
	[kind] nvarchar(30) NOT NULL,
	[subject_key] nvarchar(60) NOT NULL,
	[severity] nvarchar(10) NOT NULL,
	[area_id] int,
	[device_id] int,
	[opened_at] bigint NOT NULL,
	[cleared_at] bigint,
	[acknowledged_at] bigint,
	[acknowledged_by] int,
	[note] nvarchar(1000),
	[detail] nvarchar(1000) NOT NULL,
	[updated_at] bigint NOT NULL,
	CONSTRAINT [alarms_pk] PRIMARY KEY([id])
);
--> statement-breakpoint
CREATE TABLE [shift_notes] (
	[id] int IDENTITY(1, 1),
	[at] bigint NOT NULL,
	[user_id] int NOT NULL,
	[text] nvarchar(4000) NOT NULL,
	CONSTRAINT [shift_notes_pk] PRIMARY KEY([id])
);
--> statement-breakpoint
ALTER TABLE [devices] ADD [parent_id] int;--> statement-breakpoint
ALTER TABLE [devices] ADD CONSTRAINT [devices_parent_id_devices_id_fk] FOREIGN KEY ([parent_id]) REFERENCES [devices]([id]);--> statement-breakpoint
ALTER TABLE [alarm_deliveries] ADD CONSTRAINT [alarm_deliveries_alarm_id_alarms_id_fk] FOREIGN KEY ([alarm_id]) REFERENCES [alarms]([id]) ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE [alarms] ADD CONSTRAINT [alarms_area_id_areas_id_fk] FOREIGN KEY ([area_id]) REFERENCES [areas]([id]) ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE [alarms] ADD CONSTRAINT [alarms_device_id_devices_id_fk] FOREIGN KEY ([device_id]) REFERENCES [devices]([id]) ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE [alarms] ADD CONSTRAINT [alarms_acknowledged_by_users_id_fk] FOREIGN KEY ([acknowledged_by]) REFERENCES [users]([id]);--> statement-breakpoint
ALTER TABLE [shift_notes] ADD CONSTRAINT [shift_notes_user_id_users_id_fk] FOREIGN KEY ([user_id]) REFERENCES [users]([id]);--> statement-breakpoint
CREATE INDEX [alarm_deliveries_alarm_idx] ON [alarm_deliveries] ([alarm_id]);--> statement-breakpoint
CREATE INDEX [alarm_deliveries_due_idx] ON [alarm_deliveries] ([status],[next_attempt_at]);--> statement-breakpoint
CREATE UNIQUE INDEX [alarms_one_open] ON [alarms] ([subject_key]) WHERE cleared_at IS NULL;--> statement-breakpoint
CREATE INDEX [alarms_opened_idx] ON [alarms] ([opened_at]);--> statement-breakpoint
CREATE INDEX [alarms_updated_idx] ON [alarms] ([updated_at]);--> statement-breakpoint
CREATE INDEX [shift_notes_at_idx] ON [shift_notes] ([at]);--> statement-breakpoint
-- The alarm desk is a new screen: whoever saw the dashboard sees the alarms, and whoever filed maintenance acknowledges them.
INSERT INTO [user_permissions] ([user_id], [screen], [can_view], [can_edit])
SELECT d.[user_id], 'alarms', 1, COALESCE((SELECT m.[can_edit] FROM [user_permissions] m WHERE m.[user_id] = d.[user_id] AND m.[screen] = 'maintenance'), 0)
FROM [user_permissions] d WHERE d.[screen] = 'dashboard' AND (d.[can_view] = 1 OR d.[can_edit] = 1);
