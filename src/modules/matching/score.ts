// Scoring one person's candidates: the serving path (`recommend`) and the feature rows the
// blend learns from (`candidatesFor`). Both walk the same bounded candidate lists of model.ts.
//
// The serving path allocates nothing per candidate: features go into one scratch vector, the
// dense per-item marks live in the model's typed arrays, and the best k are kept in a bounded
// min-heap of typed arrays, so a request creates only its k result objects. Allocation per
// candidate used to trigger a young-generation collection every ~100 requests, and with a
// multi-gigabyte heap each one took ~5 ms: that was the p99. Doubles are never passed to or
// returned from a helper (a non-inlined call would box them); they go through the scratch
// arrays below instead.
import { N_FEATURES, type MatchingModel, type OwnItem, type Reason, type UserProfile } from './model';

const DAY_MS = 86_400_000;
const REASONS: readonly Reason[] = ['repeat', 'together', 'community', 'popular'];

/** One candidate: its item, features (FEATURES order) and which source it would be shown as. */
export interface Candidate {
  item: number;
  x: Float64Array;
  reason: Reason;
}

export interface Recommendation {
  item: number;
  score: number;
  reason: Reason;
}

// Per-request values, set once per call (requests run one at a time on the JS thread).
const F_POP_FLOOR = 0;
const F_COMMUNITY_FLOOR = 1;
const F_N = 2;
const F_TENURE_DAYS = 3;
const F_ACTIVITY = 4;
const F_SCORE = 5;
const F = new Float64Array(6);
const call = {
  profile: null as UserProfile | null,
  community: null as { size: number; share: Map<number, number>; top: number[] } | null,
  weights: null as readonly number[] | null,
  exclude: null as ReadonlySet<number> | null,
  collect: null as Candidate[] | null,
  heap: null as TopK | null,
};

/**
 * The best k by score (ties: the smaller item id), as a min-heap whose root is the weakest
 * kept entry. The score of an offer is read from F[F_SCORE] (see the header comment).
 */
export class TopK {
  items: Int32Array;
  scores: Float64Array;
  reasons: Uint8Array;
  size = 0;
  k = 0;
  constructor(capacity: number) {
    this.items = new Int32Array(Math.max(1, capacity));
    this.scores = new Float64Array(Math.max(1, capacity));
    this.reasons = new Uint8Array(Math.max(1, capacity));
  }

  reset(k: number): void {
    if (k > this.items.length) {
      this.items = new Int32Array(k);
      this.scores = new Float64Array(k);
      this.reasons = new Uint8Array(k);
    }
    this.k = k;
    this.size = 0;
  }

  /** Is entry a weaker than entry b? */
  private weaker(a: number, b: number): boolean {
    const sa = this.scores[a]!;
    const sb = this.scores[b]!;
    return sa < sb || (sa === sb && this.items[a]! > this.items[b]!);
  }

  private swap(a: number, b: number): void {
    const i = this.items[a]!;
    this.items[a] = this.items[b]!;
    this.items[b] = i;
    const s = this.scores[a]!;
    this.scores[a] = this.scores[b]!;
    this.scores[b] = s;
    const r = this.reasons[a]!;
    this.reasons[a] = this.reasons[b]!;
    this.reasons[b] = r;
  }

  private down(at: number): void {
    for (;;) {
      const l = 2 * at + 1;
      if (l >= this.size) return;
      const r = l + 1;
      const c = r < this.size && this.weaker(r, l) ? r : l;
      if (!this.weaker(c, at)) return;
      this.swap(c, at);
      at = c;
    }
  }

  offer(item: number, reason: number): void {
    if (this.k <= 0) return;
    const score = F[F_SCORE]!;
    if (this.size < this.k) {
      let at = this.size++;
      this.items[at] = item;
      this.scores[at] = score;
      this.reasons[at] = reason;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!this.weaker(at, parent)) break;
        this.swap(at, parent);
        at = parent;
      }
      return;
    }
    const rootScore = this.scores[0]!;
    if (score < rootScore || (score === rootScore && item > this.items[0]!)) return;
    this.items[0] = item;
    this.scores[0] = score;
    this.reasons[0] = reason;
    this.down(0);
  }

  /** The kept entries, best first; empties the heap. */
  drain(): Recommendation[] {
    const out = new Array<Recommendation>(this.size);
    while (this.size > 0) {
      out[this.size - 1] = { item: this.items[0]!, score: this.scores[0]!, reason: REASONS[this.reasons[0]!]! };
      this.size--;
      if (this.size > 0) {
        this.items[0] = this.items[this.size]!;
        this.scores[0] = this.scores[this.size]!;
        this.reasons[0] = this.reasons[this.size]!;
        this.down(0);
      }
    }
    return out;
  }
}

