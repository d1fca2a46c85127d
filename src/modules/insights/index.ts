// Insights read models (docs/insights.md): traffic → trust → conversion per China day,
// community, channel, actor, SKU and route, kept by the outbox subscriber `insights` and
// rebuilt by `recompute`; residents' order ratings.
export { InsightsService, INSIGHTS_TOPICS, INSIGHTS_SUBSCRIBER } from './insights.service';
export type { InsightsDeps, RatingInput } from './insights.service';
export type { RatingRow, PickupState } from './insights.repo';
export { COMPLAINT_REASONS } from './facts.repo';
export * from './insights.schema';
// The operator dashboards over these tables (the dashboards' own files).
export { DashboardsService, DASHBOARD_CHANNELS, LEADER_SORTS, MAX_RANGE_DAYS, DEFAULT_RANGE_DAYS } from './dashboards.service';
export type * from './dashboards.service';
