// Neighbourhood stores (docs/stores.md): onboarding, the till, today's takings and the
// residents' storefront. The store's order queue is GET /stores/:id/orders (orders.ts) plus
// the live feed WS /stores/:id/live (../live.ts). Replenishment and finance: ./replenishment.ts.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readIdempotencyKey } from '../../modules/idempotency';
import { STORE_MODES } from '../../modules/stores';
import type { Services } from '../../services';
import { commonErrors, errorBody, hhmm, idParam, isoDate, pageOf, pageQuery } from '../schemas';
import { idempotencyHeader, orderView, refundView } from './orders.schemas';
import { store } from './place.schemas';
import { trustBadge } from './trust.schemas';

const positiveId = z.number().int().positive();
const fen = z.number().int().min(0).max(100_000_000);

const applicationBody = z.object({
  storeName: z.string().max(200),
  licenceNumber: z.string().max(64).describe('统一社会信用代码: 18 characters, check character verified (GB 32100-2015)'),
  address: z.string().max(400),
  communityId: positiveId,
  lat: z.number(),
  lng: z.number(),
  opensAt: hhmm,
  closesAt: hhmm.describe('earlier than opensAt: open past midnight'),
  deliveryRadiusM: z.number().int(),
  modes: z.array(z.enum(STORE_MODES)).min(1).max(2),
  ownerName: z.string().max(64).optional().describe('with idCardNumber: needed only for the store to be a group-buy pickup point too'),
  idCardNumber: z.string().max(32).optional().describe('the owner’s ID number; only a hash and the last four characters are kept'),
});

const application = z.object({
  id: z.number(),
  accountId: z.number(),
  storeName: z.string(),
  licenceNumber: z.string(),
  address: z.string(),
  communityId: z.number(),
  lat: z.number(),
  lng: z.number(),
  opensAt: z.string(),
  closesAt: z.string(),
  deliveryRadiusM: z.number(),
  modes: z.array(z.enum(STORE_MODES)),
  ownerName: z.string().nullable(),
  idCardLast4: z.string().nullable(),
  status: z.enum(['pending', 'approved', 'rejected']),
  reason: z.string().nullable(),
  decidedAt: isoDate.nullable(),
  storeId: z.number().nullable(),
  pickupPointId: z.number().nullable(),
  createdAt: isoDate,
});

const decisionBody = z.object({
  approve: z.boolean(),
  reason: z.string().max(400).optional(),
  gridWarehouseId: positiveId.optional(),
  alsoPickupPoint: z.boolean().optional().describe('also open a group-buy pickup point at the store, led by the owner (needs ownerName and idCardNumber on the application)'),
});

const saleBody = z.object({
  lines: z
    .array(
      z.object({
        barcode: z.string().min(1).max(64).optional(),
        skuId: positiveId.optional(),
        quantity: z.number().int().min(1).max(999),
        discountFen: fen.optional().describe('taken off this line; never more than the line'),
      }),
    )
    .min(1)
    .max(50),
  discountFen: fen.optional().describe('taken off the whole sale, spread over its lines'),
  payment: z.enum(['cash', 'provider']),
  cashReceivedFen: fen.optional().describe('cash: what the customer handed over (at least the total)'),
});

const saleAnswer = z.object({
  order: orderView,
  payment: z.object({ paymentId: z.number(), payUrl: z.string(), amountFen: z.number().int() }).nullable(),
  changeFen: z.number().int(),
});

const lookupAnswer = z.object({
  skuId: z.number(),
  title: z.string(),
  spec: z.string(),
  unit: z.string(),
  priceFen: z.number().int(),
  available: z.number().int(),
  imageUrl: z.string().nullable(),
});

const todayAnswer = z.object({
  orders: z.number().int().describe('paid orders today (China day), counter and online'),
  itemsFen: z.number().int().describe('what they came to, in fen, after discounts and net of refunds'),
  byChannel: z.object({ counter: z.number().int(), online: z.number().int() }).describe('fen by channel, net of refunds'),
  refundsFen: z.number().int().describe('refunded so far of today’s orders: itemsFen + refundsFen = what they came to before refunds'),
  last: z.array(orderView).describe('the latest 10 orders of today, any status, newest first'),
});

const saleParams = z.object({ id: z.coerce.number().int().positive(), orderId: z.coerce.number().int().positive() });

const tillRefundBody = z.object({
  lines: z
    .array(
      z.object({
        orderLineId: positiveId.optional(),
        skuId: positiveId.optional().describe('instead of orderLineId, when the SKU is on one line of the sale'),
        quantity: z.number().int().min(1).max(999),
      }),
    )
    .min(1)
    .max(50),
  reason: z.string().max(200).optional(),
  restock: z.boolean().optional().describe('default true: the units go back on the store’s shelf; false for damaged goods'),
});

