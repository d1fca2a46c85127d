import { describe, expect, it } from 'vitest';
import { Random } from '../../kernel';
import { DEFAULT_PARAMS, SearchData } from './data';
import { Individual } from './individual';
import { problemFromCoordinates, type RoutingProblem } from './problem';
import { Splitter } from './split';

function randomProblem(rng: Random, n: number, extra: { maxDuration?: number; serviceTime?: boolean } = {}): RoutingProblem {
  return problemFromCoordinates({
    capacity: 10,
    x: Array.from({ length: n + 1 }, () => rng.int(0, 100)),
    y: Array.from({ length: n + 1 }, () => rng.int(0, 100)),
    demand: Array.from({ length: n + 1 }, (_, i) => (i === 0 ? 0 : rng.int(1, 7))),
    serviceTime: extra.serviceTime ? Array.from({ length: n + 1 }, (_, i) => (i === 0 ? 0 : 5)) : undefined,
    maxDuration: extra.maxDuration,
  });
}

/** Every way to cut the tour (2^(n−1)): cheapest penalised cost with at most maxRoutes
 *  routes, each of load ≤ loadCap unless it serves one customer. */
function bruteForce(data: SearchData, tour: Int32Array, maxRoutes: number, penCap: number, penDur: number, loadCap = Infinity): number {
  const n = tour.length;
  let best = Infinity;
  const ind = new Individual(n);
  ind.tour.set(tour);
  for (let mask = 0; mask < 1 << (n - 1); mask++) {
    let k = 0;
    ind.bounds[k++] = 0;
    for (let i = 1; i < n; i++) if (mask & (1 << (i - 1))) ind.bounds[k++] = i;
    ind.bounds[k] = n;
    ind.nbRoutes = k;
    if (k > maxRoutes) continue;
    let capped = false;
    for (let r = 0; r < k; r++) {
      let load = 0;
      for (let i = ind.bounds[r]!; i < ind.bounds[r + 1]!; i++) load += data.demand[tour[i]!]!;
      if (load > loadCap && ind.bounds[r + 1]! - ind.bounds[r]! > 1) capped = true;
    }
    if (capped) continue;
    ind.evaluate(data, penCap, penDur);
    best = Math.min(best, ind.penalised);
  }
  return best;
}

describe('Split', () => {
  const rng = new Random(42);
  const cases: Array<{ label: string; extra: { maxDuration?: number; serviceTime?: boolean } }> = [
    { label: 'capacity only (linear split)', extra: {} },
    { label: 'with a duration limit (Bellman split)', extra: { maxDuration: 260, serviceTime: true } },
  ];
  for (const { label, extra } of cases) {
    it(`matches brute force on tiny tours, ${label}`, () => {
      for (let trial = 0; trial < 60; trial++) {
        const n = rng.int(2, 10);
        const problem = randomProblem(rng, n, extra);
        const data = new SearchData(problem, DEFAULT_PARAMS);
        const splitter = new Splitter(data);
        const tour = Int32Array.from(rng.shuffle(Array.from({ length: n }, (_, i) => i + 1)));
        const penCap = [0.5, 3, 50][trial % 3]!;
        const lower = Math.ceil(data.totalDemand / data.capacity);
        for (const maxRoutes of [n, lower, lower + 1]) {
          const ind = new Individual(n);
          ind.tour.set(tour);
          splitter.split(ind, maxRoutes, penCap, 2);
          const limit = Math.max(maxRoutes, lower);
          expect(ind.nbRoutes).toBeLessThanOrEqual(limit);
          expect(Array.from(ind.tour)).toEqual(Array.from(tour));
          const optimum = bruteForce(data, tour, limit, penCap, 2);
          if (!extra.maxDuration) expect(ind.penalised).toBeCloseTo(optimum, 6);
          else {
            // The unlimited Bellman pass only builds routes up to 1.5·Q (as HGS does):
            // optimal among those cuts, never better than the true optimum.
            expect(ind.penalised).toBeGreaterThanOrEqual(optimum - 1e-6);
            expect(ind.penalised).toBeLessThanOrEqual(bruteForce(data, tour, limit, penCap, 2, 1.5 * data.capacity) + 1e-6);
          }
        }
      }
    });
  }
});
