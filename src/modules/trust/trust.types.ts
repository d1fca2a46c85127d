import type { LeaderTier, TrustParts, TrustWeights } from './score';
import type { TrustActorType } from './trust.schema';

/** trust_scores.parts: each part's explanation, as trustScore returns it. */
export type StoredExplanation = TrustParts;

/** An actor's score as shown on public profiles and cards. */
export interface TrustView {
  actorType: TrustActorType;
  actorId: number;
  score: number;
  parts: TrustParts;
  computedAt: Date;
}

/** The effective settings of a region: its own row, else its city's, else the defaults. */
export interface TrustSettings {
  regionId: number;
  weights: TrustWeights;
  minOrders: number;
  leaderTiers: LeaderTier[];
  /** True when the values come from the city above or the defaults, not the region's own row. */
  inherited: boolean;
}

export interface TrustSettingsPatch {
  weights?: Partial<Record<string, unknown>> | undefined;
  minOrders?: unknown;
  leaderTiers?: unknown;
}

/** What a card or profile carries of an actor's score (null before its first computation). */
export interface TrustBadge {
  score: number;
  parts: TrustParts;
  computedAt: Date;
}

/** A leader's own view (the console): their point's score, the region's tier ladder, what it earns now and next. */
export interface LeaderTrust {
  /** The point the tier is taken from: the leader's best-scored pickup point that is not closed. */
  pickupPointId: number;
  trust: TrustBadge | null;
  /** The region's tiers, lowest score first. */
  tiers: LeaderTier[];
  /** The bonus (bp) the score earns now, on top of the level bonus; 0 without a score. */
  bonusBp: number;
  /** The lowest tier that would pay more, or null at the top. */
  next: LeaderTier | null;
}

export const badgeOf = (v: TrustView | undefined): TrustBadge | null => (v ? { score: v.score, parts: v.parts, computedAt: v.computedAt } : null);

/** What other modules need to show and rank by trust (TrustService implements it). */
export interface TrustReader {
  viewsOf(actorType: TrustActorType, ids: number[]): Promise<Map<number, TrustView>>;
}
