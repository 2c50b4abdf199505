import { areasWithin, refuseGrant } from '../../../src-shared/domain/permissions';
import type { Principal } from '../../../src-shared/domain/permissions';
import { FORM_FIELD } from '../../../src-shared/domain/validation';
import type { User } from '../../../src-shared/domain/users';
import { subjectOf } from '../audit';
import { normaliseUsername, sessionOf, weakPassword } from '../auth/auth-service';
import type { HandlersFor } from '../contract/server';
import type { Session } from '../contract/session';
import { DomainError, notFound } from '../errors';
import type { UserFields } from '../store/port';
import type { HandlerContext } from './context';

/** A manager grants only what it holds (DESIGN.md §9): refused with the reason as a message key. */
function requireMayGrant(manager: Session, target: Principal | null, next: Principal | null): void {
  const refusal = refuseGrant(manager, target, next);
  if (refusal) {
    throw new DomainError('forbidden', `refused: ${refusal}`, { [FORM_FIELD]: { key: refusal } });
  }
}

/** No areas ticked means every area. */
function fieldsOf(input: UserFields): UserFields {
  return {
    ...input,
    username: normaliseUsername(input.username),
    allowedAreaIds: input.allowedAreaIds?.length ? [...input.allowedAreaIds].sort((a, b) => a - b) : null,
  };
}

/** A user scoped to some areas sees itself and the accounts scoped within its areas, not the others. */
function visibleTo(session: Session, user: User): boolean {
  return (
    session.allowedAreaIds === null ||
    user.id === session.userId ||
    areasWithin(user.allowedAreaIds, session.allowedAreaIds)
  );
}

export function userHandlers({ store, auth, auditor, emit, refreshSessions }: HandlerContext): HandlersFor<'users'> {
  return {
    'users.list': async (_input, { session }) => (await store.listUsers()).filter((user) => visibleTo(session, user)),
    'users.create': async ({ password, ...input }, { session }) => {
      const fields = fieldsOf(input);
      requireMayGrant(session, null, fields);
      const weak = weakPassword(password);
      if (weak) throw weak;
      const user = await store.createUser(
        { ...fields, passwordHash: await auth.hash(password), mustChangePassword: true },
        auditor.change(session, 'user.create', subjectOf.user),
      );
      emit('users.changed', { ids: [user.id] });
      return user;
    },
    'users.update': async ({ id, ...input }, { session }) => {
      const fields = fieldsOf(input);
      const before = await store.getUser(id);
      if (!before) throw notFound(`user ${id}`);
      requireMayGrant(session, before, fields);
      // Nobody can lock themselves out: the last administrator would be gone with them.
      if (id === session.userId && (!fields.active || !fields.isAdmin) && before.isAdmin) {
        throw new DomainError('conflict', 'cannot deactivate or demote yourself', {
          [FORM_FIELD]: { key: 'cannot_demote_self' },
        });
      }
      const user = await store.updateUser(
        id,
        fields,
        auditor.change(session, 'user.update', subjectOf.user),
        !fields.active,
      );
      // Open sessions follow at once: narrowed rights apply to the next call, a deactivated user is out.
      refreshSessions(id, () => (user.active ? sessionOf(user) : null));
      emit('users.changed', { ids: [id] });
      return user;
    },
    'users.resetPassword': async ({ id, password }, { session }) => {
      const weak = weakPassword(password);
      if (weak) throw weak;
      const target = await store.getUser(id);
      if (!target) throw notFound(`user ${id}`);
      requireMayGrant(session, target, null);
      await store.setPasswordHash(
        id,
        { passwordHash: await auth.hash(password), mustChangePassword: true, revokeSessions: true },
        auditor.change(session, 'user.reset_password', subjectOf.user),
      );
      refreshSessions(id, () => null);
      emit('users.changed', { ids: [id] });
      return (await store.getUser(id))!;
    },
  };
}

export function auditHandlers({ store }: HandlerContext): HandlersFor<'audit'> {
  return {
    // A scoped reader sees the entries about its areas only; global ones (accounts, settings) are for unscoped users.
    'audit.list': ({ limit, ...filter }, { session }) =>
      store.listAudit({
        ...filter,
        limit,
        ...(session.allowedAreaIds === null ? {} : { areaIds: session.allowedAreaIds }),
      }),
  };
}
