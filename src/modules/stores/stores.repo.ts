// The stores module's SQL: applications and profiles (its own tables), and the read models of
// the store screens, which read other modules' tables (stores, clerks, stock, orders) without
// writing them: the shelf, "my stores" and today's takings.
import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { selectRows, type Executor } from '../../db';
import { storeApplications, storeProfiles, type StoreApplicationStatus, type StoreMode } from './stores.schema';
import type { StoreApplicationRow } from './stores.types';

export type NewApplicationRow = typeof storeApplications.$inferInsert;

export class StoresRepo {
  async insertApplication(db: Executor, row: NewApplicationRow): Promise<StoreApplicationRow> {
    return (await db.insert(storeApplications).values(row).returning())[0]!;
  }

  async findApplication(db: Executor, id: number): Promise<StoreApplicationRow | null> {
    return (await db.select().from(storeApplications).where(eq(storeApplications.id, id)).limit(1))[0] ?? null;
  }

  async pendingOf(db: Executor, accountId: number): Promise<StoreApplicationRow | null> {
    const rows = await db
      .select()
      .from(storeApplications)
      .where(and(eq(storeApplications.accountId, accountId), eq(storeApplications.status, 'pending')))
      .limit(1);
    return rows[0] ?? null;
  }

  async latestOf(db: Executor, accountId: number): Promise<StoreApplicationRow | null> {
    const rows = await db.select().from(storeApplications).where(eq(storeApplications.accountId, accountId)).orderBy(desc(storeApplications.id)).limit(1);
    return rows[0] ?? null;
  }

  async listApplications(db: Executor, q: { status?: StoreApplicationStatus | undefined; afterId: number | null; limit: number }): Promise<StoreApplicationRow[]> {
    const where = and(q.status ? eq(storeApplications.status, q.status) : undefined, q.afterId !== null ? gt(storeApplications.id, q.afterId) : undefined);
    return db.select().from(storeApplications).where(where).orderBy(asc(storeApplications.id)).limit(q.limit + 1);
  }

  /** pending → approved | rejected, once: null when someone decided first. */
  async decide(
    db: Executor,
    id: number,
    d: { status: 'approved' | 'rejected'; reason: string | null; decidedBy: number; decidedAt: Date; storeId: number | null; pickupPointId: number | null },
  ): Promise<StoreApplicationRow | null> {
    const rows = await db
      .update(storeApplications)
      .set(d)
      .where(and(eq(storeApplications.id, id), eq(storeApplications.status, 'pending')))
      .returning();
    return rows[0] ?? null;
  }

  async insertProfile(db: Executor, row: { storeId: number; applicationId: number | null; licenceNumber: string | null; modes: StoreMode[] }): Promise<void> {
    await db.insert(storeProfiles).values(row).onConflictDoNothing();
  }

  /** Modes of these stores; a store opened without an application has no profile (both modes). */
  async modesOf(db: Executor, storeIds: number[]): Promise<Map<number, StoreMode[]>> {
    if (storeIds.length === 0) return new Map();
    const rows = await db.select({ storeId: storeProfiles.storeId, modes: storeProfiles.modes }).from(storeProfiles).where(inArray(storeProfiles.storeId, storeIds));
    return new Map(rows.map((r) => [r.storeId, r.modes]));
  }

  /** Stores the account owns or clerks at (indexed both ways), open or paused or closed. */
  async storeIdsOf(db: Executor, accountId: number): Promise<number[]> {
    const rows = await selectRows<{ id: number }>(
      db,
      sql`SELECT id FROM stores WHERE owner_account_id = ${accountId}
          UNION SELECT store_id AS id FROM store_clerks WHERE account_id = ${accountId}
          ORDER BY id`,
    );
    return rows.map((r) => r.id);
  }

  async isClerk(db: Executor, storeId: number, accountId: number): Promise<boolean> {
    const rows = await selectRows<{ one: number }>(db, sql`SELECT 1 AS one FROM store_clerks WHERE store_id = ${storeId} AND account_id = ${accountId}`);
    return rows.length > 0;
  }

  /**
   * A page of a stock location's SKUs: those with units to sell first, then the sold-out ones,
   * each by SKU id. `after` is the position key of the last row seen (group × 10^14 + skuId).
   */
  async shelf(db: Executor, locationId: number, after: number | null, limit: number) {
    const afterGroup = after === null ? -1 : Math.floor(after / 1e14);
    const afterSku = after === null ? 0 : after % 1e14;
    return selectRows<{ sku_id: number; product_id: number; available: number; image_url: string | null; grp: number }>(
      db,
      sql`SELECT l.sku_id, s.product_id, (l.on_hand - l.reserved)::int AS available, p.image_urls[1] AS image_url,
                 CASE WHEN l.on_hand - l.reserved > 0 THEN 0 ELSE 1 END AS grp
          FROM stock_levels l JOIN skus s ON s.id = l.sku_id JOIN products p ON p.id = s.product_id
          WHERE l.location_id = ${locationId}
            AND (CASE WHEN l.on_hand - l.reserved > 0 THEN 0 ELSE 1 END, l.sku_id) > (${afterGroup}::int, ${afterSku}::bigint)
          ORDER BY grp, l.sku_id
          LIMIT ${limit + 1}`,
    );
  }

  async imageOf(db: Executor, skuId: number): Promise<string | null> {
    const rows = await selectRows<{ image_url: string | null }>(db, sql`SELECT p.image_urls[1] AS image_url FROM skus s JOIN products p ON p.id = s.product_id WHERE s.id = ${skuId}`);
    return rows[0]?.image_url ?? null;
  }

  /**
   * Today's paid takings of a store by channel, read through orders_store_created_idx: the cost
   * grows with today's orders of this store only, however long its history.
   */
  /**
   * The store's paid orders created since `since`, net of what was refunded of them (a refund
   * lowers the takings of the day of its sale, as in store finance); orders refunded in full
   * are not counted.
   */
  async takingsSince(db: Executor, storeId: number, since: Date) {
    const rows = await selectRows<{ orders: number; fen: number; counter_fen: number; online_fen: number; refunds_fen: number }>(
      db,
      sql`SELECT count(*) FILTER (WHERE total_fen > refunded_fen)::int AS orders, coalesce(sum(total_fen - refunded_fen), 0)::bigint AS fen,
                 coalesce(sum(total_fen - refunded_fen) FILTER (WHERE channel = 'store_counter'), 0)::bigint AS counter_fen,
                 coalesce(sum(total_fen - refunded_fen) FILTER (WHERE channel = 'store_online'), 0)::bigint AS online_fen,
                 coalesce(sum(refunded_fen), 0)::bigint AS refunds_fen
          FROM orders
          WHERE store_id = ${storeId} AND created_at >= ${since.toISOString()}::timestamptz
            AND channel IN ('store_counter', 'store_online') AND status IN ('paid', 'fulfilling', 'ready', 'completed', 'refunded')`,
    );
    const r = rows[0]!;
    return { orders: r.orders, fen: Number(r.fen), counterFen: Number(r.counter_fen), onlineFen: Number(r.online_fen), refundsFen: Number(r.refunds_fen) };
  }

  async latestOrderIds(db: Executor, storeId: number, since: Date, limit: number): Promise<number[]> {
    const rows = await selectRows<{ id: number }>(
      db,
      sql`SELECT id FROM orders
          WHERE store_id = ${storeId} AND created_at >= ${since.toISOString()}::timestamptz AND channel IN ('store_counter', 'store_online')
          ORDER BY created_at DESC, id DESC LIMIT ${limit}`,
    );
    return rows.map((r) => r.id);
  }
}
