// Two clerks take back the same counter sale at the same moment (a customer at two tills, or a
// double click on two devices with different keys): the refunds share the order's one lock, so
// together they never give back more units or more cash than were sold, and the shelf gets back
// exactly what was refunded. Real concurrency exists only on PostgreSQL (PGlite is one connection).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { DomainError } from '../../kernel';
import { createServices, type Services } from '../../services';
import { connectSandbox, makeCommerceWorld, type CommerceWorld } from '../testing';

const ROUNDS = 10;
const hasPostgres = testBackends().includes('postgres');

describe.skipIf(!hasPostgres)('concurrent returns of one counter sale on postgres (needs TEST_DATABASE_URL)', () => {
  let db: TestDatabase;
  let s: Services;
  let w: CommerceWorld;
  let clerks: number[];
  let locationId: number;

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    s = await createServices(db);
    connectSandbox(s);
    w = await makeCommerceWorld(db, { buyers: 2, skus: [{ priceFen: 333, stock: 0, storeStock: 10 * ROUNDS }] });
    clerks = w.buyerIds.slice(0, 2);
    for (const c of clerks) await db.query(`INSERT INTO store_clerks (store_id, account_id) VALUES ($1, $2)`, [w.storeId, c]);
    locationId = await s.inventory.locationOfStore(w.storeId);
  }, 60_000);
  afterAll(async () => {
    await s?.checkout.close();
    await db?.dispose();
  });

  it(`${ROUNDS} sales of 3 units, each returned by two clerks at once asking 2 units each: never more than 3 back`, async () => {
    const sku = w.skuIds[0]!;
    const onHand = async () => (await db.query<{ on_hand: number }>(`SELECT on_hand FROM stock_levels WHERE location_id = $1 AND sku_id = $2`, [locationId, sku]))[0]!.on_hand;
    for (let round = 0; round < ROUNDS; round++) {
      const sale = await s.pos.sell(w.actor(clerks[0]!, 'store_clerk'), w.storeId, { lines: [{ skuId: sku, quantity: 3 }], discountFen: 1, payment: 'cash', cashReceivedFen: 1000 }, `race-sale-${round}`);
      const orderId = sale.body.order.id;
      const before = await onHand();
      const results = await Promise.allSettled(
        clerks.map((c, i) => s.posRefunds.refund(w.actor(c, 'store_clerk'), w.storeId, orderId, { lines: [{ skuId: sku, quantity: 2 }] }, `race-refund-${round}-${i}`)),
      );
      const ok = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      // The first takes 2 units; the second asks 2 of the 1 left and is refused whole.
      expect(ok.length, `round ${round}`).toBe(1);
      expect(refused[0]!.reason).toBeInstanceOf(DomainError);
      const [sums] = await db.query<{ units: number; fen: number; paid: number }>(
        `SELECT coalesce(sum(rl.quantity), 0)::int AS units, coalesce(sum(rl.amount_fen), 0)::int AS fen, (SELECT paid_fen FROM orders WHERE id = $1)::int AS paid
           FROM refunds r JOIN refund_lines rl ON rl.refund_id = r.id WHERE r.order_id = $1`,
        [orderId],
      );
      expect(sums!.units).toBe(2);
      expect(sums!.fen).toBeLessThanOrEqual(sums!.paid);
      expect(await onHand()).toBe(before + 2);
    }
    expect(await s.ledger.verify()).toEqual([]);
  }, 120_000);
});
