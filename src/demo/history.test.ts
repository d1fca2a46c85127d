import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../db/testing';
import { addDays, chinaDay } from '../modules/leaders';
import { createServices, type Services } from '../services';
import { generateDemoCity } from './city';
import { DemoRepo, type IdOffsets } from './demo.repo';
import { chunks, simulateHistory, type HistorySummary } from './history';
import { dayVolumes, planHistory, type HistoryPlan } from './history-plan';
import { HistoryRepo } from './history.repo';

describe('history plan (pure)', () => {
  it('spreads the orders over the days: all of them, growing, busier at weekends', () => {
    const days = dayVolumes(3001, 30, '2026-10-05'); // a Monday
    expect(days.reduce((a, b) => a + b, 0)).toBe(3001);
    expect(days[29]!).toBeGreaterThan(days[0]!);
    // Saturday 10-10 against Friday 10-09 and Thursday 10-08.
    expect(days[5]!).toBeGreaterThan(days[3]!);
    expect(dayVolumes(7, 30, '2026-10-05').reduce((a, b) => a + b, 0)).toBe(7);
  });

  it('cuts the days into chunks of whole days, or pieces of one big day', () => {
    expect(chunks([3, 4, 5], 10)).toEqual([
      [1, 7, true],
      [8, 12, true],
    ]);
    expect(chunks([25, 3], 10)).toEqual([
      [1, 10, false],
      [11, 20, false],
      [21, 28, true],
    ]);
    expect(chunks([0, 2, 0], 10)).toEqual([[1, 2, true]]);
  });
});

/** Every table the history writes, as text, ordered: what "the same rows" means. */
const DUMPS: Record<string, string> = {
  orders: 'id',
  order_lines: 'id',
  payments: 'id',
  payment_refunds: 'payment_id, refund_ref',
  refunds: 'id',
  refund_lines: 'refund_id, order_line_id',
  after_sales_requests: 'id',
  pickups: 'order_line_id',
  order_ratings: 'order_id',
  pos_sales: 'order_id',
  share_links: 'id',
  campaigns: 'id',
  campaign_items: 'campaign_id, sku_id',
  waves: 'id',
  delivery_routes: 'id',
  route_stops: 'route_id, seq',
  handoffs: 'id',
  handoff_lines: 'handoff_id, sku_id',
  live_sessions: 'id',
  live_bag_items: 'session_id, sku_id',
};

async function dump(db: TestDatabase): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [table, key] of Object.entries(DUMPS)) {
    // pickups.id and traffic ids are identity values written in statement order; the rest is data.
    const cols = table === 'pickups' ? 'order_id, order_line_id, quantity, scan_id, by_account_id, picked_at, undone_at' : '*';
    out[table] = (await db.query(`SELECT ${cols} FROM ${table} ORDER BY ${key}`)).map((r) => JSON.stringify(r));
  }
  out.traffic_events = (
    await db.query(
      `SELECT occurred_at, kind, target_type, target_id, source_type, source_id, share_link_id, account_id, community_id
         FROM traffic_events ORDER BY occurred_at, kind, target_type, target_id, source_type, source_id, share_link_id, account_id, community_id`,
    )
  ).map((r) => JSON.stringify(r));
  return out;
}

