import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { devices } from './schema';

/** How a camera's picture and stream are reached; the password sealed by the installation's key, never in clear. */
export const cameraAccess = sqliteTable('camera_access', {
  deviceId: integer('device_id')
    .primaryKey()
    .references(() => devices.id, { onDelete: 'cascade' }),
  make: text('make').notNull(),
  snapshotUrl: text('snapshot_url').notNull(),
  rtspUrl: text('rtsp_url').notNull(),
  username: text('username').notNull(),
  /** AES-256-GCM of the password (iv, tag and text in base64); null: none saved. */
  passwordSealed: text('password_sealed'),
  updatedAt: integer('updated_at').notNull(),
});

/** A camera's last video check, beside (never inside) its ping state. */
export const videoHealth = sqliteTable('video_health', {
  deviceId: integer('device_id')
    .primaryKey()
    .references(() => devices.id, { onDelete: 'cascade' }),
  health: text('health').notNull(),
  detail: text('detail').notNull(),
  checkedAt: integer('checked_at').notNull(),
  /** Since when the health has been what it is. */
  since: integer('since').notNull(),
  /** How many checks in a row showed the same picture, and that picture's thumbnail (base64). */
  sameCount: integer('same_count').notNull(),
  thumbnail: text('thumbnail'),
});
