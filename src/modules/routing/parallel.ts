// Parent side of the island model: island 0 runs in the calling thread (so a one-off
// solve starts at once), islands 1.. in worker threads. Workers are TypeScript loaded
// through tsx, so each starts from a small .js bootstrap that registers tsx first (as
// bin/linli.js does). A worker takes ~0.5 s to start, so keep a pool for many solves.
import { Worker } from 'node:worker_threads';
import { ExchangeBoard, exchangeBufferSize } from './exchange';
import { runIsland, type IslandResult, type IslandTask } from './island';
import type { RoutingProblem } from './problem';
import { DEFAULT_EXCHANGE_EVERY, finish, islandSeed, type SolveOptions, type SolveResult } from './solve';

const BOOTSTRAP = new URL('./worker-bootstrap.js', import.meta.url);

interface Pending {
  id: number;
  resolve: (r: IslandResult | null) => void;
  reject: (e: Error) => void;
}

// A worker that is still starting when the time is up is not waited for beyond this.
const LATE_GRACE_MS = 250;

export class IslandPool {
  private readonly workers: Worker[] = [];
  private readonly pending: (Pending | null)[] = [];
  private alive: Int32Array | null = null;
  private nextId = 1;

  /** `threads` islands in all: this thread plus threads − 1 workers. */
  constructor(readonly threads: number) {
    for (let i = 1; i < threads; i++) {
      const worker = new Worker(BOOTSTRAP);
      const k = i - 1;
      this.pending.push(null);
      worker.on('message', (m: { id: number; result: IslandResult }) => {
        const p = this.pending[k];
        if (!p || p.id !== m.id) return;
        this.pending[k] = null;
        p.resolve(m.result);
      });
      const fail = (e: Error) => {
        if (this.alive) Atomics.store(this.alive, i, 0);
        const p = this.pending[k];
        this.pending[k] = null;
        p?.reject(e);
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`routing worker ${i} exited with code ${code}`)));
      this.workers.push(worker);
    }
  }

  /** Blocks the calling thread while island 0 runs. */
  async solve(problem: RoutingProblem, options: SolveOptions): Promise<SolveResult> {
    const started = performance.now();
    const threads = this.threads;
    const board = new SharedArrayBuffer(exchangeBufferSize(threads, problem.n));
    new ExchangeBoard(board, threads, problem.n).init();
    const alive = new SharedArrayBuffer(threads * 4);
    this.alive = new Int32Array(alive);
    this.alive.fill(1);
    const seed = options.seed ?? 1;
    const cpu = options.clock === 'cpu' && options.timeLimitMs !== undefined;
    const deadline = options.timeLimitMs !== undefined && !cpu ? Date.now() + options.timeLimitMs : undefined;
    const task = (island: number): IslandTask => ({
      problem,
      island,
      islands: threads,
      seed: islandSeed(seed, island),
      deadline,
      cpuLimitMs: cpu ? options.timeLimitMs : undefined,
      maxIterations: options.maxIterations,
      params: options.params,
      initial: options.initial,
      targetCost: options.targetCost,
      exchangeEvery: options.exchangeEvery ?? DEFAULT_EXCHANGE_EVERY,
      deterministic: options.timeLimitMs === undefined,
      board,
      alive,
    });
    const id = this.nextId++;
    const remote = this.workers.map(
      (worker, k) =>
        new Promise<IslandResult | null>((resolve, reject) => {
          this.pending[k] = { id, resolve, reject };
          worker.postMessage({ id, task: task(k + 1) });
        }),
    );
    const local = runIsland(task(0));
    let timer: NodeJS.Timeout | undefined;
    const late =
      deadline === undefined
        ? null
        : new Promise<null>((resolve) => {
            timer = setTimeout(() => resolve(null), Math.max(0, deadline - Date.now()) + LATE_GRACE_MS);
          });
    const others = await Promise.all(remote.map((p) => (late ? Promise.race([p, late]) : p)));
    clearTimeout(timer);
    const results = [local, ...others.filter((r): r is IslandResult => r !== null && r.routes.length > 0)];
    let best = results[0]!;
    for (const r of results) {
      const better = r.feasible !== best.feasible ? r.feasible : r.cost < best.cost;
      if (better) best = r;
    }
    const iterations = results.reduce((s, r) => s + r.iterations, 0);
    return finish(problem, { ...best, iterations }, threads, performance.now() - started);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export async function runIslands(problem: RoutingProblem, options: SolveOptions, threads: number): Promise<SolveResult> {
  const pool = new IslandPool(threads);
  try {
    return await pool.solve(problem, options);
  } finally {
    await pool.close();
  }
}
