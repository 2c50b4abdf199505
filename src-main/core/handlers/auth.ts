import { DateTime } from 'luxon';
import { DomainError, notFound } from '../errors';
import type { User } from '../../../src-shared/domain/users';
import { FORM_FIELD } from '../../../src-shared/domain/validation';
import { normaliseUsername, sessionOf, weakPassword } from '../auth/auth-service';
import { hashPassword, verifyPassword } from '../auth/passwords';
import type { CallContext, HandlersFor } from '../contract/server';
import type { Session } from '../contract/session';
import type { HandlerContext } from './context';
import { requireUnscoped } from './scope';

const MINUTE = 60_000;

function loginRefused(reason: 'invalid' | 'locked' | 'inactive', lockedUntil?: number): DomainError {
  const key = reason === 'invalid' ? 'login_invalid' : reason === 'locked' ? 'login_locked' : 'login_inactive';
  const params = lockedUntil === undefined ? undefined : { until: DateTime.fromMillis(lockedUntil).toFormat('HH:mm') };
  return new DomainError('forbidden', `login refused: ${reason}`, {
    [FORM_FIELD]: { key, ...(params ? { params } : {}) },
  });
}

export function authHandlers({ store, clock, settings, auth, audit }: HandlerContext): HandlersFor<'auth'> {
  const idleMs = () => settings.security().idleLockMinutes * MINUTE;
  const currentUser = async (session: Session) => {
    const user = session.userId === null ? undefined : await store.getUser(session.userId);
    if (!user) throw new DomainError('forbidden', 'the account no longer exists');
    return user;
  };
  const signIn = (call: CallContext<Session | null>, user: User) => {
    call.connection.signIn(sessionOf(user), clock.now());
    return user;
  };
  return {
    'auth.status': async (_input, { session, connection }) => ({
      needsSetup: await auth.needsSetup(),
      user: session && session.userId !== null ? ((await store.getUser(session.userId)) ?? null) : null,
      locked: connection.isLocked(clock.now(), idleMs()),
      idleLockMinutes: settings.security().idleLockMinutes,
    }),
    'auth.setup': async (input, call) => signIn(call, await auth.setupFirstAdministrator(input)),
    'auth.login': async ({ username, password }, call) => {
      const outcome = await auth.login(username, password);
      if (!outcome.ok) throw loginRefused(outcome.reason, outcome.lockedUntil);
      return signIn(call, outcome.user);
    },
    'auth.logout': async (_input, { session, connection }) => {
      await audit(session, { action: 'logout', entity: 'session', entityId: session.userId });
      connection.signOut();
      return { ok: true };
    },
    'auth.activity': (_input, { connection }) => {
      connection.touch(clock.now());
      return Promise.resolve({ ok: true });
    },
    'auth.unlock': async ({ password }, call) => {
      // The same path as a login: wrong passwords count towards the lockout.
      const outcome = await auth.login(call.session.username, password);
      if (!outcome.ok) {
        if (outcome.reason === 'locked') call.connection.signOut();
        throw loginRefused(outcome.reason, outcome.lockedUntil);
      }
      return signIn(call, outcome.user);
    },
    'auth.changePassword': async ({ current, next }, call) => {
      const user = await currentUser(call.session);
      const credentials = await store.getUserCredentials(user.username);
      if (!credentials || !(await verifyPassword(current, credentials.passwordHash))) {
        throw new DomainError('validation', 'the current password is wrong', { current: { key: 'wrong_password' } });
      }
      const weak = weakPassword(next);
      if (weak) throw new DomainError('validation', weak.message, { next: weak.fields.password! });
      await store.setPasswordHash(user.id, await hashPassword(next), false);
      await audit(call.session, { action: 'change_password', entity: 'user', entityId: user.id });
      return signIn(call, (await store.getUser(user.id))!);
    },
  };
}

/**
 * Who manages accounts must not hand out more than they hold: only an
 * administrator makes or edits administrators, and only a user who sees every
 * area manages accounts at all (else it could grant itself the rest).
 */
function requireMayManage(session: Session, touchesAdmin: boolean): void {
  requireUnscoped(session, 'managing users');
  if (touchesAdmin && !session.isAdmin)
    throw new DomainError('forbidden', 'only an administrator manages administrators');
}

export function userHandlers({ store, audit, emit }: HandlerContext): HandlersFor<'users'> {
  return {
    'users.list': () => store.listUsers(),
    'users.create': async ({ password, ...fields }, { session }) => {
      requireMayManage(session, fields.isAdmin);
      const weak = weakPassword(password);
      if (weak) throw weak;
      const user = await store.createUser({
        ...fields,
        username: normaliseUsername(fields.username),
        allowedAreaIds: fields.allowedAreaIds?.length ? fields.allowedAreaIds : null,
        passwordHash: await hashPassword(password),
        mustChangePassword: true,
      });
      await audit(session, { action: 'create', entity: 'user', entityId: user.id, after: user });
      emit('users.changed', { ids: [user.id] });
      return user;
    },
    'users.update': async ({ id, ...fields }, { session }) => {
      const before = await store.getUser(id);
      if (!before) throw notFound(`user ${id}`);
      requireMayManage(session, fields.isAdmin || before.isAdmin);
      // Nobody can lock themselves out: the last administrator would be gone with them.
      if (id === session.userId && (!fields.active || !fields.isAdmin) && before.isAdmin) {
        throw new DomainError('conflict', 'cannot deactivate or demote yourself', {
          [FORM_FIELD]: { key: 'cannot_demote_self' },
        });
      }
      const user = await store.updateUser(id, {
        ...fields,
        username: normaliseUsername(fields.username),
        allowedAreaIds: fields.allowedAreaIds?.length ? fields.allowedAreaIds : null,
      });
      await audit(session, { action: 'update', entity: 'user', entityId: id, before, after: user });
      emit('users.changed', { ids: [id] });
      return user;
    },
    'users.resetPassword': async ({ id, password }, { session }) => {
      const weak = weakPassword(password);
      if (weak) throw weak;
      const target = await store.getUser(id);
      if (!target) throw notFound(`user ${id}`);
      requireMayManage(session, target.isAdmin);
      await store.setPasswordHash(id, await hashPassword(password), true);
      await audit(session, { action: 'reset_password', entity: 'user', entityId: id });
      emit('users.changed', { ids: [id] });
      return (await store.getUser(id))!;
    },
  };
}

export function auditHandlers({ store }: HandlerContext): HandlersFor<'audit'> {
  return {
    'audit.list': ({ limit, ...filter }) => store.listAudit({ ...filter, limit }),
  };
}
