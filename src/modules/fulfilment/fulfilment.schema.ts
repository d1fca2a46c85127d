// Drizzle view of the fulfilment tables (src/db/migrations/0009_groupbuy.sql): the cutoff wave,
// purchase orders, sorting lines, delivery routes and stops, hand-offs, supplier incidents and
// pickups (核销).
import { bigint, date, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const ref = (name: string) => bigint(name, { mode: 'number' });
const ts = (name: string) => timestamp(name, { withTimezone: true });

export type WaveStatus = 'planned' | 'receiving' | 'dispatched' | 'delivered';
export type PurchaseOrderStatus = 'open' | 'received';
export type RouteStatus = 'planned' | 'dispatched' | 'delivered';
export type HandoffKind = 'central_receipt' | 'grid_receipt' | 'point_arrival';
export type IncidentKind = 'shortage' | 'damage';

export const waves = pgTable('waves', {
  id: ref('id').primaryKey().generatedAlwaysAsIdentity(),
  regionId: ref('region_id').notNull(),
  pickupDate: date('pickup_date', { mode: 'string' }).notNull(),
  status: text('status').$type<WaveStatus>().notNull().default('planned'),
  campaignIds: bigint('campaign_ids', { mode: 'number' }).array().notNull(),
  orders: integer('orders').notNull().default(0),
  items: integer('items').notNull().default(0),
  // 0010_wave_counts.sql: what the wave produced, counted once when it was planned.
  purchaseOrders: integer('purchase_orders').notNull().default(0),
  sortLines: integer('sort_lines').notNull().default(0),
  routes: integer('routes').notNull().default(0),
  stops: integer('stops').notNull().default(0),
  routePlanner: text('route_planner').notNull().default('hgs'),
  timings: jsonb('timings').$type<Record<string, number>>().notNull().default({}),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const purchaseOrders = pgTable('purchase_orders', {
  id: ref('id').primaryKey().generatedAlwaysAsIdentity(),
  waveId: ref('wave_id').notNull(),
  supplierId: ref('supplier_id'),
  centralWarehouseId: ref('central_warehouse_id').notNull(),
  status: text('status').$type<PurchaseOrderStatus>().notNull().default('open'),
  receivedAt: ts('received_at'),
  receivedBy: ref('received_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const purchaseOrderLines = pgTable(
  'purchase_order_lines',
  {
    purchaseOrderId: ref('purchase_order_id').notNull(),
    skuId: ref('sku_id').notNull(),
    quantity: integer('quantity').notNull(),
    receivedQuantity: integer('received_quantity'),
    damagedQuantity: integer('damaged_quantity'),
  },
  (t) => [primaryKey({ columns: [t.purchaseOrderId, t.skuId] })],
);

export const deliveryRoutes = pgTable('delivery_routes', {
  id: ref('id').primaryKey().generatedAlwaysAsIdentity(),
  waveId: ref('wave_id').notNull(),
  gridWarehouseId: ref('grid_warehouse_id').notNull(),
  seq: integer('seq').notNull(),
  capacityCrates: integer('capacity_crates').notNull(),
  loadCrates: integer('load_crates').notNull(),
  distanceM: integer('distance_m').notNull(),
  driverAccountId: ref('driver_account_id'),
  status: text('status').$type<RouteStatus>().notNull().default('planned'),
  dispatchedAt: ts('dispatched_at'),
});

export const routeStops = pgTable(
  'route_stops',
  {
    routeId: ref('route_id').notNull(),
    seq: integer('seq').notNull(),
    pickupPointId: ref('pickup_point_id').notNull(),
    crates: integer('crates').notNull(),
    items: integer('items').notNull(),
    orders: integer('orders').notNull(),
  },
  (t) => [primaryKey({ columns: [t.routeId, t.seq] })],
);

/**
 * The sorting list of one pickup point in one wave (0011_wave_speed.sql): element i of the
 * arrays is one line (SKU, units still owed, orders with it), in no particular order. One row per point
 * rather than per point × SKU, so a million-order wave writes 10,000 rows, not 1.5 million.
 */
export const sortLists = pgTable(
  'sort_lists',
  {
    waveId: ref('wave_id').notNull(),
    pickupPointId: ref('pickup_point_id').notNull(),
    gridWarehouseId: ref('grid_warehouse_id').notNull(),
    skuIds: bigint('sku_ids', { mode: 'number' }).array().notNull(),
    quantities: integer('quantities').array().notNull(),
    orders: integer('orders').array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.waveId, t.pickupPointId] })],
);

export const handoffs = pgTable('handoffs', {
  id: ref('id').primaryKey().generatedAlwaysAsIdentity(),
  waveId: ref('wave_id').notNull(),
  kind: text('kind').$type<HandoffKind>().notNull(),
  purchaseOrderId: ref('purchase_order_id'),
  gridWarehouseId: ref('grid_warehouse_id'),
  pickupPointId: ref('pickup_point_id'),
  signedBy: ref('signed_by').notNull(),
  signedAt: ts('signed_at').notNull().defaultNow(),
  note: text('note').notNull().default(''),
});

export const handoffLines = pgTable(
  'handoff_lines',
  {
    handoffId: ref('handoff_id').notNull(),
    skuId: ref('sku_id').notNull(),
    expected: integer('expected').notNull(),
    received: integer('received').notNull(),
    damaged: integer('damaged').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.handoffId, t.skuId] })],
);

export const supplierIncidents = pgTable('supplier_incidents', {
  id: ref('id').primaryKey().generatedAlwaysAsIdentity(),
  supplierId: ref('supplier_id'),
  waveId: ref('wave_id').notNull(),
  handoffId: ref('handoff_id').notNull(),
  skuId: ref('sku_id').notNull(),
  kind: text('kind').$type<IncidentKind>().notNull(),
  quantity: integer('quantity').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const pickups = pgTable('pickups', {
  id: ref('id').primaryKey().generatedAlwaysAsIdentity(),
  orderId: ref('order_id').notNull(),
  orderLineId: ref('order_line_id').notNull(),
  quantity: integer('quantity').notNull(),
  scanId: text('scan_id').notNull(),
  byAccountId: ref('by_account_id').notNull(),
  pickedAt: ts('picked_at').notNull().defaultNow(),
  undoneAt: ts('undone_at'),
  undoneBy: ref('undone_by'),
});
