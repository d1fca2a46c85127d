// Public API of the fulfilment module (the cutoff wave, hand-offs, pickup verification).
export * from './fulfilment.schema';
// Hand-offs and pickup (核销).
export { HandoffsRepo, routeName, type Handoff, type HandoffRow, type IncidentView, type PointInfo, type SkuInfo } from './handoffs.repo';
export { PickupsRepo, LOOKUP_STATUSES, type PickupRow, type PointOrderHead, type LeaderOrderFilter } from './pickups.repo';
export { PickupCodes, parsePickupQr, normaliseCode, PICKUP_CODE_DIGITS } from './pickup-code';
// The cutoff wave's outputs (summary, purchase orders, sorting lists, routes, manifests, CSV).
export {
  WavesService,
  toWaveSummary,
  chinaDate,
  type WaveSummary,
  type WaveTimings,
  type PurchaseOrderView,
  type RouteView,
  type RouteStopView,
  type ManifestView,
  type SortingView,
  type SkuLine,
} from './waves.service';
export { WavesRepo, type WaveRow } from './waves.repo';
export { planRoutes, haversineM, cratesFor, type PlanPoint, type PlannedRoute, type PlannedStop, type Planner, type RoutePlan } from './route-plan';
export { toCsv } from './csv';
