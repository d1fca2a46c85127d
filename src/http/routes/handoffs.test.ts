import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../db/testing';
import { makeOtherPoint, makeWaveFixture, type WaveFixture } from '../../flows/fulfilment/pickup.testing';
import { connectSandbox, makeCommerceWorld, sessionToken, type CommerceWorld } from '../../flows/testing';
import { createTestApp, type TestApp } from '../testing';

describe.each(testBackends())('hand-offs and pickup over HTTP on %s', (backend) => {
  let t: TestApp;
  let w: CommerceWorld;
  let f: WaveFixture;
  let leader: string;
  let operator: string;
  let staff: string;
  let otherLeader: string;
  let otherPointId: number;
  const buyer: string[] = [];

  beforeAll(async () => {
    t = await createTestApp(backend);
    connectSandbox(t.services);
    w = await makeCommerceWorld(t.db, { buyers: 3, skus: [{ priceFen: 990, stock: 0 }, { priceFen: 333, stock: 0 }] });
    f = await makeWaveFixture(t.services, w, {
      orders: [
        { buyerId: w.buyerIds[0]!, lines: [[0, 1], [1, 2]] },
        { buyerId: w.buyerIds[1]!, lines: [[0, 1]] },
        { buyerId: w.buyerIds[2]!, lines: [[1, 1]] },
      ],
    });
    leader = await sessionToken(t.db, w.leaderId);
    operator = await sessionToken(t.db, w.operatorId);
    staff = (await t.user(['warehouse_staff'], 'staff')).token;
    for (const id of w.buyerIds) buyer.push(await sessionToken(t.db, id));
    const other = await makeOtherPoint(t.db, w);
    otherPointId = other.pointId;
    otherLeader = await sessionToken(t.db, other.leaderId);
  });
  afterAll(async () => {
    await t.services.checkout.close();
    await t.close();
  });

  const ik = (key: string) => ({ 'idempotency-key': key });
  const [sku0, sku1] = [() => w.skuIds[0]!, () => w.skuIds[1]!];

  it('central receipt: warehouse staff with a key; residents refused; the incident list is for operators', async () => {
    const body = { lines: [{ skuId: sku0(), received: 2, damaged: 0 }, { skuId: sku1(), received: 2, damaged: 1 }] };
    expect((await t.call('POST', `/api/purchase-orders/${f.purchaseOrderId}/receipt`, { token: staff, payload: body })).body.error.field).toBe('Idempotency-Key');
    expect((await t.call('POST', `/api/purchase-orders/${f.purchaseOrderId}/receipt`, { token: buyer[0], payload: body, headers: ik('r1') })).status).toBe(403);
    const res = await t.call('POST', `/api/purchase-orders/${f.purchaseOrderId}/receipt`, { token: staff, payload: body, headers: ik('r1') });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'central_receipt', purchaseOrderId: f.purchaseOrderId });
    expect(res.body.lines.find((l: { skuId: number }) => l.skuId === sku1())).toMatchObject({ expected: 3, received: 2, damaged: 1, missing: 1 });
    const replay = await t.call('POST', `/api/purchase-orders/${f.purchaseOrderId}/receipt`, { token: staff, payload: body, headers: ik('r1') });
    expect(replay.body).toEqual(res.body);
    expect((await t.call('POST', `/api/purchase-orders/${f.purchaseOrderId}/receipt`, { token: staff, payload: body, headers: ik('r2') })).status).toBe(409);

    expect((await t.call('GET', '/api/admin/supplier-incidents', { token: leader })).status).toBe(403);
    const incidents = await t.call('GET', `/api/admin/supplier-incidents?waveId=${f.waveId}`, { token: operator });
    expect(incidents.status).toBe(200);
    expect(incidents.body.items).toEqual([expect.objectContaining({ kind: 'damage', quantity: 1, skuId: sku1(), supplier: expect.objectContaining({ id: f.supplierId }) })]);
  });

  it('dispatch by warehouse staff; a resident is refused', async () => {
    expect((await t.call('POST', `/api/routes/${f.routeId}/dispatch`, { token: buyer[0] })).status).toBe(403);
    const res = await t.call('POST', `/api/routes/${f.routeId}/dispatch`, { token: staff });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: f.routeId, status: 'dispatched', stops: [expect.objectContaining({ pickupPoint: expect.objectContaining({ id: w.pickupPointId }) })] });
  });

  it('arrival: another point’s leader is refused; the leader signs one shortage and the last buyer is refunded', async () => {
    const arrivals = await t.call('GET', '/api/leader/arrivals', { token: leader });
    expect(arrivals.status).toBe(200);
    expect(arrivals.body[0]).toMatchObject({ waveId: f.waveId, handoff: null, route: { id: f.routeId } });
    expect((await t.call('GET', '/api/leader/arrivals', { token: otherLeader })).body).toEqual([]);
    const body = { waveId: f.waveId, lines: [{ skuId: sku0(), received: 2, damaged: 0 }, { skuId: sku1(), received: 2, damaged: 0 }] };
    expect((await t.call('POST', `/api/pickup-points/${w.pickupPointId}/arrival`, { token: otherLeader, payload: body, headers: ik('a1') })).status).toBe(403);
    expect((await t.call('POST', `/api/pickup-points/999999/arrival`, { token: leader, payload: body, headers: ik('a1') })).status).toBe(404);
    const res = await t.call('POST', `/api/pickup-points/${w.pickupPointId}/arrival`, { token: leader, payload: body, headers: ik('a1') });
    expect(res.status).toBe(200);
    // sku1: 3 expected, 2 received → the last to join (order 3, one unit of 333) is refunded.
    expect(res.body.shortages).toEqual([{ skuId: sku1(), title: expect.any(String), missing: 1, refunds: [{ orderId: f.orders[2]!.id, refundId: expect.any(Number), quantity: 1, amountFen: 333 }] }]);
    expect((await t.call('GET', `/api/orders/${f.orders[2]!.id}`, { token: buyer[2] })).body.status).toBe('refunded');
    expect((await t.call('GET', `/api/orders/${f.orders[0]!.id}`, { token: buyer[0] })).body.status).toBe('ready');
    expect((await t.call('POST', `/api/pickup-points/${w.pickupPointId}/arrival`, { token: leader, payload: body, headers: ik('a2') })).status).toBe(409);
  });

  it('pickup codes: the buyer only; lookup by code; a wrong code is []; another leader is refused', async () => {
    const id = f.orders[1]!.id;
    expect((await t.call('GET', `/api/orders/${id}/pickup-code`, { token: buyer[0] })).status).toBe(404);
    expect((await t.call('GET', `/api/orders/${id}/pickup-code`, { token: leader })).status).toBe(404);
    const mine = await t.call('GET', `/api/orders/${id}/pickup-code`, { token: buyer[1] });
    expect(mine.status).toBe(200);
    const found = await t.call('POST', `/api/pickup-points/${w.pickupPointId}/pickups/lookup`, { token: leader, payload: { code: mine.body.code } });
    expect(found.body).toEqual([expect.objectContaining({ orderId: id, relayNo: 2, status: 'ready' })]);
    const wrong = String((Number(mine.body.code) + 7) % 100_000_000).padStart(8, '0');
    expect((await t.call('POST', `/api/pickup-points/${w.pickupPointId}/pickups/lookup`, { token: leader, payload: { code: wrong } })).body).toEqual([]);
    expect((await t.call('POST', `/api/pickup-points/${w.pickupPointId}/pickups/lookup`, { token: otherLeader, payload: { code: mine.body.code } })).status).toBe(403);
    expect((await t.call('POST', `/api/pickup-points/${otherPointId}/pickups/lookup`, { token: otherLeader, payload: { qr: mine.body.qr } })).body).toEqual([]);
  });

  it('pickup is idempotent: the same key answers the same, nothing is handed over twice; undo takes it back', async () => {
    const o = f.orders[0]!;
    const { code } = (await t.call('GET', `/api/orders/${o.id}/pickup-code`, { token: buyer[0] })).body;
    const body = { orderId: o.id, code, lines: [{ orderLineId: o.lines[1]!.id, quantity: 1 }] };
    const url = `/api/pickup-points/${w.pickupPointId}/pickups`;
    expect((await t.call('POST', url, { token: otherLeader, payload: body, headers: ik('p1') })).status).toBe(403);
    expect((await t.call('POST', url, { token: leader, payload: body })).status).toBe(400);
    const first = await t.call('POST', url, { token: leader, payload: body, headers: ik('p1') });
    expect(first.status).toBe(200);
    const again = await t.call('POST', url, { token: leader, payload: body, headers: ik('p1') });
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const [picked] = await t.db.query<{ n: number; q: number }>(`SELECT count(*)::int AS n, coalesce(sum(quantity), 0)::int AS q FROM pickups WHERE order_id = $1`, [o.id]);
    expect(picked).toEqual({ n: 1, q: 1 });
    const over = await t.call('POST', url, { token: leader, payload: { ...body, lines: [{ orderLineId: o.lines[1]!.id, quantity: 2 }] }, headers: ik('p2') });
    expect(over.status).toBe(400);
    expect(over.body.error.field).toBe('lines.0.quantity');

    const rest = await t.call('POST', url, { token: leader, payload: { orderId: o.id, code }, headers: ik('p3') });
    expect(rest.body).toMatchObject({ orderId: o.id, completed: true });
    // A full refund of a wholly picked order is for after-sales.
    const refund = await t.call('POST', `/api/orders/${o.id}/refunds`, { token: operator, payload: { kind: 'full', reason: '' }, headers: ik('rf1') });
    expect(refund.status).toBe(409);
    expect(refund.body.error.message).toMatch(/after-sales/);

    expect((await t.call('POST', `/api/pickups/${rest.body.scanId}/undo`, { token: otherLeader })).status).toBe(404);
    const undo = await t.call('POST', `/api/pickups/${rest.body.scanId}/undo`, { token: leader });
    expect(undo.body).toEqual({ orderId: o.id, undone: 2 });
    expect((await t.call('GET', `/api/orders/${o.id}`, { token: buyer[0] })).body.status).toBe('ready');
    await t.db.query(`UPDATE pickups SET picked_at = picked_at - interval '2 hours' WHERE scan_id = $1`, [first.body.scanId]);
    expect((await t.call('POST', `/api/pickups/${first.body.scanId}/undo`, { token: leader })).status).toBe(409);
  });

  it('the leader’s orders and after-sales queue show only their point', async () => {
    const mine = await t.call('GET', `/api/leader/orders?campaignId=${f.campaignId}`, { token: leader });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((o: { relayNo: number }) => o.relayNo)).toEqual([3, 2, 1]);
    expect(mine.body.items[0]).toMatchObject({ orderId: f.orders[2]!.id, status: 'refunded', refundedFen: 333 });
    const [{ today }] = (await t.db.query<{ today: string }>(`SELECT to_char(current_date, 'YYYY-MM-DD') AS today`)) as [{ today: string }];
    expect((await t.call('GET', `/api/leader/orders?date=${today}`, { token: leader })).body.items).toHaveLength(3);
    expect((await t.call('GET', `/api/leader/orders?date=2000-01-01`, { token: leader })).body.items).toEqual([]);
    const paged = await t.call('GET', `/api/leader/orders?limit=2`, { token: leader });
    expect(paged.body.nextCursor).not.toBeNull();
    const next = await t.call('GET', `/api/leader/orders?limit=2&cursor=${paged.body.nextCursor}`, { token: leader });
    expect(next.body.items.map((o: { orderId: number }) => o.orderId)).toEqual([f.orders[0]!.id]);
    expect((await t.call('GET', '/api/leader/orders', { token: otherLeader })).body.items).toEqual([]);
    expect((await t.call('GET', '/api/leader/orders', { token: buyer[0] })).status).toBe(403);

    const asked = await t.call('POST', `/api/orders/${f.orders[0]!.id}/after-sales`, {
      token: buyer[0],
      payload: { reason: 'quality', lines: [{ orderLineId: f.orders[0]!.lines[1]!.id, quantity: 1 }] },
    });
    expect(asked.status).toBe(201);
    const queue = await t.call('GET', '/api/leader/after-sales?status=open', { token: leader });
    expect(queue.body.items.map((r: { id: number }) => r.id)).toEqual([asked.body.id]);
    expect(queue.body.items[0]).toMatchObject({ relayNo: expect.any(Number), buyerName: expect.any(String) });
    expect((await t.call('GET', '/api/leader/after-sales', { token: otherLeader })).body.items).toEqual([]);
  });
});
