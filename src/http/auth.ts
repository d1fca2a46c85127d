import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../modules/people';
import type { Services } from '../services';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in account, or null. Set before handlers run. */
    actor: Actor | null;
    /** The raw bearer token, kept for logout. */
    sessionToken: string | null;
  }
}

export function bearerToken(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (h?.startsWith('Bearer ')) return h.slice(7).trim() || null;
  // The web app may also use a cookie (same-origin pages, image links).
  const cookie = req.headers.cookie;
  if (cookie) {
    const m = /(?:^|;\s*)linli_session=([^;]+)/.exec(cookie);
    if (m) return decodeURIComponent(m[1]!);
  }
  return null;
}

/** Resolve the session once per request; routes read `req.actor`. */
export function registerAuth(app: FastifyInstance, services: Services): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionToken', null);
  app.addHook('preHandler', async (req) => {
    const token = bearerToken(req);
    if (!token) return;
    req.sessionToken = token;
    req.actor = await services.people.authenticate(token);
  });
}
