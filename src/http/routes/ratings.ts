// Residents rate a completed order (1–5 stars, an optional comment), once; the rating feeds the
// insights read models and the trust score (docs/insights.md). Moves no money or stock, so no
// Idempotency-Key: a second rating of the same order is a 409.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../services';
import { commonErrors, idParam } from '../schemas';

const ratingView = z.object({
  orderId: z.number().int(),
  accountId: z.number().int(),
  stars: z.number().int().min(1).max(5),
  comment: z.string(),
  createdAt: z.string().describe('ISO 8601'),
});

const ratingBody = z.object({
  stars: z.number().int().min(1).max(5).describe('1 (poor) to 5 (excellent)'),
  comment: z.string().max(300).optional().describe('at most 300 characters'),
});

const view = (r: { orderId: number; accountId: number; stars: number; comment: string; createdAt: Date }) => ({ ...r, createdAt: r.createdAt.toISOString() });

export function ratingRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['orders'];

  r.post('/orders/:id/rating', {
    schema: {
      tags,
      summary: 'Rate a completed order (its buyer), once',
      description: '404 when the order is not the caller’s; 409 when it is not completed or was already rated.',
      params: idParam,
      body: ratingBody,
      response: { 201: ratingView, ...commonErrors },
    },
    handler: async (req, reply) => reply.status(201).send(view(await s.insights.rate(req.actor, req.params.id, req.body))),
  });

  r.get('/orders/:id/rating', {
    schema: {
      tags,
      summary: 'The rating of an order (its buyer or an operator); null when not rated yet',
      params: idParam,
      response: { 200: z.object({ rating: ratingView.nullable() }), ...commonErrors },
    },
    handler: async (req) => {
      const rating = await s.insights.ratingOf(req.actor, req.params.id);
      return { rating: rating ? view(rating) : null };
    },
  });
}
