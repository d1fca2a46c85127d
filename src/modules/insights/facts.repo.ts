// The facts behind the read models, as SQL shared by the two ways they are kept: the outbox
// subscriber adds one event's facts (a filter on its id), recompute() adds a date range's (a
// filter on time). Each statement groups its facts by the table's key and adds them to what is
// there (INSERT … ON CONFLICT DO UPDATE SET x = x + EXCLUDED.x), so running it once per event
// or once over the range gives the same sums: the two paths cannot drift apart.
//
// It reads other modules' tables without writing them: orders, order_lines, refunds,
// refund_lines, after_sales_requests (orders), resident_homes, pickup_points, stores,
// communities (place), campaigns, campaign_items (groupbuy), waves, delivery_routes,
// route_stops, handoffs, pickups (fulfilment), live_sessions, live_bag_items, host_profiles
// (live), leader_profiles (leaders), traffic_events (traffic).
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db';

/** The China-time calendar day of a timestamptz (UTC+8 all year, as the KPI and traffic code). */
export const chinaDayOf = (ts: SQL): SQL => sql`(((${ts}) AT TIME ZONE 'UTC') + interval '8 hours')::date`;
/** The Monday of a date's ISO week. */
export const mondayOfDay = (d: SQL): SQL => sql`((${d}) - (extract(isodow FROM (${d}))::int - 1))`;

/** After-sales reasons that are also complaints about the goods or the service. */
export const COMPLAINT_REASONS = ['quality', 'damaged', 'wrong_item', 'missing', 'not_as_described'] as const;

/**
 * Paid, counted orders (never replenishment) with who they are credited to. Columns: order_id,
 * account_id, channel, region_id, total_fen, paid_at, status, campaign_id, pickup_point_id,
 * actor_type, actor_id, community_id, grid_warehouse_id. Used as a subquery, so a join on
 * order_id is planned as a look-up by primary key.
 */
export function orderKeys(where: SQL = sql`TRUE`): SQL {
  return sql`SELECT o.id AS order_id, o.buyer_account_id AS account_id, o.channel, o.region_id, o.total_fen, o.paid_at, o.status,
                    o.campaign_id, o.pickup_point_id,
                    CASE WHEN o.pickup_point_id IS NOT NULL THEN 'point' WHEN o.store_id IS NOT NULL THEN 'store'
                         WHEN o.host_account_id IS NOT NULL THEN 'host' ELSE 'none' END AS actor_type,
                    COALESCE(o.pickup_point_id, o.store_id, o.host_account_id, 0)::bigint AS actor_id,
                    COALESCE(o.community_id, h.community_id, 0)::bigint AS community_id,
                    COALESCE(pp.grid_warehouse_id, st.grid_warehouse_id, 0)::bigint AS grid_warehouse_id
             FROM orders o
             LEFT JOIN resident_homes h ON h.account_id = o.buyer_account_id
             LEFT JOIN pickup_points pp ON pp.id = o.pickup_point_id
             LEFT JOIN stores st ON st.id = o.store_id
             WHERE o.channel <> 'replenishment' AND o.paid_at IS NOT NULL AND (${where})`;
}

/**
 * The delivery route a group-buy order rode on (one per order: its campaign's wave, the route
 * stopping at its pickup point; the lowest route id should a point ever be split). Lateral on
 * `o` (an orders row). Columns: day (the wave's pickup date), route_id, region_id,
 * grid_warehouse_id, wave_created_at.
 */
const routeOf = (o: string): SQL =>
  sql`SELECT w.pickup_date AS day, dr.id AS route_id, w.region_id, dr.grid_warehouse_id, w.created_at AS wave_created_at
      FROM campaigns c
      JOIN waves w ON w.pickup_date = c.pickup_date AND c.id = ANY (w.campaign_ids)
      JOIN delivery_routes dr ON dr.wave_id = w.id
      JOIN route_stops s ON s.route_id = dr.id AND s.pickup_point_id = ${sql.raw(o)}.pickup_point_id
      WHERE c.id = ${sql.raw(o)}.campaign_id
      ORDER BY dr.id LIMIT 1`;

