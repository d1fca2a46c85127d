import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSandbox, makeCommerceWorld, sessionToken, type CommerceWorld } from '../../flows/testing';
import { createTestApp, type TestApp } from '../testing';

describe('order ratings over HTTP', () => {
  let t: TestApp;
  let w: CommerceWorld;
  let buyer: { id: number; token: string };
  let other: { id: number; token: string };
  let operator: string;
  let completed: number;
  let unpaid: number;

  beforeAll(async () => {
    t = await createTestApp();
    connectSandbox(t.services);
    w = await makeCommerceWorld(t.db, { buyers: 0, skus: [{ priceFen: 1000, stock: 20, storeStock: 5 }] });
    buyer = await t.user(['resident'], 'buyer');
    other = await t.user(['resident'], 'other');
    operator = await sessionToken(t.db, w.operatorId);
    const place = async (key: string) => {
      const r = await t.call('POST', '/api/orders', {
        token: buyer.token,
        headers: { 'idempotency-key': key },
        payload: { channel: 'store_online', storeId: w.storeId, fulfilment: 'pickup', lines: [{ skuId: w.skuIds[0]!, quantity: 1 }] },
      });
      expect(r.status).toBe(201);
      return r.body as { order: { id: number }; payment: { paymentId: number; amountFen: number } };
    };
    const a = await place('rate-1');
    await t.services.sandboxGateway.complete({ id: a.payment.paymentId, amountFen: a.payment.amountFen }, 'succeeded');
    await t.services.lifecycle.advance(w.actor(w.storeOwnerId, 'store_owner'), a.order.id, 'complete');
    completed = a.order.id;
    unpaid = (await place('rate-2')).order.id;
  });
  afterAll(async () => {
    await t.services.checkout.close();
    await t.close();
  });

  const rate = (token: string, id: number, payload: unknown) => t.call('POST', `/api/orders/${id}/rating`, { token, payload });
  const ratings = async () => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM order_ratings`))[0]!.n;
  const events = async () => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox_events WHERE topic = 'order.rated'`))[0]!.n;

  it('refuses bad input naming the field, other people’s orders and unfinished ones, writing nothing', async () => {
    expect((await rate(buyer.token, completed, { stars: 0 })).body.error.field).toBe('stars');
    expect((await rate(buyer.token, completed, { stars: 4.5 })).status).toBe(400);
    expect((await rate(buyer.token, completed, { stars: 3, comment: 'x'.repeat(301) })).body.error.field).toBe('comment');
    expect((await rate('', completed, { stars: 3 })).status).toBe(401);
    expect((await rate(other.token, completed, { stars: 3 })).status).toBe(404);
    expect((await rate(operator, completed, { stars: 3 })).status).toBe(404);
    expect((await rate(buyer.token, unpaid, { stars: 3 })).status).toBe(409);
    expect(await ratings()).toBe(0);
    expect(await events()).toBe(0);
  });

  it('rates a completed order once, with its order.rated event; a second rating is 409', async () => {
    const first = await rate(buyer.token, completed, { stars: 5, comment: ' 很好 ' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ orderId: completed, accountId: buyer.id, stars: 5, comment: '很好' });
    const again = await rate(buyer.token, completed, { stars: 1 });
    expect(again.status).toBe(409);
    expect(await ratings()).toBe(1);
    expect(await events()).toBe(1);
    expect((await t.call('GET', `/api/orders/${completed}/rating`, { token: buyer.token })).body.rating).toMatchObject({ stars: 5 });
    expect((await t.call('GET', `/api/orders/${completed}/rating`, { token: operator })).body.rating).toMatchObject({ stars: 5 });
    expect((await t.call('GET', `/api/orders/${completed}/rating`, { token: other.token })).status).toBe(404);
    expect((await t.call('GET', `/api/orders/${unpaid}/rating`, { token: buyer.token })).body).toEqual({ rating: null });
  });
});
