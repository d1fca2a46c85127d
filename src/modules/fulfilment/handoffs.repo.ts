// SQL of the hand-offs: the central warehouse receiving a purchase order, a route leaving its
// grid warehouse, a pickup point's leader signing for a wave's goods; the supplier incidents
// they raise; and the few reads of places, SKUs and suppliers those screens need.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { bulkInsert, selectRows, type Executor } from '../../db';
import {
  deliveryRoutes,
  handoffLines,
  handoffs,
  purchaseOrderLines,
  purchaseOrders,
  supplierIncidents,
  waves,
  type HandoffKind,
  type IncidentKind,
  type WaveStatus,
} from './fulfilment.schema';

export type WaveRow = typeof waves.$inferSelect;
export type PurchaseOrderRow = typeof purchaseOrders.$inferSelect;
export type HandoffRow = typeof handoffs.$inferSelect;
export type HandoffLineRow = typeof handoffLines.$inferSelect;
export type RouteRow = typeof deliveryRoutes.$inferSelect;
export type NewIncident = Omit<typeof supplierIncidents.$inferInsert, 'id' | 'createdAt'>;

/** One SKU as the hand-off screens show it. */
export interface SkuInfo {
  skuId: number;
  title: string;
  spec: string;
  unit: string;
  supplierId: number | null;
}

export interface Handoff {
  id: number;
  waveId: number;
  kind: HandoffKind;
  purchaseOrderId: number | null;
  gridWarehouseId: number | null;
  pickupPointId: number | null;
  signedBy: number;
  signedAt: Date;
  note: string;
  lines: { skuId: number; title: string; expected: number; received: number; damaged: number; missing: number }[];
}

export interface PointInfo {
  id: number;
  name: string;
  address: string;
  leaderAccountId: number | null;
  regionId: number;
  gridWarehouseId: number | null;
}

export interface IncidentView {
  id: number;
  supplier: { id: number; name: string } | null;
  waveId: number;
  handoffId: number;
  handoffKind: HandoffKind;
  pickupPointId: number | null;
  skuId: number;
  title: string;
  spec: string;
  kind: IncidentKind;
  quantity: number;
  createdAt: Date;
}

export class HandoffsRepo {
  async getWave(db: Executor, id: number): Promise<WaveRow | null> {
    return (await db.select().from(waves).where(eq(waves.id, id)))[0] ?? null;
  }

  /** Move the wave on, only forward: a late receipt never drags a dispatched wave back. */
  async advanceWave(db: Executor, id: number, from: WaveStatus[], to: WaveStatus): Promise<void> {
    await db.update(waves).set({ status: to }).where(and(eq(waves.id, id), inArray(waves.status, from)));
  }

  async lockPurchaseOrder(db: Executor, id: number): Promise<PurchaseOrderRow | null> {
    return (await db.select().from(purchaseOrders).where(eq(purchaseOrders.id, id)).for('update'))[0] ?? null;
  }

  async purchaseOrderLines(db: Executor, poId: number): Promise<{ skuId: number; quantity: number }[]> {
    return db
      .select({ skuId: purchaseOrderLines.skuId, quantity: purchaseOrderLines.quantity })
      .from(purchaseOrderLines)
      .where(eq(purchaseOrderLines.purchaseOrderId, poId))
      .orderBy(purchaseOrderLines.skuId);
  }

  async markReceived(db: Executor, poId: number, by: number, at: Date, lines: { skuId: number; received: number; damaged: number }[]): Promise<void> {
    for (const l of lines) {
      await db
        .update(purchaseOrderLines)
        .set({ receivedQuantity: l.received, damagedQuantity: l.damaged })
        .where(and(eq(purchaseOrderLines.purchaseOrderId, poId), eq(purchaseOrderLines.skuId, l.skuId)));
    }
    await db.update(purchaseOrders).set({ status: 'received', receivedAt: at, receivedBy: by }).where(eq(purchaseOrders.id, poId));
  }

