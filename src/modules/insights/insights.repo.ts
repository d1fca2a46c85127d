// SQL of the insights read models beyond the shared facts (facts.repo.ts): the subscriber's
// per-event steps that are not plain sums (buyers and cohorts, pickup states), the range
// rebuild, the ratings, and the small reads.
import { sql, type SQL } from 'drizzle-orm';
import { selectRows, type Executor } from '../../db';
import {
  addActorRepeat,
  addPaidOrders,
  addToDaily,
  addToRoutes,
  addToSkus,
  afterSalesDailyFacts,
  afterSalesRouteFacts,
  campaignOfferFacts,
  chinaDayOf,
  DAILY_FIGURES,
  liveOfferFacts,
  mondayOfDay,
  orderKeys,
  paidSkuFacts,
  pickupStates,
  plannedRouteFacts,
  ratingDailyFacts,
  refundDailyFacts,
  refundRouteFacts,
  refundSkuFacts,
  trafficDailyFacts,
} from './facts.repo';
import type { InsightsActorType } from './insights.schema';

/** A buyer as insights_buyers sees them: the region and community of their first day's order. */
export interface BuyerIdentity {
  firstDay: string;
  communityId: number;
  regionId: number;
}

export interface PaidOrderFacts extends BuyerIdentity {
  accountId: number;
  week: string;
  totalFen: number;
}

export interface PickupState {
  day: string;
  communityId: number;
  channel: string;
  actorType: InsightsActorType;
  actorId: number;
  regionId: number;
  onTime: boolean;
}

export interface RatingRow {
  orderId: number;
  accountId: number;
  stars: number;
  comment: string;
  createdAt: Date;
}

/** Order heads the rating checks look at. */
export interface RatableOrder {
  id: number;
  buyerAccountId: number;
  status: string;
  channel: string;
}

/** The same buyer first met earlier (or on the same day in a lower community): that order defines them. */
export function earlier(a: BuyerIdentity, b: BuyerIdentity): BuyerIdentity {
  if (a.firstDay !== b.firstDay) return a.firstDay < b.firstDay ? a : b;
  if (a.communityId !== b.communityId) return a.communityId < b.communityId ? a : b;
  return a.regionId <= b.regionId ? a : b;
}

const byId = (id: number) => sql`o.id = ${id}`;
/** Midnight (China time) starting a day given as a parameter. */
const midnight = (day: string) => sql`((${day}::date)::timestamp AT TIME ZONE 'UTC') - interval '8 hours'`;
/** `col` (timestamptz) falls on a China day from `from` to `to`, inclusive. */
const within = (col: SQL, from: string, to: string) => sql`${col} >= ${midnight(from)} AND ${col} < ${midnight(to)} + interval '1 day'`;
const between = (col: SQL, from: string, to: string) => sql`${col} BETWEEN ${from}::date AND ${to}::date`;

export class InsightsRepo {
  // ── the subscriber: one event's facts ─────────────────────────────────────────────────────

  /** The figures of a paid, counted order that the buyer tables need; null when it is not counted. */
  async paidOrderFacts(db: Executor, orderId: number): Promise<PaidOrderFacts | null> {
    const rows = await selectRows<PaidOrderFacts>(
      db,
      sql`SELECT f.account_id AS "accountId", f.day::text AS "firstDay", ${mondayOfDay(sql`f.day`)}::text AS week,
                 f.community_id AS "communityId", f.region_id AS "regionId", f.total_fen AS "totalFen"
          FROM (SELECT k.*, ${chinaDayOf(sql`k.paid_at`)} AS day FROM (${orderKeys(byId(orderId))}) k) f`,
    );
    return rows[0] ? { ...rows[0], accountId: Number(rows[0].accountId), communityId: Number(rows[0].communityId), regionId: Number(rows[0].regionId), totalFen: Number(rows[0].totalFen) } : null;
  }

  /** Daily figures, SKU sales and the actor's repeat row of one paid order. */
  async addPaidOrder(db: Executor, orderId: number): Promise<void> {
    await addPaidOrders(db, byId(orderId));
    await addToSkus(db, paidSkuFacts(byId(orderId)), ['units_sold', 'gmv_fen']);
    await addActorRepeat(db, byId(orderId));
  }

