// Replenishment orders (进货单): a store's owner orders whole cases from the region's central
// warehouse at wholesale prices (an ordinary order, channel 'replenishment', placed and paid
// through checkout like any other), it travels with the region's next wave (the wave buys its
// units from the suppliers too), and the owner or a clerk counts it in: what arrived goes into
// the store's stock, what did not is refunded, and the order completes.
import type { Database, Tx } from '../../db';
import { badInput, conflict, notFound, toPage, decodeCursor, type Clock, type Page } from '../../kernel';
import { runIdempotent } from '../../modules/idempotency';
import type { InventoryService } from '../../modules/inventory';
import { linesByOrder, toOrderView, type OrderRow, type OrdersService, type OrderView } from '../../modules/orders';
import { requireActor, type Actor } from '../../modules/people';
import type { ReplenishmentService } from '../../modules/stores';
import type { CheckoutFlow } from '../checkout';
import type { OrderLifecycle, RefundFlow } from '../orders';

export interface ReplenishmentDeps {
  db: Database;
  clock: Clock;
  checkout: Pick<CheckoutFlow, 'placeOrder'>;
  replenishment: ReplenishmentService;
  orders: OrdersService;
  inventory: InventoryService;
  lifecycle: Pick<OrderLifecycle, 'applyEvent'>;
  refunds: Pick<RefundFlow, 'refundShortage'>;
}

export type ReplenishmentOrderView = OrderView & {
  /** The day (China time) it travels with the region's wave. */
  deliveryDate: string;
  receivedAt: Date | null;
};

export interface PlacedReplenishment {
  status: number;
  replayed: boolean;
  body: {
    order: ReplenishmentOrderView;
    payment: { paymentId: number; payUrl: string; amountFen: number } | null;
  };
}

export interface ReceiveInput {
  lines: { skuId: number; received: number }[];
}

/** Orders still on their way: paid and not yet counted in. */
const RECEIVABLE = new Set(['paid', 'fulfilling', 'ready']);

export class ReplenishmentFlow {
  constructor(private readonly d: ReplenishmentDeps) {}

  /**
   * POST /api/stores/:id/replenishment/orders: the owner orders (clerks may not spend the
   * store's money). The same key and body again answers the first order.
   */
  async placeOrder(actor: Actor | null, storeId: number, input: { lines: { skuId: number; quantity: number }[] }, key: string): Promise<PlacedReplenishment> {
    const store = await this.d.replenishment.access(actor, storeId, { ownerOnly: true });
    const placed = await this.d.checkout.placeOrder(actor, { channel: 'replenishment', storeId, fulfilment: 'delivery', lines: input.lines }, key);
    const order = placed.body.order;
    // A retry finds the row its first attempt wrote (and writes it if a crash came between).
    await this.d.replenishment.repo.insertOrderMeta(this.d.db.orm, {
      orderId: order.id,
      storeId,
      deliveryDate: await this.d.replenishment.nextDeliveryDate(store.regionId),
    });
    const meta = (await this.d.replenishment.repo.metaOf(this.d.db.orm, [order.id])).get(order.id)!;
    return {
      status: placed.status,
      replayed: placed.replayed,
      body: { order: { ...order, deliveryDate: meta.deliveryDate, receivedAt: meta.receivedAt }, payment: placed.body.payment },
    };
  }

  /** GET /api/stores/:id/replenishment/orders: the store's replenishment orders, newest first. */
  async list(actor: Actor | null, storeId: number, q: { cursor?: string | undefined; limit: number }): Promise<Page<ReplenishmentOrderView>> {
    await this.d.replenishment.access(actor, storeId);
    const db = this.d.db.orm;
    const rows = await this.d.orders.repo.list(db, { storeId, channel: 'replenishment' }, decodeCursor(q.cursor), q.limit + 1);
    const page = toPage(rows, q.limit);
    return { items: await this.views(page.items), nextCursor: page.nextCursor };
  }