  async skus(db: Executor, skuIds: number[]): Promise<Map<number, SkuInfo>> {
    if (skuIds.length === 0) return new Map();
    const rows = await selectRows<SkuInfo>(
      db,
      sql`SELECT s.id AS "skuId", p.name AS title, s.spec, s.unit, p.supplier_id AS "supplierId"
          FROM skus s JOIN products p ON p.id = s.product_id
          WHERE s.id = ANY(${sql.param(skuIds)}::bigint[])`,
    );
    return new Map(rows.map((r) => [Number(r.skuId), { ...r, skuId: Number(r.skuId), supplierId: r.supplierId === null ? null : Number(r.supplierId) }]));
  }

  async insertHandoff(db: Executor, row: Omit<typeof handoffs.$inferInsert, 'id'>): Promise<HandoffRow> {
    return (await db.insert(handoffs).values(row).returning())[0]!;
  }

  async insertLines(db: Executor, rows: HandoffLineRow[]): Promise<void> {
    if (rows.length) await bulkInsert(db, handoffLines, rows);
  }

  async insertIncidents(db: Executor, rows: NewIncident[]): Promise<void> {
    if (rows.length) await bulkInsert(db, supplierIncidents, rows);
  }

  async findHandoff(
    db: Executor,
    waveId: number,
    kind: HandoffKind,
    ref: { purchaseOrderId?: number; pickupPointId?: number; gridWarehouseId?: number },
  ): Promise<HandoffRow | null> {
    const conds = [eq(handoffs.waveId, waveId), eq(handoffs.kind, kind)];
    if (ref.purchaseOrderId !== undefined) conds.push(eq(handoffs.purchaseOrderId, ref.purchaseOrderId));
    if (ref.gridWarehouseId !== undefined) conds.push(eq(handoffs.gridWarehouseId, ref.gridWarehouseId));
    if (ref.pickupPointId !== undefined) conds.push(eq(handoffs.pickupPointId, ref.pickupPointId));
    return (await db.select().from(handoffs).where(and(...conds)))[0] ?? null;
  }

  async views(db: Executor, ids: number[]): Promise<Map<number, Handoff>> {
    if (ids.length === 0) return new Map();
    const heads = await db.select().from(handoffs).where(inArray(handoffs.id, ids));
    const lines = await selectRows<{ handoffId: number; skuId: number; title: string; expected: number; received: number; damaged: number }>(
      db,
      sql`SELECT l.handoff_id AS "handoffId", l.sku_id AS "skuId", p.name AS title, l.expected, l.received, l.damaged
          FROM handoff_lines l JOIN skus s ON s.id = l.sku_id JOIN products p ON p.id = s.product_id
          WHERE l.handoff_id = ANY(${sql.param(ids)}::bigint[])
          ORDER BY l.handoff_id, l.sku_id`,
    );
    return new Map(
      heads.map((h) => [
        h.id,
        {
          ...h,
          lines: lines
            .filter((l) => Number(l.handoffId) === h.id)
            .map((l) => ({ skuId: Number(l.skuId), title: l.title, expected: l.expected, received: l.received, damaged: l.damaged, missing: l.expected - l.received })),
        },
      ]),
    );
  }

  async point(db: Executor, id: number): Promise<PointInfo | null> {
    const rows = await selectRows<PointInfo>(
      db,
      sql`SELECT pp.id, pp.name, pp.address, pp.leader_account_id AS "leaderAccountId", c.region_id AS "regionId", pp.grid_warehouse_id AS "gridWarehouseId"
          FROM pickup_points pp JOIN communities c ON c.id = pp.community_id WHERE pp.id = ${id}`,
    );
    return rows[0] ?? null;
  }

  /** The point a leader runs (a leader runs one). */
  async pointOfLeader(db: Executor, accountId: number): Promise<PointInfo | null> {
    const rows = await selectRows<{ id: number }>(db, sql`SELECT id FROM pickup_points WHERE leader_account_id = ${accountId} ORDER BY id LIMIT 1`);
    return rows[0] ? this.point(db, Number(rows[0].id)) : null;
  }

