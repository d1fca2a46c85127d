import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { ManualClock } from '../../kernel';
import type { Actor } from '../../modules/people';
import { createServices, type Services } from '../../services';
import { makeWaveWorld, type WaveWorld } from '../fulfilment/wave-testing';

const NOW = '2026-03-02T20:00:00+08:00';
const DAY = '2026-03-03';

// The wave world's purchase demand per SKU without stores (see wave-testing.ts): a 9, b 3, c 6, d 4.
describe.each(testBackends())('the wave buys for stores’ replenishment orders (%s)', (backend) => {
  let db: TestDatabase;
  let s: Services;
  let w: WaveWorld;
  let storeId: number;
  const one = async (text: string, params: unknown[] = []) => (await db.query<{ id: number }>(text, params))[0]!.id;

  /** A replenishment order as checkout and payment leave it, with the day it travels. */
  const restock = async (status: string, day: string | null, lines: [skuId: number, qty: number, refunded?: number][], regionId = w.countyId) => {
    const total = lines.reduce((t, [, q]) => t + q * 100, 0);
    const refunded = lines.reduce((t, [, , r = 0]) => t + r * 100, 0);
    const paid = status === 'pending_payment' ? 0 : total;
    const id = await one(
      `INSERT INTO orders (buyer_account_id, channel, status, fulfilment, location_id, region_id, store_id, items_fen, total_fen, paid_fen, refunded_fen,
                           idempotency_key, request_hash, paid_at, created_at)
       VALUES ($1, 'replenishment', $2, 'delivery', (SELECT id FROM stock_locations WHERE store_id = $4), $3, $4, $5, $5, $6, $7, $8, 'h', $9, $10) RETURNING id`,
      [w.buyerId, status, regionId, storeId, total, paid, refunded, `restock-${Math.random()}`, paid ? '2026-03-02T02:00:00Z' : null, '2026-03-02T02:00:00Z'],
    );
    for (const [sku, q, r = 0] of lines) {
      await db.query(
        `INSERT INTO order_lines (order_id, sku_id, product_id, title, spec, unit, unit_price_fen, quantity, line_total_fen, refunded_quantity, refunded_fen)
         SELECT $1, k.id, k.product_id, 'x', k.spec, k.unit, 100, $3, $4, $5, $6 FROM skus k WHERE k.id = $2`,
        [id, sku, q, q * 100, r, r * 100],
      );
    }
    if (day !== null) await db.query('INSERT INTO replenishment_orders (order_id, store_id, delivery_date) VALUES ($1, $2, $3)', [id, storeId, day]);
    return id;
  };

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    s = await createServices(db, { clock: new ManualClock(NOW) });
    w = await makeWaveWorld(db, { now: new Date(NOW), day: DAY });
    storeId = await one(
      `INSERT INTO stores (region_id, owner_account_id, name, address, lat, lng, delivery_radius_m, opens_at, closes_at)
       VALUES ($1, $2, '波次便利店', '1号', 30.0, 120.0, 1000, '07:00', '22:00') RETURNING id`,
      [w.countyId, w.buyerId],
    );
    await db.query(`INSERT INTO stock_locations (kind, store_id) VALUES ('store', $1)`, [storeId]);
  });
  afterAll(async () => db?.dispose());

  it('adds the units owed on the region’s paid replenishment orders due that day to its purchase orders', async () => {
    const { a, b, c, d } = w.skus;
    await restock('paid', DAY, [[a, 6], [c, 4, 2]]); // in: a 6, c 2 (2 refunded)
    await restock('paid', null, [[b, 5]]); // no row: the day after it was placed (2 March, China time) → 3 March
    await restock('paid', '2026-03-04', [[a, 100]]); // a later day
    await restock('pending_payment', DAY, [[a, 100]]); // unpaid
    await restock('completed', DAY, [[a, 100]]); // already received
    await restock('refunded', DAY, [[a, 100, 100]]); // refunded in full
    const elsewhere = await one(`INSERT INTO regions (kind, name, code) VALUES ('city', '别的市', $1) RETURNING id`, [`X${process.pid}${Date.now() % 100000}`]);
    await restock('paid', DAY, [[a, 100]], elsewhere); // another city's store

    const run = await s.wave.run({ accountId: w.operatorId, roles: new Set(['operator']) } as Actor, { regionId: w.regionId, pickupDate: DAY });
    // The wave's own figures count group-buy orders only.
    expect(run.wave).toMatchObject({ orders: 6, items: 22, purchaseOrders: 3, sortLines: 8 });
    const lines = await db.query<{ sku_id: number; quantity: number }>(
      `SELECT l.sku_id, l.quantity FROM purchase_order_lines l JOIN purchase_orders p ON p.id = l.purchase_order_id WHERE p.wave_id = $1 ORDER BY l.sku_id`,
      [run.wave.id],
    );
    expect(Object.fromEntries(lines.map((l) => [l.sku_id, l.quantity]))).toEqual({ [a]: 9 + 6, [b]: 3 + 5, [c]: 6 + 2, [d]: 4 });
  });
});
