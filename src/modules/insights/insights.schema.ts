// Drizzle view of the insights read models (src/db/migrations/0016_insights.sql, 0017_insights_more.sql)
// and of residents' order ratings. The tables are written only by the `insights` outbox subscriber
// and by `recompute` (insights.repo.ts); trust_scores and trust_settings belong to src/modules/trust.
import { bigint, boolean, date, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const ref = (name: string) => bigint(name, { mode: 'number' });
const fen = (name: string) => bigint(name, { mode: 'number' });
const day = (name: string) => date(name, { mode: 'string' });
const ts = (name: string) => timestamp(name, { withTimezone: true });
const count = (name: string) => integer(name).notNull().default(0);

/** Who an order or a visit is credited to: a pickup point (its leader), a store, a host, or nobody (id 0). */
export type InsightsActorType = 'point' | 'store' | 'host' | 'none';

export const insightsDaily = pgTable(
  'insights_daily',
  {
    day: day('day').notNull(),
    communityId: ref('community_id').notNull().default(0),
    channel: text('channel').notNull(),
    actorType: text('actor_type').$type<InsightsActorType>().notNull(),
    actorId: ref('actor_id').notNull().default(0),
    regionId: ref('region_id').notNull().default(0),
    views: count('views'),
    shares: count('shares'),
    clicks: count('clicks'),
    orders: count('orders'),
    buyers: count('buyers'),
    units: count('units'),
    gmvFen: fen('gmv_fen').notNull().default(0),
    refundedFen: fen('refunded_fen').notNull().default(0),
    afterSales: count('after_sales'),
    complaints: count('complaints'),
    shortageUnits: count('shortage_units'),
    pickupsDue: count('pickups_due'),
    pickupsOnTime: count('pickups_on_time'),
    ratings: count('ratings'),
    ratingSum: count('rating_sum'),
  },
  (t) => [primaryKey({ columns: [t.day, t.communityId, t.channel, t.actorType, t.actorId] })],
);

export const insightsDailyBuyers = pgTable(
  'insights_daily_buyers',
  {
    day: day('day').notNull(),
    communityId: ref('community_id').notNull(),
    channel: text('channel').notNull(),
    actorType: text('actor_type').$type<InsightsActorType>().notNull(),
    actorId: ref('actor_id').notNull(),
    accountId: ref('account_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.communityId, t.channel, t.actorType, t.actorId, t.accountId] })],
);

export const insightsSkuDaily = pgTable(
  'insights_sku_daily',
  {
    day: day('day').notNull(),
    regionId: ref('region_id').notNull(),
    gridWarehouseId: ref('grid_warehouse_id').notNull().default(0),
    skuId: ref('sku_id').notNull(),
    unitsOffered: count('units_offered'),
    unitsSold: count('units_sold'),
    gmvFen: fen('gmv_fen').notNull().default(0),
    unitsRefunded: count('units_refunded'),
    unitsShort: count('units_short'),
  },
  (t) => [primaryKey({ columns: [t.day, t.regionId, t.gridWarehouseId, t.skuId] })],
);

export const insightsRouteDaily = pgTable(
  'insights_route_daily',
  {
    day: day('day').notNull(),
    routeId: ref('route_id').notNull(),
    regionId: ref('region_id').notNull(),
    gridWarehouseId: ref('grid_warehouse_id').notNull().default(0),
    stops: count('stops'),
    orders: count('orders'),
    units: count('units'),
    shortageUnits: count('shortage_units'),
    afterSales: count('after_sales'),
    /** The route's number in its wave (0019): runs are reported by grid warehouse and number. */
    seq: count('seq'),
  },
  (t) => [primaryKey({ columns: [t.day, t.routeId] })],
);

export const insightsBuyers = pgTable('insights_buyers', {
  accountId: ref('account_id').primaryKey(),
  regionId: ref('region_id').notNull().default(0),
  communityId: ref('community_id').notNull().default(0),
  firstDay: day('first_day').notNull(),
  firstWeek: day('first_week').notNull(),
  lastDay: day('last_day').notNull(),
  orders: count('orders'),
  gmvFen: fen('gmv_fen').notNull().default(0),
});

export const insightsBuyerWeeks = pgTable(
  'insights_buyer_weeks',
  {
    accountId: ref('account_id').notNull(),
    week: day('week').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.week] })],
);

export const insightsCohorts = pgTable(
  'insights_cohorts',
  {
    regionId: ref('region_id').notNull(),
    cohortWeek: day('cohort_week').notNull(),
    activeWeek: day('active_week').notNull(),
    buyers: count('buyers'),
  },
  (t) => [primaryKey({ columns: [t.regionId, t.cohortWeek, t.activeWeek] })],
);

export const insightsCommunityWeeks = pgTable(
  'insights_community_weeks',
  {
    communityId: ref('community_id').notNull(),
    week: day('week').notNull(),
    activeHouseholds: count('active_households'),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.week] })],
);

export const insightsActorRepeat = pgTable(
  'insights_actor_repeat',
  {
    actorType: text('actor_type').$type<InsightsActorType>().notNull(),
    actorId: ref('actor_id').notNull(),
    accountId: ref('account_id').notNull(),
    orders: count('orders'),
    firstPaidAt: ts('first_paid_at').notNull(),
    lastPaidAt: ts('last_paid_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.actorType, t.actorId, t.accountId] })],
);

/**
 * 0017: where each group-buy order stands for the pickup figures (due on its arrival day, on
 * time or not), so a change of state moves its contribution to insights_daily exactly once.
 */
export const insightsPickups = pgTable('insights_pickups', {
  orderId: ref('order_id').primaryKey(),
  day: day('day').notNull(),
  communityId: ref('community_id').notNull(),
  channel: text('channel').notNull(),
  actorType: text('actor_type').$type<InsightsActorType>().notNull(),
  actorId: ref('actor_id').notNull(),
  regionId: ref('region_id').notNull(),
  onTime: boolean('on_time').notNull(),
});

export const orderRatings = pgTable('order_ratings', {
  orderId: ref('order_id').primaryKey(),
  accountId: ref('account_id').notNull(),
  stars: integer('stars').notNull(),
  comment: text('comment').notNull().default(''),
  createdAt: ts('created_at').notNull().defaultNow(),
});
