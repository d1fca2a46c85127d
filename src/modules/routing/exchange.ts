// Elite exchange between island runs in worker threads, through one SharedArrayBuffer.
// Each worker owns two slots (epoch parity) holding its best solution as a giant tour
// with route bounds. At every exchange epoch a worker publishes, then reads the others.
//
// Deterministic mode (iteration-limited runs): a worker waits until every other worker
// has published the same epoch, so what it reads depends only on the seeds. Two slots per
// worker suffice: a worker cannot publish epoch e+2 (overwriting parity e) before all
// others published e+1, which each does only after reading epoch e.
// Timed mode: nobody waits; a reader takes the newest complete slot (a version word that
// is odd-free seqlock: −1 while writing, the epoch when done, re-checked after reading).

const HEADER = 3; // version, cost (integer), route count

export function exchangeBufferSize(workers: number, n: number): number {
  return workers * 2 * (HEADER + n + n + 1) * 4;
}

export class ExchangeBoard {
  private readonly words: Int32Array;
  private readonly slotWords: number;

  constructor(
    buffer: SharedArrayBuffer,
    private readonly workers: number,
    private readonly n: number,
  ) {
    this.words = new Int32Array(buffer);
    this.slotWords = HEADER + n + n + 1;
  }

  /** Mark every slot empty (version −2); done once by the parent. */
  init(): void {
    for (let w = 0; w < this.workers; w++) for (let p = 0; p < 2; p++) Atomics.store(this.words, this.base(w, p), -2);
  }

  private base(worker: number, parity: number): number {
    return (worker * 2 + parity) * this.slotWords;
  }

  publish(worker: number, epoch: number, cost: number, tour: Int32Array | null, bounds: Int32Array | null, nbRoutes: number): void {
    const b = this.base(worker, epoch & 1);
    const w = this.words;
    Atomics.store(w, b, -1);
    Atomics.store(w, b + 1, tour ? cost : -1);
    Atomics.store(w, b + 2, tour ? nbRoutes : 0);
    if (tour && bounds) {
      for (let i = 0; i < this.n; i++) Atomics.store(w, b + HEADER + i, tour[i]!);
      for (let i = 0; i <= nbRoutes; i++) Atomics.store(w, b + HEADER + this.n + i, bounds[i]!);
    }
    Atomics.store(w, b, epoch);
    Atomics.notify(w, b);
  }

  /** Block until `worker` has published `epoch` (or `alive()` says it never will). */
  await(worker: number, epoch: number, alive: () => boolean): void {
    const b = this.base(worker, epoch & 1);
    for (;;) {
      const v = Atomics.load(this.words, b);
      if (v >= epoch) return;
      if (!alive()) return;
      Atomics.wait(this.words, b, v, 50);
    }
  }

  /** Read a worker's solution: the given epoch, or the newest one when epoch is null. */
  read(worker: number, epoch: number | null): { cost: number; routes: number[][] } | null {
    const parities = epoch === null ? [0, 1] : [epoch & 1];
    let best: { cost: number; routes: number[][]; version: number } | null = null;
    for (const p of parities) {
      const b = this.base(worker, p);
      const w = this.words;
      const v1 = Atomics.load(w, b);
      if (v1 < 0 || (epoch !== null && v1 !== epoch)) continue;
      const cost = Atomics.load(w, b + 1);
      const k = Atomics.load(w, b + 2);
      if (cost < 0 || k <= 0 || k > this.n) continue;
      const routes: number[][] = [];
      for (let r = 0; r < k; r++) {
        const from = Atomics.load(w, b + HEADER + this.n + r);
        const to = Atomics.load(w, b + HEADER + this.n + r + 1);
        const route: number[] = [];
        for (let i = from; i < to && i < this.n; i++) route.push(Atomics.load(w, b + HEADER + i));
        routes.push(route);
      }
      if (Atomics.load(w, b) !== v1) continue;
      if (!best || v1 > best.version) best = { cost, routes, version: v1 };
    }
    return best && { cost: best.cost, routes: best.routes };
  }
}
