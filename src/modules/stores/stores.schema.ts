// Drizzle view of the store onboarding tables (src/db/migrations/0012_store_onboarding.sql).
import { bigint, doublePrecision, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const ref = (name: string) => bigint(name, { mode: 'number' });
const ts = (name: string) => timestamp(name, { withTimezone: true });

export const STORE_MODES = ['pickup', 'delivery'] as const;
export type StoreMode = (typeof STORE_MODES)[number];
export type StoreApplicationStatus = 'pending' | 'approved' | 'rejected';

export const storeApplications = pgTable('store_applications', {
  id: ref('id').primaryKey().generatedAlwaysAsIdentity(),
  accountId: ref('account_id').notNull(),
  storeName: text('store_name').notNull(),
  licenceNumber: text('licence_number').notNull(),
  address: text('address').notNull(),
  communityId: ref('community_id').notNull(),
  lat: doublePrecision('lat').notNull(),
  lng: doublePrecision('lng').notNull(),
  opensAt: text('opens_at').notNull(),
  closesAt: text('closes_at').notNull(),
  deliveryRadiusM: integer('delivery_radius_m').notNull(),
  modes: text('modes').array().$type<StoreMode[]>().notNull(),
  ownerName: text('owner_name'),
  idCardHash: text('id_card_hash'),
  idCardLast4: text('id_card_last4'),
  status: text('status').$type<StoreApplicationStatus>().notNull().default('pending'),
  reason: text('reason'),
  decidedBy: ref('decided_by'),
  decidedAt: ts('decided_at'),
  storeId: ref('store_id'),
  pickupPointId: ref('pickup_point_id'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const storeProfiles = pgTable('store_profiles', {
  storeId: ref('store_id').primaryKey(),
  applicationId: ref('application_id'),
  licenceNumber: text('licence_number'),
  modes: text('modes').array().$type<StoreMode[]>().notNull().default(['pickup', 'delivery']),
  createdAt: ts('created_at').notNull().defaultNow(),
});
