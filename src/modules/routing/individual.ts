// A solution in the population: a giant tour cut into consecutive routes, plus the
// successor/predecessor arrays the broken-pairs distance compares.
import type { SearchData } from './data';

export class Individual {
  /** Giant tour: customers in route order. */
  readonly tour: Int32Array;
  /** Route k is tour[bounds[k] .. bounds[k+1]). */
  readonly bounds: Int32Array;
  nbRoutes = 0;
  /** Next / previous customer, 0 at a route end. */
  readonly succ: Int32Array;
  readonly pred: Int32Array;
  distance = 0;
  capExcess = 0;
  durExcess = 0;
  penalised = 0;
  feasible = false;
  /** Biased fitness, lower is better; valid after the population updates it. */
  biased = 0;
  /** Row in the owning subpopulation's distance table. */
  slot = -1;

  constructor(n: number) {
    this.tour = new Int32Array(n);
    this.bounds = new Int32Array(n + 1);
    this.succ = new Int32Array(n + 1);
    this.pred = new Int32Array(n + 1);
  }

  /** Recompute costs, feasibility and neighbour arrays from tour and bounds. */
  evaluate(data: SearchData, penCap: number, penDur: number): void {
    const { D, n1, demand, service, capacity, maxDuration } = data;
    let distance = 0;
    let capExcess = 0;
    let durExcess = 0;
    const { tour, bounds, succ, pred } = this;
    for (let r = 0; r < this.nbRoutes; r++) {
      const a = bounds[r]!;
      const b = bounds[r + 1]!;
      let load = 0;
      let d = 0;
      let dur = 0;
      let prev = 0;
      for (let i = a; i < b; i++) {
        const c = tour[i]!;
        d += D[prev * n1 + c]!;
        dur += service[c]!;
        load += demand[c]!;
        pred[c] = prev;
        succ[c] = i + 1 < b ? tour[i + 1]! : 0;
        prev = c;
      }
      d += D[prev * n1]!;
      dur += d;
      distance += d;
      if (load > capacity) capExcess += load - capacity;
      if (dur > maxDuration) durExcess += dur - maxDuration;
    }
    this.distance = distance;
    this.capExcess = capExcess;
    this.durExcess = durExcess;
    const fleetExcess = data.fleetLimited && this.nbRoutes > data.routeSlots;
    this.feasible = capExcess === 0 && durExcess === 0 && !fleetExcess;
    this.penalised = data.penalised(distance, capExcess, durExcess, penCap, penDur);
  }

  rePenalise(data: SearchData, penCap: number, penDur: number): void {
    this.penalised = data.penalised(this.distance, this.capExcess, this.durExcess, penCap, penDur);
  }

  copyFrom(other: Individual): void {
    this.tour.set(other.tour);
    this.bounds.set(other.bounds);
    this.nbRoutes = other.nbRoutes;
    this.succ.set(other.succ);
    this.pred.set(other.pred);
    this.distance = other.distance;
    this.capExcess = other.capExcess;
    this.durExcess = other.durExcess;
    this.penalised = other.penalised;
    this.feasible = other.feasible;
  }

  setRoutes(routes: readonly (readonly number[])[]): void {
    let p = 0;
    let k = 0;
    for (const r of routes) {
      if (!r.length) continue;
      this.bounds[k++] = p;
      for (const c of r) this.tour[p++] = c;
    }
    this.bounds[k] = p;
    this.nbRoutes = k;
  }

  routes(): number[][] {
    const out: number[][] = [];
    for (let r = 0; r < this.nbRoutes; r++) out.push(Array.from(this.tour.subarray(this.bounds[r]!, this.bounds[r + 1]!)));
    return out;
  }
}

/** Broken-pairs distance in [0, 1]: share of customers whose neighbours differ. */
export function brokenPairs(a: Individual, b: Individual, n: number): number {
  const sa = a.succ;
  const pa = a.pred;
  const sb = b.succ;
  const pb = b.pred;
  let diff = 0;
  for (let c = 1; c <= n; c++) {
    const s = sa[c]!;
    if (s !== sb[c] && s !== pb[c]) diff++;
    // A route start in a but not in b counts too (the depot edge is broken).
    if (pa[c] === 0 && pb[c] !== 0 && sb[c] !== 0) diff++;
  }
  return diff / n;
}
