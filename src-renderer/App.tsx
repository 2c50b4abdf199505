import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectionState } from '../src-shared/contract/websocket-client';
import type { Connection } from './api';
import { changeLanguage, LANGUAGES } from './i18n';
import type { LanguageCode } from './i18n';
import { AuthProvider, useAuth, useCan, useIdleLock } from './auth';
import { useClient } from './context';
import { AreasScreen } from './screens/AreasScreen';
import { AuditScreen } from './screens/AuditScreen';
import { ChangePasswordScreen, LockScreen, LoginScreen, SetupScreen } from './screens/AuthScreens';
import { ExportsScreen } from './screens/ExportsScreen';
import { HistoryScreen } from './screens/HistoryScreen';
import { MaintenanceScreen } from './screens/MaintenanceScreen';
import { PendingShutdownsBadge, ShutdownsScreen } from './screens/ShutdownsScreen';
import { UsersScreen } from './screens/UsersScreen';
import { DashboardScreen } from './screens/DashboardScreen';
import { DeviceDetailScreen } from './screens/DeviceDetailScreen';
import { DevicesScreen } from './screens/DevicesScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { applyTheme, initialTheme } from './theme';
import type { Theme } from './theme';

/** Each screen and the permission screen that guards it; the order is the menu's. */
const ROUTES = {
  dashboard: { component: DashboardScreen, screen: 'dashboard' },
  devices: { component: DevicesScreen, screen: 'devices' },
  areas: { component: AreasScreen, screen: 'areas' },
  maintenance: { component: MaintenanceScreen, screen: 'maintenance' },
  shutdowns: { component: ShutdownsScreen, screen: 'shutdowns' },
  history: { component: HistoryScreen, screen: 'history' },
  exports: { component: ExportsScreen, screen: 'exports' },
  users: { component: UsersScreen, screen: 'users' },
  audit: { component: AuditScreen, screen: 'users' },
  settings: { component: SettingsScreen, screen: 'settings' },
} as const;
type RouteName = keyof typeof ROUTES;
interface Route {
  readonly name: RouteName;
  /** Set for a device's own page: #/devices/12. */
  readonly deviceId?: number;
  /** #/password: the user's own password change. */
  readonly password?: boolean;
}

function routeFromHash(): Route {
  const [name = '', id] = location.hash.replace(/^#\/?/, '').split('/');
  if (name === 'devices' && id && /^\d+$/.test(id)) return { name: 'devices', deviceId: Number(id) };
  if (name === 'password') return { name: 'dashboard', password: true };
  return { name: name in ROUTES ? (name as RouteName) : 'dashboard' };
}

export function App({ connection }: { connection: Connection }) {
  return (
    <AuthProvider>
      <Gate connection={connection} />
    </AuthProvider>
  );
}

/** Nothing but the auth screens until a user is logged in, unlocked and holding a valid password. */
function Gate({ connection }: { connection: Connection }) {
  const { t } = useTranslation();
  const { status, lock } = useAuth();
  useIdleLock(status?.user ? status.idleLockMinutes : 0, lock);
  if (!status) return <p className="muted">{t('common.loading')}</p>;
  if (status.needsSetup) return <SetupScreen />;
  if (!status.user) return <LoginScreen />;
  if (status.locked) return <LockScreen user={status.user} />;
  if (status.user.mustChangePassword) return <ChangePasswordScreen forced />;
  return <Shell connection={connection} />;
}

function Shell({ connection }: { connection: Connection }) {
  const { t, i18n } = useTranslation();
  const client = useClient();
  const { status, refresh } = useAuth();
  const can = useCan();
  const [route, setRoute] = useState<Route>(routeFromHash);
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const [connectionState, setConnectionState] = useState<ConnectionState>(() => connection.state());

  useEffect(() => {
    const onHash = () => setRoute(routeFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => applyTheme(theme), [theme]);
  useEffect(() => {
    // The socket may have opened between the first render and this subscription.
    setConnectionState(connection.state());
    return connection.onStateChange(setConnectionState);
  }, [connection]);

  const visible = (Object.keys(ROUTES) as RouteName[]).filter((name) => can(ROUTES[name].screen));
  const current = visible.includes(route.name) ? route.name : visible[0];
  const Screen = current ? ROUTES[current].component : null;
  const logout = async () => {
    await client.call('auth.logout', {});
    await refresh();
  };
  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">
          <span className="brand__name">{t('app.title')}</span>
          <span className="brand__subtitle">{t('app.subtitle')}</span>
        </div>
        <nav aria-label="main">
          {visible.map((name) => (
            <a
              key={name}
              href={`#/${name}`}
              aria-current={current === name ? 'page' : undefined}
              data-testid={`nav-${name}`}
            >
              {t(`nav.${name}`)}
              {name === 'shutdowns' && status?.user?.isAdmin && <PendingShutdownsBadge />}
            </a>
          ))}
        </nav>
        <div className="sidebar__footer">
          <p className="who" data-testid="who">
            {status?.user?.displayName} <span className="muted">({status?.user?.username})</span>
          </p>
          <a href="#/password" data-testid="change-password-link">
            {t('auth.changeTitle')}
          </a>
          <button type="button" onClick={() => void logout()} data-testid="logout">
            {t('auth.logout')}
          </button>
          <label>
            {t('app.language')}
            <select
              value={i18n.language}
              onChange={(e) => void changeLanguage(e.target.value as LanguageCode)}
              data-testid="language"
            >
              {LANGUAGES.map((language) => (
                <option key={language.code} value={language.code}>
                  {language.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('app.theme')}
            <select value={theme} onChange={(e) => setTheme(e.target.value as Theme)} data-testid="theme">
              <option value="dark">{t('app.themeDark')}</option>
              <option value="light">{t('app.themeLight')}</option>
            </select>
          </label>
          <p className={`connection connection--${connectionState}`} role="status" data-testid="connection">
            {t(`app.connection.${connectionState}`)}
          </p>
        </div>
      </aside>
      <main className="content">
        {route.password ? (
          <ChangePasswordScreen forced={false} />
        ) : route.deviceId !== undefined && can('devices') ? (
          <DeviceDetailScreen key={route.deviceId} id={route.deviceId} />
        ) : Screen ? (
          <Screen />
        ) : (
          <p className="muted">{t('auth.noScreens')}</p>
        )}
      </main>
    </div>
  );
}
