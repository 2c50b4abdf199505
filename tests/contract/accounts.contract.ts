import { describe, expect, it } from 'vitest';
import type { NewAuditEntry } from '../../src-shared/domain/audit';
import type { SuiteContext } from './harness';
import { ita, operator, rejection, snt } from './harness';

const policy = (now: number) => ({ now, maxAttempts: 3, lockoutMs: 900_000 });

export function accountsContract(get: () => SuiteContext): void {
  describe('users', () => {
    it('creates a user with its permission grid and allowed areas, audited, and never returns the hash', async () => {
      const { store, audits } = get();
      const area = await store.createArea(ita, audits.area());
      expect(await store.countUsers()).toBe(0);
      const user = await store.createUser(
        { ...operator({ allowedAreaIds: [area.id] }), passwordHash: 'scrypt$hash', mustChangePassword: true },
        audits.user(),
      );
      expect(user).toMatchObject({
        username: 'operador',
        mustChangePassword: true,
        allowedAreaIds: [area.id],
        lockedUntil: null,
      });
      expect(user.permissions.devices).toEqual({ view: true, edit: false });
      expect(user.permissions.users).toEqual({ view: false, edit: false });
      expect(JSON.stringify(user)).not.toContain('scrypt$hash');
      expect(await store.countUsers()).toBe(1);
      expect(await store.getUserCredentials('operador')).toMatchObject({ id: user.id, passwordHash: 'scrypt$hash' });
      expect(await store.getUserCredentials('ninguem')).toBeUndefined();
      const [entry] = await store.listAudit({ limit: 10, action: 'user.create' });
      expect(entry).toMatchObject({ entityLabel: 'operador', areaId: null });
      expect(JSON.stringify(entry)).not.toContain('scrypt$hash');
    });

    it('refuses a duplicate username as a conflict on that field', async () => {
      const { store, audits } = get();
      await store.createUser({ ...operator(), passwordHash: 'h', mustChangePassword: false }, audits.user());
      const error = await rejection(
        store.createUser({ ...operator(), passwordHash: 'h', mustChangePassword: false }, audits.user()),
      );
      expect(error).toMatchObject({ kind: 'conflict', fields: { username: { key: 'duplicate_username' } } });
      expect(await store.countUsers()).toBe(1);
      expect(await store.listUsers()).toHaveLength(1);
    });

    it('updates grants and areas wholesale (no areas means every area) and ends its sessions when asked', async () => {
      const { store, clock, audits } = get();
      const a = await store.createArea(ita, audits.area());
      const b = await store.createArea(snt, audits.area());
      const user = await store.createUser(
        { ...operator({ allowedAreaIds: [a.id, b.id] }), passwordHash: 'h', mustChangePassword: false },
        audits.user(),
      );
      await store.createSession({
        userId: user.id,
        tokenHash: 't1',
        createdAt: clock.now(),
        expiresAt: clock.now() + 60_000,
      });
      const updated = await store.updateUser(
        user.id,
        operator({ allowedAreaIds: [], isAdmin: true, displayName: 'Chefe' }),
        audits.user('user.update'),
        false,
      );
      expect(updated).toMatchObject({ isAdmin: true, displayName: 'Chefe', allowedAreaIds: null });
      expect(await store.findSession('t1', clock.now())).toEqual({ userId: user.id, expiresAt: clock.now() + 60_000 });
      await store.updateUser(user.id, operator({ active: false }), audits.user('user.update'), true);
      expect(await store.findSession('t1', clock.now())).toBeUndefined();
      expect((await store.listUsers()).map((u) => u.active)).toEqual([false]);
      expect((await rejection(store.updateUser(999, operator(), audits.user('user.update'), false))).kind).toBe(
        'not_found',
      );
      expect(await store.listAudit({ limit: 10, action: 'user.update' })).toHaveLength(2);
    });

    it('replaces the password hash, with or without an audit entry, and can end every session', async () => {
      const { store, clock, audits } = get();
      const user = await store.createUser(
        { ...operator(), passwordHash: 'h', mustChangePassword: false },
        audits.user(),
      );
      await store.createSession({
        userId: user.id,
        tokenHash: 't1',
        createdAt: clock.now(),
        expiresAt: clock.now() + 60_000,
      });
      await store.setPasswordHash(
        user.id,
        { passwordHash: 'rehashed', mustChangePassword: false, revokeSessions: false },
        null,
      );
      expect(await store.findSession('t1', clock.now())).toBeDefined();
      await store.setPasswordHash(
        user.id,
        { passwordHash: 'new-hash', mustChangePassword: true, revokeSessions: true },
        audits.user('user.reset_password'),
      );
      expect(await store.getUserCredentials('operador')).toMatchObject({
        passwordHash: 'new-hash',
        mustChangePassword: true,
      });
      expect(await store.findSession('t1', clock.now())).toBeUndefined();
      const entries = await store.listAudit({ limit: 10, action: 'user.reset_password' });
      expect(entries).toHaveLength(1);
      expect(JSON.stringify(entries)).not.toContain('new-hash');
      await expect(
        store.setPasswordHash(999, { passwordHash: 'x', mustChangePassword: false, revokeSessions: false }, null),
      ).rejects.toMatchObject({ kind: 'not_found' });
    });
  });

  describe('login attempts', () => {
    it('counts attempts, locks once they pass the limit, lets a lock run out, and clears the count on success', async () => {
      const { store, clock, audits } = get();
      const user = await store.createUser(
        { ...operator(), passwordHash: 'h', mustChangePassword: false },
        audits.user(),
      );
      const now = clock.now();
      expect(await store.countLoginAttempt(user.id, policy(now))).toEqual({ attempts: 1, lockedUntil: null });
      expect(await store.countLoginAttempt(user.id, policy(now))).toEqual({ attempts: 2, lockedUntil: null });
      expect(await store.recordLoginSuccess(user.id, now)).toBe(true);
      for (let i = 1; i <= 3; i++) expect((await store.countLoginAttempt(user.id, policy(now))).lockedUntil).toBeNull();
      expect(await store.countLoginAttempt(user.id, policy(now))).toEqual({ attempts: 4, lockedUntil: now + 900_000 });
      expect((await store.getUser(user.id))?.lockedUntil).toBe(now + 900_000);
      // A right password while locked changes nothing.
      expect(await store.recordLoginSuccess(user.id, now + 1000)).toBe(false);
      expect((await store.getUser(user.id))?.lockedUntil).toBe(now + 900_000);
      // When the lock has run out, counting starts again from one.
      const later = now + 900_000;
      expect(await store.countLoginAttempt(user.id, policy(later))).toEqual({ attempts: 1, lockedUntil: null });
      await store.lockAccount(user.id, later + 5000);
      expect((await store.getUser(user.id))?.lockedUntil).toBe(later + 5000);
      expect(await store.recordLoginSuccess(user.id, later + 5000)).toBe(true);
      expect((await store.getUser(user.id))?.lockedUntil).toBeNull();
    });

    it('counts thirty attempts fired at once from two connections exactly, and locks', async () => {
      const { store, clock, audits, harness } = get();
      const other = (await harness.second?.()) ?? store;
      const user = await store.createUser(
        { ...operator(), passwordHash: 'h', mustChangePassword: false },
        audits.user(),
      );
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => (i % 2 ? other : store).countLoginAttempt(user.id, policy(clock.now()))),
      );
      expect(results.map((r) => r.attempts).sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      expect(results.filter((r) => r.lockedUntil === null)).toHaveLength(3);
      expect(await store.recordLoginSuccess(user.id, clock.now())).toBe(false);
    });
  });

  describe('resumable sessions', () => {
    it('finds a session by its token hash until it expires, extends it, and deletes it', async () => {
      const { store, clock, audits } = get();
      const user = await store.createUser(
        { ...operator(), passwordHash: 'h', mustChangePassword: false },
        audits.user(),
      );
      const now = clock.now();
      await store.createSession({ userId: user.id, tokenHash: 'abc', createdAt: now, expiresAt: now + 1000 });
      expect(await store.findSession('abc', now)).toEqual({ userId: user.id, expiresAt: now + 1000 });
      expect(await store.findSession('other', now)).toBeUndefined();
      await store.extendSession('abc', now + 5000);
      expect(await store.findSession('abc', now + 2000)).toEqual({ userId: user.id, expiresAt: now + 5000 });
      expect(await store.findSession('abc', now + 5000)).toBeUndefined();
      await store.createSession({ userId: user.id, tokenHash: 'def', createdAt: now, expiresAt: now + 9000 });
      await store.deleteSession('def');
      expect(await store.findSession('def', now)).toBeUndefined();
    });
  });

  describe('audit log', () => {
    const entry = (over: Partial<NewAuditEntry>): NewAuditEntry => ({
      at: 0,
      userId: 1,
      username: 'admin',
      action: 'area.create',
      entity: 'area',
      entityId: '7',
      entityLabel: 'ITA',
      areaId: 7,
      outcome: 'success',
      reason: null,
      before: null,
      after: '{"code":"ITA"}',
      ...over,
    });

    it('appends entries and lists them newest first, filtered by time, user, entity and action', async () => {
      const { store, clock } = get();
      const t = clock.now();
      await store.appendAudit(entry({ at: t }));
      await store.appendAudit(
        entry({
          at: t + 1000,
          action: 'session.login',
          entity: 'session',
          outcome: 'failure',
          reason: 'wrong_password',
          areaId: null,
        }),
      );
      await store.appendAudit(entry({ at: t + 2000, action: 'area.update', userId: 2, username: 'op' }));
      expect((await store.listAudit({ limit: 10 })).map((e) => e.action)).toEqual([
        'area.update',
        'session.login',
        'area.create',
      ]);
      expect((await store.listAudit({ limit: 10, entity: 'area', userId: 1 })).map((e) => e.action)).toEqual([
        'area.create',
      ]);
      expect(await store.listAudit({ limit: 10, from: t + 1000, to: t + 2000 })).toMatchObject([
        { action: 'session.login', reason: 'wrong_password', outcome: 'failure' },
      ]);
      expect(await store.listAudit({ limit: 1 })).toHaveLength(1);
    });

    it('gives a scoped reader the entries of its areas only, never the global ones', async () => {
      const { store, clock } = get();
      const t = clock.now();
      await store.appendAudit(entry({ at: t, areaId: 7 }));
      await store.appendAudit(entry({ at: t + 1, areaId: 8, entityLabel: 'SNT', entityId: '8' }));
      await store.appendAudit(entry({ at: t + 2, action: 'settings.update', entity: 'settings', areaId: null }));
      expect((await store.listAudit({ limit: 10, areaIds: [7] })).map((e) => e.entityLabel)).toEqual(['ITA']);
      expect((await store.listAudit({ limit: 10, areaIds: [7, 8] })).map((e) => e.entityLabel)).toEqual(['SNT', 'ITA']);
      expect(await store.listAudit({ limit: 10 })).toHaveLength(3);
    });
  });
}
