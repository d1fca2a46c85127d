// In-memory nearest-point index over (lat, lng). Pure: no I/O, no clock.
//
// kdbush builds a static, packed kd-tree that cannot be changed once finished, and geokdbush
// walks it in great-circle distance order. Points here do change (a leader's pickup point
// moves, a store closes), so the index is three parts:
//   - the static tree, built from every live point at the last rebuild;
//   - tombstones: tree positions whose point was removed or moved since (skipped in queries);
//   - a delta map of points added or moved since, scanned linearly on every query.
// When delta + tombstones pass `rebuildThreshold`, the tree is rebuilt from the live points.
// A query then costs one tree walk (sub-linear) plus one linear pass over at most
// `rebuildThreshold` delta entries, and a write costs O(1) plus, rarely, a rebuild
// (~10–30 ms per 100k points, amortised over `rebuildThreshold` writes).
import KDBush from 'kdbush';
import { around, distance } from 'geokdbush';

export interface GeoPoint {
  id: number;
  lat: number;
  lng: number;
}

export interface GeoHit {
  id: number;
  /** Great-circle distance in metres (not rounded). */
  distanceM: number;
}

export interface GeoQuery {
  lat: number;
  lng: number;
  radiusM: number;
  limit: number;
  /** Only ids for which this returns true are answered (e.g. only active points). */
  filter?: ((id: number) => boolean) | undefined;
}

export interface GeoIndexStats {
  treePoints: number;
  tombstones: number;
  deltaPoints: number;
  rebuilds: number;
}

export const DEFAULT_REBUILD_THRESHOLD = 1024;

// geokdbush measures on a sphere of 6371 km; every distance here goes through its
// `distance` so the tree's radius cut-off and our delta scan agree to the last bit.
const METRES_PER_DEGREE_LAT = (6_371_000 * Math.PI) / 180;

/** Great-circle distance in metres between two coordinates. */
export function distanceM(lat1: number, lng1: number, lat2: number, lng2: number): number {
  return distance(lng1, lat1, lng2, lat2) * 1000;
}

function assertCoordinate(lat: number, lng: number): void {
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) throw new RangeError(`latitude out of range: ${lat}`);
  if (!Number.isFinite(lng) || lng < -180 || lng > 180) throw new RangeError(`longitude out of range: ${lng}`);
}

const byDistanceThenId = (a: GeoHit, b: GeoHit) => a.distanceM - b.distanceM || a.id - b.id;

export class GeoIndex {
  readonly rebuildThreshold: number;
  private tree: KDBush | null = null;
  /**
   * Tree position (the number kdbush's `add` returned, which `around` reports) → point id
   * and coordinates. Kept beside the tree because `finish()` reorders the tree's own
   * coordinate array. Ids are safe integers, so Float64 holds them exactly.
   */
  private treeIds = new Float64Array(0);
  private treeLat = new Float64Array(0);
  private treeLng = new Float64Array(0);
  /** Point id → tree position, for live tree entries only. */
  private treePos = new Map<number, number>();
  /** 1 where a tree position was removed or moved since the last rebuild. */
  private dead = new Uint8Array(0);
  private deadCount = 0;
  /** Points added or moved since the last rebuild. */
  private delta = new Map<number, { lat: number; lng: number }>();
  private rebuilds = 0;

  constructor(opts: { rebuildThreshold?: number } = {}) {
    this.rebuildThreshold = Math.max(1, opts.rebuildThreshold ?? DEFAULT_REBUILD_THRESHOLD);
  }

  /** Replace the whole content with `points` (later duplicates of an id win). */
  load(points: Iterable<GeoPoint>): void {
    const latest = new Map<number, { lat: number; lng: number }>();
    for (const p of points) {
      assertCoordinate(p.lat, p.lng);
      latest.set(p.id, { lat: p.lat, lng: p.lng });
    }
    this.build(latest);
  }

  get size(): number {
    return this.treePos.size + this.delta.size;
  }

  has(id: number): boolean {
    return this.delta.has(id) || this.treePos.has(id);
  }

  get(id: number): { lat: number; lng: number } | undefined {
    const d = this.delta.get(id);
    if (d) return { ...d };
    const pos = this.treePos.get(id);
    if (pos === undefined) return undefined;
    return { lat: this.treeLat[pos]!, lng: this.treeLng[pos]! };
  }

