// Everything the search derives once from a problem: flat matrix, granular neighbour lists,
// polar angles for route sectors, and the number of route slots the local search may use.
import type { RoutingProblem } from './problem';
import { savingsRoutes } from './savings';

/** Smallest penalised gain that counts as an improvement (costs are integers, penalties not). */
export const EPS = 1e-5;

export interface SearchParams {
  /** Nearest customers kept per customer for the granular moves. */
  granular: number;
  /** Population size kept after survivor selection. */
  mu: number;
  /** Offspring added before survivor selection. */
  lambda: number;
  nbElite: number;
  /** Neighbours averaged for the diversity contribution. */
  nbClose: number;
  /** Share of feasible local-search outcomes the penalty aims at. */
  targetFeasible: number;
  /** Iterations without improvement before the population restarts. */
  restartAfter: number;
  /** Probability of repairing an infeasible offspring with 10× penalties. */
  repairProbability: number;
}

export const DEFAULT_PARAMS: SearchParams = {
  granular: 20,
  mu: 25,
  lambda: 40,
  nbElite: 4,
  nbClose: 5,
  targetFeasible: 0.2,
  restartAfter: 20000,
  repairProbability: 0.5,
};

export class SearchData {
  readonly n: number;
  readonly n1: number;
  readonly D: Int32Array;
  readonly demand: Int32Array;
  readonly service: Int32Array;
  readonly capacity: number;
  /** Infinity when routes have no duration limit. */
  readonly maxDuration: number;
  readonly hasDuration: boolean;
  readonly totalDemand: number;
  /** Route slots in the local search; a fleet limit when one is given. */
  readonly routeSlots: number;
  readonly fleetLimited: boolean;
  /** Polar angle around the depot in [0, 65536), or null without coordinates. */
  readonly angle: Int32Array | null;
  readonly x: Float64Array | null;
  readonly y: Float64Array | null;
  /** CSR neighbour lists: neighbours of c are nbList[nbStart[c] .. nbStart[c+1]). */
  readonly nbStart: Int32Array;
  readonly nbList: Int32Array;
  readonly initialPenalty: number;

  constructor(
    readonly problem: RoutingProblem,
    readonly params: SearchParams,
  ) {
    const n = problem.n;
    this.n = n;
    this.n1 = n + 1;
    this.D = problem.dist;
    this.demand = problem.demand;
    this.service = problem.serviceTime ?? new Int32Array(n + 1);
    this.capacity = problem.capacity;
    this.maxDuration = problem.maxDuration ?? Infinity;
    this.hasDuration = problem.maxDuration !== undefined;
    let total = 0;
    let maxDemand = 1;
    for (let i = 1; i <= n; i++) {
      total += problem.demand[i]!;
      maxDemand = Math.max(maxDemand, problem.demand[i]!);
    }
    this.totalDemand = total;
    const lower = Math.max(1, Math.ceil(total / problem.capacity));
    this.fleetLimited = problem.maxRoutes !== undefined;
    // Unlimited fleet: HGS's 1.3·(bin-packing bound) + 3 slots, but never fewer than a
    // first-fit-decreasing packing (or, with durations, the savings plan) needs, so a
    // feasible plan always fits when demands pack badly.
    this.routeSlots =
      problem.maxRoutes ??
      Math.min(n, Math.max(Math.ceil(1.3 * lower) + 3, firstFitDecreasing(problem) + 2, this.hasDuration ? savingsRoutes(problem).length + 2 : 0));
    let maxDist = 0;
    for (let i = 0; i < this.D.length; i++) if (this.D[i]! > maxDist) maxDist = this.D[i]!;
    this.initialPenalty = Math.max(0.1, Math.min(1000, maxDist / maxDemand));

    if (problem.x && problem.y) {
      this.x = problem.x;
      this.y = problem.y;
      const angle = new Int32Array(n + 1);
      for (let i = 1; i <= n; i++) {
        const a = Math.atan2(problem.y[i]! - problem.y[0]!, problem.x[i]! - problem.x[0]!);
        angle[i] = Math.floor((32768 * a) / Math.PI) & 0xffff;
      }
      this.angle = angle;
    } else {
      this.x = null;
      this.y = null;
      this.angle = null;
    }

    // Symmetric granular lists: if j is among i's nearest, i is correlated with j too.
    const k = Math.min(params.granular, n - 1);
    const sets: Set<number>[] = Array.from({ length: n + 1 }, () => new Set<number>());
    const order = new Int32Array(n);
    for (let i = 1; i <= n; i++) {
      let m = 0;
      for (let j = 1; j <= n; j++) if (j !== i) order[m++] = j;
      const row = i * this.n1;
      const cand = Array.from(order.subarray(0, m)).sort((a, b) => this.D[row + a]! - this.D[row + b]! || a - b);
      for (let t = 0; t < k; t++) {
        sets[i]!.add(cand[t]!);
        sets[cand[t]!]!.add(i);
      }
    }
    this.nbStart = new Int32Array(n + 2);
    let count = 0;
    for (let i = 1; i <= n; i++) count += sets[i]!.size;
    this.nbList = new Int32Array(count);
    let p = 0;
    for (let i = 0; i <= n; i++) {
      this.nbStart[i] = p;
      if (i === 0) continue;
      for (const j of [...sets[i]!].sort((a, b) => a - b)) this.nbList[p++] = j;
    }
    this.nbStart[n + 1] = p;
  }

  /** Penalised cost of a complete evaluation. */
  penalised(distance: number, capExcess: number, durExcess: number, penCap: number, penDur: number): number {
    return distance + capExcess * penCap + durExcess * penDur;
  }
}

/** Number of bins first-fit decreasing packs the demands into. */
export function firstFitDecreasing(problem: RoutingProblem): number {
  const demands = Array.from(problem.demand.subarray(1)).sort((a, b) => b - a);
  const space: number[] = [];
  for (const d of demands) {
    let i = 0;
    while (i < space.length && space[i]! < d) i++;
    if (i === space.length) space.push(problem.capacity - d);
    else space[i] = space[i]! - d;
  }
  return space.length;
}
