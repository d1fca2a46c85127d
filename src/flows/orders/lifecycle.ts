// What happens to an order after checkout, each in one transaction that also moves the stock
// and the money: payment arrives (stock committed, ledger posted), the buyer cancels or the
// payment deadline passes (stock released, limits given back, payment closed), the order is
// fulfilled and completed (commissions scheduled to unfreeze after the after-sales window).
// Every status change goes through the order state machine.
import type { Database, Tx } from '../../db';
import { DomainError, forbidden, notFound, type Clock } from '../../kernel';
import type { InventoryService } from '../../modules/inventory';
import type { LedgerService } from '../../modules/ledger';
import { RefundsRepo, transition, type OrderEvent, type OrderRow, type OrdersService, type OrderView } from '../../modules/orders';
import type { PaymentRow, PaymentsService } from '../../modules/payments';
import { isOperator, requireActor, type Actor } from '../../modules/people';
import type { OutboxEventDraft } from '../checkout';

/** What the order flows (lifecycle, refunds) are built from. */
export interface LifecycleDeps {
  db: Database;
  clock: Clock;
  orders: OrdersService;
  inventory: InventoryService;
  ledger: LedgerService;
  payments: PaymentsService;
  emit: (tx: Tx, events: OutboxEventDraft[]) => Promise<void>;
}

export interface LifecycleOptions {
  /** After completion, how long the buyer may still ask for a refund before commissions unfreeze. */
  afterSalesWindowMs: number;
}

export const DEFAULT_AFTER_SALES_WINDOW_MS = 7 * 24 * 3600_000;

/** The figures the state machine's guards look at. */
export const guardOf = (o: OrderRow, now: Date) => ({
  status: o.status,
  totalFen: o.totalFen,
  paidFen: o.paidFen,
  refundedFen: o.refundedFen,
  expiresAt: o.expiresAt,
  now,
});

const event = (topic: string, o: OrderRow, extra: Record<string, unknown> = {}): OutboxEventDraft => ({
  topic,
  aggregateType: 'order',
  aggregateId: o.id,
  payload: { orderId: o.id, buyerAccountId: o.buyerAccountId, channel: o.channel, totalFen: o.totalFen, ...extra },
});

export class OrderLifecycle {
  private readonly refunds = new RefundsRepo();
  private readonly closedHooks: ((tx: Tx, order: OrderRow) => Promise<void>)[] = [];

  /**
   * Called in the transaction that closes an unpaid order (cancel, expiry, checkout's undo),
   * after its stock and limits were given back: what else the order held is given back too
   * (a live coupon claim).
   */
  onClosedUnpaid(hook: (tx: Tx, order: OrderRow) => Promise<void>): void {
    this.closedHooks.push(hook);
  }

  constructor(
    private readonly d: LifecycleDeps,
    private readonly opts: LifecycleOptions,
  ) {}

  /** The payments module's success hook: runs in the transaction that records the payment. */
  async onPaymentSucceeded(tx: Tx, payment: PaymentRow): Promise<void> {
    const o = await this.d.orders.repo.lock(tx, payment.orderId);
    if (!o) throw notFound('order', payment.orderId);
    const now = this.d.clock.now();
    let next;
    try {
      next = transition('pay', guardOf(o, now));
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      // Money arrived for an order that can no longer be paid (expired, cancelled): book it
      // and give it straight back, so the buyer is never charged for nothing.
      await this.returnLatePayment(tx, o, payment);
      return;
    }
    if (payment.amountFen !== o.totalFen) throw new DomainError('conflict', `payment ${payment.id} is for ${payment.amountFen} fen, the order for ${o.totalFen}`);
    const paid = (await this.d.orders.repo.setStatus(tx, o.id, o.status, { status: next, paidFen: o.totalFen, paidAt: now }))!;
    await this.d.inventory.commitHolds(tx, o.id);
    await this.d.ledger.recordPayment(tx, {
      orderId: o.id,
      paymentId: payment.id,
      provider: payment.provider,
      amountFen: payment.amountFen,
      commissions: o.commissionPlan
        .map((c) => ({
          party: c.party,
          beneficiaryAccountId: c.accountId,
          orderLineId: null,
          baseFen: o.totalFen,
          // Rounded down: the platform never promises a fraction of a fen it does not have.
          // A plan item priced per line at placement carries its own amount.
          amountFen: c.fen ?? Math.floor((o.totalFen * c.bp) / 10_000),
        }))
        .filter((c) => c.amountFen > 0),
    });
    await this.d.emit(tx, [event('order.paid', paid, { paymentId: payment.id })]);
  }

