// Test support for the events module: a scratch effects table that handlers write through their
// transaction, so "the effect happened once" is a row count, and helpers to append events.
import { sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db';
import { appendEvents, type NewEvent, type OutboxEvent } from '.';

export async function createEffectsTable(db: Database): Promise<void> {
  await db.exec(`CREATE TABLE IF NOT EXISTS test_effects (
    seq bigint GENERATED ALWAYS AS IDENTITY, subscriber text NOT NULL, event_id bigint NOT NULL, topic text NOT NULL,
    aggregate_id bigint NOT NULL)`);
}

export async function resetEvents(db: Database): Promise<void> {
  await db.exec('TRUNCATE event_retries, processed_events, outbox_events, test_effects RESTART IDENTITY');
}

export const ev = (topic: string, aggregateId: number, payload: unknown = {}): NewEvent => ({ topic, aggregateType: 'order', aggregateId, payload });

export async function commit(db: Database, events: NewEvent[]): Promise<void> {
  await db.orm.transaction((tx) => appendEvents(tx, events));
}

/** A handler that writes one effect row per event and remembers every call (including failed ones). */
export function recorder(name: string, fail?: (e: OutboxEvent, attempt: number) => boolean) {
  const calls: OutboxEvent[] = [];
  const attempts = new Map<number, number>();
  const handler = async (e: OutboxEvent, tx: Tx) => {
    calls.push(e);
    const n = (attempts.get(e.id) ?? 0) + 1;
    attempts.set(e.id, n);
    // Written before the throw, so a failed attempt proves its effect is rolled back.
    await tx.execute(sql`INSERT INTO test_effects (subscriber, event_id, topic, aggregate_id) VALUES (${name}, ${e.id}, ${e.topic}, ${e.aggregateId})`);
    if (fail?.(e, n)) throw new Error(`${name} refuses event ${e.id} (attempt ${n})`);
  };
  return { name, calls, attempts, handler };
}

/** Committed effects of one subscriber: event ids in the order they were written. */
export async function effects(db: Database, subscriber: string): Promise<Array<{ eventId: number; topic: string; aggregateId: number }>> {
  const rows = await db.query<{ event_id: number; topic: string; aggregate_id: number }>(
    'SELECT event_id::int AS event_id, topic, aggregate_id::int AS aggregate_id FROM test_effects WHERE subscriber = $1 ORDER BY seq',
    [subscriber],
  );
  return rows.map((r) => ({ eventId: r.event_id, topic: r.topic, aggregateId: r.aggregate_id }));
}

export const quiet = () => undefined;
