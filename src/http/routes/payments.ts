import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isDomainError } from '../../kernel';
import { readIdempotencyKey, runIdempotent } from '../../modules/idempotency';
import { requireActor } from '../../modules/people';
import { PAYMENT_STATUSES, REFUND_STATUSES, type PaymentRow, type RefundRow } from '../../modules/payments';
import type { Services } from '../../services';
import { commonErrors, errorBody, idParam, isoDate } from '../schemas';

const refundView = z.object({
  id: z.number(),
  refundRef: z.string(),
  amountFen: z.number(),
  reason: z.string(),
  status: z.enum(REFUND_STATUSES),
  createdAt: isoDate,
  completedAt: isoDate.nullable(),
});

const paymentView = z.object({
  id: z.number(),
  orderId: z.number(),
  payerAccountId: z.number(),
  provider: z.string(),
  amountFen: z.number().describe('integer fen (分)'),
  status: z.enum(PAYMENT_STATUSES),
  refundedFen: z.number(),
  createdAt: isoDate,
  succeededAt: isoDate.nullable(),
  closedAt: isoDate.nullable(),
  refunds: z.array(refundView),
});

function view(p: PaymentRow & { refunds: RefundRow[] }): z.output<typeof paymentView> {
  return {
    id: p.id,
    orderId: p.orderId,
    payerAccountId: p.payerAccountId,
    provider: p.provider,
    amountFen: p.amountFen,
    status: p.status,
    refundedFen: p.refundedFen,
    createdAt: p.createdAt,
    succeededAt: p.succeededAt,
    closedAt: p.closedAt,
    refunds: p.refunds.map((r) => ({
      id: r.id,
      refundRef: r.refundRef,
      amountFen: r.amountFen,
      reason: r.reason,
      status: r.status,
      createdAt: r.createdAt,
      completedAt: r.completedAt,
    })),
  };
}

export function paymentsRoutes(app: FastifyInstance, services: Services): void {
  const { payments, sandboxGateway, db } = services;
  const tags = ['payments'];

  // The sandbox's pretend server notifies linli through this app's own callback route, exactly
  // as a provider would over the network: headers, raw body and all.
  sandboxGateway.connect(async ({ url, headers, body }) => {
    const res = await app.inject({ method: 'POST', url, headers, payload: body });
    return { status: res.statusCode };
  });

  // Signatures cover the exact bytes the provider sent, so this route must see the body before
  // any JSON parsing re-serialises it. The parser is replaced only inside this child context;
  // every other route keeps Fastify's JSON parser.
  void app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    raw.withTypeProvider<ZodTypeProvider>().post('/payments/callbacks/:provider', {
      schema: {
        tags,
        summary: 'Payment provider notification (no session: authenticated by the provider’s signature)',
        description:
          'Verified (signature and timestamp) before anything is read; processed once per provider event id. ' +
          '200 also for a replay or an event that no longer applies, so the provider stops retrying. See docs/payments.md.',
        security: [],
        params: z.object({ provider: z.string().regex(/^[a-z0-9_-]{1,32}$/, 'not a provider name') }),
        body: z.string().describe('the provider’s raw notification body, byte for byte as signed'),
        response: {
          200: z.object({ ok: z.literal(true), processed: z.boolean(), reason: z.string().optional() }),
          ...commonErrors,
          422: errorBody,
        },
      },
      handler: async (req) => {
        try {
          const r = await payments.handleNotification(req.params.provider, req.headers, req.body);
          if (!r.processed && r.reason !== 'replayed') {
            req.log.warn({ paymentId: r.paymentId, reason: r.reason }, 'payment notification verified but not applied');
          }
          return r.processed ? { ok: true as const, processed: true } : { ok: true as const, processed: false, reason: r.reason };
        } catch (e) {
          // Forged or mismatched notifications are worth an operator's eye; they change nothing.
          if (isDomainError(e) && e.kind !== 'not_found') req.log.warn({ err: e.message, provider: req.params.provider }, 'payment notification refused');
          throw e;
        }
      },
    });
  });

  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/payments/:id', {
    schema: {
      tags,
      summary: 'A payment and its refunds (its payer or an operator; anyone else gets 404)',
      params: idParam,
      response: { 200: paymentView, ...commonErrors },
    },
    handler: async (req) => view(await payments.viewPayment(req.actor, req.params.id)),
  });

  for (const outcome of ['succeeded', 'failed'] as const) {
    const action = outcome === 'succeeded' ? 'pay' : 'fail';
    r.post(`/payments/sandbox/:id/${action}`, {
      schema: {
        tags,
        summary:
          outcome === 'succeeded'
            ? 'Sandbox checkout: the payer confirms; the sandbox sends linli its signed success callback (Idempotency-Key)'
            : 'Sandbox checkout: the payer cancels; the sandbox sends linli a signed failure callback (Idempotency-Key)',
        params: idParam,
        headers: z.object({ 'idempotency-key': z.string().optional() }),
        response: { 200: paymentView, ...commonErrors, 422: errorBody },
      },
      handler: async (req, reply) => {
        const actor = requireActor(req.actor);
        const key = readIdempotencyKey(req.headers);
        const id = req.params.id;
        await runIdempotent(
          db,
          { scope: `payments.sandbox:${actor.accountId}`, key, request: { paymentId: id, outcome } },
          async (tx) => {
            const p = await payments.checkSandboxCheckout(tx, actor, id);
            return { status: 200, body: { paymentId: p.id, outcome } };
          },
        );
        // Delivered after the check commits: the callback runs its own transaction, which on
        // PGlite (one connection) could not start while this request's is open. A retry with
        // the same key delivers again; the fixed event id makes that a harmless replay.
        const delivery = await sandboxGateway.complete(await payments.getPayment(id), outcome);
        if (delivery.httpStatus >= 300) req.log.error({ paymentId: id, status: delivery.httpStatus }, 'sandbox callback was refused');
        return reply.code(200).send(view(await payments.viewPayment(actor, id)));
      },
    });
  }
}
