// `linli bench geo`: the nearby-query index (src/modules/place/geo-index.ts) on N random
// points spread over a city (~40 × 40 km around Hangzhou), answering Q random radius
// queries (1–3 km, nearest 20, "active only" filter as the service uses it). Then ~1000
// points are added or moved without a rebuild and the queries run again, so the cost of
// the linear delta scan shows too.
import { GeoIndex, type GeoPoint } from '../src/modules/place/geo-index';
import { seededUniform } from '../src/kernel';

export interface GeoBenchOptions {
  points: number;
  queries: number;
  /** Points added/moved after the build and left un-rebuilt. */
  deltaPoints?: number;
  limit?: number;
  seed?: number;
}

export interface GeoBenchResult {
  name: 'geo';
  points: number;
  queries: number;
  limit: number;
  radiusM: [number, number];
  buildMs: number;
  meanUs: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
  meanHits: number;
  deltaPoints: number;
  deltaQueryMeanUs: number;
  deltaQueryP99Us: number;
  rebuildMs: number;
}

const CENTRE = { lat: 30.2741, lng: 120.1551 };
// ±0.18° latitude and ±0.21° longitude ≈ 40 km × 40 km at this latitude.
const HALF_LAT = 0.18;
const HALF_LNG = 0.21;
const RADIUS_M: [number, number] = [1000, 3000];
// About one point in ten is paused, so queries exercise the filter path the service uses.
const PAUSED_SHARE = 0.1;


const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function runGeoBench(opts: GeoBenchOptions): GeoBenchResult {
  const n = Math.max(1, Math.floor(opts.points));
  const q = Math.max(1, Math.floor(opts.queries));
  const deltaN = Math.max(0, Math.floor(opts.deltaPoints ?? Math.min(1000, n)));
  const limit = opts.limit ?? 20;
  const rand = seededUniform(opts.seed ?? 20261125);
  const randomCoord = () => ({ lat: CENTRE.lat + (rand() * 2 - 1) * HALF_LAT, lng: CENTRE.lng + (rand() * 2 - 1) * HALF_LNG });

  const points: GeoPoint[] = [];
  const active = new Uint8Array(n + deltaN + 2);
  for (let id = 1; id <= n; id++) {
    points.push({ id, ...randomCoord() });
    active[id] = rand() < PAUSED_SHARE ? 0 : 1;
  }
  const filter = (id: number) => active[id] === 1;
  // The threshold sits above the delta we add, so the delta stays un-rebuilt while measured.
  const index = new GeoIndex({ rebuildThreshold: Math.max(2048, 2 * deltaN + 1) });

  const t0 = performance.now();
  index.load(points);
  const buildMs = performance.now() - t0;

  const queries = Array.from({ length: q }, () => ({ ...randomCoord(), radiusM: RADIUS_M[0] + rand() * (RADIUS_M[1] - RADIUS_M[0]) }));
  const run = () => {
    const times = new Float64Array(q);
    let hits = 0;
    for (let i = 0; i < q; i++) {
      const qq = queries[i]!;
      const s = performance.now();
      hits += index.around({ lat: qq.lat, lng: qq.lng, radiusM: qq.radiusM, limit, filter }).length;
      times[i] = (performance.now() - s) * 1000;
    }
    times.sort();
    let sum = 0;
    for (const x of times) sum += x;
    return { times, meanUs: sum / q, hits: hits / q };
  };

  // Warm the JIT so the first measured queries are not compile time.
  for (let i = 0; i < Math.min(2000, q); i++) {
    const qq = queries[i]!;
    index.around({ lat: qq.lat, lng: qq.lng, radiusM: qq.radiusM, limit, filter });
  }
  const base = run();

  // Half the delta are new points, half moved existing ones (each move also tombstones).
  let nextId = n + 1;
  for (let i = 0; i < deltaN; i++) {
    const c = randomCoord();
    if (i % 2 === 0) {
      active[nextId] = 1;
      index.upsert(nextId++, c.lat, c.lng);
    } else {
      index.upsert(1 + Math.floor(rand() * n), c.lat, c.lng);
    }
  }
  const withDelta = run();
  const deltaSize = index.stats().deltaPoints;

  const r0 = performance.now();
  index.rebuild();
  const rebuildMs = performance.now() - r0;

  return {
    name: 'geo',
    points: n,
    queries: q,
    limit,
    radiusM: RADIUS_M,
    buildMs: round(buildMs),
    meanUs: round(base.meanUs),
    p50Us: round(percentile(base.times, 50)),
    p99Us: round(percentile(base.times, 99)),
    maxUs: round(percentile(base.times, 100)),
    meanHits: round(base.hits),
    deltaPoints: deltaSize,
    deltaQueryMeanUs: round(withDelta.meanUs),
    deltaQueryP99Us: round(percentile(withDelta.times, 99)),
    rebuildMs: round(rebuildMs),
  };
}

export function formatGeoBench(r: GeoBenchResult): string {
  return (
    `geo index: ${r.points} points, ${r.queries} queries (radius ${r.radiusM[0]}–${r.radiusM[1]} m, nearest ${r.limit}, ` +
    `${r.meanHits} hits/query): mean ${r.meanUs} µs, p50 ${r.p50Us} µs, p99 ${r.p99Us} µs, max ${r.maxUs} µs; ` +
    `build ${r.buildMs} ms; with ${r.deltaPoints} un-rebuilt delta points p99 ${r.deltaQueryP99Us} µs (mean ${r.deltaQueryMeanUs} µs); ` +
    `rebuild ${r.rebuildMs} ms`
  );
}
