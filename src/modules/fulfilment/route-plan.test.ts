import { describe, expect, it } from 'vitest';
import { cratesFor, haversineM, planRoutes, type PlanPoint, type RoutePlan } from './route-plan';
import { toCsv } from './csv';

const depot = { lat: 30.0, lng: 120.0 };

/** Points on a ring around the depot, with a deterministic spread of demands. */
function ring(n: number, crates: (i: number) => number): PlanPoint[] {
  return Array.from({ length: n }, (_, i) => {
    const angle = (2 * Math.PI * i) / n;
    const r = 0.01 + 0.03 * ((i * 7919) % 13) / 13;
    return { pickupPointId: 100 + i, lat: depot.lat + r * Math.sin(angle), lng: depot.lng + r * Math.cos(angle), crates: crates(i), items: crates(i) * 10, orders: crates(i) * 3 };
  });
}

function distanceOf(stops: { pickupPointId: number }[], where: Map<number, PlanPoint>): number {
  let m = 0;
  let at = depot;
  for (const s of stops) {
    const p = where.get(s.pickupPointId)!;
    m += haversineM(at.lat, at.lng, p.lat, p.lng);
    at = p;
  }
  return m + haversineM(at.lat, at.lng, depot.lat, depot.lng);
}

function checkPlan(plan: RoutePlan, points: PlanPoint[], cap: number) {
  const where = new Map(points.map((p) => [p.pickupPointId, p]));
  const carried = new Map<number, { crates: number; items: number; orders: number }>();
  for (const r of plan.routes) {
    expect(r.loadCrates).toBe(r.stops.reduce((a, s) => a + s.crates, 0));
    expect(r.loadCrates).toBeLessThanOrEqual(cap);
    expect(r.distanceM).toBe(distanceOf(r.stops, where));
    for (const s of r.stops) {
      const c = carried.get(s.pickupPointId) ?? { crates: 0, items: 0, orders: 0 };
      carried.set(s.pickupPointId, { crates: c.crates + s.crates, items: c.items + s.items, orders: c.orders + s.orders });
    }
  }
  // Every point's whole demand is carried, split or not.
  for (const p of points) expect(carried.get(p.pickupPointId)).toEqual({ crates: p.crates, items: p.items, orders: p.orders });
}

describe('route plan for a grid warehouse', () => {
  it('haversine: one degree of latitude is about 111 km; crates round up', () => {
    expect(haversineM(30, 120, 31, 120)).toBeGreaterThan(111_000);
    expect(haversineM(30, 120, 31, 120)).toBeLessThan(111_400);
    expect(cratesFor(12, 12)).toBe(1);
    expect(cratesFor(13, 12)).toBe(2);
  });

  it('plans feasible routes with the engine, every point once', () => {
    const points = ring(40, (i) => 1 + (i % 7));
    const plan = planRoutes(depot, points, { capacityCrates: 20, budgetMs: 300, seed: 1 });
    expect(plan.planner).toBe('hgs');
    checkPlan(plan, points, 20);
    expect(plan.routes.flatMap((r) => r.stops).length).toBe(40);
    // Better than the sweep over the same points.
    const sweep = planRoutes(depot, points, { capacityCrates: 20, budgetMs: 0, seed: 1, method: 'sweep' });
    const savings = planRoutes(depot, points, { capacityCrates: 20, budgetMs: 0, seed: 1, method: 'savings' });
    expect(savings.planner).toBe('savings');
    checkPlan(savings, points, 20);
    const total = (p: RoutePlan) => p.routes.reduce((a, r) => a + r.distanceM, 0);
    expect(total(plan)).toBeLessThanOrEqual(total(savings));
    expect(total(savings)).toBeLessThan(total(sweep));
  });

  it('the fallback sweeps by angle around the depot and cuts when a van is full', () => {
    const points = ring(12, () => 3);
    const plan = planRoutes(depot, points, { capacityCrates: 7, budgetMs: 0, seed: 1, method: 'sweep' });
    expect(plan.planner).toBe('fallback');
    checkPlan(plan, points, 7);
    // Two points (6 crates) per van; the ring is visited counter-clockwise from east.
    expect(plan.routes.map((r) => r.stops.length)).toEqual([2, 2, 2, 2, 2, 2]);
    const order = plan.routes.flatMap((r) => r.stops.map((s) => s.pickupPointId));
    const angleOf = (id: number) => {
      const p = points.find((x) => x.pickupPointId === id)!;
      return Math.atan2(p.lat - depot.lat, (p.lng - depot.lng) * Math.cos((depot.lat * Math.PI) / 180));
    };
    const angles = order.map(angleOf);
    expect([...angles].sort((a, b) => a - b)).toEqual(angles);
  });

  it('a point needing more than a van gets full vans of its own and the rest joins a route', () => {
    const points = ring(5, (i) => (i === 0 ? 25 : 2));
    const plan = planRoutes(depot, points, { capacityCrates: 10, budgetMs: 100, seed: 1 });
    checkPlan(plan, points, 10);
    const big = plan.routes.filter((r) => r.stops.some((s) => s.pickupPointId === 100));
    // 25 crates = two full vans out and back + 5 crates on a shared route.
    expect(big.filter((r) => r.stops.length === 1 && r.loadCrates === 10).length).toBe(2);
    expect(big.flatMap((r) => r.stops).filter((s) => s.pickupPointId === 100).map((s) => s.crates).sort()).toEqual([10, 10, 5]);
  });

  it('one point is one route; the sweep is deterministic', () => {
    const one = planRoutes(depot, ring(1, () => 4), { capacityCrates: 10, budgetMs: 50, seed: 3 });
    expect(one.routes).toHaveLength(1);
    expect(one.planner).toBe('hgs');
    const a = planRoutes(depot, ring(30, (i) => 1 + (i % 4)), { capacityCrates: 9, budgetMs: 0, seed: 1, method: 'sweep' });
    const b = planRoutes(depot, ring(30, (i) => 1 + (i % 4)), { capacityCrates: 9, budgetMs: 0, seed: 1, method: 'sweep' });
    expect(a).toEqual(b);
  });
});

describe('CSV for spreadsheets', () => {
  it('starts with a BOM, quotes what needs it and keeps formulas text', () => {
    const csv = toCsv(['名称 Name', '数量 Quantity'], [['"鲜,禽"合作社', 3], ['=SUM(A1)', null]]);
    expect(csv.startsWith('\uFEFF名称 Name,数量 Quantity\r\n')).toBe(true);
    expect(csv).toContain('"""鲜,禽""合作社",3\r\n');
    expect(csv).toContain("'=SUM(A1),\r\n");
  });
});
