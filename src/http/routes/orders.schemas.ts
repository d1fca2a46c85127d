// Wire shapes of orders, refunds, after-sales and stock. Order timestamps are ISO text (not
// Date): a checkout's answer is stored and replayed verbatim for retries with the same key.
import { z } from 'zod';
import { AFTER_SALES_REASONS } from '../../flows/orders';
import { CHANNELS, FULFILMENTS, ORDER_EVENTS, ORDER_STATUSES } from '../../modules/orders';

const isoText = z.string().describe('ISO 8601 time');
const positiveId = z.number().int().positive();

export const orderLine = z.object({
  id: z.number(),
  skuId: z.number(),
  productId: z.number(),
  title: z.string(),
  spec: z.string(),
  unit: z.string(),
  unitPriceFen: z.number().int(),
  quantity: z.number().int(),
  discountFen: z.number().int(),
  lineTotalFen: z.number().int(),
  refundedQuantity: z.number().int(),
  refundedFen: z.number().int(),
});

export const orderView = z.object({
  id: z.number(),
  orderNo: z.string(),
  buyerAccountId: z.number(),
  channel: z.enum(CHANNELS),
  status: z.enum(ORDER_STATUSES),
  fulfilment: z.enum(FULFILMENTS),
  regionId: z.number(),
  communityId: z.number().nullable(),
  pickupPointId: z.number().nullable(),
  storeId: z.number().nullable(),
  leaderAccountId: z.number().nullable(),
  hostAccountId: z.number().nullable(),
  liveSessionId: z.number().nullable(),
  flashSaleId: z.number().nullable(),
  campaignId: z.number().nullable(),
  shareLinkId: z.number().nullable(),
  referrerAccountId: z.number().nullable(),
  itemsFen: z.number().int(),
  discountFen: z.number().int(),
  deliveryFen: z.number().int(),
  totalFen: z.number().int(),
  paidFen: z.number().int(),
  refundedFen: z.number().int(),
  note: z.string(),
  expiresAt: isoText.nullable().describe('unpaid orders are cancelled at this time and their stock released'),
  createdAt: isoText,
  paidAt: isoText.nullable(),
  completedAt: isoText.nullable(),
  closedAt: isoText.nullable(),
  nextEvents: z.array(z.enum(ORDER_EVENTS)).describe('state-machine events allowed from this status'),
  lines: z.array(orderLine),
});

export const checkoutResponse = z.object({
  order: orderView,
  payment: z
    .object({ paymentId: z.number(), payUrl: z.string().describe('the page where the buyer pays'), amountFen: z.number().int() })
    .nullable(),
});

export const checkoutBody = z.object({
  channel: z.enum(CHANNELS).describe('group_buy (pickup point), store_online or live (with liveSessionId); counter and replenishment orders come from their own pages'),
  lines: z
    .array(z.object({ skuId: positiveId, quantity: z.number().int().min(1).max(999) }))
    .min(1)
    .max(50),
  pickupPointId: positiveId.optional(),
  storeId: positiveId.optional(),
  fulfilment: z.enum(['pickup', 'delivery']).optional(),
  shareCode: z.string().max(32).optional().describe('the share link that brought the buyer'),
  note: z.string().max(200).optional(),
  campaignId: positiveId.optional().describe('a group-buy order of this campaign: its group prices, limits and stock'),
  liveSessionId: positiveId.optional().describe("channel 'live': the session whose bag is bought (live prices while on, the shelf's after)"),
  flashSaleId: positiveId.optional().describe("channel 'live': an order of this flash sale (one line of its SKU)"),
  couponClaimId: positiveId.optional().describe("channel 'live': the buyer's coupon claim of the session to pay with"),
});

export const idempotencyHeader = z.object({
  'idempotency-key': z.string().optional().describe('required: a unique key per intended effect (e.g. a UUID); retries reuse it'),
});

const refundLine = z.object({ orderLineId: positiveId, quantity: z.number().int().min(0).max(999) });

export const refundBody = z.object({
  kind: z.enum(['full', 'partial', 'shortage']),
  lines: z.array(refundLine).min(1).max(50).optional().describe('omit for a full refund of everything not yet refunded'),
  reason: z.string().trim().max(200).default(''),
  restock: z.boolean().optional().describe('the goods never left: put them back into stock'),
});

export const refundView = z.object({
  id: z.number(),
  orderId: z.number(),
  kind: z.enum(['full', 'partial', 'shortage', 'after_sales']),
  amountFen: z.number().int(),
  reason: z.string(),
  restock: z.boolean(),
  status: z.enum(['succeeded', 'pending', 'failed']),
  afterSalesId: z.number().nullable(),
  requestedBy: z.number().nullable(),
  createdAt: isoText,
  lines: z.array(z.object({ refundId: z.number(), orderLineId: z.number(), quantity: z.number().int(), amountFen: z.number().int() })).optional(),
});

export const afterSalesBody = z.object({
  reason: z.enum(AFTER_SALES_REASONS),
  description: z.string().max(500).optional(),
  photoUrls: z.array(z.url({ protocol: /^https?$/, error: 'a photo is an http(s) URL' }).max(500)).max(9).optional(),
  lines: z.array(refundLine).min(1).max(50),
});

export const afterSalesView = z.object({
  id: z.number(),
  orderId: z.number(),
  buyerAccountId: z.number(),
  reason: z.enum(AFTER_SALES_REASONS),
  description: z.string(),
  photoUrls: z.array(z.string()),
  lines: z.array(z.object({ orderLineId: z.number(), quantity: z.number() })),
  requestedFen: z.number().int(),
  status: z.enum(['open', 'approved', 'rejected', 'withdrawn']),
  decidedBy: z.number().nullable(),
  decisionNote: z.string(),
  refundId: z.number().nullable(),
  createdAt: isoText,
  decidedAt: isoText.nullable(),
});

export const stockLevel = z.object({
  skuId: z.number(),
  productName: z.string(),
  spec: z.string(),
  onHand: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
  updatedAt: isoText,
});

export const stockPlace = z
  .object({ warehouseId: positiveId.optional(), storeId: positiveId.optional() })
  .refine((p) => (p.warehouseId === undefined) !== (p.storeId === undefined), { message: 'give exactly one of warehouseId or storeId', path: ['warehouseId'] });
