// Response shapes of the linli API as the web app uses them (see src/http/routes/*.ts).

export type Role =
  | 'resident'
  | 'leader'
  | 'host'
  | 'store_owner'
  | 'store_clerk'
  | 'warehouse_staff'
  | 'driver'
  | 'operator';

export interface Account {
  id: number;
  phone: string;
  displayName: string;
  roles: Role[];
  createdAt?: string;
}

export interface LoginResult {
  token: string;
  expiresAt: string;
  account: Account;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type PointStatus = 'active' | 'paused' | 'closed';

export interface Region {
  id: number;
  parentId: number | null;
  kind: 'city' | 'county';
  name: string;
  code: string;
}

export interface Community {
  id: number;
  regionId: number;
  name: string;
  address: string;
  lat: number;
  lng: number;
  h3Cell?: string;
  households: number;
}

export interface PickupPoint {
  id: number;
  communityId: number;
  leaderAccountId: number | null;
  gridWarehouseId: number | null;
  name: string;
  address: string;
  lat: number;
  lng: number;
  opensAt: string;
  closesAt: string;
  capacity: number;
  status: PointStatus;
}

export interface Store {
  id: number;
  regionId: number;
  communityId: number | null;
  ownerAccountId: number;
  gridWarehouseId: number | null;
  name: string;
  address: string;
  lat: number;
  lng: number;
  deliveryRadiusM: number;
  opensAt: string;
  closesAt: string;
  status: PointStatus;
}

export interface Warehouse {
  id: number;
  regionId: number;
  kind: 'central' | 'grid';
  name: string;
  address: string;
  lat: number;
  lng: number;
  centralWarehouseId: number | null;
}

export interface Home {
  communityId: number;
  community: Community;
  updatedAt?: string;
}

export type NearbyKind = 'pickup_point' | 'store';

export interface NearbyItem {
  kind: NearbyKind;
  id: number;
  name: string;
  address: string;
  lat: number;
  lng: number;
  distanceM: number;
  communityId: number | null;
  status: PointStatus;
  opensAt: string;
  closesAt: string;
  capacity: number | null;
  leaderAccountId: number | null;
  deliveryRadiusM: number | null;
  /** Stores only: the community is inside the store's delivery radius. */
  deliversHere: boolean | null;
}

export interface Category {
  id: number;
  parentId: number | null;
  name: string;
  sortOrder?: number;
}

export interface Sku {
  id: number;
  productId: number;
  barcode: string | null;
  spec: string;
  unit: string;
  basePriceFen: number;
  status?: 'active' | 'archived';
}

export interface Product {
  id: number;
  categoryId: number;
  supplierId?: number | null;
  name: string;
  description: string;
  imageUrls?: string[];
  status?: 'active' | 'archived';
  skus?: Sku[];
}

export interface ShopSku {
  skuId: number;
  spec: string;
  unit: string;
  barcode: string | null;
  priceFen: number;
  basePriceFen: number;
}

export interface ShopProduct {
  productId: number;
  name: string;
  description: string;
  imageUrl: string | null;
  categoryId: number;
  categoryName: string;
  skus: ShopSku[];
}

export type MapKind = 'community' | 'pickup_point' | 'store' | 'warehouse';

/** GET /api/map: compact rows per kind (see src/http/routes/place.schemas.ts). */
export interface PlaceMap {
  communities: Array<{ id: number; name: string; lat: number; lng: number; regionId: number; households: number }>;
  pickupPoints: Array<{ id: number; name: string; lat: number; lng: number; status: PointStatus; communityId: number; gridWarehouseId: number | null }>;
  stores: Array<{ id: number; name: string; lat: number; lng: number; status: PointStatus; gridWarehouseId: number | null }>;
  warehouses: Array<{ id: number; name: string; lat: number; lng: number; kind: 'central' | 'grid'; centralWarehouseId: number | null }>;
}

/** One dot on the operator map. */
export interface MapDot {
  kind: MapKind;
  id: number;
  name: string;
  lat: number;
  lng: number;
  sub?: string;
}
