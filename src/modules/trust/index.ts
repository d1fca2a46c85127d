// Public API of the trust module (docs/insights.md, "Trust score"): the pure score, the
// service that computes and serves it, the ranking rules that use it.
export {
  TRUST_PARTS,
  HIGH_IS_GOOD,
  DEFAULT_WEIGHTS,
  DEFAULT_MIN_ORDERS,
  PLATFORM_TYPICAL,
  NO_FIGURES,
  trustInputs,
  trustScore,
  regionPrior,
  tierBonusBp,
  type TrustPart,
  type TrustWeights,
  type TrustFigures,
  type TrustReading,
  type TrustInputs,
  type TrustPrior,
  type TrustScore,
  type TrustParts,
  type PartExplanation,
  type LeaderTier,
} from './score';
export { TrustService, DEFAULT_LEADER_TIERS, TRUST_WINDOW_DAYS, type TrustDeps } from './trust.service';
export { TrustRepo, type TrustWindow } from './trust.repo';
export { DISTANCE_BAND_M, distanceBand, byTrust, byDistanceThenTrust, byDayThenTrust, chinaDayOf, type NearbyCandidate, type RoomCandidate } from './ranking';
export { trustScores, trustSettings, TRUST_ACTOR_TYPES, type TrustActorType } from './trust.schema';
export { MAX_LEADER_TIERS, MAX_TIER_BONUS_BP } from './trust.rules';
export { badgeOf } from './trust.types';
export type { TrustView, TrustBadge, LeaderTrust, TrustReader, TrustSettings, TrustSettingsPatch, StoredExplanation } from './trust.types';
