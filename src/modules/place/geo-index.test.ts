import { describe, expect, it } from 'vitest';
import { GeoIndex, distanceM, type GeoHit } from './geo-index';
import { seededUniform } from '../../kernel';


// An independent haversine (not geokdbush's) so the test checks the index, not itself.
function haversineM(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const r = Math.PI / 180;
  const dLat = (lat2 - lat1) * r;
  const dLng = (lng2 - lng1) * r;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

type Pt = { lat: number; lng: number };

function brute(points: Map<number, Pt>, lat: number, lng: number, radiusM: number, limit: number, filter?: (id: number) => boolean): GeoHit[] {
  const hits: GeoHit[] = [];
  for (const [id, p] of points) {
    if (filter && !filter(id)) continue;
    const d = haversineM(lat, lng, p.lat, p.lng);
    if (d <= radiusM) hits.push({ id, distanceM: d });
  }
  return hits.sort((a, b) => a.distanceM - b.distanceM || a.id - b.id).slice(0, limit);
}

// Hangzhou-ish centre; points within ~15 km.
const CENTRE = { lat: 30.27, lng: 120.15 };
const randomPoint = (r: () => number): Pt => ({ lat: CENTRE.lat + (r() - 0.5) * 0.27, lng: CENTRE.lng + (r() - 0.5) * 0.31 });

function expectSame(got: GeoHit[], want: GeoHit[], ctx: string) {
  expect(
    got.map((h) => h.id),
    ctx,
  ).toEqual(want.map((h) => h.id));
  for (let i = 0; i < got.length; i++) expect(Math.abs(got[i]!.distanceM - want[i]!.distanceM), ctx).toBeLessThan(1e-3);
}

describe('GeoIndex', () => {
  it('answers like a brute-force haversine scan on a static load', () => {
    const r = seededUniform(1);
    const points = new Map<number, Pt>();
    for (let id = 1; id <= 5000; id++) points.set(id, randomPoint(r));
    const index = new GeoIndex();
    index.load([...points].map(([id, p]) => ({ id, ...p })));
    expect(index.size).toBe(5000);
    for (let q = 0; q < 200; q++) {
      const c = randomPoint(r);
      const radiusM = 200 + r() * 3000;
      const limit = 1 + Math.floor(r() * 40);
      expectSame(index.around({ ...c, radiusM, limit }), brute(points, c.lat, c.lng, radiusM, limit), `query ${q}`);
    }
  });

  it('stays equal to brute force through many inserts, moves and removes, across rebuilds', () => {
    const r = seededUniform(2);
    const points = new Map<number, Pt>();
    const index = new GeoIndex({ rebuildThreshold: 300 });
    for (let id = 1; id <= 2000; id++) points.set(id, randomPoint(r));
    index.load([...points].map(([id, p]) => ({ id, ...p })));
    let nextId = 2001;
    const check = (step: number) => {
      for (let q = 0; q < 5; q++) {
        const c = randomPoint(r);
        const radiusM = 100 + r() * 2500;
        const limit = 1 + Math.floor(r() * 30);
        // Half the queries filter (e.g. "active only"), so the predicate path is covered too.
        const filter = q % 2 === 0 ? (id: number) => id % 3 !== 0 : undefined;
        expectSame(index.around({ ...c, radiusM, limit, filter }), brute(points, c.lat, c.lng, radiusM, limit, filter), `step ${step} q ${q}`);
      }
    };
    for (let step = 0; step < 3000; step++) {
      const op = r();
      const ids = [...points.keys()];
      if (op < 0.4 || ids.length === 0) {
        const p = randomPoint(r);
        points.set(nextId, p);
        index.upsert(nextId, p.lat, p.lng);
        nextId += 1;
      } else if (op < 0.75) {
        const id = ids[Math.floor(r() * ids.length)]!;
        const p = randomPoint(r);
        points.set(id, p);
        index.upsert(id, p.lat, p.lng);
      } else {
        const id = ids[Math.floor(r() * ids.length)]!;
        points.delete(id);
        expect(index.remove(id)).toBe(true);
      }
      if (step % 50 === 0) check(step);
    }
    check(3000);
    expect(index.size).toBe(points.size);
    expect(index.stats().rebuilds).toBeGreaterThan(3);
    expect(index.remove(999_999)).toBe(false);
  });

  it('a move shows up at once; a status-only upsert does not grow the delta', () => {
    const index = new GeoIndex();
    index.load([
      { id: 1, lat: 30.27, lng: 120.15 },
      { id: 2, lat: 30.28, lng: 120.15 },
    ]);
    expect(index.around({ ...CENTRE, radiusM: 5000, limit: 10 }).map((h) => h.id)).toEqual([1, 2]);
    index.upsert(2, 30.27, 120.1501);
    index.upsert(1, 30.27, 120.15);
    expect(index.stats()).toMatchObject({ deltaPoints: 1, tombstones: 1 });
    expect(index.around({ ...CENTRE, radiusM: 5000, limit: 10 }).map((h) => h.id)).toEqual([1, 2]);
    index.upsert(1, 30.5, 120.5);
    expect(index.around({ ...CENTRE, radiusM: 5000, limit: 10 }).map((h) => h.id)).toEqual([2]);
    expect(index.get(1)).toEqual({ lat: 30.5, lng: 120.5 });
    index.rebuild();
    expect(index.stats()).toMatchObject({ deltaPoints: 0, tombstones: 0, treePoints: 2 });
    expect(index.around({ ...CENTRE, radiusM: 50_000, limit: 10 }).map((h) => h.id)).toEqual([2, 1]);
  });

  it('handles the empty index, zero limit and bad coordinates', () => {
    const index = new GeoIndex();
    expect(index.around({ ...CENTRE, radiusM: 1000, limit: 10 })).toEqual([]);
    index.upsert(7, CENTRE.lat, CENTRE.lng);
    expect(index.around({ ...CENTRE, radiusM: 0, limit: 10 }).map((h) => h.id)).toEqual([7]);
    expect(index.around({ ...CENTRE, radiusM: 1000, limit: 0 })).toEqual([]);
    expect(() => index.upsert(8, 91, 0)).toThrow(RangeError);
    expect(() => index.upsert(8, Number.NaN, 0)).toThrow(RangeError);
  });

  it('distanceM agrees with an independent haversine', () => {
    expect(distanceM(30.27, 120.15, 30.28, 120.16)).toBeCloseTo(haversineM(30.27, 120.15, 30.28, 120.16), 3);
  });
});
