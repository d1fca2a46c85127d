import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, unauthenticated } from '../../kernel';
import { ROLES } from '../../modules/people';
import type { Services } from '../../services';
import { commonErrors, idParam, isoDate, pageOf, pageQuery, phone } from '../schemas';

const role = z.enum(ROLES);
const account = z.object({
  id: z.number(),
  phone: z.string(),
  displayName: z.string(),
  roles: z.array(role),
  createdAt: isoDate,
});
const displayName = z.string().trim().min(1).max(64);
const password = z.string().min(8).max(128);

export function peopleRoutes(app: FastifyInstance, { people }: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['people'];

  r.post('/auth/register', {
    schema: {
      tags,
      summary: 'Sign up as a resident',
      body: z.object({ phone, password, displayName }),
      response: { 201: account, ...commonErrors },
    },
    handler: async (req, reply) => reply.status(201).send(await people.register(req.body)),
  });

  r.post('/auth/login', {
    schema: {
      tags,
      summary: 'Log in with phone and password; returns a bearer token',
      body: z.object({ phone, password: z.string().min(1).max(128) }),
      response: { 200: z.object({ token: z.string(), expiresAt: isoDate, account }), ...commonErrors },
    },
    handler: async (req) => people.login(req.body.phone, req.body.password),
  });

  r.post('/auth/logout', {
    schema: { tags, summary: 'End this session', response: { 204: z.null(), ...commonErrors } },
    handler: async (req, reply) => {
      if (!req.sessionToken) throw unauthenticated();
      await people.logout(req.sessionToken);
      return reply.status(204).send(null);
    },
  });

  r.get('/me', {
    schema: { tags, summary: 'The signed-in account and its roles', response: { 200: account, ...commonErrors } },
    handler: async (req) => people.me(req.actor),
  });

  r.get('/accounts', {
    schema: {
      tags,
      summary: 'List accounts (operator)',
      querystring: pageQuery.extend({ role: role.optional() }),
      response: { 200: pageOf(account), ...commonErrors },
    },
    handler: async (req) =>
      people.listAccounts(req.actor, {
        afterId: decodeCursor(req.query.cursor),
        limit: req.query.limit,
        role: req.query.role,
      }),
  });

  r.post('/accounts', {
    schema: {
      tags,
      summary: 'Open an account with roles (operator)',
      body: z.object({ phone, password, displayName, roles: z.array(role).min(1).max(ROLES.length) }),
      response: { 201: account, ...commonErrors },
    },
    handler: async (req, reply) => reply.status(201).send(await people.createAccount(req.actor, req.body)),
  });

  r.get('/accounts/:id', {
    schema: { tags, summary: 'One account (self or operator)', params: idParam, response: { 200: account, ...commonErrors } },
    handler: async (req) => people.getAccount(req.actor, req.params.id),
  });

  r.put('/accounts/:id/roles/:role', {
    schema: {
      tags,
      summary: 'Grant a role (operator)',
      params: idParam.extend({ role }),
      response: { 200: account, ...commonErrors },
    },
    handler: async (req) => people.grantRole(req.actor, req.params.id, req.params.role),
  });

  r.delete('/accounts/:id/roles/:role', {
    schema: {
      tags,
      summary: 'Revoke a role (operator)',
      params: idParam.extend({ role }),
      response: { 200: account, ...commonErrors },
    },
    handler: async (req) => people.revokeRole(req.actor, req.params.id, req.params.role),
  });
}
