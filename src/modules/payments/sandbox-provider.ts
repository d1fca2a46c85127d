// The built-in provider: no money moves. It signs and verifies callbacks the way a real one
// does (see sandbox-signature.ts) so the exactly-once machinery is exercised end to end.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { badInput, type Clock } from '../../kernel';
import type {
  CreatedPayment,
  CreatePaymentRequest,
  NotificationHeaders,
  PaymentNotification,
  PaymentProvider,
  ProviderPaymentStatus,
  RefundRequest,
  RefundResult,
} from './payment-provider';
import { NOTIFICATION_KINDS } from './payments.schema';
import { SandboxGateway } from './sandbox-gateway';
import { DEFAULT_TOLERANCE_SECONDS, verifySignature } from './sandbox-signature';

export const SANDBOX = 'sandbox';

const notificationBody = z.strictObject({
  eventId: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/),
  kind: z.enum(NOTIFICATION_KINDS),
  paymentId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  amountFen: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  providerRef: z.string().max(128).nullable().optional(),
  refundRef: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  occurredAt: z.iso.datetime({ offset: true }),
});

export interface SandboxOptions {
  /** Shared HMAC secret; at least 16 characters. */
  secret: string | Buffer;
  /** How far a callback's timestamp may be from now, either way. Default 300 s. */
  toleranceSeconds?: number | undefined;
}

export class SandboxProvider implements PaymentProvider {
  readonly name: string = SANDBOX;
  private readonly tolerance: number;

  constructor(
    private readonly gateway: SandboxGateway,
    private readonly opts: SandboxOptions,
  ) {
    this.tolerance = opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  }

  async createPayment(req: CreatePaymentRequest): Promise<CreatedPayment> {
    this.gateway.open(req.paymentId, req.amountFen, req.notifyUrl);
    // The web app's sandbox checkout page stands in for the provider's cashier.
    return { providerRef: `sbx_${req.paymentId}`, payUrl: `/pay/${req.paymentId}` };
  }

  verifyNotification(headers: NotificationHeaders, rawBody: string, now: Date): PaymentNotification {
    verifySignature(headers, rawBody, this.opts.secret, now, this.tolerance);
    // Only a correctly signed body gets this far, so a parse failure is our own bug or a
    // protocol change, not an attack: 400 rather than 401.
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch {
      throw badInput('body', 'notification body is not JSON');
    }
    const parsed = notificationBody.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw badInput(issue?.path.join('.') || 'body', `notification: ${issue?.message ?? 'invalid'}`);
    }
    const b = parsed.data;
    if (b.kind.startsWith('refund.') && !b.refundRef) throw badInput('refundRef', 'a refund notification names its refund');
    return {
      eventId: b.eventId,
      kind: b.kind,
      paymentId: b.paymentId,
      providerRef: b.providerRef ?? null,
      amountFen: b.amountFen,
      refundRef: b.refundRef,
      occurredAt: new Date(b.occurredAt),
    };
  }

  async refund(req: RefundRequest): Promise<RefundResult> {
    return this.gateway.refund(req.paymentId, req.refundRef);
  }

  async queryPayment(paymentId: number): Promise<{ status: ProviderPaymentStatus; amountFen?: number }> {
    return this.gateway.query(paymentId);
  }

  async closePayment(paymentId: number): Promise<void> {
    this.gateway.close(paymentId);
  }
}

/**
 * The sandbox pair sharing one secret. Without a configured secret a random one is made per
 * process: the gateway that signs and the route that verifies live in the same process, so
 * nothing else needs it. Configure PAYMENT_SANDBOX_SECRET to sign callbacks from outside
 * (curl scripts, a separate gateway process, several servers behind one notify URL).
 */
export function createSandbox(opts: { clock: Clock; secret?: string | undefined; toleranceSeconds?: number | undefined }): {
  provider: SandboxProvider;
  gateway: SandboxGateway;
} {
  const secret = opts.secret ?? randomBytes(32);
  const gateway = new SandboxGateway(secret, opts.clock);
  return { gateway, provider: new SandboxProvider(gateway, { secret, toleranceSeconds: opts.toleranceSeconds }) };
}
