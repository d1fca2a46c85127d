import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import type { Executor } from '../../db';
import { eventRetries, outboxEvents } from './events.schema';
import type { NewEvent, OutboxEvent } from './events.types';

export interface RetryRow {
  eventId: number;
  aggregateType: string;
  aggregateId: number;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
}

const ids = (xs: readonly number[]) => sql.param([...xs].sort((a, b) => a - b));

function toEvent(r: typeof outboxEvents.$inferSelect): OutboxEvent {
  return { id: r.id, topic: r.topic, aggregateType: r.aggregateType, aggregateId: r.aggregateId, payload: r.payload, createdAt: r.createdAt };
}

export class EventsRepo {
  /**
   * One INSERT … SELECT FROM unnest for the whole list: one array parameter per column, so the
   * statement is the same however many events there are. Ids follow the list order.
   */
  async insertEvents(db: Executor, events: readonly NewEvent[]): Promise<void> {
    if (events.length === 0) return;
    await db.execute(sql`
      INSERT INTO outbox_events (topic, aggregate_type, aggregate_id, payload)
      SELECT * FROM unnest(
        ${sql.param(events.map((e) => e.topic))}::text[],
        ${sql.param(events.map((e) => e.aggregateType))}::text[],
        ${sql.param(events.map((e) => e.aggregateId))}::bigint[],
        ${sql.param(events.map((e) => JSON.stringify(e.payload)))}::jsonb[])`);
  }

  /**
   * The oldest unpublished events. Selecting by `published_at IS NULL` rather than "id > last
   * relayed id" is deliberate: identity values are handed out when a row is inserted, not when
   * its transaction commits, so on PostgreSQL id 41 can commit after id 42 has been relayed. A
   * cursor would then skip 41 for good; this query still finds it on the next pass.
   * `SKIP LOCKED`: inside the caller's transaction the rows stay locked until it commits, so a
   * second relay process takes the next batch instead of waiting or relaying the same one.
   * NO KEY UPDATE, not UPDATE: a subscriber parking one of these events inserts an
   * event_retries row whose foreign key takes KEY SHARE on it, which FOR UPDATE would block
   * until the relay commits, and the relay is waiting for that subscriber.
   */
  async claimUnpublished(db: Executor, limit: number): Promise<OutboxEvent[]> {
    const rows = await db
      .select()
      .from(outboxEvents)
      .where(isNull(outboxEvents.publishedAt))
      .orderBy(asc(outboxEvents.id))
      .limit(limit)
      .for('no key update', { skipLocked: true });
    return rows.map(toEvent);
  }

  async markPublished(db: Executor, eventIds: readonly number[]): Promise<void> {
    if (eventIds.length === 0) return;
    await db.execute(sql`UPDATE outbox_events SET published_at = now() WHERE id = ANY(${ids(eventIds)}::bigint[])`);
  }

  async loadEvents(db: Executor, eventIds: readonly number[]): Promise<OutboxEvent[]> {
    if (eventIds.length === 0) return [];
    const rows = await db
      .select()
      .from(outboxEvents)
      .where(sql`${outboxEvents.id} = ANY(${ids(eventIds)}::bigint[])`)
      .orderBy(asc(outboxEvents.id));
    return rows.map(toEvent);
  }

  /**
   * Record the events as processed by `subscriber`; returns the ids that were not processed
   * before. Ids are inserted in ascending order so two processes racing on one batch wait for
   * each other rather than deadlock; the loser then finds the rows and skips those events.
   */
  async markProcessed(db: Executor, subscriber: string, eventIds: readonly number[]): Promise<Set<number>> {
    if (eventIds.length === 0) return new Set();
    const res = await db.execute(sql`
      INSERT INTO processed_events (subscriber, event_id)
      SELECT ${subscriber}::text, x FROM unnest(${ids(eventIds)}::bigint[]) AS x
      ON CONFLICT DO NOTHING
      RETURNING event_id`);
    return new Set(rowsOf<{ event_id: number }>(res).map((r) => Number(r.event_id)));
  }

  /** See takeAsProcessed in index.ts. */
  async takeUnpublishedAsProcessed(db: Executor, subscriber: string, topics: readonly string[]): Promise<number> {
    const res = await db.execute(sql`
      WITH taken AS (
        INSERT INTO processed_events (subscriber, event_id)
        SELECT ${subscriber}::text, id FROM outbox_events
         WHERE published_at IS NULL AND topic = ANY (${sql.param([...topics])}::text[])
         ORDER BY id
        ON CONFLICT DO NOTHING
        RETURNING event_id),
      dropped AS (DELETE FROM event_retries WHERE subscriber = ${subscriber})
      SELECT (SELECT count(*) FROM taken)::int AS n`);
    return Number(rowsOf<{ n: number }>(res)[0]!.n);
  }

  /** Park deliveries for a later retry; a row already there (a redelivered event) is kept. */
  async insertRetries(db: Executor, subscriber: string, rows: readonly RetryRow[]): Promise<void> {
    if (rows.length === 0) return;
    await db.execute(sql`
      INSERT INTO event_retries (subscriber, event_id, aggregate_type, aggregate_id, attempts, next_attempt_at, last_error)
      SELECT ${subscriber}::text, * FROM unnest(
        ${sql.param(rows.map((r) => r.eventId))}::bigint[],
        ${sql.param(rows.map((r) => r.aggregateType))}::text[],
        ${sql.param(rows.map((r) => r.aggregateId))}::bigint[],
        ${sql.param(rows.map((r) => r.attempts))}::int[],
        ${sql.param(rows.map((r) => r.nextAttemptAt.toISOString()))}::timestamptz[],
        ${sql.param(rows.map((r) => r.lastError))}::text[])
      ON CONFLICT DO NOTHING`);
  }

