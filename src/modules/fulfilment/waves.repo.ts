// Reading what a cutoff wave produced (the wave row, purchase orders, sorting lines, routes and
// their stops) and the few writes on them outside the wave itself (assigning a driver). The
// wave's own set-based statements live with the flow that runs it (src/flows/fulfilment).
import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import { selectRows, type Executor } from '../../db';
import { deliveryRoutes, waves } from './fulfilment.schema';

export type WaveRow = typeof waves.$inferSelect;
export type RouteRow = typeof deliveryRoutes.$inferSelect;

export interface PurchaseOrderLineRow {
  purchaseOrderId: number;
  status: string;
  supplierId: number | null;
  supplierName: string | null;
  centralWarehouseId: number;
  centralWarehouseName: string;
  skuId: number;
  title: string;
  spec: string;
  unit: string;
  quantity: number;
  receivedQuantity: number | null;
  damagedQuantity: number | null;
}

export interface RouteHeadRow {
  id: number;
  waveId: number;
  seq: number;
  gridWarehouseId: number;
  gridWarehouseName: string;
  gridWarehouseLat: number;
  gridWarehouseLng: number;
  capacityCrates: number;
  loadCrates: number;
  distanceM: number;
  status: string;
  driverAccountId: number | null;
  driverName: string | null;
}

export interface StopRow {
  routeId: number;
  seq: number;
  pickupPointId: number;
  name: string;
  address: string;
  lat: number;
  lng: number;
  crates: number;
  items: number;
  orders: number;
}

export interface SortLineRow {
  gridWarehouseId: number;
  pickupPointId: number;
  skuId: number;
  title: string;
  spec: string;
  unit: string;
  quantity: number;
  orders: number;
}

const routeHead = (where: SQL) => sql`
  SELECT r.id, r.wave_id AS "waveId", r.seq, r.grid_warehouse_id AS "gridWarehouseId", w.name AS "gridWarehouseName",
         w.lat AS "gridWarehouseLat", w.lng AS "gridWarehouseLng", r.capacity_crates AS "capacityCrates",
         r.load_crates AS "loadCrates", r.distance_m AS "distanceM", r.status, r.driver_account_id AS "driverAccountId",
         a.display_name AS "driverName"
  FROM delivery_routes r
  JOIN warehouses w ON w.id = r.grid_warehouse_id
  LEFT JOIN accounts a ON a.id = r.driver_account_id
  WHERE ${where}
  ORDER BY r.wave_id, w.name, r.grid_warehouse_id, r.seq`;

export class WavesRepo {
  async find(db: Executor, id: number): Promise<WaveRow | null> {
    return (await db.select().from(waves).where(eq(waves.id, id)).limit(1))[0] ?? null;
  }

  async list(db: Executor, regionId: number | undefined, beforeId: number | null, limit: number): Promise<WaveRow[]> {
    const conds: SQL[] = [];
    if (regionId !== undefined) conds.push(eq(waves.regionId, regionId));
    if (beforeId !== null) conds.push(lt(waves.id, beforeId));
    return db
      .select()
      .from(waves)
      .where(conds.length ? and(...conds) : undefined)
      .orderBy(desc(waves.id))
      .limit(limit);
  }

  async purchaseOrderLines(db: Executor, waveId: number): Promise<PurchaseOrderLineRow[]> {
    return selectRows<PurchaseOrderLineRow>(
      db,
      sql`SELECT po.id AS "purchaseOrderId", po.status, po.supplier_id AS "supplierId", s.name AS "supplierName",
                 po.central_warehouse_id AS "centralWarehouseId", w.name AS "centralWarehouseName",
                 l.sku_id AS "skuId", p.name AS title, k.spec, k.unit, l.quantity,
                 l.received_quantity AS "receivedQuantity", l.damaged_quantity AS "damagedQuantity"
          FROM purchase_orders po
          LEFT JOIN suppliers s ON s.id = po.supplier_id
          JOIN warehouses w ON w.id = po.central_warehouse_id
          JOIN purchase_order_lines l ON l.purchase_order_id = po.id
          JOIN skus k ON k.id = l.sku_id
          JOIN products p ON p.id = k.product_id
          WHERE po.wave_id = ${waveId}
          ORDER BY po.id, l.sku_id`,
    );
  }

