// Drizzle view of the payment tables (src/db/migrations/0006_payments.sql); checked by
// src/db/schema.test.ts.
import { bigint, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { accounts } from '../people/people.schema';

export const PAYMENT_STATUSES = ['created', 'succeeded', 'failed', 'closed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export const REFUND_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];
export const NOTIFICATION_KINDS = ['payment.succeeded', 'payment.failed', 'refund.succeeded', 'refund.failed'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export type CallbackOutcome = 'applied' | 'ignored';

const id = () => bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity();
const ref = (name: string) => bigint(name, { mode: 'number' });
const at = (name: string) => timestamp(name, { withTimezone: true });

export const payments = pgTable('payments', {
  id: id(),
  // References orders(id) once the lead's migration adds the key (see 0006_payments.sql).
  orderId: ref('order_id').notNull(),
  payerAccountId: ref('payer_account_id')
    .notNull()
    .references(() => accounts.id),
  provider: text('provider').notNull(),
  amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
  status: text('status').$type<PaymentStatus>().notNull().default('created'),
  providerRef: text('provider_ref'),
  refundedFen: bigint('refunded_fen', { mode: 'number' }).notNull().default(0),
  createdAt: at('created_at').notNull().defaultNow(),
  succeededAt: at('succeeded_at'),
  closedAt: at('closed_at'),
});

export const paymentCallbacks = pgTable(
  'payment_callbacks',
  {
    id: id(),
    provider: text('provider').notNull(),
    eventId: text('event_id').notNull(),
    paymentId: ref('payment_id')
      .notNull()
      .references(() => payments.id),
    kind: text('kind').$type<NotificationKind>().notNull(),
    outcome: text('outcome').$type<CallbackOutcome>().notNull(),
    receivedAt: at('received_at').notNull().defaultNow(),
  },
  (t) => [unique().on(t.provider, t.eventId)],
);

export const paymentRefunds = pgTable(
  'payment_refunds',
  {
    id: id(),
    paymentId: ref('payment_id')
      .notNull()
      .references(() => payments.id),
    refundRef: text('refund_ref').notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    reason: text('reason').notNull().default(''),
    status: text('status').$type<RefundStatus>().notNull().default('pending'),
    providerRef: text('provider_ref'),
    createdAt: at('created_at').notNull().defaultNow(),
    completedAt: at('completed_at'),
  },
  (t) => [unique().on(t.paymentId, t.refundRef)],
);
