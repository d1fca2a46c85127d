import type { Database, Executor } from '../../db';
import { badInput, conflict, decodeCursor, encodeCursor, notFound, toPage, type Page } from '../../kernel';
import { requireRole, type Actor } from '../people';
import {
  CatalogRepo,
  type CategoryRow,
  type NewSku,
  type ProductRow,
  type RegionSkuView,
  type ShelfRow,
  type SkuRow,
  type SupplierRow,
} from './catalog.repo';
import * as rules from './catalog.rules';
import type { CatalogStatus } from './catalog.schema';
import { ShelfCache } from './shelf-cache';

export interface CategoryInput {
  name: string;
  parentId?: number | null | undefined;
  sortOrder?: number | undefined;
}
export interface SupplierInput {
  name: string;
  contactName?: string | undefined;
  contactPhone?: string | undefined;
}
export interface SkuInput {
  spec: string;
  unit: string;
  basePriceFen: number;
  barcode?: string | null | undefined;
  status?: CatalogStatus | undefined;
}
export interface ProductInput {
  categoryId: number;
  supplierId?: number | null | undefined;
  name: string;
  description?: string | undefined;
  imageUrls?: string[] | undefined;
  status?: CatalogStatus | undefined;
  skus?: SkuInput[] | undefined;
}
export type ProductWithSkus = ProductRow & { skus: SkuRow[] };

export interface ShelfItem {
  productId: number;
  name: string;
  description: string;
  imageUrl: string | null;
  categoryId: number;
  categoryName: string;
  skus: Array<{ skuId: number; spec: string; unit: string; barcode: string | null; priceFen: number; basePriceFen: number }>;
}

/** A SKU as a region sells it right now (active product, active SKU, active listing). */
export interface RegionOffer {
  skuId: number;
  productId: number;
  title: string;
  spec: string;
  unit: string;
  priceFen: number;
  dailyLimitPerPerson: number | null;
}

export class CatalogService {
  private readonly repo = new CatalogRepo();
  private readonly shelf = new ShelfCache();
  // A community never moves to another region, so its region is cached for the process' life.
  private readonly regionOfCommunity = new Map<number, number>();

  constructor(private readonly db: Database) {}

  /**
   * Forget every cached product-list page. Called after each write below; anything that
   * writes catalog tables around this service (seeders, bulk imports) must call it too.
   */
  invalidateCache(): void {
    this.shelf.invalidate();
    this.offerCache.clear();
  }

  // What a region sells at what price, per SKU: checkout prices every order from this, so it
  // is held in memory per region and dropped with the shelf pages on any catalog write.
  private readonly offerCache = new Map<number, Promise<Map<number, RegionOffer>>>();

  /** The region's current offers for these SKUs; SKUs the region does not sell are absent. */
  async regionOffers(regionId: number, skuIds: number[]): Promise<Map<number, RegionOffer>> {
    let all = this.offerCache.get(regionId);
    if (!all) {
      all = this.repo.regionOffers(this.db.orm, regionId).then((rows) => new Map(rows.map((r) => [r.skuId, r])));
      this.offerCache.set(regionId, all);
      all.catch(() => this.offerCache.delete(regionId));
    }
    const map = await all;
    const out = new Map<number, RegionOffer>();
    for (const id of skuIds) {
      const o = map.get(id);
      if (o) out.set(id, o);
    }
    return out;
  }

  // ── categories ──────────────────────────────────────────────────────────────
  async listCategories(): Promise<CategoryRow[]> {
    return this.repo.listCategories(this.db.orm);
  }

  async createCategory(actor: Actor | null, input: CategoryInput): Promise<CategoryRow> {
    requireRole(actor, 'operator');
    const name = rules.text(input.name, 'name', 1, 32);
    const parentId = input.parentId ?? null;
    if (parentId !== null && !(await this.repo.findCategory(this.db.orm, parentId))) {
      throw badInput('parentId', `category ${parentId} does not exist`);
    }
    await this.assertUniqueSibling(parentId, name);
    const row = await this.repo.insertCategory(this.db.orm, {
      name,
      parentId,
      sortOrder: rules.sortOrder(input.sortOrder ?? 0),
    });
    return this.wrote(row);
  }

