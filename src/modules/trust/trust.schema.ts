// Drizzle view of the trust tables (src/db/migrations/0016_insights.sql): each actor's latest
// score with its explanation, and the operator's settings per region.
import { bigint, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { LeaderTier, TrustWeights } from './score';
import type { StoredExplanation } from './trust.types';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export type TrustActorType = 'point' | 'store' | 'host';
export const TRUST_ACTOR_TYPES: readonly TrustActorType[] = ['point', 'store', 'host'];

export const trustScores = pgTable(
  'trust_scores',
  {
    actorType: text('actor_type').$type<TrustActorType>().notNull(),
    actorId: bigint('actor_id', { mode: 'number' }).notNull(),
    score: integer('score').notNull(),
    parts: jsonb('parts').$type<StoredExplanation>().notNull().default({} as StoredExplanation),
    computedAt: ts('computed_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.actorType, t.actorId] })],
);

export const trustSettings = pgTable('trust_settings', {
  regionId: bigint('region_id', { mode: 'number' }).primaryKey(),
  /** Partial: parts left out take the default weight. */
  weights: jsonb('weights').$type<Partial<TrustWeights>>().notNull().default({}),
  minOrders: integer('min_orders').notNull().default(20),
  leaderTiers: jsonb('leader_tiers').$type<LeaderTier[]>().notNull().default([]),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
