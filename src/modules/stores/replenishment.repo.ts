// SQL of replenishment (进货): the wholesale catalogue, the suggested order, and the rows that
// give a replenishment order its delivery day and its receipt. The suggestion reads a store's
// own sales, stock and open orders and the neighbourhood's sales in two set-based statements.
import { sql, type SQL } from 'drizzle-orm';
import { selectRows, type Database, type Executor } from '../../db';

/** Who may act for a store: its owner and clerks. */
export interface StoreAccess {
  storeId: number;
  regionId: number;
  ownerAccountId: number;
  status: string;
  lat: number;
  lng: number;
  isClerk: boolean;
}

export interface WholesaleOffer {
  skuId: number;
  productId: number;
  title: string;
  spec: string;
  unit: string;
  priceFen: number;
  caseSize: number;
  /** Checkout's offer shape: wholesale has no per-person limit. */
  dailyLimitPerPerson: null;
}

export interface WholesaleItem {
  skuId: number;
  title: string;
  spec: string;
  unit: string;
  wholesalePriceFen: number;
  caseSize: number;
  retailPriceFen: number;
  /** Units the central warehouse can still sell (on hand − held). */
  available: number;
}

export interface SuggestionRow {
  skuId: number;
  title: string;
  spec: string;
  unit: string;
  onHand: number;
  onOrder: number;
  /** Units sold over the window (own sales) or in the neighbourhood. */
  units: number;
  suggested: number;
  wholesalePriceFen: number;
  caseSize: number;
}

export interface ReplenishmentOrderMeta {
  orderId: number;
  storeId: number;
  deliveryDate: string;
  receivedAt: Date | null;
  receivedBy: number | null;
}

/** China Standard Time day of a timestamp column, as SQL (UTC+8, no DST). */
const cstDay = (col: SQL) => sql`((${col} AT TIME ZONE 'UTC') + interval '8 hours')::date`;

/**
 * The wholesale prices a region's stores buy at: the region's own, else its city's (a county
 * usually buys at its city's prices). One row per SKU.
 */
const wholesaleOf = (regionId: number) => sql`
  SELECT DISTINCT ON (w.sku_id) w.sku_id, w.price_fen, w.case_size
  FROM wholesale_prices w
  WHERE w.active AND (w.region_id = ${regionId} OR w.region_id = (SELECT parent_id FROM regions WHERE id = ${regionId}))
  ORDER BY w.sku_id, (w.region_id = ${regionId}) DESC`;

/** Great-circle distance in metres between a row's (lat, lng) and a point. */
const metresFrom = (lat: number, lng: number, t: string) => sql`
  2 * 6371000 * asin(sqrt(power(sin(radians(${sql.raw(t)}.lat - ${lat}::float8) / 2), 2)
    + cos(radians(${lat}::float8)) * cos(radians(${sql.raw(t)}.lat)) * power(sin(radians(${sql.raw(t)}.lng - ${lng}::float8) / 2), 2)))`;

/** A cheap box around the point first, so the distance is computed for few rows. */
const nearBox = (lat: number, lng: number, radiusM: number, t: string) => {
  const dLat = radiusM / 111_320;
  const dLng = dLat / Math.max(0.01, Math.cos((lat * Math.PI) / 180));
  return sql`${sql.raw(t)}.lat BETWEEN ${lat - dLat}::float8 AND ${lat + dLat}::float8
             AND ${sql.raw(t)}.lng BETWEEN ${lng - dLng}::float8 AND ${lng + dLng}::float8
             AND ${metresFrom(lat, lng, t)} <= ${radiusM}::float8`;
};

export class ReplenishmentRepo {
  async storeAccess(db: Executor, storeId: number, accountId: number): Promise<StoreAccess | null> {
    const rows = await selectRows<StoreAccess>(
      db,
      sql`SELECT s.id AS "storeId", s.region_id AS "regionId", s.owner_account_id AS "ownerAccountId", s.status, s.lat, s.lng,
                 EXISTS (SELECT 1 FROM store_clerks c WHERE c.store_id = s.id AND c.account_id = ${accountId}) AS "isClerk"
          FROM stores s WHERE s.id = ${storeId}`,
    );
    return rows[0] ?? null;
  }

  async storeLocation(db: Executor, storeId: number): Promise<number | null> {
    const rows = await selectRows<{ id: number }>(db, sql`SELECT id FROM stock_locations WHERE store_id = ${storeId}`);
    return rows[0]?.id ?? null;
  }

