// The capacitated vehicle routing problem as the engine sees it: one depot (node 0),
// customers 1..n, an integer cost matrix. Integer costs keep move deltas exact (the
// CVRPLIB best-known solutions are sums of rounded edges, so the engine optimises exactly
// what is measured) and let the matrix live in an Int32Array.

export interface RoutingProblem {
  name: string;
  /** Number of customers; nodes are 0 (depot) and 1..n. */
  n: number;
  capacity: number;
  /** Demand per node, demand[0] = 0. */
  demand: Int32Array;
  /** Row-major (n+1)×(n+1) symmetric cost matrix. */
  dist: Int32Array;
  /** Coordinates, when known: used to order routes and to pair routes for SWAP*. */
  x?: Float64Array;
  y?: Float64Array;
  /** Time spent at each node, added to the route duration (not to the cost). */
  serviceTime?: Int32Array;
  /** Longest allowed route duration (travel + service); none when absent. */
  maxDuration?: number;
  /** Largest number of routes; unlimited when absent. */
  maxRoutes?: number;
  /** External label of each node (the .vrp node id for CVRPLIB files). */
  nodeIds: Int32Array;
}

export interface Solution {
  /** Each route lists customer indices 1..n in visiting order, depot excluded. */
  routes: number[][];
  cost: number;
}

/** TSPLIB EUC_2D: Euclidean distance rounded to the nearest integer. */
export function euc2d(x1: number, y1: number, x2: number, y2: number): number {
  const dx = x1 - x2;
  const dy = y1 - y2;
  return Math.floor(Math.sqrt(dx * dx + dy * dy) + 0.5);
}

export interface CoordinateProblemInput {
  name?: string;
  capacity: number;
  /** Node 0 is the depot. */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  demand: ArrayLike<number>;
  serviceTime?: ArrayLike<number>;
  maxDuration?: number;
  maxRoutes?: number;
  nodeIds?: ArrayLike<number>;
}

export function problemFromCoordinates(input: CoordinateProblemInput): RoutingProblem {
  const size = input.x.length;
  if (size < 2) throw new RangeError('a problem needs a depot and at least one customer');
  if (input.y.length !== size || input.demand.length !== size) throw new RangeError('x, y and demand must have the same length');
  const x = Float64Array.from(input.x);
  const y = Float64Array.from(input.y);
  const dist = new Int32Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = i + 1; j < size; j++) {
      const d = euc2d(x[i]!, y[i]!, x[j]!, y[j]!);
      dist[i * size + j] = d;
      dist[j * size + i] = d;
    }
  }
  return finish({ ...input, x, y, dist });
}

export interface MatrixProblemInput {
  name?: string;
  capacity: number;
  /** Symmetric integer costs, node 0 is the depot. */
  dist: ArrayLike<number>;
  demand: ArrayLike<number>;
  x?: ArrayLike<number>;
  y?: ArrayLike<number>;
  serviceTime?: ArrayLike<number>;
  maxDuration?: number;
  maxRoutes?: number;
  nodeIds?: ArrayLike<number>;
}

export function problemFromMatrix(input: MatrixProblemInput): RoutingProblem {
  const size = input.demand.length;
  if (input.dist.length !== size * size) throw new RangeError('dist must be a square matrix over all nodes');
  const dist = Int32Array.from(input.dist);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      if (dist[i * size + j] !== dist[j * size + i]) throw new RangeError('dist must be symmetric');
    }
  }
  return finish({
    ...input,
    dist,
    x: input.x ? Float64Array.from(input.x) : undefined,
    y: input.y ? Float64Array.from(input.y) : undefined,
  });
}

function finish(p: {
  name?: string;
  capacity: number;
  demand: ArrayLike<number>;
  dist: Int32Array;
  x?: Float64Array;
  y?: Float64Array;
  serviceTime?: ArrayLike<number>;
  maxDuration?: number;
  maxRoutes?: number;
  nodeIds?: ArrayLike<number>;
}): RoutingProblem {
  const size = p.demand.length;
  const demand = Int32Array.from(p.demand);
  demand[0] = 0;
  if (!(p.capacity > 0) || !Number.isInteger(p.capacity)) throw new RangeError('capacity must be a positive integer');
  for (let i = 1; i < size; i++) {
    if (demand[i]! < 0) throw new RangeError(`demand of node ${i} is negative`);
    if (demand[i]! > p.capacity) throw new RangeError(`demand of node ${i} exceeds the capacity`);
  }
  const problem: RoutingProblem = {
    name: p.name ?? 'problem',
    n: size - 1,
    capacity: p.capacity,
    demand,
    dist: p.dist,
    nodeIds: p.nodeIds ? Int32Array.from(p.nodeIds) : Int32Array.from({ length: size }, (_, i) => i),
  };
  if (p.x && p.y) {
    problem.x = p.x;
    problem.y = p.y;
  }
  if (p.serviceTime) problem.serviceTime = Int32Array.from(p.serviceTime);
  if (p.maxDuration !== undefined && Number.isFinite(p.maxDuration)) problem.maxDuration = p.maxDuration;
  if (p.maxRoutes !== undefined) {
    if (!(p.maxRoutes >= 1) || !Number.isInteger(p.maxRoutes)) throw new RangeError('maxRoutes must be a positive integer');
    problem.maxRoutes = p.maxRoutes;
  }
  return problem;
}

export function routeCost(problem: RoutingProblem, route: readonly number[]): number {
  const { dist } = problem;
  const size = problem.n + 1;
  let prev = 0;
  let cost = 0;
  for (const c of route) {
    cost += dist[prev * size + c]!;
    prev = c;
  }
  return route.length ? cost + dist[prev * size]! : 0;
}

export function solutionCost(problem: RoutingProblem, routes: readonly (readonly number[])[]): number {
  let cost = 0;
  for (const r of routes) cost += routeCost(problem, r);
  return cost;
}

export function routeDuration(problem: RoutingProblem, route: readonly number[]): number {
  let d = routeCost(problem, route);
  if (problem.serviceTime) for (const c of route) d += problem.serviceTime[c]!;
  return d;
}

export interface FeasibilityReport {
  feasible: boolean;
  problems: string[];
}

/** Every customer exactly once, loads within capacity, duration and fleet limits respected. */
export function checkSolution(problem: RoutingProblem, routes: readonly (readonly number[])[]): FeasibilityReport {
  const problems: string[] = [];
  const seen = new Uint8Array(problem.n + 1);
  let used = 0;
  routes.forEach((route, r) => {
    if (route.length) used++;
    let load = 0;
    for (const c of route) {
      if (!Number.isInteger(c) || c < 1 || c > problem.n) {
        problems.push(`route ${r + 1}: ${c} is not a customer`);
        continue;
      }
      if (seen[c]) problems.push(`customer ${c} is visited more than once`);
      seen[c] = 1;
      load += problem.demand[c]!;
    }
    if (load > problem.capacity) problems.push(`route ${r + 1}: load ${load} exceeds capacity ${problem.capacity}`);
    if (problem.maxDuration !== undefined) {
      const d = routeDuration(problem, route as number[]);
      if (d > problem.maxDuration) problems.push(`route ${r + 1}: duration ${d} exceeds ${problem.maxDuration}`);
    }
  });
  for (let c = 1; c <= problem.n; c++) if (!seen[c]) problems.push(`customer ${c} is not visited`);
  if (problem.maxRoutes !== undefined && used > problem.maxRoutes) problems.push(`${used} routes exceed the fleet of ${problem.maxRoutes}`);
  return { feasible: problems.length === 0, problems };
}