  async updateCategory(actor: Actor | null, id: number, patch: Partial<CategoryInput>): Promise<CategoryRow> {
    requireRole(actor, 'operator');
    const current = await this.repo.findCategory(this.db.orm, id);
    if (!current) throw notFound('category', id);
    const next: Partial<CategoryRow> = {};
    if (patch.name !== undefined) next.name = rules.text(patch.name, 'name', 1, 32);
    if (patch.sortOrder !== undefined) next.sortOrder = rules.sortOrder(patch.sortOrder);
    if (patch.parentId !== undefined) {
      const parentId = patch.parentId;
      if (parentId !== null) {
        if (!(await this.repo.findCategory(this.db.orm, parentId))) throw badInput('parentId', `category ${parentId} does not exist`);
        // Moving a category under itself or one of its descendants would cut the subtree off
        // from the root and make tree walks loop.
        if ((await this.repo.ancestorsOf(this.db.orm, parentId)).includes(id)) {
          throw badInput('parentId', 'a category cannot be moved under itself or its descendants');
        }
      }
      next.parentId = parentId;
    }
    if (next.name !== undefined || next.parentId !== undefined) {
      await this.assertUniqueSibling(next.parentId === undefined ? current.parentId : next.parentId, next.name ?? current.name, id);
    }
    const row = await this.repo.updateCategory(this.db.orm, id, next);
    if (!row) throw notFound('category', id);
    return this.wrote(row);
  }

  private async assertUniqueSibling(parentId: number | null, name: string, exceptId?: number): Promise<void> {
    const clash = await this.repo.findSiblingByName(this.db.orm, parentId, name);
    if (clash && clash.id !== exceptId) throw conflict(`a sibling category is already called ${name}`, 'name');
  }

  // ── suppliers (operator only: contacts are business data) ──────────────────
  async listSuppliers(actor: Actor | null, q: { afterId: number | null; limit: number }): Promise<Page<SupplierRow>> {
    requireRole(actor, 'operator');
    return toPage(await this.repo.listSuppliers(this.db.orm, q), q.limit);
  }

  async createSupplier(actor: Actor | null, input: SupplierInput): Promise<SupplierRow> {
    requireRole(actor, 'operator');
    return this.wrote(
      await this.repo.insertSupplier(this.db.orm, {
        name: rules.text(input.name, 'name', 1, 64),
        contactName: rules.text(input.contactName ?? '', 'contactName', 0, 32),
        contactPhone: rules.contactPhone(input.contactPhone ?? ''),
      }),
    );
  }

  async updateSupplier(actor: Actor | null, id: number, patch: Partial<SupplierInput>): Promise<SupplierRow> {
    requireRole(actor, 'operator');
    const next: Partial<SupplierRow> = {};
    if (patch.name !== undefined) next.name = rules.text(patch.name, 'name', 1, 64);
    if (patch.contactName !== undefined) next.contactName = rules.text(patch.contactName, 'contactName', 0, 32);
    if (patch.contactPhone !== undefined) next.contactPhone = rules.contactPhone(patch.contactPhone);
    const row = Object.keys(next).length
      ? await this.repo.updateSupplier(this.db.orm, id, next)
      : await this.repo.findSupplier(this.db.orm, id);
    if (!row) throw notFound('supplier', id);
    return row;
  }

  // ── products ────────────────────────────────────────────────────────────────
  async listProducts(q: {
    afterId: number | null;
    limit: number;
    categoryId?: number | undefined;
    q?: string | undefined;
    status?: CatalogStatus | undefined;
  }): Promise<Page<ProductRow>> {
    return toPage(await this.repo.listProducts(this.db.orm, q), q.limit);
  }

