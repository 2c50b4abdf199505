import { and, asc, count, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { SCREENS } from '../../../../src-shared/domain/permissions';
import type { PermissionGrid, Screen } from '../../../../src-shared/domain/permissions';
import type { User } from '../../../../src-shared/domain/users';
import { conflict, notFound } from '../../errors';
import type { Clock } from '../../runtime';
import type { AccountStore } from '../port';
import { writeAudit } from './audit';
import type { MsDb } from './connection';
import { affected, inTransaction, onDuplicate } from './connection';
import type { MssqlHandle } from './handle';
import { sessions, userAreas, userPermissions, users } from './schema';

const duplicateUsername = () => conflict('a user with this username already exists', 'username', 'duplicate_username');

/** Replaces a user's permission rows and allowed areas; no area rows means every area. */
async function writeGrants(
  db: MsDb,
  userId: number,
  permissions: PermissionGrid,
  allowedAreaIds: readonly number[] | null,
): Promise<void> {
  await db.delete(userPermissions).where(eq(userPermissions.userId, userId));
  await db.insert(userPermissions).values(
    SCREENS.map((screen) => ({
      userId,
      screen,
      canView: permissions[screen].view,
      canEdit: permissions[screen].edit,
    })),
  );
  await db.delete(userAreas).where(eq(userAreas.userId, userId));
  if (allowedAreaIds && allowedAreaIds.length > 0) {
    await db.insert(userAreas).values(allowedAreaIds.map((areaId) => ({ userId, areaId })));
  }
}

async function loadUsers(db: MsDb, where?: SQL): Promise<User[]> {
  const rows = await db.select().from(users).where(where).orderBy(asc(users.username));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const grants = await db.select().from(userPermissions).where(inArray(userPermissions.userId, ids));
  const areaRows = await db.select().from(userAreas).where(inArray(userAreas.userId, ids));
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
}

export function msAccounts({ pool, db: base }: MssqlHandle, clock: Clock): AccountStore {
  const getUser = async (db: MsDb, id: number) => (await loadUsers(db, eq(users.id, id)))[0];
  return {
    async countUsers() {
      return (await base.select({ n: count() }).from(users))[0]?.n ?? 0;
    },

    createUser(fields, audit) {
      const now = clock.now();
      return onDuplicate(
        () =>
          inTransaction(pool, async ({ db }) => {
            const [row] = await db.insert(users).output({ id: users.id }).values({
              username: fields.username,
              displayName: fields.displayName,
              passwordHash: fields.passwordHash,
              isAdmin: fields.isAdmin,
              active: fields.active,
              mustChangePassword: fields.mustChangePassword,
              failedAttempts: 0,
              createdAt: now,
              updatedAt: now,
            });
            await writeGrants(db, row!.id, fields.permissions, fields.allowedAreaIds);
            const after = (await getUser(db, row!.id))!;
            await writeAudit(db, audit({ before: null, after }));
            return after;
          }),
        duplicateUsername,
      );
    },

    getUser: (id) => getUser(base, id),

    async getUserCredentials(username) {
      const [row] = await base
        .select({ id: users.id, passwordHash: users.passwordHash })
        .from(users)
        .where(eq(users.username, username));
      const user = row && (await getUser(base, row.id));
      return user && row ? { ...user, passwordHash: row.passwordHash } : undefined;
    },

    listUsers: () => loadUsers(base),

    updateUser(id, fields, audit, revokeSessions) {
      return onDuplicate(
        () =>
          inTransaction(pool, async ({ db }) => {
            const before = await getUser(db, id);
            if (!before) throw notFound(`user ${id}`);
            await db
              .update(users)
              .set({
                username: fields.username,
                displayName: fields.displayName,
                isAdmin: fields.isAdmin,
                active: fields.active,
                updatedAt: clock.now(),
              })
              .where(eq(users.id, id));
            await writeGrants(db, id, fields.permissions, fields.allowedAreaIds);
            if (revokeSessions) await db.delete(sessions).where(eq(sessions.userId, id));
            const after = (await getUser(db, id))!;
            await writeAudit(db, audit({ before, after }));
            return after;
          }),
        duplicateUsername,
      );
    },

    async setPasswordHash(id, change, audit) {
      await inTransaction(pool, async ({ db }) => {
        const before = await getUser(db, id);
        if (!before) throw notFound(`user ${id}`);
        await db
          .update(users)
          .set({
            passwordHash: change.passwordHash,
            mustChangePassword: change.mustChangePassword,
            updatedAt: clock.now(),
          })
          .where(eq(users.id, id));
        if (change.revokeSessions) await db.delete(sessions).where(eq(sessions.userId, id));
        if (audit) await writeAudit(db, audit({ before, after: (await getUser(db, id))! }));
      });
    },

    countLoginAttempt(id, policy) {
      // The count and the lock it may cause in one statement, then read back in the same transaction: the
      // row stays locked by this update until commit, so what is read is this attempt's own count. (Reading
      // it through OUTPUT would do on SQL Server; the Babelfish stand-in reports stale values there when
      // attempts run at once, so the contract test would not hold on it.)
      return inTransaction(pool, async ({ db }) => {
        const counted = await db.execute(sql`
          UPDATE ${users} SET
            ${users.failedAttempts} = CASE WHEN ${users.lockedUntil} <= ${policy.now} THEN 1 ELSE ${users.failedAttempts} + 1 END,
            ${users.lockedUntil} = CASE
              WHEN ${users.lockedUntil} <= ${policy.now} THEN NULL
              WHEN ${users.lockedUntil} IS NULL AND ${users.failedAttempts} + 1 > ${policy.maxAttempts}
                THEN ${policy.now + policy.lockoutMs}
              ELSE ${users.lockedUntil} END
          WHERE ${users.id} = ${id}`);
        if (affected(counted) === 0) throw notFound(`user ${id}`);
        const [row] = await db
          .select({ attempts: users.failedAttempts, lockedUntil: users.lockedUntil })
          .from(users)
          .where(eq(users.id, id));
        return row!;
      });
    },

    async lockAccount(id, until) {
      await base
        .update(users)
        .set({ lockedUntil: until })
        .where(and(eq(users.id, id), isNull(users.lockedUntil)));
    },

    async recordLoginSuccess(id, now) {
      const result = await base
        .update(users)
        .set({ failedAttempts: 0, lockedUntil: null })
        .where(and(eq(users.id, id), or(isNull(users.lockedUntil), lte(users.lockedUntil, now))));
      return affected(result) > 0;
    },

    async createSession(session) {
      await base.insert(sessions).values(session);
    },

    async findSession(tokenHash, now) {
      await base.delete(sessions).where(lte(sessions.expiresAt, now));
      const [row] = await base
        .select({ userId: sessions.userId, expiresAt: sessions.expiresAt })
        .from(sessions)
        .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)));
      return row;
    },

    async extendSession(tokenHash, expiresAt) {
      await base.update(sessions).set({ expiresAt }).where(eq(sessions.tokenHash, tokenHash));
    },

    async deleteSession(tokenHash) {
      await base.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
    },
  };
}
