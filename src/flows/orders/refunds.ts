// Refunds (full, partial by line and quantity, shortage) and after-sales requests. A refund
// runs in one transaction holding the order's row lock (the lock pickup verification takes
// too, so a pickup and a refund of one order cannot both win): lines and order totals are
// updated, the provider is asked to pay back, the ledger books the refund and reverses
// commissions in proportion, and stock that never left is put back.
import type { Tx } from '../../db';
import { badInput, conflict, decodeCursor, forbidden, notFound, toPage } from '../../kernel';
import {
  RefundsRepo,
  transition,
  type AfterSalesReason,
  type AfterSalesRow,
  type OrderLineRow,
  type OrderRow,
  type RefundKind,
  type RefundLineRow,
  type RefundRow,
} from '../../modules/orders';
import { isOperator, requireActor, type Actor } from '../../modules/people';
import { guardOf, type LifecycleDeps } from './lifecycle';

export interface RefundLineRequest {
  orderLineId: number;
  quantity: number;
}

export interface RefundRequest {
  kind: Exclude<RefundKind, 'after_sales'>;
  /** Which lines and how many units; omitted for a full refund (everything not yet refunded). */
  lines?: RefundLineRequest[] | undefined;
  reason: string;
  /** The goods never left our hands: put them back into stock. */
  restock?: boolean | undefined;
}

export interface AfterSalesInput {
  reason: AfterSalesReason;
  description?: string | undefined;
  photoUrls?: string[] | undefined;
  lines: RefundLineRequest[];
}

export type RefundsDeps = LifecycleDeps;

export type RefundView = RefundRow & { lines: RefundLineRow[] };

export const AFTER_SALES_REASONS = ['quality', 'damaged', 'wrong_item', 'missing', 'not_as_described', 'changed_mind', 'other'] as const satisfies readonly AfterSalesReason[];

const REFUNDABLE = new Set(['paid', 'fulfilling', 'ready', 'completed']);
const MAX_PHOTOS = 9;

export class RefundFlow {
  readonly repo = new RefundsRepo();
  private handedOverHook: ((tx: Tx, o: OrderRow) => Promise<unknown>) | null = null;

  constructor(private readonly d: RefundsDeps) {}

  /**
   * Called (in the refund's transaction) when a refund leaves a ready order with nothing more
   * to hand over and something already handed over: the rest was picked up, so the order is
   * done. Wired to the life cycle's `complete` in src/services.ts.
   */
  onAllHandedOver(fn: (tx: Tx, o: OrderRow) => Promise<unknown>): void {
    this.handedOverHook = fn;
  }

  /** An operator refunds (or the system, for shortages: actor null with `system: true`). */
  async refund(actor: Actor | null, orderId: number, req: RefundRequest, tx?: Tx): Promise<RefundView> {
    const a = requireActor(actor);
    if (!isOperator(a)) throw forbidden('only operators issue refunds; buyers open an after-sales request');
    return this.inTx(tx, (t) => this.refundLocked(t, orderId, req, a.accountId, null));
  }

  /**
   * Shortage refunds for the group-buy hand-off: the leader counted fewer than were sent.
   * Called by that flow inside its own transaction; no actor check here, the caller made it.
   */
  async refundShortage(tx: Tx, orderId: number, lines: RefundLineRequest[], reason: string, byAccountId: number | null): Promise<RefundView> {
    return this.refundLocked(tx, orderId, { kind: 'shortage', lines, reason, restock: false }, byAccountId, null);
  }

  /**
   * A refund its caller has already authorised, in the caller's transaction: the store's till
   * takes back a counter sale (src/flows/stores/pos-refunds.ts checks the store's staff).
   */
  async refundAuthorised(tx: Tx, orderId: number, req: RefundRequest, byAccountId: number): Promise<RefundView> {
    return this.refundLocked(tx, orderId, req, byAccountId, null);
  }

