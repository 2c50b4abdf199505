/* eslint-disable @typescript-eslint/require-await -- see catalog.ts: async for the port, synchronous underneath. */
import { and, asc, count, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { SCREENS } from '../../../../src-shared/domain/permissions';
import type { PermissionGrid, Screen } from '../../../../src-shared/domain/permissions';
import type { User } from '../../../../src-shared/domain/users';
import { notFound } from '../../errors';
import type { Clock } from '../../runtime';
import type { AccountStore } from '../port';
import { writeAudit } from './audit';
import type { SqliteDb, SqliteTx } from './connection';
import { translateConstraints } from './connection';
import { sessions, userAreas, userPermissions, users } from './schema';

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

    async createUser(fields, audit) {
      const now = clock.now();
      return translateConstraints(() =>
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
          const after = getUser(row.id)!;
          writeAudit(tx, audit({ before: null, after }));
          return after;
        }),
      );
    },

    async getUser(id) {
      return getUser(id);
    },

    async getUserCredentials(username) {
      const row = db
        .select({ id: users.id, passwordHash: users.passwordHash })
        .from(users)
        .where(eq(users.username, username))
        .get();
      const user = row && getUser(row.id);
      return user && row ? { ...user, passwordHash: row.passwordHash } : undefined;
    },

    async listUsers() {
      return loadUsers();
    },

    async updateUser(id, fields, audit, revokeSessions) {
      return translateConstraints(() =>
        db.transaction((tx) => {
          const before = getUser(id);
          if (!before) throw notFound(`user ${id}`);
          tx.update(users)
            .set({
              username: fields.username,
              displayName: fields.displayName,
              isAdmin: fields.isAdmin,
              active: fields.active,
              updatedAt: clock.now(),
            })
            .where(eq(users.id, id))
            .run();
          writeGrants(tx, id, fields.permissions, fields.allowedAreaIds);
          if (revokeSessions) tx.delete(sessions).where(eq(sessions.userId, id)).run();
          const after = getUser(id)!;
          writeAudit(tx, audit({ before, after }));
          return after;
        }),
      );
    },

    async setPasswordHash(id, change, audit) {
      db.transaction((tx) => {
        const before = getUser(id);
        if (!before) throw notFound(`user ${id}`);
        tx.update(users)
          .set({
            passwordHash: change.passwordHash,
            mustChangePassword: change.mustChangePassword,
            updatedAt: clock.now(),
          })
          .where(eq(users.id, id))
          .run();
        if (change.revokeSessions) tx.delete(sessions).where(eq(sessions.userId, id)).run();
        if (audit) writeAudit(tx, audit({ before, after: getUser(id)! }));
      });
    },

    async countLoginAttempt(id, policy) {
      return db.transaction((tx) => {
        // A lock that has run out starts a fresh count.
        tx.update(users)
          .set({ failedAttempts: 0, lockedUntil: null })
          .where(and(eq(users.id, id), lte(users.lockedUntil, policy.now)))
          .run();
        const row = tx
          .update(users)
          .set({
            failedAttempts: sql`${users.failedAttempts} + 1`,
            lockedUntil: sql`CASE WHEN ${users.lockedUntil} IS NULL AND ${users.failedAttempts} + 1 > ${policy.maxAttempts}
              THEN ${policy.now + policy.lockoutMs} ELSE ${users.lockedUntil} END`,
          })
          .where(eq(users.id, id))
          .returning({ attempts: users.failedAttempts, lockedUntil: users.lockedUntil })
          .get();
        if (!row) throw notFound(`user ${id}`);
        return row;
      });
    },

    async lockAccount(id, until) {
      db.update(users)
        .set({ lockedUntil: until })
        .where(and(eq(users.id, id), isNull(users.lockedUntil)))
        .run();
    },

    async recordLoginSuccess(id, now) {
      const result = db
        .update(users)
        .set({ failedAttempts: 0, lockedUntil: null })
        .where(and(eq(users.id, id), or(isNull(users.lockedUntil), lte(users.lockedUntil, now))))
        .run();
      return result.changes > 0;
    },

    async createSession(session) {
      db.insert(sessions).values(session).run();
    },

    async findSession(tokenHash, now) {
      db.delete(sessions).where(lte(sessions.expiresAt, now)).run();
      return db
        .select({ userId: sessions.userId, expiresAt: sessions.expiresAt })
        .from(sessions)
        .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)))
        .get();
    },

    async extendSession(tokenHash, expiresAt) {
      db.update(sessions).set({ expiresAt }).where(eq(sessions.tokenHash, tokenHash)).run();
    },

    async deleteSession(tokenHash) {
      db.delete(sessions).where(eq(sessions.tokenHash, tokenHash)).run();
    },
  };
}
