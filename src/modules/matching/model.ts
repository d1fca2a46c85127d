// Matching v1 (货配人), the pure core: build a model from purchase history and score
// candidates for one person. No I/O here — the eval CLI feeds it CSV lines, the service feeds
// it order lines from the database, the bench feeds it synthetic data.
//
// Candidates come from four sources, each bounded:
//   repeat    — the person's own items (recency/frequency decayed), with how often buyers of
//               that item come back for it (milk yes, a birthday candle no);
//   together  — items other households buy alongside the person's recent items (item-item
//               co-occurrence within a household's history, cosine-normalised);
//   community — what households of the person's community bought recently;
//   popular   — what everyone bought recently, and over the whole window.
// Each candidate gets a small feature vector (FEATURES) and the blend is a logistic model over
// it: weights learned on a validation split (see blend.ts), or DEFAULT_WEIGHTS. Because every
// list is capped, scoring one person touches a fixed number of candidates whatever the size of
// the catalogue or population: the serving path is O(k) with constants from MatchingParams.

export type Reason = 'repeat' | 'community' | 'together' | 'popular';

/** One purchased line. `basket` groups lines of one order; `at` is epoch milliseconds. */
export interface Purchase {
  user: number;
  item: number;
  basket: number;
  at: number;
  /** The person's community (neighbourhood) when known; the most recent non-null one wins. */
  community?: number | null;
  /** The item's category (kind of goods: milk, eggs, …) when known. */
  category?: number | null;
}

/** The features of one (person, item) pair, in this order. Index 0 is the intercept. */
export const FEATURES = [
  'bias',
  'own', // 1 when the person bought the item before
  'ownBaskets', // log(1 + distinct baskets with it)
  'ownRecency', // exp(-days since last bought / repeat half-life · ln2)
  'ownRebuy', // own · logit(smoothed share of the item's buyers who bought it again)
  'popAll', // log(share of households that bought it in the window)
  'popRecent', // log(recency-decayed share: the trend)
  'community', // log(decayed share of the person's community that bought it)
  'together', // log(weighted mean co-occurrence similarity to the person's recent items)
  'categoryAffinity', // log(share of the person's baskets holding this kind of goods)
  'categoryShare', // log(share of the category's buyers who buy this item)
  'ownShare', // own · log(share of the person's baskets holding this item)
] as const;
export const N_FEATURES = FEATURES.length;

export interface MatchingParams {
  /** Half-life, in days, of the recency of a person's own purchase. */
  repeatHalfLifeDays: number;
  /** Half-life, in days, of the trend and community signals (seasonal drift). */
  trendHalfLifeDays: number;
  /** Prior for an item's repurchase rate: (rebuyers + a) / (buyers + a + b). */
  rebuyPriorA: number;
  rebuyPriorB: number;
  /** Own items kept per person (strongest first). */
  maxOwnItems: number;
  /** Own items used as seeds for co-occurrence. */
  maxSeeds: number;
  /** Neighbours kept per item. */
  maxNeighbours: number;
  /** Items kept per community and globally. */
  maxCommunityItems: number;
  maxPopularItems: number;
  /** Co-occurrence counts pairs a household bought within this many days of each other. */
  togetherWindowDays: number;
  /** Most recent distinct items per household that enter the pair count. */
  pairItemsPerUser: number;
  /** Items with fewer buyers than this get no neighbours (too noisy). */
  minBuyersForNeighbours: number;
  /** A person's strongest categories kept, and top items per category offered from each. */
  maxCategories: number;
  itemsPerCategory: number;
  /** Logistic blend weights, one per FEATURES entry. */
  weights: readonly number[];
}

/**
 * Learned on the Complete Journey sample with a validation split inside the training period
 * before 2017-12-04 (`linli matching eval … --json` prints `learned.weights`); used by the
 * product until enough of its own history exists to learn from.
 */
export const DEFAULT_WEIGHTS: readonly number[] = [-3.0024, 0.1796, 1.1128, 1.416, 0.2136, 0.4373, 0.2086, -0.0255, -0.0998, 0.2586, 0.013, -0.2604];

