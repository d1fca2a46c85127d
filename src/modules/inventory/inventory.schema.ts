// Drizzle view of the stock tables (src/db/migrations/0004_commerce.sql).
import { bigint, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const ref = (name: string) => bigint(name, { mode: 'number' });
const ts = (name: string) => timestamp(name, { withTimezone: true });

export type LocationKind = 'warehouse' | 'store' | 'campaign' | 'live_session' | 'flash_sale';
export type MovementReason = 'receipt' | 'adjustment' | 'sale' | 'return' | 'transfer';
export type HoldStatus = 'held' | 'committed' | 'released';

export const stockLocations = pgTable('stock_locations', {
  id: ref('id').primaryKey().generatedAlwaysAsIdentity(),
  kind: text('kind').$type<LocationKind>().notNull(),
  warehouseId: ref('warehouse_id').unique(),
  storeId: ref('store_id').unique(),
  campaignId: ref('campaign_id').unique(),
  liveSessionId: ref('live_session_id').unique(),
  flashSaleId: ref('flash_sale_id').unique(),
});

export const stockLevels = pgTable(
  'stock_levels',
  {
    locationId: ref('location_id').notNull(),
    skuId: ref('sku_id').notNull(),
    onHand: integer('on_hand').notNull().default(0),
    reserved: integer('reserved').notNull().default(0),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.locationId, t.skuId] })],
);

export const stockMovements = pgTable('stock_movements', {
  id: ref('id').primaryKey().generatedAlwaysAsIdentity(),
  locationId: ref('location_id').notNull(),
  skuId: ref('sku_id').notNull(),
  delta: integer('delta').notNull(),
  reason: text('reason').$type<MovementReason>().notNull(),
  refType: text('ref_type'),
  refId: ref('ref_id'),
  actorId: ref('actor_id'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const stockHolds = pgTable('stock_holds', {
  id: ref('id').primaryKey().generatedAlwaysAsIdentity(),
  orderId: ref('order_id').notNull(),
  locationId: ref('location_id').notNull(),
  skuId: ref('sku_id').notNull(),
  quantity: integer('quantity').notNull(),
  status: text('status').$type<HoldStatus>().notNull().default('held'),
  expiresAt: ts('expires_at').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  settledAt: ts('settled_at'),
});

export const purchaseCounters = pgTable(
  'purchase_counters',
  {
    accountId: ref('account_id').notNull(),
    scope: text('scope').notNull(),
    skuId: ref('sku_id').notNull(),
    quantity: integer('quantity').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.scope, t.skuId] })],
);
