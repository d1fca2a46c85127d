// Leaders (团长) and residents' pickup points: applications and the operator's decision,
// the leader's overview, the operator's leader list, status, levels and weekly KPIs, the
// per-region group-buy settings, and a resident's bound pickup point. The services decide who
// may do what; see docs/groupbuy.md for the contract.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor, requireRole } from '../../modules/people';
import type { Services } from '../../services';
import { commonErrors, pageOf, pageQuery } from '../schemas';
import * as s from './leaders.schemas';

const accountParam = z.object({ accountId: z.coerce.number().int().positive() });
const regionParam = z.object({ regionId: z.coerce.number().int().positive() });
const idParam = z.object({ id: z.coerce.number().int().positive() });

export function leaderRoutes(app: FastifyInstance, services: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { leaders, leaderFlow, groupbuySettings, place } = services;
  const tags = ['group buying: leaders'];

  // ── applications ─────────────────────────────────────────────────────────
  r.post('/leader-applications', {
    schema: {
      tags,
      summary: 'Apply to become a leader (团长) with identity details and a pickup point',
      description: '409 while another application of yours waits for a decision, or when you already are a leader.',
      body: s.applicationBody,
      response: { 201: s.application, ...commonErrors },
    },
    handler: async (req, reply) => reply.status(201).send(await leaders.apply(req.actor, req.body)),
  });

  r.get('/leader-applications/mine', {
    schema: { tags, summary: 'My latest leader application, or null', response: { 200: s.application.nullable(), ...commonErrors } },
    handler: async (req) => leaders.mine(req.actor),
  });

  r.get('/admin/leader-applications', {
    schema: {
      tags,
      summary: 'Leader applications, oldest first, optionally by status (operator)',
      querystring: pageQuery.extend({ status: z.enum(['pending', 'approved', 'rejected']).optional() }),
      response: { 200: pageOf(s.applicationWithApplicant), ...commonErrors },
    },
    handler: async (req) => leaders.listApplications(req.actor, req.query),
  });

  r.post('/admin/leader-applications/:id/decision', {
    schema: {
      tags,
      summary: 'Approve (opens the pickup point, grants the leader role, creates the profile) or reject with a reason (operator)',
      params: idParam,
      body: s.decisionBody,
      response: { 200: s.application, ...commonErrors },
    },
    handler: async (req) => leaderFlow.decide(req.actor, req.params.id, req.body),
  });

  // ── leaders ──────────────────────────────────────────────────────────────
  r.get('/leaders/me', {
    schema: { tags, summary: 'My leader overview: status, level, pickup point, the last 8 KPI weeks, residents bound', response: { 200: s.overview, ...commonErrors } },
    handler: async (req) => leaders.overview(req.actor),
  });

  r.get('/admin/leaders', {
    schema: {
      tags,
      summary: 'Leaders by account id, optionally by status and region (a city includes its counties) (operator)',
      querystring: pageQuery.extend({ status: z.enum(['active', 'warned', 'suspended']).optional(), regionId: z.coerce.number().int().positive().optional() }),
      response: { 200: pageOf(s.leaderRow), ...commonErrors },
    },
    handler: async (req) => leaders.listLeaders(req.actor, req.query),
  });

  r.get('/admin/leaders/:accountId/kpis', {
    schema: { tags, summary: 'A leader’s KPI weeks, newest first (operator)', params: accountParam, response: { 200: z.array(s.kpiWeek), ...commonErrors } },
    handler: async (req) => leaders.kpisOf(req.actor, req.params.accountId),
  });

  r.post('/admin/leaders/:accountId/status', {
    schema: {
      tags,
      summary: 'Suspend (pauses the pickup point; needs a reason) or reactivate (reopens it, clears warnings) a leader (operator)',
      params: accountParam,
      body: s.statusBody,
      response: { 200: s.leaderRow, ...commonErrors },
    },
    handler: async (req) => leaderFlow.setStatus(req.actor, req.params.accountId, req.body),
  });

  r.get('/admin/leader-levels', {
    schema: { tags, summary: 'Leader levels by rank (operator)', response: { 200: z.array(s.level), ...commonErrors } },
    handler: async (req) => {
      requireRole(req.actor, 'operator');
      return leaders.levels();
    },
  });

  r.put('/admin/leader-levels', {
    schema: {
      tags,
      summary: 'Replace the level ladder (operator); leaders on a removed level move to the nearest remaining one below',
      body: s.levelsBody,
      response: { 200: z.array(s.level), ...commonErrors },
    },
    handler: async (req) => leaders.replaceLevels(req.actor, req.body.levels),
  });

  r.post('/admin/leader-kpis/run', {
    schema: {
      tags,
      summary: 'Compute a week’s leader KPIs now (operator); safe to rerun',
      description: 'A week’s verdicts and their effect on leaders (warnings, suspension, level) are decided when it is first computed; reruns refresh its figures.',
      body: s.kpiRunBody,
      response: { 200: s.kpiRunResult, ...commonErrors },
    },
    handler: async (req) => leaderFlow.runKpis(req.actor, req.body.weekStart),
  });

  // ── per-region settings ──────────────────────────────────────────────────
  r.get('/admin/groupbuy-settings/:regionId', {
    schema: { tags, summary: 'Group-buy rules of a region (own row, else its city’s, else defaults) (operator)', params: regionParam, response: { 200: s.settings, ...commonErrors } },
    handler: async (req) => {
      requireRole(req.actor, 'operator');
      await place.areas.getRegion(req.params.regionId);
      return groupbuySettings.get(req.params.regionId);
    },
  });

  r.put('/admin/groupbuy-settings/:regionId', {
    schema: {
      tags,
      summary: 'Set a region’s group-buy rules (operator); fields left out keep their current value',
      params: regionParam,
      body: s.settingsPatch,
      response: { 200: s.settings, ...commonErrors },
    },
    handler: async (req) => {
      requireRole(req.actor, 'operator');
      await place.areas.getRegion(req.params.regionId);
      return groupbuySettings.update(req.actor, req.params.regionId, req.body);
    },
  });

  // ── a resident's pickup point ────────────────────────────────────────────
  r.get('/me/pickup-point', {
    schema: { tags, summary: 'My pickup point, when I bound it, and how many switches I have left', response: { 200: s.myPickupPoint, ...commonErrors } },
    handler: async (req) => leaders.bindings.get(req.actor),
  });

  r.get('/me/pickup-point/options', {
    schema: {
      tags,
      summary: 'The nearest pickup points taking orders (default 5): by 200 m distance band, then trust score, then distance',
      querystring: s.optionsQuery,
      response: { 200: z.array(s.pointOption), ...commonErrors },
    },
    handler: async (req) => leaders.bindings.options(req.actor, req.query),
  });

  r.put('/me/pickup-point', {
    schema: {
      tags,
      summary: 'Bind to (or switch to) a pickup point',
      description: '400 for a point not taking orders; 409 with details.reason "switch_limit" when no switch is left in the window.',
      body: z.object({ pickupPointId: z.number().int().positive() }),
      response: { 200: s.myPickupPoint, ...commonErrors },
    },
    handler: async (req) => {
      requireActor(req.actor);
      return leaders.bindings.set(req.actor, req.body.pickupPointId);
    },
  });
}
