// The trust module's SQL: the figures each actor is scored on, read from the insights read
// models (src/modules/insights, docs/insights.md "Read models") and corrected from raw rows by
// the gaming rules; the scores; the settings.
//
// It reads other modules' tables without writing them: insights_daily, insights_actor_repeat,
// insights_pickups and order_ratings (insights), orders, after_sales_requests, refunds,
// refund_lines (orders), pickups (fulfilment), pickup_points, communities, stores,
// store_clerks, regions (place), leader_profiles (leaders), host_profiles (live).
//
// An order's actor is the insights one: its pickup point, else its store, else its host.
// Self-orders are orders whose buyer is one of the actor's own people: the point's leader
// (pickup_points.leader_account_id or the leader profile naming the point), the store's owner or
// a clerk, the host. Counter sales (channel store_counter) are always rung up under the owner's
// or a clerk's account, so all of them are self-orders: their read-model rows are left out
// whole instead of being subtracted order by order.
import { sql, type SQL } from 'drizzle-orm';
import { selectRows, type Executor } from '../../db';
import { NO_FIGURES, type LeaderTier, type TrustFigures, type TrustWeights } from './score';
import type { TrustActorType } from './trust.schema';
import type { StoredExplanation } from './trust.types';

export interface TrustWindow {
  /** China days, inclusive. */
  fromDay: string;
  toDay: string;
  /** The window as instants: [start, end). */
  start: Date;
  end: Date;
  /** Start of the last 7 days, for the 7-day repeat rate. */
  start7: Date;
}

export interface ActorRow {
  actorType: TrustActorType;
  actorId: number;
  regionId: number;
}

export type ActorKey = `${TrustActorType}:${number}`;
export const keyOf = (type: TrustActorType, id: number): ActorKey => `${type}:${id}`;

/** Counted (read models as they are) and self-order figures per actor, and refunds after hand-over. */
export interface ActorReadings {
  counted: Map<ActorKey, TrustFigures>;
  selfOrders: Map<ActorKey, TrustFigures>;
  refundsAfterHandover: Map<ActorKey, number>;
}

const SELF_PEOPLE = sql`
  SELECT 'point'::text AS actor_type, pp.id AS actor_id, pp.leader_account_id AS account_id FROM pickup_points pp WHERE pp.leader_account_id IS NOT NULL
  UNION SELECT 'point', lp.pickup_point_id, lp.account_id FROM leader_profiles lp
  UNION SELECT 'store', s.id, s.owner_account_id FROM stores s
  UNION SELECT 'store', sc.store_id, sc.account_id FROM store_clerks sc
  UNION SELECT 'host', h.account_id, h.account_id FROM host_profiles h`;

/** The insights attribution of an order `o` as (actor_type, actor_id). */
const ORDER_ACTOR = sql`
  CASE WHEN o.pickup_point_id IS NOT NULL THEN 'point' WHEN o.store_id IS NOT NULL THEN 'store' WHEN o.host_account_id IS NOT NULL THEN 'host' END`;
const ORDER_ACTOR_ID = sql`COALESCE(o.pickup_point_id, o.store_id, o.host_account_id)`;

type FigureRow = { actor_type: TrustActorType; actor_id: number } & Partial<Record<keyof TrustFigures, number>>;

function collect(rows: FigureRow[], into: Map<ActorKey, TrustFigures> = new Map()): Map<ActorKey, TrustFigures> {
  for (const r of rows) {
    const k = keyOf(r.actor_type, Number(r.actor_id));
    const f = into.get(k) ?? { ...NO_FIGURES };
    for (const field of Object.keys(NO_FIGURES) as (keyof TrustFigures)[]) {
      const v = r[field];
      if (v !== undefined && v !== null) f[field] += Number(v);
    }
    into.set(k, f);
  }
  return into;
}

export class TrustRepo {
  /** Every actor that can be scored: pickup points and stores not closed, hosts with a profile. */
  async actors(db: Executor, only?: { actorType: TrustActorType; actorId: number }): Promise<ActorRow[]> {
    const rows = await selectRows<{ actor_type: TrustActorType; actor_id: number; region_id: number }>(
      db,
      sql`SELECT * FROM (
            SELECT 'point'::text AS actor_type, pp.id AS actor_id, c.region_id FROM pickup_points pp JOIN communities c ON c.id = pp.community_id WHERE pp.status <> 'closed'
            UNION ALL SELECT 'store', s.id, s.region_id FROM stores s WHERE s.status <> 'closed'
            UNION ALL SELECT 'host', h.account_id, h.region_id FROM host_profiles h
          ) a ${only ? sql`WHERE a.actor_type = ${only.actorType} AND a.actor_id = ${only.actorId}` : sql``}`,
    );
    return rows.map((r) => ({ actorType: r.actor_type, actorId: Number(r.actor_id), regionId: Number(r.region_id) }));
  }