export const DEFAULT_PARAMS: MatchingParams = {
  repeatHalfLifeDays: 60,
  trendHalfLifeDays: 14,
  rebuyPriorA: 1,
  rebuyPriorB: 4,
  maxOwnItems: 60,
  maxSeeds: 15,
  maxNeighbours: 20,
  maxCommunityItems: 100,
  maxPopularItems: 100,
  togetherWindowDays: 28,
  pairItemsPerUser: 40,
  minBuyersForNeighbours: 2,
  maxCategories: 8,
  itemsPerCategory: 8,
  weights: DEFAULT_WEIGHTS,
};

/** A ranked list kept as two parallel arrays (compact for 100k people). */
export interface Ranked {
  items: number[];
  scores: number[];
}

export interface OwnItem {
  item: number;
  baskets: number;
  /** Epoch ms of the last purchase. */
  last: number;
}

export interface UserProfile {
  /** Own items, strongest first (recency-decayed basket count). */
  own: OwnItem[];
  /** The strongest own items with their weight, the co-occurrence seeds. */
  seeds: Ranked;
  community: number | null;
  /** The person's strongest categories with the share of their baskets holding each. */
  categories: Ranked;
  /** Distinct baskets the person has in the window. */
  baskets: number;
}

/** Per-item statistics over the whole model window. */
export interface ItemStats {
  buyers: number;
  rebuyers: number;
  /** Recency-decayed count of households. */
  trend: number;
  category: number | null;
}

export interface MatchingModel {
  builtAt: number;
  params: MatchingParams;
  households: number;
  users: Map<number, UserProfile>;
  items: Map<number, ItemStats>;
  neighbours: Map<number, Ranked>;
  /** Per community: its size and decayed buyer mass of its top items. */
  communities: Map<number, { size: number; share: Map<number, number>; top: number[] }>;
  /** Global candidates: top by trend, then top by all-time buyers, deduplicated. */
  popular: number[];
  /** Per category: households that bought in it, and its top items by trend. */
  categories: Map<number, { buyers: number; top: number[] }>;
  stats: { purchases: number; users: number; items: number; communities: number };
  /** Request scratch, reused so serving allocates almost nothing (see visitCandidates). */
  scratch: { index: Map<number, number>; stamp: Int32Array; together: Float64Array; touched: Int32Array; round: number };
}

const DAY_MS = 86_400_000;

function topN(entries: Map<number, number>, n: number): Ranked {
  const sorted = [...entries].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, n);
  return { items: sorted.map((e) => e[0]), scores: sorted.map((e) => e[1]) };
}

/**
 * Build the model from purchases. `now` is the reference time of the decays (the end of the
 * training period, or the rebuild time in the product); later purchases are ignored.
 */
