import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../db/testing';
import { connectSandbox, makeCommerceWorld, type CommerceWorld } from '../../flows/testing';
import { createTestApp, type TestApp } from '../testing';

describe.each(testBackends())('recommendations over HTTP on %s', (backend) => {
  let t: TestApp;
  let w: CommerceWorld;
  let alice: { id: number; token: string };
  let bob: { id: number; token: string };

  beforeAll(async () => {
    t = await createTestApp(backend);
    connectSandbox(t.services);
    w = await makeCommerceWorld(t.db, { buyers: 0, skus: [{ priceFen: 500, stock: 50 }, { priceFen: 800, stock: 50 }] });
    alice = await t.user(['resident'], 'alice');
    bob = await t.user(['resident'], 'bob');
    // Recommendations are what their home shelf sells.
    for (const u of [alice, bob]) expect((await t.call('PUT', '/api/me/home', { token: u.token, payload: { communityId: w.communityId } })).status).toBe(200);
    // Alice buys SKU 0 twice, Bob SKU 1 once; both paid.
    let n = 0;
    const buy = async (token: string, skuId: number) => {
      const placed = await t.call('POST', '/api/orders', {
        token,
        payload: { channel: 'group_buy', pickupPointId: w.pickupPointId, lines: [{ skuId, quantity: 1 }] },
        headers: { 'idempotency-key': `m${++n}` },
      });
      expect(placed.status).toBe(201);
      const pay = placed.body.payment;
      await t.services.sandboxGateway.complete({ id: pay.paymentId, amountFen: pay.amountFen }, 'succeeded');
    };
    await buy(alice.token, w.skuIds[0]!);
    await buy(alice.token, w.skuIds[0]!);
    await buy(bob.token, w.skuIds[1]!);
    await t.services.matching.rebuild();
  });
  afterAll(async () => {
    await t.services.checkout.close();
    await t.close();
  });

  it('401 without a session; 400 naming limit when out of range', async () => {
    expect((await t.call('GET', '/api/me/recommendations')).status).toBe(401);
    const bad = await t.call('GET', '/api/me/recommendations?limit=0', { token: alice.token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('limit');
  });

  it("each resident gets their own list: their repeat item first, tagged 'repeat'", async () => {
    const a = await t.call('GET', '/api/me/recommendations?limit=5', { token: alice.token });
    expect(a.status).toBe(200);
    expect(a.body.items[0]).toMatchObject({ skuId: w.skuIds[0], reason: 'repeat', priceFen: 500, title: expect.any(String) });
    expect(typeof a.body.modelBuiltAt).toBe('string');
    const b = await t.call('GET', '/api/me/recommendations?limit=5', { token: bob.token });
    expect(b.body.items[0]).toMatchObject({ skuId: w.skuIds[1], reason: 'repeat' });
    // Bob's own item is not 'repeat' for Alice: nothing of Bob's history leaks into hers.
    expect(a.body.items.find((i: { skuId: number }) => i.skuId === w.skuIds[1])?.reason ?? 'popular').not.toBe('repeat');
  });
});
