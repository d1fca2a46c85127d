// The dashboards' routes on read-model rows written here by hand: who may read them, how a bad
// range is refused, that a region brings its sub-regions and nothing else, that each figure is
// the sum and rate of the rows, and the CSV form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../db/testing';
import { createTestApp, type TestApp } from '../testing';
import { INSIGHTS_VIEWS } from './insights';

let t: TestApp;
let operator: { id: number; token: string };
let resident: { token: string };
const ids = {} as Record<'cityA' | 'a1' | 'a2' | 'cityB' | 'c1' | 'c2' | 'c3' | 'grid' | 'p1' | 'leader' | 's1' | 's2' | 'r1' | 'r2' | 'r3', number>;

const one = async (sqlText: string, params: unknown[] = []) => {
  const rows = await t.db.query<{ id: number }>(sqlText, params);
  return Number(rows[0]!.id);
};

/** Sum/rate figures in the tests are written out by hand from the rows below. */
async function seed(): Promise<void> {
  const code = (c: string) => `${c}${process.pid % 10000}`;
  ids.cityA = await one(`INSERT INTO regions (kind, name, code) VALUES ('city', '甲市', $1) RETURNING id`, [code('IA')]);
  ids.a1 = await one(`INSERT INTO regions (parent_id, kind, name, code) VALUES ($1, 'county', '甲一区', $2) RETURNING id`, [ids.cityA, code('IA1')]);
  ids.a2 = await one(`INSERT INTO regions (parent_id, kind, name, code) VALUES ($1, 'county', '甲二区', $2) RETURNING id`, [ids.cityA, code('IA2')]);
  ids.cityB = await one(`INSERT INTO regions (kind, name, code) VALUES ('city', '乙市', $1) RETURNING id`, [code('IB')]);
  const community = (region: number, name: string, households: number, lat: number) =>
    one(`INSERT INTO communities (region_id, name, lat, lng, h3_cell, households) VALUES ($1, $2, $3, 120.15, '89000000000ffff', $4) RETURNING id`, [region, name, lat, households]);
  ids.c1 = await community(ids.a1, '东园', 200, 30.27);
  ids.c2 = await community(ids.a2, '西苑', 100, 30.28);
  ids.c3 = await community(ids.cityB, '北里', 80, 31.2);
  const central = await one(`INSERT INTO warehouses (region_id, kind, name, lat, lng) VALUES ($1, 'central', '中心仓', 30.2, 120.1) RETURNING id`, [ids.cityA]);
  ids.grid = await one(`INSERT INTO warehouses (region_id, kind, name, lat, lng, central_warehouse_id) VALUES ($1, 'grid', '东网格仓', 30.25, 120.12, $2) RETURNING id`, [ids.a1, central]);
  const leader = await t.user(['resident', 'leader'], '团长');
  ids.leader = leader.id;
  ids.p1 = await one(
    `INSERT INTO pickup_points (community_id, leader_account_id, grid_warehouse_id, name, address, lat, lng, opens_at, closes_at, capacity)
     VALUES ($1, $2, $3, '东园自提点', '东园 1 号', 30.27, 120.15, '08:00', '20:00', 100) RETURNING id`,
    [ids.c1, leader.id, ids.grid],
  );
  const application = await one(
    `INSERT INTO leader_applications (account_id, real_name, id_card_hash, id_card_last4, community_id, point_name, address, lat, lng, opens_at, closes_at, capacity, status, pickup_point_id)
     VALUES ($1, '王团长', 'h', '1234', $2, '东园自提点', '东园 1 号', 30.27, 120.15, '08:00', '20:00', 100, 'approved', $3) RETURNING id`,
    [leader.id, ids.c1, ids.p1],
  );
  await t.db.query(`INSERT INTO leader_profiles (account_id, application_id, real_name, pickup_point_id, status, warnings_in_row) VALUES ($1, $2, '王团长', $3, 'warned', 1)`, [
    leader.id,
    application,
    ids.p1,
  ]);
  await t.db.query(
    `INSERT INTO leader_kpi_weeks (account_id, week_start, orders, items_sold, gmv_fen, pickups_due, pickups_on_time, complaints, on_time_bp, complaint_bp, verdict, reasons)
     VALUES ($1, '2026-02-16', 5, 9, 900, 5, 5, 0, 10000, 0, 'ok', '{}'), ($1, '2026-02-23', 8, 20, 4000, 10, 6, 1, 6000, 1250, 'warning', '{on_time}')`,
    [leader.id],
  );
  await t.db.query(`INSERT INTO trust_scores (actor_type, actor_id, score, parts) VALUES ('point', $1, 72, '{"repeat": {"rate": 0.4, "hits": 4, "n": 10, "rate7": 0.2, "hits7": 2}}')`, [ids.p1]);

  const category = await one(`INSERT INTO categories (name) VALUES ('蔬菜') RETURNING id`);
  const product = async (name: string) => one(`INSERT INTO products (category_id, name) VALUES ($1, $2) RETURNING id`, [category, name]);
  ids.s1 = await one(`INSERT INTO skus (product_id, spec, unit, base_price_fen) VALUES ($1, '500g', '袋', 500) RETURNING id`, [await product('小白菜')]);
  ids.s2 = await one(`INSERT INTO skus (product_id, spec, unit, base_price_fen) VALUES ($1, '1kg', '袋', 900) RETURNING id`, [await product('土豆')]);

  const wave = (day: string) => one(`INSERT INTO waves (region_id, pickup_date, campaign_ids) VALUES ($1, $2, '{}') RETURNING id`, [ids.a1, day]);
  const route = (waveId: number, seq: number) =>
    one(`INSERT INTO delivery_routes (wave_id, grid_warehouse_id, seq, capacity_crates, load_crates, distance_m) VALUES ($1, $2, $3, 20, 5, 8000) RETURNING id`, [waveId, ids.grid, seq]);
  const w1 = await wave('2026-03-03');
  ids.r1 = await route(w1, 1);
  ids.r2 = await route(w1, 2);
  ids.r3 = await route(await wave('2026-03-04'), 1);

  const daily = `INSERT INTO insights_daily (day, community_id, channel, actor_type, actor_id, region_id, views, shares, clicks, orders, buyers, units, gmv_fen,
                   refunded_fen, after_sales, complaints, shortage_units, pickups_due, pickups_on_time, ratings, rating_sum)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)`;
  const d = (row: unknown[]) => t.db.query(daily, row);
  await d(['2026-03-02', ids.c1, 'group_buy', 'point', ids.p1, ids.a1, 100, 5, 40, 10, 8, 25, 50_000, 1_000, 2, 1, 3, 10, 9, 4, 18]);
  await d(['2026-03-03', ids.c2, 'group_buy', 'none', 0, ids.a2, 50, 0, 10, 5, 5, 5, 10_000, 0, 0, 0, 0, 0, 0, 0, 0]);
  await d(['2026-03-03', ids.c1, 'live', 'host', leader.id, ids.a1, 200, 9, 20, 4, 4, 6, 8_000, 0, 0, 0, 0, 0, 0, 1, 5]);
  await d(['2026-03-02', 0, 'other', 'none', 0, ids.a1, 30, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  // Another city, and the same point before the range: never in the answers below.
  await d(['2026-03-02', ids.c3, 'group_buy', 'none', 0, ids.cityB, 1_000, 0, 500, 99, 90, 99, 990_000, 0, 0, 0, 0, 0, 0, 0, 0]);
  await d(['2026-02-20', ids.c1, 'group_buy', 'point', ids.p1, ids.a1, 70, 0, 30, 7, 7, 7, 7_000, 0, 0, 0, 0, 7, 7, 0, 0]);

  await t.db.query(
    `INSERT INTO insights_community_weeks (community_id, week, active_households) VALUES ($1, '2026-02-23', 50), ($1, '2026-03-02', 60), ($2, '2026-03-02', 20), ($3, '2026-03-02', 70)`,
    [ids.c1, ids.c2, ids.c3],
  );
  await t.db.query(
    `INSERT INTO insights_cohorts (region_id, cohort_week, active_week, buyers) VALUES
       ($1, '2026-03-02', '2026-03-02', 10), ($2, '2026-03-02', '2026-03-02', 5), ($1, '2026-03-02', '2026-03-09', 4),
       ($2, '2026-03-02', '2026-03-16', 3), ($1, '2026-03-09', '2026-03-09', 6), ($3, '2026-03-02', '2026-03-02', 100)`,
    [ids.a1, ids.a2, ids.cityB],
  );
  const skuRow = `INSERT INTO insights_sku_daily (day, region_id, grid_warehouse_id, sku_id, units_offered, units_sold, gmv_fen, units_refunded, units_short) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;
  await t.db.query(skuRow, ['2026-03-02', ids.a1, 0, ids.s1, 100, 0, 0, 0, 0]);
  await t.db.query(skuRow, ['2026-03-03', ids.a1, ids.grid, ids.s1, 0, 30, 15_000, 1, 0]);
  await t.db.query(skuRow, ['2026-03-03', ids.a2, ids.grid, ids.s1, 0, 20, 10_000, 0, 2]);
  await t.db.query(skuRow, ['2026-03-03', ids.a1, 0, ids.s1, 0, 5, 2_500, 0, 0]);
  await t.db.query(skuRow, ['2026-03-03', ids.a1, ids.grid, ids.s2, 0, 7, 6_300, 0, 1]);
  await t.db.query(skuRow, ['2026-03-02', ids.cityB, 0, ids.s1, 1_000, 500, 250_000, 0, 0]);
  // The route's number on its day row, as the subscriber writes it (migration 0019).
  const routeRow = `INSERT INTO insights_route_daily (day, route_id, region_id, grid_warehouse_id, stops, orders, units, shortage_units, after_sales, seq)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, (SELECT seq FROM delivery_routes WHERE id = $2))`;
  await t.db.query(routeRow, ['2026-03-03', ids.r1, ids.a1, ids.grid, 3, 10, 40, 2, 1]);
  await t.db.query(routeRow, ['2026-03-04', ids.r3, ids.a1, ids.grid, 2, 5, 10, 0, 0]);
  await t.db.query(routeRow, ['2026-03-03', ids.r2, ids.a1, ids.grid, 1, 2, 10, 5, 2]);
}

describe.each(testBackends())('insights dashboards on %s', (backend) => {
  beforeAll(async () => {
    t = await createTestApp(backend);
    operator = await t.user(['operator'], '运营');
    resident = await t.user(['resident'], '居民');
    await seed();
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  const RANGE = 'from=2026-03-01&to=2026-03-07';
  const get = (path: string, token: string | undefined = operator.token) => t.call('GET', `/api/insights/${path}`, token === undefined ? {} : { token });
  const PATHS = ['funnel', 'communities', 'cohorts', 'leaders', 'skus', 'routes'];

  describe('who may read the dashboards', () => {
    it('no session → 401, a resident → 403, on every dashboard', async () => {
      for (const p of [...PATHS, 'daily-summary?regionId=1']) {
        const q = p.includes('?') ? p : `${p}?${RANGE}`;
        const anon = await t.call('GET', `/api/insights/${q}`);
        expect(anon.status, p).toBe(401);
        expect((await get(q, resident.token)).status, p).toBe(403);
      }
    });
  });

  describe('the answers', () => {
    it('match their documented schema on every table, for all regions and for one', async () => {
      // The routes send these without a runtime check (thousands of rows): this is the check.
      for (const p of PATHS) {
        for (const region of ['', `&regionId=${ids.cityA}`]) {
          const res = await get(`${p}?${RANGE}${region}`);
          expect(res.status, p).toBe(200);
          const parsed = INSIGHTS_VIEWS[p as keyof typeof INSIGHTS_VIEWS].safeParse(res.body);
          expect(parsed.error?.issues ?? [], `${p}${region}`).toEqual([]);
        }
      }
    });
  });

  describe('the range and the region', () => {
    it('from after to → 400 naming from; more than 92 days → 400 naming to', async () => {
      const after = await get('funnel?from=2026-03-08&to=2026-03-01');
      expect(after.status).toBe(400);
      expect(after.body.error.field).toBe('from');
      const long = await get('leaders?from=2026-01-01&to=2026-04-03');
      expect(long.status).toBe(400);
      expect(long.body.error.field).toBe('to');
      // 92 days exactly is allowed.
      expect((await get('leaders?from=2026-01-01&to=2026-04-02')).status).toBe(200);
    });

    it('a date that is not one → 400 naming it', async () => {
      const badShape = await get('skus?from=2026/03/01&to=2026-03-07');
      expect(badShape.status).toBe(400);
      expect(badShape.body.error.field).toBe('from');
      const notOnCalendar = await get('routes?from=2026-02-01&to=2026-02-30');
      expect(notOnCalendar.status).toBe(400);
      expect(notOnCalendar.body.error.field).toBe('to');
      const badDay = await get('daily-summary?regionId=1&day=2026-13-01');
      expect(badDay.status).toBe(400);
      expect(badDay.body.error.field).toBe('day');
    });

    it('an unknown region → 404; a bad one → 400 naming regionId', async () => {
      expect((await get(`funnel?regionId=999999&${RANGE}`)).status).toBe(404);
      const bad = await get(`funnel?regionId=abc&${RANGE}`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('regionId');
    });

    it('defaults to the last 30 days to today', async () => {
      const res = await get(`funnel?regionId=${ids.cityA}`);
      expect(res.status).toBe(200);
      const days = new Set(res.body.days.map((d: { day: string }) => d.day));
      expect(days.size).toBe(30);
      expect(res.body.to > res.body.from).toBe(true);
    });
  });

  describe('figures from the read models', () => {
    it('funnel: a city sums its districts, per channel and per day, with conversion', async () => {
      const res = await get(`funnel?regionId=${ids.cityA}&${RANGE}`);
      expect(res.status).toBe(200);
      const ch = Object.fromEntries(res.body.channels.map((c: { channel: string }) => [c.channel, c]));
      expect(res.body.channels.map((c: { channel: string }) => c.channel)).toEqual(['group_buy', 'live', 'store_online', 'store_counter']);
      expect(ch.group_buy).toMatchObject({ views: 150, clicks: 50, orders: 15, buyers: 13, units: 30, gmvFen: 60_000, refundedFen: 1_000, conversion: 0.1 });
      expect(ch.group_buy.clickRate).toBeCloseTo(50 / 150);
      expect(ch.live).toMatchObject({ views: 200, orders: 4, gmvFen: 8_000, conversion: 0.02 });
      expect(ch.store_online).toMatchObject({ views: 0, orders: 0, conversion: null });
      expect(res.body.otherTraffic).toEqual({ views: 30, shares: 2, clicks: 3 });
      expect(res.body.days).toHaveLength(7 * 4);
      expect(res.body.days.find((d: { day: string; channel: string }) => d.day === '2026-03-03' && d.channel === 'group_buy')).toMatchObject({ orders: 5, gmvFen: 10_000 });
      expect(res.body.days.find((d: { day: string; channel: string }) => d.day === '2026-03-05' && d.channel === 'group_buy')).toMatchObject({ orders: 0, gmvFen: 0 });

      const district = await get(`funnel?regionId=${ids.a2}&${RANGE}`);
      expect(district.body.channels[0]).toMatchObject({ channel: 'group_buy', orders: 5, gmvFen: 10_000 });
      expect(district.body.channels[1]).toMatchObject({ channel: 'live', orders: 0 });

      // Every region: the other city's orders too.
      const all = await get(`funnel?${RANGE}`);
      expect(all.body.channels[0].orders).toBe(15 + 99);
    });

    it('communities: active households of the latest whole week in range, penetration', async () => {
      const res = await get(`communities?regionId=${ids.cityA}&from=2026-03-01&to=2026-03-08`);
      expect(res.status).toBe(200);
      expect(res.body.week).toBe('2026-03-02');
      expect(res.body.communities).toEqual([
        { id: ids.c1, name: '东园', regionId: ids.a1, lat: 30.27, lng: 120.15, households: 200, activeHouseholds: 60, penetration: 0.3 },
        { id: ids.c2, name: '西苑', regionId: ids.a2, lat: 30.28, lng: 120.15, households: 100, activeHouseholds: 20, penetration: 0.2 },
      ]);
      // Ending a day earlier, that week is still under way: the whole week before it shows.
      const partial = await get(`communities?regionId=${ids.cityA}&from=2026-02-23&to=2026-03-07`);
      expect(partial.body.week).toBe('2026-02-23');
      expect(partial.body.communities[0]).toMatchObject({ id: ids.c1, activeHouseholds: 50, penetration: 0.25 });
      expect(partial.body.communities[1]).toMatchObject({ id: ids.c2, activeHouseholds: 0, penetration: 0 });
      // A range inside one week shows that week.
      const short = await get(`communities?regionId=${ids.a1}&from=2026-03-03&to=2026-03-05`);
      expect(short.body.week).toBe('2026-03-02');
      expect(short.body.communities).toEqual([expect.objectContaining({ id: ids.c1, activeHouseholds: 60 })]);
    });

    it('cohorts: first-order week × weeks since, repeat rate of the cohort’s buyers', async () => {
      const res = await get(`cohorts?regionId=${ids.cityA}&from=2026-03-01&to=2026-03-15`);
      expect(res.status).toBe(200);
      expect(res.body.cohorts).toEqual([
        {
          week: '2026-03-02',
          buyers: 15,
          cells: [
            { weeksSince: 0, activeWeek: '2026-03-02', buyers: 15, rate: 1 },
            { weeksSince: 1, activeWeek: '2026-03-09', buyers: 4, rate: 4 / 15 },
          ],
        },
        { week: '2026-03-09', buyers: 6, cells: [{ weeksSince: 0, activeWeek: '2026-03-09', buyers: 6, rate: 1 }] },
      ]);
    });

    it('leaders: the point’s figures in range, trust score, repeat and the latest KPI week', async () => {
      const res = await get(`leaders?regionId=${ids.cityA}&${RANGE}`);
      expect(res.status).toBe(200);
      expect(res.body.leaders).toHaveLength(1);
      expect(res.body.leaders[0]).toMatchObject({
        accountId: ids.leader,
        pickupPointId: ids.p1,
        pointName: '东园自提点',
        communityName: '东园',
        status: 'warned',
        warningsInRow: 1,
        orders: 10,
        buyers: 8,
        gmvFen: 50_000,
        repeatRate: 0.4,
        onTimeRate: 0.9,
        complaintRate: 0.1,
        afterSalesRate: 0.2,
        trustScore: 72,
        kpi: { week: '2026-02-23', verdict: 'warning', reasons: ['on_time'] },
      });
      expect((await get(`leaders?regionId=${ids.cityB}&${RANGE}`)).body.leaders).toEqual([]);
    });

    it('skus: sell-through of the region’s offer, each grid warehouse’s part', async () => {
      const res = await get(`skus?regionId=${ids.cityA}&${RANGE}`);
      expect(res.status).toBe(200);
      expect(res.body.skus[0]).toMatchObject({ skuId: ids.s1, title: '小白菜', spec: '500g', unitsOffered: 100, unitsSold: 55, sellThrough: 0.55, unitsShort: 2 });
      expect(res.body.skus[1]).toMatchObject({ skuId: ids.s2, unitsOffered: 0, unitsSold: 7, sellThrough: null });
      const row = (grid: number, sku: number) => res.body.rows.find((r: { gridWarehouseId: number; skuId: number }) => r.gridWarehouseId === grid && r.skuId === sku);
      expect(row(ids.grid, ids.s1)).toMatchObject({ gridWarehouseName: '东网格仓', unitsSold: 50, skuUnitsOffered: 100, sellThrough: 0.5, gmvFen: 25_000, unitsRefunded: 1, unitsShort: 2 });
      expect(row(0, ids.s1)).toMatchObject({ gridWarehouseName: null, unitsSold: 5, sellThrough: 0.05 });
      expect(res.body.rows).toHaveLength(3);
      expect(res.body.warehouses.find((w: { gridWarehouseId: number }) => w.gridWarehouseId === ids.grid)).toMatchObject({ skus: 2, unitsSold: 57, unitsShort: 3 });
    });

    it('routes: shortage and after-sales rates per named route over its runs', async () => {
      const res = await get(`routes?regionId=${ids.cityA}&${RANGE}`);
      expect(res.status).toBe(200);
      expect(res.body.routes).toEqual([
        { gridWarehouseId: ids.grid, gridWarehouseName: '东网格仓', seq: 1, name: '东网格仓 线路 1', runs: 2, stops: 5, orders: 15, units: 50, shortageUnits: 2, afterSales: 1, shortageRate: 0.04, afterSalesRate: 1 / 15 },
        { gridWarehouseId: ids.grid, gridWarehouseName: '东网格仓', seq: 2, name: '东网格仓 线路 2', runs: 1, stops: 1, orders: 2, units: 10, shortageUnits: 5, afterSales: 2, shortageRate: 0.5, afterSalesRate: 1 },
      ]);
      expect((await get(`routes?regionId=${ids.a2}&${RANGE}`)).body.routes).toEqual([]);
    });

    it('daily summary: one region’s day per channel and in total', async () => {
      const res = await get(`daily-summary?regionId=${ids.cityA}&day=2026-03-02`);
      expect(res.status).toBe(200);
      expect(res.body.day).toBe('2026-03-02');
      expect(res.body.channels[0]).toMatchObject({ channel: 'group_buy', views: 100, orders: 10, gmvFen: 50_000, conversion: 0.1, onTimeRate: 0.9, meanRating: 4.5 });
      expect(res.body.totals).toMatchObject({ orders: 10, gmvFen: 50_000, complaints: 1 });
      expect(res.body.skus).toMatchObject({ skus: 1, unitsOffered: 100, unitsSold: 0 });
      expect(res.body.routes).toMatchObject({ routes: 0 });
      expect((await get('daily-summary?day=2026-03-02')).status).toBe(400);
    });
  });

  describe('CSV', () => {
    it('every table as CSV: UTF-8 with BOM, a header row, the figures', async () => {
      for (const p of PATHS) {
        const res = await t.app.inject({ method: 'GET', url: `/api/insights/${p}?regionId=${ids.cityA}&${RANGE}&format=csv`, headers: { authorization: `Bearer ${operator.token}` } });
        expect(res.statusCode, p).toBe(200);
        expect(res.headers['content-type'], p).toMatch(/^text\/csv; charset=utf-8/);
        expect(res.headers['content-disposition'], p).toContain(`insights-${p}-${ids.cityA}-2026-03-01-2026-03-07.csv`);
        expect(res.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), p).toBe(true);
      }
      const leaders = await t.app.inject({ method: 'GET', url: `/api/insights/leaders?regionId=${ids.cityA}&${RANGE}&format=csv`, headers: { authorization: `Bearer ${operator.token}` } });
      const lines = leaders.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
      expect(lines[0]).toBe('团长 Leader,自提点 Pickup point,小区 Community,状态 Status,订单 Orders,买家 Buyers,GMV (元 yuan),复购率 Repeat,7 天复购 Repeat 7d,准时率 On time,投诉率 Complaints,信任分 Trust,KPI 周 KPI week,KPI 结论 KPI verdict,KPI 原因 KPI reasons');
      expect(lines[1]).toMatch(/,东园自提点,东园,warned,10,8,500\.00,40\.0%,20\.0%,90\.0%,10\.0%,72,2026-02-23,warning,on_time$/);
      const routes = await t.app.inject({ method: 'GET', url: `/api/insights/routes?regionId=${ids.cityA}&${RANGE}&format=csv`, headers: { authorization: `Bearer ${operator.token}` } });
      expect(routes.body.split('\r\n')[1]).toBe('东网格仓 线路 1,东网格仓,2,5,15,50,2,4.0%,1,6.7%');
      const summary = await t.app.inject({ method: 'GET', url: `/api/insights/daily-summary?regionId=${ids.cityA}&day=2026-03-02&format=csv`, headers: { authorization: `Bearer ${operator.token}` } });
      expect(summary.statusCode).toBe(200);
      expect(summary.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
      expect(summary.body.split('\r\n')[1]).toMatch(/^2026-03-02,group_buy,100,5,40,10,8,25,500\.00,10\.00,2,1,3,10,9,10\.0%,4\.50$/);
    });

    it('a refused CSV request answers JSON errors like the rest', async () => {
      const res = await t.call('GET', `/api/insights/funnel?${RANGE}&format=csv`, { token: resident.token });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    });
  });
});