  private async returnLatePayment(tx: Tx, o: OrderRow, payment: PaymentRow): Promise<void> {
    await this.d.ledger.recordPayment(tx, { orderId: o.id, paymentId: payment.id, provider: payment.provider, amountFen: payment.amountFen, commissions: [] });
    const reason = `order was ${o.status} before the payment arrived`;
    const refund = await this.refunds.insertRefund(tx, {
      orderId: o.id,
      kind: 'full',
      amountFen: payment.amountFen,
      reason,
      restock: false,
      status: 'pending',
      afterSalesId: null,
      requestedBy: null,
    });
    const back = await this.d.payments.refund(tx, { paymentId: payment.id, refundRef: `refund-${refund.id}`, amountFen: payment.amountFen, reason });
    await this.d.ledger.recordRefund(tx, { orderId: o.id, refundId: refund.id, provider: payment.provider, amountFen: payment.amountFen, lines: [] });
    await this.refunds.setStatus(tx, refund.id, back.status === 'succeeded' ? 'succeeded' : 'pending');
    await this.d.emit(tx, [event('order.late_payment_returned', o, { paymentId: payment.id, refundId: refund.id })]);
  }

  /** The buyer (or an operator) withdraws an unpaid order. */
  async cancel(actor: Actor | null, orderId: number): Promise<OrderView> {
    const a = requireActor(actor);
    return this.d.db.orm.transaction(async (tx) => {
      const o = await this.d.orders.repo.lock(tx, orderId);
      if (!o || (o.buyerAccountId !== a.accountId && !isOperator(a))) throw notFound('order', orderId);
      await this.closeUnpaid(tx, o, 'cancel');
      return this.d.orders.view(orderId, tx);
    });
  }

  /** Checkout's undo: the order was placed but its payment could not be opened. */
  async cancelPlaced(tx: Tx, orderId: number): Promise<void> {
    const o = await this.d.orders.repo.lock(tx, orderId);
    if (o && o.status === 'pending_payment') await this.closeUnpaid(tx, o, 'cancel');
  }

  /**
   * The cutoff wave's freeze: an order of a campaign that has just been cut off and is still
   * unpaid is closed (stock released, limits given back, payment closed). Past its payment
   * deadline it expires; still inside it, it is cancelled, since its goods are being bought
   * now without it, and a payment that arrives later is given back (onPaymentSucceeded).
   * Returns false when the order was no longer unpaid.
   */
  async closeAtCutoff(tx: Tx, orderId: number): Promise<boolean> {
    const o = await this.d.orders.repo.lock(tx, orderId);
    if (!o || o.status !== 'pending_payment') return false;
    const due = o.expiresAt !== null && this.d.clock.now() >= o.expiresAt;
    await this.closeUnpaid(tx, o, due ? 'expire' : 'cancel');
    return true;
  }

  /**
   * Expire unpaid orders past their deadline, a batch at a time. Safe to run from several
   * processes at once: each locks different orders (SKIP LOCKED).
   */
  async expireDue(limit = 200): Promise<number> {
    return this.d.db.orm.transaction(async (tx) => {
      const due = await this.d.orders.repo.lockDueForExpiry(tx, this.d.clock.now(), limit);
      for (const o of due) await this.closeUnpaid(tx, o, 'expire');
      return due.length;
    });
  }

