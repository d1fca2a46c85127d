// Test support for the hand-off and pickup suites: a campaign's orders paid through the sandbox
// (so refunds and commissions are real) and then a wave written straight in SQL — frozen
// orders, a grid warehouse, sorting lines, one route and a purchase order — without running
// the wave flow. Used only by tests.
import type { Database } from '../../db';
import type { Services } from '../../services';
import type { CommerceWorld } from '../testing';

export interface FixtureOrder {
  id: number;
  buyerId: number;
  totalFen: number;
  lines: { id: number; skuId: number; quantity: number; lineTotalFen: number }[];
}

export interface WaveFixture {
  campaignId: number;
  waveId: number;
  gridWarehouseId: number;
  routeId: number;
  purchaseOrderId: number;
  supplierId: number;
  /** In relay order (paid first first). */
  orders: FixtureOrder[];
}

export interface FixtureSpec {
  /** Each order: its buyer and [skuIndex, quantity] pairs. */
  orders: { buyerId: number; lines: [number, number][] }[];
  pointId?: number;
  leaderId?: number;
  /** The leader's commission on each order, basis points (default 1000). */
  commissionBp?: number;
  /**
   * 'paid' (default: in a wave, the van not gone yet — the cutoff writes nothing per order),
   * 'fulfilling' (on its way) or 'ready' (already signed in at the point).
   */
  status?: 'paid' | 'fulfilling' | 'ready';
}

let fixtureCounter = 0;

