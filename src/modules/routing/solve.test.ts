import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Random } from '../../kernel';
import { parseVrp } from './cvrplib';
import { checkSolution, problemFromCoordinates, problemFromMatrix, solutionCost } from './problem';
import { solveRoutes, solveRoutesParallel } from './solve';

const fixture = (name: string) => parseVrp(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

describe('route solver', () => {
  it('finds the proven optimum of P-n16-k8 (450) and A-n32-k5 (784) within seconds', () => {
    for (const [name, optimum] of [['P-n16-k8.vrp', 450], ['A-n32-k5.vrp', 784]] as const) {
      const problem = fixture(name);
      const r = solveRoutes(problem, { seed: 1, timeLimitMs: 3000, targetCost: optimum });
      expect(checkSolution(problem, r.routes)).toEqual({ feasible: true, problems: [] });
      expect(r.cost).toBe(solutionCost(problem, r.routes));
      expect(r.cost).toBe(optimum);
    }
  });

  it('is deterministic for a seed under an iteration limit', () => {
    const problem = fixture('A-n32-k5.vrp');
    const a = solveRoutes(problem, { seed: 11, maxIterations: 150 });
    const b = solveRoutes(problem, { seed: 11, maxIterations: 150 });
    expect(b.routes).toEqual(a.routes);
    expect(a.iterations).toBe(150);
  });

  it('respects a fleet limit and a route duration limit', () => {
    const rng = new Random(5);
    const n = 45;
    const problem = problemFromCoordinates({
      capacity: 60,
      x: Array.from({ length: n + 1 }, () => rng.int(0, 200)),
      y: Array.from({ length: n + 1 }, () => rng.int(0, 200)),
      demand: Array.from({ length: n + 1 }, (_, i) => (i === 0 ? 0 : rng.int(5, 15))),
      serviceTime: Array.from({ length: n + 1 }, (_, i) => (i === 0 ? 0 : 10)),
      maxDuration: 600,
      maxRoutes: 12,
    });
    const r = solveRoutes(problem, { seed: 2, maxIterations: 400 });
    expect(checkSolution(problem, r.routes)).toEqual({ feasible: true, problems: [] });
    expect(r.feasible).toBe(true);
  });

  it('solves from a bare cost matrix (no coordinates, so no SWAP*)', () => {
    const rng = new Random(9);
    const n = 25;
    const xs = Array.from({ length: n + 1 }, () => rng.int(0, 100));
    const ys = Array.from({ length: n + 1 }, () => rng.int(0, 100));
    const withXY = problemFromCoordinates({ capacity: 30, x: xs, y: ys, demand: Array.from({ length: n + 1 }, (_, i) => (i ? 1 + (i % 7) : 0)) });
    const bare = problemFromMatrix({ capacity: 30, dist: withXY.dist, demand: withXY.demand });
    const a = solveRoutes(bare, { seed: 1, maxIterations: 300 });
    expect(checkSolution(bare, a.routes).feasible).toBe(true);
    const b = solveRoutes(withXY, { seed: 1, maxIterations: 300 });
    // Same instance; without SWAP* the search may differ but lands within a few percent.
    expect(a.cost).toBeLessThanOrEqual(b.cost * 1.05);
  });

  it('opens enough routes when demands pack badly (unlimited fleet)', () => {
    // Demands of 0.6·Q: every customer needs its own route, far above 1.3·(total/Q) + 3.
    const n = 30;
    const problem = problemFromCoordinates({
      capacity: 10,
      x: Array.from({ length: n + 1 }, (_, i) => Math.cos(i) * 50),
      y: Array.from({ length: n + 1 }, (_, i) => Math.sin(i) * 50),
      demand: Array.from({ length: n + 1 }, (_, i) => (i ? 6 : 0)),
    });
    const r = solveRoutes(problem, { seed: 1, maxIterations: 50 });
    expect(r.feasible).toBe(true);
    expect(r.routes.length).toBe(n);
  });

  it('handles one and two customers', () => {
    const one = problemFromCoordinates({ capacity: 5, x: [0, 3], y: [0, 4], demand: [0, 2] });
    expect(solveRoutes(one, { maxIterations: 10 })).toMatchObject({ routes: [[1]], cost: 10, feasible: true });
    const two = problemFromCoordinates({ capacity: 5, x: [0, 3, 3], y: [0, 4, 5], demand: [0, 2, 3] });
    // 0→1→2→0 = 5 + 1 + 6 (√34 rounds to 6).
    expect(solveRoutes(two, { maxIterations: 10 }).cost).toBe(12);
  });

  it('runs islands in worker threads, reproducibly under an iteration limit', async () => {
    const problem = fixture('A-n32-k5.vrp');
    const opts = { seed: 4, threads: 2, maxIterations: 120, exchangeEvery: 40 };
    const a = await solveRoutesParallel(problem, opts);
    const b = await solveRoutesParallel(problem, opts);
    expect(a.threads).toBe(2);
    expect(a.iterations).toBe(240);
    expect(b.routes).toEqual(a.routes);
    expect(checkSolution(problem, a.routes).feasible).toBe(true);
    expect(a.cost).toBe(solutionCost(problem, a.routes));
  });
});
