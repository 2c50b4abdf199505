import { useEffect, useState } from 'react';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { channels } from '../src-shared/contract/channels';
import type { Requirement } from '../src-shared/contract/define';
import { view } from '../src-shared/domain/permissions';
import { changeLanguage, LANGUAGES } from './i18n';
import type { LanguageCode } from './i18n';
import { AuthProvider, useAllowed, useAuth, useCan, useIdleLock } from './auth';
import { useConnection } from './context';
import { formatTime } from './format';
import { AgentAlerts } from './components/AgentAlerts';
import { AlarmBar } from './components/AlarmBar';
import { AlarmsScreen } from './screens/AlarmsScreen';
import { ShiftScreen } from './screens/ShiftScreen';
import { WallScreen } from './screens/WallScreen';
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
import { SetupGate } from './screens/SetupWizard';
import { applyTheme, initialTheme } from './theme';
import type { Theme } from './theme';

/**
 * Each screen and what main requires for the call that fills it (taken from
 * the contract, so the menu never offers what main would refuse); the order
 * is the menu's.
 */
const ROUTES = {
  dashboard: { component: DashboardScreen, requires: channels['dashboard.counts'].permission },
  alarms: { component: AlarmsScreen, requires: channels['alarms.deliveries'].permission },
  shift: { component: ShiftScreen, requires: channels['shift.handover'].permission },
  devices: { component: DevicesScreen, requires: channels['devices.page'].permission },
  areas: { component: AreasScreen, requires: view('areas') },
  maintenance: { component: MaintenanceScreen, requires: channels['maintenance.list'].permission },
  shutdowns: { component: ShutdownsScreen, requires: channels['shutdowns.list'].permission },
  history: { component: HistoryScreen, requires: channels['history.list'].permission },
  exports: { component: ExportsScreen, requires: channels['exports.status'].permission },
  users: { component: UsersScreen, requires: channels['users.list'].permission },
  audit: { component: AuditScreen, requires: channels['audit.list'].permission },
  settings: { component: SettingsScreen, requires: channels['settings.monitor.get'].permission },
} as const satisfies Record<string, { component: ComponentType; requires: Requirement }>;
type RouteName = keyof typeof ROUTES;
interface Route {
  readonly name: RouteName;
  /** Set for a device's own page: #/devices/12. */
  readonly deviceId?: number;
  /** #/password: the user's own password change. */
  readonly password?: boolean;
  /** #/wall or #/wall/ITA: the full-screen wall display, of every area or of one. */
  readonly wall?: { readonly areaCode: string | null };
}

function routeFromHash(): Route {
  const [name = '', id] = location.hash.replace(/^#\/?/, '').split('?')[0]!.split('/');
  if (name === 'devices' && id && /^\d+$/.test(id)) return { name: 'devices', deviceId: Number(id) };
  if (name === 'password') return { name: 'dashboard', password: true };
  if (name === 'wall')
    return { name: 'dashboard', wall: { areaCode: id ? decodeURIComponent(id).toUpperCase() : null } };
  return { name: name in ROUTES ? (name as RouteName) : 'dashboard' };
}

export function App() {
  return (
    <SetupGate>
      <AuthProvider>
        <Gate />
      </AuthProvider>
    </SetupGate>
  );
}

/** Nothing but the auth screens until a user is logged in, unlocked and holding a valid password. */
function Gate() {
  const { t } = useTranslation();
  const { status, lock } = useAuth();
  useIdleLock(status?.user ? status.idleLockMinutes : 0, lock);
  if (!status) return <p className="muted">{t('common.loading')}</p>;
  if (status.needsSetup) return <SetupScreen />;
  if (!status.user) return <LoginScreen />;
  if (status.locked) return <LockScreen user={status.user} />;
  if (status.user.mustChangePassword) return <ChangePasswordScreen forced />;
  return <Shell />;
}

/**
 * Always on top of every screen: whether main can be reached. While it
 * cannot, what the screen shows is marked as possibly stale, never as live.
 */
function ConnectionBar() {
  const { t } = useTranslation();
  const { state, coreRestartedAt } = useConnection();
  const [seenRestart, setSeenRestart] = useState<number | null>(null);
  return (
    <div className={`connection-bar connection-bar--${state}`}>
      <p className={`connection connection--${state}`} role="status" data-testid="connection">
        {t(`app.connection.${state}`)}
      </p>
      {state !== 'open' && (
        <p className="connection-bar__stale" data-testid="stale-warning">
          {t('app.staleWarning')}
        </p>
      )}
      {coreRestartedAt !== null && coreRestartedAt !== seenRestart && (
        <p className="connection-bar__stale" role="alert" data-testid="core-restarted">
          {t('app.coreRestarted', { time: formatTime(coreRestartedAt) })}{' '}
          <button type="button" onClick={() => setSeenRestart(coreRestartedAt)}>
            {t('app.understood')}
          </button>
        </p>
      )}
    </div>
  );
}

function Shell() {
  const { t, i18n } = useTranslation();
  const { status, signOut } = useAuth();
  const allowed = useAllowed();
  const can = useCan();
  const { state: connectionState } = useConnection();
  const [route, setRoute] = useState<Route>(routeFromHash);
  const [theme, setTheme] = useState<Theme>(initialTheme);

  useEffect(() => {
    const onHash = () => setRoute(routeFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => applyTheme(theme), [theme]);

  const visible = (Object.keys(ROUTES) as RouteName[]).filter((name) => allowed(ROUTES[name].requires));
  const current = visible.includes(route.name) ? route.name : visible[0];
  const Screen = current ? ROUTES[current].component : null;
  // The wall display has no menu: a TV shows it, nobody clicks it.
  if (route.wall && allowed(ROUTES.dashboard.requires)) {
    return (
      <div className={`wall-shell${connectionState === 'open' ? '' : ' shell--stale'}`}>
        <ConnectionBar />
        <WallScreen areaCode={route.wall.areaCode} />
      </div>
    );
  }
  return (
    <div className={`shell${connectionState === 'open' ? '' : ' shell--stale'}`}>
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
          <button type="button" onClick={() => void signOut()} data-testid="logout">
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
        </div>
      </aside>
      <main className="content">
        <ConnectionBar />
        <AlarmBar />
        <AgentAlerts />
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
