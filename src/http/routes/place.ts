// Place (场) routes: regions, communities, warehouses, pickup points, stores, clerks, homes,
// nearby and the map. Reads of places are public; every write needs a session, and the
// services decide who may write what.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor } from '../../kernel';
import { badgeOf } from '../../modules/trust';
import type { Services } from '../../services';
import { commonErrors, idParam, pageOf } from '../schemas';
import * as s from './place.schemas';
import { trustBadge } from './trust.schemas';

// One point or store carries its trust score and parts, as the cards and rankings do.
const pickupPointWithTrust = s.pickupPoint.extend({ trust: trustBadge });
const storeWithTrust = s.store.extend({ trust: trustBadge });

export function placeRoutes(app: FastifyInstance, { place, trust }: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // ── regions ──────────────────────────────────────────────────────────────
  {
    const tags = ['place: regions'];
    r.get('/regions', {
      schema: { tags, summary: 'List regions (cities and counties)', querystring: s.regionQuery, response: { 200: pageOf(s.region), ...commonErrors } },
      handler: async (req) =>
        place.areas.listRegions({ afterId: decodeCursor(req.query.cursor), limit: req.query.limit, parentId: req.query.parentId, kind: req.query.kind }),
    });
    r.post('/regions', {
      schema: { tags, summary: 'Create a region (operator)', body: s.regionCreate, response: { 201: s.region, ...commonErrors } },
      handler: async (req, reply) => reply.status(201).send(await place.areas.createRegion(req.actor, req.body)),
    });
    r.get('/regions/:id', {
      schema: { tags, summary: 'One region', params: idParam, response: { 200: s.region, ...commonErrors } },
      handler: async (req) => place.areas.getRegion(req.params.id),
    });
    r.patch('/regions/:id', {
      schema: { tags, summary: 'Rename or recode a region (operator)', params: idParam, body: s.regionPatch, response: { 200: s.region, ...commonErrors } },
      handler: async (req) => place.areas.updateRegion(req.actor, req.params.id, req.body),
    });
  }

  // ── communities ──────────────────────────────────────────────────────────
  {
    const tags = ['place: communities'];
    r.get('/communities', {
      schema: { tags, summary: 'List or search communities (小区)', querystring: s.communityQuery, response: { 200: pageOf(s.community), ...commonErrors } },
      handler: async (req) =>
        place.areas.listCommunities({ afterId: decodeCursor(req.query.cursor), limit: req.query.limit, regionId: req.query.regionId, q: req.query.q }),
    });
    r.post('/communities', {
      schema: { tags, summary: 'Create a community (operator)', body: s.communityCreate, response: { 201: s.community, ...commonErrors } },
      handler: async (req, reply) => reply.status(201).send(await place.areas.createCommunity(req.actor, req.body)),
    });
    r.get('/communities/:id', {
      schema: { tags, summary: 'One community', params: idParam, response: { 200: s.community, ...commonErrors } },
      handler: async (req) => place.areas.getCommunity(req.params.id),
    });
    r.patch('/communities/:id', {
      schema: { tags, summary: 'Change a community (operator)', params: idParam, body: s.communityPatch, response: { 200: s.community, ...commonErrors } },
      handler: async (req) => place.areas.updateCommunity(req.actor, req.params.id, req.body),
    });
    r.get('/communities/:id/nearby', {
      schema: {
        tags,
        summary: 'Active pickup points and stores near a community, nearest first',
        params: idParam,
        querystring: s.communityNearbyQuery,
        response: { 200: s.nearbyList, ...commonErrors },
      },
      handler: async (req) => ({
        items: await place.nearCommunity(req.params.id, { ...req.query, includePaused: req.query.includePaused === 'true' }),
      }),
    });
  }

  // ── homes ────────────────────────────────────────────────────────────────
  {
    const tags = ['place: homes'];
    r.get('/me/home', {
      schema: { tags, summary: 'My home community (404 until set)', response: { 200: s.home, ...commonErrors } },
      handler: async (req) => place.areas.getHome(req.actor),
    });
    r.put('/me/home', {
      schema: { tags, summary: 'Set my home community', body: s.homeSet, response: { 200: s.home, ...commonErrors } },
      handler: async (req) => place.areas.setHome(req.actor, req.body.communityId),
    });
  }

  // ── warehouses ───────────────────────────────────────────────────────────
  {
    const tags = ['place: warehouses'];
    r.get('/warehouses', {
      schema: { tags, summary: 'List warehouses', querystring: s.warehouseQuery, response: { 200: pageOf(s.warehouse), ...commonErrors } },
      handler: async (req) =>
        place.warehouses.list({ afterId: decodeCursor(req.query.cursor), limit: req.query.limit, regionId: req.query.regionId, kind: req.query.kind }),
    });
    r.post('/warehouses', {
      schema: { tags, summary: 'Create a central or grid warehouse (operator)', body: s.warehouseCreate, response: { 201: s.warehouse, ...commonErrors } },
      handler: async (req, reply) => reply.status(201).send(await place.warehouses.create(req.actor, req.body)),
    });
    r.get('/warehouses/:id', {
      schema: { tags, summary: 'One warehouse', params: idParam, response: { 200: s.warehouse, ...commonErrors } },
      handler: async (req) => place.warehouses.get(req.params.id),
    });
    r.patch('/warehouses/:id', {
      schema: { tags, summary: 'Change a warehouse; its kind is fixed (operator)', params: idParam, body: s.warehousePatch, response: { 200: s.warehouse, ...commonErrors } },
      handler: async (req) => place.warehouses.update(req.actor, req.params.id, req.body),
    });
    r.get('/warehouses/:id/served', {
      schema: { tags, summary: 'Pickup points and stores a grid warehouse serves', params: idParam, response: { 200: s.served, ...commonErrors } },
      handler: async (req) => place.warehouses.served(req.params.id),
    });
  }

  // ── pickup points ────────────────────────────────────────────────────────
  {
    const tags = ['place: pickup points'];
    r.get('/pickup-points', {
      schema: { tags, summary: 'List pickup points (自提点)', querystring: s.pickupPointQuery, response: { 200: pageOf(s.pickupPoint), ...commonErrors } },
      handler: async (req) => {
        const { cursor, ...filter } = req.query;
        return place.pickupPoints.list({ ...filter, afterId: decodeCursor(cursor) });
      },
    });
    r.post('/pickup-points', {
      schema: { tags, summary: 'Open a pickup point (operator)', body: s.pickupPointCreate, response: { 201: s.pickupPoint, ...commonErrors } },
      handler: async (req, reply) => reply.status(201).send(await place.pickupPoints.create(req.actor, req.body)),
    });
    r.get('/pickup-points/:id', {
      schema: { tags, summary: 'One pickup point, with its trust score (null before its first computation)', params: idParam, response: { 200: pickupPointWithTrust, ...commonErrors } },
      handler: async (req) => {
        const point = await place.pickupPoints.get(req.params.id);
        return { ...point, trust: badgeOf((await trust.view('point', point.id)) ?? undefined) };
      },
    });
    r.patch('/pickup-points/:id', {
      schema: {
        tags,
        summary: 'Change a pickup point (operator: every field; its leader: name, address, hours, capacity, active/paused)',
        params: idParam,
        body: s.pickupPointPatch,
        response: { 200: s.pickupPoint, ...commonErrors },
      },
      handler: async (req) => place.pickupPoints.update(req.actor, req.params.id, req.body),
    });
  }

  // ── stores and clerks ────────────────────────────────────────────────────
  {
    const tags = ['place: stores'];
    r.get('/stores', {
      schema: { tags, summary: 'List stores', querystring: s.storeQuery, response: { 200: pageOf(s.store), ...commonErrors } },
      handler: async (req) => {
        const { cursor, ...filter } = req.query;
        return place.stores.list({ ...filter, afterId: decodeCursor(cursor) });
      },
    });
    r.post('/stores', {
      schema: { tags, summary: 'Sign up a store (operator)', body: s.storeCreate, response: { 201: s.store, ...commonErrors } },
      handler: async (req, reply) => reply.status(201).send(await place.stores.create(req.actor, req.body)),
    });
    r.get('/stores/:id', {
      schema: { tags, summary: 'One store, with its trust score (null before its first computation)', params: idParam, response: { 200: storeWithTrust, ...commonErrors } },
      handler: async (req) => {
        const store = await place.stores.get(req.params.id);
        return { ...store, trust: badgeOf((await trust.view('store', store.id)) ?? undefined) };
      },
    });
    r.patch('/stores/:id', {
      schema: {
        tags,
        summary: 'Change a store (operator: every field; its owner: name, address, hours, delivery radius, active/paused)',
        params: idParam,
        body: s.storePatch,
        response: { 200: s.store, ...commonErrors },
      },
      handler: async (req) => place.stores.update(req.actor, req.params.id, req.body),
    });
    r.get('/stores/:id/clerks', {
      schema: { tags, summary: "A store's clerks (owner, clerks, operator)", params: idParam, response: { 200: z.object({ items: z.array(s.clerk) }), ...commonErrors } },
      handler: async (req) => ({ items: await place.stores.listClerks(req.actor, req.params.id) }),
    });
    r.post('/stores/:id/clerks', {
      schema: { tags, summary: 'Add a clerk by phone or accountId (owner or operator)', params: idParam, body: s.clerkAdd, response: { 201: s.clerk, ...commonErrors } },
      handler: async (req, reply) => reply.status(201).send(await place.stores.addClerk(req.actor, req.params.id, req.body)),
    });
    r.delete('/stores/:id/clerks/:accountId', {
      schema: {
        tags,
        summary: 'Remove a clerk (owner or operator)',
        params: idParam.extend({ accountId: z.coerce.number().int().positive() }),
        response: { 204: z.null(), ...commonErrors },
      },
      handler: async (req, reply) => {
        await place.stores.removeClerk(req.actor, req.params.id, req.params.accountId);
        return reply.status(204).send(null);
      },
    });
  }

  // ── geo ──────────────────────────────────────────────────────────────────
  {
    const tags = ['place: geo'];
    r.get('/nearby', {
      schema: {
        tags,
        summary: 'Active pickup points and stores within radiusM of a coordinate, nearest first',
        querystring: s.nearbyQuery,
        response: { 200: s.nearbyList, ...commonErrors },
      },
      handler: async (req) => ({ items: await place.nearby({ ...req.query, includePaused: req.query.includePaused === 'true' }) }),
    });
    r.get('/map', {
      schema: {
        tags,
        summary: 'Coordinates of every community, pickup point, store and warehouse (for the map view)',
        querystring: s.mapQuery,
        response: { 200: s.placeMap, ...commonErrors },
      },
      handler: async (req) => place.map(req.query.regionId),
    });
  }
}