  async getProduct(id: number): Promise<ProductWithSkus> {
    const product = await this.repo.findProduct(this.db.orm, id);
    if (!product) throw notFound('product', id);
    return { ...product, skus: await this.repo.skusOfProduct(this.db.orm, id) };
  }

  /** A product, and optionally its SKUs, in one transaction: all of it or none. */
  async createProduct(actor: Actor | null, input: ProductInput): Promise<ProductWithSkus> {
    requireRole(actor, 'operator');
    const product = {
      categoryId: input.categoryId,
      supplierId: input.supplierId ?? null,
      name: rules.text(input.name, 'name', 1, 80),
      description: rules.text(input.description ?? '', 'description', 0, 2000),
      imageUrls: rules.imageUrls(input.imageUrls ?? []),
      status: input.status ?? 'active',
    };
    const skuRows = (input.skus ?? []).map((s, i) => this.checkSku(s, `skus.${i}.`));
    await this.checkRefs(this.db.orm, product);
    await this.checkBarcodes(skuRows.map((s, i) => [s.barcode ?? null, `skus.${i}.barcode`] as const));
    const created = await this.db.orm.transaction(async (tx) => {
      const p = await this.repo.insertProduct(tx, product);
      return { ...p, skus: await this.repo.insertSkus(tx, p.id, skuRows) };
    });
    return this.wrote(created);
  }

  async updateProduct(actor: Actor | null, id: number, patch: Partial<Omit<ProductInput, 'skus'>>): Promise<ProductWithSkus> {
    requireRole(actor, 'operator');
    const next: Partial<ProductRow> = {};
    if (patch.categoryId !== undefined) next.categoryId = patch.categoryId;
    if (patch.supplierId !== undefined) next.supplierId = patch.supplierId;
    if (patch.name !== undefined) next.name = rules.text(patch.name, 'name', 1, 80);
    if (patch.description !== undefined) next.description = rules.text(patch.description, 'description', 0, 2000);
    if (patch.imageUrls !== undefined) next.imageUrls = rules.imageUrls(patch.imageUrls);
    if (patch.status !== undefined) next.status = patch.status;
    if (!(await this.repo.findProduct(this.db.orm, id))) throw notFound('product', id);
    await this.checkRefs(this.db.orm, next);
    if (Object.keys(next).length) await this.repo.updateProduct(this.db.orm, id, next);
    this.invalidateCache();
    return this.getProduct(id);
  }

  private async checkRefs(db: Executor, p: { categoryId?: number | undefined; supplierId?: number | null | undefined }): Promise<void> {
    if (p.categoryId !== undefined && !(await this.repo.findCategory(db, p.categoryId))) {
      throw badInput('categoryId', `category ${p.categoryId} does not exist`);
    }
    if (p.supplierId !== undefined && p.supplierId !== null && !(await this.repo.findSupplier(db, p.supplierId))) {
      throw badInput('supplierId', `supplier ${p.supplierId} does not exist`);
    }
  }

  // ── SKUs ────────────────────────────────────────────────────────────────────
  /** `prefix` places the field names in the request: '' for one SKU, 'skus.2.' inside a product. */
  private checkSku(s: SkuInput, prefix: string): NewSku {
    return {
      spec: rules.text(s.spec, `${prefix}spec`, 1, 64),
      unit: rules.text(s.unit, `${prefix}unit`, 1, 8),
      basePriceFen: rules.priceFen(s.basePriceFen, `${prefix}basePriceFen`),
      barcode: rules.barcode(s.barcode, `${prefix}barcode`),
      status: s.status ?? 'active',
    };
  }