  /** Whether an actor of this type and id exists (closed ones included). */
  async actorExists(db: Executor, actorType: TrustActorType, actorId: number): Promise<boolean> {
    const q: Record<TrustActorType, SQL> = {
      point: sql`SELECT 1 FROM pickup_points WHERE id = ${actorId}`,
      store: sql`SELECT 1 FROM stores WHERE id = ${actorId}`,
      host: sql`SELECT 1 FROM host_profiles WHERE account_id = ${actorId}`,
    };
    return (await selectRows(db, q[actorType])).length > 0;
  }

  /**
   * The figures of every actor over the window, in three parts the gaming rules combine
   * (score.ts `trustInputs`): what the read models counted, the share of it that came from
   * self-orders, and the orders refunded after hand-over without an after-sales request.
   * Days follow the read models' own: orders by paid day, after-sales, refunds and ratings by
   * their own day, pickups by the arrival day (insights_pickups).
   */
  async readings(db: Executor, w: TrustWindow): Promise<ActorReadings> {
    const from = w.fromDay;
    const to = w.toDay;
    const start = w.start.toISOString();
    const end = w.end.toISOString();
    const start7 = w.start7.toISOString();

    const daily = await selectRows<FigureRow>(
      db,
      sql`SELECT actor_type, actor_id, sum(orders)::int AS orders, sum(units)::int AS units, sum(after_sales)::int AS "afterSales",
                 sum(complaints)::int AS complaints, sum(shortage_units)::int AS "shortageUnits", sum(pickups_due)::int AS "pickupsDue",
                 sum(pickups_on_time)::int AS "pickupsOnTime", sum(ratings)::int AS ratings, sum(rating_sum)::int AS "ratingSum"
          FROM insights_daily
          WHERE day >= ${from}::date AND day <= ${to}::date AND actor_type IN ('point', 'store', 'host') AND channel <> 'store_counter'
          GROUP BY 1, 2`,
    );
    // Buyers of the window (their latest order in it): returning ones have two orders or more
    // with the actor; "within 7 days" ones came back in the last 7 days.
    const repeat = await selectRows<FigureRow & { is_self: boolean }>(
      db,
      sql`WITH self AS (${SELF_PEOPLE})
          SELECT r.actor_type, r.actor_id, (s.account_id IS NOT NULL) AS is_self, count(*)::int AS buyers,
                 count(*) FILTER (WHERE r.orders >= 2)::int AS "repeatBuyers",
                 count(*) FILTER (WHERE r.orders >= 2 AND r.last_paid_at >= ${start7}::timestamptz)::int AS "repeatBuyers7"
          FROM insights_actor_repeat r
          LEFT JOIN self s ON s.actor_type = r.actor_type AND s.actor_id = r.actor_id AND s.account_id = r.account_id
          WHERE r.actor_type IN ('point', 'store', 'host') AND r.last_paid_at >= ${start}::timestamptz AND r.last_paid_at < ${end}::timestamptz
          GROUP BY 1, 2, 3`,
    );
    // Self-orders: found from the actors' own people (a few accounts), not by scanning orders.
    const self = await selectRows<FigureRow>(
      db,
      sql`WITH self AS (${SELF_PEOPLE}),
          so AS (
            SELECT o.id, o.paid_at, s.actor_type, s.actor_id
            FROM self s JOIN orders o ON o.buyer_account_id = s.account_id
            WHERE o.paid_at IS NOT NULL AND o.channel NOT IN ('store_counter', 'replenishment')
              AND ${ORDER_ACTOR} = s.actor_type AND ${ORDER_ACTOR_ID} = s.actor_id
          ),
          paid AS (
            SELECT so.actor_type, so.actor_id, count(*)::int AS orders,
                   COALESCE(sum((SELECT sum(l.quantity) FROM order_lines l WHERE l.order_id = so.id)), 0)::int AS units
            FROM so WHERE so.paid_at >= ${start}::timestamptz AND so.paid_at < ${end}::timestamptz GROUP BY 1, 2
          ),
          aft AS (
            SELECT so.actor_type, so.actor_id, count(*)::int AS after_sales,
                   count(*) FILTER (WHERE a.reason IN ('quality', 'damaged', 'wrong_item', 'missing', 'not_as_described'))::int AS complaints
            FROM so JOIN after_sales_requests a ON a.order_id = so.id
            WHERE a.created_at >= ${start}::timestamptz AND a.created_at < ${end}::timestamptz GROUP BY 1, 2
          ),
          short AS (
            SELECT so.actor_type, so.actor_id, sum(rl.quantity)::int AS shortage_units
            FROM so JOIN refunds r ON r.order_id = so.id JOIN refund_lines rl ON rl.refund_id = r.id
            WHERE r.kind = 'shortage' AND r.created_at >= ${start}::timestamptz AND r.created_at < ${end}::timestamptz GROUP BY 1, 2
          ),
          due AS (
            SELECT so.actor_type, so.actor_id, count(*)::int AS due, count(*) FILTER (WHERE p.on_time)::int AS on_time
            FROM so JOIN insights_pickups p ON p.order_id = so.id
            WHERE p.day >= ${from}::date AND p.day <= ${to}::date GROUP BY 1, 2
          ),
          rated AS (
            SELECT so.actor_type, so.actor_id, count(*)::int AS ratings, sum(r.stars)::int AS rating_sum
            FROM so JOIN order_ratings r ON r.order_id = so.id
            WHERE r.created_at >= ${start}::timestamptz AND r.created_at < ${end}::timestamptz GROUP BY 1, 2
          )
          SELECT actor_type, actor_id, orders, units, NULL::int AS "afterSales", NULL::int AS complaints, NULL::int AS "shortageUnits",
                 NULL::int AS "pickupsDue", NULL::int AS "pickupsOnTime", NULL::int AS ratings, NULL::int AS "ratingSum" FROM paid
          UNION ALL SELECT actor_type, actor_id, NULL, NULL, after_sales, complaints, NULL, NULL, NULL, NULL, NULL FROM aft
          UNION ALL SELECT actor_type, actor_id, NULL, NULL, NULL, NULL, shortage_units, NULL, NULL, NULL, NULL FROM short
          UNION ALL SELECT actor_type, actor_id, NULL, NULL, NULL, NULL, NULL, due, on_time, NULL, NULL FROM due
          UNION ALL SELECT actor_type, actor_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, ratings, rating_sum FROM rated`,
    );
    // Refunds of other buyers' orders made after the goods were handed over (a pickup not
    // undone, or the order completed, before the refund) on orders without an after-sales
    // request: settled off the record, so counted as an after-sales case, once per order.
    const late = await selectRows<{ actor_type: TrustActorType; actor_id: number; n: number }>(
      db,
      sql`WITH self AS (${SELF_PEOPLE}),
          lr AS (
            SELECT DISTINCT ${ORDER_ACTOR} AS actor_type, ${ORDER_ACTOR_ID} AS actor_id, o.id AS order_id, o.buyer_account_id
            FROM refunds r JOIN orders o ON o.id = r.order_id
            WHERE r.created_at >= ${start}::timestamptz AND r.created_at < ${end}::timestamptz
              AND r.kind IN ('full', 'partial') AND r.status <> 'failed'
              AND o.channel NOT IN ('store_counter', 'replenishment')
              AND (EXISTS (SELECT 1 FROM pickups pk WHERE pk.order_id = o.id AND pk.undone_at IS NULL AND pk.picked_at <= r.created_at)
                   OR (o.completed_at IS NOT NULL AND o.completed_at <= r.created_at))
              AND NOT EXISTS (SELECT 1 FROM after_sales_requests a WHERE a.order_id = o.id)
          )
          SELECT lr.actor_type, lr.actor_id, count(*)::int AS n FROM lr
          WHERE lr.actor_type IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM self s WHERE s.actor_type = lr.actor_type AND s.actor_id = lr.actor_id AND s.account_id = lr.buyer_account_id)
          GROUP BY 1, 2`,
    );

    // The read models count the actor's own people among its buyers too: all buyers are
    // counted, and the self ones are the self-orders' share.
    const counted = collect(daily);
    collect(repeat, counted);
    const selfOrders = collect(self);
    collect(repeat.filter((r) => r.is_self), selfOrders);
    const refundsAfterHandover = new Map<ActorKey, number>();
    for (const r of late) refundsAfterHandover.set(keyOf(r.actor_type, Number(r.actor_id)), Number(r.n));
    return { counted, selfOrders, refundsAfterHandover };
  }