type DailyFigure =
  | 'views'
  | 'shares'
  | 'clicks'
  | 'orders'
  | 'units'
  | 'gmv_fen'
  | 'refunded_fen'
  | 'after_sales'
  | 'complaints'
  | 'shortage_units'
  | 'pickups_due'
  | 'pickups_on_time'
  | 'ratings'
  | 'rating_sum';
type SkuFigure = 'units_offered' | 'units_sold' | 'gmv_fen' | 'units_refunded' | 'units_short';
type RouteFigure = 'stops' | 'orders' | 'units' | 'shortage_units' | 'after_sales';

export const DAILY_FIGURES: readonly DailyFigure[] = [
  'views',
  'shares',
  'clicks',
  'orders',
  'units',
  'gmv_fen',
  'refunded_fen',
  'after_sales',
  'complaints',
  'shortage_units',
  'pickups_due',
  'pickups_on_time',
  'ratings',
  'rating_sum',
];

const DAILY_KEY = 'day, community_id, channel, actor_type, actor_id';
const SKU_KEY = 'day, region_id, grid_warehouse_id, sku_id';
const ROUTE_KEY = 'day, route_id';

const list = (cols: readonly string[]) => sql.raw(cols.join(', '));
const sums = (cols: readonly string[]) => sql.raw(cols.map((c) => `sum(f.${c})`).join(', '));
const adds = (table: string, cols: readonly string[]) => sql.raw(cols.map((c) => `${c} = ${table}.${c} + EXCLUDED.${c}`).join(', '));

/**
 * Add facts (one row per fact: day, community_id, channel, actor_type, actor_id, region_id and
 * the named figures) to insights_daily. A row's region is the largest seen for it, whatever
 * the order the facts come in.
 */
export async function addToDaily(db: Executor, facts: SQL, figures: readonly DailyFigure[]): Promise<void> {
  await db.execute(sql`
    INSERT INTO insights_daily AS d (${sql.raw(DAILY_KEY)}, region_id, ${list(figures)})
    SELECT f.day, f.community_id, f.channel, f.actor_type, f.actor_id, max(f.region_id), ${sums(figures)}
    FROM (${facts}) f
    GROUP BY f.day, f.community_id, f.channel, f.actor_type, f.actor_id
    ON CONFLICT (${sql.raw(DAILY_KEY)}) DO UPDATE SET region_id = GREATEST(d.region_id, EXCLUDED.region_id), ${adds('d', figures)}`);
}

/** Add facts (day, region_id, grid_warehouse_id, sku_id and the figures) to insights_sku_daily. */
export async function addToSkus(db: Executor, facts: SQL, figures: readonly SkuFigure[]): Promise<void> {
  await db.execute(sql`
    INSERT INTO insights_sku_daily AS s (${sql.raw(SKU_KEY)}, ${list(figures)})
    SELECT f.day, f.region_id, f.grid_warehouse_id, f.sku_id, ${sums(figures)}
    FROM (${facts}) f
    GROUP BY f.day, f.region_id, f.grid_warehouse_id, f.sku_id
    ON CONFLICT (${sql.raw(SKU_KEY)}) DO UPDATE SET ${adds('s', figures)}`);
}

/**
 * Add facts (day, route_id, region_id, grid_warehouse_id and the figures) to
 * insights_route_daily, with the route's number (the dashboard groups runs by it).
 */
export async function addToRoutes(db: Executor, facts: SQL, figures: readonly RouteFigure[]): Promise<void> {
  await db.execute(sql`
    INSERT INTO insights_route_daily AS r (${sql.raw(ROUTE_KEY)}, region_id, grid_warehouse_id, seq, ${list(figures)})
    SELECT f.day, f.route_id, max(f.region_id), max(f.grid_warehouse_id), COALESCE((SELECT dr.seq FROM delivery_routes dr WHERE dr.id = f.route_id), 0), ${sums(figures)}
    FROM (${facts}) f
    GROUP BY f.day, f.route_id
    ON CONFLICT (${sql.raw(ROUTE_KEY)}) DO UPDATE SET ${adds('r', figures)}`);
}

