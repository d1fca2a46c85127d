// The counter sale (收银): the till rings up lines by barcode or SKU, the sale goes through the
// same CheckoutFlow as online orders (group commit, one conditional stock update on the store's
// one location), and then: paid in cash, the payment is settled and the order completed in the
// same request; paid through the provider, the order waits for its payment like any order, and
// completes when it arrives (completeOnPayment, a payment success hook).
import type { Database, Tx } from '../../db';
import { badInput, DomainError, type Clock } from '../../kernel';
import type { CatalogService } from '../../modules/catalog';
import { IdempotencyRepo, keyReusedError, requestHash } from '../../modules/idempotency';
import type { OrdersService, OrderView } from '../../modules/orders';
import type { PaymentRow, PaymentsService } from '../../modules/payments';
import { requireActor, type Actor } from '../../modules/people';
import { PosSalesRepo, type StoresService } from '../../modules/stores';
import type { CheckoutFlow, CheckoutInput, PaymentOpened } from '../checkout';
import type { OrderLifecycle } from '../orders';

export interface PosLine {
  barcode?: string | undefined;
  skuId?: number | undefined;
  quantity: number;
  discountFen?: number | undefined;
}

export interface PosSaleInput {
  lines: PosLine[];
  discountFen?: number | undefined;
  payment: 'cash' | 'provider';
  cashReceivedFen?: number | undefined;
}

export interface PosSale {
  order: OrderView;
  /** The provider's payment to show as a QR code; null for cash. */
  payment: PaymentOpened | null;
  /** Cash back to the customer; 0 for provider payments. */
  changeFen: number;
}

export interface PosDeps {
  db: Database;
  clock: Clock;
  stores: StoresService;
  catalog: CatalogService;
  checkout: CheckoutFlow;
  payments: PaymentsService;
  orders: OrdersService;
  lifecycle: OrderLifecycle;
}

const posScope = (accountId: number) => `pos:${accountId}`;
/** ¥100,000 handed over at once: far above any basket, far below 2^53. */
const MAX_CASH_FEN = 10_000_000;

export class PosFlow {
  private readonly idem = new IdempotencyRepo();
  private readonly posSales = new PosSalesRepo();

  constructor(private readonly d: PosDeps) {}

