// The operator dashboards (GET /api/insights/*, docs/insights.md): types as the server sends
// them and one query hook per table, keyed by the filter so changing it refetches all of them.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { get } from './client';

export const INSIGHT_CHANNELS = ['group_buy', 'live', 'store_online', 'store_counter'] as const;
export type InsightChannel = (typeof INSIGHT_CHANNELS)[number];
/** The server refuses longer ranges (400 naming the field). */
export const MAX_RANGE_DAYS = 92;

export interface InsightsFilter {
  /** '' for every region. */
  regionId: string;
  from: string;
  to: string;
}

interface Scope {
  regionId: number | null;
  from: string;
  to: string;
}

export interface FunnelView extends Scope {
  channels: Array<{ channel: InsightChannel; views: number; shares: number; clicks: number; orders: number; buyers: number; units: number; gmvFen: number; refundedFen: number; clickRate: number | null; conversion: number | null }>;
  otherTraffic: { views: number; shares: number; clicks: number };
  days: Array<{ day: string; channel: InsightChannel; views: number; clicks: number; orders: number; buyers: number; gmvFen: number }>;
}

export interface CommunitiesView extends Scope {
  week: string | null;
  communities: Array<{ id: number; name: string; regionId: number; lat: number; lng: number; households: number; activeHouseholds: number; penetration: number | null }>;
}

export interface CohortsView extends Scope {
  cohorts: Array<{ week: string; buyers: number; cells: Array<{ weeksSince: number; activeWeek: string; buyers: number; rate: number | null }> }>;
}

export interface LeaderRow {
  accountId: number;
  leaderName: string;
  pickupPointId: number;
  pointName: string;
  communityName: string;
  regionId: number;
  status: string;
  warningsInRow: number;
  orders: number;
  buyers: number;
  units: number;
  gmvFen: number;
  repeatRate: number | null;
  repeatRate7: number | null;
  onTimeRate: number | null;
  complaintRate: number | null;
  afterSalesRate: number | null;
  trustScore: number | null;
  kpi: { week: string; verdict: string; reasons: string[] } | null;
}
export type LeaderSort = 'gmv' | 'orders' | 'trust' | 'warnings';
export const LEADER_SORTS: readonly LeaderSort[] = ['gmv', 'orders', 'trust', 'warnings'];
/** The league table's page: the API sends a page at a time (a city has thousands of leaders). */
export interface LeadersPage {
  sort: LeaderSort;
  offset: number;
  limit: number;
}
export interface LeadersView extends Scope {
  sort: LeaderSort;
  limit: number;
  offset: number;
  total: number;
  warned: number;
  leaders: LeaderRow[];
}

interface SkuFigures {
  unitsSold: number;
  gmvFen: number;
  unitsRefunded: number;
  unitsShort: number;
}
export interface SkusView extends Scope {
  warehouses: Array<{ gridWarehouseId: number; name: string | null; skus: number } & SkuFigures>;
  skus: Array<{ skuId: number; title: string; spec: string; unit: string; unitsOffered: number; sellThrough: number | null } & SkuFigures>;
  rows: Array<{ gridWarehouseId: number; gridWarehouseName: string | null; skuId: number; title: string; spec: string; unit: string; skuUnitsOffered: number; sellThrough: number | null } & SkuFigures>;
}

export interface RoutesView extends Scope {
  routes: Array<{
    gridWarehouseId: number;
    gridWarehouseName: string | null;
    seq: number;
    name: string;
    runs: number;
    stops: number;
    orders: number;
    units: number;
    shortageUnits: number;
    afterSales: number;
    shortageRate: number | null;
    afterSalesRate: number | null;
  }>;
}

export type InsightsTable = 'funnel' | 'communities' | 'cohorts' | 'leaders' | 'skus' | 'routes';
interface Views {
  funnel: FunnelView;
  communities: CommunitiesView;
  cohorts: CohortsView;
  leaders: LeadersView;
  skus: SkusView;
  routes: RoutesView;
}

export const insightsQuery = (f: InsightsFilter) => ({ regionId: f.regionId || undefined, from: f.from, to: f.to });

/** `extra`: the table's own parameters (the league table's page). */
export function useInsights<K extends InsightsTable>(table: K, f: InsightsFilter, enabled = true, extra?: Record<string, string | number>) {
  return useQuery({
    queryKey: ['insights', table, f.regionId, f.from, f.to, extra],
    queryFn: ({ signal }) => get<Views[K]>(`/insights/${table}`, { ...insightsQuery(f), ...extra }, signal),
    // The page keeps showing the last answer while the next filter loads: no flashing to empty.
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    enabled,
  });
}

const DAY_MS = 86_400_000;
/** Days from `from` to `to`, both counted. */
export const rangeDays = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
export const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** 0.1234 → "12.3%", null → "—". */
export const pct = (r: number | null | undefined) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(1)}%`);
