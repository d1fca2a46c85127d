// The pretend provider server behind the sandbox: it remembers what linli opened, "charges"
// when the buyer presses pay on the sandbox page, and then notifies linli the way WeChat Pay or
// Alipay would: a signed JSON POST to the callback URL, through linli's own HTTP route, so the
// raw-body, signature and replay paths the real providers will use are the ones exercised.
// State lives in memory: after a restart the gateway re-learns a payment from linli's row.
import { conflict, notFound, type Clock } from '../../kernel';
import { callbackPath, type ProviderPaymentStatus, type RefundResult } from './payment-provider';
import type { NotificationKind } from './payments.schema';
import { SIGNATURE_HEADER, signatureHeader } from './sandbox-signature';

/** The JSON the sandbox posts to linli; what SandboxProvider.verifyNotification reads. */
export interface SandboxNotificationBody {
  eventId: string;
  kind: NotificationKind;
  paymentId: number;
  amountFen: number;
  providerRef?: string | null;
  refundRef?: string;
  occurredAt: string;
}

/** How the gateway reaches linli: app.inject in-process, or fetch to a public URL. */
export type SandboxTransport = (req: { url: string; headers: Record<string, string>; body: string }) => Promise<{ status: number }>;

interface GatewayPayment {
  amountFen: number;
  status: ProviderPaymentStatus;
  notifyUrl: string;
}

export class SandboxGateway {
  private readonly payments = new Map<number, GatewayPayment>();
  private transport: SandboxTransport | null = null;

  constructor(
    private readonly secret: string | Buffer,
    private readonly clock: Clock,
  ) {}

  /** Set once the HTTP app exists (the routes do it), since services are built before the app. */
  connect(transport: SandboxTransport): void {
    this.transport = transport;
  }

  // ── the provider API (called by SandboxProvider) ─────────────────────────────
  open(paymentId: number, amountFen: number, notifyUrl: string): void {
    // Like out_trade_no at a real provider: opening the same payment again is not a new charge.
    if (!this.payments.has(paymentId)) this.payments.set(paymentId, { amountFen, status: 'created', notifyUrl });
  }

  query(paymentId: number): { status: ProviderPaymentStatus; amountFen: number } {
    const p = this.payments.get(paymentId);
    if (!p) throw notFound('sandbox payment', paymentId);
    return { status: p.status, amountFen: p.amountFen };
  }

  close(paymentId: number): void {
    const p = this.payments.get(paymentId);
    if (p?.status === 'succeeded') throw conflict(`sandbox payment ${paymentId} is already paid`);
    if (p) p.status = 'closed';
    else this.payments.set(paymentId, { amountFen: 0, status: 'closed', notifyUrl: callbackPath('sandbox') });
  }

  refund(paymentId: number, refundRef: string): RefundResult {
    // Sandbox refunds succeed at once; the id is derived from refundRef so a retry is the same refund.
    return { status: 'succeeded', providerRef: `sbx_rf_${paymentId}_${refundRef}` };
  }

  // ── the buyer's page ──────────────────────────────────────────────────────────
  /**
   * The buyer pressed pay (succeeded) or cancel (failed): record it here and notify linli.
   * The event id is fixed per payment and outcome, so pressing twice, or a retry after a lost
   * answer, redelivers the same event and linli's dedup absorbs it.
   */
  async complete(
    payment: { id: number; amountFen: number },
    outcome: 'succeeded' | 'failed',
  ): Promise<{ eventId: string; httpStatus: number }> {
    let p = this.payments.get(payment.id);
    if (!p) {
      p = { amountFen: payment.amountFen, status: 'created', notifyUrl: callbackPath('sandbox') };
      this.payments.set(payment.id, p);
    }
    if (p.status === 'closed') throw conflict('this payment was closed; start a new one from the order');
    if (p.status !== 'created' && p.status !== outcome) throw conflict(`this payment already ${p.status}`);
    p.status = outcome;
    const body: SandboxNotificationBody = {
      eventId: `sbx_${payment.id}_${outcome}`,
      kind: outcome === 'succeeded' ? 'payment.succeeded' : 'payment.failed',
      paymentId: payment.id,
      amountFen: p.amountFen,
      providerRef: `sbx_txn_${payment.id}`,
      occurredAt: this.clock.now().toISOString(),
    };
    return { eventId: body.eventId, httpStatus: await this.deliver(p.notifyUrl, body) };
  }

  /** A notification as the sandbox would send it; tests use this to replay or tamper. */
  signed(body: SandboxNotificationBody, at: Date = this.clock.now()): { headers: Record<string, string>; rawBody: string } {
    const rawBody = JSON.stringify(body);
    return {
      rawBody,
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signatureHeader(this.secret, rawBody, at) },
    };
  }

  async deliver(url: string, body: SandboxNotificationBody): Promise<number> {
    if (!this.transport) throw new Error('sandbox gateway is not connected to the HTTP app');
    const { headers, rawBody } = this.signed(body);
    return (await this.transport({ url, headers, body: rawBody })).status;
  }
}