  /** Add a point or move it to new coordinates. */
  upsert(id: number, lat: number, lng: number): void {
    assertCoordinate(lat, lng);
    const pos = this.treePos.get(id);
    if (pos !== undefined) {
      // Unmoved points stay in the tree: status-only updates must not grow the delta.
      if (this.treeLat[pos] === lat && this.treeLng[pos] === lng) return;
      this.kill(pos, id);
    }
    this.delta.set(id, { lat, lng });
    this.maybeRebuild();
  }

  /** Remove a point; returns whether it was there. */
  remove(id: number): boolean {
    let found = this.delta.delete(id);
    const pos = this.treePos.get(id);
    if (pos !== undefined) {
      this.kill(pos, id);
      found = true;
    }
    if (found) this.maybeRebuild();
    return found;
  }

  /** Points within `radiusM` of (lat, lng), nearest first, at most `limit`. */
  around(q: GeoQuery): GeoHit[] {
    const limit = Math.floor(q.limit);
    if (!(limit > 0) || !(q.radiusM >= 0)) return [];
    assertCoordinate(q.lat, q.lng);
    const filter = q.filter;
    const fromTree: GeoHit[] = [];
    if (this.tree && this.tree.numItems > 0) {
      const dead = this.dead;
      const ids = this.treeIds;
      const predicate = this.deadCount === 0 && !filter ? undefined : (pos: number) => dead[pos] === 0 && (!filter || filter(ids[pos]!));
      const positions = around(this.tree, q.lng, q.lat, limit, q.radiusM / 1000, predicate);
      const lats = this.treeLat;
      const lngs = this.treeLng;
      for (const pos of positions) {
        fromTree.push({ id: ids[pos]!, distanceM: distanceM(q.lat, q.lng, lats[pos]!, lngs[pos]!) });
      }
    }
    if (this.delta.size === 0) return fromTree;

    // Linear pass over the delta; a latitude band check skips most points before the
    // trigonometry (one degree of latitude is the same length everywhere on the sphere).
    const band = q.radiusM / METRES_PER_DEGREE_LAT;
    const fromDelta: GeoHit[] = [];
    for (const [id, p] of this.delta) {
      if (Math.abs(p.lat - q.lat) > band) continue;
      if (filter && !filter(id)) continue;
      const d = distanceM(q.lat, q.lng, p.lat, p.lng);
      if (d <= q.radiusM) fromDelta.push({ id, distanceM: d });
    }
    if (fromDelta.length === 0) return fromTree;
    fromDelta.sort(byDistanceThenId);
    return mergeSorted(fromTree, fromDelta, limit);
  }

  /** Fold the delta and tombstones into a fresh tree now. */
  rebuild(): void {
    const live = new Map<number, { lat: number; lng: number }>();
    for (const [id, pos] of this.treePos) live.set(id, { lat: this.treeLat[pos]!, lng: this.treeLng[pos]! });
    for (const [id, p] of this.delta) live.set(id, p);
    this.build(live);
  }

  stats(): GeoIndexStats {
    return {
      treePoints: this.treePos.size,
      tombstones: this.deadCount,
      deltaPoints: this.delta.size,
      rebuilds: this.rebuilds,
    };
  }

  private kill(pos: number, id: number): void {
    this.dead[pos] = 1;
    this.deadCount += 1;
    this.treePos.delete(id);
  }

  private maybeRebuild(): void {
    if (this.delta.size + this.deadCount > this.rebuildThreshold) this.rebuild();
  }

  private build(points: Map<number, { lat: number; lng: number }>): void {
    const n = points.size;
    this.treeIds = new Float64Array(n);
    this.treeLat = new Float64Array(n);
    this.treeLng = new Float64Array(n);
    this.dead = new Uint8Array(n);
    this.deadCount = 0;
    this.treePos = new Map();
    this.delta = new Map();
    this.rebuilds += 1;
    if (n === 0) {
      this.tree = null;
      return;
    }
    const tree = new KDBush(n);
    for (const [id, p] of points) {
      const pos = tree.add(p.lng, p.lat);
      this.treeIds[pos] = id;
      this.treeLat[pos] = p.lat;
      this.treeLng[pos] = p.lng;
      this.treePos.set(id, pos);
    }
    this.tree = tree.finish();
  }
}

/** Merge two distance-sorted hit lists, keeping the first `limit`. */
function mergeSorted(a: GeoHit[], b: GeoHit[], limit: number): GeoHit[] {
  const out: GeoHit[] = [];
  let i = 0;
  let j = 0;
  while (out.length < limit && (i < a.length || j < b.length)) {
    if (j >= b.length || (i < a.length && byDistanceThenId(a[i]!, b[j]!) <= 0)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}
