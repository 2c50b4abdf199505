import { missingPasswordRules } from '../../../src-shared/domain/password';
import { fullGrid } from '../../../src-shared/domain/permissions';
import type { User } from '../../../src-shared/domain/users';
import { DomainError } from '../errors';
import type { Session } from '../contract/session';
import type { Clock } from '../runtime';
import type { Store } from '../store/port';
import { hashPassword, needsRehash, verifyPassword } from './passwords';

export interface LockoutPolicy {
  /** Failed logins in a row that lock the account (DESIGN.md §9; a setting). */
  readonly maxFailedLogins: number;
  readonly lockoutMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailedLogins: 5, lockoutMs: 15 * 60_000 };

export type LoginOutcome =
  | { readonly ok: true; readonly user: User; readonly session: Session }
  /** `invalid` covers an unknown user and a wrong password alike, so usernames cannot be probed. */
  | { readonly ok: false; readonly reason: 'invalid' | 'locked' | 'inactive'; readonly lockedUntil?: number };

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

/**
 * Accounts and logins. Every attempt, good or bad, lands in the audit log;
 * the password itself never does.
 */
export class AuthService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly lockout: () => LockoutPolicy = () => DEFAULT_LOCKOUT,
  ) {}

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
    const user = await this.store.createUser({
      username: normaliseUsername(input.username),
      displayName: input.displayName.trim(),
      isAdmin: true,
      active: true,
      permissions: fullGrid(),
      allowedAreaIds: null,
      passwordHash: await hashPassword(input.password),
      mustChangePassword: false,
    });
    await this.audit(user, 'setup', 'success', null, JSON.stringify({ username: user.username, isAdmin: true }));
    return user;
  }

  async login(username: string, password: string): Promise<LoginOutcome> {
    const now = this.clock.now();
    const account = await this.store.getUserCredentials(normaliseUsername(username));
    if (!account) {
      // Spend the same time as a real check, so a missing account does not answer faster.
      await verifyPassword(password, await hashPassword('not-a-user'));
      await this.store.appendAudit(entry(null, normaliseUsername(username), now, 'login', 'failure', 'unknown user'));
      return { ok: false, reason: 'invalid' };
    }
    if (account.lockedUntil !== null && account.lockedUntil > now) {
      await this.audit(account, 'login', 'failure', null, JSON.stringify({ reason: 'locked' }));
      return { ok: false, reason: 'locked', lockedUntil: account.lockedUntil };
    }
    if (!(await verifyPassword(password, account.passwordHash))) {
      const policy = this.lockout();
      const lockNow = account.failedAttempts + 1 >= policy.maxFailedLogins;
      const lockedUntil = lockNow ? now + policy.lockoutMs : null;
      await this.store.recordLoginFailure(account.id, lockedUntil);
      await this.audit(
        account,
        'login',
        'failure',
        null,
        JSON.stringify({ reason: lockNow ? 'locked now' : 'wrong password' }),
      );
      return lockNow ? { ok: false, reason: 'locked', lockedUntil: lockedUntil! } : { ok: false, reason: 'invalid' };
    }
    if (!account.active) {
      await this.audit(account, 'login', 'failure', null, JSON.stringify({ reason: 'inactive' }));
      return { ok: false, reason: 'inactive' };
    }
    await this.store.recordLoginSuccess(account.id);
    if (needsRehash(account.passwordHash)) {
      await this.store.setPasswordHash(account.id, await hashPassword(password), account.mustChangePassword);
    }
    await this.audit(account, 'login', 'success', null, null);
    const user = (await this.store.getUser(account.id))!;
    return { ok: true, user, session: sessionOf(user) };
  }

  private audit(
    user: User,
    action: string,
    outcome: 'success' | 'failure',
    before: string | null,
    after: string | null,
  ) {
    return this.store.appendAudit({
      ...entry(user.id, user.username, this.clock.now(), action, outcome, null),
      before,
      after,
    });
  }
}

function entry(
  userId: number | null,
  username: string,
  at: number,
  action: string,
  outcome: 'success' | 'failure',
  note: string | null,
) {
  return {
    at,
    userId,
    username,
    action,
    entity: 'session',
    entityId: userId === null ? null : String(userId),
    outcome,
    before: null,
    after: note === null ? null : JSON.stringify({ reason: note }),
  };
}
