// Issue 7's bar for flash sales (秒杀): 100 units, 400 buyers at once through checkout, a quarter
// of them pressing "buy" three times with fresh keys. Exactly the sale's quantity is sold, the
// sale's location never goes below zero, nobody gets more than the per-person limit, and the
// sale says sold out. Real concurrency exists only on PostgreSQL, so this runs there only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { DomainError } from '../../kernel';
import { createServices, type Services } from '../../services';
import { connectSandbox, makeCommerceWorld, type CommerceWorld } from '../testing';

const BUYERS = 400;
const UNITS = 100;
const LIMIT = 2;
const hasPostgres = testBackends().includes('postgres');

describe.skipIf(!hasPostgres)('flash sale race on postgres (needs TEST_DATABASE_URL)', () => {
  let db: TestDatabase;
  let s: Services;
  let w: CommerceWorld;
  let hostId: number;
  let sessionId: number;

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    s = await createServices(db);
    connectSandbox(s);
    w = await makeCommerceWorld(db, { buyers: BUYERS, skus: [{ priceFen: 2990, stock: 500 }] });
    const [row] = await db.query<{ id: number }>(`INSERT INTO accounts (phone, display_name, password_hash) VALUES ('16699990001', '秒杀主播', 'x') RETURNING id`);
    hostId = row!.id;
    await db.query(`INSERT INTO account_roles (account_id, role) VALUES ($1, 'host')`, [hostId]);
    const host = w.actor(hostId, 'host');
    await s.liveSelling.putProfile(host, { displayName: '秒杀主播', regionId: w.regionId });
    const created = await s.liveFlow.create(
      host,
      {
        title: '整点秒杀',
        scheduledAt: new Date(Date.now() + 60_000).toISOString(),
        streamUrl: 'https://cdn.example.com/live/flash.m3u8',
        bag: [{ skuId: w.skuIds[0]!, livePriceFen: 1990, allotted: 300 }],
      },
      'race-session',
    );
    sessionId = created.body.session.id;
    await s.liveFlow.start(host, sessionId);
  }, 60_000);
  afterAll(async () => {
    await s?.checkout.close();
    await db?.dispose();
  });

  it(`${UNITS} units, ${BUYERS} buyers (a quarter pressing three times): exactly ${UNITS} sold, none oversold, at most ${LIMIT} each, then sold out`, async () => {
    const sku = w.skuIds[0]!;
    const sale = (await s.liveFlow.startFlashSale(w.actor(hostId, 'host'), sessionId, { skuId: sku, priceFen: 99, quantity: UNITS, limitPerPerson: LIMIT, durationS: 600 }, 'race-flash')).body;
    const requests = w.buyerIds.flatMap((id, i) => Array.from({ length: i % 4 === 0 ? 3 : 1 }, (_, n) => ({ id, key: `flash-${i}-${n}` })));
    const results = await Promise.allSettled(
      requests.map((r) =>
        s.checkout.placeOrder(w.actor(r.id), { channel: 'live', liveSessionId: sessionId, flashSaleId: sale.id, lines: [{ skuId: sku, quantity: 1 }] }, r.key),
      ),
    );
    const sold = results.filter((r) => r.status === 'fulfilled');
    expect(sold).toHaveLength(UNITS);
    for (const r of results) {
      if (r.status === 'fulfilled') continue;
      expect(r.reason).toBeInstanceOf(DomainError);
      const e = r.reason as DomainError;
      expect(e.kind).toBe('conflict');
      // Sold out (by the stock or the sale's status) or over the limit; never anything else.
      expect(['sold_out', 'limit']).toContain(e.details?.reason);
    }

    const [loc] = await db.query<{ id: number }>(`SELECT id FROM stock_locations WHERE flash_sale_id = $1`, [sale.id]);
    const [level] = await db.query<{ on_hand: number; reserved: number }>(`SELECT on_hand, reserved FROM stock_levels WHERE location_id = $1 AND sku_id = $2`, [loc!.id, sku]);
    expect(level).toEqual({ on_hand: UNITS, reserved: UNITS });
    const orders = await db.query<{ buyer_account_id: number; units: number }>(
      `SELECT o.buyer_account_id, sum(l.quantity)::int AS units FROM orders o JOIN order_lines l ON l.order_id = o.id
       WHERE o.flash_sale_id = $1 GROUP BY o.buyer_account_id`,
      [sale.id],
    );
    expect(orders.reduce((n, o) => n + o.units, 0)).toBe(UNITS);
    expect(Math.max(...orders.map((o) => o.units))).toBeLessThanOrEqual(LIMIT);
    const [prices] = await db.query<{ n: number; wrong: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE total_fen <> 99 OR location_id <> $2)::int AS wrong FROM orders WHERE flash_sale_id = $1`,
      [sale.id, loc!.id],
    );
    expect(prices).toEqual({ n: UNITS, wrong: 0 });
    const counters = await db.query<{ quantity: number }>(`SELECT quantity FROM purchase_counters WHERE scope = $1 AND quantity > $2`, [`flash:${sale.id}`, LIMIT]);
    expect(counters).toEqual([]);
    expect(await s.inventory.totals()).toEqual({ negative: 0, heldMismatch: 0 });
    const [status] = await db.query<{ status: string }>(`SELECT status FROM live_flash_sales WHERE id = $1`, [sale.id]);
    expect(status!.status).toBe('sold_out');
    // The session's own stock was not touched by the sale's buyers.
    const [sessionLevel] = await db.query<{ on_hand: number; reserved: number }>(
      `SELECT s.on_hand, s.reserved FROM stock_levels s JOIN stock_locations l ON l.id = s.location_id WHERE l.live_session_id = $1 AND s.sku_id = $2`,
      [sessionId, sku],
    );
    expect(sessionLevel).toEqual({ on_hand: 300 - UNITS, reserved: 0 });
  }, 120_000);
});