  /**
   * The buyer's row, created from this order when new, locked either way; returns it as it was
   * (`fresh` when this call made it).
   */
  async lockBuyer(db: Executor, f: PaidOrderFacts): Promise<BuyerIdentity & { fresh: boolean; firstWeek: string }> {
    const [row] = await selectRows<BuyerIdentity & { fresh: boolean; firstWeek: string }>(
      db,
      sql`INSERT INTO insights_buyers AS b (account_id, region_id, community_id, first_day, first_week, last_day, orders, gmv_fen)
          VALUES (${f.accountId}, ${f.regionId}, ${f.communityId}, ${f.firstDay}::date, ${f.week}::date, ${f.firstDay}::date, 0, 0)
          ON CONFLICT (account_id) DO UPDATE SET account_id = b.account_id
          RETURNING b.first_day::text AS "firstDay", b.first_week::text AS "firstWeek", b.community_id AS "communityId",
                    b.region_id AS "regionId", (xmax = 0) AS fresh`,
    );
    return { ...row!, communityId: Number(row!.communityId), regionId: Number(row!.regionId) };
  }

  /**
   * The buyer's cohort or community changed (an earlier order arrived late): their weeks so far
   * move from the old cohort row and community to the new ones; rows left empty are removed.
   */
  async moveBuyerWeeks(db: Executor, accountId: number, from: BuyerIdentity & { firstWeek: string }, to: BuyerIdentity & { firstWeek: string }): Promise<void> {
    const weeks = sql`SELECT week FROM insights_buyer_weeks WHERE account_id = ${accountId}`;
    if (from.regionId !== to.regionId || from.firstWeek !== to.firstWeek) {
      await db.execute(sql`
        WITH weeks AS (${weeks}),
        dec AS (
          UPDATE insights_cohorts c SET buyers = c.buyers - 1 FROM weeks
          WHERE c.region_id = ${from.regionId} AND c.cohort_week = ${from.firstWeek}::date AND c.active_week = weeks.week
          RETURNING 1)
        INSERT INTO insights_cohorts AS c (region_id, cohort_week, active_week, buyers)
        SELECT ${to.regionId}, ${to.firstWeek}::date, week, 1 FROM weeks
        ON CONFLICT (region_id, cohort_week, active_week) DO UPDATE SET buyers = c.buyers + 1`);
      await db.execute(sql`DELETE FROM insights_cohorts WHERE region_id = ${from.regionId} AND cohort_week = ${from.firstWeek}::date AND buyers <= 0`);
    }
    if (from.communityId !== to.communityId) {
      await db.execute(sql`
        WITH weeks AS (${weeks}),
        dec AS (
          UPDATE insights_community_weeks c SET active_households = c.active_households - 1 FROM weeks
          WHERE c.community_id = ${from.communityId} AND c.week = weeks.week
          RETURNING 1)
        INSERT INTO insights_community_weeks AS c (community_id, week, active_households)
        SELECT ${to.communityId}, week, 1 FROM weeks WHERE ${to.communityId} <> 0
        ON CONFLICT (community_id, week) DO UPDATE SET active_households = c.active_households + 1`);
      await db.execute(sql`DELETE FROM insights_community_weeks WHERE community_id = ${from.communityId} AND active_households <= 0`);
    }
  }

  /**
   * Count the order on the buyer's row (identity `to`) and record its week; true when the week
   * is new for the buyer.
   */
  async countBuyerOrder(db: Executor, f: PaidOrderFacts, to: BuyerIdentity & { firstWeek: string }): Promise<boolean> {
    const rows = await selectRows<{ week: string }>(
      db,
      sql`WITH u AS (
            UPDATE insights_buyers SET region_id = ${to.regionId}, community_id = ${to.communityId}, first_day = ${to.firstDay}::date,
                   first_week = ${to.firstWeek}::date, last_day = GREATEST(last_day, ${f.firstDay}::date),
                   orders = orders + 1, gmv_fen = gmv_fen + ${f.totalFen}
            WHERE account_id = ${f.accountId} RETURNING 1)
          INSERT INTO insights_buyer_weeks (account_id, week) VALUES (${f.accountId}, ${f.week}::date)
          ON CONFLICT DO NOTHING RETURNING week::text`,
    );
    return rows.length > 0;
  }

