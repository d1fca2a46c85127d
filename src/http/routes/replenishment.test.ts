import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCommerceWorld, sessionToken, type CommerceWorld } from '../../flows/testing';
import { seedWholesalePrices } from '../../modules/stores';
import { createTestApp, type TestApp } from '../testing';

describe('replenishment and finance routes', () => {
  let t: TestApp;
  let w: CommerceWorld;
  let owner: string;
  let clerk: string;
  let otherClerk: string;
  let otherStoreId: number;

  beforeAll(async () => {
    t = await createTestApp();
    w = await makeCommerceWorld(t.db, { buyers: 1, skus: [{ priceFen: 1000, stock: 100, storeStock: 5 }, { priceFen: 250, stock: 100 }] });
    await seedWholesalePrices(t.db, w.regionId, 70, 2);
    owner = await sessionToken(t.db, w.storeOwnerId);
    const c = await t.user(['store_clerk'], '店员');
    await t.db.query('INSERT INTO store_clerks (store_id, account_id) VALUES ($1, $2)', [w.storeId, c.id]);
    clerk = c.token;
    const [other] = await t.db.query<{ id: number }>(
      `INSERT INTO stores (region_id, owner_account_id, name, address, lat, lng, delivery_radius_m, opens_at, closes_at)
       VALUES ($1, $2, '别家', '9号', 30.5, 120.5, 1000, '07:00', '22:00') RETURNING id`,
      [w.regionId, w.operatorId],
    );
    otherStoreId = other!.id;
    const oc = await t.user(['store_clerk'], '别家店员');
    await t.db.query('INSERT INTO store_clerks (store_id, account_id) VALUES ($1, $2)', [otherStoreId, oc.id]);
    otherClerk = oc.token;
  });
  afterAll(async () => {
    await t.services.checkout.close();
    await t.close();
  });

  const base = () => `/api/stores/${w.storeId}`;

  it('GET wholesale and suggestions: the store’s owner and clerks only', async () => {
    expect((await t.call('GET', `${base()}/wholesale`)).status).toBe(401);
    expect((await t.call('GET', `${base()}/wholesale`, { token: otherClerk })).status).toBe(403);
    expect((await t.call('GET', '/api/stores/999999/wholesale', { token: clerk })).status).toBe(404);
    const page = await t.call('GET', `${base()}/wholesale?limit=1`, { token: clerk });
    expect(page.status).toBe(200);
    expect(page.body.items).toEqual([
      { skuId: w.skuIds[0], title: '测试商品1', spec: '500g', unit: '份', wholesalePriceFen: 700, caseSize: 2, retailPriceFen: 1000, available: 100 },
    ]);
    const rest = await t.call('GET', `${base()}/wholesale?cursor=${page.body.nextCursor}`, { token: clerk });
    expect(rest.body).toMatchObject({ items: [{ skuId: w.skuIds[1], wholesalePriceFen: 175 }], nextCursor: null });

    const sug = await t.call('GET', `${base()}/replenishment/suggestions`, { token: clerk });
    expect(sug.status).toBe(200);
    expect(sug.body).toEqual({ lines: [], targetDays: 7 });
    expect((await t.call('GET', `${base()}/replenishment/suggestions?targetDays=0`, { token: clerk })).status).toBe(400);
    expect((await t.call('GET', `${base()}/replenishment/suggestions`, { token: otherClerk })).status).toBe(403);
  });

  it('POST orders (owner, Idempotency-Key) → pay → list → receive (clerk, Idempotency-Key)', async () => {
    const order = (token: string, key: string | null, lines = [{ skuId: w.skuIds[0], quantity: 4 }]) =>
      t.call('POST', `${base()}/replenishment/orders`, { token, payload: { lines }, ...(key ? { headers: { 'idempotency-key': key } } : {}) });
    expect((await order(owner, null)).status).toBe(400);
    expect((await order(clerk, 'c-1')).status).toBe(403);
    expect((await order(otherClerk, 'oc-1')).status).toBe(403);
    const odd = await order(owner, 'o-odd', [{ skuId: w.skuIds[0], quantity: 3 }]);
    expect(odd.status).toBe(400);
    expect(odd.body.error.field).toBe('lines.0.quantity');

    const first = await order(owner, 'o-1');
    expect(first.status).toBe(201);
    expect(first.body.order).toMatchObject({ channel: 'replenishment', status: 'pending_payment', totalFen: 2800, storeId: w.storeId });
    expect(first.body.order.deliveryDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const again = await order(owner, 'o-1');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.order.id).toBe(first.body.order.id);
    await t.services.sandboxGateway.complete({ id: first.body.payment.paymentId, amountFen: first.body.payment.amountFen }, 'succeeded');

    const list = await t.call('GET', `${base()}/replenishment/orders`, { token: clerk });
    expect(list.status).toBe(200);
    expect(list.body.items.map((o: { id: number; status: string }) => [o.id, o.status])).toEqual([[first.body.order.id, 'paid']]);
    expect((await t.call('GET', `${base()}/replenishment/orders`, { token: otherClerk })).status).toBe(403);

    const id = first.body.order.id;
    const receive = (token: string, key: string | null, storeId = w.storeId) =>
      t.call('POST', `/api/stores/${storeId}/replenishment/orders/${id}/receive`, {
        token,
        payload: { lines: [{ skuId: w.skuIds[0], received: 4 }] },
        ...(key ? { headers: { 'idempotency-key': key } } : {}),
      });
    expect((await receive(clerk, null)).status).toBe(400);
    expect((await receive(otherClerk, 'r-x')).status).toBe(403);
    expect((await receive(otherClerk, 'r-y', otherStoreId)).status).toBe(404);
    const got = await receive(clerk, 'r-1');
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id, status: 'completed' });
    expect(got.body.receivedAt).not.toBeNull();
    const twice = await receive(clerk, 'r-1');
    expect(twice.headers['idempotent-replayed']).toBe('true');
    expect(twice.body).toEqual(got.body);
    const stock = await t.services.inventory.level({ locationId: await t.services.inventory.locationOfStore(w.storeId), skuId: w.skuIds[0]! });
    expect(stock.onHand).toBe(5 + 4);
  });

  it('GET finance: the owner only; payouts stay with the ledger endpoints', async () => {
    expect((await t.call('GET', `${base()}/finance`, { token: clerk })).status).toBe(403);
    const bad = await t.call('GET', `${base()}/finance?from=10-05-2026`, { token: owner });
    expect(bad.status).toBe(400);
    const f = await t.call('GET', `${base()}/finance`, { token: owner });
    expect(f.status).toBe(200);
    expect(f.body.days).toHaveLength(7);
    expect(f.body.totals).toEqual({ counterFen: 0, onlineFen: 0, costFen: 0, refundsFen: 0, marginFen: 0, orders: 0 });
    expect(f.body.balance).toMatchObject({ availableFen: 0, frozenFen: 0 });
    const me = await t.call('GET', '/api/ledger/me', { token: owner });
    expect(me.status).toBe(200);
  });
});