export function buildModel(purchases: readonly Purchase[], now: number, params: MatchingParams = DEFAULT_PARAMS): MatchingModel {
  const repeatRate = Math.LN2 / (params.repeatHalfLifeDays * DAY_MS);
  const trendRate = Math.LN2 / (params.trendHalfLifeDays * DAY_MS);
  const decay = (rate: number, at: number) => Math.exp(-rate * Math.max(0, now - at));

  interface Own {
    baskets: Set<number>;
    strength: number;
    last: number;
  }
  const byUser = new Map<number, { items: Map<number, Own>; community: number | null; lastAt: number; baskets: Set<number>; cats: Map<number, Set<number>> }>();
  const itemCategory = new Map<number, number>();
  for (const p of purchases) {
    if (p.at > now) continue;
    let u = byUser.get(p.user);
    if (!u) byUser.set(p.user, (u = { items: new Map(), community: null, lastAt: -Infinity, baskets: new Set(), cats: new Map() }));
    if (p.community != null && p.at >= u.lastAt) u.community = p.community;
    u.baskets.add(p.basket);
    if (p.category != null) {
      itemCategory.set(p.item, p.category);
      let cb = u.cats.get(p.category);
      if (!cb) u.cats.set(p.category, (cb = new Set()));
      cb.add(p.basket);
    }
    if (p.at > u.lastAt) u.lastAt = p.at;
    let o = u.items.get(p.item);
    if (!o) u.items.set(p.item, (o = { baskets: new Set(), strength: 0, last: -Infinity }));
    if (!o.baskets.has(p.basket)) {
      o.baskets.add(p.basket);
      o.strength += decay(repeatRate, p.at);
    }
    if (p.at > o.last) o.last = p.at;
  }

  const items = new Map<number, ItemStats>();
  const communities = new Map<number, { size: number; share: Map<number, number>; top: number[] }>();
  for (const u of byUser.values()) {
    let c = u.community != null ? communities.get(u.community) : undefined;
    if (u.community != null && !c) communities.set(u.community, (c = { size: 0, share: new Map(), top: [] }));
    if (c) c.size++;
    for (const [item, o] of u.items) {
      let s = items.get(item);
      if (!s) items.set(item, (s = { buyers: 0, rebuyers: 0, trend: 0, category: itemCategory.get(item) ?? null }));
      s.buyers++;
      if (o.baskets.size >= 2) s.rebuyers++;
      // A household counts once per item, weighted by how recently it last bought it.
      const w = decay(trendRate, o.last);
      s.trend += w;
      if (c) c.share.set(item, (c.share.get(item) ?? 0) + w);
    }
  }
  for (const c of communities.values()) {
    const ranked = topN(c.share, params.maxCommunityItems);
    // Keep only the top list's shares: the rest of the map would cost O(community × items).
    c.share = new Map(ranked.items.map((item, i) => [item, ranked.scores[i]! / c.size]));
    c.top = ranked.items;
  }
  const trendTop = topN(new Map([...items].map(([i, s]) => [i, s.trend])), params.maxPopularItems).items;
  const allTop = topN(new Map([...items].map(([i, s]) => [i, s.buyers])), Math.ceil(params.maxPopularItems / 2)).items;
  const popular = [...new Set([...trendTop, ...allTop])];

  const categoryBuyers = new Map<number, number>();
  for (const u of byUser.values()) for (const c of u.cats.keys()) categoryBuyers.set(c, (categoryBuyers.get(c) ?? 0) + 1);
  const categoryTrend = new Map<number, Map<number, number>>();
  for (const [item, s] of items) {
    if (s.category == null) continue;
    let m = categoryTrend.get(s.category);
    if (!m) categoryTrend.set(s.category, (m = new Map()));
    m.set(item, s.trend);
  }
  const categories = new Map<number, { buyers: number; top: number[] }>();
  for (const [c, m] of categoryTrend) categories.set(c, { buyers: categoryBuyers.get(c) ?? 0, top: topN(m, params.itemsPerCategory).items });

  // Co-occurrence: pairs of items one household bought within the window of each other, over
  // each household's most recent items only, so one heavy buyer cannot make it quadratic.
  const windowMs = params.togetherWindowDays * DAY_MS;
  const co = new Map<number, Map<number, number>>();
  const bump = (a: number, b: number) => {
    let m = co.get(a);
    if (!m) co.set(a, (m = new Map()));
    m.set(b, (m.get(b) ?? 0) + 1);
  };
  const eligible = (item: number) => items.get(item)!.buyers >= params.minBuyersForNeighbours;
  for (const u of byUser.values()) {
    const list: Array<{ item: number; last: number }> = [];
    for (const [item, o] of u.items) if (eligible(item)) list.push({ item, last: o.last });
    list.sort((a, b) => b.last - a.last);
    list.length = Math.min(list.length, params.pairItemsPerUser);
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        if (list[i]!.last - list[j]!.last > windowMs) break;
        bump(list[i]!.item, list[j]!.item);
        bump(list[j]!.item, list[i]!.item);
      }
    }
  }
  const neighbours = new Map<number, Ranked>();
  for (const [a, m] of co) {
    const na = items.get(a)!.buyers;
    for (const [b, n] of m) m.set(b, n / Math.sqrt(na * items.get(b)!.buyers));
    neighbours.set(a, topN(m, params.maxNeighbours));
  }

  const users = new Map<number, UserProfile>();
  for (const [user, u] of byUser) {
    const own = [...u.items]
      .sort((a, b) => b[1].strength - a[1].strength || b[1].last - a[1].last || a[0] - b[0])
      .slice(0, params.maxOwnItems);
    const seeds = own.slice(0, params.maxSeeds);
    users.set(user, {
      own: own.map(([item, o]) => ({ item, baskets: o.baskets.size, last: o.last })),
      seeds: { items: seeds.map((e) => e[0]), scores: seeds.map((e) => e[1].strength) },
      community: u.community,
      categories: topN(new Map([...u.cats].map(([c, b]) => [c, b.size / u.baskets.size])), params.maxCategories),
      baskets: u.baskets.size,
    });
  }

  return {
    builtAt: now,
    params,
    households: byUser.size,
    users,
    items,
    neighbours,
    communities,
    popular,
    categories,
    scratch: {
      index: new Map([...items.keys()].map((item, i) => [item, i])),
      stamp: new Int32Array(items.size),
      together: new Float64Array(items.size),
      touched: new Int32Array(Math.max(1, params.maxSeeds * params.maxNeighbours)),
      round: 0,
    },
    stats: { purchases: purchases.length, users: byUser.size, items: items.size, communities: communities.size },
  };
}

