// The seam between linli and a payment provider. Small on purpose: each method is one provider
// API call, so a WeChat Pay v3 or Alipay adapter is a thin translation (docs/payments.md maps
// every method onto both). Everything that must be exactly-once (recording a success, running
// the order hooks, counting refunded fen) stays in PaymentsService, not in adapters.
import type { NotificationKind } from './payments.schema';

export interface CreatePaymentRequest {
  /** linli's payment id: sent as out_trade_no, so a retried create can never charge twice. */
  paymentId: number;
  orderId: number;
  /** Integer fen. WeChat takes fen (amount.total); Alipay takes a yuan string ("12.50"). */
  amountFen: number;
  /** What the buyer sees on the provider's page (WeChat description, Alipay subject). */
  description: string;
  /** The buyer's id at the provider, when the method needs one (WeChat JSAPI openid, Alipay buyer_id). */
  payerRef?: string | undefined;
  /** Path of linli's callback route for this provider; adapters prefix their public base URL. */
  notifyUrl: string;
  /** Where the buyer's browser goes afterwards (Alipay return_url, WeChat H5 redirect_url). */
  returnUrl?: string | undefined;
}

export interface CreatedPayment {
  /** The provider's id for the attempt (WeChat prepay_id, Alipay trade_no), if it gives one now. */
  providerRef: string | null;
  /** A page the buyer opens (Alipay page pay / QR code_url, WeChat native code_url, the sandbox page). */
  payUrl?: string | undefined;
  /** Parameters for a client SDK to start payment (WeChat JSAPI: appId, timeStamp, nonceStr, package, signType, paySign). */
  clientParams?: Record<string, string> | undefined;
}

/**
 * A verified notification, in linli's terms. Providers describe the same events in their own
 * shapes (WeChat: TRANSACTION.SUCCESS / REFUND.SUCCESS with an encrypted resource; Alipay:
 * trade_status=TRADE_SUCCESS form posts); the adapter translates.
 */
export interface PaymentNotification {
  /**
   * Unique per event at the provider, stable across the provider's retries: the dedup key.
   * WeChat: the notification's `id`; Alipay: `notify_id`.
   */
  eventId: string;
  kind: NotificationKind;
  /** linli's payment id (WeChat out_trade_no, Alipay out_trade_no). */
  paymentId: number;
  /** The provider's transaction / refund id (WeChat transaction_id or refund_id, Alipay trade_no). */
  providerRef: string | null;
  /** For payment.* the amount paid; for refund.* the amount refunded. Integer fen. */
  amountFen: number;
  /** refund.* only: the caller's refund id echoed back (WeChat out_refund_no, Alipay out_request_no). */
  refundRef?: string | undefined;
  occurredAt: Date;
}

export interface RefundRequest {
  paymentId: number;
  providerRef: string | null;
  /** Idempotency key at the provider: WeChat out_refund_no, Alipay out_request_no. */
  refundRef: string;
  amountFen: number;
  /** The whole payment: WeChat requires amount.total alongside amount.refund. */
  totalFen: number;
  reason: string;
}

export interface RefundResult {
  /** 'pending': the provider will confirm with a refund notification (WeChat usually does). */
  status: 'succeeded' | 'pending';
  providerRef: string | null;
}

export type ProviderPaymentStatus = 'created' | 'succeeded' | 'closed' | 'failed';

export type NotificationHeaders = Record<string, string | string[] | undefined>;

export interface PaymentProvider {
  /** 'sandbox' | 'wechatpay' | 'alipay': the :provider segment of the callback URL. */
  readonly name: string;

  /** Open a payment at the provider (WeChat JSAPI/native prepay, alipay.trade.create / precreate / page.pay). */
  createPayment(req: CreatePaymentRequest): Promise<CreatedPayment>;

  /**
   * Check a notification's signature, timestamp and format and translate it. Pure: no I/O
   * beyond keys the adapter already holds (WeChat platform certificates are refreshed outside).
   * Throws DomainError 'unauthenticated' when forged, signed with another key or outside the
   * time window; 'bad_input' when well signed but malformed. Amounts are checked by the service.
   */
  verifyNotification(headers: NotificationHeaders, rawBody: string, now: Date): PaymentNotification;

  /**
   * Ask for a refund. Must be idempotent on refundRef at the provider (both real providers are),
   * because the caller's transaction may roll back after the provider accepted it and a retry
   * then sends the same refundRef again.
   */
  refund(req: RefundRequest): Promise<RefundResult>;

  /** The provider's view, for reconciliation and for a notification that never came. */
  queryPayment(paymentId: number, providerRef: string | null): Promise<{ status: ProviderPaymentStatus; amountFen?: number }>;

  /**
   * Stop the buyer from paying (unpaid order expired). Throws DomainError 'conflict' when the
   * provider says the payment already succeeded (WeChat ORDERPAID, Alipay TRADE_SUCCESS): the
   * success notification is then on its way and must win.
   */
  closePayment(paymentId: number, providerRef: string | null): Promise<void>;
}

/** The callback route path for a provider; what createPayment passes as notifyUrl. */
export const callbackPath = (provider: string) => `/api/payments/callbacks/${provider}`;
