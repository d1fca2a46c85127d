// The city the wave benchmark cuts off: one region, a central warehouse, 50 grid warehouses
// and 10,000 pickup points spread over ~40 × 40 km, 20 suppliers, 200 SKUs, one published
// campaign past its cutoff, and N paid orders of 1–3 lines (avg 2 lines, avg 2 units a line)
// from up to 50,000 buyers. Written with set-based SQL (generate_series), deterministic (no
// random(): every "random" choice is a multiplicative hash of the row number).
//
// 1 % of the points have no grid warehouse (the wave gives them the nearest one), and 20
// orders are left unpaid (the wave closes them through the order life cycle).
import type { Database } from '../src/db';

export interface WaveSeedOptions {
  orders: number;
  points?: number;
  gridWarehouses?: number;
  suppliers?: number;
  skus?: number;
  buyers?: number;
  /** Orders per INSERT statement, so progress can be reported. */
  chunk?: number;
  onProgress?: (ordersDone: number, total: number) => void;
}

export interface WaveSeed {
  regionId: number;
  pickupDate: string;
  points: number;
  gridWarehouses: number;
}

/** City centre (Hangzhou) and the half-size of the square, in degrees (≈ 20 km each way at 30°N). */
const LAT0 = 30.25;
const LNG0 = 120.15;
const HALF_LAT = 0.18;
const HALF_LNG = 0.208;
const UNPAID = 20;