  /** Aggregates with a delivery waiting for `subscriber`: their later events must queue behind. */
  async parkedAggregates(db: Executor, subscriber: string): Promise<Array<{ aggregateType: string; aggregateId: number }>> {
    return db
      .selectDistinct({ aggregateType: eventRetries.aggregateType, aggregateId: eventRetries.aggregateId })
      .from(eventRetries)
      .where(eq(eventRetries.subscriber, subscriber));
  }

  /**
   * Take due retries whose earlier waiting events of the same aggregate are all due too (so a
   * head in backoff holds back its followers), and lease them until `leaseUntil` so another
   * process leaves them alone meanwhile; if this process dies mid-retry, the lease runs out and
   * someone else takes them. A leased row counts as not due, which also holds its followers.
   */
  async claimDueRetries(db: Executor, subscriber: string, now: Date, leaseUntil: Date, limit: number): Promise<Array<{ eventId: number; attempts: number }>> {
    const res = await db.execute(sql`
      UPDATE event_retries r SET next_attempt_at = ${leaseUntil.toISOString()}::timestamptz
      WHERE (r.subscriber, r.event_id) IN (
        SELECT h.subscriber, h.event_id FROM event_retries h
        WHERE h.subscriber = ${subscriber} AND h.next_attempt_at <= ${now.toISOString()}::timestamptz
          AND NOT EXISTS (
            SELECT 1 FROM event_retries e
            WHERE e.subscriber = h.subscriber AND e.aggregate_type = h.aggregate_type
              AND e.aggregate_id = h.aggregate_id AND e.event_id < h.event_id
              AND e.next_attempt_at > ${now.toISOString()}::timestamptz)
        ORDER BY h.event_id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      RETURNING r.event_id, r.attempts`);
    return rowsOf<{ event_id: number; attempts: number }>(res).map((r) => ({ eventId: Number(r.event_id), attempts: Number(r.attempts) })).sort((a, b) => a.eventId - b.eventId);
  }

  /** Subscribers with a retry due now: one cheap query lets an idle relay skip the rest. */
  async subscribersWithDueRetries(db: Executor, now: Date): Promise<string[]> {
    const rows = await db
      .selectDistinct({ subscriber: eventRetries.subscriber })
      .from(eventRetries)
      .where(lte(eventRetries.nextAttemptAt, now));
    return rows.map((r) => r.subscriber);
  }

  async deleteRetry(db: Executor, subscriber: string, eventId: number): Promise<void> {
    await db.delete(eventRetries).where(and(eq(eventRetries.subscriber, subscriber), eq(eventRetries.eventId, eventId)));
  }

  /** Give leased rows back, due at `at` (followers of a head that failed again). */
  async releaseRetries(db: Executor, subscriber: string, eventIds: readonly number[], at: Date): Promise<void> {
    if (eventIds.length === 0) return;
    await db.execute(sql`
      UPDATE event_retries SET next_attempt_at = ${at.toISOString()}::timestamptz
      WHERE subscriber = ${subscriber} AND event_id = ANY(${ids(eventIds)}::bigint[])`);
  }

  async failRetry(db: Executor, subscriber: string, eventId: number, attempts: number, nextAttemptAt: Date, lastError: string): Promise<void> {
    await db
      .update(eventRetries)
      .set({ attempts, nextAttemptAt, lastError })
      .where(and(eq(eventRetries.subscriber, subscriber), eq(eventRetries.eventId, eventId)));
  }

  async maxEventId(db: Executor): Promise<number> {
    const res = await db.execute(sql`SELECT max(id) AS m FROM outbox_events`);
    return Number(rowsOf<{ m: number | null }>(res)[0]?.m ?? 0);
  }

  async unpublishedUpTo(db: Executor, maxId: number): Promise<number> {
    const res = await db.execute(
      sql`SELECT count(*)::int AS n FROM outbox_events WHERE published_at IS NULL AND id <= ${maxId}`,
    );
    return Number(rowsOf<{ n: number }>(res)[0]?.n ?? 0);
  }

  /** Waiting retries of the given subscribers for events up to `maxId`, and when the next is due. */
  async retriesUpTo(db: Executor, subscribers: readonly string[], maxId: number): Promise<{ count: number; nextDue: Date | null }> {
    if (subscribers.length === 0) return { count: 0, nextDue: null };
    const res = await db.execute(sql`
      SELECT count(*)::int AS n, min(next_attempt_at) AS due FROM event_retries
      WHERE subscriber = ANY(${sql.param([...subscribers])}::text[]) AND event_id <= ${maxId}`);
    const row = rowsOf<{ n: number; due: string | Date | null }>(res)[0];
    return { count: Number(row?.n ?? 0), nextDue: row?.due ? new Date(row.due) : null };
  }
}

/** drizzle's execute returns { rows } on both node-postgres and PGlite. */
function rowsOf<T>(res: unknown): T[] {
  return (res as { rows: T[] }).rows;
}
