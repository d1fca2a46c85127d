// Stock SQL. Every change to `reserved` or `on_hand` is a conditional UPDATE that cannot take a
// count below zero; rows are locked in (location_id, sku_id) order everywhere so two
// transactions touching the same SKUs never wait on each other in a cycle.
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { bulkInsert, selectRows, type Executor } from '../../db';
import { skus } from '../catalog/catalog.schema';
import { products } from '../catalog/catalog.schema';
import { stockHolds, stockLevels, stockLocations, stockMovements, type MovementReason } from './inventory.schema';

export interface StockKey {
  locationId: number;
  skuId: number;
}
export interface StockDelta extends StockKey {
  quantity: number;
}
export interface LevelRow extends StockKey {
  onHand: number;
  reserved: number;
}
export interface CounterKey {
  accountId: number;
  scope: string;
  skuId: number;
}
export interface NewHold extends StockDelta {
  orderId: number;
  expiresAt: Date;
}

/** What a stock location belongs to: a warehouse, a store or a group-buy campaign. */
export type LocationOwner = { warehouseId: number } | { storeId: number } | { campaignId: number };

const byStockKey = (a: StockKey, b: StockKey) => a.locationId - b.locationId || a.skuId - b.skuId;
const byCounterKey = (a: CounterKey, b: CounterKey) =>
  a.accountId - b.accountId || (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0) || a.skuId - b.skuId;

export class InventoryRepo {
  async findLocation(db: Executor, by: LocationOwner): Promise<number | null> {
    const cond =
      'warehouseId' in by
        ? eq(stockLocations.warehouseId, by.warehouseId)
        : 'storeId' in by
          ? eq(stockLocations.storeId, by.storeId)
          : eq(stockLocations.campaignId, by.campaignId);
    const rows = await db.select({ id: stockLocations.id }).from(stockLocations).where(cond).limit(1);
    return rows[0]?.id ?? null;
  }

  async insertLocation(db: Executor, by: LocationOwner): Promise<void> {
    await db
      .insert(stockLocations)
      .values(
        'warehouseId' in by
          ? { kind: 'warehouse', warehouseId: by.warehouseId }
          : 'storeId' in by
            ? { kind: 'store', storeId: by.storeId }
            : { kind: 'campaign', campaignId: by.campaignId },
      )
      .onConflictDoNothing();
  }

  /** Lock the stock rows of a batch, in key order, and read them. Missing rows are absent. */
  async lockLevels(db: Executor, keys: StockKey[]): Promise<LevelRow[]> {
    if (keys.length === 0) return [];
    const sorted = [...keys].sort(byStockKey);
    return selectRows<LevelRow>(
      db,
      sql`SELECT s.location_id AS "locationId", s.sku_id AS "skuId", s.on_hand AS "onHand", s.reserved
          FROM stock_levels s
          JOIN unnest(${sql.param(sorted.map((k) => k.locationId))}::bigint[], ${sql.param(sorted.map((k) => k.skuId))}::bigint[]) AS k(location_id, sku_id)
            ON s.location_id = k.location_id AND s.sku_id = k.sku_id
          ORDER BY s.location_id, s.sku_id
          FOR UPDATE OF s`,
    );
  }

  /**
   * Reserve: one statement, one conditional row update per (location, SKU). Returns the keys
   * that were reserved; a key missing from the answer did not have enough available.
   */
  async reserve(db: Executor, deltas: StockDelta[]): Promise<StockKey[]> {
    if (deltas.length === 0) return [];
    const d = [...deltas].sort(byStockKey);
    return selectRows<StockKey>(
      db,
      sql`UPDATE stock_levels s SET reserved = s.reserved + d.qty, updated_at = now()
          FROM unnest(${sql.param(d.map((x) => x.locationId))}::bigint[], ${sql.param(d.map((x) => x.skuId))}::bigint[], ${sql.param(d.map((x) => x.quantity))}::int[])
            AS d(location_id, sku_id, qty)
          WHERE s.location_id = d.location_id AND s.sku_id = d.sku_id AND s.on_hand - s.reserved >= d.qty
          RETURNING s.location_id AS "locationId", s.sku_id AS "skuId"`,
    );
  }

  async insertHolds(db: Executor, holds: NewHold[]): Promise<void> {
    if (holds.length === 0) return;
    await bulkInsert(
      db,
      stockHolds,
      holds.map((h) => ({ orderId: h.orderId, locationId: h.locationId, skuId: h.skuId, quantity: h.quantity, expiresAt: h.expiresAt })),
    );
  }