// ── paid orders ─────────────────────────────────────────────────────────────────────────────

/**
 * Paid orders → insights_daily (orders, buyers, units, GMV) and insights_daily_buyers: a buyer
 * new to a row (first membership insert) adds one to its `buyers`. `where` filters `o`.
 */
export async function addPaidOrders(db: Executor, where: SQL): Promise<void> {
  await db.execute(sql`
    WITH f AS (
      SELECT ${chinaDayOf(sql`k.paid_at`)} AS day, k.community_id, k.channel, k.actor_type, k.actor_id, k.region_id, k.account_id, k.total_fen,
             (SELECT COALESCE(sum(l.quantity), 0) FROM order_lines l WHERE l.order_id = k.order_id) AS units
      FROM (${orderKeys(where)}) k
    ),
    nb AS (
      INSERT INTO insights_daily_buyers (${sql.raw(DAILY_KEY)}, account_id)
      SELECT DISTINCT day, community_id, channel, actor_type, actor_id, account_id FROM f
      ON CONFLICT DO NOTHING
      RETURNING ${sql.raw(DAILY_KEY)}
    ),
    nbc AS (SELECT ${sql.raw(DAILY_KEY)}, count(*) AS n FROM nb GROUP BY ${sql.raw(DAILY_KEY)}),
    agg AS (
      SELECT ${sql.raw(DAILY_KEY)}, max(region_id) AS region_id, count(*) AS orders, sum(units) AS units, sum(total_fen) AS gmv_fen
      FROM f GROUP BY ${sql.raw(DAILY_KEY)}
    )
    INSERT INTO insights_daily AS d (${sql.raw(DAILY_KEY)}, region_id, orders, buyers, units, gmv_fen)
    SELECT a.day, a.community_id, a.channel, a.actor_type, a.actor_id, a.region_id, a.orders, COALESCE(n.n, 0), a.units, a.gmv_fen
    FROM agg a LEFT JOIN nbc n USING (day, community_id, channel, actor_type, actor_id)
    ON CONFLICT (${sql.raw(DAILY_KEY)}) DO UPDATE SET region_id = GREATEST(d.region_id, EXCLUDED.region_id),
      orders = d.orders + EXCLUDED.orders, buyers = d.buyers + EXCLUDED.buyers, units = d.units + EXCLUDED.units, gmv_fen = d.gmv_fen + EXCLUDED.gmv_fen`);
}

/** Paid orders' lines → units sold and line GMV per SKU, by the order's grid warehouse. */
export function paidSkuFacts(where: SQL): SQL {
  return sql`SELECT ${chinaDayOf(sql`k.paid_at`)} AS day, k.region_id, k.grid_warehouse_id, l.sku_id, l.quantity AS units_sold, l.line_total_fen AS gmv_fen
             FROM (${orderKeys(where)}) k JOIN order_lines l ON l.order_id = k.order_id`;
}

/** Paid orders → insights_actor_repeat (not for orders credited to nobody). */
export async function addActorRepeat(db: Executor, where: SQL): Promise<void> {
  await db.execute(sql`
    INSERT INTO insights_actor_repeat AS r (actor_type, actor_id, account_id, orders, first_paid_at, last_paid_at)
    SELECT k.actor_type, k.actor_id, k.account_id, count(*), min(k.paid_at), max(k.paid_at)
    FROM (${orderKeys(where)}) k
    WHERE k.actor_type <> 'none'
    GROUP BY k.actor_type, k.actor_id, k.account_id
    ON CONFLICT (actor_type, actor_id, account_id) DO UPDATE SET orders = r.orders + EXCLUDED.orders,
      first_paid_at = LEAST(r.first_paid_at, EXCLUDED.first_paid_at), last_paid_at = GREATEST(r.last_paid_at, EXCLUDED.last_paid_at)`);
}

// ── refunds, after-sales, ratings ───────────────────────────────────────────────────────────

/**
 * Refunds of counted orders (the ones with lines: a late payment given back has none and is
 * no `order.refunded`). `where` filters `r` (refunds). Figures: refunded_fen, shortage_units.
 */