  // ── scores ──────────────────────────────────────────────────────────────────
  async upsertScores(db: Executor, rows: { actorType: TrustActorType; actorId: number; score: number; parts: StoredExplanation }[], at: Date): Promise<void> {
    for (let i = 0; i < rows.length; i += 2000) {
      const chunk = rows.slice(i, i + 2000);
      await db.execute(
        sql`INSERT INTO trust_scores (actor_type, actor_id, score, parts, computed_at)
            SELECT t.actor_type, t.actor_id, t.score, t.parts::jsonb, ${at.toISOString()}::timestamptz
            FROM unnest(${sql.param(chunk.map((r) => r.actorType))}::text[], ${sql.param(chunk.map((r) => r.actorId))}::bigint[],
                        ${sql.param(chunk.map((r) => r.score))}::int[], ${sql.param(chunk.map((r) => JSON.stringify(r.parts)))}::text[])
                 AS t(actor_type, actor_id, score, parts)
            ON CONFLICT (actor_type, actor_id) DO UPDATE SET score = EXCLUDED.score, parts = EXCLUDED.parts, computed_at = EXCLUDED.computed_at`,
      );
    }
  }

  async scores(db: Executor, actorType: TrustActorType, ids: number[]): Promise<{ actorId: number; score: number; parts: StoredExplanation; computedAt: Date }[]> {
    if (ids.length === 0) return [];
    const rows = await selectRows<{ actor_id: number; score: number; parts: StoredExplanation | string; computed_at: Date | string }>(
      db,
      sql`SELECT actor_id, score, parts, computed_at FROM trust_scores WHERE actor_type = ${actorType} AND actor_id = ANY(${sql.param(ids)}::bigint[])`,
    );
    return rows.map((r) => ({
      actorId: Number(r.actor_id),
      score: Number(r.score),
      parts: typeof r.parts === 'string' ? (JSON.parse(r.parts) as StoredExplanation) : r.parts,
      computedAt: new Date(r.computed_at),
    }));
  }

