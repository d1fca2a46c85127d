// Group-buy campaigns (团购活动), rest days (休市), today's list, the relay list (接龙) and the
// share QR code. The services decide who may do what; see docs/groupbuy.md for the contract.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import QRCode from 'qrcode';
import { z } from 'zod';
import { notFound } from '../../kernel';
import { readIdempotencyKey } from '../../modules/idempotency';
import type { Services } from '../../services';
import { commonErrors, errorBody, idParam, pageOf, pageQuery } from '../schemas';
import { campaignCreate, campaignPatch, campaignStatus, campaignView, dayText, relayView, restDay, todayView } from './campaigns.schemas';
import { idempotencyHeader } from './orders.schemas';

const queryId = z.coerce.number().int().positive();

export function campaignRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['group buying: campaigns'];

  r.post('/admin/campaigns', {
    schema: {
      tags,
      summary: 'Plan a campaign (operator): SKUs at group prices, limits, stock, start, cutoff and pickup day; created as a draft',
      body: campaignCreate,
      response: { 201: campaignView, ...commonErrors },
    },
    handler: async (req, reply) => reply.status(201).send(await s.campaigns.create(req.actor, req.body)),
  });

  r.patch('/admin/campaigns/:id', {
    schema: {
      tags,
      summary: 'Change a draft campaign (operator); `items`, when given, replaces the list',
      params: idParam,
      body: campaignPatch,
      response: { 200: campaignView, ...commonErrors },
    },
    handler: async (req) => s.campaigns.update(req.actor, req.params.id, req.body),
  });

  r.post('/admin/campaigns/:id/publish', {
    schema: {
      tags,
      summary: 'Publish a draft (operator; Idempotency-Key): its stock goes on the campaign’s location and it opens at its start',
      description: '409 when the pickup day is a rest day of the region or its city, or the cutoff has passed.',
      params: idParam,
      headers: idempotencyHeader,
      response: { 200: campaignView, ...commonErrors, 422: errorBody },
    },
    handler: async (req, reply) => {
      const key = readIdempotencyKey(req.headers);
      const res = await s.campaignFlow.publish(req.actor, req.params.id, key);
      if (res.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(res.status as 200).send(res.body);
    },
  });

  r.post('/admin/campaigns/:id/cancel', {
    schema: {
      tags,
      summary: 'Cancel a campaign while none of its orders is paid (operator); unpaid orders expire as usual',
      params: idParam,
      response: { 200: campaignView, ...commonErrors },
    },
    handler: async (req) => s.campaignFlow.cancel(req.actor, req.params.id),
  });

  r.post('/admin/campaigns/:id/close-now', {
    schema: {
      tags,
      summary: 'Close a campaign on sale now (提前截单, operator); the cutoff wave then takes it',
      params: idParam,
      response: { 200: campaignView, ...commonErrors },
    },
    handler: async (req) => s.campaignFlow.closeNow(req.actor, req.params.id),
  });

  r.get('/admin/campaigns', {
    schema: {
      tags,
      summary: 'Campaigns, newest first (operator)',
      querystring: pageQuery.extend({ regionId: queryId.optional(), status: campaignStatus.optional() }),
      response: { 200: pageOf(campaignView), ...commonErrors },
    },
    handler: async (req) => s.campaigns.list(req.actor, req.query),
  });

  r.get('/campaigns/today', {
    schema: {
      tags,
      summary: 'Campaigns open now in a pickup point’s region (and its city), and whether today is a rest day',
      description: 'Leader-only items (团长专享) are listed for leaders only.',
      querystring: z.object({ pickupPointId: queryId }),
      response: { 200: todayView, ...commonErrors },
    },
    handler: async (req) => s.campaignFlow.today(req.actor, req.query.pickupPointId),
  });

  r.get('/campaigns/:id', {
    schema: { tags, summary: 'One campaign (drafts: operators only)', params: idParam, response: { 200: campaignView, ...commonErrors } },
    handler: async (req) => s.campaigns.get(req.actor, req.params.id),
  });

  // ── rest days ──
  const regionDay = z.object({ id: idParam.shape.id, day: dayText });
  r.get('/admin/regions/:id/rest-days', {
    schema: { tags, summary: 'A region’s rest days (休市), oldest first (operator)', params: idParam, response: { 200: z.array(restDay), ...commonErrors } },
    handler: async (req) => s.campaigns.restDays(req.actor, req.params.id),
  });
  r.post('/admin/regions/:id/rest-days', {
    schema: {
      tags,
      summary: 'Mark a rest day: no campaign of the region (or its counties) may be published for pickup that day (operator)',
      params: idParam,
      body: z.object({ day: dayText, reason: z.string().max(100).optional() }),
      response: { 201: restDay, ...commonErrors },
    },
    handler: async (req, reply) => reply.status(201).send(await s.campaigns.addRestDay(req.actor, req.params.id, req.body)),
  });
  r.delete('/admin/regions/:id/rest-days/:day', {
    schema: { tags, summary: 'Remove a rest day (operator)', params: regionDay, response: { 204: z.null(), ...commonErrors } },
    handler: async (req, reply) => {
      await s.campaigns.removeRestDay(req.actor, req.params.id, req.params.day);
      return reply.status(204).send(null);
    },
  });

  // ── relay list and sharing ──
  r.get('/relay/:pickupPointId', {
    schema: {
      tags,
      summary: 'A pickup point’s relay list (接龙): paid orders of a campaign numbered by payment time, names masked',
      description: 'Without campaignId: the campaign open now in the point’s region, else the latest one.',
      params: z.object({ pickupPointId: queryId }),
      querystring: z.object({ campaignId: queryId.optional() }),
      response: { 200: relayView, ...commonErrors },
    },
    handler: async (req) => s.campaignFlow.relay(req.actor, req.params.pickupPointId, req.query.campaignId),
  });

  r.get('/share/:code/qr.svg', {
    schema: {
      tags,
      summary: 'QR code (SVG) of a share link’s page `<origin>/s/<code>`, for posters and chat groups (anyone)',
      security: [],
      params: z.object({ code: z.string().max(64) }),
      response: { 404: errorBody },
    },
    handler: async (req, reply) => {
      const link = await s.traffic.shareLinkByCode(req.params.code);
      if (!link) throw notFound('share link', req.params.code);
      // The page lives where the request came: the host the browser (or proxy) used. The SVG
      // is text with its own content type, so the JSON serializer leaves it alone.
      const origin = `${req.protocol}://${req.host}`;
      const svg = await QRCode.toString(`${origin}/s/${encodeURIComponent(link.code)}`, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
      return reply.type('image/svg+xml').header('cache-control', 'public, max-age=3600').send(svg as never);
    },
  });
}