export function refundDailyFacts(where: SQL): SQL {
  return sql`SELECT ${chinaDayOf(sql`r.created_at`)} AS day, k.community_id, k.channel, k.actor_type, k.actor_id, k.region_id,
                    r.amount_fen AS refunded_fen,
                    CASE WHEN r.kind = 'shortage' THEN (SELECT sum(rl.quantity) FROM refund_lines rl WHERE rl.refund_id = r.id) ELSE 0 END AS shortage_units
             FROM refunds r JOIN (${orderKeys()}) k ON k.order_id = r.order_id
             WHERE (${where}) AND EXISTS (SELECT 1 FROM refund_lines rl WHERE rl.refund_id = r.id)`;
}

/** Refunded units per SKU (units_refunded, and units_short for shortage refunds). */
export function refundSkuFacts(where: SQL): SQL {
  return sql`SELECT ${chinaDayOf(sql`r.created_at`)} AS day, k.region_id, k.grid_warehouse_id, l.sku_id,
                    rl.quantity AS units_refunded, CASE WHEN r.kind = 'shortage' THEN rl.quantity ELSE 0 END AS units_short
             FROM refunds r
             JOIN refund_lines rl ON rl.refund_id = r.id
             JOIN order_lines l ON l.id = rl.order_line_id
             JOIN (${orderKeys()}) k ON k.order_id = r.order_id
             WHERE (${where})`;
}

/** Shortage refunds of orders on a route → its shortage_units. `routeWhere` filters `rt`. */
export function refundRouteFacts(where: SQL, routeWhere: SQL = sql`TRUE`): SQL {
  return sql`SELECT rt.day, rt.route_id, rt.region_id, rt.grid_warehouse_id, rl.quantity AS shortage_units
             FROM refunds r
             JOIN refund_lines rl ON rl.refund_id = r.id
             JOIN orders o ON o.id = r.order_id AND o.channel <> 'replenishment' AND o.paid_at IS NOT NULL
             CROSS JOIN LATERAL (${routeOf('o')}) rt
             WHERE r.kind = 'shortage' AND (${where}) AND (${routeWhere})`;
}

/** After-sales requests opened (after_sales; complaints by reason). `where` filters `a`. */
export function afterSalesDailyFacts(where: SQL): SQL {
  return sql`SELECT ${chinaDayOf(sql`a.created_at`)} AS day, k.community_id, k.channel, k.actor_type, k.actor_id, k.region_id,
                    1 AS after_sales, CASE WHEN a.reason = ANY (${sql.param([...COMPLAINT_REASONS])}::text[]) THEN 1 ELSE 0 END AS complaints
             FROM after_sales_requests a JOIN (${orderKeys()}) k ON k.order_id = a.order_id
             WHERE (${where})`;
}

/**
 * After-sales requests opened on a route's orders once its wave was made (a request opened
 * before the cutoff was about an order not yet on any route).
 */
export function afterSalesRouteFacts(where: SQL, routeWhere: SQL = sql`TRUE`): SQL {
  return sql`SELECT rt.day, rt.route_id, rt.region_id, rt.grid_warehouse_id, 1 AS after_sales
             FROM after_sales_requests a
             JOIN orders o ON o.id = a.order_id AND o.channel <> 'replenishment' AND o.paid_at IS NOT NULL
             CROSS JOIN LATERAL (${routeOf('o')}) rt
             WHERE (${where}) AND rt.wave_created_at <= a.created_at AND (${routeWhere})`;
}

/** Residents' ratings. `where` filters `rt` (order_ratings). */
export function ratingDailyFacts(where: SQL): SQL {
  return sql`SELECT ${chinaDayOf(sql`rt.created_at`)} AS day, k.community_id, k.channel, k.actor_type, k.actor_id, k.region_id,
                    1 AS ratings, rt.stars AS rating_sum
             FROM order_ratings rt JOIN (${orderKeys()}) k ON k.order_id = rt.order_id
             WHERE (${where})`;
}