const logit = (p: number) => Math.log(p / (1 - p));

/** Features of one candidate into the scratch vector, then collect it or offer it to the heap. */
function consider(model: MatchingModel, item: number, own: OwnItem | null): void {
  const sc = model.scratch;
  const idx = model.index.get(item);
  const seenMark = 2 * sc.round + 1;
  if (idx !== undefined && sc.stamp[idx] === seenMark) return;
  // Read the together value before the stamp is overwritten with the seen mark.
  const t = idx !== undefined && sc.stamp[idx] === 2 * sc.round ? sc.together[idx]! : 0;
  if (idx !== undefined) sc.stamp[idx] = seenMark;
  if (call.exclude !== null && call.exclude.has(item)) return;

  const p = model.params;
  const profile = call.profile;
  const community = call.community;
  const s = model.items.get(item);
  const buyers = s ? s.buyers : 0;
  const trend = s ? s.trend : 0;
  const n = F[F_N]!;
  const popFloor = F[F_POP_FLOOR]!;
  const x = sc.x;
  x.fill(0);
  x[0] = 1;
  if (own !== null) {
    const b = own.baskets;
    const h = p.horizonDays;
    const elapsedDays = Math.max(0, model.builtAt - own.last) / DAY_MS;
    x[1] = 1;
    x[2] = Math.log1p(b);
    x[3] = Math.exp((-Math.LN2 * elapsedDays) / p.repeatHalfLifeDays);
    x[4] = logit(((s ? s.rebuyers : 0) + p.rebuyPriorA) / (buyers + p.rebuyPriorA + p.rebuyPriorB));
    x[11] = Math.log(b / Math.max(1, profile !== null ? profile.baskets : 1));
    // Purchase cycle. The rate: baskets with the item over the person's tenure (at least one
    // horizon long); as a Poisson process, the chance of at least one purchase in the horizon.
    const rate = b / (F[F_TENURE_DAYS]! + h);
    x[12] = Math.log(Math.max(1e-4, -Math.expm1(-h * rate)));
    // When the next purchase is due: the person's own mean gap for the item, shrunk towards the
    // item's typical gap among its rebuyers (two gaps' worth of prior) — one purchase says
    // nothing about a cycle, the item's rebuyers do. Closeness of the horizon's middle to it.
    const itemCycle = s && s.rebuyers > 0 ? s.gapDays / s.rebuyers : model.meanCycleDays;
    const cycle = Math.max(1, ((own.last - own.first) / DAY_MS + 2 * itemCycle) / (b - 1 + 2));
    x[13] = Math.max(-3, -Math.abs(Math.log((elapsedDays + h / 2) / cycle)));
    x[15] = F[F_ACTIVITY]!;
  }
  x[5] = Math.log(popFloor + buyers / n);
  x[6] = Math.log(popFloor + trend / n);
  const cShare = community !== null ? (community.share.get(item) ?? 0) : 0;
  x[7] = Math.log(F[F_COMMUNITY_FLOOR]! + cShare);
  x[8] = Math.log(1e-3 + t);
  const cat = s ? s.category : null;
  const ci = cat !== null && profile !== null ? profile.categories.items.indexOf(cat) : -1;
  x[9] = Math.log(0.02 + (ci >= 0 ? profile!.categories.scores[ci]! : 0));
  const cstats = cat !== null ? model.categories.get(cat) : undefined;
  x[10] = Math.log(0.01 + (cstats !== undefined && cstats.buyers > 0 ? buyers / cstats.buyers : 0));
  x[14] = Math.log(popFloor + (s ? s.recent : 0) / n);
  // The Gamma–Poisson posterior mean rate per basket (model.ts, fitRatePriors).
  if (s && s.rateMean > 0) {
    const a = s.rateShape;
    x[16] = Math.log((a + (own !== null ? own.baskets : 0)) / (a / s.rateMean + (profile !== null ? profile.baskets : 0)));
  } else x[16] = Math.log(popFloor);
  // The reason shown: own history first; otherwise the source that lifts it most above plain
  // popularity. Codes index REASONS.
  const reason = own !== null ? 0 : t > 0.05 ? 1 : cShare > 2 * (trend / n) ? 2 : 3;
  if (call.collect !== null) {
    call.collect.push({ item, x: Float64Array.from(x), reason: REASONS[reason]! });
    return;
  }
  const w = call.weights!;
  let z = 0;
  for (let j = 0; j < N_FEATURES; j++) z += w[j]! * x[j]!;
  F[F_SCORE] = z;
  call.heap!.offer(item, reason);
}

/**
 * Walk every candidate for a person: own items, neighbours of their seeds, their strongest
 * categories' top items, their community's list, the global list. Bounded by the model's caps.
 */
