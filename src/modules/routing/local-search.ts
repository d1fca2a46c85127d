// Granular local search on doubly linked routes kept in typed arrays (struct of arrays).
// Node ids: customers 1..n, route r's start depot n+1+r and end depot n+1+R+r, so every
// route has explicit ends and no move needs a special case for "first" or "last".
// Per node we keep the position, load and duration of the route prefix up to it, so
// every move — including 2-opt* — is priced in O(1) before anything is touched.
//
// Moves (u, x = next(u), v, y = next(v), v among u's granular neighbours):
// relocate u / (u,x) / (x,u) after v; swap u↔v, (u,x)↔v, (u,x)↔(v,y); 2-opt within a
// route; both 2-opt* between routes; the same with v = a route start, and with an empty
// route. SWAP* between routes whose polar sectors overlap lives in swap-star.ts.
import type { Random } from '../../kernel';
import { EPS, type SearchData } from './data';
import type { Individual } from './individual';
import { SwapStar, sectorsOverlap } from './swap-star';

export class LocalSearch {
  readonly n: number;
  readonly R: number;
  readonly n1: number;
  readonly D: Int32Array;
  readonly Q: number;
  readonly L: number;
  readonly next: Int32Array;
  readonly prev: Int32Array;
  readonly routeOf: Int32Array;
  readonly pos: Int32Array;
  readonly cumLoad: Int32Array;
  readonly cumDur: Float64Array;
  readonly loc: Int32Array;
  readonly dem: Int32Array;
  readonly svc: Int32Array;
  readonly rLoad: Int32Array;
  readonly rDist: Float64Array;
  readonly rDur: Float64Array;
  readonly rPen: Float64Array;
  readonly rCount: Int32Array;
  readonly rWhenMod: Int32Array;
  readonly rSecStart: Int32Array;
  readonly rSecEnd: Int32Array;
  private readonly rWhenSS: Int32Array;
  private readonly whenTested: Int32Array;
  private readonly orderNodes: Int32Array;
  private readonly orderRoutes: Int32Array;
  private readonly nbStart: Int32Array;
  private readonly nb: Int32Array;
  private readonly bufA: Int32Array;
  private readonly bufB: Int32Array;
  private readonly angle: Int32Array | null;
  private readonly swapStar: SwapStar | null;
  nbMoves = 0;
  penCap = 1;
  penDur = 1;
  private searchCompleted = false;

  constructor(readonly data: SearchData) {
    const n = data.n;
    const R = data.routeSlots;
    this.n = n;
    this.R = R;
    this.n1 = data.n1;
    this.D = data.D;
    this.Q = data.capacity;
    this.L = data.maxDuration;
    const M = n + 1 + 2 * R;
    this.next = new Int32Array(M);
    this.prev = new Int32Array(M);
    this.routeOf = new Int32Array(M);
    this.pos = new Int32Array(M);
    this.cumLoad = new Int32Array(M);
    this.cumDur = new Float64Array(M);
    this.loc = new Int32Array(M);
    this.dem = new Int32Array(M);
    this.svc = new Int32Array(M);
    for (let c = 1; c <= n; c++) {
      this.loc[c] = c;
      this.dem[c] = data.demand[c]!;
      this.svc[c] = data.service[c]!;
    }
    this.rLoad = new Int32Array(R);
    this.rDist = new Float64Array(R);
    this.rDur = new Float64Array(R);
    this.rPen = new Float64Array(R);
    this.rCount = new Int32Array(R);
    this.rWhenMod = new Int32Array(R);
    this.rWhenSS = new Int32Array(R);
    this.rSecStart = new Int32Array(R);
    this.rSecEnd = new Int32Array(R);
    this.whenTested = new Int32Array(n + 1);
    this.orderNodes = Int32Array.from({ length: n }, (_, i) => i + 1);
    this.orderRoutes = Int32Array.from({ length: R }, (_, i) => i);
    this.nbStart = data.nbStart;
    this.nb = data.nbList.slice();
    this.bufA = new Int32Array(n + 1);
    this.bufB = new Int32Array(n + 1);
    this.angle = data.angle;
    this.swapStar = data.angle ? new SwapStar(this) : null;
  }

  start(r: number): number {
    return this.n + 1 + r;
  }

  end(r: number): number {
    return this.n + 1 + this.R + r;
  }

  pen(load: number, dur: number): number {
    let p = 0;
    if (load > this.Q) p = (load - this.Q) * this.penCap;
    if (dur > this.L) p += (dur - this.L) * this.penDur;
    return p;
  }

