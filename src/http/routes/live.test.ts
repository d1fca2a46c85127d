// Live selling over HTTP: bad input names the field and changes nothing, hosts reach only their
// own sessions (another's is a 404, a resident gets 403), and coupon claims and live orders are
// idempotent under their keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCommerceWorld, type CommerceWorld } from '../../flows/testing';
import { createTestApp, type TestApp } from '../testing';

describe('live selling routes', () => {
  let t: TestApp;
  let w: CommerceWorld;
  let host: { id: number; token: string };
  let otherHost: { id: number; token: string };
  let resident: { id: number; token: string };
  let operator: { id: number; token: string };
  let sessionId: number;
  let keyNo = 0;
  const key = () => ({ 'idempotency-key': `route-${++keyNo}` });
  const count = async (table: string) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;
  const soon = () => new Date(Date.now() + 3600_000).toISOString();
  const sessionBody = () => ({
    title: '周末直播',
    scheduledAt: soon(),
    streamUrl: 'https://cdn.example.com/live/room.m3u8',
    bag: [
      { skuId: w.skuIds[0]!, livePriceFen: 990, limitPerPerson: 3, allotted: 20 },
      { skuId: w.skuIds[1]!, livePriceFen: 490, allotted: 10 },
    ],
  });

  beforeAll(async () => {
    t = await createTestApp();
    w = await makeCommerceWorld(t.db, { buyers: 0, skus: [{ priceFen: 1200, stock: 100 }, { priceFen: 600, stock: 100 }] });
    host = await t.user(['host'], '主播');
    otherHost = await t.user(['host'], '另一主播');
    resident = await t.user(['resident'], '居民');
    operator = await t.user(['operator'], '运营');
    for (const h of [host, otherHost]) {
      const r = await t.call('PUT', '/api/host/profile', { token: h.token, payload: { displayName: '主播', regionId: w.regionId } });
      expect(r.status).toBe(200);
    }
  });
  afterAll(async () => t.close());

  it('host profile: bad input names the field; residents cannot save one', async () => {
    const noName = await t.call('PUT', '/api/host/profile', { token: host.token, payload: { displayName: '', regionId: w.regionId } });
    expect(noName.status).toBe(400);
    expect(noName.body.error.field).toBe('displayName');
    const noRegion = await t.call('PUT', '/api/host/profile', { token: host.token, payload: { displayName: '小鹿', regionId: 999_999 } });
    expect(noRegion.status).toBe(400);
    expect(noRegion.body.error.field).toBe('regionId');
    expect((await t.call('PUT', '/api/host/profile', { token: resident.token, payload: { displayName: '我', regionId: w.regionId } })).status).toBe(403);
    const mine = await t.call('GET', '/api/host/profile', { token: host.token });
    expect(mine.body).toMatchObject({ accountId: host.id, displayName: '主播', commissionBp: 500 });
  });

  it('scheduling: residents 403, a missing key or bad item 400 naming it and nothing created, the same key replays, another body 422', async () => {
    expect((await t.call('POST', '/api/host/sessions', { token: resident.token, headers: key(), payload: sessionBody() })).status).toBe(403);
    expect((await t.call('GET', '/api/host/sessions', { token: resident.token })).status).toBe(403);
    const noKey = await t.call('POST', '/api/host/sessions', { token: host.token, payload: sessionBody() });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.field).toBe('Idempotency-Key');
    const bad = { ...sessionBody(), bag: [{ skuId: w.skuIds[0]!, livePriceFen: 0, allotted: 1 }] };
    const badPrice = await t.call('POST', '/api/host/sessions', { token: host.token, headers: key(), payload: bad });
    expect(badPrice.status).toBe(400);
    expect(badPrice.body.error.field).toBe('bag.0.livePriceFen');
    const badStream = await t.call('POST', '/api/host/sessions', { token: host.token, headers: key(), payload: { ...sessionBody(), streamUrl: 'https://cdn.example.com/live/page.html' } });
    expect(badStream.status).toBe(400);
    expect(badStream.body.error.field).toBe('streamUrl');
    const tooMany = await t.call('POST', '/api/host/sessions', {
      token: host.token,
      headers: key(),
      payload: { ...sessionBody(), bag: [{ skuId: w.skuIds[1]!, livePriceFen: 100, allotted: 101 }] },
    });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error.field).toBe('bag.0.allotted');
    expect(await count('live_sessions')).toBe(0);

    const k = key();
    const body = sessionBody();
    const created = await t.call('POST', '/api/host/sessions', { token: host.token, headers: k, payload: body });
    expect(created.status).toBe(201);
    sessionId = created.body.session.id;
    expect(created.body.bag).toHaveLength(2);
    const again = await t.call('POST', '/api/host/sessions', { token: host.token, headers: k, payload: body });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.session.id).toBe(sessionId);
    const reused = await t.call('POST', '/api/host/sessions', { token: host.token, headers: k, payload: { ...body, title: '别的' } });
    expect(reused.status).toBe(422);
    expect(await count('live_sessions')).toBe(1);
  });

  it('per object: another host gets 404 on my session, operators may read it, residents 403', async () => {
    for (const [method, url, payload] of [
      ['GET', `/api/host/sessions/${sessionId}`, undefined],
      ['PATCH', `/api/host/sessions/${sessionId}`, { title: '抢来的' }],
      ['POST', `/api/host/sessions/${sessionId}/start`, undefined],
      ['POST', `/api/host/sessions/${sessionId}/pin`, { skuId: w.skuIds[0] }],
    ] as const) {
      const r = await t.call(method, url, { token: otherHost.token, ...(payload ? { payload } : {}) });
      expect(r.status, `${method} ${url}`).toBe(404);
    }
    const bag = await t.call('POST', `/api/host/sessions/${sessionId}/bag`, { token: otherHost.token, headers: key(), payload: { skuId: w.skuIds[0], livePriceFen: 1, allotted: 1 } });
    expect(bag.status).toBe(404);
    expect((await t.call('GET', `/api/host/sessions/${sessionId}`, { token: operator.token })).status).toBe(200);
    expect((await t.call('POST', `/api/host/sessions/${sessionId}/start`, { token: resident.token })).status).toBe(403);
    const mine = await t.call('GET', '/api/host/sessions', { token: otherHost.token });
    expect(mine.body.items).toEqual([]);
    const theirs = await t.call('GET', '/api/host/sessions', { token: host.token });
    expect(theirs.body.items.map((i: { id: number }) => i.id)).toEqual([sessionId]);
  });

  it('live: pin, coupon claims idempotent and one per person, live orders idempotent, the public room and replay', async () => {
    const started = await t.call('POST', `/api/host/sessions/${sessionId}/start`, { token: host.token });
    expect(started.status).toBe(200);
    expect(started.body.session.status).toBe('live');
    const pin = await t.call('POST', `/api/host/sessions/${sessionId}/pin`, { token: host.token, payload: { skuId: w.skuIds[0] } });
    expect(pin.status).toBe(200);
    const badPin = await t.call('POST', `/api/host/sessions/${sessionId}/pin`, { token: host.token, payload: { skuId: 'x' } });
    expect(badPin.status).toBe(400);
    expect(badPin.body.error.field).toBe('skuId');

    const badCoupon = await t.call('POST', `/api/host/sessions/${sessionId}/coupons`, { token: host.token, headers: key(), payload: { amountFen: 100, minSpendFen: 0, quantity: 0 } });
    expect(badCoupon.status).toBe(400);
    expect(badCoupon.body.error.field).toBe('quantity');
    expect(await count('live_coupons')).toBe(0);
    const coupon = await t.call('POST', `/api/host/sessions/${sessionId}/coupons`, { token: host.token, headers: key(), payload: { amountFen: 100, minSpendFen: 500, quantity: 5 } });
    expect(coupon.status).toBe(201);

    expect((await t.call('POST', `/api/live/coupons/${coupon.body.id}/claim`, { headers: key() })).status).toBe(401);
    const ck = key();
    const claim = await t.call('POST', `/api/live/coupons/${coupon.body.id}/claim`, { token: resident.token, headers: ck });
    expect(claim.status).toBe(201);
    const replay = await t.call('POST', `/api/live/coupons/${coupon.body.id}/claim`, { token: resident.token, headers: ck });
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.claim.id).toBe(claim.body.claim.id);
    const second = await t.call('POST', `/api/live/coupons/${coupon.body.id}/claim`, { token: resident.token, headers: key() });
    expect(second.status).toBe(409);
    expect(second.body.error.details.reason).toBe('already_claimed');
    expect((await t.db.query<{ claimed: number }>(`SELECT claimed FROM live_coupons WHERE id = $1`, [coupon.body.id]))[0]!.claimed).toBe(1);

    const order = { channel: 'live', liveSessionId: sessionId, couponClaimId: claim.body.claim.id, lines: [{ skuId: w.skuIds[0], quantity: 1 }] };
    const ok = key();
    const placed = await t.call('POST', '/api/orders', { token: resident.token, headers: ok, payload: order });
    expect(placed.status).toBe(201);
    expect(placed.body.order).toMatchObject({ channel: 'live', liveSessionId: sessionId, hostAccountId: host.id, totalFen: 890, discountFen: 100 });
    const placedAgain = await t.call('POST', '/api/orders', { token: resident.token, headers: ok, payload: order });
    expect(placedAgain.body.order.id).toBe(placed.body.order.id);
    expect(placedAgain.headers['idempotent-replayed']).toBe('true');
    expect(await count('orders')).toBe(1);
    const badFlash = await t.call('POST', '/api/orders', { token: resident.token, headers: key(), payload: { ...order, couponClaimId: undefined, flashSaleId: 12345 } });
    expect(badFlash.status).toBe(400);
    expect(badFlash.body.error.field).toBe('flashSaleId');
    const notYours = await t.call('POST', '/api/orders', { token: operator.token, headers: key(), payload: order });
    expect(notYours.status).toBe(400);
    expect(notYours.body.error.field).toBe('couponClaimId');
    expect(await count('orders')).toBe(1);

    const room = await t.call('GET', `/api/live/sessions/${sessionId}`, { token: resident.token });
    expect(room.status).toBe(200);
    expect(room.body).toMatchObject({ session: { id: sessionId, status: 'live' }, pin: { skuId: w.skuIds[0] }, host: { accountId: host.id } });
    expect(room.body.coupons[0]).toMatchObject({ id: coupon.body.id, remaining: 4 });
    expect(room.body.myClaims).toMatchObject([{ id: claim.body.claim.id, orderId: placed.body.order.id }]);
    const list = await t.call('GET', '/api/live/sessions?status=live');
    expect(list.body.items.map((i: { id: number }) => i.id)).toContain(sessionId);

    const flash = await t.call('POST', `/api/host/sessions/${sessionId}/flash-sales`, {
      token: host.token,
      headers: key(),
      payload: { skuId: w.skuIds[1], priceFen: 99, quantity: 5, durationS: 3600 },
    });
    expect(flash.status).toBe(400);
    expect(flash.body.error.field).toBe('durationS');

    const end = await t.call('POST', `/api/host/sessions/${sessionId}/end`, { token: host.token, headers: key(), payload: { recordingUrl: 'https://cdn.example.com/vod/room.mp4' } });
    expect(end.status).toBe(200);
    const timeline = await t.call('GET', `/api/live/sessions/${sessionId}/timeline`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.recordingUrl).toBe('https://cdn.example.com/vod/room.mp4');
    expect(timeline.body.events.map((e: { kind: string }) => e.kind)).toEqual(['started', 'pinned', 'coupon', 'unpinned', 'ended']);
  });

  it('hosts: public profile with trust figures, follow and unfollow', async () => {
    const p = await t.call('GET', `/api/hosts/${host.id}`);
    expect(p.status).toBe(200);
    expect(p.body.trust.counts).toMatchObject({ paidOrders: 0 });
    expect((await t.call('GET', `/api/hosts/${resident.id}`)).status).toBe(404);
    expect((await t.call('POST', `/api/hosts/${host.id}/follow`)).status).toBe(401);
    const f = await t.call('POST', `/api/hosts/${host.id}/follow`, { token: resident.token });
    expect(f.body).toEqual({ following: true, followers: 1 });
    const u = await t.call('DELETE', `/api/hosts/${host.id}/follow`, { token: resident.token });
    expect(u.body).toEqual({ following: false, followers: 0 });
  });
});
