// Checkout with the Redis stock front (REDIS_URL): refusals answered in Redis, PostgreSQL still
// the judge, retries answered as before, Redis kept in step by refusals and releases. Needs
// TEST_REDIS_URL; the storms are in checkout.redis.race.test.ts.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openTestDatabase, testBackends } from '../../db/testing';
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
