import { bigint, int, mssqlTable, nvarchar, primaryKey } from 'drizzle-orm/mssql-core';
import { devices } from './schema';

const instant = (name: string) => bigint(name, { mode: 'number' });

/** How a camera's picture and stream are reached; the password sealed by the installation's key, never in clear. */
export const cameraAccess = mssqlTable(
  'camera_access',
  {
    deviceId: int('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    make: nvarchar('make', { length: 20 }).notNull(),
    snapshotUrl: nvarchar('snapshot_url', { length: 500 }).notNull(),
    rtspUrl: nvarchar('rtsp_url', { length: 500 }).notNull(),
    username: nvarchar('username', { length: 100 }).notNull(),
    /** AES-256-GCM of the password (iv, tag and text in base64); null: none saved. */
    passwordSealed: nvarchar('password_sealed', { length: 1000 }),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [primaryKey({ name: 'camera_access_pk', columns: [t.deviceId] })],
);

/** A camera's last video check, beside (never inside) its ping state. */
export const videoHealth = mssqlTable(
  'video_health',
  {
    deviceId: int('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    health: nvarchar('health', { length: 20 }).notNull(),
    detail: nvarchar('detail', { length: 500 }).notNull(),
    checkedAt: instant('checked_at').notNull(),
    since: instant('since').notNull(),
    sameCount: int('same_count').notNull(),
    thumbnail: nvarchar('thumbnail', { length: 2000 }),
  },
  (t) => [primaryKey({ name: 'video_health_pk', columns: [t.deviceId] })],
);