  load(ind: Individual): void {
    if (ind.nbRoutes > this.R) throw new Error(`${ind.nbRoutes} routes exceed ${this.R} route slots`);
    this.nbMoves = 0;
    for (let r = 0; r < this.R; r++) {
      let p = this.start(r);
      if (r < ind.nbRoutes) {
        for (let i = ind.bounds[r]!; i < ind.bounds[r + 1]!; i++) {
          const c = ind.tour[i]!;
          this.next[p] = c;
          this.prev[c] = p;
          p = c;
        }
      }
      this.next[p] = this.end(r);
      this.prev[this.end(r)] = p;
      this.updateRoute(r);
      this.rWhenSS[r] = -1;
    }
    this.whenTested.fill(-1);
    this.swapStar?.reset();
  }

  /** Improve the loaded solution until no move improves the penalised cost. */
  run(penCap: number, penDur: number, rng: Random): void {
    this.penCap = penCap;
    this.penDur = penDur;
    const { n, R, routeOf, rWhenMod, whenTested, nbStart, nb, orderNodes, orderRoutes, prev } = this;
    for (let r = 0; r < R; r++) this.rPen[r] = this.pen(this.rLoad[r]!, this.rDur[r]!);
    shuffle(orderNodes, rng);
    shuffle(orderRoutes, rng);
    const g = this.data.params.granular;
    for (let c = 1; c <= n; c++) if (rng.float() * g < 1) shuffle(nb.subarray(nbStart[c]!, nbStart[c + 1]!), rng);
    this.searchCompleted = false;
    for (let loop = 0; !this.searchCompleted; loop++) {
      if (loop > 1) this.searchCompleted = true;
      for (let i = 0; i < n; i++) {
        const u = orderNodes[i]!;
        const lastTest = whenTested[u]!;
        whenTested[u] = this.nbMoves;
        for (let k = nbStart[u]!, kEnd = nbStart[u + 1]!; k < kEnd; k++) {
          const v = nb[k]!;
          if (loop > 0 && Math.max(rWhenMod[routeOf[u]!]!, rWhenMod[routeOf[v]!]!) <= lastTest) continue;
          if (this.tryPair(u, v, true, true)) continue;
          const pv = prev[v]!;
          if (pv > n && this.tryPair(u, pv, false, true)) continue;
        }
        // Opening a new route is not tried in the first loop, to keep the fleet from growing.
        if (loop > 0) {
          const e = this.firstEmpty();
          if (e >= 0) this.tryPair(u, this.start(e), false, false);
        }
      }
      const ss = this.swapStar;
      if (ss) {
        const { rCount, rWhenSS } = this;
        for (let i = 0; i < R; i++) {
          const rU = orderRoutes[i]!;
          if (rCount[rU] === 0) continue;
          const lastTest = rWhenSS[rU]!;
          rWhenSS[rU] = this.nbMoves;
          for (let j = 0; j < R; j++) {
            const rV = orderRoutes[j]!;
            if (rV <= rU || rCount[rV] === 0 || rCount[rU] === 0) continue;
            if (loop > 0 && Math.max(rWhenMod[rU]!, rWhenMod[rV]!) <= lastTest) continue;
            if (sectorsOverlap(this.rSecStart[rU]!, this.rSecEnd[rU]!, this.rSecStart[rV]!, this.rSecEnd[rV]!)) ss.run(rU, rV);
          }
        }
      }
    }
  }

  /** Penalised delta of a move that changes route U's cost by cU and V's by cV, moving
   *  dLoad / dSvc from V to U (negative: from U to V). */
  private delta(rU: number, rV: number, cU: number, cV: number, dLoad: number, dSvc: number): number {
    if (rU === rV) {
      const c = cU + cV;
      return c + this.pen(this.rLoad[rU]!, this.rDur[rU]! + c) - this.rPen[rU]!;
    }
    const old = this.rPen[rU]! + this.rPen[rV]!;
    if (cU + cV >= old) return 0;
    return cU + cV + this.pen(this.rLoad[rU]! + dLoad, this.rDur[rU]! + cU + dSvc) + this.pen(this.rLoad[rV]! - dLoad, this.rDur[rV]! + cV - dSvc) - old;
  }

  private deltaCut(rU: number, rV: number, c: number, loadU: number, loadV: number, durU: number, durV: number): number {
    const old = this.rPen[rU]! + this.rPen[rV]!;
    if (c >= old) return 0;
    return c + this.pen(loadU, durU) + this.pen(loadV, durV) - old;
  }