/** One candidate: its item, features (FEATURES order) and which source it would be shown as. */
export interface Candidate {
  item: number;
  x: Float64Array;
  reason: Reason;
}

const logit = (p: number) => Math.log(p / (1 - p));

/**
 * Every candidate for a person with its features: own items, neighbours of their seeds, their
 * community's list, the global list. Bounded by the model's caps.
 */
export function visitCandidates(
  model: MatchingModel,
  user: number,
  communityOverride: number | null | undefined,
  visit: (item: number, x: Float64Array, reason: Reason) => void,
): void {
  const p = model.params;
  const profile = model.users.get(user);
  const communityId = communityOverride !== undefined ? communityOverride : (profile?.community ?? null);
  const community = communityId != null ? model.communities.get(communityId) : undefined;
  const n = Math.max(1, model.households);
  // Floors for the logs: a little under one household's worth of share.
  const popFloor = 0.5 / n;
  const communityFloor = community ? 0.5 / Math.max(community.size, 1) : 0.5;
  const togetherFloor = 1e-3;

  // Dense per-item scratch, stamped per call: stamp[i] is 2·round once item i has a together
  // value this call, 2·round+1 once it has been visited.
  const sc = model.scratch;
  sc.round += 1;
  if (sc.round > 1e9) {
    sc.round = 1;
    sc.stamp.fill(0);
  }
  const togetherMark = 2 * sc.round;
  const seenMark = 2 * sc.round + 1;
  let touched = 0;
  if (profile) {
    let total = 0;
    for (const s of profile.seeds.scores) total += s;
    for (let s = 0; total > 0 && s < profile.seeds.items.length; s++) {
      const nb = model.neighbours.get(profile.seeds.items[s]!);
      if (!nb) continue;
      // A weighted mean over seeds, so a person with many seeds is not favoured.
      const w = profile.seeds.scores[s]! / total;
      for (let k = 0; k < nb.items.length; k++) {
        const i = sc.index.get(nb.items[k]!)!;
        if (sc.stamp[i] !== togetherMark) {
          sc.stamp[i] = togetherMark;
          sc.together[i] = 0;
          if (touched < sc.touched.length) sc.touched[touched++] = nb.items[k]!;
        }
        sc.together[i]! += w * nb.scores[k]!;
      }
    }
  }

  // One scratch vector per call: the serving path allocates nothing per candidate.
  const x = new Float64Array(N_FEATURES);
  const add = (item: number, own: OwnItem | null) => {
    const idx = sc.index.get(item);
    if (idx !== undefined && sc.stamp[idx] === seenMark) return;
    // Read the together value before the stamp is overwritten with the seen mark.
    const t = idx !== undefined && sc.stamp[idx] === togetherMark ? sc.together[idx]! : 0;
    if (idx !== undefined) sc.stamp[idx] = seenMark;
    const s = model.items.get(item);
    x.fill(0);
    x[0] = 1;
    if (own) {
      x[1] = 1;
      x[2] = Math.log1p(own.baskets);
      x[3] = Math.exp((-Math.LN2 * Math.max(0, model.builtAt - own.last)) / (p.repeatHalfLifeDays * DAY_MS));
      const rebuy = ((s?.rebuyers ?? 0) + p.rebuyPriorA) / ((s?.buyers ?? 0) + p.rebuyPriorA + p.rebuyPriorB);
      x[4] = logit(rebuy);
      x[11] = Math.log(own.baskets / Math.max(1, profile?.baskets ?? 1));
    }
    x[5] = Math.log(popFloor + (s?.buyers ?? 0) / n);
    x[6] = Math.log(popFloor + (s?.trend ?? 0) / n);
    const cShare = community?.share.get(item) ?? 0;
    x[7] = Math.log(communityFloor + cShare);
    x[8] = Math.log(togetherFloor + t);
    const cat = s?.category ?? null;
    const ci = cat != null && profile ? profile.categories.items.indexOf(cat) : -1;
    x[9] = Math.log(0.02 + (ci >= 0 ? profile!.categories.scores[ci]! : 0));
    const cb = cat != null ? (model.categories.get(cat)?.buyers ?? 0) : 0;
    x[10] = Math.log(0.01 + (cb > 0 ? (s?.buyers ?? 0) / cb : 0));
    // The reason shown: own history first; otherwise the source that lifts it most above
    // plain popularity.
    const reason: Reason = own ? 'repeat' : t > 0.05 ? 'together' : cShare > 2 * ((s?.trend ?? 0) / n) ? 'community' : 'popular';
    visit(item, x, reason);
  };
  if (profile) for (const o of profile.own) add(o.item, o);
  for (let i = 0; i < touched; i++) add(sc.touched[i]!, null);
  if (profile) {
    for (const cat of profile.categories.items) for (const item of model.categories.get(cat)?.top ?? []) add(item, null);
  }
  if (community) for (const item of community.top) add(item, null);
  for (const item of model.popular) add(item, null);
}

