// Drizzle view of the replenishment tables (src/db/migrations/0013_replenishment.sql): the
// wholesale catalogue per region and the replenishment orders' delivery days and receipts.
import { bigint, boolean, date, integer, pgTable, primaryKey, timestamp } from 'drizzle-orm/pg-core';

const ref = (name: string) => bigint(name, { mode: 'number' });
const ts = (name: string) => timestamp(name, { withTimezone: true });

export const wholesalePrices = pgTable(
  'wholesale_prices',
  {
    regionId: ref('region_id').notNull(),
    skuId: ref('sku_id').notNull(),
    priceFen: integer('price_fen').notNull(),
    caseSize: integer('case_size').notNull().default(1),
    active: boolean('active').notNull().default(true),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionId, t.skuId] })],
);

export const replenishmentOrders = pgTable('replenishment_orders', {
  orderId: ref('order_id').primaryKey(),
  storeId: ref('store_id').notNull(),
  deliveryDate: date('delivery_date', { mode: 'string' }).notNull(),
  receivedAt: ts('received_at'),
  receivedBy: ref('received_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
});
