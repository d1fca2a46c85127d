// Test support for commerce suites: a small world (one region, one community, a central
// warehouse, a pickup point with its leader, a store, some SKUs with stock) and many buyers,
// written straight in SQL because thousands of accounts through the services would take
// minutes of password hashing. Used only by tests and the checkout benchmark.
import type { Database } from '../db';
import { DomainError } from '../kernel';
import type { Actor } from '../modules/people';
import type { Role } from '../modules/people';
import type { Services } from '../services';

export interface WorldSku {
  priceFen: number;
  stock: number;
  dailyLimit?: number | null;
  /** Also stocked at the store. */
  storeStock?: number;
}

export interface CommerceWorld {
  regionId: number;
  communityId: number;
  pickupPointId: number;
  leaderId: number;
  storeId: number;
  storeOwnerId: number;
  operatorId: number;
  centralWarehouseId: number;
  skuIds: number[];
  buyerIds: number[];
  actor(accountId: number, ...roles: Role[]): Actor;
}

let worldCounter = 0;

export async function makeCommerceWorld(db: Database, opts: { buyers: number; skus: WorldSku[] }): Promise<CommerceWorld> {
  worldCounter += 1;
  const tag = `${process.pid % 100000}${worldCounter}`;
  const one = async (sqlText: string, params: unknown[] = []) => (await db.query<{ id: number }>(sqlText, params))[0]!.id;
  // Phones: 1 + 7 + 9 digits, unique per world within this process.
  const phoneBase = 17_000_000_000 + ((process.pid * 7919 + worldCounter * 100_003) % 900_000_000);
  const account = (n: number, name: string) =>
    one(`INSERT INTO accounts (phone, display_name, password_hash) VALUES ($1, $2, 'x') RETURNING id`, [String(phoneBase + n), name]);
  const regionId = await one(`INSERT INTO regions (kind, name, code) VALUES ('city', $1, $2) RETURNING id`, [`测试市${tag}`, `T${tag}`]);
  const communityId = await one(
    `INSERT INTO communities (region_id, name, lat, lng, h3_cell) VALUES ($1, '测试小区', 30.1, 120.1, '89309a5a57bffff') RETURNING id`,
    [regionId],
  );
  const centralWarehouseId = await one(
    `INSERT INTO warehouses (region_id, kind, name, lat, lng) VALUES ($1, 'central', '中心仓', 30.0, 120.0) RETURNING id`,
    [regionId],
  );
  const operatorId = await account(1, '运营');
  const leaderId = await account(2, '团长');
  const storeOwnerId = await account(3, '店主');
  await db.query(
    `INSERT INTO account_roles (account_id, role) VALUES ($1, 'operator'), ($2, 'leader'), ($2, 'resident'), ($3, 'store_owner')`,
    [operatorId, leaderId, storeOwnerId],
  );
  const pickupPointId = await one(
    `INSERT INTO pickup_points (community_id, leader_account_id, name, address, lat, lng, opens_at, closes_at, capacity)
     VALUES ($1, $2, '测试自提点', '1号楼', 30.1, 120.1, '08:00', '20:00', 500) RETURNING id`,
    [communityId, leaderId],
  );
  const storeId = await one(
    `INSERT INTO stores (region_id, community_id, owner_account_id, name, address, lat, lng, delivery_radius_m, opens_at, closes_at)
     VALUES ($1, $2, $3, '测试便利店', '2号楼', 30.1, 120.1, 2000, '07:00', '22:00') RETURNING id`,
    [regionId, communityId, storeOwnerId],
  );
  const categoryId = await one(`INSERT INTO categories (name) VALUES ($1) RETURNING id`, [`测试${tag}`]);
  const centralLoc = await one(`INSERT INTO stock_locations (kind, warehouse_id) VALUES ('warehouse', $1) RETURNING id`, [centralWarehouseId]);
  const storeLoc = await one(`INSERT INTO stock_locations (kind, store_id) VALUES ('store', $1) RETURNING id`, [storeId]);
  const skuIds: number[] = [];
  for (const [i, s] of opts.skus.entries()) {
    const productId = await one(`INSERT INTO products (category_id, name) VALUES ($1, $2) RETURNING id`, [categoryId, `测试商品${i + 1}`]);
    const skuId = await one(`INSERT INTO skus (product_id, spec, unit, base_price_fen) VALUES ($1, '500g', '份', $2) RETURNING id`, [productId, s.priceFen]);
    await db.query(`INSERT INTO region_skus (region_id, sku_id, daily_limit_per_person) VALUES ($1, $2, $3)`, [regionId, skuId, s.dailyLimit ?? null]);
    if (s.stock > 0) await db.query(`INSERT INTO stock_levels (location_id, sku_id, on_hand) VALUES ($1, $2, $3)`, [centralLoc, skuId, s.stock]);
    if (s.storeStock) await db.query(`INSERT INTO stock_levels (location_id, sku_id, on_hand) VALUES ($1, $2, $3)`, [storeLoc, skuId, s.storeStock]);
    skuIds.push(skuId);
  }
  const buyerIds = (
    await db.query<{ id: number }>(
      `INSERT INTO accounts (phone, display_name, password_hash)
       SELECT ($1::bigint + 1000 + g)::text, '买家' || g, 'x' FROM generate_series(1, $2::int) g RETURNING id`,
      [phoneBase, opts.buyers],
    )
  ).map((r) => r.id);
  if (buyerIds.length) {
    await db.query(`INSERT INTO account_roles (account_id, role) SELECT unnest($1::bigint[]), 'resident'`, [buyerIds]);
  }
  return {
    regionId,
    communityId,
    pickupPointId,
    leaderId,
    storeId,
    storeOwnerId,
    operatorId,
    centralWarehouseId,
    skuIds,
    buyerIds,
    actor: (accountId, ...roles) => ({ accountId, roles: new Set<Role>(roles.length ? roles : ['resident']) }),
  };
}

/** Pay through the sandbox the way the payment page does: signed callback, verified, applied once. */
export function connectSandbox(s: Services): void {
  s.sandboxGateway.connect(async (req) => {
    try {
      await s.payments.handleNotification('sandbox', req.headers, req.body);
      return { status: 200 };
    } catch {
      return { status: 500 };
    }
  });
}


/** A bearer token for an account, written straight into sessions (no password round trip). */
export async function sessionToken(db: Database, accountId: number): Promise<string> {
  const { createHash, randomBytes } = await import('node:crypto');
  const token = randomBytes(24).toString('base64url');
  await db.query(`INSERT INTO sessions (token_hash, account_id, expires_at) VALUES ($1, $2, now() + interval '1 day')`, [
    createHash('sha256').update(token).digest('hex'),
    accountId,
  ]);
  return token;
}

/** The refusal a promise ends in, as {kind, field, message}; fails the test if it succeeds. */
export async function refusalOf(p: Promise<unknown>): Promise<{ kind: string; field: string | undefined; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return { kind: e.kind, field: e.field, message: e.message };
    throw e;
  }
  throw new Error('expected a refusal');
}
