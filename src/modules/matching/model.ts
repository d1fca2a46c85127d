// Matching v1 (货配人), the pure core: build a model from purchase history and score
// candidates for one person. No I/O here — the eval CLI feeds it CSV lines, the service feeds
// it order lines from the database, the bench feeds it synthetic data.
//
// Four signals, each scaled to roughly [0, 1] so one set of blend weights fits all of them:
//   repeat    — the person's own items: recency-decayed purchase count, times how often buyers
//               of that item come back for it (milk yes, a birthday candle no).
//   together  — items other households buy alongside the person's recent items (item-item
//               co-occurrence within a household's history, cosine-normalised).
//   community — what households of the person's community bought recently (decayed share).
//   popular   — what everyone bought recently (decayed share of households).
// The build keeps only bounded lists (own items, neighbours per item, community and global
// top lists), so scoring one person touches a fixed number of candidates whatever the size of
// the catalogue or population: the serving path is O(k) with constants from MatchingParams.

export type Reason = 'repeat' | 'community' | 'together' | 'popular';

/** One purchased line. `basket` groups lines of one order; `at` is epoch milliseconds. */
export interface Purchase {
  user: number;
  item: number;
  basket: number;
  at: number;
  /** The person's community (neighbourhood) when known; the last non-null one wins. */
  community?: number | null;
}

export interface BlendWeights {
  repeat: number;
  together: number;
  community: number;
  popular: number;
}

export interface MatchingParams {
  /** Half-life, in days, of a person's own purchases (repeat signal). */
  repeatHalfLifeDays: number;
  /** Half-life, in days, of the popularity and community signals (seasonal drift). */
  trendHalfLifeDays: number;
  /** Prior for an item's repurchase rate: (rebuyers + a) / (buyers + a + b). */
  rebuyPriorA: number;
  rebuyPriorB: number;
  /** Own items kept per person (most recent / strongest first). */
  maxOwnItems: number;
  /** Own items used as seeds for co-occurrence. */
  maxSeeds: number;
  /** Neighbours kept per item. */
  maxNeighbours: number;
  /** Items kept per community and globally. */
  maxCommunityItems: number;
  maxPopularItems: number;
  /** Co-occurrence only counts pairs bought within this many days of each other. */
  togetherWindowDays: number;
  /** Items with fewer buyers than this get no neighbours (too noisy). */
  minBuyersForNeighbours: number;
  weights: BlendWeights;
}

export const DEFAULT_PARAMS: MatchingParams = {
  repeatHalfLifeDays: 60,
  trendHalfLifeDays: 21,
  rebuyPriorA: 1,
  rebuyPriorB: 4,
  maxOwnItems: 60,
  maxSeeds: 15,
  maxNeighbours: 20,
  maxCommunityItems: 100,
  maxPopularItems: 100,
  togetherWindowDays: 28,
  minBuyersForNeighbours: 2,
  weights: { repeat: 1, together: 0.3, community: 0.3, popular: 0.3 },
};

/** A ranked list kept as two parallel arrays (compact for 100k people). */
export interface Ranked {
  items: Int32Array | number[];
  scores: Float64Array | number[];
}

export interface UserProfile {
  /** Own items, strongest repeat score first, with that score. */
  own: Ranked;
  /** Own items ordered by recency-weighted strength, used as co-occurrence seeds. */
  seeds: Ranked;
  community: number | null;
}

export interface MatchingModel {
  builtAt: number;
  params: MatchingParams;
  users: Map<number, UserProfile>;
  neighbours: Map<number, Ranked>;
  communities: Map<number, Ranked>;
  popular: Ranked;
  stats: { purchases: number; users: number; items: number; communities: number };
}

const DAY_MS = 86_400_000;

function topN(entries: Map<number, number>, n: number): Ranked {
  const sorted = [...entries].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, n);
  return { items: sorted.map((e) => e[0]), scores: sorted.map((e) => e[1]) };
}

/**
 * Build the model from purchases. `now` is the reference time of the decays (the end of the
 * training period, or the rebuild time in the product).
 */