export async function seedWaveCity(db: Database, o: WaveSeedOptions): Promise<WaveSeed> {
  const points = o.points ?? 10_000;
  const grids = o.gridWarehouses ?? 50;
  const suppliers = o.suppliers ?? 20;
  const skus = o.skus ?? 200;
  const buyers = Math.min(o.buyers ?? 50_000, Math.max(1, o.orders));
  const chunk = o.chunk ?? 50_000;
  const one = async (text: string, params: unknown[] = []) => Number((await db.query<{ id: number }>(text, params))[0]!.id);
  // A point in the square from two hashes of n in [0, 1).
  const coord = (n: string, salt: number) =>
    `${LAT0 - HALF_LAT} + ${2 * HALF_LAT} * (((${n}::bigint * 2654435761 + ${salt}) % 1000003) / 1000003.0),
     ${LNG0 - HALF_LNG} + ${2 * HALF_LNG} * (((${n}::bigint * 40503 + ${salt * 7 + 13}) % 999983) / 999983.0)`;

  const regionId = await one(`INSERT INTO regions (kind, name, code) VALUES ('city', '压测市', 'BENCHWAVE') RETURNING id`);
  const communityId = await one(
    `INSERT INTO communities (region_id, name, lat, lng, h3_cell) VALUES ($1, '压测小区', ${LAT0}, ${LNG0}, '89309a5a57bffff') RETURNING id`,
    [regionId],
  );
  const centralId = await one(`INSERT INTO warehouses (region_id, kind, name, lat, lng) VALUES ($1, 'central', '中心仓', ${LAT0}, ${LNG0}) RETURNING id`, [regionId]);
  await db.query(
    `INSERT INTO warehouses (region_id, kind, name, lat, lng, central_warehouse_id)
     SELECT $1, 'grid', '网格仓' || g, ${coord('g', 17)}, $2 FROM generate_series(1, $3::int) g`,
    [regionId, centralId, grids],
  );
  // Each point is served by its nearest grid warehouse, except every 100th, left for the wave.
  await db.query(
    `INSERT INTO pickup_points (community_id, grid_warehouse_id, name, address, lat, lng, opens_at, closes_at, capacity)
     SELECT $1, NULL, '自提点' || g, '压测路' || g || '号', lat, lng, '08:00', '21:00', 500
     FROM (SELECT g, ${coord('g', 91)} FROM generate_series(1, $2::int) g) AS p(g, lat, lng)`,
    [communityId, points],
  );
  await db.query(
    `UPDATE pickup_points pp SET grid_warehouse_id = (
       SELECT w.id FROM warehouses w WHERE w.kind = 'grid' AND w.region_id = $1
       ORDER BY (w.lat - pp.lat) ^ 2 + ((w.lng - pp.lng) * 0.866) ^ 2, w.id LIMIT 1)
     WHERE pp.community_id = $2 AND pp.id % 100 <> 0`,
    [regionId, communityId],
  );
  const firstPoint = await one(`SELECT min(id) AS id FROM pickup_points WHERE community_id = $1`, [communityId]);

  await db.query(`INSERT INTO suppliers (name) SELECT '供应商' || g FROM generate_series(1, $1::int) g`, [suppliers]);
  const firstSupplier = await one(`SELECT min(id) AS id FROM suppliers`);
  const categoryId = await one(`INSERT INTO categories (name) VALUES ('压测') RETURNING id`);
  // Every 21st product has no supplier (the operator buys it directly).
  await db.query(
    `INSERT INTO products (category_id, supplier_id, name)
     SELECT $1, CASE WHEN g % 21 = 0 THEN NULL ELSE $2 + (g % $3) END, '商品' || g FROM generate_series(1, $4::int) g`,
    [categoryId, firstSupplier, suppliers, skus],
  );
  const firstProduct = await one(`SELECT min(id) AS id FROM products WHERE category_id = $1`, [categoryId]);
  await db.query(
    `INSERT INTO skus (product_id, spec, unit, base_price_fen) SELECT $1 + g - 1, '500g', '份', 100 + (g * 37) % 2000 FROM generate_series(1, $2::int) g`,
    [firstProduct, skus],
  );
  const firstSku = await one(`SELECT min(id) AS id FROM skus WHERE product_id >= $1`, [firstProduct]);

  await db.query(
    `INSERT INTO accounts (phone, display_name, password_hash) SELECT '13' || lpad(g::text, 9, '0'), '买家' || g, 'x' FROM generate_series(1, $1::int) g`,
    [buyers],
  );
  const firstBuyer = await one(`SELECT min(id) AS id FROM accounts WHERE phone LIKE '13%'`);

  // Pickup tomorrow (China time); the campaign closed an hour ago.
  const pickupDate = new Date(Date.now() + 8 * 3600_000 + 86_400_000).toISOString().slice(0, 10);
  const campaignId = await one(
    `INSERT INTO campaigns (region_id, title, status, starts_at, cutoff_at, pickup_date)
     VALUES ($1, '压测团购', 'published', now() - interval '1 day', now() - interval '1 hour', $2) RETURNING id`,
    [regionId, pickupDate],
  );
  const locationId = await one(`INSERT INTO stock_locations (kind, campaign_id) VALUES ('campaign', $1) RETURNING id`, [campaignId]);

  const total = o.orders + UNPAID;
  for (let from = 1; from <= total; from += chunk) {
    const to = Math.min(total, from + chunk - 1);
    const ids = await db.query<{ lo: number; hi: number }>(
      `WITH ins AS (
         INSERT INTO orders (buyer_account_id, channel, status, fulfilment, location_id, region_id, community_id, pickup_point_id, campaign_id,
                             items_fen, total_fen, paid_fen, idempotency_key, request_hash, expires_at, paid_at)
         SELECT $1 + (g % $2), 'group_buy', CASE WHEN g > $9 THEN 'pending_payment' ELSE 'paid' END, 'pickup', $3, $4, $5,
                $6 + ((g * 2654435761) % $7), $8, 2000, 2000, CASE WHEN g > $9 THEN 0 ELSE 2000 END, 'bench-' || g, 'h',
                now() - interval '2 hours', CASE WHEN g > $9 THEN NULL ELSE now() - interval '2 hours' END
         FROM generate_series($10::bigint, $11::bigint) g
         RETURNING id)
       SELECT min(id) AS lo, max(id) AS hi FROM ins`,
      [firstBuyer, buyers, locationId, regionId, communityId, firstPoint, points, campaignId, o.orders, from, to],
    );
    // 1–3 lines per order, distinct SKUs (offsets 31, 62, 93 differ mod 200), 1–3 units each.
    // The SKU hash takes the high digits of the product: anything of `id mod 10000` would tie
    // each point (chosen by `id mod 10000` above) to a handful of SKUs.
    await db.query(
      `INSERT INTO order_lines (order_id, sku_id, product_id, title, spec, unit, unit_price_fen, quantity, line_total_fen, limit_scope)
       SELECT o.id, s.id, s.product_id, p.name, s.spec, s.unit, s.base_price_fen, q.qty, s.base_price_fen * q.qty, NULL
       FROM generate_series($1::bigint, $2::bigint) AS o(id)
       CROSS JOIN LATERAL generate_series(1, 1 + ((o.id * 7) % 3)::int) AS k(n)
       CROSS JOIN LATERAL (SELECT 1 + ((o.id + k.n) % 3)::int AS qty) AS q
       JOIN skus s ON s.id = $3 + (((o.id * 2654435761) / 10007 + k.n * 31) % $4)
       JOIN products p ON p.id = s.product_id`,
      [ids[0]!.lo, ids[0]!.hi, firstSku, skus],
    );
    o.onProgress?.(Math.min(to, o.orders), o.orders);
  }
  // What autovacuum would have done by the evening of a sale day: fresh statistics, so the
  // planner sees a million orders and not an empty table.
  await db.exec('VACUUM ANALYZE orders');
  await db.exec('VACUUM ANALYZE order_lines');
  await db.exec('ANALYZE');
  return { regionId, pickupDate, points, gridWarehouses: grids };
}
