// Trust scores (docs/insights.md, "Trust score"): anyone may read an actor's score and its
// parts; a leader reads their own point's score and commission tier; operators read and set
// the per-region settings and may recompute all scores now.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../services';
import { commonErrors } from '../schemas';
import { requireRole } from '../../modules/people';
import * as s from './trust.schemas';

const regionParam = z.object({ regionId: z.coerce.number().int().positive() });
const actorParams = z.object({ actorType: s.trustActorType, actorId: z.coerce.number().int().positive() });

export function trustRoutes(app: FastifyInstance, services: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { trust } = services;
  const tags = ['trust'];

  r.get('/trust/:actorType/:actorId', {
    schema: {
      tags,
      summary: 'An actor’s trust score and its parts (anyone): point = pickup point id, store = store id, host = host account id',
      description: 'score, parts and computedAt are null before the first computation; 404 when there is no such actor.',
      security: [],
      params: actorParams,
      response: { 200: s.trustView, ...commonErrors },
    },
    handler: async (req) => {
      const { actorType, actorId } = req.params;
      const v = await trust.view(actorType, actorId);
      return {
        actorType,
        actorId,
        score: v?.score ?? null,
        parts: v?.parts ?? null,
        computedAt: v?.computedAt ?? null,
      };
    },
  });

  r.get('/leader/trust', {
    schema: {
      tags,
      summary: 'My pickup point’s trust score with its parts, and the commission tier it earns (leader)',
      description:
        'bonusBp is what the score adds to the level bonus at checkout under the region’s tiers; next is the lowest tier paying more (null at the top). trust is null before the first computation. 403 for anyone but a leader; 404 for a leader without an open pickup point.',
      response: { 200: s.leaderTrust, ...commonErrors },
    },
    handler: async (req) => trust.leaderTrust(req.actor),
  });

  r.get('/admin/trust-settings/:regionId', {
    schema: {
      tags,
      summary: 'Trust settings of a region: weights, prior strength, leader tiers (own row, else its city’s, else defaults) (operator)',
      params: regionParam,
      response: { 200: s.trustSettings, ...commonErrors },
    },
    handler: async (req) => trust.settingsFor(req.actor, req.params.regionId),
  });

  r.put('/admin/trust-settings/:regionId', {
    schema: {
      tags,
      summary: 'Set a region’s trust settings (operator); fields left out keep their current value',
      description: '400 naming the field: weights.<part> outside 0–100 or not a part, all weights 0, minOrders outside 0–10000, leaderTiers.<i>.minScore / .bonusBp out of range, repeated, or a higher tier paying less.',
      params: regionParam,
      body: s.trustSettingsPatch,
      response: { 200: s.trustSettings, ...commonErrors },
    },
    handler: async (req) => trust.updateSettings(req.actor, req.params.regionId, req.body),
  });

  r.post('/admin/trust-scores/recompute', {
    schema: {
      tags,
      summary: 'Recompute every trust score now (operator); the job does it every 10 minutes',
      response: { 200: z.object({ actors: z.number().int(), computedAt: z.iso.datetime({ offset: true }) }), ...commonErrors },
    },
    handler: async (req) => {
      requireRole(req.actor, 'operator');
      const r2 = await trust.recomputeAll();
      return { actors: r2.actors, computedAt: r2.computedAt.toISOString() };
    },
  });
}
