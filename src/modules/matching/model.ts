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
// Each candidate gets a small feature vector (FEATURES) — including purchase-cycle features for
// the person's own items — and the blend is linear over it: weights learned on validation
// windows (see blend.ts, evaluate.ts), or DEFAULT_WEIGHTS. Because every list is capped, scoring
// one person (score.ts) touches a fixed number of candidates whatever the size of the catalogue
// or population, with constants from MatchingParams.

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
  'ownRate', // own · log P(a Poisson buyer at the person's rate for it buys it within the horizon)
  'ownDue', // own · closeness (log ratio, capped) of the horizon's middle to the next expected purchase
  'popWindow', // log(share of households that bought it in the last horizon of the window)
  'ownActivity', // own · log(the person's baskets per week): busy shoppers repeat more
  'rate', // log posterior basket rate of the item for the person (Gamma–Poisson, see below)
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
  /** Days ahead the list is for (the eval's test window); the purchase-cycle features use it. */
  horizonDays: number;
  /**
   * The trend of the Gamma–Poisson prior: an item's mean rate is multiplied by
   * ((its baskets in the last `rateTrendDays` + 1) / (the baskets expected there at its mean rate + 1))
   * raised to `rateTrendPower` (0 switches the trend off).
   */
  rateTrendDays: number;
  rateTrendPower: number;
  /**
   * Below this many households the spread of rates cannot be measured (two households that buy
   * alike look like "everyone buys it the same"), so every item gets a marked spread (shape 0.5)
   * instead, which lets each person's own purchases lead — what a new shop expects.
   */
  minHouseholdsForShapes: number;
  /** Logistic blend weights, one per FEATURES entry. */
  weights: readonly number[];
}

/**
 * The method ranks by the Gamma–Poisson posterior rate alone (feature `rate`). A blend of all
 * features learned on validation windows (`linli matching eval --learn-blend`) ranked worse on
 * every split of the Complete Journey sample tried (docs/matching.md): with ~30 thinned lines
 * per household a year, sixteen weights overfit where one well-founded estimate does not.
 * The other features stay: they explain a recommendation (`reason`) and feed the ablation.
 */
export const DEFAULT_WEIGHTS: readonly number[] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

export const DEFAULT_PARAMS: MatchingParams = {
  // The half-lives those weights were learned with.
  repeatHalfLifeDays: 90,
  trendHalfLifeDays: 7,
  rebuyPriorA: 1,
  rebuyPriorB: 4,
  maxOwnItems: 200,
  maxSeeds: 15,
  maxNeighbours: 20,
  maxCommunityItems: 100,
  maxPopularItems: 100,
  togetherWindowDays: 28,
  pairItemsPerUser: 40,
  minBuyersForNeighbours: 2,
  maxCategories: 8,
  itemsPerCategory: 8,
  horizonDays: 14,
  rateTrendDays: 14,
  rateTrendPower: 0.5,
  minHouseholdsForShapes: 30,
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
  /** Epoch ms of the first and the last purchase. */
  first: number;
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
  /** Epoch ms of the person's first purchase in the window (their tenure starts there). */
  since: number;
}

/** Per-item statistics over the whole model window. */
export interface ItemStats {
  buyers: number;
  rebuyers: number;
  /** Households that bought it in the last `horizonDays` of the window. */
  recent: number;
  /** Sum over rebuyers of their mean days between baskets with it (÷ rebuyers: its cycle). */
  gapDays: number;
  /** Recency-decayed count of households. */
  trend: number;
  category: number | null;
  /**
   * Gamma–Poisson prior of a household's rate for the item, per basket: shape `rateShape` and
   * mean `rateMean` (trend applied). Low shape = bought a lot by a few (cat food), high shape =
   * a little by everyone (bananas).
   */
  rateShape: number;
  rateMean: number;
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
  /** Mean days between a rebuyer's baskets with the same item, over all items (the prior cycle). */
  meanCycleDays: number;
  /** Item id → dense index into the scratch arrays. */
  index: Map<number, number>;
  /** Request scratch, reused so serving allocates nothing per candidate (see score.ts). */
  scratch: Scratch;
}

