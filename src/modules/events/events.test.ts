import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { DomainError, ManualClock } from '../../kernel';
import { appendEvents, EventBus, takeAsProcessed, type EventBusOptions } from '.';
import { commit, createEffectsTable, effects, ev, quiet, recorder, resetEvents } from './testing';

describe.each(testBackends())('events in process on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(backend);
    await createEffectsTable(db);
  });
  afterAll(async () => db.dispose());
  beforeEach(async () => resetEvents(db));

  const bus = (opts: EventBusOptions = {}) => new EventBus(db, { log: quiet, retryBaseMs: 10, retryMaxMs: 40, ...opts });
  const outbox = () => db.query<{ id: number; published: boolean }>('SELECT id::int AS id, published_at IS NOT NULL AS published FROM outbox_events ORDER BY id');

  it('writes events with the transaction: a rollback leaves none, a commit is delivered once', async () => {
    const b = bus();
    const r = recorder('audit');
    b.subscribe('audit', '*', r.handler);
    await expect(
      db.orm.transaction(async (tx) => {
        await appendEvents(tx, [ev('order.created', 1, { total: 1290 })]);
        throw new Error('checkout failed');
      }),
    ).rejects.toThrow('checkout failed');
    expect(await outbox()).toEqual([]);

    await commit(db, [ev('order.created', 2, { total: 990 }), ev('order.paid', 2)]);
    await b.drain();
    await b.drain();
    expect(r.calls.map((e) => [e.topic, e.aggregateType, e.aggregateId])).toEqual([
      ['order.created', 'order', 2],
      ['order.paid', 'order', 2],
    ]);
    expect(r.calls[0]!.payload).toEqual({ total: 990 });
    expect(r.calls[0]!.createdAt).toBeInstanceOf(Date);
    expect(await effects(db, 'audit')).toHaveLength(2);
    expect((await outbox()).every((e) => e.published)).toBe(true);
  });

  it('refuses malformed events before writing anything, naming the field', async () => {
    for (const [bad, field] of [
      [{ ...ev('Order.Created', 1) }, 'events[1].topic'],
      [{ ...ev('order..created', 1) }, 'events[1].topic'],
      [{ ...ev('order.created', 1.5) }, 'events[1].aggregateId'],
      [{ ...ev('order.created', 1), aggregateType: '' }, 'events[1].aggregateType'],
      [{ ...ev('order.created', 1), payload: undefined }, 'events[1].payload'],
    ] as const) {
      const err = await commit(db, [ev('order.created', 1), bad]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).field).toBe(field);
    }
    // The database refuses what TypeScript would have, too.
    await expect(db.exec(`INSERT INTO outbox_events (topic, aggregate_type, aggregate_id, payload) VALUES ('order.', 'order', 1, '{}')`)).rejects.toThrow();
    expect(await outbox()).toEqual([]);
  });

  it('delivers only the topics each subscriber asked for', async () => {
    const b = bus();
    const created = recorder('created-only');
    const money = recorder('money');
    const all = recorder('all');
    b.subscribe(created.name, ['order.created'], created.handler);
    b.subscribe(money.name, ['order.paid', 'order.refunded'], money.handler);
    b.subscribe(all.name, '*', all.handler);
    await commit(db, [ev('order.created', 1), ev('order.paid', 1), ev('order.refunded', 1), ev('stock.moved', 9)]);
    await b.drain();
    expect(created.calls.map((e) => e.topic)).toEqual(['order.created']);
    expect(money.calls.map((e) => e.topic)).toEqual(['order.paid', 'order.refunded']);
    expect(all.calls.map((e) => e.topic)).toEqual(['order.created', 'order.paid', 'order.refunded', 'stock.moved']);
  });

  it('retries a failing subscriber with backoff, keeps its aggregate in order, and lets others progress', async () => {
    const clock = new ManualClock();
    const b = bus({ clock, retryBaseMs: 1000, retryMaxMs: 60_000 });
    // Refuses the first event of order 1 three times: in the batch, alone, and at the first retry.
    const flaky = recorder('flaky', (e, attempt) => e.id === 1 && attempt <= 3);
    const steady = recorder('steady');
    b.subscribe(flaky.name, '*', flaky.handler);
    b.subscribe(steady.name, '*', steady.handler);
    await commit(db, [ev('order.created', 1), ev('order.created', 2), ev('order.paid', 1), ev('order.paid', 2)]);
    const retries = async () =>
      (await db.query<{ event_id: number; attempts: number; next: Date; last_error: string | null }>(
        `SELECT event_id::int AS event_id, attempts, next_attempt_at AS next, last_error FROM event_retries WHERE subscriber = 'flaky' ORDER BY event_id`,
      ));

    // Nothing is due until the clock moves: drain gives up, and says why.
    await expect(b.drain({ timeoutMs: 50 })).rejects.toThrow(/2 delivery\(ies\) waiting to be retried/);
    expect((await effects(db, 'steady')).map((e) => e.eventId)).toEqual([1, 2, 3, 4]);
    // The batch's other effects landed once; order 1's first event failed, its second waits behind it.
    expect((await effects(db, 'flaky')).map((e) => e.eventId)).toEqual([2, 4]);
    let r = await retries();
    expect(r.map((x) => [x.event_id, x.attempts])).toEqual([[1, 1], [3, 0]]);
    expect(r[0]!.last_error).toMatch(/refuses event 1/);
    expect(new Date(r[0]!.next).getTime() - clock.now().getTime()).toBe(1000);
    expect((await outbox()).every((e) => e.published)).toBe(true);

    clock.advance(1000);
    await expect(b.drain({ timeoutMs: 50 })).rejects.toThrow(/waiting to be retried/);
    r = await retries();
    expect(r.map((x) => [x.event_id, x.attempts])).toEqual([[1, 2], [3, 0]]);
    expect(new Date(r[0]!.next).getTime() - clock.now().getTime()).toBe(2000); // doubled
    expect(flaky.calls.filter((e) => e.id === 3)).toEqual([]);

    clock.advance(2000);
    await b.drain();
    const got = await effects(db, 'flaky');
    // Each effect exactly once (failed attempts rolled back), order 1's events in order.
    expect(got.map((e) => e.eventId)).toEqual([2, 4, 1, 3]);
    expect(flaky.attempts.get(1)).toBe(4);
    expect(await retries()).toEqual([]);
  });

  it('parks a poison event without holding other aggregates, and drain says what is stuck', async () => {
    const b = bus({ retryBaseMs: 5, retryMaxMs: 5 });
    const r = recorder('reader', (e) => e.aggregateId === 7);
    b.subscribe(r.name, '*', r.handler);
    await commit(db, [ev('order.created', 7), ev('order.created', 8)]);
    await commit(db, [ev('order.paid', 7), ev('order.paid', 8)]);
    await expect(b.drain({ timeoutMs: 300 })).rejects.toThrow(/waiting to be retried/);
    expect((await effects(db, 'reader')).map((e) => e.eventId)).toEqual([2, 4]);
    // Only the head of order 7 is ever tried; the later event of order 7 waits behind it.
    expect(r.calls.filter((e) => e.id === 3)).toEqual([]);
    expect(r.attempts.get(1)).toBeGreaterThanOrEqual(3);
  });

  it('takes a rebuilt subscriber’s pending events as processed: it skips them (and its parked ones), the others still get them', async () => {
    const b = bus({ retryBaseMs: 5, retryMaxMs: 5 });
    // `rebuilt` fails on order 1 until its state is rebuilt; `other` takes everything.
    let rebuilt = false;
    const mine = recorder('rebuilt', (e) => !rebuilt && e.aggregateId === 1);
    const other = recorder('other');
    b.subscribe(mine.name, ['order.created', 'order.paid'], mine.handler);
    b.subscribe(other.name, '*', other.handler);
    await commit(db, [ev('order.created', 1), ev('order.created', 2)]);
    await expect(b.drain({ timeoutMs: 200 })).rejects.toThrow(/waiting to be retried/);
    expect((await effects(db, 'rebuilt')).map((e) => e.eventId)).toEqual([2]);
    await commit(db, [ev('order.paid', 1), ev('order.paid', 2), ev('stock.moved', 3)]);

    // The rebuild (here: nothing) and the marking in one transaction; only its own topics are taken.
    const taken = await db.orm.transaction((tx) => takeAsProcessed(tx, 'rebuilt', ['order.created', 'order.paid']));
    expect(taken).toBe(2);
    rebuilt = true;
    await b.drain({ timeoutMs: 2_000 });
    // The parked event and the two pending ones are never applied by `rebuilt` …
    expect((await effects(db, 'rebuilt')).map((e) => e.eventId)).toEqual([2]);
    expect(await db.query(`SELECT 1 FROM event_retries`)).toEqual([]);
    // … while `other` gets every event once.
    expect((await effects(db, 'other')).map((e) => e.eventId)).toEqual([1, 2, 3, 4, 5]);
    // Events committed afterwards reach it as usual, also for the aggregate that was parked.
    await commit(db, [ev('order.paid', 9), ev('order.created', 1)]);
    await b.drain({ timeoutMs: 2_000 });
    expect((await effects(db, 'rebuilt')).map((e) => e.eventId).sort((x, y) => x - y)).toEqual([2, 6, 7]);
  });

  it('skips an event it already processed when it comes again (crash after delivery, before marking)', async () => {
    const b = bus();
    const r = recorder('ledger');
    b.subscribe(r.name, ['order.paid'], r.handler);
    await commit(db, [ev('order.paid', 1), ev('order.paid', 2)]);
    await b.drain();
    // What a relay dying between delivery and marking leaves behind.
    await db.exec('UPDATE outbox_events SET published_at = NULL');
    await commit(db, [ev('order.paid', 3)]);
    await b.drain();
    expect((await effects(db, 'ledger')).map((e) => e.eventId)).toEqual([1, 2, 3]);
    expect(r.calls.map((e) => e.id)).toEqual([1, 2, 3]);
    expect((await outbox()).every((e) => e.published)).toBe(true);
  });

  it('keeps each aggregate in order across many transactions and batches', async () => {
    const b = bus({ batchSize: 7 });
    const r = recorder('timeline');
    b.subscribe(r.name, '*', r.handler);
    let n = 0;
    for (let t = 0; t < 20; t++) {
      await commit(db, Array.from({ length: 6 }, (_, i) => ev('order.step', (t + i) % 5, { n: n++ })));
    }
    await b.drain();
    const got = await effects(db, 'timeline');
    expect(got).toHaveLength(120);
    for (let agg = 0; agg < 5; agg++) {
      const ids = got.filter((e) => e.aggregateId === agg).map((e) => e.eventId);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
    }
  });

  it('delivers soon after a nudge when started, and again after a restart', async () => {
    // A long poll interval: only the nudge can explain a prompt delivery.
    const b = bus({ pollMs: 60_000 });
    const r = recorder('live');
    b.subscribe(r.name, '*', r.handler);
    await b.start();
    try {
      await commit(db, [ev('order.created', 1)]);
      b.nudge();
      await waitFor(() => r.calls.length === 1);
      await b.stop();
      await commit(db, [ev('order.created', 2)]);
      await b.start();
      b.nudge();
      await waitFor(() => r.calls.length === 2);
    } finally {
      await b.stop();
    }
  });

  it.runIf(backend === 'pglite')('on PGlite keeps each pass short, so a request waits for one small batch, not a backlog; quick events get full batches', async () => {
    // Slow events (20 ms each, as heavy read-model updates can be) against a 100 ms pass target.
    const slow = bus({ pollMs: 60_000, batchSize: 500, passTargetMs: 100 });
    const batches: number[] = [];
    let current: unknown = null;
    const count = (_e: unknown, tx: unknown) => {
      if (tx !== current) {
        current = tx;
        batches.push(0);
      }
      batches[batches.length - 1]! += 1;
    };
    slow.subscribe('sized', '*', async (e, tx) => {
      count(e, tx);
      await new Promise((r) => setTimeout(r, 20));
    });
    await commit(db, Array.from({ length: 100 }, (_, i) => ev('order.created', i + 1)));
    await slow.start();
    try {
      await waitFor(() => batches.length > 0);
      // A request now waits for the pass under way, not for the other events behind it.
      await db.query('SELECT 1');
      expect(batches.reduce((a, b) => a + b, 0)).toBeLessThan(100);
      await waitFor(() => batches.reduce((a, b) => a + b, 0) === 100, 30_000);
      expect(Math.max(...batches)).toBeLessThanOrEqual(20);
    } finally {
      await slow.stop();
    }

    // Quick events: the batch doubles up to batchSize (a generous target, so a busy machine still shows it).
    const quick = bus({ pollMs: 60_000, batchSize: 400, passTargetMs: 2_000 });
    batches.length = 0;
    current = null;
    quick.subscribe('sized-quick', '*', async (e, tx) => count(e, tx));
    await commit(db, Array.from({ length: 2_000 }, (_, i) => ev('order.created', i + 1)));
    await quick.start();
    try {
      await waitFor(() => batches.reduce((a, b) => a + b, 0) === 2_000, 30_000);
      expect(batches.slice(0, 5)).toEqual([20, 40, 80, 160, 320]);
      expect(Math.max(...batches)).toBe(400);
    } finally {
      await quick.stop();
    }
  });

  it('refuses bad subscriptions', () => {
    const b = bus();
    const r = recorder('x');
    expect(() => b.subscribe('Bad Name', '*', r.handler)).toThrow(/subscriber name/);
    expect(() => b.subscribe('ok', ['order..paid'], r.handler)).toThrow(/topic/);
    expect(() => b.subscribe('ok', [], r.handler)).toThrow(/topics/);
    b.subscribe('ok', '*', r.handler);
    expect(() => b.subscribe('ok', '*', r.handler)).toThrow(/already registered/);
  });

  it.runIf(backend === 'postgres')('relays an event whose lower id commits after a higher one was relayed', async () => {
    const b = bus();
    const r = recorder('late');
    b.subscribe(r.name, '*', r.handler);
    let inserted!: () => void;
    let release!: () => void;
    const didInsert = new Promise<void>((res) => (inserted = res));
    const gate = new Promise<void>((res) => (release = res));
    // Takes id 1 first, commits last.
    const slow = db.orm.transaction(async (tx) => {
      await appendEvents(tx, [ev('order.created', 1)]);
      inserted();
      await gate;
    });
    await didInsert;
    await commit(db, [ev('order.created', 2)]);
    await b.drain();
    expect(r.calls.map((e) => e.id)).toEqual([2]);
    release();
    await slow;
    await b.drain();
    expect(r.calls.map((e) => e.id)).toEqual([2, 1]);
  });

  it.runIf(backend === 'postgres')('two relays on one PostgreSQL database handle each event once per subscriber', async () => {
    const buses = [bus({ batchSize: 20 }), bus({ batchSize: 20 })];
    const seen = new Map<string, number[]>();
    for (const b of buses) {
      for (const name of ['alpha', 'beta']) {
        const r = recorder(name);
        b.subscribe(name, '*', async (e, tx) => {
          await r.handler(e, tx);
          seen.set(name, [...(seen.get(name) ?? []), e.id]);
        });
      }
    }
    await Promise.all(buses.map((b) => b.start()));
    try {
      await Promise.all(
        Array.from({ length: 4 }, async (_, w) => {
          for (let t = 0; t < 15; t++) {
            await commit(db, Array.from({ length: 4 }, (_, i) => ev('order.created', w * 1000 + t * 4 + i)));
            buses[t % 2]!.nudge();
          }
        }),
      );
      await Promise.all(buses.map((b) => b.drain()));
    } finally {
      await Promise.all(buses.map((b) => b.stop()));
    }
    for (const name of ['alpha', 'beta']) {
      const ids = (await effects(db, name)).map((e) => e.eventId);
      expect(ids).toHaveLength(240);
      expect(new Set(ids).size).toBe(240);
    }
  });
});

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
