// The city `linli bench insights` plays a month in: the demo city (its four districts, grid
// warehouses, catalogue and shelves), grown for big runs so the orders spread as a real city's
// would — about one pickup point per 300 orders of the month (180 → 10,000), a store per
// eight points, a resident per 15 orders (6,000 → 200,000), a host per 100,000 orders — each
// new point in a compound of its own. Places are drawn in memory from the seed (h3 cells need
// JS); people are written with generate_series. Deterministic like the demo city.
import { latLngToCell } from 'h3-js';
import type { Database } from '../src/db';
import { generateDemoCity } from '../src/demo';
import { DemoRepo, type IdOffsets } from '../src/demo/demo.repo';
import { DemoGroupbuyRepo } from '../src/demo/groupbuy.repo';
import { Random } from '../src/kernel';
import type { Services } from '../src/services';

export interface InsightsCity {
  districtIds: number[];
  operatorId: number;
  points: number;
  stores: number;
  residents: number;
  hosts: number;
  communities: number;
}

/** Phone blocks no demo phone uses (names.ts PHONE_PREFIXES leaves them out): residents, leaders, owners, hosts. */
const PHONES = { resident: '134', leader: '147', owner: '178', host: '184' } as const;

export function citySize(orders: number): { points: number; stores: number; residents: number; hosts: number } {
  const points = Math.min(10_000, Math.max(180, Math.round(orders / 300)));
  return {
    points,
    stores: Math.max(24, Math.round(points / 8)),
    residents: Math.min(200_000, Math.max(6_000, Math.round(orders / 15))),
    hosts: Math.min(50, Math.max(6, Math.round(orders / 100_000))),
  };
}

