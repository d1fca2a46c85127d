// Offline evaluation of linli's method against the two baselines on a time split.
// The blend weights and half-lives are learned on a validation split carved from the END OF
// THE TRAINING PERIOD (the last `validationDays` of it); the test period is only scored.
import { ownHistoryBaseline, popularityBaseline } from './baselines';
import type { TransactionRow } from './csv';
import { meanScores, type MethodScore } from './metrics';
import { buildModel, candidatesFor, DEFAULT_PARAMS, rankCandidates, type BlendWeights, type Candidate, type MatchingParams, type Purchase } from './model';

const DAY_MS = 86_400_000;

export interface EvalOptions {
  k: number;
  /** Days at the end of the training period held out to learn the blend (default 14). */
  validationDays?: number;
  /** Skip learning and use these parameters (tests; a fixed-parameter ablation). */
  params?: MatchingParams;
}

export interface EvalReport {
  k: number;
  recallDefinition: string;
  ndcgDefinition: string;
  train: { lines: number; households: number; from: string; to: string };
  test: { lines: number; households: number; from: string; to: string };
  linli: MethodScore;
  popularity: MethodScore;
  ownHistory: MethodScore;
  /** linli's Recall@k over the better baseline's, minus 1. */
  relativeLiftOverBestBaseline: number;
  learned: {
    weights: BlendWeights;
    repeatHalfLifeDays: number;
    trendHalfLifeDays: number;
    validation: { from: string; households: number; recall: number; ndcg: number };
  } | null;
}

/**
 * Training lines as purchases. A household's community is the store it shopped at most in
 * training (the CSV has no address, and a store's regulars are the nearest thing to a
 * neighbourhood in it).
 */
export function toPurchases(rows: readonly TransactionRow[]): Purchase[] {
  const visits = new Map<number, Map<number, number>>();
  for (const r of rows) {
    let m = visits.get(r.household);
    if (!m) visits.set(r.household, (m = new Map()));
    m.set(r.store, (m.get(r.store) ?? 0) + 1);
  }
  const home = new Map<number, number>();
  for (const [h, m] of visits) home.set(h, [...m].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0]);
  return rows.map((r) => ({ user: r.household, item: r.product, basket: r.basket, at: r.at, community: home.get(r.household)! }));
}

/** Household → distinct products bought, for households that also appear in `known`. */
export function relevantSets(test: readonly TransactionRow[], known: ReadonlySet<number>): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  for (const r of test) {
    if (!known.has(r.household)) continue;
    let s = out.get(r.household);
    if (!s) out.set(r.household, (s = new Set()));
    s.add(r.product);
  }
  return out;
}

const round = (x: number) => Math.round(x * 10000) / 10000;
const score = (m: { recall: number; ndcg: number; households: number }): MethodScore => ({ recallAt10: round(m.recall), ndcgAt10: round(m.ndcg), households: m.households });

const WEIGHT_GRID = [0, 0.05, 0.1, 0.2, 0.35, 0.5, 1, 2];
const REPEAT_HALF_LIVES = [30, 90, 365];
const TREND_HALF_LIVES = [7, 21, 60];

/**
 * Learn the blend on a validation split: build on train-before-cut, score the validation
 * households' candidates once, then search the weight grid (repeat fixed at 1: only ratios
 * matter) for the best mean Recall@k, NDCG@k breaking ties.
 */
