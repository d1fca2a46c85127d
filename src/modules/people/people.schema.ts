// Drizzle view of the tables created in src/db/migrations; the SQL files are the truth,
// and src/db/schema.test.ts fails if the two drift apart.
import { bigint, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const ROLES = [
  'resident',
  'leader',
  'host',
  'store_owner',
  'store_clerk',
  'warehouse_staff',
  'driver',
  'operator',
] as const;
export type Role = (typeof ROLES)[number];

export const accounts = pgTable('accounts', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  phone: text('phone').notNull().unique(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const accountRoles = pgTable(
  'account_roles',
  {
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id),
    role: text('role').$type<Role>().notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.role] })],
);

export const sessions = pgTable('sessions', {
  tokenHash: text('token_hash').primaryKey(),
  accountId: bigint('account_id', { mode: 'number' })
    .notNull()
    .references(() => accounts.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});
