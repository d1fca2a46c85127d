// Hand-offs and pickup (docs/groupbuy.md, "Hand-offs and pickup"): central receipt, route
// dispatch, the leader's arrival sign-off with shortage refunds, pickup codes, lookup, pickup
// and undo, and the leader's order and after-sales screens.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../modules/people';
import { readIdempotencyKey, runIdempotent } from '../../modules/idempotency';
import type { Services } from '../../services';
import { commonErrors, errorBody, idParam, pageOf, pageQuery } from '../schemas';
import { afterSalesView, idempotencyHeader } from './orders.schemas';
import { routeView } from './waves';

/** Rows with Date fields → JSON text, so first answers and idempotent replays match. */
const json = (v: unknown): never => JSON.parse(JSON.stringify(v)) as never;
const isoText = z.string().describe('ISO 8601 time');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD');
const positiveId = z.coerce.number().int().positive();
const units = z.number().int().min(0).max(1_000_000);
const failure = { ...commonErrors, 422: errorBody, 502: errorBody };

const countBody = z.object({
  lines: z.array(z.object({ skuId: z.number().int().positive(), received: units, damaged: units })).min(1).max(500),
  note: z.string().max(200).optional(),
});

const handoff = z.object({
  id: z.number(),
  waveId: z.number(),
  kind: z.enum(['central_receipt', 'grid_receipt', 'point_arrival']),
  purchaseOrderId: z.number().nullable(),
  gridWarehouseId: z.number().nullable(),
  pickupPointId: z.number().nullable(),
  signedBy: z.number(),
  signedAt: isoText,
  note: z.string(),
  lines: z.array(
    z.object({
      skuId: z.number(),
      title: z.string(),
      expected: z.number().int(),
      received: z.number().int(),
      damaged: z.number().int(),
      missing: z.number().int().describe('expected − received: damaged units count as not received'),
    }),
  ),
});

const person = z.object({ accountId: z.number(), displayName: z.string() });


const candidateLine = z.object({
  orderLineId: z.number(),
  title: z.string(),
  spec: z.string(),
  quantity: z.number().int(),
  refundedQuantity: z.number().int(),
  pickedQuantity: z.number().int(),
  remaining: z.number().int().describe('quantity − refunded − picked: what can still be handed over'),
});

const candidate = z.object({
  orderId: z.number(),
  relayNo: z.number().int().describe('跟团号: the order’s place among the point’s paid orders of its campaign'),
  buyerName: z.string(),
  status: z.string(),
  lines: z.array(candidateLine),
});

const incident = z.object({
  id: z.number(),
  supplier: z.object({ id: z.number(), name: z.string() }).nullable(),
  waveId: z.number(),
  handoffId: z.number(),
  handoffKind: z.enum(['central_receipt', 'grid_receipt', 'point_arrival']),
  pickupPointId: z.number().nullable(),
  skuId: z.number(),
  title: z.string(),
  spec: z.string(),
  kind: z.enum(['shortage', 'damage']),
  quantity: z.number().int(),
  createdAt: isoText,
});

