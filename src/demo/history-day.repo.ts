// SQL of the simulated history's orders (history.ts): one chunk of a day's orders, written with
// everything that happens to them, and then the day's wave (routes, stops, the points' arrival
// hand-offs) and the units that were on offer. Set-based throughout: a chunk is a dozen
// INSERT … SELECT statements whatever its size.
//
// Every "random" choice is pg_temp.hist_u(key, seed·64 + salt): a hash of the simulation's own
// order number g (or g·4 + line) and a salt per decision, so the same seed and city give the
// same rows, and changing one decision's salt leaves the others alone. Scratch tables (hist_*)
// are TEMP: each connection has its own.
import type { Connection } from '../db';
import { reserveIds } from './history.repo';

/** The shelf a store draws from: this many SKUs of its district, stepped by a co-prime stride. */
export const SHELF_STRIDE = 7;
/** Items per campaign and their stride (co-prime), products per live bag. */
export const CAMPAIGN_ITEMS = 12;
const CAMPAIGN_STRIDE = 5;
export const BAG_ITEMS = 6;

export interface ChunkParams {
  seed: number;
  /** Prefix of the orders' idempotency keys. */
  tag: string;
  g1: number;
  g2: number;
  /** The simulation's number g of each day's first order (day d = width_bucket(g) - 1). */
  dayFirstG: number[];
  /** China midnight of the first day; day d starts d × 24 h later (China keeps no summer time). */
  firstDayStart: Date;
  /** No event of the history happens after this instant. */
  lastEventAt: Date;
  /** Each day's live sessions: hist_sessions.idx from sessionLo[d], sessionCount[d] of them. */
  sessionLo: number[];
  sessionCount: number[];
  /** Cumulative channel shares: group buy, + live, + store online (the rest is the counter). */
  mix: readonly [number, number, number];
  /** Lower bounds of each actor's share of [0, 1), in idx order (width_bucket thresholds). */
  pointBounds: number[];
  storeBounds: number[];
  shelfSize: number;
  operatorId: number;
}

export interface ChunkCounts {
  orders: number;
  paid: number;
  lines: number;
  refunds: number;
  afterSales: number;
  pickups: number;
  ratings: number;
  traffic: number;
  firstOrderId: number;
  lastOrderId: number;
}

const u = (key: string, salt: number) => `pg_temp.hist_u(${key}, $1::bigint * 64 + ${salt})`;
/** Salt of the arrival time (pg_temp.hist_arrival), shared by the orders and the day's hand-offs. */
const ARRIVAL_SALT = 30;

export class HistoryDayRepo {
  async createScratch(conn: Connection): Promise<void> {
    await conn.exec(`
      CREATE TEMP TABLE hist_batch (g bigint PRIMARY KEY, id bigint, pay_id bigint, ch text, okind int, okey int, nlines int, j0 int,
        buyer bigint, self boolean, region_id bigint, community_id bigint, location_id bigint, point_id bigint, store_id bigint,
        leader bigint, host bigint, session_id bigint, campaign_id bigint, wave_id bigint, link_id bigint, referrer bigint,
        fulfilment text, plan jsonb, bad float8, paid boolean, unpaid_kind text, full_refund boolean, short boolean, as_req boolean,
        as_reason text, as_ok boolean, rated boolean, stars int, created_at timestamptz, paid_at timestamptz, full_at timestamptz,
        arrival_at timestamptz, completed_at timestamptz, as_at timestamptz, decided_at timestamptz, rated_at timestamptz,
        provider text, views int, clicks int, shares int, src_actor boolean, traffic_link boolean, src_type text, src_id bigint,
        view_target text, view_target_id bigint, traffic_community bigint);
      CREATE TEMP TABLE hist_lines (id bigint PRIMARY KEY, g bigint, order_id bigint, k int, sku_id bigint, product_id bigint, title text,
        spec text, unit text, price int, qty int, short_qty int, full_qty int, as_qty int, ref_qty int, picked int, limit_scope text);
      CREATE TEMP TABLE hist_tot (g bigint PRIMARY KEY, items bigint, refunded bigint, picked int, as_qty int, done boolean);
      CREATE TEMP TABLE hist_as (id bigint PRIMARY KEY, g bigint, order_id bigint, buyer bigint, reason text, line_id bigint, qty int,
        requested bigint, approved boolean, created_at timestamptz, decided_at timestamptz);
      CREATE TEMP TABLE hist_refunds (id bigint PRIMARY KEY, g bigint, order_id bigint, pay_id bigint, kind text, amount bigint, reason text,
        restock boolean, created_at timestamptz, as_id bigint, requested_by bigint);
      CREATE TEMP TABLE hist_wave_lines (wave_id bigint, d int, point_id bigint, order_id bigint, sku_id bigint, qty int, short int);
      CREATE TEMP TABLE hist_live_sold (session_id bigint, sku_id bigint, qty int);
      CREATE TEMP TABLE hist_stop_skus (wave_id bigint, point_id bigint, sku_id bigint, expected int, short int, PRIMARY KEY (wave_id, point_id, sku_id));
      CREATE TEMP TABLE hist_stops (wave_id bigint, d int, point_id bigint, route_no int, route_seq int, grid bigint, leader bigint, bad float8,
        orders int, items int, short int, handoff_id bigint, PRIMARY KEY (wave_id, point_id));
      CREATE TEMP TABLE hist_day_routes (id bigint PRIMARY KEY, wave_id bigint, route_no int, grid bigint, seq int, load int, distance_m int);
    `);
  }