  /** The best-scored open pickup point a leader leads, with its region (for the commission tier). */
  async leaderPoint(db: Executor, leaderAccountId: number): Promise<{ pointId: number; regionId: number; score: number | null } | null> {
    const rows = await selectRows<{ point_id: number; region_id: number; score: number | null }>(
      db,
      sql`SELECT pp.id AS point_id, c.region_id, ts.score
          FROM pickup_points pp JOIN communities c ON c.id = pp.community_id
          LEFT JOIN trust_scores ts ON ts.actor_type = 'point' AND ts.actor_id = pp.id
          WHERE pp.leader_account_id = ${leaderAccountId} AND pp.status <> 'closed'
          ORDER BY ts.score DESC NULLS LAST, pp.id LIMIT 1`,
    );
    const r = rows[0];
    return r ? { pointId: Number(r.point_id), regionId: Number(r.region_id), score: r.score === null ? null : Number(r.score) } : null;
  }

  // ── settings ────────────────────────────────────────────────────────────────
  async settingsRows(db: Executor): Promise<Map<number, { weights: Partial<TrustWeights>; minOrders: number; leaderTiers: LeaderTier[] }>> {
    const rows = await selectRows<{ region_id: number; weights: unknown; min_orders: number; leader_tiers: unknown }>(
      db,
      sql`SELECT region_id, weights, min_orders, leader_tiers FROM trust_settings`,
    );
    const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
    return new Map(
      rows.map((r) => [Number(r.region_id), { weights: json<Partial<TrustWeights>>(r.weights), minOrders: Number(r.min_orders), leaderTiers: json<LeaderTier[]>(r.leader_tiers) }]),
    );
  }

  async regionParents(db: Executor): Promise<Map<number, number | null>> {
    const rows = await selectRows<{ id: number; parent_id: number | null }>(db, sql`SELECT id, parent_id FROM regions`);
    return new Map(rows.map((r) => [Number(r.id), r.parent_id === null ? null : Number(r.parent_id)]));
  }

  async regionExists(db: Executor, regionId: number): Promise<boolean> {
    return (await selectRows(db, sql`SELECT 1 FROM regions WHERE id = ${regionId}`)).length > 0;
  }

  async upsertSettings(db: Executor, regionId: number, v: { weights: TrustWeights; minOrders: number; leaderTiers: LeaderTier[] }, at: Date): Promise<void> {
    await db.execute(
      sql`INSERT INTO trust_settings (region_id, weights, min_orders, leader_tiers, updated_at)
          VALUES (${regionId}, ${JSON.stringify(v.weights)}::jsonb, ${v.minOrders}, ${JSON.stringify(v.leaderTiers)}::jsonb, ${at.toISOString()}::timestamptz)
          ON CONFLICT (region_id) DO UPDATE SET weights = EXCLUDED.weights, min_orders = EXCLUDED.min_orders,
            leader_tiers = EXCLUDED.leader_tiers, updated_at = EXCLUDED.updated_at`,
    );
  }
}
