import { cellToLatLng, getResolution } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../db/testing';
import { createTestApp, type TestApp } from '../../http/testing';
import { buildWorld, countRows, rowOf, uniqueCode, type PlaceWorld } from './testing';

describe.each(testBackends())('place: regions, communities, warehouses, homes on %s', (backend) => {
  let t: TestApp;
  let w: PlaceWorld;
  let resident: { id: number; token: string };
  beforeAll(async () => {
    t = await createTestApp(backend);
    w = await buildWorld(t);
    resident = await t.user(['resident'], 'res');
  });
  afterAll(async () => t.close());

  it('regions: operator creates a city and its county; anyone lists and reads; cursor pages', async () => {
    const op = w.operator.token;
    const city = await t.call('POST', '/api/regions', { token: op, payload: { kind: 'city', name: '苏州', code: uniqueCode('sz') } });
    expect(city.status).toBe(201);
    expect(city.body).toMatchObject({ kind: 'city', parentId: null, name: '苏州' });
    const county = await t.call('POST', '/api/regions', { token: op, payload: { kind: 'county', name: '姑苏区', code: uniqueCode('gs'), parentId: city.body.id } });
    expect(county.status).toBe(201);
    expect((await t.call('GET', `/api/regions/${county.body.id}`)).body.parentId).toBe(city.body.id);

    const page1 = await t.call('GET', '/api/regions?limit=2');
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(2);
    const page2 = await t.call('GET', `/api/regions?limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items[0].id).toBeGreaterThan(page1.body.items[1].id);
    const counties = await t.call('GET', `/api/regions?parentId=${city.body.id}`);
    expect(counties.body.items.map((r: { id: number }) => r.id)).toEqual([county.body.id]);

    const renamed = await t.call('PATCH', `/api/regions/${city.body.id}`, { token: op, payload: { name: '苏州市' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('苏州市');
    expect((await t.call('GET', '/api/regions/999999')).status).toBe(404);
  });

  it('regions: bad input is 400 naming the field; nothing written', async () => {
    const op = w.operator.token;
    const before = await countRows(t, 'regions');
    const cityCode = (await t.call('GET', `/api/regions/${w.cityId}`)).body.code as string;
    const cases: Array<[Record<string, unknown>, string, number]> = [
      [{ kind: 'city', name: '', code: uniqueCode('x') }, 'name', 400],
      [{ kind: 'town', name: '某镇', code: uniqueCode('x') }, 'kind', 400],
      [{ kind: 'city', name: '某市', code: 'has space' }, 'code', 400],
      [{ kind: 'county', name: '某县', code: uniqueCode('x') }, 'parentId', 400],
      [{ kind: 'county', name: '某县', code: uniqueCode('x'), parentId: 999999 }, 'parentId', 400],
      [{ kind: 'county', name: '某县', code: uniqueCode('x'), parentId: w.countyId }, 'parentId', 400],
      [{ kind: 'city', name: '某市', code: uniqueCode('x'), parentId: w.cityId }, 'parentId', 400],
      [{ kind: 'city', name: '重复', code: cityCode }, 'code', 409],
    ];
    for (const [payload, field, status] of cases) {
      const res = await t.call('POST', '/api/regions', { token: op, payload });
      expect(res.status, JSON.stringify(payload)).toBe(status);
      expect(res.body.error.field, JSON.stringify(payload)).toBe(field);
    }
    const fingerprint = await rowOf(t, 'regions', w.countyId);
    const badPatch = await t.call('PATCH', `/api/regions/${w.countyId}`, { token: op, payload: { code: cityCode } });
    expect(badPatch.status).toBe(409);
    expect(badPatch.body.error.field).toBe('code');
    expect((await t.call('PATCH', `/api/regions/${w.countyId}`, { token: op, payload: { name: 'x'.repeat(65) } })).body.error.field).toBe('name');
    expect(await rowOf(t, 'regions', w.countyId)).toBe(fingerprint);
    expect(await countRows(t, 'regions')).toBe(before);
  });

  it('regions: a resident or an anonymous caller cannot create or change one', async () => {
    const before = await countRows(t, 'regions');
    const fingerprint = await rowOf(t, 'regions', w.cityId);
    const payload = { kind: 'city', name: '黑客市', code: uniqueCode('h') };
    expect((await t.call('POST', '/api/regions', { payload })).status).toBe(401);
    expect((await t.call('POST', '/api/regions', { token: resident.token, payload })).status).toBe(403);
    expect((await t.call('PATCH', `/api/regions/${w.cityId}`, { token: resident.token, payload: { name: '改名' } })).status).toBe(403);
    expect(await countRows(t, 'regions')).toBe(before);
    expect(await rowOf(t, 'regions', w.cityId)).toBe(fingerprint);
  });

  it('communities: created with an H3 cell at resolution 9, searched by name and region (a city includes its counties)', async () => {
    const op = w.operator.token;
    const res = await t.call('POST', '/api/communities', {
      token: op,
      payload: { regionId: w.countyId, name: '文鼎苑', address: '文二路', lat: 30.2801, lng: 120.1402, households: 800 },
    });
    expect(res.status).toBe(201);
    expect(getResolution(res.body.h3Cell)).toBe(9);
    const [clat, clng] = cellToLatLng(res.body.h3Cell);
    expect(Math.abs(clat - 30.2801) + Math.abs(clng - 120.1402)).toBeLessThan(0.01);

    const found = await t.call('GET', `/api/communities?q=${encodeURIComponent('鼎')}`);
    expect(found.body.items.map((c: { id: number }) => c.id)).toEqual([res.body.id]);
    // LIKE wildcards in the search are literal.
    expect((await t.call('GET', '/api/communities?q=%25')).body.items).toEqual([]);
    const inCity = await t.call('GET', `/api/communities?regionId=${w.cityId}`);
    expect(inCity.body.items.map((c: { id: number }) => c.id)).toEqual(expect.arrayContaining([w.communityId, res.body.id]));
    expect(inCity.body.items.map((c: { id: number }) => c.id)).not.toContain(w.otherCommunityId);

    const moved = await t.call('PATCH', `/api/communities/${res.body.id}`, { token: op, payload: { lat: 30.3, lng: 120.2 } });
    expect(moved.status).toBe(200);
    expect(moved.body.h3Cell).not.toBe(res.body.h3Cell);
    expect(getResolution(moved.body.h3Cell)).toBe(9);
  });

  it('communities: bad input 400 naming the field, nothing written; a resident cannot write', async () => {
    const op = w.operator.token;
    const before = await countRows(t, 'communities');
    const good = { regionId: w.countyId, name: '好小区', lat: 30.2, lng: 120.1 };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...good, regionId: 999999 }, 'regionId'],
      [{ ...good, name: '' }, 'name'],
      [{ ...good, lat: 91 }, 'lat'],
      [{ ...good, lng: 'east' }, 'lng'],
      [{ ...good, households: -1 }, 'households'],
    ];
    for (const [payload, field] of cases) {
      const res = await t.call('POST', '/api/communities', { token: op, payload });
      expect(res.status, JSON.stringify(payload)).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
    expect((await t.call('POST', '/api/communities', { token: resident.token, payload: good })).status).toBe(403);
    const fingerprint = await rowOf(t, 'communities', w.communityId);
    const badPatch = await t.call('PATCH', `/api/communities/${w.communityId}`, { token: op, payload: { regionId: 999999 } });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.error.field).toBe('regionId');
    expect((await t.call('PATCH', `/api/communities/${w.communityId}`, { token: resident.token, payload: { name: '改' } })).status).toBe(403);
    expect(await rowOf(t, 'communities', w.communityId)).toBe(fingerprint);
    expect(await countRows(t, 'communities')).toBe(before);
  });

  it('warehouses: a grid warehouse hangs off a central one; kinds are checked; filters work', async () => {
    const op = w.operator.token;
    const before = await countRows(t, 'warehouses');
    const base = { regionId: w.countyId, name: '新网格仓', lat: 30.29, lng: 120.12 };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...base, kind: 'grid' }, 'centralWarehouseId'],
      [{ ...base, kind: 'grid', centralWarehouseId: w.gridId }, 'centralWarehouseId'],
      [{ ...base, kind: 'grid', centralWarehouseId: 999999 }, 'centralWarehouseId'],
      [{ ...base, kind: 'central', centralWarehouseId: w.centralId }, 'centralWarehouseId'],
      [{ ...base, kind: 'depot' }, 'kind'],
      [{ ...base, kind: 'central', regionId: 999999 }, 'regionId'],
    ];
    for (const [payload, field] of cases) {
      const res = await t.call('POST', '/api/warehouses', { token: op, payload });
      expect(res.status, JSON.stringify(payload)).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
    expect((await t.call('POST', '/api/warehouses', { token: resident.token, payload: { ...base, kind: 'central' } })).status).toBe(403);
    const fingerprint = await rowOf(t, 'warehouses', w.gridId);
    const badPatch = await t.call('PATCH', `/api/warehouses/${w.gridId}`, { token: op, payload: { centralWarehouseId: w.gridId } });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.error.field).toBe('centralWarehouseId');
    expect((await t.call('PATCH', `/api/warehouses/${w.gridId}`, { token: resident.token, payload: { name: '改' } })).status).toBe(403);
    expect(await rowOf(t, 'warehouses', w.gridId)).toBe(fingerprint);
    expect(await countRows(t, 'warehouses')).toBe(before);

    const grid = await t.call('POST', '/api/warehouses', { token: op, payload: { ...base, kind: 'grid', centralWarehouseId: w.centralId } });
    expect(grid.status).toBe(201);
    const grids = await t.call('GET', `/api/warehouses?kind=grid&regionId=${w.cityId}`);
    expect(grids.body.items.map((x: { id: number }) => x.id)).toEqual([w.gridId, grid.body.id]);
    const served = await t.call('GET', `/api/warehouses/${w.centralId}/served`);
    expect(served.body.gridWarehouses.map((x: { id: number }) => x.id)).toEqual([w.gridId, grid.body.id]);
    const renamed = await t.call('PATCH', `/api/warehouses/${grid.body.id}`, { token: op, payload: { name: '城西网格仓' } });
    expect(renamed.body).toMatchObject({ name: '城西网格仓', kind: 'grid', centralWarehouseId: w.centralId });
  });

  it('homes: a resident sets and reads their home community; 404 before, 400 on a bad id', async () => {
    const me = await t.user(['resident'], 'home');
    expect((await t.call('GET', '/api/me/home', { token: me.token })).status).toBe(404);
    expect((await t.call('PUT', '/api/me/home', { payload: { communityId: w.communityId } })).status).toBe(401);
    const bad = await t.call('PUT', '/api/me/home', { token: me.token, payload: { communityId: 999999 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('communityId');
    expect(await countRows(t, `resident_homes WHERE account_id = ${me.id}`)).toBe(0);

    const set = await t.call('PUT', '/api/me/home', { token: me.token, payload: { communityId: w.communityId } });
    expect(set.status).toBe(200);
    expect(set.body.community.name).toBe('翠苑一区');
    const moved = await t.call('PUT', '/api/me/home', { token: me.token, payload: { communityId: w.otherCommunityId } });
    expect(moved.body.communityId).toBe(w.otherCommunityId);
    const got = await t.call('GET', '/api/me/home', { token: me.token });
    expect(got.body).toMatchObject({ communityId: w.otherCommunityId, community: { id: w.otherCommunityId } });
  });

  it('lists answer 400 on a bad cursor, limit or filter, naming it', async () => {
    for (const [url, field] of [
      ['/api/communities?cursor=zzz', 'cursor'],
      ['/api/communities?limit=0', 'limit'],
      ['/api/communities?regionId=abc', 'regionId'],
      ['/api/warehouses?kind=depot', 'kind'],
      ['/api/regions?kind=planet', 'kind'],
    ] as const) {
      const res = await t.call('GET', url);
      expect(res.status, url).toBe(400);
      expect(res.body.error.field, url).toBe(field);
    }
  });
});
