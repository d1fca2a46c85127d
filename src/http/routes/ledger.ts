import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readIdempotencyKey, runIdempotent } from '../../modules/idempotency';
import { LEDGER_KINDS, PARTIES, PAYOUT_STATUSES, type PayoutRow } from '../../modules/ledger';
import { requireActor, requireRole } from '../../modules/people';
import type { Services } from '../../services';
import { commonErrors, errorBody, fenAmount, idParam, isoDate, pageOf, pageQuery } from '../schemas';

const signedFen = z.number().int().describe('integer fen (分), may be negative');
const cursor = z.string().max(64).optional();

// Payout answers are stored and replayed as JSON by the idempotency layer, so their times are
// ISO strings in every answer (the first one included), not Dates.
const isoText = z.string().describe('ISO 8601 date-time');
const payout = z.object({
  id: z.number(),
  beneficiaryAccountId: z.number(),
  amountFen: z.number().int(),
  status: z.enum(PAYOUT_STATUSES),
  reason: z.string().nullable(),
  decidedBy: z.number().nullable(),
  createdAt: isoText,
  decidedAt: isoText.nullable(),
});
type PayoutJson = z.infer<typeof payout>;
const payoutJson = (p: PayoutRow): PayoutJson => ({
  ...p,
  createdAt: p.createdAt.toISOString(),
  decidedAt: p.decidedAt ? p.decidedAt.toISOString() : null,
});

const commission = z.object({
  id: z.number(),
  orderId: z.number(),
  orderLineId: z.number().nullable(),
  paymentId: z.number(),
  entryId: z.number(),
  party: z.enum(PARTIES),
  beneficiaryAccountId: z.number(),
  baseFen: z.number().int(),
  amountFen: z.number().int(),
  reversedFen: z.number().int(),
  status: z.enum(['frozen', 'released']),
  releaseAfter: isoDate.nullable(),
  createdAt: isoDate,
  releasedAt: isoDate.nullable(),
});
const statement = z.object({
  balances: z.object({
    frozenFen: signedFen.describe('earned, waiting for the after-sales window to close'),
    availableFen: signedFen.describe('can be paid out; negative is a debt from refunds after release'),
    payoutPendingFen: signedFen.describe('asked for, not yet paid or rejected'),
    lifetimeEarnedFen: signedFen.describe('all commissions, net of refunds'),
    paidOutFen: signedFen,
  }),
  commissions: pageOf(commission),
  lines: pageOf(
    z.object({
      id: z.number(),
      entryId: z.number(),
      bucket: z.enum(['frozen', 'available', 'payout_pending']),
      changeFen: signedFen.describe('positive adds to what you are owed'),
      kind: z.string(),
      refType: z.string(),
      refId: z.number(),
      memo: z.string().nullable(),
      createdAt: isoDate,
    }),
  ),
});
const account = z.object({
  id: z.number(),
  code: z.string(),
  kind: z.enum(LEDGER_KINDS),
  ownerAccountId: z.number().nullable(),
  balanceFen: signedFen.describe('debit positive'),
  createdAt: isoDate,
});
const entry = z.object({
  id: z.number(),
  kind: z.string(),
  refType: z.string(),
  refId: z.number(),
  idempotencyKey: z.string(),
  memo: z.string().nullable(),
  createdAt: isoDate,
  lines: z.array(z.object({ ledgerAccountId: z.number(), code: z.string(), amountFen: signedFen.describe('debit positive') })),
});
const problem = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('account_balance'), ledgerAccountId: z.number(), code: z.string(), balanceFen: signedFen, linesFen: signedFen }),
  z.object({ kind: z.literal('entry_unbalanced'), entryId: z.number(), sumFen: signedFen, lines: z.number() }),
  z.object({
    kind: z.literal('beneficiary_mismatch'),
    beneficiaryAccountId: z.number(),
    bucket: z.string(),
    owedFen: signedFen,
    expectedFen: signedFen,
  }),
]);