describe('a simulated month in the demo city (PGlite)', () => {
  const city = generateDemoCity(20261125);
  const lastDay = addDays(chinaDay(new Date()), -1);
  const ORDERS = 2400;
  let db: TestDatabase;
  let services: Services;
  let off: IdOffsets;
  let summary: HistorySummary;
  let plan: HistoryPlan;
  const q = async (sql: string, params: unknown[] = []) => Number((await db.query<{ n: number }>(sql, params))[0]!.n);

  async function cityDb(): Promise<{ db: TestDatabase; off: IdOffsets }> {
    const d = await openTestDatabase('pglite');
    const o = (await new DemoRepo().insertCity(d, city, 'not-a-hash'))!;
    return { db: d, off: o };
  }
  const options = (o: IdOffsets, seed = 7) => ({
    seed,
    orders: ORDERS,
    lastDay,
    regionIds: city.regions.filter((r) => r.kind === 'county').map((r) => r.id + o.regions),
    regionWeights: { [2 + o.regions]: 2 },
    activePoints: { [2 + o.regions]: 12, [3 + o.regions]: 6, [4 + o.regions]: 6, [5 + o.regions]: 6 },
  });

  beforeAll(async () => {
    ({ db, off } = await cityDb());
    services = await createServices(db);
    summary = await simulateHistory(db, options(off));
    const cast = await db.withConnection((c) => new HistoryRepo().loadCast(c, options(off).regionIds, []));
    plan = planHistory(cast, { ...options(off), days: 30 });
  }, 120_000);
  afterAll(async () => db?.dispose());

  it('writes the same rows for the same seed, foreign keys checked or not, and others for another seed', async () => {
    const mine = await dump(db);
    const checked = await cityDb();
    const other = await cityDb();
    try {
      await simulateHistory(checked.db, { ...options(checked.off), checkReferences: true });
      await simulateHistory(other.db, options(other.off, 8));
      const again = await dump(checked.db);
      for (const table of Object.keys(mine)) {
        expect(mine[table]!.length, table).toBeGreaterThan(0);
        expect(again[table], table).toEqual(mine[table]);
      }
      expect((await dump(other.db)).orders).not.toEqual(mine.orders);
    } finally {
      await checked.db.dispose();
      await other.db.dispose();
    }
  }, 120_000);

  it('covers every channel, with more views than clicks than orders', async () => {
    expect(summary.orders).toBe(ORDERS);
    expect(await q('SELECT count(*)::int AS n FROM orders')).toBe(ORDERS);
    const channels = await db.query<{ channel: string; n: number }>(`SELECT channel, count(*)::int AS n FROM orders GROUP BY 1 ORDER BY 1`);
    expect(channels.map((c) => c.channel)).toEqual(['group_buy', 'live', 'store_counter', 'store_online']);
    const views = await q(`SELECT count(*)::int AS n FROM traffic_events WHERE kind = 'view'`);
    const clicks = await q(`SELECT count(*)::int AS n FROM traffic_events WHERE kind = 'click'`);
    const shares = await q(`SELECT count(*)::int AS n FROM traffic_events WHERE kind = 'share'`);
    expect(views).toBeGreaterThan(clicks);
    expect(clicks).toBeGreaterThan(ORDERS);
    expect(shares).toBeGreaterThan(0);
    expect(await q(`SELECT count(*)::int AS n FROM traffic_events WHERE share_link_id IS NOT NULL`)).toBeGreaterThan(0);
    expect(await q(`SELECT count(*)::int AS n FROM orders WHERE share_link_id IS NOT NULL`)).toBeGreaterThan(0);
  });

  it('keeps every order consistent: lines, payment, refunds, pickups, statuses the state machine reaches', async () => {
    expect(await q(`SELECT count(*)::int AS n FROM orders WHERE status NOT IN ('completed', 'refunded', 'expired', 'cancelled')`)).toBe(0);
    expect(await q(`SELECT count(*)::int AS n FROM orders o WHERE items_fen <> (SELECT sum(line_total_fen) FROM order_lines l WHERE l.order_id = o.id)`)).toBe(0);
    // Paid ⇔ one succeeded payment of the whole amount; unpaid ⇔ a closed one.
    expect(
      await q(`SELECT count(*)::int AS n FROM orders o JOIN payments p ON p.order_id = o.id
                WHERE (o.paid_at IS NOT NULL) <> (p.status = 'succeeded') OR p.amount_fen <> o.total_fen OR p.refunded_fen <> o.refunded_fen`),
    ).toBe(0);
    expect(await q(`SELECT count(*)::int AS n FROM orders o WHERE NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id)`)).toBe(0);
    expect(await q(`SELECT count(*)::int AS n FROM orders WHERE paid_at IS NULL AND status NOT IN ('expired', 'cancelled')`)).toBe(0);
    expect(await q(`SELECT count(*)::int AS n FROM orders WHERE status = 'refunded' AND refunded_fen <> paid_fen`)).toBe(0);
    expect(await q(`SELECT count(*)::int AS n FROM orders WHERE status = 'completed' AND (completed_at IS NULL OR refunded_fen >= paid_fen)`)).toBe(0);
    // Refunds add up on the order, its lines and the payment.
    expect(
      await q(`SELECT count(*)::int AS n FROM orders o
                WHERE o.refunded_fen <> COALESCE((SELECT sum(amount_fen) FROM refunds r WHERE r.order_id = o.id AND r.status = 'succeeded'), 0)
                   OR o.refunded_fen <> (SELECT sum(refunded_fen) FROM order_lines l WHERE l.order_id = o.id)`),
    ).toBe(0);
    expect(await q(`SELECT count(*)::int AS n FROM refunds r WHERE amount_fen <> (SELECT sum(amount_fen) FROM refund_lines x WHERE x.refund_id = r.id)`)).toBe(0);
    expect(await q(`SELECT count(*)::int AS n FROM refunds WHERE kind = 'shortage'`)).toBeGreaterThan(0);
    // Pickups: group-buy only, never more than the line; every collected group-buy order had one.
    expect(await q(`SELECT count(*)::int AS n FROM pickups p JOIN orders o ON o.id = p.order_id WHERE o.channel <> 'group_buy'`)).toBe(0);
    expect(await q(`SELECT count(*)::int AS n FROM order_lines l WHERE l.picked_quantity <> COALESCE((SELECT sum(quantity) FROM pickups p WHERE p.order_line_id = l.id), 0)`)).toBe(0);
    expect(
      await q(`SELECT count(*)::int AS n FROM orders o WHERE o.channel = 'group_buy' AND o.completed_at IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM pickups p WHERE p.order_id = o.id)`),
    ).toBe(0);
    // After-sales: decided, with reasons of both kinds; an approved one has its refund.
    const reasons = await db.query<{ reason: string }>(`SELECT DISTINCT reason FROM after_sales_requests ORDER BY 1`);
    expect(reasons.map((r) => r.reason)).toEqual(expect.arrayContaining(['quality', 'changed_mind']));
    expect(await q(`SELECT count(*)::int AS n FROM after_sales_requests WHERE status = 'open'`)).toBe(0);
    expect(
      await q(`SELECT count(*)::int AS n FROM after_sales_requests a
                WHERE (a.status = 'approved') <> EXISTS (SELECT 1 FROM refunds r WHERE r.after_sales_id = a.id AND r.id = a.refund_id)`),
    ).toBe(0);
    expect(await q(`SELECT count(*)::int AS n FROM order_ratings`)).toBeGreaterThan(100);
    // No money moved through the ledger, and the ledger is sound.
    expect(await q(`SELECT count(*)::int AS n FROM journal_entries`)).toBe(0);
    expect(await services.ledger.verify()).toEqual([]);
  });

  it('keeps every event inside its days, after what caused it', async () => {
    expect(summary.to).toBe(lastDay);
    expect(summary.from).toBe(addDays(lastDay, -30));
    const bounds = [summary.from, summary.to];
    const outside = async (table: string, col: string) =>
      q(`SELECT count(*)::int AS n FROM ${table} WHERE ((${col} AT TIME ZONE 'UTC') + interval '8 hours')::date NOT BETWEEN $1::date AND $2::date`, bounds);
    for (const [table, col] of [
      ['orders', 'created_at'],
      ['orders', 'paid_at'],
      ['orders', 'completed_at'],
      ['refunds', 'created_at'],
      ['after_sales_requests', 'created_at'],
      ['after_sales_requests', 'decided_at'],
      ['order_ratings', 'created_at'],
      ['traffic_events', 'occurred_at'],
      ['pickups', 'picked_at'],
      ['handoffs', 'signed_at'],
    ] as const) {
      expect(await outside(table, col), `${table}.${col}`).toBe(0);
    }
    // Orders stop the day before the last day: that day is for pickups and after-sales.
    expect(await q(`SELECT count(*)::int AS n FROM orders WHERE ((created_at AT TIME ZONE 'UTC') + interval '8 hours')::date = $1::date`, [summary.to])).toBe(0);
    expect(await q(`SELECT count(*)::int AS n FROM orders WHERE paid_at < created_at OR completed_at < paid_at`)).toBe(0);
    expect(await q(`SELECT count(*)::int AS n FROM after_sales_requests a JOIN orders o ON o.id = a.order_id WHERE a.created_at < o.completed_at`)).toBe(0);
    // Group-buy orders were collected after their goods arrived.
    expect(
      await q(`SELECT count(*)::int AS n FROM pickups p JOIN orders o ON o.id = p.order_id JOIN waves w ON o.campaign_id = ANY (w.campaign_ids)
                JOIN handoffs h ON h.wave_id = w.id AND h.pickup_point_id = o.pickup_point_id WHERE p.picked_at < h.signed_at`),
    ).toBe(0);
    // Live orders fall within their session.
    expect(
      await q(`SELECT count(*)::int AS n FROM orders o JOIN live_sessions s ON s.id = o.live_session_id
                WHERE o.created_at < s.started_at OR o.created_at > s.ended_at`),
    ).toBe(0);
  });

  it('runs each day through a wave: routes, stops and arrivals agree with the orders and the shortages', async () => {
    expect(await q(`SELECT count(*)::int AS n FROM waves`)).toBe(4 * 30);
    expect(await q(`SELECT count(*)::int AS n FROM route_stops`)).toBe(await q(`SELECT count(*)::int AS n FROM handoffs WHERE kind = 'point_arrival'`));
    expect(await q(`SELECT count(*)::int AS n FROM waves w WHERE w.orders <> (SELECT COALESCE(sum(s.orders), 0) FROM route_stops s JOIN delivery_routes r ON r.id = s.route_id WHERE r.wave_id = w.id)`)).toBe(0);
    const short = await q(`SELECT COALESCE(sum(expected - received), 0)::int AS n FROM handoff_lines`);
    expect(short).toBe(await q(`SELECT COALESCE(sum(x.quantity), 0)::int AS n FROM refund_lines x JOIN refunds r ON r.id = x.refund_id WHERE r.kind = 'shortage'`));
    expect(await q(`SELECT count(*)::int AS n FROM campaign_items ci WHERE ci.stock < (SELECT COALESCE(sum(l.quantity), 0) FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.campaign_id = ci.campaign_id AND l.sku_id = ci.sku_id AND o.paid_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM refunds f WHERE f.order_id = o.id AND f.kind = 'full'))`)).toBe(0);
  });

  it('lets the few struggling points show it: late pickups, complaints, lower stars, lower trust', async () => {
    const bad = plan.points.filter((p) => p.bad > 0.5).map((p) => p.id);
    const good = plan.points.filter((p) => p.bad <= 0.5).map((p) => p.id);
    expect(bad.length).toBeGreaterThanOrEqual(4);
    expect(plan.points.length).toBe(30);
    const rates = async (ids: number[]) =>
      (
        await db.query<{ late: number; after: number; stars: number }>(
          `SELECT avg(CASE WHEN ((p.picked_at AT TIME ZONE 'UTC') + interval '8 hours')::date >= ((h.signed_at AT TIME ZONE 'UTC') + interval '8 hours')::date + 2
                           THEN 1.0 ELSE 0 END)::float8 AS late,
                  (SELECT count(*) FROM after_sales_requests a JOIN orders x ON x.id = a.order_id WHERE x.pickup_point_id = ANY ($1::bigint[]))::float8
                    / (SELECT count(*) FROM orders x WHERE x.pickup_point_id = ANY ($1::bigint[]) AND x.paid_at IS NOT NULL) AS after,
                  (SELECT avg(r.stars) FROM order_ratings r JOIN orders x ON x.id = r.order_id WHERE x.pickup_point_id = ANY ($1::bigint[]))::float8 AS stars
             FROM pickups p JOIN orders o ON o.id = p.order_id JOIN waves w ON o.campaign_id = ANY (w.campaign_ids)
             JOIN handoffs h ON h.wave_id = w.id AND h.pickup_point_id = o.pickup_point_id
            WHERE o.pickup_point_id = ANY ($1::bigint[])`,
          [ids],
        )
      )[0]!;
    const b = await rates(bad);
    const g = await rates(good);
    expect(b.late).toBeGreaterThan(2 * g.late);
    expect(b.after).toBeGreaterThan(2 * g.after);
    expect(b.stars).toBeLessThan(g.stars - 0.3);

    await services.insights.recompute(db, { from: summary.from, to: summary.to });
    expect(await q(`SELECT sum(orders)::int AS n FROM insights_daily`)).toBe(summary.paid);
    await services.trust.recomputeAll();
    const score = async (ids: number[]) =>
      Number((await db.query<{ s: number }>(`SELECT avg(score)::float8 AS s FROM trust_scores WHERE actor_type = 'point' AND actor_id = ANY ($1::bigint[])`, [ids]))[0]!.s);
    expect(await score(bad)).toBeLessThan((await score(good)) - 5);
  }, 60_000);
});
