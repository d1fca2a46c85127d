import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { bulkInsert, type Executor, type Tx } from '../../db';
import { paymentCallbacks, paymentRefunds, payments, type PaymentStatus, type RefundStatus } from './payments.schema';

export type PaymentRow = typeof payments.$inferSelect;
export type RefundRow = typeof paymentRefunds.$inferSelect;
export type CallbackRow = typeof paymentCallbacks.$inferSelect;
export type NewPayment = Pick<typeof payments.$inferInsert, 'orderId' | 'payerAccountId' | 'provider' | 'amountFen'>;
export type NewCallback = Omit<typeof paymentCallbacks.$inferInsert, 'id' | 'receivedAt'>;
export type NewRefund = Pick<typeof paymentRefunds.$inferInsert, 'paymentId' | 'refundRef' | 'amountFen' | 'reason'>;

export class PaymentsRepo {
  async insertPayment(db: Executor, p: NewPayment): Promise<PaymentRow> {
    return (await db.insert(payments).values(p).returning())[0]!;
  }

  /** A checkout batch's payments in one statement. */
  async insertPayments(db: Executor, rows: NewPayment[]): Promise<PaymentRow[]> {
    return bulkInsert(db, payments, rows);
  }

  /** The providers' references for many payments in one statement. */
  async setProviderRefs(db: Executor, refs: { id: number; providerRef: string }[]): Promise<void> {
    if (refs.length === 0) return;
    await db.execute(
      sql`UPDATE payments p SET provider_ref = r.ref
          FROM unnest(${sql.param(refs.map((r) => r.id))}::bigint[], ${sql.param(refs.map((r) => r.providerRef))}::text[]) AS r(id, ref)
          WHERE p.id = r.id`,
    );
  }

  async setProviderRef(db: Executor, id: number, providerRef: string | null): Promise<PaymentRow> {
    return (await db.update(payments).set({ providerRef }).where(eq(payments.id, id)).returning())[0]!;
  }

  async find(db: Executor, id: number): Promise<PaymentRow | null> {
    return (await db.select().from(payments).where(eq(payments.id, id)).limit(1))[0] ?? null;
  }

  /** The row, locked until the transaction ends: notifications, refunds and closing of one payment queue here. */
  async lock(tx: Tx, id: number): Promise<PaymentRow | null> {
    return (await tx.select().from(payments).where(eq(payments.id, id)).for('update'))[0] ?? null;
  }

  async listForOrder(db: Executor, orderId: number): Promise<PaymentRow[]> {
    return db.select().from(payments).where(eq(payments.orderId, orderId)).orderBy(asc(payments.id));
  }

  async orderPaidElsewhere(db: Executor, orderId: number, exceptId: number): Promise<boolean> {
    const rows = await db
      .select({ id: payments.id })
      .from(payments)
      .where(and(eq(payments.orderId, orderId), eq(payments.status, 'succeeded'), ne(payments.id, exceptId)))
      .limit(1);
    return rows.length > 0;
  }

  /** created → succeeded, only if still created and for exactly the amount asked. */
  async markSucceeded(tx: Tx, id: number, amountFen: number, providerRef: string | null, at: Date): Promise<PaymentRow | null> {
    const rows = await tx
      .update(payments)
      .set({ status: 'succeeded', succeededAt: at, providerRef: sql`coalesce(${providerRef}, ${payments.providerRef})` })
      .where(and(eq(payments.id, id), eq(payments.status, 'created'), eq(payments.amountFen, amountFen)))
      .returning();
    return rows[0] ?? null;
  }

  /** created → failed | closed. */
  async markEnded(tx: Tx, id: number, status: Extract<PaymentStatus, 'failed' | 'closed'>, at: Date): Promise<PaymentRow | null> {
    const rows = await tx
      .update(payments)
      .set({ status, closedAt: at })
      .where(and(eq(payments.id, id), eq(payments.status, 'created')))
      .returning();
    return rows[0] ?? null;
  }

  /** The dedup point: null when this provider already sent this event id. */
  async insertCallback(tx: Tx, c: NewCallback): Promise<CallbackRow | null> {
    const rows = await tx.insert(paymentCallbacks).values(c).onConflictDoNothing().returning();
    return rows[0] ?? null;
  }

  async listCallbacks(db: Executor, paymentId: number): Promise<CallbackRow[]> {
    return db.select().from(paymentCallbacks).where(eq(paymentCallbacks.paymentId, paymentId)).orderBy(asc(paymentCallbacks.id));
  }

  // ── refunds ─────────────────────────────────────────────────────────────────
  /** Count `amountFen` as refunded if the payment succeeded and it still fits; null otherwise. */
  async reserveRefund(tx: Tx, paymentId: number, amountFen: number): Promise<PaymentRow | null> {
    const rows = await tx
      .update(payments)
      .set({ refundedFen: sql`${payments.refundedFen} + ${amountFen}` })
      .where(
        and(
          eq(payments.id, paymentId),
          eq(payments.status, 'succeeded'),
          sql`${payments.refundedFen} + ${amountFen} <= ${payments.amountFen}`,
        ),
      )
      .returning();
    return rows[0] ?? null;
  }

  async releaseRefund(tx: Tx, paymentId: number, amountFen: number): Promise<void> {
    await tx
      .update(payments)
      .set({ refundedFen: sql`${payments.refundedFen} - ${amountFen}` })
      .where(eq(payments.id, paymentId));
  }

  async findRefund(db: Executor, paymentId: number, refundRef: string): Promise<RefundRow | null> {
    const rows = await db
      .select()
      .from(paymentRefunds)
      .where(and(eq(paymentRefunds.paymentId, paymentId), eq(paymentRefunds.refundRef, refundRef)))
      .limit(1);
    return rows[0] ?? null;
  }

  async insertRefund(tx: Tx, r: NewRefund): Promise<RefundRow> {
    return (await tx.insert(paymentRefunds).values(r).returning())[0]!;
  }

  async setRefundProviderRef(tx: Tx, id: number, providerRef: string | null): Promise<RefundRow> {
    return (await tx.update(paymentRefunds).set({ providerRef }).where(eq(paymentRefunds.id, id)).returning())[0]!;
  }

  /** pending → succeeded | failed, once. */
  async completeRefund(
    tx: Tx,
    id: number,
    status: Exclude<RefundStatus, 'pending'>,
    providerRef: string | null,
    at: Date,
  ): Promise<RefundRow | null> {
    const rows = await tx
      .update(paymentRefunds)
      .set({ status, completedAt: at, providerRef: sql`coalesce(${providerRef}, ${paymentRefunds.providerRef})` })
      .where(and(eq(paymentRefunds.id, id), eq(paymentRefunds.status, 'pending')))
      .returning();
    return rows[0] ?? null;
  }

  async listRefunds(db: Executor, paymentId: number): Promise<RefundRow[]> {
    return db.select().from(paymentRefunds).where(eq(paymentRefunds.paymentId, paymentId)).orderBy(asc(paymentRefunds.id));
  }
}
