// The Redis stock front against a real Redis, on both backends: the Lua scripts, lazy loading,
// settling and reconciliation. Checkout through the front is tested in
// src/flows/checkout/checkout.redis.test.ts.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { makeCommerceWorld, type CommerceWorld } from '../../flows/testing';
import { InventoryService, RedisStockFront, type StockKey } from '.';
import { dropPrefix, keysUnder, skipRedis, TEST_REDIS_URL, testRedis, uniquePrefix } from './redis-front.testing';

describe.skipIf(skipRedis()).each(testBackends())('Redis stock front on %s', (backend) => {
  let db: TestDatabase;
  let w: CommerceWorld;
  let front: RedisStockFront;
  let redis: Redis;
  let inventory: InventoryService;
  let loc: number;
  const prefix = uniquePrefix();
  const key = (i: number): StockKey => ({ locationId: loc, skuId: w.skuIds[i]! });
  const lines = (...q: number[]) => q.map((quantity, i) => ({ skuId: w.skuIds[i]!, quantity })).filter((l) => l.quantity > 0);
  let n = 0;
  const req = (ls: { skuId: number; quantity: number }[], buyer = 0) => ({ buyerAccountId: w.buyerIds[buyer]!, idempotencyKey: `k${n++}`, locationId: loc, lines: ls });
  const pgAvailable = async (i: number) => (await inventory.level(key(i))).available;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    w = await makeCommerceWorld(db, { buyers: 5, skus: [{ priceFen: 100, stock: 5 }, { priceFen: 100, stock: 2 }, { priceFen: 100, stock: 9 }] });
    inventory = new InventoryService(db);
    loc = await inventory.locationOfWarehouse(w.centralWarehouseId);
    front = await RedisStockFront.connect({ url: TEST_REDIS_URL!, db, prefix, reconcileEveryMs: 0 });
    redis = testRedis();
  });
  afterAll(async () => {
    await front?.close();
    if (redis) await dropPrefix(redis, prefix);
    await redis?.quit();
    await db?.dispose();
  });

  it('loads SKUs lazily from PostgreSQL and takes all lines of an order or none', async () => {
    expect(await front.available(key(0))).toBeNull();
    const refused = await front.admit(req(lines(2, 3)));
    expect(refused).toEqual({ kind: 'sold_out', line: 1, available: 2 });
    expect([await front.available(key(0)), await front.available(key(1))]).toEqual([5, 2]);

    const ok = await front.admit(req(lines(2, 2)));
    expect(ok.kind).toBe('proceed');
    expect([await front.available(key(0)), await front.available(key(1))]).toEqual([3, 0]);
    // PostgreSQL refused (or failed): the units come back, once.
    if (ok.kind === 'proceed') {
      await ok.settle(false);
      await ok.settle(false);
    }
    expect([await front.available(key(0)), await front.available(key(1))]).toEqual([5, 2]);
    expect(front.stats()).toMatchObject({ admitted: 1, soldOut: 1, loads: 2 });
  });

  it('names the first line that cannot be had, by its index in the request', async () => {
    const r = await front.admit(req([{ skuId: w.skuIds[2]!, quantity: 1 }, { skuId: w.skuIds[1]!, quantity: 3 }]));
    expect(r).toEqual({ kind: 'sold_out', line: 1, available: 2 });
    expect(await front.available(key(2))).toBe(9);
  });

  it('reconciliation repairs drift both ways and keeps pending admissions taken', async () => {
    const pending = await front.admit(req(lines(1)));
    expect(await front.available(key(0))).toBe(4);
    await redis.hset(front.stockKey(key(0)), 'avail', 40);
    await redis.hset(front.stockKey(key(1)), 'avail', 0);
    const r = await front.reconcileNow();
    expect(r.adjustedUnits).toBe(36 + 2);
    // PostgreSQL has 5 available; one unit is still out with an admission whose outcome is unknown.
    expect(await front.available(key(0))).toBe((await pgAvailable(0)) - 1);
    expect(await front.available(key(1))).toBe(await pgAvailable(1));
    if (pending.kind === 'proceed') await pending.settle(false);
    expect(await front.available(key(0))).toBe(await pgAvailable(0));
    // In step, reconciling changes nothing.
    expect((await front.reconcileNow()).adjustedUnits).toBe(0);
  });

  it('a kept admission without an order is corrected by reconciliation', async () => {
    const r = await front.admit(req(lines(0, 0, 3)));
    if (r.kind === 'proceed') await r.settle(true);
    expect(await front.available(key(2))).toBe(6);
    await front.reconcileNow([key(2)]);
    expect(await front.available(key(2))).toBe(9);
  });

  it('admissions of a process that died are given back after their deadline', async () => {
    const short = await RedisStockFront.connect({ url: TEST_REDIS_URL!, db, prefix, reconcileEveryMs: 0, admissionTtlMs: 30 });
    try {
      const r = await short.admit(req(lines(0, 0, 2)));
      expect(r.kind).toBe('proceed');
      expect(await short.available(key(2))).toBe(7);
      await new Promise((res) => setTimeout(res, 60));
      await short.reconcileNow([key(2)]);
      expect(await short.available(key(2))).toBe(9);
    } finally {
      await short.close();
    }
  });

  it('a key seen before is sent to PostgreSQL without taking units (it may be a retry)', async () => {
    const first = req(lines(1), 3);
    const a = await front.admit(first);
    expect(a.kind).toBe('proceed');
    const again = await front.admit(first);
    expect(again.kind).toBe('proceed');
    expect(await front.available(key(0))).toBe(4);
    if (a.kind === 'proceed') await a.settle(false);
    if (again.kind === 'proceed') await again.settle(false);
    expect(await front.available(key(0))).toBe(5);
  });

  it('receipts and releases reported by the inventory service are reconciled', async () => {
    inventory.onStockChanged((keys) => front.touch(keys));
    await inventory.receive({ ...key(1), quantity: 4 });
    await expect.poll(() => front.available(key(1)), { timeout: 2000 }).toBe(6);
  });

  it('keys deleted (a Redis restart) are loaded again from PostgreSQL', async () => {
    expect((await keysUnder(redis, prefix)).length).toBeGreaterThan(0);
    await dropPrefix(redis, prefix);
    expect(await front.available(key(0))).toBeNull();
    const r = await front.admit(req(lines(1)));
    expect(r.kind).toBe('proceed');
    expect(await front.available(key(0))).toBe((await pgAvailable(0)) - 1);
    if (r.kind === 'proceed') await r.settle(false);
  });
});

describe.skipIf(skipRedis())('Redis stock front connection', () => {
  it('an unreachable server is an error at start, naming it', async () => {
    // Connecting touches no database.
    const db = {} as Database;
    await expect(RedisStockFront.connect({ url: 'redis://127.0.0.1:1', db, prefix: uniquePrefix() })).rejects.toThrow(/cannot connect to Redis at redis:\/\/127\.0\.0\.1:1/);
  });
});
