CREATE TABLE [agent_batches] (
	[agent_id] int,
	[sequence] bigint,
	[received_at] bigint NOT NULL,
	[observations] int NOT NULL,
	CONSTRAINT [agent_batches_pk] PRIMARY KEY([agent_id],[sequence])
);
--> statement-breakpoint
CREATE TABLE [agents] (
	[id] int IDENTITY(1, 1),
	[area_id] int NOT NULL,
	[key_hash] nvarchar(300) NOT NULL,
	[key_prefix] nvarchar(32) NOT NULL,
	[last_heartbeat_at] bigint,
	[last_sequence] bigint NOT NULL,
	[version] nvarchar(64),
	[created_at] bigint NOT NULL,
	[updated_at] bigint NOT NULL,
	CONSTRAINT [agents_pk] PRIMARY KEY([id])
);
--> statement-breakpoint
CREATE TABLE [areas] (
	[id] int IDENTITY(1, 1),
	[code] nvarchar(10) NOT NULL,
	[name] nvarchar(100) NOT NULL,
	[time_zone] nvarchar(64) NOT NULL,
	[created_at] bigint NOT NULL,
	[updated_at] bigint NOT NULL,
	CONSTRAINT [areas_pk] PRIMARY KEY([id])
);
--> statement-breakpoint
CREATE TABLE [audit_log] (
	[id] bigint IDENTITY(1, 1),
	[at] bigint NOT NULL,
	[user_id] int,
	[username] nvarchar(100) NOT NULL,
	[action] nvarchar(50) NOT NULL,
	[entity] nvarchar(20) NOT NULL,
	[entity_id] nvarchar(64),
	[entity_label] nvarchar(300),
	[area_id] int,
	[outcome] nvarchar(10) NOT NULL,
	[reason] nvarchar(32),
	[before] nvarchar(max),
	[after] nvarchar(max),
	CONSTRAINT [audit_log_pk] PRIMARY KEY([id])
);
--> statement-breakpoint
CREATE TABLE [devices] (
	[id] int IDENTITY(1, 1),
	[area_id] int NOT NULL,
	[name] nvarchar(100) NOT NULL,
	[type] nvarchar(20) NOT NULL,
	[context] nvarchar(10) NOT NULL,
	[host] nvarchar(253) NOT NULL,
	[location] nvarchar(200) NOT NULL,
	[notes] nvarchar(2000) NOT NULL,
	[status] nvarchar(20) NOT NULL,
	[status_since] bigint NOT NULL,
	[created_at] bigint NOT NULL,
	[updated_at] bigint NOT NULL,
	CONSTRAINT [devices_pk] PRIMARY KEY([id])
);
--> statement-breakpoint
CREATE TABLE [maintenance_cases] (
	[id] int IDENTITY(1, 1),
	[device_id] int NOT NULL,
	[category] nvarchar(20) NOT NULL,
	[description] nvarchar(2000) NOT NULL,
	[opened_by] int,
	[opened_at] bigint NOT NULL,
	[solution] nvarchar(2000),
	[closed_by] int,
	[closed_at] bigint,
	CONSTRAINT [maintenance_cases_pk] PRIMARY KEY([id])
);
--> statement-breakpoint
CREATE TABLE [monitor_lease] (
	[id] int,
	[holder] nvarchar(200) NOT NULL,
	[epoch] int NOT NULL,
	[expires_at] bigint NOT NULL,
	CONSTRAINT [monitor_lease_pk] PRIMARY KEY([id])
);
--> statement-breakpoint
CREATE TABLE [probe_results] (
	[id] bigint IDENTITY(1, 1),
	[device_id] int NOT NULL,
	[at] bigint NOT NULL,
	[source] nvarchar(64) NOT NULL,
	[alive] bit NOT NULL,
	[rtt_ms] float,
	CONSTRAINT [probe_results_pk] PRIMARY KEY([id])
);
--> statement-breakpoint
CREATE TABLE [probe_rollups] (
	[device_id] int,
	[hour_at] bigint,
	[source] nvarchar(64),
	[minutes] varbinary(max) NOT NULL,
	CONSTRAINT [probe_rollups_pk] PRIMARY KEY([device_id],[hour_at],[source])
);
--> statement-breakpoint
CREATE TABLE [sessions] (
	[id] int IDENTITY(1, 1),
	[user_id] int NOT NULL,
	[token_hash] nvarchar(100) NOT NULL,
	[created_at] bigint NOT NULL,
	[expires_at] bigint NOT NULL,
	CONSTRAINT [sessions_pk] PRIMARY KEY([id])
);
--> statement-breakpoint
CREATE TABLE [settings] (
	[key] nvarchar(100),
	[value] nvarchar(max) NOT NULL,
	[updated_at] bigint NOT NULL,
	CONSTRAINT [settings_pk] PRIMARY KEY([key])
);
--> statement-breakpoint
CREATE TABLE [shutdown_requests] (
	[id] int IDENTITY(1, 1),
	[device_id] int NOT NULL,
	[justification] nvarchar(2000) NOT NULL,
	[status] nvarchar(20) NOT NULL,
	[requested_by] int,
	[requested_at] bigint NOT NULL,
	[decided_by] int,
	[decided_at] bigint,
	[decision_reason] nvarchar(2000),
	[reenabled_by] int,
	[reenabled_at] bigint,
	CONSTRAINT [shutdown_requests_pk] PRIMARY KEY([id])
);
--> statement-breakpoint
CREATE TABLE [state_segments] (
	[id] bigint IDENTITY(1, 1),
	[device_id] int NOT NULL,
	[state] nvarchar(20) NOT NULL,
	[source] nvarchar(64) NOT NULL,
	[start_at] bigint NOT NULL,
	[end_at] bigint,
	CONSTRAINT [state_segments_pk] PRIMARY KEY([id])
);
--> statement-breakpoint
CREATE TABLE [status_changes] (
	[id] bigint IDENTITY(1, 1),
	[device_id] int NOT NULL,
	[from_status] nvarchar(20) NOT NULL,
	[to_status] nvarchar(20) NOT NULL,
	[at] bigint NOT NULL,
	[source] nvarchar(64) NOT NULL,
	[user_id] int,
	CONSTRAINT [status_changes_pk] PRIMARY KEY([id])
);
--> statement-breakpoint
CREATE TABLE [sweeps] (
	[id] bigint IDENTITY(1, 1),
	[source] nvarchar(64) NOT NULL,
	[epoch] int NOT NULL,
	[started_at] bigint NOT NULL,
	[duration_ms] int NOT NULL,
	[devices_probed] int NOT NULL,
	[failures] int NOT NULL,
	[overrun_ms] int NOT NULL,
	[prober] nvarchar(32) NOT NULL,
	[probes_not_run] int NOT NULL,
	[prober_problem] nvarchar(32),
	CONSTRAINT [sweeps_pk] PRIMARY KEY([id])
);
--> statement-breakpoint
CREATE TABLE [user_areas] (
	[user_id] int,
	[area_id] int,
	CONSTRAINT [user_areas_pk] PRIMARY KEY([user_id],[area_id])
);
--> statement-breakpoint
CREATE TABLE [user_permissions] (
	[user_id] int,
	[screen] nvarchar(32),
	[can_view] bit NOT NULL,
	[can_edit] bit NOT NULL,
	CONSTRAINT [user_permissions_pk] PRIMARY KEY([user_id],[screen])
);
--> statement-breakpoint
CREATE TABLE [users] (
	[id] int IDENTITY(1, 1),
	[username] nvarchar(50) NOT NULL,
	[display_name] nvarchar(100) NOT NULL,
	[password_hash] nvarchar(300) NOT NULL,
	[is_admin] bit NOT NULL,
	[active] bit NOT NULL,
	[must_change_password] bit NOT NULL,
	[failed_attempts] int NOT NULL,
	[locked_until] bigint,
	[created_at] bigint NOT NULL,
	[updated_at] bigint NOT NULL,
	CONSTRAINT [users_pk] PRIMARY KEY([id])
);
--> statement-breakpoint
ALTER TABLE [agent_batches] ADD CONSTRAINT [agent_batches_agent_id_agents_id_fk] FOREIGN KEY ([agent_id]) REFERENCES [agents]([id]) ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE [agents] ADD CONSTRAINT [agents_area_id_areas_id_fk] FOREIGN KEY ([area_id]) REFERENCES [areas]([id]) ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE [devices] ADD CONSTRAINT [devices_area_id_areas_id_fk] FOREIGN KEY ([area_id]) REFERENCES [areas]([id]);--> statement-breakpoint
ALTER TABLE [maintenance_cases] ADD CONSTRAINT [maintenance_cases_device_id_devices_id_fk] FOREIGN KEY ([device_id]) REFERENCES [devices]([id]) ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE [probe_results] ADD CONSTRAINT [probe_results_device_id_devices_id_fk] FOREIGN KEY ([device_id]) REFERENCES [devices]([id]) ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE [probe_rollups] ADD CONSTRAINT [probe_rollups_device_id_devices_id_fk] FOREIGN KEY ([device_id]) REFERENCES [devices]([id]) ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE [sessions] ADD CONSTRAINT [sessions_user_id_users_id_fk] FOREIGN KEY ([user_id]) REFERENCES [users]([id]) ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE [shutdown_requests] ADD CONSTRAINT [shutdown_requests_device_id_devices_id_fk] FOREIGN KEY ([device_id]) REFERENCES [devices]([id]) ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE [state_segments] ADD CONSTRAINT [state_segments_device_id_devices_id_fk] FOREIGN KEY ([device_id]) REFERENCES [devices]([id]) ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE [status_changes] ADD CONSTRAINT [status_changes_device_id_devices_id_fk] FOREIGN KEY ([device_id]) REFERENCES [devices]([id]) ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE [user_areas] ADD CONSTRAINT [user_areas_user_id_users_id_fk] FOREIGN KEY ([user_id]) REFERENCES [users]([id]) ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE [user_areas] ADD CONSTRAINT [user_areas_area_id_areas_id_fk] FOREIGN KEY ([area_id]) REFERENCES [areas]([id]) ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE [user_permissions] ADD CONSTRAINT [user_permissions_user_id_users_id_fk] FOREIGN KEY ([user_id]) REFERENCES [users]([id]) ON DELETE CASCADE;--> statement-breakpoint
CREATE UNIQUE INDEX [agents_area_unique] ON [agents] ([area_id]);--> statement-breakpoint
CREATE UNIQUE INDEX [areas_code_unique] ON [areas] ([code]);--> statement-breakpoint
CREATE INDEX [audit_log_at_idx] ON [audit_log] ([at]);--> statement-breakpoint
CREATE INDEX [audit_log_entity_idx] ON [audit_log] ([entity],[entity_id]);--> statement-breakpoint
CREATE INDEX [audit_log_area_at_idx] ON [audit_log] ([area_id],[at]);--> statement-breakpoint
CREATE UNIQUE INDEX [devices_area_name_unique] ON [devices] ([area_id],[name]);--> statement-breakpoint
CREATE INDEX [devices_status_idx] ON [devices] ([status]);--> statement-breakpoint
CREATE INDEX [devices_host_idx] ON [devices] ([host]);--> statement-breakpoint
CREATE INDEX [maintenance_cases_device_idx] ON [maintenance_cases] ([device_id]);--> statement-breakpoint
CREATE UNIQUE INDEX [maintenance_cases_one_open] ON [maintenance_cases] ([device_id]) WHERE closed_at IS NULL;--> statement-breakpoint
CREATE INDEX [probe_results_at_idx] ON [probe_results] ([at]);--> statement-breakpoint
CREATE INDEX [probe_results_device_at_idx] ON [probe_results] ([device_id],[at]);--> statement-breakpoint
CREATE INDEX [probe_rollups_hour_idx] ON [probe_rollups] ([hour_at]);--> statement-breakpoint
CREATE UNIQUE INDEX [sessions_token_unique] ON [sessions] ([token_hash]);--> statement-breakpoint
CREATE INDEX [sessions_user_idx] ON [sessions] ([user_id]);--> statement-breakpoint
CREATE INDEX [sessions_expires_idx] ON [sessions] ([expires_at]);--> statement-breakpoint
CREATE INDEX [shutdown_requests_device_idx] ON [shutdown_requests] ([device_id]);--> statement-breakpoint
CREATE INDEX [shutdown_requests_status_idx] ON [shutdown_requests] ([status]);--> statement-breakpoint
CREATE UNIQUE INDEX [shutdown_requests_one_pending] ON [shutdown_requests] ([device_id]) WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX [state_segments_device_start_idx] ON [state_segments] ([device_id],[start_at]);--> statement-breakpoint
CREATE INDEX [status_changes_at_idx] ON [status_changes] ([at]);--> statement-breakpoint
CREATE INDEX [status_changes_device_at_idx] ON [status_changes] ([device_id],[at]);--> statement-breakpoint
CREATE INDEX [sweeps_started_idx] ON [sweeps] ([started_at]);--> statement-breakpoint
CREATE UNIQUE INDEX [users_username_unique] ON [users] ([username]);