// Split: the optimal cut of a giant tour into routes, keeping the tour order. Capacity is
// soft (linear penalty), as the genetic search explores infeasible space too.
//
// Without duration limits the cost of route (i+1..j) is
//   d(0,t[i+1]) + path(i+1..j) + d(t[j],0) + α·max(0, load(i+1..j) − Q),
// and the O(n) algorithm of Vidal (2016, C&OR 69) applies: a deque of candidate
// predecessors where a later candidate either dominates earlier ones for every future j
// or is dominated by the back. The same routine runs layer by layer for a fleet limit.
// With duration limits the penalty is not of that shape, so a Bellman pass over routes up
// to 1.5·Q (as HGS-CVRP does) is used instead.
import type { SearchData } from './data';
import type { Individual } from './individual';

const EPS = 1e-7;

export class Splitter {
  private readonly sumLoad: Float64Array;
  private readonly sumDist: Float64Array;
  private readonly sumService: Float64Array;
  private readonly d0: Float64Array;
  private readonly dBack: Float64Array;
  private readonly pot: Float64Array;
  private readonly pred: Int32Array;
  private readonly deque: Int32Array;
  private layers = 0;
  private alpha = 0;
  private beta = 0;

  constructor(private readonly data: SearchData) {
    const n = data.n;
    this.sumLoad = new Float64Array(n + 1);
    this.sumDist = new Float64Array(n + 2);
    this.sumService = new Float64Array(n + 1);
    this.d0 = new Float64Array(n + 2);
    this.dBack = new Float64Array(n + 1);
    const layers = Math.min(n, data.routeSlots) + 1;
    this.pot = new Float64Array(layers * (n + 1));
    this.pred = new Int32Array(layers * (n + 1));
    this.deque = new Int32Array(n + 1);
  }

  /**
   * Cut ind.tour into at most maxRoutes routes (fewer when cheaper), writing ind.bounds
   * and evaluating it. The unlimited cut is tried first; the layered one only when it
   * uses too many routes.
   */
  split(ind: Individual, maxRoutes: number, penCap: number, penDur: number): void {
    const data = this.data;
    const n = data.n;
    const { D, n1, demand, service } = data;
    const t = ind.tour;
    this.alpha = penCap;
    this.beta = penDur;
    const sumLoad = this.sumLoad;
    const sumDist = this.sumDist;
    sumLoad[0] = 0;
    sumDist[0] = 0;
    sumDist[1] = 0;
    this.sumService[0] = 0;
    for (let i = 1; i <= n; i++) {
      const c = t[i - 1]!;
      sumLoad[i] = sumLoad[i - 1]! + demand[c]!;
      this.sumService[i] = this.sumService[i - 1]! + service[c]!;
      this.d0[i] = D[c]!;
      this.dBack[i] = D[c * n1]!;
      if (i < n) sumDist[i + 1] = sumDist[i]! + D[c * n1 + t[i]!]!;
    }
    this.d0[n + 1] = 0;
    sumDist[n + 1] = sumDist[n]!;
    const limit = Math.max(1, Math.min(maxRoutes, data.routeSlots, n), Math.ceil(data.totalDemand / data.capacity));
    const cap = Math.min(limit, this.pot.length / (n + 1) - 1);
    if (data.hasDuration) {
      this.bellman(1, true);
      if (this.countRoutes(0) > cap) {
        this.bellman(cap, false);
        this.writeBest(ind, cap, false);
      } else this.writeBest(ind, 0, true);
    } else {
      this.linearLayer(0, true);
      if (this.countRoutes(0) > cap) {
        for (let k = 1; k <= cap; k++) this.linearLayer(k, false);
        this.writeBest(ind, cap, false);
      } else this.writeBest(ind, 0, true);
    }
    ind.evaluate(data, penCap, penDur);
  }

  private cost(i: number, j: number): number {
    const load = this.sumLoad[j]! - this.sumLoad[i]!;
    const dist = this.d0[i + 1]! + this.sumDist[j]! - this.sumDist[i + 1]! + this.dBack[j]!;
    let c = dist;
    if (load > this.data.capacity) c += this.alpha * (load - this.data.capacity);
    if (this.data.hasDuration) {
      const dur = dist + this.sumService[j]! - this.sumService[i]!;
      if (dur > this.data.maxDuration) c += this.beta * (dur - this.data.maxDuration);
    }
    return c;
  }