const tillRefundAnswer = z.object({
  refund: refundView,
  order: orderView,
  cashBackFen: z.number().int().describe('cash sales: the cash to hand back from the till; 0 when the provider pays it back'),
});

const receiptAnswer = z.object({
  store: z.object({ id: z.number(), name: z.string(), address: z.string() }),
  orderId: z.number(),
  orderNo: z.string(),
  status: z.string(),
  at: z.string().describe('paid at (rung up at, while unpaid), ISO 8601'),
  time: z.string().describe('the same in China time, YYYY-MM-DD HH:MM:SS'),
  lines: z.array(
    z.object({
      orderLineId: z.number(),
      skuId: z.number(),
      title: z.string(),
      spec: z.string(),
      unit: z.string(),
      quantity: z.number().int(),
      unitPriceFen: z.number().int(),
      discountFen: z.number().int().describe('the line’s own discount and its share of the whole-sale discount'),
      lineTotalFen: z.number().int(),
      refundedQuantity: z.number().int(),
      refundedFen: z.number().int(),
    }),
  ),
  itemsFen: z.number().int(),
  discountFen: z.number().int().describe('every discount of the sale'),
  saleDiscountFen: z.number().int().nullable().describe('of which the whole-sale discount (null: not recorded)'),
  totalFen: z.number().int(),
  payment: z.object({ way: z.enum(['cash', 'provider']), provider: z.string(), status: z.string() }),
  cashReceivedFen: z.number().int().nullable(),
  changeFen: z.number().int().nullable(),
  refunds: z.array(
    z.object({
      id: z.number(),
      at: z.string(),
      time: z.string(),
      amountFen: z.number().int(),
      reason: z.string(),
      restock: z.boolean(),
      status: z.enum(['succeeded', 'pending', 'failed']),
      lines: z.array(z.object({ orderLineId: z.number(), quantity: z.number().int(), amountFen: z.number().int() })),
    }),
  ),
  refundedFen: z.number().int(),
  netFen: z.number().int().describe('paid − refunded'),
});

const storefrontStore = z.object({ store, distanceM: z.number(), openNow: z.boolean(), modes: z.array(z.enum(STORE_MODES)), trust: trustBadge });
const shelfItem = z.object({
  skuId: z.number(),
  productId: z.number(),
  title: z.string(),
  spec: z.string(),
  unit: z.string(),
  imageUrl: z.string().nullable(),
  priceFen: z.number().int(),
  available: z.number().int(),
});

