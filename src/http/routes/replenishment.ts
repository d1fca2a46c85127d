import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readIdempotencyKey } from '../../modules/idempotency';
import type { Services } from '../../services';
import { commonErrors, errorBody, idParam, pageOf, pageQuery } from '../schemas';
import { checkoutResponse, idempotencyHeader, orderView } from './orders.schemas';

/**
 * Rows with Date fields → the JSON the client sees, so stored replays and first answers match.
 * Typed `never` because the response schema, not TypeScript, checks the shape of the result.
 */
const json = (v: unknown): never => JSON.parse(JSON.stringify(v)) as never;
const positiveId = z.coerce.number().int().positive();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const failure = { ...commonErrors, 422: errorBody, 502: errorBody };

const replenishmentOrder = orderView.extend({
  deliveryDate: z.string().describe('the China-time day it travels with the region’s wave'),
  receivedAt: z.string().nullable(),
});

const wholesaleItem = z.object({
  skuId: z.number(),
  title: z.string(),
  spec: z.string(),
  unit: z.string(),
  wholesalePriceFen: z.number().int(),
  caseSize: z.number().int().describe('units per case; orders are in whole cases'),
  retailPriceFen: z.number().int().describe('the region’s shelf price'),
  available: z.number().int().describe('units the central warehouse can still sell'),
});

const suggestionLine = z.object({
  skuId: z.number(),
  title: z.string(),
  spec: z.string(),
  unit: z.string(),
  reason: z.enum(['low_stock', 'neighbourhood']),
  onHand: z.number().int().describe('on the shelf: on hand − held for unpaid orders'),
  onOrder: z.number().int().describe('on replenishment orders not yet received'),
  velocityPerDay: z.number().describe('units a day over the last 14 days (the store’s own, or the neighbourhood’s)'),
  suggested: z.number().int().describe('whole cases; one case to try for a neighbourhood line'),
  wholesalePriceFen: z.number().int(),
  caseSize: z.number().int(),
});

const financeFigures = {
  counterFen: z.number().int(),
  onlineFen: z.number().int(),
  costFen: z.number().int(),
  refundsFen: z.number().int().describe('refunded (so far) of the sales paid that day; counter + online are net of it'),
  marginFen: z.number().int(),
  orders: z.number().int(),
};

export function replenishmentRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['stores'];
  const storeOrderParams = z.object({ id: positiveId, orderId: positiveId });

  r.get('/stores/:id/wholesale', {
    schema: {
      tags,
      summary: 'The wholesale catalogue the store buys from (its owner, clerks)',
      params: idParam,
      querystring: pageQuery.extend({ q: z.string().max(64).optional().describe('words of the product name') }),
      response: { 200: pageOf(wholesaleItem), ...commonErrors },
    },
    handler: async (req) => s.replenishment.catalogue(req.actor, req.params.id, req.query),
  });

  r.get('/stores/:id/replenishment/suggestions', {
    schema: {
      tags,
      summary: 'The suggested order: own SKUs running short, then what sells nearby (owner, clerks)',
      params: idParam,
      querystring: z.object({ targetDays: z.coerce.number().int().min(1).max(60).optional().describe('days of cover wanted (default 7)') }),
      response: { 200: z.object({ lines: z.array(suggestionLine), targetDays: z.number().int() }), ...commonErrors },
    },
    handler: async (req) => s.replenishment.suggestions(req.actor, req.params.id, req.query),
  });

  r.post('/stores/:id/replenishment/orders', {
    schema: {
      tags,
      summary: 'Order stock at wholesale prices, paid like any order (the owner; Idempotency-Key)',
      description: 'Whole cases only. The order travels with the region’s next wave (deliveryDate) and is counted in with …/receive.',
      params: idParam,
      headers: idempotencyHeader,
      body: z.object({ lines: z.array(z.object({ skuId: positiveId, quantity: z.number().int().min(1).max(999) })).min(1).max(50) }),
      response: { 201: checkoutResponse.extend({ order: replenishmentOrder }), 200: checkoutResponse.extend({ order: replenishmentOrder }), ...failure },
    },
    handler: async (req, reply) => {
      const key = readIdempotencyKey(req.headers);
      const placed = await s.replenishmentFlow.placeOrder(req.actor, req.params.id, req.body, key);
      if (placed.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(placed.status as 201).send(json(placed.body));
    },
  });

  r.get('/stores/:id/replenishment/orders', {
    schema: {
      tags,
      summary: 'The store’s replenishment orders, newest first (owner, clerks)',
      params: idParam,
      querystring: pageQuery,
      response: { 200: pageOf(replenishmentOrder), ...commonErrors },
    },
    handler: async (req) => json(await s.replenishmentFlow.list(req.actor, req.params.id, req.query)),
  });

  r.post('/stores/:id/replenishment/orders/:orderId/receive', {
    schema: {
      tags,
      summary: 'Count a delivered replenishment order in (owner, clerks; Idempotency-Key)',
      description: 'Every line counted once. Received units go into the store’s stock, shortfalls are refunded, and the order completes.',
      params: storeOrderParams,
      headers: idempotencyHeader,
      body: z.object({ lines: z.array(z.object({ skuId: positiveId, received: z.number().int().min(0).max(999) })).min(1).max(50) }),
      response: { 200: replenishmentOrder, ...failure },
    },
    handler: async (req, reply) => {
      const key = readIdempotencyKey(req.headers);
      const res = await s.replenishmentFlow.receive(req.actor, req.params.id, req.params.orderId, req.body, key);
      if (res.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(200).send(json(res.body));
    },
  });

  r.get('/stores/:id/finance', {
    schema: {
      tags,
      summary: 'Daily takings by channel, cost, margin and the owner’s ledger balances (the owner)',
      description: 'Days are China time; at most 92. Payouts: POST /api/ledger/payouts.',
      params: idParam,
      querystring: z.object({ from: day.optional(), to: day.optional() }),
      response: {
        200: z.object({
          days: z.array(z.object({ day: z.string(), ...financeFigures })),
          totals: z.object(financeFigures),
          balance: z.object({
            frozenFen: z.number().int(),
            availableFen: z.number().int(),
            payoutPendingFen: z.number().int(),
            lifetimeEarnedFen: z.number().int(),
            paidOutFen: z.number().int(),
          }),
        }),
        ...commonErrors,
      },
    },
    handler: async (req) => s.storeFinance.finance(req.actor, req.params.id, req.query),
  });
}
