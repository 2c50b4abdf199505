import type { LoginAttempt } from '../store/port';

export interface LockoutPolicy {
  /** Failed logins in a row that lock the account (DESIGN.md §9; a setting). */
  readonly maxFailedLogins: number;
  readonly lockoutMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailedLogins: 5, lockoutMs: 15 * 60_000 };

const REMEMBERED_NAMES = 10_000;

/**
 * Attempt counts for usernames that have no account, kept in memory by the
 * same rule the store applies to real accounts (`countLoginAttempt`): so an
 * unknown name gets locked after as many failures as a real one, and the
 * answers cannot tell the two apart. The oldest names are forgotten first.
 */
export class UnknownNameLockout {
  private readonly names = new Map<string, { attempts: number; lockedUntil: number | null }>();

  count(username: string, now: number, policy: LockoutPolicy): LoginAttempt {
    let entry = this.names.get(username) ?? { attempts: 0, lockedUntil: null };
    if (entry.lockedUntil !== null && entry.lockedUntil <= now) entry = { attempts: 0, lockedUntil: null };
    entry.attempts++;
    if (entry.lockedUntil === null && entry.attempts > policy.maxFailedLogins)
      entry.lockedUntil = now + policy.lockoutMs;
    // Re-inserted, so the map's order is least recently tried first.
    this.names.delete(username);
    this.names.set(username, entry);
    if (this.names.size > REMEMBERED_NAMES) this.names.delete(this.names.keys().next().value!);
    return { ...entry };
  }

  lock(username: string, until: number): void {
    const entry = this.names.get(username);
    if (entry && entry.lockedUntil === null) entry.lockedUntil = until;
  }
}
