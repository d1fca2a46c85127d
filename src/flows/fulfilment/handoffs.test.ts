import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { ManualClock } from '../../kernel';
import { createServices, type Services } from '../../services';
import { connectSandbox, makeCommerceWorld, refusalOf, type CommerceWorld } from '../testing';
import { makeOtherPoint, makeWaveFixture } from './pickup.testing';

const fails = refusalOf;

describe.each(testBackends())('hand-offs on %s', (backend) => {
  let db: TestDatabase;
  let s: Services;
  let w: CommerceWorld;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    s = await createServices(db, { clock });
    connectSandbox(s);
    w = await makeCommerceWorld(db, { buyers: 6, skus: [{ priceFen: 990, stock: 0 }, { priceFen: 333, stock: 0 }] });
  });
  afterAll(async () => {
    await s.checkout.close();
    await db.dispose();
  });

  const status = async (orderId: number) => (await db.query<{ status: string }>(`SELECT status FROM orders WHERE id = $1`, [orderId]))[0]!.status;
  const staff = () => w.actor(w.operatorId, 'warehouse_staff');

  it('grid receipt: the grid warehouse counts its share (its points’ lists summed) once; residents are not refunded on this leg', async () => {
    const f = await makeWaveFixture(s, w, { orders: [{ buyerId: w.buyerIds[1]!, lines: [[0, 2], [1, 1]] }, { buyerId: w.buyerIds[2]!, lines: [[0, 1]] }] });
    const [sku0, sku1] = w.skuIds as [number, number];
    const shares = await s.gridReceipts.shares(staff(), f.waveId);
    const share = shares.find((x) => x.gridWarehouse.id === f.gridWarehouseId)!;
    expect(share.handoff).toBeNull();
    expect(share.lines.map((l) => [l.skuId, l.expected])).toEqual([
      [sku0, 3],
      [sku1, 1],
    ]);
    expect((await fails(s.gridReceipts.shares(w.actor(w.buyerIds[1]!), f.waveId))).kind).toBe('forbidden');
    expect((await fails(s.gridReceipts.receive(staff(), f.waveId, f.gridWarehouseId, { lines: [{ skuId: sku0, received: 3, damaged: 0 }] }))).field).toBe('lines.1');
    const h = await s.gridReceipts.receive(staff(), f.waveId, f.gridWarehouseId, {
      lines: [
        { skuId: sku0, received: 2, damaged: 0 },
        { skuId: sku1, received: 1, damaged: 0 },
      ],
    });
    expect(h).toMatchObject({ kind: 'grid_receipt', gridWarehouseId: f.gridWarehouseId, waveId: f.waveId });
    expect(h.lines.find((l) => l.skuId === sku0)).toMatchObject({ expected: 3, received: 2, missing: 1 });
    expect((await fails(s.gridReceipts.receive(staff(), f.waveId, f.gridWarehouseId, { lines: [{ skuId: sku0, received: 3, damaged: 0 }, { skuId: sku1, received: 1, damaged: 0 }] }))).kind).toBe('conflict');
    expect((await s.gridReceipts.shares(staff(), f.waveId)).find((x) => x.gridWarehouse.id === f.gridWarehouseId)!.handoff?.id).toBe(h.id);
    // Nothing refunded on this leg: that waits for what the point finally receives.
    expect(await db.query(`SELECT 1 FROM refunds r JOIN orders o ON o.id = r.order_id WHERE o.campaign_id = $1`, [f.campaignId])).toEqual([]);
  });

  it('central receipt: every PO SKU counted once; shortage and damage become the supplier’s incidents; a second receipt is 409', async () => {
    const f = await makeWaveFixture(s, w, { orders: [{ buyerId: w.buyerIds[0]!, lines: [[0, 3], [1, 2]] }] });
    const [sku0, sku1] = w.skuIds as [number, number];
    const missing = await fails(s.handoffs.receivePurchaseOrder(staff(), f.purchaseOrderId, { lines: [{ skuId: sku0, received: 3, damaged: 0 }] }));
    expect(missing).toMatchObject({ kind: 'bad_input', field: 'lines.1' });
    const over = await fails(s.handoffs.receivePurchaseOrder(staff(), f.purchaseOrderId, { lines: [{ skuId: sku0, received: 3, damaged: 1 }, { skuId: sku1, received: 2, damaged: 0 }] }));
    expect(over).toMatchObject({ kind: 'bad_input', field: 'lines.0.received' });
    const resident = await fails(s.handoffs.receivePurchaseOrder(w.actor(w.buyerIds[0]!), f.purchaseOrderId, { lines: [] }));
    expect(resident.kind).toBe('forbidden');

    const h = await s.handoffs.receivePurchaseOrder(staff(), f.purchaseOrderId, {
      lines: [
        { skuId: sku1, received: 1, damaged: 0 },
        { skuId: sku0, received: 2, damaged: 1 },
      ],
      note: '草莓压坏一盒',
    });
    expect(h).toMatchObject({ kind: 'central_receipt', purchaseOrderId: f.purchaseOrderId, waveId: f.waveId, note: '草莓压坏一盒' });
    expect(h.lines).toEqual([
      expect.objectContaining({ skuId: sku0, expected: 3, received: 2, damaged: 1, missing: 1 }),
      expect.objectContaining({ skuId: sku1, expected: 2, received: 1, damaged: 0, missing: 1 }),
    ]);
    const incidents = await db.query<{ sku_id: number; kind: string; quantity: number; supplier_id: number }>(
      `SELECT sku_id, kind, quantity, supplier_id FROM supplier_incidents WHERE handoff_id = $1 ORDER BY sku_id, kind`,
      [h.id],
    );
    expect(incidents.map((i) => [Number(i.sku_id), i.kind, i.quantity, Number(i.supplier_id)])).toEqual([
      [sku0, 'damage', 1, f.supplierId],
      [sku1, 'shortage', 1, f.supplierId],
    ]);
    const [po] = await db.query<{ status: string }>(`SELECT status FROM purchase_orders WHERE id = $1`, [f.purchaseOrderId]);
    expect(po!.status).toBe('received');
    const [wave] = await db.query<{ status: string }>(`SELECT status FROM waves WHERE id = $1`, [f.waveId]);
    expect(wave!.status).toBe('receiving');
    const again = await fails(s.handoffs.receivePurchaseOrder(staff(), f.purchaseOrderId, { lines: [{ skuId: sku0, received: 3, damaged: 0 }, { skuId: sku1, received: 2, damaged: 0 }] }));
    expect(again.kind).toBe('conflict');
  });

  it('dispatch: warehouse staff or the route’s driver, not another driver; the wave is dispatched when its routes are', async () => {
    const f = await makeWaveFixture(s, w, { orders: [{ buyerId: w.buyerIds[0]!, lines: [[0, 1]] }] });
    const other = await makeWaveFixture(s, w, { orders: [{ buyerId: w.buyerIds[1]!, lines: [[0, 1]] }] });
    const driver = w.buyerIds[5]!;
    await db.query(`UPDATE delivery_routes SET driver_account_id = $1 WHERE id = $2`, [driver, f.routeId]);
    expect((await fails(s.handoffs.dispatchRoute(w.actor(w.buyerIds[4]!, 'driver'), f.routeId))).kind).toBe('forbidden');
    // The cutoff wrote nothing per order: paid until the van leaves, then on its way.
    expect(await status(f.orders[0]!.id)).toBe('paid');
    const view = await s.handoffs.dispatchRoute(w.actor(driver, 'driver'), f.routeId);
    expect(await status(f.orders[0]!.id)).toBe('fulfilling');
    // Another wave's order at the same point is not on this van.
    expect(await status(other.orders[0]!.id)).toBe('paid');
    expect(view).toMatchObject({ id: f.routeId, status: 'dispatched', name: '网格仓 线路 1', stops: [expect.objectContaining({ seq: 1 })] });
    expect((await s.handoffs.dispatchRoute(staff(), f.routeId)).status).toBe('dispatched');
    const [wave] = await db.query<{ status: string }>(`SELECT status FROM waves WHERE id = $1`, [f.waveId]);
    expect(wave!.status).toBe('dispatched');
  });

  it('arrival with one shortage refunds the last to join the exact fen, records the incident, and the rest become ready', async () => {
    const [b0, b1, b2] = w.buyerIds as [number, number, number];
    const f = await makeWaveFixture(s, w, {
      orders: [
        { buyerId: b0, lines: [[0, 2]] },
        { buyerId: b1, lines: [[0, 1], [1, 1]] },
        { buyerId: b2, lines: [[0, 1]] },
      ],
    });
    const [sku0, sku1] = w.skuIds as [number, number];
    const leader = w.actor(w.leaderId, 'leader', 'resident');
    const list = await s.handoffs.arrivals(leader, undefined);
    const mine = list.find((a) => a.waveId === f.waveId)!;
    expect(mine.handoff).toBeNull();
    expect(mine.route).toMatchObject({ id: f.routeId, name: '网格仓 线路 1' });
    expect(mine.lines.map((l) => [l.skuId, l.expected])).toEqual([
      [sku0, 4],
      [sku1, 1],
    ]);

    // Four of sku0 were sent: two arrived good, one crushed, one never came → two missing.
    const res = await s.handoffs.signArrival(leader, w.pickupPointId, {
      waveId: f.waveId,
      lines: [
        { skuId: sku0, received: 2, damaged: 1 },
        { skuId: sku1, received: 1, damaged: 0 },
      ],
    });
    expect(res.handoff).toMatchObject({ kind: 'point_arrival', pickupPointId: w.pickupPointId, signedBy: w.leaderId });
    expect(res.shortages).toHaveLength(1);
    const [short] = res.shortages;
    expect(short).toMatchObject({ skuId: sku0, missing: 2 });
    // The last two to join lose one unit each, 990 fen exactly; the first keeps everything.
    expect(short!.refunds.map((r) => [r.orderId, r.quantity, r.amountFen])).toEqual([
      [f.orders[1]!.id, 1, 990],
      [f.orders[2]!.id, 1, 990],
    ]);
    expect(await status(f.orders[0]!.id)).toBe('ready');
    expect(await status(f.orders[1]!.id)).toBe('ready');
    expect(await status(f.orders[2]!.id)).toBe('refunded');
    const refunds = await db.query<{ order_id: number; kind: string; amount_fen: number; status: string }>(
      `SELECT order_id, kind, amount_fen, status FROM refunds WHERE order_id = ANY($1::bigint[]) ORDER BY order_id`,
      [f.orders.map((o) => o.id)],
    );
    expect(refunds.map((r) => [Number(r.order_id), r.kind, Number(r.amount_fen), r.status])).toEqual([
      [f.orders[1]!.id, 'shortage', 990, 'succeeded'],
      [f.orders[2]!.id, 'shortage', 990, 'succeeded'],
    ]);
    const incidents = await db.query<{ kind: string; quantity: number; supplier_id: number }>(
      `SELECT kind, quantity, supplier_id FROM supplier_incidents WHERE handoff_id = $1 ORDER BY kind`,
      [res.handoff.id],
    );
    expect(incidents.map((i) => [i.kind, i.quantity, Number(i.supplier_id)])).toEqual([
      ['damage', 1, f.supplierId],
      ['shortage', 1, f.supplierId],
    ]);
    expect(await s.ledger.verify()).toEqual([]);

    // Signed once: the list shows the sign-off, a second one is refused.
    const after = (await s.handoffs.arrivals(leader, undefined)).find((a) => a.waveId === f.waveId)!;
    expect(after.handoff?.id).toBe(res.handoff.id);
    const again = await fails(s.handoffs.signArrival(leader, w.pickupPointId, { waveId: f.waveId, lines: [{ skuId: sku0, received: 2, damaged: 0 }, { skuId: sku1, received: 1, damaged: 0 }] }));
    expect(again.kind).toBe('conflict');
    const page = await s.handoffs.incidents(w.actor(w.operatorId, 'operator'), { waveId: f.waveId, limit: 10 });
    expect(page.items.map((i) => i.kind).sort()).toEqual(['damage', 'shortage']);
  });

  it('only the point’s leader or an operator signs; every expected SKU once; a wave that sent nothing here is 409', async () => {
    const f = await makeWaveFixture(s, w, { orders: [{ buyerId: w.buyerIds[3]!, lines: [[1, 2]] }] });
    const sku1 = w.skuIds[1]!;
    const other = await makeOtherPoint(db, w);
    const body = { waveId: f.waveId, lines: [{ skuId: sku1, received: 2, damaged: 0 }] };
    expect((await fails(s.handoffs.signArrival(w.actor(other.leaderId, 'leader'), w.pickupPointId, body))).kind).toBe('forbidden');
    expect((await fails(s.handoffs.signArrival(w.actor(other.leaderId, 'leader'), other.pointId, body))).kind).toBe('conflict');
    expect((await fails(s.handoffs.signArrival(w.actor(w.leaderId, 'leader'), 999_999, body))).kind).toBe('not_found');
    const unknown = await fails(s.handoffs.signArrival(w.actor(w.leaderId, 'leader'), w.pickupPointId, { ...body, lines: [{ skuId: w.skuIds[0]!, received: 1, damaged: 0 }] }));
    expect(unknown).toMatchObject({ kind: 'bad_input', field: 'lines.0.skuId' });
    // An operator may sign for the point; with nothing missing nobody is refunded.
    const res = await s.handoffs.signArrival(w.actor(w.operatorId, 'operator'), w.pickupPointId, body);
    expect(res.shortages).toEqual([]);
    expect(await status(f.orders[0]!.id)).toBe('ready');
  });
});