  /** Orders g1…g2, with their lines, payment, refunds, after-sales, pickups, ratings and traffic. */
  async writeChunk(conn: Connection, p: ChunkParams): Promise<ChunkCounts> {
    const n = p.g2 - p.g1 + 1;
    await clear(conn, ['hist_batch', 'hist_lines', 'hist_tot', 'hist_as', 'hist_refunds'], n);
    const orderBase = await reserveIds(conn, 'orders', n);
    const payBase = await reserveIds(conn, 'payments', n);
    await conn.query(BATCH_SQL, [
      p.seed,
      p.g1,
      p.g2,
      p.dayFirstG,
      p.firstDayStart.toISOString(),
      p.sessionLo,
      p.sessionCount,
      p.mix[0],
      p.mix[1],
      p.mix[2],
      p.pointBounds.length ? p.pointBounds : [0],
      p.storeBounds.length ? p.storeBounds : [0],
      p.lastEventAt.toISOString(),
      orderBase,
      payBase,
      p.shelfSize,
    ]);
    await conn.exec('ANALYZE hist_batch (g, okind, okey, nlines)');
    const [{ lines }] = (await conn.query<{ lines: number }>('SELECT COALESCE(sum(nlines), 0)::int AS lines FROM hist_batch')) as [{ lines: number }];
    const lineBase = await reserveIds(conn, 'order_lines', lines);
    await conn.query(LINES_SQL, [p.seed, lineBase, p.shelfSize]);
    await conn.exec('ANALYZE hist_lines (g, k)');
    await conn.exec(`
      INSERT INTO hist_tot (g, items, refunded, picked, as_qty, done)
      SELECT l.g, sum(l.qty * l.price), sum(l.ref_qty * l.price), sum(l.picked), sum(l.as_qty),
             bool_and(b.paid AND NOT b.full_refund) AND (min(b.ch) <> 'group_buy' OR sum(l.picked) > 0)
        FROM hist_lines l JOIN hist_batch b ON b.g = l.g GROUP BY l.g`);
    const [{ n: asCount }] = (await conn.query<{ n: number }>('SELECT count(*)::int AS n FROM hist_lines WHERE as_qty > 0')) as [{ n: number }];
    const asBase = await reserveIds(conn, 'after_sales_requests', asCount);
    await conn.query(
      `INSERT INTO hist_as (id, g, order_id, buyer, reason, line_id, qty, requested, approved, created_at, decided_at)
       SELECT $1::bigint + row_number() OVER (ORDER BY l.g) - 1, l.g, b.id, b.buyer, b.as_reason, l.id, l.as_qty, l.as_qty * l.price,
              b.as_ok, b.as_at, b.decided_at
         FROM hist_lines l JOIN hist_batch b ON b.g = l.g WHERE l.as_qty > 0`,
      [asBase],
    );
    const [{ n: refundCount }] = (await conn.query<{ n: number }>(
      `SELECT ((SELECT count(*) FROM hist_batch WHERE full_refund) + (SELECT count(DISTINCT g) FROM hist_lines WHERE short_qty > 0)
               + (SELECT count(*) FROM hist_as WHERE approved))::int AS n`,
    )) as [{ n: number }];
    const refundBase = await reserveIds(conn, 'refunds', refundCount);
    await conn.query(REFUNDS_SQL, [refundBase, p.operatorId]);
    await conn.query(ORDERS_SQL, [p.tag]);
    await conn.exec(`
      INSERT INTO order_lines (id, order_id, sku_id, product_id, title, spec, unit, unit_price_fen, quantity, discount_fen, line_total_fen,
                               limit_scope, refunded_quantity, refunded_fen, picked_quantity) OVERRIDING SYSTEM VALUE
      SELECT id, order_id, sku_id, product_id, title, spec, unit, price, qty, 0, price * qty, limit_scope, ref_qty, ref_qty * price, picked
        FROM hist_lines`);
    await conn.exec(`
      INSERT INTO payments (id, order_id, payer_account_id, provider, amount_fen, status, provider_ref, refunded_fen, created_at, succeeded_at, closed_at)
      OVERRIDING SYSTEM VALUE
      SELECT b.pay_id, b.id, b.buyer, b.provider, t.items, CASE WHEN b.paid THEN 'succeeded' ELSE 'closed' END,
             CASE WHEN NOT b.paid THEN NULL WHEN b.provider = 'cash' THEN 'cash_' || b.id ELSE 'sbx_txn_' || b.pay_id END,
             t.refunded, b.created_at, b.paid_at,
             CASE WHEN b.paid THEN NULL WHEN b.unpaid_kind = 'cancelled' THEN b.created_at + interval '5 minutes' ELSE b.created_at + interval '15 minutes' END
        FROM hist_batch b JOIN hist_tot t ON t.g = b.g`);
    await conn.query(AFTER_SALES_SQL, [p.operatorId || null]);
    await conn.exec(`
      INSERT INTO refunds (id, order_id, kind, amount_fen, reason, restock, status, after_sales_id, requested_by, created_at) OVERRIDING SYSTEM VALUE
      SELECT id, order_id, kind, amount, reason, restock, 'succeeded', as_id, requested_by, created_at FROM hist_refunds;
      INSERT INTO refund_lines (refund_id, order_line_id, quantity, amount_fen)
      SELECT r.id, l.id, x.q, x.q * l.price
        FROM hist_refunds r JOIN hist_lines l ON l.g = r.g
        CROSS JOIN LATERAL (SELECT CASE r.kind WHEN 'full' THEN l.full_qty WHEN 'shortage' THEN l.short_qty ELSE l.as_qty END AS q) x
       WHERE x.q > 0;
      INSERT INTO payment_refunds (payment_id, refund_ref, amount_fen, reason, status, provider_ref, created_at, completed_at)
      SELECT pay_id, 'refund-' || id, amount, reason, 'succeeded', 'sbx_rf_' || pay_id || '_refund-' || id, created_at, created_at + interval '8 seconds'
        FROM hist_refunds;
      INSERT INTO pickups (order_id, order_line_id, quantity, scan_id, by_account_id, picked_at)
      SELECT l.order_id, l.id, l.picked, 'hist-' || l.order_id, b.leader, b.completed_at
        FROM hist_lines l JOIN hist_batch b ON b.g = l.g WHERE l.picked > 0;
      INSERT INTO pos_sales (order_id, cash_received_fen, change_fen, sale_discount_fen, created_at)
      SELECT b.id, ceil(t.items / 1000.0)::bigint * 1000, ceil(t.items / 1000.0)::bigint * 1000 - t.items, 0, b.created_at
        FROM hist_batch b JOIN hist_tot t ON t.g = b.g WHERE b.ch = 'store_counter'`);
    await conn.exec(RATINGS_SQL);
    await conn.query(TRAFFIC_SQL, [p.lastEventAt.toISOString()]);
    // What the day's waves and live bags need, kept here so finishDays never reads back the
    // orders just written (their statistics are stale until the next ANALYZE, and a plan made
    // on them can go quadratic).
    await conn.exec(`
      INSERT INTO hist_wave_lines (wave_id, d, point_id, order_id, sku_id, qty, short)
      SELECT b.wave_id, x.day, b.point_id, b.id, l.sku_id, l.qty, l.short_qty
        FROM hist_batch b JOIN hist_campaigns x ON x.id = b.campaign_id JOIN hist_lines l ON l.g = b.g
       WHERE b.ch = 'group_buy' AND b.paid AND NOT b.full_refund;
      INSERT INTO hist_live_sold (session_id, sku_id, qty)
      SELECT b.session_id, l.sku_id, sum(l.qty) FROM hist_batch b JOIN hist_lines l ON l.g = b.g
       WHERE b.ch = 'live' AND b.paid GROUP BY 1, 2`);
    const [c] = await conn.query<Omit<ChunkCounts, 'firstOrderId' | 'lastOrderId' | 'lines' | 'refunds' | 'afterSales'>>(`
      SELECT count(*)::int AS orders, count(*) FILTER (WHERE paid)::int AS paid,
             (SELECT count(*) FROM hist_lines WHERE picked > 0)::int AS pickups,
             (SELECT count(*) FROM hist_batch x JOIN hist_tot t ON t.g = x.g WHERE x.rated AND t.done AND t.refunded < t.items)::int AS ratings,
             COALESCE(sum(views + clicks + shares), 0)::int AS traffic
        FROM hist_batch`);
    return { ...c!, lines, refunds: refundCount, afterSales: asCount, firstOrderId: orderBase, lastOrderId: orderBase + n - 1 };
  }

