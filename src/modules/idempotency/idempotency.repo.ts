import { and, eq, lt, sql } from 'drizzle-orm';
import type { Executor } from '../../db';
import { idempotencyRecords } from './idempotency.schema';

export type IdempotencyRecord = typeof idempotencyRecords.$inferSelect;
export interface NewIdempotencyRecord {
  scope: string;
  key: string;
  requestHash: string;
  statusCode: number;
  response: unknown;
}

// A claim is a record whose response is not known yet; 102 marks it and never leaves the
// transaction that wrote it (the same transaction replaces it with the real response).
export const CLAIM_STATUS = 102;

export class IdempotencyRepo {
  async find(db: Executor, scope: string, key: string): Promise<IdempotencyRecord | null> {
    const rows = await db
      .select()
      .from(idempotencyRecords)
      .where(and(eq(idempotencyRecords.scope, scope), eq(idempotencyRecords.key, key)))
      .limit(1);
    return rows[0] ?? null;
  }

  /**
   * Take the key for this transaction. On PostgreSQL a concurrent twin blocks here until the
   * first commits (then gets no row back) or rolls back (then takes the key itself).
   */
  async claim(db: Executor, scope: string, key: string, requestHash: string): Promise<boolean> {
    const rows = await db
      .insert(idempotencyRecords)
      .values({ scope, key, requestHash, statusCode: CLAIM_STATUS, response: {} })
      .onConflictDoNothing()
      .returning({ key: idempotencyRecords.key });
    return rows.length === 1;
  }

  async complete(db: Executor, scope: string, key: string, statusCode: number, response: unknown): Promise<void> {
    await db
      .update(idempotencyRecords)
      .set({ statusCode, response })
      .where(and(eq(idempotencyRecords.scope, scope), eq(idempotencyRecords.key, key)));
  }

  /** Many finished records at once (the order batcher writes a whole batch's answers). */
  async insertMany(db: Executor, records: NewIdempotencyRecord[]): Promise<void> {
    if (records.length === 0) return;
    await db.execute(sql`
      INSERT INTO idempotency_records (scope, key, request_hash, status_code, response)
      SELECT * FROM unnest(
        ${sql.param(records.map((r) => r.scope))}::text[], ${sql.param(records.map((r) => r.key))}::text[],
        ${sql.param(records.map((r) => r.requestHash))}::text[], ${sql.param(records.map((r) => r.statusCode))}::int[],
        ${sql.param(records.map((r) => JSON.stringify(r.response)))}::jsonb[])
      ON CONFLICT DO NOTHING`);
  }

  /** Records older than the retention window are dropped (clients retry within minutes). */
  async deleteOlderThan(db: Executor, before: Date): Promise<number> {
    const rows = await db
      .delete(idempotencyRecords)
      .where(lt(idempotencyRecords.createdAt, before))
      .returning({ key: idempotencyRecords.key });
    return rows.length;
  }
}
