// The cutoff wave over HTTP (docs/groupbuy.md, "The wave"): run it, and read what it made —
// purchase orders, sorting lists, routes, manifests — as JSON or as CSV for a spreadsheet.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readIdempotencyKey, runIdempotent } from '../../modules/idempotency';
import { requireRole } from '../../modules/people';
import type { Services } from '../../services';
import { commonErrors, errorBody, idParam, pageOf, pageQuery } from '../schemas';

const positiveId = z.coerce.number().int().positive();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD');

const waveSummary = z.object({
  id: z.number(),
  regionId: z.number(),
  pickupDate: z.string(),
  status: z.string(),
  campaignIds: z.array(z.number()),
  orders: z.number().int(),
  items: z.number().int(),
  purchaseOrders: z.number().int(),
  sortLines: z.number().int(),
  routes: z.number().int(),
  stops: z.number().int(),
  routePlanner: z.string().describe("'hgs' (the routing engine) or 'fallback' (sweep by angle)"),
  timings: z.object({ freezeMs: z.number(), purchaseMs: z.number(), sortMs: z.number(), routeMs: z.number(), totalMs: z.number() }),
  createdAt: z.string(),
});

const skuLine = { skuId: z.number(), title: z.string(), spec: z.string(), unit: z.string(), quantity: z.number().int() };

const purchaseOrder = z.object({
  id: z.number(),
  supplier: z.object({ id: z.number(), name: z.string() }).nullable(),
  centralWarehouse: z.object({ id: z.number(), name: z.string() }),
  status: z.string(),
  lines: z.array(z.object({ ...skuLine, receivedQuantity: z.number().int().nullable(), damagedQuantity: z.number().int().nullable() })),
});

const stop = z.object({
  seq: z.number().int(),
  pickupPoint: z.object({ id: z.number(), name: z.string(), address: z.string(), lat: z.number(), lng: z.number() }),
  crates: z.number().int(),
  items: z.number().int(),
  orders: z.number().int(),
});

const routeFields = {
  id: z.number(),
  waveId: z.number(),
  seq: z.number().int(),
  name: z.string(),
  gridWarehouse: z.object({ id: z.number(), name: z.string(), lat: z.number(), lng: z.number() }),
  capacityCrates: z.number().int(),
  loadCrates: z.number().int(),
  distanceM: z.number().int(),
  status: z.string(),
  driver: z.object({ accountId: z.number(), displayName: z.string() }).nullable(),
};
/** A delivery route with its stops in visiting order (also the answer of a dispatch). */
export const routeView = z.object({ ...routeFields, stops: z.array(stop) });
const manifest = z.object({ ...routeFields, stops: z.array(stop.extend({ lines: z.array(z.object(skuLine)) })) });

const sorting = z.object({
  gridWarehouse: z.object({ id: z.number(), name: z.string() }),
  routes: z.array(
    z.object({
      routeId: z.number(),
      seq: z.number().int(),
      stops: z.array(
        z.object({
          seq: z.number().int(),
          pickupPoint: z.object({ id: z.number(), name: z.string(), address: z.string() }),
          lines: z.array(z.object({ ...skuLine, orders: z.number().int() })),
        }),
      ),
    }),
  ),
});