function scan(model: MatchingModel, user: number, communityOverride: number | null | undefined): void {
  const profile = model.users.get(user) ?? null;
  const communityId = communityOverride !== undefined ? communityOverride : profile !== null ? profile.community : null;
  const community = communityId != null ? (model.communities.get(communityId) ?? null) : null;
  const n = Math.max(1, model.households);
  call.profile = profile;
  call.community = community;
  F[F_N] = n;
  // Floors for the logs: a little under one household's worth of share.
  F[F_POP_FLOOR] = 0.5 / n;
  F[F_COMMUNITY_FLOOR] = community !== null ? 0.5 / Math.max(community.size, 1) : 0.5;
  const tenureDays = profile !== null ? Math.max(0, model.builtAt - profile.since) / DAY_MS : 0;
  F[F_TENURE_DAYS] = tenureDays;
  F[F_ACTIVITY] = profile !== null ? Math.log((7 * profile.baskets) / (tenureDays + model.params.horizonDays)) : 0;

  // Dense per-item marks, stamped per call: stamp[i] is 2·round once item i has a together
  // value this call, 2·round+1 once it has been considered.
  const sc = model.scratch;
  sc.round += 1;
  if (sc.round > 1e9) {
    sc.round = 1;
    sc.stamp.fill(0);
  }
  const togetherMark = 2 * sc.round;
  let touched = 0;
  if (profile !== null) {
    let total = 0;
    const seeds = profile.seeds;
    for (let s = 0; s < seeds.scores.length; s++) total += seeds.scores[s]!;
    for (let s = 0; total > 0 && s < seeds.items.length; s++) {
      const nb = model.neighbours.get(seeds.items[s]!);
      if (nb === undefined) continue;
      // A weighted mean over seeds, so a person with many seeds is not favoured.
      const w = seeds.scores[s]! / total;
      for (let k = 0; k < nb.items.length; k++) {
        const i = model.index.get(nb.items[k]!)!;
        if (sc.stamp[i] !== togetherMark) {
          sc.stamp[i] = togetherMark;
          sc.together[i] = 0;
          if (touched < sc.touched.length) sc.touched[touched++] = nb.items[k]!;
        }
        sc.together[i]! += w * nb.scores[k]!;
      }
    }
    for (let i = 0; i < profile.own.length; i++) consider(model, profile.own[i]!.item, profile.own[i]!);
  }
  for (let i = 0; i < touched; i++) consider(model, sc.touched[i]!, null);
  if (profile !== null) {
    const cats = profile.categories.items;
    for (let c = 0; c < cats.length; c++) {
      const top = model.categories.get(cats[c]!)?.top;
      if (top !== undefined) for (let i = 0; i < top.length; i++) consider(model, top[i]!, null);
    }
  }
  if (community !== null) for (let i = 0; i < community.top.length; i++) consider(model, community.top[i]!, null);
  for (let i = 0; i < model.popular.length; i++) consider(model, model.popular[i]!, null);
  call.profile = null;
  call.community = null;
  call.exclude = null;
  call.collect = null;
  call.heap = null;
  call.weights = null;
}

/** Every candidate with its own copy of the features (for learning the blend). */
export function candidatesFor(model: MatchingModel, user: number, communityOverride?: number | null): Candidate[] {
  const out: Candidate[] = [];
  call.collect = out;
  scan(model, user, communityOverride);
  return out;
}

/** Blend score of one candidate, w·x: higher ranks first (a logit under the logistic fit). */
export function scoreOf(x: Float64Array, w: readonly number[]): number {
  let s = 0;
  for (let j = 0; j < N_FEATURES; j++) s += w[j]! * x[j]!;
  return s;
}

/** Score collected candidates and keep the top k (offline evaluation). */
export function rankCandidates(cands: readonly Candidate[], k: number, w: readonly number[], exclude?: ReadonlySet<number>): Recommendation[] {
  const top = new TopK(k);
  top.reset(k);
  for (const c of cands) {
    if (exclude?.has(c.item)) continue;
    F[F_SCORE] = scoreOf(c.x, w);
    top.offer(c.item, REASONS.indexOf(c.reason));
  }
  return top.drain();
}

const servingHeaps = new WeakMap<MatchingModel, TopK>();

/** Top-k for one person with the model's blend weights: the serving path. */
export function recommend(
  model: MatchingModel,
  user: number,
  k: number,
  opts: { community?: number | null; exclude?: ReadonlySet<number> } = {},
): Recommendation[] {
  if (k <= 0) return [];
  let heap = servingHeaps.get(model);
  if (heap === undefined) servingHeaps.set(model, (heap = new TopK(64)));
  heap.reset(k);
  call.heap = heap;
  call.weights = model.params.weights;
  call.exclude = opts.exclude ?? null;
  scan(model, user, opts.community);
  return heap.drain();
}
