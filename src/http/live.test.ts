import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { connectSandbox, makeCommerceWorld, sessionToken, type CommerceWorld } from '../flows/testing';
import { createTestApp, type TestApp } from './testing';

/** Messages a socket receives, and a way to wait for one that matches. */
function inbox(ws: WebSocket) {
  const got: { type: string; order?: { id: number; status: string } }[] = [];
  const waiters: { match: (m: (typeof got)[number]) => boolean; resolve: (m: (typeof got)[number]) => void }[] = [];
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as (typeof got)[number];
    got.push(m);
    for (const w of [...waiters]) if (w.match(m)) w.resolve(m);
  });
  return {
    got,
    next(match: (m: (typeof got)[number]) => boolean, ms: number) {
      const seen = got.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise<(typeof got)[number]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching message within ${ms} ms`)), ms);
        waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
  };
}


describe('the store’s live order queue (WebSocket)', () => {
  let t: TestApp;
  let w: CommerceWorld;
  let clerkToken: string;
  let otherClerkToken: string;
  let buyerToken: string;
  let otherStoreId: number;

  beforeAll(async () => {
    t = await createTestApp('pglite');
    connectSandbox(t.services);
    w = await makeCommerceWorld(t.db, { buyers: 1, skus: [{ priceFen: 800, stock: 10, storeStock: 10 }] });
    const clerk = await t.user(['store_clerk'], 'clerk');
    await t.db.query(`INSERT INTO store_clerks (store_id, account_id) VALUES ($1, $2)`, [w.storeId, clerk.id]);
    clerkToken = clerk.token;
    otherStoreId = (
      await t.db.query<{ id: number }>(
        `INSERT INTO stores (region_id, owner_account_id, name, address, lat, lng, delivery_radius_m, opens_at, closes_at)
         VALUES ($1, $2, '别家', '3号楼', 30.1, 120.1, 500, '00:00', '23:59') RETURNING id`,
        [w.regionId, w.storeOwnerId],
      )
    )[0]!.id;
    const otherClerk = await t.user(['store_clerk'], 'other-clerk');
    await t.db.query(`INSERT INTO store_clerks (store_id, account_id) VALUES ($1, $2)`, [otherStoreId, otherClerk.id]);
    otherClerkToken = otherClerk.token;
    buyerToken = await sessionToken(t.db, w.buyerIds[0]!);
    await t.services.events.start();
  });
  /** Listeners go on before the socket opens, so the first message is not missed. */
  async function connect(path: string): Promise<[WebSocket, ReturnType<typeof inbox>]> {
    let box: ReturnType<typeof inbox> | undefined;
    const ws = await t.app.injectWS(path, {}, { onInit: (s) => (box = inbox(s)) });
    return [ws, box!];
  }

  function refusal(path: string): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      t.app.injectWS(path, {}, { onInit: (s) => s.on('close', (code) => resolve(code)) }).catch(reject);
    });
  }

  afterAll(async () => {
    await t.services.events.stop();
    await t.services.checkout.close();
    await t.close();
  });

  it('pushes an online order to its store’s clerk within a second of payment, and not to another store’s', async () => {
    const [ws, mine] = await connect(`/api/stores/${w.storeId}/live?token=${encodeURIComponent(clerkToken)}`);
    const [other, theirs] = await connect(`/api/stores/${otherStoreId}/live?token=${encodeURIComponent(otherClerkToken)}`);
    await mine.next((m) => m.type === 'hello', 1000);
    await theirs.next((m) => m.type === 'hello', 1000);

    const placed = await t.call('POST', '/api/orders', {
      token: buyerToken,
      payload: { channel: 'store_online', storeId: w.storeId, fulfilment: 'delivery', lines: [{ skuId: w.skuIds[0]!, quantity: 1 }] },
      headers: { 'idempotency-key': 'live-1' },
    });
    expect(placed.status).toBe(201);
    const orderId = placed.body.order.id as number;
    const t0 = Date.now();
    await t.services.sandboxGateway.complete({ id: placed.body.payment.paymentId, amountFen: 800 }, 'succeeded');
    const pushed = await mine.next((m) => m.type === 'order' && m.order?.id === orderId && m.order.status === 'paid', 1000);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(pushed.order).toMatchObject({ id: orderId, storeId: w.storeId, channel: 'store_online' });

    // The clerk accepts it (while the relay runs): the queue sees that too.
    const accepted = await t.call('POST', `/api/orders/${orderId}/events`, { token: clerkToken, payload: { event: 'fulfil' } });
    expect(accepted.status).toBe(200);
    await mine.next((m) => m.type === 'order' && m.order?.id === orderId && m.order.status === 'fulfilling', 1000);
    // Anything for the other store would have arrived by now: it gets nothing.
    await new Promise((r) => setTimeout(r, 300));
    expect(theirs.got.filter((m) => m.type === 'order')).toEqual([]);
    ws.terminate();
    other.terminate();
  });

  it('refuses a resident (4403), no session (4401) and an unknown store (4404)', async () => {
    expect(await refusal(`/api/stores/${w.storeId}/live?token=${encodeURIComponent(buyerToken)}`)).toBe(4403);
    expect(await refusal(`/api/stores/${w.storeId}/live`)).toBe(4401);
    expect(await refusal(`/api/stores/999999999/live?token=${encodeURIComponent(clerkToken)}`)).toBe(4404);
  });
});
