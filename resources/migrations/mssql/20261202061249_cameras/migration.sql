CREATE TABLE [camera_access] (
	[device_id] int,
	[make] nvarchar(20) NOT NULL,
	[snapshot_url] nvarchar(500) NOT NULL,
	[rtsp_url] nvarchar(500) NOT NULL,
	[username] nvarchar(100) NOT NULL,
	[password_sealed] nvarchar(1000),
	[updated_at] bigint NOT NULL,
	CONSTRAINT [camera_access_pk] PRIMARY KEY([device_id])
);
--> statement-breakpoint
CREATE TABLE [video_health] (
	[device_id] int,
	[health] nvarchar(20) NOT NULL,
	[detail] nvarchar(500) NOT NULL,
	[checked_at] bigint NOT NULL,
	[since] bigint NOT NULL,
	[same_count] int NOT NULL,
	[thumbnail] nvarchar(2000),
	CONSTRAINT [video_health_pk] PRIMARY KEY([device_id])
);
--> statement-breakpoint
ALTER TABLE [camera_access] ADD CONSTRAINT [camera_access_device_id_devices_id_fk] FOREIGN KEY ([device_id]) REFERENCES [devices]([id]) ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE [video_health] ADD CONSTRAINT [video_health_device_id_devices_id_fk] FOREIGN KEY ([device_id]) REFERENCES [devices]([id]) ON DELETE CASCADE;