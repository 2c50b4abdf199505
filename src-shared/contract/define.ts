import type { z } from 'zod';
import { satisfies } from '../domain/permissions';
import type { Permission, Principal } from '../domain/permissions';

/** Phantom marker carrying a channel's output type; it has no runtime value. */
export interface Returns<T> {
  readonly __returns?: T;
}
export function returns<T>(): Returns<T> {
  return {};
}

/**
 * What a call needs: a screen permission (possibly only for unscoped users or
 * administrators), or only a logged-in session ('authenticated'), or nothing
 * at all ('public': only the calls that lead to a session, such as logging in).
 */
export type Requirement = Permission | readonly Permission[] | 'public' | 'authenticated';

/** Whether a principal meets a requirement; a list is met by any one of its permissions. */
export function meets(principal: Principal | null, requirement: Requirement): boolean {
  if (requirement === 'public') return true;
  if (!principal) return false;
  if (requirement === 'authenticated') return true;
  const any: readonly Permission[] = Array.isArray(requirement) ? requirement : [requirement as Permission];
  return any.some((p) => satisfies(principal, p));
}

export interface ChannelDefinition<I extends z.ZodType = z.ZodType, O = unknown> {
  readonly input: I;
  readonly output: Returns<O>;
  readonly permission: Requirement;
}

export interface EventDefinition<P = unknown> {
  readonly payload: Returns<P>;
  /** Only sessions holding one of these permissions receive the event; 'authenticated': every session. */
  readonly permission: Exclude<Requirement, 'public'>;
}

export type ChannelMap = Readonly<Record<string, ChannelDefinition>>;
export type EventMap = Readonly<Record<string, EventDefinition>>;

export type InputOf<C extends ChannelDefinition> = z.input<C['input']>;
export type ParsedInputOf<C extends ChannelDefinition> = z.output<C['input']>;
export type OutputOf<C extends ChannelDefinition> = C['output'] extends Returns<infer O> ? O : never;
export type PayloadOf<E extends EventDefinition> = E['payload'] extends Returns<infer P> ? P : never;
