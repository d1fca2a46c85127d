// SQL of the operator dashboards (docs/insights.md, "Dashboards"). Every statement reads the
// read models of 0016 (insights_region_daily, the rollup of insights_daily, insights_sku_daily, insights_route_daily,
// insights_cohorts, insights_community_weeks, trust_scores) filtered by (region_id, day) — the
// index each of them has — and joins only small dimension tables for names: regions,
// communities, pickup points, leader profiles and their KPI weeks, delivery routes, warehouses,
// SKUs and products. Never orders: a page view costs the same at 3 000 or 3 000 000 orders.
//
// A region filter is the region and everything under it, resolved once (regionSubtree) and
// passed as an id array, so each statement is one index range scan per region id.
import { sql, type SQL } from 'drizzle-orm';
import { selectRows, type Executor } from '../../db';
import type { ChannelFigures, LeaderSort } from './dashboards.types';

/** The rows a dashboard reads: these regions (null: all) and China-time days from..to inclusive. */
export interface DashboardFilter {
  regionIds: number[] | null;
  from: string;
  to: string;
}

/**
 * Sums of the daily figures for one (day, channel). `buyers` is the sum of the rows' distinct
 * buyers: a resident counts once per day, community and actor.
 */
export type ChannelDayRow = { day: string; channel: string } & ChannelFigures;

export interface CommunityPlace {
  id: number;
  name: string;
  regionId: number;
  lat: number;
  lng: number;
  households: number;
}

export interface CohortCellRow {
  cohortWeek: string;
  activeWeek: string;
  buyers: number;
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
  afterSales: number;
  complaints: number;
  pickupsDue: number;
  pickupsOnTime: number;
  trustScore: number | null;
  trustParts: unknown;
  kpiWeek: string | null;
  kpiVerdict: string | null;
  kpiReasons: string[] | null;
}

/** Which leaders of the league table: `limit` rows from `offset` in `sort` order (null: all). */
export interface LeaderPage {
  sort: LeaderSort;
  limit: number | null;
  offset: number;
}

/**
 * The league's orders, over the columns of both the figures and the page (same names). Ties end
 * on the pickup point, so pages never overlap.
 */
const LEADER_ORDER: Record<LeaderSort, (t: string) => string> = {
  gmv: (t) => `${t}.gmv_fen DESC, ${t}.orders DESC, ${t}.pickup_point_id`,
  orders: (t) => `${t}.orders DESC, ${t}.gmv_fen DESC, ${t}.pickup_point_id`,
  trust: (t) => `${t}.trust_score DESC NULLS LAST, ${t}.gmv_fen DESC, ${t}.pickup_point_id`,
  warnings: (t) =>
    `CASE ${t}.status WHEN 'suspended' THEN 2 WHEN 'active' THEN 0 ELSE 1 END DESC, ${t}.warnings_in_row DESC, ${t}.gmv_fen DESC, ${t}.pickup_point_id`,
};

export interface SkuRow {
  gridWarehouseId: number;
  gridWarehouseName: string | null;
  skuId: number;
  title: string;
  spec: string;
  unit: string;
  unitsOffered: number;
  unitsSold: number;
  gmvFen: number;
  unitsRefunded: number;
  unitsShort: number;
}

export interface RouteRow {
  gridWarehouseId: number;
  gridWarehouseName: string | null;
  seq: number;
  /** Days the route ran in the range (one delivery route per wave, one wave per day). */
  runs: number;
  stops: number;
  orders: number;
  units: number;
  shortageUnits: number;
  afterSales: number;
}

export interface SkuDayTotals {
  skus: number;
  unitsOffered: number;
  unitsSold: number;
  gmvFen: number;
  unitsRefunded: number;
  unitsShort: number;
}

export interface RouteDayTotals {
  routes: number;
  stops: number;
  orders: number;
  units: number;
  shortageUnits: number;
  afterSales: number;
}

