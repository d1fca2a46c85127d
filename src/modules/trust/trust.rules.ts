// The operator's trust settings, checked field by field (each failure a 400 naming the field).
import { badInput } from '../../kernel';
import { TRUST_PARTS, type LeaderTier, type TrustPart, type TrustWeights } from './score';

export const MAX_LEADER_TIERS = 10;
/** The same ceiling as a leader level's bonus (leaders.rules.ts). */
export const MAX_TIER_BONUS_BP = 5000;
export const MAX_WEIGHT = 100;

function intBetween(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badInput(field, `${field} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** Weights merged over `current`: only the six parts, each 0–100; at least one above 0. */
export function checkWeights(patch: unknown, current: TrustWeights): TrustWeights {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw badInput('weights', 'weights is an object of part → weight');
  const next = { ...current };
  for (const [key, v] of Object.entries(patch)) {
    const field = `weights.${key}`;
    if (!(TRUST_PARTS as readonly string[]).includes(key)) throw badInput(field, `${key} is not a trust part (${TRUST_PARTS.join(', ')})`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > MAX_WEIGHT) throw badInput(field, `${field} must be a number from 0 to ${MAX_WEIGHT}`);
    next[key as TrustPart] = v;
  }
  if (TRUST_PARTS.every((p) => next[p] === 0)) throw badInput('weights', 'at least one weight must be above 0');
  return next;
}

export function checkMinOrders(v: unknown): number {
  return intBetween('minOrders', v, 0, 10_000);
}

/**
 * Tiers sorted by score: distinct minScore 0–100, bonusBp 0–5000, and a higher tier never pays
 * less than a lower one (a better score must not lower the commission).
 */
export function checkLeaderTiers(v: unknown): LeaderTier[] {
  if (!Array.isArray(v)) throw badInput('leaderTiers', 'leaderTiers is a list of {minScore, bonusBp}');
  if (v.length > MAX_LEADER_TIERS) throw badInput('leaderTiers', `at most ${MAX_LEADER_TIERS} tiers`);
  const tiers = v.map((t: unknown, i) => {
    if (typeof t !== 'object' || t === null) throw badInput(`leaderTiers.${i}`, 'a tier is {minScore, bonusBp}');
    const o = t as Record<string, unknown>;
    return { i, minScore: intBetween(`leaderTiers.${i}.minScore`, o.minScore, 0, 100), bonusBp: intBetween(`leaderTiers.${i}.bonusBp`, o.bonusBp, 0, MAX_TIER_BONUS_BP) };
  });
  const sorted = [...tiers].sort((a, b) => a.minScore - b.minScore);
  for (let k = 1; k < sorted.length; k++) {
    const lower = sorted[k - 1]!;
    const t = sorted[k]!;
    if (t.minScore === lower.minScore) throw badInput(`leaderTiers.${t.i}.minScore`, `two tiers start at score ${t.minScore}`);
    if (t.bonusBp < lower.bonusBp) throw badInput(`leaderTiers.${t.i}.bonusBp`, `the tier from ${t.minScore} pays less than the tier from ${lower.minScore}`);
  }
  return sorted.map(({ minScore, bonusBp }) => ({ minScore, bonusBp }));
}
