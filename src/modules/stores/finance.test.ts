import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { connectSandbox, makeCommerceWorld, type CommerceWorld } from '../../flows/testing';
import { ManualClock } from '../../kernel';
import { createServices, type Services } from '../../services';
import { seedWholesalePrices } from './index';

// Today is 10 May, China time.
const NOW = '2026-05-10T02:00:00Z';

describe.each(testBackends())('store finance (%s)', (backend) => {
  let db: TestDatabase;
  let s: Services;
  let w: CommerceWorld;
  const clock = new ManualClock(NOW);
  let seq = 0;

  /** A counter sale as the till leaves it: paid and completed at once (written in SQL: the POS is not under test). */
  const counterSale = async (storeId: number, at: string, lines: [skuIdx: number, qty: number, priceFen: number][], paid = true) => {
    seq += 1;
    const total = lines.reduce((t, [, q, p]) => t + q * p, 0);
    const loc = await s.inventory.locationOfStore(storeId);
    const [o] = await db.query<{ id: number }>(
      `INSERT INTO orders (buyer_account_id, channel, status, fulfilment, location_id, region_id, store_id, items_fen, total_fen, paid_fen,
                           idempotency_key, request_hash, paid_at, completed_at, created_at)
       VALUES ($1, 'store_counter', $2, 'counter', $3, $4, $5, $6, $6, $7, $8, 'h', $9, $9, $10) RETURNING id`,
      [w.storeOwnerId, paid ? 'completed' : 'cancelled', loc, w.regionId, storeId, total, paid ? total : 0, `till-${seq}`, paid ? at : null, at],
    );
    for (const [i, q, p] of lines) {
      await db.query(
        `INSERT INTO order_lines (order_id, sku_id, product_id, title, spec, unit, unit_price_fen, quantity, line_total_fen)
         SELECT $1, k.id, k.product_id, 'x', k.spec, k.unit, $3, $4, $5 FROM skus k WHERE k.id = $2`,
        [o!.id, w.skuIds[i], p, q, p * q],
      );
    }
  };

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    s = await createServices(db, { clock });
    connectSandbox(s);
    w = await makeCommerceWorld(db, {
      buyers: 2,
      skus: [
        { priceFen: 1000, stock: 100, storeStock: 50 },
        { priceFen: 500, stock: 100, storeStock: 50 },
      ],
    });
    await seedWholesalePrices(db, w.regionId, 60);
  });
  afterAll(async () => {
    await s?.checkout.close();
    await db?.dispose();
  });

  it('adds up takings by channel and China-time day, net of refunds, with cost and margin', async () => {
    const pay = (p: { paymentId: number; amountFen: number } | null) => s.sandboxGateway.complete({ id: p!.paymentId, amountFen: p!.amountFen }, 'succeeded');
    const owner = w.actor(w.storeOwnerId, 'store_owner');

    // The store bought SKU 0 at 600; the wholesale price has since gone up to 700: cost is what it paid.
    clock.set('2026-05-09T01:00:00Z');
    const restock = await s.replenishmentFlow.placeOrder(owner, w.storeId, { lines: [{ skuId: w.skuIds[0]!, quantity: 1 }] }, 'fin-restock');
    await pay(restock.body.payment);
    await db.query('UPDATE wholesale_prices SET price_fen = 700 WHERE region_id = $1 AND sku_id = $2', [w.regionId, w.skuIds[0]]);

    // 8 May 23:30 and 9 May 00:30 China time fall either side of midnight.
    await counterSale(w.storeId, '2026-05-08T15:30:00Z', [[1, 1, 500]]);
    await counterSale(w.storeId, '2026-05-08T16:30:00Z', [[1, 1, 500]]);
    await counterSale(w.storeId, '2026-05-09T03:00:00Z', [[0, 2, 1000]]);
    await counterSale(w.storeId, '2026-05-09T04:00:00Z', [[0, 9, 1000]], false); // never paid: not takings
    await counterSale(w.storeId, '2026-05-10T01:00:00Z', [[1, 4, 500]]);

    // Online today: 3 of SKU 0, one refunded.
    clock.set(NOW);
    const online = await s.checkout.placeOrder(w.actor(w.buyerIds[0]!), { channel: 'store_online', storeId: w.storeId, lines: [{ skuId: w.skuIds[0]!, quantity: 3 }] }, 'fin-online');
    await pay(online.body.payment);
    const lineId = online.body.order.lines[0]!.id;
    await s.refunds.refund(w.actor(w.operatorId, 'operator'), online.body.order.id, { kind: 'partial', lines: [{ orderLineId: lineId, quantity: 1 }], reason: '少了一个' });

    const f = await s.storeFinance.finance(owner, w.storeId, { from: '2026-05-07', to: '2026-05-10' });
    expect(f.days).toEqual([
      { day: '2026-05-07', counterFen: 0, onlineFen: 0, costFen: 0, refundsFen: 0, marginFen: 0, orders: 0 },
      { day: '2026-05-08', counterFen: 500, onlineFen: 0, costFen: 300, refundsFen: 0, marginFen: 200, orders: 1 },
      { day: '2026-05-09', counterFen: 2500, onlineFen: 0, costFen: 2 * 600 + 300, refundsFen: 0, marginFen: 1000, orders: 2 },
      { day: '2026-05-10', counterFen: 2000, onlineFen: 2000, costFen: 4 * 300 + 2 * 600, refundsFen: 1000, marginFen: 1600, orders: 2 },
    ]);
    expect(f.totals).toEqual({ counterFen: 5000, onlineFen: 2000, costFen: 4200, refundsFen: 1000, marginFen: 2800, orders: 5 });
    // The store's 95% of the online sale (2,850), less the refunded third (950), waits out the after-sales window.
    expect(f.balance).toMatchObject({ frozenFen: 1900, availableFen: 0, lifetimeEarnedFen: 1900, paidOutFen: 0 });

    // Default: the last 7 days to today.
    const week = await s.storeFinance.finance(owner, w.storeId);
    expect(week.days.map((d) => d.day)).toEqual(['2026-05-04', '2026-05-05', '2026-05-06', '2026-05-07', '2026-05-08', '2026-05-09', '2026-05-10']);
    expect(week.totals).toEqual(f.totals);
  });

  it('refuses bad ranges and anyone but the owner (or an operator)', async () => {
    const owner = w.actor(w.storeOwnerId, 'store_owner');
    await expect(s.storeFinance.finance(owner, w.storeId, { from: '2026-05-32' })).rejects.toMatchObject({ field: 'from' });
    await expect(s.storeFinance.finance(owner, w.storeId, { from: '2026-05-10', to: '2026-05-01' })).rejects.toMatchObject({ field: 'from' });
    await expect(s.storeFinance.finance(owner, w.storeId, { from: '2025-01-01', to: '2026-05-01' })).rejects.toMatchObject({ field: 'from' });
    await expect(s.storeFinance.finance(w.actor(w.buyerIds[1]!), w.storeId)).rejects.toMatchObject({ kind: 'forbidden' });
    const op = await s.storeFinance.finance(w.actor(w.operatorId, 'operator'), w.storeId, { from: '2026-05-10', to: '2026-05-10' });
    expect(op.days).toHaveLength(1);
  });
});
