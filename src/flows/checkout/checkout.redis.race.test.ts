// Hot-SKU storms through the Redis stock front: 2,000 buyers for 100 units, and a Redis that
// loses its keys mid-storm. Real concurrency needs PostgreSQL (PGlite is one connection) and
// Redis: TEST_DATABASE_URL and TEST_REDIS_URL. A race file: it runs alone, after the rest.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { dropPrefix, skipRedis, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../modules/inventory/redis-front.testing';
import { createServices, type Services } from '../../services';
import { connectSandbox, makeCommerceWorld } from '../testing';

const soldOutError = { kind: 'conflict', field: 'lines.0.quantity', details: expect.objectContaining({ reason: 'sold_out' }) };
const onPostgres = testBackends().includes('postgres');
if (!onPostgres) console.log('Redis races skipped: they need TEST_DATABASE_URL too.');

describe.skipIf(skipRedis() || !onPostgres)('hot-SKU storms through Redis on postgres', () => {
  let db: TestDatabase;
  let s: Services;
  let redis: Redis;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    s = await createServices(db, { redisUrl: TEST_REDIS_URL, redisPrefix: prefix });
    connectSandbox(s);
    redis = testRedis();
  }, 60_000);
  afterAll(async () => {
    await s?.checkout.close();
    await s?.stockFront?.close();
    if (redis) await dropPrefix(redis, prefix);
    await redis?.quit();
    await db?.dispose();
  });

  /** `buyers` racing for `units`, all at once or in `waves` 20 ms apart, `between(wave)` run before each wave. */
  async function storm(buyers: number, units: number, opts: { waves?: number; between?: (wave: number) => Promise<void> } = {}) {
    const w = await makeCommerceWorld(db, { buyers, skus: [{ priceFen: 990, stock: units }] });
    const sku = w.skuIds[0]!;
    const input = { channel: 'group_buy' as const, pickupPointId: w.pickupPointId, lines: [{ skuId: sku, quantity: 1 }] };
    // The shop was open before the sale: the pickup point and prices are cached, as in production.
    await s.checkout.pricing.quote(w.buyerIds[0]!, input, new Date());
    const latencies: number[] = [];
    const drafts = s.checkout.stats().items;
    const t0 = performance.now();
    const waves = opts.waves ?? 1;
    const size = Math.ceil(buyers / waves);
    const answers: Promise<PromiseSettledResult<Awaited<ReturnType<Services['checkout']['placeOrder']>>>[]>[] = [];
    for (let wave = 0; wave < waves; wave++) {
      if (wave > 0) await new Promise((res) => setTimeout(res, 20));
      await opts.between?.(wave);
      const ids = w.buyerIds.slice(wave * size, (wave + 1) * size);
      answers.push(
        Promise.allSettled(
          ids.map(async (id, i) => {
            const t = performance.now();
            try {
              return await s.checkout.placeOrder(w.actor(id), input, `storm-${wave}-${i}`);
            } finally {
              latencies.push(performance.now() - t);
            }
          }),
        ),
      );
    }
    const results = (await Promise.all(answers)).flat();
    const elapsed = performance.now() - t0;
    const sold = results.filter((r) => r.status === 'fulfilled').map((r) => r.value.body.order.id);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
    const inDb = await db.query<{ id: number }>(
      `SELECT o.id FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE l.sku_id = $1 ORDER BY o.id`,
      [sku],
    );
    const loc = await s.inventory.locationOfWarehouse(w.centralWarehouseId);
    return { sku, loc, sold, refused, inDb: inDb.map((r) => r.id), elapsed, slowest: Math.max(...latencies), drafts: s.checkout.stats().items - drafts };
  }

  it('Redis losing every key mid-storm (a restart): exactly the stock sold, no oversell, no order lost', async () => {
    // Buyers keep coming in waves; between waves Redis forgets everything, admissions in flight included.
    const r = await storm(800, 300, { waves: 8, between: async (wave) => void (wave % 2 === 1 && (await dropPrefix(redis, prefix))) });
    console.log(`800 buyers in 8 waves, Redis flushed 4 times: ${r.elapsed.toFixed(0)} ms, slowest ${r.slowest.toFixed(0)} ms, ${r.drafts} drafts reached PostgreSQL`);
    expect(r.sold).toHaveLength(300);
    for (const e of r.refused) expect(e).toMatchObject(soldOutError);
    expect([...r.sold].sort((a, b) => a - b)).toEqual(r.inDb);
    expect(await s.inventory.level({ locationId: r.loc, skuId: r.sku })).toEqual({ onHand: 300, reserved: 300, available: 0 });
    expect(await s.inventory.totals()).toEqual({ negative: 0, heldMismatch: 0 });
    // Whatever Redis believed after the restarts, reconciliation brings it back to PostgreSQL's count.
    await s.stockFront!.reconcileNow();
    const left = await s.stockFront!.available({ locationId: r.loc, skuId: r.sku });
    expect(left === null || left === 0).toBe(true);
  }, 30_000);

  // Runs second: the storm above has warmed this process (JIT, pools), as a server is warm when a sale opens.
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
});
