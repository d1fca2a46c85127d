// Trust over HTTP: the public score, the operator's settings and recompute, and where the score
// is used — the leader's commission tier at checkout, the ranking and the cards of pickup
// points, storefront stores and live rooms, the host profile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSandbox, makeCommerceWorld, sessionToken, type CommerceWorld } from '../../flows/testing';
import { startJobs } from '../../flows/jobs';
import { DEFAULT_WEIGHTS } from '../../modules/trust';
import { createTestApp, type TestApp } from '../testing';

describe('trust routes', () => {
  let t: TestApp;
  let w: CommerceWorld;
  let operator: string;
  let resident: string;
  const one = async (q: string, p: unknown[] = []) => (await t.db.query<{ id: number }>(q, p))[0]!.id;
  const recompute = () => t.call('POST', '/api/admin/trust-scores/recompute', { token: operator });
  // After a recompute every actor has a row with its parts: set just its score, or drop the row.
  const setScore = (type: string, id: number, score: number | null) =>
    score === null
      ? t.db.query(`DELETE FROM trust_scores WHERE actor_type = $1 AND actor_id = $2`, [type, id])
      : t.db.query(`UPDATE trust_scores SET score = $3 WHERE actor_type = $1 AND actor_id = $2`, [type, id, score]);
  const chinaToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    t = await createTestApp();
    connectSandbox(t.services);
    w = await makeCommerceWorld(t.db, { buyers: 4, skus: [{ priceFen: 1000, stock: 100 }] });
    operator = await sessionToken(t.db, w.operatorId);
    resident = await sessionToken(t.db, w.buyerIds[0]!);
  });
  afterAll(async () => {
    await t.services.checkout.close();
    await t.close();
  });

  it('serves an actor’s score and parts to anyone once computed', async () => {
    const before = await t.call('GET', `/api/trust/point/${w.pickupPointId}`);
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ actorType: 'point', actorId: w.pickupPointId, score: null, parts: null, computedAt: null });
    expect((await t.call('GET', '/api/trust/point/999999')).status).toBe(404);
    expect((await t.call('GET', '/api/trust/robot/1')).body.error.field).toBe('actorType');
    const doc = await t.call('GET', '/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/trust/{actorType}/{actorId}', '/api/admin/trust-settings/{regionId}']));

    // A month of the point's orders in the read models: 20 orders, one complaint.
    await t.db.query(
      `INSERT INTO insights_daily (day, community_id, channel, actor_type, actor_id, region_id, orders, units, after_sales, complaints, pickups_due, pickups_on_time)
       VALUES ($1, $2, 'group_buy', 'point', $3, $4, 20, 40, 1, 1, 20, 19)`,
      [chinaToday(), w.communityId, w.pickupPointId, w.regionId],
    );
    expect((await t.call('POST', '/api/admin/trust-scores/recompute', { token: resident })).status).toBe(403);
    const run = await recompute();
    expect(run.status).toBe(200);
    expect(run.body.actors).toBeGreaterThanOrEqual(2);

    const after = await t.call('GET', `/api/trust/point/${w.pickupPointId}`);
    expect(after.body.score).toEqual(expect.any(Number));
    expect(after.body.parts.complaints).toMatchObject({ hits: 1, n: 20, rate: 0.05, weight: DEFAULT_WEIGHTS.complaints, highIsGood: false });
    expect(after.body.parts.on_time).toMatchObject({ hits: 19, n: 20 });
    expect(after.body.parts.repeat).toHaveProperty('rate7');
    expect(after.body.parts.rating).toHaveProperty('meanStars', null);
    const total = Object.values(after.body.parts as Record<string, { contribution: number }>).reduce((s, p) => s + p.contribution, 0);
    expect(Math.round(total)).toBe(after.body.score);
    // The store has no orders: the prior's score.
    expect((await t.call('GET', `/api/trust/store/${w.storeId}`)).body.score).toEqual(expect.any(Number));
  });

  it('settings: operator only, defaults inherited, bad input a 400 naming the field and nothing changed', async () => {
    const url = `/api/admin/trust-settings/${w.regionId}`;
    expect((await t.call('GET', url)).status).toBe(401);
    expect((await t.call('GET', url, { token: resident })).status).toBe(403);
    expect((await t.call('PUT', url, { token: resident, payload: { minOrders: 5 } })).status).toBe(403);
    expect((await t.call('GET', '/api/admin/trust-settings/999999', { token: operator })).status).toBe(404);
    const first = await t.call('GET', url, { token: operator });
    expect(first.body).toEqual({ regionId: w.regionId, weights: DEFAULT_WEIGHTS, minOrders: 20, leaderTiers: [{ minScore: 80, bonusBp: 50 }, { minScore: 90, bonusBp: 100 }], inherited: true });

    const bad: [object, string][] = [
      [{ weights: { repeat: -1 } }, 'weights.repeat'],
      [{ weights: { charm: 1 } }, 'weights.charm'],
      [{ weights: { repeat: 0, after_sales: 0, complaints: 0, shortage: 0, on_time: 0, rating: 0 } }, 'weights'],
      [{ weights: { repeat: 'a lot' } }, 'weights.repeat'],
      [{ minOrders: 1.5 }, 'minOrders'],
      [{ minOrders: 20_000 }, 'minOrders'],
      [{ leaderTiers: [{ minScore: 101, bonusBp: 10 }] }, 'leaderTiers.0.minScore'],
      [{ leaderTiers: [{ minScore: 80, bonusBp: 6000 }] }, 'leaderTiers.0.bonusBp'],
      [{ leaderTiers: [{ minScore: 80, bonusBp: 100 }, { minScore: 90, bonusBp: 50 }] }, 'leaderTiers.1.bonusBp'],
      [{ leaderTiers: [{ minScore: 80, bonusBp: 100 }, { minScore: 80, bonusBp: 150 }] }, 'leaderTiers.1.minScore'],
      [{ leaderTiers: [{ minScore: 80 }] }, 'leaderTiers.0.bonusBp'],
    ];
    for (const [payload, field] of bad) {
      const res = await t.call('PUT', url, { token: operator, payload });
      expect(res.status, JSON.stringify(payload)).toBe(400);
      expect(res.body.error.field, JSON.stringify(payload)).toBe(field);
    }
    expect((await t.call('GET', url, { token: operator })).body).toEqual(first.body);

    const put = await t.call('PUT', url, { token: operator, payload: { weights: { rating: 0.3 }, leaderTiers: [{ minScore: 90, bonusBp: 200 }, { minScore: 0, bonusBp: 150 }] } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ regionId: w.regionId, weights: { ...DEFAULT_WEIGHTS, rating: 0.3 }, minOrders: 20, leaderTiers: [{ minScore: 0, bonusBp: 150 }, { minScore: 90, bonusBp: 200 }], inherited: false });
    // A county without its own row takes its city's.
    const county = await one(`INSERT INTO regions (kind, name, code, parent_id) VALUES ('county', '信任县', $1, $2) RETURNING id`, [`TR${w.regionId}`, w.regionId]);
    expect((await t.call('GET', `/api/admin/trust-settings/${county}`, { token: operator })).body).toMatchObject({ regionId: county, inherited: true, leaderTiers: put.body.leaderTiers });
  });

  it('adds the leader’s trust tier to the level bonus at checkout', async () => {
    // The region's tiers now pay 1.5 % from score 0: the point has a score, so its leader earns it.
    const s = t.services;
    const op = w.actor(w.operatorId, 'operator');
    const c = await s.campaigns.create(op, {
      regionId: w.regionId,
      title: '信任团',
      startsAt: new Date(Date.now() - 3600_000).toISOString(),
      cutoffAt: new Date(Date.now() + 10 * 3600_000).toISOString(),
      pickupDate: new Date(Date.now() + 8 * 3600_000 + 34 * 3600_000).toISOString().slice(0, 10),
      leaderCommissionBp: 1000,
      items: [{ skuId: w.skuIds[0]!, groupPriceFen: 1000, stock: 10 }],
    });
    await s.campaignFlow.publish(op, c.id, `pub-${c.id}`);
    const placed = await s.checkout.placeOrder(w.actor(w.buyerIds[1]!), { channel: 'group_buy', pickupPointId: w.pickupPointId, campaignId: c.id, lines: [{ skuId: w.skuIds[0]!, quantity: 2 }] }, 'tier-1');
    const plan = (await t.db.query<{ plan: { party: string; fen: number }[] }>(`SELECT commission_plan AS plan FROM orders WHERE id = $1`, [placed.body.order.id]))[0]!.plan;
    // 2000 fen at 10 % + 1.5 %.
    expect(plan).toEqual([expect.objectContaining({ party: 'leader', accountId: w.leaderId, fen: 230 })]);
  });

  it('ranks nearby pickup points by distance band, then trust, and shows the score on the card', async () => {
    const point = (name: string, lat: number) =>
      one(
        `INSERT INTO pickup_points (community_id, leader_account_id, name, address, lat, lng, opens_at, closes_at, capacity)
         VALUES ($1, $2, $3, '楼下', $4, 120.5, '08:00', '20:00', 100) RETURNING id`,
        [w.communityId, w.leaderId, name, lat],
      );
    // ~111 m per 0.001° of latitude from (30.5, 120.5): 22 m, 111 m and 155 m share the first band; 333 m is the next.
    const nearest = await point('最近', 30.5002);
    const trusted = await point('口碑好', 30.5014);
    const middling = await point('一般', 30.501);
    const far = await point('远但口碑最好', 30.503);
    await recompute();
    await setScore('point', nearest, null);
    await setScore('point', trusted, 92);
    await setScore('point', middling, 60);
    await setScore('point', far, 99);
    await t.services.place.reloadGeoIndex();
    const res = await t.call('GET', '/api/me/pickup-point/options?lat=30.5&lng=120.5&limit=3', { token: resident });
    expect(res.status).toBe(200);
    // Unscored after scored within the band; the far point stays behind the band however good.
    expect(res.body.map((o: { pickupPoint: { id: number } }) => o.pickupPoint.id)).toEqual([trusted, middling, nearest]);
    expect(res.body[0].trust).toMatchObject({ score: 92 });
    expect(res.body[2].trust).toBeNull();
    const wide = await t.call('GET', '/api/me/pickup-point/options?lat=30.5&lng=120.5&limit=4', { token: resident });
    expect(wide.body.map((o: { pickupPoint: { id: number } }) => o.pickupPoint.id)).toEqual([trusted, middling, nearest, far]);
    // Asked for one: the whole first band was read, so the better-trusted point wins over the nearest.
    const top = await t.call('GET', '/api/me/pickup-point/options?lat=30.5&lng=120.5&limit=1', { token: resident });
    expect(top.body.map((o: { pickupPoint: { id: number } }) => o.pickupPoint.id)).toEqual([trusted]);
  });

  it('ranks storefront stores open first, then distance band and trust', async () => {
    const store = (name: string, lat: number, opensAt = '00:00', closesAt = '23:59') =>
      one(
        `INSERT INTO stores (region_id, community_id, owner_account_id, name, address, lat, lng, delivery_radius_m, opens_at, closes_at)
         VALUES ($1, $2, $3, $4, '街边', $5, 121.8, 2000, $6, $7) RETURNING id`,
        [w.regionId, w.communityId, w.storeOwnerId, name, lat, opensAt, closesAt],
      );
    const near = await store('近', 31.0003);
    const trusted = await store('口碑好', 31.0015);
    const nextBand = await store('下一档', 31.003);
    await recompute();
    await setScore('store', trusted, 95);
    await setScore('store', near, 70);
    await setScore('store', nextBand, 100);
    await t.services.place.reloadGeoIndex();
    const res = await t.call('GET', '/api/storefront/stores?lat=31&lng=121.8', { token: resident });
    expect(res.status).toBe(200);
    const ids = res.body.map((x: { store: { id: number } }) => x.store.id);
    expect(ids.filter((id: number) => [near, trusted, nextBand].includes(id))).toEqual([trusted, near, nextBand]);
    expect(res.body.find((x: { store: { id: number } }) => x.store.id === trusted).trust).toMatchObject({ score: 95 });
  });

  it('shows the host’s score on the profile and breaks ties among the day’s rooms by it', async () => {
    let n = 0;
    const host = async (name: string) => {
      const phone = `166${String(process.pid % 10000).padStart(4, '0')}${String(++n).padStart(4, '0')}`;
      const id = await one(`INSERT INTO accounts (phone, display_name, password_hash) VALUES ($1, $2, 'x') RETURNING id`, [phone, name]);
      await t.db.query(`INSERT INTO host_profiles (account_id, display_name, region_id) VALUES ($1, $2, $3)`, [id, name, w.regionId]);
      return id;
    };
    const plain = await host('主播甲');
    const loved = await host('主播乙');
    const room = (hostId: number, scheduledAt: string) =>
      one(`INSERT INTO live_sessions (host_account_id, region_id, title, stream_url, scheduled_at, status) VALUES ($1, $2, '直播', 'https://x/live', $3, 'scheduled') RETURNING id`, [
        hostId,
        w.regionId,
        scheduledAt,
      ]);
    const tomorrow = new Date(Date.now() + 8 * 3600_000 + 86_400_000).toISOString().slice(0, 10);
    const dayAfter = new Date(Date.now() + 8 * 3600_000 + 2 * 86_400_000).toISOString().slice(0, 10);
    const lovedTomorrow = await room(loved, `${tomorrow}T20:00:00+08:00`);
    const plainTomorrow = await room(plain, `${tomorrow}T19:00:00+08:00`);
    const plainLater = await room(plain, `${dayAfter}T19:00:00+08:00`);
    await recompute();
    await setScore('host', loved, 97);
    await setScore('host', plain, 41);

    const list = await t.call('GET', `/api/live/sessions?status=scheduled&regionId=${w.regionId}&limit=10`);
    expect(list.status).toBe(200);
    // The later day first (newest first as before); within tomorrow, the better-trusted host first.
    expect(list.body.items.map((s: { id: number }) => s.id)).toEqual([plainLater, lovedTomorrow, plainTomorrow]);
    expect(list.body.items[1].hostTrustScore).toBe(97);

    const profile = await t.call('GET', `/api/hosts/${plain}`);
    expect(profile.status).toBe(200);
    expect(profile.body.trust).toMatchObject({ score: 41, repeatBuyerBp: null });
    expect(profile.body.trust).toHaveProperty('parts');
    expect(profile.body.trust.computedAt).toEqual(expect.any(String));
  });

  it('the job scores actors soon after start and then every period', async () => {
    const fresh = await one(
      `INSERT INTO pickup_points (community_id, name, address, lat, lng, opens_at, closes_at, capacity) VALUES ($1, '新点', '1号', 30.9, 120.9, '08:00', '20:00', 50) RETURNING id`,
      [w.communityId],
    );
    expect((await t.call('GET', `/api/trust/point/${fresh}`)).body.score).toBeNull();
    const logs: string[] = [];
    const jobs = startJobs(t.services, { trustFirstRunMs: 10, trustEveryMs: 3_600_000, log: (m) => logs.push(m) });
    try {
      await expect.poll(async () => (await t.call('GET', `/api/trust/point/${fresh}`)).body.score, { timeout: 10_000 }).toEqual(expect.any(Number));
      expect(logs.some((m) => m.startsWith('trust scores:'))).toBe(true);
    } finally {
      await jobs.stop();
    }
  });
});

