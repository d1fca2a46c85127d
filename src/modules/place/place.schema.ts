// Drizzle view of the place tables (see src/db/migrations); checked by src/db/schema.test.ts.
import { bigint, doublePrecision, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { accounts } from '../people/people.schema';

export type RegionKind = 'city' | 'county';
export type WarehouseKind = 'central' | 'grid';
export type PointStatus = 'active' | 'paused' | 'closed';

const id = () => bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity();
const ref = (name: string) => bigint(name, { mode: 'number' });
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const regions = pgTable('regions', {
  id: id(),
  parentId: ref('parent_id'),
  kind: text('kind').$type<RegionKind>().notNull(),
  name: text('name').notNull(),
  code: text('code').notNull().unique(),
  createdAt: createdAt(),
});

export const communities = pgTable('communities', {
  id: id(),
  regionId: ref('region_id')
    .notNull()
    .references(() => regions.id),
  name: text('name').notNull(),
  address: text('address').notNull().default(''),
  lat: doublePrecision('lat').notNull(),
  lng: doublePrecision('lng').notNull(),
  h3Cell: text('h3_cell').notNull(),
  households: integer('households').notNull().default(0),
  createdAt: createdAt(),
});

export const warehouses = pgTable('warehouses', {
  id: id(),
  regionId: ref('region_id')
    .notNull()
    .references(() => regions.id),
  kind: text('kind').$type<WarehouseKind>().notNull(),
  name: text('name').notNull(),
  address: text('address').notNull().default(''),
  lat: doublePrecision('lat').notNull(),
  lng: doublePrecision('lng').notNull(),
  centralWarehouseId: ref('central_warehouse_id'),
  createdAt: createdAt(),
});

export const pickupPoints = pgTable('pickup_points', {
  id: id(),
  communityId: ref('community_id')
    .notNull()
    .references(() => communities.id),
  leaderAccountId: ref('leader_account_id').references(() => accounts.id),
  gridWarehouseId: ref('grid_warehouse_id').references(() => warehouses.id),
  name: text('name').notNull(),
  address: text('address').notNull(),
  lat: doublePrecision('lat').notNull(),
  lng: doublePrecision('lng').notNull(),
  opensAt: text('opens_at').notNull(),
  closesAt: text('closes_at').notNull(),
  capacity: integer('capacity').notNull(),
  status: text('status').$type<PointStatus>().notNull().default('active'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const stores = pgTable('stores', {
  id: id(),
  regionId: ref('region_id')
    .notNull()
    .references(() => regions.id),
  communityId: ref('community_id').references(() => communities.id),
  ownerAccountId: ref('owner_account_id')
    .notNull()
    .references(() => accounts.id),
  gridWarehouseId: ref('grid_warehouse_id').references(() => warehouses.id),
  name: text('name').notNull(),
  address: text('address').notNull(),
  lat: doublePrecision('lat').notNull(),
  lng: doublePrecision('lng').notNull(),
  deliveryRadiusM: integer('delivery_radius_m').notNull(),
  opensAt: text('opens_at').notNull(),
  closesAt: text('closes_at').notNull(),
  status: text('status').$type<PointStatus>().notNull().default('active'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const storeClerks = pgTable(
  'store_clerks',
  {
    storeId: ref('store_id')
      .notNull()
      .references(() => stores.id),
    accountId: ref('account_id')
      .notNull()
      .references(() => accounts.id),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.accountId] })],
);

export const residentHomes = pgTable('resident_homes', {
  accountId: ref('account_id')
    .primaryKey()
    .references(() => accounts.id),
  communityId: ref('community_id')
    .notNull()
    .references(() => communities.id),
  updatedAt: updatedAt(),
});