// ── traffic ─────────────────────────────────────────────────────────────────────────────────

/**
 * Views, shares and clicks. Credited to the actor that brought them (a leader's share: the
 * leader's pickup point; a host; a store), else to what was looked at (a pickup point, a store,
 * a live session's host), else to nobody. The channel follows the actor (point → group_buy,
 * store → store_online, host → live); with no actor, a campaign is group_buy and the rest
 * 'other'. Community: the event's, else the visitor's home, else 0; region: the community's,
 * else the actor's. `where` filters `te` (traffic_events).
 */
export function trafficDailyFacts(where: SQL): SQL {
  return sql`SELECT ${chinaDayOf(sql`te.occurred_at`)} AS day,
                    COALESCE(te.community_id, h.community_id, 0)::bigint AS community_id,
                    CASE a.actor_type WHEN 'point' THEN 'group_buy' WHEN 'store' THEN 'store_online' WHEN 'host' THEN 'live'
                         ELSE CASE WHEN te.target_type = 'campaign' THEN 'group_buy' ELSE 'other' END END AS channel,
                    a.actor_type, a.actor_id,
                    COALESCE(cm.region_id, apc.region_id, ast.region_id, ahp.region_id, 0)::bigint AS region_id,
                    CASE WHEN te.kind = 'view' THEN 1 ELSE 0 END AS views,
                    CASE WHEN te.kind = 'share' THEN 1 ELSE 0 END AS shares,
                    CASE WHEN te.kind = 'click' THEN 1 ELSE 0 END AS clicks
             FROM traffic_events te
             LEFT JOIN resident_homes h ON h.account_id = te.account_id
             LEFT JOIN communities cm ON cm.id = COALESCE(te.community_id, h.community_id)
             LEFT JOIN LATERAL (
               -- The leader's point: her profile's, else the point she leads (lowest id).
               SELECT COALESCE((SELECT p.pickup_point_id FROM leader_profiles p WHERE p.account_id = te.source_id),
                               (SELECT min(pp.id) FROM pickup_points pp WHERE pp.leader_account_id = te.source_id)) AS pickup_point_id
               WHERE te.source_type = 'leader' AND te.source_id IS NOT NULL
             ) lp ON true
             LEFT JOIN live_sessions ls ON te.target_type = 'live_session' AND ls.id = te.target_id
             CROSS JOIN LATERAL (
               SELECT CASE WHEN lp.pickup_point_id IS NOT NULL THEN 'point'
                           WHEN te.source_type IN ('host', 'store') AND te.source_id IS NOT NULL THEN te.source_type
                           WHEN te.target_type = 'pickup_point' AND te.target_id IS NOT NULL THEN 'point'
                           WHEN te.target_type = 'store' AND te.target_id IS NOT NULL THEN 'store'
                           WHEN ls.host_account_id IS NOT NULL THEN 'host'
                           ELSE 'none' END AS actor_type,
                      CASE WHEN lp.pickup_point_id IS NOT NULL THEN lp.pickup_point_id
                           WHEN te.source_type IN ('host', 'store') AND te.source_id IS NOT NULL THEN te.source_id
                           WHEN te.target_type IN ('pickup_point', 'store') AND te.target_id IS NOT NULL THEN te.target_id
                           WHEN ls.host_account_id IS NOT NULL THEN ls.host_account_id
                           ELSE 0 END::bigint AS actor_id
             ) a
             LEFT JOIN pickup_points app ON a.actor_type = 'point' AND app.id = a.actor_id
             LEFT JOIN communities apc ON apc.id = app.community_id
             LEFT JOIN stores ast ON a.actor_type = 'store' AND ast.id = a.actor_id
             LEFT JOIN host_profiles ahp ON a.actor_type = 'host' AND ahp.account_id = a.actor_id
             WHERE (${where})`;
}

// ── what was offered, and the routes ────────────────────────────────────────────────────────

/**
 * Campaign stock, counted once the campaign's cutoff wave is made (campaigns emit no events of
 * their own; by then the offer is final), on the China day of its cutoff, region level (grid 0).
 * `where` filters `w` (waves) and `c` (campaigns).
 */
