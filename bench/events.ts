// `linli bench events`: the outbox relay (src/modules/events) end to end, commit → handler.
//  - idle: one event per transaction, one at a time, nudged; lagP50Ms/lagP99Ms are what a
//    read model or dashboard waits after a commit when the system is quiet (target: tens of ms).
//  - load: `producers` concurrent writers commit N events in transactions of `batch`, nudging
//    after each; eventsPerSec is N over first commit → last handled, loadLag* the lag meanwhile.
// One subscriber with an empty handler, so the figure is the bus's own cost: claim, deliver with
// the processed_events insert, mark published (plus the JetStream round trip with --nats-url).
import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { migrate, openDatabase, type Database } from '../src/db';
import { appendEvents, EventBus, type OutboxEvent } from '../src/modules/events';
import { dropPostgres, freshPostgres } from './child';
import { saveResult } from './results';

const BENCH_DB = 'linli_bench_events';

export interface EventsBenchOptions {
  events: number;
  batch: number;
  producers: number;
  idleSamples: number;
  /** PostgreSQL server (a database linli_bench_events is dropped and re-created there); else PGlite in memory. */
  databaseUrl?: string | undefined;
  /** NATS server with JetStream: relay through it (a stream of the bench's own, deleted after). */
  natsUrl?: string | undefined;
  log?: (msg: string) => void;
  /** An already open database (tests pass a cloned one); left open. */
  db?: Database;
}

export interface EventsBenchResult {
  name: 'events';
  backend: 'pglite' | 'postgres';
  transport: 'in-process' | 'nats';
  events: number;
  batch: number;
  producers: number;
  eventsPerSec: number;
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  idleSamples: number;
  loadLagP50Ms: number;
  loadLagP99Ms: number;
  node: string;
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function openBenchDatabase(url: string | undefined): Promise<Database> {
  if (!url) return openDatabase({});
  return openDatabase({ databaseUrl: await freshPostgres(url, BENCH_DB), poolSize: 20 });
}

/** Commit times by the key each event carries, and the lag of each as its handler sees it. */
class LagMeter {
  private readonly committed = new Map<number, number>();
  private readonly waiters = new Map<number, () => void>();
  lags: number[] = [];
  handled = 0;

  committedAt(keys: number[], t: number): void {
    for (const k of keys) this.committed.set(k, t);
  }

  handle(e: OutboxEvent): void {
    const now = performance.now();
    const k = (e.payload as { k: number }).k;
    const at = this.committed.get(k);
    if (at !== undefined) this.lags.push(now - at);
    this.handled += 1;
    this.waiters.get(k)?.();
    this.waiters.delete(k);
  }

  waitFor(k: number): Promise<void> {
    return new Promise((resolve) => this.waiters.set(k, resolve));
  }

  reset(): void {
    this.committed.clear();
    this.lags = [];
    this.handled = 0;
  }
}

export async function runEventsBench(opts: EventsBenchOptions): Promise<EventsBenchResult> {
  const log = opts.log ?? (() => undefined);
  const backend = opts.db?.kind ?? (opts.databaseUrl ? 'postgres' : 'pglite');
  const db = opts.db ?? (await openBenchDatabase(opts.databaseUrl));
  const tag = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const stream = `LINLI_BENCH_${tag}`;
  const meter = new LagMeter();
  const bus = new EventBus(db, {
    natsUrl: opts.natsUrl,
    stream,
    subjectPrefix: `linli_bench_${tag}.events`,
    log: (m) => log(`bus: ${m}`),
  });
  bus.subscribe('bench', '*', async (e) => meter.handle(e));
  let key = 0;
  const append = async (n: number) => {
    const keys = Array.from({ length: n }, () => ++key);
    await db.orm.transaction((tx) =>
      appendEvents(tx, keys.map((k) => ({ topic: 'bench.tick', aggregateType: 'bench', aggregateId: k % 997, payload: { k } }))),
    );
    meter.committedAt(keys, performance.now());
    bus.nudge();
  };
  try {
    await migrate(db);
    await bus.start();
    log(`${backend}, ${bus.transport}: warming up`);
    for (let i = 0; i < Math.min(20, opts.idleSamples); i++) {
      const done = meter.waitFor(key + 1);
      await append(1);
      await done;
    }

    log(`idle lag: ${opts.idleSamples} single-event transactions`);
    meter.reset();
    for (let i = 0; i < opts.idleSamples; i++) {
      const done = meter.waitFor(key + 1);
      await append(1);
      await done;
      await new Promise((r) => setTimeout(r, 2));
    }
    const idle = [...meter.lags].sort((a, b) => a - b);

    log(`load: ${opts.events} events, ${opts.batch} per transaction, ${opts.producers} producers`);
    meter.reset();
    const perProducer = Math.ceil(opts.events / opts.batch / opts.producers);
    const total = perProducer * opts.producers * opts.batch;
    const t0 = performance.now();
    const allHandled = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (meter.handled >= total) {
          clearInterval(check);
          resolve();
        }
      }, 1);
    });
    await Promise.all(
      Array.from({ length: opts.producers }, async () => {
        for (let i = 0; i < perProducer; i++) await append(opts.batch);
      }),
    );
    await allHandled;
    const elapsedS = (performance.now() - t0) / 1000;
    const load = [...meter.lags].sort((a, b) => a - b);
    return {
      name: 'events',
      backend,
      transport: bus.transport,
      events: total,
      batch: opts.batch,
      producers: opts.producers,
      eventsPerSec: Math.round(total / elapsedS),
      lagP50Ms: round(percentile(idle, 50)),
      lagP99Ms: round(percentile(idle, 99)),
      lagMaxMs: round(idle[idle.length - 1] ?? 0),
      idleSamples: idle.length,
      loadLagP50Ms: round(percentile(load, 50)),
      loadLagP99Ms: round(percentile(load, 99)),
      node: process.version,
    };
  } finally {
    await bus.stop();
    if (!opts.db) await db.close();
    if (opts.natsUrl) {
      const nc = await connect({ servers: opts.natsUrl });
      await (await jetstreamManager(nc)).streams.delete(stream).catch(() => undefined);
      await nc.close();
    }
    if (opts.databaseUrl && !opts.db) await dropPostgres(opts.databaseUrl, BENCH_DB);
  }
}

export function saveEventsResult(r: EventsBenchResult): string {
  return saveResult(`events-${r.backend}${r.transport === 'nats' ? '-nats' : ''}`, r);
}

export function formatEvents(r: EventsBenchResult): string {
  return [
    `events on ${r.backend}, ${r.transport}: ${r.eventsPerSec} events/s (${r.events} events, ${r.batch} per transaction, ${r.producers} producers)`,
    `  commit → handler when idle: p50 ${r.lagP50Ms} ms, p99 ${r.lagP99Ms} ms, max ${r.lagMaxMs} ms (${r.idleSamples} samples)`,
    `  under load: p50 ${r.loadLagP50Ms} ms, p99 ${r.loadLagP99Ms} ms`,
  ].join('\n');
}