  /**
   * The waves of days whose orders are all written (ids firstOrderId…lastOrderId) as they ran:
   * a route per group of points that had orders, a stop per point, the arrival hand-off each
   * leader signed (short units noted), the waves' counts; and the units on offer: each campaign
   * item and live bag item a little above what sold.
   */
  async finishDays(conn: Connection, p: { seed: number; firstDayStart: Date; firstOrderId: number; lastOrderId: number }): Promise<void> {
    await clear(conn, ['hist_stop_skus', 'hist_stops', 'hist_day_routes'], p.lastOrderId - p.firstOrderId + 1);
    // Orders in the waves: paid, not refunded in full before the cutoff (hist_wave_lines).
    await conn.exec(`
      ANALYZE hist_wave_lines;
      INSERT INTO hist_stop_skus (wave_id, point_id, sku_id, expected, short)
      SELECT wave_id, point_id, sku_id, sum(qty), sum(short) FROM hist_wave_lines GROUP BY 1, 2, 3;
      INSERT INTO hist_stops (wave_id, d, point_id, route_no, route_seq, grid, leader, bad, orders, items, short)
      SELECT w.wave_id, w.d, p.id, p.route_no, p.route_seq, p.grid, p.leader, p.bad, w.orders, w.items, w.short
        FROM (SELECT wave_id, d, point_id, count(DISTINCT order_id)::int AS orders, sum(qty)::int AS items, sum(short)::int AS short
                FROM hist_wave_lines GROUP BY 1, 2, 3) w
        JOIN hist_points p ON p.id = w.point_id
       WHERE p.grid IS NOT NULL`);
    const [{ routes, stops }] = (await conn.query<{ routes: number; stops: number }>(
      'SELECT count(DISTINCT (wave_id, route_no))::int AS routes, count(*)::int AS stops FROM hist_stops',
    )) as [{ routes: number; stops: number }];
    if (stops > 0) {
      const routeBase = await reserveIds(conn, 'delivery_routes', routes);
      const handoffBase = await reserveIds(conn, 'handoffs', stops);
      await conn.query(
        `INSERT INTO hist_day_routes (id, wave_id, route_no, grid, seq, load, distance_m)
         SELECT $1::bigint + row_number() OVER (ORDER BY s.wave_id, s.route_no) - 1, s.wave_id, s.route_no, s.grid,
                row_number() OVER (PARTITION BY s.wave_id, s.grid ORDER BY s.route_no), sum(ceil(s.items / 12.0))::int, max(r.distance_m)
           FROM hist_stops s JOIN hist_routes r ON r.route_no = s.route_no
          GROUP BY s.wave_id, s.route_no, s.grid`,
        [routeBase],
      );
      await conn.query(
        `UPDATE hist_stops s SET handoff_id = x.id
           FROM (SELECT wave_id, point_id, $1::bigint + row_number() OVER (ORDER BY wave_id, point_id) - 1 AS id FROM hist_stops) x
          WHERE s.wave_id = x.wave_id AND s.point_id = x.point_id`,
        [handoffBase],
      );
      await conn.query(
        `INSERT INTO delivery_routes (id, wave_id, grid_warehouse_id, seq, capacity_crates, load_crates, distance_m, status, dispatched_at)
         OVERRIDING SYSTEM VALUE
         SELECT r.id, r.wave_id, r.grid, r.seq, GREATEST(60, r.load), r.load, r.distance_m, 'dispatched',
                $1::timestamptz + (cp.day * 24 + 29.5) * interval '1 hour'
           FROM hist_day_routes r JOIN hist_campaigns cp ON cp.wave_id = r.wave_id`,
        [p.firstDayStart.toISOString()],
      );
      await conn.exec(
        `INSERT INTO route_stops (route_id, seq, pickup_point_id, crates, items, orders)
         SELECT r.id, row_number() OVER (PARTITION BY r.id ORDER BY s.route_seq), s.point_id, ceil(s.items / 12.0)::int, s.items, s.orders
           FROM hist_stops s JOIN hist_day_routes r ON r.wave_id = s.wave_id AND r.route_no = s.route_no`,
      );
      await conn.query(
        `INSERT INTO handoffs (id, wave_id, kind, pickup_point_id, signed_by, signed_at, note) OVERRIDING SYSTEM VALUE
         SELECT s.handoff_id, s.wave_id, 'point_arrival', s.point_id, s.leader,
                pg_temp.hist_arrival(s.point_id, s.d, $1::bigint * 64 + ${ARRIVAL_SALT}, $2::timestamptz + s.d * interval '24 hours', s.bad),
                CASE WHEN s.short > 0 THEN '少到 ' || s.short || ' 份，已拍照' ELSE '' END
           FROM hist_stops s`,
        [p.seed, p.firstDayStart.toISOString()],
      );
      await conn.exec(
        `INSERT INTO handoff_lines (handoff_id, sku_id, expected, received, damaged)
         SELECT s.handoff_id, k.sku_id, k.expected, k.expected - k.short, 0
           FROM hist_stop_skus k JOIN hist_stops s ON s.wave_id = k.wave_id AND s.point_id = k.point_id;
         UPDATE waves w SET orders = x.orders, items = x.items, stops = x.stops, routes = x.routes
           FROM (SELECT wave_id, sum(orders)::int AS orders, sum(items)::int AS items, count(*)::int AS stops, count(DISTINCT route_no)::int AS routes
                   FROM hist_stops GROUP BY wave_id) x
          WHERE w.id = x.wave_id`,
      );
    }
    await conn.query(
      `UPDATE campaign_items ci SET stock = x.sold + ceil(x.sold * (0.1 + 0.4 * ${u('ci.campaign_id * 100000 + ci.sku_id', 31)}))::int + 3
         FROM (SELECT cp.id AS campaign_id, k.sku_id, sum(k.expected)::int AS sold
                 FROM hist_stop_skus k JOIN hist_campaigns cp ON cp.wave_id = k.wave_id GROUP BY 1, 2) x
        WHERE ci.campaign_id = x.campaign_id AND ci.sku_id = x.sku_id`,
      [p.seed],
    );
    await conn.exec(`
      UPDATE live_bag_items b SET allotted = x.sold + ceil(x.sold * 0.3)::int + 4
        FROM (SELECT session_id, sku_id, sum(qty)::int AS sold FROM hist_live_sold GROUP BY 1, 2) x
       WHERE b.session_id = x.session_id AND b.sku_id = x.sku_id`);
    await clear(conn, ['hist_wave_lines', 'hist_live_sold'], p.lastOrderId - p.firstOrderId + 1);
  }
}