/** `AND <column> = ANY(ids)` or nothing when every region is wanted. */
function regionClause(ids: number[] | null, column: string): SQL {
  return ids === null ? sql`` : sql`AND ${sql.raw(column)} = ANY(${sql.param(ids)}::bigint[])`;
}

export class DashboardsRepo {
  /** The region and every region under it (any depth); empty when there is no such region. */
  async regionSubtree(db: Executor, regionId: number): Promise<number[]> {
    const rows = await selectRows<{ id: number }>(
      db,
      sql`WITH RECURSIVE t AS (
            SELECT id FROM regions WHERE id = ${regionId}
            UNION SELECT r.id FROM regions r JOIN t ON r.parent_id = t.id)
          SELECT id::bigint AS id FROM t ORDER BY id`,
    );
    return rows.map((r) => Number(r.id));
  }

  /**
   * Figures per day and channel, days without rows left out (the service fills them). Reads the
   * (day, region, channel) rollup that triggers keep equal to insights_daily's sums (0018).
   */
  async channelDays(db: Executor, f: DashboardFilter): Promise<ChannelDayRow[]> {
    return selectRows<ChannelDayRow>(
      db,
      sql`SELECT day::text AS day, channel,
                 sum(views)::bigint AS views, sum(shares)::bigint AS shares, sum(clicks)::bigint AS clicks,
                 sum(orders)::bigint AS orders, sum(buyers)::bigint AS buyers, sum(units)::bigint AS units,
                 sum(gmv_fen)::bigint AS "gmvFen", sum(refunded_fen)::bigint AS "refundedFen",
                 sum(after_sales)::bigint AS "afterSales", sum(complaints)::bigint AS complaints,
                 sum(shortage_units)::bigint AS "shortageUnits", sum(pickups_due)::bigint AS "pickupsDue",
                 sum(pickups_on_time)::bigint AS "pickupsOnTime", sum(ratings)::bigint AS ratings, sum(rating_sum)::bigint AS "ratingSum"
          FROM insights_region_daily
          WHERE day BETWEEN ${f.from}::date AND ${f.to}::date ${regionClause(f.regionIds, 'region_id')}
          GROUP BY day, channel
          ORDER BY day, channel`,
    );
  }

  /** Every community with where it is and its households (the map's places), by id. */
  async communityPlaces(db: Executor): Promise<CommunityPlace[]> {
    const rows = await selectRows<CommunityPlace>(
      db,
      sql`SELECT id::bigint AS id, name, region_id::bigint AS "regionId", lat, lng, households FROM communities ORDER BY id`,
    );
    // Six decimals of a degree are 0.1 m: the rest is noise on the map and weight on the wire.
    const deg = (x: number) => Math.round(Number(x) * 1e6) / 1e6;
    return rows.map((r) => ({ id: Number(r.id), name: r.name, regionId: Number(r.regionId), lat: deg(r.lat), lng: deg(r.lng), households: Number(r.households) }));
  }

  /**
   * Active households per community in `week` (communities with none left out): one index-only
   * range scan, sent as one JSON value of two arrays (10,000 rows of two numbers cost the
   * driver ten times the scan; JSON.parse reads the arrays at once).
   */
  async activeHouseholds(db: Executor, week: string): Promise<Map<number, number>> {
    const [row] = await selectRows<{ j: { c: number[] | null; n: number[] | null } | string }>(
      db,
      sql`SELECT json_build_object('c', array_agg(community_id), 'n', array_agg(active_households)) AS j
          FROM insights_community_weeks WHERE week = ${week}::date`,
    );
    const j = typeof row!.j === 'string' ? (JSON.parse(row!.j) as { c: number[] | null; n: number[] | null }) : row!.j;
    const ids = j.c ?? [];
    const counts = j.n ?? [];
    return new Map(ids.map((id, i) => [Number(id), Number(counts[i])]));
  }

