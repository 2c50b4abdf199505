import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { emptyGrid, grants, refuseGrant, SCREENS } from '../../src-shared/domain/permissions';
import type { PermissionGrid, Screen } from '../../src-shared/domain/permissions';
import type { User } from '../../src-shared/domain/users';
import { useAuth, useCan } from '../auth';
import { FormPanel } from '../components/crud';
import type { Editing } from '../components/crud';
import { Field } from '../components/forms';
import { PasswordRules } from '../components/PasswordRules';
import { useClient, useQuery } from '../context';
import { formatDateTime } from '../format';

type Panel = Editing<User> | { readonly mode: 'reset'; readonly item: User };

export function UsersScreen() {
  const { t } = useTranslation();
  const can = useCan();
  const users = useQuery('users.list', {}, ['users.changed']);
  const areas = useQuery('areas.list', {}, ['areas.changed']);
  const [panel, setPanel] = useState<Panel>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const me = useAuth().status?.user;
  const mayEdit = can('users', 'edit');
  // A manager who is not an administrator touches only accounts within its own rights and areas (main checks the same).
  const mayManage = (user: User) => mayEdit && !!me && refuseGrant(me, user, null) === null;
  const areaCode = (id: number) => areas.data?.find((a) => a.id === id)?.code ?? `#${id}`;
  const done = () => {
    setPanel(null);
    setNotice(t('common.saved'));
  };

  return (
    <section className="screen" aria-labelledby="users-title">
      <header className="screen__header">
        <h1 id="users-title">{t('users.title')}</h1>
        {mayEdit && (
          <button type="button" className="primary" onClick={() => setPanel({ mode: 'create' })} data-testid="new-user">
            {t('users.new')}
          </button>
        )}
      </header>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <div className="screen__body">
        <table className="grid" data-testid="users-table">
          <thead>
            <tr>
              <th>{t('auth.username')}</th>
              <th>{t('auth.displayName')}</th>
              <th>{t('users.role')}</th>
              <th>{t('users.areas')}</th>
              <th>{t('users.state')}</th>
              {mayEdit && <th>{t('common.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {users.data?.map((user) => (
              <tr key={user.id} data-username={user.username}>
                <td className="mono">{user.username}</td>
                <td>{user.displayName}</td>
                <td>{user.isAdmin ? t('users.admin') : t('users.operator')}</td>
                <td>{user.allowedAreaIds ? user.allowedAreaIds.map(areaCode).join(', ') : t('users.allAreas')}</td>
                <td>
                  {!user.active
                    ? t('users.inactive')
                    : user.lockedUntil && user.lockedUntil > Date.now()
                      ? t('users.lockedUntil', { at: formatDateTime(user.lockedUntil) })
                      : user.mustChangePassword
                        ? t('users.mustChange')
                        : t('users.active')}
                </td>
                {mayEdit && (
                  <td>
                    <div className="actions" hidden={!mayManage(user)}>
                      <button type="button" onClick={() => setPanel({ mode: 'edit', item: user })}>
                        {t('common.edit')}
                      </button>
                      <button type="button" onClick={() => setPanel({ mode: 'reset', item: user })}>
                        {t('users.resetPassword')}
                      </button>
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        {panel?.mode === 'reset' ? (
          <ResetPasswordForm
            key={`reset-${panel.item.id}`}
            user={panel.item}
            onDone={done}
            onCancel={() => setPanel(null)}
          />
        ) : panel ? (
          <UserForm
            key={panel.mode === 'edit' ? panel.item.id : 'new'}
            editing={panel}
            areas={areas.data ?? []}
            onDone={done}
            onCancel={() => setPanel(null)}
          />
        ) : null}
      </div>
    </section>
  );
}

function UserForm({
  editing,
  areas,
  onDone,
  onCancel,
}: {
  editing: NonNullable<Editing<User>>;
  areas: ReadonlyArray<{ id: number; code: string; name: string }>;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const me = useAuth().status?.user;
  const initial = editing.mode === 'edit' ? editing.item : null;
  // What this manager may hand out: everything for an administrator, else what it holds itself.
  const mayGrant = (screen: Screen, access: 'view' | 'edit') =>
    !!me && (me.isAdmin || grants(me.permissions, { screen, access }));
  const grantableAreas =
    me?.isAdmin || me?.allowedAreaIds === null ? areas : areas.filter((a) => me?.allowedAreaIds?.includes(a.id));
  const [username, setUsername] = useState(initial?.username ?? '');
  const [displayName, setDisplayName] = useState(initial?.displayName ?? '');
  const [isAdmin, setIsAdmin] = useState(initial?.isAdmin ?? false);
  const [active, setActive] = useState(initial?.active ?? true);
  const [permissions, setPermissions] = useState<PermissionGrid>(initial?.permissions ?? emptyGrid());
  const [allowed, setAllowed] = useState<number[]>(initial?.allowedAreaIds ? [...initial.allowedAreaIds] : []);
  const [password, setPassword] = useState('');
  const fields = {
    username,
    displayName,
    isAdmin,
    active,
    permissions,
    allowedAreaIds: allowed.length ? allowed : null,
  };

  const toggle = (screen: Screen, access: 'view' | 'edit', value: boolean) =>
    setPermissions((grid) => {
      const entry = { ...grid[screen], [access]: value };
      // Editing a screen implies seeing it; losing sight of it loses editing too.
      if (access === 'edit' && value) entry.view = true;
      if (access === 'view' && !value) entry.edit = false;
      return { ...grid, [screen]: entry };
    });

  return (
    <FormPanel
      name="user"
      title={editing.mode === 'edit' ? t('users.editTitle', { name: editing.item.username }) : t('users.new')}
      save={() =>
        editing.mode === 'edit'
          ? client.call('users.update', { id: editing.item.id, ...fields })
          : client.call('users.create', { ...fields, password })
      }
      onDone={onDone}
      onCancel={onCancel}
    >
      {(errors) => (
        <>
          <Field name="username" label={t('auth.username')} error={errors.username}>
            {(aria) => (
              <input
                {...aria}
                name="username"
                value={username}
                onChange={(e) => setUsername(e.target.value)}
                autoFocus
              />
            )}
          </Field>
          <Field name="displayName" label={t('auth.displayName')} error={errors.displayName}>
            {(aria) => (
              <input
                {...aria}
                name="displayName"
                value={displayName}
                onChange={(e) => setDisplayName(e.target.value)}
              />
            )}
          </Field>
          {editing.mode === 'create' && (
            <Field name="password" label={t('users.initialPassword')} error={errors.password}>
              {(aria) => (
                <input
                  {...aria}
                  name="password"
                  type="password"
                  autoComplete="new-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
              )}
            </Field>
          )}
          {editing.mode === 'create' && <PasswordRules password={password} />}
          {me?.isAdmin && (
            <label className="check">
              <input type="checkbox" name="isAdmin" checked={isAdmin} onChange={(e) => setIsAdmin(e.target.checked)} />{' '}
              {t('users.admin')}
            </label>
          )}
          <label className="check">
            <input type="checkbox" name="active" checked={active} onChange={(e) => setActive(e.target.checked)} />{' '}
            {t('users.active')}
          </label>
          {!isAdmin && (
            <>
              <table className="grid permissions" data-testid="permission-grid">
                <thead>
                  <tr>
                    <th>{t('users.screen')}</th>
                    <th>{t('users.view')}</th>
                    <th>{t('users.edit')}</th>
                  </tr>
                </thead>
                <tbody>
                  {SCREENS.map((screen) => (
                    <tr key={screen}>
                      <td>{t(`screens.${screen}`)}</td>
                      <td>
                        <input
                          type="checkbox"
                          name={`perm-${screen}-view`}
                          aria-label={`${t(`screens.${screen}`)}: ${t('users.view')}`}
                          checked={permissions[screen].view}
                          disabled={!mayGrant(screen, 'view')}
                          onChange={(e) => toggle(screen, 'view', e.target.checked)}
                        />
                      </td>
                      <td>
                        <input
                          type="checkbox"
                          name={`perm-${screen}-edit`}
                          aria-label={`${t(`screens.${screen}`)}: ${t('users.edit')}`}
                          checked={permissions[screen].edit}
                          disabled={!mayGrant(screen, 'edit')}
                          onChange={(e) => toggle(screen, 'edit', e.target.checked)}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <fieldset className="areas-choice">
                <legend>{t('users.areas')}</legend>
                <p className="muted">
                  {me?.isAdmin || me?.allowedAreaIds === null ? t('users.areasHint') : t('users.areasHintScoped')}
                </p>
                {grantableAreas.map((area) => (
                  <label key={area.id} className="check">
                    <input
                      type="checkbox"
                      name={`area-${area.code}`}
                      checked={allowed.includes(area.id)}
                      onChange={(e) =>
                        setAllowed((ids) => (e.target.checked ? [...ids, area.id] : ids.filter((id) => id !== area.id)))
                      }
                    />{' '}
                    {area.code} — {area.name}
                  </label>
                ))}
              </fieldset>
            </>
          )}
        </>
      )}
    </FormPanel>
  );
}

function ResetPasswordForm({ user, onDone, onCancel }: { user: User; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const [password, setPassword] = useState('');
  return (
    <FormPanel
      name="reset"
      title={t('users.resetTitle', { name: user.username })}
      intro={<p className="muted">{t('users.resetHint')}</p>}
      save={() => client.call('users.resetPassword', { id: user.id, password })}
      onDone={onDone}
      onCancel={onCancel}
    >
      {(errors) => (
        <>
          <Field name="password" label={t('auth.newPassword')} error={errors.password}>
            {(aria) => (
              <input
                {...aria}
                name="password"
                type="password"
                autoComplete="new-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                autoFocus
              />
            )}
          </Field>
          <PasswordRules password={password} />
        </>
      )}
    </FormPanel>
  );
}