  /** Barcodes must be unique across SKUs, and within one request. */
  private async checkBarcodes(entries: ReadonlyArray<readonly [string | null, string]>, exceptSkuId?: number): Promise<void> {
    const seen = new Set<string>();
    for (const [code, field] of entries) {
      if (code === null) continue;
      if (seen.has(code)) throw conflict(`barcode ${code} appears twice`, field);
      seen.add(code);
    }
    const taken = await this.repo.takenBarcodes(this.db.orm, [...seen], exceptSkuId);
    for (const [code, field] of entries) {
      if (code !== null && taken.has(code)) throw conflict(`barcode ${code} is already on another SKU`, field);
    }
  }

  async addSku(actor: Actor | null, productId: number, input: SkuInput): Promise<SkuRow> {
    requireRole(actor, 'operator');
    const row = this.checkSku(input, '');
    if (!(await this.repo.findProduct(this.db.orm, productId))) throw notFound('product', productId);
    await this.checkBarcodes([[row.barcode ?? null, 'barcode']]);
    return this.wrote((await this.repo.insertSkus(this.db.orm, productId, [row]))[0]!);
  }

  async updateSku(actor: Actor | null, id: number, patch: Partial<SkuInput>): Promise<SkuRow> {
    requireRole(actor, 'operator');
    const next: Partial<NewSku> = {};
    if (patch.spec !== undefined) next.spec = rules.text(patch.spec, 'spec', 1, 64);
    if (patch.unit !== undefined) next.unit = rules.text(patch.unit, 'unit', 1, 8);
    if (patch.basePriceFen !== undefined) next.basePriceFen = rules.priceFen(patch.basePriceFen, 'basePriceFen');
    if (patch.barcode !== undefined) next.barcode = rules.barcode(patch.barcode, 'barcode');
    if (patch.status !== undefined) next.status = patch.status;
    if (!(await this.repo.findSku(this.db.orm, id))) throw notFound('SKU', id);
    if (next.barcode) await this.checkBarcodes([[next.barcode, 'barcode']], id);
    const row = Object.keys(next).length ? await this.repo.updateSku(this.db.orm, id, next) : await this.repo.findSku(this.db.orm, id);
    if (!row) throw notFound('SKU', id);
    return this.wrote(row);
  }

  async skuByBarcode(code: string): Promise<SkuRow & { productName: string }> {
    const found = BARCODE_OK(code) ? await this.repo.findSkuByBarcode(this.db.orm, code) : null;
    if (!found) throw notFound('SKU with barcode', code);
    return found;
  }

  // ── regional assortment ─────────────────────────────────────────────────────
  async listRegionSkus(actor: Actor | null, q: { regionId: number; afterSkuId: number | null; limit: number }): Promise<Page<RegionSkuView>> {
    requireRole(actor, 'operator');
    await this.requireRegion(q.regionId);
    const rows = await this.repo.listRegionSkus(this.db.orm, q);
    if (rows.length <= q.limit) return { items: rows, nextCursor: null };
    const items = rows.slice(0, q.limit);
    return { items, nextCursor: encodeCursor(items[items.length - 1]!.skuId) };
  }

  /** Sell a SKU in a region (or change its regional price / pause it there). */
  async setRegionSku(
    actor: Actor | null,
    regionId: number,
    skuId: number,
    input: { priceFen?: number | null | undefined; active: boolean },
  ): Promise<RegionSkuView> {
    requireRole(actor, 'operator');
    const priceFen = input.priceFen === undefined || input.priceFen === null ? null : rules.priceFen(input.priceFen, 'priceFen');
    await this.requireRegion(regionId);
    if (!(await this.repo.findSku(this.db.orm, skuId))) throw notFound('SKU', skuId);
    await this.repo.upsertRegionSku(this.db.orm, { regionId, skuId, priceFen, active: input.active });
    this.invalidateCache();
    return (await this.repo.findRegionSku(this.db.orm, regionId, skuId))!;
  }

  async removeRegionSku(actor: Actor | null, regionId: number, skuId: number): Promise<void> {
    requireRole(actor, 'operator');
    if (!(await this.repo.deleteRegionSku(this.db.orm, regionId, skuId))) throw notFound(`SKU ${skuId} in region`, regionId);
    this.invalidateCache();
  }