/**
 * Empty scratch tables: TRUNCATE makes new files (~20 ms for a handful of tables), DELETE
 * leaves dead rows no autovacuum clears on TEMP tables; so DELETE small batches, TRUNCATE big.
 */
async function clear(conn: Connection, tables: string[], rows: number): Promise<void> {
  if (rows >= 5000) await conn.exec(`TRUNCATE ${tables.join(', ')}`);
  else await conn.exec(tables.map((t) => `DELETE FROM ${t};`).join('\n'));
}

// ── The chunk's statements ─────────────────────────────────────────────────────────────────

/**
 * One row per order: channel, actor, buyer, times and fate. Actors are drawn by weight
 * (width_bucket over their cumulative shares), buyers from the actor's neighbours with the
 * actor's loyalty (u^loyal: a loyal following keeps coming back), and every rate (late pickup,
 * after-sales, shortage, self-orders, views per order, star ratings) is the actor's own.
 */
const BATCH_SQL = `
INSERT INTO hist_batch (g, id, pay_id, ch, okind, okey, nlines, j0, buyer, self, region_id, community_id, location_id, point_id, store_id,
  leader, host, session_id, campaign_id, wave_id, link_id, referrer, fulfilment, plan, bad, paid, unpaid_kind, full_refund, short, as_req,
  as_reason, as_ok, rated, stars, created_at, paid_at, full_at, arrival_at, completed_at, as_at, decided_at, rated_at, provider,
  views, clicks, shares, src_actor, traffic_link, src_type, src_id, view_target, view_target_id, traffic_community)
WITH r0 AS MATERIALIZED (
  SELECT g, width_bucket(g, $4::bigint[]) - 1 AS d, ${u('g', 1)} AS u_ch, ${u('g', 2)} AS u_actor, ${u('g', 3)} AS u_buyer, ${u('g', 4)} AS u_time, ${u('g', 5)} AS u_pay,
         ${u('g', 6)} AS u_full, ${u('g', 7)} AS u_short, ${u('g', 8)} AS u_late, ${u('g', 9)} AS u_as, ${u('g', 10)} AS u_asr,
         ${u('g', 11)} AS u_asok, ${u('g', 12)} AS u_rate, ${u('g', 13)} AS u_stars, ${u('g', 14)} AS u_self, ${u('g', 15)} AS u_nl,
         ${u('g', 16)} AS u_j0, ${u('g', 17)} AS u_link, ${u('g', 18)} AS u_v, ${u('g', 19)} AS u_c, ${u('g', 20)} AS u_s,
         ${u('g', 21)} AS u_src, ${u('g', 22)} AS u_lag, ${u('g', 23)} AS u_lag2, ${u('g', 24)} AS u_lag3
    FROM generate_series($2::bigint, $3::bigint) AS g
), r AS MATERIALIZED (
  SELECT r0.*, $5::timestamptz + r0.d * interval '24 hours' AS day_start,
         CASE WHEN u_ch < $8::float8 THEN 'group_buy' WHEN u_ch < $9::float8 AND ($7::int[])[r0.d + 1] > 0 THEN 'live'
              WHEN u_ch < $10::float8 THEN 'store_online' ELSE 'store_counter' END AS ch,
         width_bucket(u_actor, $11::float8[]) AS p_pick, width_bucket(u_actor, $12::float8[]) AS s_pick,
         ($6::int[])[r0.d + 1] + floor(u_actor * ($7::int[])[r0.d + 1])::int AS ss_pick
    FROM r0
), x AS (
  SELECT r.*,
         p.id AS p_id, p.community_id AS p_comm, p.region_id AS p_region, p.leader,
         s.id AS s_id, s.community_id AS s_comm, s.region_id AS s_region, s.ri AS s_ri, s.owner, s.till, s.location_id AS s_loc,
         ss.idx AS sess_idx, ss.id AS ss_id, ss.start_at, ss.location_id AS ss_loc, h.account_id AS host, h.region_id AS h_region,
         cp.idx AS cp_idx, cp.id AS cp_id, cp.location_id AS cp_loc, cp.wave_id AS cp_wave,
         COALESCE(p.bad, s.bad, h.bad) AS bad, COALESCE(p.late, 0) AS late, COALESCE(p.after, s.after, h.after) AS after,
         COALESCE(p.short, 0) AS short_rate, COALESCE(p.self, s.self, h.self) AS self_rate, COALESCE(p.loyal, s.loyal, h.loyal) AS loyal,
         COALESCE(p.vpo, s.vpo, h.vpo) AS vpo, COALESCE(p.link_id, s.link_id, h.link_id) AS link,
         COALESCE(p.res_start, s.res_start, h.res_start) AS res_start, COALESCE(p.res_count, s.res_count, h.res_count) AS res_count
    FROM r
    LEFT JOIN hist_points p ON r.ch = 'group_buy' AND p.idx = r.p_pick
    LEFT JOIN hist_stores s ON r.ch IN ('store_online', 'store_counter') AND s.idx = r.s_pick
    LEFT JOIN hist_sessions ss ON r.ch = 'live' AND ss.idx = r.ss_pick
    LEFT JOIN hist_hosts h ON h.idx = ss.host_idx
    LEFT JOIN hist_campaigns cp ON r.ch = 'group_buy' AND cp.ri = p.ri AND cp.day = r.d
), y AS (
  SELECT x.*,
         x.ch <> 'store_counter' AND x.u_self < x.self_rate AS self,
         x.ch = 'store_counter' OR x.u_pay >= CASE WHEN x.ch = 'store_online' THEN 0.02 ELSE 0.03 END AS paid,
         CASE WHEN x.ch = 'live' THEN x.start_at + x.u_time * interval '70 minutes'
              ELSE x.day_start + CASE x.ch WHEN 'group_buy' THEN interval '7 hours' + x.u_time * interval '15 hours 30 minutes'
                                               WHEN 'store_online' THEN interval '8 hours' + x.u_time * interval '13 hours'
                                               ELSE interval '7 hours' + x.u_time * interval '15 hours' END END AS created_at,
         x.u_asr < 0.3 + 0.5 * x.bad AS complaint,
         x.u_asr * 7919 - floor(x.u_asr * 7919) AS u_sub,
         x.u_late < x.late AS late_pickup,
         x.ch <> 'store_counter' AND x.u_link < 0.2 AND NOT (x.u_self < x.self_rate) AS via_link
    FROM x
), z AS (
  SELECT y.*, rs.account_id AS resident, rs.community_id AS res_comm,
         y.paid AND y.ch <> 'store_counter' AND y.u_full < 0.012 AS full_refund,
         CASE WHEN NOT y.paid THEN NULL WHEN y.ch = 'store_counter' THEN y.created_at
              WHEN y.ch = 'live' THEN y.created_at + (20 + 40 * y.u_lag) * interval '1 second'
              ELSE y.created_at + (1 + 3 * y.u_lag) * interval '1 minute' END AS paid_at,
         CASE WHEN y.ch = 'group_buy' THEN pg_temp.hist_arrival(y.p_id, y.d, $1::bigint * 64 + ${ARRIVAL_SALT}, y.day_start, y.bad) END AS arrival_at
    FROM y JOIN hist_residents rs ON rs.idx = y.res_start + floor(y.res_count * power(y.u_buyer, y.loyal))::int
), w AS (
  SELECT z.*,
         CASE WHEN NOT z.paid OR z.full_refund THEN NULL
              WHEN z.ch = 'group_buy' THEN LEAST($13::timestamptz, CASE
                WHEN z.late_pickup THEN z.day_start + interval '81 hours' + z.u_lag2 * interval '10 hours'
                WHEN z.u_lag2 < 0.8 THEN z.arrival_at + interval '20 minutes'
                                        + z.u_lag3 * (z.day_start + interval '45 hours' - z.arrival_at - interval '20 minutes')
                ELSE z.day_start + interval '56 hours' + z.u_lag3 * interval '12 hours' END)
              WHEN z.ch = 'store_online' THEN z.paid_at + (30 + 90 * z.u_lag2) * interval '1 minute'
              WHEN z.ch = 'live' THEN LEAST($13::timestamptz, z.paid_at + (30 + 20 * z.u_lag2) * interval '1 hour')
              ELSE z.paid_at END AS completed_at
    FROM z
)
SELECT w.g, $14::bigint + w.g - $2::bigint, $15::bigint + w.g - $2::bigint, w.ch,
       CASE w.ch WHEN 'group_buy' THEN 1 WHEN 'live' THEN 3 ELSE 2 END,
       CASE w.ch WHEN 'group_buy' THEN w.cp_idx WHEN 'live' THEN w.sess_idx ELSE w.s_ri END,
       1 + floor(power(w.u_nl, 1.5) * 3)::int,
       CASE w.ch WHEN 'group_buy' THEN floor(w.u_j0 * ${CAMPAIGN_ITEMS})::int WHEN 'live' THEN floor(w.u_j0 * ${BAG_ITEMS})::int
                 ELSE floor(power(w.u_j0, 2) * $16::int)::int END,
       CASE WHEN w.ch = 'store_counter' THEN w.till WHEN w.self THEN COALESCE(w.leader, w.owner, w.host) ELSE w.resident END,
       w.self, COALESCE(w.p_region, w.s_region, w.h_region), COALESCE(w.p_comm, w.s_comm), COALESCE(w.cp_loc, w.s_loc, w.ss_loc),
       w.p_id, w.s_id, w.leader, w.host, w.ss_id, w.cp_id, w.cp_wave,
       CASE WHEN w.via_link THEN w.link END,
       CASE WHEN w.via_link THEN COALESCE(w.leader, w.owner, w.host) END,
       CASE w.ch WHEN 'group_buy' THEN 'pickup' WHEN 'store_counter' THEN 'counter' WHEN 'live' THEN 'delivery'
                 ELSE CASE WHEN w.u_lag3 < 0.7 THEN 'delivery' ELSE 'pickup' END END,
       CASE w.ch
         WHEN 'group_buy' THEN CASE WHEN w.self THEN '[]'::jsonb ELSE jsonb_build_array(jsonb_build_object('bp', 1000, 'party', 'leader', 'accountId', w.leader)) END
         WHEN 'store_online' THEN jsonb_build_array(jsonb_build_object('bp', 9500, 'party', 'store', 'accountId', w.owner))
         WHEN 'live' THEN CASE WHEN w.self THEN '[]'::jsonb ELSE jsonb_build_array(jsonb_build_object('bp', 500, 'party', 'host', 'accountId', w.host)) END
         ELSE '[]'::jsonb END
         || CASE WHEN w.via_link THEN jsonb_build_array(jsonb_build_object('bp', 100, 'party', 'referrer', 'accountId', COALESCE(w.leader, w.owner, w.host)))
                 ELSE '[]'::jsonb END,
       w.bad, w.paid,
       CASE WHEN w.paid THEN NULL WHEN w.u_pay < 0.012 THEN 'cancelled' ELSE 'expired' END,
       w.full_refund,
       w.paid AND w.ch = 'group_buy' AND NOT w.full_refund AND w.u_short < w.short_rate,
       w.paid AND w.ch <> 'store_counter' AND NOT w.full_refund AND w.u_as < w.after * CASE WHEN w.self THEN 3 ELSE 1 END,
       CASE WHEN w.complaint THEN (ARRAY['quality', 'damaged', 'wrong_item', 'missing', 'not_as_described'])[1 + floor(w.u_sub * 5)::int]
            WHEN w.u_sub < 0.6 THEN 'changed_mind' ELSE 'other' END,
       w.u_asok < CASE WHEN w.complaint THEN 0.8 ELSE 0.5 END,
       w.ch <> 'store_counter' AND w.u_rate < 0.3,
       CASE WHEN w.u_stars < 0.72 - 0.42 * w.bad THEN 5 WHEN w.u_stars < 0.92 - 0.37 * w.bad THEN 4
            WHEN w.u_stars < 0.98 - 0.23 * w.bad THEN 3 WHEN w.u_stars < 0.995 - 0.095 * w.bad THEN 2 ELSE 1 END,
       w.created_at, w.paid_at,
       CASE WHEN w.full_refund THEN LEAST(w.paid_at + (10 + 110 * w.u_lag3) * interval '1 minute',
                                          CASE WHEN w.ch = 'group_buy' THEN w.day_start + interval '22 hours 59 minutes' ELSE $13::timestamptz END) END,
       w.arrival_at, w.completed_at,
       LEAST($13::timestamptz, w.completed_at + (2 + 28 * w.u_lag3) * interval '1 hour'),
       LEAST($13::timestamptz, w.completed_at + (2 + 28 * w.u_lag3) * interval '1 hour' + (1 + 5 * w.u_lag2) * interval '1 hour'),
       LEAST($13::timestamptz, w.completed_at + (1 + 23 * w.u_lag) * interval '1 hour'),
       CASE WHEN w.ch = 'store_counter' THEN 'cash' ELSE 'sandbox' END,
       CASE WHEN w.ch = 'store_counter' THEN 0 ELSE 1 + floor(w.u_v * 2 * w.vpo)::int END,
       CASE WHEN w.ch = 'store_counter' THEN 0 ELSE 1 + floor(w.u_c * 2)::int END,
       CASE WHEN w.ch <> 'store_counter' AND w.u_s < 0.25 THEN 1 ELSE 0 END,
       w.u_src < CASE w.ch WHEN 'group_buy' THEN 0.7 WHEN 'live' THEN 0.8 ELSE 0.6 END,
       w.u_link < 0.35,
       CASE w.ch WHEN 'group_buy' THEN 'leader' WHEN 'live' THEN 'host' ELSE 'store' END,
       CASE w.ch WHEN 'group_buy' THEN w.leader WHEN 'live' THEN w.host ELSE w.s_id END,
       CASE w.ch WHEN 'group_buy' THEN 'campaign' WHEN 'live' THEN 'live_session' ELSE 'store' END,
       CASE w.ch WHEN 'group_buy' THEN w.cp_id WHEN 'live' THEN w.ss_id ELSE w.s_id END,
       CASE w.ch WHEN 'live' THEN w.res_comm ELSE COALESCE(w.p_comm, w.s_comm) END
  FROM w`;

