import type { FieldError, ValidationKey } from '../../src-shared/domain/validation';

/**
 * Errors core code throws on purpose. The contract server turns each into the
 * matching wire error; anything else becomes `internal` and is logged.
 */
export class DomainError extends Error {
  constructor(
    readonly kind: 'validation' | 'not_found' | 'conflict' | 'forbidden',
    message: string,
    readonly fields: Readonly<Record<string, FieldError>> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function notFound(what: string): DomainError {
  return new DomainError('not_found', `${what} not found`);
}

export function conflict(
  message: string,
  field?: string,
  key?: ValidationKey,
  params?: FieldError['params'],
): DomainError {
  return new DomainError('conflict', message, field && key ? { [field]: { key, ...(params ? { params } : {}) } } : {});
}

export function invalidField(field: string, key: ValidationKey, message: string): DomainError {
  return new DomainError('validation', message, { [field]: { key } });
}

/** Too many attempts: the caller may try again after `retryAfterMs`. */
export class RateLimitedError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterMs: number,
    fields: Readonly<Record<string, FieldError>> = {},
  ) {
    super('forbidden', message, fields);
    this.name = 'RateLimitedError';
  }
}