describe('a leader’s own trust and tier; one point or store with its score', () => {
  let t: TestApp;
  let w: CommerceWorld;
  let operator: string;
  let leader: string;
  let resident: string;
  let owner: string;
  const one = async (q: string, p: unknown[] = []) => (await t.db.query<{ id: number }>(q, p))[0]!.id;
  const setScore = (type: string, id: number, score: number) =>
    t.db.query(`UPDATE trust_scores SET score = $3 WHERE actor_type = $1 AND actor_id = $2`, [type, id, score]);
  const mine = (token?: string) => t.call('GET', '/api/leader/trust', token ? { token } : {});

  beforeAll(async () => {
    t = await createTestApp();
    w = await makeCommerceWorld(t.db, { buyers: 1, skus: [{ priceFen: 1000, stock: 10 }] });
    operator = await sessionToken(t.db, w.operatorId);
    leader = await sessionToken(t.db, w.leaderId);
    resident = await sessionToken(t.db, w.buyerIds[0]!);
    owner = await sessionToken(t.db, w.storeOwnerId);
  });
  afterAll(async () => {
    await t.services.checkout.close();
    await t.close();
  });

  it('shows a leader their own point’s score, parts and commission tier, and no one else', async () => {
    expect((await mine()).status).toBe(401);
    for (const token of [resident, operator, owner]) expect((await mine(token)).status).toBe(403);
    // A leader without an open point has nothing to show.
    const pointless = await t.user(['leader'], 'pointless');
    expect((await mine(pointless.token)).status).toBe(404);

    // Before the first computation: no score, no bonus, the first tier ahead.
    const before = await mine(leader);
    expect(before.status).toBe(200);
    expect(before.body).toEqual({
      pickupPointId: w.pickupPointId,
      trust: null,
      tiers: [{ minScore: 80, bonusBp: 50 }, { minScore: 90, bonusBp: 100 }],
      bonusBp: 0,
      next: { minScore: 80, bonusBp: 50 },
    });

    await t.services.trust.recomputeAll();
    const scored = await mine(leader);
    expect(scored.body.trust).toMatchObject({ score: expect.any(Number), computedAt: expect.any(String) });
    expect(Object.keys(scored.body.trust.parts).sort()).toEqual(['after_sales', 'complaints', 'on_time', 'rating', 'repeat', 'shortage']);
    // The bonus shown is the one checkout adds.
    expect(scored.body.bonusBp).toBe(await t.services.trust.leaderTierBonusBp(w.leaderId));

    const at = async (score: number) => {
      await setScore('point', w.pickupPointId, score);
      const r = (await mine(leader)).body;
      return { score: r.trust.score, bonusBp: r.bonusBp, next: r.next };
    };
    expect(await at(83)).toEqual({ score: 83, bonusBp: 50, next: { minScore: 90, bonusBp: 100 } });
    expect(await at(95)).toEqual({ score: 95, bonusBp: 100, next: null });
    expect(await at(79)).toEqual({ score: 79, bonusBp: 0, next: { minScore: 80, bonusBp: 50 } });
    // The region's own tiers, as the operator sets them.
    const put = await t.call('PUT', `/api/admin/trust-settings/${w.regionId}`, { token: operator, payload: { leaderTiers: [{ minScore: 95, bonusBp: 80 }, { minScore: 70, bonusBp: 30 }] } });
    expect(put.status).toBe(200);
    expect(await at(79)).toEqual({ score: 79, bonusBp: 30, next: { minScore: 95, bonusBp: 80 } });
    expect((await mine(leader)).body.tiers).toEqual([{ minScore: 70, bonusBp: 30 }, { minScore: 95, bonusBp: 80 }]);

    // Another leader sees their own point, never this one.
    const other = await t.user(['leader'], 'other');
    const otherPoint = await one(
      `INSERT INTO pickup_points (community_id, leader_account_id, name, address, lat, lng, opens_at, closes_at, capacity)
       VALUES ($1, $2, '另一个点', '2号', 30.2, 120.2, '08:00', '20:00', 50) RETURNING id`,
      [w.communityId, other.id],
    );
    const theirs = await mine(other.token);
    expect(theirs.status).toBe(200);
    expect(theirs.body).toMatchObject({ pickupPointId: otherPoint, trust: null, bonusBp: 0 });
  });

  it('carries the trust score on one pickup point and one store, null before its first computation', async () => {
    const point = await t.call('GET', `/api/pickup-points/${w.pickupPointId}`);
    expect(point.status).toBe(200);
    expect(point.body).toMatchObject({ id: w.pickupPointId, trust: { score: expect.any(Number), computedAt: expect.any(String) } });
    expect(point.body.trust.parts.on_time).toHaveProperty('contribution');
    const store = await t.call('GET', `/api/stores/${w.storeId}`);
    expect(store.status).toBe(200);
    expect(store.body).toMatchObject({ id: w.storeId, trust: { score: expect.any(Number) } });
    // Opened since the last computation: no score yet, the field still there.
    const freshPoint = await one(
      `INSERT INTO pickup_points (community_id, name, address, lat, lng, opens_at, closes_at, capacity) VALUES ($1, '新点', '3号', 30.3, 120.3, '08:00', '20:00', 50) RETURNING id`,
      [w.communityId],
    );
    const freshStore = await one(
      `INSERT INTO stores (region_id, community_id, owner_account_id, name, address, lat, lng, delivery_radius_m, opens_at, closes_at)
       VALUES ($1, $2, $3, '新店', '街角', 30.3, 120.3, 1500, '08:00', '20:00') RETURNING id`,
      [w.regionId, w.communityId, w.storeOwnerId],
    );
    expect((await t.call('GET', `/api/pickup-points/${freshPoint}`)).body).toMatchObject({ id: freshPoint, trust: null });
    expect((await t.call('GET', `/api/stores/${freshStore}`)).body).toMatchObject({ id: freshStore, trust: null });
    expect((await t.call('GET', '/api/pickup-points/999999')).status).toBe(404);
    expect((await t.call('GET', '/api/stores/999999')).status).toBe(404);
    const doc = await t.call('GET', '/openapi.json');
    expect(Object.keys(doc.body.paths)).toContain('/api/leader/trust');
  });
});
