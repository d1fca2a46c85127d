import { and, asc, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { bulkInsert, selectRows, type Executor } from '../../db';
import type { Channel, OrderStatus } from './order-states';
import { orderLines, orders } from './orders.schema';

export type OrderRow = typeof orders.$inferSelect;
export type OrderLineRow = typeof orderLines.$inferSelect;
export type NewOrder = Omit<typeof orders.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;
export type NewOrderLine = Omit<typeof orderLines.$inferInsert, 'id' | 'orderId'>;

export interface OrderFilter {
  buyerAccountId?: number | undefined;
  status?: OrderStatus | undefined;
  channel?: Channel | undefined;
  storeId?: number | undefined;
  pickupPointId?: number | undefined;
  regionId?: number | undefined;
}

export class OrdersRepo {
  /** Orders already placed under these (buyer, key) pairs: a retried checkout finds them. */
  async findByKeys(db: Executor, keys: { buyerAccountId: number; idempotencyKey: string }[]) {
    if (keys.length === 0) return [];
    // Two ANY lists rather than a join on unnest: the planner then always walks the unique
    // (buyer, key) index, even on PGlite, which never gathers statistics and would otherwise
    // pick a scan of the whole orders table. Pairs that only cross-match are dropped here.
    const rows = await selectRows<{ id: number; buyerAccountId: number; idempotencyKey: string; requestHash: string }>(
      db,
      sql`SELECT o.id, o.buyer_account_id AS "buyerAccountId", o.idempotency_key AS "idempotencyKey", o.request_hash AS "requestHash"
          FROM orders o
          WHERE o.buyer_account_id = ANY(${sql.param([...new Set(keys.map((k) => k.buyerAccountId))])}::bigint[])
            AND o.idempotency_key = ANY(${sql.param([...new Set(keys.map((k) => k.idempotencyKey))])}::text[])`,
    );
    const wanted = new Set(keys.map((k) => `${k.buyerAccountId}\u0000${k.idempotencyKey}`));
    return rows.filter((r) => wanted.has(`${r.buyerAccountId}\u0000${r.idempotencyKey}`));
  }

  /**
   * Insert a batch of orders. A (buyer, key) pair already taken (a twin request committed by
   * another process meanwhile) is skipped; the caller sees it missing from the answer.
   */
  async insertOrders(db: Executor, rows: NewOrder[]): Promise<OrderRow[]> {
    if (rows.length === 0) return [];
    return bulkInsert(db, orders, rows, { onConflict: sql`ON CONFLICT (buyer_account_id, idempotency_key) DO NOTHING` });
  }

  async insertLines(db: Executor, rows: (NewOrderLine & { orderId: number })[]): Promise<OrderLineRow[]> {
    if (rows.length === 0) return [];
    return bulkInsert(db, orderLines, rows);
  }

  async get(db: Executor, id: number): Promise<OrderRow | null> {
    return (await db.select().from(orders).where(eq(orders.id, id)).limit(1))[0] ?? null;
  }

  /** The row lock that serialises everything done to one order (pay, refund, pick up, expire). */
  async lock(db: Executor, id: number): Promise<OrderRow | null> {
    return (await db.select().from(orders).where(eq(orders.id, id)).for('update'))[0] ?? null;
  }

  async linesOf(db: Executor, orderIds: number[]): Promise<OrderLineRow[]> {
    if (orderIds.length === 0) return [];
    return db.select().from(orderLines).where(inArray(orderLines.orderId, orderIds)).orderBy(asc(orderLines.id));
  }

  /** Move an order from one status to another, only if it is still in `from`. */
  async setStatus(db: Executor, id: number, from: OrderStatus, patch: Partial<OrderRow> & { status: OrderStatus }): Promise<OrderRow | null> {
    const rows = await db
      .update(orders)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(eq(orders.id, id), eq(orders.status, from)))
      .returning();
    return rows[0] ?? null;
  }

  async update(db: Executor, id: number, patch: Partial<OrderRow>): Promise<OrderRow> {
    return (await db.update(orders).set({ ...patch, updatedAt: sql`now()` }).where(eq(orders.id, id)).returning())[0]!;
  }

  async updateLineRefund(db: Executor, lineId: number, addQuantity: number, addFen: number): Promise<void> {
    await db
      .update(orderLines)
      .set({ refundedQuantity: sql`${orderLines.refundedQuantity} + ${addQuantity}`, refundedFen: sql`${orderLines.refundedFen} + ${addFen}` })
      .where(eq(orderLines.id, lineId));
  }

  /**
   * A pickup point's orders of some campaigns in the given statuses, locked in id order (so
   * two flows locking overlapping sets never deadlock): the arrival sign-off works on all at once.
   */
  async lockAtPoint(db: Executor, pointId: number, campaignIds: number[], statuses: OrderStatus[]): Promise<OrderRow[]> {
    if (campaignIds.length === 0) return [];
    return db
      .select()
      .from(orders)
      .where(and(eq(orders.pickupPointId, pointId), inArray(orders.campaignId, campaignIds), inArray(orders.status, statuses)))
      .orderBy(asc(orders.id))
      .for('update');
  }

  /**
   * The state machine's `fulfil` (paid → fulfilling, not refunded in full) for the orders of
   * some campaigns at some pickup points, in one statement: a route's van leaving with them.
   * No per-order event (as the wave never had one); answers how many moved.
   */
  async fulfilAtPoints(db: Executor, pointIds: number[], campaignIds: number[]): Promise<number> {
    if (pointIds.length === 0 || campaignIds.length === 0) return 0;
    const rows = await selectRows<{ n: number }>(
      db,
      sql`WITH moved AS (
            UPDATE orders SET status = 'fulfilling', updated_at = now()
            WHERE pickup_point_id = ANY(${sql.param(pointIds)}::bigint[]) AND campaign_id = ANY(${sql.param(campaignIds)}::bigint[])
              AND status = 'paid' AND refunded_fen < paid_fen
            RETURNING 1)
          SELECT count(*)::int AS n FROM moved`,
    );
    return rows[0]?.n ?? 0;
  }

  /** Units handed over (核销) or, with a negative `delta`, taken back by an undo. */
  async updateLinePicked(db: Executor, lineId: number, delta: number): Promise<void> {
    await db
      .update(orderLines)
      .set({ pickedQuantity: sql`${orderLines.pickedQuantity} + ${delta}` })
      .where(eq(orderLines.id, lineId));
  }

  /** Unpaid orders past their deadline, locked; SKIP LOCKED lets two sweepers share the work. */
  async lockDueForExpiry(db: Executor, now: Date, limit: number): Promise<OrderRow[]> {
    return db
      .select()
      .from(orders)
      .where(and(eq(orders.status, 'pending_payment'), lt(orders.expiresAt, now)))
      .orderBy(asc(orders.expiresAt))
      .limit(limit)
      .for('update', { skipLocked: true });
  }

  async list(db: Executor, f: OrderFilter, beforeId: number | null, limit: number): Promise<OrderRow[]> {
    const conds: SQL[] = [];
    if (f.buyerAccountId !== undefined) conds.push(eq(orders.buyerAccountId, f.buyerAccountId));
    if (f.status) conds.push(eq(orders.status, f.status));
    if (f.channel) conds.push(eq(orders.channel, f.channel));
    if (f.storeId !== undefined) conds.push(eq(orders.storeId, f.storeId));
    if (f.pickupPointId !== undefined) conds.push(eq(orders.pickupPointId, f.pickupPointId));
    if (f.regionId !== undefined) conds.push(eq(orders.regionId, f.regionId));
    if (beforeId !== null) conds.push(lt(orders.id, beforeId));
    return db
      .select()
      .from(orders)
      .where(conds.length ? and(...conds) : undefined)
      .orderBy(desc(orders.id))
      .limit(limit);
  }

  async statusCounts(db: Executor): Promise<{ status: OrderStatus; count: number }[]> {
    return db
      .select({ status: orders.status, count: sql<number>`count(*)`.mapWith(Number) })
      .from(orders)
      .groupBy(orders.status);
  }
}
