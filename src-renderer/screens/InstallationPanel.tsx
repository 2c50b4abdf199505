import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth';
import { useQuery } from '../context';
import { InstallationForm } from './SetupWizard';

/**
 * Settings › Installation: what this copy runs as. An administrator may
 * move a copy the wizard configured to another mode: the new configuration
 * is tried, kept only if it works, and the copy restarts in it.
 */
export function InstallationPanel() {
  const { t } = useTranslation();
  const { status } = useAuth();
  const current = useQuery('setup.current', {}, []);
  const [changing, setChanging] = useState(false);
  const summary = current.data;
  if (!summary) return null;
  const store = summary.store ? t(`setup.stores.${summary.store}`) : null;
  return (
    <section className="panel panel--wide" data-testid="installation">
      <h2>{t('settings.installation.title')}</h2>
      <dl className="facts">
        <dt>{t('settings.installation.mode')}</dt>
        <dd data-testid="installation-mode">{t(`setup.modes.${summary.mode}`)}</dd>
        {store && (
          <>
            <dt>{t('setup.store')}</dt>
            <dd>{store}</dd>
          </>
        )}
        {summary.where && (
          <>
            <dt>{t('settings.installation.where')}</dt>
            <dd data-testid="installation-where">{summary.where}</dd>
          </>
        )}
      </dl>
      {!summary.changeable && <p className="muted">{t('settings.installation.fromCommandLine')}</p>}
      {summary.changeable && status?.user?.isAdmin && !changing && (
        <div className="panel__actions">
          <button type="button" onClick={() => setChanging(true)} data-testid="installation-change">
            {t('settings.installation.change')}
          </button>
        </div>
      )}
      {changing && (
        <>
          <p className="muted">{t('settings.installation.changeHint')}</p>
          <InstallationForm channel="setup.change" />
        </>
      )}
    </section>
  );
}
