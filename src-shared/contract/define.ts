import type { z } from 'zod';
import type { Permission } from '../domain/permissions';

/** Phantom marker carrying a channel's output type; it has no runtime value. */
export interface Returns<T> {
  readonly __returns?: T;
}
export function returns<T>(): Returns<T> {
  return {};
}

/**
 * What a call needs: a screen permission, or only a logged-in session
 * ('authenticated'), or nothing at all ('public': only the calls that lead to
 * a session, such as logging in).
 */
export type Requirement = Permission | 'public' | 'authenticated';

export interface ChannelDefinition<I extends z.ZodType = z.ZodType, O = unknown> {
  readonly input: I;
  readonly output: Returns<O>;
  readonly permission: Requirement;
}

export interface EventDefinition<P = unknown> {
  readonly payload: Returns<P>;
  /** Only sessions holding this permission receive the event. */
  readonly permission: Permission;
}

export type ChannelMap = Readonly<Record<string, ChannelDefinition>>;
export type EventMap = Readonly<Record<string, EventDefinition>>;

export type InputOf<C extends ChannelDefinition> = z.input<C['input']>;
export type ParsedInputOf<C extends ChannelDefinition> = z.output<C['input']>;
export type OutputOf<C extends ChannelDefinition> = C['output'] extends Returns<infer O> ? O : never;
export type PayloadOf<E extends EventDefinition> = E['payload'] extends Returns<infer P> ? P : never;
