// Drizzle view of the group-buying tables (src/db/migrations/0009_groupbuy.sql): the region's
// settings, campaigns with their items, and rest days.
import { bigint, boolean, date, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const ref = (name: string) => bigint(name, { mode: 'number' });
const ts = (name: string) => timestamp(name, { withTimezone: true });

export type CampaignStatus = 'draft' | 'published' | 'cut_off' | 'cancelled';

export const groupbuySettings = pgTable('groupbuy_settings', {
  regionId: ref('region_id').primaryKey(),
  bindingSwitchLimit: integer('binding_switch_limit').notNull().default(2),
  bindingSwitchDays: integer('binding_switch_days').notNull().default(30),
  pickupUndoWindowS: integer('pickup_undo_window_s').notNull().default(3600),
  kpiMinOnTimeBp: integer('kpi_min_on_time_bp').notNull().default(9000),
  kpiMaxComplaintBp: integer('kpi_max_complaint_bp').notNull().default(500),
  kpiSuspendAfterWarnings: integer('kpi_suspend_after_warnings').notNull().default(3),
  vanCapacityCrates: integer('van_capacity_crates').notNull().default(60),
  itemsPerCrate: integer('items_per_crate').notNull().default(12),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const campaigns = pgTable('campaigns', {
  id: ref('id').primaryKey().generatedAlwaysAsIdentity(),
  regionId: ref('region_id').notNull(),
  title: text('title').notNull(),
  status: text('status').$type<CampaignStatus>().notNull().default('draft'),
  startsAt: ts('starts_at').notNull(),
  cutoffAt: ts('cutoff_at').notNull(),
  pickupDate: date('pickup_date', { mode: 'string' }).notNull(),
  leaderCommissionBp: integer('leader_commission_bp').notNull().default(1000),
  createdBy: ref('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const campaignItems = pgTable(
  'campaign_items',
  {
    campaignId: ref('campaign_id').notNull(),
    skuId: ref('sku_id').notNull(),
    groupPriceFen: integer('group_price_fen').notNull(),
    limitPerPerson: integer('limit_per_person'),
    stock: integer('stock').notNull(),
    leaderOnly: boolean('leader_only').notNull().default(false),
    leaderCommissionBp: integer('leader_commission_bp'),
    sortOrder: integer('sort_order').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.skuId] })],
);

export const marketRestDays = pgTable(
  'market_rest_days',
  {
    regionId: ref('region_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    reason: text('reason').notNull().default(''),
  },
  (t) => [primaryKey({ columns: [t.regionId, t.day] })],
);