/**
 * 1–3 lines of what was on offer (the campaign's items, the district's shelf — popular SKUs
 * first — or the session's bag), distinct SKUs by a co-prime stride; 1–3 units, mostly one.
 * A shortage takes one unit of the first line, an after-sales request one unit of the last.
 */
const LINES_SQL = `
INSERT INTO hist_lines (id, g, order_id, k, sku_id, product_id, title, spec, unit, price, qty, short_qty, full_qty, as_qty, ref_qty, picked, limit_scope)
SELECT $2::bigint + row_number() OVER (ORDER BY b.g, k.k) - 1, b.g, b.id, k.k, o.sku_id, o.product_id, o.title, o.spec, o.unit, o.price, q.qty,
       q.short_qty, CASE WHEN b.full_refund THEN q.qty ELSE 0 END, q.as_qty,
       q.short_qty + CASE WHEN b.full_refund THEN q.qty ELSE 0 END + CASE WHEN b.as_ok THEN q.as_qty ELSE 0 END,
       CASE WHEN b.ch = 'group_buy' AND b.paid AND NOT b.full_refund THEN q.qty - q.short_qty ELSE 0 END,
       CASE WHEN b.ch = 'group_buy' THEN 'campaign:' || b.campaign_id END
  FROM hist_batch b
 CROSS JOIN LATERAL generate_series(1, b.nlines) AS k(k)
 CROSS JOIN LATERAL (SELECT 1 + floor(3 * power(${u('b.g * 4 + k.k', 40)}, 2))::int AS qty) q0
 CROSS JOIN LATERAL (
   SELECT q0.qty,
          CASE WHEN b.short AND k.k = 1 THEN 1 ELSE 0 END AS short_qty,
          CASE WHEN b.as_req AND k.k = b.nlines AND q0.qty - CASE WHEN b.short AND k.k = 1 THEN 1 ELSE 0 END >= 1 THEN 1 ELSE 0 END AS as_qty) q
  JOIN hist_offers o ON o.kind = b.okind AND o.key = b.okey
   AND o.j = (b.j0 + (k.k - 1) * CASE b.okind WHEN 1 THEN ${CAMPAIGN_STRIDE} WHEN 2 THEN ${SHELF_STRIDE} ELSE 1 END)
             % CASE b.okind WHEN 1 THEN ${CAMPAIGN_ITEMS} WHEN 2 THEN $3::int ELSE ${BAG_ITEMS} END`;

