// The trust score (docs/insights.md, "Trust score"): one explainable number 0–100 per pickup
// point (its leader), store and host, from the last 30 days of what residents experienced.
// Pure: no I/O. trust.repo.ts reads the figures, this file turns them into parts and a score.
//
// Each part is a rate smoothed by a Beta prior, part = (hits + a) / (n + a + b), with the prior
// centred on the region's typical rate and worth `minOrders` orders, so 1 good order of 1 is
// not 100 % and a newcomer starts at the region's typical value. The score is 100 × the
// weighted mean of the parts turned to "good" (1 − rate for the parts where low is good).

export const TRUST_PARTS = ['repeat', 'after_sales', 'complaints', 'shortage', 'on_time', 'rating'] as const;
export type TrustPart = (typeof TRUST_PARTS)[number];
export type TrustWeights = Record<TrustPart, number>;

/** Which way is good for each part. */
export const HIGH_IS_GOOD: Readonly<Record<TrustPart, boolean>> = {
  repeat: true,
  after_sales: false,
  complaints: false,
  shortage: false,
  on_time: true,
  rating: true,
};

export const DEFAULT_WEIGHTS: Readonly<TrustWeights> = { repeat: 0.25, after_sales: 0.15, complaints: 0.15, shortage: 0.15, on_time: 0.2, rating: 0.1 };
export const DEFAULT_MIN_ORDERS = 20;

/**
 * Typical rates used as the prior's centre where a region has no history of its own (and
 * blended with thin history, see `regionPrior`): a good-but-not-perfect actor.
 */
export const PLATFORM_TYPICAL: Readonly<Record<TrustPart, number>> = {
  repeat: 0.3,
  after_sales: 0.03,
  complaints: 0.02,
  shortage: 0.02,
  on_time: 0.9,
  rating: 0.85, // 4.4 stars
};
/** The platform's typical rates count as this many orders of region history. */
export const PLATFORM_PRIOR_ORDERS = 200;

/** One actor's (or one region's) figures over the window. Counts, never negative. */
export interface TrustFigures {
  /** Paid orders. */
  orders: number;
  /** Distinct buyers. */
  buyers: number;
  /** Of those, buyers with at least two orders within the 30 days. */
  repeatBuyers: number;
  /** Of those, buyers whose second order came within 7 days (shown, not scored). */
  repeatBuyers7: number;
  /** Orders with an after-sales request. */
  afterSales: number;
  /** After-sales requests for a fault of the goods or the service. */
  complaints: number;
  /** Units sold and units short (refunded as a shortage). */
  units: number;
  shortageUnits: number;
  /** Pickups (or deliveries) due, and those handed over on time. */
  pickupsDue: number;
  pickupsOnTime: number;
  /** Ratings and the sum of their stars (1–5 each). */
  ratings: number;
  ratingSum: number;
}

export const NO_FIGURES: Readonly<TrustFigures> = {
  orders: 0,
  buyers: 0,
  repeatBuyers: 0,
  repeatBuyers7: 0,
  afterSales: 0,
  complaints: 0,
  units: 0,
  shortageUnits: 0,
  pickupsDue: 0,
  pickupsOnTime: 0,
  ratings: 0,
  ratingSum: 0,
};

/**
 * What is read for one actor before the gaming rules apply. The read models count every order
 * attributed to the actor; the rules need two corrections that only the raw rows know.
 */
export interface TrustReading {
  /** The read models' figures for the actor over the window (insights_daily, insights_actor_repeat). */
  counted: TrustFigures;
  /**
   * The share of `counted` that came from self-orders: orders whose buyer is the actor's own
   * people (the point's leader, the store's owner or clerks, the host). They count for nothing.
   */
  selfOrders: TrustFigures;
  /**
   * Orders of other buyers refunded after they were picked up or delivered without an
   * after-sales request: an after-sales case settled off the record, counted as one.
   */
  refundsAfterHandover: number;
}

declare const gamingRulesApplied: unique symbol;
/**
 * The figures the score is computed from, only obtainable through `trustInputs`, so nothing can
 * score an actor on figures the gaming rules have not been applied to.
 */
export type TrustInputs = Readonly<TrustFigures> & { readonly [gamingRulesApplied]: true };

/** Apply the gaming rules: self-orders out, refunds after hand-over in as after-sales. */
export function trustInputs(r: TrustReading): TrustInputs {
  const out = { ...NO_FIGURES };
  for (const k of Object.keys(NO_FIGURES) as (keyof TrustFigures)[]) out[k] = Math.max(0, r.counted[k] - r.selfOrders[k]);
  out.afterSales += Math.max(0, r.refundsAfterHandover);
  return out as TrustInputs;
}

/** A part's hits and n, bounded so a rate stays within 0–1 (two requests on one order count once). */
function hitsAndN(f: TrustFigures, part: TrustPart): { hits: number; n: number } {
  const bounded = (hits: number, n: number) => ({ hits: Math.min(Math.max(0, hits), n), n });
  switch (part) {
    case 'repeat':
      return bounded(f.repeatBuyers, f.buyers);
    case 'after_sales':
      return bounded(f.afterSales, f.orders);
    case 'complaints':
      return bounded(f.complaints, f.orders);
    case 'shortage':
      return bounded(f.shortageUnits, f.units);
    case 'on_time':
      return bounded(f.pickupsOnTime, f.pickupsDue);
    case 'rating':
      // Stars 1–5 onto 0–1: a rating is (stars − 1) / 4 of a hit.
      return bounded((f.ratingSum - f.ratings) / 4, f.ratings);
  }
}