  async routesOfWave(db: Executor, waveId: number, gridWarehouseId?: number): Promise<RouteHeadRow[]> {
    const where = gridWarehouseId === undefined ? sql`r.wave_id = ${waveId}` : sql`r.wave_id = ${waveId} AND r.grid_warehouse_id = ${gridWarehouseId}`;
    return selectRows<RouteHeadRow>(db, routeHead(where));
  }

  async routesByIds(db: Executor, ids: number[]): Promise<RouteHeadRow[]> {
    if (ids.length === 0) return [];
    return selectRows<RouteHeadRow>(db, routeHead(sql`r.id = ANY(${sql.param(ids)}::bigint[])`));
  }

  async findRoute(db: Executor, id: number): Promise<RouteRow | null> {
    return (await db.select().from(deliveryRoutes).where(eq(deliveryRoutes.id, id)).limit(1))[0] ?? null;
  }

  async stopsOf(db: Executor, routeIds: number[]): Promise<StopRow[]> {
    if (routeIds.length === 0) return [];
    return selectRows<StopRow>(
      db,
      sql`SELECT s.route_id AS "routeId", s.seq, s.pickup_point_id AS "pickupPointId", pp.name, pp.address, pp.lat, pp.lng,
                 s.crates, s.items, s.orders
          FROM route_stops s JOIN pickup_points pp ON pp.id = s.pickup_point_id
          WHERE s.route_id = ANY(${sql.param(routeIds)}::bigint[])
          ORDER BY s.route_id, s.seq`,
    );
  }

  /**
   * Sorting lines of a wave with the SKU's names; optionally one grid warehouse's or some
   * points'. A point's list is one sort_lists row whose arrays are unnested here into lines.
   */
  async sortLines(db: Executor, waveId: number, f: { gridWarehouseId?: number; pickupPointIds?: number[] } = {}): Promise<SortLineRow[]> {
    const conds = [sql`sl.wave_id = ${waveId}`];
    if (f.gridWarehouseId !== undefined) conds.push(sql`sl.grid_warehouse_id = ${f.gridWarehouseId}`);
    if (f.pickupPointIds) conds.push(sql`sl.pickup_point_id = ANY(${sql.param(f.pickupPointIds)}::bigint[])`);
    return selectRows<SortLineRow>(
      db,
      sql`SELECT sl.grid_warehouse_id AS "gridWarehouseId", sl.pickup_point_id AS "pickupPointId", u.sku_id AS "skuId",
                 p.name AS title, k.spec, k.unit, u.quantity, u.orders
          FROM sort_lists sl
          CROSS JOIN LATERAL unnest(sl.sku_ids, sl.quantities, sl.orders) AS u(sku_id, quantity, orders)
          JOIN skus k ON k.id = u.sku_id JOIN products p ON p.id = k.product_id
          WHERE ${sql.join(conds, sql` AND `)}
          ORDER BY sl.pickup_point_id, u.sku_id`,
    );
  }

  /** Routes driven by `accountId` whose wave delivers on `pickupDate`. */
  async routeIdsOfDriver(db: Executor, accountId: number, pickupDate: string): Promise<number[]> {
    const rows = await selectRows<{ id: number }>(
      db,
      sql`SELECT r.id FROM delivery_routes r JOIN waves wv ON wv.id = r.wave_id
          WHERE r.driver_account_id = ${accountId} AND wv.pickup_date = ${pickupDate}::date ORDER BY r.id`,
    );
    return rows.map((r) => r.id);
  }

  async setDriver(db: Executor, routeId: number, driverAccountId: number): Promise<void> {
    await db.update(deliveryRoutes).set({ driverAccountId }).where(eq(deliveryRoutes.id, routeId));
  }
}