  /** A buyer active in a week new to them: their cohort row and their community's households. */
  async addBuyerWeek(db: Executor, week: string, to: BuyerIdentity & { firstWeek: string }): Promise<void> {
    await db.execute(sql`
      WITH c AS (
        INSERT INTO insights_cohorts AS c (region_id, cohort_week, active_week, buyers)
        VALUES (${to.regionId}, ${to.firstWeek}::date, ${week}::date, 1)
        ON CONFLICT (region_id, cohort_week, active_week) DO UPDATE SET buyers = c.buyers + 1
        RETURNING 1)
      INSERT INTO insights_community_weeks AS w (community_id, week, active_households)
      SELECT ${to.communityId}, ${week}::date, 1 WHERE ${to.communityId} <> 0
      ON CONFLICT (community_id, week) DO UPDATE SET active_households = w.active_households + 1`);
  }

  async addRefund(db: Executor, refundId: number): Promise<void> {
    const where = sql`r.id = ${refundId}`;
    await addToDaily(db, refundDailyFacts(where), ['refunded_fen', 'shortage_units']);
    await addToSkus(db, refundSkuFacts(where), ['units_refunded', 'units_short']);
    await addToRoutes(db, refundRouteFacts(where), ['shortage_units']);
  }

  async addAfterSales(db: Executor, afterSalesId: number): Promise<void> {
    const where = sql`a.id = ${afterSalesId}`;
    await addToDaily(db, afterSalesDailyFacts(where), ['after_sales', 'complaints']);
    await addToRoutes(db, afterSalesRouteFacts(where), ['after_sales']);
  }

  async addRating(db: Executor, orderId: number): Promise<void> {
    await addToDaily(db, ratingDailyFacts(sql`rt.order_id = ${orderId}`), ['ratings', 'rating_sum']);
  }

  async addTraffic(db: Executor, ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await addToDaily(db, trafficDailyFacts(sql`te.id = ANY (${sql.param(ids)}::bigint[])`), ['views', 'shares', 'clicks']);
  }

  /** A wave was planned: its routes, and what its campaigns offered. */
  async addWave(db: Executor, waveId: number): Promise<void> {
    await addToRoutes(db, plannedRouteFacts(sql`w.id = ${waveId}`), ['stops', 'orders', 'units']);
    await addToSkus(db, campaignOfferFacts(sql`w.id = ${waveId}`), ['units_offered']);
  }

  async addLiveOffer(db: Executor, sessionId: number): Promise<void> {
    await addToSkus(db, liveOfferFacts(sql`s.id = ${sessionId}`), ['units_offered']);
  }

  /** Where an order stands now for the pickup figures (null: not due) and what was counted for it. */
  async pickupStateOf(db: Executor, orderId: number): Promise<{ now: PickupState | null; counted: PickupState | null }> {
    const cols = (t: string) =>
      sql.raw(
        `${t}.day::text AS "${t}Day", ${t}.community_id AS "${t}Community", ${t}.channel AS "${t}Channel", ${t}.actor_type AS "${t}ActorType", ` +
          `${t}.actor_id AS "${t}ActorId", ${t}.region_id AS "${t}Region", ${t}.on_time AS "${t}OnTime"`,
      );
    const rows = await selectRows<Record<string, unknown>>(
      db,
      sql`SELECT ${cols('n')}, ${cols('c')}
          FROM (SELECT 1) one
          LEFT JOIN (${pickupStates(byId(orderId))}) n ON true
          LEFT JOIN insights_pickups c ON c.order_id = ${orderId}`,
    );
    const r = rows[0]!;
    const state = (t: string): PickupState | null =>
      r[`${t}Day`] === null || r[`${t}Day`] === undefined
        ? null
        : {
            day: String(r[`${t}Day`]),
            communityId: Number(r[`${t}Community`]),
            channel: String(r[`${t}Channel`]),
            actorType: r[`${t}ActorType`] as InsightsActorType,
            actorId: Number(r[`${t}ActorId`]),
            regionId: Number(r[`${t}Region`]),
            onTime: Boolean(r[`${t}OnTime`]),
          };
    return { now: state('n'), counted: state('c') };
  }