  private async refundLocked(tx: Tx, orderId: number, req: RefundRequest, byAccountId: number | null, afterSalesId: number | null): Promise<RefundView> {
    const o = await this.d.orders.repo.lock(tx, orderId);
    if (!o) throw notFound('order', orderId);
    if (!REFUNDABLE.has(o.status)) throw conflict(`a ${o.status.replace('_', ' ')} order has nothing to refund`);
    const lines = await this.d.orders.repo.linesOf(tx, [o.id]);
    const parts = planRefund(o, lines, req, { afterSales: afterSalesId !== null });
    const amountFen = parts.reduce((s, p) => s + p.amountFen, 0);
    if (amountFen <= 0) throw badInput('lines', 'nothing left to refund on these lines');

    const refund = await this.repo.insertRefund(tx, {
      orderId: o.id,
      kind: afterSalesId === null ? req.kind : 'after_sales',
      amountFen,
      reason: req.reason.slice(0, 200),
      restock: !!req.restock,
      status: 'pending',
      afterSalesId,
      requestedBy: byAccountId,
    });
    // A unit of a line that came to nothing (a free item, 赠品) is taken back with no money:
    // its quantity is counted on the order line, but a refund line carries money (amount > 0).
    const paidParts = parts.filter((p) => p.amountFen > 0);
    await this.repo.insertLines(tx, paidParts.map((p) => ({ refundId: refund.id, orderLineId: p.line.id, quantity: p.quantity, amountFen: p.amountFen })));
    for (const p of parts) await this.d.orders.repo.updateLineRefund(tx, p.line.id, p.quantity, p.amountFen);

    const refundedFen = o.refundedFen + amountFen;
    const now = this.d.clock.now();
    const next = refundedFen === o.paidFen ? transition('refund_full', { ...guardOf(o, now), refundedFen }) : o.status;
    const updated = await this.d.orders.repo.update(tx, o.id, { refundedFen, status: next, ...(next === 'refunded' ? { closedAt: now } : {}) });

    const payment = (await this.d.payments.listForOrder(o.id, tx)).find((p) => p.status === 'succeeded');
    if (!payment) throw conflict(`order ${o.id} has no succeeded payment to refund`);
    const paid = await this.d.payments.refund(tx, { paymentId: payment.id, refundRef: `refund-${refund.id}`, amountFen, reason: req.reason || req.kind });
    // Commissions were earned on the order as a whole, so they are reversed by the order's
    // refunded share (cumulative: rounding never drifts, a full refund reverses every fen).
    await this.d.ledger.recordRefund(tx, {
      orderId: o.id,
      refundId: refund.id,
      provider: payment.provider,
      amountFen,
      lines: [{ orderLineId: null, refundedFenCumulative: refundedFen, lineTotalFen: o.totalFen }],
    });
    const status = paid.status === 'succeeded' ? 'succeeded' : 'pending';
    await this.repo.setStatus(tx, refund.id, status);
    if (updated.status === 'ready' && this.handedOverHook) {
      const after = lines.map((l) => ({ ...l, refundedQuantity: l.refundedQuantity + (parts.find((p) => p.line.id === l.id)?.quantity ?? 0) }));
      if (after.some((l) => l.pickedQuantity > 0) && after.every((l) => l.quantity - l.refundedQuantity - l.pickedQuantity <= 0)) {
        await this.handedOverHook(tx, updated);
      }
    }
    if (req.restock) {
      const back = parts.filter((p) => p.quantity > 0).map((p) => ({ locationId: o.locationId, skuId: p.line.skuId, quantity: p.quantity }));
      if (back.length) await this.d.inventory.restock(tx, o.id, back);
    }
    await this.d.emit(tx, [
      {
        topic: 'order.refunded',
        aggregateType: 'order',
        aggregateId: o.id,
        payload: { orderId: o.id, refundId: refund.id, kind: refund.kind, amountFen, refundedFen, full: next === 'refunded' },
      },
    ]);
    return { ...refund, status, lines: paidParts.map((p) => ({ refundId: refund.id, orderLineId: p.line.id, quantity: p.quantity, amountFen: p.amountFen })) };
  }