  /**
   * The week (Monday) whose active households the map shows: the latest week with rows that
   * lies wholly in the range, else (a range shorter than a week) the latest one it touches. A
   * week still under way would show a district half as active as it is. `communityIds` null:
   * any community. Each half is a backward scan of the week index that stops at its first row.
   */
  async latestCommunityWeek(db: Executor, f: DashboardFilter, firstMonday: string, communityIds: number[] | null): Promise<string | null> {
    const of = communityIds === null ? sql`` : sql`AND w.community_id = ANY(${sql.param(communityIds)}::bigint[])`;
    const rows = await selectRows<{ week: string | null }>(
      db,
      sql`SELECT COALESCE(
            (SELECT max(w.week) FROM insights_community_weeks w WHERE w.week >= ${f.from}::date AND w.week <= ${f.to}::date - 6 ${of}),
            (SELECT max(w.week) FROM insights_community_weeks w WHERE w.week BETWEEN ${firstMonday}::date AND ${f.to}::date ${of}))::text AS week`,
    );
    return rows[0]?.week ?? null;
  }

  /** Buyers per (first-order week, active week), cohorts starting in the range, up to `to`. */
  async cohorts(db: Executor, f: DashboardFilter, firstMonday: string): Promise<CohortCellRow[]> {
    return selectRows<CohortCellRow>(
      db,
      sql`SELECT cohort_week::text AS "cohortWeek", active_week::text AS "activeWeek", sum(buyers)::bigint AS buyers
          FROM insights_cohorts
          WHERE cohort_week BETWEEN ${firstMonday}::date AND ${f.to}::date AND active_week <= ${f.to}::date
            ${regionClause(f.regionIds, 'region_id')}
          GROUP BY cohort_week, active_week
          ORDER BY cohort_week, active_week`,
    );
  }

