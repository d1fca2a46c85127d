// Request and response shapes of the place routes (see ./place.ts).
import { z } from 'zod';
import { MAX_NEARBY_LIMIT, MAX_NEARBY_RADIUS_M, PLACE_KINDS, POINT_STATUSES, REGION_KINDS, WAREHOUSE_KINDS } from '../../modules/place';
import { hhmm, isoDate, latLng, pageQuery, phone } from '../schemas';

// ── pieces ─────────────────────────────────────────────────────────────────
const refId = z.number().int().positive();
const queryId = z.coerce.number().int().positive();
const name = z.string().trim().min(1).max(64);
const address = z.string().trim().min(1).max(200);
const optionalAddress = z.string().trim().max(200);
const status = z.enum(POINT_STATUSES);
const regionKind = z.enum(REGION_KINDS);
const warehouseKind = z.enum(WAREHOUSE_KINDS);
const placeKind = z.enum(PLACE_KINDS);
const capacity = z.number().int().min(1).max(100_000).describe('parcels the point holds for one pickup day');
const deliveryRadiusM = z.number().int().min(0).max(10_000).describe('metres');
const households = z.number().int().min(0).max(1_000_000);
const regionCode = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'code must be 1–32 letters, digits, _ or -');
/** Query-string booleans: only the words, so `?includePaused=0` is an error rather than true. */
export const queryBool = z.enum(['true', 'false']);

// ── responses ──────────────────────────────────────────────────────────────
export const region = z.object({
  id: z.number(),
  parentId: z.number().nullable(),
  kind: regionKind,
  name: z.string(),
  code: z.string(),
  createdAt: isoDate,
});

export const community = z.object({
  id: z.number(),
  regionId: z.number(),
  name: z.string(),
  address: z.string(),
  lat: z.number(),
  lng: z.number(),
  h3Cell: z.string().describe('H3 cell at resolution 9'),
  households: z.number(),
  createdAt: isoDate,
});

export const warehouse = z.object({
  id: z.number(),
  regionId: z.number(),
  kind: warehouseKind,
  name: z.string(),
  address: z.string(),
  lat: z.number(),
  lng: z.number(),
  centralWarehouseId: z.number().nullable(),
  createdAt: isoDate,
});

export const pickupPoint = z.object({
  id: z.number(),
  communityId: z.number(),
  leaderAccountId: z.number().nullable(),
  gridWarehouseId: z.number().nullable(),
  name: z.string(),
  address: z.string(),
  lat: z.number(),
  lng: z.number(),
  opensAt: z.string(),
  closesAt: z.string(),
  capacity: z.number(),
  status,
  createdAt: isoDate,
  updatedAt: isoDate,
});

export const store = z.object({
  id: z.number(),
  regionId: z.number(),
  communityId: z.number().nullable(),
  ownerAccountId: z.number(),
  gridWarehouseId: z.number().nullable(),
  name: z.string(),
  address: z.string(),
  lat: z.number(),
  lng: z.number(),
  deliveryRadiusM: z.number(),
  opensAt: z.string(),
  closesAt: z.string(),
  status,
  createdAt: isoDate,
  updatedAt: isoDate,
});

export const clerk = z.object({
  storeId: z.number(),
  accountId: z.number(),
  displayName: z.string(),
  phone: z.string(),
  addedAt: isoDate,
});

export const home = z.object({ communityId: z.number(), community, updatedAt: isoDate });

export const served = z.object({
  pickupPoints: z.array(pickupPoint),
  stores: z.array(store),
  gridWarehouses: z.array(warehouse).describe('for a central warehouse: the grid warehouses it supplies'),
});

export const nearbyItem = z.object({
  kind: placeKind,
  id: z.number(),
  name: z.string(),
  address: z.string(),
  lat: z.number(),
  lng: z.number(),
  distanceM: z.number().int().describe('great-circle distance in whole metres'),
  communityId: z.number().nullable(),
  status,
  opensAt: z.string(),
  closesAt: z.string(),
  capacity: z.number().nullable().describe('pickup points only'),
  leaderAccountId: z.number().nullable().describe('pickup points only'),
  deliveryRadiusM: z.number().nullable().describe('stores only'),
  deliversHere: z.boolean().nullable().describe('stores only: the query point is inside the delivery radius'),
});
export const nearbyList = z.object({ items: z.array(nearbyItem) });

