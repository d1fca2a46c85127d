// Orders, refunds, after-sales, payments and the ledger as the web app sees them (see
// src/http/routes/orders.schemas.ts, payments.ts and ledger.ts). Times are ISO strings.

export const ORDER_STATUSES = ['pending_payment', 'paid', 'fulfilling', 'ready', 'completed', 'cancelled', 'expired', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const CHANNELS = ['group_buy', 'live', 'store_online', 'store_counter', 'replenishment'] as const;
export type Channel = (typeof CHANNELS)[number];
export type OrderEvent = 'pay' | 'cancel' | 'expire' | 'fulfil' | 'mark_ready' | 'complete' | 'reopen' | 'refund_full';

export interface OrderLine {
  id: number;
  skuId: number;
  productId: number;
  title: string;
  spec: string;
  unit: string;
  unitPriceFen: number;
  quantity: number;
  discountFen: number;
  lineTotalFen: number;
  refundedQuantity: number;
  refundedFen: number;
}

export interface Order {
  id: number;
  orderNo: string;
  buyerAccountId: number;
  channel: Channel;
  status: OrderStatus;
  fulfilment: 'pickup' | 'delivery' | 'counter';
  regionId: number;
  communityId: number | null;
  pickupPointId: number | null;
  storeId: number | null;
  leaderAccountId: number | null;
  itemsFen: number;
  discountFen: number;
  deliveryFen: number;
  totalFen: number;
  paidFen: number;
  refundedFen: number;
  note: string;
  expiresAt: string | null;
  createdAt: string;
  paidAt: string | null;
  completedAt: string | null;
  closedAt: string | null;
  nextEvents: OrderEvent[];
  lines: OrderLine[];
}

export interface CheckoutResult {
  order: Order;
  payment: { paymentId: number; payUrl: string; amountFen: number } | null;
}

export interface RefundLine {
  refundId: number;
  orderLineId: number;
  quantity: number;
  amountFen: number;
}

export interface Refund {
  id: number;
  orderId: number;
  kind: 'full' | 'partial' | 'shortage' | 'after_sales';
  amountFen: number;
  reason: string;
  restock: boolean;
  status: 'succeeded' | 'pending' | 'failed';
  afterSalesId: number | null;
  requestedBy: number | null;
  createdAt: string;
  lines?: RefundLine[];
}

export const AFTER_SALES_REASONS = ['quality', 'damaged', 'wrong_item', 'missing', 'not_as_described', 'changed_mind', 'other'] as const;
export type AfterSalesReason = (typeof AFTER_SALES_REASONS)[number];
export type AfterSalesStatus = 'open' | 'approved' | 'rejected' | 'withdrawn';

export interface AfterSales {
  id: number;
  orderId: number;
  buyerAccountId: number;
  reason: AfterSalesReason;
  description: string;
  photoUrls: string[];
  lines: Array<{ orderLineId: number; quantity: number }>;
  requestedFen: number;
  status: AfterSalesStatus;
  decidedBy: number | null;
  decisionNote: string;
  refundId: number | null;
  createdAt: string;
  decidedAt: string | null;
}

export interface OrderPayment {
  id: number;
  provider: string;
  status: 'created' | 'succeeded' | 'failed' | 'closed';
  amountFen: number;
  createdAt: string;
}

// ── ledger ─────────────────────────────────────────────────────────────────────
export interface Statement {
  balances: { frozenFen: number; availableFen: number; payoutPendingFen: number; lifetimeEarnedFen: number; paidOutFen: number };
  commissions: {
    items: Array<{
      id: number;
      orderId: number;
      party: string;
      baseFen: number;
      amountFen: number;
      reversedFen: number;
      status: 'frozen' | 'released';
      releaseAfter: string | null;
      createdAt: string;
    }>;
    nextCursor: string | null;
  };
  lines: {
    items: Array<{
      id: number;
      entryId: number;
      bucket: 'frozen' | 'available' | 'payout_pending';
      changeFen: number;
      kind: string;
      refType: string;
      refId: number;
      memo: string | null;
      createdAt: string;
    }>;
    nextCursor: string | null;
  };
}

export type PayoutStatus = 'requested' | 'paid' | 'rejected';
export interface Payout {
  id: number;
  beneficiaryAccountId: number;
  amountFen: number;
  status: PayoutStatus;
  reason: string | null;
  decidedBy: number | null;
  createdAt: string;
  decidedAt: string | null;
}

export interface LedgerAccount {
  id: number;
  code: string;
  kind: string;
  ownerAccountId: number | null;
  balanceFen: number;
  createdAt: string;
}

export interface LedgerEntry {
  id: number;
  kind: string;
  refType: string;
  refId: number;
  idempotencyKey: string;
  memo: string | null;
  createdAt: string;
  lines: Array<{ ledgerAccountId: number; code: string; amountFen: number }>;
}

export interface LedgerVerify {
  ok: boolean;
  trialBalance: { sumFen: number; accounts: number };
  problems: Array<Record<string, unknown> & { kind: string }>;
}

/**
 * A fresh Idempotency-Key. crypto.randomUUID exists only in secure contexts, and the demo is
 * often opened over plain http on a LAN address from a phone; getRandomValues works everywhere.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function' && window.isSecureContext) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Order states a buyer still waits on (paid, being packed, at the point). */
export const IN_PROGRESS: readonly OrderStatus[] = ['paid', 'fulfilling', 'ready'];
export const REFUNDABLE: readonly OrderStatus[] = ['paid', 'fulfilling', 'ready', 'completed'];
