// The leader league table reads each point's figures over a range as the difference of two
// running totals (migration 0018). Here, on a dozen points with figures scattered over 40
// days (some idle for weeks, some starting late), every range's figures must equal plain sums
// of insights_daily — also after rows change and go away — and the pages, sorts and refusals
// must be what an operator paging through the table expects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { refusalOf } from '../../flows/testing';
import { ManualClock } from '../../kernel';
import { addDays } from '../leaders';
import type { Role } from '../people';
import { DashboardsService } from './dashboards.service';
import { noDrift, rollupDrift } from './rollups.testing';

const FIRST = '2026-03-01';
const DAYS = 40;
const POINTS = 12;

describe.each(testBackends())('leader league table on %s', (backend) => {
  let db: TestDatabase;
  let d: DashboardsService;
  const op = { accountId: 0, roles: new Set<Role>(['operator']) };
  const points: number[] = [];
  let regionId = 0;
  const q = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => db.query<T>(text, params);
  const id = async (text: string, params: unknown[] = []) => Number((await q<{ id: number }>(text, params))[0]!.id);

  /** The figures straight from insights_daily, per point. */
  async function plainSums(from: string, to: string): Promise<Map<number, { orders: number; gmvFen: number; buyers: number; pickupsDue: number }>> {
    const rows = await q<{ p: number; orders: number; gmv: number; buyers: number; due: number }>(
      `SELECT actor_id::int AS p, sum(orders)::int AS orders, sum(gmv_fen)::int AS gmv, sum(buyers)::int AS buyers, sum(pickups_due)::int AS due
         FROM insights_daily WHERE actor_type = 'point' AND day BETWEEN $1::date AND $2::date GROUP BY actor_id`,
      [from, to],
    );
    return new Map(rows.map((r) => [r.p, { orders: r.orders, gmvFen: r.gmv, buyers: r.buyers, pickupsDue: r.due }]));
  }

  async function expectRangesMatch(): Promise<void> {
    const ranges: Array<[number, number]> = [[0, DAYS - 1], [0, 0], [5, 11], [12, 30], [38, 39], [20, 20], [-5, 3], [35, 50]];
    for (const [a, b] of ranges) {
      const from = addDays(FIRST, a);
      const to = addDays(FIRST, b);
      const view = await d.leaders(op, { regionId, from, to, limit: 500 });
      const plain = await plainSums(from, to);
      expect(view.leaders).toHaveLength(POINTS);
      for (const l of view.leaders) {
        const want = plain.get(l.pickupPointId) ?? { orders: 0, gmvFen: 0, buyers: 0, pickupsDue: 0 };
        expect({ orders: l.orders, gmvFen: l.gmvFen, buyers: l.buyers }, `${from}..${to} point ${l.pickupPointId}`).toEqual({
          orders: want.orders,
          gmvFen: want.gmvFen,
          buyers: want.buyers,
        });
      }
    }
  }

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    d = new DashboardsService({ db, clock: new ManualClock(new Date(`${addDays(FIRST, DAYS)}T04:00:00Z`)) });
    op.accountId = await id(`INSERT INTO accounts (phone, display_name, password_hash) VALUES ('13900000000', '运营', 'x') RETURNING id`);
    const tag = `${process.pid % 10000}`;
    regionId = await id(`INSERT INTO regions (kind, name, code) VALUES ('city', '榜市', $1) RETURNING id`, [`LB${tag}`]);
    const community = await id(`INSERT INTO communities (region_id, name, lat, lng, h3_cell, households) VALUES ($1, '榜园', 30.2, 120.1, '89000000000ffff', 500) RETURNING id`, [regionId]);
    for (let i = 0; i < POINTS; i++) {
      const leader = await id(`INSERT INTO accounts (phone, display_name, password_hash) VALUES ($1, $2, 'x') RETURNING id`, [`139000001${String(i).padStart(2, '0')}`, `团长${i}`]);
      const point = await id(
        `INSERT INTO pickup_points (community_id, leader_account_id, name, address, lat, lng, opens_at, closes_at, capacity)
         VALUES ($1, $2, $3, '榜园', 30.2, 120.1, '08:00', '20:00', 100) RETURNING id`,
        [community, leader, `点${i}`],
      );
      const application = await id(
        `INSERT INTO leader_applications (account_id, real_name, id_card_hash, id_card_last4, community_id, point_name, address, lat, lng, opens_at, closes_at, capacity, status, pickup_point_id)
         VALUES ($1, '团长甲', 'h', '1234', $2, $3, '榜园', 30.2, 120.1, '08:00', '20:00', 100, 'approved', $4) RETURNING id`,
        [leader, community, `点${i}`, point],
      );
      await q(`INSERT INTO leader_profiles (account_id, application_id, real_name, pickup_point_id, status, warnings_in_row) VALUES ($1, $2, '团长甲', $3, $4, $5)`, [
        leader,
        application,
        point,
        i === 3 ? 'suspended' : i === 7 ? 'warned' : 'active',
        i === 7 ? 2 : 0,
      ]);
      if (i % 4 !== 1) await q(`INSERT INTO trust_scores (actor_type, actor_id, score, parts) VALUES ('point', $1, $2, '{}')`, [point, 50 + ((i * 7) % 45)]);
      points.push(point);
    }
    // Figures one statement at a time, as the subscriber writes them: inserts and upserts on
    // scattered days; point 0 never sells, point 5 starts on day 25, point 9 stops after day 8.
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let k = 0; k < 160; k++) {
      const p = 1 + rnd(POINTS - 1);
      let day = rnd(DAYS);
      if (p === 5) day = 25 + (day % 15);
      if (p === 9) day = day % 9;
      const orders = 1 + rnd(4);
      await q(
        `INSERT INTO insights_daily AS x (day, community_id, channel, actor_type, actor_id, region_id, orders, buyers, units, gmv_fen, pickups_due)
         VALUES ($1::date, $2, 'group_buy', 'point', $3, $4, $5, 1, $5, $6, $5)
         ON CONFLICT (day, community_id, channel, actor_type, actor_id) DO UPDATE SET orders = x.orders + EXCLUDED.orders, buyers = x.buyers + 1,
           units = x.units + EXCLUDED.units, gmv_fen = x.gmv_fen + EXCLUDED.gmv_fen, pickups_due = x.pickups_due + EXCLUDED.pickups_due`,
        [addDays(FIRST, day), community + (k % 2), points[p], regionId, orders, orders * 1250 + rnd(100)],
      );
    }
  }, 120_000);
  afterAll(async () => db?.dispose());

  it('gives every range the plain sums of insights_daily', async () => {
    const drift = await rollupDrift(q);
    expect(drift).toEqual(noDrift(drift));
    await expectRangesMatch();
  });

  it('still does after rows change, go away and arrive before a point’s first day', async () => {
    await q(`UPDATE insights_daily SET orders = orders + 2, gmv_fen = gmv_fen + 999 WHERE actor_id = $1 AND day = (SELECT min(day) FROM insights_daily WHERE actor_id = $1)`, [points[2]]);
    await q(`DELETE FROM insights_daily WHERE actor_id = $1 AND day > $2::date`, [points[9], addDays(FIRST, 4)]);
    await q(`DELETE FROM insights_daily WHERE actor_type = 'point' AND day = $1::date`, [addDays(FIRST, 20)]);
    await q(`INSERT INTO insights_daily (day, community_id, channel, actor_type, actor_id, region_id, orders, buyers, gmv_fen) VALUES ($1::date, 1, 'group_buy', 'point', $2, $3, 3, 1, 4200)`, [
      addDays(FIRST, 2),
      points[5],
      regionId,
    ]);
    const drift = await rollupDrift(q);
    expect(drift).toEqual(noDrift(drift));
    await expectRangesMatch();
  });

  it('pages through every leader once, in the order asked for, with the total and the warned', async () => {
    const range = { regionId, from: FIRST, to: addDays(FIRST, DAYS - 1) };
    const all = await d.leaders(op, { ...range, limit: 500 });
    expect(all).toMatchObject({ total: POINTS, warned: 2, sort: 'gmv', offset: 0 });
    const gmv = all.leaders.map((l) => l.gmvFen);
    expect(gmv).toEqual([...gmv].sort((a, b) => b - a));
    const paged = [];
    for (let offset = 0; offset < POINTS; offset += 5) {
      const page = await d.leaders(op, { ...range, limit: 5, offset });
      expect(page).toMatchObject({ total: POINTS, warned: 2, limit: 5, offset });
      paged.push(...page.leaders.map((l) => l.pickupPointId));
    }
    expect(paged).toEqual(all.leaders.map((l) => l.pickupPointId));
    const past = await d.leaders(op, { ...range, offset: 100 });
    expect(past).toMatchObject({ leaders: [], total: POINTS, warned: 2 });

    const warnings = (await d.leaders(op, { ...range, sort: 'warnings', limit: 2 })).leaders;
    expect(warnings.map((l) => l.status)).toEqual(['suspended', 'warned']);
    const trust = (await d.leaders(op, { ...range, sort: 'trust', limit: 500 })).leaders.map((l) => l.trustScore);
    const scored = trust.filter((s): s is number => s !== null);
    expect(scored).toEqual([...scored].sort((a, b) => b - a));
    expect(trust.slice(scored.length).every((s) => s === null)).toBe(true);

    const csv = await d.leadersCsv(op, { ...range, limit: 2 });
    expect(csv.trimEnd().split('\r\n')).toHaveLength(POINTS + 1); // header + every leader, whatever the page
  });

  it('refuses a bad page or sort, naming the field', async () => {
    const range = { regionId, from: FIRST, to: addDays(FIRST, 9) };
    expect(await refusalOf(d.leaders(op, { ...range, limit: 0 }))).toMatchObject({ kind: 'bad_input', field: 'limit' });
    expect(await refusalOf(d.leaders(op, { ...range, limit: 501 }))).toMatchObject({ kind: 'bad_input', field: 'limit' });
    expect(await refusalOf(d.leaders(op, { ...range, offset: -1 }))).toMatchObject({ kind: 'bad_input', field: 'offset' });
    expect(await refusalOf(d.leaders(op, { ...range, sort: 'name' as never }))).toMatchObject({ kind: 'bad_input', field: 'sort' });
    expect((await refusalOf(d.leaders({ accountId: op.accountId, roles: new Set<Role>(['leader']) }, range))).kind).toBe('forbidden');
  });
});
