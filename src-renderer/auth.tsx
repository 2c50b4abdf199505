import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import type { AuthStatus, SignedIn } from '../src-shared/contract/channels';
import { meets } from '../src-shared/contract/define';
import type { Requirement } from '../src-shared/contract/define';
import type { Access, Screen } from '../src-shared/domain/permissions';
import { onForbidden, useClient, useConnection } from './context';
import { sessionToken } from './session-token';

interface AuthState {
  readonly status: AuthStatus | null;
  /** Hides the screen until the password is typed again. */
  readonly lock: () => void;
  /** Asks main again who is logged in on this connection (after login, logout, a refused call). */
  readonly refresh: () => Promise<void>;
  /** A login (or setup, or password change) succeeded: keep its token and show the user's screens. */
  readonly signedIn: (answer: SignedIn) => void;
  readonly signOut: () => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const { generation } = useConnection();
  const [status, setStatus] = useState<AuthStatus | null>(null);
  const refresh = useCallback(async () => setStatus(await client.call('auth.status', {})), [client]);
  // Again after every reconnection: the session was taken back (or not) by the connection's handshake.
  useEffect(() => {
    void refresh();
  }, [refresh, generation]);
  const signedIn = useCallback((answer: SignedIn) => {
    sessionToken.set(answer.resumeToken);
    setStatus((s) => (s ? { ...s, needsSetup: false, user: answer.user, locked: false } : s));
  }, []);
  const signOut = useCallback(async () => {
    sessionToken.clear();
    await client.call('auth.logout', {});
    await refresh();
  }, [client, refresh]);
  const lock = useCallback(() => setStatus((s) => (s ? { ...s, locked: true } : s)), []);
  // A call main refused (logged out elsewhere, idle-locked by main's clock): ask main where we stand.
  useEffect(() => onForbidden(() => void refresh()), [refresh]);
  // Someone changed this user (rights, areas, deactivated, password reset): main says so at once.
  useEffect(
    () =>
      client.on('auth.changed', ({ signedOut }) => {
        if (signedOut) sessionToken.lost();
        void refresh();
      }),
    [client, refresh],
  );
  return <AuthContext.Provider value={{ status, refresh, signedIn, signOut, lock }}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}

/** Whether the logged-in user may make calls that need `requirement`: the same rule main applies. */
export function useAllowed(): (requirement: Requirement) => boolean {
  const user = useAuth().status?.user ?? null;
  return (requirement) => meets(user, requirement);
}

/** Whether the logged-in user may use a screen: the UI hides what main would refuse anyway. */
export function useCan(): (screen: Screen, access?: Access) => boolean {
  const allowed = useAllowed();
  return (screen, access = 'view') => allowed({ screen, access });
}

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'pointermove'] as const;

/**
 * Idle lock on the renderer's side: after `minutes` without keyboard or mouse
 * the screen is hidden. Main keeps its own clock of the same activity (sent at
 * most every 30 s) and refuses calls once idle, so a hidden screen is also a
 * closed door.
 */
export function useIdleLock(minutes: number, onLock: () => void): void {
  const client = useClient();
  useEffect(() => {
    if (minutes <= 0) return;
    let timer = window.setTimeout(onLock, minutes * 60_000);
    let lastReported = 0;
    const activity = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(onLock, minutes * 60_000);
      if (Date.now() - lastReported > 30_000) {
        lastReported = Date.now();
        client.call('auth.activity', {}).catch(() => onLock());
      }
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, activity, { passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, activity);
    };
  }, [client, minutes, onLock]);
}
