// Public API of the leaders module; other modules and flows import only from here.
export { LeadersService, type LeaderOverview, type LeadersDeps } from './leaders.service';
export { BindingService, DEFAULT_OPTIONS, MAX_OPTIONS, type MyPickupPoint, type PointOption, type BoundPoint } from './bindings.service';
export { KpiService } from './kpi.service';
export { checkIdCard, idCardCheckChar } from './id-card';
export { DEFAULT_LEVELS } from './leaders.rules';
export { chinaDay, lastFullWeek, lastSettledWeek, mondayOf, addDays, weekRange } from './weeks';
export type * from './leaders.types';
