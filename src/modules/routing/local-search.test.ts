import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Random } from '../../kernel';
import { parseVrp } from './cvrplib';
import { DEFAULT_PARAMS, SearchData } from './data';
import { Individual } from './individual';
import { LocalSearch } from './local-search';
import { problemFromCoordinates, solutionCost, type RoutingProblem } from './problem';
import { Splitter } from './split';

const a32 = parseVrp(readFileSync(new URL('./fixtures/A-n32-k5.vrp', import.meta.url), 'utf8'));

function clustered(rng: Random, n: number, extra: Partial<RoutingProblem> = {}): RoutingProblem {
  return problemFromCoordinates({
    capacity: 50,
    x: Array.from({ length: n + 1 }, (_, i) => (i === 0 ? 500 : rng.int(0, 1000))),
    y: Array.from({ length: n + 1 }, (_, i) => (i === 0 ? 500 : rng.int(0, 1000))),
    demand: Array.from({ length: n + 1 }, (_, i) => (i === 0 ? 0 : rng.int(1, 20))),
    serviceTime: extra.serviceTime,
    maxDuration: extra.maxDuration,
    maxRoutes: extra.maxRoutes,
  });
}

/** Rebuild every figure the local search caches, from the linked lists alone. */
function audit(ls: LocalSearch, problem: RoutingProblem): void {
  const seen = new Set<number>();
  let total = 0;
  for (let r = 0; r < ls.R; r++) {
    const route: number[] = [];
    for (let a = ls.next[ls.start(r)]!; a !== ls.end(r); a = ls.next[a]!) {
      expect(a).toBeGreaterThanOrEqual(1);
      expect(a).toBeLessThanOrEqual(problem.n);
      expect(ls.prev[ls.next[a]!]).toBe(a);
      expect(ls.routeOf[a]).toBe(r);
      route.push(a);
      seen.add(a);
    }
    const cost = solutionCost(problem, [route]) || 0;
    expect(ls.rDist[r]).toBe(cost);
    expect(ls.rCount[r]).toBe(route.length);
    expect(ls.rLoad[r]).toBe(route.reduce((s, c) => s + problem.demand[c]!, 0));
    total += cost + ls.pen(ls.rLoad[r]!, ls.rDur[r]!);
  }
  expect(seen.size).toBe(problem.n);
  expect(ls.penalisedCost()).toBeCloseTo(total, 6);
}

describe('local search', () => {
  const rng = new Random(7);
  const problems: Array<[string, RoutingProblem]> = [
    ['A-n32-k5', a32],
    ['random 80', clustered(rng, 80)],
    ['random 60 with duration limit and service times', clustered(rng, 60, { maxDuration: 2500, serviceTime: new Int32Array(61).fill(20) })],
    ['random 40 with a fleet limit', clustered(rng, 40, { maxRoutes: 10 })],
  ];
  for (const [label, problem] of problems) {
    it(`never applies a move that raises the penalised cost: ${label}`, () => {
      const data = new SearchData(problem, DEFAULT_PARAMS);
      const ls = new LocalSearch(data);
      const split = new Splitter(data);
      const moved = ls.moved.bind(ls);
      let moves = 0;
      ls.moved = (rU: number, rV: number) => {
        const before = ls.penalisedCost();
        const r = moved(rU, rV);
        const after = ls.penalisedCost();
        expect(after).toBeLessThan(before - 1e-6);
        moves++;
        return r;
      };
      for (const penCap of [0.2, 5, 100]) {
        const ind = new Individual(problem.n);
        ind.tour.set(rng.shuffle(Array.from({ length: problem.n }, (_, i) => i + 1)));
        split.split(ind, data.routeSlots, penCap, penCap);
        ls.load(ind);
        audit(ls, problem);
        const start = ls.penalisedCost();
        ls.run(penCap, penCap, rng);
        audit(ls, problem);
        expect(ls.penalisedCost()).toBeLessThanOrEqual(start);
        const out = new Individual(problem.n);
        ls.exportTo(out, penCap, penCap);
        expect(out.penalised).toBeCloseTo(ls.penalisedCost(), 6);
        if (problem.maxRoutes) expect(out.nbRoutes).toBeLessThanOrEqual(problem.maxRoutes);
      }
      expect(moves).toBeGreaterThan(10);
    });
  }
});
