import type { Clock } from '../runtime';

/** A token bucket: `burst` tokens, refilled at `perMinute`. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly limit: BucketLimit,
    now: number,
  ) {
    this.tokens = limit.burst;
    this.updatedAt = now;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.limit.burst, this.tokens + (elapsed * this.limit.perMinute) / 60_000);
    this.updatedAt = now;
  }

  available(now: number): boolean {
    this.refill(now);
    return this.tokens >= 1;
  }

  take(): void {
    this.tokens -= 1;
  }

  give(now: number): void {
    this.refill(now);
    this.tokens = Math.min(this.limit.burst, this.tokens + 1);
  }

  /** Milliseconds until a token is there again. */
  retryAfter(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 60_000) / this.limit.perMinute);
  }

  full(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.limit.burst;
  }
}

export interface BucketLimit {
  readonly burst: number;
  readonly perMinute: number;
}

export interface ThrottleLimits {
  readonly perConnection: BucketLimit;
  readonly perAddress: BucketLimit;
}

/**
 * Five quick tries per connection and twenty per address, then one every few
 * seconds: plenty for a person who mistyped, nothing for a script. A flood
 * from one address costs it its own logins, never anyone else's.
 */
export const DEFAULT_THROTTLE: ThrottleLimits = {
  perConnection: { burst: 5, perMinute: 6 },
  perAddress: { burst: 20, perMinute: 20 },
};

/** Attempts refused at one address, told once when they stop. */
export interface LoginFlood {
  readonly address: string;
  readonly refused: number;
  /** The first few distinct usernames tried. */
  readonly usernames: readonly string[];
  readonly firstAt: number;
  readonly lastAt: number;
}

/** A flood is over once nothing more was refused at its address for this long. */
const FLOOD_QUIET_MS = 60_000;
const FLOOD_USERNAMES = 5;

export type ThrottlePass =
  { readonly ok: true; release(): void } | { readonly ok: false; readonly retryAfterMs: number };

/**
 * Rate limit of failed logins, per connection and per remote address (DESIGN
 * §9). A token is taken from both buckets before the password is checked,
 * so a burst of pipelined guesses is cut at once rather than after hashing
 * them all, and given back when the login succeeds. Refused attempts cost no
 * hashing and no audit entry each: `onFlood` hears of each flood once.
 */
export class LoginThrottle {
  private readonly byConnection = new WeakMap<object, TokenBucket>();
  private readonly byAddress = new Map<string, TokenBucket>();
  private readonly floods = new Map<
    string,
    { refused: number; usernames: Set<string>; firstAt: number; lastAt: number }
  >();

  constructor(
    private readonly clock: Clock,
    private readonly limits: ThrottleLimits,
    private readonly onFlood: (flood: LoginFlood) => void,
  ) {}

  acquire(connection: object, address: string, username: string): ThrottlePass {
    const now = this.clock.now();
    this.endQuietFloods(now);
    const mine = this.bucket(this.byConnection.get(connection), this.limits.perConnection, now, (b) =>
      this.byConnection.set(connection, b),
    );
    const theirs = this.bucket(this.byAddress.get(address), this.limits.perAddress, now, (b) =>
      this.byAddress.set(address, b),
    );
    if (!mine.available(now) || !theirs.available(now)) {
      this.noteRefusal(address, username, now);
      return { ok: false, retryAfterMs: Math.max(mine.retryAfter(now), theirs.retryAfter(now)) };
    }
    mine.take();
    theirs.take();
    return {
      ok: true,
      release: () => {
        const at = this.clock.now();
        mine.give(at);
        theirs.give(at);
      },
    };
  }

  /** Reports floods that have gone quiet (all of them with `force`, at shutdown) and forgets full buckets. */
  endQuietFloods(now = this.clock.now(), force = false): void {
    for (const [address, flood] of this.floods) {
      if (!force && now - flood.lastAt < FLOOD_QUIET_MS) continue;
      this.floods.delete(address);
      this.onFlood({
        address,
        refused: flood.refused,
        usernames: [...flood.usernames],
        firstAt: flood.firstAt,
        lastAt: flood.lastAt,
      });
    }
    for (const [address, bucket] of this.byAddress) if (bucket.full(now)) this.byAddress.delete(address);
  }

  private bucket(
    existing: TokenBucket | undefined,
    limit: BucketLimit,
    now: number,
    keep: (bucket: TokenBucket) => void,
  ): TokenBucket {
    if (existing) return existing;
    const bucket = new TokenBucket(limit, now);
    keep(bucket);
    return bucket;
  }

  private noteRefusal(address: string, username: string, now: number): void {
    const flood = this.floods.get(address) ?? { refused: 0, usernames: new Set<string>(), firstAt: now, lastAt: now };
    flood.refused++;
    flood.lastAt = now;
    if (flood.usernames.size < FLOOD_USERNAMES) flood.usernames.add(username);
    this.floods.set(address, flood);
  }
}
