import { createHash, randomBytes } from 'node:crypto';
import type { AuditReason } from '../../../src-shared/domain/audit';
import { missingPasswordRules } from '../../../src-shared/domain/password';
import { fullGrid } from '../../../src-shared/domain/permissions';
import type { User } from '../../../src-shared/domain/users';
import { subjectOf } from '../audit';
import type { Auditor } from '../audit';
import type { Connection } from '../contract/connection';
import type { Session } from '../contract/session';
import { DomainError } from '../errors';
import type { Clock, Logger } from '../runtime';
import type { LoginAttempt, Store } from '../store/port';
import { DEFAULT_LOCKOUT, UnknownNameLockout } from './lockout';
import type { LockoutPolicy } from './lockout';
import { hashPassword, needsRehash, verifyPassword } from './passwords';
import { DEFAULT_THROTTLE, LoginThrottle } from './throttle';
import type { LoginFlood, ThrottleLimits } from './throttle';

export type LoginOutcome =
  | { readonly ok: true; readonly user: User; readonly session: Session }
  /** `invalid` covers an unknown user and a wrong password alike, so usernames cannot be probed. */
  | {
      readonly ok: false;
      readonly reason: 'invalid' | 'locked' | 'inactive' | 'rate_limited';
      readonly lockedUntil?: number;
      readonly retryAfterMs?: number;
    };

/** How passwords are hashed and checked; injected so a test can count the work each answer costs. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, encoded: string): Promise<boolean>;
}

export const scryptHasher: PasswordHasher = { hash: hashPassword, verify: verifyPassword };

/** A resumable session lasts this long after its last use; live connections keep theirs fresh. */
export const SESSION_TTL_MS = 12 * 3_600_000;

/** Usernames are compared case-insensitively: 'Operador' and 'operador' are one account. */
export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

export function weakPassword(password: string): DomainError | null {
  const missing = missingPasswordRules(password);
  return missing.length === 0
    ? null
    : new DomainError('validation', `password does not meet the policy (missing: ${missing.join(', ')})`, {
        password: { key: 'weak_password', params: { missing: missing.join(', ') } },
      });
}

export function sessionOf(user: User): Session {
  return {
    userId: user.id,
    username: user.username,
    isAdmin: user.isAdmin,
    // An administrator holds every permission whatever the grid says.
    permissions: user.isAdmin ? fullGrid() : user.permissions,
    allowedAreaIds: user.isAdmin ? null : user.allowedAreaIds,
    mustChangePassword: user.mustChangePassword,
  };
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export interface AuthServiceOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly auditor: Auditor;
  readonly lockout?: () => LockoutPolicy;
  readonly throttle?: ThrottleLimits;
  readonly hasher?: PasswordHasher;
  readonly logger: Logger;
}

/**
 * Accounts and logins. Every checked attempt lands in the audit log (the
 * password never does); attempts refused by the rate limit land there as one
 * entry per flood. An unknown username costs the same work and gets the same
 * answers as a wrong password, locks included.
 */
export class AuthService {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly auditor: Auditor;
  private readonly lockout: () => LockoutPolicy;
  private readonly hasher: PasswordHasher;
  private readonly unknownNames = new UnknownNameLockout();
  readonly throttle: LoginThrottle;
  /** A hash of nothing, checked against for unknown usernames: made once, with today's parameters. */
  private dummyHash: Promise<string> | null = null;
  private readonly floodWrites = new Set<Promise<void>>();
  private readonly logger: Logger;

  constructor(options: AuthServiceOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.auditor = options.auditor;
    this.lockout = options.lockout ?? (() => DEFAULT_LOCKOUT);
    this.hasher = options.hasher ?? scryptHasher;
    this.logger = options.logger;
    this.throttle = new LoginThrottle(options.clock, options.throttle ?? DEFAULT_THROTTLE, (flood) =>
      this.auditFlood(flood),
    );
  }

  hash(password: string): Promise<string> {
    return this.hasher.hash(password);
  }

  verify(password: string, encoded: string): Promise<boolean> {
    return this.hasher.verify(password, encoded);
  }

  async needsSetup(): Promise<boolean> {
    return (await this.store.countUsers()) === 0;
  }

  /** Creates the first administrator; refused once any user exists. No default password exists anywhere. */
  async setupFirstAdministrator(input: { username: string; displayName: string; password: string }): Promise<User> {
    if (!(await this.needsSetup())) {
      throw new DomainError('conflict', 'the first administrator already exists', { _: { key: 'setup_done' } });
    }
    const weak = weakPassword(input.password);
    if (weak) throw weak;
    const username = normaliseUsername(input.username);
    return this.store.createUser(
      {
        username,
        displayName: input.displayName.trim(),
        isAdmin: true,
        active: true,
        permissions: fullGrid(),
        allowedAreaIds: null,
        passwordHash: await this.hasher.hash(input.password),
        mustChangePassword: false,
      },
      this.auditor.change({ userId: null, username }, 'session.setup', subjectOf.user),
    );
  }

  /** A login from one connection: rate-limited first, then counted, then checked. */
  async login(username: string, password: string, from: Connection): Promise<LoginOutcome> {
    const name = normaliseUsername(username);
    const pass = this.throttle.acquire(from, from.remoteAddress, name);
    if (!pass.ok) return { ok: false, reason: 'rate_limited', retryAfterMs: pass.retryAfterMs };
    const outcome = await this.check(name, password);
    if (outcome.ok) pass.release();
    return outcome;
  }

