// Public API of the stores module (docs/stores.md); other modules and flows import only from here.
export { StoresService, type StoresDeps, type StorefrontStore } from './stores.service';
export { StoresRepo } from './stores.repo';
export { checkLicenceNumber, licenceCheckChar } from './licence';
export { isOpenAt, chinaDayStart, chinaMinutes, MAX_DELIVERY_RADIUS_M } from './stores.rules';
export { STORE_MODES, storeApplications, storeProfiles, type StoreMode, type StoreApplicationStatus } from './stores.schema';
export { toApplication, type NewStoreApplication, type StoreApplication, type StoreApplicationRow, type ShelfItem } from './stores.types';
// Replenishment (进货) and store finance.
export { ReplenishmentService, REPLENISHMENT_POLICY, type SuggestionLine } from './replenishment.service';
export { seedWholesalePrices, type ReplenishmentOrderMeta, type WholesaleItem, type WholesaleOffer } from './replenishment.repo';
export { wholesalePrices, replenishmentOrders } from './replenishment.schema';
export { FinanceService, MAX_FINANCE_DAYS, type FinanceDay, type StoreFinance } from './finance.service';
// The till's record of a counter sale (cash, change, whole-sale discount) and its receipt (小票).
export { PosSalesRepo } from './pos.repo';
export { posSales, type PosSaleRow } from './pos.schema';
export { displayWidth, receiptText, chinaTime, RECEIPT_COLUMNS, type ReceiptData, type ReceiptLine, type ReceiptRefund, type ReceiptPaper, type ReceiptLang } from './receipt';