  /**
   * Try the moves for u and v; v is a customer when `vCustomer`, else a route start
   * (then only relocations and 2-opt*, and 2-opt* type 1 only when `withCut1`).
   */
  private tryPair(u: number, v: number, vCustomer: boolean, withCut1: boolean): boolean {
    const { D, n1, n, loc, next, prev, dem, svc, routeOf } = this;
    const rU = routeOf[u]!;
    const rV = routeOf[v]!;
    const same = rU === rV;
    // No move can gain more than its distance saving plus the penalties it may remove.
    const bound = (same ? this.rPen[rU]! : this.rPen[rU]! + this.rPen[rV]!) - EPS;
    const x = next[u]!;
    const pu = prev[u]!;
    const y = next[v]!;
    const lx = loc[x]!;
    const lpu = loc[pu]!;
    const lv = loc[v]!;
    const ly = loc[y]!;
    const ru = u * n1;
    const dPuU = D[lpu * n1 + u]!;
    const dUX = D[ru + lx]!;
    const dPuX = D[lpu * n1 + lx]!;
    const dVY = D[lv * n1 + ly]!;
    const dVU = D[lv * n1 + u]!;
    const dUY = D[ru + ly]!;
    const demU = dem[u]!;
    const svcU = svc[u]!;
    const xCustomer = x <= n;
    const xx = next[x]!;
    const lxx = xCustomer ? loc[xx]! : 0;
    const dXXX = xCustomer ? D[lx * n1 + lxx]! : 0;
    const dPuXX = xCustomer ? D[lpu * n1 + lxx]! : 0;

    // Relocate u after v.
    if (u !== y) {
      const cU = dPuX - dPuU - dUX;
      const cV = dVU + dUY - dVY;
      if (cU + cV < bound && this.delta(rU, rV, cU, cV, -demU, -svcU) < -EPS) {
        this.unlink(u);
        this.insertAfter(u, v);
        return this.moved(rU, rV);
      }
    }
    if (xCustomer && u !== y && x !== v) {
      const dXY = D[lx * n1 + ly]!;
      // Relocate (u,x) after v. The edge (u,x) travels with the pair: it leaves U's cost
      // and joins V's, which matters for each route's duration.
      const cU = dPuXX - dPuU - dXXX - dUX;
      const cV = dVU + dUX + dXY - dVY;
      if (cU + cV < bound && this.delta(rU, rV, cU, cV, -demU - dem[x]!, -svcU - svc[x]!) < -EPS) {
        this.next[pu] = xx;
        this.prev[xx] = pu;
        this.insertAfter(u, v);
        this.insertAfter(x, u);
        return this.moved(rU, rV);
      }
      // Relocate (x,u) after v, reversed.
      const cV3 = D[lv * n1 + lx]! + dUX + dUY - dVY;
      if (cU + cV3 < bound && this.delta(rU, rV, cU, cV3, -demU - dem[x]!, -svcU - svc[x]!) < -EPS) {
        this.next[pu] = xx;
        this.prev[xx] = pu;
        this.insertAfter(x, v);
        this.insertAfter(u, x);
        return this.moved(rU, rV);
      }
    }
    if (vCustomer) {
      const pv = prev[v]!;
      const lpv = loc[pv]!;
      const dPvV = D[lpv * n1 + lv]!;
      const dPvU = D[lpv * n1 + u]!;
      const demV = dem[v]!;
      const svcV = svc[v]!;
      const dPuV = D[lpu * n1 + lv]!;
      // Swap u and v.
      if (u < v && u !== pv && u !== y) {
        const cU = dPuV + D[lv * n1 + lx]! - dPuU - dUX;
        const cV = dPvU + dUY - dPvV - dVY;
        if (cU + cV < bound && this.delta(rU, rV, cU, cV, demV - demU, svcV - svcU) < -EPS) {
          this.next[pu] = v;
          this.prev[v] = pu;
          this.next[v] = x;
          this.prev[x] = v;
          this.next[pv] = u;
          this.prev[u] = pv;
          this.next[u] = y;
          this.prev[y] = u;
          return this.moved(rU, rV);
        }
      }
      if (xCustomer && u !== pv && x !== pv && u !== y) {
        // Swap (u,x) and v.
        const cU = dPuV + D[lv * n1 + lxx]! - dPuU - dXXX - dUX;
        const cV = dPvU + dUX + D[lx * n1 + ly]! - dPvV - dVY;
        if (cU + cV < bound && this.delta(rU, rV, cU, cV, demV - demU - dem[x]!, svcV - svcU - svc[x]!) < -EPS) {
          this.next[pu] = v;
          this.prev[v] = pu;
          this.next[v] = xx;
          this.prev[xx] = v;
          this.next[pv] = u;
          this.prev[u] = pv;
          this.next[x] = y;
          this.prev[y] = x;
          return this.moved(rU, rV);
        }
        // Swap (u,x) and (v,y).
        if (u < v && y <= n && y !== pu && x !== v && v !== xx) {
          const yy = next[y]!;
          const lyy = loc[yy]!;
          const cU2 = dPuV + dVY + D[ly * n1 + lxx]! - dPuU - dUX - dXXX;
          const cV2 = dPvU + dUX + D[lx * n1 + lyy]! - dPvV - dVY - D[ly * n1 + lyy]!;
          if (cU2 + cV2 < bound && this.delta(rU, rV, cU2, cV2, demV + dem[y]! - demU - dem[x]!, svcV + svc[y]! - svcU - svc[x]!) < -EPS) {
            this.next[pu] = v;
            this.prev[v] = pu;
            this.next[y] = xx;
            this.prev[xx] = y;
            this.next[pv] = u;
            this.prev[u] = pv;
            this.next[x] = yy;
            this.prev[yy] = x;
            return this.moved(rU, rV);
          }
        }
      }
      // 2-opt: reverse x..v.
      if (same && this.pos[u]! < this.pos[v]! && x !== v) {
        const c = D[ru + lv]! + D[lx * n1 + ly]! - dUX - dVY;
        if (c < bound && this.delta(rU, rU, c, 0, 0, 0) < -EPS) {
          let len = 0;
          for (let a = x; a !== y; a = next[a]!) this.bufA[len++] = a;
          let p = u;
          for (let i = len - 1; i >= 0; i--) {
            const a = this.bufA[i]!;
            this.next[p] = a;
            this.prev[a] = p;
            p = a;
          }
          this.next[p] = y;
          this.prev[y] = p;
          return this.moved(rU, rU);
        }
      }
    }
    if (same) return false;
    const { cumLoad, cumDur, rLoad, rDur } = this;
    const dXY = D[lx * n1 + ly]!;
    // 2-opt* type 1: (u,x),(v,y) → (u,v),(x,y); U keeps its prefix then V's prefix reversed.
    if (withCut1) {
      const c = dVU + dXY - dUX - dVY;
      const loadU = cumLoad[u]! + cumLoad[v]!;
      const loadV = rLoad[rU]! + rLoad[rV]! - loadU;
      const durU = cumDur[u]! + dVU + cumDur[v]!;
      const durV = rDur[rU]! - cumDur[u]! - dUX + dXY + rDur[rV]! - cumDur[v]! - dVY;
      if (c < bound && this.deltaCut(rU, rV, c, loadU, loadV, durU, durV) < -EPS) {
        const A = this.bufA;
        const B = this.bufB;
        let la = 0;
        let lb = 0;
        for (let a = next[this.start(rU)]!; a !== x; a = next[a]!) A[la++] = a;
        for (let a = v; a <= n; a = prev[a]!) A[la++] = a;
        for (let a = prev[this.end(rU)]!; a !== u; a = prev[a]!) B[lb++] = a;
        for (let a = y; a <= n; a = next[a]!) B[lb++] = a;
        this.rebuild(rU, A, la);
        this.rebuild(rV, B, lb);
        return this.moved(rU, rV);
      }
    }
    // 2-opt* type 2: (u,x),(v,y) → (u,y),(v,x): the two tails trade places.
    {
      const dVX = D[lv * n1 + lx]!;
      const c = dUY + dVX - dUX - dVY;
      const loadU = cumLoad[u]! + rLoad[rV]! - cumLoad[v]!;
      const loadV = rLoad[rU]! + rLoad[rV]! - loadU;
      const durU = cumDur[u]! + dUY + rDur[rV]! - cumDur[v]! - dVY;
      const durV = cumDur[v]! + dVX + rDur[rU]! - cumDur[u]! - dUX;
      if (c < bound && this.deltaCut(rU, rV, c, loadU, loadV, durU, durV) < -EPS) {
        const A = this.bufA;
        const B = this.bufB;
        let la = 0;
        let lb = 0;
        for (let a = next[this.start(rU)]!; a !== x; a = next[a]!) A[la++] = a;
        for (let a = y; a <= n; a = next[a]!) A[la++] = a;
        for (let a = next[this.start(rV)]!; a !== y; a = next[a]!) B[lb++] = a;
        for (let a = x; a <= n; a = next[a]!) B[lb++] = a;
        this.rebuild(rU, A, la);
        this.rebuild(rV, B, lb);
        return this.moved(rU, rV);
      }
    }
    return false;
  }

