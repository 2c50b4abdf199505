import { DateTime } from 'luxon';
import type { SignedIn } from '../../../src-shared/contract/channels';
import { FORM_FIELD } from '../../../src-shared/domain/validation';
import type { User } from '../../../src-shared/domain/users';
import { subjectOf } from '../audit';
import { sessionOf, weakPassword } from '../auth/auth-service';
import type { LoginOutcome } from '../auth/auth-service';
import type { Connection } from '../contract/connection';
import type { HandlersFor } from '../contract/server';
import type { Session } from '../contract/session';
import { DomainError, RateLimitedError } from '../errors';
import type { HandlerContext } from './context';

const MINUTE = 60_000;

function loginRefused(outcome: Extract<LoginOutcome, { ok: false }>): DomainError {
  if (outcome.reason === 'rate_limited') {
    const seconds = Math.ceil((outcome.retryAfterMs ?? 0) / 1000);
    return new RateLimitedError('too many failed logins; try again later', outcome.retryAfterMs ?? 0, {
      [FORM_FIELD]: { key: 'login_rate_limited', params: { seconds } },
    });
  }
  const key =
    outcome.reason === 'invalid' ? 'login_invalid' : outcome.reason === 'locked' ? 'login_locked' : 'login_inactive';
  const until = outcome.lockedUntil;
  return new DomainError('forbidden', `login refused: ${outcome.reason}`, {
    [FORM_FIELD]: {
      key,
      ...(until === undefined ? {} : { params: { until: DateTime.fromMillis(until).toFormat('HH:mm') } }),
    },
  });
}

export function authHandlers({
  store,
  clock,
  settings,
  auth,
  auditor,
  refreshSessions,
}: HandlerContext): HandlersFor<'auth'> {
  const idleMs = () => settings.security().idleLockMinutes * MINUTE;
  const currentUser = async (session: Session) => {
    const user = session.userId === null ? undefined : await store.getUser(session.userId);
    if (!user) throw new DomainError('forbidden', 'the account no longer exists');
    return user;
  };
  const signIn = async (connection: Connection, user: User): Promise<SignedIn> => ({
    user,
    resumeToken: await auth.startSession(user, connection),
  });
  return {
    'auth.status': async (_input, { session, connection }) => ({
      needsSetup: await auth.needsSetup(),
      user: session && session.userId !== null ? ((await store.getUser(session.userId)) ?? null) : null,
      locked: connection.isLocked(clock.now(), idleMs()),
      idleLockMinutes: settings.security().idleLockMinutes,
    }),
    'auth.setup': async (input, { connection }) => signIn(connection, await auth.setupFirstAdministrator(input)),
    'auth.login': async ({ username, password }, { connection }) => {
      const outcome = await auth.login(username, password, connection);
      if (!outcome.ok) throw loginRefused(outcome);
      return signIn(connection, outcome.user);
    },
    'auth.resume': async ({ token }, { connection }) => {
      const user = await auth.resume(token, connection);
      if (!user) throw new DomainError('forbidden', 'the session has ended; log in again');
      return user;
    },
    'auth.logout': async (_input, { session, connection }) => {
      await auditor.append(session, {
        action: 'session.logout',
        subject: { entityId: session.userId, label: session.username, areaId: null },
      });
      await auth.endSession(connection);
      return { ok: true };
    },
    'auth.activity': (_input, { connection }) => {
      connection.touch(clock.now());
      return Promise.resolve({ ok: true });
    },
    'auth.unlock': async ({ password }, { session, connection }) => {
      // The same path as a login: wrong passwords count towards the lockout and the rate limit.
      const outcome = await auth.login(session.username, password, connection);
      if (!outcome.ok) {
        if (outcome.reason === 'locked') await auth.endSession(connection);
        throw loginRefused(outcome);
      }
      connection.signIn(sessionOf(outcome.user), clock.now());
      return outcome.user;
    },
    'auth.changePassword': async ({ current, next }, { session, connection }) => {
      const user = await currentUser(session);
      const credentials = await store.getUserCredentials(user.username);
      if (!credentials || !(await auth.verify(current, credentials.passwordHash))) {
        throw new DomainError('validation', 'the current password is wrong', { current: { key: 'wrong_password' } });
      }
      const weak = weakPassword(next);
      if (weak) throw new DomainError('validation', weak.message, { next: weak.fields.password! });
      await store.setPasswordHash(
        user.id,
        { passwordHash: await auth.hash(next), mustChangePassword: false, revokeSessions: true },
        auditor.change(session, 'user.change_password', subjectOf.user),
      );
      // Every other place this user was logged in must log in again, with the new password.
      refreshSessions(user.id, () => null, connection);
      return signIn(connection, (await store.getUser(user.id))!);
    },
  };
}
