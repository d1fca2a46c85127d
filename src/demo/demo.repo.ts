// All SQL of the demo seeder. Each table is written by ONE statement,
//   INSERT … SELECT * FROM unnest($1::bigint[], $2::text[], …)
// with one array parameter per column: the statement text and the parameter count stay the
// same however many rows there are (no 65 535-parameter limit, no chunking), and both PGlite
// and PostgreSQL insert ~6 000 accounts in tens of milliseconds. Everything runs in one
// transaction, so a failed seed leaves an empty database rather than half a city.
import type { Connection, Database } from '../db';
import type { DemoCity } from './city';

/** Serialises concurrent seeders (two app instances starting on one PostgreSQL). */
const SEED_LOCK_KEY = 0x6c696e6c; // "linl"

/** Tables with identity ids the generator numbers itself. */
const ID_TABLES = [
  'regions',
  'communities',
  'warehouses',
  'accounts',
  'pickup_points',
  'stores',
  'categories',
  'suppliers',
  'products',
  'skus',
  'stock_locations',
] as const;
export type IdTable = (typeof ID_TABLES)[number];
/** How far the generator's 1-based ids were shifted per table when written. */
export type IdOffsets = Record<IdTable, number>;

type Column = readonly [pgType: string, values: readonly unknown[]];

async function insertRows(conn: Connection, table: string, columns: Record<string, Column>, explicitIds: boolean): Promise<void> {
  const names = Object.keys(columns);
  const casts = names.map((n, i) => `$${i + 1}::${columns[n]![0]}[]`);
  // Table and column names come from this file, never from input.
  const sql =
    `INSERT INTO ${table} (${names.join(', ')})` +
    (explicitIds ? ' OVERRIDING SYSTEM VALUE' : '') +
    ` SELECT * FROM unnest(${casts.join(', ')})`;
  await conn.query(
    sql,
    names.map((n) => columns[n]![1]),
  );
}

export class DemoRepo {
  async hasRegions(db: Database): Promise<boolean> {
    const rows = await db.query<{ x: number }>('SELECT 1 AS x FROM regions LIMIT 1');
    return rows.length > 0;
  }

