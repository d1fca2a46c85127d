import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../db/testing';
import { connectSandbox, makeCommerceWorld, sessionToken, type CommerceWorld } from '../../flows/testing';
import { createTestApp, type TestApp } from '../testing';

describe.each(testBackends())('campaigns over HTTP on %s', (backend) => {
  let t: TestApp;
  let w: CommerceWorld;
  let operator: string;
  let leader: string;
  let resident: { id: number; token: string };
  let other: { id: number; token: string };

  beforeAll(async () => {
    t = await createTestApp(backend);
    connectSandbox(t.services);
    w = await makeCommerceWorld(t.db, { buyers: 0, skus: [{ priceFen: 1000, stock: 0 }, { priceFen: 500, stock: 0 }] });
    operator = await sessionToken(t.db, w.operatorId);
    leader = await sessionToken(t.db, w.leaderId);
    resident = await t.user(['resident'], '李四');
    other = await t.user(['resident'], '王五');
  });
  afterAll(async () => {
    await t.services.checkout.close();
    await t.close();
  });

  const iso = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString();
  const chinaDay = (hours: number) => new Date(Date.now() + (hours + 8) * 3600_000).toISOString().slice(0, 10);
  const body = (over: object = {}) => ({
    regionId: w.regionId,
    title: '周末团',
    startsAt: iso(-1),
    cutoffAt: iso(6),
    pickupDate: chinaDay(30),
    items: [
      { skuId: w.skuIds[0]!, groupPriceFen: 800, stock: 3, limitPerPerson: 2 },
      { skuId: w.skuIds[1]!, groupPriceFen: 300, stock: 10, leaderOnly: true, leaderCommissionBp: 2000 },
    ],
    ...over,
  });
  const count = async (table: string) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;
  const publish = (token: string, id: number, key = `pub-${id}`) =>
    t.call('POST', `/api/admin/campaigns/${id}/publish`, { token, headers: key ? { 'idempotency-key': key } : {} });
  const order = (token: string, key: string, campaignId: number, lines: { skuId: number; quantity: number }[], extra: object = {}) =>
    t.call('POST', '/api/orders', {
      token,
      payload: { channel: 'group_buy', pickupPointId: w.pickupPointId, campaignId, lines, ...extra },
      headers: { 'idempotency-key': key },
    });

  let campaignId: number;

  it('only operators plan and publish; bad input is a 400 naming the field and writes nothing', async () => {
    expect((await t.call('POST', '/api/admin/campaigns', { payload: body() })).status).toBe(401);
    expect((await t.call('POST', '/api/admin/campaigns', { token: resident.token, payload: body() })).status).toBe(403);
    expect((await t.call('POST', '/api/admin/campaigns', { token: leader, payload: body() })).status).toBe(403);
    const before = await count('campaigns');
    const bad = body();
    (bad.items[1] as { groupPriceFen: number }).groupPriceFen = 0;
    const cases: [object, string][] = [
      [bad, 'items.1.groupPriceFen'],
      [body({ cutoffAt: iso(-2) }), 'cutoffAt'],
      [body({ pickupDate: chinaDay(-48) }), 'pickupDate'],
      [body({ items: [body().items[0], body().items[0]] }), 'items.1.skuId'],
    ];
    for (const [payload, field] of cases) {
      const res = await t.call('POST', '/api/admin/campaigns', { token: operator, payload });
      expect(res.status, field).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
    expect(await count('campaigns')).toBe(before);

    const created = await t.call('POST', '/api/admin/campaigns', { token: operator, payload: body() });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', leaderCommissionBp: 1000, figures: { orders: 0, buyers: 0, gmvFen: 0 } });
    expect(created.body.items[0]).toMatchObject({ title: '测试商品1', spec: '500g', basePriceFen: 1000, groupPriceFen: 800, stock: 3, available: 3, sold: 0 });
    campaignId = created.body.id;
    const patched = await t.call('PATCH', `/api/admin/campaigns/${campaignId}`, { token: operator, payload: { title: '周末特惠团' } });
    expect(patched.body.title).toBe('周末特惠团');
    expect((await t.call('PATCH', `/api/admin/campaigns/${campaignId}`, { token: resident.token, payload: { title: 'x' } })).status).toBe(403);
    // Residents do not see drafts.
    expect((await t.call('GET', `/api/campaigns/${campaignId}`, { token: resident.token })).status).toBe(404);

    expect((await publish(resident.token, campaignId)).status).toBe(403);
    const noKey = await publish(operator, campaignId, '');
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.field).toBe('Idempotency-Key');
    const first = await publish(operator, campaignId);
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('published');
    const replay = await publish(operator, campaignId);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);

    const list = await t.call('GET', `/api/admin/campaigns?regionId=${w.regionId}&status=published`, { token: operator });
    expect(list.body.items.map((c: { id: number }) => c.id)).toEqual([campaignId]);
    expect((await t.call('GET', '/api/admin/campaigns', { token: resident.token })).status).toBe(403);
  });

  it('today’s list and checkout: group prices, leader-only for leaders, the stock of the campaign', async () => {
    const mine = await t.call('GET', `/api/campaigns/today?pickupPointId=${w.pickupPointId}`, { token: resident.token });
    expect(mine.status).toBe(200);
    expect(mine.body.restDay).toBeNull();
    const c = mine.body.campaigns.find((x: { id: number }) => x.id === campaignId);
    expect(c.items.map((i: { skuId: number }) => i.skuId)).toEqual([w.skuIds[0]]);
    const theirs = await t.call('GET', `/api/campaigns/today?pickupPointId=${w.pickupPointId}`, { token: leader });
    expect(theirs.body.campaigns.find((x: { id: number }) => x.id === campaignId).items).toHaveLength(2);
    expect((await t.call('GET', `/api/campaigns/today?pickupPointId=${w.pickupPointId}`)).status).toBe(401);

    const placed = await order(resident.token, 'o1', campaignId, [{ skuId: w.skuIds[0]!, quantity: 2 }]);
    expect(placed.status).toBe(201);
    expect(placed.body.order).toMatchObject({ campaignId, totalFen: 1600 });
    await t.services.sandboxGateway.complete({ id: placed.body.payment.paymentId, amountFen: 1600 }, 'succeeded');
    const over = await order(other.token, 'o2', campaignId, [{ skuId: w.skuIds[0]!, quantity: 2 }]);
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ field: 'lines.0.quantity', details: { reason: 'sold_out', available: 1 } });
    const leaderOnly = await order(other.token, 'o3', campaignId, [{ skuId: w.skuIds[1]!, quantity: 1 }]);
    expect(leaderOnly.status).toBe(403);
    expect(leaderOnly.body.error.field).toBe('lines.0.skuId');

    const after = await t.call('GET', `/api/campaigns/${campaignId}`, { token: resident.token });
    expect(after.body.items[0]).toMatchObject({ sold: 2, available: 1 });
    expect(after.body.figures).toEqual({ orders: 1, buyers: 1, gmvFen: 1600 });
    // A paid order: the campaign can no longer be cancelled.
    expect((await t.call('POST', `/api/admin/campaigns/${campaignId}/cancel`, { token: operator })).status).toBe(409);
  });

  it('the relay list is numbered and masked for any signed-in viewer', async () => {
    const relay = await t.call('GET', `/api/relay/${w.pickupPointId}?campaignId=${campaignId}`, { token: other.token });
    expect(relay.status).toBe(200);
    expect(relay.body).toMatchObject({
      pickupPoint: { id: w.pickupPointId },
      leader: { accountId: w.leaderId, displayName: '团长' },
      campaign: { id: campaignId, title: '周末特惠团' },
      entries: [{ no: 1, buyerName: '李*', status: 'paid', lines: [{ title: '测试商品1', spec: '500g', quantity: 2 }] }],
      totals: { orders: 1, items: 2, gmvFen: 1600 },
    });
    // Neither the full name nor the account is given away.
    expect(JSON.stringify(relay.body)).not.toContain('李四');
    expect(Object.keys(relay.body.entries[0]).sort()).toEqual(['buyerName', 'lines', 'no', 'paidAt', 'status']);
    expect((await t.call('GET', `/api/relay/${w.pickupPointId}`)).status).toBe(401);
    expect((await t.call('GET', `/api/relay/${w.pickupPointId}?campaignId=999999`, { token: other.token })).status).toBe(404);
  });

  it('rest days: operators keep them, publishing onto one is a 409', async () => {
    const url = `/api/admin/regions/${w.regionId}/rest-days`;
    const day = chinaDay(72);
    expect((await t.call('POST', url, { token: resident.token, payload: { day, reason: '春节' } })).status).toBe(403);
    expect((await t.call('GET', url, { token: resident.token })).status).toBe(403);
    expect((await t.call('POST', url, { token: operator, payload: { day, reason: '春节' } })).status).toBe(201);
    expect((await t.call('GET', url, { token: operator })).body).toEqual([{ day, reason: '春节' }]);
    const draft = await t.call('POST', '/api/admin/campaigns', { token: operator, payload: body({ pickupDate: day }) });
    const refused = await publish(operator, draft.body.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ field: 'pickupDate', details: { reason: 'rest_day' } });
    expect((await t.call('DELETE', `${url}/${day}`, { token: operator })).status).toBe(204);
    expect((await t.call('GET', url, { token: operator })).body).toEqual([]);
    expect((await publish(operator, draft.body.id)).status).toBe(200);
    // Cancelling one with no paid order works.
    const cancelled = await t.call('POST', `/api/admin/campaigns/${draft.body.id}/cancel`, { token: operator });
    expect(cancelled.body.status).toBe('cancelled');
  });

  it('a share link’s QR code is an SVG of <origin>/s/<code>; unknown codes are 404', async () => {
    const link = await t.call('POST', '/api/share-links', { token: leader, payload: { targetType: 'pickup_point', targetId: w.pickupPointId, actorType: 'leader', actorId: w.leaderId } });
    expect(link.status).toBe(201);
    const qr = await t.call('GET', `/api/share/${link.body.code}/qr.svg`, { headers: { host: 'linli.example:8080' } });
    expect(qr.status).toBe(200);
    expect(qr.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(String(qr.body)).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    const expected = await QRCode.toString(`http://linli.example:8080/s/${link.body.code}`, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    expect(qr.body).toBe(expected);
    expect((await t.call('GET', '/api/share/NoSuchCode1/qr.svg')).status).toBe(404);
  });
});
