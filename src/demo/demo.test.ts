import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../db/testing';
import { createServices, type Services } from '../services';
import { INSIGHTS_SUBSCRIBER, INSIGHTS_TOPICS } from '../modules/insights';
import { distanceM, ean13CheckDigit } from './city';
import { DEMO_HISTORY_ORDERS } from './history';
import {
  DEFAULT_DEMO_SEED,
  DEMO_COMMUNITY,
  DEMO_PASSWORD,
  DEMO_STORE_NAME,
  demoLogins,
  generateDemoCity,
  seedDemoIfEmpty,
  type DemoSummary,
} from './index';

describe('demo city generator (pure)', () => {
  it('is deterministic: same seed → identical data, other seed → different', () => {
    const a = JSON.stringify(generateDemoCity(DEFAULT_DEMO_SEED));
    const b = JSON.stringify(generateDemoCity(DEFAULT_DEMO_SEED));
    const c = JSON.stringify(generateDemoCity(DEFAULT_DEMO_SEED + 1));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('keeps names, phones and barcodes unique and well-formed', () => {
    const city = generateDemoCity(DEFAULT_DEMO_SEED);
    expect(new Set(city.communities.map((c) => c.name)).size).toBe(city.communities.length);
    expect(new Set(city.stores.map((s) => s.name)).size).toBe(city.stores.length);
    expect(new Set(city.accounts.map((a) => a.phone)).size).toBe(city.accounts.length);
    for (const a of city.accounts) expect(a.phone).toMatch(/^1[3-9][0-9]{9}$/);
    expect(new Set(city.skus.map((s) => s.barcode)).size).toBe(city.skus.length);
    for (const s of city.skus) {
      expect(s.barcode).toMatch(/^[0-9]{13}$/);
      expect(Number(s.barcode[12])).toBe(ean13CheckDigit(s.barcode.slice(0, 12)));
    }
    // Known EAN-13 (a GS1 example) checks the check-digit routine itself.
    expect(ean13CheckDigit('400638133393')).toBe(1);
  });

  it('places pickup points within 150 m of their community and stores in their district', () => {
    const city = generateDemoCity(DEFAULT_DEMO_SEED);
    const byId = new Map(city.communities.map((c) => [c.id, c]));
    for (const p of city.pickupPoints) expect(distanceM(p, byId.get(p.communityId)!)).toBeLessThanOrEqual(150.5);
    for (const s of city.stores) {
      expect(byId.get(s.communityId)!.regionId).toBe(s.regionId);
      expect(s.deliveryRadiusM).toBeGreaterThanOrEqual(1000);
      expect(s.deliveryRadiusM).toBeLessThanOrEqual(3000);
    }
  });
});

describe.each(testBackends())('demo city seeded on %s', (backend) => {
  let db: TestDatabase;
  let services: Services;
  let summary: DemoSummary;
  const q = async (sql: string) => Number((await db.query<{ n: number }>(sql))[0]!.n);

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    services = await createServices(db);
    summary = await seedDemoIfEmpty(services);
  });
  afterAll(async () => db.dispose());

  it('meets every minimum, and the returned counts match the tables', async () => {
    expect(summary.seeded).toBe(true);
    const minimums: Record<string, number> = {
      regions: 5,
      communities: 200,
      warehouses: 5,
      pickup_points: 150,
      stores: 20,
      store_clerks: 2,
      categories: 8,
      suppliers: 10,
      products: 180,
      skus: 300,
    };
    for (const [table, min] of Object.entries(minimums)) {
      const n = await q(`SELECT count(*)::int AS n FROM ${table}`);
      expect(n, table).toBeGreaterThanOrEqual(min);
      expect(summary.counts[table], table).toBe(n);
    }
    for (const table of ['accounts', 'account_roles', 'resident_homes', 'region_skus']) {
      expect(summary.counts[table], table).toBe(await q(`SELECT count(*)::int AS n FROM ${table}`));
    }
    expect(await q(`SELECT count(*)::int AS n FROM regions WHERE kind = 'county'`)).toBe(4);
    expect(await q(`SELECT count(*)::int AS n FROM warehouses WHERE kind = 'central'`)).toBe(1);
    expect(await q(`SELECT count(*)::int AS n FROM warehouses WHERE kind = 'grid' AND central_warehouse_id IS NOT NULL`)).toBe(4);
    expect(await q(`SELECT count(*)::int AS n FROM account_roles WHERE role = 'resident'`)).toBeGreaterThanOrEqual(5000);
    // Every resident has a home; every store owner and pickup-point leader holds the role.
    expect(
      await q(`SELECT count(*)::int AS n FROM account_roles r LEFT JOIN resident_homes h USING (account_id)
               WHERE r.role = 'resident' AND h.account_id IS NULL`),
    ).toBe(0);
    expect(
      await q(`SELECT count(*)::int AS n FROM pickup_points p LEFT JOIN account_roles r
               ON r.account_id = p.leader_account_id AND r.role = 'leader' WHERE r.account_id IS NULL`),
    ).toBe(0);
    expect(
      await q(`SELECT count(*)::int AS n FROM stores s LEFT JOIN account_roles r
               ON r.account_id = s.owner_account_id AND r.role = 'store_owner' WHERE r.account_id IS NULL`),
    ).toBe(0);
    expect(
      await q(`SELECT count(*)::int AS n FROM store_clerks c LEFT JOIN account_roles r
               ON r.account_id = c.account_id AND r.role = 'store_clerk' WHERE r.account_id IS NULL`),
    ).toBe(0);
    // Each point is served by the grid warehouse of its own district.
    expect(
      await q(`SELECT count(*)::int AS n FROM pickup_points p JOIN communities c ON c.id = p.community_id
               JOIN warehouses w ON w.id = p.grid_warehouse_id WHERE w.kind <> 'grid' OR w.region_id <> c.region_id`),
    ).toBe(0);
    const hh = await db.query<{ lo: number; hi: number }>('SELECT min(households) AS lo, max(households) AS hi FROM communities');
    expect(hh[0]!.lo).toBeGreaterThanOrEqual(300);
    expect(hh[0]!.hi).toBeLessThanOrEqual(3000);
  });

  it('sells every SKU in every district, at positive integer prices', async () => {
    const skus = await q('SELECT count(*)::int AS n FROM skus');
    const districts = await db.query<{ id: number }>(`SELECT id FROM regions WHERE kind = 'county'`);
    for (const d of districts) {
      expect(await q(`SELECT count(*)::int AS n FROM region_skus WHERE region_id = ${Number(d.id)} AND active`)).toBe(skus);
    }
    expect(await q('SELECT count(*)::int AS n FROM region_skus WHERE price_fen IS NOT NULL')).toBeGreaterThan(0);
    const prices = await db.query<{ p: number }>(
      'SELECT base_price_fen AS p FROM skus UNION ALL SELECT price_fen AS p FROM region_skus WHERE price_fen IS NOT NULL',
    );
    for (const { p } of prices) {
      expect(Number.isInteger(p)).toBe(true);
      expect(p).toBeGreaterThan(0);
    }
  });

  it('stores barcodes that are unique, valid EAN-13', async () => {
    const rows = await db.query<{ barcode: string }>('SELECT barcode FROM skus');
    expect(new Set(rows.map((r) => r.barcode)).size).toBe(rows.length);
    for (const { barcode } of rows) {
      expect(barcode).toMatch(/^[0-9]{13}$/);
      expect(Number(barcode[12])).toBe(ean13CheckDigit(barcode.slice(0, 12)));
    }
  });

  it('lets every demo login sign in with the demo password and hold its role', async () => {
    const logins = demoLogins();
    expect(new Set(logins.map((l) => l.role)).size).toBe(8);
    expect(summary.logins).toEqual(logins);
    for (const l of logins) {
      expect(l.password).toBe(DEMO_PASSWORD);
      const res = await services.people.login(l.phone, l.password);
      expect(res.account.roles, l.phone).toContain(l.role);
    }
  });

  it("gives the demo resident a nearby pickup point and a store that delivers to the home", async () => {
    const resident = demoLogins().find((l) => l.role === 'resident')!;
    const [home] = await db.query<{ id: number; name: string; lat: number; lng: number }>(
      `SELECT c.id, c.name, c.lat, c.lng FROM accounts a JOIN resident_homes h ON h.account_id = a.id
       JOIN communities c ON c.id = h.community_id WHERE a.phone = $1`,
      [resident.phone],
    );
    expect(home!.name).toBe(DEMO_COMMUNITY.name);
    const points = await db.query<{ lat: number; lng: number }>('SELECT lat, lng FROM pickup_points');
    expect(points.filter((p) => distanceM(p, home!) <= 1500).length).toBeGreaterThanOrEqual(1);
    const stores = await db.query<{ lat: number; lng: number; delivery_radius_m: number }>(
      'SELECT lat, lng, delivery_radius_m FROM stores',
    );
    expect(stores.filter((s) => distanceM(s, home!) <= s.delivery_radius_m).length).toBeGreaterThanOrEqual(1);

    // The demo leader runs a point, and the demo clerk works in the demo owner's store.
    const leader = demoLogins().find((l) => l.role === 'leader')!;
    expect(
      await q(`SELECT count(*)::int AS n FROM pickup_points p JOIN accounts a ON a.id = p.leader_account_id
               WHERE a.phone = '${leader.phone}'`),
    ).toBe(1);
    const owner = demoLogins().find((l) => l.role === 'store_owner')!;
    const clerk = demoLogins().find((l) => l.role === 'store_clerk')!;
    expect(
      await q(`SELECT count(*)::int AS n FROM store_clerks k JOIN stores s ON s.id = k.store_id
               JOIN accounts o ON o.id = s.owner_account_id JOIN accounts c ON c.id = k.account_id
               WHERE o.phone = '${owner.phone}' AND c.phone = '${clerk.phone}'`),
    ).toBe(1);
  });

  it('stocks every SKU at the central warehouse, some nearly gone, some limited per person', async () => {
    const skus = await q('SELECT count(*)::int AS n FROM skus');
    const central = `SELECT l.id FROM stock_locations l JOIN warehouses w ON w.id = l.warehouse_id WHERE w.kind = 'central'`;
    expect(await q(`SELECT count(*)::int AS n FROM stock_levels WHERE location_id IN (${central})`)).toBe(skus);
    expect(await q(`SELECT count(*)::int AS n FROM stock_levels WHERE location_id IN (${central}) AND on_hand <= 3`)).toBeGreaterThanOrEqual(3);
    expect(await q(`SELECT count(*)::int AS n FROM stock_levels WHERE location_id IN (${central}) AND on_hand >= 40`)).toBeGreaterThan(skus - 10);
    // Every store has a location and some goods; the demo store more than most.
    expect(await q(`SELECT count(DISTINCT s.id)::int AS n FROM stores s JOIN stock_locations l ON l.store_id = s.id JOIN stock_levels v ON v.location_id = l.id`)).toBe(
      await q('SELECT count(*)::int AS n FROM stores'),
    );
    expect(await q(`SELECT count(DISTINCT sku_id)::int AS n FROM region_skus WHERE daily_limit_per_person IS NOT NULL`)).toBeGreaterThanOrEqual(2);
    expect(await q('SELECT count(*)::int AS n FROM stock_levels WHERE reserved > on_hand OR on_hand < 0')).toBe(0);
  });

  it('places the demo orders through the real flows: states, refunds, after-sales, a balanced ledger', async () => {
    const resident = demoLogins().find((l) => l.role === 'resident')!;
    const mine = await db.query<{ status: string; channel: string }>(
      `SELECT o.status, o.channel FROM orders o JOIN accounts a ON a.id = o.buyer_account_id WHERE a.phone = $1`,
      [resident.phone],
    );
    expect(new Set(mine.map((o) => o.status))).toEqual(new Set(['pending_payment', 'paid', 'ready', 'completed', 'cancelled']));
    expect(mine.some((o) => o.channel === 'store_online')).toBe(true);
    expect(summary.counts.orders).toBe(await q('SELECT count(*)::int AS n FROM orders'));
    // The month of history (idempotency keys hist-…) has refunds of its own; the recent days have one.
    expect(await q(`SELECT count(*)::int AS n FROM refunds r JOIN orders o ON o.id = r.order_id WHERE r.status = 'succeeded' AND r.kind <> 'shortage' AND o.idempotency_key NOT LIKE 'hist-%'`)).toBe(1);
    expect(await q(`SELECT count(*)::int AS n FROM after_sales_requests WHERE status = 'open'`)).toBe(1);
    // Paid orders hold no stock; the unpaid one does.
    expect(await q(`SELECT count(*)::int AS n FROM stock_holds WHERE status = 'held'`)).toBe(2);
    expect(await services.ledger.trialBalance()).toMatchObject({ sumFen: 0 });
    expect(await services.ledger.verify()).toEqual([]);
    // The demo leader earned on the orders collected at their point.
    const leader = demoLogins().find((l) => l.role === 'leader')!;
    const [row] = await db.query<{ id: number }>('SELECT id FROM accounts WHERE phone = $1', [leader.phone]);
    const st = await services.ledger.statement(Number(row!.id), { limit: 10 });
    expect(st.balances.frozenFen).toBeGreaterThan(0);
    // Collected orders are released early for the demo, and a payout waits for the operator.
    expect(st.balances.availableFen).toBeGreaterThan(0);
    expect(st.balances.payoutPendingFen).toBe(800);
    expect(await q(`SELECT count(*)::int AS n FROM payouts WHERE status = 'requested'`)).toBe(1);
  });

  it('runs the last group-buy days: waves, a shortage refund, pickups, today’s deliveries on the road and today’s campaign open', async () => {
    const leader = demoLogins().find((l) => l.role === 'leader')!;
    const [point] = await db.query<{ id: number }>(
      `SELECT p.id::int AS id FROM pickup_points p JOIN accounts a ON a.id = p.leader_account_id WHERE a.phone = $1`,
      [leader.phone],
    );
    // Every past day went through the wave; today's too (on the road).
    const days = await db.query<{ pickup_date: string; status: string }>(`SELECT pickup_date::text, status FROM waves ORDER BY pickup_date`);
    expect(days.length).toBeGreaterThanOrEqual(8);
    expect(await q(`SELECT count(*)::int AS n FROM campaigns WHERE status = 'published' AND cutoff_at > now()`)).toBe(1);
    expect(await q(`SELECT count(*)::int AS n FROM refunds WHERE kind = 'shortage' AND status = 'succeeded'`)).toBeGreaterThanOrEqual(1);
    expect(await q(`SELECT count(*)::int AS n FROM supplier_incidents WHERE kind = 'shortage'`)).toBeGreaterThanOrEqual(1);
    // The demo leader has yesterday's uncollected orders to hand over, and today's arrival to sign.
    const ready = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE pickup_point_id = $1 AND status = 'ready' AND campaign_id IS NOT NULL`, [point!.id]);
    expect(ready[0]!.n).toBeGreaterThanOrEqual(2);
    const todayWave = days[days.length - 1]!;
    const signed = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM handoffs h JOIN waves w ON w.id = h.wave_id WHERE w.pickup_date = $1::date AND h.kind = 'point_arrival' AND h.pickup_point_id = $2`,
      [todayWave.pickup_date, point!.id],
    );
    expect(signed[0]!.n).toBe(0);
    expect(await q(`SELECT count(*)::int AS n FROM pickups WHERE undone_at IS NULL`)).toBeGreaterThan(20);
    expect(await q(`SELECT count(*)::int AS n FROM leader_kpi_weeks`)).toBeGreaterThan(0);
    // Every resident with a home compound that has a point is bound to one.
    expect(await q(`SELECT count(*)::int AS n FROM resident_pickup_bindings`)).toBeGreaterThan(1000);
  });

  it('gives the demo store a week of counter and online sales, wholesale prices and something to replenish', async () => {
    expect(await q(`SELECT count(*)::int AS n FROM orders WHERE channel = 'store_counter' AND status = 'completed'`)).toBeGreaterThanOrEqual(40);
    expect(await q(`SELECT count(DISTINCT (paid_at AT TIME ZONE 'Asia/Shanghai')::date)::int AS n FROM orders WHERE channel = 'store_counter' AND idempotency_key NOT LIKE 'hist-%'`)).toBe(7);
    expect(await q(`SELECT count(*)::int AS n FROM wholesale_prices`)).toBeGreaterThan(100);
    const owner = demoLogins().find((l) => l.role === 'store_owner')!;
    const [row] = await db.query<{ id: number; storeId: number }>(
      `SELECT a.id::int AS id, s.id::int AS "storeId" FROM accounts a JOIN stores s ON s.owner_account_id = a.id WHERE a.phone = $1 ORDER BY s.id LIMIT 1`,
      [owner.phone],
    );
    const actor = { accountId: row!.id, roles: new Set(['store_owner'] as const) };
    const suggestions = await services.replenishment.suggestions(actor as never, row!.storeId);
    expect(suggestions.lines.some((l) => l.reason === 'low_stock')).toBe(true);
    expect(await services.ledger.verify()).toEqual([]);
  });

  it("gives the demo host last night's session (pins, a sold-out flash sale, a coupon, paid orders in its hour, a minute-by-minute audience) and tonight's", async () => {
    const host = demoLogins().find((l) => l.role === 'host')!;
    const sessions = await db.query<{ id: number; status: string; started: Date | null; ended: Date | null }>(
      `SELECT s.id::int AS id, s.status, s.started_at AS started, s.ended_at AS ended FROM live_sessions s JOIN accounts a ON a.id = s.host_account_id WHERE a.phone = $1 AND s.stream_url NOT LIKE '%/history-%' ORDER BY s.scheduled_at`,
      [host.phone],
    );
    expect(sessions.map((s) => s.status)).toEqual(['ended', 'scheduled']);
    const last = sessions[0]!;
    const from = new Date(last.started!).getTime();
    const to = new Date(last.ended!).getTime();
    expect(to - from).toBeGreaterThan(50 * 60_000);
    expect(from).toBeLessThan(Date.now() - 60 * 60_000);
    expect(await q(`SELECT count(*)::int AS n FROM live_pins WHERE session_id = ${last.id} AND ended_at IS NOT NULL`)).toBeGreaterThanOrEqual(5);
    expect(await q(`SELECT count(*)::int AS n FROM live_flash_sales WHERE session_id = ${last.id} AND status IN ('sold_out', 'ended')`)).toBe(1);
    expect(await q(`SELECT count(*)::int AS n FROM live_coupon_claims c JOIN live_coupons k ON k.id = c.coupon_id WHERE k.session_id = ${last.id} AND c.order_id IS NOT NULL`)).toBeGreaterThan(0);
    const paid = await db.query<{ at: Date }>(`SELECT paid_at AS at FROM orders WHERE live_session_id = $1 AND status = 'paid'`, [last.id]);
    expect(paid.length).toBeGreaterThanOrEqual(20);
    for (const o of paid) expect(new Date(o.at).getTime()).toBeGreaterThanOrEqual(from);
    for (const o of paid) expect(new Date(o.at).getTime()).toBeLessThanOrEqual(to);
    expect(await q(`SELECT count(*)::int AS n FROM live_timeline WHERE session_id = ${last.id}`)).toBeGreaterThanOrEqual(12);
    expect(await q(`SELECT count(*)::int AS n FROM live_minute_stats WHERE session_id = ${last.id} AND online_peak > 0`)).toBeGreaterThanOrEqual(60);
    expect(await q(`SELECT count(*)::int AS n FROM live_chat_messages WHERE session_id = ${last.id}`)).toBeGreaterThan(20);
    // Units left over went back to the central warehouse when the session ended.
    expect(await q(`SELECT coalesce(sum(l.on_hand - l.reserved), 0)::int AS n FROM stock_levels l JOIN stock_locations x ON x.id = l.location_id WHERE x.live_session_id = ${last.id}`)).toBe(0);
    expect(await services.ledger.verify()).toEqual([]);
  });

  it('puts a month of history before the recent days, with its read models, leaving the demo logins’ own orders alone', async () => {
    const hist = `idempotency_key LIKE 'hist-%'`;
    expect(await q(`SELECT count(*)::int AS n FROM orders WHERE ${hist}`)).toBe(DEMO_HISTORY_ORDERS);
    // Ids follow time: every history order comes before the recent days' orders, in time and id.
    const [span] = await db.query<{ last_day: string; first_recent: string; max_id: number; min_recent: number }>(
      `SELECT max(((paid_at AT TIME ZONE 'UTC') + interval '8 hours')::date) FILTER (WHERE ${hist})::text AS last_day,
              min(((paid_at AT TIME ZONE 'UTC') + interval '8 hours')::date) FILTER (WHERE NOT ${hist})::text AS first_recent,
              max(id) FILTER (WHERE ${hist})::int AS max_id, min(id) FILTER (WHERE NOT ${hist})::int AS min_recent
         FROM orders`,
    );
    expect(span!.last_day < span!.first_recent).toBe(true);
    expect(span!.max_id).toBeLessThan(span!.min_recent);
    const logins = demoLogins().map((l) => l.phone);
    // (Counter sales are the till's: the demo clerk rang up the demo store's.)
    expect(
      await q(`SELECT count(*)::int AS n FROM orders o JOIN accounts a ON a.id = o.buyer_account_id
                WHERE ${hist} AND o.channel <> 'store_counter' AND a.phone = ANY ('{${logins.join(',')}}')`),
    ).toBe(0);
    // The read models were built from the tables for every paid order, the history's and the recent days' …
    const paid = await q(`SELECT count(*)::int AS n FROM orders WHERE paid_at IS NOT NULL AND channel <> 'replenishment'`);
    expect(paid).toBeGreaterThan(DEMO_HISTORY_ORDERS * 0.9);
    const counted = `SELECT COALESCE(sum(orders), 0)::int AS n FROM insights_daily`;
    expect(await q(counted)).toBe(paid);
    expect(await q(`SELECT count(DISTINCT channel)::int AS n FROM insights_daily WHERE orders > 0`)).toBe(4);
    // … and the recent days' events were taken as applied: the relay hands them on (to the other
    // subscribers) without the read models counting them twice.
    const topics = `'{${INSIGHTS_TOPICS.join(',')}}'::text[]`;
    expect(await q(`SELECT count(*)::int AS n FROM outbox_events WHERE published_at IS NULL AND topic = ANY (${topics})`)).toBeGreaterThan(100);
    expect(
      await q(`SELECT count(*)::int AS n FROM outbox_events e WHERE e.published_at IS NULL AND e.topic = ANY (${topics})
                AND NOT EXISTS (SELECT 1 FROM processed_events p WHERE p.subscriber = '${INSIGHTS_SUBSCRIBER}' AND p.event_id = e.id)`),
    ).toBe(0);
    await services.events.drain({ timeoutMs: 60_000 });
    expect(await q(`SELECT count(*)::int AS n FROM outbox_events WHERE published_at IS NULL`)).toBe(0);
    expect(await q(counted)).toBe(paid);
  });

  it('scores the demo leader’s point, the demo store and the demo host before the first trust job', async () => {
    const idOf = async (sql: string, params: unknown[]) => Number((await db.query<{ id: number }>(sql, params))[0]!.id);
    const leader = demoLogins().find((l) => l.role === 'leader')!;
    const host = demoLogins().find((l) => l.role === 'host')!;
    const pointId = await idOf(`SELECT p.id FROM pickup_points p JOIN accounts a ON a.id = p.leader_account_id WHERE a.phone = $1`, [leader.phone]);
    const storeId = await idOf(`SELECT id FROM stores WHERE name = $1`, [DEMO_STORE_NAME]);
    const hostId = await idOf(`SELECT id FROM accounts WHERE phone = $1`, [host.phone]);
    for (const [type, id] of [['point', pointId], ['store', storeId], ['host', hostId]] as const) {
      const view = await services.trust.view(type, id);
      expect(view, `${type} ${id}`).not.toBeNull();
      expect(view!.score).toBeGreaterThanOrEqual(0);
      expect(view!.score).toBeLessThanOrEqual(100);
    }
    // Every open point and store and every host has a row, not only the demo logins’.
    expect(await q(`SELECT count(*)::int AS n FROM trust_scores`)).toBe(
      await q(`SELECT ((SELECT count(*) FROM pickup_points WHERE status <> 'closed') + (SELECT count(*) FROM stores WHERE status <> 'closed') + (SELECT count(*) FROM host_profiles))::int AS n`),
    );
  });

  it('seeds only once, and later inserts get fresh ids', async () => {
    const again = await seedDemoIfEmpty(services);
    expect(again.seeded).toBe(false);
    const created = await services.people.register({ phone: '13800009999', password: 'after-demo', displayName: '新邻居' });
    expect(created.id).toBeGreaterThan(summary.counts.accounts!);
  });
});

