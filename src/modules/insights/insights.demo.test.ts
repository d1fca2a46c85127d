// The bar of docs/insights.md: on the demo city, the read models the outbox subscriber builds
// from the events equal, table by table and row by row, what recompute() builds from the raw
// tables. The demo alone has no traffic and no ratings, so some are added through the real
// services before the events are delivered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../db/testing';
import { seedDemoIfEmpty } from '../../demo';
import type { Role } from '../people';
import { createServices, type Services } from '../../services';
import { noDrift, rollupDrift } from './rollups.testing';

const TABLES: Record<string, string> = {
  insights_daily: 'day, community_id, channel, actor_type, actor_id',
  insights_daily_buyers: 'day, community_id, channel, actor_type, actor_id, account_id',
  insights_sku_daily: 'day, region_id, grid_warehouse_id, sku_id',
  insights_route_daily: 'day, route_id',
  insights_pickups: 'order_id',
  insights_buyers: 'account_id',
  insights_buyer_weeks: 'account_id, week',
  insights_cohorts: 'region_id, cohort_week, active_week',
  insights_community_weeks: 'community_id, week',
  insights_actor_repeat: 'actor_type, actor_id, account_id',
};

const actor = (accountId: number, ...roles: Role[]) => ({ accountId, roles: new Set<Role>(roles) });