export function ledgerRoutes(app: FastifyInstance, { db, ledger }: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['ledger'];

  r.get('/ledger/me', {
    schema: {
      tags,
      summary: 'My commissions statement: balances, commissions and journal lines, newest first',
      querystring: pageQuery.extend({ commissionCursor: cursor.describe('cursor of the commissions page') }),
      response: { 200: statement, ...commonErrors },
    },
    handler: async (req) => {
      const actor = requireActor(req.actor);
      return ledger.statement(actor.accountId, { cursor: req.query.cursor, commissionCursor: req.query.commissionCursor, limit: req.query.limit });
    },
  });

  r.post('/ledger/payouts', {
    schema: {
      tags,
      summary: 'Ask to be paid out of my available balance (Idempotency-Key; 409 when it does not cover the amount)',
      headers: z.object({ 'idempotency-key': z.string().optional() }),
      body: z.object({ amountFen: fenAmount }),
      response: { 201: payout, ...commonErrors, 422: errorBody },
    },
    handler: async (req, reply) => {
      const actor = requireActor(req.actor);
      const key = readIdempotencyKey(req.headers);
      const res = await runIdempotent(db, { scope: `payout:${actor.accountId}`, key, request: req.body }, async (tx) => {
        const row = await ledger.requestPayout(tx, { beneficiaryAccountId: actor.accountId, amountFen: req.body.amountFen });
        return { status: 201, body: payoutJson(row) };
      });
      // Only a 201 is ever stored: a refusal throws, which stores nothing.
      return reply.code(201).send(res.body);
    },
  });

  // ── operators ───────────────────────────────────────────────────────────────
  r.get('/admin/ledger/accounts', {
    schema: { tags, summary: 'Ledger accounts and balances (operator)', querystring: pageQuery, response: { 200: pageOf(account), ...commonErrors } },
    handler: async (req) => {
      requireRole(req.actor, 'operator');
      return ledger.listAccounts(req.query);
    },
  });

  r.get('/admin/ledger/entries', {
    schema: {
      tags,
      summary: 'Journal entries with their lines, newest first (operator)',
      querystring: pageQuery,
      response: { 200: pageOf(entry), ...commonErrors },
    },
    handler: async (req) => {
      requireRole(req.actor, 'operator');
      return ledger.listEntries(req.query);
    },
  });

  r.get('/admin/ledger/payouts', {
    schema: {
      tags,
      summary: 'Payout requests, oldest first, optionally by status (operator)',
      querystring: pageQuery.extend({ status: z.enum(PAYOUT_STATUSES).optional() }),
      response: { 200: pageOf(payout), ...commonErrors },
    },
    handler: async (req) => {
      requireRole(req.actor, 'operator');
      const page = await ledger.listPayouts(req.query.status, req.query);
      return { items: page.items.map(payoutJson), nextCursor: page.nextCursor };
    },
  });

  r.post('/admin/ledger/payouts/:id/decision', {
    schema: {
      tags,
      summary: 'Pay or reject a requested payout, once (operator; 409 if already decided)',
      params: idParam,
      body: z.object({ decision: z.enum(['paid', 'rejected']), reason: z.string().trim().min(1).max(200).optional() }),
      response: { 200: payout, ...commonErrors },
    },
    handler: async (req) => {
      const actor = requireRole(req.actor, 'operator');
      return payoutJson(await ledger.decidePayout(req.params.id, { decidedBy: actor.accountId, decision: req.body.decision, reason: req.body.reason }));
    },
  });

  r.get('/admin/ledger/verify', {
    schema: {
      tags,
      summary: 'Trial balance and every inconsistency found by a full scan (operator; reads whole tables)',
      response: {
        200: z.object({ ok: z.boolean(), trialBalance: z.object({ sumFen: signedFen, accounts: z.number() }), problems: z.array(problem) }),
        ...commonErrors,
      },
    },
    handler: async (req) => {
      requireRole(req.actor, 'operator');
      const [trialBalance, problems] = [await ledger.trialBalance(), await ledger.verify()];
      return { ok: trialBalance.sumFen === 0 && problems.length === 0, trialBalance, problems };
    },
  });
}
