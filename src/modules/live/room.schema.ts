// Drizzle view of the live room's tables (src/db/migrations/0015_live.sql): chat, mutes and the
// per-minute and per-pin figures. Sessions, bag, pins and the rest are in live.schema.ts.
import { bigint, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const ref = (name: string) => bigint(name, { mode: 'number' });
const ts = (name: string) => timestamp(name, { withTimezone: true });

export const liveChatMessages = pgTable('live_chat_messages', {
  id: ref('id').primaryKey().generatedAlwaysAsIdentity(),
  sessionId: ref('session_id').notNull(),
  accountId: ref('account_id').notNull(),
  body: text('body').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  removedAt: ts('removed_at'),
  removedBy: ref('removed_by'),
});

export const liveMutes = pgTable(
  'live_mutes',
  {
    sessionId: ref('session_id').notNull(),
    accountId: ref('account_id').notNull(),
    mutedBy: ref('muted_by').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.accountId] })],
);

export const liveMinuteStats = pgTable(
  'live_minute_stats',
  {
    sessionId: ref('session_id').notNull(),
    minute: ts('minute').notNull(),
    onlinePeak: integer('online_peak').notNull().default(0),
    viewersCumulative: integer('viewers_cumulative').notNull().default(0),
    likes: integer('likes').notNull().default(0),
    chats: integer('chats').notNull().default(0),
    exposures: integer('exposures').notNull().default(0),
    clicks: integer('clicks').notNull().default(0),
    orders: integer('orders').notNull().default(0),
    buyers: integer('buyers').notNull().default(0),
    gmvFen: bigint('gmv_fen', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.minute] })],
);

export const livePinStats = pgTable('live_pin_stats', {
  pinId: ref('pin_id').primaryKey(),
  exposures: integer('exposures').notNull().default(0),
  clicks: integer('clicks').notNull().default(0),
  orders: integer('orders').notNull().default(0),
  gmvFen: bigint('gmv_fen', { mode: 'number' }).notNull().default(0),
});

export type LiveChatMessageRow = typeof liveChatMessages.$inferSelect;
export type LiveMinuteStatsRow = typeof liveMinuteStats.$inferSelect;