  /**
   * A page of the leaders whose pickup point is in the regions, with the point's figures in the
   * range (zeros when it sold nothing), its trust score and the latest KPI week's verdict; and
   * how many leaders there are in all and how many are warned or suspended. `page.limit` null:
   * every leader (the CSV).
   *
   * The figures come from the actor rollup (0018): a point's sum over [from, to] is its running
   * total at `to` less the one at the day before `from`, so the whole league is two rows per
   * point whatever the range, found by (actor_type, day) index scans; names, trust parts and
   * KPI weeks are looked up for the page's rows only.
   */
  async leaders(db: Executor, f: DashboardFilter, page: LeaderPage): Promise<{ rows: LeaderRow[]; total: number; warned: number }> {
    const before = sql`(${f.from}::date - 1)`;
    const upTo = sql`${f.to}::date`;
    // C(x): the totals once x is on or after the point's last day with figures, its running row
    // from its first day on, nothing before.
    const at = (x: SQL, row: string, col: string) =>
      sql`COALESCE(CASE WHEN ${x} >= t.last_day THEN t.${sql.raw(col)} WHEN ${x} >= t.first_day THEN ${sql.raw(row)}.${sql.raw(col)} END, 0)`;
    const inRange = (col: string) => sql`(${at(upTo, 'hi', col)} - ${at(before, 'lo', col)})::bigint AS ${sql.raw(col)}`;
    const order = (t: string) => sql.raw(LEADER_ORDER[page.sort](t));
    const rows = await selectRows<LeaderRow & { total: number; warned: number }>(
      db,
      sql`WITH pts AS (
            SELECT lp.account_id, lp.pickup_point_id, lp.status, lp.warnings_in_row
            FROM leader_profiles lp
            ${
              f.regionIds === null
                ? sql``
                : sql`WHERE lp.pickup_point_id IN (
                        SELECT pp.id FROM pickup_points pp JOIN communities c ON c.id = pp.community_id
                        WHERE c.region_id = ANY(${sql.param(f.regionIds)}::bigint[]))`
            }),
          fig AS (
            SELECT pts.*, ${page.sort === 'trust' ? sql`ts.score` : sql`NULL::int`} AS trust_score,
                   ${inRange('orders')}, ${inRange('buyers')}, ${inRange('units')}, ${inRange('gmv_fen')},
                   ${inRange('after_sales')}, ${inRange('complaints')}, ${inRange('pickups_due')}, ${inRange('pickups_on_time')}
            FROM pts
            LEFT JOIN insights_actor_totals t ON t.actor_type = 'point' AND t.actor_id = pts.pickup_point_id
            LEFT JOIN insights_actor_running hi ON hi.actor_type = 'point' AND hi.actor_id = pts.pickup_point_id AND hi.day = ${upTo}
            LEFT JOIN insights_actor_running lo ON lo.actor_type = 'point' AND lo.actor_id = pts.pickup_point_id AND lo.day = ${before}
            -- Scores (rows wide with their parts) for every point only when they order the table.
            ${page.sort === 'trust' ? sql`LEFT JOIN trust_scores ts ON ts.actor_type = 'point' AND ts.actor_id = pts.pickup_point_id` : sql``}),
          counts AS (
            SELECT count(*) AS total, count(*) FILTER (WHERE status <> 'active' OR warnings_in_row > 0) AS warned FROM pts),
          page AS (
            SELECT fig.* FROM fig
            ORDER BY ${order('fig')}
            ${page.limit === null ? sql`` : sql`LIMIT ${page.limit} OFFSET ${page.offset}`})
          -- The counts' one row carries the page's rows, or stands alone past the last page.
          SELECT p.account_id::bigint AS "accountId", a.display_name AS "leaderName", p.pickup_point_id::bigint AS "pickupPointId",
                 pp.name AS "pointName", c.name AS "communityName", c.region_id::bigint AS "regionId",
                 p.status, p.warnings_in_row AS "warningsInRow",
                 p.orders, p.buyers, p.units, p.gmv_fen AS "gmvFen", p.after_sales AS "afterSales", p.complaints,
                 p.pickups_due AS "pickupsDue", p.pickups_on_time AS "pickupsOnTime",
                 ts.score AS "trustScore", ts.parts AS "trustParts",
                 k.week_start::text AS "kpiWeek", k.verdict AS "kpiVerdict", k.reasons AS "kpiReasons",
                 n.total::bigint AS total, n.warned::bigint AS warned
          FROM counts n
          LEFT JOIN (page p
            JOIN accounts a ON a.id = p.account_id
            JOIN pickup_points pp ON pp.id = p.pickup_point_id
            JOIN communities c ON c.id = pp.community_id
            LEFT JOIN trust_scores ts ON ts.actor_type = 'point' AND ts.actor_id = p.pickup_point_id
            LEFT JOIN LATERAL (
              SELECT week_start, verdict, reasons FROM leader_kpi_weeks kw
              WHERE kw.account_id = p.account_id ORDER BY kw.week_start DESC LIMIT 1) k ON true) ON true
          ORDER BY ${order('p')}`,
    );
    const n = rows[0]!;
    return { rows: rows.filter((r) => r.accountId !== null), total: Number(n.total), warned: Number(n.warned) };
  }

