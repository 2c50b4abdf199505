import type { FieldError } from '../domain/validation';

/**
 * The one shape every failed call takes on the wire, whatever the transport.
 * `message` is English for logs and scripts; the renderer shows translated
 * text chosen by `kind` and by the field keys.
 */
export type ContractError =
  | {
      readonly kind: 'validation';
      readonly message: string;
      readonly fields: Readonly<Record<string, FieldError>>;
    }
  | { readonly kind: 'not_found'; readonly message: string }
  | {
      readonly kind: 'forbidden';
      readonly message: string;
      /** Set when the refusal has a reason to show (a refused login: wrong password, account locked). */
      readonly fields?: Readonly<Record<string, FieldError>>;
    }
  | {
      readonly kind: 'conflict';
      readonly message: string;
      /** Set when the clash is with one field's value (a duplicate code, say). */
      readonly fields?: Readonly<Record<string, FieldError>>;
    }
  | {
      /** Too many failed attempts from this connection or address: try again after `retryAfterMs`. */
      readonly kind: 'rate_limited';
      readonly message: string;
      readonly retryAfterMs: number;
      readonly fields?: Readonly<Record<string, FieldError>>;
    }
  | { readonly kind: 'internal'; readonly message: string };

export type ContractErrorKind = ContractError['kind'];

export type CallResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ContractError };

/** What a typed client throws, so callers can `catch` and branch on `error.kind`. */
export class ContractCallError extends Error {
  constructor(
    readonly channel: string,
    readonly error: ContractError,
  ) {
    super(`${channel}: ${error.message}`);
    this.name = 'ContractCallError';
  }
}
