import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectionState } from '../src-shared/contract/websocket-client';
import type { Connection } from './api';
import { changeLanguage, LANGUAGES } from './i18n';
import type { LanguageCode } from './i18n';
import { AreasScreen } from './screens/AreasScreen';
import { DashboardScreen } from './screens/DashboardScreen';
import { DeviceDetailScreen } from './screens/DeviceDetailScreen';
import { DevicesScreen } from './screens/DevicesScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { applyTheme, initialTheme } from './theme';
import type { Theme } from './theme';

const ROUTES = {
  dashboard: DashboardScreen,
  devices: DevicesScreen,
  areas: AreasScreen,
  settings: SettingsScreen,
} as const;
type RouteName = keyof typeof ROUTES;
interface Route {
  readonly name: RouteName;
  /** Set for a device's own page: #/devices/12. */
  readonly deviceId?: number;
}

function routeFromHash(): Route {
  const [name = '', id] = location.hash.replace(/^#\/?/, '').split('/');
  if (name === 'devices' && id && /^\d+$/.test(id)) return { name: 'devices', deviceId: Number(id) };
  return { name: name in ROUTES ? (name as RouteName) : 'dashboard' };
}

export function App({ connection }: { connection: Connection }) {
  const { t, i18n } = useTranslation();
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

  const Screen = ROUTES[route.name];
  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">
          <span className="brand__name">{t('app.title')}</span>
          <span className="brand__subtitle">{t('app.subtitle')}</span>
        </div>
        <nav aria-label="main">
          {(Object.keys(ROUTES) as RouteName[]).map((name) => (
            <a
              key={name}
              href={`#/${name}`}
              aria-current={route.name === name ? 'page' : undefined}
              data-testid={`nav-${name}`}
            >
              {t(`nav.${name}`)}
            </a>
          ))}
        </nav>
        <div className="sidebar__footer">
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
        {route.deviceId !== undefined ? <DeviceDetailScreen key={route.deviceId} id={route.deviceId} /> : <Screen />}
      </main>
    </div>
  );
}
