// The place module's geo indexes (one per kind) and the nearby query built on them.
//
// The index lives in this process's memory: it is filled from the database at start
// (`load`) and kept in step by the services, which call `sync` after each committed write.
// Several linli processes on one PostgreSQL would each see only their own writes until
// they reload; one process per database is the deployment this serves today.
import type { Executor } from '../../db';
import { GeoIndex, type GeoHit } from './geo-index';
import type { PlaceRepo } from './place.repo';
import type { NearbyItem, PickupPoint, PlaceKind, PointStatus, Store } from './place.types';

export interface NearbyQuery {
  lat: number;
  lng: number;
  radiusM: number;
  limit: number;
  /** Omitted: both kinds, merged by distance. */
  kind?: PlaceKind | undefined;
  /** Paused points are hidden unless asked for; closed ones are never in the index. */
  includePaused?: boolean | undefined;
}

interface Located {
  id: number;
  lat: number;
  lng: number;
  status: PointStatus;
}

class KindIndex {
  readonly index: GeoIndex;
  /** Status of every indexed point, so "active only" is a filter inside the tree walk. */
  readonly status = new Map<number, PointStatus>();
  private readonly activeOnly = (id: number) => this.status.get(id) === 'active';

  constructor(rebuildThreshold?: number) {
    this.index = new GeoIndex(rebuildThreshold === undefined ? {} : { rebuildThreshold });
  }

  load(rows: Located[]): void {
    this.status.clear();
    const live = rows.filter((r) => r.status !== 'closed');
    for (const r of live) this.status.set(r.id, r.status);
    this.index.load(live);
  }

  sync(row: Located): void {
    if (row.status === 'closed') {
      this.index.remove(row.id);
      this.status.delete(row.id);
      return;
    }
    this.index.upsert(row.id, row.lat, row.lng);
    this.status.set(row.id, row.status);
  }

  query(q: NearbyQuery): GeoHit[] {
    return this.index.around({ lat: q.lat, lng: q.lng, radiusM: q.radiusM, limit: q.limit, filter: q.includePaused ? undefined : this.activeOnly });
  }
}

export class PlaceGeo {
  readonly pickupPoints: KindIndex;
  readonly stores: KindIndex;

  constructor(
    private readonly repo: PlaceRepo,
    opts: { rebuildThreshold?: number } = {},
  ) {
    this.pickupPoints = new KindIndex(opts.rebuildThreshold);
    this.stores = new KindIndex(opts.rebuildThreshold);
  }

  async load(db: Executor): Promise<{ pickupPoints: number; stores: number }> {
    const [points, stores] = await Promise.all([this.repo.pickupPointLocations(db), this.repo.storeLocations(db)]);
    this.pickupPoints.load(points);
    this.stores.load(stores);
    return { pickupPoints: this.pickupPoints.index.size, stores: this.stores.index.size };
  }

  syncPickupPoint(p: PickupPoint): void {
    this.pickupPoints.sync(p);
  }

  syncStore(s: Store): void {
    this.stores.sync(s);
  }

  /** Nearest places, with their details read from the database in one query per kind. */
  async nearby(db: Executor, q: NearbyQuery): Promise<NearbyItem[]> {
    const hits: Array<GeoHit & { kind: PlaceKind }> = [];
    if (q.kind !== 'store') for (const h of this.pickupPoints.query(q)) hits.push({ ...h, kind: 'pickup_point' });
    if (q.kind !== 'pickup_point') for (const h of this.stores.query(q)) hits.push({ ...h, kind: 'store' });
    hits.sort((a, b) => a.distanceM - b.distanceM || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.id - b.id));
    const top = hits.slice(0, q.limit);
    const [points, stores] = await Promise.all([
      this.repo.findPickupPoints(
        db,
        top.filter((h) => h.kind === 'pickup_point').map((h) => h.id),
      ),
      this.repo.findStores(
        db,
        top.filter((h) => h.kind === 'store').map((h) => h.id),
      ),
    ]);
    const pointById = new Map(points.map((p) => [p.id, p]));
    const storeById = new Map(stores.map((s) => [s.id, s]));
    const visible = (s: PointStatus) => s === 'active' || (q.includePaused === true && s === 'paused');
    const items: NearbyItem[] = [];
    for (const h of top) {
      const distanceM = Math.round(h.distanceM);
      if (h.kind === 'pickup_point') {
        const p = pointById.get(h.id);
        // The row is the truth: a point changed by another process since our index saw it is skipped.
        if (!p || !visible(p.status)) continue;
        items.push({
          kind: 'pickup_point',
          id: p.id,
          name: p.name,
          address: p.address,
          lat: p.lat,
          lng: p.lng,
          distanceM,
          communityId: p.communityId,
          status: p.status,
          opensAt: p.opensAt,
          closesAt: p.closesAt,
          capacity: p.capacity,
          leaderAccountId: p.leaderAccountId,
          deliveryRadiusM: null,
          deliversHere: null,
        });
      } else {
        const s = storeById.get(h.id);
        if (!s || !visible(s.status)) continue;
        items.push({
          kind: 'store',
          id: s.id,
          name: s.name,
          address: s.address,
          lat: s.lat,
          lng: s.lng,
          distanceM,
          communityId: s.communityId,
          status: s.status,
          opensAt: s.opensAt,
          closesAt: s.closesAt,
          capacity: null,
          leaderAccountId: null,
          deliveryRadiusM: s.deliveryRadiusM,
          deliversHere: h.distanceM <= s.deliveryRadiusM,
        });
      }
    }
    return items;
  }
}
