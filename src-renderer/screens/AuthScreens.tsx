import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../src-shared/domain/users';
import { useAuth } from '../auth';
import { sessionToken } from '../session-token';
import { TextField, useFormErrors } from '../components/forms';
import { PasswordRules } from '../components/PasswordRules';
import { useClient } from '../context';

/** A centred card holding one auth form. */
function AuthCard({
  title,
  intro,
  testId,
  submitLabel,
  onSubmit,
  notice,
  children,
}: {
  title: string;
  intro?: string;
  testId: string;
  submitLabel: string;
  onSubmit: () => Promise<void>;
  notice?: string | null;
  children: (fieldErrors: Readonly<Record<string, string>>) => ReactNode;
}) {
  const { t } = useTranslation();
  const { errors, fromError, clear } = useFormErrors();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await onSubmit();
      clear();
    } catch (error) {
      fromError(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="auth-page">
      <form className="panel auth-card" onSubmit={(e) => void submit(e)} noValidate data-testid={testId}>
        <p className="brand__name">{t('app.title')}</p>
        <h1>{title}</h1>
        {intro && <p className="muted">{intro}</p>}
        {notice && (
          <p className="notice" role="status" data-testid="auth-notice">
            {notice}
          </p>
        )}
        {errors.general && (
          <p className="error-banner" role="alert" data-testid="auth-error">
            {errors.general}
          </p>
        )}
        {children(errors.fields)}
        <button type="submit" className="primary" disabled={busy} data-testid={`${testId}-submit`}>
          {submitLabel}
        </button>
      </form>
    </div>
  );
}

export function SetupScreen() {
  const { t } = useTranslation();
  const client = useClient();
  const { signedIn } = useAuth();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  return (
    <AuthCard
      title={t('auth.setupTitle')}
      intro={t('auth.setupIntro')}
      testId="setup"
      submitLabel={t('auth.setupSubmit')}
      onSubmit={async () => signedIn(await client.call('auth.setup', { username, displayName, password }))}
    >
      {(errors) => (
        <>
          <TextField
            name="username"
            label={t('auth.username')}
            value={username}
            onChange={setUsername}
            error={errors.username}
            autoFocus
          />
          <TextField
            name="displayName"
            label={t('auth.displayName')}
            value={displayName}
            onChange={setDisplayName}
            error={errors.displayName}
          />
          <TextField
            name="password"
            label={t('auth.password')}
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={setPassword}
            error={errors.password}
          />
          <PasswordRules password={password} />
        </>
      )}
    </AuthCard>
  );
}

export function LoginScreen() {
  const { t } = useTranslation();
  const client = useClient();
  const { signedIn } = useAuth();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  // A session this tab had and lost (the central restarted and forgot it, or an administrator ended it).
  const [ended] = useState(() => sessionToken.consumeEnded());
  return (
    <AuthCard
      title={t('auth.loginTitle')}
      testId="login"
      submitLabel={t('auth.login')}
      notice={ended ? t('auth.sessionEnded') : null}
      onSubmit={async () => signedIn(await client.call('auth.login', { username, password }))}
    >
      {(errors) => (
        <>
          <TextField
            name="username"
            label={t('auth.username')}
            autoComplete="username"
            value={username}
            onChange={setUsername}
            error={errors.username}
            autoFocus
          />
          <TextField
            name="password"
            label={t('auth.password')}
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={setPassword}
            error={errors.password}
          />
        </>
      )}
    </AuthCard>
  );
}

export function LockScreen({ user }: { user: User }) {
  const { t } = useTranslation();
  const client = useClient();
  const { refresh } = useAuth();
  const [password, setPassword] = useState('');
  return (
    <AuthCard
      title={t('auth.lockedTitle')}
      intro={t('auth.lockedIntro', { name: user.displayName })}
      testId="unlock"
      submitLabel={t('auth.unlock')}
      onSubmit={async () => {
        await client.call('auth.unlock', { password });
        await refresh();
      }}
    >
      {(errors) => (
        <TextField
          name="password"
          label={t('auth.password')}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
          error={errors.password}
          autoFocus
        />
      )}
    </AuthCard>
  );
}

export function ChangePasswordScreen({ forced }: { forced: boolean }) {
  const { t } = useTranslation();
  const client = useClient();
  const { signedIn } = useAuth();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  return (
    <AuthCard
      title={t('auth.changeTitle')}
      intro={forced ? t('auth.changeForced') : undefined}
      testId="change-password"
      submitLabel={t('common.save')}
      onSubmit={async () => {
        signedIn(await client.call('auth.changePassword', { current, next }));
        if (!forced) location.hash = '#/dashboard';
      }}
    >
      {(errors) => (
        <>
          <TextField
            name="current"
            label={t('auth.currentPassword')}
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={setCurrent}
            error={errors.current}
            autoFocus
          />
          <TextField
            name="next"
            label={t('auth.newPassword')}
            type="password"
            autoComplete="new-password"
            value={next}
            onChange={setNext}
            error={errors.next}
          />
          <PasswordRules password={next} />
        </>
      )}
    </AuthCard>
  );
}