  async refundsOf(actor: Actor | null, orderId: number): Promise<RefundView[]> {
    await this.d.orders.get(actor, orderId);
    return this.repo.forOrder(this.d.db.orm, orderId);
  }

  async listRefunds(actor: Actor | null, q: { cursor?: string | undefined; limit: number }) {
    const a = requireActor(actor);
    if (!isOperator(a)) throw forbidden('only operators list all refunds');
    const rows = await this.repo.list(this.d.db.orm, decodeCursor(q.cursor), q.limit + 1);
    return toPage(rows, q.limit);
  }

  // ── after-sales (售后) ───────────────────────────────────────────────────────
  /** The buyer asks for money back on some units, with a reason and photos. */
  async openAfterSales(actor: Actor | null, orderId: number, input: AfterSalesInput): Promise<AfterSalesRow> {
    const a = requireActor(actor);
    return this.d.db.orm.transaction(async (tx) => {
      const o = await this.d.orders.repo.lock(tx, orderId);
      if (!o || o.buyerAccountId !== a.accountId) throw notFound('order', orderId);
      if (!REFUNDABLE.has(o.status)) throw conflict(`a ${o.status.replace('_', ' ')} order cannot have an after-sales request`);
      const photos = input.photoUrls ?? [];
      if (photos.length > MAX_PHOTOS) throw badInput('photoUrls', `at most ${MAX_PHOTOS} photos`);
      photos.forEach((u, i) => {
        if (!/^https?:\/\/\S{1,500}$/.test(u)) throw badInput(`photoUrls.${i}`, 'a photo is an http(s) URL');
      });
      const lines = await this.d.orders.repo.linesOf(tx, [o.id]);
      const parts = planRefund(o, lines, { kind: 'partial', lines: input.lines, reason: input.reason }, { afterSales: true });
      const requestedFen = parts.reduce((s, p) => s + p.amountFen, 0);
      if (requestedFen <= 0) throw badInput('lines', 'nothing left to refund on these lines');
      const open = (await this.repo.afterSalesForOrder(tx, o.id)).filter((r) => r.status === 'open');
      if (open.length > 0) throw conflict('this order already has an open after-sales request', 'orderId');
      const row = await this.repo.insertAfterSales(tx, {
        orderId: o.id,
        buyerAccountId: a.accountId,
        reason: input.reason,
        description: (input.description ?? '').slice(0, 500),
        photoUrls: photos,
        lines: input.lines,
        requestedFen,
      });
      await this.d.emit(tx, [{ topic: 'after_sales.opened', aggregateType: 'order', aggregateId: o.id, payload: { orderId: o.id, afterSalesId: row.id, requestedFen, reason: input.reason } }]);
      return row;
    });
  }

  /** An operator approves (and the refund is made at once) or rejects with a note. */
  async decideAfterSales(
    actor: Actor | null,
    id: number,
    decision: 'approve' | 'reject',
    note: string,
    inTx?: Tx,
  ): Promise<{ request: AfterSalesRow; refund: RefundView | null }> {
    const a = requireActor(actor);
    if (!isOperator(a)) throw forbidden('only operators decide after-sales requests');
    return this.inTx(inTx, async (tx) => {
      const req = await this.repo.lockAfterSales(tx, id);
      if (!req) throw notFound('after-sales request', id);
      if (req.status !== 'open') throw conflict(`this request is already ${req.status}`);
      let refund: RefundView | null = null;
      if (decision === 'approve') {
        refund = await this.refundLocked(tx, req.orderId, { kind: 'partial', lines: req.lines, reason: `after-sales: ${req.reason}` }, a.accountId, req.id);
      }
      const request = await this.repo.decideAfterSales(tx, id, {
        status: decision === 'approve' ? 'approved' : 'rejected',
        decidedBy: a.accountId,
        decisionNote: note.slice(0, 200),
        refundId: refund?.id ?? null,
        decidedAt: this.d.clock.now(),
      });
      return { request, refund };
    });
  }

