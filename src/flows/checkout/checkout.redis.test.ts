// Checkout with the Redis stock front (REDIS_URL): refusals answered in Redis, PostgreSQL still
// the judge, Redis kept in step by releases and reconciliation, and a Redis that loses its keys
// mid-storm costing neither an order nor a unit. Needs TEST_REDIS_URL; the storms need real
// PostgreSQL too (PGlite is one connection, so nothing there runs concurrently).
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { DomainError, ManualClock } from '../../kernel';
import { IdempotencyRepo } from '../../modules/idempotency';
import { dropPrefix, skipRedis, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../modules/inventory/redis-front.testing';
import { createServices, type Services } from '../../services';
import { connectSandbox, makeCommerceWorld, type CommerceWorld } from '../testing';

async function open(backend: 'pglite' | 'postgres', clock?: ManualClock) {
  const db = await openTestDatabase(backend);
  const prefix = uniquePrefix();
  const s = await createServices(db, { clock, redisUrl: TEST_REDIS_URL, redisPrefix: prefix });
  connectSandbox(s);
  const redis = testRedis();
  return {
    db,
    s,
    prefix,
    redis,
    async close() {
      await s.checkout.close();
      await s.stockFront?.close();
      await dropPrefix(redis, prefix);
      await redis.quit();
      await db.dispose();
    },
  };
}

const soldOutError = { kind: 'conflict', field: 'lines.0.quantity', details: expect.objectContaining({ reason: 'sold_out' }) };

describe.skipIf(skipRedis()).each(testBackends())('checkout through the Redis front on %s', (backend) => {
  let env: Awaited<ReturnType<typeof open>>;
  let s: Services;
  let w: CommerceWorld;
  let loc: number;
  const clock = new ManualClock(new Date('2026-11-26T02:00:00Z'));

  beforeAll(async () => {
    env = await open(backend, clock);
    s = env.s;
    w = await makeCommerceWorld(env.db, {
      buyers: 12,
      skus: [
        { priceFen: 1290, stock: 3 },
        { priceFen: 350, stock: 10, dailyLimit: 2 },
        { priceFen: 990, stock: 5 },
      ],
    });
    loc = await s.inventory.locationOfWarehouse(w.centralWarehouseId);
  });
  afterAll(async () => {
    await env?.close();
  });

  const buyer = (i: number) => w.actor(w.buyerIds[i]!);
  const input = (sku: number, quantity = 1) => ({ channel: 'group_buy' as const, pickupPointId: w.pickupPointId, lines: [{ skuId: w.skuIds[sku]!, quantity }] });
  const key = (sku: number) => ({ locationId: loc, skuId: w.skuIds[sku]! });
  const inStep = async (sku: number) => expect.poll(() => s.stockFront!.available(key(sku)), { timeout: 3000 }).toBe((await s.inventory.level(key(sku))).available);
  const orders = async () => (await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders'))[0]!.n;

  it('sold out in Redis: the same 409 PostgreSQL would give, and the database is not asked', async () => {
    for (let i = 0; i < 3; i++) expect((await s.checkout.placeOrder(buyer(i), input(0), `buy-${i}`)).status).toBe(201);
    const drafts = s.checkout.stats().items;
    const before = await orders();
    const lookups = vi.spyOn(IdempotencyRepo.prototype, 'find');
    try {
      const e = await s.checkout.placeOrder(buyer(3), input(0), 'buy-3').catch((x: unknown) => x);
      expect(e).toBeInstanceOf(DomainError);
      expect(e).toMatchObject({ ...soldOutError, message: '测试商品1 is sold out', details: { reason: 'sold_out', skuId: w.skuIds[0], available: 0 } });
      expect(lookups).not.toHaveBeenCalled();
    } finally {
      lookups.mockRestore();
    }
    expect(s.checkout.stats().items).toBe(drafts);
    expect(await orders()).toBe(before);
    expect(s.stockFront!.stats().soldOut).toBeGreaterThanOrEqual(1);
  });

  it('a retry of a placed order gets its first answer when sold out, also after Redis lost its keys', async () => {
    const first = await s.checkout.placeOrder(buyer(0), input(0), 'buy-0');
    expect(first).toMatchObject({ replayed: true, status: 201 });
    await dropPrefix(env.redis, env.prefix);
    const again = await s.checkout.placeOrder(buyer(0), input(0), 'buy-0');
    expect(again.replayed).toBe(true);
    expect(again.body.order.id).toBe(first.body.order.id);
    // The reload from PostgreSQL knows the stock as well as the keys.
    await expect(s.checkout.placeOrder(buyer(4), input(0), 'buy-4')).rejects.toMatchObject(soldOutError);
  });

  it('PostgreSQL refusing an admitted order (purchase limit) gives its units back to Redis', async () => {
    await s.checkout.placeOrder(buyer(5), input(1, 2), 'lim-1');
    const e = await s.checkout.placeOrder(buyer(5), input(1, 1), 'lim-2').catch((x: unknown) => x);
    expect(e).toMatchObject({ kind: 'conflict', details: expect.objectContaining({ reason: 'limit' }) });
    expect(await s.stockFront!.available(key(1))).toBe(8);
    await inStep(1);
  });

  it('a cancelled or expired order’s units are for sale in Redis again', async () => {
    const r = await s.checkout.placeOrder(buyer(6), input(2, 2), 'rel-1');
    expect(await s.stockFront!.available(key(2))).toBe(3);
    await s.lifecycle.cancel(buyer(6), r.body.order.id);
    await expect.poll(() => s.stockFront!.available(key(2)), { timeout: 3000 }).toBe(5);

    await s.checkout.placeOrder(buyer(7), input(2, 5), 'rel-2');
    await expect(s.checkout.placeOrder(buyer(8), input(2, 1), 'rel-3')).rejects.toMatchObject(soldOutError);
    clock.advance(15 * 60_000 + 1);
    expect(await s.lifecycle.expireDue()).toBeGreaterThan(0);
    await expect.poll(() => s.stockFront!.available(key(2)), { timeout: 3000 }).toBe(5);
    expect((await s.checkout.placeOrder(buyer(8), input(2, 1), 'rel-4')).status).toBe(201);
    for (const sku of [0, 1, 2]) await inStep(sku);
    expect(await s.inventory.totals()).toEqual({ negative: 0, heldMismatch: 0 });
  });
});

const onPostgres = testBackends().includes('postgres');

describe.skipIf(skipRedis() || !onPostgres)('hot-SKU storms through Redis on postgres', () => {
  let env: Awaited<ReturnType<typeof open>>;
  let s: Services;

  beforeAll(async () => {
    env = await open('postgres');
    s = env.s;
  }, 60_000);
  afterAll(async () => {
    await env?.close();
  });

  async function storm(buyers: number, units: number, during?: () => Promise<void>) {
    const w = await makeCommerceWorld(env.db, { buyers, skus: [{ priceFen: 990, stock: units }] });
    const sku = w.skuIds[0]!;
    const latencies: number[] = [];
    const drafts = s.checkout.stats().items;
    const t0 = performance.now();
    const [results] = await Promise.all([
      Promise.allSettled(
        w.buyerIds.map(async (id, i) => {
          const t = performance.now();
          try {
            return await s.checkout.placeOrder(w.actor(id), { channel: 'group_buy', pickupPointId: w.pickupPointId, lines: [{ skuId: sku, quantity: 1 }] }, `storm-${i}`);
          } finally {
            latencies.push(performance.now() - t);
          }
        }),
      ),
      during?.(),
    ]);
    const elapsed = performance.now() - t0;
    const sold = results.filter((r) => r.status === 'fulfilled').map((r) => r.value.body.order.id);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
    const inDb = await env.db.query<{ id: number }>(
      `SELECT o.id FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE l.sku_id = $1 ORDER BY o.id`,
      [sku],
    );
    const loc = await s.inventory.locationOfWarehouse(w.centralWarehouseId);
    return { sku, loc, sold, refused, inDb: inDb.map((r) => r.id), elapsed, slowest: Math.max(...latencies), drafts: s.checkout.stats().items - drafts };
  }

  it('2,000 buyers, 100 units: exactly 100 sold, 1,900 turned away in Redis, everyone answered within 1 s', async () => {
    const soldOutBefore = s.stockFront!.stats().soldOut;
    const r = await storm(2000, 100);
    console.log(`2,000 buyers through Redis: ${r.elapsed.toFixed(0)} ms in all, slowest answer ${r.slowest.toFixed(0)} ms, ${r.drafts} drafts reached PostgreSQL`);
    expect(r.sold).toHaveLength(100);
    expect(r.refused).toHaveLength(1900);
    for (const e of r.refused) expect(e).toMatchObject(soldOutError);
    expect([...r.sold].sort((a, b) => a - b)).toEqual(r.inDb);
    // Only the admitted reached the placement: no PostgreSQL work for the 1,900.
    expect(r.drafts).toBe(100);
    expect(s.stockFront!.stats().soldOut - soldOutBefore).toBe(1900);
    expect(r.slowest).toBeLessThan(1000);
    expect(await s.inventory.level({ locationId: r.loc, skuId: r.sku })).toEqual({ onHand: 100, reserved: 100, available: 0 });
    expect(await s.inventory.totals()).toEqual({ negative: 0, heldMismatch: 0 });
  }, 30_000);

  it('Redis losing every key mid-storm (a restart): exactly the stock sold, no oversell, no order lost', async () => {
    const r = await storm(800, 100, async () => {
      for (let i = 0; i < 5; i++) {
        await new Promise((res) => setTimeout(res, 8));
        await dropPrefix(env.redis, env.prefix);
      }
    });
    console.log(`800 buyers with Redis flushed 5 times: ${r.elapsed.toFixed(0)} ms, slowest ${r.slowest.toFixed(0)} ms, ${r.drafts} drafts reached PostgreSQL`);
    expect(r.sold).toHaveLength(100);
    for (const e of r.refused) expect(e).toMatchObject(soldOutError);
    expect([...r.sold].sort((a, b) => a - b)).toEqual(r.inDb);
    expect(await s.inventory.level({ locationId: r.loc, skuId: r.sku })).toEqual({ onHand: 100, reserved: 100, available: 0 });
    expect(await s.inventory.totals()).toEqual({ negative: 0, heldMismatch: 0 });
    // Whatever Redis believed after the restarts, reconciliation brings it back to PostgreSQL's count.
    await s.stockFront!.reconcileNow();
    const left = await s.stockFront!.available({ locationId: r.loc, skuId: r.sku });
    expect(left === null || left === 0).toBe(true);
  }, 30_000);
});
