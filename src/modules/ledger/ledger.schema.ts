// Drizzle view of the ledger tables (src/db/migrations/0005_ledger.sql); checked by
// src/db/schema.test.ts. Orders, lines and payments are plain ids here on purpose (no FK).
import { bigint, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { accounts } from '../people/people.schema';

export const LEDGER_KINDS = ['asset', 'liability', 'revenue', 'expense'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];
export const PARTIES = ['leader', 'host', 'store', 'referrer'] as const;
export type Party = (typeof PARTIES)[number];
export type CommissionStatus = 'frozen' | 'released';
export const PAYOUT_STATUSES = ['requested', 'paid', 'rejected'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

const id = () => bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity();
const ref = (name: string) => bigint(name, { mode: 'number' });
const fenCol = (name: string) => bigint(name, { mode: 'number' });
const at = (name: string) => timestamp(name, { withTimezone: true });

export const ledgerAccounts = pgTable('ledger_accounts', {
  id: id(),
  code: text('code').notNull().unique(),
  kind: text('kind').$type<LedgerKind>().notNull(),
  ownerAccountId: ref('owner_account_id').references(() => accounts.id),
  balanceFen: fenCol('balance_fen').notNull().default(0),
  createdAt: at('created_at').notNull().defaultNow(),
});

export const journalEntries = pgTable('journal_entries', {
  id: id(),
  kind: text('kind').notNull(),
  refType: text('ref_type').notNull(),
  refId: ref('ref_id').notNull(),
  idempotencyKey: text('idempotency_key').notNull().unique(),
  memo: text('memo'),
  createdAt: at('created_at').notNull().defaultNow(),
});

export const journalLines = pgTable(
  'journal_lines',
  {
    id: id(),
    entryId: ref('entry_id')
      .notNull()
      .references(() => journalEntries.id),
    ledgerAccountId: ref('ledger_account_id')
      .notNull()
      .references(() => ledgerAccounts.id),
    amountFen: fenCol('amount_fen').notNull(),
  },
  (t) => [unique().on(t.entryId, t.ledgerAccountId)],
);

export const commissions = pgTable('commissions', {
  id: id(),
  orderId: ref('order_id').notNull(),
  orderLineId: ref('order_line_id'),
  paymentId: ref('payment_id').notNull(),
  entryId: ref('entry_id')
    .notNull()
    .references(() => journalEntries.id),
  party: text('party').$type<Party>().notNull(),
  beneficiaryAccountId: ref('beneficiary_account_id')
    .notNull()
    .references(() => accounts.id),
  baseFen: fenCol('base_fen').notNull(),
  amountFen: fenCol('amount_fen').notNull(),
  reversedFen: fenCol('reversed_fen').notNull().default(0),
  status: text('status').$type<CommissionStatus>().notNull().default('frozen'),
  releaseAfter: at('release_after'),
  createdAt: at('created_at').notNull().defaultNow(),
  releasedAt: at('released_at'),
});

export const payouts = pgTable('payouts', {
  id: id(),
  beneficiaryAccountId: ref('beneficiary_account_id')
    .notNull()
    .references(() => accounts.id),
  amountFen: fenCol('amount_fen').notNull(),
  status: text('status').$type<PayoutStatus>().notNull().default('requested'),
  reason: text('reason'),
  decidedBy: ref('decided_by').references(() => accounts.id),
  createdAt: at('created_at').notNull().defaultNow(),
  decidedAt: at('decided_at'),
});
