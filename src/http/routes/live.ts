// Live selling (docs/live.md): the room list and pages, hosts and follows, coupon claims, and
// the host's console (sessions, bag, start/end, pins, flash sales, coupons, profile). The room's
// WebSocket, chat moderation and the dashboard are ../live-room.ts and ./live-moderation.ts.
// Buying is POST /api/orders with channel 'live'. The services decide who may do what.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readIdempotencyKey } from '../../modules/idempotency';
import { requireRole } from '../../modules/people';
import type { Services } from '../../services';
import { commonErrors, errorBody, idParam, pageOf, pageQuery } from '../schemas';
import {
  bagItemCreate,
  claimView,
  couponCreate,
  couponView,
  flashSaleCreate,
  flashSaleView,
  hostProfileInput,
  hostProfileView,
  pinView,
  replayView,
  roomSnapshot,
  sessionCard,
  sessionCreate,
  sessionPage,
  sessionPatch,
  sessionStatus,
} from './live.schemas';
import { idempotencyHeader } from './orders.schemas';

const queryId = z.coerce.number().int().positive();
const keyed = { ...commonErrors, 422: errorBody };
const accountParam = z.object({ accountId: queryId });
const followAnswer = z.object({ following: z.boolean(), followers: z.number().int() });

export function liveSellingRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['live'];

  // ── viewers ──
  r.get('/live/sessions', {
    schema: {
      tags,
      summary: 'Live rooms, newest first (anyone): on air, coming up or ended (replays)',
      description: 'Each page holds the newest rooms (the cursor follows the id); within a page, rooms scheduled for the same China day are ordered by their host’s trust score, then newest first (docs/insights.md).',
      security: [],
      querystring: pageQuery.extend({ status: z.enum(['live', 'scheduled', 'ended']).optional(), regionId: queryId.optional(), hostAccountId: queryId.optional() }),
      response: { 200: pageOf(sessionCard), ...commonErrors },
    },
    handler: async (req) => s.liveSelling.listSessions(req.query),
  });

  r.get('/live/sessions/:id', {
    schema: {
      tags,
      summary: 'A room: session, host card, bag (prices per the rules), current pin, flash sale, coupons; the viewer’s claims',
      params: idParam,
      response: { 200: sessionPage, ...commonErrors },
    },
    handler: async (req) => s.liveSelling.sessionPage(req.actor, req.params.id),
  });

  r.get('/live/sessions/:id/timeline', {
    schema: {
      tags,
      summary: 'The replay: the recording and its product timeline (pins, prices, flash sales, coupons)',
      security: [],
      params: idParam,
      response: { 200: replayView, ...commonErrors },
    },
    handler: async (req) => s.liveSelling.replay(req.params.id),
  });

  r.post('/live/coupons/:id/claim', {
    schema: {
      tags,
      summary: 'Claim a coupon (signed in; Idempotency-Key): one per person; 409 sold_out / expired / already_claimed',
      params: idParam,
      headers: idempotencyHeader,
      response: { 201: z.object({ claim: claimView, coupon: couponView }), ...keyed },
    },
    handler: async (req, reply) => {
      const key = readIdempotencyKey(req.headers);
      const res = await s.liveCoupons.claim(req.actor, req.params.id, key);
      if (res.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(res.status as 201).send(res.body);
    },
  });

  r.get('/hosts/:accountId', {
    schema: { tags, summary: 'A host’s public profile with trust figures and the counts behind them', params: accountParam, response: { 200: hostProfileView, ...commonErrors } },
    handler: async (req) => s.liveSelling.hostProfile(req.actor, req.params.accountId),
  });

  r.post('/hosts/:accountId/follow', {
    schema: { tags, summary: 'Follow a host (signed in)', params: accountParam, response: { 200: followAnswer, ...commonErrors } },
    handler: async (req) => s.liveSelling.follow(req.actor, req.params.accountId),
  });

  r.delete('/hosts/:accountId/follow', {
    schema: { tags, summary: 'Stop following a host', params: accountParam, response: { 200: followAnswer, ...commonErrors } },
    handler: async (req) => s.liveSelling.unfollow(req.actor, req.params.accountId),
  });

  // ── the host's console ──
  r.get('/host/profile', {
    schema: { tags, summary: 'My host profile (host); 404 until saved', response: { 200: hostProfileView, ...commonErrors } },
    handler: async (req) => {
      const a = requireRole(req.actor, 'host');
      return s.liveSelling.hostProfile(a, a.accountId);
    },
  });

  r.put('/host/profile', {
    schema: {
      tags,
      summary: 'Save my host profile (host): name, persona, avatar and the region whose central warehouse my sessions sell from',
      body: hostProfileInput,
      response: { 200: hostProfileView, ...commonErrors },
    },
    handler: async (req) => s.liveSelling.putProfile(req.actor, req.body),
  });

  r.get('/host/sessions', {
    schema: {
      tags,
      summary: 'My sessions, newest first (host); operators see every host’s (or one’s with hostAccountId)',
      querystring: pageQuery.extend({ status: sessionStatus.optional(), hostAccountId: queryId.optional() }),
      response: { 200: pageOf(sessionCard), ...commonErrors },
    },
    handler: async (req) => s.liveSelling.hostSessions(req.actor, req.query),
  });

  r.get('/host/sessions/:id', {
    schema: { tags, summary: 'One of my sessions (host; operators any)', params: idParam, response: { 200: roomSnapshot, ...commonErrors } },
    handler: async (req) => s.liveSelling.hostSession(req.actor, req.params.id),
  });

  r.post('/host/sessions', {
    schema: {
      tags,
      summary: 'Schedule a session with its bag (host; Idempotency-Key): each item’s units move from the region’s central warehouse',
      description: '409 `bag.<i>.allotted` when the warehouse has fewer units available; 409 `profile` before the host profile is saved.',
      headers: idempotencyHeader,
      body: sessionCreate,
      response: { 201: roomSnapshot, ...keyed },
    },
    handler: async (req, reply) => {
      const key = readIdempotencyKey(req.headers);
      const res = await s.liveFlow.create(req.actor, req.body, key);
      if (res.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(res.status as 201).send(res.body);
    },
  });

  r.patch('/host/sessions/:id', {
    schema: {
      tags,
      summary: 'Change a session (host): title, cover, stream; the time while scheduled; the recording once ended',
      params: idParam,
      body: sessionPatch,
      response: { 200: roomSnapshot, ...commonErrors },
    },
    handler: async (req) => s.liveFlow.patch(req.actor, req.params.id, req.body),
  });

  r.post('/host/sessions/:id/bag', {
    schema: {
      tags,
      summary: 'Add an item to the bag while scheduled or live (host; Idempotency-Key); a SKU already there gets the new price and more units',
      params: idParam,
      headers: idempotencyHeader,
      body: bagItemCreate,
      response: { 201: roomSnapshot, ...keyed },
    },
    handler: async (req, reply) => {
      const key = readIdempotencyKey(req.headers);
      const res = await s.liveFlow.addBagItem(req.actor, req.params.id, req.body, key);
      if (res.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(res.status as 201).send(res.body);
    },
  });

  r.post('/host/sessions/:id/start', {
    schema: { tags, summary: 'Go on air (host)', params: idParam, response: { 200: roomSnapshot, ...commonErrors } },
    handler: async (req) => s.liveFlow.start(req.actor, req.params.id),
  });

  r.post('/host/sessions/:id/end', {
    schema: {
      tags,
      summary: 'Go off air (host; Idempotency-Key): the pin and flash sale end, leftover units go back to the central warehouse',
      params: idParam,
      headers: idempotencyHeader,
      body: z.object({ recordingUrl: z.string().min(1).max(500).nullable().optional() }).optional(),
      response: { 200: roomSnapshot, ...keyed },
    },
    handler: async (req, reply) => {
      const key = readIdempotencyKey(req.headers);
      const res = await s.liveFlow.end(req.actor, req.params.id, req.body ?? {}, key);
      if (res.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(res.status as 200).send(res.body);
    },
  });

  r.post('/host/sessions/:id/cancel', {
    schema: {
      tags,
      summary: 'Cancel a scheduled session (host; Idempotency-Key): its allotted units go back',
      params: idParam,
      headers: idempotencyHeader,
      response: {
        200: z.object({ session: roomSnapshot.shape.session, returned: z.array(z.object({ skuId: z.number(), quantity: z.number().int() })) }),
        ...keyed,
      },
    },
    handler: async (req, reply) => {
      const key = readIdempotencyKey(req.headers);
      const res = await s.liveFlow.cancel(req.actor, req.params.id, key);
      if (res.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(res.status as 200).send(res.body);
    },
  });

  r.post('/host/sessions/:id/pin', {
    schema: {
      tags,
      summary: 'Present (讲解) a SKU of the bag (host); the previous pin ends',
      params: idParam,
      body: z.object({ skuId: z.number().int().positive() }),
      response: { 200: pinView, ...commonErrors },
    },
    handler: async (req) => s.liveFlow.pin(req.actor, req.params.id, req.body.skuId),
  });

  r.post('/host/sessions/:id/unpin', {
    schema: { tags, summary: 'Stop presenting (host)', params: idParam, response: { 200: z.object({ pin: z.null() }), ...commonErrors } },
    handler: async (req) => s.liveFlow.unpin(req.actor, req.params.id),
  });

  r.post('/host/sessions/:id/flash-sales', {
    schema: {
      tags,
      summary: 'Start a flash sale (秒杀) of a bag SKU (host; Idempotency-Key): its units move to the sale’s own stock',
      description: 'Duration 10 s to 30 min; per-person limit default 1; 409 `quantity` when the session has fewer units available.',
      params: idParam,
      headers: idempotencyHeader,
      body: flashSaleCreate,
      response: { 201: flashSaleView, ...keyed },
    },
    handler: async (req, reply) => {
      const key = readIdempotencyKey(req.headers);
      const res = await s.liveFlow.startFlashSale(req.actor, req.params.id, req.body, key);
      if (res.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(res.status as 201).send(res.body);
    },
  });

  r.post('/host/sessions/:id/coupons', {
    schema: {
      tags,
      summary: 'Release coupons while live (host; Idempotency-Key): amount off a minimum spend, at most a day',
      params: idParam,
      headers: idempotencyHeader,
      body: couponCreate,
      response: { 201: couponView, ...keyed },
    },
    handler: async (req, reply) => {
      const key = readIdempotencyKey(req.headers);
      const res = await s.liveCoupons.release(req.actor, req.params.id, req.body, key);
      if (res.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(res.status as 201).send(res.body);
    },
  });
}