  /**
   * Move an order's pickup contribution from what was counted to what holds now: the
   * difference goes to insights_daily (a row left with nothing is removed, as recompute would
   * never make it) and insights_pickups records the new state.
   */
  async movePickupState(db: Executor, orderId: number, counted: PickupState | null, now: PickupState | null): Promise<void> {
    const deltas = new Map<string, { s: PickupState; due: number; onTime: number }>();
    const add = (s: PickupState, sign: number) => {
      const key = [s.day, s.communityId, s.channel, s.actorType, s.actorId].join('|');
      const d = deltas.get(key) ?? { s, due: 0, onTime: 0 };
      d.due += sign;
      d.onTime += sign * (s.onTime ? 1 : 0);
      deltas.set(key, d);
    };
    if (counted) add(counted, -1);
    if (now) add(now, 1);
    const changes = [...deltas.values()].filter((d) => d.due !== 0 || d.onTime !== 0);
    if (changes.length > 0) {
      const rows = sql.join(
        changes.map(
          (d) =>
            sql`SELECT ${d.s.day}::date AS day, ${d.s.communityId}::bigint AS community_id, ${d.s.channel}::text AS channel, ${d.s.actorType}::text AS actor_type,
                       ${d.s.actorId}::bigint AS actor_id, ${d.s.regionId}::bigint AS region_id, ${d.due}::int AS pickups_due, ${d.onTime}::int AS pickups_on_time`,
        ),
        sql` UNION ALL `,
      );
      await addToDaily(db, rows, ['pickups_due', 'pickups_on_time']);
      if (counted) {
        const allZero = sql.raw(DAILY_FIGURES.map((f) => `${f} = 0`).join(' AND '));
        await db.execute(sql`
          DELETE FROM insights_daily
          WHERE day = ${counted.day}::date AND community_id = ${counted.communityId} AND channel = ${counted.channel}
            AND actor_type = ${counted.actorType} AND actor_id = ${counted.actorId} AND buyers = 0 AND ${allZero}`);
      }
    }
    if (now) {
      await db.execute(sql`
        INSERT INTO insights_pickups (order_id, day, community_id, channel, actor_type, actor_id, region_id, on_time)
        VALUES (${orderId}, ${now.day}::date, ${now.communityId}, ${now.channel}, ${now.actorType}, ${now.actorId}, ${now.regionId}, ${now.onTime})
        ON CONFLICT (order_id) DO UPDATE SET day = EXCLUDED.day, community_id = EXCLUDED.community_id, channel = EXCLUDED.channel,
          actor_type = EXCLUDED.actor_type, actor_id = EXCLUDED.actor_id, region_id = EXCLUDED.region_id, on_time = EXCLUDED.on_time`);
    } else if (counted) {
      await db.execute(sql`DELETE FROM insights_pickups WHERE order_id = ${orderId}`);
    }
  }

  // ── recompute ─────────────────────────────────────────────────────────────────────────────

  /**
   * For the rest of this transaction the rollup triggers on insights_daily (migration 0018) do
   * nothing: a rebuild's bulk deletes and inserts would otherwise be summed into the rollups
   * twice over, and rebuildRollups() makes them afresh at the end.
   */
  async rollupsStandAside(db: Executor): Promise<void> {
    await db.execute(sql`SELECT set_config('linli.insights_rollups', 'rebuild', true)`);
  }

  /** insights_region_daily, insights_actor_totals and insights_actor_running from insights_daily as it stands. */
  async rebuildRollups(db: Executor): Promise<void> {
    await db.execute(sql`SELECT insights_rebuild_rollups()`);
    await db.execute(sql`SELECT set_config('linli.insights_rollups', '', true)`);
  }

