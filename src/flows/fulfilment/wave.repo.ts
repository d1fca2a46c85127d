// The cutoff wave's set-based statements. They span campaigns, orders, the catalogue, place
// and the fulfilment tables, which is why they live with the flow rather than in one module:
// a million orders are summed and sorted by a handful of set-based statements, never row by row
// in JavaScript, and nothing is written per order.
import { eq, sql } from 'drizzle-orm';
import { bulkInsert, selectRows, type Executor, type Tx } from '../../db';
import { deliveryRoutes, routeStops, waves, type WaveRow } from '../../modules/fulfilment';
import { DEFAULT_GROUPBUY_SETTINGS } from '../../modules/groupbuy';

// Any constant: the first half of the two-key advisory lock taken per region while a wave runs.
const WAVE_LOCK_KEY = 72_451_105;

export interface WavePoint {
  pickupPointId: number;
  gridWarehouseId: number | null;
  lat: number;
  lng: number;
}

export interface NewRoute {
  gridWarehouseId: number;
  seq: number;
  capacityCrates: number;
  loadCrates: number;
  distanceM: number;
  stops: { pickupPointId: number; crates: number; items: number; orders: number }[];
}

export class WaveRepo {
  async findWave(db: Executor, regionId: number, pickupDate: string): Promise<WaveRow | null> {
    const rows = await selectRows<{ id: number }>(db, sql`SELECT id FROM waves WHERE region_id = ${regionId} AND pickup_date = ${pickupDate}::date`);
    if (!rows[0]) return null;
    return (await db.select().from(waves).where(eq(waves.id, rows[0].id)))[0] ?? null;
  }