  /** The wholesale offers of these SKUs for a region's stores, as checkout prices them. */
  async wholesaleOffers(db: Executor, regionId: number, skuIds: number[]): Promise<WholesaleOffer[]> {
    if (skuIds.length === 0) return [];
    return selectRows<WholesaleOffer>(
      db,
      sql`WITH wp AS (${wholesaleOf(regionId)})
          SELECT k.id AS "skuId", p.id AS "productId", p.name AS title, k.spec, k.unit, wp.price_fen AS "priceFen",
                 wp.case_size AS "caseSize", NULL AS "dailyLimitPerPerson"
          FROM wp JOIN skus k ON k.id = wp.sku_id JOIN products p ON p.id = k.product_id
          WHERE wp.sku_id = ANY(${sql.param(skuIds)}::bigint[]) AND k.status = 'active' AND p.status = 'active'`,
    );
  }

  /**
   * The catalogue page a store sees, by SKU id: wholesale and shelf price (the region's, else
   * the SKU's base price) and what the central warehouse (the region's, else its city's) can
   * still sell. `q` matches the product name.
   */
  async wholesalePage(db: Executor, f: { regionId: number; q: string | null; afterSkuId: number | null; limit: number }): Promise<(WholesaleItem & { id: number })[]> {
    const like = f.q === null ? null : `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return selectRows(
      db,
      sql`WITH wp AS (${wholesaleOf(f.regionId)}),
          central AS (
            SELECT l.id FROM warehouses w JOIN stock_locations l ON l.warehouse_id = w.id
            WHERE w.kind = 'central' AND (w.region_id = ${f.regionId} OR w.region_id = (SELECT parent_id FROM regions WHERE id = ${f.regionId}))
            ORDER BY (w.region_id = ${f.regionId}) DESC, w.id LIMIT 1)
          SELECT k.id AS id, k.id AS "skuId", p.name AS title, k.spec, k.unit, wp.price_fen AS "wholesalePriceFen", wp.case_size AS "caseSize",
                 COALESCE(rs.price_fen, k.base_price_fen) AS "retailPriceFen",
                 COALESCE((SELECT sl.on_hand - sl.reserved FROM stock_levels sl WHERE sl.location_id = (SELECT id FROM central) AND sl.sku_id = k.id), 0) AS available
          FROM wp JOIN skus k ON k.id = wp.sku_id JOIN products p ON p.id = k.product_id
          LEFT JOIN region_skus rs ON rs.region_id = ${f.regionId} AND rs.sku_id = k.id
          WHERE k.status = 'active' AND p.status = 'active'
            ${f.afterSkuId === null ? sql`` : sql`AND k.id > ${f.afterSkuId}`}
            ${like === null ? sql`` : sql`AND p.name ILIKE ${like}`}
          ORDER BY k.id LIMIT ${f.limit}`,
    );
  }

  /**
   * The store's own SKUs that need ordering: everything it stocks or sold in the window,
   * with its velocity (units sold − refunded, counter + online, paid since `since`), what is
   * on the shelf (on hand − held) and on order (replenishment orders not yet received), and
   * the suggested quantity ceil(units × coverDays / windowDays) − on shelf − on order,
   * rounded up to whole cases; only SKUs with something to order and a wholesale price.
   */
  async lowStock(
    db: Executor,
    p: { storeId: number; regionId: number; locationId: number | null; since: Date; windowDays: number; coverDays: number },
  ): Promise<SuggestionRow[]> {
    const loc = p.locationId ?? 0;
    return selectRows<SuggestionRow>(
      db,
      sql`WITH wp AS (${wholesaleOf(p.regionId)}),
          sold AS (
            SELECT ol.sku_id, sum(ol.quantity - ol.refunded_quantity)::int AS units
            FROM orders o JOIN order_lines ol ON ol.order_id = o.id
            WHERE o.store_id = ${p.storeId} AND o.channel IN ('store_counter', 'store_online')
              AND o.paid_at IS NOT NULL AND o.paid_at >= ${p.since.toISOString()}::timestamptz
            GROUP BY ol.sku_id),
          on_order AS (
            SELECT ol.sku_id, sum(ol.quantity - ol.refunded_quantity)::int AS units
            FROM orders o JOIN order_lines ol ON ol.order_id = o.id
            WHERE o.store_id = ${p.storeId} AND o.channel = 'replenishment'
              AND o.status IN ('pending_payment', 'paid', 'fulfilling', 'ready')
            GROUP BY ol.sku_id),
          stocked AS (
            SELECT sl.sku_id, sl.on_hand - sl.reserved AS on_shelf FROM stock_levels sl WHERE sl.location_id = ${loc}
            UNION ALL
            SELECT s.sku_id, 0 FROM sold s WHERE NOT EXISTS (SELECT 1 FROM stock_levels sl WHERE sl.location_id = ${loc} AND sl.sku_id = s.sku_id)),
          need AS (
            SELECT st.sku_id, st.on_shelf, COALESCE(s.units, 0) AS units, COALESCE(oo.units, 0) AS on_order, wp.price_fen, wp.case_size,
                   (COALESCE(s.units, 0) * ${p.coverDays}::int + ${p.windowDays - 1}::int) / ${p.windowDays}::int - st.on_shelf - COALESCE(oo.units, 0) AS short
            FROM stocked st JOIN wp ON wp.sku_id = st.sku_id
            LEFT JOIN sold s ON s.sku_id = st.sku_id LEFT JOIN on_order oo ON oo.sku_id = st.sku_id)
          SELECT n.sku_id AS "skuId", p.name AS title, k.spec, k.unit, n.on_shelf AS "onHand", n.on_order AS "onOrder", n.units,
                 ((n.short + n.case_size - 1) / n.case_size) * n.case_size AS suggested,
                 n.price_fen AS "wholesalePriceFen", n.case_size AS "caseSize"
          FROM need n JOIN skus k ON k.id = n.sku_id JOIN products p ON p.id = k.product_id
          WHERE n.short > 0 AND k.status = 'active' AND p.status = 'active'
          ORDER BY n.units DESC, n.sku_id`,
    );
  }

  /**
   * Neighbourhood demand: SKUs the store does not stock that sold (paid since `since`, net of
   * refunds) at pickup points and other stores within `radiusM`, most units first, with a
   * wholesale price. Suggested: one case, to try.
   */
  async neighbourhood(
    db: Executor,
    p: { storeId: number; regionId: number; locationId: number | null; lat: number; lng: number; radiusM: number; since: Date; limit: number },
  ): Promise<SuggestionRow[]> {
    const since = p.since.toISOString();
    return selectRows<SuggestionRow>(
      db,
      sql`WITH wp AS (${wholesaleOf(p.regionId)}),
          near_points AS (SELECT pp.id FROM pickup_points pp WHERE ${nearBox(p.lat, p.lng, p.radiusM, 'pp')}),
          near_stores AS (SELECT st.id FROM stores st WHERE st.id <> ${p.storeId} AND ${nearBox(p.lat, p.lng, p.radiusM, 'st')}),
          sold AS (
            SELECT x.sku_id, sum(x.units)::int AS units FROM (
              SELECT ol.sku_id, ol.quantity - ol.refunded_quantity AS units
              FROM orders o JOIN order_lines ol ON ol.order_id = o.id
              WHERE o.pickup_point_id IN (SELECT id FROM near_points) AND o.paid_at IS NOT NULL AND o.paid_at >= ${since}::timestamptz
              UNION ALL
              SELECT ol.sku_id, ol.quantity - ol.refunded_quantity
              FROM orders o JOIN order_lines ol ON ol.order_id = o.id
              WHERE o.store_id IN (SELECT id FROM near_stores) AND o.channel IN ('store_counter', 'store_online')
                AND o.paid_at IS NOT NULL AND o.paid_at >= ${since}::timestamptz) x
            GROUP BY x.sku_id HAVING sum(x.units) > 0)
          SELECT s.sku_id AS "skuId", p.name AS title, k.spec, k.unit, 0 AS "onHand", 0 AS "onOrder", s.units,
                 wp.case_size AS suggested, wp.price_fen AS "wholesalePriceFen", wp.case_size AS "caseSize"
          FROM sold s JOIN wp ON wp.sku_id = s.sku_id JOIN skus k ON k.id = s.sku_id JOIN products p ON p.id = k.product_id
          WHERE k.status = 'active' AND p.status = 'active'
            AND NOT EXISTS (SELECT 1 FROM stock_levels sl WHERE sl.location_id = ${p.locationId ?? 0} AND sl.sku_id = s.sku_id)
          ORDER BY s.units DESC, s.sku_id LIMIT ${p.limit}::int`,
    );
  }

  /**
   * The day a replenishment order placed on `today` (China time) travels: the first day after
   * it whose wave has not been run yet for the store's wave region (its city, for a county)
   * and that is not a rest day (休市), within two weeks; else the day after `today`.
   */
  async nextDeliveryDate(db: Executor, regionId: number, today: string): Promise<string> {
    const rows = await selectRows<{ day: string }>(
      db,
      sql`WITH r AS (SELECT id, COALESCE(parent_id, id) AS wave_region, parent_id FROM regions WHERE id = ${regionId})
          SELECT to_char(${today}::date + g, 'YYYY-MM-DD') AS day
          FROM r, generate_series(1, 14) g
          WHERE NOT EXISTS (SELECT 1 FROM waves w WHERE w.region_id = r.wave_region AND w.pickup_date = ${today}::date + g)
            AND NOT EXISTS (SELECT 1 FROM market_rest_days m WHERE m.day = ${today}::date + g AND (m.region_id = r.id OR m.region_id = r.parent_id))
          ORDER BY g LIMIT 1`,
    );
    return rows[0]?.day ?? new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  }

  /** Idempotent: a retried placement finds the row its first attempt wrote. */
  async insertOrderMeta(db: Executor, m: { orderId: number; storeId: number; deliveryDate: string }): Promise<void> {
    await db.execute(
      sql`INSERT INTO replenishment_orders (order_id, store_id, delivery_date) VALUES (${m.orderId}, ${m.storeId}, ${m.deliveryDate}::date)
          ON CONFLICT (order_id) DO NOTHING`,
    );
  }

  /**
   * Delivery day and receipt of these orders; an order a crash left without its row gets the
   * day after its China-time day.
   */
  async metaOf(db: Executor, orderIds: number[]): Promise<Map<number, ReplenishmentOrderMeta>> {
    if (orderIds.length === 0) return new Map();
    const rows = await selectRows<ReplenishmentOrderMeta>(
      db,
      sql`SELECT o.id AS "orderId", o.store_id AS "storeId",
                 to_char(COALESCE(r.delivery_date, ${cstDay(sql`o.created_at`)} + 1), 'YYYY-MM-DD') AS "deliveryDate",
                 r.received_at AS "receivedAt", r.received_by AS "receivedBy"
          FROM orders o LEFT JOIN replenishment_orders r ON r.order_id = o.id
          WHERE o.id = ANY(${sql.param(orderIds)}::bigint[])`,
    );
    return new Map(rows.map((r) => [r.orderId, { ...r, receivedAt: r.receivedAt === null ? null : new Date(r.receivedAt) }]));
  }

  /** A page of the store's replenishment order ids, newest first. */
  async orderIdsOfStore(db: Executor, storeId: number, beforeId: number | null, limit: number): Promise<number[]> {
    const rows = await selectRows<{ id: number }>(
      db,
      sql`SELECT id FROM orders WHERE store_id = ${storeId} AND channel = 'replenishment'
            ${beforeId === null ? sql`` : sql`AND id < ${beforeId}`}
          ORDER BY id DESC LIMIT ${limit}`,
    );
    return rows.map((r) => r.id);
  }

  async markReceived(db: Executor, m: { orderId: number; storeId: number; by: number; at: Date }): Promise<void> {
    await db.execute(
      sql`INSERT INTO replenishment_orders (order_id, store_id, delivery_date, received_at, received_by)
          SELECT o.id, ${m.storeId}, ${cstDay(sql`o.created_at`)} + 1, ${m.at.toISOString()}::timestamptz, ${m.by} FROM orders o WHERE o.id = ${m.orderId}
          ON CONFLICT (order_id) DO UPDATE SET received_at = EXCLUDED.received_at, received_by = EXCLUDED.received_by`,
    );
  }
}

/**
 * Demo and test support: wholesale prices for every SKU on a region's shelf at `pct` percent
 * of its shelf price (region price, else base price), rounded down to the fen, at least 1;
 * cases of `caseSize`. Existing prices are overwritten.
 */
export async function seedWholesalePrices(db: Database, regionId: number, pct: number, caseSize = 1): Promise<number> {
  if (!(pct > 0 && pct <= 100)) throw new Error('pct must be in (0, 100]');
  const rows = await selectRows<{ n: number }>(
    db.orm,
    sql`WITH ins AS (
          INSERT INTO wholesale_prices (region_id, sku_id, price_fen, case_size)
          SELECT rs.region_id, rs.sku_id, GREATEST(1, floor(COALESCE(rs.price_fen, k.base_price_fen) * ${pct}::numeric / 100))::int, ${caseSize}
          FROM region_skus rs JOIN skus k ON k.id = rs.sku_id
          WHERE rs.region_id = ${regionId} AND rs.active
          ON CONFLICT (region_id, sku_id) DO UPDATE SET price_fen = EXCLUDED.price_fen, case_size = EXCLUDED.case_size, active = true, updated_at = now()
          RETURNING 1)
        SELECT count(*)::int AS n FROM ins`,
  );
  return rows[0]?.n ?? 0;
}
