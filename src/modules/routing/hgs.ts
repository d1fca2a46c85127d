// The genetic loop: two parents by binary tournament on biased fitness, OX crossover on
// giant tours, Split, local search, insertion into the population; infeasible offspring
// are repaired with 10× penalties half of the time. The capacity (and duration) penalty
// follows the share of feasible local-search outcomes towards a target, and the
// population restarts after many iterations without improvement.
import { Random } from '../../kernel';
import { DEFAULT_PARAMS, SearchData, type SearchParams } from './data';
import { Individual } from './individual';
import { LocalSearch } from './local-search';
import { Population } from './population';
import type { RoutingProblem } from './problem';
import { Splitter } from './split';

export interface HgsOptions {
  seed: number;
  /** Wall-clock budget; the run also stops at maxIterations when given. */
  timeLimitMs?: number;
  /** Genetic iterations (offspring) after the initial population. */
  maxIterations?: number;
  params?: Partial<SearchParams>;
  /** Clock in milliseconds; injectable for tests. */
  now?: () => number;
  /** Solutions to seed the initial population with (customer index routes). */
  initial?: number[][][];
  /** Called every `exchangeEvery` iterations with the best feasible routes so far;
   *  may return foreign routes to insert (island model across worker threads). */
  exchange?: (iteration: number, best: Individual | null) => number[][] | null;
  exchangeEvery?: number;
  /** Stop as soon as a feasible solution this cheap is found (e.g. a known optimum). */
  targetCost?: number;
  /** Called when the best feasible cost improves. */
  onImprove?: (cost: number, elapsedMs: number) => void;
}

export interface HgsResult {
  routes: number[][];
  cost: number;
  feasible: boolean;
  iterations: number;
  restarts: number;
  elapsedMs: number;
  /** When the returned solution was found. */
  bestAtMs: number;
}

const PENALTY_WINDOW = 100;

export class Hgs {
  readonly data: SearchData;
  private readonly rng: Random;
  private readonly split: Splitter;
  private readonly ls: LocalSearch;
  private readonly pop: Population;
  private readonly now: () => number;
  private penCap: number;
  private penDur = 1;
  private readonly loadOk = new Uint8Array(PENALTY_WINDOW);
  private readonly durOk = new Uint8Array(PENALTY_WINDOW);
  private outcomes = 0;
  private readonly mark: Int32Array;
  private stamp = 0;
  private start = 0;
  private bestAt = 0;
  private bestCost = Infinity;
  private bestInfeasible: Individual | null = null;

  constructor(
    problem: RoutingProblem,
    private readonly options: HgsOptions,
  ) {
    const params = { ...DEFAULT_PARAMS, ...options.params };
    this.data = new SearchData(problem, params);
    this.rng = new Random(options.seed);
    this.split = new Splitter(this.data);
    this.ls = new LocalSearch(this.data);
    this.pop = new Population(this.data, params, this.rng.fork('population'));
    this.now = options.now ?? (() => performance.now());
    this.penCap = this.data.initialPenalty;
    this.mark = new Int32Array(this.data.n + 1);
    // An empty window reads as "all feasible", so the penalty only grows on evidence.
    this.loadOk.fill(1);
    this.durOk.fill(1);
  }

  run(): HgsResult {
    const { params } = this.data;
    const opts = this.options;
    this.start = this.now();
    const deadline = opts.timeLimitMs !== undefined ? this.start + opts.timeLimitMs : Infinity;
    const maxIter = opts.maxIterations ?? Infinity;
    if (deadline === Infinity && maxIter === Infinity) throw new RangeError('give a time limit or an iteration limit');
    const every = opts.exchangeEvery ?? 0;
    let iterations = 0;
    let restarts = 0;
    let sinceImprovement = 0;
    this.initialPopulation(deadline, opts.initial);
    const target = opts.targetCost ?? -Infinity;
    while (iterations < maxIter && this.now() < deadline && this.bestCost > target) {
      if (this.data.n === 1) break;
      const improved = this.offspring();
      iterations++;
      sinceImprovement = improved ? 0 : sinceImprovement + 1;
      if (iterations % PENALTY_WINDOW === 0) this.managePenalties();
      if (every > 0 && opts.exchange && iterations % every === 0) {
        const foreign = opts.exchange(iterations, this.pop.bestOverall);
        if (foreign) this.insertRoutes(foreign);
      }
      if (sinceImprovement >= params.restartAfter) {
        this.pop.restart();
        restarts++;
        sinceImprovement = 0;
        this.initialPopulation(deadline);
      }
    }
    const best = this.pop.bestOverall ?? this.bestInfeasible;
    const elapsedMs = this.now() - this.start;
    if (!best) throw new Error('no solution was built');
    return {
      routes: best.routes(),
      cost: best.distance,
      feasible: best.feasible,
      iterations,
      restarts,
      elapsedMs,
      bestAtMs: this.bestAt,
    };
  }

