// Issue 6's bar: the till and the online shop draw on the store's one stock, so when one unit
// is left and a counter sale and an online order for it arrive at the same moment, exactly one
// gets it and the other is told it is sold out (409 sold_out) — never both, never oversold.
// Real concurrency exists only on PostgreSQL (PGlite is one connection), so this runs there only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { DomainError } from '../../kernel';
import { createServices, type Services } from '../../services';
import { SOLD_OUT_MARK_MS } from '../checkout/placement';
import { connectSandbox, makeCommerceWorld, type CommerceWorld } from '../testing';

const ROUNDS = 20;
const hasPostgres = testBackends().includes('postgres');

describe.skipIf(!hasPostgres)('counter and online race for the last unit on postgres (needs TEST_DATABASE_URL)', () => {
  let db: TestDatabase;
  let s: Services;
  let w: CommerceWorld;
  let clerkId: number;
  let locationId: number;

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    s = await createServices(db);
    connectSandbox(s);
    w = await makeCommerceWorld(db, { buyers: ROUNDS, skus: [{ priceFen: 500, stock: 0, storeStock: 1 }] });
    clerkId = w.buyerIds[0]!;
    await db.query(`INSERT INTO store_clerks (store_id, account_id) VALUES ($1, $2)`, [w.storeId, clerkId]);
    locationId = await s.inventory.locationOfStore(w.storeId);
  }, 60_000);
  afterAll(async () => {
    await s?.checkout.close();
    await db?.dispose();
  });

  it(`${ROUNDS} rounds of one unit, a counter sale and an online order at once: exactly one wins each, never oversold`, async () => {
    const sku = w.skuIds[0]!;
    const wins = { counter: 0, online: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      // One unit available again, whatever the last round left reserved; checkout remembers a
      // SKU it saw sold out for SOLD_OUT_MARK_MS, so the unit is back on sale after that.
      await new Promise((r) => setTimeout(r, SOLD_OUT_MARK_MS + 50));
      await db.query(`UPDATE stock_levels SET on_hand = reserved + 1 WHERE location_id = $1 AND sku_id = $2`, [locationId, sku]);
      const [counter, online] = await Promise.allSettled([
        s.pos.sell(w.actor(clerkId, 'store_clerk'), w.storeId, { lines: [{ skuId: sku, quantity: 1 }], payment: 'cash', cashReceivedFen: 500 }, `till-${round}`),
        s.checkout.placeOrder(w.actor(w.buyerIds[round]!), { channel: 'store_online', storeId: w.storeId, fulfilment: 'pickup', lines: [{ skuId: sku, quantity: 1 }] }, `shop-${round}`),
      ]);
      const ok = [counter, online].filter((r) => r.status === 'fulfilled');
      const lost = [counter, online].filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(ok.length, `round ${round}`).toBe(1);
      expect(lost.length).toBe(1);
      const e = lost[0]!.reason as DomainError;
      expect(e).toBeInstanceOf(DomainError);
      expect(e.kind).toBe('conflict');
      expect(e.details).toMatchObject({ reason: 'sold_out', skuId: sku });
      if (counter.status === 'fulfilled') {
        wins.counter += 1;
        expect(counter.value.body.order.status).toBe('completed');
      } else wins.online += 1;
      const [level] = await db.query<{ on_hand: number; reserved: number }>(`SELECT on_hand, reserved FROM stock_levels WHERE location_id = $1 AND sku_id = $2`, [locationId, sku]);
      expect(level!.on_hand - level!.reserved).toBe(0);
    }
    expect(wins.counter + wins.online).toBe(ROUNDS);
    const [sold] = await db.query<{ counter: number; online: number }>(
      `SELECT count(*) FILTER (WHERE channel = 'store_counter')::int AS counter, count(*) FILTER (WHERE channel = 'store_online')::int AS online FROM orders WHERE store_id = $1`,
      [w.storeId],
    );
    expect(sold).toEqual(wins);
    expect(await s.ledger.verify()).toEqual([]);
  }, 120_000);
});
