import { ZodError } from 'zod';
import type { core as zcore } from 'zod';
import { channels as contractChannels, events as contractEvents } from '../../../src-shared/contract/channels';
import type { ChannelName, Channels, EventName, Events } from '../../../src-shared/contract/channels';
import type { OutputOf, ParsedInputOf, PayloadOf } from '../../../src-shared/contract/define';
import type { CallResult, ContractError } from '../../../src-shared/contract/errors';
import { grants } from '../../../src-shared/domain/permissions';
import { FORM_FIELD, isValidationKey } from '../../../src-shared/domain/validation';
import type { FieldError, ValidationKey } from '../../../src-shared/domain/validation';
import { DomainError } from '../errors';
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

/** Who may receive one event: the areas it concerns, and a reduced payload for area-scoped sessions. */
export interface EventAudience<P> {
  readonly areaIds?: readonly number[];
  readonly forScoped?: (payload: P, session: Session) => P;
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
      if (required !== 'authenticated' && !grants(session.permissions, required)) {
        return failure({
          kind: 'forbidden',
          message: `${required.access} permission on ${required.screen} is required`,
        });
      }
    }
    const parsed = contractChannels[name].input.safeParse(rawInput);
    if (!parsed.success) return failure(validationError(parsed.error));
    try {
      const handler = this.handlers[name] as (input: unknown, call: CallContext<Session | null>) => Promise<unknown>;
      const value = await handler(parsed.data, { session, connection });
      return { ok: true, value };
    } catch (error) {
      return failure(this.toContractError(name, error));
    }
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
    const permission = contractEvents[name].permission;
    const now = this.clock.now();
    for (const sink of this.sinks) {
      const session = sink.connection.session;
      if (!session || sink.connection.isLocked(now, this.idleLockMs())) continue;
      if (!grants(session.permissions, permission) || !inScope(session, audience.areaIds)) continue;
      const shown =
        session.allowedAreaIds !== null && audience.forScoped ? audience.forScoped(payload, session) : payload;
      try {
        sink.send(name, shown);
      } catch (error) {
        this.logger.error(`event ${name} could not be delivered`, error);
      }
    }
  }

  private toContractError(channel: string, error: unknown): ContractError {
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
  return { key };
}

/** The handlers of one family of channels ('areas' -> 'areas.list', 'areas.create', ...). */
export type HandlersFor<P extends string> = {
  readonly [K in ChannelName as K extends `${P}.${string}` ? K : never]: Handler<K>;
};
