// What the cutoff wave produced, as the operator, the warehouse and the driver see it: the
// wave's summary, purchase orders, sorting lists (grid warehouse → route → stop → SKU),
// routes and their manifests, and the CSV exports. Operators and warehouse staff see every
// wave; a driver sees only the routes assigned to them.
import type { Database, Executor } from '../../db';
import { badInput, forbidden, notFound, toPage, decodeCursor, DEFAULT_PAGE_SIZE, type Clock, type Page } from '../../kernel';
import { hasRole, requireActor, requireRole, type Actor, type PeopleService } from '../people';
import { toCsv } from './csv';
import { WavesRepo, type RouteHeadRow, type SortLineRow, type StopRow, type WaveRow } from './waves.repo';

export interface WaveTimings {
  freezeMs: number;
  purchaseMs: number;
  sortMs: number;
  routeMs: number;
  totalMs: number;
}

export interface WaveSummary {
  id: number;
  regionId: number;
  pickupDate: string;
  status: string;
  campaignIds: number[];
  orders: number;
  items: number;
  purchaseOrders: number;
  sortLines: number;
  routes: number;
  stops: number;
  routePlanner: string;
  timings: WaveTimings;
  createdAt: string;
}

export interface PurchaseOrderView {
  id: number;
  supplier: { id: number; name: string } | null;
  centralWarehouse: { id: number; name: string };
  status: string;
  lines: { skuId: number; title: string; spec: string; unit: string; quantity: number; receivedQuantity: number | null; damagedQuantity: number | null }[];
}

export interface RouteStopView {
  seq: number;
  pickupPoint: { id: number; name: string; address: string; lat: number; lng: number };
  crates: number;
  items: number;
  orders: number;
}

export interface RouteView {
  id: number;
  waveId: number;
  seq: number;
  name: string;
  gridWarehouse: { id: number; name: string; lat: number; lng: number };
  capacityCrates: number;
  loadCrates: number;
  distanceM: number;
  status: string;
  driver: { accountId: number; displayName: string } | null;
  stops: RouteStopView[];
}

export type SkuLine = { skuId: number; title: string; spec: string; unit: string; quantity: number };
export type ManifestView = Omit<RouteView, 'stops'> & { stops: (RouteStopView & { lines: SkuLine[] })[] };

export interface SortingView {
  gridWarehouse: { id: number; name: string };
  routes: {
    routeId: number;
    seq: number;
    stops: { seq: number; pickupPoint: { id: number; name: string; address: string }; lines: (SkuLine & { orders: number })[] }[];
  }[];
}

const ZERO_TIMINGS: WaveTimings = { freezeMs: 0, purchaseMs: 0, sortMs: 0, routeMs: 0, totalMs: 0 };

export function toWaveSummary(w: WaveRow): WaveSummary {
  return {
    id: w.id,
    regionId: w.regionId,
    pickupDate: w.pickupDate,
    status: w.status,
    campaignIds: w.campaignIds.map(Number),
    orders: w.orders,
    items: w.items,
    purchaseOrders: w.purchaseOrders,
    sortLines: w.sortLines,
    routes: w.routes,
    stops: w.stops,
    routePlanner: w.routePlanner,
    timings: { ...ZERO_TIMINGS, ...(w.timings as Partial<WaveTimings>) },
    createdAt: w.createdAt.toISOString(),
  };
}

/** Today's date in China (UTC+8, no daylight saving), YYYY-MM-DD. */
export const chinaDate = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

const routeName = (warehouseName: string, seq: number) => `${warehouseName} 线路 ${seq}`;

