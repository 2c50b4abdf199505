import { ZodError } from 'zod';
import type { core as zcore } from 'zod';
import { channels as contractChannels, events as contractEvents } from '../../../src-shared/contract/channels';
import type { ChannelName, Channels, EventName, Events } from '../../../src-shared/contract/channels';
import type { OutputOf, ParsedInputOf, PayloadOf } from '../../../src-shared/contract/define';
import type { CallResult, ContractError } from '../../../src-shared/contract/errors';
import { meets } from '../../../src-shared/contract/define';
import type { Requirement } from '../../../src-shared/contract/define';
import type { Permission } from '../../../src-shared/domain/permissions';
import { FORM_FIELD, isValidationKey } from '../../../src-shared/domain/validation';
import type { FieldError, ValidationKey } from '../../../src-shared/domain/validation';
import { DomainError, RateLimitedError } from '../errors';
import { consoleLogger, systemClock } from '../runtime';
import type { Clock, Logger } from '../runtime';
import type { Connection } from './connection';
import type { Session } from './session';

/** What a handler knows of its caller. Protected channels always have a session. */
export interface CallContext<S extends Session | null = Session> {
  readonly session: S;
  readonly connection: Connection;
}

export type Handler<K extends ChannelName> = (
  input: ParsedInputOf<Channels[K]>,
  call: CallContext<Channels[K]['permission'] extends 'public' ? Session | null : Session>,
) => Promise<OutputOf<Channels[K]>>;

/** One handler per channel; the compiler refuses a map that misses one. */
export type HandlerMap = { readonly [K in ChannelName]: Handler<K> };

/** A connected client that can receive pushed events. */
export interface EventSink {
  readonly connection: Connection;
  send(name: string, payload: unknown): void;
}

/**
 * Who may receive one event: the areas it concerns, and what an area-scoped
 * session gets instead (a reduced payload, or null for nothing at all).
 */
export interface EventAudience<P> {
  readonly areaIds?: readonly number[];
  readonly forScoped?: (payload: P, session: Session) => P | null;
}

/** Calls allowed while the idle lock hides the screen. */
const ALLOWED_WHILE_LOCKED: ReadonlySet<string> = new Set(['auth.status', 'auth.unlock', 'auth.logout']);

export interface ContractServerOptions {
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Idle time after which a session is locked; 0 never locks. */
  readonly idleLockMs?: () => number;
}

/** True when a session scoped to some areas may see something about these areas. */
export function inScope(session: Session, areaIds: readonly number[] | undefined): boolean {
  if (session.allowedAreaIds === null || areaIds === undefined) return true;
  return areaIds.some((id) => session.allowedAreaIds!.includes(id));
}

/**
 * The single place where calls enter main. Every transport hands raw calls
 * here; nothing else validates input or checks permissions, so no transport
 * can forget to.
 */
export class ContractServer {
  private readonly sinks = new Set<EventSink>();
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly idleLockMs: () => number;

  constructor(
    private readonly handlers: HandlerMap,
    options: ContractServerOptions = {},
  ) {
    this.logger = options.logger ?? consoleLogger;
    this.clock = options.clock ?? systemClock;
    this.idleLockMs = options.idleLockMs ?? (() => 0);
  }

  async dispatch(connection: Connection, channel: unknown, rawInput: unknown): Promise<CallResult<unknown>> {
    if (typeof channel !== 'string' || !Object.hasOwn(contractChannels, channel)) {
      return failure({ kind: 'not_found', message: `unknown channel ${String(channel)}` });
    }
    const name = channel as ChannelName;
    const required = contractChannels[name].permission;
    const session = connection.session;
    if (required !== 'public') {
      if (!session) return failure({ kind: 'forbidden', message: 'log in first' });
      if (connection.isLocked(this.clock.now(), this.idleLockMs()) && !ALLOWED_WHILE_LOCKED.has(name)) {
        return failure({ kind: 'forbidden', message: 'the session is locked; type the password again' });
      }
      if (session.mustChangePassword && !name.startsWith('auth.')) {
        return failure({ kind: 'forbidden', message: 'change the password first' });
      }
      if (!meets(session, required))
        return failure({ kind: 'forbidden', message: `${describe(required)} is required` });
    }
    try {
      // Inside the try: a schema that throws (a bug) fails this call, never the whole server.
      const parsed = contractChannels[name].input.safeParse(rawInput);
      if (!parsed.success) return failure(validationError(parsed.error));
      const handler = this.handlers[name] as (input: unknown, call: CallContext<Session | null>) => Promise<unknown>;
      const value = await handler(parsed.data, { session, connection });
      return { ok: true, value };
    } catch (error) {
      return failure(this.toContractError(name, error));
    }
  }

