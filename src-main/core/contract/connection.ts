import type { Session } from './session';

/**
 * One client of main: an Electron window or a WebSocket. Its session lives
 * here, in main, and changes only through the auth channels (or when its user
 * is changed by someone else); nothing the renderer sends can set or replay it.
 */
export class Connection {
  private current: Session | null;
  private lastActivityAt: number;
  /** The hash of the resume token of this connection's login, so logging out ends it too. */
  resumeTokenHash: string | null = null;

  constructor(
    initial: Session | null,
    now: number,
    /** Where the client connects from (an IP address; 'local' for an Electron window): logins are rate-limited per address. */
    readonly remoteAddress = 'local',
  ) {
    this.current = initial;
    this.lastActivityAt = now;
  }

  get session(): Session | null {
    return this.current;
  }

  signIn(session: Session, now: number): void {
    this.current = session;
    this.lastActivityAt = now;
  }

  /** The same user with changed rights: the idle clock goes on as it was. */
  replaceSession(session: Session): void {
    this.current = session;
  }

  signOut(): void {
    this.current = null;
    this.resumeTokenHash = null;
  }

  /** The operator did something (typed, clicked): the idle lock starts counting again. */
  touch(now: number): void {
    this.lastActivityAt = now;
  }

  /** Idle for longer than `idleMs` (0 never locks): the screen is hidden until the password is typed again. */
  isLocked(now: number, idleMs: number): boolean {
    return this.current !== null && idleMs > 0 && now - this.lastActivityAt > idleMs;
  }
}
