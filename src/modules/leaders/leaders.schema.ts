// Drizzle view of the leader tables (src/db/migrations/0009_groupbuy.sql): applications,
// profiles, levels, weekly KPIs, and residents bound to a leader's pickup point.
import { bigint, date, doublePrecision, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const ref = (name: string) => bigint(name, { mode: 'number' });
const ts = (name: string) => timestamp(name, { withTimezone: true });

export type ApplicationStatus = 'pending' | 'approved' | 'rejected';
export type LeaderStatus = 'active' | 'warned' | 'suspended';
export type KpiVerdict = 'ok' | 'warning' | 'suspended';

export const leaderLevels = pgTable('leader_levels', {
  id: ref('id').primaryKey().generatedAlwaysAsIdentity(),
  rank: integer('rank').notNull(),
  name: text('name').notNull(),
  minWeeklyItems: integer('min_weekly_items').notNull().default(0),
  bonusBp: integer('bonus_bp').notNull().default(0),
});

export const leaderApplications = pgTable('leader_applications', {
  id: ref('id').primaryKey().generatedAlwaysAsIdentity(),
  accountId: ref('account_id').notNull(),
  realName: text('real_name').notNull(),
  idCardHash: text('id_card_hash').notNull(),
  idCardLast4: text('id_card_last4').notNull(),
  communityId: ref('community_id').notNull(),
  pointName: text('point_name').notNull(),
  address: text('address').notNull(),
  lat: doublePrecision('lat').notNull(),
  lng: doublePrecision('lng').notNull(),
  opensAt: text('opens_at').notNull(),
  closesAt: text('closes_at').notNull(),
  capacity: integer('capacity').notNull(),
  status: text('status').$type<ApplicationStatus>().notNull().default('pending'),
  reason: text('reason'),
  decidedBy: ref('decided_by'),
  decidedAt: ts('decided_at'),
  pickupPointId: ref('pickup_point_id'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const leaderProfiles = pgTable('leader_profiles', {
  accountId: ref('account_id').primaryKey(),
  applicationId: ref('application_id').notNull(),
  realName: text('real_name').notNull(),
  pickupPointId: ref('pickup_point_id').notNull(),
  levelId: ref('level_id'),
  status: text('status').$type<LeaderStatus>().notNull().default('active'),
  statusReason: text('status_reason'),
  warningsInRow: integer('warnings_in_row').notNull().default(0),
  approvedAt: ts('approved_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const leaderKpiWeeks = pgTable(
  'leader_kpi_weeks',
  {
    accountId: ref('account_id').notNull(),
    weekStart: date('week_start', { mode: 'string' }).notNull(),
    orders: integer('orders').notNull(),
    itemsSold: integer('items_sold').notNull(),
    gmvFen: bigint('gmv_fen', { mode: 'number' }).notNull(),
    pickupsDue: integer('pickups_due').notNull(),
    pickupsOnTime: integer('pickups_on_time').notNull(),
    complaints: integer('complaints').notNull(),
    onTimeBp: integer('on_time_bp').notNull(),
    complaintBp: integer('complaint_bp').notNull(),
    verdict: text('verdict').$type<KpiVerdict>().notNull(),
    reasons: text('reasons').array().notNull().default([]),
    computedAt: ts('computed_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.weekStart] })],
);

export const residentPickupBindings = pgTable('resident_pickup_bindings', {
  accountId: ref('account_id').primaryKey(),
  pickupPointId: ref('pickup_point_id').notNull(),
  boundAt: ts('bound_at').notNull().defaultNow(),
});

export const residentBindingChanges = pgTable('resident_binding_changes', {
  id: ref('id').primaryKey().generatedAlwaysAsIdentity(),
  accountId: ref('account_id').notNull(),
  fromPointId: ref('from_point_id'),
  toPointId: ref('to_point_id').notNull(),
  changedAt: ts('changed_at').notNull().defaultNow(),
});
