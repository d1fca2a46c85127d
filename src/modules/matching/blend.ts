// Learning the blend: a logistic regression of "bought in the validation window" on the
// candidate features, fitted by Newton's method (IRLS) with a small L2 penalty. Only candidates
// are rows, so the weights learn to rank what the scorer will actually see.
import { N_FEATURES } from './model';
import type { Candidate } from './score';

/** Solve A x = b for a small dense symmetric positive-definite A (Gaussian elimination). */
function solve(a: Float64Array[], b: Float64Array): Float64Array {
  const n = b.length;
  const m = a.map((row, i) => {
    const r = new Float64Array(n + 1);
    r.set(row);
    r[n] = b[i]!;
    return r;
  });
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[piv]![col]!)) piv = r;
    [m[col], m[piv]] = [m[piv]!, m[col]!];
    const d = m[col]![col]!;
    if (Math.abs(d) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]! / d;
      if (f !== 0) for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  return Float64Array.from({ length: n }, (_, i) => (Math.abs(m[i]![i]!) < 1e-12 ? 0 : m[i]![n]! / m[i]![i]!));
}

/** Penalised negative log-likelihood (numerically safe form). */
function loss(rows: ReadonlyArray<{ x: Float64Array; label: number }>, w: Float64Array, l2: number): number {
  let sum = 0;
  for (const { x, label } of rows) {
    let z = 0;
    for (let j = 0; j < N_FEATURES; j++) z += w[j]! * x[j]!;
    // log(1 + e^z) - label·z
    sum += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - label * z;
  }
  for (let j = 1; j < N_FEATURES; j++) sum += 0.5 * l2 * w[j]! * w[j]!;
  return sum;
}

export interface FitOptions {
  /** L2 penalty on every weight but the intercept. */
  l2?: number;
  iterations?: number;
}

/** Fit weights so that sigmoid(w·x) predicts `label`. Rows: candidates with 0/1 labels. */
export function fitLogistic(rows: ReadonlyArray<{ x: Float64Array; label: number }>, opts: FitOptions = {}): number[] {
  const l2 = opts.l2 ?? 1;
  const w = new Float64Array(N_FEATURES);
  // Start the intercept at the base rate, so the first Newton step is well behaved.
  const pos = rows.reduce((s, r) => s + r.label, 0);
  w[0] = Math.log((pos + 0.5) / (rows.length - pos + 0.5));
  for (let it = 0; it < (opts.iterations ?? 25); it++) {
    const g = new Float64Array(N_FEATURES);
    const h = Array.from({ length: N_FEATURES }, () => new Float64Array(N_FEATURES));
    for (const { x, label } of rows) {
      let z = 0;
      for (let j = 0; j < N_FEATURES; j++) z += w[j]! * x[j]!;
      const p = 1 / (1 + Math.exp(-z));
      const r = p - label;
      const v = p * (1 - p);
      for (let j = 0; j < N_FEATURES; j++) {
        const xj = x[j]!;
        if (xj === 0) continue;
        g[j]! += r * xj;
        const hj = h[j]!;
        for (let l = j; l < N_FEATURES; l++) hj[l]! += v * xj * x[l]!;
      }
    }
    for (let j = 0; j < N_FEATURES; j++) {
      for (let l = 0; l < j; l++) h[j]![l] = h[l]![j]!;
      if (j > 0) {
        g[j]! += l2 * w[j]!;
        h[j]![j]! += l2;
      }
      h[j]![j]! += 1e-9;
    }
    const step = solve(h, g);
    // Newton can overshoot where the fitted probabilities are near 0 or 1: halve the step
    // until the penalised loss does not rise.
    const before = loss(rows, w, l2);
    let t = 1;
    let next = w.map((wj, j) => wj - step[j]!);
    while (t > 1e-6 && !(loss(rows, next, l2) <= before)) {
      t /= 2;
      next = w.map((wj, j) => wj - t * step[j]!);
    }
    let moved = 0;
    for (let j = 0; j < N_FEATURES; j++) {
      moved = Math.max(moved, Math.abs(next[j]! - w[j]!));
      w[j] = next[j]!;
    }
    if (moved < 1e-6) break;
  }
  return [...w];
}

/** Label each candidate by whether its item is in the person's relevant set. */
export function labelled(cands: readonly Candidate[], relevant: ReadonlySet<number>): Array<{ x: Float64Array; label: number }> {
  return cands.map((c) => ({ x: c.x, label: relevant.has(c.item) ? 1 : 0 }));
}