  /**
   * Settle the held stock of some orders: 'committed' (paid: the units leave on_hand) or
   * 'released' (cancelled or expired: the units become available again). Holds already
   * settled are left alone, so settling twice changes nothing.
   */
  async settleHolds(db: Executor, orderIds: number[], outcome: 'committed' | 'released'): Promise<StockDelta[]> {
    if (orderIds.length === 0) return [];
    const held = await selectRows<StockDelta>(
      db,
      sql`SELECT location_id AS "locationId", sku_id AS "skuId", sum(quantity)::int AS quantity
          FROM stock_holds WHERE order_id = ANY(${sql.param(orderIds)}::bigint[]) AND status = 'held'
          GROUP BY location_id, sku_id`,
    );
    if (held.length === 0) return [];
    await this.lockLevels(db, held);
    await db.execute(
      sql`UPDATE stock_holds SET status = ${outcome}, settled_at = now()
          WHERE order_id = ANY(${sql.param(orderIds)}::bigint[]) AND status = 'held'`,
    );
    const onHandFalls = outcome === 'committed';
    await db.execute(
      sql`UPDATE stock_levels s
          SET reserved = s.reserved - d.qty, on_hand = s.on_hand - CASE WHEN ${onHandFalls} THEN d.qty ELSE 0 END, updated_at = now()
          FROM unnest(${sql.param(held.map((x) => x.locationId))}::bigint[], ${sql.param(held.map((x) => x.skuId))}::bigint[], ${sql.param(held.map((x) => x.quantity))}::int[])
            AS d(location_id, sku_id, qty)
          WHERE s.location_id = d.location_id AND s.sku_id = d.sku_id`,
    );
    return held;
  }

  /**
   * Take units off on_hand only where that many are available (on hand, not held): one
   * conditional statement; returns the keys that had enough. Callers lock the rows first.
   */
  async takeAvailable(db: Executor, deltas: StockDelta[]): Promise<StockKey[]> {
    if (deltas.length === 0) return [];
    const d = [...deltas].sort(byStockKey);
    return selectRows<StockKey>(
      db,
      sql`UPDATE stock_levels s SET on_hand = s.on_hand - d.qty, updated_at = now()
          FROM unnest(${sql.param(d.map((x) => x.locationId))}::bigint[], ${sql.param(d.map((x) => x.skuId))}::bigint[], ${sql.param(d.map((x) => x.quantity))}::int[])
            AS d(location_id, sku_id, qty)
          WHERE s.location_id = d.location_id AND s.sku_id = d.sku_id AND s.on_hand - s.reserved >= d.qty
          RETURNING s.location_id AS "locationId", s.sku_id AS "skuId"`,
    );
  }

  /** Receipts, counts and returns change on_hand; a shrink below what is reserved is refused by the CHECK. */
  async addOnHand(db: Executor, delta: StockDelta): Promise<LevelRow> {
    // A decrease updates the existing row: an upsert would first test its candidate row
    // (on_hand < 0) against the CHECKs and fail before finding the conflict.
    if (delta.quantity < 0) {
      const down = await db
        .update(stockLevels)
        .set({ onHand: sql`${stockLevels.onHand} + ${delta.quantity}`, updatedAt: sql`now()` })
        .where(and(eq(stockLevels.locationId, delta.locationId), eq(stockLevels.skuId, delta.skuId)))
        .returning();
      const d = down[0];
      if (!d) throw new Error(`no stock level for SKU ${delta.skuId} at location ${delta.locationId} to take ${-delta.quantity} from`);
      return { locationId: d.locationId, skuId: d.skuId, onHand: d.onHand, reserved: d.reserved };
    }
    const rows = await db
      .insert(stockLevels)
      .values({ locationId: delta.locationId, skuId: delta.skuId, onHand: delta.quantity })
      .onConflictDoUpdate({
        target: [stockLevels.locationId, stockLevels.skuId],
        set: { onHand: sql`${stockLevels.onHand} + ${delta.quantity}`, updatedAt: sql`now()` },
      })
      .returning();
    const r = rows[0]!;
    return { locationId: r.locationId, skuId: r.skuId, onHand: r.onHand, reserved: r.reserved };
  }

