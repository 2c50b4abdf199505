import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import type { AuthStatus } from '../src-shared/contract/channels';
import type { Access, Screen } from '../src-shared/domain/permissions';
import { grants } from '../src-shared/domain/permissions';
import type { User } from '../src-shared/domain/users';
import { onForbidden, useClient } from './context';

interface AuthState {
  readonly status: AuthStatus | null;
  /** Hides the screen until the password is typed again. */
  readonly lock: () => void;
  /** Asks main again who is logged in on this connection (after login, logout, a refused call). */
  readonly refresh: () => Promise<void>;
  readonly signedIn: (user: User) => void;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const [status, setStatus] = useState<AuthStatus | null>(null);
  const refresh = useCallback(async () => setStatus(await client.call('auth.status', {})), [client]);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const signedIn = useCallback(
    (user: User) => setStatus((s) => (s ? { ...s, needsSetup: false, user, locked: false } : s)),
    [],
  );
  const lock = useCallback(() => setStatus((s) => (s ? { ...s, locked: true } : s)), []);
  // A call main refused (logged out elsewhere, idle-locked by main's clock): ask main where we stand.
  useEffect(() => onForbidden(() => void refresh()), [refresh]);
  return <AuthContext.Provider value={{ status, refresh, signedIn, lock }}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}

/** Whether the logged-in user may use a screen: the UI hides what main would refuse anyway. */
export function useCan(): (screen: Screen, access?: Access) => boolean {
  const user = useAuth().status?.user;
  return (screen, access = 'view') => !!user && (user.isAdmin || grants(user.permissions, { screen, access }));
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