  private async check(name: string, password: string): Promise<LoginOutcome> {
    const now = this.clock.now();
    const policy = this.lockout();
    const limits = { now, maxAttempts: policy.maxFailedLogins, lockoutMs: policy.lockoutMs };
    const account = await this.store.getUserCredentials(name);
    const actor = { userId: account?.id ?? null, username: name };
    const subject = account ? subjectOf.user(account) : { entityId: null, label: name, areaId: null };
    const fail = async (reason: AuditReason, outcome: LoginOutcome): Promise<LoginOutcome> => {
      await this.auditor.append(actor, { action: 'session.login', subject, outcome: 'failure', reason });
      return outcome;
    };

    // Counted before the password is checked, so parallel guesses cannot all be checked.
    const attempt: LoginAttempt = account
      ? await this.store.countLoginAttempt(account.id, limits)
      : this.unknownNames.count(name, now, policy);
    // The same hashing work whatever the account: none, locked, or real.
    const right = await this.hasher.verify(password, account?.passwordHash ?? (await this.dummy()));
    if (attempt.lockedUntil !== null && attempt.lockedUntil > now) {
      return fail(account ? 'locked' : 'unknown_user', {
        ok: false,
        reason: 'locked',
        lockedUntil: attempt.lockedUntil,
      });
    }
    if (!account || !right) {
      if (attempt.attempts >= policy.maxFailedLogins) {
        const until = now + policy.lockoutMs;
        if (account) await this.store.lockAccount(account.id, until);
        else this.unknownNames.lock(name, until);
        return fail(account ? 'locked_now' : 'unknown_user', { ok: false, reason: 'locked', lockedUntil: until });
      }
      return fail(account ? 'wrong_password' : 'unknown_user', { ok: false, reason: 'invalid' });
    }
    if (!account.active) return fail('inactive', { ok: false, reason: 'inactive' });
    if (!(await this.store.recordLoginSuccess(account.id, now))) {
      // A parallel attempt locked the account while this one was being checked.
      const lockedUntil = (await this.store.getUser(account.id))?.lockedUntil ?? now + policy.lockoutMs;
      return fail('locked', { ok: false, reason: 'locked', lockedUntil });
    }
    if (needsRehash(account.passwordHash)) {
      await this.store.setPasswordHash(
        account.id,
        {
          passwordHash: await this.hasher.hash(password),
          mustChangePassword: account.mustChangePassword,
          revokeSessions: false,
        },
        null,
      );
    }
    await this.auditor.append(actor, { action: 'session.login', subject });
    const user = (await this.store.getUser(account.id))!;
    return { ok: true, user, session: sessionOf(user) };
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= this.hasher.hash(randomBytes(16).toString('base64'));
    return this.dummyHash;
  }

  /** Starts a resumable session for a connection that just logged in, and returns its token (shown once). */
  async startSession(user: User, connection: Connection): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const hash = tokenHash(token);
    await this.store.createSession({
      userId: user.id,
      tokenHash: hash,
      createdAt: now,
      expiresAt: now + SESSION_TTL_MS,
    });
    if (connection.resumeTokenHash) await this.store.deleteSession(connection.resumeTokenHash);
    connection.signIn(sessionOf(user), now);
    connection.resumeTokenHash = hash;
    return token;
  }

  /** Takes a session back on a new connection; null when the token is unknown, expired or its user inactive. */
  async resume(token: string, connection: Connection): Promise<User | null> {
    const now = this.clock.now();
    const hash = tokenHash(token);
    const stored = await this.store.findSession(hash, now);
    const user = stored && (await this.store.getUser(stored.userId));
    if (!user?.active) {
      if (stored) await this.store.deleteSession(hash);
      return null;
    }
    await this.store.extendSession(hash, now + SESSION_TTL_MS);
    connection.signIn(sessionOf(user), now);
    connection.resumeTokenHash = hash;
    return user;
  }

  /** Keeps the tokens of live connections from expiring (a wall display may stay connected for weeks). */
  async keepAlive(connections: Iterable<Connection>): Promise<void> {
    const expiresAt = this.clock.now() + SESSION_TTL_MS;
    for (const connection of connections) {
      if (connection.session && connection.resumeTokenHash) {
        await this.store.extendSession(connection.resumeTokenHash, expiresAt);
      }
    }
  }

  async endSession(connection: Connection): Promise<void> {
    if (connection.resumeTokenHash) await this.store.deleteSession(connection.resumeTokenHash);
    connection.signOut();
  }

  /** Writes the floods that have gone quiet (all of them when stopping) and waits for the writes. */
  async flushFloods(force = false): Promise<void> {
    this.throttle.endQuietFloods(this.clock.now(), force);
    await Promise.all([...this.floodWrites]);
  }

  private auditFlood(flood: LoginFlood): void {
    this.logger.warn(
      `${flood.refused} login attempts from ${flood.address} were refused by the rate limit (usernames: ${flood.usernames.join(', ')})`,
    );
    const write = this.auditor
      .append(null, {
        action: 'session.rate_limited',
        subject: { entityId: null, label: flood.address, areaId: null },
        outcome: 'failure',
        reason: 'rate_limited',
        after: flood,
      })
      .catch((error: unknown) => this.logger.error('the audit entry of a login flood could not be written', error))
      .finally(() => this.floodWrites.delete(write));
    this.floodWrites.add(write);
  }
}