  async insertMovements(
    db: Executor,
    rows: { locationId: number; skuId: number; delta: number; reason: MovementReason; refType?: string; refId?: number; actorId?: number | null }[],
  ): Promise<void> {
    const nonZero = rows.filter((r) => r.delta !== 0);
    if (nonZero.length === 0) return;
    await db.insert(stockMovements).values(nonZero);
  }

  async level(db: Executor, key: StockKey): Promise<LevelRow | null> {
    const rows = await db
      .select({ locationId: stockLevels.locationId, skuId: stockLevels.skuId, onHand: stockLevels.onHand, reserved: stockLevels.reserved })
      .from(stockLevels)
      .where(and(eq(stockLevels.locationId, key.locationId), eq(stockLevels.skuId, key.skuId)));
    return rows[0] ?? null;
  }

  /** One location's stock with product names, in SKU order, for operators and store owners. */
  async levelsAt(db: Executor, locationId: number, afterSkuId: number, limit: number) {
    return db
      .select({
        skuId: stockLevels.skuId,
        productName: products.name,
        spec: skus.spec,
        onHand: stockLevels.onHand,
        reserved: stockLevels.reserved,
        updatedAt: stockLevels.updatedAt,
      })
      .from(stockLevels)
      .innerJoin(skus, eq(skus.id, stockLevels.skuId))
      .innerJoin(products, eq(products.id, skus.productId))
      .where(and(eq(stockLevels.locationId, locationId), gt(stockLevels.skuId, afterSkuId)))
      .orderBy(asc(stockLevels.skuId))
      .limit(limit);
  }

  /** Make sure counter rows exist, then lock and read them in key order. */
  async lockCounters(db: Executor, keys: CounterKey[]): Promise<(CounterKey & { quantity: number })[]> {
    if (keys.length === 0) return [];
    const k = [...keys].sort(byCounterKey);
    const cols = sql`${sql.param(k.map((x) => x.accountId))}::bigint[], ${sql.param(k.map((x) => x.scope))}::text[], ${sql.param(k.map((x) => x.skuId))}::bigint[]`;
    await db.execute(
      sql`INSERT INTO purchase_counters (account_id, scope, sku_id, quantity)
          SELECT a, s, k, 0 FROM unnest(${cols}) AS t(a, s, k) ON CONFLICT DO NOTHING`,
    );
    return selectRows(
      db,
      sql`SELECT c.account_id AS "accountId", c.scope, c.sku_id AS "skuId", c.quantity
          FROM purchase_counters c JOIN unnest(${cols}) AS t(a, s, k)
            ON c.account_id = t.a AND c.scope = t.s AND c.sku_id = t.k
          ORDER BY c.account_id, c.scope, c.sku_id
          FOR UPDATE OF c`,
    );
  }

  /** Add (or, on cancel, subtract) purchased units; never below zero. */
  async addToCounters(db: Executor, deltas: (CounterKey & { quantity: number })[]): Promise<void> {
    if (deltas.length === 0) return;
    const d = [...deltas].sort(byCounterKey);
    await db.execute(
      sql`UPDATE purchase_counters c SET quantity = greatest(0, c.quantity + t.q)
          FROM unnest(${sql.param(d.map((x) => x.accountId))}::bigint[], ${sql.param(d.map((x) => x.scope))}::text[], ${sql.param(d.map((x) => x.skuId))}::bigint[], ${sql.param(d.map((x) => x.quantity))}::int[])
            AS t(a, s, k, q)
          WHERE c.account_id = t.a AND c.scope = t.s AND c.sku_id = t.k`,
    );
  }

  async holdsOf(db: Executor, orderId: number) {
    return db.select().from(stockHolds).where(eq(stockHolds.orderId, orderId)).orderBy(asc(stockHolds.id));
  }

  /** Totals that must agree: for tests and the crash check. */
  async totals(db: Executor): Promise<{ negative: number; heldMismatch: number }> {
    const rows = await selectRows<{ negative: number; heldMismatch: number }>(
      db,
      sql`SELECT
            (SELECT count(*)::int FROM stock_levels WHERE on_hand < 0 OR reserved < 0 OR reserved > on_hand) AS negative,
            (SELECT count(*)::int FROM stock_levels s
              WHERE s.reserved <> coalesce((SELECT sum(h.quantity) FROM stock_holds h
                                            WHERE h.location_id = s.location_id AND h.sku_id = s.sku_id AND h.status = 'held'), 0)) AS "heldMismatch"`,
    );
    return rows[0]!;
  }
}