  /** Units offered, sold, refunded and short per grid warehouse and SKU over the range. */
  async skus(db: Executor, f: DashboardFilter): Promise<SkuRow[]> {
    return selectRows<SkuRow>(
      db,
      sql`WITH agg AS (
            SELECT grid_warehouse_id, sku_id, sum(units_offered)::bigint AS offered, sum(units_sold)::bigint AS sold,
                   sum(gmv_fen)::bigint AS gmv_fen, sum(units_refunded)::bigint AS refunded, sum(units_short)::bigint AS short
            FROM insights_sku_daily
            WHERE day BETWEEN ${f.from}::date AND ${f.to}::date ${regionClause(f.regionIds, 'region_id')}
            GROUP BY grid_warehouse_id, sku_id)
          SELECT agg.grid_warehouse_id::bigint AS "gridWarehouseId", w.name AS "gridWarehouseName", agg.sku_id::bigint AS "skuId",
                 COALESCE(p.name, '') AS title, COALESCE(k.spec, '') AS spec, COALESCE(k.unit, '') AS unit,
                 agg.offered AS "unitsOffered", agg.sold AS "unitsSold", agg.gmv_fen AS "gmvFen",
                 agg.refunded AS "unitsRefunded", agg.short AS "unitsShort"
          FROM agg
          LEFT JOIN warehouses w ON w.id = agg.grid_warehouse_id
          LEFT JOIN skus k ON k.id = agg.sku_id
          LEFT JOIN products p ON p.id = k.product_id
          ORDER BY agg.grid_warehouse_id, agg.sold DESC, agg.sku_id`,
    );
  }

  /**
   * Routes by name (grid warehouse + number): the wave plans new delivery routes every day,
   * and "<grid warehouse> 线路 n" is what the warehouse and its drivers call the same run.
   */
  async routes(db: Executor, f: DashboardFilter): Promise<RouteRow[]> {
    return selectRows<RouteRow>(
      db,
      sql`WITH runs AS (
            SELECT d.grid_warehouse_id, d.seq, count(DISTINCT d.day) AS runs, sum(d.stops) AS stops, sum(d.orders) AS orders,
                   sum(d.units) AS units, sum(d.shortage_units) AS shortage_units, sum(d.after_sales) AS after_sales
            FROM insights_route_daily d
            WHERE d.day BETWEEN ${f.from}::date AND ${f.to}::date ${regionClause(f.regionIds, 'd.region_id')}
            GROUP BY d.grid_warehouse_id, d.seq)
          SELECT runs.grid_warehouse_id::bigint AS "gridWarehouseId", w.name AS "gridWarehouseName", runs.seq,
                 runs.runs::bigint AS runs, runs.stops::bigint AS stops, runs.orders::bigint AS orders, runs.units::bigint AS units,
                 runs.shortage_units::bigint AS "shortageUnits", runs.after_sales::bigint AS "afterSales"
          FROM runs LEFT JOIN warehouses w ON w.id = runs.grid_warehouse_id
          ORDER BY runs.grid_warehouse_id, runs.seq`,
    );
  }

  async skuTotals(db: Executor, f: DashboardFilter): Promise<SkuDayTotals> {
    const [row] = await selectRows<SkuDayTotals>(
      db,
      sql`SELECT count(DISTINCT sku_id)::bigint AS skus, COALESCE(sum(units_offered), 0)::bigint AS "unitsOffered",
                 COALESCE(sum(units_sold), 0)::bigint AS "unitsSold", COALESCE(sum(gmv_fen), 0)::bigint AS "gmvFen",
                 COALESCE(sum(units_refunded), 0)::bigint AS "unitsRefunded", COALESCE(sum(units_short), 0)::bigint AS "unitsShort"
          FROM insights_sku_daily
          WHERE day BETWEEN ${f.from}::date AND ${f.to}::date ${regionClause(f.regionIds, 'region_id')}`,
    );
    return row!;
  }

  async routeTotals(db: Executor, f: DashboardFilter): Promise<RouteDayTotals> {
    const [row] = await selectRows<RouteDayTotals>(
      db,
      sql`SELECT count(*)::bigint AS routes, COALESCE(sum(stops), 0)::bigint AS stops, COALESCE(sum(orders), 0)::bigint AS orders,
                 COALESCE(sum(units), 0)::bigint AS units, COALESCE(sum(shortage_units), 0)::bigint AS "shortageUnits",
                 COALESCE(sum(after_sales), 0)::bigint AS "afterSales"
          FROM insights_route_daily
          WHERE day BETWEEN ${f.from}::date AND ${f.to}::date ${regionClause(f.regionIds, 'region_id')}`,
    );
    return row!;
  }
}