export const placeMap = z.object({
  communities: z.array(
    z.object({ id: z.number(), name: z.string(), lat: z.number(), lng: z.number(), regionId: z.number(), households: z.number() }),
  ),
  pickupPoints: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      lat: z.number(),
      lng: z.number(),
      status,
      communityId: z.number(),
      gridWarehouseId: z.number().nullable(),
    }),
  ),
  stores: z.array(
    z.object({ id: z.number(), name: z.string(), lat: z.number(), lng: z.number(), status, gridWarehouseId: z.number().nullable() }),
  ),
  warehouses: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      lat: z.number(),
      lng: z.number(),
      kind: warehouseKind,
      centralWarehouseId: z.number().nullable(),
    }),
  ),
});

// ── requests ───────────────────────────────────────────────────────────────
export const regionQuery = pageQuery.extend({ parentId: queryId.optional(), kind: regionKind.optional() });
export const regionCreate = z.object({
  kind: regionKind,
  name,
  code: regionCode,
  parentId: refId.nullable().optional().describe('the city, for a county'),
});
export const regionPatch = z.object({ name: name.optional(), code: regionCode.optional() });

export const communityQuery = pageQuery.extend({
  regionId: queryId.optional().describe('a city includes its counties'),
  q: z.string().max(64).optional().describe('part of the name'),
});
const communityFields = { regionId: refId, name, address: optionalAddress.optional(), ...latLng, households: households.optional() };
export const communityCreate = z.object(communityFields);
export const communityPatch = z.object(communityFields).partial();

export const warehouseQuery = pageQuery.extend({ regionId: queryId.optional(), kind: warehouseKind.optional() });
export const warehouseCreate = z.object({
  regionId: refId,
  kind: warehouseKind,
  name,
  address: optionalAddress.optional(),
  ...latLng,
  centralWarehouseId: refId.nullable().optional().describe('required for a grid warehouse'),
});
export const warehousePatch = warehouseCreate.omit({ kind: true }).partial();

export const pickupPointQuery = pageQuery.extend({
  communityId: queryId.optional(),
  regionId: queryId.optional(),
  gridWarehouseId: queryId.optional(),
  leaderAccountId: queryId.optional(),
});
export const pickupPointCreate = z.object({
  communityId: refId,
  leaderAccountId: refId.nullable().optional(),
  gridWarehouseId: refId.nullable().optional().describe('must be a grid warehouse'),
  name,
  address,
  lat: latLng.lat.optional().describe("defaults to the community's"),
  lng: latLng.lng.optional(),
  opensAt: hhmm,
  closesAt: hhmm,
  capacity,
  status: status.optional(),
});
export const pickupPointPatch = pickupPointCreate.partial();

export const storeQuery = pageQuery.extend({
  regionId: queryId.optional(),
  ownerAccountId: queryId.optional(),
  communityId: queryId.optional(),
});
export const storeCreate = z.object({
  regionId: refId,
  communityId: refId.nullable().optional(),
  ownerAccountId: refId,
  gridWarehouseId: refId.nullable().optional().describe('must be a grid warehouse'),
  name,
  address,
  ...latLng,
  deliveryRadiusM: deliveryRadiusM.optional(),
  opensAt: hhmm,
  closesAt: hhmm,
  status: status.optional(),
});
export const storePatch = storeCreate.partial();

export const clerkAdd = z.object({
  phone: phone.optional(),
  accountId: refId.optional().describe('instead of phone'),
});

export const homeSet = z.object({ communityId: refId });

const nearbyOptions = {
  radiusM: z.coerce.number().int().min(0).max(MAX_NEARBY_RADIUS_M).default(3000),
  kind: placeKind.optional().describe('omitted: both, merged by distance'),
  limit: z.coerce.number().int().min(1).max(MAX_NEARBY_LIMIT).default(20),
  includePaused: queryBool.optional().describe('paused points are hidden unless true'),
};
export const nearbyQuery = z.object({
  lat: z.coerce.number().min(-90).max(90),
  lng: z.coerce.number().min(-180).max(180),
  ...nearbyOptions,
});
export const communityNearbyQuery = z.object(nearbyOptions);
export const mapQuery = z.object({ regionId: queryId.optional().describe('a city includes its counties; omitted: everything') });