export class WavesService {
  readonly repo = new WavesRepo();

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly people: PeopleService,
  ) {}

  private staff(actor: Actor | null): Actor {
    return requireRole(actor, 'operator', 'warehouse_staff');
  }

  private async wave(id: number): Promise<WaveRow> {
    const w = await this.repo.find(this.db.orm, id);
    if (!w) throw notFound('wave', id);
    return w;
  }

  async list(actor: Actor | null, q: { regionId?: number | undefined; cursor?: string | undefined; limit?: number | undefined }): Promise<Page<WaveSummary>> {
    this.staff(actor);
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.repo.list(this.db.orm, q.regionId, decodeCursor(q.cursor), limit + 1);
    const page = toPage(rows, limit);
    return { items: page.items.map(toWaveSummary), nextCursor: page.nextCursor };
  }

  async get(actor: Actor | null, id: number): Promise<WaveSummary> {
    this.staff(actor);
    return toWaveSummary(await this.wave(id));
  }

  async purchaseOrders(actor: Actor | null, waveId: number): Promise<PurchaseOrderView[]> {
    this.staff(actor);
    await this.wave(waveId);
    const out: PurchaseOrderView[] = [];
    let current: PurchaseOrderView | null = null;
    for (const r of await this.repo.purchaseOrderLines(this.db.orm, waveId)) {
      if (!current || current.id !== r.purchaseOrderId) {
        current = {
          id: r.purchaseOrderId,
          supplier: r.supplierId === null ? null : { id: r.supplierId, name: r.supplierName ?? '' },
          centralWarehouse: { id: r.centralWarehouseId, name: r.centralWarehouseName },
          status: r.status,
          lines: [],
        };
        out.push(current);
      }
      current.lines.push({
        skuId: r.skuId,
        title: r.title,
        spec: r.spec,
        unit: r.unit,
        quantity: r.quantity,
        receivedQuantity: r.receivedQuantity,
        damagedQuantity: r.damagedQuantity,
      });
    }
    return out;
  }

  async purchaseOrdersCsv(actor: Actor | null, waveId: number): Promise<string> {
    const pos = await this.purchaseOrders(actor, waveId);
    const rows = pos.flatMap((po) =>
      po.lines.map((l) => [po.id, po.supplier?.id ?? null, po.supplier?.name ?? '（直采 direct）', po.centralWarehouse.name, l.skuId, l.title, l.spec, l.unit, l.quantity]),
    );
    return toCsv(
      ['采购单 PO', '供应商编号 Supplier ID', '供应商 Supplier', '中心仓 Central warehouse', 'SKU', '商品 Title', '规格 Spec', '单位 Unit', '数量 Quantity'],
      rows,
    );
  }

  async routes(actor: Actor | null, waveId: number): Promise<RouteView[]> {
    this.staff(actor);
    await this.wave(waveId);
    return this.routeViews(await this.repo.routesOfWave(this.db.orm, waveId));
  }

  async sorting(actor: Actor | null, waveId: number, gridWarehouseId?: number): Promise<SortingView[]> {
    this.staff(actor);
    await this.wave(waveId);
    const heads = await this.repo.routesOfWave(this.db.orm, waveId, gridWarehouseId);
    const stops = await this.repo.stopsOf(this.db.orm, heads.map((h) => h.id));
    const lines = groupBy(await this.repo.sortLines(this.db.orm, waveId, gridWarehouseId === undefined ? {} : { gridWarehouseId }), (l) => l.pickupPointId);
    const stopsByRoute = groupBy(stops, (s) => s.routeId);
    const out: SortingView[] = [];
    for (const h of heads) {
      let g = out.at(-1);
      if (!g || g.gridWarehouse.id !== h.gridWarehouseId) {
        g = { gridWarehouse: { id: h.gridWarehouseId, name: h.gridWarehouseName }, routes: [] };
        out.push(g);
      }
      g.routes.push({
        routeId: h.id,
        seq: h.seq,
        stops: (stopsByRoute.get(h.id) ?? []).map((s) => ({
          seq: s.seq,
          pickupPoint: { id: s.pickupPointId, name: s.name, address: s.address },
          lines: (lines.get(s.pickupPointId) ?? []).map(({ skuId, title, spec, unit, quantity, orders }) => ({ skuId, title, spec, unit, quantity, orders })),
        })),
      });
    }
    return out;
  }

  async sortingCsv(actor: Actor | null, waveId: number, gridWarehouseId?: number): Promise<string> {
    const view = await this.sorting(actor, waveId, gridWarehouseId);
    const rows: (string | number)[][] = [];
    for (const g of view) {
      for (const r of g.routes) {
        for (const s of r.stops) {
          for (const l of s.lines) {
            rows.push([g.gridWarehouse.name, routeName(g.gridWarehouse.name, r.seq), s.seq, s.pickupPoint.name, s.pickupPoint.address, l.skuId, l.title, l.spec, l.unit, l.quantity, l.orders]);
          }
        }
      }
    }
    return toCsv(
      ['网格仓 Grid warehouse', '线路 Route', '站序 Stop', '自提点 Pickup point', '地址 Address', 'SKU', '商品 Title', '规格 Spec', '单位 Unit', '数量 Quantity', '订单数 Orders'],
      rows,
    );
  }

  /** Operators, warehouse staff, and the driver the route is assigned to. */
  async manifest(actor: Actor | null, routeId: number): Promise<ManifestView> {
    const a = requireActor(actor);
    const route = await this.repo.findRoute(this.db.orm, routeId);
    const staff = hasRole(a, 'operator', 'warehouse_staff');
    if (!staff) {
      if (!hasRole(a, 'driver')) throw forbidden('manifests are for operators, warehouse staff and the route’s driver');
      // Another driver's route is not there for this driver (ids are sequential).
      if (!route || route.driverAccountId !== a.accountId) throw notFound('route', routeId);
    }
    if (!route) throw notFound('route', routeId);
    const [view] = await this.routeViews(await this.repo.routesByIds(this.db.orm, [routeId]));
    const lines = groupBy(
      await this.repo.sortLines(this.db.orm, route.waveId, { pickupPointIds: view!.stops.map((s) => s.pickupPoint.id) }),
      (l: SortLineRow) => l.pickupPointId,
    );
    return {
      ...view!,
      stops: view!.stops.map((s) => ({
        ...s,
        lines: (lines.get(s.pickupPoint.id) ?? []).map(({ skuId, title, spec, unit, quantity }) => ({ skuId, title, spec, unit, quantity })),
      })),
    };
  }

  /** The signed-in driver's routes for a day (default today, China time). */
  async driverRoutes(actor: Actor | null, date?: string): Promise<RouteView[]> {
    const a = requireRole(actor, 'driver');
    const day = date ?? chinaDate(this.clock.now());
    const ids = await this.repo.routeIdsOfDriver(this.db.orm, a.accountId, day);
    return this.routeViews(await this.repo.routesByIds(this.db.orm, ids));
  }

  async assignDriver(actor: Actor | null, routeId: number, driverAccountId: number): Promise<RouteView> {
    const a = requireRole(actor, 'operator');
    const route = await this.repo.findRoute(this.db.orm, routeId);
    if (!route) throw notFound('route', routeId);
    const driver = await this.people.getAccount(a, driverAccountId).catch(() => null);
    if (!driver || !driver.roles.includes('driver')) throw badInput('driverAccountId', `account ${driverAccountId} is not a driver`);
    await this.repo.setDriver(this.db.orm, routeId, driverAccountId);
    const [view] = await this.routeViews(await this.repo.routesByIds(this.db.orm, [routeId]));
    return view!;
  }

  /** One route as everyone sees it, read through `db` (a flow's transaction on PGlite's one connection). */
  async routeView(routeId: number, db: Executor = this.db.orm): Promise<RouteView | null> {
    const [view] = await this.routeViews(await this.repo.routesByIds(db, [routeId]), db);
    return view ?? null;
  }

  private async routeViews(heads: RouteHeadRow[], db: Executor = this.db.orm): Promise<RouteView[]> {
    const stops = groupBy(await this.repo.stopsOf(db, heads.map((h) => h.id)), (s: StopRow) => s.routeId);
    return heads.map((h) => ({
      id: h.id,
      waveId: h.waveId,
      seq: h.seq,
      name: routeName(h.gridWarehouseName, h.seq),
      gridWarehouse: { id: h.gridWarehouseId, name: h.gridWarehouseName, lat: h.gridWarehouseLat, lng: h.gridWarehouseLng },
      capacityCrates: h.capacityCrates,
      loadCrates: h.loadCrates,
      distanceM: h.distanceM,
      status: h.status,
      driver: h.driverAccountId === null ? null : { accountId: h.driverAccountId, displayName: h.driverName ?? '' },
      stops: (stops.get(h.id) ?? []).map((s) => ({
        seq: s.seq,
        pickupPoint: { id: s.pickupPointId, name: s.name, address: s.address, lat: s.lat, lng: s.lng },
        crates: s.crates,
        items: s.items,
        orders: s.orders,
      })),
    }));
  }
}

function groupBy<T, K>(rows: T[], key: (r: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}