export async function makeWaveFixture(s: Services, w: CommerceWorld, spec: FixtureSpec): Promise<WaveFixture> {
  fixtureCounter += 1;
  const db = s.db;
  const pointId = spec.pointId ?? w.pickupPointId;
  const leaderId = spec.leaderId ?? w.leaderId;
  const one = async (text: string, params: unknown[] = []) => Number((await db.query<{ id: number }>(text, params))[0]!.id);
  const campaignId = await one(
    `INSERT INTO campaigns (region_id, title, status, starts_at, cutoff_at, pickup_date)
     VALUES ($1, $2, 'cut_off', now() - interval '2 days', now() - interval '1 day', current_date) RETURNING id`,
    [w.regionId, `测试团购${fixtureCounter}`],
  );
  const locationId = await s.inventory.locationOfWarehouse(w.centralWarehouseId);
  const supplierId = await one(`INSERT INTO suppliers (name) VALUES ($1) RETURNING id`, [`测试供应商${fixtureCounter}`]);
  await db.query(`UPDATE products SET supplier_id = $1 WHERE id IN (SELECT product_id FROM skus WHERE id = ANY($2::bigint[]))`, [supplierId, w.skuIds]);
  const skus = await db.query<{ id: number; productId: number; price: number; spec: string; unit: string; name: string }>(
    `SELECT s.id, s.product_id AS "productId", s.base_price_fen AS price, s.spec, s.unit, p.name
     FROM skus s JOIN products p ON p.id = s.product_id WHERE s.id = ANY($1::bigint[])`,
    [w.skuIds],
  );
  const skuById = new Map(skus.map((k) => [Number(k.id), k]));
  const plan = JSON.stringify([{ party: 'leader', accountId: leaderId, bp: spec.commissionBp ?? 1000 }]);

  const orders: FixtureOrder[] = [];
  for (const [i, o] of spec.orders.entries()) {
    const lines = o.lines.map(([idx, quantity]) => {
      const k = skuById.get(w.skuIds[idx]!)!;
      return { k, quantity, lineTotalFen: Number(k.price) * quantity };
    });
    const total = lines.reduce((sum, l) => sum + l.lineTotalFen, 0);
    const orderId = await one(
      `INSERT INTO orders (buyer_account_id, channel, status, fulfilment, location_id, region_id, community_id, pickup_point_id,
                           leader_account_id, campaign_id, items_fen, total_fen, commission_plan, idempotency_key, request_hash, expires_at)
       VALUES ($1, 'group_buy', 'pending_payment', 'pickup', $2, $3, $4, $5, $6, $7, $8, $8, $9::jsonb, $10, 'h', $11)
       RETURNING id`,
      [o.buyerId, locationId, w.regionId, w.communityId, pointId, leaderId, campaignId, total, plan, `fixture-${process.pid}-${fixtureCounter}-${i}`, new Date(s.clock.now().getTime() + 3_600_000)],
    );
    const inserted: FixtureOrder['lines'] = [];
    for (const l of lines) {
      const id = await one(
        `INSERT INTO order_lines (order_id, sku_id, product_id, title, spec, unit, unit_price_fen, quantity, line_total_fen)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [orderId, l.k.id, l.k.productId, l.k.name, l.k.spec, l.k.unit, l.k.price, l.quantity, l.lineTotalFen],
      );
      inserted.push({ id, skuId: Number(l.k.id), quantity: l.quantity, lineTotalFen: l.lineTotalFen });
    }
    const [created] = await db.orm.transaction((tx) => s.payments.createPayments(tx, [{ orderId, payerAccountId: o.buyerId, amountFen: total, description: 'fixture' }]));
    await s.sandboxGateway.complete({ id: created!.payment.id, amountFen: total }, 'succeeded');
    // Relay order is by paid_at: make it the order of the spec, whatever the clock did.
    await db.query(`UPDATE orders SET paid_at = now() - interval '1 hour' + $2 * interval '1 second', status = $3 WHERE id = $1 AND status = 'paid'`, [
      orderId,
      i,
      spec.status ?? 'paid',
    ]);
    orders.push({ id: orderId, buyerId: o.buyerId, totalFen: total, lines: inserted });
  }
  const [{ status } = { status: '' }] = await db.query<{ status: string }>(`SELECT status FROM orders WHERE id = $1`, [orders[0]?.id ?? 0]);
  if (orders.length && status !== (spec.status ?? 'paid')) throw new Error(`fixture order did not get paid (status ${status}): is the sandbox connected?`);

  const gridWarehouseId = await one(`INSERT INTO warehouses (region_id, kind, name, lat, lng, central_warehouse_id) VALUES ($1, 'grid', '网格仓', 30.05, 120.05, $2) RETURNING id`,
    [w.regionId, w.centralWarehouseId],
  );
  await db.query(`UPDATE pickup_points SET grid_warehouse_id = $1 WHERE id = $2`, [gridWarehouseId, pointId]);
  const waveId = await one(
    `INSERT INTO waves (region_id, pickup_date, status, campaign_ids, orders, items) VALUES ($1, current_date + $2::int, 'planned', ARRAY[$3::bigint], $4, 0) RETURNING id`,
    [w.regionId, fixtureCounter, campaignId, orders.length],
  );
  await db.query(
    `INSERT INTO sort_lists (wave_id, grid_warehouse_id, pickup_point_id, sku_ids, quantities, orders)
     SELECT $1, $2, pickup_point_id, array_agg(sku_id), array_agg(quantity), array_agg(n)
     FROM (SELECT o.pickup_point_id, l.sku_id, sum(l.quantity - l.refunded_quantity)::int AS quantity, count(DISTINCT o.id)::int AS n
           FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.campaign_id = $3 AND o.status IN ('paid', 'fulfilling')
           GROUP BY o.pickup_point_id, l.sku_id) AS d
     GROUP BY pickup_point_id`,
    [waveId, gridWarehouseId, campaignId],
  );
  const routeId = await one(
    `INSERT INTO delivery_routes (wave_id, grid_warehouse_id, seq, capacity_crates, load_crates, distance_m) VALUES ($1, $2, 1, 60, 1, 1200) RETURNING id`,
    [waveId, gridWarehouseId],
  );
  await db.query(`INSERT INTO route_stops (route_id, seq, pickup_point_id, crates, items, orders) VALUES ($1, 1, $2, 1, 1, $3)`, [routeId, pointId, orders.length]);
  const purchaseOrderId = await one(`INSERT INTO purchase_orders (wave_id, supplier_id, central_warehouse_id) VALUES ($1, $2, $3) RETURNING id`, [
    waveId,
    supplierId,
    w.centralWarehouseId,
  ]);
  await db.query(
    `INSERT INTO purchase_order_lines (purchase_order_id, sku_id, quantity)
     SELECT $1, l.sku_id, sum(l.quantity) FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.campaign_id = $2 GROUP BY l.sku_id`,
    [purchaseOrderId, campaignId],
  );
  return { campaignId, waveId, gridWarehouseId, routeId, purchaseOrderId, supplierId, orders };
}

/** A second pickup point in the world, with its own leader. */
export async function makeOtherPoint(db: Database, w: CommerceWorld): Promise<{ pointId: number; leaderId: number }> {
  fixtureCounter += 1;
  const leaderId = Number(
    (
      await db.query<{ id: number }>(`INSERT INTO accounts (phone, display_name, password_hash) VALUES ($1, '别的团长', 'x') RETURNING id`, [
        String(16_000_000_000 + ((process.pid * 31 + fixtureCounter * 7_919) % 999_999_999)),
      ])
    )[0]!.id,
  );
  await db.query(`INSERT INTO account_roles (account_id, role) VALUES ($1, 'leader')`, [leaderId]);
  const pointId = Number(
    (
      await db.query<{ id: number }>(
        `INSERT INTO pickup_points (community_id, leader_account_id, name, address, lat, lng, opens_at, closes_at, capacity)
         VALUES ($1, $2, '别的自提点', '9号楼', 30.1, 120.1, '08:00', '20:00', 500) RETURNING id`,
        [w.communityId, leaderId],
      )
    )[0]!.id,
  );
  return { pointId, leaderId };
}
