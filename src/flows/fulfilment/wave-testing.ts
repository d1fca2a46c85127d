// Test support for the cutoff wave: a small hand-made world written straight in SQL (the
// campaign service is not needed to put orders in place). Used only by tests.
//
//   city R ─ county C; central warehouse; grid warehouses G1 (west) and G2 (east)
//   points P1, P2, P3 → G1; P4 → G2; P5 has no grid warehouse but stands next to G2
//   suppliers S1 (SKUs a, b), S2 (c); SKU d has no supplier
//   campaigns: K1 (R) and K2 (county C) for `day`, past cutoff; K3 (R, day + 1) and K4 (R, day,
//   cutoff in the future) are not due
//   paid: O1 P1 a3 c1 · O2 P2 b2 · O3 P3 a1 d4 · O4 (K2) P4 c5 · O5 P5 a2 b1 ·
//         O6 P1 a4 (1 refunded) b2 (2 refunded) · O7 P2 a10 refunded in full (status refunded)
//   unpaid: U1 (K1) P1 a2 past its payment deadline, with a hold and a purchase counter;
//           U2 (K2) P4 c1 still inside its deadline
//   not in the wave: O8 (K3), O9 (K4), both paid
import type { Database } from '../../db';

export interface WaveWorld {
  regionId: number;
  countyId: number;
  day: string;
  centralWarehouseId: number;
  grid: { g1: number; g2: number };
  points: { p1: number; p2: number; p3: number; p4: number; p5: number };
  suppliers: { s1: number; s2: number };
  skus: { a: number; b: number; c: number; d: number };
  campaigns: { k1: number; k2: number; k3: number; k4: number };
  orders: Record<'o1' | 'o2' | 'o3' | 'o4' | 'o5' | 'o6' | 'o7' | 'o8' | 'o9' | 'u1' | 'u2', number>;
  buyerId: number;
  operatorId: number;
  /** K1's stock location, where U1's hold sits. */
  k1LocationId: number;
}

let counter = 0;