  /** Every connection attached now. */
  *connections(): Iterable<Connection> {
    for (const sink of this.sinks) yield sink.connection;
  }

  attach(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  /**
   * Pushes an event to every connection whose session may see it: logged in,
   * not idle-locked, holding the event's permission, and scoped to one of its areas.
   */
  emit<E extends EventName>(
    name: E,
    payload: PayloadOf<Events[E]>,
    audience: EventAudience<PayloadOf<Events[E]>> = {},
  ): void {
    const permission: Requirement = contractEvents[name].permission;
    const now = this.clock.now();
    for (const sink of this.sinks) {
      const session = sink.connection.session;
      if (!session || sink.connection.isLocked(now, this.idleLockMs())) continue;
      if (!meets(session, permission)) continue;
      if (!inScope(session, audience.areaIds)) continue;
      const shown =
        session.allowedAreaIds !== null && audience.forScoped ? audience.forScoped(payload, session) : payload;
      if (shown !== null) this.deliver(sink, name, shown);
    }
  }

  /**
   * Applies a change of a user to every connection logged in as that user, at
   * once: `next` gives the session it goes on with, or null to sign it out
   * (deactivated, password reset). Each such connection is told, so its screen
   * asks again what it may show. `except` keeps one connection as it is.
   */
  refreshSessions(userId: number, next: (session: Session) => Session | null, except?: Connection): number {
    let touched = 0;
    for (const sink of this.sinks) {
      const connection = sink.connection;
      if (connection === except || connection.session?.userId !== userId) continue;
      const session = next(connection.session);
      if (session) connection.replaceSession(session);
      else connection.signOut();
      this.deliver(sink, 'auth.changed', { signedOut: session === null });
      touched++;
    }
    return touched;
  }

  private deliver(sink: EventSink, name: string, payload: unknown): void {
    try {
      sink.send(name, payload);
    } catch (error) {
      this.logger.error(`event ${name} could not be delivered`, error);
    }
  }

  private toContractError(channel: string, error: unknown): ContractError {
    if (error instanceof RateLimitedError) {
      return { kind: 'rate_limited', message: error.message, retryAfterMs: error.retryAfterMs, fields: error.fields };
    }
    if (error instanceof DomainError) {
      if (error.kind === 'validation') return { kind: 'validation', message: error.message, fields: error.fields };
      if (error.kind === 'conflict' || error.kind === 'forbidden') {
        return { kind: error.kind, message: error.message, fields: error.fields };
      }
      return { kind: error.kind, message: error.message };
    }
    if (error instanceof ZodError) return validationError(error);
    // Internal details stay in main's log; the caller learns only that it failed.
    this.logger.error(`${channel} failed`, error);
    return { kind: 'internal', message: 'internal error' };
  }
}

/** A requirement in words, for the refusal's message. */
function describe(requirement: Requirement): string {
  if (typeof requirement === 'string') return requirement;
  const one = (p: Permission) =>
    `${p.access} permission on ${p.screen}${p.scope === 'admin' ? ' (administrators only)' : p.scope ? ' (users of every area only)' : ''}`;
  return Array.isArray(requirement) ? requirement.map(one).join(' or ') : one(requirement as Permission);
}

function failure(error: ContractError): CallResult<never> {
  return { ok: false, error };
}

function validationError(error: ZodError): ContractError {
  const fields: Record<string, FieldError> = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || FORM_FIELD;
    if (!(path in fields)) fields[path] = fieldError(issue);
  }
  const summary = Object.entries(fields)
    .map(([path, f]) => `${path}: ${f.key}`)
    .join(', ');
  return { kind: 'validation', message: `invalid input (${summary})`, fields };
}

function fieldError(issue: zcore.$ZodIssue): FieldError {
  if (issue.code === 'unrecognized_keys') return { key: 'invalid', params: { keys: issue.keys.join(', ') } };
  const key: ValidationKey = isValidationKey(issue.message) ? issue.message : 'invalid';
  if (key === 'too_long' && issue.code === 'too_big') return { key, params: { max: Number(issue.maximum) } };
  if (key === 'too_short' && issue.code === 'too_small') return { key, params: { min: Number(issue.minimum) } };
  // Files travel in base64: the limit is told in megabytes of the file itself.
  if (key === 'file_too_large' && issue.code === 'too_big') {
    return { key, params: { max: Math.floor((Number(issue.maximum) * 3) / 4 / 1024 / 1024) } };
  }
  return { key };
}

/** The handlers of one family of channels ('areas' -> 'areas.list', 'areas.create', ...). */
export type HandlersFor<P extends string> = {
  readonly [K in ChannelName as K extends `${P}.${string}` ? K : never]: Handler<K>;
};