  /**
   * POST …/orders/:orderId/receive: the owner or a clerk counts every line in. Received
   * units go into the store's stock; a shortfall is refunded to the store; the order
   * completes (unless nothing at all arrived: then it is refunded in full). Idempotent by key.
   */
  async receive(actor: Actor | null, storeId: number, orderId: number, input: ReceiveInput, key: string): Promise<{ status: number; body: ReplenishmentOrderView; replayed: boolean }> {
    const a = requireActor(actor);
    await this.d.replenishment.access(a, storeId);
    // Outside the transaction: the location may be created on first use and is cached.
    const locationId = await this.d.inventory.locationOfStore(storeId);
    return runIdempotent<ReplenishmentOrderView>(this.d.db, { scope: `replenishment-receive:${orderId}`, key, request: input }, async (tx) => {
      const o = await this.d.orders.repo.lock(tx, orderId);
      if (!o || o.channel !== 'replenishment' || o.storeId !== storeId) throw notFound('order', orderId);
      if (o.status === 'pending_payment') throw conflict('this order has not been paid yet');
      if (!RECEIVABLE.has(o.status)) throw conflict(`a ${o.status.replace('_', ' ')} order cannot be received`);
      const lines = await this.d.orders.repo.linesOf(tx, [orderId]);
      const counted = countedLines(lines, input);

      for (const c of counted) {
        if (c.received > 0) {
          await this.d.inventory.receive({ locationId, skuId: c.skuId, quantity: c.received, actorId: a.accountId, refType: 'replenishment', refId: orderId }, tx);
        }
      }
      const short = counted.filter((c) => c.open > c.received).map((c) => ({ orderLineId: c.lineId, quantity: c.open - c.received }));
      if (short.length) await this.d.refunds.refundShortage(tx, orderId, short, 'short on delivery to the store (进货缺货)', a.accountId);

      let now = (await this.d.orders.repo.lock(tx, orderId))!;
      if (now.status !== 'refunded') {
        if (now.status === 'paid') now = await this.d.lifecycle.applyEvent(tx, now, 'fulfil');
        now = await this.d.lifecycle.applyEvent(tx, now, 'complete');
      }
      await this.d.replenishment.repo.markReceived(tx, { orderId, storeId, by: a.accountId, at: this.d.clock.now() });
      return { status: 200, body: (await this.views([now], tx))[0]! };
    });
  }

  private async views(rows: OrderRow[], db: Tx | Database['orm'] = this.d.db.orm): Promise<ReplenishmentOrderView[]> {
    const ids = rows.map((r) => r.id);
    const byOrder = linesByOrder(await this.d.orders.repo.linesOf(db, ids));
    const meta = await this.d.replenishment.repo.metaOf(db, ids);
    return rows.map((r) => {
      const m = meta.get(r.id);
      return { ...toOrderView(r, byOrder.get(r.id) ?? []), deliveryDate: m?.deliveryDate ?? '', receivedAt: m?.receivedAt ?? null };
    });
  }
}

/**
 * The count, checked against the order: every line still owed must be counted once, with
 * 0 to the units owed. Answers each line with its units owed and received.
 */
function countedLines(lines: { id: number; skuId: number; quantity: number; refundedQuantity: number }[], input: ReceiveInput) {
  if (!Array.isArray(input.lines) || input.lines.length === 0) throw badInput('lines', 'count every line of the order');
  const bySku = new Map(lines.map((l) => [l.skuId, l]));
  const seen = new Map<number, number>();
  input.lines.forEach((c, i) => {
    const line = bySku.get(c.skuId);
    if (!line) throw badInput(`lines.${i}.skuId`, `SKU ${c.skuId} is not on this order`);
    if (seen.has(c.skuId)) throw badInput(`lines.${i}.skuId`, `SKU ${c.skuId} is counted twice`);
    const open = line.quantity - line.refundedQuantity;
    if (!Number.isInteger(c.received) || c.received < 0 || c.received > open) {
      throw badInput(`lines.${i}.received`, `received must be a whole number from 0 to ${open}`);
    }
    seen.set(c.skuId, c.received);
  });
  return lines
    .filter((l) => l.quantity > l.refundedQuantity)
    .map((l) => {
      const received = seen.get(l.skuId);
      if (received === undefined) throw badInput('lines', `count every line of the order: SKU ${l.skuId} is missing`);
      return { lineId: l.id, skuId: l.skuId, open: l.quantity - l.refundedQuantity, received };
    });
}
