import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../db/testing';
import { makeWaveWorld, type WaveWorld } from '../../flows/fulfilment/wave-testing';
import { sessionToken } from '../../flows/testing';
import { createTestApp, type TestApp } from '../testing';

// The test app runs on the system clock: the world's campaigns closed an hour ago.
const DAY = '2031-05-06';

describe.each(testBackends())('the wave over HTTP on %s', (backend) => {
  let t: TestApp;
  let w: WaveWorld;
  let operator: string;
  let staff: string;
  let resident: string;
  let driver: { id: number; token: string };
  let otherDriver: { id: number; token: string };
  let waveId: number;

  beforeAll(async () => {
    t = await createTestApp(backend);
    w = await makeWaveWorld(t.db, { now: new Date(), day: DAY });
    operator = await sessionToken(t.db, w.operatorId);
    staff = (await t.user(['warehouse_staff'], 'staff')).token;
    resident = (await t.user(['resident'], 'resident')).token;
    driver = await t.user(['driver'], 'driver');
    otherDriver = await t.user(['driver'], 'driver');
  });
  afterAll(async () => t?.close());

  const runWave = (token: string, key: string | null, body: object = { regionId: w.regionId, pickupDate: DAY }) =>
    t.call('POST', '/api/admin/waves', { token, payload: body, headers: key ? { 'idempotency-key': key } : {} });

  it('only an operator runs it, with an Idempotency-Key and good input', async () => {
    expect((await runWave(staff, 'w1')).status).toBe(403);
    expect((await runWave(resident, 'w1')).status).toBe(403);
    const noKey = await runWave(operator, null);
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.field).toBe('Idempotency-Key');
    const badDay = await runWave(operator, 'w0', { regionId: w.regionId, pickupDate: '6 May' });
    expect(badDay.status).toBe(400);
    expect(badDay.body.error.field).toBe('pickupDate');
    const nothingDue = await runWave(operator, 'w0', { regionId: w.regionId, pickupDate: '2031-05-07' });
    expect(nothingDue.status).toBe(409);
  });

  it('runs, replays under the same key, and finds the same wave under another', async () => {
    const first = await runWave(operator, 'w1');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ regionId: w.regionId, pickupDate: DAY, orders: 6, items: 22, purchaseOrders: 3, sortLines: 8, stops: 5 });
    waveId = first.body.id;
    const replay = await runWave(operator, 'w1');
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    const other = await runWave(operator, 'w2');
    expect(other.status).toBe(200);
    expect(other.body).toEqual(first.body);
  });

  it('operators and warehouse staff read waves, purchase orders, sorting and routes; others may not', async () => {
    for (const token of [operator, staff]) {
      const list = await t.call('GET', `/api/admin/waves?regionId=${w.regionId}`, { token });
      expect(list.status).toBe(200);
      expect(list.body.items.map((x: { id: number }) => x.id)).toEqual([waveId]);
      expect((await t.call('GET', `/api/admin/waves/${waveId}`, { token })).body.id).toBe(waveId);
      const pos = await t.call('GET', `/api/admin/waves/${waveId}/purchase-orders`, { token });
      expect(pos.status).toBe(200);
      expect(pos.body).toHaveLength(3);
      const sorting = await t.call('GET', `/api/admin/waves/${waveId}/sorting?gridWarehouseId=${w.grid.g2}`, { token });
      expect(sorting.status).toBe(200);
      expect(sorting.body.map((g: { gridWarehouse: { id: number } }) => g.gridWarehouse.id)).toEqual([w.grid.g2]);
      const points = sorting.body[0].routes.flatMap((r: { stops: { pickupPoint: { id: number } }[] }) => r.stops.map((s) => s.pickupPoint.id));
      expect(points.sort()).toEqual([w.points.p4, w.points.p5].sort());
      expect((await t.call('GET', `/api/admin/waves/${waveId}/routes`, { token })).body.length).toBeGreaterThanOrEqual(3);
    }
    for (const token of [resident, driver.token]) {
      expect((await t.call('GET', '/api/admin/waves', { token })).status).toBe(403);
      expect((await t.call('GET', `/api/admin/waves/${waveId}/purchase-orders.csv`, { token })).status).toBe(403);
      expect((await t.call('GET', `/api/admin/waves/${waveId}/routes`, { token })).status).toBe(403);
    }
    expect((await t.call('GET', '/api/admin/waves/999999', { token: operator })).status).toBe(404);
  });

  it('CSV exports carry a BOM and a header Excel reads', async () => {
    const po = await t.app.inject({ method: 'GET', url: `/api/admin/waves/${waveId}/purchase-orders.csv`, headers: { authorization: `Bearer ${staff}` } });
    expect(po.statusCode).toBe(200);
    expect(po.headers['content-type']).toMatch(/^text\/csv/);
    expect(po.headers['content-disposition']).toContain('purchase-orders.csv');
    expect(po.body.startsWith('\uFEFF采购单 PO,')).toBe(true);
    const poLines = po.body.trim().split('\r\n');
    expect(poLines).toHaveLength(1 + 4);
    // The supplier's name had a quote and a comma in it.
    expect(po.body).toContain('"""鲜,禽""合作社"');
    const sorting = await t.app.inject({ method: 'GET', url: `/api/admin/waves/${waveId}/sorting.csv`, headers: { authorization: `Bearer ${operator}` } });
    expect(sorting.statusCode).toBe(200);
    expect(sorting.body.startsWith('\uFEFF网格仓 Grid warehouse,线路 Route,站序 Stop,自提点 Pickup point')).toBe(true);
    expect(sorting.body.trim().split('\r\n')).toHaveLength(1 + 8);
  });

  it('a driver is assigned by an operator and sees only their own routes and manifests', async () => {
    const routes = (await t.call('GET', `/api/admin/waves/${waveId}/routes`, { token: operator })).body as { id: number; stops: { pickupPoint: { id: number } }[] }[];
    const [mine, theirs] = routes;
    expect((await t.call('POST', `/api/admin/routes/${mine!.id}/driver`, { token: staff, payload: { driverAccountId: driver.id } })).status).toBe(403);
    const notDriver = await t.call('POST', `/api/admin/routes/${mine!.id}/driver`, { token: operator, payload: { driverAccountId: w.buyerId } });
    expect(notDriver.status).toBe(400);
    expect(notDriver.body.error.field).toBe('driverAccountId');
    const assigned = await t.call('POST', `/api/admin/routes/${mine!.id}/driver`, { token: operator, payload: { driverAccountId: driver.id } });
    expect(assigned.status).toBe(200);
    expect(assigned.body.driver).toMatchObject({ accountId: driver.id });

    const today = await t.call('GET', `/api/driver/routes?date=${DAY}`, { token: driver.token });
    expect(today.status).toBe(200);
    expect(today.body.map((r: { id: number }) => r.id)).toEqual([mine!.id]);
    expect((await t.call('GET', '/api/driver/routes?date=2031-05-07', { token: driver.token })).body).toEqual([]);
    expect((await t.call('GET', `/api/driver/routes?date=${DAY}`, { token: otherDriver.token })).body).toEqual([]);
    expect((await t.call('GET', `/api/driver/routes?date=${DAY}`, { token: resident })).status).toBe(403);

    const manifest = await t.call('GET', `/api/routes/${mine!.id}/manifest`, { token: driver.token });
    expect(manifest.status).toBe(200);
    expect(manifest.body.stops.map((s: { pickupPoint: { id: number } }) => s.pickupPoint.id)).toEqual(mine!.stops.map((s) => s.pickupPoint.id));
    expect(manifest.body.stops.every((s: { lines: unknown[] }) => s.lines.length > 0)).toBe(true);
    expect((await t.call('GET', `/api/routes/${theirs!.id}/manifest`, { token: driver.token })).status).toBe(404);
    expect((await t.call('GET', `/api/routes/${mine!.id}/manifest`, { token: otherDriver.token })).status).toBe(404);
    expect((await t.call('GET', `/api/routes/${mine!.id}/manifest`, { token: resident })).status).toBe(403);
    expect((await t.call('GET', `/api/routes/${theirs!.id}/manifest`, { token: staff })).status).toBe(200);
  });
});
