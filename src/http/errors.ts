import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { DomainError, type ErrorKind } from '../kernel';

/** The one place where errors become HTTP. */
export const STATUS_BY_KIND: Record<ErrorKind, number> = {
  bad_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
};

export interface ErrorBody {
  error: { code: ErrorKind | 'internal'; message: string; field?: string; details?: Record<string, unknown>; requestId: string };
}

interface PgLikeError {
  code?: string;
  constraint?: string;
  column?: string;
  detail?: string;
}

/** Database constraint names → the API field a client should fix. */
function fieldFromConstraint(constraint: string | undefined, column: string | undefined): string | undefined {
  if (column) return snakeToCamel(column);
  if (!constraint) return undefined;
  // Postgres names constraints <table>_<column>_key / _check / _fkey.
  const m = /^[a-z]+?_([a-z_]+?)_(key|check|fkey)$/.exec(constraint);
  return m ? snakeToCamel(m[1]!) : undefined;
}

function snakeToCamel(s: string): string {
  return s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Translate anything thrown into a DomainError, or null when it is a server fault. */
export function toDomainError(err: unknown): DomainError | null {
  if (err instanceof DomainError) return err;
  const fe = err as FastifyError & { cause?: unknown };
  if (hasZodFastifySchemaValidationErrors(fe)) {
    const first = fe.validation[0];
    const path = first?.instancePath?.replace(/^\//, '').replace(/\//g, '.') ?? '';
    const where = fe.validationContext ?? 'body';
    const field = path === '' ? where : path;
    return new DomainError('bad_input', `${field}: ${first?.message ?? 'invalid'}`, { field });
  }
  // Fastify's own client errors (bad JSON, wrong content type, body too large) carry 4xx codes.
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500 && fe.code?.startsWith('FST_')) {
    return new DomainError(fe.statusCode === 404 ? 'not_found' : 'bad_input', fe.message, { field: 'body' });
  }
  // Constraint violations are client mistakes that slipped past validation: never a 500.
  const pgErr = (err as { cause?: PgLikeError }).cause ?? (err as PgLikeError);
  const field = fieldFromConstraint(pgErr.constraint, pgErr.column);
  switch (pgErr.code) {
    case '23505':
      return new DomainError('conflict', `already exists${field ? `: ${field}` : ''}`, field ? { field } : {});
    case '23503':
      return new DomainError('bad_input', `refers to something that does not exist${field ? `: ${field}` : ''}`, field ? { field } : {});
    case '23514':
    case '23502':
    case '22P02':
    case '22003':
    case '22001':
      return new DomainError('bad_input', `invalid value${field ? `: ${field}` : ''}`, field ? { field } : {});
  }
  return null;
}

export function errorHandler(err: unknown, req: FastifyRequest, reply: FastifyReply): void {
  const domain = toDomainError(err);
  if (domain) {
    const body: ErrorBody = {
      error: {
        code: domain.kind,
        message: domain.message,
        ...(domain.field ? { field: domain.field } : {}),
        // Machine-readable particulars (e.g. sold_out with the units left) for clients to act on.
        ...(domain.details ? { details: domain.details } : {}),
        requestId: String(req.id),
      },
    };
    void reply.status(STATUS_BY_KIND[domain.kind]).send(body);
    return;
  }
  if (isResponseSerializationError(err as FastifyError)) {
    req.log.error({ err }, 'response did not match its schema');
  } else {
    req.log.error({ err }, 'unhandled error');
  }
  const body: ErrorBody = { error: { code: 'internal', message: 'internal error', requestId: String(req.id) } };
  void reply.status(500).send(body);
}