  /**
   * PostgreSQL: one wave per region at a time. A second run waits here and then finds the
   * first one's wave; the unique (region_id, pickup_date) is the last line of defence.
   */
  async lockRegion(tx: Tx, regionId: number): Promise<void> {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${WAVE_LOCK_KEY}, ${regionId}::int)`);
  }

  /**
   * PostgreSQL: the wave sorts and groups a few million order lines; the default 4 MB of
   * work memory spills that to disk. Server memory for this one transaction only.
   */
  async roomToSort(tx: Tx): Promise<void> {
    await tx.execute(sql`SET LOCAL work_mem = '128MB'`);
  }

  async regionExists(db: Executor, regionId: number): Promise<boolean> {
    return (await selectRows(db, sql`SELECT 1 FROM regions WHERE id = ${regionId}`)).length > 0;
  }

  /** The region and its counties (a city's wave covers its districts' campaigns). */
  async regionAndChildren(db: Executor, regionId: number): Promise<number[]> {
    const rows = await selectRows<{ id: number }>(db, sql`SELECT id FROM regions WHERE id = ${regionId} OR parent_id = ${regionId} ORDER BY id`);
    return rows.map((r) => r.id);
  }

  /** Published campaigns of these regions for the day whose cutoff has passed, locked. */
  async dueCampaigns(tx: Tx, regionIds: number[], pickupDate: string, now: Date): Promise<number[]> {
    const rows = await selectRows<{ id: number }>(
      tx,
      sql`SELECT id FROM campaigns
          WHERE region_id = ANY(${sql.param(regionIds)}::bigint[]) AND pickup_date = ${pickupDate}::date
            AND status = 'published' AND cutoff_at <= ${now.toISOString()}::timestamptz
          ORDER BY id FOR UPDATE`,
    );
    return rows.map((r) => r.id);
  }

  /**
   * The job's work: (region, day) pairs with a published campaign past its cutoff and no wave
   * yet. A county's campaigns go into its city's wave (the city's warehouses serve it).
   */
  async duePairs(db: Executor, now: Date): Promise<{ regionId: number; pickupDate: string }[]> {
    return selectRows<{ regionId: number; pickupDate: string }>(
      db,
      sql`SELECT DISTINCT COALESCE(r.parent_id, r.id) AS "regionId", to_char(c.pickup_date, 'YYYY-MM-DD') AS "pickupDate"
          FROM campaigns c JOIN regions r ON r.id = c.region_id
          WHERE c.status = 'published' AND c.cutoff_at <= ${now.toISOString()}::timestamptz
            AND NOT EXISTS (SELECT 1 FROM waves w WHERE w.region_id = COALESCE(r.parent_id, r.id) AND w.pickup_date = c.pickup_date)
          ORDER BY 2, 1`,
    );
  }

  /**
   * Van and crate sizes: the region's settings, else its city's, else the defaults — what
   * GroupbuySettingsService.get answers, read here inside the wave's transaction because on
   * PGlite (one connection) a read outside an open transaction waits for it forever.
   */
  async vanSettings(db: Executor, regionId: number): Promise<{ vanCapacityCrates: number; itemsPerCrate: number }> {
    const rows = await selectRows<{ vanCapacityCrates: number; itemsPerCrate: number }>(
      db,
      sql`SELECT van_capacity_crates AS "vanCapacityCrates", items_per_crate AS "itemsPerCrate" FROM groupbuy_settings
          WHERE region_id = ${regionId} OR region_id = (SELECT parent_id FROM regions WHERE id = ${regionId})
          ORDER BY (region_id = ${regionId}) DESC LIMIT 1`,
    );
    const { vanCapacityCrates, itemsPerCrate } = DEFAULT_GROUPBUY_SETTINGS;
    return rows[0] ?? { vanCapacityCrates, itemsPerCrate };
  }

  /** The central warehouse purchase orders are delivered to: the region's, else its parent's. */
  async centralWarehouse(db: Executor, regionId: number): Promise<number | null> {
    const rows = await selectRows<{ id: number }>(
      db,
      sql`SELECT w.id FROM warehouses w
          WHERE w.kind = 'central'
            AND (w.region_id = ${regionId} OR w.region_id = (SELECT parent_id FROM regions WHERE id = ${regionId}))
          ORDER BY (w.region_id = ${regionId}) DESC, w.id LIMIT 1`,
    );
    return rows[0]?.id ?? null;
  }

  async insertWave(tx: Tx, regionId: number, pickupDate: string, campaignIds: number[]): Promise<number | null> {
    const rows = await selectRows<{ id: number }>(
      tx,
      sql`INSERT INTO waves (region_id, pickup_date, campaign_ids)
          VALUES (${regionId}, ${pickupDate}::date, ${sql.param(campaignIds)}::bigint[])
          ON CONFLICT (region_id, pickup_date) DO NOTHING RETURNING id`,
    );
    return rows[0]?.id ?? null;
  }

  async cutOff(tx: Tx, campaignIds: number[]): Promise<void> {
    await tx.execute(sql`UPDATE campaigns SET status = 'cut_off', updated_at = now() WHERE id = ANY(${sql.param(campaignIds)}::bigint[]) AND status = 'published'`);
  }

  async unpaidOrderIds(tx: Tx, campaignIds: number[]): Promise<number[]> {
    const rows = await selectRows<{ id: number }>(
      tx,
      sql`SELECT id FROM orders WHERE status = 'pending_payment' AND campaign_id = ANY(${sql.param(campaignIds)}::bigint[]) ORDER BY id`,
    );
    return rows.map((r) => r.id);
  }

  /**
   * The wave's demand, aggregated once: units still owed (ordered minus refunded) per pickup
   * point × SKU over the paid orders of the campaigns (not refunded in full, with a pickup
   * point), and the number of orders with the SKU. Checkout merges lines per SKU, so an order
   * has at most one line of a SKU and count(*) counts orders. Kept in a temporary table
   * (not WAL-logged, dropped at commit) from which the sorting lists, the purchase orders and
   * the routes' demands are all derived. Nothing is written to the orders themselves: the
   * campaign's cutoff is what freezes them (see docs/groupbuy.md). Answers each point's units
   * and line count.
   */
  async aggregateDemand(tx: Tx, campaignIds: number[]): Promise<{ pickupPointId: number; items: number; lines: number }[]> {
    await tx.execute(
      sql`CREATE TEMP TABLE wave_demand ON COMMIT DROP AS
          SELECT o.pickup_point_id, ol.sku_id, sum(ol.quantity - ol.refunded_quantity)::int AS quantity, count(*)::int AS orders
          FROM orders o JOIN order_lines ol ON ol.order_id = o.id
          WHERE o.campaign_id = ANY(${sql.param(campaignIds)}::bigint[]) AND o.status = 'paid'
            AND o.refunded_fen < o.paid_fen AND o.pickup_point_id IS NOT NULL
            AND ol.quantity > ol.refunded_quantity
          GROUP BY o.pickup_point_id, ol.sku_id`,
    );
    return selectRows(
      tx,
      sql`SELECT pickup_point_id AS "pickupPointId", sum(quantity)::int AS items, count(*)::int AS lines
          FROM wave_demand GROUP BY 1 ORDER BY 1`,
    );
  }

  /** Orders per pickup point in the wave: the paid orders of the campaigns, as aggregateDemand reads them. */
  async ordersPerPoint(tx: Tx, campaignIds: number[]): Promise<{ pickupPointId: number; orders: number }[]> {
    return selectRows(
      tx,
      sql`SELECT pickup_point_id AS "pickupPointId", count(*)::int AS orders FROM orders
          WHERE campaign_id = ANY(${sql.param(campaignIds)}::bigint[]) AND status = 'paid'
            AND refunded_fen < paid_fen AND pickup_point_id IS NOT NULL
          GROUP BY 1`,
    );
  }

  /**
   * The points being delivered to, with the grid warehouse that serves each. A point with
   * none is given the nearest grid warehouse of the region, its counties or its city (by
   * equirectangular distance, ample within a city), ties to the lower id; null if there is none.
   */
  async pointsWithGrid(tx: Tx, regionId: number, pointIds: number[]): Promise<WavePoint[]> {
    return selectRows<WavePoint>(
      tx,
      sql`WITH grids AS (
            SELECT w.id, w.lat, w.lng FROM warehouses w
            WHERE w.kind = 'grid' AND w.region_id IN (
              SELECT id FROM regions WHERE id = ${regionId} OR parent_id = ${regionId}
              UNION SELECT parent_id FROM regions WHERE id = ${regionId} AND parent_id IS NOT NULL))
          SELECT pp.id AS "pickupPointId", pp.lat, pp.lng,
                 COALESCE(pp.grid_warehouse_id, (
                   SELECT g.id FROM grids g
                   ORDER BY (g.lat - pp.lat) ^ 2 + ((g.lng - pp.lng) * cos(radians(pp.lat))) ^ 2, g.id LIMIT 1)) AS "gridWarehouseId"
          FROM pickup_points pp WHERE pp.id = ANY(${sql.param(pointIds)}::bigint[])
          ORDER BY pp.id`,
    );
  }

  /**
   * Sorting lists and purchase orders, both from the wave's demand (see aggregateDemand), in
   * one statement, so that all of it runs in the server while the routes are planned here.
   *
   * Sorting lists: one row per pickup point with its grid warehouse and its lines as parallel
   * arrays. The three aggregates of a group see its rows in the same order, so element i of
   * each is one line; not sorted by SKU (sorting 1.5 million lines cost half a second at a
   * million orders): readers sort after unnesting.
   *
   * Purchase orders: the demand summed per SKU, one order per supplier of the SKU's product
   * (null supplier: bought by the operator directly), all delivered to one central warehouse.
   * The demand includes the units still owed on the stores' paid replenishment orders of the
   * region (and its counties) due on the wave's day (delivery day as replenishment.repo.ts
   * writes it, else the day after the order's): the central warehouse sold them to the store,
   * so the supplier must deliver them too. They are not in the sorting lists (no pickup point).
   *
   * Answers how many purchase orders and lines were written and how long the server took
   * (the statement's own clock: the caller's thread is busy planning meanwhile).
   */
  async writeListsAndOrders(
    tx: Tx,
    waveId: number,
    points: { pickupPointId: number; gridWarehouseId: number }[],
    centralWarehouseId: number,
    restock: { regionIds: number[]; pickupDate: string } | null = null,
  ): Promise<{ orders: number; lines: number; ms: number }> {
    const replenishment = restock
      ? sql`UNION ALL
            SELECT ol.sku_id, ol.quantity - ol.refunded_quantity
            FROM orders o JOIN order_lines ol ON ol.order_id = o.id
            LEFT JOIN replenishment_orders ro ON ro.order_id = o.id
            WHERE o.channel = 'replenishment' AND o.status = 'paid' AND o.refunded_fen < o.paid_fen
              AND o.region_id = ANY(${sql.param(restock.regionIds)}::bigint[])
              AND COALESCE(ro.delivery_date, ((o.created_at AT TIME ZONE 'UTC') + interval '8 hours')::date + 1) = ${restock.pickupDate}::date
              AND ol.quantity > ol.refunded_quantity`
      : sql``;
    const rows = await selectRows<{ orders: number; lines: number; ms: number }>(
      tx,
      sql`WITH lists AS (
            INSERT INTO sort_lists (wave_id, pickup_point_id, grid_warehouse_id, sku_ids, quantities, orders)
            SELECT ${waveId}::bigint, d.pickup_point_id, pts.grid, array_agg(d.sku_id), array_agg(d.quantity), array_agg(d.orders)
            FROM wave_demand d
            JOIN unnest(${sql.param(points.map((p) => p.pickupPointId))}::bigint[], ${sql.param(points.map((p) => p.gridWarehouseId))}::bigint[]) AS pts(id, grid)
              ON pts.id = d.pickup_point_id
            GROUP BY d.pickup_point_id, pts.grid
            RETURNING 1),
          per_sku AS (
            SELECT sku_id, sum(quantity)::int AS quantity
            FROM (SELECT sku_id, quantity FROM wave_demand ${replenishment}) d
            GROUP BY sku_id),
          demand AS (
            SELECT p.supplier_id, d.sku_id, d.quantity
            FROM per_sku d JOIN skus k ON k.id = d.sku_id JOIN products p ON p.id = k.product_id),
          pos AS (
            INSERT INTO purchase_orders (wave_id, supplier_id, central_warehouse_id)
            SELECT DISTINCT ${waveId}::bigint, supplier_id, ${centralWarehouseId}::bigint FROM demand
            RETURNING id, supplier_id),
          lines AS (
            INSERT INTO purchase_order_lines (purchase_order_id, sku_id, quantity)
            SELECT pos.id, d.sku_id, d.quantity FROM demand d JOIN pos ON pos.supplier_id IS NOT DISTINCT FROM d.supplier_id
            RETURNING purchase_order_id),
          -- OFFSET 0 keeps this a subquery evaluated before the clock below is read.
          counted AS (
            SELECT (SELECT count(*) FROM lists) AS lists, (SELECT count(*) FROM pos)::int AS orders, (SELECT count(*) FROM lines)::int AS lines OFFSET 0)
          SELECT orders, lines, round(extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000)::int AS ms FROM counted`,
    );
    return rows[0]!;
  }

  async gridWarehouses(db: Executor, ids: number[]): Promise<{ id: number; name: string; lat: number; lng: number }[]> {
    if (ids.length === 0) return [];
    return selectRows(db, sql`SELECT id, name, lat, lng FROM warehouses WHERE id = ANY(${sql.param(ids)}::bigint[]) ORDER BY id`);
  }

  async insertRoutes(tx: Tx, waveId: number, routes: NewRoute[]): Promise<number> {
    const inserted = await bulkInsert(
      tx,
      deliveryRoutes,
      routes.map((r) => ({
        waveId,
        gridWarehouseId: r.gridWarehouseId,
        seq: r.seq,
        capacityCrates: r.capacityCrates,
        loadCrates: r.loadCrates,
        distanceM: r.distanceM,
      })),
    );
    const idOf = new Map(inserted.map((r) => [`${r.gridWarehouseId}:${r.seq}`, r.id]));
    const stops = routes.flatMap((r) => {
      const routeId = idOf.get(`${r.gridWarehouseId}:${r.seq}`)!;
      return r.stops.map((s, i) => ({ routeId, seq: i + 1, ...s }));
    });
    await bulkInsert(tx, routeStops, stops);
    return stops.length;
  }

  async finish(
    tx: Tx,
    waveId: number,
    f: { orders: number; items: number; purchaseOrders: number; sortLines: number; routes: number; stops: number; routePlanner: string; timings: Record<string, number> },
  ): Promise<WaveRow> {
    return (await tx.update(waves).set(f).where(eq(waves.id, waveId)).returning())[0]!;
  }
}
