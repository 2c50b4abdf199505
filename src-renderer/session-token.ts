/**
 * The token a login hands this tab, kept for the tab's life (a reload keeps
 * it, closing the tab forgets it): with it the tab takes its session back
 * after the connection to the central drops, a restart of the central
 * included, instead of showing stale screens or asking for the password again.
 */
const KEY = 'vigia.resumeToken';
/** Set when a session this tab had could not be taken back, so the login screen can say why it is there. */
const ENDED = 'vigia.sessionEnded';

export const sessionToken = {
  get: (): string | null => sessionStorage.getItem(KEY),
  set: (token: string): void => {
    sessionStorage.setItem(KEY, token);
    sessionStorage.removeItem(ENDED);
  },
  /** Logged out on purpose: nothing to explain. */
  clear: (): void => sessionStorage.removeItem(KEY),
  /** Lost without the user asking: the login screen says so once. */
  lost: (): void => {
    sessionStorage.removeItem(KEY);
    sessionStorage.setItem(ENDED, '1');
  },
  consumeEnded: (): boolean => {
    const ended = sessionStorage.getItem(ENDED) === '1';
    sessionStorage.removeItem(ENDED);
    return ended;
  },
};
