import type { Database, Executor, Tx } from '../../db';
import { badInput, conflict, DomainError, notFound, type Clock } from '../../kernel';
import { isOperator, requireActor, type Actor } from '../people';
import { CASH } from './cash-provider';
import { callbackPath, type NotificationHeaders, type PaymentNotification, type PaymentProvider } from './payment-provider';
import { PaymentsRepo, type CallbackRow, type PaymentRow, type RefundRow } from './payments.repo';
import type { CallbackOutcome, PaymentStatus } from './payments.schema';

/** ¥1,000,000: far above any neighbourhood basket, far below 2^53. */
export const MAX_PAYMENT_FEN = 100_000_000;
const REFUND_REF = /^[A-Za-z0-9_-]{1,64}$/;
/** Providers whose payments are taken face to face and settled by linli itself (settleInPerson). */
const IN_PERSON = new Set([CASH]);

export interface CreatePaymentInput {
  orderId: number;
  payerAccountId: number;
  amountFen: number;
  description: string;
  /** Default: the first provider given to the service. */
  provider?: string | undefined;
  payerRef?: string | undefined;
  returnUrl?: string | undefined;
}

export interface RefundInput {
  paymentId: number;
  /** The caller's id for this refund; the same ref twice is the same refund. */
  refundRef: string;
  amountFen: number;
  reason: string;
}

export type NotificationResult =
  | { processed: true; paymentId: number; status: PaymentStatus }
  | {
      processed: false;
      paymentId: number;
      status: PaymentStatus;
      /** replayed: seen before; not_created: the payment had already ended; order_already_paid:
       *  another payment of the order succeeded (money to return by hand); refund_not_pending /
       *  unknown_refund: nothing to settle. */
      reason: 'replayed' | 'not_created' | 'order_already_paid' | 'refund_not_pending' | 'unknown_refund';
    };

export type SucceededHook = (tx: Tx, payment: PaymentRow) => Promise<void>;
export type RefundHook = (tx: Tx, refund: RefundRow, payment: PaymentRow) => Promise<void>;

