// Entry points. `solveRoutes` runs one search in the calling thread; `solveRoutesParallel`
// runs one island per worker thread, the islands trading their best solutions every
// `exchangeEvery` iterations (see exchange.ts), and returns the best island's answer.
//
// Determinism: with `maxIterations` and no time limit, the same problem, seed and thread
// count give the same routes every time (the islands meet at barriers). Under a time
// limit, the answer depends on how many iterations fit in the time, so it is only
// reproducible as far as the machine's speed is.
import type { SearchParams } from './data';
import { Hgs } from './hgs';
import { solutionCost, type RoutingProblem } from './problem';

export interface SolveOptions {
  seed?: number;
  timeLimitMs?: number;
  /**
   * What the time limit measures: 'wall' (default) or 'cpu' — this process's CPU time
   * divided by the number of islands, which makes benchmarks on a shared, loaded
   * machine mean what they would on an idle one.
   */
  clock?: 'wall' | 'cpu';
  maxIterations?: number;
  params?: Partial<SearchParams>;
  /** Worker threads for solveRoutesParallel (1 = run in this thread). */
  threads?: number;
  /** Island exchange interval, in iterations. */
  exchangeEvery?: number;
  /** Stop once a feasible solution costs this much or less. */
  targetCost?: number;
  /** Starting solutions (customer indices 1..n). */
  initial?: number[][][];
}

export interface SolveResult {
  /** Customer indices 1..n per route, depot excluded. */
  routes: number[][];
  cost: number;
  feasible: boolean;
  iterations: number;
  elapsedMs: number;
  threads: number;
}

export const DEFAULT_EXCHANGE_EVERY = 400;

export function solveRoutes(problem: RoutingProblem, options: SolveOptions = {}): SolveResult {
  const started = performance.now();
  const r = new Hgs(problem, {
    seed: options.seed ?? 1,
    timeLimitMs: options.timeLimitMs,
    now: options.clock === 'cpu' ? cpuClock(1) : undefined,
    maxIterations: options.maxIterations,
    params: options.params,
    initial: options.initial,
    targetCost: options.targetCost,
  }).run();
  return finish(problem, r, 1, performance.now() - started);
}

/** Milliseconds of process CPU time (user + system) per island. */
export function cpuClock(islands: number): () => number {
  return () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000 / islands;
  };
}

export function finish(
  problem: RoutingProblem,
  r: { routes: number[][]; feasible: boolean; iterations: number },
  threads: number,
  elapsedMs: number,
): SolveResult {
  const routes = r.routes.filter((x) => x.length > 0);
  return { routes, cost: solutionCost(problem, routes), feasible: r.feasible, iterations: r.iterations, elapsedMs, threads };
}

/** Seed of island i: island 0 keeps the caller's seed, so one thread equals solveRoutes. */
export function islandSeed(seed: number, island: number): number {
  if (island === 0) return seed;
  let h = (seed ^ Math.imul(island, 0x9e3779b9)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

export async function solveRoutesParallel(problem: RoutingProblem, options: SolveOptions = {}): Promise<SolveResult> {
  const threads = Math.max(1, Math.floor(options.threads ?? 2));
  if (threads === 1 || problem.n < 2) return solveRoutes(problem, options);
  const { runIslands } = await import('./parallel');
  return runIslands(problem, options, threads);
}