export function learnParams(train: readonly Purchase[], k: number, validationDays: number, base: MatchingParams = DEFAULT_PARAMS) {
  const end = train.reduce((m, p) => Math.max(m, p.at), -Infinity);
  const cut = end - validationDays * DAY_MS;
  const inner = train.filter((p) => p.at < cut);
  const known = new Set(inner.map((p) => p.user));
  const rel = new Map<number, Set<number>>();
  for (const p of train) {
    if (p.at < cut || !known.has(p.user)) continue;
    let s = rel.get(p.user);
    if (!s) rel.set(p.user, (s = new Set()));
    s.add(p.item);
  }
  let best: { params: MatchingParams; recall: number; ndcg: number } | null = null;
  for (const repeatHalfLifeDays of REPEAT_HALF_LIVES) {
    for (const trendHalfLifeDays of TREND_HALF_LIVES) {
      const params = { ...base, repeatHalfLifeDays, trendHalfLifeDays };
      const model = buildModel(inner, cut, params);
      const cands = new Map<number, Candidate[]>();
      for (const user of rel.keys()) cands.set(user, candidatesFor(model, user));
      for (const together of WEIGHT_GRID) {
        for (const community of WEIGHT_GRID) {
          for (const popular of WEIGHT_GRID) {
            const weights = { repeat: 1, together, community, popular };
            const m = meanScores(rel, (u) => rankCandidates(cands.get(u)!, k, weights).map((r) => r.item), k);
            if (!best || m.recall > best.recall + 1e-12 || (Math.abs(m.recall - best.recall) <= 1e-12 && m.ndcg > best.ndcg)) {
              best = { params: { ...params, weights }, recall: m.recall, ndcg: m.ndcg };
            }
          }
        }
      }
    }
  }
  return { params: best!.params, validation: { from: new Date(cut).toISOString(), households: rel.size, recall: round(best!.recall), ndcg: round(best!.ndcg) } };
}

export function evaluate(trainRows: readonly TransactionRow[], testRows: readonly TransactionRow[], opts: EvalOptions): EvalReport {
  const k = opts.k;
  const train = toPurchases(trainRows);
  const known = new Set(train.map((p) => p.user));
  const relevant = relevantSets(testRows, known);

  const learned = opts.params ? null : learnParams(train, k, opts.validationDays ?? 14);
  const params = opts.params ?? learned!.params;
  const end = train.reduce((m, p) => Math.max(m, p.at), -Infinity);
  const model = buildModel(train, end, params);

  const linli = score(meanScores(relevant, (u) => rankCandidates(candidatesFor(model, u), k, params.weights).map((r) => r.item), k));
  const popularity = score(meanScores(relevant, popularityBaseline(train, k), k));
  const ownHistory = score(meanScores(relevant, ownHistoryBaseline(train, k), k));
  const bestBaseline = Math.max(popularity.recallAt10, ownHistory.recallAt10);

  const span = (rows: readonly TransactionRow[]) => {
    let from = '9999-99-99';
    let to = '0000-00-00';
    for (const r of rows) {
      if (r.date < from) from = r.date;
      if (r.date > to) to = r.date;
    }
    return { lines: rows.length, households: new Set(rows.map((r) => r.household)).size, from, to };
  };
  return {
    k,
    recallDefinition: `hits in top ${k} / min(${k}, distinct products the household bought in the test period)`,
    ndcgDefinition: `DCG@${k} / IDCG@${k}, binary relevance, gain 1/log2(rank+1), ideal = min(${k}, |relevant|) hits at the top`,
    train: span(trainRows),
    test: span(testRows),
    linli,
    popularity,
    ownHistory,
    relativeLiftOverBestBaseline: bestBaseline > 0 ? round(linli.recallAt10 / bestBaseline - 1) : 0,
    learned: learned
      ? {
          weights: params.weights,
          repeatHalfLifeDays: params.repeatHalfLifeDays,
          trendHalfLifeDays: params.trendHalfLifeDays,
          validation: learned.validation,
        }
      : null,
  };
}

/** Split rows by calendar date: train before `splitDate`, test from it (for `testDays` days if given). */
export function splitByDate(rows: readonly TransactionRow[], splitDate: string, testDays?: number): { train: TransactionRow[]; test: TransactionRow[] } {
  const endDate = testDays ? new Date(Date.parse(`${splitDate}T00:00:00Z`) + testDays * DAY_MS).toISOString().slice(0, 10) : '9999-12-31';
  return {
    train: rows.filter((r) => r.date < splitDate),
    test: rows.filter((r) => r.date >= splitDate && r.date < endDate),
  };
}
