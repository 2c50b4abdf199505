import { z } from 'zod';
import type { CallResult } from './errors';

/**
 * Messages of the socket transport. The client side is trusted by nobody:
 * main parses every frame with ClientMessage before acting on it.
 */
export const ClientMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('call'),
    id: z.number().int().nonnegative(),
    channel: z.string().min(1).max(100),
    input: z.unknown(),
  }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export type ServerMessage =
  | { readonly type: 'result'; readonly id: number; readonly result: CallResult<unknown> }
  | { readonly type: 'event'; readonly name: string; readonly payload: unknown }
  /** A frame main could not read at all (not JSON, unknown type). */
  | { readonly type: 'protocol_error'; readonly message: string };
