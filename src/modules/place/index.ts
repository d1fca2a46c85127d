// Public API of the place module; other modules import only from here.
export { PlaceService, MAX_NEARBY_LIMIT, MAX_NEARBY_RADIUS_M } from './place.service';
export type { AreaService } from './areas.service';
export type { WarehouseService, Served } from './warehouses.service';
export { LEADER_EDITABLE } from './pickup-points.service';
export type { PickupPointService, PickupPointFilter } from './pickup-points.service';
export { OWNER_EDITABLE, DEFAULT_DELIVERY_RADIUS_M } from './stores.service';
export type { StoreService, StoreFilter } from './stores.service';
export type { NearbyQuery } from './place.geo';
export { GeoIndex, distanceM } from './geo-index';
export type { GeoHit, GeoPoint, GeoQuery, GeoIndexStats } from './geo-index';
export { h3CellOf, COMMUNITY_H3_RESOLUTION } from './place.rules';
export { POINT_STATUSES, REGION_KINDS, WAREHOUSE_KINDS, PLACE_KINDS } from './place.types';
export type * from './place.types';