  /**
   * Layer 0 (unlimited): potentials from layer 0 itself. Layer k ≥ 1: routes number k,
   * potentials from layer k−1 (layer 0 of the limited run is "no route yet").
   */
  private linearLayer(k: number, unlimited: boolean): void {
    const n = this.data.n;
    const n1 = n + 1;
    const pot = this.pot;
    const pred = this.pred;
    const src = unlimited ? 0 : (k - 1) * n1;
    const dst = k * n1;
    const alpha = this.alpha;
    const sumLoad = this.sumLoad;
    if (unlimited || k === 1) {
      pot[src] = 0;
      if (!unlimited) for (let j = 1; j <= n; j++) pot[src + j] = Infinity;
    }
    for (let j = 0; j <= n; j++) if (!unlimited || j > 0) pot[dst + j] = Infinity;
    if (unlimited) pot[dst] = 0;
    const q = this.deque;
    let head = 0;
    let tail = 0;
    const first = unlimited ? 0 : k - 1;
    q[tail++] = first;
    for (let j = first + 1; j <= n; j++) {
      if (head === tail) break;
      const front = q[head]!;
      pot[dst + j] = this.prop(src, front, j);
      pred[dst + j] = front;
      if (j < n && pot[src + j]! < Infinity) {
        const kj = this.key(src, j);
        const back = q[tail - 1]!;
        // back dominates j when even after paying j's extra load it stays cheaper.
        if (!(this.key(src, back) + alpha * (sumLoad[j]! - sumLoad[back]!) < kj)) {
          while (tail > head && kj < this.key(src, q[tail - 1]!) + EPS) tail--;
          q[tail++] = j;
        }
        while (tail - head > 1 && this.prop(src, q[head]!, j + 1) > this.prop(src, q[head + 1]!, j + 1) - EPS) head++;
      }
    }
  }

  /** Value of predecessor i (potentials in layer `src`) for the arc to j. */
  private prop(src: number, i: number, j: number): number {
    const load = this.sumLoad[j]! - this.sumLoad[i]!;
    const Q = this.data.capacity;
    const c = this.pot[src + i]! + this.d0[i + 1]! + this.sumDist[j]! - this.sumDist[i + 1]! + this.dBack[j]!;
    return load > Q ? c + this.alpha * (load - Q) : c;
  }

  /** Dominance key of candidate i: pot[i] + d0[i+1] − sumDist[i+1]. */
  private key(src: number, i: number): number {
    return this.pot[src + i]! + this.d0[i + 1]! - this.sumDist[i + 1]!;
  }

  /** Layered Bellman over routes up to 1.5·Q; layer 0 unlimited when `unlimited`. */
  private bellman(layers: number, unlimited: boolean): void {
    const n = this.data.n;
    const n1 = n + 1;
    const pot = this.pot;
    const pred = this.pred;
    // The load cap keeps the unlimited pass near-linear; a fleet limit may need longer routes.
    const maxLoad = unlimited ? 1.5 * this.data.capacity : Infinity;
    const count = unlimited ? 1 : layers + 1;
    for (let k = 0; k < count; k++) for (let j = 0; j <= n; j++) pot[k * n1 + j] = Infinity;
    pot[0] = 0;
    for (let k = unlimited ? 0 : 1; k < count; k++) {
      const src = unlimited ? 0 : (k - 1) * n1;
      const dst = k * n1;
      for (let i = 0; i < n; i++) {
        const base = pot[src + i]!;
        if (base === Infinity) continue;
        for (let j = i + 1; j <= n; j++) {
          if (j > i + 1 && this.sumLoad[j]! - this.sumLoad[i]! > maxLoad) break;
          const v = base + this.cost(i, j);
          if (v < pot[dst + j]!) {
            pot[dst + j] = v;
            pred[dst + j] = i;
          }
        }
      }
    }
  }

  private countRoutes(layer: number): number {
    const n1 = this.data.n + 1;
    let j = this.data.n;
    let c = 0;
    while (j > 0) {
      j = this.pred[layer * n1 + j]!;
      c++;
    }
    return c;
  }

  private writeBest(ind: Individual, layers: number, unlimited: boolean): void {
    const n = this.data.n;
    const n1 = n + 1;
    let best = 0;
    if (!unlimited) {
      let bestVal = Infinity;
      for (let k = 1; k <= layers; k++) {
        if (this.pot[k * n1 + n]! < bestVal - EPS) {
          bestVal = this.pot[k * n1 + n]!;
          best = k;
        }
      }
      if (best === 0) throw new Error('split found no solution');
    }
    // Walk predecessors back; route count is known only after the walk.
    const cuts: number[] = [];
    let j = n;
    let k = best;
    while (j > 0) {
      cuts.push(j);
      j = this.pred[k * n1 + j]!;
      if (!unlimited) k--;
    }
    cuts.reverse();
    ind.nbRoutes = cuts.length;
    ind.bounds[0] = 0;
    for (let r = 0; r < cuts.length; r++) ind.bounds[r + 1] = cuts[r]!;
  }
}