/** Refunds in the order they happened: a full refund or a shortage first, an approved after-sales later. */
const REFUNDS_SQL = `
INSERT INTO hist_refunds (id, g, order_id, pay_id, kind, amount, reason, restock, created_at, as_id, requested_by)
SELECT $1::bigint + row_number() OVER (ORDER BY x.g, x.ord) - 1, x.g, x.order_id, x.pay_id, x.kind, x.amount, x.reason, x.restock, x.created_at, x.as_id, x.requested_by
  FROM (
    SELECT b.g, 1 AS ord, b.id AS order_id, b.pay_id, 'full' AS kind, t.items AS amount, '买家取消订单，全额退款' AS reason, true AS restock,
           b.full_at AS created_at, NULL::bigint AS as_id, b.buyer AS requested_by
      FROM hist_batch b JOIN hist_tot t ON t.g = b.g WHERE b.full_refund
    UNION ALL
    SELECT b.g, 1, b.id, b.pay_id, 'shortage', sum(l.short_qty * l.price), '自提点到货短缺，自动退款（波次 ' || b.wave_id || '）', false,
           b.arrival_at + interval '5 minutes', NULL, b.leader
      FROM hist_batch b JOIN hist_lines l ON l.g = b.g WHERE l.short_qty > 0
     GROUP BY b.g, b.id, b.pay_id, b.wave_id, b.arrival_at, b.leader
    UNION ALL
    SELECT a.g, 2, a.order_id, b.pay_id, 'after_sales', a.requested, '售后退款', false, a.decided_at, a.id, NULLIF($2::bigint, 0)
      FROM hist_as a JOIN hist_batch b ON b.g = a.g WHERE a.approved
  ) x`;

