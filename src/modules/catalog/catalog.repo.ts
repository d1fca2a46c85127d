import { and, asc, eq, gt, ilike, inArray, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db';
import { communities, regions } from '../place/place.schema';
import { categories, products, regionSkus, skus, suppliers, type CatalogStatus } from './catalog.schema';

export type CategoryRow = typeof categories.$inferSelect;
export type SupplierRow = typeof suppliers.$inferSelect;
export type ProductRow = typeof products.$inferSelect;
export type SkuRow = typeof skus.$inferSelect;

export type NewCategory = Omit<typeof categories.$inferInsert, 'id'>;
export type NewSupplier = Omit<typeof suppliers.$inferInsert, 'id' | 'createdAt'>;
export type NewProduct = Omit<typeof products.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;
export type NewSku = Omit<typeof skus.$inferInsert, 'id' | 'productId' | 'createdAt' | 'updatedAt'>;

export interface RegionSkuView {
  regionId: number;
  skuId: number;
  productId: number;
  productName: string;
  spec: string;
  unit: string;
  barcode: string | null;
  basePriceFen: number;
  priceFen: number | null;
  effectivePriceFen: number;
  active: boolean;
  skuStatus: CatalogStatus;
  productStatus: CatalogStatus;
}

/** One row per (product, SKU) of a resident's page; the service folds them into products. */
export interface ShelfRow {
  productId: number;
  name: string;
  description: string;
  imageUrl: string | null;
  categoryId: number;
  categoryName: string;
  skuId: number;
  spec: string;
  unit: string;
  barcode: string | null;
  priceFen: number;
  basePriceFen: number;
}

/** `column IN (category and every descendant)`: filtering by 蔬菜 also finds 叶菜 under it. */
function inCategoryTree(column: typeof products.categoryId, categoryId: number): SQL {
  return sql`${column} IN (
    WITH RECURSIVE tree(id) AS (
      SELECT ${categoryId}::bigint
      UNION
      SELECT c.id FROM categories c JOIN tree ON c.parent_id = tree.id
    ) SELECT id FROM tree)`;
}

const regionSkuColumns = {
  regionId: regionSkus.regionId,
  skuId: regionSkus.skuId,
  productId: skus.productId,
  productName: products.name,
  spec: skus.spec,
  unit: skus.unit,
  barcode: skus.barcode,
  basePriceFen: skus.basePriceFen,
  priceFen: regionSkus.priceFen,
  effectivePriceFen: sql<number>`coalesce(${regionSkus.priceFen}, ${skus.basePriceFen})`.mapWith(Number),
  active: regionSkus.active,
  skuStatus: skus.status,
  productStatus: products.status,
};

export class CatalogRepo {
  // ── categories ──────────────────────────────────────────────────────────────
  async listCategories(db: Executor): Promise<CategoryRow[]> {
    return db.select().from(categories).orderBy(asc(categories.sortOrder), asc(categories.id));
  }

  async findCategory(db: Executor, id: number): Promise<CategoryRow | null> {
    const rows = await db.select().from(categories).where(eq(categories.id, id)).limit(1);
    return rows[0] ?? null;
  }

  async findSiblingByName(db: Executor, parentId: number | null, name: string): Promise<CategoryRow | null> {
    const parent = parentId === null ? sql`${categories.parentId} IS NULL` : eq(categories.parentId, parentId);
    const rows = await db.select().from(categories).where(and(parent, eq(categories.name, name))).limit(1);
    return rows[0] ?? null;
  }

  /** Ids of `id` and all its ancestors, nearest first; used to refuse cycles on re-parenting. */
  async ancestorsOf(db: Executor, id: number): Promise<number[]> {
    const rows = await db.execute<{ id: number }>(sql`
      WITH RECURSIVE up(id, parent_id) AS (
        SELECT id, parent_id FROM categories WHERE id = ${id}
        UNION
        SELECT c.id, c.parent_id FROM categories c JOIN up ON c.id = up.parent_id
      ) SELECT id FROM up`);
    return rowsOf<{ id: number | string }>(rows).map((r) => Number(r.id));
  }

  async insertCategory(db: Executor, c: NewCategory): Promise<CategoryRow> {
    return (await db.insert(categories).values(c).returning())[0]!;
  }

  async updateCategory(db: Executor, id: number, patch: Partial<NewCategory>): Promise<CategoryRow | null> {
    const rows = await db.update(categories).set(patch).where(eq(categories.id, id)).returning();
    return rows[0] ?? null;
  }

  // ── suppliers ───────────────────────────────────────────────────────────────
  async listSuppliers(db: Executor, q: { afterId: number | null; limit: number }): Promise<SupplierRow[]> {
    return db
      .select()
      .from(suppliers)
      .where(q.afterId === null ? undefined : gt(suppliers.id, q.afterId))
      .orderBy(asc(suppliers.id))
      .limit(q.limit + 1);
  }

  async findSupplier(db: Executor, id: number): Promise<SupplierRow | null> {
    const rows = await db.select().from(suppliers).where(eq(suppliers.id, id)).limit(1);
    return rows[0] ?? null;
  }

  async insertSupplier(db: Executor, s: NewSupplier): Promise<SupplierRow> {
    return (await db.insert(suppliers).values(s).returning())[0]!;
  }

  async updateSupplier(db: Executor, id: number, patch: Partial<NewSupplier>): Promise<SupplierRow | null> {
    const rows = await db.update(suppliers).set(patch).where(eq(suppliers.id, id)).returning();
    return rows[0] ?? null;
  }

  // ── products ────────────────────────────────────────────────────────────────
  async listProducts(
    db: Executor,
    q: { afterId: number | null; limit: number; categoryId?: number | undefined; q?: string | undefined; status?: CatalogStatus | undefined },
  ): Promise<ProductRow[]> {
    const conds: SQL[] = [];
    if (q.afterId !== null) conds.push(gt(products.id, q.afterId));
    if (q.categoryId !== undefined) conds.push(inCategoryTree(products.categoryId, q.categoryId));
    if (q.status) conds.push(eq(products.status, q.status));
    if (q.q) conds.push(ilike(products.name, `%${escapeLike(q.q)}%`));
    return db
      .select()
      .from(products)
      .where(conds.length ? and(...conds) : undefined)
      .orderBy(asc(products.id))
      .limit(q.limit + 1);
  }

  async findProduct(db: Executor, id: number): Promise<ProductRow | null> {
    const rows = await db.select().from(products).where(eq(products.id, id)).limit(1);
    return rows[0] ?? null;
  }

  async insertProduct(db: Executor, p: NewProduct): Promise<ProductRow> {
    return (await db.insert(products).values(p).returning())[0]!;
  }

  async updateProduct(db: Executor, id: number, patch: Partial<NewProduct>): Promise<ProductRow | null> {
    const rows = await db
      .update(products)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(eq(products.id, id))
      .returning();
    return rows[0] ?? null;
  }

  // ── SKUs ────────────────────────────────────────────────────────────────────
  async skusOfProduct(db: Executor, productId: number): Promise<SkuRow[]> {
    return db.select().from(skus).where(eq(skus.productId, productId)).orderBy(asc(skus.id));
  }

  async findSku(db: Executor, id: number): Promise<SkuRow | null> {
    const rows = await db.select().from(skus).where(eq(skus.id, id)).limit(1);
    return rows[0] ?? null;
  }

  async findSkuByBarcode(db: Executor, barcode: string): Promise<(SkuRow & { productName: string }) | null> {
    const rows = await db
      .select({ sku: skus, productName: products.name })
      .from(skus)
      .innerJoin(products, eq(products.id, skus.productId))
      .where(eq(skus.barcode, barcode))
      .limit(1);
    const r = rows[0];
    return r ? { ...r.sku, productName: r.productName } : null;
  }

  /** Which of these barcodes are taken already (optionally ignoring one SKU, for updates). */
  async takenBarcodes(db: Executor, barcodes: string[], exceptSkuId?: number): Promise<Set<string>> {
    if (barcodes.length === 0) return new Set();
    const rows = await db
      .select({ id: skus.id, barcode: skus.barcode })
      .from(skus)
      .where(inArray(skus.barcode, barcodes));
    return new Set(rows.filter((r) => r.id !== exceptSkuId).map((r) => r.barcode!));
  }

  async insertSkus(db: Executor, productId: number, rows: NewSku[]): Promise<SkuRow[]> {
    if (rows.length === 0) return [];
    return db
      .insert(skus)
      .values(rows.map((r) => ({ ...r, productId })))
      .returning();
  }

  async updateSku(db: Executor, id: number, patch: Partial<NewSku>): Promise<SkuRow | null> {
    const rows = await db
      .update(skus)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(eq(skus.id, id))
      .returning();
    return rows[0] ?? null;
  }

  // ── regional assortment ─────────────────────────────────────────────────────
  // Regions and communities belong to the place module; the catalog only reads the two
  // columns it needs (existence, community → region), as the foreign keys already tie them.
  async regionExists(db: Executor, regionId: number): Promise<boolean> {
    const rows = await db.select({ id: regions.id }).from(regions).where(eq(regions.id, regionId)).limit(1);
    return rows.length > 0;
  }

  async regionOfCommunity(db: Executor, communityId: number): Promise<number | null> {
    const rows = await db
      .select({ regionId: communities.regionId })
      .from(communities)
      .where(eq(communities.id, communityId))
      .limit(1);
    return rows[0]?.regionId ?? null;
  }

  async listRegionSkus(
    db: Executor,
    q: { regionId: number; afterSkuId: number | null; limit: number },
  ): Promise<RegionSkuView[]> {
    const conds = [eq(regionSkus.regionId, q.regionId)];
    if (q.afterSkuId !== null) conds.push(gt(regionSkus.skuId, q.afterSkuId));
    return db
      .select(regionSkuColumns)
      .from(regionSkus)
      .innerJoin(skus, eq(skus.id, regionSkus.skuId))
      .innerJoin(products, eq(products.id, skus.productId))
      .where(and(...conds))
      .orderBy(asc(regionSkus.skuId))
      .limit(q.limit + 1);
  }

  async findRegionSku(db: Executor, regionId: number, skuId: number): Promise<RegionSkuView | null> {
    const rows = await db
      .select(regionSkuColumns)
      .from(regionSkus)
      .innerJoin(skus, eq(skus.id, regionSkus.skuId))
      .innerJoin(products, eq(products.id, skus.productId))
      .where(and(eq(regionSkus.regionId, regionId), eq(regionSkus.skuId, skuId)))
      .limit(1);
    return rows[0] ?? null;
  }

  async upsertRegionSku(db: Executor, r: { regionId: number; skuId: number; priceFen: number | null; active: boolean }): Promise<void> {
    await db
      .insert(regionSkus)
      .values(r)
      .onConflictDoUpdate({
        target: [regionSkus.regionId, regionSkus.skuId],
        set: { priceFen: r.priceFen, active: r.active },
      });
  }

  /** Bulk form for seeders: many (region, SKU) rows in one statement. */
  async upsertRegionSkus(db: Executor, rows: Array<{ regionId: number; skuId: number; priceFen: number | null; active: boolean }>): Promise<void> {
    if (rows.length === 0) return;
    await db
      .insert(regionSkus)
      .values(rows)
      .onConflictDoUpdate({
        target: [regionSkus.regionId, regionSkus.skuId],
        set: { priceFen: sql`excluded.price_fen`, active: sql`excluded.active` },
      });
  }

  async deleteRegionSku(db: Executor, regionId: number, skuId: number): Promise<boolean> {
    const rows = await db
      .delete(regionSkus)
      .where(and(eq(regionSkus.regionId, regionId), eq(regionSkus.skuId, skuId)))
      .returning({ skuId: regionSkus.skuId });
    return rows.length > 0;
  }

  /**
   * The resident's shelf: active products that have at least one active SKU sold (actively)
   * in the region, one page by product id, with those SKUs. Two statements whatever the page
   * size: the page of product ids (keyset, limit + 1), then all their rows in one join.
   */
  async shelfPage(
    db: Executor,
    q: { regionId: number; categoryId?: number | undefined; afterProductId: number | null; limit: number },
  ): Promise<{ productIds: number[]; rows: ShelfRow[] }> {
    const sellable = and(
      eq(skus.status, 'active'),
      eq(regionSkus.regionId, q.regionId),
      eq(regionSkus.active, true),
    );
    const conds: SQL[] = [
      eq(products.status, 'active'),
      sql`EXISTS (SELECT 1 FROM ${skus} JOIN ${regionSkus} ON ${regionSkus.skuId} = ${skus.id}
                  WHERE ${skus.productId} = ${products.id} AND ${sellable})`,
    ];
    if (q.afterProductId !== null) conds.push(gt(products.id, q.afterProductId));
    if (q.categoryId !== undefined) conds.push(inCategoryTree(products.categoryId, q.categoryId));
    const page = await db
      .select({ id: products.id })
      .from(products)
      .where(and(...conds))
      .orderBy(asc(products.id))
      .limit(q.limit + 1);
    const productIds = page.map((p) => p.id);
    if (productIds.length === 0) return { productIds, rows: [] };
    const shown = productIds.slice(0, q.limit);
    const rows = await db
      .select({
        productId: products.id,
        name: products.name,
        description: products.description,
        // Postgres arrays are 1-based; an empty array yields NULL.
        imageUrl: sql<string | null>`${products.imageUrls}[1]`,
        categoryId: products.categoryId,
        categoryName: categories.name,
        skuId: skus.id,
        spec: skus.spec,
        unit: skus.unit,
        barcode: skus.barcode,
        priceFen: sql<number>`coalesce(${regionSkus.priceFen}, ${skus.basePriceFen})`.mapWith(Number),
        basePriceFen: skus.basePriceFen,
      })
      .from(products)
      .innerJoin(categories, eq(categories.id, products.categoryId))
      .innerJoin(skus, eq(skus.productId, products.id))
      .innerJoin(regionSkus, eq(regionSkus.skuId, skus.id))
      .where(and(inArray(products.id, shown), sellable))
      .orderBy(asc(products.id), asc(skus.id));
    return { productIds, rows };
  }

  /** Every SKU the region sells now, with its effective price (regional, else base). */
  async regionOffers(db: Executor, regionId: number) {
    return db
      .select({
        skuId: skus.id,
        productId: products.id,
        title: products.name,
        spec: skus.spec,
        unit: skus.unit,
        priceFen: sql<number>`coalesce(${regionSkus.priceFen}, ${skus.basePriceFen})`.mapWith(Number),
        dailyLimitPerPerson: regionSkus.dailyLimitPerPerson,
      })
      .from(regionSkus)
      .innerJoin(skus, eq(skus.id, regionSkus.skuId))
      .innerJoin(products, eq(products.id, skus.productId))
      .where(and(eq(regionSkus.regionId, regionId), eq(regionSkus.active, true), eq(skus.status, 'active'), eq(products.status, 'active')));
  }
}

/** ILIKE treats % and _ as wildcards; a resident searching "100%" means the character. */
function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** drizzle's execute returns { rows } on both node-postgres and PGlite. */
function rowsOf<T>(res: unknown): T[] {
  return (res as { rows: T[] }).rows;
}
