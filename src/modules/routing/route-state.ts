// The routes of one solution as doubly linked lists in typed arrays (struct of arrays).
// Node ids: customers 1..n, route r's start depot n+1+r and end depot n+1+R+r, so every
// route has explicit ends and no move needs a special case for "first" or "last". Per
// node: position, and load and duration of the route prefix up to it; per route: load,
// distance, duration, penalty, size and polar sector. The local search prices moves from
// these in O(1) and calls updateRoute on the routes it changed.
import type { SearchData } from './data';
import type { Individual } from './individual';

export class RouteState {
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
  protected readonly bufA: Int32Array;
  protected readonly bufB: Int32Array;
  private readonly angle: Int32Array | null;
  nbMoves = 0;
  penCap = 1;
  penDur = 1;

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
    this.rSecStart = new Int32Array(R);
    this.rSecEnd = new Int32Array(R);
    this.bufA = new Int32Array(n + 1);
    this.bufB = new Int32Array(n + 1);
    this.angle = data.angle;
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

  /** Link ind's routes into the first slots, the rest empty. */
  linkRoutes(ind: Individual): void {
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
    }
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

  protected rebuild(r: number, buf: Int32Array, len: number): void {
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
