// SWAP* (Vidal 2022): exchange u ∈ U and v ∈ V, each reinserted at its best place in the
// other route rather than in the other's old slot. For every customer the three cheapest
// insertion places in the other route are cached (valid until that route changes); with
// v removed, the best place for u is either one of those three not next to v, or v's old
// slot. The same pass also prices plain relocations to the best place, for free.
import { EPS } from './data';
import type { LocalSearch } from './local-search';

export function sectorsOverlap(s1: number, e1: number, s2: number, e2: number): boolean {
  return ((s2 - s1) & 0xffff) <= ((e1 - s1) & 0xffff) || ((s1 - s2) & 0xffff) <= ((e2 - s2) & 0xffff);
}

export class SwapStar {
  private readonly cost: Float64Array;
  private readonly at: Int32Array;
  private readonly when: Int32Array;
  private readonly removal: Float64Array;
  private insPos = 0;

  constructor(private readonly ls: LocalSearch) {
    const size = ls.R * ls.n1;
    this.cost = new Float64Array(size * 3);
    this.at = new Int32Array(size * 3);
    this.when = new Int32Array(size);
    this.removal = new Float64Array(ls.n1);
  }

  reset(): void {
    this.when.fill(-1);
  }

  /** Removal deltas for route r1's customers and their top-3 insertions into r2. */
  private prepare(r1: number, r2: number): void {
    const ls = this.ls;
    const { next, prev, loc, D, n1, n } = ls;
    const { cost, at, when, removal } = this;
    const s2 = ls.start(r2);
    const e2 = ls.end(r2);
    const mod = ls.rWhenMod[r2]!;
    for (let u = next[ls.start(r1)]!; u <= n; u = next[u]!) {
      const lp = loc[prev[u]!]!;
      const lx = loc[next[u]!]!;
      const ru = u * n1;
      removal[u] = D[lp * n1 + lx]! - D[lp * n1 + u]! - D[ru + lx]!;
      const key = r2 * n1 + u;
      if (when[key]! >= mod) continue;
      when[key] = ls.nbMoves;
      let c0 = Infinity;
      let c1 = Infinity;
      let c2 = Infinity;
      let p0 = -1;
      let p1 = -1;
      let p2 = -1;
      let p = s2;
      let lpp = 0;
      let dpu = D[ru]!;
      while (p !== e2) {
        const q = next[p]!;
        const lq = loc[q]!;
        const dqu = D[ru + lq]!;
        const c = dpu + dqu - D[lpp * n1 + lq]!;
        if (c < c2) {
          if (c < c1) {
            c2 = c1;
            p2 = p1;
            if (c < c0) {
              c1 = c0;
              p1 = p0;
              c0 = c;
              p0 = p;
            } else {
              c1 = c;
              p1 = p;
            }
          } else {
            c2 = c;
            p2 = p;
          }
        }
        p = q;
        lpp = lq;
        dpu = dqu;
      }
      const k = key * 3;
      cost[k] = c0;
      cost[k + 1] = c1;
      cost[k + 2] = c2;
      at[k] = p0;
      at[k + 1] = p1;
      at[k + 2] = p2;
    }
  }

  /** Cheapest insertion of a into v's route once v is gone; the place goes to insPos. */
  private insertWithout(a: number, v: number, rV: number): number {
    const ls = this.ls;
    const { next, prev, loc, D, n1 } = ls;
    const k = (rV * n1 + a) * 3;
    let best = Infinity;
    let bestPos = -1;
    for (let t = 0; t < 3; t++) {
      const p = this.at[k + t]!;
      if (p < 0) break;
      if (p !== v && next[p] !== v) {
        best = this.cost[k + t]!;
        bestPos = p;
        break;
      }
    }
    const pv = prev[v]!;
    const lpv = loc[pv]!;
    const ly = loc[next[v]!]!;
    const ra = a * n1;
    const inPlace = D[lpv * n1 + a]! + D[ra + ly]! - D[lpv * n1 + ly]!;
    if (bestPos < 0 || inPlace < best) {
      best = inPlace;
      bestPos = pv;
    }
    this.insPos = bestPos;
    return best;
  }

  run(rU: number, rV: number): boolean {
    this.prepare(rU, rV);
    this.prepare(rV, rU);
    const ls = this.ls;
    const { next, dem, svc, n, n1, rLoad, rDur, rPen } = ls;
    const removal = this.removal;
    const loadU = rLoad[rU]!;
    const loadV = rLoad[rV]!;
    const durU = rDur[rU]!;
    const durV = rDur[rV]!;
    const oldPen = rPen[rU]! + rPen[rV]!;
    let best = -EPS;
    let bu = -1;
    let bv = -1;
    let posU = -1;
    let posV = -1;
    for (let u = next[ls.start(rU)]!; u <= n; u = next[u]!) {
      const remU = removal[u]!;
      const demU = dem[u]!;
      const svcU = svc[u]!;
      for (let v = next[ls.start(rV)]!; v <= n; v = next[v]!) {
        const dLoad = dem[v]! - demU;
        const dSvc = svc[v]! - svcU;
        const remV = removal[v]!;
        // Lower bound: insertion costs are (almost always) non-negative.
        const bound = remU + remV + ls.pen(loadU + dLoad, durU + remU + dSvc) + ls.pen(loadV - dLoad, durV + remV - dSvc) - oldPen;
        if (bound >= best) continue;
        const extraV = this.insertWithout(u, v, rV);
        const atU = this.insPos;
        const extraU = this.insertWithout(v, u, rU);
        const atV = this.insPos;
        const total =
          remU + remV + extraU + extraV +
          ls.pen(loadU + dLoad, durU + remU + extraU + dSvc) +
          ls.pen(loadV - dLoad, durV + remV + extraV - dSvc) -
          oldPen;
        if (total < best) {
          best = total;
          bu = u;
          bv = v;
          posU = atU;
          posV = atV;
        }
      }
    }
    // Plain relocations to the cached best place.
    for (let side = 0; side < 2; side++) {
      const rA = side === 0 ? rU : rV;
      const rB = side === 0 ? rV : rU;
      const loadA = rLoad[rA]!;
      const loadB = rLoad[rB]!;
      const durA = rDur[rA]!;
      const durB = rDur[rB]!;
      for (let a = next[ls.start(rA)]!; a <= n; a = next[a]!) {
        const k = (rB * n1 + a) * 3;
        const ins = this.cost[k]!;
        const total = removal[a]! + ins + ls.pen(loadA - dem[a]!, durA + removal[a]! - svc[a]!) + ls.pen(loadB + dem[a]!, durB + ins + svc[a]!) - oldPen;
        if (total < best) {
          best = total;
          bu = side === 0 ? a : -1;
          bv = side === 0 ? -1 : a;
          posU = side === 0 ? this.at[k]! : -1;
          posV = side === 0 ? -1 : this.at[k]!;
        }
      }
    }
    if (best >= -EPS) return false;
    if (bu >= 0) ls.unlink(bu);
    if (bv >= 0) ls.unlink(bv);
    if (bu >= 0) ls.insertAfter(bu, posU);
    if (bv >= 0) ls.insertAfter(bv, posV);
    ls.moved(rU, rV);
    return true;
  }
}