/** One person's candidate list in one validation window, for the listwise fit. */
export interface Group {
  xs: readonly Float64Array[];
  /** Indices into xs of the items the person bought in the window. */
  positives: readonly number[];
  /** How much each positive counts: 1 / min(k, |relevant|), as in Recall@k. */
  weight: number;
}

/** Softmax of w·x over a group into `p` (which it returns); the log of the normaliser in out[0]. */
function softmax(g: Group, w: Float64Array, p: Float64Array, out: Float64Array): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < g.xs.length; i++) {
    let z = 0;
    const x = g.xs[i]!;
    for (let j = 0; j < N_FEATURES; j++) z += w[j]! * x[j]!;
    p[i] = z;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let i = 0; i < g.xs.length; i++) sum += p[i] = Math.exp(p[i]! - max);
  for (let i = 0; i < g.xs.length; i++) p[i]! /= sum;
  out[0] = max + Math.log(sum);
  return p;
}

function listwiseLoss(groups: readonly Group[], w: Float64Array, l2: number, p: Float64Array): number {
  const lz = new Float64Array(1);
  let sum = 0;
  for (const g of groups) {
    softmax(g, w, p, lz);
    for (const i of g.positives) sum -= g.weight * Math.log(Math.max(1e-300, p[i]!));
  }
  for (let j = 1; j < N_FEATURES; j++) sum += 0.5 * l2 * w[j]! * w[j]!;
  return sum;
}

/**
 * Fit weights for RANKING within a person's list: each item the person bought is a choice
 * among all their candidates (a softmax over w·x, the conditional logit), weighted like Recall@k.
 * Unlike the logistic fit it spends nothing on telling busy households from idle ones, which
 * never changes anyone's order. The intercept is meaningless here and stays 0.
 */
export function fitListwise(groups: readonly Group[], opts: FitOptions = {}): number[] {
  const l2 = opts.l2 ?? 1;
  const w = new Float64Array(N_FEATURES);
  const p = new Float64Array(groups.reduce((m, g) => Math.max(m, g.xs.length), 1));
  const lz = new Float64Array(1);
  const mean = new Float64Array(N_FEATURES);
  for (let it = 0; it < (opts.iterations ?? 25); it++) {
    const g = new Float64Array(N_FEATURES);
    const h = Array.from({ length: N_FEATURES }, () => new Float64Array(N_FEATURES));
    for (const grp of groups) {
      if (grp.positives.length === 0) continue;
      softmax(grp, w, p, lz);
      mean.fill(0);
      const c = grp.weight * grp.positives.length;
      for (let i = 0; i < grp.xs.length; i++) {
        const x = grp.xs[i]!;
        const pi = p[i]!;
        if (pi < 1e-12) continue;
        for (let j = 0; j < N_FEATURES; j++) {
          const v = pi * x[j]!;
          mean[j]! += v;
          if (v === 0) continue;
          const hj = h[j]!;
          for (let l = j; l < N_FEATURES; l++) hj[l]! += c * v * x[l]!;
        }
      }
      for (let j = 0; j < N_FEATURES; j++) {
        for (let l = j; l < N_FEATURES; l++) h[j]![l]! -= c * mean[j]! * mean[l]!;
        g[j]! += c * mean[j]!;
      }
      for (const i of grp.positives) {
        const x = grp.xs[i]!;
        for (let j = 0; j < N_FEATURES; j++) g[j]! -= grp.weight * x[j]!;
      }
    }
    for (let j = 0; j < N_FEATURES; j++) {
      for (let l = 0; l < j; l++) h[j]![l] = h[l]![j]!;
      if (j > 0) {
        g[j]! += l2 * w[j]!;
        h[j]![j]! += l2;
      }
      h[j]![j]! += 1e-9;
    }
    g[0] = 0;
    const step = solve(h, g);
    step[0] = 0;
    const before = listwiseLoss(groups, w, l2, p);
    let t = 1;
    let next = w.map((wj, j) => wj - step[j]!);
    while (t > 1e-6 && !(listwiseLoss(groups, next, l2, p) <= before)) {
      t /= 2;
      next = w.map((wj, j) => wj - t * step[j]!);
    }
    let moved = 0;
    for (let j = 0; j < N_FEATURES; j++) {
      moved = Math.max(moved, Math.abs(next[j]! - w[j]!));
      w[j] = next[j]!;
    }
    if (moved < 1e-6) break;
  }
  return [...w];
}
