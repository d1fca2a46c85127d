import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../db/testing';
import { addGridWarehouse, applicationInput } from '../../flows/groupbuy/leaders.testing';
import { makeCommerceWorld, sessionToken, type CommerceWorld } from '../../flows/testing';
import { createTestApp, type TestApp } from '../testing';

describe.each(testBackends())('leaders and residents over HTTP on %s', (backend) => {
  let t: TestApp;
  let w: CommerceWorld;
  let operator: string;
  let worldLeader: string;
  let applicant: { id: number; token: string };
  let resident: { id: number; token: string };
  let pointId: number;

  beforeAll(async () => {
    t = await createTestApp(backend);
    w = await makeCommerceWorld(t.db, { buyers: 0, skus: [{ priceFen: 1000, stock: 10 }] });
    await addGridWarehouse(t.db, w, { name: '网格仓', lat: 30.1, lng: 120.1 });
    operator = await sessionToken(t.db, w.operatorId);
    worldLeader = await sessionToken(t.db, w.leaderId);
    applicant = await t.user(['resident'], 'applicant');
    resident = await t.user(['resident'], 'resident');
  });
  afterAll(async () => {
    await t.services.checkout.close();
    await t.close();
  });

  const count = async (table: string) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;

  it('refuses a bad application with a 400 naming the field and writes nothing', async () => {
    const before = await count('leader_applications');
    const bad = await t.call('POST', '/api/leader-applications', { token: applicant.token, payload: applicationInput(w, 1, { idCardNumber: '330106199001150019' }) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('idCardNumber');
    const missing = await t.call('POST', '/api/leader-applications', { token: applicant.token, payload: { ...applicationInput(w, 1), pointName: undefined } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe('pointName');
    expect((await t.call('POST', '/api/leader-applications', { payload: applicationInput(w, 1) })).status).toBe(401);
    expect(await count('leader_applications')).toBe(before);
  });

  it('takes one application at a time and shows it to its applicant', async () => {
    expect((await t.call('GET', '/api/leader-applications/mine', { token: applicant.token })).body).toBeNull();
    const a = await t.call('POST', '/api/leader-applications', { token: applicant.token, payload: applicationInput(w, 1) });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ status: 'pending', realName: '王小明', accountId: applicant.id });
    expect(a.body.idCardHash).toBeUndefined();
    expect((await t.call('POST', '/api/leader-applications', { token: applicant.token, payload: applicationInput(w, 2) })).status).toBe(409);
    expect((await t.call('POST', '/api/leader-applications', { token: worldLeader, payload: applicationInput(w, 3) })).status).toBe(409);
    const mine = await t.call('GET', '/api/leader-applications/mine', { token: applicant.token });
    expect(mine.body.id).toBe(a.body.id);
  });

  it('lets only operators list and decide applications', async () => {
    const mine = (await t.call('GET', '/api/leader-applications/mine', { token: applicant.token })).body;
    expect((await t.call('GET', '/api/admin/leader-applications', { token: resident.token })).status).toBe(403);
    expect((await t.call('GET', '/api/admin/leader-applications', { token: worldLeader })).status).toBe(403);
    const decide = (token: string, body: object) => t.call('POST', `/api/admin/leader-applications/${mine.id}/decision`, { token, payload: body });
    expect((await decide(resident.token, { approve: true })).status).toBe(403);
    expect((await decide(applicant.token, { approve: true })).status).toBe(403);
    const list = await t.call('GET', '/api/admin/leader-applications?status=pending', { token: operator });
    expect(list.status).toBe(200);
    expect(list.body.items.find((x: { id: number }) => x.id === mine.id).applicant).toEqual({ displayName: expect.stringMatching(/^applicant/), phone: expect.any(String) });
    const noReason = await decide(operator, { approve: false });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.field).toBe('reason');
    const ok = await decide(operator, { approve: true });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'approved', decidedBy: w.operatorId });
    pointId = ok.body.pickupPointId;
    expect((await decide(operator, { approve: false, reason: '太迟了' })).status).toBe(409);
  });

  it('shows a leader only their own overview', async () => {
    const me = await t.call('GET', '/api/leaders/me', { token: applicant.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ accountId: applicant.id, status: 'active', level: { rank: 0, name: '见习团长', bonusBp: 0 }, kpis: [], residents: 0, pickupUndoWindowS: 3600 });
    expect(me.body.pickupPoint).toMatchObject({ id: pointId, status: 'active', opensAt: '08:00', closesAt: '21:00', capacity: 300 });
    expect((await t.call('GET', '/api/leaders/me', { token: resident.token })).status).toBe(403);
    // A leader whose point predates profiles has no overview.
    expect((await t.call('GET', '/api/leaders/me', { token: worldLeader })).status).toBe(404);
    expect((await t.call('GET', `/api/admin/leaders/${applicant.id}/kpis`, { token: applicant.token })).status).toBe(403);
    expect((await t.call('GET', '/api/admin/leaders', { token: applicant.token })).status).toBe(403);
    expect((await t.call('POST', `/api/admin/leaders/${applicant.id}/status`, { token: applicant.token, payload: { status: 'active', reason: 'x' } })).status).toBe(403);
  });

  it('lists leaders, runs KPIs and suspends and reactivates for operators', async () => {
    const list = await t.call('GET', `/api/admin/leaders?regionId=${w.regionId}`, { token: operator });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ accountId: applicant.id, realName: '王小明', status: 'active', warningsInRow: 0, pickupPoint: { id: pointId }, lastWeek: null });
    const run = await t.call('POST', '/api/admin/leader-kpis/run', { token: operator, payload: {} });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ leaders: 0, warnings: 0, suspended: 0 }); // approved after the last full week ended
    expect((await t.call('POST', '/api/admin/leader-kpis/run', { token: operator, payload: { weekStart: '2026-01-06' } })).body.error.field).toBe('weekStart');
    expect((await t.call('GET', `/api/admin/leaders/${applicant.id}/kpis`, { token: operator })).body).toEqual([]);
    expect((await t.call('GET', `/api/admin/leaders/${resident.id}/kpis`, { token: operator })).status).toBe(404);

    const off = await t.call('POST', `/api/admin/leaders/${applicant.id}/status`, { token: operator, payload: { status: 'suspended', reason: '多次投诉' } });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ status: 'suspended', statusReason: '多次投诉' });
    expect((await t.call('GET', `/api/pickup-points/${pointId}`, { token: operator })).body.status).toBe('paused');
    const on = await t.call('POST', `/api/admin/leaders/${applicant.id}/status`, { token: operator, payload: { status: 'active' } });
    expect(on.body).toMatchObject({ status: 'active', warningsInRow: 0 });
    expect((await t.call('GET', `/api/pickup-points/${pointId}`, { token: operator })).body.status).toBe('active');
  });

  it('keeps levels and per-region settings for operators', async () => {
    expect((await t.call('GET', '/api/admin/leader-levels', { token: resident.token })).status).toBe(403);
    const bad = await t.call('PUT', '/api/admin/leader-levels', {
      token: operator,
      payload: { levels: [{ rank: 0, name: '新手', minWeeklyItems: 10, bonusBp: 0 }, { rank: 1, name: '达人', minWeeklyItems: 5, bonusBp: 50 }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('levels.1.minWeeklyItems');
    const put = await t.call('PUT', '/api/admin/leader-levels', {
      token: operator,
      payload: { levels: [{ rank: 0, name: '新手', minWeeklyItems: 0, bonusBp: 0 }, { rank: 1, name: '达人', minWeeklyItems: 100, bonusBp: 150 }] },
    });
    expect(put.status).toBe(200);
    expect(put.body.map((l: { name: string }) => l.name)).toEqual(['新手', '达人']);
    // The leader on the removed levels' rank 0 keeps rank 0, renamed.
    expect((await t.call('GET', '/api/leaders/me', { token: applicant.token })).body.level).toMatchObject({ rank: 0, name: '新手' });

    const got = await t.call('GET', `/api/admin/groupbuy-settings/${w.regionId}`, { token: operator });
    expect(got.body).toMatchObject({ regionId: w.regionId, inherited: true, bindingSwitchLimit: 2, bindingSwitchDays: 30 });
    const badSetting = await t.call('PUT', `/api/admin/groupbuy-settings/${w.regionId}`, { token: operator, payload: { bindingSwitchLimit: -1 } });
    expect(badSetting.body.error.field).toBe('bindingSwitchLimit');
    expect((await t.call('PUT', `/api/admin/groupbuy-settings/${w.regionId}`, { token: resident.token, payload: { bindingSwitchLimit: 1 } })).status).toBe(403);
    expect((await t.call('GET', '/api/admin/groupbuy-settings/999999', { token: operator })).status).toBe(404);
  });

  it('binds a resident to a nearby point and limits switching', async () => {
    await t.services.place.reloadGeoIndex();
    const put = await t.call('PUT', `/api/admin/groupbuy-settings/${w.regionId}`, { token: operator, payload: { bindingSwitchLimit: 1, bindingSwitchDays: 7 } });
    expect(put.body).toMatchObject({ inherited: false, bindingSwitchLimit: 1, bindingSwitchDays: 7 });

    const none = await t.call('GET', '/api/me/pickup-point', { token: resident.token });
    expect(none.body).toMatchObject({ pickupPoint: null, boundAt: null });
    const opts = await t.call('GET', '/api/me/pickup-point/options?lat=30.1&lng=120.1', { token: resident.token });
    expect(opts.status).toBe(200);
    expect(opts.body.map((o: { pickupPoint: { id: number } }) => o.pickupPoint.id)).toEqual([w.pickupPointId, pointId]);
    expect(opts.body[1]).toMatchObject({ leaderName: expect.stringMatching(/^applicant/), distanceM: expect.any(Number) });
    expect((await t.call('GET', '/api/me/pickup-point/options?lat=95&lng=120', { token: resident.token })).body.error.field).toBe('lat');

    const bind = (id: number) => t.call('PUT', '/api/me/pickup-point', { token: resident.token, payload: { pickupPointId: id } });
    const first = await bind(pointId);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ pickupPoint: { id: pointId }, switchesLeft: 1, switchWindowDays: 7 });
    expect(await t.services.leaders.bindingOf(resident.id)).toBe(pointId);
    expect((await t.call('GET', '/api/leaders/me', { token: applicant.token })).body.residents).toBe(1);
    expect((await bind(pointId)).body.switchesLeft).toBe(1); // same point: no switch
    const sw = await bind(w.pickupPointId);
    expect(sw.body).toMatchObject({ pickupPoint: { id: w.pickupPointId }, switchesLeft: 0 });
    const limited = await bind(pointId);
    expect(limited.status).toBe(409);
    expect(limited.body.error).toMatchObject({ code: 'conflict', details: { reason: 'switch_limit' } });
    expect(await t.services.leaders.bindingOf(resident.id)).toBe(w.pickupPointId);

    // A point not taking orders is refused.
    await t.call('POST', `/api/admin/leaders/${applicant.id}/status`, { token: operator, payload: { status: 'suspended', reason: '暂停' } });
    const other = await t.user(['resident'], 'other');
    const paused = await t.call('PUT', '/api/me/pickup-point', { token: other.token, payload: { pickupPointId: pointId } });
    expect(paused.status).toBe(400);
    expect(paused.body.error.field).toBe('pickupPointId');
    expect((await t.call('PUT', '/api/me/pickup-point', { token: other.token, payload: { pickupPointId: 999999 } })).status).toBe(400);
    expect((await t.call('GET', '/api/me/pickup-point', {})).status).toBe(401);
  });
});
