// The weekly KPI computation, one set-based statement for all leaders at once.
//
// It reads other modules' tables without writing them: orders, order_lines and
// after_sales_requests (orders module, 0004), campaigns (groupbuy), handoffs, waves and pickups
// (fulfilment, 0009), pickup_points and communities (place). Definitions (docs/groupbuy.md):
//   orders / items sold / GMV: the point's group-buy orders paid in the week (China time);
//   pickups due: the point's live group-buy orders of campaigns whose pickup date falls in the
//     week whose goods arrived (the point's arrival hand-off for that day was signed, or the
//     order reached ready/completed);
//   on time: of those, picked up (a pickups row not undone) by the end of the day after arrival;
//   complaints: after-sales requests opened in the week on the point's group-buy orders.
import { sql } from 'drizzle-orm';
import { selectRows, type Executor } from '../../db';
import type { KpiRule } from './leaders.types';

export class KpiRepo {
  /** Regions of the leaders' pickup points, so the service can fetch each region's rules. */
  async leaderRegions(db: Executor, approvedBefore: Date): Promise<number[]> {
    const rows = await selectRows<{ region_id: number }>(
      db,
      sql`SELECT DISTINCT c.region_id FROM leader_profiles p
          JOIN pickup_points pp ON pp.id = p.pickup_point_id JOIN communities c ON c.id = pp.community_id
          WHERE p.approved_at < ${approvedBefore.toISOString()}::timestamptz`,
    );
    return rows.map((r) => r.region_id);
  }