/** Per-request working memory, sized at build time and reused by every request. */
export interface Scratch {
  stamp: Int32Array;
  together: Float64Array;
  touched: Int32Array;
  round: number;
  x: Float64Array;
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
    first: number;
    last: number;
  }
  const byUser = new Map<number, { items: Map<number, Own>; community: number | null; firstAt: number; lastAt: number; baskets: Set<number>; cats: Map<number, Set<number>> }>();
  const itemCategory = new Map<number, number>();
  for (const p of purchases) {
    if (p.at > now) continue;
    let u = byUser.get(p.user);
    if (!u) byUser.set(p.user, (u = { items: new Map(), community: null, firstAt: Infinity, lastAt: -Infinity, baskets: new Set(), cats: new Map() }));
    if (p.community != null && p.at >= u.lastAt) u.community = p.community;
    u.baskets.add(p.basket);
    if (p.category != null) {
      itemCategory.set(p.item, p.category);
      let cb = u.cats.get(p.category);
      if (!cb) u.cats.set(p.category, (cb = new Set()));
      cb.add(p.basket);
    }
    if (p.at > u.lastAt) u.lastAt = p.at;
    if (p.at < u.firstAt) u.firstAt = p.at;
    let o = u.items.get(p.item);
    if (!o) u.items.set(p.item, (o = { baskets: new Set(), strength: 0, first: Infinity, last: -Infinity }));
    if (!o.baskets.has(p.basket)) {
      o.baskets.add(p.basket);
      o.strength += decay(repeatRate, p.at);
    }
    if (p.at > o.last) o.last = p.at;
    if (p.at < o.first) o.first = p.at;
  }
  const horizonStart = now - params.horizonDays * DAY_MS;
  let gapSum = 0;
  let gapCount = 0;

  const items = new Map<number, ItemStats>();
  const communities = new Map<number, { size: number; share: Map<number, number>; top: number[] }>();
  for (const u of byUser.values()) {
    let c = u.community != null ? communities.get(u.community) : undefined;
    if (u.community != null && !c) communities.set(u.community, (c = { size: 0, share: new Map(), top: [] }));
    if (c) c.size++;
    for (const [item, o] of u.items) {
      let s = items.get(item);
      if (!s) items.set(item, (s = { buyers: 0, rebuyers: 0, recent: 0, gapDays: 0, trend: 0, category: itemCategory.get(item) ?? null, rateShape: 1, rateMean: 0 }));
      s.buyers++;
      if (o.last >= horizonStart) s.recent++;
      if (o.baskets.size >= 2) {
        s.rebuyers++;
        const gap = (o.last - o.first) / DAY_MS / (o.baskets.size - 1);
        s.gapDays += gap;
        gapSum += gap;
        gapCount++;
      }
      // A household counts once per item, weighted by how recently it last bought it.
      const w = decay(trendRate, o.last);
      s.trend += w;
      if (c) c.share.set(item, (c.share.get(item) ?? 0) + w);
    }
  }
  fitRatePriors(byUser, items, purchases, now, params);
  for (const c of communities.values()) {
    const ranked = topN(c.share, params.maxCommunityItems);
    // Keep only the top list's shares: the rest of the map would cost O(community × items).
    c.share = new Map(ranked.items.map((item, i) => [item, ranked.scores[i]! / c.size]));
    c.top = ranked.items;
  }
  const trendTop = topN(new Map([...items].map(([i, s]) => [i, s.trend])), params.maxPopularItems).items;
  const allTop = topN(new Map([...items].map(([i, s]) => [i, s.buyers])), Math.ceil(params.maxPopularItems / 2)).items;
  const rateTop = topN(new Map([...items].map(([i, s]) => [i, s.rateMean])), params.maxPopularItems).items;
  const popular = [...new Set([...trendTop, ...allTop, ...rateTop])];

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
      own: own.map(([item, o]) => ({ item, baskets: o.baskets.size, first: o.first, last: o.last })),
      seeds: { items: seeds.map((e) => e[0]), scores: seeds.map((e) => e[1].strength) },
      community: u.community,
      categories: topN(new Map([...u.cats].map(([c, b]) => [c, b.size / u.baskets.size])), params.maxCategories),
      baskets: u.baskets.size,
      since: u.firstAt,
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
    meanCycleDays: gapCount > 0 ? gapSum / gapCount : 30,
    index: new Map([...items.keys()].map((item, i) => [item, i])),
    scratch: {
      stamp: new Int32Array(items.size),
      together: new Float64Array(items.size),
      touched: new Int32Array(Math.max(1, params.maxSeeds * params.maxNeighbours)),
      round: 0,
      x: new Float64Array(N_FEATURES),
    },
    stats: { purchases: purchases.length, users: byUser.size, items: items.size, communities: communities.size },
  };
}

