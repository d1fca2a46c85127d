// Drizzle view of the goods tables (see src/db/migrations); checked by src/db/schema.test.ts.
import { bigint, boolean, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { regions } from '../place/place.schema';

export type CatalogStatus = 'active' | 'archived';

const id = () => bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity();
const ref = (name: string) => bigint(name, { mode: 'number' });

export const categories = pgTable('categories', {
  id: id(),
  parentId: ref('parent_id'),
  name: text('name').notNull(),
  sortOrder: integer('sort_order').notNull().default(0),
});

export const suppliers = pgTable('suppliers', {
  id: id(),
  name: text('name').notNull(),
  contactName: text('contact_name').notNull().default(''),
  contactPhone: text('contact_phone').notNull().default(''),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const products = pgTable('products', {
  id: id(),
  categoryId: ref('category_id')
    .notNull()
    .references(() => categories.id),
  supplierId: ref('supplier_id').references(() => suppliers.id),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  imageUrls: text('image_urls').array().notNull().default([]),
  status: text('status').$type<CatalogStatus>().notNull().default('active'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const skus = pgTable('skus', {
  id: id(),
  productId: ref('product_id')
    .notNull()
    .references(() => products.id),
  barcode: text('barcode').unique(),
  spec: text('spec').notNull(),
  unit: text('unit').notNull(),
  basePriceFen: integer('base_price_fen').notNull(),
  status: text('status').$type<CatalogStatus>().notNull().default('active'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const regionSkus = pgTable(
  'region_skus',
  {
    regionId: ref('region_id')
      .notNull()
      .references(() => regions.id),
    skuId: ref('sku_id')
      .notNull()
      .references(() => skus.id),
    priceFen: integer('price_fen'),
    active: boolean('active').notNull().default(true),
    dailyLimitPerPerson: integer('daily_limit_per_person'),
  },
  (t) => [primaryKey({ columns: [t.regionId, t.skuId] })],
);