/** The prior of one part: its centre and how many of the part's n one order brings. */
export interface PartPrior {
  mean: number;
  perOrder: number;
}
export type TrustPrior = Record<TrustPart, PartPrior>;

/**
 * A region's prior from its actors' summed figures: each part's typical rate, blended with the
 * platform's typical rate worth PLATFORM_PRIOR_ORDERS orders so a region with little history
 * does not swing its actors' scores; and the part's n per order (buyers, units, pickups,
 * ratings per order) so `minOrders` orders translate into the part's own unit. A region with
 * no orders counts one of each per order.
 */
export function regionPrior(region: TrustFigures): TrustPrior {
  const out = {} as TrustPrior;
  for (const part of TRUST_PARTS) {
    const { hits, n } = hitsAndN(region, part);
    const perOrder = region.orders > 0 ? n / region.orders : 1;
    const k = PLATFORM_PRIOR_ORDERS * (perOrder > 0 ? perOrder : 1);
    out[part] = { mean: (hits + PLATFORM_TYPICAL[part] * k) / (n + k), perOrder };
  }
  return out;
}

export interface TrustSettingsValues {
  weights: TrustWeights;
  minOrders: number;
}

/** How one part came about, as shown to people next to the score. */
export interface PartExplanation {
  /** The observed rate hits ÷ n, null with no data (for `rating`, mean stars mapped to 0–1). */
  rate: number | null;
  hits: number;
  n: number;
  /** The Beta prior: centre, and its pseudo-counts a (hits) and b (misses). */
  prior: { mean: number; a: number; b: number };
  /** (hits + a) / (n + a + b). */
  smoothed: number;
  /** The smoothed rate turned to "good" (1 − rate where low is good). */
  good: number;
  /** The part's weight as set, and its share of all weights. */
  weight: number;
  share: number;
  /** Points of the 100 this part gave: 100 × share × good. */
  contribution: number;
  highIsGood: boolean;
}

export interface TrustScore {
  /** 0–100, rounded. */
  score: number;
  /** Stored as they are in trust_scores.parts and shown to people. */
  parts: TrustParts;
}

/** Each part's explanation; `repeat` also shows the 7-day rate and `rating` the mean stars. */
export type TrustParts = Record<Exclude<TrustPart, 'repeat' | 'rating'>, PartExplanation> & {
  repeat: PartExplanation & { rate7: number | null; hits7: number };
  rating: PartExplanation & { meanStars: number | null };
};

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** The score and its explanation. Weights need not sum to 1 (they are shares of their sum). */
export function trustScore(inputs: TrustInputs, prior: TrustPrior, settings: TrustSettingsValues): TrustScore {
  const totalWeight = TRUST_PARTS.reduce((s, p) => s + Math.max(0, settings.weights[p]), 0);
  const parts = {} as Record<TrustPart, PartExplanation>;
  let sum = 0;
  for (const part of TRUST_PARTS) {
    const { hits, n } = hitsAndN(inputs, part);
    const pr = prior[part];
    const strength = Math.max(0, settings.minOrders) * pr.perOrder;
    const a = pr.mean * strength;
    const b = (1 - pr.mean) * strength;
    const smoothed = n + a + b > 0 ? (hits + a) / (n + a + b) : pr.mean;
    const highIsGood = HIGH_IS_GOOD[part];
    const good = highIsGood ? smoothed : 1 - smoothed;
    const weight = Math.max(0, settings.weights[part]);
    const share = totalWeight > 0 ? weight / totalWeight : 1 / TRUST_PARTS.length;
    const contribution = 100 * share * good;
    sum += contribution;
    parts[part] = {
      rate: n > 0 ? round4(hits / n) : null,
      hits: round4(hits),
      n,
      prior: { mean: round4(pr.mean), a: round4(a), b: round4(b) },
      smoothed: round4(smoothed),
      good: round4(good),
      weight,
      share: round4(share),
      contribution: Math.round(contribution * 100) / 100,
      highIsGood,
    };
  }
  const buyers = inputs.buyers;
  return {
    score: Math.min(100, Math.max(0, Math.round(sum))),
    parts: {
      ...parts,
      repeat: { ...parts.repeat, rate7: buyers > 0 ? round4(Math.min(inputs.repeatBuyers7, buyers) / buyers) : null, hits7: inputs.repeatBuyers7 },
      rating: { ...parts.rating, meanStars: inputs.ratings > 0 ? Math.round((inputs.ratingSum / inputs.ratings) * 100) / 100 : null },
    },
  };
}

// ── the leader's commission tier ──────────────────────────────────────────────
export interface LeaderTier {
  minScore: number;
  bonusBp: number;
}

/** The bonus of the highest tier the score reaches (0 below every tier, or without a score). */
export function tierBonusBp(tiers: readonly LeaderTier[], score: number | null): number {
  if (score === null) return 0;
  let bp = 0;
  let reached = -1;
  for (const t of tiers) {
    if (score >= t.minScore && t.minScore > reached) {
      reached = t.minScore;
      bp = t.bonusBp;
    }
  }
  return bp;
}