  unlink(a: number): void {
    const p = this.prev[a]!;
    const q = this.next[a]!;
    this.next[p] = q;
    this.prev[q] = p;
  }

  insertAfter(a: number, p: number): void {
    const q = this.next[p]!;
    this.next[p] = a;
    this.prev[a] = p;
    this.next[a] = q;
    this.prev[q] = a;
  }

  private rebuild(r: number, buf: Int32Array, len: number): void {
    let p = this.start(r);
    for (let i = 0; i < len; i++) {
      const a = buf[i]!;
      this.next[p] = a;
      this.prev[a] = p;
      p = a;
    }
    const e = this.end(r);
    this.next[p] = e;
    this.prev[e] = p;
  }

  moved(rU: number, rV: number): true {
    this.nbMoves++;
    this.searchCompleted = false;
    this.updateRoute(rU);
    if (rV !== rU) this.updateRoute(rV);
    return true;
  }

  private firstEmpty(): number {
    for (let r = 0; r < this.R; r++) if (this.rCount[r] === 0) return r;
    return -1;
  }

  updateRoute(r: number): void {
    const { next, loc, D, n1, dem, svc, pos, cumLoad, cumDur, routeOf, angle } = this;
    const e = this.end(r);
    let a = this.start(r);
    let load = 0;
    let dist = 0;
    let dur = 0;
    let p = 0;
    let secStart = 0;
    let secEnd = 0;
    pos[a] = 0;
    cumLoad[a] = 0;
    cumDur[a] = 0;
    routeOf[a] = r;
    while (a !== e) {
      const b = next[a]!;
      const d = D[loc[a]! * n1 + loc[b]!]!;
      dist += d;
      dur += d + svc[b]!;
      load += dem[b]!;
      pos[b] = ++p;
      cumLoad[b] = load;
      cumDur[b] = dur;
      routeOf[b] = r;
      if (angle && b !== e) {
        const t = angle[b]!;
        if (p === 1) {
          secStart = t;
          secEnd = t;
        } else if (((t - secStart) & 0xffff) > ((secEnd - secStart) & 0xffff)) {
          // Grow the sector on the side that adds the smaller arc.
          if (((t - secEnd) & 0xffff) <= ((secStart - t) & 0xffff)) secEnd = t;
          else secStart = t;
        }
      }
      a = b;
    }
    this.rCount[r] = p - 1;
    this.rLoad[r] = load;
    this.rDist[r] = dist;
    this.rDur[r] = dur;
    this.rPen[r] = this.pen(load, dur);
    this.rWhenMod[r] = this.nbMoves;
    this.rSecStart[r] = secStart;
    this.rSecEnd[r] = secEnd;
  }

