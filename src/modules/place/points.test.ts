import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../db/testing';
import { createTestApp, type TestApp } from '../../http/testing';
import { buildWorld, countRows, pointPayload, rowOf, storePayload, type PlaceWorld } from './testing';

describe.each(testBackends())('place: pickup points, stores, clerks on %s', (backend) => {
  let t: TestApp;
  let w: PlaceWorld;
  let leaderA: { id: number; token: string; phone: string };
  let leaderB: { id: number; token: string; phone: string };
  let ownerA: { id: number; token: string; phone: string };
  let ownerB: { id: number; token: string; phone: string };
  let resident: { id: number; token: string; phone: string };
  let pointA: number;
  let pointB: number;
  let storeA: number;
  let storeB: number;

  beforeAll(async () => {
    t = await createTestApp(backend);
    w = await buildWorld(t);
    // Leaders and owners start as plain residents: being given a point or store grants the role.
    [leaderA, leaderB, ownerA, ownerB, resident] = await Promise.all([
      t.user(['resident'], 'leaderA'),
      t.user(['resident'], 'leaderB'),
      t.user(['resident'], 'ownerA'),
      t.user(['resident'], 'ownerB'),
      t.user(['resident'], 'res'),
    ]);
    const op = w.operator.token;
    const a = await t.call('POST', '/api/pickup-points', { token: op, payload: pointPayload(w.communityId, { leaderAccountId: leaderA.id, gridWarehouseId: w.gridId }) });
    const b = await t.call('POST', '/api/pickup-points', { token: op, payload: pointPayload(w.communityId, { leaderAccountId: leaderB.id, name: 'B点' }) });
    const sa = await t.call('POST', '/api/stores', { token: op, payload: storePayload(w.countyId, ownerA.id, { communityId: w.communityId, gridWarehouseId: w.gridId }) });
    const sb = await t.call('POST', '/api/stores', { token: op, payload: storePayload(w.cityId, ownerB.id, { name: 'B店' }) });
    expect([a.status, b.status, sa.status, sb.status]).toEqual([201, 201, 201, 201]);
    [pointA, pointB, storeA, storeB] = [a.body.id, b.body.id, sa.body.id, sb.body.id];
  });
  afterAll(async () => t.close());

  it('creating a point makes its leader a leader; defaults to the community coordinates; filters list it', async () => {
    const got = await t.call('GET', `/api/pickup-points/${pointA}`);
    expect(got.body).toMatchObject({ leaderAccountId: leaderA.id, gridWarehouseId: w.gridId, status: 'active', lat: 30.2741, lng: 120.1551 });
    expect((await t.call('GET', '/api/me', { token: leaderA.token })).body.roles).toContain('leader');
    const byLeader = await t.call('GET', `/api/pickup-points?leaderAccountId=${leaderA.id}`);
    expect(byLeader.body.items.map((p: { id: number }) => p.id)).toEqual([pointA]);
    const byRegion = await t.call('GET', `/api/pickup-points?regionId=${w.cityId}&limit=1`);
    expect(byRegion.body.items.map((p: { id: number }) => p.id)).toEqual([pointA]);
    const next = await t.call('GET', `/api/pickup-points?regionId=${w.cityId}&limit=1&cursor=${byRegion.body.nextCursor}`);
    expect(next.body.items.map((p: { id: number }) => p.id)).toEqual([pointB]);
    expect((await t.call('GET', `/api/pickup-points?regionId=${w.otherCityId}`)).body.items).toEqual([]);
    const byGrid = await t.call('GET', `/api/pickup-points?gridWarehouseId=${w.gridId}`);
    expect(byGrid.body.items.map((p: { id: number }) => p.id)).toEqual([pointA]);
  });

  it('pickup point create: bad input 400 naming the field (grid warehouse must be a grid one); nothing written', async () => {
    const op = w.operator.token;
    const before = await countRows(t, 'pickup_points');
    const cases: Array<[Record<string, unknown>, string]> = [
      [pointPayload(999999), 'communityId'],
      [pointPayload(w.communityId, { gridWarehouseId: w.centralId }), 'gridWarehouseId'],
      [pointPayload(w.communityId, { gridWarehouseId: 999999 }), 'gridWarehouseId'],
      [pointPayload(w.communityId, { leaderAccountId: 999999 }), 'leaderAccountId'],
      [pointPayload(w.communityId, { opensAt: '8:00' }), 'opensAt'],
      [pointPayload(w.communityId, { closesAt: '24:00' }), 'closesAt'],
      [pointPayload(w.communityId, { capacity: 0 }), 'capacity'],
      [pointPayload(w.communityId, { capacity: 1.5 }), 'capacity'],
      [pointPayload(w.communityId, { name: '' }), 'name'],
      [pointPayload(w.communityId, { address: '' }), 'address'],
      [pointPayload(w.communityId, { lat: -91 }), 'lat'],
      [pointPayload(w.communityId, { status: 'open' }), 'status'],
    ];
    for (const [payload, field] of cases) {
      const res = await t.call('POST', '/api/pickup-points', { token: op, payload });
      expect(res.status, JSON.stringify(payload)).toBe(400);
      expect(res.body.error.field, JSON.stringify(payload)).toBe(field);
    }
    expect(await countRows(t, 'pickup_points')).toBe(before);
  });

  it('pickup point create: only an operator', async () => {
    const before = await countRows(t, 'pickup_points');
    expect((await t.call('POST', '/api/pickup-points', { payload: pointPayload(w.communityId) })).status).toBe(401);
    expect((await t.call('POST', '/api/pickup-points', { token: leaderA.token, payload: pointPayload(w.communityId) })).status).toBe(403);
    expect((await t.call('POST', '/api/pickup-points', { token: resident.token, payload: pointPayload(w.communityId) })).status).toBe(403);
    expect(await countRows(t, 'pickup_points')).toBe(before);
  });

  it("a leader edits their own point's details and pauses it, but not another leader's point", async () => {
    const own = await t.call('PATCH', `/api/pickup-points/${pointA}`, {
      token: leaderA.token,
      payload: { name: '翠苑团购点', opensAt: '07:30', capacity: 250, status: 'paused' },
    });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ name: '翠苑团购点', opensAt: '07:30', capacity: 250, status: 'paused' });

    const fingerprint = await rowOf(t, 'pickup_points', pointB);
    const other = await t.call('PATCH', `/api/pickup-points/${pointB}`, { token: leaderA.token, payload: { name: '抢来的点' } });
    expect(other.status).toBe(403);
    expect((await t.call('PATCH', `/api/pickup-points/${pointB}`, { token: resident.token, payload: { capacity: 1 } })).status).toBe(403);
    expect((await t.call('PATCH', `/api/pickup-points/${pointB}`, { payload: { capacity: 1 } })).status).toBe(401);
    expect(await rowOf(t, 'pickup_points', pointB)).toBe(fingerprint);
  });

  it('a leader may not move, reassign or close their point; the operator may', async () => {
    const fingerprint = await rowOf(t, 'pickup_points', pointA);
    for (const payload of [{ lat: 30.3 }, { communityId: w.otherCommunityId }, { leaderAccountId: leaderB.id }, { gridWarehouseId: null }, { status: 'closed' }]) {
      const res = await t.call('PATCH', `/api/pickup-points/${pointA}`, { token: leaderA.token, payload });
      expect(res.status, JSON.stringify(payload)).toBe(403);
      expect(res.body.error.field).toBe(Object.keys(payload)[0]);
    }
    expect(await rowOf(t, 'pickup_points', pointA)).toBe(fingerprint);

    const op = w.operator.token;
    const bad = await t.call('PATCH', `/api/pickup-points/${pointA}`, { token: op, payload: { gridWarehouseId: w.centralId } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('gridWarehouseId');
    expect((await t.call('PATCH', `/api/pickup-points/${pointA}`, { token: op, payload: { capacity: -5 } })).body.error.field).toBe('capacity');
    expect((await t.call('PATCH', `/api/pickup-points/${pointA}`, { token: op, payload: { communityId: 999999 } })).body.error.field).toBe('communityId');
    expect(await rowOf(t, 'pickup_points', pointA)).toBe(fingerprint);
    expect((await t.call('PATCH', '/api/pickup-points/999999', { token: op, payload: { capacity: 5 } })).status).toBe(404);

    const closed = await t.call('PATCH', `/api/pickup-points/${pointB}`, { token: op, payload: { status: 'closed', gridWarehouseId: w.gridId } });
    expect(closed.body).toMatchObject({ status: 'closed', gridWarehouseId: w.gridId });
    // A closed point stays closed until an operator reopens it.
    const reopen = await t.call('PATCH', `/api/pickup-points/${pointB}`, { token: leaderB.token, payload: { status: 'active' } });
    expect(reopen.status).toBe(403);
    expect((await t.call('PATCH', `/api/pickup-points/${pointB}`, { token: op, payload: { status: 'active' } })).body.status).toBe('active');
    // Handing the point to another leader moves the right to edit it, and grants the role.
    const handed = await t.call('PATCH', `/api/pickup-points/${pointB}`, { token: op, payload: { leaderAccountId: resident.id } });
    expect(handed.body.leaderAccountId).toBe(resident.id);
    expect((await t.call('GET', '/api/me', { token: resident.token })).body.roles).toContain('leader');
    expect((await t.call('PATCH', `/api/pickup-points/${pointB}`, { token: leaderB.token, payload: { name: 'x' } })).status).toBe(403);
    expect((await t.call('PATCH', `/api/pickup-points/${pointB}`, { token: op, payload: { leaderAccountId: leaderB.id } })).status).toBe(200);
  });

  it('stores: owner gets the role; the community must be in the region; bad input 400 naming the field; nothing written', async () => {
    expect((await t.call('GET', '/api/me', { token: ownerA.token })).body.roles).toContain('store_owner');
    const op = w.operator.token;
    const before = await countRows(t, 'stores');
    const cases: Array<[Record<string, unknown>, string]> = [
      [storePayload(999999, ownerA.id), 'regionId'],
      [storePayload(w.countyId, 999999), 'ownerAccountId'],
      [storePayload(w.countyId, ownerA.id, { communityId: 999999 }), 'communityId'],
      [storePayload(w.countyId, ownerA.id, { communityId: w.otherCommunityId }), 'communityId'],
      [storePayload(w.countyId, ownerA.id, { gridWarehouseId: w.centralId }), 'gridWarehouseId'],
      [storePayload(w.countyId, ownerA.id, { deliveryRadiusM: 20_000 }), 'deliveryRadiusM'],
      [storePayload(w.countyId, ownerA.id, { opensAt: '7am' }), 'opensAt'],
      [storePayload(w.countyId, ownerA.id, { lng: 181 }), 'lng'],
      [storePayload(w.countyId, ownerA.id, { name: 'n'.repeat(65) }), 'name'],
    ];
    for (const [payload, field] of cases) {
      const res = await t.call('POST', '/api/stores', { token: op, payload });
      expect(res.status, JSON.stringify(payload)).toBe(400);
      expect(res.body.error.field, JSON.stringify(payload)).toBe(field);
    }
    expect((await t.call('POST', '/api/stores', { token: ownerA.token, payload: storePayload(w.countyId, ownerA.id) })).status).toBe(403);
    expect(await countRows(t, 'stores')).toBe(before);

    const list = await t.call('GET', `/api/stores?ownerAccountId=${ownerA.id}`);
    expect(list.body.items.map((s: { id: number }) => s.id)).toEqual([storeA]);
    const inCity = await t.call('GET', `/api/stores?regionId=${w.cityId}`);
    expect(inCity.body.items.map((s: { id: number }) => s.id)).toEqual([storeA, storeB]);
  });

  it("an owner edits their own store's details, not another owner's, and not the operator's fields", async () => {
    const own = await t.call('PATCH', `/api/stores/${storeA}`, {
      token: ownerA.token,
      payload: { name: '王记便利店', deliveryRadiusM: 2000, closesAt: '22:30', status: 'paused' },
    });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ name: '王记便利店', deliveryRadiusM: 2000, closesAt: '22:30', status: 'paused' });

    const fingerprintB = await rowOf(t, 'stores', storeB);
    expect((await t.call('PATCH', `/api/stores/${storeB}`, { token: ownerA.token, payload: { name: '抢来的店' } })).status).toBe(403);
    expect((await t.call('PATCH', `/api/stores/${storeB}`, { token: resident.token, payload: { name: 'x' } })).status).toBe(403);
    expect(await rowOf(t, 'stores', storeB)).toBe(fingerprintB);

    const fingerprintA = await rowOf(t, 'stores', storeA);
    for (const payload of [{ ownerAccountId: ownerB.id }, { lat: 30.1 }, { regionId: w.cityId }, { status: 'closed' }]) {
      const res = await t.call('PATCH', `/api/stores/${storeA}`, { token: ownerA.token, payload });
      expect(res.status, JSON.stringify(payload)).toBe(403);
    }
    const bad = await t.call('PATCH', `/api/stores/${storeA}`, { token: ownerA.token, payload: { deliveryRadiusM: -1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('deliveryRadiusM');
    const badGrid = await t.call('PATCH', `/api/stores/${storeA}`, { token: w.operator.token, payload: { gridWarehouseId: w.centralId } });
    expect(badGrid.status).toBe(400);
    expect(badGrid.body.error.field).toBe('gridWarehouseId');
    // Moving a store to a region its community is not in is refused.
    const badRegion = await t.call('PATCH', `/api/stores/${storeA}`, { token: w.operator.token, payload: { regionId: w.otherCityId } });
    expect(badRegion.status).toBe(400);
    expect(badRegion.body.error.field).toBe('communityId');
    expect(await rowOf(t, 'stores', storeA)).toBe(fingerprintA);
  });

  it('clerks: the owner adds by phone or id and removes; another owner cannot; the clerk gets the role', async () => {
    const clerk = await t.user(['resident'], 'clerk');
    const added = await t.call('POST', `/api/stores/${storeA}/clerks`, { token: ownerA.token, payload: { phone: clerk.phone } });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ storeId: storeA, accountId: clerk.id, phone: clerk.phone });
    expect((await t.call('GET', '/api/me', { token: clerk.token })).body.roles).toContain('store_clerk');
    // Adding twice is harmless.
    expect((await t.call('POST', `/api/stores/${storeA}/clerks`, { token: ownerA.token, payload: { accountId: clerk.id } })).status).toBe(201);
    const byOp = await t.call('POST', `/api/stores/${storeA}/clerks`, { token: w.operator.token, payload: { accountId: resident.id } });
    expect(byOp.status).toBe(201);

    const list = await t.call('GET', `/api/stores/${storeA}/clerks`, { token: ownerA.token });
    expect(list.body.items.map((c: { accountId: number }) => c.accountId)).toEqual([clerk.id, resident.id]);
    expect((await t.call('GET', `/api/stores/${storeA}/clerks`, { token: clerk.token })).status).toBe(200);
    expect((await t.call('GET', `/api/stores/${storeA}/clerks`, { token: ownerB.token })).status).toBe(403);
    expect((await t.call('GET', `/api/stores/${storeA}/clerks`)).status).toBe(401);

    const before = await countRows(t, 'store_clerks');
    const stranger = await t.user(['resident'], 'stranger');
    expect((await t.call('POST', `/api/stores/${storeA}/clerks`, { token: ownerB.token, payload: { phone: stranger.phone } })).status).toBe(403);
    expect((await t.call('POST', `/api/stores/${storeA}/clerks`, { token: clerk.token, payload: { phone: stranger.phone } })).status).toBe(403);
    expect((await t.call('DELETE', `/api/stores/${storeA}/clerks/${clerk.id}`, { token: ownerB.token })).status).toBe(403);
    for (const [payload, field] of [
      [{ phone: '12345' }, 'phone'],
      [{ phone: '13011112222' }, 'phone'],
      [{ accountId: 999999 }, 'accountId'],
      [{}, 'phone'],
    ] as const) {
      const res = await t.call('POST', `/api/stores/${storeA}/clerks`, { token: ownerA.token, payload });
      expect(res.status, JSON.stringify(payload)).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
    expect((await t.call('POST', '/api/stores/999999/clerks', { token: ownerA.token, payload: { phone: stranger.phone } })).status).toBe(404);
    expect(await countRows(t, 'store_clerks')).toBe(before);

    expect((await t.call('DELETE', `/api/stores/${storeA}/clerks/${clerk.id}`, { token: ownerA.token })).status).toBe(204);
    expect((await t.call('DELETE', `/api/stores/${storeA}/clerks/${clerk.id}`, { token: ownerA.token })).status).toBe(404);
    expect(await countRows(t, 'store_clerks')).toBe(before - 1);
  });

  it('a grid warehouse lists the points and stores it serves', async () => {
    const served = await t.call('GET', `/api/warehouses/${w.gridId}/served`);
    expect(served.status).toBe(200);
    expect(served.body.pickupPoints.map((p: { id: number }) => p.id)).toEqual([pointA, pointB]);
    expect(served.body.stores.map((s: { id: number }) => s.id)).toEqual([storeA]);
    expect((await t.call('GET', '/api/warehouses/999999/served')).status).toBe(404);
  });
});
