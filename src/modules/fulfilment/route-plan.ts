// Delivery routes for one grid warehouse's vans: the warehouse is the depot, its pickup points
// the customers, each point's demand its crates. Pure (no I/O), so the wave, the tests and the
// benchmark plan the same way.
//
// - A point needing more crates than a van holds gets full vans of its own (out and back),
//   and only what is left over (fewer than a van) joins the planned routes.
// - The rest is a CVRP for the routing engine: its hybrid genetic search (HGS) under a short
//   time budget with a fixed seed, or, when the wave has no search time left for this
//   warehouse, the engine's Clarke–Wright savings construction (deterministic, milliseconds).
//   If the engine throws or answers with an infeasible plan, a sweep takes over: points in
//   order of their angle around the depot (counter-clockwise from east, nearer first on a
//   tie), a new van whenever the next point does not fit. No van is ever overloaded.
// - Costs are great-circle metres rounded to whole metres per leg, the same numbers the
//   engine optimises, so `distanceM` is exactly what it minimised.
import { checkSolution, problemFromMatrix, savingsRoutes, solveRoutes } from '../routing';

export interface PlanPoint {
  pickupPointId: number;
  lat: number;
  lng: number;
  crates: number;
  items: number;
  orders: number;
}

export interface PlannedStop {
  pickupPointId: number;
  crates: number;
  items: number;
  orders: number;
}

export interface PlannedRoute {
  stops: PlannedStop[];
  loadCrates: number;
  distanceM: number;
}

export type Planner = 'hgs' | 'savings' | 'fallback';

export interface RoutePlan {
  planner: Planner;
  routes: PlannedRoute[];
  /** Engine time actually spent, ms. */
  elapsedMs: number;
}

export interface PlanOptions {
  capacityCrates: number;
  /** Search budget for this warehouse, ms (method 'hgs'). */
  budgetMs: number;
  seed: number;
  /** 'hgs' (default): search; 'savings': the engine's construction only; 'sweep': no engine. */
  method?: 'hgs' | 'savings' | 'sweep';
}

const EARTH_RADIUS_M = 6_371_000;
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in metres, rounded to the metre. */
export function haversineM(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const dLat = rad(lat2 - lat1);
  const dLng = rad(lng2 - lng1);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLng / 2) ** 2;
  return Math.round(2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h))));
}

/** Crates for a point's items: whole crates, at least one for any goods at all. */
export const cratesFor = (items: number, itemsPerCrate: number) => Math.ceil(items / itemsPerCrate);

/** Split `total` in proportion to `weights` (whole numbers that add up to `total`). */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map((_, i) => (i === weights.length - 1 ? total : 0));
  const out = weights.map((w) => Math.floor((total * w) / sum));
  out[out.length - 1]! += total - out.reduce((a, b) => a + b, 0);
  return out;
}

