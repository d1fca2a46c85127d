export { InventoryService } from './inventory.service';
export type { CounterKey, LevelRow, NewHold, StockDelta, StockKey } from './inventory.repo';
export { stockHolds, stockLevels, stockLocations, stockMovements, purchaseCounters } from './inventory.schema';
export type { HoldStatus, LocationKind, MovementReason } from './inventory.schema';
export { RedisStockFront } from './redis-front';
export type { Admission, AdmissionRequest, StockFront, StockFrontOptions, StockFrontStats } from './redis-front';
