// The operator dashboards (docs/insights.md, "Dashboards"): the read models summed over a
// region (with its sub-regions) and a range of China-time days, turned into rates, and the
// same tables as CSV for a spreadsheet. Operators only.
import type { Database } from '../../db';
import { badInput, notFound, type Clock } from '../../kernel';
import { toCsv } from '../fulfilment';
import { addDays, chinaDay, mondayOf } from '../leaders';
import { requireRole, type Actor } from '../people';
import { DashboardsRepo, type ChannelDayRow, type CommunityPlace, type DashboardFilter } from './dashboards.repo';
import {
  DASHBOARD_CHANNELS,
  LEADER_SORTS,
  type ChannelFigures,
  type CohortsView,
  type CommunitiesView,
  type DailySummaryView,
  type DashboardChannel,
  type FunnelView,
  type LeadersQuery,
  type LeadersView,
  type RangeQuery,
  type RoutesView,
  type Scope,
  type SkusView,
} from './dashboards.types';
import { repeatRatesOf } from './dashboards.trust';

export { DASHBOARD_CHANNELS, LEADER_SORTS };
export type * from './dashboards.types';

export const DEFAULT_LEADER_PAGE = 50;
/** How long the communities map keeps its copy of the communities' places. */
export const PLACES_TTL_MS = 60_000;
export const MAX_LEADER_PAGE = 500;

/** A quarter and a day: enough for "this quarter against the last" without scanning a year. */
export const MAX_RANGE_DAYS = 92;
export const DEFAULT_RANGE_DAYS = 30;

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const isChannel = (c: string): c is DashboardChannel => (DASHBOARD_CHANNELS as readonly string[]).includes(c);
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
const isCalendarDay = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);
/** CSV cells: a rate as a percentage Excel reads as a number, blank when undefined. */
const pct = (r: number | null) => (r === null ? '' : `${(r * 100).toFixed(1)}%`);
const yuan = (fen: number) => (fen / 100).toFixed(2);
const NO_GRID = '（无网格仓 none）';

function emptyFigures(): ChannelFigures {
  return { views: 0, shares: 0, clicks: 0, orders: 0, buyers: 0, units: 0, gmvFen: 0, refundedFen: 0, afterSales: 0, complaints: 0, shortageUnits: 0, pickupsDue: 0, pickupsOnTime: 0, ratings: 0, ratingSum: 0 };
}

function addFigures(into: ChannelFigures, r: ChannelFigures): void {
  for (const k of Object.keys(into) as Array<keyof ChannelFigures>) into[k] += Number(r[k]);
}

export class DashboardsService {
  readonly repo = new DashboardsRepo();

  constructor(private readonly deps: { db: Database; clock: Clock }) {}