  /**
   * What a wave sent a point, per SKU, and what the point's residents are still owed of it
   * (units not refunded on the point's paid orders of the wave's campaigns). The leader signs
   * for the smaller: goods sent for an order refunded since are not anyone's to collect.
   */
  async expectedAtPoint(db: Executor, waveId: number, pointId: number): Promise<{ skuId: number; sent: number; owed: number }[]> {
    const rows = await selectRows<{ skuId: number; sent: number; owed: number }>(
      db,
      sql`SELECT u.sku_id AS "skuId", u.quantity AS sent,
                 coalesce((SELECT sum(l.quantity - l.refunded_quantity)
                           FROM orders o JOIN order_lines l ON l.order_id = o.id
                           WHERE o.pickup_point_id = sl.pickup_point_id AND o.campaign_id = ANY(w.campaign_ids)
                             AND o.paid_at IS NOT NULL AND l.sku_id = u.sku_id), 0)::int AS owed
          FROM sort_lists sl JOIN waves w ON w.id = sl.wave_id
          CROSS JOIN LATERAL unnest(sl.sku_ids, sl.quantities) AS u(sku_id, quantity)
          WHERE sl.wave_id = ${waveId} AND sl.pickup_point_id = ${pointId}
          ORDER BY u.sku_id`,
    );
    return rows.map((r) => ({ skuId: Number(r.skuId), sent: Number(r.sent), owed: Number(r.owed) }));
  }

  /** What a wave sends one grid warehouse from the central warehouse: its points' lists summed per SKU. */
  async sentToGrid(db: Executor, waveId: number, gridWarehouseId: number): Promise<{ skuId: number; quantity: number }[]> {
    const rows = await selectRows<{ skuId: number; quantity: number }>(
      db,
      sql`SELECT u.sku_id AS "skuId", sum(u.quantity)::int AS quantity
          FROM sort_lists sl CROSS JOIN LATERAL unnest(sl.sku_ids, sl.quantities) AS u(sku_id, quantity)
          WHERE sl.wave_id = ${waveId} AND sl.grid_warehouse_id = ${gridWarehouseId}
          GROUP BY u.sku_id ORDER BY u.sku_id`,
    );
    return rows.map((r) => ({ skuId: Number(r.skuId), quantity: Number(r.quantity) }));
  }

  /** The grid warehouses a wave sends goods to, by id. */
  async gridWarehousesOfWave(db: Executor, waveId: number): Promise<{ id: number; name: string }[]> {
    const rows = await selectRows<{ id: number; name: string }>(
      db,
      sql`SELECT w.id, w.name FROM warehouses w
          WHERE w.id IN (SELECT DISTINCT grid_warehouse_id FROM sort_lists WHERE wave_id = ${waveId})
          ORDER BY w.id`,
    );
    return rows.map((r) => ({ id: Number(r.id), name: r.name }));
  }

  /** Waves that sent this point something, newest pickup day first (optionally one day). */
  async wavesForPoint(db: Executor, pointId: number, date: string | null, limit: number): Promise<{ waveId: number; pickupDate: string }[]> {
    const rows = await selectRows<{ waveId: number; pickupDate: string }>(
      db,
      sql`SELECT w.id AS "waveId", to_char(w.pickup_date, 'YYYY-MM-DD') AS "pickupDate"
          FROM waves w
          WHERE EXISTS (SELECT 1 FROM sort_lists sl WHERE sl.wave_id = w.id AND sl.pickup_point_id = ${pointId})
            ${date === null ? sql`` : sql`AND w.pickup_date = ${date}::date`}
          ORDER BY w.pickup_date DESC, w.id DESC LIMIT ${limit}`,
    );
    return rows.map((r) => ({ waveId: Number(r.waveId), pickupDate: r.pickupDate }));
  }

  /** The route of a wave that stops at the point, with its driver. */
  async routeToPoint(db: Executor, waveId: number, pointId: number): Promise<{ id: number; name: string; driver: { accountId: number; displayName: string } | null } | null> {
    const rows = await selectRows<{ id: number; seq: number; warehouse: string; driverId: number | null; driverName: string | null }>(
      db,
      sql`SELECT r.id, r.seq, wh.name AS warehouse, r.driver_account_id AS "driverId", a.display_name AS "driverName"
          FROM delivery_routes r JOIN route_stops rs ON rs.route_id = r.id JOIN warehouses wh ON wh.id = r.grid_warehouse_id
          LEFT JOIN accounts a ON a.id = r.driver_account_id
          WHERE r.wave_id = ${waveId} AND rs.pickup_point_id = ${pointId} ORDER BY r.id LIMIT 1`,
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: Number(r.id),
      name: routeName(r.warehouse, r.seq),
      driver: r.driverId === null ? null : { accountId: Number(r.driverId), displayName: r.driverName ?? '' },
    };
  }

