// Test support for the leader suites: valid ID numbers, an application body, a grid warehouse,
// and group-buy orders, arrivals, pickups and after-sales requests written straight in SQL
// (the KPI job only reads them). Used only by *.test.ts files.
import type { Database } from '../../db';
import { idCardCheckChar, type NewApplication } from '../../modules/leaders';
import type { CommerceWorld } from '../testing';

/** A well-formed ID number (GB 11643 check digit) that differs by `n`. */
export function validIdCard(n: number): string {
  const first17 = `3301061990${String(1 + (n % 12)).padStart(2, '0')}15${String(n % 1000).padStart(3, '0')}`;
  return first17 + idCardCheckChar(first17);
}

export function applicationInput(w: CommerceWorld, n: number, over: Partial<NewApplication> = {}): NewApplication {
  return {
    realName: '王小明',
    idCardNumber: validIdCard(n),
    communityId: w.communityId,
    pointName: `幸福小区${n}号自提点`,
    address: `${n}号楼底商`,
    lat: 30.1 + n / 1000,
    lng: 120.1 + n / 1000,
    opensAt: '08:00',
    closesAt: '21:00',
    capacity: 300,
    ...over,
  };
}

const one = async (db: Database, text: string, params: unknown[]) => (await db.query<{ id: number }>(text, params))[0]!.id;

export async function addGridWarehouse(db: Database, w: CommerceWorld, at: { lat: number; lng: number; name: string; regionId?: number }): Promise<number> {
  return one(db, `INSERT INTO warehouses (region_id, kind, name, lat, lng, central_warehouse_id) VALUES ($1, 'grid', $2, $3, $4, $5) RETURNING id`, [
    at.regionId ?? w.regionId,
    at.name,
    at.lat,
    at.lng,
    w.centralWarehouseId,
  ]);
}

export async function addCampaign(db: Database, w: CommerceWorld, pickupDate: string): Promise<number> {
  return one(
    db,
    `INSERT INTO campaigns (region_id, title, status, starts_at, cutoff_at, pickup_date)
     VALUES ($1, $2, 'cut_off', ($3::date - 2)::timestamp AT TIME ZONE 'UTC', ($3::date - 1)::timestamp AT TIME ZONE 'UTC', $3::date) RETURNING id`,
    [w.regionId, `团购 ${pickupDate}`, pickupDate],
  );
}

export interface FixtureOrder {
  buyerId: number;
  pickupPointId: number;
  leaderId: number | null;
  campaignId: number | null;
  status: 'paid' | 'fulfilling' | 'ready' | 'completed' | 'refunded';
  paidAt: string;
  quantity: number;
  unitPriceFen: number;
}

/** A paid group-buy order with one line of the world's first SKU; returns the order and line ids. */
export async function addOrder(db: Database, w: CommerceWorld, o: FixtureOrder): Promise<{ orderId: number; lineId: number }> {
  const location = await one(db, `SELECT id FROM stock_locations WHERE warehouse_id = $1`, [w.centralWarehouseId]);
  const total = o.quantity * o.unitPriceFen;
  const orderId = await one(
    db,
    `INSERT INTO orders (buyer_account_id, channel, status, fulfilment, location_id, region_id, community_id, pickup_point_id,
                         leader_account_id, campaign_id, items_fen, total_fen, paid_fen, idempotency_key, request_hash, paid_at, created_at)
     VALUES ($1, 'group_buy', $2, 'pickup', $3, $4, $5, $6, $7, $8, $9, $9, $9, gen_random_uuid()::text, 'x', $10, $10) RETURNING id`,
    [o.buyerId, o.status, location, w.regionId, w.communityId, o.pickupPointId, o.leaderId, o.campaignId, total, o.paidAt],
  );
  const lineId = await one(
    db,
    `INSERT INTO order_lines (order_id, sku_id, product_id, title, spec, unit, unit_price_fen, quantity, line_total_fen)
     SELECT $1, s.id, s.product_id, '测试商品', s.spec, s.unit, $2, $3, $4 FROM skus s WHERE s.id = $5 RETURNING id`,
    [orderId, o.unitPriceFen, o.quantity, total, w.skuIds[0]],
  );
  return { orderId, lineId };
}

export async function addPickup(db: Database, o: { orderId: number; lineId: number; quantity: number; by: number; at: string; undoneAt?: string }): Promise<void> {
  await db.query(
    `INSERT INTO pickups (order_id, order_line_id, quantity, scan_id, by_account_id, picked_at, undone_at) VALUES ($1, $2, $3, gen_random_uuid()::text, $4, $5, $6)`,
    [o.orderId, o.lineId, o.quantity, o.by, o.at, o.undoneAt ?? null],
  );
}

/** The point's arrival hand-off of the (region, day) wave, signed at `at`. */
export async function addArrival(db: Database, w: CommerceWorld, a: { pickupPointId: number; pickupDate: string; campaignIds: number[]; signedBy: number; at: string }): Promise<void> {
  const waveId = await one(
    db,
    `INSERT INTO waves (region_id, pickup_date, campaign_ids) VALUES ($1, $2, $3::bigint[])
     ON CONFLICT (region_id, pickup_date) DO UPDATE SET status = waves.status RETURNING id`,
    [w.regionId, a.pickupDate, a.campaignIds],
  );
  await db.query(`INSERT INTO handoffs (wave_id, kind, pickup_point_id, signed_by, signed_at) VALUES ($1, 'point_arrival', $2, $3, $4)`, [
    waveId,
    a.pickupPointId,
    a.signedBy,
    a.at,
  ]);
}

export async function addComplaint(db: Database, o: { orderId: number; buyerId: number; lineId: number; at: string }): Promise<void> {
  await db.query(
    `INSERT INTO after_sales_requests (order_id, buyer_account_id, reason, lines, requested_fen, created_at) VALUES ($1, $2, 'quality', $3::jsonb, 100, $4)`,
    [o.orderId, o.buyerId, JSON.stringify([{ orderLineId: o.lineId, quantity: 1 }]), o.at],
  );
}
