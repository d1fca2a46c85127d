// Trust scores as the web app sees them (docs/insights.md, "Trust score"): cards and profiles
// carry `trust` = {score, parts, computedAt} or null before the first computation.
export const TRUST_PARTS = ['repeat', 'after_sales', 'complaints', 'shortage', 'on_time', 'rating'] as const;
export type TrustPart = (typeof TRUST_PARTS)[number];

export interface TrustPartExplanation {
  /** Observed rate 0–1 (rating: mean stars mapped to 0–1); null with no data. */
  rate: number | null;
  hits: number;
  n: number;
  prior: { mean: number; a: number; b: number };
  smoothed: number;
  good: number;
  weight: number;
  share: number;
  /** Points of the 100 this part gave. */
  contribution: number;
  highIsGood: boolean;
  meanStars?: number | null;
  rate7?: number | null;
}

export interface TrustBadgeData {
  score: number;
  parts: Record<TrustPart, TrustPartExplanation>;
  computedAt: string;
}

/** A step of the leader commission ladder: from this score, this many bp on top of the level bonus. */
export interface LeaderTier {
  minScore: number;
  bonusBp: number;
}

/** GET /leader/trust: the leader's own point's score, the region's tiers, what it earns now and next. */
export interface LeaderTrustData {
  pickupPointId: number;
  trust: TrustBadgeData | null;
  /** Lowest score first. */
  tiers: LeaderTier[];
  bonusBp: number;
  /** The lowest tier paying more; null at the top. */
  next: LeaderTier | null;
}
