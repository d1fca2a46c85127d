// The trust score on the wire (docs/insights.md, "Trust score"): each part's explanation, the
// badge cards and profiles carry, the public view and the operator's settings.
import { z } from 'zod';
import { TRUST_ACTOR_TYPES } from '../../modules/trust';
import { isoDate } from '../schemas';

const part = z.object({
  rate: z.number().nullable().describe('observed rate hits ÷ n (rating: mean stars mapped to 0–1); null with no data'),
  hits: z.number(),
  n: z.number().int(),
  prior: z.object({ mean: z.number(), a: z.number(), b: z.number() }).describe('Beta prior: the region’s typical rate, worth min_orders orders'),
  smoothed: z.number().describe('(hits + a) ÷ (n + a + b)'),
  good: z.number().describe('smoothed, or 1 − smoothed where low is good'),
  weight: z.number(),
  share: z.number().describe('weight ÷ the sum of weights'),
  contribution: z.number().describe('points of the 100: 100 × share × good'),
  highIsGood: z.boolean(),
});

export const trustParts = z.object({
  repeat: part.extend({ rate7: z.number().nullable().describe('returning buyers who ordered in the last 7 days ÷ buyers'), hits7: z.number().int() }),
  after_sales: part,
  complaints: part,
  shortage: part,
  on_time: part,
  rating: part.extend({ meanStars: z.number().nullable() }),
});

export const trustBadge = z
  .object({ score: z.number().int().min(0).max(100), parts: trustParts, computedAt: isoDate })
  .nullable()
  .describe('trust score 0–100 and its parts over the last 30 days; null before its first computation');

export const trustActorType = z.enum(TRUST_ACTOR_TYPES as ['point', 'store', 'host']);

export const trustView = z.object({
  actorType: trustActorType,
  actorId: z.number(),
  score: z.number().int().nullable(),
  parts: trustParts.nullable(),
  computedAt: isoDate.nullable(),
});

const weights = z.object({
  repeat: z.number(),
  after_sales: z.number(),
  complaints: z.number(),
  shortage: z.number(),
  on_time: z.number(),
  rating: z.number(),
});
const tier = z.object({ minScore: z.number().int(), bonusBp: z.number().int() });

export const trustSettings = z.object({
  regionId: z.number(),
  weights,
  minOrders: z.number().int().describe('the prior is worth this many orders: below it a score stays near the region’s typical one'),
  leaderTiers: z.array(tier).describe('leader commission bonus (bp) by trust score, on top of the level bonus'),
  inherited: z.boolean().describe('true when the values are the city’s or the defaults'),
});

export const leaderTrust = z.object({
  pickupPointId: z.number().describe('the leader’s best-scored pickup point that is not closed: the one the tier is taken from'),
  trust: trustBadge,
  tiers: z.array(tier).describe('the region’s leader tiers, lowest score first'),
  bonusBp: z.number().int().describe('commission bonus (bp) the score earns now, on top of the level bonus; 0 without a score'),
  next: tier.nullable().describe('the lowest tier that pays more; null at the top'),
});

export const trustSettingsPatch = z.object({
  weights: z.record(z.string(), z.number()).optional().describe('part → weight (0–100); parts left out keep theirs'),
  minOrders: z.number().optional().describe('0–10000'),
  leaderTiers: z.array(z.object({ minScore: z.number(), bonusBp: z.number() })).max(10).optional().describe('minScore 0–100, bonusBp 0–5000; replaces the list'),
});
