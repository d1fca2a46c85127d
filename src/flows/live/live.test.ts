// Live selling's rules (docs/live.md) through the services: sessions and their stock, pins,
// live prices and attribution, flash sales, coupons, the end of a session and the replay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { ManualClock } from '../../kernel';
import type { Actor } from '../../modules/people';
import { createServices, type Services } from '../../services';
import type { CheckoutInput } from '../checkout';
import type { BagItemInput } from './sessions';
import { connectSandbox, makeCommerceWorld, refusalOf, type CommerceWorld } from '../testing';

describe.each(testBackends())('live selling on %s', (backend) => {
  let db: TestDatabase;
  let s: Services;
  let w: CommerceWorld;
  const clock = new ManualClock(new Date('2026-11-26T02:00:00Z'));
  let hostId: number;
  let otherHostId: number;
  let centralLoc: number;
  let keyNo = 0;
  const key = () => `k-${++keyNo}`;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    s = await createServices(db, { clock, paymentWindowMs: 15 * 60_000 });
    connectSandbox(s);
    w = await makeCommerceWorld(db, {
      buyers: 12,
      skus: [
        { priceFen: 2000, stock: 100 },
        { priceFen: 1000, stock: 50 },
        { priceFen: 500, stock: 5 },
        { priceFen: 800, stock: 30, dailyLimit: 3 },
      ],
    });
    const host = async (name: string) => {
      const [row] = await db.query<{ id: number }>(`INSERT INTO accounts (phone, display_name, password_hash) VALUES ($1, $2, 'x') RETURNING id`, [
        `1660000${String(process.pid % 1000).padStart(3, '0')}${name === '主播' ? '1' : '2'}`,
        name,
      ]);
      await db.query(`INSERT INTO account_roles (account_id, role) VALUES ($1, 'host')`, [row!.id]);
      return row!.id;
    };
    hostId = await host('主播');
    otherHostId = await host('别的主播');
    centralLoc = await s.inventory.locationOfWarehouse(w.centralWarehouseId);
    await s.liveSelling.putProfile(hostActor(), { displayName: '林小鹿', persona: '产地直发', regionId: w.regionId });
    await s.liveSelling.putProfile(w.actor(otherHostId, 'host'), { displayName: '别人', regionId: w.regionId });
  });
  afterAll(async () => {
    await s.checkout.close();
    await db.dispose();
  });

  const hostActor = (): Actor => w.actor(hostId, 'host');
  const buyer = (i: number) => w.actor(w.buyerIds[i]!);
  const at = (minutes: number) => new Date(clock.now().getTime() + minutes * 60_000).toISOString();
  const level = async (locationId: number, skuId: number) =>
    (await db.query<{ on_hand: number; reserved: number }>(`SELECT on_hand, reserved FROM stock_levels WHERE location_id = $1 AND sku_id = $2`, [locationId, skuId]))[0] ?? {
      on_hand: 0,
      reserved: 0,
    };
  const sessionLoc = async (sessionId: number) => (await db.query<{ id: number }>(`SELECT id FROM stock_locations WHERE live_session_id = $1`, [sessionId]))[0]!.id;
  const flashLoc = async (id: number) => (await db.query<{ id: number }>(`SELECT id FROM stock_locations WHERE flash_sale_id = $1`, [id]))[0]!.id;
  const topics = async (sessionId: number) =>
    (await db.query<{ topic: string }>(`SELECT topic FROM outbox_events WHERE aggregate_type = 'live_session' AND aggregate_id = $1 ORDER BY id`, [sessionId])).map((r) => r.topic);
  const timeline = async (sessionId: number) => (await s.liveSelling.replay(sessionId)).events.map((e) => e.kind);
  const pay = (p: { paymentId: number; amountFen: number } | null) => s.sandboxGateway.complete({ id: p!.paymentId, amountFen: p!.amountFen }, 'succeeded');
  const liveOrder = (sessionId: number, over: Partial<CheckoutInput> = {}): CheckoutInput => ({
    channel: 'live',
    liveSessionId: sessionId,
    lines: [{ skuId: w.skuIds[0]!, quantity: 1 }],
    ...over,
  });
  const newSession = async (bag: BagItemInput[] = [{ skuId: w.skuIds[0]!, livePriceFen: 1500, limitPerPerson: 2, allotted: 10 }], by: Actor = hostActor()) =>
    (await s.liveFlow.create(by, { title: '产地直播', scheduledAt: at(30), streamUrl: 'https://cdn.example.com/live/a.m3u8', bag }, key())).body;

  it('creates a session with its bag, moving the allotted units from the central warehouse; too many → 409 naming the item, nothing kept', async () => {
    const before = await level(centralLoc, w.skuIds[0]!);
    const k = key();
    const input = {
      title: '晚间直播',
      scheduledAt: at(60),
      streamUrl: 'https://cdn.example.com/live/b.m3u8',
      bag: [
        { skuId: w.skuIds[0]!, livePriceFen: 1500, limitPerPerson: 2, allotted: 10 },
        { skuId: w.skuIds[1]!, livePriceFen: 800, allotted: 5 },
      ],
    };
    const first = await s.liveFlow.create(hostActor(), input, k);
    expect(first.status).toBe(201);
    const snap = first.body;
    expect(snap.session.status).toBe('scheduled');
    expect(snap.bag.map((b) => [b.skuId, b.allotted, b.available, b.priceFen])).toEqual([
      [w.skuIds[0], 10, 10, 1500],
      [w.skuIds[1], 5, 5, 800],
    ]);
    expect((await level(centralLoc, w.skuIds[0]!)).on_hand).toBe(before.on_hand - 10);
    expect((await level(await sessionLoc(snap.session.id), w.skuIds[0]!)).on_hand).toBe(10);
    // The same key again: the first answer, nothing moved twice.
    const again = await s.liveFlow.create(hostActor(), input, k);
    expect(again.replayed).toBe(true);
    expect(again.body.session.id).toBe(snap.session.id);
    expect((await level(centralLoc, w.skuIds[0]!)).on_hand).toBe(before.on_hand - 10);

    const sessions = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM live_sessions`))[0]!.n;
    const tooMany = await refusalOf(
      s.liveFlow.create(
        hostActor(),
        { ...input, bag: [{ skuId: w.skuIds[1]!, livePriceFen: 800, allotted: 1 }, { skuId: w.skuIds[2]!, livePriceFen: 400, allotted: 6 }] },
        key(),
      ),
    );
    expect(tooMany).toMatchObject({ kind: 'conflict', field: 'bag.1.allotted' });
    expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM live_sessions`))[0]!.n).toBe(sessions);
    expect((await level(centralLoc, w.skuIds[1]!)).on_hand).toBe(45);

    expect(await refusalOf(s.liveFlow.create(hostActor(), { ...input, bag: [{ skuId: 999_999, livePriceFen: 1, allotted: 0 }] }, key()))).toMatchObject({ field: 'bag.0.skuId' });
    expect(await refusalOf(s.liveFlow.create(hostActor(), { ...input, streamUrl: 'rtmp://x/y' }, key()))).toMatchObject({ kind: 'bad_input', field: 'streamUrl' });
    expect(await refusalOf(s.liveFlow.create(buyer(0), input, key()))).toMatchObject({ kind: 'forbidden' });
    // Another host's session does not exist for them.
    expect(await refusalOf(s.liveFlow.start(w.actor(otherHostId, 'host'), snap.session.id))).toMatchObject({ kind: 'not_found' });
    expect(await refusalOf(s.liveSelling.hostSession(w.actor(otherHostId, 'host'), snap.session.id))).toMatchObject({ kind: 'not_found' });
    expect((await s.liveSelling.hostSession(w.actor(w.operatorId, 'operator'), snap.session.id)).session.id).toBe(snap.session.id);
    expect(await s.liveSelling.canModerate(w.actor(otherHostId, 'host'), snap.session.id)).toBe(false);
    expect(await s.liveSelling.canModerate(hostActor(), snap.session.id)).toBe(true);
    expect(await s.liveSelling.canModerate(w.actor(w.operatorId, 'operator'), snap.session.id)).toBe(true);

    // Cancelling a scheduled session gives its units back.
    const cancelled = await s.liveFlow.cancel(hostActor(), snap.session.id, key());
    expect(cancelled.body.returned).toEqual([
      { skuId: w.skuIds[0], quantity: 10 },
      { skuId: w.skuIds[1], quantity: 5 },
    ]);
    expect((await level(centralLoc, w.skuIds[0]!)).on_hand).toBe(before.on_hand);
  });

  it('sells the bag at live prices with the bag’s limit while live, attributed to the session, host and sharer; not before it starts', async () => {
    const snap = await newSession();
    const id = snap.session.id;
    expect(await refusalOf(s.checkout.placeOrder(buyer(0), liveOrder(id), key()))).toMatchObject({ kind: 'conflict', field: 'liveSessionId' });
    await s.liveFlow.start(hostActor(), id);
    expect(await topics(id)).toEqual(['live.session.started']);
    const link = await s.traffic.createShareLink(buyer(1), { targetType: 'live_session', targetId: id });
    const placed = await s.checkout.placeOrder(buyer(0), liveOrder(id, { lines: [{ skuId: w.skuIds[0]!, quantity: 2 }], shareCode: link.code }), key());
    const o = placed.body.order;
    expect(o).toMatchObject({ channel: 'live', liveSessionId: id, hostAccountId: hostId, fulfilment: 'delivery', totalFen: 3000, flashSaleId: null, shareLinkId: link.id });
    expect(o.referrerAccountId).toBe(w.buyerIds[1]);
    expect(o.lines[0]).toMatchObject({ unitPriceFen: 1500, quantity: 2 });
    const [row] = await db.query<{ location_id: number; commission_plan: { party: string; accountId: number; bp: number }[] }>(
      `SELECT location_id, commission_plan FROM orders WHERE id = $1`,
      [o.id],
    );
    expect(row!.location_id).toBe(await sessionLoc(id));
    expect(row!.commission_plan).toContainEqual({ party: 'host', accountId: hostId, bp: 500 });
    // The bag's limit of 2 per person, over all the buyer's orders of the session.
    expect(await refusalOf(s.checkout.placeOrder(buyer(0), liveOrder(id), key()))).toMatchObject({ kind: 'conflict', field: 'lines.0.quantity' });
    // A SKU outside the bag.
    expect(await refusalOf(s.checkout.placeOrder(buyer(0), liveOrder(id, { lines: [{ skuId: w.skuIds[3]!, quantity: 1 }] }), key()))).toMatchObject({
      kind: 'bad_input',
      field: 'lines.0.skuId',
    });
    // Pickup at a point of the session's region: the leader is attributed too.
    const pickup = await s.checkout.placeOrder(buyer(2), liveOrder(id, { fulfilment: 'pickup', pickupPointId: w.pickupPointId }), key());
    expect(pickup.body.order).toMatchObject({ fulfilment: 'pickup', pickupPointId: w.pickupPointId, leaderAccountId: w.leaderId });
    // Live fields on another channel are refused.
    expect(
      await refusalOf(s.checkout.placeOrder(buyer(3), { channel: 'group_buy', pickupPointId: w.pickupPointId, liveSessionId: id, lines: [{ skuId: w.skuIds[0]!, quantity: 1 }] }, key())),
    ).toMatchObject({ kind: 'bad_input', field: 'liveSessionId' });

    // Paid: the host's commission is booked through the ledger, and a refund reverses it.
    await pay(placed.body.payment);
    const [c] = await db.query<{ amount_fen: number; party: string }>(`SELECT amount_fen, party FROM commissions WHERE order_id = $1 AND party = 'host'`, [o.id]);
    expect(c).toEqual({ amount_fen: 150, party: 'host' });
    await s.refunds.refund(w.actor(w.operatorId, 'operator'), o.id, { kind: 'full', reason: '测试' });
    const [rev] = await db.query<{ reversed_fen: number }>(`SELECT reversed_fen FROM commissions WHERE order_id = $1 AND party = 'host'`, [o.id]);
    expect(rev!.reversed_fen).toBe(150);
    expect(await s.ledger.verify()).toEqual([]);
  });

  it('pins one SKU at a time, each change on the timeline and in the outbox', async () => {
    const snap = await newSession([
      { skuId: w.skuIds[0]!, livePriceFen: 1500, limitPerPerson: 2, allotted: 3 },
      { skuId: w.skuIds[1]!, livePriceFen: 900, limitPerPerson: 2, allotted: 3 },
    ]);
    const id = snap.session.id;
    expect(await refusalOf(s.liveFlow.pin(hostActor(), id, w.skuIds[0]!))).toMatchObject({ kind: 'conflict', field: 'status' });
    await s.liveFlow.start(hostActor(), id);
    const p1 = await s.liveFlow.pin(hostActor(), id, w.skuIds[0]!);
    expect((await s.liveFlow.pin(hostActor(), id, w.skuIds[0]!)).id).toBe(p1.id);
    const p2 = await s.liveFlow.pin(hostActor(), id, w.skuIds[1]!);
    expect(p2.id).not.toBe(p1.id);
    expect(await refusalOf(s.liveFlow.pin(hostActor(), id, w.skuIds[3]!))).toMatchObject({ kind: 'bad_input', field: 'skuId' });
    const open = await db.query(`SELECT id FROM live_pins WHERE session_id = $1 AND ended_at IS NULL`, [id]);
    expect(open).toEqual([{ id: p2.id }]);
    expect((await s.liveSelling.roomSnapshot(id)).pin).toMatchObject({ id: p2.id, skuId: w.skuIds[1], title: '测试商品2' });
    await s.liveFlow.unpin(hostActor(), id);
    await s.liveFlow.unpin(hostActor(), id);
    expect((await s.liveSelling.roomSnapshot(id)).pin).toBeNull();
    expect(await timeline(id)).toEqual(['started', 'pinned', 'unpinned', 'pinned', 'unpinned']);
    expect(await topics(id)).toEqual(['live.session.started', 'live.pin.changed', 'live.pin.changed', 'live.pin.changed']);
  });

  it('runs a flash sale from its own stock: its price and limit, sold out at zero, reopened when units come back, ended at its time', async () => {
    const snap = await newSession([{ skuId: w.skuIds[1]!, livePriceFen: 900, allotted: 10 }]);
    const id = snap.session.id;
    await s.liveFlow.start(hostActor(), id);
    expect(await refusalOf(s.liveFlow.startFlashSale(hostActor(), id, { skuId: w.skuIds[1]!, priceFen: 99, quantity: 11, durationS: 60 }, key()))).toMatchObject({
      kind: 'conflict',
      field: 'quantity',
    });
    expect(await refusalOf(s.liveFlow.startFlashSale(hostActor(), id, { skuId: w.skuIds[1]!, priceFen: 99, quantity: 1, durationS: 5 }, key()))).toMatchObject({
      kind: 'bad_input',
      field: 'durationS',
    });
    const sale = (await s.liveFlow.startFlashSale(hostActor(), id, { skuId: w.skuIds[1]!, priceFen: 99, quantity: 3, durationS: 60 }, key())).body;
    expect(sale).toMatchObject({ status: 'open', quantity: 3, available: 3, limitPerPerson: 1 });
    expect((await level(await sessionLoc(id), w.skuIds[1]!)).on_hand).toBe(7);
    expect((await level(await flashLoc(sale.id), w.skuIds[1]!)).on_hand).toBe(3);
    expect(await refusalOf(s.liveFlow.startFlashSale(hostActor(), id, { skuId: w.skuIds[1]!, priceFen: 99, quantity: 1, durationS: 60 }, key()))).toMatchObject({ kind: 'conflict' });

    const flashOrder = (over: Partial<CheckoutInput> = {}) => liveOrder(id, { flashSaleId: sale.id, lines: [{ skuId: w.skuIds[1]!, quantity: 1 }], ...over });
    const o1 = await s.checkout.placeOrder(buyer(0), flashOrder(), key());
    expect(o1.body.order).toMatchObject({ flashSaleId: sale.id, totalFen: 99 });
    expect(await refusalOf(s.checkout.placeOrder(buyer(0), flashOrder(), key()))).toMatchObject({ kind: 'conflict', field: 'lines.0.quantity' });
    expect(await refusalOf(s.checkout.placeOrder(buyer(1), flashOrder({ lines: [{ skuId: w.skuIds[1]!, quantity: 2 }] }), key()))).toMatchObject({ field: 'lines.0.quantity' });
    expect(await refusalOf(s.checkout.placeOrder(buyer(1), flashOrder({ lines: [{ skuId: w.skuIds[0]!, quantity: 1 }] }), key()))).toMatchObject({ field: 'lines.0.skuId' });
    await s.checkout.placeOrder(buyer(1), flashOrder(), key());
    const last = await s.checkout.placeOrder(buyer(2), flashOrder(), key());
    // The buyer of the last unit is answered after the sale says it is sold out.
    expect((await s.liveSelling.roomSnapshot(id)).flashSale).toMatchObject({ id: sale.id, status: 'sold_out', available: 0 });
    expect(await refusalOf(s.checkout.placeOrder(buyer(3), flashOrder(), key()))).toMatchObject({ kind: 'conflict', field: 'flashSaleId' });

    // The last buyer never pays: the unit comes back and the sale is open again.
    await s.lifecycle.cancel(buyer(2), last.body.order.id);
    // The close hook checks the sale after its commit; the job would too.
    await s.liveFlow.reconcileFlashSale(sale.id);
    expect((await s.liveSelling.roomSnapshot(id)).flashSale).toMatchObject({ status: 'open', available: 1 });
    await pay(o1.body.payment);
    // Handed over an hour after payment: on time for the host's trust figures.
    clock.advance(3600_000);
    await s.lifecycle.advance(w.actor(w.operatorId, 'operator'), o1.body.order.id, 'complete');
    clock.advance(-3600_000);

    // Its time is up: the job ends it and the unsold unit goes back to the session.
    clock.advance(61_000);
    expect(await s.liveFlow.reconcileFlashSales()).toBeGreaterThanOrEqual(1);
    expect((await s.liveSelling.roomSnapshot(id)).flashSale).toBeNull();
    const ended = await db.query<{ status: string }>(`SELECT status FROM live_flash_sales WHERE id = $1`, [sale.id]);
    expect(ended).toEqual([{ status: 'ended' }]);
    expect((await level(await flashLoc(sale.id), w.skuIds[1]!)).on_hand - (await level(await flashLoc(sale.id), w.skuIds[1]!)).reserved).toBe(0);
    expect((await level(await sessionLoc(id), w.skuIds[1]!)).on_hand).toBe(8);
    expect(await refusalOf(s.checkout.placeOrder(buyer(4), flashOrder(), key()))).toMatchObject({ kind: 'conflict', field: 'flashSaleId' });
    expect(await timeline(id)).toEqual(['started', 'flash_started', 'flash_sold_out', 'flash_ended']);
    expect((await topics(id)).filter((t) => t === 'live.flash_sale.changed').length).toBe(4);
  });

  it('coupons: one claim per person, N at most, used once on a live order of the session and given back when the order is cancelled', async () => {
    const snap = await newSession([{ skuId: w.skuIds[0]!, livePriceFen: 1500, allotted: 20 }]);
    const id = snap.session.id;
    const other = await newSession([{ skuId: w.skuIds[0]!, livePriceFen: 1500, allotted: 1 }]);
    expect(await refusalOf(s.liveCoupons.release(hostActor(), id, { amountFen: 500, minSpendFen: 2000, quantity: 2 }, key()))).toMatchObject({ field: 'status' });
    await s.liveFlow.start(hostActor(), id);
    await s.liveFlow.start(hostActor(), other.session.id);
    const coupon = (await s.liveCoupons.release(hostActor(), id, { amountFen: 500, minSpendFen: 2000, quantity: 2 }, key())).body;
    expect(coupon).toMatchObject({ remaining: 2, claimed: 0 });
    expect(await timeline(id)).toContain('coupon');
    expect(await topics(id)).toContain('live.coupon.released');

    const k = key();
    const c0 = await s.liveCoupons.claim(buyer(0), coupon.id, k);
    expect((await s.liveCoupons.claim(buyer(0), coupon.id, k)).body.claim.id).toBe(c0.body.claim.id);
    expect(await refusalOf(s.liveCoupons.claim(buyer(0), coupon.id, key()))).toMatchObject({ kind: 'conflict', field: 'couponId' });
    await s.liveCoupons.claim(buyer(1), coupon.id, key());
    const third = s.liveCoupons.claim(buyer(2), coupon.id, key());
    await expect(third).rejects.toMatchObject({ kind: 'conflict', details: { reason: 'sold_out' } });
    expect((await db.query<{ claimed: number }>(`SELECT claimed FROM live_coupons WHERE id = $1`, [coupon.id]))[0]!.claimed).toBe(2);

    const claimId = c0.body.claim.id;
    // Below the minimum spend; another buyer's claim; another session.
    expect(await refusalOf(s.checkout.placeOrder(buyer(0), liveOrder(id, { couponClaimId: claimId }), key()))).toMatchObject({ kind: 'bad_input', field: 'couponClaimId' });
    expect(await refusalOf(s.checkout.placeOrder(buyer(1), liveOrder(id, { couponClaimId: claimId, lines: [{ skuId: w.skuIds[0]!, quantity: 2 }] }), key()))).toMatchObject({
      field: 'couponClaimId',
    });
    expect(
      await refusalOf(s.checkout.placeOrder(buyer(0), liveOrder(other.session.id, { couponClaimId: claimId, lines: [{ skuId: w.skuIds[0]!, quantity: 1 }] }), key())),
    ).toMatchObject({ field: 'couponClaimId' });

    const order = await s.checkout.placeOrder(buyer(0), liveOrder(id, { couponClaimId: claimId, lines: [{ skuId: w.skuIds[0]!, quantity: 2 }] }), key());
    expect(order.body.order).toMatchObject({ itemsFen: 3000, discountFen: 500, totalFen: 2500 });
    expect(order.body.order.lines[0]).toMatchObject({ discountFen: 500, lineTotalFen: 2500 });
    expect((await db.query(`SELECT order_id FROM live_coupon_claims WHERE id = $1`, [claimId]))[0]).toEqual({ order_id: order.body.order.id });
    expect(await refusalOf(s.checkout.placeOrder(buyer(0), liveOrder(id, { couponClaimId: claimId, lines: [{ skuId: w.skuIds[0]!, quantity: 2 }] }), key()))).toMatchObject({
      kind: 'conflict',
      field: 'couponClaimId',
    });
    // Cancelled: the coupon is the buyer's to use again.
    await s.lifecycle.cancel(buyer(0), order.body.order.id);
    expect((await db.query(`SELECT order_id FROM live_coupon_claims WHERE id = $1`, [claimId]))[0]).toEqual({ order_id: null });
    const again = await s.checkout.placeOrder(buyer(0), liveOrder(id, { couponClaimId: claimId, lines: [{ skuId: w.skuIds[0]!, quantity: 2 }] }), key());
    expect(again.body.order.totalFen).toBe(2500);
    // An unpaid order that expires gives it back too.
    clock.advance(16 * 60_000);
    await s.lifecycle.expireDue();
    expect((await db.query(`SELECT order_id FROM live_coupon_claims WHERE id = $1`, [claimId]))[0]).toEqual({ order_id: null });
    expect((await s.liveSelling.sessionPage(buyer(0), id)).myClaims).toMatchObject([{ id: claimId, orderId: null }]);
  });

  it('ending a session ends its pin and flash sale and returns the leftovers; after it, the bag sells at shelf prices from the central warehouse', async () => {
    const snap = await newSession([
      { skuId: w.skuIds[0]!, livePriceFen: 1500, allotted: 6 },
      { skuId: w.skuIds[3]!, livePriceFen: 600, allotted: 4 },
    ]);
    const id = snap.session.id;
    await s.liveFlow.start(hostActor(), id);
    await s.liveFlow.pin(hostActor(), id, w.skuIds[0]!);
    await s.liveFlow.startFlashSale(hostActor(), id, { skuId: w.skuIds[3]!, priceFen: 300, quantity: 2, durationS: 600 }, key());
    // An unpaid order holds one unit of the session's location through the end.
    const held = await s.checkout.placeOrder(buyer(5), liveOrder(id), key());
    clock.advance(5_000);
    const centralBefore = (await level(centralLoc, w.skuIds[0]!)).on_hand;
    const centralBefore3 = (await level(centralLoc, w.skuIds[3]!)).on_hand;
    const ended = await s.liveFlow.end(hostActor(), id, { recordingUrl: 'https://cdn.example.com/vod/a.mp4' }, key());
    expect(ended.body.session).toMatchObject({ status: 'ended', recordingUrl: 'https://cdn.example.com/vod/a.mp4' });
    expect(ended.body.pin).toBeNull();
    expect(ended.body.flashSale).toBeNull();
    expect((await level(centralLoc, w.skuIds[0]!)).on_hand).toBe(centralBefore + 5);
    expect((await level(centralLoc, w.skuIds[3]!)).on_hand).toBe(centralBefore3 + 4);
    expect((await level(await sessionLoc(id), w.skuIds[0]!))).toEqual({ on_hand: 1, reserved: 1 });
    expect(await timeline(id)).toEqual(['started', 'pinned', 'flash_started', 'unpinned', 'flash_ended', 'ended']);
    expect((await topics(id)).slice(-3)).toEqual(['live.pin.changed', 'live.flash_sale.changed', 'live.session.ended']);
    expect(await refusalOf(s.liveFlow.end(hostActor(), id, {}, key()))).toMatchObject({ kind: 'conflict', field: 'status' });

    // The replay: shelf prices and limits, central stock, still the session's order.
    const page = await s.liveSelling.sessionPage(null, id);
    expect(page.bag.map((b) => [b.priceKind, b.priceFen, b.limitPerPerson])).toEqual([
      ['normal', 2000, null],
      ['normal', 800, 3],
    ]);
    const after = await s.checkout.placeOrder(buyer(6), liveOrder(id, { lines: [{ skuId: w.skuIds[3]!, quantity: 2 }] }), key());
    expect(after.body.order).toMatchObject({ liveSessionId: id, hostAccountId: hostId, totalFen: 1600 });
    const [row] = await db.query<{ location_id: number }>(`SELECT location_id FROM orders WHERE id = $1`, [after.body.order.id]);
    expect(row!.location_id).toBe(centralLoc);
    expect(await refusalOf(s.checkout.placeOrder(buyer(6), liveOrder(id, { lines: [{ skuId: w.skuIds[3]!, quantity: 2 }] }), key()))).toMatchObject({ field: 'lines.0.quantity' });

    // The held unit's order expires after the end: the sweep takes it back to the central warehouse.
    clock.advance(16 * 60_000);
    await s.lifecycle.expireDue();
    expect(held.body.order.id).toBeGreaterThan(0);
    expect(await s.liveFlow.returnStranded()).toBeGreaterThanOrEqual(1);
    expect(await level(await sessionLoc(id), w.skuIds[0]!)).toEqual({ on_hand: 0, reserved: 0 });

    const replay = await s.liveSelling.replay(id);
    expect(replay.recordingUrl).toBe('https://cdn.example.com/vod/a.mp4');
    expect(replay.events[0]).toMatchObject({ kind: 'started', offsetS: 0 });
    expect(replay.events.find((e) => e.kind === 'pinned')).toMatchObject({ skuId: w.skuIds[0], title: '测试商品1' });
  });

  it('host profile: trust figures from the host’s orders, follows; the room list', async () => {
    const before = await s.liveSelling.hostProfile(null, hostId);
    await s.liveSelling.follow(buyer(0), hostId);
    await s.liveSelling.follow(buyer(0), hostId);
    const followed = await s.liveSelling.hostProfile(buyer(0), hostId);
    expect(followed).toMatchObject({ displayName: '林小鹿', followers: 1, following: true });
    expect(await refusalOf(s.liveSelling.follow(hostActor(), hostId))).toMatchObject({ field: 'accountId' });
    await s.liveSelling.unfollow(buyer(0), hostId);
    expect((await s.liveSelling.hostProfile(buyer(0), hostId)).following).toBe(false);
    // Buyer 0 paid twice (the refunded live order, the flash-sale order handed over within the hour); buyer 6 once, not yet handed over.
    expect(before.trust.counts).toEqual({ buyers: 1, repeatBuyers: 1, paidOrders: 2, afterSalesOrders: 0, delivered: 1, deliveredOnTime: 1 });
    expect(before.trust).toMatchObject({ repeatBuyerBp: 10_000, afterSalesBp: 0, onTimeDeliveryBp: 10_000 });
    const list = await s.liveSelling.listSessions({ status: 'ended', limit: 10 });
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((i) => i.status === 'ended' && i.host.displayName === '林小鹿')).toBe(true);
    const all = await s.liveSelling.listSessions({ limit: 50 });
    expect(all.items.some((i) => i.status === 'cancelled')).toBe(false);
  });
});