  /**
   * Compute and upsert week `weekStart` for every leader approved before the week ended.
   * The first computation of a week decides its verdict and applies it to the profiles
   * (warnings in a row, warned/suspended, level); a rerun refreshes the figures only, so
   * running the job twice never counts a warning twice.
   */
  async computeWeek(
    db: Executor,
    w: { weekStart: string; start: Date; end: Date; now: Date; rules: KpiRule[] },
  ): Promise<{ leaders: number; applied: number }> {
    const rules = w.rules;
    const start = w.start.toISOString();
    const end = w.end.toISOString();
    const rows = await selectRows<{ leaders: number; applied: number }>(
      db,
      sql`WITH rule AS (
            SELECT * FROM unnest(${sql.param(rules.map((r) => r.regionId))}::bigint[], ${sql.param(rules.map((r) => r.kpiMinOnTimeBp))}::int[],
                                 ${sql.param(rules.map((r) => r.kpiMaxComplaintBp))}::int[], ${sql.param(rules.map((r) => r.kpiSuspendAfterWarnings))}::int[])
              AS t(region_id, min_on_time_bp, max_complaint_bp, suspend_after)
          ),
          lp AS (
            SELECT p.account_id, p.pickup_point_id, p.status, p.warnings_in_row, c.region_id
            FROM leader_profiles p
            JOIN pickup_points pp ON pp.id = p.pickup_point_id
            JOIN communities c ON c.id = pp.community_id
            WHERE p.approved_at < ${end}::timestamptz
          ),
          po AS (
            SELECT o.id, o.pickup_point_id, o.total_fen FROM orders o JOIN lp ON lp.pickup_point_id = o.pickup_point_id
            WHERE o.channel = 'group_buy' AND o.paid_at >= ${start}::timestamptz AND o.paid_at < ${end}::timestamptz
          ),
          paid AS (SELECT pickup_point_id, count(*)::int AS orders, sum(total_fen)::bigint AS gmv_fen FROM po GROUP BY 1),
          sold AS (SELECT po.pickup_point_id, sum(l.quantity)::int AS items FROM po JOIN order_lines l ON l.order_id = po.id GROUP BY 1),
          arr AS (
            SELECT h.pickup_point_id, w.region_id, w.pickup_date, min(h.signed_at) AS signed_at
            FROM handoffs h JOIN waves w ON w.id = h.wave_id
            WHERE h.kind = 'point_arrival' AND w.pickup_date >= ${w.weekStart}::date AND w.pickup_date < ${w.weekStart}::date + 7
            GROUP BY 1, 2, 3
          ),
          dueo AS (
            -- China time is UTC+8 all year: a China day D runs from (D 00:00 UTC) - 8 h.
            SELECT o.id, o.pickup_point_id,
                   COALESCE(((arr.signed_at AT TIME ZONE 'UTC') + interval '8 hours')::date, c.pickup_date) AS arrival_day
            FROM orders o
            JOIN lp ON lp.pickup_point_id = o.pickup_point_id
            JOIN campaigns c ON c.id = o.campaign_id
            LEFT JOIN arr ON arr.pickup_point_id = o.pickup_point_id AND arr.region_id = c.region_id AND arr.pickup_date = c.pickup_date
            WHERE o.channel = 'group_buy' AND c.pickup_date >= ${w.weekStart}::date AND c.pickup_date < ${w.weekStart}::date + 7
              AND o.status IN ('paid', 'fulfilling', 'ready', 'completed')
              AND (arr.signed_at IS NOT NULL OR o.status IN ('ready', 'completed'))
          ),
          due AS (
            SELECT d.pickup_point_id, count(*)::int AS due,
                   count(*) FILTER (WHERE EXISTS (
                     SELECT 1 FROM pickups pk WHERE pk.order_id = d.id AND pk.undone_at IS NULL
                       AND pk.picked_at < ((d.arrival_day + 2)::timestamp AT TIME ZONE 'UTC') - interval '8 hours'))::int AS on_time
            FROM dueo d GROUP BY 1
          ),
          cmp AS (
            SELECT o.pickup_point_id, count(*)::int AS complaints
            FROM after_sales_requests a JOIN orders o ON o.id = a.order_id JOIN lp ON lp.pickup_point_id = o.pickup_point_id
            WHERE o.channel = 'group_buy' AND a.created_at >= ${start}::timestamptz AND a.created_at < ${end}::timestamptz
            GROUP BY 1
          ),
          f AS (
            SELECT lp.account_id, lp.status, lp.warnings_in_row, r.min_on_time_bp, r.max_complaint_bp, r.suspend_after,
                   COALESCE(paid.orders, 0) AS orders, COALESCE(sold.items, 0) AS items_sold, COALESCE(paid.gmv_fen, 0) AS gmv_fen,
                   COALESCE(due.due, 0) AS pickups_due, COALESCE(due.on_time, 0) AS pickups_on_time, COALESCE(cmp.complaints, 0) AS complaints
            FROM lp JOIN rule r ON r.region_id = lp.region_id
            LEFT JOIN paid ON paid.pickup_point_id = lp.pickup_point_id
            LEFT JOIN sold ON sold.pickup_point_id = lp.pickup_point_id
            LEFT JOIN due ON due.pickup_point_id = lp.pickup_point_id
            LEFT JOIN cmp ON cmp.pickup_point_id = lp.pickup_point_id
          ),
          g AS (
            SELECT f.*,
                   -- Nothing due is not a failure; complaints with no orders (late requests) count fully.
                   CASE WHEN pickups_due = 0 THEN 10000 ELSE pickups_on_time * 10000 / pickups_due END AS on_time_bp,
                   CASE WHEN orders = 0 THEN CASE WHEN complaints > 0 THEN 10000 ELSE 0 END
                        ELSE LEAST(10000, complaints * 10000 / orders) END AS complaint_bp
            FROM f
          ),
          h AS (SELECT g.*, on_time_bp < min_on_time_bp AS late, complaint_bp > max_complaint_bp AS complained FROM g),
          v AS (
            SELECT h.*, (late OR complained) AS warned,
                   (late OR complained) AND status <> 'suspended' AND warnings_in_row + 1 >= suspend_after AS suspends
            FROM h
          ),
          ins AS (
            INSERT INTO leader_kpi_weeks (account_id, week_start, orders, items_sold, gmv_fen, pickups_due, pickups_on_time,
                                          complaints, on_time_bp, complaint_bp, verdict, reasons, computed_at)
            SELECT account_id, ${w.weekStart}::date, orders, items_sold, gmv_fen, pickups_due, pickups_on_time, complaints,
                   on_time_bp, complaint_bp,
                   CASE WHEN suspends THEN 'suspended' WHEN warned THEN 'warning' ELSE 'ok' END,
                   array_remove(ARRAY[CASE WHEN late THEN 'on_time_below_min' END, CASE WHEN complained THEN 'complaints_above_max' END,
                                      CASE WHEN suspends THEN 'warnings_in_row' END]::text[], NULL),
                   ${w.now.toISOString()}::timestamptz
            FROM v
            ON CONFLICT (account_id, week_start) DO UPDATE SET
              orders = EXCLUDED.orders, items_sold = EXCLUDED.items_sold, gmv_fen = EXCLUDED.gmv_fen,
              pickups_due = EXCLUDED.pickups_due, pickups_on_time = EXCLUDED.pickups_on_time, complaints = EXCLUDED.complaints,
              on_time_bp = EXCLUDED.on_time_bp, complaint_bp = EXCLUDED.complaint_bp, computed_at = EXCLUDED.computed_at
            RETURNING account_id, items_sold, verdict, reasons, (xmax = 0) AS inserted
          ),
          upd AS (
            -- Only a week's first computation moves the profile; a suspended leader waits for the operator.
            UPDATE leader_profiles p SET
              warnings_in_row = CASE WHEN ins.verdict = 'ok' THEN 0 ELSE p.warnings_in_row + 1 END,
              status = CASE ins.verdict WHEN 'suspended' THEN 'suspended' WHEN 'warning' THEN 'warned' ELSE 'active' END,
              status_reason = CASE ins.verdict
                WHEN 'suspended' THEN 'KPI: ' || (p.warnings_in_row + 1) || ' warnings in a row'
                WHEN 'warning' THEN 'KPI warning: ' || array_to_string(ins.reasons, ', ')
                ELSE NULL END,
              level_id = COALESCE((SELECT l.id FROM leader_levels l WHERE l.min_weekly_items <= ins.items_sold ORDER BY l.rank DESC LIMIT 1), p.level_id),
              updated_at = ${w.now.toISOString()}::timestamptz
            FROM ins
            WHERE ins.inserted AND p.account_id = ins.account_id AND p.status <> 'suspended'
            RETURNING p.account_id
          )
          SELECT (SELECT count(*) FROM ins)::int AS leaders, (SELECT count(*) FROM upd)::int AS applied`,
    );
    return rows[0]!;
  }
}