  async afterSalesOf(actor: Actor | null, orderId: number): Promise<AfterSalesRow[]> {
    await this.d.orders.get(actor, orderId);
    return this.repo.afterSalesForOrder(this.d.db.orm, orderId);
  }

  async listAfterSales(actor: Actor | null, q: { status?: AfterSalesRow['status'] | undefined; cursor?: string | undefined; limit: number }) {
    const a = requireActor(actor);
    const filter = isOperator(a) ? { status: q.status } : { status: q.status, buyerAccountId: a.accountId };
    const rows = await this.repo.listAfterSales(this.d.db.orm, filter, decodeCursor(q.cursor), q.limit + 1);
    return toPage(rows, q.limit);
  }

  private inTx<T>(tx: Tx | undefined, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return tx ? fn(tx) : this.d.db.orm.transaction(fn);
  }
}


/**
 * How much each line gives back. A line refunds in proportion to units: after refunding k of
 * n units its cumulative refund is floor(lineTotal·k/n), and the last unit takes what is left,
 * so partial refunds of a line always add up to exactly its total.
 *
 * Units already handed to the buyer (picked up) come back only through after-sales; full,
 * partial and shortage refunds cover the rest, so a refund and a pickup of the same units
 * cannot both happen (both hold the order's lock, whoever is second sees the other's work).
 */
export function planRefund(
  o: OrderRow,
  lines: OrderLineRow[],
  req: RefundRequest,
  opts: { afterSales?: boolean } = {},
): { line: OrderLineRow; quantity: number; amountFen: number }[] {
  const byId = new Map(lines.map((l) => [l.id, l]));
  const handedOver = (l: OrderLineRow) => (opts.afterSales ? 0 : l.pickedQuantity);
  const unrefunded = (l: OrderLineRow) => l.quantity - l.refundedQuantity;
  // What this kind of refund may still take from a line.
  const refundable = (l: OrderLineRow) => Math.max(0, unrefunded(l) - handedOver(l));
  let wanted: RefundLineRequest[];
  if (req.kind === 'full' && !req.lines) {
    wanted = lines.filter((l) => refundable(l) > 0).map((l) => ({ orderLineId: l.id, quantity: refundable(l) }));
    if (wanted.length === 0 && lines.some((l) => unrefunded(l) > 0)) {
      throw conflict('already picked up; open an after-sales request');
    }
  } else {
    wanted = req.lines ?? [];
  }
  if (wanted.length === 0) throw badInput('lines', 'name the lines and quantities to refund');
  const seen = new Set<number>();
  const parts: { line: OrderLineRow; quantity: number; amountFen: number }[] = [];
  wanted.forEach((w, i) => {
    const line = byId.get(w.orderLineId);
    if (!line || line.orderId !== o.id) throw badInput(`lines.${i}.orderLineId`, `line ${w.orderLineId} is not on order ${o.id}`);
    if (seen.has(line.id)) throw badInput(`lines.${i}.orderLineId`, 'each line once');
    seen.add(line.id);
    const left = unrefunded(line);
    if (!Number.isInteger(w.quantity) || w.quantity < 0 || w.quantity > left) {
      throw badInput(`lines.${i}.quantity`, `between 0 and ${left} units of this line can still be refunded`);
    }
    if (w.quantity > refundable(line)) {
      throw conflict(`${handedOver(line)} units of this line were already picked up; refund them through an after-sales request`, `lines.${i}.quantity`);
    }
    if (w.quantity === 0) return;
    const after = line.refundedQuantity + w.quantity;
    const cumulative = after === line.quantity ? line.lineTotalFen : Math.floor((line.lineTotalFen * after) / line.quantity);
    parts.push({ line, quantity: w.quantity, amountFen: cumulative - line.refundedFen });
  });
  return parts;
}
