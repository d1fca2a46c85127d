// `linli bench routes`: the route planner on a CVRPLIB set (A, B, P or X) against the
// best-known solutions in bks.csv. Budget per instance is timeFactor·n seconds (n
// customers), as in the published X protocol (2.4·n s), or a fixed number of seconds.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSolution, IslandPool, parseVrp, solveRoutes, solutionCost, type SolveResult } from '../src/modules/routing';

export const DEFAULT_CVRP_DIR = resolve(fileURLToPath(new URL('..', import.meta.url)), '../shared/data/cvrp');

export interface RoutesBenchOptions {
  set: string;
  /** Seconds per customer; ignored when `seconds` is given. */
  timeFactor: number;
  seconds?: number;
  /**
   * Fleet size: 'name' limits routes to the k of "-kNN" in the instance name (the A, B
   * and P optima are for exactly k vehicles; five of them get cheaper with one more),
   * 'unlimited' is the X convention. Default: 'name' for A, B, P; 'unlimited' otherwise.
   */
  fleet?: 'name' | 'unlimited';
  /** 'cpu': the budget is CPU time per island (see SolveOptions.clock). */
  clock?: 'wall' | 'cpu';
  /** Only instances whose name matches. */
  filter?: string;
  limit?: number;
  seed?: number;
  threads?: number;
  dataDir?: string;
  onStart?: (total: number) => void;
  onInstance?: (done: number, row: RoutesBenchRow) => void;
}

export interface RoutesBenchRow {
  name: string;
  n: number;
  cost: number;
  bks: number | null;
  gapPct: number | null;
  seconds: number;
  budgetSeconds: number;
  iterations: number;
  routes: number;
  feasible: boolean;
}

export interface RoutesBenchResult {
  name: 'routes';
  set: string;
  timeFactor: number | null;
  fleet: 'name' | 'unlimited';
  fixedSeconds: number | null;
  threads: number;
  clock: 'wall' | 'cpu';
  seed: number;
  instances: RoutesBenchRow[];
  meanGapPct: number;
  maxGapPct: number;
  optimalOrBest: number;
  totalSeconds: number;
}

export function readBks(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  const path = join(dir, 'bks.csv');
  if (!existsSync(path)) return out;
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/).slice(1)) {
    const [name, bks] = line.split(',');
    if (name && bks && Number.isFinite(Number(bks))) out.set(name.trim(), Number(bks));
  }
  return out;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export async function runRoutesBench(opts: RoutesBenchOptions): Promise<RoutesBenchResult> {
  const dir = opts.dataDir ?? process.env.LINLI_CVRP_DIR ?? DEFAULT_CVRP_DIR;
  const folder = join(dir, opts.set);
  if (!existsSync(folder)) throw new Error(`no instance folder ${folder}`);
  const bks = readBks(dir);
  const pattern = opts.filter ? new RegExp(opts.filter) : null;
  let files = readdirSync(folder)
    .filter((f) => f.endsWith('.vrp') && (!pattern || pattern.test(f)))
    .map((f) => ({ file: join(folder, f), problem: parseVrp(readFileSync(join(folder, f), 'utf8')) }))
    .sort((a, b) => a.problem.n - b.problem.n || a.problem.name.localeCompare(b.problem.name));
  if (opts.limit !== undefined) files = files.slice(0, opts.limit);
  const fleet = opts.fleet ?? (['A', 'B', 'P'].includes(opts.set) ? 'name' : 'unlimited');
  if (fleet === 'name') {
    for (const f of files) {
      const k = /-k(\d+)/.exec(f.problem.name);
      if (k) f.problem.maxRoutes = Number(k[1]);
    }
  }
  const threads = Math.max(1, opts.threads ?? 1);
  const seed = opts.seed ?? 1;
  const pool = threads > 1 ? new IslandPool(threads) : null;
  const rows: RoutesBenchRow[] = [];
  const began = performance.now();
  opts.onStart?.(files.length);
  try {
    for (const { problem } of files) {
      const budget = opts.seconds ?? opts.timeFactor * problem.n;
      const options = { seed, timeLimitMs: budget * 1000, clock: opts.clock ?? 'wall' };
      const r: SolveResult = pool ? await pool.solve(problem, options) : solveRoutes(problem, options);
      const check = checkSolution(problem, r.routes);
      const cost = solutionCost(problem, r.routes);
      if (cost !== r.cost) throw new Error(`${problem.name}: reported cost ${r.cost} but the routes cost ${cost}`);
      const best = bks.get(problem.name) ?? null;
      const row: RoutesBenchRow = {
        name: problem.name,
        n: problem.n,
        cost,
        bks: best,
        gapPct: best ? round((100 * (cost - best)) / best, 3) : null,
        seconds: round(r.elapsedMs / 1000, 2),
        budgetSeconds: round(budget, 2),
        iterations: r.iterations,
        routes: r.routes.length,
        feasible: check.feasible,
      };
      rows.push(row);
      opts.onInstance?.(rows.length, row);
    }
  } finally {
    await pool?.close();
  }
  const gaps = rows.map((r) => r.gapPct).filter((g): g is number => g !== null);
  return {
    name: 'routes',
    set: opts.set,
    timeFactor: opts.seconds === undefined ? opts.timeFactor : null,
    fleet,
    fixedSeconds: opts.seconds ?? null,
    threads,
    clock: opts.clock ?? 'wall',
    seed,
    instances: rows,
    meanGapPct: gaps.length ? round(gaps.reduce((s, g) => s + g, 0) / gaps.length, 3) : NaN,
    maxGapPct: gaps.length ? round(Math.max(...gaps), 3) : NaN,
    optimalOrBest: rows.filter((r) => r.bks !== null && r.cost <= r.bks).length,
    totalSeconds: round((performance.now() - began) / 1000, 1),
  };
}

export function formatRoutesBench(r: RoutesBenchResult): string {
  const lines = r.instances.map(
    (i) => `${i.name.padEnd(14)} n=${String(i.n).padStart(3)} cost ${String(i.cost).padStart(7)} bks ${String(i.bks ?? '-').padStart(7)} gap ${i.gapPct === null ? '   -  ' : i.gapPct.toFixed(2).padStart(6)}%  ${i.seconds.toFixed(1)} s${i.feasible ? '' : '  INFEASIBLE'}`,
  );
  const budget = r.fixedSeconds !== null ? `${r.fixedSeconds} s` : `${r.timeFactor}·n s`;
  lines.push(`set ${r.set}: ${r.instances.length} instances, budget ${budget} (${r.clock} clock), fleet ${r.fleet}, ${r.threads} thread(s): mean gap ${r.meanGapPct}%, max ${r.maxGapPct}%, at BKS ${r.optimalOrBest}`);
  return lines.join('\n');
}
