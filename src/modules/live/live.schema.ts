// Drizzle view of the live-selling tables (src/db/migrations/0015_live.sql) that this module
// owns: hosts, follows, sessions with their bag, pins, flash sales, coupons and the replay
// timeline. Chat, mutes and the per-minute figures belong to the live room (src/http/live-room.ts).
import { bigint, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const ref = (name: string) => bigint(name, { mode: 'number' });
const ts = (name: string) => timestamp(name, { withTimezone: true });

export type LiveSessionStatus = 'scheduled' | 'live' | 'ended' | 'cancelled';
export type FlashSaleStatus = 'open' | 'sold_out' | 'ended';
export const TIMELINE_KINDS = ['started', 'ended', 'pinned', 'unpinned', 'price', 'flash_started', 'flash_sold_out', 'flash_ended', 'coupon'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const hostProfiles = pgTable('host_profiles', {
  accountId: ref('account_id').primaryKey(),
  displayName: text('display_name').notNull(),
  persona: text('persona').notNull().default(''),
  avatarUrl: text('avatar_url'),
  regionId: ref('region_id').notNull(),
  commissionBp: integer('commission_bp').notNull().default(500),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const hostFollows = pgTable(
  'host_follows',
  {
    hostAccountId: ref('host_account_id').notNull(),
    followerAccountId: ref('follower_account_id').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.hostAccountId, t.followerAccountId] })],
);

export const liveSessions = pgTable('live_sessions', {
  id: ref('id').primaryKey().generatedAlwaysAsIdentity(),
  hostAccountId: ref('host_account_id').notNull(),
  regionId: ref('region_id').notNull(),
  title: text('title').notNull(),
  coverUrl: text('cover_url'),
  streamUrl: text('stream_url').notNull(),
  recordingUrl: text('recording_url'),
  scheduledAt: ts('scheduled_at').notNull(),
  startedAt: ts('started_at'),
  endedAt: ts('ended_at'),
  status: text('status').$type<LiveSessionStatus>().notNull().default('scheduled'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const liveBagItems = pgTable(
  'live_bag_items',
  {
    sessionId: ref('session_id').notNull(),
    skuId: ref('sku_id').notNull(),
    position: integer('position').notNull().default(0),
    livePriceFen: integer('live_price_fen').notNull(),
    limitPerPerson: integer('limit_per_person'),
    allotted: integer('allotted').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.skuId] })],
);

export const livePins = pgTable('live_pins', {
  id: ref('id').primaryKey().generatedAlwaysAsIdentity(),
  sessionId: ref('session_id').notNull(),
  skuId: ref('sku_id').notNull(),
  startedAt: ts('started_at').notNull().defaultNow(),
  endedAt: ts('ended_at'),
});

export const liveFlashSales = pgTable('live_flash_sales', {
  id: ref('id').primaryKey().generatedAlwaysAsIdentity(),
  sessionId: ref('session_id').notNull(),
  skuId: ref('sku_id').notNull(),
  priceFen: integer('price_fen').notNull(),
  quantity: integer('quantity').notNull(),
  limitPerPerson: integer('limit_per_person').notNull().default(1),
  startsAt: ts('starts_at').notNull(),
  endsAt: ts('ends_at').notNull(),
  status: text('status').$type<FlashSaleStatus>().notNull().default('open'),
});

export const liveCoupons = pgTable('live_coupons', {
  id: ref('id').primaryKey().generatedAlwaysAsIdentity(),
  sessionId: ref('session_id').notNull(),
  amountFen: integer('amount_fen').notNull(),
  minSpendFen: integer('min_spend_fen').notNull().default(0),
  quantity: integer('quantity').notNull(),
  claimed: integer('claimed').notNull().default(0),
  releasedAt: ts('released_at').notNull().defaultNow(),
  expiresAt: ts('expires_at').notNull(),
});

export const liveCouponClaims = pgTable('live_coupon_claims', {
  id: ref('id').primaryKey().generatedAlwaysAsIdentity(),
  couponId: ref('coupon_id').notNull(),
  accountId: ref('account_id').notNull(),
  orderId: ref('order_id'),
  claimedAt: ts('claimed_at').notNull().defaultNow(),
});

export const liveTimeline = pgTable('live_timeline', {
  id: ref('id').primaryKey().generatedAlwaysAsIdentity(),
  sessionId: ref('session_id').notNull(),
  at: ts('at').notNull().defaultNow(),
  kind: text('kind').$type<TimelineKind>().notNull(),
  skuId: ref('sku_id'),
  detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
});