  private initialPopulation(deadline: number, seeds?: number[][][]): void {
    const n = this.data.n;
    for (const routes of seeds ?? []) this.insertRoutes(routes);
    const count = 4 * this.data.params.mu;
    for (let i = 0; i < count && (i === 0 || this.now() < deadline); i++) {
      const ind = this.pop.fresh();
      const t = ind.tour;
      for (let k = 0; k < n; k++) t[k] = k + 1;
      for (let k = n - 1; k > 0; k--) {
        const j = Math.floor(this.rng.float() * (k + 1));
        const tmp = t[k]!;
        t[k] = t[j]!;
        t[j] = tmp;
      }
      this.split.split(ind, this.data.routeSlots, this.penCap, this.penDur);
      this.educate(ind);
    }
  }

  /** Local search, record, insert; maybe repair. True when the best improves. */
  private educate(ind: Individual): boolean {
    this.ls.load(ind);
    this.ls.run(this.penCap, this.penDur, this.rng);
    this.ls.exportTo(ind, this.penCap, this.penDur);
    const slot = this.outcomes++ % PENALTY_WINDOW;
    this.loadOk[slot] = ind.capExcess === 0 ? 1 : 0;
    this.durOk[slot] = ind.durExcess === 0 ? 1 : 0;
    let improved = this.keep(ind);
    if (!ind.feasible && this.rng.float() < this.data.params.repairProbability) {
      const fix = this.pop.fresh();
      this.ls.run(this.penCap * 10, this.penDur * 10, this.rng);
      this.ls.exportTo(fix, this.penCap, this.penDur);
      if (fix.feasible) improved = this.keep(fix) || improved;
      else this.pop.release(fix);
    }
    return improved;
  }

  private keep(ind: Individual): boolean {
    if (!ind.feasible && (!this.bestInfeasible || ind.penalised < this.bestInfeasible.penalised)) {
      this.bestInfeasible ??= new Individual(this.data.n);
      this.bestInfeasible.copyFrom(ind);
    }
    const improved = this.pop.add(ind);
    const best = this.pop.bestOverall;
    if (best && best.distance < this.bestCost) {
      this.bestCost = best.distance;
      this.bestAt = this.now() - this.start;
      this.options.onImprove?.(this.bestCost, this.bestAt);
    }
    return improved;
  }

  private offspring(): boolean {
    const p1 = this.pop.tournament();
    const p2 = this.pop.tournament();
    const child = this.pop.fresh();
    this.crossoverOX(child.tour, p1.tour, p2.tour);
    this.split.split(child, p1.nbRoutes, this.penCap, this.penDur);
    return this.educate(child);
  }

  /** OX: a random circular slice of parent 1, the rest in parent 2's order after it. */
  private crossoverOX(out: Int32Array, a: Int32Array, b: Int32Array): void {
    const n = this.data.n;
    const start = Math.floor(this.rng.float() * n);
    let end = Math.floor(this.rng.float() * n);
    while (end === start) end = Math.floor(this.rng.float() * n);
    const stamp = ++this.stamp;
    const mark = this.mark;
    let j = start;
    const stop = (end + 1) % n;
    while (j % n !== stop) {
      const c = a[j % n]!;
      out[j % n] = c;
      mark[c] = stamp;
      j++;
    }
    for (let i = 1; i <= n; i++) {
      const c = b[(end + i) % n]!;
      if (mark[c] !== stamp) {
        out[j % n] = c;
        j++;
      }
    }
  }

  private managePenalties(): void {
    const target = this.data.params.targetFeasible;
    const adjust = (p: number, ok: Uint8Array): number => {
      let count = 0;
      for (let i = 0; i < PENALTY_WINDOW; i++) count += ok[i]!;
      const share = count / PENALTY_WINDOW;
      if (share < target - 0.05 && p < 100000) return Math.min(p * 1.2, 100000);
      if (share > target + 0.05 && p > 0.1) return Math.max(p * 0.85, 0.1);
      return p;
    };
    this.penCap = adjust(this.penCap, this.loadOk);
    if (this.data.hasDuration) this.penDur = adjust(this.penDur, this.durOk);
    this.pop.infeasible.reprice(this.penCap, this.penDur);
  }

  /** Put a known solution into the population after polishing it. */
  private insertRoutes(routes: number[][]): void {
    const ind = this.pop.fresh();
    ind.setRoutes(routes);
    if (ind.nbRoutes > this.data.routeSlots) this.split.split(ind, this.data.routeSlots, this.penCap, this.penDur);
    this.educate(ind);
  }
}
