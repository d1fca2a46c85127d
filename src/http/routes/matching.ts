import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isDomainError } from '../../kernel';
import { MAX_RECOMMENDATIONS } from '../../modules/matching';
import type { Services } from '../../services';
import { commonErrors } from '../schemas';

const recommendation = z.object({
  skuId: z.number(),
  reason: z.enum(['repeat', 'community', 'together', 'popular']),
  score: z.number(),
  // What the resident's own shelf sells it as: only SKUs on sale there are answered.
  productId: z.number(),
  title: z.string(),
  spec: z.string(),
  unit: z.string(),
  priceFen: z.number().int(),
});

export function matchingRoutes(app: FastifyInstance, { matching, place, catalog }: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/me/recommendations', {
    schema: {
      tags: ['matching'],
      summary: "The signed-in resident's recommendations (货配人): SKUs on sale on their shelf, with why each is shown",
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(MAX_RECOMMENDATIONS).default(20) }),
      response: { 200: z.object({ items: z.array(recommendation), modelBuiltAt: z.string().nullable() }), ...commonErrors },
    },
    // Only the caller's own: there is no account parameter to ask for someone else's.
    handler: async (req) => {
      const { limit } = req.query;
      const home = await place.areas.getHome(req.actor).catch((e: unknown) => {
        if (isDomainError(e) && e.kind === 'not_found') return null;
        throw e;
      });
      // Ask for more than needed: some may not be on sale in the resident's region today.
      const list = await matching.recommendForActor(req.actor, Math.min(MAX_RECOMMENDATIONS, limit * 2), home?.communityId ?? null);
      if (!home) return { items: [], modelBuiltAt: list.modelBuiltAt };
      const offers = await catalog.regionOffers(home.community.regionId, list.items.map((i) => i.skuId));
      const items = list.items.flatMap((i) => {
        const o = offers.get(i.skuId);
        return o ? [{ ...i, productId: o.productId, title: o.title, spec: o.spec, unit: o.unit, priceFen: o.priceFen }] : [];
      });
      return { items: items.slice(0, limit), modelBuiltAt: list.modelBuiltAt };
    },
  });
}
