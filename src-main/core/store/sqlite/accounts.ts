/* eslint-disable @typescript-eslint/require-await -- see catalog.ts: async for the port, synchronous underneath. */
import { and, asc, count, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { SCREENS } from '../../../../src-shared/domain/permissions';
import type { PermissionGrid, Screen } from '../../../../src-shared/domain/permissions';
import type { User } from '../../../../src-shared/domain/users';
import { notFound } from '../../errors';
import type { Clock } from '../../runtime';
import type { AccountStore, AuditStore } from '../port';
import type { SqliteDb, SqliteTx } from './connection';
import { translateConstraints } from './connection';
import { auditLog, userAreas, userPermissions, users } from './schema';

/** Replaces a user's permission rows and allowed areas; no area rows means every area. */
function writeGrants(
  tx: SqliteTx,
  userId: number,
  permissions: PermissionGrid,
  allowedAreaIds: readonly number[] | null,
): void {
  tx.delete(userPermissions).where(eq(userPermissions.userId, userId)).run();
  tx.insert(userPermissions)
    .values(
      SCREENS.map((screen) => ({
        userId,
        screen,
        canView: permissions[screen].view,
        canEdit: permissions[screen].edit,
      })),
    )
    .run();
  tx.delete(userAreas).where(eq(userAreas.userId, userId)).run();
  if (allowedAreaIds && allowedAreaIds.length > 0) {
    tx.insert(userAreas)
      .values(allowedAreaIds.map((areaId) => ({ userId, areaId })))
      .run();
  }
}

export function sqliteAccounts(db: SqliteDb, clock: Clock): AccountStore {
  const loadUsers = (where?: SQL): User[] => {
    const rows = db.select().from(users).where(where).orderBy(asc(users.username)).all();
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const grants = db.select().from(userPermissions).where(inArray(userPermissions.userId, ids)).all();
    const areaRows = db.select().from(userAreas).where(inArray(userAreas.userId, ids)).all();
    return rows.map((row) => {
      const permissions = Object.fromEntries(SCREENS.map((s) => [s, { view: false, edit: false }])) as Record<
        Screen,
        { view: boolean; edit: boolean }
      >;
      for (const g of grants) {
        if (g.userId === row.id && g.screen in permissions)
          permissions[g.screen as Screen] = { view: g.canView, edit: g.canEdit };
      }
      const allowed = areaRows.filter((a) => a.userId === row.id).map((a) => a.areaId);
      return {
        id: row.id,
        username: row.username,
        displayName: row.displayName,
        isAdmin: row.isAdmin,
        active: row.active,
        mustChangePassword: row.mustChangePassword,
        permissions,
        allowedAreaIds: allowed.length > 0 ? allowed.sort((a, b) => a - b) : null,
        lockedUntil: row.lockedUntil,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
      };
    });
  };
  const getUser = (id: number) => loadUsers(eq(users.id, id))[0];

  return {
    async countUsers() {
      return db.select({ n: count() }).from(users).get()?.n ?? 0;
    },

    async createUser(fields) {
      const now = clock.now();
      const id = translateConstraints(() =>
        db.transaction((tx) => {
          const row = tx
            .insert(users)
            .values({
              username: fields.username,
              displayName: fields.displayName,
              passwordHash: fields.passwordHash,
              isAdmin: fields.isAdmin,
              active: fields.active,
              mustChangePassword: fields.mustChangePassword,
              createdAt: now,
              updatedAt: now,
            })
            .returning({ id: users.id })
            .get();
          writeGrants(tx, row.id, fields.permissions, fields.allowedAreaIds);
          return row.id;
        }),
      );
      return getUser(id)!;
    },

    async getUser(id) {
      return getUser(id);
    },

    async getUserCredentials(username) {
      const row = db
        .select({ id: users.id, passwordHash: users.passwordHash, failedAttempts: users.failedAttempts })
        .from(users)
        .where(eq(users.username, username))
        .get();
      const user = row && getUser(row.id);
      return user && row ? { ...user, passwordHash: row.passwordHash, failedAttempts: row.failedAttempts } : undefined;
    },

    async listUsers() {
      return loadUsers();
    },

    async updateUser(id, fields) {
      const changed = translateConstraints(() =>
        db.transaction((tx) => {
          const result = tx
            .update(users)
            .set({
              username: fields.username,
              displayName: fields.displayName,
              isAdmin: fields.isAdmin,
              active: fields.active,
              updatedAt: clock.now(),
            })
            .where(eq(users.id, id))
            .run();
          if (result.changes > 0) writeGrants(tx, id, fields.permissions, fields.allowedAreaIds);
          return result.changes;
        }),
      );
      if (changed === 0) throw notFound(`user ${id}`);
      return getUser(id)!;
    },

    async setPasswordHash(id, passwordHash, mustChangePassword) {
      const result = db
        .update(users)
        .set({ passwordHash, mustChangePassword, updatedAt: clock.now() })
        .where(eq(users.id, id))
        .run();
      if (result.changes === 0) throw notFound(`user ${id}`);
    },

    async recordLoginFailure(id, lockedUntil) {
      // Locking starts a fresh count, so the next lock needs as many failures again.
      const row = db
        .update(users)
        .set(
          lockedUntil === null
            ? { failedAttempts: sql`${users.failedAttempts} + 1` }
            : { failedAttempts: 0, lockedUntil },
        )
        .where(eq(users.id, id))
        .returning({ failedAttempts: users.failedAttempts })
        .get();
      return row?.failedAttempts ?? 0;
    },

    async recordLoginSuccess(id) {
      db.update(users).set({ failedAttempts: 0, lockedUntil: null }).where(eq(users.id, id)).run();
    },
  };
}

export function sqliteAudit(db: SqliteDb): AuditStore {
  return {
    async appendAudit(entry) {
      db.insert(auditLog).values(entry).run();
    },
    async listAudit(filter) {
      return db
        .select()
        .from(auditLog)
        .where(
          and(
            filter.from === undefined ? undefined : gte(auditLog.at, filter.from),
            filter.to === undefined ? undefined : lt(auditLog.at, filter.to),
            filter.userId === undefined ? undefined : eq(auditLog.userId, filter.userId),
            filter.entity === undefined ? undefined : eq(auditLog.entity, filter.entity),
            filter.action === undefined ? undefined : eq(auditLog.action, filter.action),
          ),
        )
        .orderBy(desc(auditLog.at), desc(auditLog.id))
        .limit(filter.limit)
        .all();
    },
  };
}