export async function makeWaveWorld(db: Database, opts: { now: Date; day: string; itemsPerCrate?: number; vanCapacityCrates?: number }): Promise<WaveWorld> {
  counter += 1;
  const tag = `${process.pid % 100000}w${counter}`;
  const one = async (text: string, params: unknown[] = []) => (await db.query<{ id: number }>(text, params))[0]!.id;
  const phone = (n: number) => String(16_000_000_000 + ((process.pid * 7919 + counter * 1009 + n) % 900_000_000));
  const regionId = await one(`INSERT INTO regions (kind, name, code) VALUES ('city', $1, $2) RETURNING id`, [`波次市${tag}`, `W${tag}`]);
  const countyId = await one(`INSERT INTO regions (kind, parent_id, name, code) VALUES ('county', $1, $2, $3) RETURNING id`, [regionId, `波次区${tag}`, `WC${tag}`]);
  await db.query(`INSERT INTO groupbuy_settings (region_id, items_per_crate, van_capacity_crates) VALUES ($1, $2, $3)`, [
    regionId,
    opts.itemsPerCrate ?? 2,
    opts.vanCapacityCrates ?? 4,
  ]);
  const communityId = await one(`INSERT INTO communities (region_id, name, lat, lng, h3_cell) VALUES ($1, '波次小区', 30.0, 120.0, '89309a5a57bffff') RETURNING id`, [regionId]);
  const centralWarehouseId = await one(`INSERT INTO warehouses (region_id, kind, name, lat, lng) VALUES ($1, 'central', '中心仓', 30.0, 120.0) RETURNING id`, [regionId]);
  const gridAt = (name: string, lng: number) =>
    one(`INSERT INTO warehouses (region_id, kind, name, lat, lng, central_warehouse_id) VALUES ($1, 'grid', $2, 30.0, $3, $4) RETURNING id`, [regionId, name, lng, centralWarehouseId]);
  const g1 = await gridAt('西网格仓', 119.9);
  const g2 = await gridAt('东网格仓', 120.1);
  const operatorId = await one(`INSERT INTO accounts (phone, display_name, password_hash) VALUES ($1, '运营', 'x') RETURNING id`, [phone(1)]);
  const buyerId = await one(`INSERT INTO accounts (phone, display_name, password_hash) VALUES ($1, '买家', 'x') RETURNING id`, [phone(2)]);
  await db.query(`INSERT INTO account_roles (account_id, role) VALUES ($1, 'operator'), ($2, 'resident')`, [operatorId, buyerId]);
  const point = (name: string, lat: number, lng: number, grid: number | null) =>
    one(
      `INSERT INTO pickup_points (community_id, grid_warehouse_id, name, address, lat, lng, opens_at, closes_at, capacity)
       VALUES ($1, $2, $3, $4, $5, $6, '08:00', '20:00', 300) RETURNING id`,
      [communityId, grid, name, `${name}门口`, lat, lng],
    );
  const points = {
    p1: await point('一号点', 30.01, 119.91, g1),
    p2: await point('二号点', 29.99, 119.89, g1),
    p3: await point('三号点', 30.02, 119.88, g1),
    p4: await point('四号点', 30.01, 120.11, g2),
    p5: await point('五号点', 29.99, 120.09, null),
  };
  const s1 = await one(`INSERT INTO suppliers (name) VALUES ('绿源果蔬') RETURNING id`);
  const s2 = await one(`INSERT INTO suppliers (name) VALUES ('"鲜,禽"合作社') RETURNING id`);
  const categoryId = await one(`INSERT INTO categories (name) VALUES ($1) RETURNING id`, [`波次${tag}`]);
  const sku = async (name: string, supplier: number | null, price: number) => {
    const productId = await one(`INSERT INTO products (category_id, supplier_id, name) VALUES ($1, $2, $3) RETURNING id`, [categoryId, supplier, name]);
    return {
      productId,
      id: await one(`INSERT INTO skus (product_id, spec, unit, base_price_fen) VALUES ($1, '500g', '份', $2) RETURNING id`, [productId, price]),
      name,
      price,
    };
  };
  const A = await sku('苹果', s1, 500);
  const B = await sku('香蕉', s1, 300);
  const C = await sku('鸡蛋', s2, 800);
  const D = await sku('大米', null, 2000);
  const next = new Date(Date.parse(`${opts.day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const hour = 3600_000;
  const campaign = (region: number, day: string, cutoff: Date) =>
    one(
      `INSERT INTO campaigns (region_id, title, status, starts_at, cutoff_at, pickup_date) VALUES ($1, '今日团购', 'published', $2, $3, $4) RETURNING id`,
      [region, new Date(cutoff.getTime() - 10 * hour).toISOString(), cutoff.toISOString(), day],
    );
  const past = new Date(opts.now.getTime() - hour);
  const campaigns = {
    k1: await campaign(regionId, opts.day, past),
    k2: await campaign(countyId, opts.day, past),
    k3: await campaign(regionId, next, new Date(opts.now.getTime() + hour)),
    k4: await campaign(regionId, opts.day, new Date(opts.now.getTime() + hour)),
  };
  const locationOf = async (k: number) => one(`INSERT INTO stock_locations (kind, campaign_id) VALUES ('campaign', $1) RETURNING id`, [k]);
  const loc = {
    [campaigns.k1]: await locationOf(campaigns.k1),
    [campaigns.k2]: await locationOf(campaigns.k2),
    [campaigns.k3]: await locationOf(campaigns.k3),
    [campaigns.k4]: await locationOf(campaigns.k4),
  };
  type Line = [typeof A, number, number?];
  let seq = 0;
  const order = async (k: number, pointId: number, status: string, lines: Line[], o: { refundedFen?: number; expiresAt?: Date } = {}) => {
    seq += 1;
    const items = lines.reduce((s, [sk, q]) => s + sk.price * q, 0);
    const paid = status === 'pending_payment' ? 0 : items;
    const id = await one(
      `INSERT INTO orders (buyer_account_id, channel, status, fulfilment, location_id, region_id, community_id, pickup_point_id, campaign_id,
                           items_fen, total_fen, paid_fen, refunded_fen, idempotency_key, request_hash, expires_at, paid_at)
       VALUES ($1, 'group_buy', $2, 'pickup', $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, 'h', $12, $13) RETURNING id`,
      [
        buyerId,
        status,
        loc[k],
        regionId,
        communityId,
        pointId,
        k,
        items,
        paid,
        o.refundedFen ?? 0,
        `wave-${tag}-${seq}`,
        (o.expiresAt ?? new Date(opts.now.getTime() - 2 * hour)).toISOString(),
        paid ? new Date(opts.now.getTime() - 2 * hour).toISOString() : null,
      ],
    );
    for (const [sk, q, refunded = 0] of lines) {
      await db.query(
        `INSERT INTO order_lines (order_id, sku_id, product_id, title, spec, unit, unit_price_fen, quantity, line_total_fen, limit_scope, refunded_quantity, refunded_fen)
         VALUES ($1, $2, $3, $4, '500g', '份', $5, $6, $7, $8, $9, $10)`,
        [id, sk.id, sk.productId, sk.name, sk.price, q, sk.price * q, `campaign:${k}`, refunded, sk.price * refunded],
      );
    }
    return id;
  };
  const { k1, k2, k3, k4 } = campaigns;
  const orders = {
    o1: await order(k1, points.p1, 'paid', [[A, 3], [C, 1]]),
    o2: await order(k1, points.p2, 'paid', [[B, 2]]),
    o3: await order(k1, points.p3, 'paid', [[A, 1], [D, 4]]),
    o4: await order(k2, points.p4, 'paid', [[C, 5]]),
    o5: await order(k1, points.p5, 'paid', [[A, 2], [B, 1]]),
    o6: await order(k1, points.p1, 'paid', [[A, 4, 1], [B, 2, 2]], { refundedFen: A.price + 2 * B.price }),
    o7: await order(k1, points.p2, 'refunded', [[A, 10, 10]], { refundedFen: 10 * A.price }),
    o8: await order(k3, points.p1, 'paid', [[A, 1]]),
    o9: await order(k4, points.p1, 'paid', [[A, 1]]),
    u1: await order(k1, points.p1, 'pending_payment', [[A, 2]], { expiresAt: new Date(opts.now.getTime() - 60_000) }),
    u2: await order(k2, points.p4, 'pending_payment', [[C, 1]], { expiresAt: new Date(opts.now.getTime() + 10 * 60_000) }),
  };
  // U1 and U2 hold stock and count against the buyer's limit, as checkout would have left them.
  for (const [k, u, s, q] of [[k1, orders.u1, A.id, 2], [k2, orders.u2, C.id, 1]] as const) {
    await db.query(`INSERT INTO stock_levels (location_id, sku_id, on_hand, reserved) VALUES ($1, $2, 100, $3)`, [loc[k], s, q]);
    await db.query(`INSERT INTO stock_holds (order_id, location_id, sku_id, quantity, expires_at) VALUES ($1, $2, $3, $4, $5)`, [
      u,
      loc[k],
      s,
      q,
      new Date(opts.now.getTime() + 600_000).toISOString(),
    ]);
    await db.query(`INSERT INTO purchase_counters (account_id, scope, sku_id, quantity) VALUES ($1, $2, $3, $4)`, [buyerId, `campaign:${k}`, s, q]);
  }
  return {
    regionId,
    countyId,
    day: opts.day,
    centralWarehouseId,
    grid: { g1, g2 },
    points,
    suppliers: { s1, s2 },
    skus: { a: A.id, b: B.id, c: C.id, d: D.id },
    campaigns,
    orders,
    buyerId,
    operatorId,
    k1LocationId: loc[k1]!,
  };
}
