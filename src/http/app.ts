import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../services';
import { registerAuth } from './auth';
import { errorHandler } from './errors';
import { registerRoutes } from './routes';

export interface AppOptions {
  /** pino level; 'silent' in tests. */
  logLevel?: string;
  /** Built web app to serve at / (web/dist). Omitted: API only. */
  webDir?: string | undefined;
  /** Log every request (two lines each). Off for benchmarks, on by default. */
  requestLogging?: boolean;
}

export const API_PREFIX = '/api';

declare module 'fastify' {
  interface FastifyInstance {
    routeList: Array<{ method: string; url: string }>;
  }
}

export async function buildApp(services: Services, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: opts.logLevel ?? 'info' },
    // (Fastify 5.12 moved disableRequestLogging onto the log controller; the top-level option warns.)
    ...(opts.requestLogging === false ? { logController: new LogController({ disableRequestLogging: true }) } : {}),
    // Honour a caller's request id (from a proxy) or make one; echoed in every error body.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    ajv: { customOptions: { coerceTypes: false } },
    bodyLimit: 1024 * 1024,
  });
  // Every registered route, for contract tests and the docs check.
  const routeList: Array<{ method: string; url: string }> = [];
  app.decorate('routeList', routeList);
  app.addHook('onRoute', (route) => {
    // WebSocket routes cannot be described in OpenAPI (@fastify/websocket hides them); they are
    // documented with their feature (docs/stores.md: WS /api/stores/:id/live).
    if (route.websocket) return;
    for (const method of [route.method].flat()) routeList.push({ method, url: route.url });
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'linli API',
        version: '0.1.0',
        description:
          '邻里 linli: community commerce on one people–goods–place core. Money is integer fen (分). ' +
          'Authenticate with `Authorization: Bearer <token>` from POST /api/auth/login.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  registerAuth(app, services);
  // WebSocket routes (the stores' live order queues, src/http/live.ts); sockets close with the app.
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  app.addHook('onClose', async () => services.live.closeAll());

  app.withTypeProvider<ZodTypeProvider>().get('/health', {
    schema: {
      tags: ['system'],
      summary: 'Liveness and database check',
      response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgres']) }) },
    },
    handler: async () => {
      await services.db.query('SELECT 1');
      return { status: 'ok' as const, database: services.db.kind };
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(
    async (api) => {
      registerRoutes(api, services);
      // Unknown API paths answer in the API's error shape, not the web app's index.html.
      api.setNotFoundHandler((req, reply) =>
        reply.status(404).send({
          error: { code: 'not_found', message: `no route ${req.method} ${req.url}`, requestId: String(req.id) },
        }),
      );
    },
    { prefix: API_PREFIX },
  );

  if (opts.webDir && existsSync(opts.webDir)) {
    await app.register(fastifyStatic, { root: opts.webDir, wildcard: false });
    // Client-side routes (/shop, /admin/…) all load the single-page app.
    app.setNotFoundHandler((req, reply) => {
      if (req.method === 'GET' && !req.url.startsWith(API_PREFIX)) return reply.sendFile('index.html');
      return reply.status(404).send({
        error: { code: 'not_found', message: `no route ${req.method} ${req.url}`, requestId: String(req.id) },
      });
    });
  }
  return app;
}