const ORDERS_SQL = `
INSERT INTO orders (id, buyer_account_id, channel, status, fulfilment, location_id, region_id, community_id, pickup_point_id, store_id,
  leader_account_id, host_account_id, live_session_id, campaign_id, share_link_id, referrer_account_id, items_fen, discount_fen,
  delivery_fen, total_fen, paid_fen, refunded_fen, commission_plan, note, idempotency_key, request_hash, expires_at, created_at,
  paid_at, completed_at, closed_at, updated_at) OVERRIDING SYSTEM VALUE
SELECT b.id, b.buyer, b.ch,
       CASE WHEN NOT b.paid THEN b.unpaid_kind WHEN t.refunded >= t.items THEN 'refunded' ELSE 'completed' END,
       b.fulfilment, b.location_id, b.region_id, b.community_id, b.point_id, b.store_id,
       CASE WHEN b.ch = 'group_buy' THEN b.leader END, CASE WHEN b.ch = 'live' THEN b.host END, b.session_id, b.campaign_id,
       b.link_id, b.referrer, t.items, 0, 0, t.items, CASE WHEN b.paid THEN t.items ELSE 0 END, t.refunded, b.plan, '',
       $1::text || b.g, 'hist', CASE WHEN b.ch = 'store_counter' THEN NULL ELSE b.created_at + interval '15 minutes' END,
       b.created_at, b.paid_at, CASE WHEN t.done THEN b.completed_at END,
       CASE WHEN b.paid THEN NULL WHEN b.unpaid_kind = 'cancelled' THEN b.created_at + interval '5 minutes' ELSE b.created_at + interval '15 minutes' END,
       GREATEST(b.created_at, b.paid_at, CASE WHEN t.done THEN b.completed_at END, CASE WHEN b.full_refund THEN b.full_at END,
                CASE WHEN b.short THEN b.arrival_at + interval '5 minutes' END, CASE WHEN t.as_qty > 0 THEN b.decided_at END,
                CASE WHEN NOT b.paid THEN b.created_at + interval '15 minutes' END)
  FROM hist_batch b JOIN hist_tot t ON t.g = b.g`;

