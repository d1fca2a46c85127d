import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { ManualClock } from '../../kernel';
import { createServices, type Services } from '../../services';
import { connectSandbox, makeCommerceWorld, refusalOf, type CommerceWorld } from '../testing';
import { makeOtherPoint, makeWaveFixture } from './pickup.testing';

const fails = refusalOf;

describe.each(testBackends())('pickup verification (核销) on %s', (backend) => {
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

  const leader = () => w.actor(w.leaderId, 'leader', 'resident');
  const operator = () => w.actor(w.operatorId, 'operator');
  const order = async (id: number) =>
    (await db.query<{ status: string; refunded_fen: number; completed_at: Date | null }>(`SELECT status, refunded_fen, completed_at FROM orders WHERE id = $1`, [id]))[0]!;
  const releaseAfter = async (orderId: number) =>
    (await db.query<{ release_after: Date | null }>(`SELECT release_after FROM commissions WHERE order_id = $1`, [orderId])).map((r) => r.release_after);

  it('the buyer alone gets a code (8 digits) and QR; the code finds the order at its point only', async () => {
    const [b0, b1] = w.buyerIds as [number, number];
    const f = await makeWaveFixture(s, w, { orders: [{ buyerId: b0, lines: [[0, 1]] }, { buyerId: b1, lines: [[1, 2]] }], status: 'ready' });
    const mine = await s.pickup.codeOf(w.actor(b1), f.orders[1]!.id);
    expect(mine.code).toMatch(/^\d{8}$/);
    expect(mine.qr).toBe(`linli:pickup:${f.orders[1]!.id}:${mine.code}`);
    // The second to join the relay list.
    expect(mine.relayNo).toBe(2);
    expect((await fails(s.pickup.codeOf(w.actor(b0), f.orders[1]!.id))).kind).toBe('not_found');
    expect((await fails(s.pickup.codeOf(leader(), f.orders[1]!.id))).kind).toBe('not_found');

    const found = await s.pickup.lookup(leader(), w.pickupPointId, { code: mine.code });
    expect(found).toEqual([
      {
        orderId: f.orders[1]!.id,
        relayNo: 2,
        buyerName: expect.any(String),
        status: 'ready',
        lines: [expect.objectContaining({ orderLineId: f.orders[1]!.lines[0]!.id, quantity: 2, remaining: 2, pickedQuantity: 0 })],
      },
    ]);
    expect(await s.pickup.lookup(leader(), w.pickupPointId, { qr: mine.qr })).toEqual(found);
    // A wrong code is not an error, just nothing; a code of another point's order neither.
    const wrong = String((Number(mine.code) + 1) % 100_000_000).padStart(8, '0');
    expect(await s.pickup.lookup(leader(), w.pickupPointId, { code: wrong })).toEqual([]);
    const other = await makeOtherPoint(db, w);
    expect(await s.pickup.lookup(w.actor(other.leaderId, 'leader'), other.pointId, { code: mine.code })).toEqual([]);
    expect(await s.pickup.lookup(w.actor(other.leaderId, 'leader'), other.pointId, { qr: mine.qr })).toEqual([]);
    expect((await fails(s.pickup.lookup(w.actor(other.leaderId, 'leader'), w.pickupPointId, { code: mine.code }))).kind).toBe('forbidden');
    expect((await fails(s.pickup.pickup(w.actor(other.leaderId, 'leader'), w.pickupPointId, { orderId: f.orders[1]!.id, code: mine.code }))).kind).toBe('forbidden');
    // Nor can the other leader pick it up through their own point.
    expect((await fails(s.pickup.pickup(w.actor(other.leaderId, 'leader'), other.pointId, { orderId: f.orders[1]!.id, code: mine.code }))).kind).toBe('not_found');
    expect((await fails(s.pickup.lookup(leader(), w.pickupPointId, { code: '12ab' }))).field).toBe('code');
  });

  it('a partial pickup, then the rest: the order completes and its commission release is scheduled', async () => {
    const f = await makeWaveFixture(s, w, { orders: [{ buyerId: w.buyerIds[2]!, lines: [[0, 3], [1, 1]] }], status: 'ready' });
    const o = f.orders[0]!;
    const { code } = await s.pickup.codeOf(w.actor(o.buyerId), o.id);
    const wrong = await fails(s.pickup.pickup(leader(), w.pickupPointId, { orderId: o.id, code: code === '00000000' ? '00000001' : '00000000' }));
    expect(wrong).toMatchObject({ kind: 'bad_input', field: 'code' });
    const over = await fails(s.pickup.pickup(leader(), w.pickupPointId, { orderId: o.id, code, lines: [{ orderLineId: o.lines[0]!.id, quantity: 4 }] }));
    expect(over).toMatchObject({ kind: 'bad_input', field: 'lines.0.quantity' });

    const first = await s.pickup.pickup(leader(), w.pickupPointId, { orderId: o.id, code, lines: [{ orderLineId: o.lines[0]!.id, quantity: 2 }] });
    expect(first.completed).toBe(false);
    expect(first.lines.map((l) => [l.pickedQuantity, l.remaining])).toEqual([
      [2, 1],
      [0, 1],
    ]);
    expect((await order(o.id)).status).toBe('ready');
    expect(await releaseAfter(o.id)).toEqual([null]);

    const rest = await s.pickup.pickup(leader(), w.pickupPointId, { orderId: o.id, code });
    expect(rest.completed).toBe(true);
    expect(rest.lines.map((l) => l.remaining)).toEqual([0, 0]);
    expect((await order(o.id)).status).toBe('completed');
    const [scheduled] = await releaseAfter(o.id);
    expect(scheduled).not.toBeNull();
    expect(new Date(scheduled!).getTime()).toBeGreaterThan(clock.now().getTime());
    // Nothing left: the lookup no longer offers it, a third pickup is refused.
    expect(await s.pickup.lookup(leader(), w.pickupPointId, { code })).toEqual([]);
    expect((await fails(s.pickup.pickup(leader(), w.pickupPointId, { orderId: o.id, code }))).kind).toBe('conflict');

    // The leader's orders screen shows the order with what was handed over.
    const page = await s.pickup.leaderOrders(leader(), { campaignId: f.campaignId, limit: 10 });
    expect(page.items).toEqual([expect.objectContaining({ orderId: o.id, relayNo: 1, status: 'completed', pickedAt: expect.any(Date) })]);
  });

  it('an order not yet signed in at the point cannot be picked up', async () => {
    const f = await makeWaveFixture(s, w, { orders: [{ buyerId: w.buyerIds[3]!, lines: [[0, 1]] }] });
    const o = f.orders[0]!;
    const { code } = await s.pickup.codeOf(w.actor(o.buyerId), o.id);
    const refused = await fails(s.pickup.pickup(leader(), w.pickupPointId, { orderId: o.id, code }));
    expect(refused.kind).toBe('conflict');
    expect(refused.message).toMatch(/not been signed in/);
  });

  it('undo within the window reopens the order and unschedules the commission; after the window 409', async () => {
    const f = await makeWaveFixture(s, w, { orders: [{ buyerId: w.buyerIds[4]!, lines: [[1, 2]] }], status: 'ready' });
    const o = f.orders[0]!;
    const { code } = await s.pickup.codeOf(w.actor(o.buyerId), o.id);
    const done = await s.pickup.pickup(leader(), w.pickupPointId, { orderId: o.id, code });
    expect((await order(o.id)).status).toBe('completed');
    expect((await fails(s.pickup.undo(w.actor(w.buyerIds[4]!), done.scanId))).kind).toBe('not_found');

    clock.advance(10 * 60_000);
    expect(await s.pickup.undo(leader(), done.scanId)).toEqual({ orderId: o.id, undone: 2 });
    const back = await order(o.id);
    expect(back.status).toBe('ready');
    expect(back.completed_at).toBeNull();
    expect(await releaseAfter(o.id)).toEqual([null]);
    const [line] = await db.query<{ picked_quantity: number }>(`SELECT picked_quantity FROM order_lines WHERE order_id = $1`, [o.id]);
    expect(line!.picked_quantity).toBe(0);
    expect((await fails(s.pickup.undo(leader(), done.scanId))).kind).toBe('conflict');

    // Picked up again, and an hour and a bit later it is too late (default window 3600 s).
    const again = await s.pickup.pickup(leader(), w.pickupPointId, { orderId: o.id, code });
    clock.advance(3601_000);
    const late = await fails(s.pickup.undo(leader(), again.scanId));
    expect(late.kind).toBe('conflict');
    expect(late.message).toMatch(/60 minutes/);
    // The operator's window setting counts: widen it and the operator may undo.
    await s.groupbuySettings.update(operator(), w.regionId, { pickupUndoWindowS: 7200 });
    expect((await s.pickup.undo(operator(), again.scanId)).undone).toBe(2);
    expect((await order(o.id)).status).toBe('ready');
  });

  it('refunds cover only what was not handed over: full refund of a partly picked order, 409 once all is picked; after-sales still works', async () => {
    const f = await makeWaveFixture(s, w, {
      orders: [
        { buyerId: w.buyerIds[0]!, lines: [[0, 2], [1, 1]] },
        { buyerId: w.buyerIds[1]!, lines: [[0, 1]] },
      ],
      status: 'ready',
    });
    const [partly, whole] = f.orders as [(typeof f.orders)[0], (typeof f.orders)[0]];
    const codeOf = async (o: typeof partly) => (await s.pickup.codeOf(w.actor(o.buyerId), o.id)).code;
    await s.pickup.pickup(leader(), w.pickupPointId, { orderId: partly.id, code: await codeOf(partly), lines: [{ orderLineId: partly.lines[0]!.id, quantity: 2 }] });
    // Naming picked units is refused with the line named; the full refund takes only the rest.
    const named = await fails(s.refunds.refund(operator(), partly.id, { kind: 'partial', lines: [{ orderLineId: partly.lines[0]!.id, quantity: 1 }], reason: '' }));
    expect(named).toMatchObject({ kind: 'conflict', field: 'lines.0.quantity' });
    const rest = await s.refunds.refund(operator(), partly.id, { kind: 'full', reason: '缺货' });
    expect(rest.amountFen).toBe(333);
    expect(rest.lines).toEqual([expect.objectContaining({ orderLineId: partly.lines[1]!.id, quantity: 1 })]);
    // Everything left was either handed over or refunded: the order is complete, not refunded.
    expect((await order(partly.id)).status).toBe('completed');

    await s.pickup.pickup(leader(), w.pickupPointId, { orderId: whole.id, code: await codeOf(whole) });
    const refused = await fails(s.refunds.refund(operator(), whole.id, { kind: 'full', reason: '' }));
    expect(refused).toMatchObject({ kind: 'conflict', message: 'already picked up; open an after-sales request' });
    const req = await s.refunds.openAfterSales(w.actor(whole.buyerId), whole.id, { reason: 'quality', lines: [{ orderLineId: whole.lines[0]!.id, quantity: 1 }] });
    const decided = await s.refunds.decideAfterSales(operator(), req.id, 'approve', '');
    expect(decided.refund?.amountFen).toBe(990);
    expect(await s.ledger.verify()).toEqual([]);
    // The leader's queue lists it.
    const queue = await s.pickup.leaderAfterSales(leader(), { limit: 10 });
    expect(queue.items.map((r) => r.id)).toContain(req.id);
    const otherQueue = await s.pickup.leaderAfterSales(w.actor((await makeOtherPoint(db, w)).leaderId, 'leader'), { limit: 10 });
    expect(otherQueue.items).toEqual([]);
  });
});
