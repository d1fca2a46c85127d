import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../db/testing';
import { connectSandbox, makeCommerceWorld, sessionToken, type CommerceWorld } from '../../flows/testing';
import { createTestApp, type TestApp } from '../testing';

describe.each(testBackends())('orders over HTTP on %s', (backend) => {
  let t: TestApp;
  let w: CommerceWorld;
  let buyer: { id: number; token: string };
  let other: { id: number; token: string };
  let operator: string;
  let leader: string;
  let storeOwner: string;
  let strangerOwner: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    connectSandbox(t.services);
    w = await makeCommerceWorld(t.db, {
      buyers: 0,
      skus: [
        { priceFen: 1000, stock: 20, storeStock: 5 },
        { priceFen: 333, stock: 20 },
      ],
    });
    buyer = await t.user(['resident'], 'buyer');
    other = await t.user(['resident'], 'other');
    operator = await sessionToken(t.db, w.operatorId);
    leader = await sessionToken(t.db, w.leaderId);
    storeOwner = await sessionToken(t.db, w.storeOwnerId);
    strangerOwner = (await t.user(['store_owner'], 'stranger')).token;
  });
  afterAll(async () => {
    await t.services.checkout.close();
    await t.close();
  });

  const count = async (table: string) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;
  const order = (lines: { skuId: number; quantity: number }[], extra: object = {}) => ({ channel: 'group_buy', pickupPointId: w.pickupPointId, lines, ...extra });
  const place = (token: string, key: string, body: object) => t.call('POST', '/api/orders', { token, payload: body, headers: { 'idempotency-key': key } });
  const pay = async (payment: { paymentId: number; amountFen: number }) => t.services.sandboxGateway.complete({ id: payment.paymentId, amountFen: payment.amountFen }, 'succeeded');

  it('refuses without a key, a session or good input, naming the field and writing nothing', async () => {
    const before = await count('orders');
    const noKey = await t.call('POST', '/api/orders', { token: buyer.token, payload: order([{ skuId: w.skuIds[0]!, quantity: 1 }]) });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.field).toBe('Idempotency-Key');
    expect((await place('', 'k0', order([{ skuId: w.skuIds[0]!, quantity: 1 }]))).status).toBe(401);
    const bad = await place(buyer.token, 'k0', order([{ skuId: w.skuIds[0]!, quantity: 0 }]));
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('lines.0.quantity');
    const float = await place(buyer.token, 'k0', order([{ skuId: w.skuIds[0]!, quantity: 1.5 }]));
    expect(float.status).toBe(400);
    expect(await count('orders')).toBe(before);
  });

  it('places, replays the same answer, refuses the key with another body', async () => {
    const body = order([{ skuId: w.skuIds[0]!, quantity: 2 }]);
    const a = await place(buyer.token, 'k1', body);
    expect(a.status).toBe(201);
    expect(a.body.order).toMatchObject({ status: 'pending_payment', totalFen: 2000, buyerAccountId: buyer.id });
    const b = await place(buyer.token, 'k1', body);
    expect(b.status).toBe(201);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.body).toEqual(a.body);
    const c = await place(buyer.token, 'k1', order([{ skuId: w.skuIds[0]!, quantity: 3 }]));
    expect(c.status).toBe(422);
    expect(c.body.error.field).toBe('Idempotency-Key');
  });

  it('a buyer sees only their own orders; the leader their point’s; an unrelated store owner none', async () => {
    const placed = await place(buyer.token, 'k2', order([{ skuId: w.skuIds[1]!, quantity: 1 }]));
    const id = placed.body.order.id;
    expect((await t.call('GET', `/api/orders/${id}`, { token: buyer.token })).status).toBe(200);
    expect((await t.call('GET', `/api/orders/${id}`, { token: other.token })).status).toBe(404);
    expect((await t.call('GET', `/api/orders/${id}`, { token: strangerOwner })).status).toBe(404);
    expect((await t.call('GET', `/api/orders/${id}`, { token: leader })).status).toBe(200);
    expect((await t.call('GET', `/api/orders/${id}`, { token: operator })).status).toBe(200);
    const mine = await t.call('GET', '/api/orders', { token: other.token });
    expect(mine.body.items).toEqual([]);
    expect((await t.call('GET', '/api/admin/orders', { token: buyer.token })).status).toBe(403);
    const all = await t.call('GET', `/api/admin/orders?buyerAccountId=${buyer.id}`, { token: operator });
    expect(all.body.items.map((o: { id: number }) => o.id)).toContain(id);
    // Someone else cannot cancel it; its buyer can.
    expect((await t.call('POST', `/api/orders/${id}/cancel`, { token: other.token })).status).toBe(404);
    const cancelled = await t.call('POST', `/api/orders/${id}/cancel`, { token: buyer.token });
    expect(cancelled.body.status).toBe('cancelled');
    expect((await t.call('POST', `/api/orders/${id}/cancel`, { token: buyer.token })).status).toBe(409);
  });

  it('store orders: the store’s owner lists them, another store owner may not', async () => {
    const placed = await place(buyer.token, 'k3', { channel: 'store_online', storeId: w.storeId, lines: [{ skuId: w.skuIds[0]!, quantity: 1 }] });
    expect(placed.status).toBe(201);
    expect(placed.body.order).toMatchObject({ storeId: w.storeId, channel: 'store_online' });
    const list = await t.call('GET', `/api/stores/${w.storeId}/orders`, { token: storeOwner });
    expect(list.body.items.map((o: { id: number }) => o.id)).toContain(placed.body.order.id);
    expect((await t.call('GET', `/api/stores/${w.storeId}/orders`, { token: strangerOwner })).status).toBe(403);
    expect((await t.call('GET', `/api/orders/${placed.body.order.id}`, { token: storeOwner })).status).toBe(200);
  });

  it('paid orders move along by the leader; a resident cannot; completion is final for events', async () => {
    const placed = await place(buyer.token, 'k4', order([{ skuId: w.skuIds[1]!, quantity: 3 }]));
    await pay(placed.body.payment);
    const id = placed.body.order.id;
    expect((await t.call('POST', `/api/orders/${id}/events`, { token: buyer.token, payload: { event: 'complete' } })).status).toBe(403);
    expect((await t.call('POST', `/api/orders/${id}/events`, { token: other.token, payload: { event: 'complete' } })).status).toBe(404);
    const done = await t.call('POST', `/api/orders/${id}/events`, { token: leader, payload: { event: 'complete' } });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('completed');
    expect((await t.call('POST', `/api/orders/${id}/events`, { token: leader, payload: { event: 'fulfil' } })).status).toBe(409);
  });

  it('refunds: operators only, with a key; partial by line in proportion, then the rest in full', async () => {
    const placed = await place(buyer.token, 'k5', order([{ skuId: w.skuIds[1]!, quantity: 3 }, { skuId: w.skuIds[0]!, quantity: 1 }]));
    await pay(placed.body.payment);
    const id = placed.body.order.id;
    const line = placed.body.order.lines.find((l: { skuId: number }) => l.skuId === w.skuIds[1]);
    const body = { kind: 'partial', lines: [{ orderLineId: line.id, quantity: 1 }], reason: '少了一个' };
    expect((await t.call('POST', `/api/orders/${id}/refunds`, { token: buyer.token, payload: body, headers: { 'idempotency-key': 'r1' } })).status).toBe(403);
    expect((await t.call('POST', `/api/orders/${id}/refunds`, { token: operator, payload: body })).status).toBe(400);
    const r1 = await t.call('POST', `/api/orders/${id}/refunds`, { token: operator, payload: body, headers: { 'idempotency-key': 'r1' } });
    expect(r1.status).toBe(201);
    expect(r1.body).toMatchObject({ amountFen: 333, status: 'succeeded', kind: 'partial' });
    const again = await t.call('POST', `/api/orders/${id}/refunds`, { token: operator, payload: body, headers: { 'idempotency-key': 'r1' } });
    expect(again.body).toEqual(r1.body);
    const over = await t.call('POST', `/api/orders/${id}/refunds`, {
      token: operator,
      payload: { kind: 'partial', lines: [{ orderLineId: line.id, quantity: 3 }], reason: '' },
      headers: { 'idempotency-key': 'r2' },
    });
    expect(over.status).toBe(400);
    expect(over.body.error.field).toBe('lines.0.quantity');
    const rest = await t.call('POST', `/api/orders/${id}/refunds`, { token: operator, payload: { kind: 'full', reason: '' }, headers: { 'idempotency-key': 'r3' } });
    expect(rest.status).toBe(201);
    expect(rest.body.amountFen).toBe(999 + 1000 - 333);
    const after = await t.call('GET', `/api/orders/${id}`, { token: buyer.token });
    expect(after.body).toMatchObject({ status: 'refunded', refundedFen: 1999, paidFen: 1999 });
    expect(await t.services.ledger.verify()).toEqual([]);
  });

  it('after-sales: the buyer asks with photos, the operator approves and the refund is made', async () => {
    const placed = await place(buyer.token, 'k6', order([{ skuId: w.skuIds[0]!, quantity: 2 }]));
    await pay(placed.body.payment);
    const id = placed.body.order.id;
    const lineId = placed.body.order.lines[0].id;
    const ask = { reason: 'damaged', description: '压坏了', photoUrls: ['https://img.example.com/a.jpg'], lines: [{ orderLineId: lineId, quantity: 1 }] };
    expect((await t.call('POST', `/api/orders/${id}/after-sales`, { token: other.token, payload: ask })).status).toBe(404);
    const bad = await t.call('POST', `/api/orders/${id}/after-sales`, { token: buyer.token, payload: { ...ask, photoUrls: ['javascript:alert(1)'] } });
    expect(bad.status).toBe(400);
    const opened = await t.call('POST', `/api/orders/${id}/after-sales`, { token: buyer.token, payload: ask });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ status: 'open', requestedFen: 1000 });
    const decide = (token: string, key: string) =>
      t.call('POST', `/api/after-sales/${opened.body.id}/decision`, { token, payload: { decision: 'approve', note: 'ok' }, headers: { 'idempotency-key': key } });
    expect((await decide(buyer.token, 'd1')).status).toBe(403);
    const approved = await decide(operator, 'd1');
    expect(approved.status).toBe(200);
    expect(approved.body.refund).toMatchObject({ amountFen: 1000, kind: 'after_sales' });
    expect((await decide(operator, 'd1')).body).toEqual(approved.body);
    expect((await decide(operator, 'd2')).status).toBe(409);
  });

  it('stock: operators and warehouse staff only; receipts take a key', async () => {
    expect((await t.call('GET', `/api/stock?warehouseId=${w.centralWarehouseId}`, { token: buyer.token })).status).toBe(403);
    const list = await t.call('GET', `/api/stock?warehouseId=${w.centralWarehouseId}`, { token: operator });
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBe(2);
    const body = { warehouseId: w.centralWarehouseId, skuId: w.skuIds[0]!, quantity: 5 };
    expect((await t.call('POST', '/api/stock/receipts', { token: operator, payload: body })).status).toBe(400);
    const r = await t.call('POST', '/api/stock/receipts', { token: operator, payload: body, headers: { 'idempotency-key': 's1' } });
    expect(r.status).toBe(201);
    const again = await t.call('POST', '/api/stock/receipts', { token: operator, payload: body, headers: { 'idempotency-key': 's1' } });
    expect(again.body).toEqual(r.body);
    expect((await t.call('GET', `/api/stock?storeId=${w.storeId}`, { token: storeOwner })).status).toBe(200);
    expect((await t.call('GET', `/api/stock?storeId=${w.storeId}`, { token: strangerOwner })).status).toBe(403);
  });
});
