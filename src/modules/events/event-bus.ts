import type { Database, Executor } from '../../db';
import { systemClock, type Clock } from '../../kernel';
import { EventsRepo } from './events.repo';
import { checkSubscriberName, checkTopic, errorText, type EventHandler, type OutboxEvent } from './events.types';
import { NatsTransport } from './nats';
import { SubscriberWorker, type WorkerOptions } from './subscriber';

export interface EventBusOptions {
  /** When set, events go through NATS JetStream; otherwise straight to in-process subscribers. */
  natsUrl?: string | undefined;
  clock?: Clock;
  /** How often the outbox is polled for events committed without a nudge (other processes). */
  pollMs?: number;
  /**
   * Least time between relay passes while events keep coming (ms). On PGlite the relay shares
   * the one connection and thread with checkout: a pass after every commit halved checkout
   * throughput, one pass per 50 ms costs little and keeps lag far under a second.
   */
  minPassGapMs?: number;
  /** Most events per relay batch (and per subscriber transaction). */
  batchSize?: number;
  /**
   * PGlite only: the time one relay pass should take (ms). Each subscriber's batch is one
   * transaction on PGlite's single connection, so while it runs every request waits; the
   * batch shrinks when a pass takes longer and grows back (to batchSize) while passes are
   * quick. Default 100.
   */
  passTargetMs?: number;
  log?: (msg: string) => void;
  /** First retry delay of a failed delivery, doubling per attempt up to retryMaxMs. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** JetStream stream and subject prefix; tests pass their own. */
  stream?: string;
  subjectPrefix?: string;
}

type State = 'idle' | 'starting' | 'running' | 'stopping';

/** Fewest events an adaptive (PGlite) pass claims: below this the per-pass costs dominate. */
const MIN_ADAPTIVE_BATCH = 20;

/**
 * The relay from outbox_events to subscribers. See index.ts for the delivery guarantees.
 *
 * One loop per process: claim a batch of unpublished events, hand it on (to every in-process
 * subscriber, or to JetStream), mark it published, and go again at once while there is work;
 * otherwise sleep until nudged or pollMs passes. Passes are serialised by a mutex shared with
 * drain(), so tests can drive a bus that was never started.
 */
