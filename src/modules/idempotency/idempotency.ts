// Idempotency keys: a client that retries a request that moves money or stock (because the
// network dropped the answer) must get the first answer back, not a second effect.
import { createHash } from 'node:crypto';
import type { Database, Tx } from '../../db';
import { badInput, DomainError } from '../../kernel';
import { CLAIM_STATUS, IdempotencyRepo } from './idempotency.repo';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

/** The `Idempotency-Key` header, or a 400 naming it. */
export function readIdempotencyKey(headers: Record<string, unknown>): string {
  const raw = headers[IDEMPOTENCY_HEADER];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (typeof value !== 'string' || value.length === 0) {
    throw badInput('Idempotency-Key', 'this request moves money or stock: send an Idempotency-Key header (e.g. a UUID)');
  }
  if (!KEY_PATTERN.test(value)) {
    throw badInput('Idempotency-Key', 'Idempotency-Key must be 1–128 characters of letters, digits, _ . : -');
  }
  return value;
}

/** A stable fingerprint of a request body: key order does not matter, values do. */
export function requestHash(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('base64url');
}

function canonicalJson(v: unknown): string {
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
}

export const keyReusedError = () =>
  new DomainError('unprocessable', 'this Idempotency-Key was already used with a different request', {
    field: 'Idempotency-Key',
  });

export interface IdempotentResult<T> {
  status: number;
  body: T;
  replayed: boolean;
}

class ClaimLost extends Error {}

const repo = new IdempotencyRepo();

/**
 * Run `work` once per (scope, key). The record is claimed first and completed in the same
 * transaction as the effect, so the effect and its stored answer commit together. A twin
 * request arriving meanwhile waits on the claimed key (PostgreSQL) or runs after (PGlite, one
 * connection) and then replays the stored answer. If `work` throws, nothing is kept.
 */
export async function runIdempotent<T>(
  db: Database,
  opts: { scope: string; key: string; request: unknown },
  work: (tx: Tx) => Promise<{ status: number; body: T }>,
): Promise<IdempotentResult<T>> {
  const hash = requestHash(opts.request);
  const earlier = await repo.find(db.orm, opts.scope, opts.key);
  if (earlier && earlier.statusCode !== CLAIM_STATUS) return replay<T>(earlier, hash);
  try {
    return await db.orm.transaction(async (tx) => {
      if (!(await repo.claim(tx, opts.scope, opts.key, hash))) throw new ClaimLost();
      const result = await work(tx);
      // Stored as JSON and answered as JSON: the first answer and every replay are identical.
      const body = JSON.parse(JSON.stringify(result.body ?? null)) as T;
      await repo.complete(tx, opts.scope, opts.key, result.status, body);
      return { status: result.status, body, replayed: false };
    });
  } catch (e) {
    if (!(e instanceof ClaimLost)) throw e;
    const winner = await repo.find(db.orm, opts.scope, opts.key);
    if (!winner) throw new DomainError('conflict', 'a request with this Idempotency-Key is still in progress; retry', { field: 'Idempotency-Key' });
    return replay<T>(winner, hash);
  }
}

function replay<T>(rec: { requestHash: string; statusCode: number; response: unknown }, hash: string): IdempotentResult<T> {
  if (rec.requestHash !== hash) throw keyReusedError();
  return { status: rec.statusCode, body: rec.response as T, replayed: true };
}
