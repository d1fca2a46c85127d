export { TrafficService } from './traffic.service';
export type { TrafficEventInput, ShareLinkInput, TrafficSummary, TrafficOptions } from './traffic.service';
export type { ShareLinkRow, DayCount, SourceCount } from './traffic.repo';
export { TRAFFIC_KINDS, TARGET_TYPES, SOURCE_TYPES } from './traffic.schema';
export type { TrafficKind, TargetType, SourceType, ActorType } from './traffic.schema';