export class EventBus {
  private readonly repo = new EventsRepo();
  private readonly workers = new Map<string, SubscriberWorker>();
  private readonly clock: Clock;
  private readonly pollMs: number;
  private readonly minPassGapMs: number;
  private readonly batchSize: number;
  private readonly passTargetMs: number | null;
  /** Events the next pass claims: batchSize, or on PGlite what fits in passTargetMs. */
  private batch: number;
  private readonly log: (msg: string) => void;
  private readonly workerOpts: WorkerOptions;
  private nats: NatsTransport | null = null;
  private state: State = 'idle';
  private loopDone: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private nudged = false;
  private mutex: Promise<unknown> = Promise.resolve();
  private lastRetryScan = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: Database,
    private readonly opts: EventBusOptions = {},
  ) {
    this.clock = opts.clock ?? systemClock;
    this.pollMs = opts.pollMs ?? 250;
    this.minPassGapMs = opts.minPassGapMs ?? (db.kind === 'pglite' ? 50 : 0);
    this.batchSize = opts.batchSize ?? 500;
    this.passTargetMs = db.kind === 'pglite' ? (opts.passTargetMs ?? 100) : null;
    // On PGlite the first pass is small: after a start there may be a backlog of heavy events
    // (a fresh demo city leaves ~1,000), and the first requests should not wait behind it.
    this.batch = this.passTargetMs === null ? this.batchSize : Math.min(this.batchSize, MIN_ADAPTIVE_BATCH);
    this.log = opts.log ?? ((m) => console.warn(`events: ${m}`));
    this.workerOpts = {
      clock: this.clock,
      log: this.log,
      retryBaseMs: opts.retryBaseMs ?? 500,
      retryMaxMs: opts.retryMaxMs ?? 5 * 60_000,
      retryCheckMs: Math.max(this.pollMs, Math.min(1000, opts.retryBaseMs ?? 1000)),
      leaseMs: 60_000,
      batchSize: this.batchSize,
    };
  }

  get transport(): 'in-process' | 'nats' {
    return this.opts.natsUrl ? 'nats' : 'in-process';
  }

  /**
   * Register a subscriber before start(). `name` identifies it for good (processed_events rows,
   * the JetStream durable consumer): renaming it means every event is new to it.
   */
  subscribe(name: string, topics: string[] | '*', handler: EventHandler): void {
    checkSubscriberName(name);
    if (this.workers.has(name)) throw new Error(`events: subscriber ${name} is already registered`);
    if (this.state !== 'idle') throw new Error('events: subscribe before start()');
    if (topics !== '*') {
      if (!Array.isArray(topics) || topics.length === 0) throw new Error(`events: subscriber ${name} needs topics or '*'`);
      topics.forEach((t) => checkTopic(t, 'topics'));
    }
    const sub = { name, topics: topics === '*' ? ('*' as const) : new Set(topics), handler };
    this.workers.set(name, new SubscriberWorker(this.db, sub, this.workerOpts));
  }

  async start(): Promise<void> {
    if (this.state !== 'idle') return;
    this.state = 'starting';
    try {
      if (this.opts.natsUrl) {
        this.nats = await NatsTransport.open({
          url: this.opts.natsUrl,
          stream: this.opts.stream ?? 'LINLI_EVENTS',
          subjectPrefix: this.opts.subjectPrefix ?? 'linli.events',
          batchSize: this.batchSize,
          retryCheckMs: this.workerOpts.retryCheckMs,
          log: this.log,
        });
        // Consumers first: they are durable and start from the stream's beginning, so nothing
        // the relay publishes from here on can be missed.
        for (const w of this.workers.values()) await this.nats.startConsumer(w);
      }
    } catch (e) {
      this.state = 'idle';
      await this.nats?.close().catch(() => undefined);
      this.nats = null;
      throw e;
    }
    this.state = 'running';
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopping';
    this.kick();
    await this.loopDone;
    await this.nats?.close();
    this.nats = null;
    this.state = 'idle';
  }

  /** Call after committing a transaction that appended events: the relay runs now, not at the next poll. */
  nudge(): void {
    this.nudged = true;
    this.kick();
  }

  /**
   * Resolve once every event committed before the call has been delivered to every subscriber
   * (including retries that succeed meanwhile); for tests and benchmarks. Works on a bus that
   * was never started in in-process mode; NATS mode needs start().
   */
  async drain(opts: { timeoutMs?: number } = {}): Promise<void> {
    const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
    const maxId = await this.repo.maxEventId(this.db.orm);
    const names = [...this.workers.keys()];
    if (this.opts.natsUrl && !this.nats) throw new Error('events: drain() in NATS mode needs start()');
    for (;;) {
      const moved = await this.exclusive(() => this.relayOnce());
      if (moved > 0) continue;
      if ((await this.repo.unpublishedUpTo(this.db.orm, maxId)) === 0) break;
      await this.waitUntil(deadline, 'events still unpublished', 20);
    }
    if (this.nats) {
      for (const name of names) {
        while (!(await this.nats.consumerIdle(name))) await this.waitUntil(deadline, `consumer ${name} still has messages`, 10);
      }
    }
    for (;;) {
      if (!this.nats) await this.exclusive(() => this.retryPass(true));
      const left = await this.repo.retriesUpTo(this.db.orm, names, maxId);
      if (left.count === 0) return;
      const wait = left.nextDue ? left.nextDue.getTime() - this.clock.now().getTime() : 20;
      await this.waitUntil(deadline, `${left.count} delivery(ies) waiting to be retried`, Math.min(250, Math.max(5, wait)));
    }
  }

  private async waitUntil(deadline: number, what: string, ms: number): Promise<void> {
    if (Date.now() + ms > deadline) throw new Error(`events: drain timed out: ${what}`);
    await new Promise((r) => setTimeout(r, ms));
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.mutex.then(fn, fn);
    this.mutex = run.catch(() => undefined);
    return run;
  }

  private kick(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.state === 'running') {
      this.nudged = false;
      let moved = 0;
      try {
        const started = performance.now();
        moved = await this.exclusive(() => this.relayOnce(this.batch));
        this.fitBatch(moved, performance.now() - started);
        if (!this.nats) await this.exclusive(() => this.retryPass(false));
        failures = 0;
      } catch (e) {
        failures += 1;
        this.log(`relay failed (${failures} in a row): ${errorText(e)}`);
      }
      if (this.state !== 'running') break;
      if (failures === 0 && (moved > 0 || this.nudged)) {
        if (this.minPassGapMs > 0) await new Promise((r) => setTimeout(r, this.minPassGapMs));
        continue;
      }
      const ms = failures > 0 ? Math.min(30_000, this.pollMs * 2 ** Math.min(7, failures)) : this.pollMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /**
   * In-process retries. One query finds the subscribers with something due, so an idle relay
   * costs one query per retryCheckMs however many subscribers there are. (In NATS mode each
   * consumer loop runs its own subscriber's retries.)
   */
  private async retryPass(force: boolean): Promise<void> {
    if (!force && Date.now() - this.lastRetryScan < this.workerOpts.retryCheckMs) return;
    this.lastRetryScan = Date.now();
    const due = force ? null : new Set(await this.repo.subscribersWithDueRetries(this.db.orm, this.clock.now()));
    const workers = [...this.workers.values()].filter((w) => !due || due.has(w.name) || w.hasParked);
    const results = await Promise.allSettled(workers.map((w) => w.retryDue(true)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * PGlite: size the next batch so a pass takes about passTargetMs. Halving is too slow to
   * react to a backlog of heavy events and doubling is quick enough to reach batchSize for
   * light ones, so shrink in proportion and grow by doubling (only after a full batch: a
   * partial one says nothing about how many more would fit).
   */
  private fitBatch(moved: number, ms: number): void {
    if (this.passTargetMs === null || moved === 0) return;
    if (ms > this.passTargetMs) this.batch = Math.max(MIN_ADAPTIVE_BATCH, Math.floor((moved * this.passTargetMs) / ms));
    else if (moved >= this.batch && ms < this.passTargetMs / 2) this.batch = Math.min(this.batchSize, this.batch * 2);
  }

  /**
   * One batch: claim, hand on, mark published; returns how many events it moved. On PostgreSQL
   * the claim's row locks are held by a transaction on one pooled connection until the batch is
   * marked, while subscriber transactions run on others. PGlite is one connection inside this
   * one process (no second relay can exist), so there it claims without holding a transaction.
   */
  private async relayOnce(limit = this.batchSize): Promise<number> {
    const run = async (ex: Executor): Promise<number> => {
      const events = await this.repo.claimUnpublished(ex, limit);
      if (events.length === 0) return 0;
      await this.handOn(events);
      await this.repo.markPublished(ex, events.map((e) => e.id));
      return events.length;
    };
    return this.db.kind === 'postgres' ? this.db.orm.transaction(run) : run(this.db.orm);
  }

  private async handOn(events: OutboxEvent[]): Promise<void> {
    if (this.nats) {
      await this.nats.publish(events);
      return;
    }
    // Subscribers are independent: each takes the batch in its own transactions, side by side.
    // allSettled: none may still be running when a failure makes the caller give the batch back.
    const results = await Promise.allSettled([...this.workers.values()].map((w) => w.deliver(events)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
