// Taking goods back at the till (退货): a customer brings back some units of a counter sale.
// The store's owner or a clerk names the lines (by order line or SKU) and how many units; the
// order-refund machinery does the rest in one transaction holding the order's lock, exactly as
// for an operator's refund (src/flows/orders/refunds.ts): each unit gives back its share of the
// line as paid after discounts (so refunding everything gives back every fen), the payment is
// refunded through its provider (cash: the clerk hands it back from the till, booked
// Dr platform:sales_refunds / Cr platform:psp:cash, mirroring the sale; a provider payment:
// through the provider, the store's commission reversed in proportion), the order moves to
// `refunded` by the state machine's refund_full once every fen is back (a partial refund leaves
// it completed), and, unless the goods are damaged (restock: false), the units go back on the
// store's shelf in the same transaction.
import type { Database } from '../../db';
import { badInput, conflict, notFound } from '../../kernel';
import { runIdempotent, type IdempotentResult } from '../../modules/idempotency';
import type { OrderLineRow, OrdersService, OrderView } from '../../modules/orders';
import { CASH, type PaymentsService } from '../../modules/payments';
import { requireActor, type Actor } from '../../modules/people';
import type { StoresService } from '../../modules/stores';
import type { RefundFlow, RefundLineRequest, RefundView } from '../orders';

export interface PosRefundLine {
  orderLineId?: number | undefined;
  skuId?: number | undefined;
  quantity: number;
}

export interface PosRefundInput {
  lines: PosRefundLine[];
  reason?: string | undefined;
  /** Put the units back on the store's shelf; false for damaged goods. Default true. */
  restock?: boolean | undefined;
}

export interface PosRefund {
  refund: RefundView;
  order: OrderView;
  /** Cash sales: the cash to hand back from the till; 0 when the provider pays it back. */
  cashBackFen: number;
}

export interface PosRefundDeps {
  db: Database;
  stores: StoresService;
  orders: OrdersService;
  payments: PaymentsService;
  refunds: RefundFlow;
}

const MAX_REASON = 200;

export class PosRefundFlow {
  constructor(private readonly d: PosRefundDeps) {}

  /**
   * Refund units of counter sale `orderId` of store `storeId`. The store's owner and clerks
   * only (anyone else 404, operators 403, as at the till). The same Idempotency-Key and body
   * answer the first refund; another body is 422.
   */
  async refund(actor: Actor | null, storeId: number, orderId: number, input: PosRefundInput, key: string): Promise<IdempotentResult<PosRefund>> {
    const a = requireActor(actor);
    const store = await this.d.stores.requireStaff(a, storeId);
    const reason = (input.reason ?? '').trim();
    if (reason.length > MAX_REASON) throw badInput('reason', `a reason is at most ${MAX_REASON} characters`);
    if (input.restock !== undefined && typeof input.restock !== 'boolean') throw badInput('restock', 'restock is true or false');
    if (!Array.isArray(input.lines) || input.lines.length === 0) throw badInput('lines', 'name the lines and quantities to refund');
    const restock = input.restock ?? true;
    const request = { storeId: store.id, orderId, lines: input.lines, reason, restock };
    return runIdempotent(this.d.db, { scope: `pos-refund:${a.accountId}`, key, request }, async (tx) => {
      const o = await this.d.orders.repo.lock(tx, orderId);
      if (!o || o.storeId !== store.id) throw notFound('order', orderId);
      if (o.channel !== 'store_counter') {
        throw conflict(`order ${orderId} is an online order of this store, not a counter sale: refund it through after-sales`, 'orderId');
      }
      const lines = await this.d.orders.repo.linesOf(tx, [o.id]);
      const wanted = resolveLines(input.lines, lines);
      const everything = lines.every((l) => l.quantity - l.refundedQuantity === (wanted.find((w) => w.orderLineId === l.id)?.quantity ?? 0));
      const refund = await this.d.refunds.refundAuthorised(tx, o.id, { kind: everything ? 'full' : 'partial', lines: wanted, reason, restock }, a.accountId);
      const paidInCash = (await this.d.payments.listForOrder(o.id, tx)).some((p) => p.status === 'succeeded' && p.provider === CASH);
      return { status: 201, body: { refund, order: await this.d.orders.view(o.id, tx), cashBackFen: paidInCash ? refund.amountFen : 0 } };
    });
  }
}

/** The request's lines as order lines: each names an order line, or a SKU sold once on the sale. */
function resolveLines(req: PosRefundLine[], lines: OrderLineRow[]): RefundLineRequest[] {
  return req.map((l, i) => {
    if (!Number.isInteger(l.quantity) || l.quantity < 1) throw badInput(`lines.${i}.quantity`, 'quantity is a whole number of units, at least 1');
    if (l.orderLineId !== undefined) {
      const line = lines.find((x) => x.id === l.orderLineId);
      if (!line) throw badInput(`lines.${i}.orderLineId`, `line ${l.orderLineId} is not on this sale`);
      if (l.skuId !== undefined && l.skuId !== line.skuId) throw badInput(`lines.${i}.skuId`, `line ${line.id} is SKU ${line.skuId}, not ${l.skuId}`);
      return { orderLineId: line.id, quantity: l.quantity };
    }
    if (l.skuId === undefined) throw badInput(`lines.${i}.orderLineId`, 'each line names an orderLineId or a skuId');
    const matches = lines.filter((x) => x.skuId === l.skuId);
    if (matches.length === 0) throw badInput(`lines.${i}.skuId`, `SKU ${l.skuId} is not on this sale`);
    if (matches.length > 1) throw badInput(`lines.${i}.skuId`, `SKU ${l.skuId} is on several lines of this sale: name the orderLineId`);
    return { orderLineId: matches[0]!.id, quantity: l.quantity };
  });
}