  /**
   * The range asked for, or the last 30 days to today (China time). `from` after `to`, a
   * range over 92 days or a day that is not on the calendar is the caller's to fix.
   */
  resolveRange(q: RangeQuery): { from: string; to: string } {
    for (const field of ['from', 'to'] as const) {
      const v = q[field];
      if (v !== undefined && !isCalendarDay(v)) throw badInput(field, `${field} must be a calendar day YYYY-MM-DD`);
    }
    const to = q.to ?? (q.from !== undefined ? minDay(addDays(q.from, DEFAULT_RANGE_DAYS - 1), chinaDay(this.deps.clock.now())) : chinaDay(this.deps.clock.now()));
    const from = q.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
    if (from > to) throw badInput(q.from !== undefined ? 'from' : 'to', 'from must not be after to');
    if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS) throw badInput(q.to !== undefined ? 'to' : 'from', `the range may span at most ${MAX_RANGE_DAYS} days`);
    return { from, to };
  }

  private async scope(actor: Actor | null, q: RangeQuery): Promise<{ scope: Scope; filter: DashboardFilter }> {
    requireRole(actor, 'operator');
    const { from, to } = this.resolveRange(q);
    let regionIds: number[] | null = null;
    if (q.regionId !== undefined) {
      regionIds = await this.repo.regionSubtree(this.deps.db.orm, q.regionId);
      if (regionIds.length === 0) throw notFound('region', q.regionId);
    }
    return { scope: { regionId: q.regionId ?? null, from, to }, filter: { regionIds, from, to } };
  }

  async funnel(actor: Actor | null, q: RangeQuery): Promise<FunnelView> {
    const { scope, filter } = await this.scope(actor, q);
    const rows = await this.repo.channelDays(this.deps.db.orm, filter);
    const byKey = new Map<string, ChannelDayRow>();
    const totals = new Map<DashboardChannel, ChannelFigures>(DASHBOARD_CHANNELS.map((c) => [c, emptyFigures()]));
    const otherTraffic = { views: 0, shares: 0, clicks: 0 };
    for (const r of rows) {
      if (!isChannel(r.channel)) {
        otherTraffic.views += Number(r.views);
        otherTraffic.shares += Number(r.shares);
        otherTraffic.clicks += Number(r.clicks);
        continue;
      }
      byKey.set(`${r.day}|${r.channel}`, r);
      addFigures(totals.get(r.channel)!, r);
    }
    const days: FunnelView['days'] = [];
    for (let d = scope.from; d <= scope.to; d = addDays(d, 1)) {
      for (const channel of DASHBOARD_CHANNELS) {
        const r = byKey.get(`${d}|${channel}`);
        days.push({ day: d, channel, views: Number(r?.views ?? 0), clicks: Number(r?.clicks ?? 0), orders: Number(r?.orders ?? 0), buyers: Number(r?.buyers ?? 0), gmvFen: Number(r?.gmvFen ?? 0) });
      }
    }
    return {
      ...scope,
      channels: DASHBOARD_CHANNELS.map((channel) => {
        const t = totals.get(channel)!;
        return {
          channel,
          views: t.views,
          shares: t.shares,
          clicks: t.clicks,
          orders: t.orders,
          buyers: t.buyers,
          units: t.units,
          gmvFen: t.gmvFen,
          refundedFen: t.refundedFen,
          clickRate: ratio(t.clicks, t.views),
          conversion: ratio(t.orders, t.views),
        };
      }),
      otherTraffic,
      days,
    };
  }

  async funnelCsv(actor: Actor | null, q: RangeQuery): Promise<string> {
    const v = await this.funnel(actor, q);
    return toCsv(
      ['日期 Day', '渠道 Channel', '浏览 Views', '点击 Clicks', '订单 Orders', '买家 Buyers', 'GMV (元 yuan)', '转化 Conversion'],
      v.days.map((d) => [d.day, d.channel, d.views, d.clicks, d.orders, d.buyers, yuan(d.gmvFen), pct(ratio(d.orders, d.views))]),
    );
  }

  /**
   * The communities of the regions, where they are, and their active households in the week
   * the map shows. The places (names, coordinates, households) come from a copy kept for a
   * minute (a city has thousands and they change when an operator edits one); the active
   * households are read on each view.
   */
  async communities(actor: Actor | null, q: RangeQuery): Promise<CommunitiesView> {
    const { scope, filter } = await this.scope(actor, q);
    const db = this.deps.db.orm;
    const places = await this.communityPlaces();
    const regions = filter.regionIds === null ? null : new Set(filter.regionIds);
    const inRegions = regions === null ? places : places.filter((c) => regions.has(c.regionId));
    const week = await this.repo.latestCommunityWeek(db, filter, mondayOf(scope.from), filter.regionIds === null ? null : inRegions.map((c) => c.id));
    const active = week === null ? new Map<number, number>() : await this.repo.activeHouseholds(db, week);
    return {
      ...scope,
      week,
      // Rounded where the digits say nothing (a map's 0.1 m, a rate's 0.01 %): 10,000 rows are a
      // page's weight, and a quarter of it was noise.
      communities: inRegions.map((c) => {
        const activeHouseholds = active.get(c.id) ?? 0;
        const penetration = ratio(activeHouseholds, c.households);
        return { ...c, activeHouseholds, penetration: penetration === null ? null : round(penetration, 4) };
      }),
    };
  }

  private placesCache: { until: number; rows: Promise<CommunityPlace[]> } | null = null;

  private communityPlaces(): Promise<CommunityPlace[]> {
    const now = Date.now();
    if (!this.placesCache || this.placesCache.until <= now) {
      const rows = this.repo.communityPlaces(this.deps.db.orm);
      this.placesCache = { until: now + PLACES_TTL_MS, rows };
      // A failed read is not kept: the next view asks again.
      rows.catch(() => (this.placesCache = null));
    }
    return this.placesCache.rows;
  }

  async communitiesCsv(actor: Actor | null, q: RangeQuery): Promise<string> {
    const v = await this.communities(actor, q);
    return toCsv(
      ['小区编号 Community ID', '小区 Community', '纬度 Lat', '经度 Lng', '户数 Households', `活跃户数 Active households (${v.week ?? '-'})`, '渗透率 Penetration'],
      v.communities.map((c) => [c.id, c.name, c.lat, c.lng, c.households, c.activeHouseholds, pct(c.penetration)]),
    );
  }

  async cohorts(actor: Actor | null, q: RangeQuery): Promise<CohortsView> {
    const { scope, filter } = await this.scope(actor, q);
    const rows = await this.repo.cohorts(this.deps.db.orm, filter, mondayOf(scope.from));
    const byCohort = new Map<string, Map<string, number>>();
    for (const r of rows) {
      const m = byCohort.get(r.cohortWeek) ?? new Map<string, number>();
      m.set(r.activeWeek, Number(r.buyers));
      byCohort.set(r.cohortWeek, m);
    }
    const lastWeek = mondayOf(scope.to);
    return {
      ...scope,
      cohorts: [...byCohort.entries()].map(([week, active]) => {
        const size = active.get(week) ?? 0;
        const cells: CohortsView['cohorts'][number]['cells'] = [];
        // Every week from the cohort's own to the range's last, quiet weeks as zeros.
        for (let w = week, k = 0; w <= lastWeek; w = addDays(w, 7), k += 1) {
          const buyers = active.get(w) ?? 0;
          cells.push({ weeksSince: k, activeWeek: w, buyers, rate: ratio(buyers, size) });
        }
        return { week, buyers: size, cells };
      }),
    };
  }

  async cohortsCsv(actor: Actor | null, q: RangeQuery): Promise<string> {
    const v = await this.cohorts(actor, q);
    const rows = v.cohorts.flatMap((c) => c.cells.map((cell) => [c.week, c.buyers, cell.weeksSince, cell.activeWeek, cell.buyers, pct(cell.rate)]));
    return toCsv(['首单周 Cohort week', '首单买家 Cohort buyers', '第几周 Weeks since', '周 Week', '下单买家 Buyers', '复购率 Repeat rate'], rows);
  }

  /**
   * The league table a page at a time (50 by default, highest GMV first), with how many leaders
   * the regions have and how many of them are warned or suspended.
   */
  async leaders(actor: Actor | null, q: LeadersQuery, all = false): Promise<LeadersView> {
    const { scope, filter } = await this.scope(actor, q);
    const sort = q.sort ?? 'gmv';
    if (!(LEADER_SORTS as readonly string[]).includes(sort)) throw badInput('sort', `sort is one of ${LEADER_SORTS.join(', ')}`);
    const limit = q.limit ?? DEFAULT_LEADER_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LEADER_PAGE) throw badInput('limit', `limit is a whole number from 1 to ${MAX_LEADER_PAGE}`);
    const offset = q.offset ?? 0;
    if (!Number.isInteger(offset) || offset < 0) throw badInput('offset', 'offset is a whole number, 0 or more');
    const { rows, total, warned } = await this.repo.leaders(this.deps.db.orm, filter, { sort, limit: all ? null : limit, offset: all ? 0 : offset });
    return {
      ...scope,
      sort,
      limit: all ? total : limit,
      offset: all ? 0 : offset,
      total,
      warned,
      leaders: rows.map((r) => {
        const orders = Number(r.orders);
        const repeat = repeatRatesOf(r.trustParts);
        return {
          accountId: Number(r.accountId),
          leaderName: r.leaderName,
          pickupPointId: Number(r.pickupPointId),
          pointName: r.pointName,
          communityName: r.communityName,
          regionId: Number(r.regionId),
          status: r.status,
          warningsInRow: Number(r.warningsInRow),
          orders,
          buyers: Number(r.buyers),
          units: Number(r.units),
          gmvFen: Number(r.gmvFen),
          repeatRate: repeat.rate,
          repeatRate7: repeat.rate7,
          onTimeRate: ratio(Number(r.pickupsOnTime), Number(r.pickupsDue)),
          complaintRate: ratio(Number(r.complaints), orders),
          afterSalesRate: ratio(Number(r.afterSales), orders),
          trustScore: r.trustScore === null ? null : Number(r.trustScore),
          kpi: r.kpiWeek === null ? null : { week: r.kpiWeek, verdict: r.kpiVerdict ?? 'ok', reasons: r.kpiReasons ?? [] },
        };
      }),
    };
  }

  /** Every leader of the regions (no pages), in the order asked for. */
  async leadersCsv(actor: Actor | null, q: LeadersQuery): Promise<string> {
    const v = await this.leaders(actor, q, true);
    return toCsv(
      ['团长 Leader', '自提点 Pickup point', '小区 Community', '状态 Status', '订单 Orders', '买家 Buyers', 'GMV (元 yuan)', '复购率 Repeat', '7 天复购 Repeat 7d', '准时率 On time', '投诉率 Complaints', '信任分 Trust', 'KPI 周 KPI week', 'KPI 结论 KPI verdict', 'KPI 原因 KPI reasons'],
      v.leaders.map((l) => [
        l.leaderName,
        l.pointName,
        l.communityName,
        l.status,
        l.orders,
        l.buyers,
        yuan(l.gmvFen),
        pct(l.repeatRate),
        pct(l.repeatRate7),
        pct(l.onTimeRate),
        pct(l.complaintRate),
        l.trustScore,
        l.kpi?.week,
        l.kpi?.verdict,
        l.kpi?.reasons.join('; '),
      ]),
    );
  }

  async skus(actor: Actor | null, q: RangeQuery): Promise<SkusView> {
    const { scope, filter } = await this.scope(actor, q);
    const raw = await this.repo.skus(this.deps.db.orm, filter);
    const skus = new Map<number, SkusView['skus'][number]>();
    const warehouses = new Map<number, SkusView['warehouses'][number]>();
    const sold: typeof raw = [];
    for (const r of raw) {
      const skuId = Number(r.skuId);
      const k = skus.get(skuId) ?? { skuId, title: r.title, spec: r.spec, unit: r.unit, unitsOffered: 0, unitsSold: 0, sellThrough: null, gmvFen: 0, unitsRefunded: 0, unitsShort: 0 };
      k.unitsOffered += Number(r.unitsOffered);
      k.unitsSold += Number(r.unitsSold);
      k.gmvFen += Number(r.gmvFen);
      k.unitsRefunded += Number(r.unitsRefunded);
      k.unitsShort += Number(r.unitsShort);
      skus.set(skuId, k);
      // A row that only carries the offer is the SKU's, not a warehouse's.
      if (Number(r.unitsSold) + Number(r.unitsRefunded) + Number(r.unitsShort) === 0) continue;
      sold.push(r);
      const gid = Number(r.gridWarehouseId);
      const w = warehouses.get(gid) ?? { gridWarehouseId: gid, name: r.gridWarehouseName, skus: 0, unitsSold: 0, gmvFen: 0, unitsRefunded: 0, unitsShort: 0 };
      w.skus += 1;
      w.unitsSold += Number(r.unitsSold);
      w.gmvFen += Number(r.gmvFen);
      w.unitsRefunded += Number(r.unitsRefunded);
      w.unitsShort += Number(r.unitsShort);
      warehouses.set(gid, w);
    }
    for (const k of skus.values()) k.sellThrough = ratio(k.unitsSold, k.unitsOffered);
    return {
      ...scope,
      warehouses: [...warehouses.values()],
      skus: [...skus.values()].sort((a, b) => b.unitsOffered - a.unitsOffered || b.unitsSold - a.unitsSold || a.skuId - b.skuId),
      rows: sold.map((r) => {
        const offered = skus.get(Number(r.skuId))!.unitsOffered;
        return {
          gridWarehouseId: Number(r.gridWarehouseId),
          gridWarehouseName: r.gridWarehouseName,
          skuId: Number(r.skuId),
          title: r.title,
          spec: r.spec,
          unit: r.unit,
          unitsSold: Number(r.unitsSold),
          skuUnitsOffered: offered,
          sellThrough: ratio(Number(r.unitsSold), offered),
          gmvFen: Number(r.gmvFen),
          unitsRefunded: Number(r.unitsRefunded),
          unitsShort: Number(r.unitsShort),
        };
      }),
    };
  }

  async skusCsv(actor: Actor | null, q: RangeQuery): Promise<string> {
    const v = await this.skus(actor, q);
    return toCsv(
      ['网格仓 Grid warehouse', 'SKU', '商品 Title', '规格 Spec', '单位 Unit', '售出 Sold', 'SKU 供应量 SKU offered', '售罄贡献 Sell-through part', 'GMV (元 yuan)', '退款件数 Refunded', '缺货件数 Short'],
      v.rows.map((s) => [s.gridWarehouseName ?? NO_GRID, s.skuId, s.title, s.spec, s.unit, s.unitsSold, s.skuUnitsOffered, pct(s.sellThrough), yuan(s.gmvFen), s.unitsRefunded, s.unitsShort]),
    );
  }

  async routes(actor: Actor | null, q: RangeQuery): Promise<RoutesView> {
    const { scope, filter } = await this.scope(actor, q);
    const rows = await this.repo.routes(this.deps.db.orm, filter);
    return {
      ...scope,
      routes: rows.map((r) => {
        const warehouse = r.gridWarehouseName ?? NO_GRID;
        const units = Number(r.units);
        const orders = Number(r.orders);
        return {
          gridWarehouseId: Number(r.gridWarehouseId),
          gridWarehouseName: r.gridWarehouseName,
          seq: Number(r.seq),
          name: `${warehouse} 线路 ${Number(r.seq)}`,
          runs: Number(r.runs),
          stops: Number(r.stops),
          orders,
          units,
          shortageUnits: Number(r.shortageUnits),
          afterSales: Number(r.afterSales),
          shortageRate: ratio(Number(r.shortageUnits), units),
          afterSalesRate: ratio(Number(r.afterSales), orders),
        };
      }),
    };
  }

  async routesCsv(actor: Actor | null, q: RangeQuery): Promise<string> {
    const v = await this.routes(actor, q);
    return toCsv(
      ['线路 Route', '网格仓 Grid warehouse', '趟数 Runs', '站点 Stops', '订单 Orders', '件数 Units', '缺货件数 Short', '缺货率 Shortage rate', '售后 After-sales', '售后率 After-sales rate'],
      v.routes.map((r) => [r.name, r.gridWarehouseName ?? NO_GRID, r.runs, r.stops, r.orders, r.units, r.shortageUnits, pct(r.shortageRate), r.afterSales, pct(r.afterSalesRate)]),
    );
  }

  /** One region's day: the figures per channel and in total, and the SKU and route totals. */
  async dailySummary(actor: Actor | null, q: { regionId: number; day?: string | undefined }): Promise<DailySummaryView> {
    if (q.day !== undefined && !isCalendarDay(q.day)) throw badInput('day', 'day must be a calendar day YYYY-MM-DD');
    const day = q.day ?? chinaDay(this.deps.clock.now());
    const { filter } = await this.scope(actor, { regionId: q.regionId, from: day, to: day });
    const db = this.deps.db.orm;
    const rows = await this.repo.channelDays(db, filter);
    const totals = emptyFigures();
    const channels = DASHBOARD_CHANNELS.map((channel) => {
      const f = emptyFigures();
      for (const r of rows) if (r.channel === channel) addFigures(f, r);
      addFigures(totals, f);
      return { channel, ...f, ...derived(f) };
    });
    const numeric = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Number(v)])) as T;
    return {
      regionId: q.regionId,
      day,
      totals: { ...totals, ...derived(totals) },
      channels,
      skus: numeric(await this.repo.skuTotals(db, filter)),
      routes: numeric(await this.repo.routeTotals(db, filter)),
    };
  }

  async dailySummaryCsv(actor: Actor | null, q: { regionId: number; day?: string | undefined }): Promise<string> {
    const v = await this.dailySummary(actor, q);
    const line = (label: string, f: DailySummaryView['totals']) => [
      v.day,
      label,
      f.views,
      f.shares,
      f.clicks,
      f.orders,
      f.buyers,
      f.units,
      yuan(f.gmvFen),
      yuan(f.refundedFen),
      f.afterSales,
      f.complaints,
      f.shortageUnits,
      f.pickupsDue,
      f.pickupsOnTime,
      pct(f.conversion),
      f.meanRating === null ? '' : f.meanRating.toFixed(2),
    ];
    return toCsv(
      ['日期 Day', '渠道 Channel', '浏览 Views', '分享 Shares', '点击 Clicks', '订单 Orders', '买家 Buyers', '件数 Units', 'GMV (元 yuan)', '退款 (元 yuan)', '售后 After-sales', '投诉 Complaints', '缺货件数 Short', '应取 Pickups due', '准时 On time', '转化 Conversion', '评分 Rating'],
      [...v.channels.map((c) => line(c.channel, c)), line('合计 total', v.totals)],
    );
  }
}

function derived(f: ChannelFigures) {
  return { conversion: ratio(f.orders, f.views), onTimeRate: ratio(f.pickupsOnTime, f.pickupsDue), meanRating: ratio(f.ratingSum, f.ratings) };
}

const minDay = (a: string, b: string) => (a < b ? a : b);