  /** Seeders and imports: many region rows at once, no per-row checks (callers own the ids). */
  async bulkSetRegionSkus(
    actor: Actor | null,
    rows: Array<{ regionId: number; skuId: number; priceFen: number | null; active: boolean }>,
  ): Promise<void> {
    requireRole(actor, 'operator');
    for (const [i, r] of rows.entries()) if (r.priceFen !== null) rules.priceFen(r.priceFen, `rows.${i}.priceFen`);
    await this.repo.upsertRegionSkus(this.db.orm, rows);
    this.invalidateCache();
  }

  private async requireRegion(regionId: number): Promise<void> {
    if (!(await this.repo.regionExists(this.db.orm, regionId))) throw notFound('region', regionId);
  }

  // ── the resident's shelf (hot path) ─────────────────────────────────────────
  /**
   * One page of what a community's residents can buy, as finished JSON text (see ShelfCache).
   * Public: no actor. Unknown community → 404; bad cursor → 400 on `cursor`.
   */
  async communityShelfJson(
    communityId: number,
    q: { categoryId?: number | undefined; cursor?: string | undefined; limit: number },
  ): Promise<string> {
    let regionId = this.regionOfCommunity.get(communityId);
    if (regionId === undefined) {
      const found = await this.repo.regionOfCommunity(this.db.orm, communityId);
      if (found === null) throw notFound('community', communityId);
      if (this.regionOfCommunity.size > 100_000) this.regionOfCommunity.clear();
      this.regionOfCommunity.set(communityId, found);
      regionId = found;
    }
    const key = `${regionId}|${q.categoryId ?? ''}|${q.cursor ?? ''}|${q.limit}`;
    const region = regionId;
    return this.shelf.get(key, () => this.loadShelf(region, q));
  }

  /** Parsed form of the same page, for other modules and tests. */
  async communityShelf(
    communityId: number,
    q: { categoryId?: number | undefined; cursor?: string | undefined; limit: number },
  ): Promise<Page<ShelfItem>> {
    return JSON.parse(await this.communityShelfJson(communityId, q)) as Page<ShelfItem>;
  }

  private async loadShelf(
    regionId: number,
    q: { categoryId?: number | undefined; cursor?: string | undefined; limit: number },
  ): Promise<string> {
    const afterProductId = decodeCursor(q.cursor);
    const { productIds, rows } = await this.repo.shelfPage(this.db.orm, { regionId, categoryId: q.categoryId, afterProductId, limit: q.limit });
    const items = foldShelf(rows);
    const nextCursor = productIds.length > q.limit ? encodeCursor(productIds[q.limit - 1]!) : null;
    return JSON.stringify({ items, nextCursor });
  }

  /** Every write ends here: the cached shelf pages may show what was just changed. */
  private wrote<T>(value: T): T {
    this.invalidateCache();
    return value;
  }
}

const BARCODE_OK = (code: string) => rules.BARCODE_RE.test(code);

/** Rows arrive ordered by (product, SKU); consecutive rows of one product become one item. */
function foldShelf(rows: ShelfRow[]): ShelfItem[] {
  const items: ShelfItem[] = [];
  let current: ShelfItem | undefined;
  for (const r of rows) {
    if (!current || current.productId !== r.productId) {
      current = {
        productId: r.productId,
        name: r.name,
        description: r.description,
        imageUrl: r.imageUrl,
        categoryId: r.categoryId,
        categoryName: r.categoryName,
        skus: [],
      };
      items.push(current);
    }
    current.skus.push({
      skuId: r.skuId,
      spec: r.spec,
      unit: r.unit,
      barcode: r.barcode,
      priceFen: r.priceFen,
      basePriceFen: r.basePriceFen,
    });
  }
  return items;
}
