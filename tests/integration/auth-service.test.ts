import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Auditor } from '../../src-main/core/audit';
import { AuthService, scryptHasher } from '../../src-main/core/auth/auth-service';
import type { PasswordHasher } from '../../src-main/core/auth/auth-service';
import { Connection } from '../../src-main/core/contract/connection';
import { DomainError } from '../../src-main/core/errors';
import { openSqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import type { SqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import { quietLogger } from '../helpers/central';
import { ManualClock } from '../helpers/clock';
import { SQLITE_MIGRATIONS, tempDir } from '../helpers/temp';

const GOOD = 'Vigia-Porto-2026';
const MINUTE = 60_000;
const GENEROUS = { perConnection: { burst: 1000, perMinute: 1000 }, perAddress: { burst: 1000, perMinute: 1000 } };

/** The real scrypt, counting every hash and every check it is asked for. */
function countingHasher(): PasswordHasher & { work: () => number; reset: () => void } {
  let work = 0;
  return {
    hash: (p) => ((work += 1), scryptHasher.hash(p)),
    verify: (p, e) => ((work += 1), scryptHasher.verify(p, e)),
    work: () => work,
    reset: () => (work = 0),
  };
}

describe('accounts and logins (real SQLite, manual clock)', () => {
  let dir: ReturnType<typeof tempDir>;
  let clock: ManualClock;
  let store: SqliteStore;
  let hasher: ReturnType<typeof countingHasher>;
  let auth: AuthService;
  const from = (address = '127.0.0.1') => new Connection(null, clock.now(), address);

  const service = (throttle = GENEROUS) =>
    new AuthService({ store, clock, auditor: new Auditor(store, clock), logger: quietLogger, hasher, throttle });

  beforeEach(() => {
    dir = tempDir();
    clock = new ManualClock();
    store = openSqliteStore({ file: join(dir.path, 'vigia.sqlite'), migrationsFolder: SQLITE_MIGRATIONS, clock });
    hasher = countingHasher();
    auth = service();
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
    const ok = await auth.login('ADMIN', GOOD, from());
    expect(ok).toMatchObject({ ok: true, session: { username: 'admin', isAdmin: true, allowedAreaIds: null } });
    expect(await auth.login('admin', 'Wrong-Pass-2026', from())).toEqual({ ok: false, reason: 'invalid' });
    expect(await auth.login('ghost', GOOD, from())).toEqual({ ok: false, reason: 'invalid' });
  });

  it('does the same hashing work for an unknown user as for a real one, locked or not', async () => {
    await auth.setupFirstAdministrator({ username: 'admin', displayName: 'Admin', password: GOOD });
    await auth.login('nobody', 'warm-up', from()); // the stand-in hash is made once
    const workOf = async (username: string) => {
      hasher.reset();
      await auth.login(username, 'Wrong-Pass-2026', from());
      return hasher.work();
    };
    const real = await workOf('admin');
    expect(real).toBe(1);
    expect(await workOf('ghost')).toBe(real);
    for (let i = 0; i < 5; i++) await auth.login('admin', 'Wrong-Pass-2026', from());
    expect(await workOf('admin')).toBe(real); // locked: still checked, so it takes as long
  });

  it('locks an unknown username after as many failures as a real one, with the same answer', async () => {
    await auth.setupFirstAdministrator({ username: 'admin', displayName: 'Admin', password: GOOD });
    const answers = async (username: string) => {
      const seen = [];
      for (let i = 1; i <= 6; i++) seen.push(await auth.login(username, `Wrong-${i}-Pass!`, from()));
      return seen;
    };
    expect(await answers('ghost')).toEqual(await answers('admin'));
    expect((await answers('ghost2')).at(-1)).toEqual({
      ok: false,
      reason: 'locked',
      lockedUntil: clock.now() + 15 * MINUTE,
    });
  });

  it('locks after 5 failures in a row for 15 minutes, even for the right password, then lets it in', async () => {
    await auth.setupFirstAdministrator({ username: 'admin', displayName: 'Admin', password: GOOD });
    for (let i = 1; i <= 4; i++)
      expect(await auth.login('admin', `Wrong-${i}-Pass!`, from())).toMatchObject({ reason: 'invalid' });
    const locked = await auth.login('admin', 'Wrong-5-Pass!', from());
    expect(locked).toEqual({ ok: false, reason: 'locked', lockedUntil: clock.now() + 15 * MINUTE });
    clock.advance(14 * MINUTE);
    expect(await auth.login('admin', GOOD, from())).toMatchObject({ ok: false, reason: 'locked' });
    clock.advance(MINUTE);
    expect(await auth.login('admin', GOOD, from())).toMatchObject({ ok: true });
    // A success clears the count: four new failures do not lock again.
    for (let i = 1; i <= 4; i++) await auth.login('admin', `Wrong-${i}-Pass!`, from());
    expect(await auth.login('admin', GOOD, from())).toMatchObject({ ok: true });
  });

  it('refuses the right password sent in a burst with thirty wrong ones, and locks the account', async () => {
    await auth.setupFirstAdministrator({ username: 'admin', displayName: 'Admin', password: GOOD });
    const attempts = Array.from({ length: 31 }, (_, i) => (i === 30 ? GOOD : `Wrong-${i}-Pass!`));
    // The right one first: it must lose all the same, since every attempt is counted before any is checked.
    attempts.unshift(attempts.pop()!);
    const outcomes = await Promise.all(attempts.map((password) => auth.login('admin', password, from())));
    expect(outcomes.filter((o) => o.ok)).toEqual([]);
    expect(outcomes[0]).toMatchObject({ ok: false, reason: 'locked' });
    expect((await store.getUser(1))?.lockedUntil).toBe(clock.now() + 15 * MINUTE);
    expect(await auth.login('admin', GOOD, from())).toMatchObject({ ok: false, reason: 'locked' });
  });

  it('writes every checked attempt to the audit log with its reason, never the password', async () => {
    await auth.setupFirstAdministrator({ username: 'admin', displayName: 'Admin', password: GOOD });
    await auth.login('admin', 'Wrong-Pass-2026!', from());
    await auth.login('admin', GOOD, from());
    await auth.login('ghost', GOOD, from());
    const log = await store.listAudit({ limit: 10 });
    expect(log.map((e) => [e.action, e.outcome, e.reason, e.username])).toEqual([
      ['session.login', 'failure', 'unknown_user', 'ghost'],
      ['session.login', 'success', null, 'admin'],
      ['session.login', 'failure', 'wrong_password', 'admin'],
      ['session.setup', 'success', null, 'admin'],
    ]);
    expect(JSON.stringify(log)).not.toContain(GOOD);
    expect(JSON.stringify(log)).not.toContain('Wrong-Pass-2026!');
  });

  it('rate-limits failed logins per connection and per address, and audits a flood once', async () => {
    auth = service({ perConnection: { burst: 5, perMinute: 6 }, perAddress: { burst: 20, perMinute: 20 } });
    await auth.setupFirstAdministrator({ username: 'admin', displayName: 'Admin', password: GOOD });
    const attacker = from('10.9.9.9');
    const flood = await Promise.all(
      Array.from({ length: 200 }, (_, i) => auth.login(`user${i}`, 'x-Wrong-1!', attacker)),
    );
    expect(flood.filter((o) => !o.ok && o.reason === 'rate_limited')).toHaveLength(195);
    expect(flood[199]).toMatchObject({ reason: 'rate_limited', retryAfterMs: 10_000 });
    // Only the five checked attempts cost a hash; a real login elsewhere goes through at once.
    expect(await auth.login('admin', GOOD, from('10.1.1.1'))).toMatchObject({ ok: true });
    // Other connections of the same address share its budget: 15 more, then refused.
    const more = await Promise.all(
      Array.from({ length: 20 }, (_, i) => auth.login(`other${i}`, 'x-Wrong-1!', from('10.9.9.9'))),
    );
    expect(more.filter((o) => !o.ok && o.reason === 'rate_limited')).toHaveLength(5);
    // A right password gives its tokens back: a mistyping person is never locked out by the limit.
    const person = from('10.2.2.2');
    for (let i = 0; i < 10; i++) expect(await auth.login('admin', GOOD, person)).toMatchObject({ ok: true });

    await auth.flushFloods();
    expect(await store.listAudit({ limit: 500, action: 'session.rate_limited' })).toEqual([]);
    clock.advance(61_000);
    await auth.flushFloods();
    const floods = await store.listAudit({ limit: 500, action: 'session.rate_limited' });
    expect(floods).toHaveLength(1);
    expect(JSON.parse(floods[0]!.after!)).toMatchObject({ address: '10.9.9.9', refused: 200 });
    // 20 checked failures at most, each audited; none of the 200 refused ones.
    expect(await store.listAudit({ limit: 500, action: 'session.login', from: 0 })).toHaveLength(20 + 11);
    clock.advance(10_000);
    expect(await auth.login('admin', GOOD, attacker)).toMatchObject({ ok: true });
  });
});
