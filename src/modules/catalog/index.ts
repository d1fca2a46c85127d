export { CatalogService } from './catalog.service';
export type { RegionOffer, CategoryInput, SupplierInput, SkuInput, ProductInput, ProductWithSkus, ShelfItem } from './catalog.service';
export type { CategoryRow, SupplierRow, ProductRow, SkuRow, RegionSkuView } from './catalog.repo';
export type { CatalogStatus } from './catalog.schema';
export { MAX_PRICE_FEN, MAX_IMAGES } from './catalog.rules';
