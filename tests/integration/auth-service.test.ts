import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthService } from '../../src-main/core/auth/auth-service';
import { DomainError } from '../../src-main/core/errors';
import { openSqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import type { SqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import { ManualClock } from '../helpers/clock';
import { SQLITE_MIGRATIONS, tempDir } from '../helpers/temp';

const GOOD = 'Vigia-Porto-2026';
const MINUTE = 60_000;

describe('accounts and logins (real SQLite, manual clock)', () => {
  let dir: ReturnType<typeof tempDir>;
  let clock: ManualClock;
  let store: SqliteStore;
  let auth: AuthService;

  beforeEach(() => {
    dir = tempDir();
    clock = new ManualClock();
    store = openSqliteStore({ file: join(dir.path, 'vigia.sqlite'), migrationsFolder: SQLITE_MIGRATIONS, clock });
    auth = new AuthService(store, clock);
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it('creates the first administrator once, with a password that meets the policy', async () => {
    expect(await auth.needsSetup()).toBe(true);
    const weak = await auth
      .setupFirstAdministrator({ username: 'admin', displayName: 'Admin', password: 'curta' })
      .catch((e: unknown) => e);
    expect(weak).toBeInstanceOf(DomainError);
    expect((weak as DomainError).fields).toEqual({
      password: { key: 'weak_password', params: { missing: 'length, upper, digit, symbol' } },
    });
    expect(await auth.needsSetup()).toBe(true);

    const admin = await auth.setupFirstAdministrator({ username: ' Admin ', displayName: 'Chefe', password: GOOD });
    expect(admin).toMatchObject({ username: 'admin', isAdmin: true });
    expect(await auth.needsSetup()).toBe(false);
    const again = await auth
      .setupFirstAdministrator({ username: 'outro', displayName: 'x', password: GOOD })
      .catch((e: unknown) => e);
    expect((again as DomainError).kind).toBe('conflict');
    expect(await store.countUsers()).toBe(1);
  });

  it('logs in case-insensitively, and answers alike for an unknown user and a wrong password', async () => {
    await auth.setupFirstAdministrator({ username: 'admin', displayName: 'Admin', password: GOOD });
    const ok = await auth.login('ADMIN', GOOD);
    expect(ok).toMatchObject({ ok: true, session: { username: 'admin', isAdmin: true, allowedAreaIds: null } });
    expect(await auth.login('admin', 'Wrong-Pass-2026')).toEqual({ ok: false, reason: 'invalid' });
    expect(await auth.login('ghost', GOOD)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('locks after 5 failures in a row for 15 minutes, even for the right password, then lets it in', async () => {
    await auth.setupFirstAdministrator({ username: 'admin', displayName: 'Admin', password: GOOD });
    for (let i = 1; i <= 4; i++)
      expect(await auth.login('admin', `Wrong-${i}-Pass!`)).toMatchObject({ reason: 'invalid' });
    const locked = await auth.login('admin', 'Wrong-5-Pass!');
    expect(locked).toEqual({ ok: false, reason: 'locked', lockedUntil: clock.now() + 15 * MINUTE });
    clock.advance(14 * MINUTE);
    expect(await auth.login('admin', GOOD)).toMatchObject({ ok: false, reason: 'locked' });
    clock.advance(MINUTE);
    expect(await auth.login('admin', GOOD)).toMatchObject({ ok: true });
    // A success clears the count: four new failures do not lock again.
    for (let i = 1; i <= 4; i++) await auth.login('admin', `Wrong-${i}-Pass!`);
    expect(await auth.login('admin', GOOD)).toMatchObject({ ok: true });
  });

  it('writes every attempt to the audit log, never the password', async () => {
    await auth.setupFirstAdministrator({ username: 'admin', displayName: 'Admin', password: GOOD });
    await auth.login('admin', 'Wrong-Pass-2026!');
    await auth.login('admin', GOOD);
    await auth.login('ghost', GOOD);
    const log = await store.listAudit({ limit: 10 });
    expect(log.map((e) => [e.action, e.outcome, e.username])).toEqual([
      ['login', 'failure', 'ghost'],
      ['login', 'success', 'admin'],
      ['login', 'failure', 'admin'],
      ['setup', 'success', 'admin'],
    ]);
    expect(JSON.stringify(log)).not.toContain(GOOD);
    expect(JSON.stringify(log)).not.toContain('Wrong-Pass-2026!');
  });
});
