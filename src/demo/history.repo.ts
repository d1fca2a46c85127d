// SQL of the simulated history (history.ts): reading the city it plays in, writing the fixed
// things a month of trade needs (host profiles, share links, a campaign and a wave per district
// and day, the evenings' live sessions) and loading the plan into session-local TEMP tables that
// the order statements of history-day.repo.ts join against.
//
// Ids of the rows written here are reserved up front (`reserveIds`) and written explicitly, so
// later statements can name them without reading them back. That assumes one writer of these
// tables while the history is written (the demo seeding at first start, the bench on its own
// database), which is the only way this code runs.
import type { Connection } from '../db';

export interface CastPoint {
  id: number;
  communityId: number;
  regionId: number;
  leaderId: number;
  gridId: number | null;
  lat: number;
  lng: number;
  gridLat: number | null;
  gridLng: number | null;
}
export interface CastStore {
  id: number;
  communityId: number;
  regionId: number;
  ownerId: number;
  /** Who rings up counter sales: a clerk, else the owner. */
  tillId: number;
  locationId: number;
}
export interface CastHost {
  accountId: number;
  regionId: number | null;
  hasProfile: boolean;
}
export interface CastResident {
  accountId: number;
  communityId: number;
  regionId: number;
}
export interface CastOffer {
  regionId: number;
  skuId: number;
  productId: number;
  title: string;
  spec: string;
  unit: string;
  priceFen: number;
}
export interface Cast {
  points: CastPoint[];
  stores: CastStore[];
  hosts: CastHost[];
  residents: CastResident[];
  shelf: CastOffer[];
  operatorId: number;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

type Column = readonly [pgType: string, values: readonly unknown[]];

/** INSERT … SELECT FROM unnest: one array parameter per column, whatever the row count. */
export async function insertColumns(conn: Connection, table: string, columns: Record<string, Column>, explicitIds = false): Promise<void> {
  const names = Object.keys(columns);
  if ((columns[names[0]!]![1].length ?? 0) === 0) return;
  const casts = names.map((n, i) => `$${i + 1}::${columns[n]![0]}[]`);
  // Table and column names come from this module, never from input.
  await conn.query(
    `INSERT INTO ${table} (${names.join(', ')})${explicitIds ? ' OVERRIDING SYSTEM VALUE' : ''} SELECT * FROM unnest(${casts.join(', ')})`,
    names.map((n) => columns[n]![1]),
  );
}

/** Claim `n` consecutive ids of a table's identity; returns the first. */
export async function reserveIds(conn: Connection, table: string, n: number): Promise<number> {
  const [row] = await conn.query<{ v: number }>(`SELECT nextval(pg_get_serial_sequence('${table}', 'id'))::bigint AS v`);
  const first = Number(row!.v);
  if (n > 1) await conn.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), $1::bigint)`, [first + n - 1]);
  return first;
}

/** Tables the history fills by the million (their secondary indexes can wait: see `dropIndexes`). */
const BULK_TABLES = ['orders', 'order_lines', 'payments', 'payment_refunds', 'refunds', 'refund_lines', 'after_sales_requests', 'pickups', 'order_ratings', 'traffic_events'];

export class HistoryRepo {
  /**
   * Drop the bulk tables' secondary indexes (not those behind a primary key or unique
   * constraint) and return their definitions, for `createIndexes` once the rows are in:
   * building an index once is several times cheaper than growing it row by row.
   */
  async dropIndexes(conn: Connection): Promise<string[]> {
    const rows = await conn.query<{ name: string; def: string }>(
      `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename = ANY ($1::text[])
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)
        ORDER BY i.tablename, i.indexname`,
      [BULK_TABLES],
    );
    for (const r of rows) await conn.exec(`DROP INDEX ${quoteIdent(r.name)}`);
    return rows.map((r) => r.def);
  }

  async createIndexes(conn: Connection, defs: string[]): Promise<void> {
    for (const def of defs) await conn.exec(def);
  }

  /** The places, people and shelf of the given districts. */
  async loadCast(conn: Connection, regionIds: number[], excludeBuyers: number[]): Promise<Cast> {
    const points = await conn.query<Record<string, unknown>>(
      `SELECT p.id, p.community_id, c.region_id, p.leader_account_id, p.grid_warehouse_id, p.lat, p.lng, w.lat AS wlat, w.lng AS wlng
         FROM pickup_points p JOIN communities c ON c.id = p.community_id LEFT JOIN warehouses w ON w.id = p.grid_warehouse_id
        WHERE c.region_id = ANY ($1::bigint[]) AND p.status = 'active' AND p.leader_account_id IS NOT NULL
        ORDER BY p.id`,
      [regionIds],
    );
    const stores = await conn.query<Record<string, unknown>>(
      `SELECT s.id, s.community_id, s.region_id, s.owner_account_id,
              COALESCE((SELECT min(k.account_id) FROM store_clerks k WHERE k.store_id = s.id), s.owner_account_id) AS till,
              l.id AS location_id
         FROM stores s JOIN stock_locations l ON l.store_id = s.id
        WHERE s.region_id = ANY ($1::bigint[]) AND s.status = 'active' AND s.community_id IS NOT NULL
        ORDER BY s.id`,
      [regionIds],
    );
    const hosts = await conn.query<Record<string, unknown>>(
      `SELECT r.account_id, h.region_id, h.account_id IS NOT NULL AS has_profile
         FROM account_roles r LEFT JOIN host_profiles h ON h.account_id = r.account_id
        WHERE r.role = 'host' ORDER BY r.account_id`,
    );
    // Neighbours only: the people who run points, stores and rooms buy from themselves only
    // when the plan says so (self-orders), never by being drawn as a neighbour.
    const residents = await conn.query<Record<string, unknown>>(
      `SELECT h.account_id, h.community_id, c.region_id
         FROM resident_homes h JOIN communities c ON c.id = h.community_id
        WHERE c.region_id = ANY ($1::bigint[]) AND NOT (h.account_id = ANY ($2::bigint[]))
          AND h.account_id NOT IN (SELECT account_id FROM account_roles WHERE role IN ('leader', 'host', 'store_owner', 'store_clerk', 'operator'))
        ORDER BY c.region_id, h.community_id, h.account_id`,
      [regionIds, excludeBuyers],
    );
    const shelf = await conn.query<Record<string, unknown>>(
      `SELECT rs.region_id, k.id AS sku_id, k.product_id, p.name AS title, k.spec, k.unit, COALESCE(rs.price_fen, k.base_price_fen) AS price
         FROM region_skus rs JOIN skus k ON k.id = rs.sku_id JOIN products p ON p.id = k.product_id
        WHERE rs.region_id = ANY ($1::bigint[]) AND rs.active AND p.status = 'active'
        ORDER BY rs.region_id, k.id`,
      [regionIds],
    );
    const [op] = await conn.query<{ id: number }>(`SELECT min(account_id) AS id FROM account_roles WHERE role = 'operator'`);
    const num = (v: unknown) => Number(v);
    const opt = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    return {
      points: points.map((r) => ({
        id: num(r.id),
        communityId: num(r.community_id),
        regionId: num(r.region_id),
        leaderId: num(r.leader_account_id),
        gridId: opt(r.grid_warehouse_id),
        lat: num(r.lat),
        lng: num(r.lng),
        gridLat: opt(r.wlat),
        gridLng: opt(r.wlng),
      })),
      stores: stores.map((r) => ({
        id: num(r.id),
        communityId: num(r.community_id),
        regionId: num(r.region_id),
        ownerId: num(r.owner_account_id),
        tillId: num(r.till),
        locationId: num(r.location_id),
      })),
      hosts: hosts.map((r) => ({ accountId: num(r.account_id), regionId: opt(r.region_id), hasProfile: r.has_profile === true })),
      residents: residents.map((r) => ({ accountId: num(r.account_id), communityId: num(r.community_id), regionId: num(r.region_id) })),
      shelf: shelf.map((r) => ({
        regionId: num(r.region_id),
        skuId: num(r.sku_id),
        productId: num(r.product_id),
        title: String(r.title),
        spec: String(r.spec),
        unit: String(r.unit),
        priceFen: num(r.price),
      })),
      operatorId: num(op?.id ?? 0),
    };
  }

  /** Profiles for hosts who have none yet (the room's page and the trust score name them). */
  async hostProfiles(conn: Connection, hosts: Array<{ accountId: number; regionId: number }>): Promise<void> {
    if (hosts.length === 0) return;
    await conn.query(
      `INSERT INTO host_profiles (account_id, display_name, persona, region_id, created_at)
       SELECT a.id, a.display_name, '社区直播间，每周几晚带大家看时令好货。', h.region_id, now() - interval '90 days'
         FROM unnest($1::bigint[], $2::bigint[]) AS h(account_id, region_id) JOIN accounts a ON a.id = h.account_id
       ON CONFLICT (account_id) DO NOTHING`,
      [hosts.map((h) => h.accountId), hosts.map((h) => h.regionId)],
    );
  }

  async shareLinks(
    conn: Connection,
    links: Array<{ code: string; accountId: number; actorType: string; actorId: number; targetType: string; targetId: number | null; createdAt: Date }>,
  ): Promise<number> {
    const first = await reserveIds(conn, 'share_links', links.length);
    await insertColumns(
      conn,
      'share_links',
      {
        id: ['bigint', links.map((_, i) => first + i)],
        code: ['text', links.map((l) => l.code)],
        account_id: ['bigint', links.map((l) => l.accountId)],
        actor_type: ['text', links.map((l) => l.actorType)],
        actor_id: ['bigint', links.map((l) => l.actorId)],
        target_type: ['text', links.map((l) => l.targetType)],
        target_id: ['bigint', links.map((l) => l.targetId)],
        created_at: ['timestamptz', links.map((l) => l.createdAt.toISOString())],
      },
      true,
    );
    return first;
  }

  /**
   * One cut-off campaign per district and day (its own stock location, its items with the
   * units on offer filled in once the day is sold), and the wave that delivered it.
   */
  async campaigns(
    conn: Connection,
    rows: Array<{ regionId: number; title: string; startsAt: Date; cutoffAt: Date; pickupDate: string; waveAt: Date }>,
    items: Array<{ campaign: number; skuId: number; priceFen: number; sortOrder: number }>,
    operatorId: number,
  ): Promise<{ campaignBase: number; locationBase: number; waveBase: number }> {
    const n = rows.length;
    const campaignBase = await reserveIds(conn, 'campaigns', n);
    const locationBase = await reserveIds(conn, 'stock_locations', n);
    const waveBase = await reserveIds(conn, 'waves', n);
    const ids = rows.map((_, i) => campaignBase + i);
    await insertColumns(
      conn,
      'campaigns',
      {
        id: ['bigint', ids],
        region_id: ['bigint', rows.map((r) => r.regionId)],
        title: ['text', rows.map((r) => r.title)],
        status: ['text', rows.map(() => 'cut_off')],
        starts_at: ['timestamptz', rows.map((r) => r.startsAt.toISOString())],
        cutoff_at: ['timestamptz', rows.map((r) => r.cutoffAt.toISOString())],
        pickup_date: ['date', rows.map((r) => r.pickupDate)],
        created_by: ['bigint', rows.map(() => operatorId)],
        created_at: ['timestamptz', rows.map((r) => new Date(r.startsAt.getTime() - 86_400_000).toISOString())],
        updated_at: ['timestamptz', rows.map((r) => r.cutoffAt.toISOString())],
      },
      true,
    );
    await insertColumns(
      conn,
      'stock_locations',
      { id: ['bigint', rows.map((_, i) => locationBase + i)], kind: ['text', rows.map(() => 'campaign')], campaign_id: ['bigint', ids] },
      true,
    );
    await insertColumns(conn, 'campaign_items', {
      campaign_id: ['bigint', items.map((it) => campaignBase + it.campaign)],
      sku_id: ['bigint', items.map((it) => it.skuId)],
      group_price_fen: ['int', items.map((it) => it.priceFen)],
      limit_per_person: ['int', items.map(() => 5)],
      // Filled in once the day is sold (history-day.repo.ts); an item nobody bought keeps a few.
      stock: ['int', items.map(() => 6)],
      sort_order: ['int', items.map((it) => it.sortOrder)],
    });
    // campaign_ids is an array column: built in SQL, one campaign per wave.
    await conn.query(
      `INSERT INTO waves (id, region_id, pickup_date, status, campaign_ids, created_at) OVERRIDING SYSTEM VALUE
       SELECT w.id, w.region_id, w.pickup_date, 'dispatched', ARRAY[w.campaign_id], w.created_at
         FROM unnest($1::bigint[], $2::bigint[], $3::date[], $4::bigint[], $5::timestamptz[]) AS w(id, region_id, pickup_date, campaign_id, created_at)`,
      [rows.map((_, i) => waveBase + i), rows.map((r) => r.regionId), rows.map((r) => r.pickupDate), ids, rows.map((r) => r.waveAt.toISOString())],
    );
    return { campaignBase, locationBase, waveBase };
  }

  /** The evenings' ended live sessions, each with its stock location and product bag. */
  async sessions(
    conn: Connection,
    rows: Array<{ hostId: number; regionId: number; title: string; startAt: Date; endAt: Date; n: number }>,
    bag: Array<{ session: number; skuId: number; priceFen: number; position: number }>,
  ): Promise<{ sessionBase: number; locationBase: number }> {
    const sessionBase = await reserveIds(conn, 'live_sessions', rows.length);
    const locationBase = await reserveIds(conn, 'stock_locations', rows.length);
    const ids = rows.map((_, i) => sessionBase + i);
    await insertColumns(
      conn,
      'live_sessions',
      {
        id: ['bigint', ids],
        host_account_id: ['bigint', rows.map((r) => r.hostId)],
        region_id: ['bigint', rows.map((r) => r.regionId)],
        title: ['text', rows.map((r) => r.title)],
        stream_url: ['text', rows.map((r) => `https://live.example.com/linli/history-${r.n}.m3u8`)],
        recording_url: ['text', rows.map((r) => `https://live.example.com/linli/history-${r.n}.mp4`)],
        scheduled_at: ['timestamptz', rows.map((r) => r.startAt.toISOString())],
        started_at: ['timestamptz', rows.map((r) => r.startAt.toISOString())],
        ended_at: ['timestamptz', rows.map((r) => r.endAt.toISOString())],
        status: ['text', rows.map(() => 'ended')],
        created_at: ['timestamptz', rows.map((r) => new Date(r.startAt.getTime() - 2 * 86_400_000).toISOString())],
      },
      true,
    );
    await insertColumns(
      conn,
      'stock_locations',
      { id: ['bigint', rows.map((_, i) => locationBase + i)], kind: ['text', rows.map(() => 'live_session')], live_session_id: ['bigint', ids] },
      true,
    );
    await insertColumns(conn, 'live_bag_items', {
      session_id: ['bigint', bag.map((b) => sessionBase + b.session)],
      sku_id: ['bigint', bag.map((b) => b.skuId)],
      position: ['int', bag.map((b) => b.position)],
      live_price_fen: ['int', bag.map((b) => b.priceFen)],
      allotted: ['int', bag.map(() => 4)],
    });
    return { sessionBase, locationBase };
  }

  /**
   * The session-local tables the order statements join: actors with their behaviour, the
   * residents they draw buyers from, what is on offer where, the campaigns and routes.
   * `pg_temp.hist_u` is the one source of randomness: a hash of (key, salt) in [0, 1).
   */
  async createScratch(conn: Connection): Promise<void> {
    await this.dropScratch(conn);
    await conn.exec(`
      CREATE FUNCTION pg_temp.hist_u(k bigint, salt bigint) RETURNS float8 LANGUAGE sql IMMUTABLE
        AS $$ SELECT (hashint8extended(k, salt) & 2147483647)::float8 / 2147483648.0 $$;
      -- When a point's leader signed for the day's goods: 07:30–08:10, two hours later at a
      -- struggling point. Used for the shortage refunds, the pickups and the hand-off alike.
      CREATE FUNCTION pg_temp.hist_arrival(point_id bigint, d int, salt bigint, day_start timestamptz, bad float8) RETURNS timestamptz
        LANGUAGE sql IMMUTABLE
        AS $$ SELECT day_start + interval '31 hours 30 minutes'
                     + floor(pg_temp.hist_u(point_id * 1000 + d, salt) * 40) * interval '1 minute'
                     + CASE WHEN bad > 0.5 THEN interval '2 hours' ELSE interval '0' END $$;
      CREATE TEMP TABLE hist_points (idx int PRIMARY KEY, id bigint UNIQUE, community_id bigint, region_id bigint, ri int, leader bigint, grid bigint,
        route_no int, route_seq int, res_start int, res_count int, bad float8, late float8, after float8, short float8, self float8,
        loyal float8, vpo float8, link_id bigint);
      CREATE TEMP TABLE hist_stores (idx int PRIMARY KEY, id bigint, community_id bigint, region_id bigint, ri int, owner bigint, till bigint,
        location_id bigint, res_start int, res_count int, bad float8, after float8, self float8, loyal float8, vpo float8, link_id bigint);
      CREATE TEMP TABLE hist_hosts (idx int PRIMARY KEY, account_id bigint, region_id bigint, res_start int, res_count int, bad float8,
        after float8, self float8, loyal float8, vpo float8, link_id bigint);
      CREATE TEMP TABLE hist_sessions (idx int PRIMARY KEY, id bigint, host_idx int, day int, start_at timestamptz, location_id bigint);
      CREATE TEMP TABLE hist_residents (idx int PRIMARY KEY, account_id bigint, community_id bigint);
      CREATE TEMP TABLE hist_offers (kind int, key int, j int, sku_id bigint, product_id bigint, title text, spec text, unit text, price int,
        PRIMARY KEY (kind, key, j));
      CREATE TEMP TABLE hist_campaigns (idx int PRIMARY KEY, ri int, day int, id bigint UNIQUE, location_id bigint, wave_id bigint, UNIQUE (ri, day));
      CREATE TEMP TABLE hist_routes (route_no int PRIMARY KEY, grid bigint, distance_m int);
    `);
  }

  async dropScratch(conn: Connection): Promise<void> {
    await conn.exec(`
      DROP FUNCTION IF EXISTS pg_temp.hist_arrival(bigint, int, bigint, timestamptz, float8);
      DROP FUNCTION IF EXISTS pg_temp.hist_u(bigint, bigint);
      DROP TABLE IF EXISTS hist_points, hist_stores, hist_hosts, hist_sessions, hist_residents, hist_offers, hist_campaigns, hist_routes,
        hist_batch, hist_lines, hist_tot, hist_as, hist_refunds, hist_wave_lines, hist_live_sold, hist_stop_skus, hist_stops, hist_day_routes;
    `);
  }

  async fillScratch(conn: Connection, table: string, columns: Record<string, Column>): Promise<void> {
    await insertColumns(conn, table, columns);
    await conn.exec(`ANALYZE ${table}`);
  }
}