export async function seedInsightsCity(services: Services, o: { orders: number; seed: number; passwordHash: string }): Promise<InsightsCity> {
  const db = services.db;
  const city = generateDemoCity(o.seed);
  const off = (await new DemoRepo().insertCity(db, city, o.passwordHash))!;
  const size = citySize(o.orders);
  const districts = city.regions.filter((r) => r.kind === 'county');
  const districtIds = districts.map((r) => r.id + off.regions);
  const demoPoints = city.pickupPoints.length;
  const extraPoints = Math.max(0, size.points - demoPoints);
  if (extraPoints > 0) await growPlaces(db, city, off, { extraPoints, extraStores: Math.max(0, size.stores - city.stores.length), seed: o.seed, passwordHash: o.passwordHash });
  const extraResidents = Math.max(0, size.residents - city.residentHomes.length);
  if (extraResidents > 0) {
    // New residents in every compound of the four districts, by a hash of their number.
    await db.query(
      `WITH c AS (SELECT array_agg(id ORDER BY id) AS ids FROM communities WHERE region_id = ANY ($1::bigint[])),
            a AS (INSERT INTO accounts (phone, display_name, password_hash)
                  SELECT '${PHONES.resident}' || lpad(g::text, 8, '0'), '压测居民' || g, $3 FROM generate_series(1, $2::int) g
                  RETURNING id)
       , r AS (INSERT INTO account_roles (account_id, role) SELECT id, 'resident' FROM a RETURNING account_id)
       INSERT INTO resident_homes (account_id, community_id)
       SELECT a.id, c.ids[1 + ((hashint8extended(a.id, 11) & 2147483647) % cardinality(c.ids))::int] FROM a, c`,
      [districtIds, extraResidents, o.passwordHash],
    );
  }
  const extraHosts = Math.max(0, size.hosts - 6);
  if (extraHosts > 0) {
    await db.query(
      `WITH a AS (INSERT INTO accounts (phone, display_name, password_hash)
                  SELECT '${PHONES.host}' || lpad(g::text, 8, '0'), '主播' || g, $2 FROM generate_series(1, $1::int) g RETURNING id)
       INSERT INTO account_roles (account_id, role) SELECT id, 'host' FROM a`,
      [extraHosts, o.passwordHash],
    );
  }
  const [op] = await db.query<{ id: number }>(`SELECT min(account_id)::int AS id FROM account_roles WHERE role = 'operator'`);
  const levels = await services.leaders.ensureDefaultLevels();
  await new DemoGroupbuyRepo().leaderProfiles(db, op!.id, levels[0]?.id ?? null);
  await db.exec('ANALYZE');
  const counts = await db.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM pickup_points)::int AS points, (SELECT count(*) FROM stores)::int AS stores,
            (SELECT count(*) FROM resident_homes)::int AS residents, (SELECT count(*) FROM account_roles WHERE role = 'host')::int AS hosts,
            (SELECT count(*) FROM communities)::int AS communities`,
  );
  const c = counts[0]!;
  return { districtIds, operatorId: op!.id, points: c.points!, stores: c.stores!, residents: c.residents!, hosts: c.hosts!, communities: c.communities! };
}

/** New compounds, each with a pickup point (and its leader) and every eighth a store, around the district centres. */
async function growPlaces(
  db: Database,
  city: ReturnType<typeof generateDemoCity>,
  off: IdOffsets,
  o: { extraPoints: number; extraStores: number; seed: number; passwordHash: string },
): Promise<void> {
  const rng = new Random(o.seed).fork('bench-insights-city');
  const districts = city.regions.filter((r) => r.kind === 'county');
  const grids = city.warehouses.filter((w) => w.kind === 'grid');
  const rows = Array.from({ length: o.extraPoints }, (_, i) => {
    const di = i % districts.length;
    const near = city.communities.filter((c) => c.regionId === districts[di]!.id);
    const centre = near[Math.floor(rng.float() * near.length)]!;
    // Within ~3 km of an existing compound of the district.
    const lat = Math.round((centre.lat + (rng.float() - 0.5) * 0.055) * 1e6) / 1e6;
    const lng = Math.round((centre.lng + (rng.float() - 0.5) * 0.065) * 1e6) / 1e6;
    return { n: i + 1, regionId: districts[di]!.id + off.regions, lat, lng, households: 300 + rng.int(0, 270) * 10 };
  });
  await db.withConnection(async (conn) => {
    await conn.exec('BEGIN');
    try {
      await conn.query(
        `WITH c AS (
           INSERT INTO communities (region_id, name, address, lat, lng, h3_cell, households)
           SELECT r, '新苑' || n || '区', '临溪市新区' || n || '号', lat, lng, h3, hh
             FROM unnest($1::int[], $2::bigint[], $3::float8[], $4::float8[], $5::text[], $6::int[]) AS t(n, r, lat, lng, h3, hh)
           RETURNING id, region_id, lat, lng, name
         ), a AS (
           INSERT INTO accounts (phone, display_name, password_hash)
           SELECT '${PHONES.leader}' || lpad(c.id::text, 8, '0'), '团长' || c.id, $8 FROM c RETURNING id, phone
         ), roles AS (
           INSERT INTO account_roles (account_id, role) SELECT id, r FROM a, unnest(ARRAY['leader', 'resident']) r RETURNING 1
         ), homes AS (
           INSERT INTO resident_homes (account_id, community_id)
           SELECT a.id, c.id FROM a JOIN c ON a.phone = '${PHONES.leader}' || lpad(c.id::text, 8, '0') RETURNING 1
         )
         INSERT INTO pickup_points (community_id, leader_account_id, grid_warehouse_id, name, address, lat, lng, opens_at, closes_at, capacity)
         SELECT c.id, a.id, g.grid, c.name || ' 便利点', c.name || ' 1幢', c.lat + 0.0004, c.lng + 0.0004, '08:00', '21:00', 300
           FROM c JOIN a ON a.phone = '${PHONES.leader}' || lpad(c.id::text, 8, '0')
           JOIN unnest($7::bigint[], $9::bigint[]) AS g(region_id, grid) ON g.region_id = c.region_id`,
        [
          rows.map((r) => r.n),
          rows.map((r) => r.regionId),
          rows.map((r) => r.lat),
          rows.map((r) => r.lng),
          rows.map((r) => latLngToCell(r.lat, r.lng, 9)),
          rows.map((r) => r.households),
          districts.map((d) => d.id + off.regions),
          o.passwordHash,
          districts.map((d) => grids.find((g) => g.regionId === d.id)!.id + off.warehouses),
        ],
      );
      if (o.extraStores > 0) {
        // Every eighth new compound gets a corner store, with its stock location (no stock: the
        // history sells from the shelf without moving stock, and the lag probe uses a demo store).
        await conn.query(
          `WITH c AS (
             SELECT c.id, c.region_id, c.lat, c.lng, c.name, row_number() OVER (ORDER BY c.id) AS k, p.grid_warehouse_id
               FROM communities c JOIN pickup_points p ON p.community_id = c.id WHERE c.name LIKE '新苑%'
           ), picked AS (SELECT * FROM c WHERE k % 8 = 1 ORDER BY id LIMIT $1),
           a AS (
             INSERT INTO accounts (phone, display_name, password_hash)
             SELECT '${PHONES.owner}' || lpad(id::text, 8, '0'), '店主' || id, $2 FROM picked RETURNING id, phone
           ), roles AS (INSERT INTO account_roles (account_id, role) SELECT id, 'store_owner' FROM a RETURNING 1),
           s AS (
             INSERT INTO stores (region_id, community_id, owner_account_id, grid_warehouse_id, name, address, lat, lng, delivery_radius_m, opens_at, closes_at)
             SELECT p.region_id, p.id, a.id, p.grid_warehouse_id, p.name || '便民店', p.name || ' 底商', p.lat - 0.0006, p.lng, 1500, '07:00', '22:00'
               FROM picked p JOIN a ON a.phone = '${PHONES.owner}' || lpad(p.id::text, 8, '0')
             RETURNING id)
           INSERT INTO stock_locations (kind, store_id) SELECT 'store', id FROM s`,
          [o.extraStores, o.passwordHash],
        );
      }
      await conn.exec('COMMIT');
    } catch (e) {
      await conn.exec('ROLLBACK').catch(() => undefined);
      throw e;
    }
  });
}
