import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../db/testing';
import { createTestApp, type TestApp } from '../../http/testing';
import { createServices } from '../../services';
import { distanceM } from './geo-index';
import { CENTRE, buildWorld, pointPayload, storePayload, type PlaceWorld } from './testing';

// Metres → degrees of latitude (good enough to place test points at known distances).
const north = (m: number) => CENTRE.lat + m / 111_195;

describe.each(testBackends())('place: nearby and map on %s', (backend) => {
  let t: TestApp;
  let w: PlaceWorld;
  let leader: { id: number; token: string };
  const ids: Record<string, number> = {};
  const nearby = async (query: string) => {
    const res = await t.call('GET', `/api/nearby?lat=${CENTRE.lat}&lng=${CENTRE.lng}&${query}`);
    expect(res.status, query).toBe(200);
    return res.body.items as Array<{ kind: string; id: number; distanceM: number; status: string; deliversHere: boolean | null }>;
  };

  beforeAll(async () => {
    t = await createTestApp(backend);
    w = await buildWorld(t);
    leader = await t.user(['resident'], 'leader');
    const owner = await t.user(['resident'], 'owner');
    const op = w.operator.token;
    // Points at 100 m, 600 m, 1.5 km and 5 km north of the centre; a store at 300 m.
    for (const [key, m] of [['p100', 100], ['p600', 600], ['p1500', 1500], ['p5000', 5000]] as const) {
      const res = await t.call('POST', '/api/pickup-points', {
        token: op,
        payload: pointPayload(w.communityId, { name: key, lat: north(m), lng: CENTRE.lng, leaderAccountId: key === 'p600' ? leader.id : null }),
      });
      expect(res.status).toBe(201);
      ids[key] = res.body.id;
    }
    const store = await t.call('POST', '/api/stores', {
      token: op,
      payload: storePayload(w.countyId, owner.id, { lat: north(300), lng: CENTRE.lng, deliveryRadiusM: 1000 }),
    });
    expect(store.status).toBe(201);
    ids.s300 = store.body.id;
  });
  afterAll(async () => t.close());

  it('answers points and stores within the radius, nearest first, with integer metres', async () => {
    const items = await nearby('radiusM=2000');
    expect(items.map((i) => [i.kind, i.id])).toEqual([
      ['pickup_point', ids.p100],
      ['store', ids.s300],
      ['pickup_point', ids.p600],
      ['pickup_point', ids.p1500],
    ]);
    for (const i of items) {
      expect(Number.isInteger(i.distanceM)).toBe(true);
      expect(i.distanceM).toBeLessThanOrEqual(2000);
    }
    expect(items[0]!.distanceM).toBeGreaterThanOrEqual(99);
    expect(items[0]!.distanceM).toBeLessThanOrEqual(101);
    expect(items[1]!.deliversHere).toBe(true);
    expect((await nearby('radiusM=2000&kind=store')).map((i) => i.id)).toEqual([ids.s300]);
    expect((await nearby('radiusM=2000&kind=pickup_point&limit=2')).map((i) => i.id)).toEqual([ids.p100, ids.p600]);
    expect((await nearby('radiusM=10000')).map((i) => i.id)).toContain(ids.p5000);
  });

  it('a moved point moves in the results at once; a paused one hides unless asked; a closed one is gone', async () => {
    const op = w.operator.token;
    // The p600 leader moves nothing (not allowed), but the operator moves it to 50 m.
    const moved = await t.call('PATCH', `/api/pickup-points/${ids.p600}`, { token: op, payload: { lat: north(50) } });
    expect(moved.status).toBe(200);
    expect((await nearby('radiusM=2000&kind=pickup_point')).map((i) => i.id)).toEqual([ids.p600, ids.p100, ids.p1500]);
    const first = (await nearby('radiusM=2000&kind=pickup_point'))[0]!;
    expect(first.distanceM).toBe(Math.round(distanceM(CENTRE.lat, CENTRE.lng, north(50), CENTRE.lng)));

    // Its leader pauses it: hidden by default, shown with includePaused.
    expect((await t.call('PATCH', `/api/pickup-points/${ids.p600}`, { token: leader.token, payload: { status: 'paused' } })).status).toBe(200);
    expect((await nearby('radiusM=2000&kind=pickup_point')).map((i) => i.id)).toEqual([ids.p100, ids.p1500]);
    const withPaused = await nearby('radiusM=2000&kind=pickup_point&includePaused=true');
    expect(withPaused.map((i) => [i.id, i.status])).toEqual([
      [ids.p600, 'paused'],
      [ids.p100, 'active'],
      [ids.p1500, 'active'],
    ]);

    expect((await t.call('PATCH', `/api/pickup-points/${ids.p100}`, { token: op, payload: { status: 'closed' } })).status).toBe(200);
    expect((await nearby('radiusM=2000&kind=pickup_point&includePaused=true')).map((i) => i.id)).toEqual([ids.p600, ids.p1500]);
    expect((await t.call('PATCH', `/api/pickup-points/${ids.p100}`, { token: op, payload: { status: 'active' } })).status).toBe(200);
    expect((await nearby('radiusM=2000&kind=pickup_point')).map((i) => i.id)).toEqual([ids.p100, ids.p1500]);
    expect((await t.call('PATCH', `/api/pickup-points/${ids.p600}`, { token: leader.token, payload: { status: 'active' } })).status).toBe(200);
  });

  it("a store's owner shrinking the delivery radius shows in deliversHere; moving it away drops it", async () => {
    const op = w.operator.token;
    await t.call('PATCH', `/api/stores/${ids.s300}`, { token: op, payload: { deliveryRadiusM: 200 } });
    expect((await nearby('radiusM=2000&kind=store'))[0]!.deliversHere).toBe(false);
    await t.call('PATCH', `/api/stores/${ids.s300}`, { token: op, payload: { lat: north(3000) } });
    expect(await nearby('radiusM=2000&kind=store')).toEqual([]);
    await t.call('PATCH', `/api/stores/${ids.s300}`, { token: op, payload: { lat: north(300), deliveryRadiusM: 1000 } });
    expect((await nearby('radiusM=2000&kind=store')).map((i) => i.id)).toEqual([ids.s300]);
  });

  it("nearby from a community's coordinates", async () => {
    const res = await t.call('GET', `/api/communities/${w.communityId}/nearby?radiusM=1000&kind=pickup_point`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { id: number }) => i.id)).toEqual([ids.p600, ids.p100]);
    expect((await t.call('GET', '/api/communities/999999/nearby')).status).toBe(404);
  });

  it('bad nearby queries are 400 naming the parameter', async () => {
    for (const [url, field] of [
      ['/api/nearby?lng=120', 'lat'],
      ['/api/nearby?lat=95&lng=120', 'lat'],
      ['/api/nearby?lat=30&lng=abc', 'lng'],
      ['/api/nearby?lat=30&lng=120&radiusM=100000', 'radiusM'],
      ['/api/nearby?lat=30&lng=120&kind=shop', 'kind'],
      ['/api/nearby?lat=30&lng=120&limit=0', 'limit'],
      ['/api/nearby?lat=30&lng=120&includePaused=1', 'includePaused'],
    ] as const) {
      const res = await t.call('GET', url);
      expect(res.status, url).toBe(400);
      expect(res.body.error.field, url).toBe(field);
    }
  });

  it('a new process loads the index from the database', async () => {
    const fresh = await createServices(t.db);
    const items = await fresh.place.nearby({ ...CENTRE, radiusM: 2000, limit: 20 });
    expect(items.map((i) => i.id)).toEqual((await nearby('radiusM=2000')).map((i) => i.id));
    // Rows written behind the service's back appear after reloadGeoIndex.
    await t.db.query(
      `INSERT INTO pickup_points (community_id, name, address, lat, lng, opens_at, closes_at, capacity) VALUES ($1, 'bulk', 'bulk', $2, $3, '08:00', '20:00', 10)`,
      [w.communityId, north(10), CENTRE.lng],
    );
    expect((await fresh.place.nearby({ ...CENTRE, radiusM: 20, limit: 5 })).map((i) => i.name)).toEqual([]);
    await fresh.place.reloadGeoIndex();
    expect((await fresh.place.nearby({ ...CENTRE, radiusM: 20, limit: 5 })).map((i) => i.name)).toEqual(['bulk']);
  });

  it('the map gives every community, point, store and warehouse of a region', async () => {
    const res = await t.call('GET', `/api/map?regionId=${w.cityId}`);
    expect(res.status).toBe(200);
    expect(res.body.communities.map((c: { id: number }) => c.id)).toEqual([w.communityId]);
    expect(res.body.pickupPoints.map((p: { id: number }) => p.id)).toEqual(expect.arrayContaining([ids.p100, ids.p600, ids.p1500, ids.p5000]));
    expect(res.body.stores.map((s: { id: number }) => s.id)).toEqual([ids.s300]);
    expect(res.body.warehouses.map((x: { id: number; kind: string }) => [x.id, x.kind])).toEqual([
      [w.centralId, 'central'],
      [w.gridId, 'grid'],
    ]);
    expect(res.body.pickupPoints[0]).toEqual(
      expect.objectContaining({ id: expect.any(Number), name: expect.any(String), lat: expect.any(Number), lng: expect.any(Number), status: expect.any(String) }),
    );
    const other = await t.call('GET', `/api/map?regionId=${w.otherCityId}`);
    expect(other.body).toMatchObject({ communities: [{ id: w.otherCommunityId }], pickupPoints: [], stores: [], warehouses: [] });
    const all = await t.call('GET', '/api/map');
    expect(all.body.communities).toHaveLength(2);
  });

  it('the routes are in the OpenAPI document', async () => {
    const doc = await t.call('GET', '/openapi.json');
    const paths = Object.keys(doc.body.paths);
    for (const p of ['/api/nearby', '/api/map', '/api/pickup-points/{id}', '/api/stores/{id}/clerks/{accountId}', '/api/warehouses/{id}/served', '/api/me/home']) {
      expect(paths, p).toContain(p);
    }
  });
});