/** Every candidate with its own copy of the features (for learning the blend). */
export function candidatesFor(model: MatchingModel, user: number, communityOverride?: number | null): Candidate[] {
  const out: Candidate[] = [];
  visitCandidates(model, user, communityOverride, (item, x, reason) => out.push({ item, x: Float64Array.from(x), reason }));
  return out;
}

export interface Recommendation {
  item: number;
  score: number;
  reason: Reason;
}

/** Blend score of one candidate: the logit of its probability of being bought. */
export function scoreOf(x: Float64Array, w: readonly number[]): number {
  let s = 0;
  for (let j = 0; j < N_FEATURES; j++) s += w[j]! * x[j]!;
  return s;
}

/** A short sorted top-k list (insertion; k is small next to the candidate count). */
class TopK {
  readonly out: Recommendation[] = [];
  constructor(private readonly k: number) {}
  offer(item: number, score: number, reason: Reason): void {
    const out = this.out;
    if (this.k <= 0) return;
    const beats = (r: Recommendation) => score > r.score || (score === r.score && item < r.item);
    const last = out[out.length - 1];
    if (out.length === this.k && last && !beats(last)) return;
    if (out.length === this.k) out.pop();
    let i = out.length;
    while (i > 0 && beats(out[i - 1]!)) i--;
    out.splice(i, 0, { item, score, reason });
  }
}

/** Score candidates and keep the top k. */
export function rankCandidates(cands: readonly Candidate[], k: number, w: readonly number[], exclude?: ReadonlySet<number>): Recommendation[] {
  const top = new TopK(k);
  for (const c of cands) if (!exclude?.has(c.item)) top.offer(c.item, scoreOf(c.x, w), c.reason);
  return top.out;
}

/** Top-k for one person with the model's blend weights: the serving path. */
export function recommend(
  model: MatchingModel,
  user: number,
  k: number,
  opts: { community?: number | null; exclude?: ReadonlySet<number> } = {},
): Recommendation[] {
  const top = new TopK(k);
  const w = model.params.weights;
  visitCandidates(model, user, opts.community, (item, x, reason) => {
    if (!opts.exclude?.has(item)) top.offer(item, scoreOf(x, w), reason);
  });
  return top.out;
}