  /** Write the routes into ind, ordered by the polar angle of their barycentre. */
  exportTo(ind: Individual, penCap: number, penDur: number): void {
    const { n, next, rCount } = this;
    const x = this.data.x;
    const y = this.data.y;
    const keys: Array<[number, number]> = [];
    for (let r = 0; r < this.R; r++) {
      if (rCount[r] === 0) continue;
      let key = r;
      if (x && y) {
        let sx = 0;
        let sy = 0;
        for (let a = next[this.start(r)]!; a <= n; a = next[a]!) {
          sx += x[a]!;
          sy += y[a]!;
        }
        key = Math.atan2(sy / rCount[r]! - y[0]!, sx / rCount[r]! - x[0]!);
      }
      keys.push([key, r]);
    }
    keys.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let p = 0;
    ind.nbRoutes = keys.length;
    for (let k = 0; k < keys.length; k++) {
      ind.bounds[k] = p;
      for (let a = next[this.start(keys[k]![1])]!; a <= n; a = next[a]!) ind.tour[p++] = a;
    }
    ind.bounds[keys.length] = p;
    ind.evaluate(this.data, penCap, penDur);
  }

  /** Penalised cost of the current state (tests check that moves never raise it). */
  penalisedCost(): number {
    let c = 0;
    for (let r = 0; r < this.R; r++) c += this.rDist[r]! + this.rPen[r]!;
    return c;
  }
}

export function shuffle(a: Int32Array, rng: Random): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.float() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}
