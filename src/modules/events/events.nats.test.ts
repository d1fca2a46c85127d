// The NATS JetStream transport against a real server. CI sets TEST_NATS_URL; with it set, an
// unreachable server fails these tests (start() throws), it never skips them.
import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { appendEvents, EventBus, type EventBusOptions } from '.';
import { commit, createEffectsTable, effects, ev, quiet, recorder, resetEvents } from './testing';

const NATS_URL = process.env.TEST_NATS_URL;
if (!NATS_URL) console.log('NATS suites skipped: TEST_NATS_URL is not set (CI sets nats://127.0.0.1:4222).');

describe.skipIf(!NATS_URL).each(testBackends())('events through NATS JetStream on %s', (backend) => {
  let db: TestDatabase;
  let nc: NatsConnection;
  const buses: EventBus[] = [];
  // A stream and subject prefix of its own per test: ids restart with every test's fresh
  // outbox, and JetStream would otherwise drop them as duplicates of an earlier test's msgIDs.
  let stream = '';
  let prefix = '';

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    await createEffectsTable(db);
    nc = await connect({ servers: NATS_URL! });
  });
  afterAll(async () => {
    await nc?.close();
    await db?.dispose();
  });
  beforeEach(async () => {
    await resetEvents(db);
    const tag = `${process.pid}_${randomBytes(4).toString('hex')}`;
    stream = `LINLI_TEST_${tag}`;
    prefix = `linli_test_${tag}.events`;
  });
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.stop()));
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream).catch(() => undefined);
  });

  const bus = (opts: EventBusOptions = {}) => {
    const b = new EventBus(db, { natsUrl: NATS_URL!, stream, subjectPrefix: prefix, log: quiet, retryBaseMs: 10, retryMaxMs: 40, ...opts });
    buses.push(b);
    return b;
  };
  const streamMessages = async () => (await (await jetstreamManager(nc)).streams.info(stream)).state.messages;

  it('publishes committed events once, none from a rolled-back transaction, and each subscriber consumes them once', async () => {
    const b = bus();
    const r = recorder('audit');
    b.subscribe(r.name, '*', r.handler);
    await b.start();
    await expect(
      db.orm.transaction(async (tx) => {
        await appendEvents(tx, [ev('order.created', 1)]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await commit(db, [ev('order.created', 2, { total: 990 }), ev('order.paid', 2)]);
    b.nudge();
    await b.drain();
    // The rolled-back insert used up id 1 (identity values are not given back).
    expect(r.calls.map((e) => [e.id, e.topic, e.aggregateId])).toEqual([
      [2, 'order.created', 2],
      [3, 'order.paid', 2],
    ]);
    expect(r.calls[0]!.payload).toEqual({ total: 990 });
    expect(r.calls[0]!.createdAt).toBeInstanceOf(Date);
    expect(await streamMessages()).toBe(2);
    const subjects = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox_events WHERE published_at IS NULL');
    expect(subjects[0]!.n).toBe(0);
  });

  it('filters topics per durable consumer', async () => {
    const b = bus();
    const created = recorder('created-only');
    const money = recorder('money');
    const all = recorder('all');
    b.subscribe(created.name, ['order.created'], created.handler);
    b.subscribe(money.name, ['order.paid', 'order.refunded'], money.handler);
    b.subscribe(all.name, '*', all.handler);
    await b.start();
    await commit(db, [ev('order.created', 1), ev('order.paid', 1), ev('order.refunded', 1), ev('stock.moved', 9)]);
    b.nudge();
    await b.drain();
    expect(created.calls.map((e) => e.topic)).toEqual(['order.created']);
    expect(money.calls.map((e) => e.topic)).toEqual(['order.paid', 'order.refunded']);
    expect(all.calls.map((e) => e.topic)).toEqual(['order.created', 'order.paid', 'order.refunded', 'stock.moved']);
  });

  it('retries a failing subscriber while the others, and its other aggregates, go on', async () => {
    const b = bus();
    const flaky = recorder('flaky', (e, attempt) => e.aggregateId === 1 && attempt <= 2);
    const steady = recorder('steady');
    b.subscribe(flaky.name, '*', flaky.handler);
    b.subscribe(steady.name, '*', steady.handler);
    await b.start();
    await commit(db, [ev('order.created', 1), ev('order.created', 2), ev('order.paid', 1), ev('order.paid', 2)]);
    b.nudge();
    await b.drain();
    expect((await effects(db, 'steady')).map((e) => e.eventId)).toEqual([1, 2, 3, 4]);
    const got = await effects(db, 'flaky');
    expect(got.map((e) => e.eventId).sort()).toEqual([1, 2, 3, 4]);
    expect(got.filter((e) => e.aggregateId === 1).map((e) => e.eventId)).toEqual([1, 3]);
    expect(flaky.attempts.get(1)).toBe(3);
    expect(await db.query('SELECT 1 FROM event_retries')).toEqual([]);
  });

  it('does not duplicate effects when the relay dies between publishing and marking', async () => {
    const b = bus();
    const r = recorder('ledger');
    b.subscribe(r.name, '*', r.handler);
    await b.start();
    await commit(db, [ev('order.paid', 1), ev('order.paid', 2)]);
    b.nudge();
    await b.drain();
    // The state such a crash leaves: published to JetStream, not marked in the outbox.
    await db.exec('UPDATE outbox_events SET published_at = NULL');
    b.nudge();
    await b.drain();
    // JetStream dropped the re-published msgIDs…
    expect(await streamMessages()).toBe(2);
    // …and a copy that gets past it anyway (another msgID) is skipped by processed_events.
    await jetstream(nc).publish(`${prefix}.order.paid`, JSON.stringify(r.calls[0]), { msgID: 'copy-1' });
    expect(await streamMessages()).toBe(3);
    await b.drain();
    expect((await effects(db, 'ledger')).map((e) => e.eventId)).toEqual([1, 2]);
    expect(r.calls.map((e) => e.id)).toEqual([1, 2]);
  });

  it('keeps each aggregate in order within one process', async () => {
    const b = bus({ batchSize: 16 });
    const r = recorder('timeline');
    b.subscribe(r.name, '*', r.handler);
    await b.start();
    for (let t = 0; t < 20; t++) {
      await commit(db, Array.from({ length: 6 }, (_, i) => ev('order.step', (t + i) % 5)));
      b.nudge();
    }
    await b.drain();
    const got = await effects(db, 'timeline');
    expect(got).toHaveLength(120);
    for (let agg = 0; agg < 5; agg++) {
      const ids = got.filter((e) => e.aggregateId === agg).map((e) => e.eventId);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
    }
  });

  it('two processes on one database: each event handled once per subscriber', async () => {
    const pair = [bus({ batchSize: 20 }), bus({ batchSize: 20 })];
    for (const b of pair) {
      for (const name of ['alpha', 'beta']) b.subscribe(name, name === 'alpha' ? '*' : ['order.created'], recorder(name).handler);
    }
    await Promise.all(pair.map((b) => b.start()));
    await Promise.all(
      Array.from({ length: 4 }, async (_, w) => {
        for (let t = 0; t < 15; t++) {
          await commit(db, Array.from({ length: 4 }, (_, i) => ev('order.created', w * 1000 + t * 4 + i)));
          pair[t % 2]!.nudge();
        }
      }),
    );
    await Promise.all(pair.map((b) => b.drain()));
    for (const name of ['alpha', 'beta']) {
      const ids = (await effects(db, name)).map((e) => e.eventId);
      expect(ids).toHaveLength(240);
      expect(new Set(ids).size).toBe(240);
    }
    expect(await streamMessages()).toBe(240);
  });
});