export function buildModel(purchases: readonly Purchase[], now: number, params: MatchingParams = DEFAULT_PARAMS): MatchingModel {
  const repeatRate = Math.LN2 / (params.repeatHalfLifeDays * DAY_MS);
  const trendRate = Math.LN2 / (params.trendHalfLifeDays * DAY_MS);
  const decay = (rate: number, at: number) => Math.exp(-rate * Math.max(0, now - at));

  // Per person: item → { decayed count, distinct baskets, last time }, and their community.
  interface Own {
    strength: number;
    baskets: Set<number>;
    last: number;
  }
  const byUser = new Map<number, { items: Map<number, Own>; community: number | null; lastAt: number }>();
  for (const p of purchases) {
    if (p.at > now) continue;
    let u = byUser.get(p.user);
    if (!u) byUser.set(p.user, (u = { items: new Map(), community: null, lastAt: -Infinity }));
    if (p.community != null && p.at >= u.lastAt) u.community = p.community;
    u.lastAt = Math.max(u.lastAt, p.at);
    let o = u.items.get(p.item);
    if (!o) u.items.set(p.item, (o = { strength: 0, baskets: new Set(), last: -Infinity }));
    if (!o.baskets.has(p.basket)) {
      o.baskets.add(p.basket);
      o.strength += decay(repeatRate, p.at);
    }
    o.last = Math.max(o.last, p.at);
  }

  // Item statistics: buyers, rebuyers (≥ 2 baskets), decayed buyer mass globally and per community.
  const buyers = new Map<number, number>();
  const rebuyers = new Map<number, number>();
  const trend = new Map<number, number>();
  const communityTrend = new Map<number, Map<number, number>>();
  const communitySize = new Map<number, number>();
  for (const u of byUser.values()) {
    if (u.community != null) communitySize.set(u.community, (communitySize.get(u.community) ?? 0) + 1);
    for (const [item, o] of u.items) {
      buyers.set(item, (buyers.get(item) ?? 0) + 1);
      if (o.baskets.size >= 2) rebuyers.set(item, (rebuyers.get(item) ?? 0) + 1);
      // One household counts once per item, weighted by how recently it last bought it.
      const w = decay(trendRate, o.last);
      trend.set(item, (trend.get(item) ?? 0) + w);
      if (u.community != null) {
        let c = communityTrend.get(u.community);
        if (!c) communityTrend.set(u.community, (c = new Map()));
        c.set(item, (c.get(item) ?? 0) + w);
      }
    }
  }
  const rebuyRate = (item: number) =>
    ((rebuyers.get(item) ?? 0) + params.rebuyPriorA) / ((buyers.get(item) ?? 0) + params.rebuyPriorA + params.rebuyPriorB);

  const nUsers = Math.max(1, byUser.size);
  for (const [item, v] of trend) trend.set(item, v / nUsers);
  const popular = topN(trend, params.maxPopularItems);
  const communities = new Map<number, Ranked>();
  for (const [c, m] of communityTrend) {
    const size = Math.max(1, communitySize.get(c) ?? 1);
    for (const [item, v] of m) m.set(item, v / size);
    communities.set(c, topN(m, params.maxCommunityItems));
  }

  // Co-occurrence: pairs of items one household bought within the window of each other.
  // Each household's most recent items only, so one heavy buyer cannot make it quadratic.
  const windowMs = params.togetherWindowDays * DAY_MS;
  const pairCap = 40;
  const co = new Map<number, Map<number, number>>();
  const bump = (a: number, b: number) => {
    let m = co.get(a);
    if (!m) co.set(a, (m = new Map()));
    m.set(b, (m.get(b) ?? 0) + 1);
  };
  for (const u of byUser.values()) {
    const list = [...u.items].map(([item, o]) => ({ item, last: o.last })).sort((a, b) => b.last - a.last).slice(0, pairCap);
    for (let i = 0; i < list.length; i++) {
      const a = list[i]!;
      if ((buyers.get(a.item) ?? 0) < params.minBuyersForNeighbours) continue;
      for (let j = i + 1; j < list.length; j++) {
        const b = list[j]!;
        if (a.last - b.last > windowMs) break;
        if ((buyers.get(b.item) ?? 0) < params.minBuyersForNeighbours) continue;
        bump(a.item, b.item);
        bump(b.item, a.item);
      }
    }
  }
  const neighbours = new Map<number, Ranked>();
  for (const [a, m] of co) {
    const na = buyers.get(a) ?? 1;
    const sims = new Map<number, number>();
    for (const [b, n] of m) sims.set(b, n / Math.sqrt(na * (buyers.get(b) ?? 1)));
    neighbours.set(a, topN(sims, params.maxNeighbours));
  }

  const users = new Map<number, UserProfile>();
  for (const [user, u] of byUser) {
    const own = new Map<number, number>();
    const seeds = new Map<number, number>();
    for (const [item, o] of u.items) {
      own.set(item, rebuyRate(item) * (1 - Math.exp(-o.strength)));
      seeds.set(item, o.strength);
    }
    users.set(user, { own: topN(own, params.maxOwnItems), seeds: topN(seeds, params.maxSeeds), community: u.community });
  }

  return {
    builtAt: now,
    params,
    users,
    neighbours,
    communities,
    popular,
    stats: { purchases: purchases.length, users: byUser.size, items: buyers.size, communities: communities.size },
  };
}

