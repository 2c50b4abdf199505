CREATE TABLE [agent_heartbeats] (
	[agent_id] int,
	[at] bigint,
	[latency_ms] int,
	[devices_online] int NOT NULL,
	[outbox_rows] int NOT NULL,
	[clock_offset_ms] int,
	CONSTRAINT [agent_heartbeats_pk] PRIMARY KEY([agent_id],[at])
);
--> statement-breakpoint
ALTER TABLE [agent_batches] ADD [digest] nvarchar(64) NOT NULL CONSTRAINT [agent_batches_digest_default] DEFAULT ('');--> statement-breakpoint
ALTER TABLE [agents] ADD [key_created_at] bigint;--> statement-breakpoint
ALTER TABLE [agents] ADD [revoked_at] bigint;--> statement-breakpoint
ALTER TABLE [agents] ADD [observations_received] bigint NOT NULL CONSTRAINT [agents_observations_received_default] DEFAULT ((0));--> statement-breakpoint
ALTER TABLE [agents] ADD [last_report] nvarchar(max);--> statement-breakpoint
ALTER TABLE [status_changes] ADD [superseded] bit NOT NULL CONSTRAINT [status_changes_superseded_default] DEFAULT ((0));--> statement-breakpoint
ALTER TABLE [agent_heartbeats] ADD CONSTRAINT [agent_heartbeats_agent_id_agents_id_fk] FOREIGN KEY ([agent_id]) REFERENCES [agents]([id]) ON DELETE CASCADE;--> statement-breakpoint
CREATE INDEX [agent_batches_received_idx] ON [agent_batches] ([received_at]);--> statement-breakpoint
CREATE INDEX [agent_heartbeats_at_idx] ON [agent_heartbeats] ([at]);--> statement-breakpoint
CREATE INDEX [agents_key_prefix_idx] ON [agents] ([key_prefix]);