// Drizzle view of the order tables (src/db/migrations/0004_commerce.sql).
import { bigint, boolean, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { Channel, Fulfilment, OrderStatus } from './order-states';

const ref = (name: string) => bigint(name, { mode: 'number' });
const fen = (name: string) => bigint(name, { mode: 'number' });
const ts = (name: string) => timestamp(name, { withTimezone: true });

export type CommissionParty = 'leader' | 'host' | 'store' | 'referrer';
/** A commission fixed at placement; `orderLineId` null means it applies to the whole order. */
export interface CommissionPlanItem {
  party: CommissionParty;
  accountId: number;
  bp: number;
  /**
   * The amount itself, when it was computed per line at placement (a campaign's per-SKU leader
   * rates): payment books this instead of `bp` of the total; `bp` then only describes it.
   */
  fen?: number;
}

export const orders = pgTable('orders', {
  id: ref('id').primaryKey().generatedAlwaysAsIdentity(),
  buyerAccountId: ref('buyer_account_id').notNull(),
  channel: text('channel').$type<Channel>().notNull(),
  status: text('status').$type<OrderStatus>().notNull(),
  fulfilment: text('fulfilment').$type<Fulfilment>().notNull(),
  locationId: ref('location_id').notNull(),
  regionId: ref('region_id').notNull(),
  communityId: ref('community_id'),
  pickupPointId: ref('pickup_point_id'),
  storeId: ref('store_id'),
  leaderAccountId: ref('leader_account_id'),
  hostAccountId: ref('host_account_id'),
  liveSessionId: ref('live_session_id'),
  flashSaleId: ref('flash_sale_id'),
  campaignId: ref('campaign_id'),
  shareLinkId: ref('share_link_id'),
  referrerAccountId: ref('referrer_account_id'),
  itemsFen: fen('items_fen').notNull(),
  discountFen: fen('discount_fen').notNull().default(0),
  deliveryFen: fen('delivery_fen').notNull().default(0),
  totalFen: fen('total_fen').notNull(),
  paidFen: fen('paid_fen').notNull().default(0),
  refundedFen: fen('refunded_fen').notNull().default(0),
  commissionPlan: jsonb('commission_plan').$type<CommissionPlanItem[]>().notNull().default([]),
  note: text('note').notNull().default(''),
  idempotencyKey: text('idempotency_key').notNull(),
  requestHash: text('request_hash').notNull(),
  expiresAt: ts('expires_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
  paidAt: ts('paid_at'),
  completedAt: ts('completed_at'),
  closedAt: ts('closed_at'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const orderLines = pgTable('order_lines', {
  id: ref('id').primaryKey().generatedAlwaysAsIdentity(),
  orderId: ref('order_id').notNull(),
  skuId: ref('sku_id').notNull(),
  productId: ref('product_id').notNull(),
  title: text('title').notNull(),
  spec: text('spec').notNull(),
  unit: text('unit').notNull(),
  unitPriceFen: integer('unit_price_fen').notNull(),
  quantity: integer('quantity').notNull(),
  discountFen: integer('discount_fen').notNull().default(0),
  lineTotalFen: integer('line_total_fen').notNull(),
  limitScope: text('limit_scope'),
  refundedQuantity: integer('refunded_quantity').notNull().default(0),
  refundedFen: integer('refunded_fen').notNull().default(0),
  pickedQuantity: integer('picked_quantity').notNull().default(0),
});

export type AfterSalesReason = 'quality' | 'damaged' | 'wrong_item' | 'missing' | 'not_as_described' | 'changed_mind' | 'other';
export type AfterSalesStatus = 'open' | 'approved' | 'rejected' | 'withdrawn';
export type RefundKind = 'full' | 'partial' | 'shortage' | 'after_sales';
export type RefundStatus = 'succeeded' | 'pending' | 'failed';

export const afterSalesRequests = pgTable('after_sales_requests', {
  id: ref('id').primaryKey().generatedAlwaysAsIdentity(),
  orderId: ref('order_id').notNull(),
  buyerAccountId: ref('buyer_account_id').notNull(),
  reason: text('reason').$type<AfterSalesReason>().notNull(),
  description: text('description').notNull().default(''),
  photoUrls: text('photo_urls').array().notNull().default([]),
  lines: jsonb('lines').$type<{ orderLineId: number; quantity: number }[]>().notNull(),
  requestedFen: fen('requested_fen').notNull(),
  status: text('status').$type<AfterSalesStatus>().notNull().default('open'),
  decidedBy: ref('decided_by'),
  decisionNote: text('decision_note').notNull().default(''),
  refundId: ref('refund_id'),
  createdAt: ts('created_at').notNull().defaultNow(),
  decidedAt: ts('decided_at'),
});

export const refunds = pgTable('refunds', {
  id: ref('id').primaryKey().generatedAlwaysAsIdentity(),
  orderId: ref('order_id').notNull(),
  kind: text('kind').$type<RefundKind>().notNull(),
  amountFen: fen('amount_fen').notNull(),
  reason: text('reason').notNull().default(''),
  restock: boolean('restock').notNull().default(false),
  status: text('status').$type<RefundStatus>().notNull(),
  afterSalesId: ref('after_sales_id'),
  requestedBy: ref('requested_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const refundLines = pgTable(
  'refund_lines',
  {
    refundId: ref('refund_id').notNull(),
    orderLineId: ref('order_line_id').notNull(),
    quantity: integer('quantity').notNull(),
    amountFen: integer('amount_fen').notNull(),
  },
  (t) => [primaryKey({ columns: [t.refundId, t.orderLineId] })],
);