  async lockRoute(db: Executor, id: number): Promise<RouteRow | null> {
    return (await db.select().from(deliveryRoutes).where(eq(deliveryRoutes.id, id)).for('update'))[0] ?? null;
  }

  /** The pickup points a route stops at. */
  async pointsOfRoute(db: Executor, routeId: number): Promise<number[]> {
    const rows = await selectRows<{ id: number }>(db, sql`SELECT DISTINCT pickup_point_id AS id FROM route_stops WHERE route_id = ${routeId} ORDER BY 1`);
    return rows.map((r) => Number(r.id));
  }

  async dispatchRoute(db: Executor, id: number, at: Date): Promise<void> {
    await db.update(deliveryRoutes).set({ status: 'dispatched', dispatchedAt: at }).where(eq(deliveryRoutes.id, id));
  }

  /** The wave is dispatched once none of its routes is still waiting. */
  async waveDispatchedIfAllRoutesLeft(db: Executor, waveId: number): Promise<void> {
    await db.execute(sql`
      UPDATE waves SET status = 'dispatched'
      WHERE id = ${waveId} AND status IN ('planned', 'receiving')
        AND NOT EXISTS (SELECT 1 FROM delivery_routes WHERE wave_id = ${waveId} AND status = 'planned')`);
  }

  async incidents(db: Executor, f: { waveId?: number | undefined; supplierId?: number | undefined }, beforeId: number | null, limit: number): Promise<IncidentView[]> {
    const rows = await selectRows<{
      id: number;
      supplierId: number | null;
      supplierName: string | null;
      waveId: number;
      handoffId: number;
      handoffKind: HandoffKind;
      pickupPointId: number | null;
      skuId: number;
      title: string;
      spec: string;
      kind: IncidentKind;
      quantity: number;
      createdAt: Date | string;
    }>(
      db,
      sql`SELECT i.id, i.supplier_id AS "supplierId", su.name AS "supplierName", i.wave_id AS "waveId", i.handoff_id AS "handoffId",
                 h.kind AS "handoffKind", h.pickup_point_id AS "pickupPointId", i.sku_id AS "skuId", p.name AS title, s.spec,
                 i.kind, i.quantity, i.created_at AS "createdAt"
          FROM supplier_incidents i
          JOIN handoffs h ON h.id = i.handoff_id
          JOIN skus s ON s.id = i.sku_id JOIN products p ON p.id = s.product_id
          LEFT JOIN suppliers su ON su.id = i.supplier_id
          WHERE true
            ${f.waveId === undefined ? sql`` : sql`AND i.wave_id = ${f.waveId}`}
            ${f.supplierId === undefined ? sql`` : sql`AND i.supplier_id = ${f.supplierId}`}
            ${beforeId === null ? sql`` : sql`AND i.id < ${beforeId}`}
          ORDER BY i.id DESC LIMIT ${limit}`,
    );
    return rows.map((r) => ({
      id: Number(r.id),
      supplier: r.supplierId === null ? null : { id: Number(r.supplierId), name: r.supplierName ?? '' },
      waveId: Number(r.waveId),
      handoffId: Number(r.handoffId),
      handoffKind: r.handoffKind,
      pickupPointId: r.pickupPointId === null ? null : Number(r.pickupPointId),
      skuId: Number(r.skuId),
      title: r.title,
      spec: r.spec,
      kind: r.kind,
      quantity: r.quantity,
      createdAt: new Date(r.createdAt),
    }));
  }
}

/** "<grid warehouse> 线路 <seq>", as the wave names its routes. */
export const routeName = (warehouse: string, seq: number) => `${warehouse} 线路 ${seq}`;
