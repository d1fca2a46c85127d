// What an order looks like outside the server: JSON-ready (dates as ISO text), the same shape
// for the first answer to a checkout and for every replay of it.
import { eventsFrom, type OrderEvent } from './order-states';
import type { OrderLineRow, OrderRow } from './orders.repo';

export interface OrderLineView {
  id: number;
  skuId: number;
  productId: number;
  title: string;
  spec: string;
  unit: string;
  unitPriceFen: number;
  quantity: number;
  discountFen: number;
  lineTotalFen: number;
  refundedQuantity: number;
  refundedFen: number;
}

export interface OrderView {
  id: number;
  orderNo: string;
  buyerAccountId: number;
  channel: OrderRow['channel'];
  status: OrderRow['status'];
  fulfilment: OrderRow['fulfilment'];
  regionId: number;
  communityId: number | null;
  pickupPointId: number | null;
  storeId: number | null;
  leaderAccountId: number | null;
  hostAccountId: number | null;
  liveSessionId: number | null;
  flashSaleId: number | null;
  campaignId: number | null;
  shareLinkId: number | null;
  referrerAccountId: number | null;
  itemsFen: number;
  discountFen: number;
  deliveryFen: number;
  totalFen: number;
  paidFen: number;
  refundedFen: number;
  note: string;
  expiresAt: string | null;
  createdAt: string;
  paidAt: string | null;
  completedAt: string | null;
  closedAt: string | null;
  nextEvents: OrderEvent[];
  lines: OrderLineView[];
}

/** Lines keyed by their order, in the order given. (Map.groupBy would do, but Node 20 lacks it.) */
export function linesByOrder(lines: OrderLineRow[]): Map<number, OrderLineRow[]> {
  const byOrder = new Map<number, OrderLineRow[]>();
  for (const l of lines) {
    const list = byOrder.get(l.orderId);
    if (list) list.push(l);
    else byOrder.set(l.orderId, [l]);
  }
  return byOrder;
}

/** Order numbers people read out at a pickup point: LL + zero-padded id. */
export const orderNo = (id: number) => `LL${String(id).padStart(8, '0')}`;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function toOrderView(o: OrderRow, lines: OrderLineRow[]): OrderView {
  return {
    id: o.id,
    orderNo: orderNo(o.id),
    buyerAccountId: o.buyerAccountId,
    channel: o.channel,
    status: o.status,
    fulfilment: o.fulfilment,
    regionId: o.regionId,
    communityId: o.communityId,
    pickupPointId: o.pickupPointId,
    storeId: o.storeId,
    leaderAccountId: o.leaderAccountId,
    hostAccountId: o.hostAccountId,
    liveSessionId: o.liveSessionId,
    flashSaleId: o.flashSaleId,
    campaignId: o.campaignId,
    shareLinkId: o.shareLinkId,
    referrerAccountId: o.referrerAccountId,
    itemsFen: o.itemsFen,
    discountFen: o.discountFen,
    deliveryFen: o.deliveryFen,
    totalFen: o.totalFen,
    paidFen: o.paidFen,
    refundedFen: o.refundedFen,
    note: o.note,
    expiresAt: iso(o.expiresAt),
    createdAt: o.createdAt.toISOString(),
    paidAt: iso(o.paidAt),
    completedAt: iso(o.completedAt),
    closedAt: iso(o.closedAt),
    nextEvents: eventsFrom(o.status),
    lines: lines.map((l) => ({
      id: l.id,
      skuId: l.skuId,
      productId: l.productId,
      title: l.title,
      spec: l.spec,
      unit: l.unit,
      unitPriceFen: l.unitPriceFen,
      quantity: l.quantity,
      discountFen: l.discountFen,
      lineTotalFen: l.lineTotalFen,
      refundedQuantity: l.refundedQuantity,
      refundedFen: l.refundedFen,
    })),
  };
}
