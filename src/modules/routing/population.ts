// Population with diversity management (HGS): a feasible and an infeasible subpopulation,
// each kept sorted by penalised cost. Biased fitness = cost rank + (1 − elite/size) ×
// diversity rank, where diversity is the mean broken-pairs distance to the nbClose
// closest members. Survivor selection removes clones first, then the worst biased
// fitness, never the best member.
import type { Random } from '../../kernel';
import type { SearchData, SearchParams } from './data';
import { brokenPairs, Individual } from './individual';

const EPS = 1e-7;

export class SubPopulation {
  readonly members: Individual[] = [];
  private readonly cap: number;
  private readonly dist: Float64Array;
  private readonly freeSlots: number[] = [];
  private readonly closest: Float64Array;
  private readonly divScore: Float64Array;
  private dirty = true;

  constructor(
    private readonly data: SearchData,
    private readonly params: SearchParams,
    private readonly recycle: (ind: Individual) => void,
  ) {
    this.cap = params.mu + params.lambda + 2;
    this.dist = new Float64Array(this.cap * this.cap);
    for (let s = this.cap - 1; s >= 0; s--) this.freeSlots.push(s);
    this.closest = new Float64Array(Math.max(1, params.nbClose));
    this.divScore = new Float64Array(this.cap);
  }

  get size(): number {
    return this.members.length;
  }

  /** Takes ownership of ind. */
  add(ind: Individual): void {
    const slot = this.freeSlots.pop()!;
    ind.slot = slot;
    const n = this.data.n;
    for (const m of this.members) {
      const d = brokenPairs(ind, m, n);
      this.dist[slot * this.cap + m.slot] = d;
      this.dist[m.slot * this.cap + slot] = d;
    }
    let i = this.members.length;
    this.members.push(ind);
    while (i > 0 && this.members[i - 1]!.penalised > ind.penalised) {
      this.members[i] = this.members[i - 1]!;
      i--;
    }
    this.members[i] = ind;
    this.dirty = true;
    if (this.members.length > this.params.mu + this.params.lambda) {
      while (this.members.length > this.params.mu) this.removeWorst();
    }
  }

  /** Mean distance to the k closest other members. */
  avgClosest(ind: Individual, k: number): number {
    const c = this.closest;
    const kk = Math.min(k, this.members.length - 1, c.length);
    if (kk <= 0) return 0;
    let filled = 0;
    const row = ind.slot * this.cap;
    for (const m of this.members) {
      if (m === ind) continue;
      const d = this.dist[row + m.slot]!;
      if (filled < kk) {
        let j = filled++;
        while (j > 0 && c[j - 1]! > d) {
          c[j] = c[j - 1]!;
          j--;
        }
        c[j] = d;
      } else if (d < c[kk - 1]!) {
        let j = kk - 1;
        while (j > 0 && c[j - 1]! > d) {
          c[j] = c[j - 1]!;
          j--;
        }
        c[j] = d;
      }
    }
    let s = 0;
    for (let j = 0; j < kk; j++) s += c[j]!;
    return s / kk;
  }

  updateBiased(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const size = this.members.length;
    if (size === 0) return;
    if (size === 1) {
      this.members[0]!.biased = 0;
      return;
    }
    const order: number[] = [];
    for (let i = 0; i < size; i++) {
      this.divScore[i] = this.avgClosest(this.members[i]!, this.params.nbClose);
      order.push(i);
    }
    // Most distant first: rank 0 is the best diversity contribution.
    order.sort((a, b) => this.divScore[b]! - this.divScore[a]! || a - b);
    const eliteWeight = size <= this.params.nbElite ? 0 : 1 - this.params.nbElite / size;
    for (let r = 0; r < size; r++) {
      const i = order[r]!;
      this.members[i]!.biased = i / (size - 1) + eliteWeight * (r / (size - 1));
    }
  }

  private removeWorst(): void {
    this.updateBiased();
    let worst = -1;
    let worstClone = false;
    let worstFit = -Infinity;
    for (let i = 1; i < this.members.length; i++) {
      const m = this.members[i]!;
      const clone = this.avgClosest(m, 1) < EPS;
      if ((clone && !worstClone) || (clone === worstClone && m.biased > worstFit)) {
        worst = i;
        worstClone = clone;
        worstFit = m.biased;
      }
    }
    const [gone] = this.members.splice(worst, 1);
    this.freeSlots.push(gone!.slot);
    gone!.slot = -1;
    this.dirty = true;
    this.recycle(gone!);
  }

  /** After a penalty change: re-price and re-sort. */
  reprice(penCap: number, penDur: number): void {
    for (const m of this.members) m.rePenalise(this.data, penCap, penDur);
    this.members.sort((a, b) => a.penalised - b.penalised);
    this.dirty = true;
  }

  clear(): void {
    for (const m of this.members) {
      this.freeSlots.push(m.slot);
      m.slot = -1;
      this.recycle(m);
    }
    this.members.length = 0;
    this.dirty = true;
  }
}

export class Population {
  readonly feasible: SubPopulation;
  readonly infeasible: SubPopulation;
  private readonly pool: Individual[] = [];
  /** Best feasible solution since the last restart, and overall. */
  bestRestart: Individual | null = null;
  bestOverall: Individual | null = null;

  constructor(
    private readonly data: SearchData,
    params: SearchParams,
    private readonly rng: Random,
  ) {
    const recycle = (ind: Individual) => this.pool.push(ind);
    this.feasible = new SubPopulation(data, params, recycle);
    this.infeasible = new SubPopulation(data, params, recycle);
  }

  fresh(): Individual {
    return this.pool.pop() ?? new Individual(this.data.n);
  }

  release(ind: Individual): void {
    this.pool.push(ind);
  }

  get size(): number {
    return this.feasible.size + this.infeasible.size;
  }

  /** Adds ind (taking ownership); true when it improves the best of this restart. */
  add(ind: Individual): boolean {
    const improved = ind.feasible && (!this.bestRestart || ind.distance < this.bestRestart.distance - EPS);
    if (ind.feasible && (!this.bestOverall || ind.distance < this.bestOverall.distance - EPS)) {
      this.bestOverall ??= new Individual(this.data.n);
      this.bestOverall.copyFrom(ind);
    }
    if (improved) {
      this.bestRestart ??= new Individual(this.data.n);
      this.bestRestart.copyFrom(ind);
    }
    (ind.feasible ? this.feasible : this.infeasible).add(ind);
    return improved;
  }

  tournament(): Individual {
    const nf = this.feasible.size;
    const total = nf + this.infeasible.size;
    const a = Math.floor(this.rng.float() * total);
    const b = Math.floor(this.rng.float() * total);
    this.feasible.updateBiased();
    this.infeasible.updateBiased();
    const ia = a < nf ? this.feasible.members[a]! : this.infeasible.members[a - nf]!;
    const ib = b < nf ? this.feasible.members[b]! : this.infeasible.members[b - nf]!;
    return ia.biased < ib.biased ? ia : ib;
  }

  restart(): void {
    this.feasible.clear();
    this.infeasible.clear();
    this.bestRestart = null;
  }
}