  /**
   * Ring up a sale at `storeId` as `actor` (its owner or a clerk: anyone else gets 404). The same
   * Idempotency-Key and body again answer the first sale, with one order; another body is 422.
   */
  async sell(actor: Actor | null, storeId: number, input: PosSaleInput, key: string): Promise<{ status: number; body: PosSale; replayed: boolean }> {
    const a = requireActor(actor);
    const store = await this.d.stores.requireStaff(a, storeId);
    if (input.payment !== 'cash' && input.payment !== 'provider') throw badInput('payment', 'payment is cash or provider');
    const cash = input.payment === 'cash';
    if (cash) {
      const r = input.cashReceivedFen;
      if (r === undefined) throw badInput('cashReceivedFen', 'a cash sale says how much cash was handed over');
      if (!Number.isSafeInteger(r) || r < 0 || r > MAX_CASH_FEN) throw badInput('cashReceivedFen', `cashReceivedFen must be whole fen from 0 to ${MAX_CASH_FEN}`);
    }
    const hash = requestHash({ storeId, ...input });
    const earlier = await this.idem.find(this.d.db.orm, posScope(a.accountId), key);
    if (earlier) {
      if (earlier.requestHash !== hash) throw keyReusedError();
      return { status: earlier.statusCode, body: earlier.response as PosSale, replayed: true };
    }

    const checkoutInput: CheckoutInput = {
      channel: 'store_counter',
      storeId: store.id,
      lines: await this.resolveLines(input.lines),
      discountFen: input.discountFen,
      payment: input.payment,
    };
    if (cash) {
      // Refuse short cash before anything is reserved: the quote reads only.
      const quote = await this.d.checkout.pricing.quote(a.accountId, checkoutInput, this.d.clock.now(), a.roles);
      this.checkCash(quote.order.totalFen, input.cashReceivedFen!);
    }
    const placed = await this.d.checkout.placeOrder(a, checkoutInput, key);
    const opened = placed.body.payment;
    if (!opened) throw new Error(`counter order ${placed.body.order.id} has no payment`);

    const total = placed.body.order.totalFen;
    if (cash && input.cashReceivedFen! < total) {
      // The price moved between the quote and the placement (rare): take the sale back.
      await this.d.db.orm.transaction((tx) => this.d.lifecycle.cancelPlaced(tx, placed.body.order.id));
      this.checkCash(total, input.cashReceivedFen!);
    }
    const body = await this.d.db.orm.transaction(async (tx) => {
      let answer: PosSale;
      if (cash) {
        await this.d.payments.settleInPerson(tx, opened.paymentId);
        answer = { order: await this.d.orders.view(placed.body.order.id, tx), payment: null, changeFen: input.cashReceivedFen! - total };
      } else {
        answer = { order: placed.body.order, payment: opened, changeFen: 0 };
      }
      // What only the till knows, kept for the receipt and its reprint (idempotency records expire).
      await this.posSales.record(tx, {
        orderId: placed.body.order.id,
        cashReceivedFen: cash ? input.cashReceivedFen! : null,
        changeFen: answer.changeFen,
        saleDiscountFen: input.discountFen ?? 0,
      });
      const json = JSON.parse(JSON.stringify(answer)) as PosSale;
      // A twin request recorded first: its answer is the same sale, so keep it.
      if (await this.idem.claim(tx, posScope(a.accountId), key, hash)) await this.idem.complete(tx, posScope(a.accountId), key, 201, json);
      return json;
    });
    return { status: 201, body, replayed: placed.replayed };
  }

  private checkCash(totalFen: number, receivedFen: number): void {
    if (receivedFen < totalFen) throw badInput('cashReceivedFen', `the sale comes to ${totalFen} fen; ${receivedFen} fen received is not enough`);
  }

  /** Barcodes to SKUs (the scanner's input); a line names one or the other, or both agreeing. */
  private async resolveLines(lines: PosLine[]): Promise<CheckoutInput['lines']> {
    if (!Array.isArray(lines) || lines.length === 0) throw badInput('lines', 'a sale needs at least one line');
    const out: CheckoutInput['lines'] = [];
    for (const [i, l] of lines.entries()) {
      let skuId = l.skuId;
      if (l.barcode !== undefined) {
        const sku = await this.d.catalog.skuByBarcode(l.barcode).catch((e: unknown) => {
          if (e instanceof DomainError && e.kind === 'not_found') throw badInput(`lines.${i}.barcode`, `no SKU has barcode ${l.barcode}`);
          throw e;
        });
        if (skuId !== undefined && skuId !== sku.id) throw badInput(`lines.${i}.skuId`, `barcode ${l.barcode} is SKU ${sku.id}, not ${skuId}`);
        skuId = sku.id;
      }
      if (skuId === undefined) throw badInput(`lines.${i}.barcode`, 'each line names a barcode or a skuId');
      out.push({ skuId, quantity: l.quantity, ...(l.discountFen !== undefined ? { discountFen: l.discountFen } : {}) });
    }
    return out;
  }

  /**
   * Payment success hook (after the order lifecycle's): a counter sale is handed over the moment
   * it is paid, so it completes in the same transaction. Other orders are left alone.
   */
  async completeOnPayment(tx: Tx, payment: PaymentRow): Promise<void> {
    const o = await this.d.orders.repo.lock(tx, payment.orderId);
    if (!o || o.channel !== 'store_counter' || o.status !== 'paid') return;
    await this.d.lifecycle.applyEvent(tx, o, 'complete');
  }
}
