// Transactional outbox and event relay.
//
// Producers call appendEvents(tx, …) inside the transaction that makes the change, so the event
// exists exactly when the change does; after commit they call bus.nudge() for low latency.
// The relay (EventBus) moves committed events to subscribers:
//  - in process (no NATS_URL): each matching subscriber gets them in id order, in batches, in
//    its own transactions;
//  - NATS JetStream (NATS_URL): published to `linli.events.<topic>` with msgID = event id;
//    each subscriber is a durable consumer named after it and acks after its transaction.
// Guarantees: at-least-once delivery; exactly-once effects for whatever a handler writes through
// the `tx` it is given (processed_events); per-aggregate order within one process, also across
// retries (a failed delivery parks the rest of its aggregate behind it, see subscriber.ts).
// Across several processes each relays or consumes different batches, so order between them is
// best effort. In-process mode relays only to the subscribers of the process that claims a
// batch: every process must register the same subscribers (they do: one composition root).
import type { Executor } from '../../db';
import { badInput } from '../../kernel';
import { EventsRepo } from './events.repo';
import { checkTopic, type NewEvent } from './events.types';

export { EventBus } from './event-bus';
export type { EventBusOptions } from './event-bus';
export type { OutboxEvent, NewEvent, EventHandler } from './events.types';

const repo = new EventsRepo();

/** Append events to the outbox inside the caller's transaction (one multi-row insert). */
export async function appendEvents(tx: Executor, events: NewEvent[]): Promise<void> {
  events.forEach((e, i) => {
    checkTopic(e.topic, `events[${i}].topic`);
    if (typeof e.aggregateType !== 'string' || e.aggregateType.length < 1 || e.aggregateType.length > 60) {
      throw badInput(`events[${i}].aggregateType`, 'aggregateType must be 1–60 characters');
    }
    if (!Number.isSafeInteger(e.aggregateId)) throw badInput(`events[${i}].aggregateId`, 'aggregateId must be an integer');
    if (e.payload === undefined) throw badInput(`events[${i}].payload`, 'payload is required (use null or {} for none)');
  });
  await repo.insertEvents(tx, events);
}

/**
 * For a subscriber whose state the caller has just rebuilt from the source tables, in this same
 * transaction: record every event of `topics` not yet handed on as already processed by it, and
 * drop its parked retries, so the relay does not apply those facts a second time (it still hands
 * the events to every other subscriber). Seen from the transaction's snapshot: an event committed
 * after it is about facts the rebuild did not read, and is delivered as usual. Returns how many
 * events were taken as processed.
 */
export async function takeAsProcessed(tx: Executor, subscriber: string, topics: readonly string[]): Promise<number> {
  return repo.takeUnpublishedAsProcessed(tx, subscriber, topics);
}
