import { it } from 'vitest';
import { openTestDatabase } from '../../db/testing';
import { TEST_REDIS_URL, uniquePrefix, dropPrefix, testRedis } from '../../modules/inventory/redis-front.testing';
import { createServices } from '../../services';
import { makeCommerceWorld } from '../testing';

it('profile', async () => {
  const db = await openTestDatabase('postgres');
  const prefix = uniquePrefix();
  const withRedis = process.env.NO_REDIS ? undefined : TEST_REDIS_URL;
  const s = await createServices(db, { redisUrl: withRedis, redisPrefix: prefix });
  s.sandboxGateway.connect(async () => ({ status: 200 }));
  const w = await makeCommerceWorld(db, { buyers: 2000, skus: [{ priceFen: 990, stock: 100 }] });
  // warm pricing caches with another sku? no: one warm-up call on a different world
  const sku = w.skuIds[0]!;
  const f = s.stockFront as any;
  const marks: Record<string, number[]> = { admitStart: [], admitEnd: [] };
  const T0 = performance.now();
  if (f) {
    const orig = f.admit.bind(f);
    f.admit = async (r: any) => { marks.admitStart!.push(performance.now() - T0); try { return await orig(r); } finally { marks.admitEnd!.push(performance.now() - T0); } };
    const ol = f.load.bind(f);
    f.load = async (k: any) => { const t = performance.now(); try { return await ol(k); } finally { console.log(`load ${(performance.now() - t).toFixed(0)} ms at ${(t - T0).toFixed(0)}`); } };
  }
  if (process.env.WARM) await s.checkout.pricing.quote(w.buyerIds[0]!, { channel: 'group_buy', pickupPointId: w.pickupPointId, lines: [{ skuId: sku, quantity: 1 }] }, new Date());
  const lat: number[] = [];
  const t0 = performance.now();
  const res = await Promise.allSettled(w.buyerIds.map(async (id, i) => {
    const t = performance.now();
    try { return await s.checkout.placeOrder(w.actor(id), { channel: 'group_buy', pickupPointId: w.pickupPointId, lines: [{ skuId: sku, quantity: 1 }] }, `p-${i}`); }
    finally { lat.push(performance.now() - t); }
  }));
  const total = performance.now() - t0;
  lat.sort((a, b) => a - b);
  const ok = res.filter((r) => r.status === 'fulfilled').length;
  console.log(`redis=${!!withRedis} sold=${ok} total=${total.toFixed(0)} p50=${lat[1000]!.toFixed(0)} p90=${lat[1800]!.toFixed(0)} max=${lat[1999]!.toFixed(0)} min=${lat[0]!.toFixed(0)}`, s.checkout.stats(), s.stockFront?.stats());
  const q = (a: number[]) => a.length ? `${Math.min(...a).toFixed(0)}..${Math.max(...a).toFixed(0)}` : '-';
  console.log(`admit starts ${q(marks.admitStart!)} ends ${q(marks.admitEnd!)}`);
  await s.checkout.close(); await s.stockFront?.close();
  const r = testRedis(); await dropPrefix(r, prefix); await r.quit();
  await db.dispose();
}, 60000);
