// Drizzle view of the traffic tables (see src/db/migrations); checked by src/db/schema.test.ts.
import { bigint, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const TRAFFIC_KINDS = ['view', 'share', 'click'] as const;
export type TrafficKind = (typeof TRAFFIC_KINDS)[number];
export const TARGET_TYPES = ['product', 'pickup_point', 'store', 'community', 'campaign', 'live_session', 'page'] as const;
export type TargetType = (typeof TARGET_TYPES)[number];
export const SOURCE_TYPES = ['direct', 'leader', 'host', 'store', 'share_link'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];
export type ActorType = 'leader' | 'host' | 'store';

const ref = (name: string) => bigint(name, { mode: 'number' });

export const shareLinks = pgTable('share_links', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  code: text('code').notNull().unique(),
  accountId: ref('account_id').notNull(),
  actorType: text('actor_type').$type<ActorType>(),
  actorId: ref('actor_id'),
  targetType: text('target_type').$type<TargetType>().notNull(),
  targetId: ref('target_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const trafficEvents = pgTable('traffic_events', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
  kind: text('kind').$type<TrafficKind>().notNull(),
  targetType: text('target_type').$type<TargetType>().notNull(),
  targetId: ref('target_id'),
  sourceType: text('source_type').$type<SourceType>().notNull(),
  sourceId: ref('source_id'),
  shareLinkId: ref('share_link_id'),
  accountId: ref('account_id'),
  communityId: ref('community_id'),
});