const AFTER_SALES_SQL = `
INSERT INTO after_sales_requests (id, order_id, buyer_account_id, reason, description, lines, requested_fen, status, decided_by,
  decision_note, refund_id, created_at, decided_at) OVERRIDING SYSTEM VALUE
SELECT a.id, a.order_id, a.buyer, a.reason,
       CASE a.reason WHEN 'quality' THEN '收到时有几个已经坏了，照片附上。' WHEN 'damaged' THEN '包装破了，压坏了一部分。'
                     WHEN 'wrong_item' THEN '发错了规格，不是我下单的那个。' WHEN 'missing' THEN '少了一份，袋子里没有。'
                     WHEN 'not_as_described' THEN '和图片差别很大，个头小了很多。' WHEN 'changed_mind' THEN '家里还有，不需要了。'
                     ELSE '其他原因，麻烦处理一下。' END,
       jsonb_build_array(jsonb_build_object('orderLineId', a.line_id, 'quantity', a.qty)), a.requested,
       CASE WHEN a.approved THEN 'approved' ELSE 'rejected' END, $1::bigint,
       CASE WHEN a.approved THEN '已核实，同意退款' ELSE '照片看不出问题，已与买家沟通' END, r.id, a.created_at, a.decided_at
  FROM hist_as a LEFT JOIN hist_refunds r ON r.as_id = a.id`;

const RATINGS_SQL = `
INSERT INTO order_ratings (order_id, account_id, stars, comment, created_at)
SELECT b.id, b.buyer, b.stars,
       CASE b.stars WHEN 5 THEN (ARRAY['很新鲜，下次还买', '团长很负责，取货方便', '', '物美价廉'])[1 + (b.g % 4)::int]
                    WHEN 4 THEN (ARRAY['还不错', '', '分量足'])[1 + (b.g % 3)::int]
                    WHEN 3 THEN (ARRAY['一般', '', '有一两个不太新鲜'])[1 + (b.g % 3)::int]
                    WHEN 2 THEN (ARRAY['取货等了好久', '不太新鲜'])[1 + (b.g % 2)::int]
                    ELSE (ARRAY['东西坏了，很失望', '送来的和说的不一样'])[1 + (b.g % 2)::int] END,
       b.rated_at
  FROM hist_batch b JOIN hist_tot t ON t.g = b.g
 WHERE b.rated AND t.done AND t.refunded < t.items`;

/**
 * Views, clicks and shares around each order (the counter has none: walk-ins): views in the
 * hour or two before it, clicks on its first product minutes before, a share after. Most come
 * through the actor (some through its share link), the rest direct. An unpaid order was still
 * looked at, so traffic always exceeds orders.
 */
const TRAFFIC_SQL = `
INSERT INTO traffic_events (occurred_at, kind, target_type, target_id, source_type, source_id, share_link_id, account_id, community_id)
SELECT CASE WHEN n.n <= b.views THEN b.created_at - (b.views - n.n + 1) * interval '9 minutes'
            WHEN n.n <= b.views + b.clicks THEN b.created_at - (n.n - b.views) * interval '1 minute'
            ELSE LEAST($1::timestamptz, b.created_at + interval '12 minutes') END,
       x.kind,
       CASE WHEN x.kind = 'click' THEN 'product' ELSE b.view_target END,
       CASE WHEN x.kind = 'click' THEN l.sku_id ELSE b.view_target_id END,
       CASE WHEN b.src_actor OR x.kind = 'share' THEN b.src_type ELSE 'direct' END,
       CASE WHEN b.src_actor OR x.kind = 'share' THEN b.src_id END,
       CASE WHEN b.src_actor AND b.traffic_link AND x.kind <> 'share' THEN b.link_id END,
       CASE WHEN n.n = 1 OR n.n > b.views THEN b.buyer END,
       b.traffic_community
  FROM hist_batch b
  JOIN hist_lines l ON l.g = b.g AND l.k = 1
 CROSS JOIN LATERAL generate_series(1, b.views + b.clicks + b.shares) AS n(n)
 CROSS JOIN LATERAL (SELECT CASE WHEN n.n <= b.views THEN 'view' WHEN n.n <= b.views + b.clicks THEN 'click' ELSE 'share' END AS kind) x
 WHERE b.ch <> 'store_counter'`;