/** The four signals of one candidate for one person. */
export interface Candidate {
  item: number;
  repeat: number;
  together: number;
  community: number;
  popular: number;
}

/**
 * Every candidate for a person with its raw signals: own items, neighbours of their seeds,
 * their community's list, the global list. Bounded by the model's caps.
 */
export function candidatesFor(model: MatchingModel, user: number, communityOverride?: number | null): Candidate[] {
  const byItem = new Map<number, Candidate>();
  const get = (item: number) => {
    let c = byItem.get(item);
    if (!c) byItem.set(item, (c = { item, repeat: 0, together: 0, community: 0, popular: 0 }));
    return c;
  };
  const profile = model.users.get(user);
  if (profile) {
    for (let i = 0; i < profile.own.items.length; i++) get(profile.own.items[i]!).repeat = profile.own.scores[i]!;
    // Weighted mean similarity to the seeds, so a person with many seeds is not favoured.
    let total = 0;
    for (let s = 0; s < profile.seeds.items.length; s++) total += profile.seeds.scores[s]!;
    if (total > 0) {
      for (let s = 0; s < profile.seeds.items.length; s++) {
        const nb = model.neighbours.get(profile.seeds.items[s]!);
        if (!nb) continue;
        const w = profile.seeds.scores[s]! / total;
        for (let i = 0; i < nb.items.length; i++) get(nb.items[i]!).together += w * nb.scores[i]!;
      }
    }
  }
  const community = communityOverride !== undefined ? communityOverride : (profile?.community ?? null);
  const list = community != null ? model.communities.get(community) : undefined;
  if (list) for (let i = 0; i < list.items.length; i++) get(list.items[i]!).community = list.scores[i]!;
  for (let i = 0; i < model.popular.items.length; i++) get(model.popular.items[i]!).popular = model.popular.scores[i]!;
  return [...byItem.values()];
}

export interface Recommendation {
  item: number;
  score: number;
  reason: Reason;
}

/** The strongest weighted signal names the reason shown to the person. */
function reasonOf(c: Candidate, w: BlendWeights): Reason {
  let best: Reason = 'popular';
  let top = w.popular * c.popular;
  if (w.community * c.community > top) (best = 'community'), (top = w.community * c.community);
  if (w.together * c.together > top) (best = 'together'), (top = w.together * c.together);
  if (w.repeat * c.repeat > top) best = 'repeat';
  return best;
}

/** Score candidates with blend weights and keep the top k (partial selection, k is small). */
export function rankCandidates(cands: readonly Candidate[], k: number, w: BlendWeights, exclude?: ReadonlySet<number>): Recommendation[] {
  const out: Recommendation[] = [];
  if (k <= 0) return out;
  for (const c of cands) {
    if (exclude?.has(c.item)) continue;
    const score = w.repeat * c.repeat + w.together * c.together + w.community * c.community + w.popular * c.popular;
    const last = out[out.length - 1];
    const beats = (r: Recommendation) => score > r.score || (score === r.score && c.item < r.item);
    if (out.length === k && last && !beats(last)) continue;
    if (out.length === k) out.pop();
    // Insert in place: k is small, so this beats sorting the whole candidate list.
    let i = out.length;
    while (i > 0 && beats(out[i - 1]!)) i--;
    out.splice(i, 0, { item: c.item, score, reason: reasonOf(c, w) });
  }
  return out;
}

/** Top-k for one person with the model's blend weights. */
export function recommend(model: MatchingModel, user: number, k: number, opts: { community?: number | null; exclude?: ReadonlySet<number> } = {}): Recommendation[] {
  return rankCandidates(candidatesFor(model, user, opts.community), k, model.params.weights, opts.exclude);
}
