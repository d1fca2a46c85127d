// The dashboards' answers as the service returns them (and the routes describe in zod).
import type { RouteDayTotals, SkuDayTotals } from './dashboards.repo';

/** The channels compared side by side (replenishment orders are not sales to residents). */
export const DASHBOARD_CHANNELS = ['group_buy', 'live', 'store_online', 'store_counter'] as const;
export type DashboardChannel = (typeof DASHBOARD_CHANNELS)[number];

export interface RangeQuery {
  regionId?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export interface Scope {
  regionId: number | null;
  from: string;
  to: string;
}

export interface ChannelFigures {
  views: number;
  shares: number;
  clicks: number;
  orders: number;
  buyers: number;
  units: number;
  gmvFen: number;
  refundedFen: number;
  afterSales: number;
  complaints: number;
  shortageUnits: number;
  pickupsDue: number;
  pickupsOnTime: number;
  ratings: number;
  ratingSum: number;
}

export interface FunnelView extends Scope {
  channels: Array<{ channel: DashboardChannel; views: number; shares: number; clicks: number; orders: number; buyers: number; units: number; gmvFen: number; refundedFen: number; clickRate: number | null; conversion: number | null }>;
  /** Traffic no channel could be credited with (no actor, not a campaign): views of pages and products. */
  otherTraffic: { views: number; shares: number; clicks: number };
  /** Every day of the range × every channel, zeros on quiet days. */
  days: Array<{ day: string; channel: DashboardChannel; views: number; clicks: number; orders: number; buyers: number; gmvFen: number }>;
}

export interface CommunitiesView extends Scope {
  /** The week (Monday) whose active households are shown: the latest wholly in the range with any (else the latest touched). */
  week: string | null;
  communities: Array<{ id: number; name: string; regionId: number; lat: number; lng: number; households: number; activeHouseholds: number; penetration: number | null }>;
}

export interface CohortsView extends Scope {
  cohorts: Array<{ week: string; buyers: number; cells: Array<{ weeksSince: number; activeWeek: string; buyers: number; rate: number | null }> }>;
}

/** The league table's orders (see dashboards.repo.ts for each one's SQL). */
export const LEADER_SORTS = ['gmv', 'orders', 'trust', 'warnings'] as const;
export type LeaderSort = (typeof LEADER_SORTS)[number];

export interface LeadersQuery extends RangeQuery {
  sort?: LeaderSort | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export interface LeadersView extends Scope {
  sort: LeaderSort;
  limit: number;
  offset: number;
  /** Leaders whose pickup point is in the regions. */
  total: number;
  /** Of those, warned or suspended, or with warnings in a row. */
  warned: number;
  leaders: Array<{
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
    /** Buyers with two or more orders within 30 days, from the trust score's last computation. */
    repeatRate: number | null;
    /** The same within 7 days. */
    repeatRate7: number | null;
    onTimeRate: number | null;
    complaintRate: number | null;
    afterSalesRate: number | null;
    trustScore: number | null;
    kpi: { week: string; verdict: string; reasons: string[] } | null;
  }>;
}

/**
 * Campaign and live allotments are offered to a region as a whole (grid warehouse 0 in
 * insights_sku_daily) and sold through the grid warehouses that serve its points and stores, so
 * a SKU's sell-through is its units sold anywhere ÷ offered, and each grid warehouse's part of it
 * is what it sold ÷ the same offer: the parts add up to the SKU's sell-through.
 */
export interface SkusView extends Scope {
  warehouses: Array<{ gridWarehouseId: number; name: string | null; skus: number; unitsSold: number; gmvFen: number; unitsRefunded: number; unitsShort: number }>;
  skus: Array<{ skuId: number; title: string; spec: string; unit: string; unitsOffered: number; unitsSold: number; sellThrough: number | null; gmvFen: number; unitsRefunded: number; unitsShort: number }>;
  /** What each grid warehouse sold of each SKU, and its part of the SKU's sell-through. */
  rows: Array<{
    gridWarehouseId: number;
    gridWarehouseName: string | null;
    skuId: number;
    title: string;
    spec: string;
    unit: string;
    unitsSold: number;
    /** The SKU's units offered to the regions (not to this warehouse alone). */
    skuUnitsOffered: number;
    sellThrough: number | null;
    gmvFen: number;
    unitsRefunded: number;
    unitsShort: number;
  }>;
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

export interface DailySummaryView {
  regionId: number;
  day: string;
  totals: ChannelFigures & { conversion: number | null; onTimeRate: number | null; meanRating: number | null };
  channels: Array<ChannelFigures & { channel: DashboardChannel; conversion: number | null; onTimeRate: number | null; meanRating: number | null }>;
  skus: SkuDayTotals;
  routes: RouteDayTotals;
}
