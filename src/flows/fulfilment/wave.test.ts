import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { ManualClock } from '../../kernel';
import type { Actor, Role } from '../../modules/people';
import { createServices, type Services } from '../../services';
import { makeWaveWorld, type WaveWorld } from './wave-testing';

const NOW = '2026-03-02T20:00:00+08:00';
const DAY = '2026-03-03';
const as = (accountId: number, ...roles: Role[]): Actor => ({ accountId, roles: new Set(roles) });

describe.each(testBackends())('cutoff wave (%s)', (backend) => {
  let db: TestDatabase;
  let s: Services;
  let w: WaveWorld;
  let op: Actor;
  const q = async <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => db.query<T>(text, params);
  const count = async (table: string) => Number((await q<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n);
  const statusOf = async (id: number) => (await q<{ status: string }>('SELECT status FROM orders WHERE id = $1', [id]))[0]!.status;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    s = await createServices(db, { clock: new ManualClock(NOW) });
    w = await makeWaveWorld(db, { now: new Date(NOW), day: DAY });
    op = as(w.operatorId, 'operator');
  });
  afterAll(async () => db?.dispose());

  it('refuses anyone but an operator, a malformed day, and a day with nothing due', async () => {
    await expect(s.wave.run(as(w.buyerId, 'resident'), { regionId: w.regionId, pickupDate: DAY })).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(s.wave.run(as(w.buyerId, 'warehouse_staff'), { regionId: w.regionId, pickupDate: DAY })).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(s.wave.run(op, { regionId: w.regionId, pickupDate: '2026-02-30' })).rejects.toMatchObject({ field: 'pickupDate' });
    await expect(s.wave.run(op, { regionId: 999_999, pickupDate: DAY })).rejects.toMatchObject({ field: 'regionId' });
    // K3's day: its cutoff is still ahead.
    await expect(s.wave.run(op, { regionId: w.regionId, pickupDate: '2026-03-04' })).rejects.toMatchObject({ kind: 'conflict' });
    expect(await count('waves')).toBe(0);
  });

  it('freezes, buys, sorts and routes the day of a region and its county', async () => {
    const run = await s.wave.run(op, { regionId: w.regionId, pickupDate: DAY });
    expect(run.created).toBe(true);
    const wave = run.wave;
    expect(wave).toMatchObject({ regionId: w.regionId, pickupDate: DAY, status: 'planned', orders: 6, items: 22, purchaseOrders: 3, sortLines: 8, stops: 5 });
    expect([...wave.campaignIds].sort((a, b) => a - b)).toEqual([w.campaigns.k1, w.campaigns.k2]);
    expect(wave.timings.totalMs).toBeGreaterThanOrEqual(0);

    // Campaigns: only the due ones are cut off.
    const cs = await q<{ id: number; status: string }>('SELECT id, status FROM campaigns WHERE id = ANY($1::bigint[]) ORDER BY id', [Object.values(w.campaigns)]);
    expect(Object.fromEntries(cs.map((c) => [c.id, c.status]))).toEqual({
      [w.campaigns.k1]: 'cut_off',
      [w.campaigns.k2]: 'cut_off',
      [w.campaigns.k3]: 'published',
      [w.campaigns.k4]: 'published',
    });

    // Orders: the paid ones are not written to (the cutoff freezes them; they turn fulfilling when
    // their van is dispatched); unpaid closed (past deadline expired, inside it cancelled); others untouched.
    for (const k of ['o1', 'o2', 'o3', 'o4', 'o5', 'o6'] as const) expect(await statusOf(w.orders[k])).toBe('paid');
    expect(await statusOf(w.orders.o7)).toBe('refunded');
    expect(await statusOf(w.orders.o8)).toBe('paid');
    expect(await statusOf(w.orders.o9)).toBe('paid');
    expect(await statusOf(w.orders.u1)).toBe('expired');
    expect(await statusOf(w.orders.u2)).toBe('cancelled');
    // Their holds released and the buyer's limits given back.
    const holds = await q<{ status: string }>('SELECT status FROM stock_holds WHERE order_id = ANY($1::bigint[])', [[w.orders.u1, w.orders.u2]]);
    expect(holds.map((h) => h.status)).toEqual(['released', 'released']);
    expect((await q<{ reserved: number }>('SELECT reserved FROM stock_levels WHERE location_id = $1', [w.k1LocationId]))[0]!.reserved).toBe(0);
    const counters = await q<{ quantity: number }>('SELECT quantity FROM purchase_counters WHERE account_id = $1', [w.buyerId]);
    expect(counters.map((c) => c.quantity)).toEqual([0, 0]);

    // Purchase orders: per supplier × SKU, units ordered minus refunded, at the central warehouse.
    const pos = await s.waves.purchaseOrders(op, wave.id);
    const bySupplier = Object.fromEntries(pos.map((p) => [p.supplier?.id ?? 0, Object.fromEntries(p.lines.map((l) => [l.skuId, l.quantity]))]));
    expect(bySupplier).toEqual({
      [w.suppliers.s1]: { [w.skus.a]: 9, [w.skus.b]: 3 },
      [w.suppliers.s2]: { [w.skus.c]: 6 },
      0: { [w.skus.d]: 4 },
    });
    expect(new Set(pos.map((p) => p.centralWarehouse.id))).toEqual(new Set([w.centralWarehouseId]));

    // Sorting lines per point × SKU with the point's grid warehouse; P5 (none) goes to the nearer G2.
    const lines = await q<{ point: number; grid: number; sku: number; quantity: number; orders: number }>(
      `SELECT sl.pickup_point_id AS point, sl.grid_warehouse_id AS grid, u.sku AS sku, u.quantity, u.orders
       FROM sort_lists sl, unnest(sl.sku_ids, sl.quantities, sl.orders) AS u(sku, quantity, orders) WHERE sl.wave_id = $1 ORDER BY 1, 3`,
      [wave.id],
    );
    const { p1, p2, p3, p4, p5 } = w.points;
    const { a, b, c, d } = w.skus;
    const { g1, g2 } = w.grid;
    expect(lines).toEqual(
      [
        { point: p1, grid: g1, sku: a, quantity: 6, orders: 2 },
        { point: p1, grid: g1, sku: c, quantity: 1, orders: 1 },
        { point: p2, grid: g1, sku: b, quantity: 2, orders: 1 },
        { point: p3, grid: g1, sku: a, quantity: 1, orders: 1 },
        { point: p3, grid: g1, sku: d, quantity: 4, orders: 1 },
        { point: p4, grid: g2, sku: c, quantity: 5, orders: 1 },
        { point: p5, grid: g2, sku: a, quantity: 2, orders: 1 },
        { point: p5, grid: g2, sku: b, quantity: 1, orders: 1 },
      ].sort((x, y) => x.point - y.point || x.sku - y.sku),
    );

    // Routes: every point on exactly one stop, of its own grid warehouse's routes; no van over capacity
    // (2 items a crate, 4 crates a van: P1 7 items = 4 crates, P3 3 crates, so G1 needs two vans).
    const routes = await s.waves.routes(op, wave.id);
    expect(routes.length).toBe(wave.routes);
    const seen = routes.flatMap((r) => r.stops.map((st) => ({ point: st.pickupPoint.id, grid: r.gridWarehouse.id, crates: st.crates, items: st.items, orders: st.orders })));
    expect(seen.map((x) => x.point).sort((x, y) => x - y)).toEqual([p1, p2, p3, p4, p5].sort((x, y) => x - y));
    expect(Object.fromEntries(seen.map((x) => [x.point, x]))).toMatchObject({
      [p1]: { grid: g1, crates: 4, items: 7, orders: 2 },
      [p2]: { grid: g1, crates: 1, items: 2, orders: 1 },
      [p3]: { grid: g1, crates: 3, items: 5, orders: 1 },
      [p4]: { grid: g2, crates: 3, items: 5, orders: 1 },
      [p5]: { grid: g2, crates: 2, items: 3, orders: 1 },
    });
    for (const r of routes) {
      expect(r.capacityCrates).toBe(4);
      expect(r.loadCrates).toBe(r.stops.reduce((sum, st) => sum + st.crates, 0));
      expect(r.loadCrates).toBeLessThanOrEqual(4);
      expect(r.stops.map((st) => st.seq)).toEqual(r.stops.map((_, i) => i + 1));
      expect(r.distanceM).toBeGreaterThan(0);
      expect(r.name).toBe(`${r.gridWarehouse.name} 线路 ${r.seq}`);
    }
    expect(routes.filter((r) => r.gridWarehouse.id === g1).length).toBeGreaterThanOrEqual(2);

    // One event for the whole wave, not one per order.
    const events = await q<{ n: number }>(`SELECT count(*)::int AS n FROM outbox_events WHERE topic = 'wave.planned'`);
    expect(events[0]!.n).toBe(1);
    const perOrder = await q<{ n: number }>(`SELECT count(*)::int AS n FROM outbox_events WHERE topic = 'order.fulfilling'`);
    expect(perOrder[0]!.n).toBe(0);
  });

  it('a rerun finds the same wave and writes nothing', async () => {
    const before = await Promise.all(['waves', 'purchase_orders', 'purchase_order_lines', 'sort_lists', 'delivery_routes', 'route_stops', 'outbox_events'].map(count));
    const first = (await s.waves.list(op, {})).items[0]!;
    const again = await s.wave.run(op, { regionId: w.regionId, pickupDate: DAY });
    expect(again.created).toBe(false);
    expect(again.wave).toEqual(first);
    expect(await Promise.all(['waves', 'purchase_orders', 'purchase_order_lines', 'sort_lists', 'delivery_routes', 'route_stops', 'outbox_events'].map(count))).toEqual(before);
    // The job finds nothing left to do for this day (K3 and K4 are not due yet).
    expect(await s.wave.runDue()).toEqual([]);
  });

  it('the job runs the city’s wave, county campaigns included, once', async () => {
    const w2 = await makeWaveWorld(db, { now: new Date(NOW), day: '2026-03-10' });
    const logs: string[] = [];
    const runs = await s.wave.runDue((m) => logs.push(m));
    expect(runs.map((r) => [r.created, r.wave.regionId, r.wave.pickupDate, r.wave.orders])).toEqual([[true, w2.regionId, '2026-03-10', 6]]);
    expect(logs).toHaveLength(1);
    expect(await s.wave.runDue()).toEqual([]);
  });

  it('the manifest lists each stop’s SKUs in visiting order', async () => {
    const wave = (await s.waves.list(op, { regionId: w.regionId })).items[0]!;
    const routes = await s.waves.routes(op, wave.id);
    const withP1 = routes.find((r) => r.stops.some((st) => st.pickupPoint.id === w.points.p1))!;
    const m = await s.waves.manifest(op, withP1.id);
    expect(m.stops.map((st) => st.pickupPoint.id)).toEqual(withP1.stops.map((st) => st.pickupPoint.id));
    const p1 = m.stops.find((st) => st.pickupPoint.id === w.points.p1)!;
    expect(p1.lines.map((l) => [l.title, l.quantity])).toEqual([
      ['苹果', 6],
      ['鸡蛋', 1],
    ]);
  });

  it('dispatching a route moves its stops’ orders of the wave to fulfilling, and nothing else', async () => {
    const wave = (await s.waves.list(op, { regionId: w.regionId })).items[0]!;
    const routes = await s.waves.routes(op, wave.id);
    const withP1 = routes.find((r) => r.stops.some((st) => st.pickupPoint.id === w.points.p1))!;
    const onBoard = new Set(withP1.stops.map((st) => st.pickupPoint.id));
    const atPoint: Record<string, number> = { o1: w.points.p1, o2: w.points.p2, o3: w.points.p3, o4: w.points.p4, o5: w.points.p5, o6: w.points.p1 };
    const pointOf = Object.fromEntries(
      (await q<{ id: number; point: number }>('SELECT id, pickup_point_id AS point FROM orders WHERE id = ANY($1::bigint[])', [Object.values(w.orders)])).map((r) => [Number(r.id), Number(r.point)]),
    );
    expect(Object.fromEntries(Object.keys(atPoint).map((k) => [k, pointOf[w.orders[k as keyof typeof w.orders]]]))).toEqual(atPoint);
    await s.handoffs.dispatchRoute(as(w.operatorId, 'operator'), withP1.id);
    for (const k of ['o1', 'o2', 'o3', 'o4', 'o5', 'o6'] as const) {
      expect(await statusOf(w.orders[k])).toBe(onBoard.has(atPoint[k]!) ? 'fulfilling' : 'paid');
    }
    // o8 is at P1 too, but in a campaign not yet cut off: not on this van.
    expect(await statusOf(w.orders.o8)).toBe('paid');
    expect(await statusOf(w.orders.o7)).toBe('refunded');
  });
});