  private async closeUnpaid(tx: Tx, o: OrderRow, how: 'cancel' | 'expire'): Promise<void> {
    const now = this.d.clock.now();
    const next = transition(how, guardOf(o, now));
    // Close the payment first: if the provider says it was paid meanwhile, this throws and
    // the order stays for the success notification that is on its way.
    for (const p of await this.d.payments.listForOrder(o.id, tx)) {
      if (p.status === 'created') await this.d.payments.closePayment(tx, p.id);
    }
    const closed = (await this.d.orders.repo.setStatus(tx, o.id, o.status, { status: next, closedAt: now }))!;
    await this.d.inventory.releaseHolds(tx, [o.id]);
    const lines = await this.d.orders.repo.linesOf(tx, [o.id]);
    await this.d.inventory.addToCounters(
      tx,
      lines.filter((l) => l.limitScope !== null).map((l) => ({ accountId: o.buyerAccountId, scope: l.limitScope!, skuId: l.skuId, quantity: -l.quantity })),
    );
    for (const hook of this.closedHooks) await hook(tx, closed);
    await this.d.emit(tx, [event(how === 'cancel' ? 'order.cancelled' : 'order.expired', closed)]);
  }

  /**
   * Move a paid order along: fulfil (frozen at cutoff / accepted by the store), mark ready,
   * complete (picked up, delivered). Operators may do all; a store's owner and clerks their
   * store's orders; a leader the orders of their pickup point.
   */
  async advance(actor: Actor | null, orderId: number, ev: Extract<OrderEvent, 'fulfil' | 'mark_ready' | 'complete'>): Promise<OrderView> {
    const a = requireActor(actor);
    // Who may act is read before the transaction: the store and clerk look-ups run on the
    // database handle, and inside a transaction they would wait behind it on PGlite's one
    // connection whenever another transaction (an event subscriber's) is queued.
    const seen = await this.d.orders.repo.get(this.d.db.orm, orderId);
    if (!seen || !(await this.d.orders.maySee(a, seen))) throw notFound('order', orderId);
    const mayAct = isOperator(a) || seen.leaderAccountId === a.accountId || (seen.storeId !== null && (await this.d.orders.worksAtStore(a, seen.storeId)));
    if (!mayAct) throw forbidden('only the store, the pickup point’s leader or an operator moves this order along');
    return this.d.db.orm.transaction(async (tx) => {
      // Store, leader and buyer of an order never change, so the check above still holds.
      const o = await this.d.orders.repo.lock(tx, orderId);
      if (!o) throw notFound('order', orderId);
      await this.applyEvent(tx, o, ev);
      return this.d.orders.view(orderId, tx);
    });
  }

  /**
   * For flows that already hold the order's lock (cutoff wave, pickup verification). `reopen`
   * (a pickup undone) takes a completed order back to ready and stops its commissions' clock.
   */
  async applyEvent(tx: Tx, o: OrderRow, ev: Extract<OrderEvent, 'fulfil' | 'mark_ready' | 'complete' | 'reopen'>): Promise<OrderRow> {
    const now = this.d.clock.now();
    const next = transition(ev, guardOf(o, now));
    const stamp = next === 'completed' ? { completedAt: now } : ev === 'reopen' ? { completedAt: null } : {};
    const moved = (await this.d.orders.repo.setStatus(tx, o.id, o.status, { status: next, ...stamp }))!;
    if (next === 'completed') {
      await this.d.ledger.scheduleRelease(tx, o.id, new Date(now.getTime() + this.opts.afterSalesWindowMs));
    }
    if (ev === 'reopen') await this.d.ledger.unscheduleRelease(tx, o.id);
    await this.d.emit(tx, [event(`order.${next}`, moved)]);
    return moved;
  }
}
