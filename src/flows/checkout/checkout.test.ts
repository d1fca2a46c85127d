import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { DomainError, ManualClock } from '../../kernel';
import { createServices, type Services } from '../../services';
import { connectSandbox, makeCommerceWorld, type CommerceWorld } from '../testing';

describe.each(testBackends())('checkout on %s', (backend) => {
  let db: TestDatabase;
  let s: Services;
  let w: CommerceWorld;
  const clock = new ManualClock(new Date('2026-11-26T02:00:00Z'));

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    s = await createServices(db, { clock, paymentWindowMs: 15 * 60_000 });
    connectSandbox(s);
    w = await makeCommerceWorld(db, {
      buyers: 10,
      skus: [
        { priceFen: 1290, stock: 5 },
        { priceFen: 350, stock: 100, dailyLimit: 2 },
        { priceFen: 990, stock: 50 },
        { priceFen: 5000, stock: 1 },
      ],
    });
  });
  afterAll(async () => {
    await s.checkout.close();
    await db.dispose();
  });

  const buyer = (i: number) => w.actor(w.buyerIds[i]!);
  const input = (lines: { skuId: number; quantity: number }[]) => ({ channel: 'group_buy' as const, pickupPointId: w.pickupPointId, lines });
  const level = async (skuIdx: number) =>
    s.inventory.level({ locationId: await s.inventory.locationOfWarehouse(w.centralWarehouseId), skuId: w.skuIds[skuIdx]! });
  const count = async (table: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;

  it('places an order: lines snapshotted, attribution set, stock held, payment opened', async () => {
    const r = await s.checkout.placeOrder(buyer(0), input([{ skuId: w.skuIds[0]!, quantity: 2 }, { skuId: w.skuIds[2]!, quantity: 1 }]), 'k-place-1');
    expect(r.status).toBe(201);
    const o = r.body.order;
    expect(o).toMatchObject({
      status: 'pending_payment',
      channel: 'group_buy',
      pickupPointId: w.pickupPointId,
      leaderAccountId: w.leaderId,
      regionId: w.regionId,
      itemsFen: 2 * 1290 + 990,
      totalFen: 2 * 1290 + 990,
    });
    expect(o.lines.map((l) => [l.title, l.unitPriceFen, l.quantity])).toEqual([
      ['测试商品1', 1290, 2],
      ['测试商品3', 990, 1],
    ]);
    expect(r.body.payment).toMatchObject({ amountFen: o.totalFen, payUrl: expect.stringMatching(/^\/pay\/\d+$/) });
    expect(await level(0)).toEqual({ onHand: 5, reserved: 2, available: 3 });
    expect(new Date(o.expiresAt!).getTime() - clock.now().getTime()).toBe(15 * 60_000);
  });

  it('same key and body → the same answer, one order; same key, other body → 422', async () => {
    const before = await count('orders');
    const a = await s.checkout.placeOrder(buyer(1), input([{ skuId: w.skuIds[2]!, quantity: 1 }]), 'k-idem');
    const b = await s.checkout.placeOrder(buyer(1), input([{ skuId: w.skuIds[2]!, quantity: 1 }]), 'k-idem');
    expect(b.replayed).toBe(true);
    expect(b.body).toEqual(a.body);
    await expect(s.checkout.placeOrder(buyer(1), input([{ skuId: w.skuIds[2]!, quantity: 2 }]), 'k-idem')).rejects.toMatchObject({
      kind: 'unprocessable',
      field: 'Idempotency-Key',
    });
    // The key is per buyer: another buyer using it places their own order.
    const c = await s.checkout.placeOrder(buyer(2), input([{ skuId: w.skuIds[2]!, quantity: 1 }]), 'k-idem');
    expect(c.body.order.id).not.toBe(a.body.order.id);
    expect(await count('orders')).toBe(before + 2);
  });

  it('selling the last unit: the next buyer is told sold out at once, a retry of the sale gets its order', async () => {
    const last = input([{ skuId: w.skuIds[3]!, quantity: 1 }]);
    const sold = await s.checkout.placeOrder(buyer(6), last, 'k-last');
    await expect(s.checkout.placeOrder(buyer(7), last, 'k-last-2')).rejects.toMatchObject({ kind: 'conflict', details: { reason: 'sold_out' } });
    const retry = await s.checkout.placeOrder(buyer(6), last, 'k-last');
    expect(retry.replayed).toBe(true);
    expect(retry.body).toEqual(sold.body);
  });

  it('a stock count can lower the level (down to what unpaid orders hold), and raise it again', async () => {
    const locationId = await s.inventory.locationOfWarehouse(w.centralWarehouseId);
    const skuId = w.skuIds[2]!;
    const before = await level(2);
    const down = await s.inventory.count({ locationId, skuId, counted: before.reserved + 1 });
    expect(down.onHand).toBe(before.reserved + 1);
    await expect(s.inventory.count({ locationId, skuId, counted: before.reserved - 1 })).rejects.toMatchObject({ kind: before.reserved > 0 ? 'conflict' : 'bad_input' });
    expect((await s.inventory.count({ locationId, skuId, counted: before.onHand })).onHand).toBe(before.onHand);
  });

  it('sold out → 409 naming the line, nothing written', async () => {
    const before = { orders: await count('orders'), holds: await count('stock_holds'), payments: await count('payments') };
    const stock = await level(0);
    try {
      await s.checkout.placeOrder(buyer(3), input([{ skuId: w.skuIds[2]!, quantity: 1 }, { skuId: w.skuIds[0]!, quantity: stock.available + 1 }]), 'k-sold');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).kind).toBe('conflict');
      expect((e as DomainError).field).toBe('lines.1.quantity');
    }
    expect({ orders: await count('orders'), holds: await count('stock_holds'), payments: await count('payments') }).toEqual(before);
    expect(await level(0)).toEqual(stock);
    expect((await level(2)).reserved).toBe(3);
  });

  it('bad input names the field and writes nothing', async () => {
    const before = await count('orders');
    const cases: [unknown, string][] = [
      [{ ...input([{ skuId: w.skuIds[0]!, quantity: 0 }]) }, 'lines.0.quantity'],
      [{ ...input([{ skuId: 999999, quantity: 1 }]) }, 'lines.0.skuId'],
      [{ ...input([]) }, 'lines'],
      [{ channel: 'group_buy', lines: [{ skuId: w.skuIds[0]!, quantity: 1 }] }, 'pickupPointId'],
      [{ ...input([{ skuId: w.skuIds[0]!, quantity: 1 }]), pickupPointId: 999999 }, 'pickupPointId'],
      [{ ...input([{ skuId: w.skuIds[0]!, quantity: 1 }]), shareCode: 'nosuchcode' }, 'shareCode'],
      [{ ...input([{ skuId: w.skuIds[1]!, quantity: 3 }]) }, 'lines.0.quantity'],
      // A live order names its session (docs/live.md).
      [{ ...input([{ skuId: w.skuIds[0]!, quantity: 1 }]), channel: 'live' }, 'liveSessionId'],
    ];
    for (const [body, field] of cases) {
      await expect(s.checkout.placeOrder(buyer(4), body as never, `k-bad-${field}`), field).rejects.toMatchObject({ kind: 'bad_input', field });
    }
    expect(await count('orders')).toBe(before);
  });

  it('per-person daily limit counts across orders and is given back on cancel', async () => {
    const one = input([{ skuId: w.skuIds[1]!, quantity: 1 }]);
    const a = await s.checkout.placeOrder(buyer(5), one, 'k-lim-1');
    await s.checkout.placeOrder(buyer(5), one, 'k-lim-2');
    await expect(s.checkout.placeOrder(buyer(5), one, 'k-lim-3')).rejects.toMatchObject({ kind: 'conflict', field: 'lines.0.quantity' });
    // Another buyer is not affected.
    await s.checkout.placeOrder(buyer(6), one, 'k-lim-4');
    await s.lifecycle.cancel(buyer(5), a.body.order.id);
    const again = await s.checkout.placeOrder(buyer(5), one, 'k-lim-5');
    expect(again.status).toBe(201);
  });

  it('payment commits the stock, posts the ledger with the leader’s commission; a replayed callback changes nothing', async () => {
    const r = await s.checkout.placeOrder(buyer(7), input([{ skuId: w.skuIds[2]!, quantity: 2 }]), 'k-pay');
    const before = await level(2);
    const p = r.body.payment!;
    await s.sandboxGateway.complete({ id: p.paymentId, amountFen: p.amountFen }, 'succeeded');
    const paid = await s.orders.view(r.body.order.id);
    expect(paid).toMatchObject({ status: 'paid', paidFen: 1980 });
    expect(await level(2)).toEqual({ onHand: before.onHand - 2, reserved: before.reserved - 2, available: before.available });
    const statement = await s.ledger.statement(w.leaderId);
    expect(statement.balances.frozenFen).toBe(198);
    // Pressing pay again redelivers the same signed event: processed once.
    await s.sandboxGateway.complete({ id: p.paymentId, amountFen: p.amountFen }, 'succeeded');
    expect((await s.ledger.statement(w.leaderId)).balances.frozenFen).toBe(198);
    expect(await level(2)).toEqual({ onHand: before.onHand - 2, reserved: before.reserved - 2, available: before.available });
    expect(await s.ledger.verify()).toEqual([]);
  });

  it('unpaid orders expire at their deadline and release their stock; a late payment is returned', async () => {
    const r = await s.checkout.placeOrder(buyer(8), input([{ skuId: w.skuIds[0]!, quantity: 1 }]), 'k-exp');
    const held = await level(0);
    expect(await s.lifecycle.expireDue()).toBe(0);
    clock.advance(15 * 60_000 + 1);
    expect(await s.lifecycle.expireDue()).toBeGreaterThanOrEqual(1);
    expect((await s.orders.view(r.body.order.id)).status).toBe('expired');
    // Every order still unpaid at the deadline expired, this one and the first test's.
    expect(held.reserved).toBeGreaterThan(0);
    expect((await level(0)).reserved).toBe(0);
    // The payment was closed with the order: the page can no longer pay it.
    await expect(s.sandboxGateway.complete({ id: r.body.payment!.paymentId, amountFen: r.body.payment!.amountFen }, 'succeeded')).rejects.toMatchObject({
      kind: 'conflict',
    });
    expect(await s.inventory.totals()).toEqual({ negative: 0, heldMismatch: 0 });
  });

  it('money arriving after the deadline is booked and given straight back; the order still expires', async () => {
    const r = await s.checkout.placeOrder(buyer(3), input([{ skuId: w.skuIds[2]!, quantity: 1 }]), 'k-late');
    clock.advance(15 * 60_000 + 1);
    // The buyer pays at the provider just as the deadline passes, before the sweeper runs.
    await s.sandboxGateway.complete({ id: r.body.payment!.paymentId, amountFen: r.body.payment!.amountFen }, 'succeeded');
    const pay = await s.payments.getPayment(r.body.payment!.paymentId);
    expect(pay).toMatchObject({ status: 'succeeded', refundedFen: pay.amountFen });
    expect((await s.orders.view(r.body.order.id)).status).toBe('pending_payment');
    await s.lifecycle.expireDue();
    expect((await s.orders.view(r.body.order.id)).status).toBe('expired');
    const refunds = await db.query<{ kind: string; amount_fen: number; status: string }>('SELECT kind, amount_fen, status FROM refunds WHERE order_id = $1', [r.body.order.id]);
    expect(refunds).toEqual([{ kind: 'full', amount_fen: pay.amountFen, status: 'succeeded' }]);
    expect(await s.ledger.verify()).toEqual([]);
    expect(await s.inventory.totals()).toEqual({ negative: 0, heldMismatch: 0 });
  });

  it('a failure opening the payment undoes the reservation: no hold, no charge, and the key answers the failure', async () => {
    const failing = await createServices(db, { clock });
    const realRequest = (failing.checkout as unknown as { d: { requestPayment?: unknown } }).d;
    realRequest.requestPayment = async () => {
      throw new Error('provider down');
    };
    const before = await level(2);
    await expect(failing.checkout.placeOrder(buyer(9), input([{ skuId: w.skuIds[2]!, quantity: 3 }]), 'k-comp')).rejects.toThrow('provider down');
    expect(await level(2)).toEqual(before);
    const orders = await db.query<{ status: string }>(`SELECT status FROM orders WHERE idempotency_key = 'k-comp'`);
    expect(orders).toEqual([{ status: 'cancelled' }]);
    const pays = await db.query<{ status: string }>(`SELECT p.status FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.idempotency_key = 'k-comp'`);
    expect(pays).toEqual([{ status: 'closed' }]);
    const retry = await failing.checkout.placeOrder(buyer(9), input([{ skuId: w.skuIds[2]!, quantity: 3 }]), 'k-comp');
    expect(retry).toMatchObject({ status: 502, replayed: true });
    await failing.checkout.close();
  });
});