export class PaymentsService {
  private readonly repo = new PaymentsRepo();
  private readonly providers = new Map<string, PaymentProvider>();
  private readonly succeededHooks: SucceededHook[] = [];
  private readonly refundHooks: RefundHook[] = [];

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    providers: PaymentProvider[],
  ) {
    if (providers.length === 0) throw new Error('PaymentsService needs at least one provider');
    for (const p of providers) this.providers.set(p.name, p);
  }

  provider(name: string): PaymentProvider {
    const p = this.providers.get(name);
    if (!p) throw notFound('payment provider', name);
    return p;
  }

  /**
   * Run inside the transaction that records the success, before it commits: mark the order
   * paid, commit stock, post the ledger. A hook that throws rolls the whole notification back
   * (nothing recorded), the route answers non-2xx and the provider retries later.
   */
  onSucceeded(handler: SucceededHook): void {
    this.succeededHooks.push(handler);
  }

  /** Run in the transaction in which a refund is confirmed (at once for the sandbox, by notification for WeChat). */
  onRefundSucceeded(handler: RefundHook): void {
    this.refundHooks.push(handler);
  }

  /**
   * Open a payment for an order, in the caller's transaction. The provider is asked inside it:
   * if the transaction later rolls back, the provider holds an unpaid attempt under an id linli
   * never used, which expires there; nobody can pay it through linli.
   */
  async createPayment(
    tx: Tx,
    input: CreatePaymentInput,
  ): Promise<{ payment: PaymentRow; payUrl: string | null; clientParams: Record<string, string> | null }> {
    const provider = this.provider(input.provider ?? this.providers.keys().next().value!);
    if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0 || input.amountFen > MAX_PAYMENT_FEN) {
      throw badInput('amountFen', `amount must be a whole number of fen between 1 and ${MAX_PAYMENT_FEN}`);
    }
    // 127: WeChat Pay's limit on description; Alipay's subject allows 256.
    const description = input.description.trim();
    if (description.length < 1 || description.length > 127) throw badInput('description', 'description must be 1–127 characters');
    const row = await this.repo.insertPayment(tx, {
      orderId: input.orderId,
      payerAccountId: input.payerAccountId,
      provider: provider.name,
      amountFen: input.amountFen,
    });
    const created = await provider.createPayment({
      paymentId: row.id,
      orderId: row.orderId,
      amountFen: row.amountFen,
      description,
      payerRef: input.payerRef,
      notifyUrl: callbackPath(provider.name),
      returnUrl: input.returnUrl,
    });
    const payment = await this.repo.setProviderRef(tx, row.id, created.providerRef);
    return { payment, payUrl: created.payUrl ?? null, clientParams: created.clientParams ?? null };
  }

  /**
   * Open payments for a whole checkout batch in the caller's transaction: one insert and one
   * update however many orders, the provider asked for each (the sandbox answers in memory).
   */
  async createPayments(
    tx: Tx,
    inputs: CreatePaymentInput[],
  ): Promise<{ payment: PaymentRow; payUrl: string | null }[]> {
    if (inputs.length === 0) return [];
    const defaultProvider = this.providers.keys().next().value!;
    inputs.forEach((input, i) => {
      if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0 || input.amountFen > MAX_PAYMENT_FEN) {
        throw badInput(`${i}.amountFen`, `amount must be a whole number of fen between 1 and ${MAX_PAYMENT_FEN}`);
      }
    });
    const rows = await this.repo.insertPayments(
      tx,
      inputs.map((input) => ({
        orderId: input.orderId,
        payerAccountId: input.payerAccountId,
        provider: this.provider(input.provider ?? defaultProvider).name,
        amountFen: input.amountFen,
      })),
    );
    const created = await Promise.all(
      rows.map((row, i) =>
        this.provider(row.provider).createPayment({
          paymentId: row.id,
          orderId: row.orderId,
          amountFen: row.amountFen,
          // 127: WeChat Pay's limit on description.
          description: inputs[i]!.description.trim().slice(0, 127) || `order ${row.orderId}`,
          payerRef: inputs[i]!.payerRef,
          notifyUrl: callbackPath(row.provider),
          returnUrl: inputs[i]!.returnUrl,
        }),
      ),
    );
    const refs = created.flatMap((c, i) => (c.providerRef ? [{ id: rows[i]!.id, providerRef: c.providerRef }] : []));
    await this.repo.setProviderRefs(tx, refs);
    return rows.map((row, i) => ({ payment: { ...row, providerRef: created[i]!.providerRef }, payUrl: created[i]!.payUrl ?? null }));
  }

  /**
   * Verify a provider's notification and apply it exactly once. Verification happens before
   * any database work, so a forged or expired callback changes nothing. Everything after runs
   * in one transaction holding the payment's row lock: identical notifications arriving
   * together queue on it, and all but the first find their event id taken.
   */
  async handleNotification(providerName: string, headers: NotificationHeaders, rawBody: string): Promise<NotificationResult> {
    const n = this.provider(providerName).verifyNotification(headers, rawBody, this.clock.now());
    return this.db.orm.transaction(async (tx) => {
      const p = await this.repo.lock(tx, n.paymentId);
      if (!p || p.provider !== providerName) throw notFound('payment', n.paymentId);
      return n.kind.startsWith('payment.') ? this.applyPaymentEvent(tx, providerName, p, n) : this.applyRefundEvent(tx, providerName, p, n);
    });
  }

  private async applyPaymentEvent(tx: Tx, provider: string, p: PaymentRow, n: PaymentNotification): Promise<NotificationResult> {
    if (n.amountFen !== p.amountFen) {
      // The provider says a different sum moved than linli asked for: never settle on that.
      // Refused without a trace so it keeps retrying (and alerting) until someone reconciles.
      throw new DomainError('unprocessable', `notification amount ${n.amountFen} ≠ payment amount ${p.amountFen}`, { field: 'amountFen' });
    }
    let reason: Extract<NotificationResult, { processed: false }>['reason'] | null = null;
    if (p.status !== 'created') reason = 'not_created';
    else if (n.kind === 'payment.succeeded' && (await this.repo.orderPaidElsewhere(tx, p.orderId, p.id))) reason = 'order_already_paid';
    if (!(await this.record(tx, provider, n, reason ? 'ignored' : 'applied'))) return { processed: false, paymentId: p.id, status: p.status, reason: 'replayed' };
    if (reason) return { processed: false, paymentId: p.id, status: p.status, reason };

    const now = this.clock.now();
    if (n.kind === 'payment.failed') {
      const ended = await this.repo.markEnded(tx, p.id, 'failed', now);
      return { processed: true, paymentId: p.id, status: ended!.status };
    }
    // The row is locked and was checked above; the conditions are repeated in the UPDATE so
    // the database, not this code, is what guarantees "once, and for exactly this amount".
    const paid = await this.repo.markSucceeded(tx, p.id, n.amountFen, n.providerRef, now);
    if (!paid) throw new Error(`payment ${p.id} changed under its row lock`);
    for (const hook of this.succeededHooks) await hook(tx, paid);
    return { processed: true, paymentId: p.id, status: paid.status };
  }

  private async applyRefundEvent(tx: Tx, provider: string, p: PaymentRow, n: PaymentNotification): Promise<NotificationResult> {
    const refund = n.refundRef ? await this.repo.findRefund(tx, p.id, n.refundRef) : null;
    if (refund && n.amountFen !== refund.amountFen) {
      throw new DomainError('unprocessable', `refund amount ${n.amountFen} ≠ ${refund.amountFen}`, { field: 'amountFen' });
    }
    // A refund linli did not ask for (made in the provider's merchant console) is kept on record
    // for reconciliation but does not move refunded_fen: only linli's own refunds do.
    const reason = !refund ? 'unknown_refund' : refund.status !== 'pending' ? 'refund_not_pending' : null;
    if (!(await this.record(tx, provider, n, reason ? 'ignored' : 'applied'))) return { processed: false, paymentId: p.id, status: p.status, reason: 'replayed' };
    if (reason) return { processed: false, paymentId: p.id, status: p.status, reason };
    await this.settleRefund(tx, refund!, n.kind === 'refund.succeeded' ? 'succeeded' : 'failed', n.providerRef);
    return { processed: true, paymentId: p.id, status: p.status };
  }

  private async record(tx: Tx, provider: string, n: PaymentNotification, outcome: CallbackOutcome): Promise<CallbackRow | null> {
    return this.repo.insertCallback(tx, { provider, eventId: n.eventId, paymentId: n.paymentId, kind: n.kind, outcome });
  }

  private async settleRefund(tx: Tx, refund: RefundRow, status: 'succeeded' | 'failed', providerRef: string | null): Promise<RefundRow> {
    const done = await this.repo.completeRefund(tx, refund.id, status, providerRef, this.clock.now());
    if (!done) return refund;
    if (status === 'failed') {
      await this.repo.releaseRefund(tx, refund.paymentId, refund.amountFen);
      return done;
    }
    const payment = (await this.repo.find(tx, refund.paymentId))!;
    for (const hook of this.refundHooks) await hook(tx, done, payment);
    return done;
  }

  /**
   * Settle a payment taken in person (cash at a store's till), in the caller's transaction: the
   * same success path as a provider's notification (row lock, conditional update, the success
   * hooks: order paid, stock committed, ledger posted), without a notification to verify. Only
   * in-person providers may be settled this way. Settling one already settled returns it as is.
   */
  async settleInPerson(tx: Tx, paymentId: number): Promise<PaymentRow> {
    const p = await this.repo.lock(tx, paymentId);
    if (!p) throw notFound('payment', paymentId);
    if (!IN_PERSON.has(p.provider)) throw conflict(`payment ${p.id} is paid through ${p.provider}, not in person`, 'paymentId');
    if (p.status === 'succeeded') return p;
    if (p.status !== 'created') throw conflict(`payment ${p.id} is ${p.status}`, 'paymentId');
    const paid = await this.repo.markSucceeded(tx, p.id, p.amountFen, p.providerRef, this.clock.now());
    if (!paid) throw new Error(`payment ${p.id} changed under its row lock`);
    for (const hook of this.succeededHooks) await hook(tx, paid);
    return paid;
  }

  /**
   * Give back part or all of a succeeded payment, in the caller's transaction. Idempotent on
   * (paymentId, refundRef): the same ref and amount returns the first refund; the same ref with
   * another amount is refused. The amount is counted against the payment with one conditional
   * UPDATE before the provider is asked, so concurrent refunds can never add up to more.
   */
  async refund(tx: Tx, input: RefundInput): Promise<RefundRow> {
    if (!REFUND_REF.test(input.refundRef)) throw badInput('refundRef', 'refundRef must be 1–64 letters, digits, _ or -');
    if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) throw badInput('amountFen', 'refund must be a positive whole number of fen');
    // 80: WeChat Pay's limit on a refund reason.
    const reason = input.reason.trim().slice(0, 80);
    const p = await this.repo.lock(tx, input.paymentId);
    if (!p) throw notFound('payment', input.paymentId);
    const earlier = await this.repo.findRefund(tx, p.id, input.refundRef);
    if (earlier) {
      if (earlier.amountFen !== input.amountFen) {
        throw new DomainError('unprocessable', `refund ${input.refundRef} was already made for ${earlier.amountFen} fen`, { field: 'refundRef' });
      }
      return earlier;
    }
    if (p.status !== 'succeeded') throw conflict(`payment ${p.id} is ${p.status}, not succeeded: nothing to refund`, 'paymentId');
    if (!(await this.repo.reserveRefund(tx, p.id, input.amountFen))) {
      throw conflict(`only ${p.amountFen - p.refundedFen} fen of payment ${p.id} can still be refunded`, 'amountFen');
    }
    const pending = await this.repo.insertRefund(tx, { paymentId: p.id, refundRef: input.refundRef, amountFen: input.amountFen, reason });
    const res = await this.provider(p.provider).refund({
      paymentId: p.id,
      providerRef: p.providerRef,
      refundRef: input.refundRef,
      amountFen: input.amountFen,
      totalFen: p.amountFen,
      reason,
    });
    if (res.status === 'succeeded') return this.settleRefund(tx, pending, 'succeeded', res.providerRef);
    return this.repo.setRefundProviderRef(tx, pending.id, res.providerRef);
  }

  /**
   * Stop an unpaid payment (its order expired or was cancelled). A payment that already ended
   * is returned as it is. When the provider says it was paid meanwhile, its 'conflict' propagates:
   * the success notification is on its way and the caller should leave the order for it.
   */
  async closePayment(tx: Tx, paymentId: number): Promise<PaymentRow> {
    const p = await this.repo.lock(tx, paymentId);
    if (!p) throw notFound('payment', paymentId);
    if (p.status !== 'created') return p;
    await this.provider(p.provider).closePayment(p.id, p.providerRef);
    return (await this.repo.markEnded(tx, p.id, 'closed', this.clock.now()))!;
  }

  async getPayment(id: number, db: Executor = this.db.orm): Promise<PaymentRow> {
    const p = await this.repo.find(db, id);
    if (!p) throw notFound('payment', id);
    return p;
  }

  /** The payer or an operator; anyone else is told it does not exist (ids are sequential). */
  async viewPayment(actor: Actor | null, id: number, db: Executor = this.db.orm): Promise<PaymentRow & { refunds: RefundRow[] }> {
    const a = requireActor(actor);
    const p = await this.repo.find(db, id);
    if (!p || (p.payerAccountId !== a.accountId && !isOperator(a))) throw notFound('payment', id);
    return { ...p, refunds: await this.repo.listRefunds(db, id) };
  }

  async listForOrder(orderId: number, db: Executor = this.db.orm): Promise<PaymentRow[]> {
    return this.repo.listForOrder(db, orderId);
  }

  async listRefunds(paymentId: number, db: Executor = this.db.orm): Promise<RefundRow[]> {
    return this.repo.listRefunds(db, paymentId);
  }

  async listCallbacks(paymentId: number, db: Executor = this.db.orm): Promise<CallbackRow[]> {
    return this.repo.listCallbacks(db, paymentId);
  }

  /**
   * The sandbox page's buttons, checked in the idempotent request's transaction: only the payer,
   * only a sandbox payment, only while it can still be paid. Returns the locked row.
   */
  async checkSandboxCheckout(tx: Tx, actor: Actor | null, paymentId: number): Promise<PaymentRow> {
    const a = requireActor(actor);
    const p = await this.repo.lock(tx, paymentId);
    if (!p || p.payerAccountId !== a.accountId || p.provider !== 'sandbox') throw notFound('payment', paymentId);
    if (p.status !== 'created') throw conflict(`payment ${p.id} is already ${p.status}`, 'paymentId');
    return p;
  }
}