/** Shape and mean are clamped: a method-of-moments shape is wild for items with a buyer or two. */
const MIN_RATE_SHAPE = 0.02;
const MAX_RATE_SHAPE = 50;
/** The shape every item gets while there are too few households to measure it (see MatchingParams). */
const SMALL_DATA_SHAPE = 0.5;

/**
 * The Gamma–Poisson (negative binomial) prior of every item, by the method of moments over all
 * households, zeros included. Household u bought item i in n_ui of its E_u baskets; n_ui ~
 * Poisson(E_u·λ_ui), λ_ui ~ Gamma(shape a_i, mean μ_i). Then E[n] = E·μ and
 * Var[n] = E·μ + E²·μ²/a, so μ = Σn / ΣE and 1/a = (Σ(n − Eμ)² − μΣE) / (μ²ΣE²). Households that
 * never bought the item add only to ΣE and ΣE², so the fit costs one pass over the pairs.
 * The person's posterior mean rate is then (a + n) / (a/μ + E) (score.ts, feature `rate`): their
 * own count when they have many baskets, the item's popularity when they have few.
 */
function fitRatePriors(
  byUser: ReadonlyMap<number, { items: ReadonlyMap<number, { baskets: ReadonlySet<number> }>; baskets: ReadonlySet<number> }>,
  items: Map<number, ItemStats>,
  purchases: readonly Purchase[],
  now: number,
  params: MatchingParams,
): void {
  let sumE = 0;
  let sumE2 = 0;
  const sums = new Map<number, { n: number; n2: number; nE: number }>();
  for (const u of byUser.values()) {
    const e = u.baskets.size;
    sumE += e;
    sumE2 += e * e;
    for (const [item, o] of u.items) {
      const n = o.baskets.size;
      let t = sums.get(item);
      if (!t) sums.set(item, (t = { n: 0, n2: 0, nE: 0 }));
      t.n += n;
      t.n2 += n * n;
      t.nE += n * e;
    }
  }
  // The trend: each item's distinct baskets in the last window against all baskets there.
  const since = now - params.rateTrendDays * DAY_MS;
  const recentBaskets = new Set<number>();
  const recentItemBaskets = new Map<number, Set<number>>();
  if (params.rateTrendPower > 0) {
    for (const p of purchases) {
      if (p.at > now || p.at < since) continue;
      recentBaskets.add(p.basket);
      let b = recentItemBaskets.get(p.item);
      if (!b) recentItemBaskets.set(p.item, (b = new Set()));
      b.add(p.basket);
    }
  }
  for (const [item, t] of sums) {
    const s = items.get(item)!;
    const mu = t.n / Math.max(1, sumE);
    const excess = t.n2 - 2 * mu * t.nE + mu * mu * sumE2 - mu * sumE;
    if (byUser.size < params.minHouseholdsForShapes) s.rateShape = SMALL_DATA_SHAPE;
    else s.rateShape = excess > 0 ? Math.min(MAX_RATE_SHAPE, Math.max(MIN_RATE_SHAPE, (mu * mu * sumE2) / excess)) : MAX_RATE_SHAPE;
    const trend = params.rateTrendPower > 0 ? ((recentItemBaskets.get(item)?.size ?? 0) + 1) / (mu * recentBaskets.size + 1) : 1;
    s.rateMean = mu * Math.pow(trend, params.rateTrendPower);
  }
}