  /**
   * Write the city unless some region exists by the time the lock is held; returns the id
   * offsets it wrote with, or null when it wrote nothing. Generated ids are shifted past any rows already present (an operator may have
   * opened accounts before seeding), and identity sequences are moved past the new rows.
   */
  async insertCity(db: Database, city: DemoCity, passwordHash: string): Promise<IdOffsets | null> {
    return db.withConnection(async (conn) => {
      await conn.exec('BEGIN');
      try {
        await conn.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK_KEY]);
        if ((await conn.query('SELECT 1 FROM regions LIMIT 1')).length > 0) {
          await conn.exec('ROLLBACK');
          return null;
        }
        const taken = await conn.query<{ phone: string }>('SELECT phone FROM accounts WHERE phone = ANY($1::text[])', [
          city.accounts.map((a) => a.phone),
        ]);
        if (taken.length > 0) {
          const sample = taken
            .slice(0, 5)
            .map((r) => r.phone)
            .join(', ');
          throw new Error(`cannot seed the demo city: phone numbers already registered (${sample})`);
        }
        const off = await this.maxIds(conn);
        await this.writeAll(conn, city, passwordHash, off);
        for (const t of ID_TABLES) {
          await conn.query(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT max(id) FROM ${t}))`);
        }
        await conn.exec('COMMIT');
        return off;
      } catch (e) {
        await conn.exec('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
  }

  private async maxIds(conn: Connection): Promise<IdOffsets> {
    const sql = ID_TABLES.map((t) => `(SELECT coalesce(max(id), 0) FROM ${t})::int AS ${t}`).join(', ');
    const [row] = await conn.query<IdOffsets>(`SELECT ${sql}`);
    return row!;
  }

  private async writeAll(conn: Connection, c: DemoCity, passwordHash: string, off: IdOffsets): Promise<void> {
    const shift = (ids: readonly (number | null)[], by: number) => ids.map((id) => (id === null ? null : id + by));

    await insertRows(
      conn,
      'regions',
      {
        id: ['bigint', shift(c.regions.map((r) => r.id), off.regions)],
        parent_id: ['bigint', shift(c.regions.map((r) => r.parentId), off.regions)],
        kind: ['text', c.regions.map((r) => r.kind)],
        name: ['text', c.regions.map((r) => r.name)],
        code: ['text', c.regions.map((r) => r.code)],
      },
      true,
    );
    await insertRows(
      conn,
      'communities',
      {
        id: ['bigint', shift(c.communities.map((r) => r.id), off.communities)],
        region_id: ['bigint', shift(c.communities.map((r) => r.regionId), off.regions)],
        name: ['text', c.communities.map((r) => r.name)],
        address: ['text', c.communities.map((r) => r.address)],
        lat: ['float8', c.communities.map((r) => r.lat)],
        lng: ['float8', c.communities.map((r) => r.lng)],
        h3_cell: ['text', c.communities.map((r) => r.h3Cell)],
        households: ['int', c.communities.map((r) => r.households)],
      },
      true,
    );
    await insertRows(
      conn,
      'warehouses',
      {
        id: ['bigint', shift(c.warehouses.map((r) => r.id), off.warehouses)],
        region_id: ['bigint', shift(c.warehouses.map((r) => r.regionId), off.regions)],
        kind: ['text', c.warehouses.map((r) => r.kind)],
        name: ['text', c.warehouses.map((r) => r.name)],
        address: ['text', c.warehouses.map((r) => r.address)],
        lat: ['float8', c.warehouses.map((r) => r.lat)],
        lng: ['float8', c.warehouses.map((r) => r.lng)],
        central_warehouse_id: ['bigint', shift(c.warehouses.map((r) => r.centralWarehouseId), off.warehouses)],
      },
      true,
    );
    // Every demo account shares one password hash: see hashing in index.ts.
    await insertRows(
      conn,
      'accounts',
      {
        id: ['bigint', shift(c.accounts.map((r) => r.id), off.accounts)],
        phone: ['text', c.accounts.map((r) => r.phone)],
        display_name: ['text', c.accounts.map((r) => r.displayName)],
        password_hash: ['text', c.accounts.map(() => passwordHash)],
      },
      true,
    );
    await insertRows(
      conn,
      'account_roles',
      {
        account_id: ['bigint', shift(c.accountRoles.map((r) => r.accountId), off.accounts)],
        role: ['text', c.accountRoles.map((r) => r.role)],
      },
      false,
    );
    await insertRows(
      conn,
      'resident_homes',
      {
        account_id: ['bigint', shift(c.residentHomes.map((r) => r.accountId), off.accounts)],
        community_id: ['bigint', shift(c.residentHomes.map((r) => r.communityId), off.communities)],
      },
      false,
    );
    await insertRows(
      conn,
      'pickup_points',
      {
        id: ['bigint', shift(c.pickupPoints.map((r) => r.id), off.pickup_points)],
        community_id: ['bigint', shift(c.pickupPoints.map((r) => r.communityId), off.communities)],
        leader_account_id: ['bigint', shift(c.pickupPoints.map((r) => r.leaderAccountId), off.accounts)],
        grid_warehouse_id: ['bigint', shift(c.pickupPoints.map((r) => r.gridWarehouseId), off.warehouses)],
        name: ['text', c.pickupPoints.map((r) => r.name)],
        address: ['text', c.pickupPoints.map((r) => r.address)],
        lat: ['float8', c.pickupPoints.map((r) => r.lat)],
        lng: ['float8', c.pickupPoints.map((r) => r.lng)],
        opens_at: ['text', c.pickupPoints.map((r) => r.opensAt)],
        closes_at: ['text', c.pickupPoints.map((r) => r.closesAt)],
        capacity: ['int', c.pickupPoints.map((r) => r.capacity)],
      },
      true,
    );
    await insertRows(
      conn,
      'stores',
      {
        id: ['bigint', shift(c.stores.map((r) => r.id), off.stores)],
        region_id: ['bigint', shift(c.stores.map((r) => r.regionId), off.regions)],
        community_id: ['bigint', shift(c.stores.map((r) => r.communityId), off.communities)],
        owner_account_id: ['bigint', shift(c.stores.map((r) => r.ownerAccountId), off.accounts)],
        grid_warehouse_id: ['bigint', shift(c.stores.map((r) => r.gridWarehouseId), off.warehouses)],
        name: ['text', c.stores.map((r) => r.name)],
        address: ['text', c.stores.map((r) => r.address)],
        lat: ['float8', c.stores.map((r) => r.lat)],
        lng: ['float8', c.stores.map((r) => r.lng)],
        delivery_radius_m: ['int', c.stores.map((r) => r.deliveryRadiusM)],
        opens_at: ['text', c.stores.map((r) => r.opensAt)],
        closes_at: ['text', c.stores.map((r) => r.closesAt)],
      },
      true,
    );
    await insertRows(
      conn,
      'store_clerks',
      {
        store_id: ['bigint', shift(c.storeClerks.map((r) => r.storeId), off.stores)],
        account_id: ['bigint', shift(c.storeClerks.map((r) => r.accountId), off.accounts)],
      },
      false,
    );
    await insertRows(
      conn,
      'categories',
      {
        id: ['bigint', shift(c.categories.map((r) => r.id), off.categories)],
        name: ['text', c.categories.map((r) => r.name)],
        sort_order: ['int', c.categories.map((r) => r.sortOrder)],
      },
      true,
    );
    await insertRows(
      conn,
      'suppliers',
      {
        id: ['bigint', shift(c.suppliers.map((r) => r.id), off.suppliers)],
        name: ['text', c.suppliers.map((r) => r.name)],
        contact_name: ['text', c.suppliers.map((r) => r.contactName)],
        contact_phone: ['text', c.suppliers.map((r) => r.contactPhone)],
      },
      true,
    );
    // image_urls keeps its default '{}': the demo ships no product photos.
    await insertRows(
      conn,
      'products',
      {
        id: ['bigint', shift(c.products.map((r) => r.id), off.products)],
        category_id: ['bigint', shift(c.products.map((r) => r.categoryId), off.categories)],
        supplier_id: ['bigint', shift(c.products.map((r) => r.supplierId), off.suppliers)],
        name: ['text', c.products.map((r) => r.name)],
        description: ['text', c.products.map((r) => r.description)],
      },
      true,
    );
    await insertRows(
      conn,
      'skus',
      {
        id: ['bigint', shift(c.skus.map((r) => r.id), off.skus)],
        product_id: ['bigint', shift(c.skus.map((r) => r.productId), off.products)],
        barcode: ['text', c.skus.map((r) => r.barcode)],
        spec: ['text', c.skus.map((r) => r.spec)],
        unit: ['text', c.skus.map((r) => r.unit)],
        base_price_fen: ['int', c.skus.map((r) => r.basePriceFen)],
      },
      true,
    );
    await insertRows(
      conn,
      'region_skus',
      {
        region_id: ['bigint', shift(c.regionSkus.map((r) => r.regionId), off.regions)],
        sku_id: ['bigint', shift(c.regionSkus.map((r) => r.skuId), off.skus)],
        price_fen: ['int', c.regionSkus.map((r) => r.priceFen)],
        daily_limit_per_person: ['int', c.regionSkus.map((r) => r.dailyLimitPerPerson)],
      },
      false,
    );
    await insertRows(
      conn,
      'stock_locations',
      {
        id: ['bigint', shift(c.stockLocations.map((r) => r.id), off.stock_locations)],
        kind: ['text', c.stockLocations.map((r) => r.kind)],
        warehouse_id: ['bigint', shift(c.stockLocations.map((r) => r.warehouseId), off.warehouses)],
        store_id: ['bigint', shift(c.stockLocations.map((r) => r.storeId), off.stores)],
      },
      true,
    );
    await insertRows(
      conn,
      'stock_levels',
      {
        location_id: ['bigint', shift(c.stockLevels.map((r) => r.locationId), off.stock_locations)],
        sku_id: ['bigint', shift(c.stockLevels.map((r) => r.skuId), off.skus)],
        on_hand: ['int', c.stockLevels.map((r) => r.onHand)],
      },
      false,
    );
  }
}
