// The receipt (小票) of a counter sale, for its first print and any reprint: gathered from the
// order (lines as paid after discounts), its payment, the till's own record of the sale (cash
// handed over, change, the whole-sale discount: pos_sales) and the refunds so far. Reads only.
import type { Database } from '../../db';
import { conflict, notFound } from '../../kernel';
import { RefundsRepo, type OrdersService } from '../../modules/orders';
import { CASH, type PaymentsService } from '../../modules/payments';
import type { Actor } from '../../modules/people';
import { chinaTime, PosSalesRepo, receiptText, type ReceiptData, type ReceiptLang, type ReceiptPaper, type StoresService } from '../../modules/stores';

export interface PosReceiptDeps {
  db: Database;
  stores: StoresService;
  orders: OrdersService;
  payments: PaymentsService;
}

export class PosReceipts {
  private readonly posSales = new PosSalesRepo();
  private readonly refunds = new RefundsRepo();

  constructor(private readonly d: PosReceiptDeps) {}

  /** The store's owner and clerks, and operators; anyone else 404. Counter sales of the store only. */
  async receipt(actor: Actor | null, storeId: number, orderId: number): Promise<ReceiptData> {
    const store = await this.d.stores.requireStaff(actor, storeId, { operators: true });
    const db = this.d.db.orm;
    const o = await this.d.orders.repo.get(db, orderId);
    if (!o || o.storeId !== store.id) throw notFound('order', orderId);
    if (o.channel !== 'store_counter') throw conflict(`order ${orderId} is an online order of this store, not a counter sale: it has no till receipt`, 'orderId');
    const [view, payments, tender, refunds] = await Promise.all([
      this.d.orders.view(o.id),
      this.d.payments.listForOrder(o.id),
      this.posSales.find(db, o.id),
      this.refunds.forOrder(db, o.id),
    ]);
    // The payment that went through, else the latest attempt (a provider sale still unpaid).
    const payment = payments.find((p) => p.status === 'succeeded') ?? payments[payments.length - 1];
    const cash = payment?.provider === CASH;
    const at = o.paidAt ?? o.createdAt;
    return {
      store: { id: store.id, name: store.name, address: store.address },
      orderId: o.id,
      orderNo: view.orderNo,
      status: o.status,
      at: at.toISOString(),
      time: chinaTime(at),
      lines: view.lines.map((l) => ({
        orderLineId: l.id,
        skuId: l.skuId,
        title: l.title,
        spec: l.spec,
        unit: l.unit,
        quantity: l.quantity,
        unitPriceFen: l.unitPriceFen,
        discountFen: l.discountFen,
        lineTotalFen: l.lineTotalFen,
        refundedQuantity: l.refundedQuantity,
        refundedFen: l.refundedFen,
      })),
      itemsFen: o.itemsFen,
      discountFen: o.discountFen,
      saleDiscountFen: tender ? tender.saleDiscountFen : null,
      totalFen: o.totalFen,
      payment: { way: cash ? 'cash' : 'provider', provider: payment?.provider ?? 'unknown', status: payment?.status ?? 'created' },
      cashReceivedFen: cash ? (tender?.cashReceivedFen ?? null) : null,
      changeFen: cash && tender ? tender.changeFen : null,
      refunds: refunds.map((r) => ({
        id: r.id,
        at: r.createdAt.toISOString(),
        time: chinaTime(r.createdAt),
        amountFen: r.amountFen,
        reason: r.reason,
        restock: r.restock,
        status: r.status,
        lines: r.lines.map((l) => ({ orderLineId: l.orderLineId, quantity: l.quantity, amountFen: l.amountFen })),
      })),
      refundedFen: o.refundedFen,
      netFen: o.paidFen - o.refundedFen,
    };
  }

  /** The same receipt as plain text for a 58 mm (32 cells) or 80 mm (48 cells) roll. */
  async text(actor: Actor | null, storeId: number, orderId: number, paper: ReceiptPaper, lang: ReceiptLang = 'zh-CN'): Promise<string> {
    return receiptText(await this.receipt(actor, storeId, orderId), paper, lang);
  }
}
