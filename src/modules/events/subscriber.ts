// Delivery to one subscriber, shared by both transports: the in-process relay hands it batches
// straight from the outbox, the NATS consumer hands it batches from its durable consumer.
//
// Failures: a retry set, not a per-subscriber cursor. A cursor would stall the subscriber on
// its first failing event (and PostgreSQL ids are not commit order anyway, see events.repo.ts).
// Instead a failed delivery is parked in event_retries with a backoff, and every later event of
// the same aggregate queues behind it there, so per-aggregate order holds while all other
// aggregates, and all other subscribers, keep moving. Parked rows commit before the caller marks
// the batch published (or acks it in NATS), so nothing is lost if the process dies.
import type { Database } from '../../db';
import type { Clock } from '../../kernel';
import { EventsRepo, type RetryRow } from './events.repo';
import { aggregateKey, errorText, matches, type OutboxEvent, type Subscription } from './events.types';

export interface WorkerOptions {
  clock: Clock;
  log: (msg: string) => void;
  /** First retry delay; doubles per failed attempt up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How often the retry set is looked at when nothing forces it. */
  retryCheckMs: number;
  /** How long a claimed retry belongs to this process before another may take it. */
  leaseMs: number;
  batchSize: number;
}

export class SubscriberWorker {
  private readonly repo = new EventsRepo();
  // Aggregates with a delivery waiting in event_retries for this subscriber, as last seen by
  // this process. Another process's parking shows up at the next retry pass (best effort: order
  // is guaranteed within one process, see index.ts).
  private parked = new Set<string>();
  private parkedLoaded = false;
  private lastRetryCheck = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: Database,
    readonly sub: Subscription,
    private readonly o: WorkerOptions,
  ) {}

  get name(): string {
    return this.sub.name;
  }

  /** Something of this subscriber's is parked, so a retry pass also refreshes what this process knows. */
  get hasParked(): boolean {
    return this.parked.size > 0;
  }

  matches(topic: string): boolean {
    return matches(this.sub, topic);
  }

  /**
   * Deliver events (ascending id) to this subscriber. Fast path: the whole batch in one
   * transaction with one processed_events insert. If any handler throws, that transaction rolls
   * back and the events are redone one transaction each, so only the failing ones are parked.
   * Throws only when the outcome cannot be recorded (database down); the caller must then not
   * mark or ack the batch, and it comes back later.
   */
  async deliver(events: readonly OutboxEvent[]): Promise<void> {
    const mine = events.filter((e) => this.matches(e.topic));
    if (mine.length === 0) return;
    if (!this.parkedLoaded) await this.refreshParked();
    const now = this.o.clock.now();
    const parkRows: RetryRow[] = [];
    const direct: OutboxEvent[] = [];
    for (const e of mine) {
      if (this.parked.has(aggregateKey(e))) parkRows.push(waiting(e, now));
      else direct.push(e);
    }
    if (direct.length > 0) {
      try {
        await this.runInTx(direct);
      } catch (first) {
        if (direct.length === 1) {
          parkRows.push(this.failed(direct[0]!, first, now));
        } else {
          for (const e of direct) {
            if (this.parked.has(aggregateKey(e))) {
              parkRows.push(waiting(e, now));
              continue;
            }
            try {
              await this.runInTx([e]);
            } catch (err) {
              parkRows.push(this.failed(e, err, now));
            }
          }
        }
      }
    }
    await this.repo.insertRetries(this.db.orm, this.name, parkRows);
  }

  /**
   * Retry what is due. Runs at most every retryCheckMs unless forced (drain). Returns how many
   * deliveries succeeded.
   */
  async retryDue(force = false): Promise<number> {
    // Throttled on real time; whether a retry is due follows the clock (tests move it).
    const nowMs = Date.now();
    if (!force && nowMs - this.lastRetryCheck < this.o.retryCheckMs) return 0;
    this.lastRetryCheck = nowMs;
    let delivered = 0;
    let claimedAny = false;
    for (;;) {
      const now = this.o.clock.now();
      const claimed = await this.repo.claimDueRetries(this.db.orm, this.name, now, new Date(now.getTime() + this.o.leaseMs), this.o.batchSize);
      if (claimed.length === 0) break;
      claimedAny = true;
      const attempts = new Map(claimed.map((c) => [c.eventId, c.attempts]));
      const events = await this.repo.loadEvents(this.db.orm, claimed.map((c) => c.eventId));
      const blocked = new Set<string>();
      let progress = 0;
      for (const e of events) {
        const key = aggregateKey(e);
        if (blocked.has(key)) {
          await this.repo.releaseRetries(this.db.orm, this.name, [e.id], now);
          continue;
        }
        try {
          await this.db.orm.transaction(async (tx) => {
            const fresh = await this.repo.markProcessed(tx, this.name, [e.id]);
            if (fresh.size > 0) await this.sub.handler(e, tx);
            await this.repo.deleteRetry(tx, this.name, e.id);
          });
          progress += 1;
        } catch (err) {
          blocked.add(key);
          const n = (attempts.get(e.id) ?? 0) + 1;
          const delay = this.backoffMs(n);
          this.o.log(`subscriber ${this.name} failed on event ${e.id} (${e.topic}) again, attempt ${n}: ${errorText(err)}; next try in ${delay} ms`);
          await this.repo.failRetry(this.db.orm, this.name, e.id, n, new Date(this.o.clock.now().getTime() + delay), errorText(err));
        }
      }
      delivered += progress;
      // Everything claimed failed: what is left is in backoff, come back later.
      if (progress === 0) break;
    }
    if (claimedAny || this.parked.size > 0 || !this.parkedLoaded) await this.refreshParked();
    return delivered;
  }

  private async runInTx(events: readonly OutboxEvent[]): Promise<void> {
    await this.db.orm.transaction(async (tx) => {
      const fresh = await this.repo.markProcessed(tx, this.name, events.map((e) => e.id));
      for (const e of events) if (fresh.has(e.id)) await this.sub.handler(e, tx);
    });
  }

  private failed(e: OutboxEvent, err: unknown, now: Date): RetryRow {
    const delay = this.backoffMs(1);
    this.o.log(`subscriber ${this.name} failed on event ${e.id} (${e.topic}): ${errorText(err)}; retry in ${delay} ms`);
    this.parked.add(aggregateKey(e));
    return { ...waiting(e, now), attempts: 1, nextAttemptAt: new Date(now.getTime() + delay), lastError: errorText(err) };
  }

  private backoffMs(attempts: number): number {
    return Math.min(this.o.retryMaxMs, this.o.retryBaseMs * 2 ** Math.min(30, attempts - 1));
  }

  private async refreshParked(): Promise<void> {
    const rows = await this.repo.parkedAggregates(this.db.orm, this.name);
    this.parked = new Set(rows.map(aggregateKey));
    this.parkedLoaded = true;
  }
}

/** A delivery queued behind an earlier failure of the same aggregate: due as soon as that one is done. */
function waiting(e: OutboxEvent, now: Date): RetryRow {
  return { eventId: e.id, aggregateType: e.aggregateType, aggregateId: e.aggregateId, attempts: 0, nextAttemptAt: now, lastError: null };
}