  /** Rebuild the day-grained tables for China days `from`…`to` (inclusive) from the raw tables. */
  async rebuildDays(db: Executor, from: string, to: string): Promise<void> {
    for (const table of ['insights_daily', 'insights_daily_buyers', 'insights_sku_daily', 'insights_route_daily', 'insights_pickups']) {
      await db.execute(sql`DELETE FROM ${sql.raw(table)} WHERE ${between(sql`day`, from, to)}`);
    }
    const paid = within(sql`o.paid_at`, from, to);
    await addPaidOrders(db, paid);
    await addToSkus(db, paidSkuFacts(paid), ['units_sold', 'gmv_fen']);

    const refunded = within(sql`r.created_at`, from, to);
    await addToDaily(db, refundDailyFacts(refunded), ['refunded_fen', 'shortage_units']);
    await addToSkus(db, refundSkuFacts(refunded), ['units_refunded', 'units_short']);
    const routeDay = between(sql`rt.day`, from, to);
    await addToRoutes(db, refundRouteFacts(sql`TRUE`, routeDay), ['shortage_units']);

    await addToDaily(db, afterSalesDailyFacts(within(sql`a.created_at`, from, to)), ['after_sales', 'complaints']);
    await addToRoutes(db, afterSalesRouteFacts(sql`TRUE`, routeDay), ['after_sales']);
    await addToDaily(db, ratingDailyFacts(within(sql`rt.created_at`, from, to)), ['ratings', 'rating_sum']);
    await addToDaily(db, trafficDailyFacts(within(sql`te.occurred_at`, from, to)), ['views', 'shares', 'clicks']);

    await addToRoutes(db, plannedRouteFacts(between(sql`w.pickup_date`, from, to)), ['stops', 'orders', 'units']);
    await addToSkus(db, campaignOfferFacts(within(sql`c.cutoff_at`, from, to)), ['units_offered']);
    await addToSkus(db, liveOfferFacts(within(sql`s.started_at`, from, to)), ['units_offered']);

    // An order is due on its arrival day, which is within a few days of its campaign's pickup
    // date; a month either side finds every order whose arrival day is in the range.
    await db.execute(sql`
      INSERT INTO insights_pickups (order_id, day, community_id, channel, actor_type, actor_id, region_id, on_time)
      SELECT order_id, day, community_id, channel, actor_type, actor_id, region_id, on_time
      FROM (${pickupStates(sql`TRUE`, sql`c.pickup_date BETWEEN ${from}::date - 31 AND ${to}::date + 31 AND ${between(sql`st.day`, from, to)}`)}) p
      ON CONFLICT (order_id) DO UPDATE SET day = EXCLUDED.day, community_id = EXCLUDED.community_id, channel = EXCLUDED.channel,
        actor_type = EXCLUDED.actor_type, actor_id = EXCLUDED.actor_id, region_id = EXCLUDED.region_id, on_time = EXCLUDED.on_time`);
    await addToDaily(
      db,
      sql`SELECT day, community_id, channel, actor_type, actor_id, region_id, 1 AS pickups_due, CASE WHEN on_time THEN 1 ELSE 0 END AS pickups_on_time
          FROM insights_pickups WHERE ${between(sql`day`, from, to)}`,
      ['pickups_due', 'pickups_on_time'],
    );
  }

  /**
   * Rebuild the buyer and actor tables from every paid order: a buyer's cohort and community
   * come from their first order ever, so these are not cut by date.
   */
  async rebuildBuyers(db: Executor): Promise<void> {
    for (const table of ['insights_buyers', 'insights_buyer_weeks', 'insights_cohorts', 'insights_community_weeks', 'insights_actor_repeat']) {
      await db.execute(sql`DELETE FROM ${sql.raw(table)}`);
    }
    const facts = sql`SELECT k.account_id, ${chinaDayOf(sql`k.paid_at`)} AS day, k.region_id, k.community_id, k.total_fen FROM (${orderKeys()}) k`;
    await db.execute(sql`
      WITH f AS (${facts}),
      a AS (SELECT account_id, min(day) AS first_day, max(day) AS last_day, count(*) AS orders, sum(total_fen) AS gmv_fen FROM f GROUP BY account_id),
      fst AS (SELECT DISTINCT ON (account_id) account_id, region_id, community_id FROM f ORDER BY account_id, day, community_id, region_id)
      INSERT INTO insights_buyers (account_id, region_id, community_id, first_day, first_week, last_day, orders, gmv_fen)
      SELECT a.account_id, fst.region_id, fst.community_id, a.first_day, ${mondayOfDay(sql`a.first_day`)}, a.last_day, a.orders, a.gmv_fen
      FROM a JOIN fst USING (account_id)`);
    await db.execute(sql`
      INSERT INTO insights_buyer_weeks (account_id, week)
      SELECT DISTINCT f.account_id, ${mondayOfDay(sql`f.day`)} FROM (${facts}) f`);
    await db.execute(sql`
      INSERT INTO insights_cohorts (region_id, cohort_week, active_week, buyers)
      SELECT b.region_id, b.first_week, w.week, count(*) FROM insights_buyer_weeks w JOIN insights_buyers b USING (account_id)
      GROUP BY b.region_id, b.first_week, w.week`);
    await db.execute(sql`
      INSERT INTO insights_community_weeks (community_id, week, active_households)
      SELECT b.community_id, w.week, count(*) FROM insights_buyer_weeks w JOIN insights_buyers b USING (account_id)
      WHERE b.community_id <> 0 GROUP BY b.community_id, w.week`);
    await addActorRepeat(db, sql`TRUE`);
  }

