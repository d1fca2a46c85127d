import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badInput, forbidden } from '../../kernel';
import { readIdempotencyKey, runIdempotent } from '../../modules/idempotency';
import { ORDER_STATUSES, CHANNELS } from '../../modules/orders';
import { isOperator, requireActor } from '../../modules/people';
import { PAYMENT_STATUSES } from '../../modules/payments';
import type { Services } from '../../services';
import { commonErrors, errorBody, idParam, pageOf, pageQuery } from '../schemas';
import {
  afterSalesBody,
  afterSalesView,
  checkoutBody,
  checkoutResponse,
  idempotencyHeader,
  orderView,
  refundBody,
  refundView,
  stockLevel,
  stockPlace,
} from './orders.schemas';

/**
 * Rows with Date fields → the JSON the client sees, so stored replays and first answers match.
 * Typed `never` because the response schema, not TypeScript, checks the shape of the result.
 */
const json = (v: unknown): never => JSON.parse(JSON.stringify(v)) as never;
const positiveId = z.coerce.number().int().positive();
const failure = { ...commonErrors, 422: errorBody, 502: errorBody };

export function orderRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['orders'];

  r.post('/orders', {
    schema: {
      tags,
      summary: 'Place an order (checkout): reserve stock, price, open the payment. Idempotency-Key required.',
      description:
        'All lines or none: 409 names the line that is sold out or over its per-person limit. The same key and body again returns the first answer; the same key with another body is 422.',
      headers: idempotencyHeader,
      body: checkoutBody,
      response: { 201: checkoutResponse, 200: checkoutResponse, ...failure },
    },
    handler: async (req, reply) => {
      const key = readIdempotencyKey(req.headers);
      const placed = await s.checkout.placeOrder(req.actor, req.body, key);
      if (placed.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(placed.status as 201).send(placed.body);
    },
  });

  r.get('/orders', {
    schema: {
      tags,
      summary: 'My orders, newest first',
      querystring: pageQuery.extend({ status: z.enum(ORDER_STATUSES).optional() }),
      response: { 200: pageOf(orderView), ...commonErrors },
    },
    handler: async (req) => s.orders.listMine(req.actor, req.query),
  });

  r.get('/orders/:id', {
    schema: { tags, summary: 'One order (its buyer, leader, store or an operator)', params: idParam, response: { 200: orderView, ...commonErrors } },
    handler: async (req) => s.orders.get(req.actor, req.params.id),
  });

  r.get('/orders/:id/payments', {
    schema: {
      tags,
      summary: 'Payments opened for an order, oldest first (whoever may see the order)',
      description: 'The buyer’s way back to an unpaid order’s cashier: a sandbox payment in status created is paid at /pay/{id}.',
      params: idParam,
      response: {
        200: z.object({
          items: z.array(
            z.object({ id: z.number(), provider: z.string(), status: z.enum(PAYMENT_STATUSES), amountFen: z.number().int(), createdAt: z.string() }),
          ),
        }),
        ...commonErrors,
      },
    },
    handler: async (req) => {
      await s.orders.get(req.actor, req.params.id);
      const rows = await s.payments.listForOrder(req.params.id);
      return { items: rows.map((p) => ({ id: p.id, provider: p.provider, status: p.status, amountFen: p.amountFen, createdAt: p.createdAt.toISOString() })) };
    },
  });

  r.post('/orders/:id/cancel', {
    schema: { tags, summary: 'Cancel an unpaid order; its stock is released at once', params: idParam, response: { 200: orderView, ...commonErrors } },
    handler: async (req) => s.lifecycle.cancel(req.actor, req.params.id),
  });

  r.post('/orders/:id/events', {
    schema: {
      tags,
      summary: 'Move a paid order along: fulfil, mark_ready, complete (store staff, the leader, operators)',
      params: idParam,
      body: z.object({ event: z.enum(['fulfil', 'mark_ready', 'complete']) }),
      response: { 200: orderView, ...commonErrors },
    },
    handler: async (req) => s.lifecycle.advance(req.actor, req.params.id, req.body.event),
  });

  r.get('/orders/:id/refunds', {
    schema: { tags, summary: 'Refunds of an order', params: idParam, response: { 200: z.object({ items: z.array(refundView) }), ...commonErrors } },
    handler: async (req) => ({ items: json(await s.refunds.refundsOf(req.actor, req.params.id)) }),
  });

  r.post('/orders/:id/refunds', {
    schema: {
      tags,
      summary: 'Refund an order in full, or some units of some lines (operator; Idempotency-Key)',
      description: 'Commissions are reversed in proportion; restock returns units that never left stock.',
      params: idParam,
      headers: idempotencyHeader,
      body: refundBody,
      response: { 201: refundView, ...failure },
    },
    handler: async (req, reply) => {
      const a = requireActor(req.actor);
      if (!isOperator(a)) throw forbidden('only operators issue refunds; buyers open an after-sales request');
      const key = readIdempotencyKey(req.headers);
      const res = await runIdempotent(s.db, { scope: `refund:${req.params.id}`, key, request: req.body }, async (tx) => ({
        status: 201,
        body: json(await s.refunds.refund(a, req.params.id, req.body, tx)),
      }));
      return reply.status(res.status as 201).send(res.body);
    },
  });

  r.get('/orders/:id/after-sales', {
    schema: { tags, summary: 'After-sales requests of an order', params: idParam, response: { 200: z.object({ items: z.array(afterSalesView) }), ...commonErrors } },
    handler: async (req) => ({ items: json(await s.refunds.afterSalesOf(req.actor, req.params.id)) }),
  });

  r.post('/orders/:id/after-sales', {
    schema: {
      tags,
      summary: 'Ask for money back on some units, with a reason and photos (the buyer)',
      params: idParam,
      body: afterSalesBody,
      response: { 201: afterSalesView, ...commonErrors },
    },
    handler: async (req, reply) => reply.status(201).send(json(await s.refunds.openAfterSales(req.actor, req.params.id, req.body))),
  });

  r.get('/after-sales', {
    schema: {
      tags,
      summary: 'After-sales requests: mine, or all for an operator',
      querystring: pageQuery.extend({ status: z.enum(['open', 'approved', 'rejected', 'withdrawn']).optional() }),
      response: { 200: pageOf(afterSalesView), ...commonErrors },
    },
    handler: async (req) => json(await s.refunds.listAfterSales(req.actor, req.query)),
  });

  r.post('/after-sales/:id/decision', {
    schema: {
      tags,
      summary: 'Approve (refund at once) or reject an after-sales request (operator; Idempotency-Key)',
      params: idParam,
      headers: idempotencyHeader,
      body: z.object({ decision: z.enum(['approve', 'reject']), note: z.string().max(200).default('') }),
      response: { 200: z.object({ request: afterSalesView, refund: refundView.nullable() }), ...failure },
    },
    handler: async (req, reply) => {
      const a = requireActor(req.actor);
      if (!isOperator(a)) throw forbidden('only operators decide after-sales requests');
      const key = readIdempotencyKey(req.headers);
      const res = await runIdempotent(s.db, { scope: `after-sales:${req.params.id}`, key, request: req.body }, async (tx) => ({
        status: 200,
        body: json(await s.refunds.decideAfterSales(a, req.params.id, req.body.decision, req.body.note, tx)),
      }));
      return reply.status(res.status as 200).send(res.body);
    },
  });

  // ── operator and store views ─────────────────────────────────────────────────
  r.get('/admin/orders', {
    schema: {
      tags,
      summary: 'Every order, filtered (operator)',
      querystring: pageQuery.extend({
        status: z.enum(ORDER_STATUSES).optional(),
        channel: z.enum(CHANNELS).optional(),
        regionId: positiveId.optional(),
        storeId: positiveId.optional(),
        pickupPointId: positiveId.optional(),
        buyerAccountId: positiveId.optional(),
      }),
      response: { 200: pageOf(orderView), ...commonErrors },
    },
    handler: async (req) => s.orders.list(req.actor, req.query),
  });

  r.get('/admin/orders/summary', {
    schema: {
      tags,
      summary: 'Order counts by status (operator)',
      response: { 200: z.object({ byStatus: z.array(z.object({ status: z.enum(ORDER_STATUSES), count: z.number() })) }), ...commonErrors },
    },
    handler: async (req) => {
      if (!isOperator(requireActor(req.actor))) throw forbidden('operators only');
      return { byStatus: await s.orders.statusCounts() };
    },
  });

  r.get('/admin/refunds', {
    schema: { tags, summary: 'Every refund, newest first (operator)', querystring: pageQuery, response: { 200: pageOf(refundView), ...commonErrors } },
    handler: async (req) => json(await s.refunds.listRefunds(req.actor, req.query)),
  });

  r.get('/stores/:id/orders', {
    schema: {
      tags,
      summary: 'A store’s orders (its owner, clerks, operators)',
      params: idParam,
      querystring: pageQuery.extend({ status: z.enum(ORDER_STATUSES).optional() }),
      response: { 200: pageOf(orderView), ...commonErrors },
    },
    handler: async (req) => s.orders.listForStore(req.actor, req.params.id, req.query),
  });

  // ── stock ────────────────────────────────────────────────────────────────────
  const stockTags = ['stock'];
  const locationOf = async (p: { warehouseId?: number | undefined; storeId?: number | undefined }) => {
    if (p.warehouseId !== undefined) {
      await s.place.warehouses.get(p.warehouseId).catch(() => {
        throw badInput('warehouseId', `warehouse ${p.warehouseId} does not exist`);
      });
      return s.inventory.locationOfWarehouse(p.warehouseId);
    }
    await s.place.stores.get(p.storeId!).catch(() => {
      throw badInput('storeId', `store ${p.storeId} does not exist`);
    });
    return s.inventory.locationOfStore(p.storeId!);
  };

  r.get('/stock', {
    schema: {
      tags: stockTags,
      summary: 'Stock at a warehouse (operator, warehouse staff) or a store (its owner, clerks, operators)',
      querystring: z.object({
        warehouseId: positiveId.optional(),
        storeId: positiveId.optional(),
        afterSkuId: z.coerce.number().int().min(0).default(0),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      response: { 200: z.object({ items: z.array(stockLevel) }), ...commonErrors },
    },
    handler: async (req) => {
      const place = stockPlace.safeParse(req.query);
      if (!place.success) throw badInput('warehouseId', 'give exactly one of warehouseId or storeId');
      await requireStockAccess(s, req.actor, req.query);
      const loc = await locationOf(req.query);
      return { items: json(await s.inventory.levelsAt(loc, { afterSkuId: req.query.afterSkuId, limit: req.query.limit })) };
    },
  });

  r.post('/stock/receipts', {
    schema: {
      tags: stockTags,
      summary: 'Goods arrived: raise on-hand stock (Idempotency-Key)',
      headers: idempotencyHeader,
      body: z.object({
        warehouseId: positiveId.optional(),
        storeId: positiveId.optional(),
        skuId: positiveId,
        quantity: z.number().int().min(1).max(1_000_000),
      }),
      response: { 201: z.object({ skuId: z.number(), onHand: z.number(), reserved: z.number() }), ...failure },
    },
    handler: async (req, reply) => {
      if (!stockPlace.safeParse(req.body).success) throw badInput('warehouseId', 'give exactly one of warehouseId or storeId');
      const a = await requireStockAccess(s, req.actor, req.body);
      const key = readIdempotencyKey(req.headers);
      const loc = await locationOf(req.body);
      const res = await runIdempotent(s.db, { scope: `stock:${a.accountId}`, key, request: req.body }, async (tx) => {
        const level = await s.inventory.receive({ locationId: loc, skuId: req.body.skuId, quantity: req.body.quantity, actorId: a.accountId }, tx);
        return { status: 201, body: { skuId: level.skuId, onHand: level.onHand, reserved: level.reserved } };
      });
      return reply.status(res.status as 201).send(res.body);
    },
  });

  r.post('/stock/counts', {
    schema: {
      tags: stockTags,
      summary: 'A stock count: on-hand becomes what was counted (not below what unpaid orders hold)',
      body: z.object({ warehouseId: positiveId.optional(), storeId: positiveId.optional(), skuId: positiveId, counted: z.number().int().min(0).max(1_000_000) }),
      response: { 200: z.object({ skuId: z.number(), onHand: z.number(), reserved: z.number() }), ...commonErrors },
    },
    handler: async (req) => {
      if (!stockPlace.safeParse(req.body).success) throw badInput('warehouseId', 'give exactly one of warehouseId or storeId');
      const a = await requireStockAccess(s, req.actor, req.body);
      const loc = await locationOf(req.body);
      const level = await s.inventory.count({ locationId: loc, skuId: req.body.skuId, counted: req.body.counted, actorId: a.accountId });
      return { skuId: level.skuId, onHand: level.onHand, reserved: level.reserved };
    },
  });
}

/** Warehouses: operators and warehouse staff. A store: its owner and clerks, and operators. */
async function requireStockAccess(s: Services, actor: Parameters<typeof requireActor>[0], p: { warehouseId?: number | undefined; storeId?: number | undefined }) {
  const a = requireActor(actor);
  if (isOperator(a)) return a;
  if (p.warehouseId !== undefined) {
    if (a.roles.has('warehouse_staff')) return a;
    throw forbidden('only operators and warehouse staff manage warehouse stock');
  }
  if (p.storeId !== undefined && (await s.orders.worksAtStore(a, p.storeId))) return a;
  throw forbidden('only this store’s owner, its clerks or an operator manage its stock');
}
