import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { selectRows } from '../db';
import { testBackends } from '../db/testing';
import { connectSandbox, makeCommerceWorld, sessionToken, type CommerceWorld } from '../flows/testing';
import { createTestApp, type TestApp } from './testing';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- room messages are read freely
type Msg = { type: string } & Record<string, any>;

/** Messages a socket receives, and a way to wait for one that matches. */
function inbox(ws: WebSocket) {
  const got: Msg[] = [];
  const waiters: { match: (m: Msg) => boolean; resolve: (m: Msg) => void }[] = [];
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as Msg;
    got.push(m);
    for (const w of [...waiters]) if (w.match(m)) w.resolve(m);
  });
  return {
    got,
    next(match: (m: Msg) => boolean, ms = 2000) {
      const seen = got.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise<Msg>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching message within ${ms} ms; got ${JSON.stringify(got.map((g) => g.type))}`)), ms);
        waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
  };
}

describe.each(testBackends())('the live room (WebSocket) and its moderation on %s', (backend) => {
  let t: TestApp;
  let w: CommerceWorld;
  let host: { id: number; token: string };
  let otherHost: { id: number; token: string };
  let operatorToken: string;
  let viewers: { id: number; token: string }[];
  let sessionId: number;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    t = await createTestApp(backend);
    connectSandbox(t.services);
    w = await makeCommerceWorld(t.db, { buyers: 6, skus: [{ priceFen: 1200, stock: 50 }, { priceFen: 800, stock: 50 }] });
    host = await t.user(['host'], '主播');
    otherHost = await t.user(['host'], '别的主播');
    operatorToken = await sessionToken(t.db, w.operatorId);
    viewers = await Promise.all(w.buyerIds.map(async (id) => ({ id, token: await sessionToken(t.db, id) })));
    expect((await t.call('PUT', '/api/host/profile', { token: host.token, payload: { displayName: '林小鹿', regionId: w.regionId } })).status).toBe(200);
    const created = await t.call('POST', '/api/host/sessions', {
      token: host.token,
      headers: { 'idempotency-key': 'room-session' },
      payload: {
        title: '今晚好物',
        scheduledAt: new Date(Date.now() + 60_000).toISOString(),
        streamUrl: 'https://cdn.example.com/live/1.m3u8',
        bag: [
          { skuId: w.skuIds[0]!, livePriceFen: 990, allotted: 20 },
          { skuId: w.skuIds[1]!, livePriceFen: 590, allotted: 20 },
        ],
      },
    });
    expect(created.status).toBe(201);
    sessionId = created.body.session.id;
    expect((await t.call('POST', `/api/host/sessions/${sessionId}/start`, { token: host.token })).status).toBe(200);
    await t.services.events.start();
  });

  afterAll(async () => {
    for (const s of sockets) s.terminate();
    await t.services.events.stop();
    await t.services.checkout.close();
    await t.close();
  });

  async function connect(query = ''): Promise<[WebSocket, ReturnType<typeof inbox>]> {
    let box: ReturnType<typeof inbox> | undefined;
    const ws = await t.app.injectWS(`/api/live/sessions/${sessionId}/room${query}`, {}, { onInit: (s) => (box = inbox(s)) });
    sockets.push(ws);
    await box!.next((m) => m.type === 'hello');
    return [ws, box!];
  }

  const as = (token: string) => `?token=${encodeURIComponent(token)}`;

  function closeCode(path: string): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      t.app.injectWS(path, {}, { onInit: (s) => s.on('close', (code) => resolve(code)) }).catch(reject);
    });
  }

  async function pin(skuId: number) {
    const res = await t.call('POST', `/api/host/sessions/${sessionId}/pin`, { token: host.token, payload: { skuId } });
    expect(res.status).toBe(200);
  }

  it('greets an anonymous viewer with the session and broadcasts a new pin, counting exposures', async () => {
    const [, anon] = await connect();
    const hello = anon.got[0]!;
    expect(hello).toMatchObject({ type: 'hello', session: { id: sessionId, status: 'live' }, pin: null, flashSale: null, coupons: [], you: null });
    expect(hello.online).toBeGreaterThanOrEqual(1);
    expect(hello.bag.map((b: { skuId: number }) => b.skuId)).toEqual([w.skuIds[0], w.skuIds[1]]);

    await pin(w.skuIds[0]!);
    const pinned = await anon.next((m) => m.type === 'pin' && m.pin !== null);
    expect(pinned.pin).toMatchObject({ sessionId, skuId: w.skuIds[0], title: '测试商品1', endedAt: null });

    // A viewer joining while it is pinned sees it in hello and is one more exposure.
    const [, late] = await connect();
    expect(late.got[0]!.pin).toMatchObject({ id: pinned.pin.id });
    const dash = await t.call('GET', `/api/live/sessions/${sessionId}/dashboard`, { token: host.token });
    expect(dash.status).toBe(200);
    expect(dash.body.pins).toEqual([expect.objectContaining({ pinId: pinned.pin.id, skuId: w.skuIds[0], exposures: 2 })]);
    expect(dash.body.funnel.exposures).toBe(2);

    // Anonymous viewers watch but do not chat.
    const [anonWs2, anon2] = [sockets[1]!, late];
    anonWs2.send(JSON.stringify({ type: 'chat', body: '你好' }));
    expect(await anon2.next((m) => m.type === 'error')).toMatchObject({ code: 'unauthenticated' });
  });

  it('broadcasts chat with a masked name, refuses a second message within 2 s, and counts it', async () => {
    const [, watcher] = await connect();
    const [ws, me] = await connect(as(viewers[0]!.token));
    expect(me.got[0]!.you).toEqual({ accountId: viewers[0]!.id, moderator: false, muted: false });
    ws.send(JSON.stringify({ type: 'chat', body: '  这个多少钱？  ' }));
    const chat = await watcher.next((m) => m.type === 'chat' && m.accountId === viewers[0]!.id);
    expect(chat).toMatchObject({ body: '这个多少钱？', name: '买*' });
    expect(chat.id).toBeGreaterThan(0);

    ws.send(JSON.stringify({ type: 'chat', body: '再问一次' }));
    const refused = await me.next((m) => m.type === 'error' && m.code === 'rate_limited');
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(2000);

    ws.send(JSON.stringify({ type: 'chat', body: 'x'.repeat(201) }));
    expect(await me.next((m) => m.type === 'error' && m.code === 'bad_input')).toMatchObject({ message: expect.stringMatching(/200/) });

    // Stored with the next batch (within a tick), under the id the room was given.
    await expect.poll(async () => (await selectRows<{ body: string }>(t.db.orm, sql`SELECT body FROM live_chat_messages WHERE id = ${chat.id}`))[0]?.body, { timeout: 3000 }).toBe('这个多少钱？');
    const dash = await t.call('GET', `/api/live/sessions/${sessionId}/dashboard`, { token: host.token });
    expect(dash.body.totals.chats).toBeGreaterThanOrEqual(1);
  });

  it('aggregates likes into one broadcast of the total', async () => {
    const [, watcher] = await connect();
    const [ws] = await connect(as(viewers[1]!.token));
    const before = watcher.got[0]!.likes as number;
    for (let i = 0; i < 3; i++) ws.send(JSON.stringify({ type: 'like', count: 5 }));
    const likes = await watcher.next((m) => m.type === 'likes' && m.total === before + 15);
    expect(likes.total).toBe(before + 15);
    expect(watcher.got.filter((m) => m.type === 'likes').length).toBeLessThanOrEqual(2);
  });

  it('lets the host mute and remove, and the room hears of the removal', async () => {
    const [, watcher] = await connect();
    const [talkerWs, talker] = await connect(as(viewers[2]!.token));
    talkerWs.send(JSON.stringify({ type: 'chat', body: '广告：加微信' }));
    const spam = await watcher.next((m) => m.type === 'chat' && m.accountId === viewers[2]!.id);

    const removed = await t.call('DELETE', `/api/host/sessions/${sessionId}/chat/${spam.id}`, { token: host.token });
    expect(removed.status).toBe(200);
    expect(await watcher.next((m) => m.type === 'chat_removed')).toEqual({ type: 'chat_removed', id: spam.id });
    const row = (await selectRows<{ removedBy: number }>(t.db.orm, sql`SELECT removed_by AS "removedBy" FROM live_chat_messages WHERE id = ${spam.id}`))[0];
    expect(Number(row!.removedBy)).toBe(host.id);
    // A new viewer's history leaves it out.
    const [, fresh] = await connect();
    expect(fresh.got[0]!.chats.map((c: { id: number }) => c.id)).not.toContain(spam.id);

    const muted = await t.call('POST', `/api/host/sessions/${sessionId}/mutes`, { token: host.token, payload: { accountId: viewers[2]!.id } });
    expect(muted.status).toBe(200);
    expect(muted.body).toEqual({ sessionId, accountId: viewers[2]!.id, muted: true });
    talkerWs.send(JSON.stringify({ type: 'chat', body: '我又来了' }));
    expect(await talker.next((m) => m.type === 'error' && m.code === 'muted')).toMatchObject({ code: 'muted' });

    // An operator unmutes; the rate limit still applies from the last accepted message.
    const unmuted = await t.call('DELETE', `/api/host/sessions/${sessionId}/mutes/${viewers[2]!.id}`, { token: operatorToken });
    expect(unmuted.body).toEqual({ sessionId, accountId: viewers[2]!.id, muted: false });
    await new Promise((r) => setTimeout(r, 2000));
    talkerWs.send(JSON.stringify({ type: 'chat', body: '我改了' }));
    await watcher.next((m) => m.type === 'chat' && m.body === '我改了');
  });

  it('refuses moderation and the dashboard to anyone but the host and operators', async () => {
    const body = { accountId: viewers[3]!.id };
    expect((await t.call('POST', `/api/host/sessions/${sessionId}/mutes`, { payload: body })).status).toBe(401);
    expect((await t.call('POST', `/api/host/sessions/${sessionId}/mutes`, { token: viewers[4]!.token, payload: body })).status).toBe(403);
    expect((await t.call('POST', `/api/host/sessions/${sessionId}/mutes`, { token: otherHost.token, payload: body })).status).toBe(404);
    expect((await t.call('DELETE', `/api/host/sessions/${sessionId}/chat/1`, { token: viewers[4]!.token })).status).toBe(403);
    expect((await t.call('GET', `/api/live/sessions/${sessionId}/dashboard`, { token: viewers[4]!.token })).status).toBe(403);
    expect((await t.call('GET', `/api/live/sessions/${sessionId}/dashboard`, { token: otherHost.token })).status).toBe(404);
    // Nothing was muted by the refused calls.
    expect(await t.db.query(`SELECT 1 FROM live_mutes WHERE account_id = $1`, [viewers[3]!.id])).toEqual([]);
    // Bad input names the field.
    const bad = await t.call('POST', `/api/host/sessions/${sessionId}/mutes`, { token: host.token, payload: { accountId: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('accountId');
    const unknown = await t.call('POST', `/api/host/sessions/${sessionId}/mutes`, { token: host.token, payload: { accountId: 999999999 } });
    expect(unknown.status).toBe(404);
    expect((await t.call('GET', `/api/live/sessions/${sessionId}/dashboard?lastMinutes=0`, { token: host.token })).body.error.field).toBe('lastMinutes');
    expect((await t.call('GET', `/api/live/sessions/${sessionId}/dashboard?lastMinutes=3`, { token: operatorToken })).status).toBe(200);
  });

  it('announces a paid order in the room (masked name) and shows it on the dashboard at once', async () => {
    const [, watcher] = await connect();
    const buyer = viewers[5]!;
    const placed = await t.call('POST', '/api/orders', {
      token: buyer.token,
      headers: { 'idempotency-key': 'room-order-1' },
      payload: { channel: 'live', liveSessionId: sessionId, fulfilment: 'delivery', lines: [{ skuId: w.skuIds[0]!, quantity: 2 }] },
    });
    expect(placed.status).toBe(201);
    const before = (await t.call('GET', `/api/live/sessions/${sessionId}/dashboard`, { token: host.token })).body;
    const paidAt = Date.now();
    await t.services.sandboxGateway.complete({ id: placed.body.payment.paymentId, amountFen: placed.body.payment.amountFen }, 'succeeded');
    const notice = await watcher.next((m) => m.type === 'order', 2000);
    expect(notice).toMatchObject({ name: '买*', skuId: w.skuIds[0], title: '测试商品1', quantity: 2 });
    expect(Date.now() - paidAt).toBeLessThan(2000);

    // The room hears of it from inside the event's transaction; the figures are readable once
    // that commits, a moment later.
    const dashboard = async () => (await t.call('GET', `/api/live/sessions/${sessionId}/dashboard?lastMinutes=5`, { token: host.token })).body;
    await expect.poll(async () => (await dashboard()).totals.orders, { timeout: 2000, interval: 50 }).toBe(before.totals.orders + 1);
    expect(Date.now() - paidAt).toBeLessThan(2000);
    const dash = await dashboard();
    expect(dash.totals.gmvFen).toBe(before.totals.gmvFen + 1980);
    expect(dash.totals.buyers).toBe(before.totals.buyers + 1);
    expect(dash.compare.last.orders).toBe(before.compare.last.orders + 1);
    expect(dash.minutes.at(-1).orders + (dash.minutes.at(-2)?.orders ?? 0)).toBeGreaterThanOrEqual(1);
    // Placed while the first SKU was pinned (the first test pinned it): the pin's figures have it.
    const pinned = dash.pins.find((p: { endedAt: string | null }) => p.endedAt === null);
    expect(pinned).toMatchObject({ skuId: w.skuIds[0], orders: 1, gmvFen: 1980 });
    expect(pinned.conversion).toBeGreaterThan(0);
    expect(dash.funnel.orders).toBe(dash.totals.orders);

    // The same buyer again: one more order, still one buyer (per minute and in all).
    const again = await t.call('POST', '/api/orders', {
      token: buyer.token,
      headers: { 'idempotency-key': 'room-order-2' },
      payload: { channel: 'live', liveSessionId: sessionId, fulfilment: 'delivery', lines: [{ skuId: w.skuIds[1]!, quantity: 1 }] },
    });
    await t.services.sandboxGateway.complete({ id: again.body.payment.paymentId, amountFen: again.body.payment.amountFen }, 'succeeded');
    await watcher.next((m) => m.type === 'order' && m.skuId === w.skuIds[1], 2000);
    await expect.poll(async () => (await dashboard()).totals.orders, { timeout: 2000, interval: 50 }).toBe(dash.totals.orders + 1);
    const after = await dashboard();
    expect(after.totals.orders).toBe(dash.totals.orders + 1);
    expect(after.totals.buyers).toBe(dash.totals.buyers);
    const minuteBuyers = (d: { minutes: { buyers: number }[] }) => d.minutes.reduce((n, m) => n + m.buyers, 0);
    // Unless the minute turned between the two payments, the minute rows count the buyer once.
    expect(minuteBuyers(after) - minuteBuyers(dash)).toBeLessThanOrEqual(1);
    if (after.minutes.length === dash.minutes.length) expect(minuteBuyers(after)).toBe(minuteBuyers(dash));
  });

  it('broadcasts a flash sale, its units left as orders take them, and a coupon release', async () => {
    const [, watcher] = await connect();
    const started = await t.call('POST', `/api/host/sessions/${sessionId}/flash-sales`, {
      token: host.token,
      headers: { 'idempotency-key': 'room-flash-1' },
      payload: { skuId: w.skuIds[1]!, priceFen: 99, quantity: 3, durationS: 300 },
    });
    expect(started.status).toBe(201);
    const flashSaleId = started.body.id as number;
    expect((await watcher.next((m) => m.type === 'flash' && m.flashSale.id === flashSaleId)).flashSale).toMatchObject({ status: 'open', available: 3, priceFen: 99 });
    const order = await t.call('POST', '/api/orders', {
      token: viewers[4]!.token,
      headers: { 'idempotency-key': 'room-flash-order-1' },
      payload: { channel: 'live', liveSessionId: sessionId, flashSaleId, fulfilment: 'delivery', lines: [{ skuId: w.skuIds[1]!, quantity: 1 }] },
    });
    expect(order.status).toBe(201);
    // Placed (not yet paid) reserves a unit: the room hears the new count within a tick or two.
    await watcher.next((m) => m.type === 'flash' && m.flashSale.id === flashSaleId && m.flashSale.available === 2, 3000);

    const coupon = await t.call('POST', `/api/host/sessions/${sessionId}/coupons`, {
      token: host.token,
      headers: { 'idempotency-key': 'room-coupon-1' },
      payload: { amountFen: 300, minSpendFen: 1000, quantity: 50 },
    });
    expect(coupon.status).toBe(201);
    expect((await watcher.next((m) => m.type === 'coupon')).coupon).toMatchObject({ id: coupon.body.id, amountFen: 300, remaining: 50 });
  });

  it('closes with 4401 for a bad token and 4404 for an unknown session', async () => {
    expect(await closeCode(`/api/live/sessions/${sessionId}/room?token=nope`)).toBe(4401);
    expect(await closeCode(`/api/live/sessions/999999999/room`)).toBe(4404);
  });

  it('sends the host the current minute’s stats, and viewers the online count', async () => {
    const [, hostBox] = await connect(as(host.token));
    expect(hostBox.got[0]!.you).toMatchObject({ moderator: true });
    const stats = await hostBox.next((m) => m.type === 'stats', 3000);
    expect(stats).toMatchObject({ minute: expect.any(String), chats: expect.any(Number), online: expect.any(Number) });
    const [, viewer] = await connect();
    const online = await viewer.next((m) => m.type === 'online', 3000);
    expect(online.online).toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 2100));
    expect(viewer.got.some((m) => m.type === 'stats')).toBe(false);
  });
});
