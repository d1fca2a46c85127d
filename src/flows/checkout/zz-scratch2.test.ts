import { it } from 'vitest';
import { openTestDatabase } from '../../db/testing';
import { TEST_REDIS_URL, uniquePrefix, dropPrefix, testRedis } from '../../modules/inventory/redis-front.testing';
import { RedisStockFront, InventoryService } from '../../modules/inventory';
import { makeCommerceWorld } from '../testing';

it('admit only', async () => {
  const db = await openTestDatabase('postgres');
  const prefix = uniquePrefix();
  const front = await RedisStockFront.connect({ url: TEST_REDIS_URL!, db, prefix });
  const w = await makeCommerceWorld(db, { buyers: 1, skus: [{ priceFen: 990, stock: 100 }] });
  const loc = await new InventoryService(db).locationOfWarehouse(w.centralWarehouseId);
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    const lat: number[] = [];
    await Promise.all(Array.from({ length: 2000 }, async (_, i) => {
      const t = performance.now();
      const a = await front.admit({ buyerAccountId: 1, idempotencyKey: `r${round}-${i}`, locationId: loc, lines: [{ skuId: w.skuIds[0]!, quantity: 1 }] });
      if (a.kind === 'proceed') await a.settle(false);
      lat.push(performance.now() - t);
    }));
    lat.sort((a, b) => a - b);
    console.log(`round ${round}: ${(performance.now() - t0).toFixed(0)} ms, min ${lat[0]!.toFixed(0)} p50 ${lat[1000]!.toFixed(0)} max ${lat[1999]!.toFixed(0)}`, front.stats());
  }
  await front.close();
  const r = testRedis(); await dropPrefix(r, prefix); await r.quit();
  await db.dispose();
}, 60000);