describe.each(testBackends())('demo city next to existing accounts on %s', (backend) => {
  // Seeding a whole demo city (places, orders, group-buy days, the store week, the live evening)
  // takes ~15 s alone and more on a busy machine.
  it('shifts its ids past rows already present', async () => {
    const db = await openTestDatabase(backend);
    try {
      const services = await createServices(db);
      const early = await services.people.register({ phone: '13912345678', password: 'early-bird', displayName: '早鸟' });
      // The seeder refreshes the in-memory geo index and catalogue cache once it has written.
      const refreshed: string[] = [];
      const watched = {
        ...services,
        // The real services underneath (the live demo reads warehouses and prices through them).
        place: Object.assign(Object.create(services.place) as object, { reloadGeoIndex: async () => void refreshed.push('geo') }),
        catalog: Object.assign(Object.create(services.catalog) as object, { invalidateCache: () => void refreshed.push('catalog') }),
      } as unknown as Services;
      const summary = await seedDemoIfEmpty(watched, { seed: 7 });
      expect(summary.seeded).toBe(true);
      expect(refreshed).toEqual(['geo', 'catalog']);
      const rows = await db.query<{ n: number; lo: number }>('SELECT count(*)::int AS n, min(id) AS lo FROM accounts');
      expect(rows[0]!.n).toBe(summary.counts.accounts! + 1);
      expect(Number(rows[0]!.lo)).toBe(early.id);
    } finally {
      await db.dispose();
    }
  }, 120_000);
});
