// The place module's one entry point (人-货-场's 场): regions, communities, warehouses,
// pickup points, stores, homes, and the nearest-place queries over them.
import type { Database } from '../../db';
import { badInput, systemClock, type Clock } from '../../kernel';
import type { PeopleService } from '../people';
import { AreaService } from './areas.service';
import type { PlaceDeps } from './place.context';
import { PlaceGeo, type NearbyQuery } from './place.geo';
import { PlaceRepo } from './place.repo';
import type { NearbyItem, PlaceKind, PlaceMap } from './place.types';
import { PickupPointService } from './pickup-points.service';
import { StoreService } from './stores.service';
import { WarehouseService } from './warehouses.service';

export const MAX_NEARBY_RADIUS_M = 50_000;
export const MAX_NEARBY_LIMIT = 200;

export class PlaceService {
  readonly areas: AreaService;
  readonly warehouses: WarehouseService;
  readonly pickupPoints: PickupPointService;
  readonly stores: StoreService;
  private readonly deps: PlaceDeps;

  constructor(
    db: Database,
    people: PeopleService,
    clock: Clock = systemClock,
    opts: { geoRebuildThreshold?: number } = {},
  ) {
    const repo = new PlaceRepo();
    const geo = new PlaceGeo(repo, opts.geoRebuildThreshold === undefined ? {} : { rebuildThreshold: opts.geoRebuildThreshold });
    this.deps = { db, clock, people, repo, geo };
    this.areas = new AreaService(this.deps);
    this.warehouses = new WarehouseService(this.deps);
    this.pickupPoints = new PickupPointService(this.deps);
    this.stores = new StoreService(this.deps);
  }

  /** Fill the geo indexes from the database; call once at start. */
  async loadGeoIndex(): Promise<{ pickupPoints: number; stores: number }> {
    return this.deps.geo.load(this.deps.db.orm);
  }

  /** Rebuild the geo indexes from the database, e.g. after bulk inserts that bypassed the service. */
  async reloadGeoIndex(): Promise<{ pickupPoints: number; stores: number }> {
    return this.deps.geo.load(this.deps.db.orm);
  }

  /** Active pickup points and/or stores within `radiusM` of a coordinate, nearest first. */
  async nearby(q: NearbyQuery): Promise<NearbyItem[]> {
    if (!Number.isFinite(q.lat) || q.lat < -90 || q.lat > 90) throw badInput('lat', 'lat must be between -90 and 90');
    if (!Number.isFinite(q.lng) || q.lng < -180 || q.lng > 180) throw badInput('lng', 'lng must be between -180 and 180');
    if (!(q.radiusM >= 0 && q.radiusM <= MAX_NEARBY_RADIUS_M)) throw badInput('radiusM', `radiusM must be 0–${MAX_NEARBY_RADIUS_M}`);
    if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > MAX_NEARBY_LIMIT) throw badInput('limit', `limit must be 1–${MAX_NEARBY_LIMIT}`);
    return this.deps.geo.nearby(this.deps.db.orm, q);
  }

  /** Nearby places seen from a community's coordinates. */
  async nearCommunity(
    communityId: number,
    q: { radiusM: number; limit: number; kind?: PlaceKind | undefined; includePaused?: boolean | undefined },
  ): Promise<NearbyItem[]> {
    const c = await this.areas.getCommunity(communityId);
    return this.nearby({ ...q, lat: c.lat, lng: c.lng });
  }

  /** Compact coordinates of everything in a region (a city includes its counties), for the map view. */
  async map(regionId?: number): Promise<PlaceMap> {
    return this.deps.repo.mapOf(this.deps.db.orm, regionId);
  }
}