  // ── ratings ───────────────────────────────────────────────────────────────────────────────

  /** The order's head; `lock` takes its row lock (the rating's transaction). */
  async orderForRating(db: Executor, orderId: number, lock: boolean): Promise<RatableOrder | null> {
    const rows = await selectRows<RatableOrder>(
      db,
      sql`SELECT id, buyer_account_id AS "buyerAccountId", status, channel FROM orders WHERE id = ${orderId} ${lock ? sql`FOR UPDATE` : sql``}`,
    );
    return rows[0] ? { ...rows[0], id: Number(rows[0].id), buyerAccountId: Number(rows[0].buyerAccountId) } : null;
  }

  /** The rating, or null when the order already has one. */
  async insertRating(db: Executor, r: { orderId: number; accountId: number; stars: number; comment: string; at: Date }): Promise<RatingRow | null> {
    const rows = await selectRows<RatingRow>(
      db,
      sql`INSERT INTO order_ratings (order_id, account_id, stars, comment, created_at)
          VALUES (${r.orderId}, ${r.accountId}, ${r.stars}, ${r.comment}, ${r.at.toISOString()}::timestamptz)
          ON CONFLICT (order_id) DO NOTHING
          RETURNING order_id AS "orderId", account_id AS "accountId", stars, comment, created_at AS "createdAt"`,
    );
    return rows[0] ? toRating(rows[0]) : null;
  }

  async ratingOf(db: Executor, orderId: number): Promise<RatingRow | null> {
    const rows = await selectRows<RatingRow>(
      db,
      sql`SELECT order_id AS "orderId", account_id AS "accountId", stars, comment, created_at AS "createdAt" FROM order_ratings WHERE order_id = ${orderId}`,
    );
    return rows[0] ? toRating(rows[0]) : null;
  }

  // ── reads ─────────────────────────────────────────────────────────────────────────────────

  /**
   * Events of these topics not yet applied by `subscriber`: still unpublished in the outbox (the
   * in-process relay marks a batch published once its subscribers committed), or parked for a
   * retry. Reads the events module's tables; the partial index on unpublished ids keeps it cheap.
   */
  async pendingEvents(db: Executor, topics: readonly string[], subscriber: string): Promise<number> {
    const rows = await selectRows<{ n: number }>(
      db,
      sql`SELECT ((SELECT count(*) FROM outbox_events WHERE published_at IS NULL AND topic = ANY (${sql.param([...topics])}::text[]))
                + (SELECT count(*) FROM event_retries WHERE subscriber = ${subscriber}))::int AS n`,
    );
    return Number(rows[0]!.n);
  }

  /** One region's (not its sub-regions') totals for a China day: a cheap probe of read-model lag. */
  async funnelCount(db: Executor, regionId: number, day: string): Promise<{ orders: number; gmvFen: number; views: number }> {
    const rows = await selectRows<{ orders: number; gmv_fen: number; views: number }>(
      db,
      sql`SELECT COALESCE(sum(orders), 0)::int AS orders, COALESCE(sum(gmv_fen), 0)::bigint AS gmv_fen, COALESCE(sum(views), 0)::int AS views
          FROM insights_region_daily WHERE region_id = ${regionId} AND day = ${day}::date`,
    );
    const r = rows[0]!;
    return { orders: Number(r.orders), gmvFen: Number(r.gmv_fen), views: Number(r.views) };
  }
}

function toRating(r: RatingRow): RatingRow {
  return { ...r, orderId: Number(r.orderId), accountId: Number(r.accountId), stars: Number(r.stars), createdAt: new Date(r.createdAt) };
}
