/**
 * The one error type of the domain. Services throw it; the HTTP layer maps `kind` to a
 * status code in one place (src/http/errors.ts), so no module decides HTTP semantics.
 */
export type ErrorKind =
  | 'bad_input' // 400: the request is malformed or violates a rule of the field
  | 'unauthenticated' // 401: no valid session
  | 'forbidden' // 403: authenticated, but not allowed on this object
  | 'not_found' // 404
  | 'conflict' // 409: clashes with current state (duplicate, wrong state)
  | 'unprocessable'; // 422: well-formed but cannot be honoured (e.g. idempotency key reuse)

export class DomainError extends Error {
  readonly kind: ErrorKind;
  /** Dotted path of the offending input field, when one field is to blame. */
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(kind: ErrorKind, message: string, opts: { field?: string; details?: Record<string, unknown> } = {}) {
    super(message);
    this.name = 'DomainError';
    this.kind = kind;
    this.field = opts.field;
    this.details = opts.details;
  }
}

export const badInput = (field: string, message: string) => new DomainError('bad_input', message, { field });
export const notFound = (what: string, id?: unknown) =>
  new DomainError('not_found', id === undefined ? `${what} not found` : `${what} ${String(id)} not found`);
export const forbidden = (message = 'not allowed on this object') => new DomainError('forbidden', message);
export const unauthenticated = (message = 'login required') => new DomainError('unauthenticated', message);
export const conflict = (message: string, field?: string) =>
  new DomainError('conflict', message, field === undefined ? {} : { field });

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
