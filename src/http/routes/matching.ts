import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MAX_RECOMMENDATIONS } from '../../modules/matching';
import type { Services } from '../../services';
import { commonErrors } from '../schemas';

const recommendation = z.object({
  skuId: z.number(),
  reason: z.enum(['repeat', 'community', 'together', 'popular']),
  score: z.number(),
});

export function matchingRoutes(app: FastifyInstance, { matching }: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/me/recommendations', {
    schema: {
      tags: ['matching'],
      summary: "The signed-in resident's recommendations (货配人): SKUs with why each is shown",
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(MAX_RECOMMENDATIONS).default(20) }),
      response: { 200: z.object({ items: z.array(recommendation), modelBuiltAt: z.string().nullable() }), ...commonErrors },
    },
    // Only the caller's own: there is no account parameter to ask for someone else's.
    handler: async (req) => matching.recommendForActor(req.actor, req.query.limit),
  });
}