export function handoffRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['hand-offs'];

  r.post('/purchase-orders/:id/receipt', {
    schema: {
      tags,
      summary: 'Count a purchase order in at the central warehouse (warehouse staff, operator; Idempotency-Key)',
      description:
        'Every SKU of the order once: received (good) and damaged units. Short and damaged units become supplier incidents. The goods are cross-docked to the grid warehouses, not put into central stock. A second receipt of the same order is 409.',
      params: idParam,
      headers: idempotencyHeader,
      body: countBody,
      response: { 201: handoff, ...failure },
    },
    handler: async (req, reply) => {
      const a = requireActor(req.actor);
      const key = readIdempotencyKey(req.headers);
      const res = await runIdempotent(s.db, { scope: `po-receipt:${req.params.id}:${a.accountId}`, key, request: req.body }, async (tx) => ({
        status: 201,
        body: json(await s.handoffs.receivePurchaseOrder(a, req.params.id, req.body, tx)),
      }));
      return reply.status(res.status as 201).send(res.body);
    },
  });

  r.get('/admin/waves/:id/grid-shares', {
    schema: {
      tags,
      summary: 'What the wave sends each grid warehouse, and its sign-off once counted in (warehouse staff, operator)',
      params: idParam,
      response: {
        200: z.array(
          z.object({
            gridWarehouse: z.object({ id: z.number(), name: z.string() }),
            lines: z.array(z.object({ skuId: z.number(), title: z.string(), spec: z.string(), unit: z.string(), expected: z.number().int() })),
            handoff: handoff.nullable(),
          }),
        ),
        ...commonErrors,
      },
    },
    handler: async (req) => json(await s.gridReceipts.shares(req.actor, req.params.id)),
  });

  r.post('/waves/:id/grid-receipts', {
    schema: {
      tags,
      summary: 'A grid warehouse counts in its share of a wave from the central warehouse (warehouse staff, operator; Idempotency-Key)',
      description:
        'Every SKU of the share once: received (good) and damaged units. Recorded on the hand-off; residents are refunded for what their pickup point finally lacks at arrival, so a unit is refunded once. A second count of the same grid warehouse is 409.',
      params: idParam,
      headers: idempotencyHeader,
      body: countBody.extend({ gridWarehouseId: positiveId }),
      response: { 201: handoff, ...failure },
    },
    handler: async (req, reply) => {
      const a = requireActor(req.actor);
      const key = readIdempotencyKey(req.headers);
      const { gridWarehouseId, ...count } = req.body;
      const res = await runIdempotent(s.db, { scope: `grid-receipt:${req.params.id}:${gridWarehouseId}:${a.accountId}`, key, request: req.body }, async (tx) => ({
        status: 201,
        body: json(await s.gridReceipts.receive(a, req.params.id, gridWarehouseId, count, tx)),
      }));
      return reply.status(res.status as 201).send(res.body);
    },
  });

  r.post('/routes/:id/dispatch', {
    schema: {
      tags,
      summary: 'A route leaves its grid warehouse (warehouse staff, operator, the route’s driver)',
      description: 'The paid orders of its stops in the wave’s campaigns become fulfilling (on their way). Dispatching a dispatched route again answers the route as it is.',
      params: idParam,
      response: { 200: routeView, ...commonErrors },
    },
    handler: async (req) => json(await s.handoffs.dispatchRoute(req.actor, req.params.id)),
  });

  r.get('/leader/arrivals', {
    schema: {
      tags,
      summary: 'What each wave sends my pickup point, and my sign-off (leader)',
      querystring: z.object({ date: day.optional().describe('pickup day; default the latest two weeks') }),
      response: {
        200: z.array(
          z.object({
            waveId: z.number(),
            pickupDate: z.string(),
            route: z.object({ id: z.number(), name: z.string(), driver: person.nullable() }).nullable(),
            lines: z.array(z.object({ skuId: z.number(), title: z.string(), spec: z.string(), unit: z.string(), expected: z.number().int() })),
            handoff: handoff.nullable(),
          }),
        ),
        ...commonErrors,
      },
    },
    handler: async (req) => json(await s.handoffs.arrivals(req.actor, req.query.date)),
  });

  r.post('/pickup-points/:id/arrival', {
    schema: {
      tags,
      summary: 'Sign for a wave’s goods at the pickup point (its leader, operator; Idempotency-Key)',
      description:
        'Every expected SKU once. Missing units (expected − received) are refunded at once to the residents who joined the relay list last; short and damaged units become supplier incidents; the point’s orders of the wave become ready. A second sign-off is 409.',
      params: idParam,
      headers: idempotencyHeader,
      body: countBody.extend({ waveId: z.number().int().positive() }),
      response: {
        200: z.object({
          handoff,
          shortages: z.array(
            z.object({
              skuId: z.number(),
              title: z.string(),
              missing: z.number().int(),
              refunds: z.array(z.object({ orderId: z.number(), refundId: z.number(), quantity: z.number().int(), amountFen: z.number().int() })),
            }),
          ),
        }),
        ...failure,
      },
    },
    handler: async (req, reply) => {
      const a = requireActor(req.actor);
      const key = readIdempotencyKey(req.headers);
      const res = await runIdempotent(s.db, { scope: `arrival:${req.params.id}:${a.accountId}`, key, request: req.body }, async (tx) => ({
        status: 200,
        body: json(await s.handoffs.signArrival(a, req.params.id, req.body, tx)),
      }));
      return reply.status(res.status as 200).send(res.body);
    },
  });

  // ── pickup (核销) ─────────────────────────────────────────────────────────────
  r.get('/orders/:id/pickup-code', {
    schema: {
      tags,
      summary: 'My pickup code and QR text for a group-buy order (the buyer only)',
      params: idParam,
      response: {
        200: z.object({
          code: z.string(),
          qr: z.string().describe('linli:pickup:<orderId>:<code>'),
          relayNo: z.number().int().nullable().describe('the order’s number on its point’s relay list (跟团号)'),
        }),
        ...commonErrors,
      },
    },
    handler: async (req) => s.pickup.codeOf(req.actor, req.params.id),
  });

  r.post('/pickup-points/:id/pickups/lookup', {
    schema: {
      tags,
      summary: 'Find the order a pickup code or QR belongs to (the point’s leader, operator)',
      description: 'A code that matches none of the point’s open orders answers [] (not an error).',
      params: idParam,
      body: z.object({ code: z.string().max(32).optional(), qr: z.string().max(200).optional() }),
      response: { 200: z.array(candidate), ...commonErrors },
    },
    handler: async (req) => s.pickup.lookup(req.actor, req.params.id, req.body),
  });

  r.post('/pickup-points/:id/pickups', {
    schema: {
      tags,
      summary: 'Hand over an order, or some units of it (the point’s leader, operator; Idempotency-Key)',
      description: 'No lines: everything left. The order must be ready (signed in at the point). When nothing is left the order completes.',
      params: idParam,
      headers: idempotencyHeader,
      body: z.object({
        orderId: z.number().int().positive(),
        code: z.string().max(32),
        lines: z.array(z.object({ orderLineId: z.number().int().positive(), quantity: z.number().int().min(1).max(9999) })).max(100).optional(),
      }),
      response: { 200: z.object({ scanId: z.string(), orderId: z.number(), completed: z.boolean(), lines: z.array(candidateLine) }), ...failure },
    },
    handler: async (req, reply) => {
      const a = requireActor(req.actor);
      const key = readIdempotencyKey(req.headers);
      const res = await runIdempotent(s.db, { scope: `pickup:${req.params.id}:${a.accountId}`, key, request: req.body }, async (tx) => ({
        status: 200,
        body: await s.pickup.pickup(a, req.params.id, req.body, tx),
      }));
      if (res.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(res.status as 200).send(res.body);
    },
  });

  r.post('/pickups/:scanId/undo', {
    schema: {
      tags,
      summary: 'Undo a pickup within the region’s undo window (the leader who scanned, operator)',
      description: '`undone` counts the units taken back. A completed order returns to ready. 409 after the window.',
      params: z.object({ scanId: z.string().min(1).max(64) }),
      response: { 200: z.object({ orderId: z.number(), undone: z.number().int() }), ...commonErrors },
    },
    handler: async (req) => s.pickup.undo(req.actor, req.params.scanId),
  });

  // ── the leader's screens ─────────────────────────────────────────────────────
  r.get('/leader/orders', {
    schema: {
      tags,
      summary: 'My pickup point’s paid orders with relay numbers, newest first (leader)',
      querystring: pageQuery.extend({ campaignId: positiveId.optional(), date: day.optional().describe('the campaign’s pickup day') }),
      response: {
        200: pageOf(
          z.object({
            orderId: z.number(),
            relayNo: z.number().int(),
            buyerName: z.string(),
            status: z.string(),
            totalFen: z.number().int(),
            refundedFen: z.number().int(),
            lines: z.array(candidateLine.omit({ remaining: true })),
            pickedAt: isoText.nullable(),
          }),
        ),
        ...commonErrors,
      },
    },
    handler: async (req) => json(await s.pickup.leaderOrders(req.actor, req.query)),
  });

  r.get('/leader/after-sales', {
    schema: {
      tags,
      summary: 'After-sales requests on my pickup point’s orders (leader; operators decide them)',
      querystring: pageQuery.extend({ status: z.enum(['open', 'approved', 'rejected', 'withdrawn']).optional() }),
      response: { 200: pageOf(afterSalesView.extend({ relayNo: z.number().int().nullable(), buyerName: z.string().nullable() })), ...commonErrors },
    },
    handler: async (req) => json(await s.pickup.leaderAfterSales(req.actor, req.query)),
  });

  r.get('/admin/supplier-incidents', {
    schema: {
      tags,
      summary: 'Short and damaged units charged to suppliers, newest first (operator)',
      querystring: pageQuery.extend({ waveId: positiveId.optional(), supplierId: positiveId.optional() }),
      response: { 200: pageOf(incident), ...commonErrors },
    },
    handler: async (req) => json(await s.handoffs.incidents(req.actor, req.query)),
  });
}