export function campaignOfferFacts(where: SQL): SQL {
  return sql`SELECT ${chinaDayOf(sql`c.cutoff_at`)} AS day, c.region_id, 0::bigint AS grid_warehouse_id, ci.sku_id, ci.stock AS units_offered
             FROM waves w
             JOIN campaigns c ON c.id = ANY (w.campaign_ids)
             JOIN campaign_items ci ON ci.campaign_id = c.id
             WHERE (${where})`;
}

/** A live session's bag allotment, counted when it ends, on the day it started. `where` filters `s`. */
export function liveOfferFacts(where: SQL): SQL {
  return sql`SELECT ${chinaDayOf(sql`s.started_at`)} AS day, s.region_id, 0::bigint AS grid_warehouse_id, b.sku_id, b.allotted AS units_offered
             FROM live_sessions s JOIN live_bag_items b ON b.session_id = s.id
             WHERE s.status = 'ended' AND s.started_at IS NOT NULL AND (${where})`;
}

/** A wave's routes as planned: stops, orders and units. `where` filters `w` (waves). */
export function plannedRouteFacts(where: SQL): SQL {
  return sql`SELECT w.pickup_date AS day, dr.id AS route_id, w.region_id, dr.grid_warehouse_id,
                    (SELECT count(*) FROM route_stops s WHERE s.route_id = dr.id) AS stops,
                    (SELECT COALESCE(sum(s.orders), 0) FROM route_stops s WHERE s.route_id = dr.id) AS orders,
                    (SELECT COALESCE(sum(s.items), 0) FROM route_stops s WHERE s.route_id = dr.id) AS units
             FROM waves w JOIN delivery_routes dr ON dr.wave_id = w.id
             WHERE (${where})`;
}

// ── pickups ─────────────────────────────────────────────────────────────────────────────────

/**
 * Where group-buy orders stand for the pickup figures, with the leaders' KPI definition
 * (src/modules/leaders/kpi.repo.ts): an order is due once its goods arrived at its point (the
 * point's arrival hand-off in the wave carrying its campaign was signed, or the order is ready
 * or completed) while it is still live (paid, fulfilling, ready, completed); its day is the
 * arrival's China day (the campaign's pickup date when no hand-off was signed); it is on time
 * when a pickup (not undone) happened before the end of the day after arrival. Columns:
 * order_id, day, community_id, channel, actor_type, actor_id, region_id, on_time.
 * `orderWhere` filters `o` (orders); `where` filters `c` (campaigns) and `st.day`.
 */
export function pickupStates(orderWhere: SQL, where: SQL = sql`TRUE`): SQL {
  return sql`SELECT k.order_id, st.day, k.community_id, k.channel, k.actor_type, k.actor_id, k.region_id,
                    EXISTS (SELECT 1 FROM pickups pk WHERE pk.order_id = k.order_id AND pk.undone_at IS NULL
                              AND pk.picked_at < ((st.day + 2)::timestamp AT TIME ZONE 'UTC') - interval '8 hours') AS on_time
             FROM (${orderKeys(sql`o.channel = 'group_buy' AND o.campaign_id IS NOT NULL AND o.pickup_point_id IS NOT NULL AND (${orderWhere})`)}) k
             JOIN campaigns c ON c.id = k.campaign_id
             LEFT JOIN waves w ON w.pickup_date = c.pickup_date AND c.id = ANY (w.campaign_ids)
             CROSS JOIN LATERAL (
               SELECT min(h.signed_at) AS signed_at, COALESCE(${chinaDayOf(sql`min(h.signed_at)`)}, c.pickup_date) AS day
               FROM handoffs h
               WHERE h.wave_id = w.id AND h.kind = 'point_arrival'
                 AND COALESCE(h.purchase_order_id, h.grid_warehouse_id, h.pickup_point_id) = k.pickup_point_id
             ) st
             WHERE k.status IN ('paid', 'fulfilling', 'ready', 'completed')
               AND (st.signed_at IS NOT NULL OR k.status IN ('ready', 'completed'))
               AND (${where})`;
}