describe('insights read models on the demo city', () => {
  let db: TestDatabase;
  let services: Services;
  const one = async <T extends Record<string, unknown>>(q: string, params: unknown[] = []) => (await db.query<T>(q, params))[0]!;

  async function snapshot(): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (const [table, key] of Object.entries(TABLES)) {
      const rows = await db.query(`SELECT * FROM ${table} ORDER BY ${key}`);
      out[table] = rows.map((r) => JSON.stringify(r));
    }
    return out;
  }

  beforeAll(async () => {
    db = await openTestDatabase('pglite');
    services = await createServices(db);
    // The recent days' read models from their events, as a running server builds them.
    await seedDemoIfEmpty(services, { readModels: 'events' });

    // Traffic of every kind of credit: a leader's share link, a store, a live room, a campaign,
    // a product looked at directly, by residents (home known) and by nobody in particular.
    const point = await one<{ id: number; leader: number; community: number }>(
      `SELECT p.id::int AS id, p.leader_account_id::int AS leader, p.community_id::int AS community FROM pickup_points p
        JOIN leader_profiles lp ON lp.account_id = p.leader_account_id ORDER BY p.id LIMIT 1`,
    );
    const store = await one<{ id: number }>(`SELECT id::int AS id FROM stores ORDER BY id LIMIT 1`);
    const session = await one<{ id: number }>(`SELECT id::int AS id FROM live_sessions ORDER BY id LIMIT 1`);
    const campaign = await one<{ id: number }>(`SELECT id::int AS id FROM campaigns ORDER BY id LIMIT 1`);
    const residents = (await db.query<{ id: number }>(`SELECT account_id::int AS id FROM resident_homes ORDER BY account_id LIMIT 6`)).map((r) => r.id);
    const link = await services.traffic.createShareLink(actor(point.leader, 'leader'), { targetType: 'campaign', targetId: campaign.id, actorType: 'leader', actorId: point.leader });
    for (const [i, resident] of residents.entries()) {
      const who = actor(resident, 'resident');
      await services.traffic.openShareLink(who, link.code);
      await services.traffic.record(who, { kind: 'view', targetType: 'campaign', targetId: campaign.id, sourceType: 'share_link', shareCode: link.code });
      await services.traffic.record(who, { kind: 'view', targetType: 'store', targetId: store.id, sourceType: 'direct' });
      await services.traffic.record(i % 2 ? who : null, { kind: 'view', targetType: 'live_session', targetId: session.id, sourceType: 'direct' });
      await services.traffic.record(null, { kind: 'view', targetType: 'product', targetId: 1, sourceType: 'direct', communityId: point.community });
      await services.traffic.record(null, { kind: 'click', targetType: 'pickup_point', targetId: point.id, sourceType: 'direct' });
    }
    await services.traffic.flush();

    // Residents rate some collected orders of every channel.
    const done = await db.query<{ id: number; buyer: number }>(
      `SELECT o.id::int AS id, o.buyer_account_id::int AS buyer FROM orders o
        WHERE o.status = 'completed' AND o.channel <> 'replenishment' AND NOT EXISTS (SELECT 1 FROM order_ratings r WHERE r.order_id = o.id)
        ORDER BY o.id DESC LIMIT 12`,
    );
    for (const [i, o] of done.entries()) await services.insights.rate(actor(o.buyer, 'resident'), o.id, { stars: 1 + (i % 5), comment: i % 3 ? '' : '很新鲜' });

    await services.events.drain({ timeoutMs: 120_000 });
  }, 180_000);
  afterAll(async () => db?.dispose());

  it('has something in every figure the demo can produce', async () => {
    const d = await one<Record<string, number>>(
      `SELECT sum(views)::int AS views, sum(shares)::int AS shares, sum(clicks)::int AS clicks, sum(orders)::int AS orders, sum(buyers)::int AS buyers,
              sum(gmv_fen)::int AS gmv, sum(refunded_fen)::int AS refunded, sum(after_sales)::int AS after_sales, sum(complaints)::int AS complaints,
              sum(shortage_units)::int AS shortage, sum(pickups_due)::int AS due, sum(pickups_on_time)::int AS on_time, sum(ratings)::int AS ratings
         FROM insights_daily`,
    );
    for (const [k, v] of Object.entries(d)) expect(v, k).toBeGreaterThan(0);
    const paid = await one<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE paid_at IS NOT NULL AND channel <> 'replenishment'`);
    expect(d.orders).toBe(paid.n);
    const channels = (await db.query<{ channel: string }>(`SELECT DISTINCT channel FROM insights_daily WHERE orders > 0 ORDER BY 1`)).map((r) => r.channel);
    expect(channels).toEqual(expect.arrayContaining(['group_buy', 'live', 'store_online']));
    const sku = await one<Record<string, number>>(
      `SELECT sum(units_offered)::int AS offered, sum(units_sold)::int AS sold, sum(units_refunded)::int AS refunded, sum(units_short)::int AS short FROM insights_sku_daily`,
    );
    for (const [k, v] of Object.entries(sku)) expect(v, `sku ${k}`).toBeGreaterThan(0);
    const route = await one<Record<string, number>>(`SELECT count(*)::int AS n, sum(stops)::int AS stops, sum(shortage_units)::int AS short FROM insights_route_daily`);
    for (const [k, v] of Object.entries(route)) expect(v, `route ${k}`).toBeGreaterThan(0);
    for (const table of ['insights_cohorts', 'insights_community_weeks', 'insights_actor_repeat']) {
      expect((await one<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).n, table).toBeGreaterThan(0);
    }
  });

  it('builds from the events exactly what recompute builds from the raw tables', async () => {
    const incremental = await snapshot();
    // The rollups the triggers kept as the events were applied: sums of insights_daily.
    const drift = await rollupDrift((text, params) => db.query(text, params));
    expect(drift).toEqual(noDrift(drift));
    expect(drift.runningRows).toBeGreaterThan(0);
    const days = await one<{ from: string; to: string }>(
      `SELECT (min(d) - 1)::text AS from, (max(d) + 1)::text AS to FROM (
         SELECT day AS d FROM insights_daily UNION ALL SELECT day FROM insights_sku_daily UNION ALL SELECT day FROM insights_route_daily) x`,
    );
    await services.insights.recompute(db, days);
    const recomputed = await snapshot();
    const rebuilt = await rollupDrift((text, params) => db.query(text, params));
    expect(rebuilt).toEqual(noDrift(rebuilt));
    for (const table of Object.keys(TABLES)) {
      expect(recomputed[table]!.length, `${table} rows`).toBeGreaterThan(0);
      expect(incremental[table], table).toEqual(recomputed[table]);
    }
  });
});
