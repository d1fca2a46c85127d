// Stock for the demo city, so checkout sells instead of answering "sold out" everywhere:
// every SKU at the central warehouse (group-buy orders draw on it), a share of the catalogue
// at each store, a few nearly-gone SKUs so the sold-out path can be shown, and per-person
// daily limits on a couple of favourites. Pure and seeded, like the rest of the city.
import type { Random } from '../kernel';
import type { DemoCity } from './city';

export interface StockLocationRow {
  id: number;
  kind: 'warehouse' | 'store';
  warehouseId: number | null;
  storeId: number | null;
}
export interface StockLevelRow {
  locationId: number;
  skuId: number;
  onHand: number;
}

export const STOCK_RULES = {
  /** Central warehouse stock per SKU, in whole tens. */
  centralMin: 50,
  centralMax: 500,
  /** Share of the catalogue each store keeps on its shelves (the demo store keeps more). */
  storeShare: 0.3,
  demoStoreShare: 0.6,
  storeMin: 6,
  storeMax: 60,
  lowOnHand: 3,
} as const;

/** Almost gone at the central warehouse: four or more in a cart meets "only 3 left". */
export const LOW_STOCK: ReadonlyArray<readonly [product: string, spec: string]> = [
  ['西红柿', '1.5kg'],
  ['丹东草莓', '500g'],
  ['智利车厘子', '1kg'],
  ['土鸡蛋', '30枚'],
];

/** 每人每日限购 on the shelf's favourites. */
export const DAILY_LIMITS: ReadonlyArray<readonly [product: string, spec: string, limit: number]> = [
  ['鲜鸡蛋', '10枚', 2],
  ['纯牛奶', '250ml×12盒', 2],
  ['上海青', '500g', 5],
];

/** The SKU id of a product's spec, or undefined when the catalogue no longer has it. */
export function skuNamed(city: DemoCity, product: string, spec: string): number | undefined {
  const p = city.products.find((x) => x.name === product);
  return p ? city.skus.find((s) => s.productId === p.id && s.spec === spec)?.id : undefined;
}

/** Fills city.stockLocations and city.stockLevels, and sets daily limits on city.regionSkus. */
export function generateStock(city: DemoCity, rng: Random, demoStoreId: number): void {
  for (const w of city.warehouses) {
    city.stockLocations.push({ id: city.stockLocations.length + 1, kind: 'warehouse', warehouseId: w.id, storeId: null });
  }
  for (const s of city.stores) {
    city.stockLocations.push({ id: city.stockLocations.length + 1, kind: 'store', warehouseId: null, storeId: s.id });
  }
  const low = new Set(LOW_STOCK.map(([p, s]) => skuNamed(city, p, s)).filter((id) => id !== undefined));
  const tens = (min: number, max: number) => rng.int(min / 10, max / 10) * 10;

  for (const loc of city.stockLocations) {
    if (loc.kind === 'warehouse') {
      const w = city.warehouses.find((x) => x.id === loc.warehouseId)!;
      // Grid warehouses cross-dock what the central one sends; they keep no stock of their own.
      if (w.kind !== 'central') continue;
      for (const sku of city.skus) {
        city.stockLevels.push({ locationId: loc.id, skuId: sku.id, onHand: low.has(sku.id) ? STOCK_RULES.lowOnHand : tens(STOCK_RULES.centralMin, STOCK_RULES.centralMax) });
      }
      continue;
    }
    const share = loc.storeId === demoStoreId ? STOCK_RULES.demoStoreShare : STOCK_RULES.storeShare;
    for (const sku of city.skus) {
      if (rng.chance(share)) city.stockLevels.push({ locationId: loc.id, skuId: sku.id, onHand: rng.int(STOCK_RULES.storeMin, STOCK_RULES.storeMax) });
    }
  }

  const limits = new Map<number, number>();
  for (const [p, s, limit] of DAILY_LIMITS) {
    const id = skuNamed(city, p, s);
    if (id !== undefined) limits.set(id, limit);
  }
  for (const rs of city.regionSkus) rs.dailyLimitPerPerson = limits.get(rs.skuId) ?? null;
}
