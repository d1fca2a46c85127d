// Row and input shapes of the place module, shared by repo, services and routes.
import type { communities, pickupPoints, regions, stores, warehouses } from './place.schema';
import type { PointStatus, RegionKind, WarehouseKind } from './place.schema';

export type { PointStatus, RegionKind, WarehouseKind };

export type Region = typeof regions.$inferSelect;
export type Community = typeof communities.$inferSelect;
export type Warehouse = typeof warehouses.$inferSelect;
export type PickupPoint = typeof pickupPoints.$inferSelect;
export type Store = typeof stores.$inferSelect;

export const POINT_STATUSES = ['active', 'paused', 'closed'] as const satisfies readonly PointStatus[];
export const REGION_KINDS = ['city', 'county'] as const satisfies readonly RegionKind[];
export const WAREHOUSE_KINDS = ['central', 'grid'] as const satisfies readonly WarehouseKind[];
export const PLACE_KINDS = ['pickup_point', 'store'] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

export interface NewRegion {
  kind: RegionKind;
  name: string;
  code: string;
  parentId?: number | null | undefined;
}
export type RegionPatch = Partial<Pick<NewRegion, 'name' | 'code'>>;

export interface NewCommunity {
  regionId: number;
  name: string;
  address?: string | undefined;
  lat: number;
  lng: number;
  households?: number | undefined;
}
export type CommunityPatch = Partial<NewCommunity>;

export interface NewWarehouse {
  regionId: number;
  kind: WarehouseKind;
  name: string;
  address?: string | undefined;
  lat: number;
  lng: number;
  centralWarehouseId?: number | null | undefined;
}
/** The kind of a warehouse is fixed: points and stores depend on a grid warehouse staying one. */
export type WarehousePatch = Partial<Omit<NewWarehouse, 'kind'>>;

export interface NewPickupPoint {
  communityId: number;
  leaderAccountId?: number | null | undefined;
  gridWarehouseId?: number | null | undefined;
  name: string;
  address: string;
  /** Defaults to the community's coordinates. */
  lat?: number | undefined;
  lng?: number | undefined;
  opensAt: string;
  closesAt: string;
  capacity: number;
  status?: PointStatus | undefined;
}
export type PickupPointPatch = Partial<NewPickupPoint>;

export interface NewStore {
  regionId: number;
  communityId?: number | null | undefined;
  ownerAccountId: number;
  gridWarehouseId?: number | null | undefined;
  name: string;
  address: string;
  lat: number;
  lng: number;
  deliveryRadiusM?: number | undefined;
  opensAt: string;
  closesAt: string;
  status?: PointStatus | undefined;
}
export type StorePatch = Partial<NewStore>;

export interface Clerk {
  storeId: number;
  accountId: number;
  displayName: string;
  phone: string;
  addedAt: Date;
}

export interface ResidentHome {
  communityId: number;
  community: Community;
  updatedAt: Date;
}

export interface NearbyItem {
  kind: PlaceKind;
  id: number;
  name: string;
  address: string;
  lat: number;
  lng: number;
  /** Whole metres, rounded. */
  distanceM: number;
  communityId: number | null;
  status: PointStatus;
  opensAt: string;
  closesAt: string;
  /** Pickup points only. */
  capacity: number | null;
  leaderAccountId: number | null;
  /** Stores only. */
  deliveryRadiusM: number | null;
  /** Stores only: the query point lies inside the store's delivery radius. */
  deliversHere: boolean | null;
}

export interface PlaceMap {
  communities: Array<{ id: number; name: string; lat: number; lng: number; regionId: number; households: number }>;
  pickupPoints: Array<{ id: number; name: string; lat: number; lng: number; status: PointStatus; communityId: number; gridWarehouseId: number | null }>;
  stores: Array<{ id: number; name: string; lat: number; lng: number; status: PointStatus; gridWarehouseId: number | null }>;
  warehouses: Array<{ id: number; name: string; lat: number; lng: number; kind: WarehouseKind; centralWarehouseId: number | null }>;
}