const csvReply = (file: string) => ({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${file}"` });

export function waveRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['waves'];

  r.post('/admin/waves', {
    schema: {
      tags,
      summary: 'Run the cutoff wave of a region and pickup day, or find the one already run (operator; Idempotency-Key)',
      description:
        'Cuts off the published campaigns past their cutoff, closes their unpaid orders (the paid ones stay paid until their route is dispatched), writes purchase orders, sorting lines and delivery routes. 409 when no campaign is due.',
      headers: z.object({ 'idempotency-key': z.string().optional().describe('required: a unique key per intended run') }),
      body: z.object({ regionId: positiveId, pickupDate: day }),
      response: { 200: waveSummary, ...commonErrors, 422: errorBody },
    },
    handler: async (req, reply) => {
      const a = requireRole(req.actor, 'operator');
      const key = readIdempotencyKey(req.headers);
      const res = await runIdempotent(s.db, { scope: 'wave', key, request: req.body }, async (tx) => ({
        status: 200,
        body: (await s.wave.run(a, req.body, tx)).wave,
      }));
      if (res.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(200).send(res.body);
    },
  });

  r.get('/admin/waves', {
    schema: {
      tags,
      summary: 'Waves, newest first (operators, warehouse staff)',
      querystring: pageQuery.extend({ regionId: positiveId.optional() }),
      response: { 200: pageOf(waveSummary), ...commonErrors },
    },
    handler: async (req) => s.waves.list(req.actor, req.query),
  });

  r.get('/admin/waves/:id', {
    schema: { tags, summary: 'One wave (operators, warehouse staff)', params: idParam, response: { 200: waveSummary, ...commonErrors } },
    handler: async (req) => s.waves.get(req.actor, req.params.id),
  });

  r.get('/admin/waves/:id/purchase-orders', {
    schema: {
      tags,
      summary: 'Purchase orders of a wave, one per supplier (operators, warehouse staff)',
      params: idParam,
      response: { 200: z.array(purchaseOrder), ...commonErrors },
    },
    handler: async (req) => s.waves.purchaseOrders(req.actor, req.params.id),
  });

  r.get('/admin/waves/:id/purchase-orders.csv', {
    schema: { tags, summary: 'Purchase orders as CSV (UTF-8 with BOM, for Excel)', params: idParam, response: { 200: z.string(), ...commonErrors } },
    handler: async (req, reply) => reply.headers(csvReply(`wave-${req.params.id}-purchase-orders.csv`)).send(await s.waves.purchaseOrdersCsv(req.actor, req.params.id)),
  });

  const sortingQuery = z.object({ gridWarehouseId: positiveId.optional() });
  r.get('/admin/waves/:id/sorting', {
    schema: {
      tags,
      summary: 'Sorting list: grid warehouse → route → stop → SKU (operators, warehouse staff)',
      params: idParam,
      querystring: sortingQuery,
      response: { 200: z.array(sorting), ...commonErrors },
    },
    handler: async (req) => s.waves.sorting(req.actor, req.params.id, req.query.gridWarehouseId),
  });

  r.get('/admin/waves/:id/sorting.csv', {
    schema: { tags, summary: 'Sorting list as CSV (UTF-8 with BOM, for Excel)', params: idParam, querystring: sortingQuery, response: { 200: z.string(), ...commonErrors } },
    handler: async (req, reply) =>
      reply.headers(csvReply(`wave-${req.params.id}-sorting.csv`)).send(await s.waves.sortingCsv(req.actor, req.params.id, req.query.gridWarehouseId)),
  });

  r.get('/admin/waves/:id/routes', {
    schema: { tags, summary: 'Delivery routes of a wave (operators, warehouse staff)', params: idParam, response: { 200: z.array(routeView), ...commonErrors } },
    handler: async (req) => s.waves.routes(req.actor, req.params.id),
  });

  r.get('/routes/:id/manifest', {
    schema: {
      tags,
      summary: 'A route’s manifest: stops in visiting order with what to hand over (operators, warehouse staff, the route’s driver)',
      params: idParam,
      response: { 200: manifest, ...commonErrors },
    },
    handler: async (req) => s.waves.manifest(req.actor, req.params.id),
  });

  r.get('/driver/routes', {
    schema: {
      tags,
      summary: 'My routes for a day (driver; default today, China time)',
      querystring: z.object({ date: day.optional() }),
      response: { 200: z.array(routeView), ...commonErrors },
    },
    handler: async (req) => s.waves.driverRoutes(req.actor, req.query.date),
  });

  r.post('/admin/routes/:id/driver', {
    schema: {
      tags,
      summary: 'Assign a driver to a route (operator)',
      params: idParam,
      body: z.object({ driverAccountId: positiveId }),
      response: { 200: routeView, ...commonErrors },
    },
    handler: async (req) => s.waves.assignDriver(req.actor, req.params.id, req.body.driverAccountId),
  });
}
