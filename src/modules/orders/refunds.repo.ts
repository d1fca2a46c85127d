import { and, asc, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db';
import { afterSalesRequests, refundLines, refunds, type AfterSalesStatus, type RefundStatus } from './orders.schema';

export type RefundRow = typeof refunds.$inferSelect;
export type RefundLineRow = typeof refundLines.$inferSelect;
export type AfterSalesRow = typeof afterSalesRequests.$inferSelect;

export class RefundsRepo {
  async insertRefund(db: Executor, row: Omit<typeof refunds.$inferInsert, 'id' | 'createdAt'>): Promise<RefundRow> {
    return (await db.insert(refunds).values(row).returning())[0]!;
  }

  async insertLines(db: Executor, rows: RefundLineRow[]): Promise<void> {
    if (rows.length) await db.insert(refundLines).values(rows);
  }

  async setStatus(db: Executor, id: number, status: RefundStatus): Promise<void> {
    await db.update(refunds).set({ status }).where(eq(refunds.id, id));
  }

  async forOrder(db: Executor, orderId: number): Promise<(RefundRow & { lines: RefundLineRow[] })[]> {
    const rows = await db.select().from(refunds).where(eq(refunds.orderId, orderId)).orderBy(asc(refunds.id));
    if (rows.length === 0) return [];
    const lines = await db
      .select()
      .from(refundLines)
      .where(sql`${refundLines.refundId} IN (SELECT id FROM refunds WHERE order_id = ${orderId})`);
    return rows.map((r) => ({ ...r, lines: lines.filter((l) => l.refundId === r.id) }));
  }

  async list(db: Executor, beforeId: number | null, limit: number): Promise<RefundRow[]> {
    return db
      .select()
      .from(refunds)
      .where(beforeId === null ? undefined : lt(refunds.id, beforeId))
      .orderBy(desc(refunds.id))
      .limit(limit);
  }

  async insertAfterSales(db: Executor, row: Omit<typeof afterSalesRequests.$inferInsert, 'id' | 'createdAt'>): Promise<AfterSalesRow> {
    return (await db.insert(afterSalesRequests).values(row).returning())[0]!;
  }

  async lockAfterSales(db: Executor, id: number): Promise<AfterSalesRow | null> {
    return (await db.select().from(afterSalesRequests).where(eq(afterSalesRequests.id, id)).for('update'))[0] ?? null;
  }

  async getAfterSales(db: Executor, id: number): Promise<AfterSalesRow | null> {
    return (await db.select().from(afterSalesRequests).where(eq(afterSalesRequests.id, id)))[0] ?? null;
  }

  async decideAfterSales(
    db: Executor,
    id: number,
    patch: { status: AfterSalesStatus; decidedBy: number | null; decisionNote: string; refundId: number | null; decidedAt: Date },
  ): Promise<AfterSalesRow> {
    return (await db.update(afterSalesRequests).set(patch).where(eq(afterSalesRequests.id, id)).returning())[0]!;
  }

  async afterSalesForOrder(db: Executor, orderId: number): Promise<AfterSalesRow[]> {
    return db.select().from(afterSalesRequests).where(eq(afterSalesRequests.orderId, orderId)).orderBy(asc(afterSalesRequests.id));
  }

  async listAfterSales(
    db: Executor,
    f: { status?: AfterSalesStatus | undefined; buyerAccountId?: number | undefined; pickupPointId?: number | undefined },
    beforeId: number | null,
    limit: number,
  ) {
    const conds: SQL[] = [];
    // A leader's queue: requests on their point's orders.
    if (f.pickupPointId !== undefined) conds.push(sql`${afterSalesRequests.orderId} IN (SELECT id FROM orders WHERE pickup_point_id = ${f.pickupPointId})`);
    if (f.status) conds.push(eq(afterSalesRequests.status, f.status));
    if (f.buyerAccountId !== undefined) conds.push(eq(afterSalesRequests.buyerAccountId, f.buyerAccountId));
    if (beforeId !== null) conds.push(lt(afterSalesRequests.id, beforeId));
    return db
      .select()
      .from(afterSalesRequests)
      .where(conds.length ? and(...conds) : undefined)
      .orderBy(desc(afterSalesRequests.id))
      .limit(limit);
  }
}