export function planRoutes(depot: { lat: number; lng: number }, points: PlanPoint[], opts: PlanOptions): RoutePlan {
  const cap = opts.capacityCrates;
  const direct: PlannedRoute[] = [];
  const rest: PlannedStop[] = [];
  const where = new Map<number, PlanPoint>();
  for (const p of points) {
    where.set(p.pickupPointId, p);
    if (p.crates <= cap) {
      rest.push({ pickupPointId: p.pickupPointId, crates: p.crates, items: p.items, orders: p.orders });
      continue;
    }
    // Full vans first, then the remainder (if any) as an ordinary stop; items and orders are
    // shared out by crates so each stop's figures add up to the point's.
    const full = Math.floor(p.crates / cap);
    const remainder = p.crates - full * cap;
    const loads = [...Array<number>(full).fill(cap), ...(remainder > 0 ? [remainder] : [])];
    const items = apportion(p.items, loads);
    const orders = apportion(p.orders, loads);
    const d = haversineM(depot.lat, depot.lng, p.lat, p.lng);
    loads.forEach((crates, i) => {
      const stop = { pickupPointId: p.pickupPointId, crates, items: items[i]!, orders: orders[i]! };
      if (i < full) direct.push({ stops: [stop], loadCrates: crates, distanceM: 2 * d });
      else rest.push(stop);
    });
  }
  if (rest.length === 0) return { planner: 'hgs', routes: direct, elapsedMs: 0 };

  // Node 0 is the depot, node i the i-th stop of `rest`.
  const size = rest.length + 1;
  const lat = [depot.lat, ...rest.map((s) => where.get(s.pickupPointId)!.lat)];
  const lng = [depot.lng, ...rest.map((s) => where.get(s.pickupPointId)!.lng)];
  const dist = new Int32Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = i + 1; j < size; j++) {
      const d = haversineM(lat[i]!, lng[i]!, lat[j]!, lng[j]!);
      dist[i * size + j] = d;
      dist[j * size + i] = d;
    }
  }
  const legs = (route: number[]) => {
    let m = 0;
    let prev = 0;
    for (const c of route) {
      m += dist[prev * size + c]!;
      prev = c;
    }
    return m + dist[prev * size]!;
  };
  const toRoutes = (routes: number[][]): PlannedRoute[] =>
    routes.map((r) => {
      const stops = r.map((c) => rest[c - 1]!);
      return { stops, loadCrates: stops.reduce((a, s) => a + s.crates, 0), distanceM: legs(r) };
    });

  const method = opts.method ?? 'hgs';
  let planned: number[][] | null = null;
  let elapsedMs = 0;
  if (method !== 'sweep' && rest.length > 1) {
    // Plane coordinates in metres around the depot: the engine pairs routes by polar sector.
    const kx = 111_320 * Math.cos(rad(depot.lat));
    const problem = problemFromMatrix({
      capacity: cap,
      dist,
      demand: [0, ...rest.map((s) => s.crates)],
      x: lng.map((v) => (v - depot.lng) * kx),
      y: lat.map((v) => (v - depot.lat) * 110_574),
    });
    const t0 = performance.now();
    let used: Planner = method === 'savings' ? 'savings' : 'hgs';
    try {
      let routes = used === 'hgs' ? solveRoutes(problem, { seed: opts.seed, timeLimitMs: Math.max(1, opts.budgetMs) }).routes : savingsRoutes(problem);
      // A search cut short may hold only an over-capacity plan; the savings construction is
      // always feasible and takes milliseconds, so it goes before the plain sweep.
      if (used === 'hgs' && !checkSolution(problem, routes).feasible) {
        routes = savingsRoutes(problem);
        used = 'savings';
      }
      if (checkSolution(problem, routes).feasible) planned = routes.filter((r) => r.length > 0);
    } catch {
      planned = null;
    }
    elapsedMs = performance.now() - t0;
    if (planned) return { planner: used, routes: [...direct, ...toRoutes(planned)], elapsedMs };
  } else if (method !== 'sweep') {
    planned = [[1]];
  }
  if (planned) return { planner: method === 'savings' ? 'savings' : 'hgs', routes: [...direct, ...toRoutes(planned)], elapsedMs };
  return { planner: 'fallback', routes: [...direct, ...toRoutes(sweep(depot, rest, where, cap))], elapsedMs };
}

/** Points by angle around the depot, cut into vans as they fill. Node numbers as in planRoutes. */
function sweep(depot: { lat: number; lng: number }, rest: PlannedStop[], where: Map<number, PlanPoint>, cap: number): number[][] {
  const kx = Math.cos(rad(depot.lat));
  const keyed = rest.map((s, i) => {
    const p = where.get(s.pickupPointId)!;
    const dx = (p.lng - depot.lng) * kx;
    const dy = p.lat - depot.lat;
    return { node: i + 1, angle: Math.atan2(dy, dx), r: dx * dx + dy * dy, id: s.pickupPointId, crates: s.crates };
  });
  keyed.sort((a, b) => a.angle - b.angle || a.r - b.r || a.id - b.id);
  const routes: number[][] = [];
  let current: number[] = [];
  let load = 0;
  for (const k of keyed) {
    if (current.length > 0 && load + k.crates > cap) {
      routes.push(current);
      current = [];
      load = 0;
    }
    current.push(k.node);
    load += k.crates;
  }
  if (current.length) routes.push(current);
  return routes;
}
