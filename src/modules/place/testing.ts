// Test support for the place suites: a small city built through the services. Used only by
// *.test.ts files.
import type { TestApp } from '../../http/testing';
import type { Actor } from '../people';

export interface PlaceWorld {
  operator: { id: number; token: string; actor: Actor };
  cityId: number;
  countyId: number;
  otherCityId: number;
  communityId: number;
  otherCommunityId: number;
  centralId: number;
  gridId: number;
}

// Hangzhou, West Lake district: the test city centre.
export const CENTRE = { lat: 30.2741, lng: 120.1551 };

let codeCounter = 0;
export const uniqueCode = (prefix: string) => `${prefix}${process.pid % 10000}-${++codeCounter}`;

export async function buildWorld(t: TestApp): Promise<PlaceWorld> {
  const op = await t.user(['operator'], 'op');
  const actor: Actor = { accountId: op.id, roles: new Set(['operator']) };
  const { areas, warehouses } = t.services.place;
  const city = await areas.createRegion(actor, { kind: 'city', name: '杭州', code: uniqueCode('hz') });
  const county = await areas.createRegion(actor, { kind: 'county', name: '西湖区', code: uniqueCode('xh'), parentId: city.id });
  const other = await areas.createRegion(actor, { kind: 'city', name: '宁波', code: uniqueCode('nb') });
  const community = await areas.createCommunity(actor, { regionId: county.id, name: '翠苑一区', address: '文三路', ...CENTRE, households: 1200 });
  const otherCommunity = await areas.createCommunity(actor, { regionId: other.id, name: '月湖小区', lat: 29.87, lng: 121.55 });
  const central = await warehouses.create(actor, { regionId: city.id, kind: 'central', name: '杭州中心仓', lat: 30.3, lng: 120.1 });
  const grid = await warehouses.create(actor, {
    regionId: county.id,
    kind: 'grid',
    name: '西湖网格仓',
    lat: 30.28,
    lng: 120.13,
    centralWarehouseId: central.id,
  });
  return {
    operator: { id: op.id, token: op.token, actor },
    cityId: city.id,
    countyId: county.id,
    otherCityId: other.id,
    communityId: community.id,
    otherCommunityId: otherCommunity.id,
    centralId: central.id,
    gridId: grid.id,
  };
}

export async function countRows(t: TestApp, table: string): Promise<number> {
  return (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;
}

/** A whole-row fingerprint, to prove a refused write changed nothing. */
export async function rowOf(t: TestApp, table: string, id: number): Promise<string> {
  const rows = await t.db.query(`SELECT * FROM ${table} WHERE id = $1`, [id]);
  return JSON.stringify(rows[0] ?? null);
}

export function pointPayload(communityId: number, extra: Record<string, unknown> = {}) {
  return { communityId, name: '翠苑3幢团购点', address: '翠苑一区3幢101', opensAt: '08:00', closesAt: '20:00', capacity: 200, ...extra };
}

export function storePayload(regionId: number, ownerAccountId: number, extra: Record<string, unknown> = {}) {
  return {
    regionId,
    ownerAccountId,
    name: '老王便利店',
    address: '文三路100号',
    lat: CENTRE.lat + 0.002,
    lng: CENTRE.lng + 0.002,
    deliveryRadiusM: 1500,
    opensAt: '07:00',
    closesAt: '23:00',
    ...extra,
  };
}
