// Granular local search over the linked routes of route-state.ts: every move — including
// 2-opt* — is priced in O(1) from prefix loads and durations before anything is touched.
//
// Moves (u, x = next(u), v, y = next(v), v among u's granular neighbours):
// relocate u / (u,x) / (x,u) after v; swap u↔v, (u,x)↔v, (u,x)↔(v,y); 2-opt within a
// route; both 2-opt* between routes; the same with v = a route start, and with an empty
// route. SWAP* between routes whose polar sectors overlap lives in swap-star.ts.
import type { Random } from '../../kernel';
import { EPS, type SearchData } from './data';
import type { Individual } from './individual';
import { RouteState } from './route-state';
import { SwapStar, sectorsOverlap } from './swap-star';

export class LocalSearch extends RouteState {
  private readonly rWhenSS: Int32Array;
  private readonly whenTested: Int32Array;
  private readonly orderNodes: Int32Array;
  private readonly orderRoutes: Int32Array;
  private readonly nbStart: Int32Array;
  private readonly nb: Int32Array;
  private readonly swapStar: SwapStar | null;
  private searchCompleted = false;

  constructor(data: SearchData) {
    super(data);
    const n = data.n;
    const R = data.routeSlots;
    this.rWhenSS = new Int32Array(R);
    this.whenTested = new Int32Array(n + 1);
    this.orderNodes = Int32Array.from({ length: n }, (_, i) => i + 1);
    this.orderRoutes = Int32Array.from({ length: R }, (_, i) => i);
    this.nbStart = data.nbStart;
    this.nb = data.nbList.slice();
    this.swapStar = data.angle ? new SwapStar(this) : null;
  }

  load(ind: Individual): void {
    this.linkRoutes(ind);
    this.rWhenSS.fill(-1);
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
}

export function shuffle(a: Int32Array, rng: Random): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.float() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}
