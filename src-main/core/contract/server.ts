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
import type { Session } from './session';

export type Handler<K extends ChannelName> = (
  input: ParsedInputOf<Channels[K]>,
  session: Session,
) => Promise<OutputOf<Channels[K]>>;

/** One handler per channel; the compiler refuses a map that misses one. */
export type HandlerMap = { readonly [K in ChannelName]: Handler<K> };

/** A connected client that can receive pushed events. */
export interface EventSink {
  readonly session: () => Session;
  send(name: string, payload: unknown): void;
}

export interface Logger {
  error(message: string, error?: unknown): void;
  info(message: string): void;
}

export const consoleLogger: Logger = {
  error: (message, error) => console.error(`[vigia] ${message}`, error ?? ''),
  info: (message) => console.log(`[vigia] ${message}`),
};

/**
 * The single place where calls enter main. Every transport hands raw calls
 * here; nothing else validates input or checks permissions, so no transport
 * can forget to.
 */
export class ContractServer {
  private readonly sinks = new Set<EventSink>();

  constructor(
    private readonly handlers: HandlerMap,
    private readonly logger: Logger = consoleLogger,
  ) {}

  async dispatch(session: Session, channel: unknown, rawInput: unknown): Promise<CallResult<unknown>> {
    if (typeof channel !== 'string' || !Object.hasOwn(contractChannels, channel)) {
      return failure({ kind: 'not_found', message: `unknown channel ${String(channel)}` });
    }
    const name = channel as ChannelName;
    const definition = contractChannels[name];
    if (!grants(session.permissions, definition.permission)) {
      return failure({
        kind: 'forbidden',
        message: `${definition.permission.access} permission on ${definition.permission.screen} is required`,
      });
    }
    const parsed = definition.input.safeParse(rawInput);
    if (!parsed.success) return failure(validationError(parsed.error));
    try {
      const handler = this.handlers[name] as (input: unknown, session: Session) => Promise<unknown>;
      const value = await handler(parsed.data, session);
      return { ok: true, value };
    } catch (error) {
      return failure(this.toContractError(name, error));
    }
  }

  attach(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  emit<E extends EventName>(name: E, payload: PayloadOf<Events[E]>): void {
    const permission = contractEvents[name].permission;
    for (const sink of this.sinks) {
      if (!grants(sink.session().permissions, permission)) continue;
      try {
        sink.send(name, payload);
      } catch (error) {
        this.logger.error(`event ${name} could not be delivered`, error);
      }
    }
  }

  private toContractError(channel: string, error: unknown): ContractError {
    if (error instanceof DomainError) {
      if (error.kind === 'validation') return { kind: 'validation', message: error.message, fields: error.fields };
      if (error.kind === 'conflict') return { kind: 'conflict', message: error.message, fields: error.fields };
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