export function storeRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['stores'];

  // ── onboarding ───────────────────────────────────────────────────────────
  r.post('/store-applications', {
    schema: { tags, summary: 'Apply to open a store (any signed-in account; one pending at a time)', body: applicationBody, response: { 201: application, ...commonErrors } },
    handler: async (req, reply) => reply.status(201).send(await s.stores.apply(req.actor, req.body)),
  });

  r.get('/store-applications/mine', {
    schema: { tags, summary: 'My latest store application, or null', response: { 200: application.nullable(), ...commonErrors } },
    handler: async (req) => s.stores.mine(req.actor),
  });

  r.get('/admin/store-applications', {
    schema: {
      tags,
      summary: 'Store applications, oldest first, optionally by status (operator)',
      querystring: pageQuery.extend({ status: z.enum(['pending', 'approved', 'rejected']).optional() }),
      response: { 200: pageOf(application), ...commonErrors },
    },
    handler: async (req) => s.stores.listApplications(req.actor, req.query),
  });

  r.post('/admin/store-applications/:id/decision', {
    schema: {
      tags,
      summary: 'Approve (opens the store, grants store_owner, optionally a pickup point led by the owner) or reject with a reason (operator)',
      params: idParam,
      body: decisionBody,
      response: { 200: application, ...commonErrors },
    },
    handler: async (req) => s.storeOnboarding.decide(req.actor, req.params.id, req.body),
  });

  r.get('/my/stores', {
    schema: { tags, summary: 'The stores I own or work at (store_owner, store_clerk)', response: { 200: z.array(store), ...commonErrors } },
    handler: async (req) => s.stores.myStores(req.actor),
  });

  // ── the till ─────────────────────────────────────────────────────────────
  r.post('/stores/:id/pos/sales', {
    schema: {
      tags,
      summary: 'Ring up a counter sale (the store’s owner or clerks; Idempotency-Key required)',
      description:
        'Lines by barcode or skuId. Cash: paid and completed at once, changeFen = cashReceivedFen − total (400 naming cashReceivedFen when short). Provider: the order waits for payment (show payUrl as a QR code) and completes when paid. 409 sold_out names the line when the store’s stock is gone, whoever took it (counter or online).',
      params: idParam,
      headers: idempotencyHeader,
      body: saleBody,
      response: { 201: saleAnswer, ...commonErrors, 422: errorBody },
    },
    handler: async (req, reply) => {
      const key = readIdempotencyKey(req.headers);
      const sale = await s.pos.sell(req.actor, req.params.id, req.body, key);
      if (sale.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(201).send(sale.body as never);
    },
  });

  r.post('/stores/:id/pos/sales/:orderId/refunds', {
    schema: {
      tags,
      summary: 'Take goods back at the till (退货): refund units of a counter sale (the store’s owner or clerks; Idempotency-Key required)',
      description:
        'Each unit gives back its share of the line as paid after discounts (refunding every unit gives back the line total). Cash sales: hand cashBackFen back from the till; provider sales are refunded through the provider. restock (default true) puts the units back on the store’s shelf. 400 naming lines.N.quantity when more units are asked back than are left unrefunded; 409 orderId for an online order of the store; 404 for an order of another store.',
      params: saleParams,
      headers: idempotencyHeader,
      body: tillRefundBody,
      response: { 201: tillRefundAnswer, ...commonErrors, 422: errorBody },
    },
    handler: async (req, reply) => {
      const key = readIdempotencyKey(req.headers);
      const res = await s.posRefunds.refund(req.actor, req.params.id, req.params.orderId, req.body, key);
      if (res.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(res.status as 201).send(res.body as never);
    },
  });

  r.get('/stores/:id/pos/sales/:orderId/receipt', {
    schema: {
      tags,
      summary: 'A counter sale’s receipt (小票), to print or reprint (owner, clerks, operators)',
      description:
        'format=json (default): the receipt data. format=text: plain text for a thermal roll, width=58 (32 cells a line) or 80 (48); a Chinese character takes two cells. lang=zh-CN (default) or en for the text’s labels. 409 orderId for an online order of the store.',
      params: saleParams,
      querystring: z.object({
        format: z.enum(['json', 'text']).default('json'),
        width: z.enum(['58', '80']).default('58'),
        lang: z.enum(['zh-CN', 'en']).default('zh-CN'),
      }),
      response: { 200: z.union([receiptAnswer, z.string()]), ...commonErrors },
    },
    handler: async (req, reply) => {
      const { id, orderId } = req.params;
      if (req.query.format === 'text') {
        const text = await s.posReceipts.text(req.actor, id, orderId, req.query.width === '80' ? 80 : 58, req.query.lang);
        return reply.type('text/plain; charset=utf-8').send(text);
      }
      return s.posReceipts.receipt(req.actor, id, orderId);
    },
  });

  r.get('/stores/:id/pos/lookup', {
    schema: {
      tags,
      summary: 'What a scanned barcode is at this store: price and units left (owner, clerks)',
      params: idParam,
      querystring: z.object({ barcode: z.string().min(1).max(64) }),
      response: { 200: lookupAnswer, ...commonErrors },
    },
    handler: async (req) => s.stores.lookup(req.actor, req.params.id, req.query.barcode),
  });

  r.get('/stores/:id/sales/today', {
    schema: { tags, summary: 'Today’s takings by channel and the latest orders (owner, clerks, operators)', params: idParam, response: { 200: todayAnswer, ...commonErrors } },
    handler: async (req) => s.stores.salesToday(req.actor, req.params.id) as never,
  });

  // ── storefront ───────────────────────────────────────────────────────────
  r.get('/storefront/stores', {
    schema: {
      tags,
      summary: 'Stores that deliver to this point (within their radius): open now first, then by 200 m distance band, trust score, distance',
      querystring: z.object({ lat: z.coerce.number().min(-90).max(90), lng: z.coerce.number().min(-180).max(180) }),
      response: { 200: z.array(storefrontStore), ...commonErrors },
    },
    handler: async (req) => s.stores.storesFor(req.actor, req.query),
  });

  r.get('/storefront/stores/:id/shelf', {
    schema: {
      tags,
      summary: 'A store’s shelf: what it holds, in stock first, at its region’s prices',
      params: idParam,
      querystring: pageQuery,
      response: { 200: pageOf(shelfItem), ...commonErrors },
    },
    handler: async (req) => s.stores.shelf(req.actor, req.params.id, req.query),
  });
}
