// One island of the parallel search: an HGS run that trades its best solution with the
// other islands through the exchange board. Runs in a worker thread or in the caller's.
import { ExchangeBoard } from './exchange';
import { Hgs } from './hgs';
import type { RoutingProblem } from './problem';
import type { SearchParams } from './data';
import { cpuClock } from './solve';

export interface IslandTask {
  problem: RoutingProblem;
  island: number;
  islands: number;
  seed: number;
  /** Absolute wall-clock deadline (Date.now() scale), so worker start-up counts too. */
  deadline?: number;
  /** CPU-clock budget instead of a deadline (see SolveOptions.clock). */
  cpuLimitMs?: number;
  maxIterations?: number;
  params?: Partial<SearchParams>;
  initial?: number[][][];
  targetCost?: number;
  exchangeEvery: number;
  deterministic: boolean;
  board: SharedArrayBuffer;
  /** Per island: 1 while it may still publish; a waiting island gives up on a 0. */
  alive: SharedArrayBuffer;
}

export interface IslandResult {
  routes: number[][];
  cost: number;
  feasible: boolean;
  iterations: number;
}

/** A foreign solution is used only if it is a permutation of the customers. */
function valid(routes: number[][], n: number): boolean {
  const seen = new Uint8Array(n + 1);
  let count = 0;
  for (const r of routes) {
    for (const c of r) {
      if (c < 1 || c > n || seen[c]) return false;
      seen[c] = 1;
      count++;
    }
  }
  return count === n;
}

export function runIsland(task: IslandTask): IslandResult {
  const n = task.problem.n;
  const board = new ExchangeBoard(task.board, task.islands, n);
  const alive = new Int32Array(task.alive);
  try {
    const hgs = new Hgs(task.problem, {
      seed: task.seed,
      timeLimitMs: task.cpuLimitMs ?? (task.deadline !== undefined ? Math.max(0, task.deadline - Date.now()) : undefined),
      now: task.cpuLimitMs !== undefined ? cpuClock(task.islands) : undefined,
      maxIterations: task.maxIterations,
      params: task.params,
      initial: task.initial,
      targetCost: task.targetCost,
      exchangeEvery: task.exchangeEvery,
      exchange: (iteration, best) => {
        const epoch = iteration / task.exchangeEvery;
        const own = best ? best.distance : Infinity;
        board.publish(task.island, epoch, own, best?.tour ?? null, best?.bounds ?? null, best?.nbRoutes ?? 0);
        let pick: { cost: number; routes: number[][] } | null = null;
        for (let w = 0; w < task.islands; w++) {
          if (w === task.island) continue;
          if (task.deterministic) board.await(w, epoch, () => Atomics.load(alive, w) === 1);
          const got = board.read(w, task.deterministic ? epoch : null);
          if (got && got.cost < (pick?.cost ?? own) && valid(got.routes, n)) pick = got;
        }
        return pick?.routes ?? null;
      },
    });
    const r = hgs.run();
    return { routes: r.routes, cost: r.cost, feasible: r.feasible, iterations: r.iterations };
  } finally {
    // Nobody should wait for this island any more.
    Atomics.store(alive, task.island, 0);
    Atomics.notify(new Int32Array(task.board), 0);
  }
}
