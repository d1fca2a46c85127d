import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../db/testing';
import { makeCommerceWorld, type CommerceWorld } from '../../flows/testing';
import { createTestApp, type TestApp } from '../testing';

// GET /api/orders/:id/payments: how a buyer gets back to an unpaid order's cashier.
describe.each(testBackends())('order payments over HTTP on %s', (backend) => {
  let t: TestApp;
  let w: CommerceWorld;
  let buyer: { id: number; token: string };
  let other: { id: number; token: string };
  let operator: { id: number; token: string };
  let orderId: number;
  let paymentId: number;

  beforeAll(async () => {
    t = await createTestApp(backend);
    w = await makeCommerceWorld(t.db, { buyers: 0, skus: [{ priceFen: 1290, stock: 10 }] });
    buyer = await t.user(['resident'], 'buyer');
    other = await t.user(['resident'], 'other');
    operator = await t.user(['operator'], 'op');
    const placed = await t.call('POST', '/api/orders', {
      token: buyer.token,
      headers: { 'idempotency-key': 'order-payments-1' },
      payload: { channel: 'group_buy', pickupPointId: w.pickupPointId, lines: [{ skuId: w.skuIds[0], quantity: 2 }] },
    });
    expect(placed.status).toBe(201);
    orderId = placed.body.order.id;
    paymentId = placed.body.payment.paymentId;
  });
  afterAll(async () => {
    await t.services.checkout.close();
    await t.close();
  });

  it('lists the open payment to its buyer and to operators, and to nobody else', async () => {
    const mine = await t.call('GET', `/api/orders/${orderId}/payments`, { token: buyer.token });
    expect(mine.status).toBe(200);
    expect(mine.body.items).toEqual([{ id: paymentId, provider: 'sandbox', status: 'created', amountFen: 2580, createdAt: expect.any(String) }]);
    expect((await t.call('GET', `/api/orders/${orderId}/payments`, { token: operator.token })).status).toBe(200);
    expect((await t.call('GET', `/api/orders/${orderId}/payments`, { token: other.token })).status).toBe(404);
    expect((await t.call('GET', `/api/orders/${orderId}/payments`)).status).toBe(401);
    expect((await t.call('GET', '/api/orders/nope/payments', { token: buyer.token })).status).toBe(400);
  });

  it('shows the payment succeeded once the buyer pays at the sandbox cashier', async () => {
    const paid = await t.call('POST', `/api/payments/sandbox/${paymentId}/pay`, { token: buyer.token, payload: {}, headers: { 'idempotency-key': 'pay-1' } });
    expect(paid.status).toBe(200);
    const after = await t.call('GET', `/api/orders/${orderId}/payments`, { token: buyer.token });
    expect(after.body.items.map((p: { status: string }) => p.status)).toEqual(['succeeded']);
  });
});
