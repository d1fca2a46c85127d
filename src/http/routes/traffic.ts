import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SOURCE_TYPES, TARGET_TYPES, TRAFFIC_KINDS } from '../../modules/traffic';
import type { Services } from '../../services';
import { commonErrors, isoDate } from '../schemas';

const targetType = z.enum(TARGET_TYPES);
const sourceType = z.enum(SOURCE_TYPES);
const kind = z.enum(TRAFFIC_KINDS);
const actorType = z.enum(['leader', 'host', 'store']);
const positiveId = z.number().int().positive();
const shareCode = z.string().regex(/^[A-Za-z0-9_-]{6,32}$/, 'not a share code');

/** A day ("2026-01-05", read as China Standard Time midnight) or a full ISO timestamp. */
const instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/, 'a date (YYYY-MM-DD) or ISO timestamp')
  .transform((s, ctx) => {
    const d = new Date(s.length === 10 ? `${s}T00:00:00+08:00` : s);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'not a real date' });
      return z.NEVER;
    }
    return d;
  });

const link = z.object({
  code: z.string(),
  targetType,
  targetId: z.number().nullable(),
  actorType: actorType.nullable(),
  actorId: z.number().nullable(),
});

export function trafficRoutes(app: FastifyInstance, { traffic }: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['traffic'];

  // Buffered events are written on shutdown, before the database closes (server.ts closes the
  // app first, then the database).
  app.addHook('onClose', async () => traffic.close());

  r.post('/share-links', {
    schema: {
      tags,
      summary: 'Make a share link for a page, optionally crediting a leader, host or store (logged in)',
      body: z.object({
        targetType,
        targetId: positiveId.nullable().optional(),
        actorType: actorType.nullable().optional(),
        actorId: positiveId.nullable().optional(),
      }),
      response: { 201: z.object({ code: z.string(), url: z.string() }), ...commonErrors },
    },
    handler: async (req, reply) => {
      const created = await traffic.createShareLink(req.actor, req.body);
      // The web app opens /s/<code>, which resolves the code through the route below.
      return reply.status(201).send({ code: created.code, url: `${req.protocol}://${req.host}/s/${created.code}` });
    },
  });

  r.get('/share-links/:code', {
    schema: {
      tags,
      summary: 'Resolve a share link and count the click (login optional)',
      security: [],
      params: z.object({ code: shareCode }),
      querystring: z.object({ communityId: z.coerce.number().int().positive().optional() }),
      response: { 200: link, ...commonErrors },
    },
    handler: async (req) => {
      const l = await traffic.openShareLink(req.actor, req.params.code, req.query.communityId);
      return { code: l.code, targetType: l.targetType, targetId: l.targetId, actorType: l.actorType, actorId: l.actorId };
    },
  });

  r.post('/traffic/events', {
    schema: {
      tags,
      summary: 'Record a view, share or click; the account comes from the session, never the body (login optional)',
      security: [],
      body: z.object({
        kind,
        targetType,
        targetId: positiveId.nullable().optional(),
        sourceType,
        sourceId: positiveId.nullable().optional(),
        shareCode: shareCode.optional(),
        communityId: positiveId.nullable().optional(),
      }),
      response: { 202: z.null(), ...commonErrors },
    },
    handler: async (req, reply) => {
      await traffic.record(req.actor, req.body);
      return reply.status(202).send(null);
    },
  });

  r.get('/traffic/summary', {
    schema: {
      tags,
      summary: 'Traffic by China-time day × kind × source type, and the top sources, over [from, to) (operator)',
      querystring: z.object({
        from: instant.optional().describe('default: 7 days before `to`'),
        to: instant.optional().describe('default: now'),
        sourceType: sourceType.optional(),
        targetType: targetType.optional(),
      }),
      response: {
        200: z.object({
          from: isoDate,
          to: isoDate,
          totals: z.object({ view: z.number(), share: z.number(), click: z.number() }),
          byDay: z.array(z.object({ day: z.string(), kind, sourceType, count: z.number() })),
          topSources: z.array(z.object({ sourceType, sourceId: z.number(), count: z.number() })),
        }),
        ...commonErrors,
      },
    },
    handler: async (req) => traffic.summary(req.actor, req.query),
  });
}
