// Returns at the till (退货) and counter-sale receipts (小票) over HTTP: docs/stores.md "The till".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../db/testing';
import { connectSandbox, makeCommerceWorld, sessionToken, type CommerceWorld } from '../../flows/testing';
import { chinaTime, displayWidth } from '../../modules/stores';
import { createTestApp, type TestApp } from '../testing';

interface Line {
  id: number;
  skuId: number;
  quantity: number;
  lineTotalFen: number;
}

const LONG_TITLE = '农夫山泉饮用天然水家庭装特大桶';

describe.each(testBackends())('returns and receipts at the till on %s', (backend) => {
  let t: TestApp;
  let w: CommerceWorld;
  let operator: string;
  let owner: string;
  let clerk: string;
  let otherClerk: string;
  let resident: string;
  let otherStoreId: number;

  beforeAll(async () => {
    t = await createTestApp(backend);
    connectSandbox(t.services);
    w = await makeCommerceWorld(t.db, {
      buyers: 1,
      skus: [
        { priceFen: 1000, stock: 20, storeStock: 10 },
        { priceFen: 250, stock: 20, storeStock: 10 },
      ],
    });
    // A long Chinese name: the receipt has to wrap it by display width.
    await t.db.query(`UPDATE products SET name = $1 WHERE id = (SELECT product_id FROM skus WHERE id = $2)`, [LONG_TITLE, w.skuIds[0]]);
    operator = await sessionToken(t.db, w.operatorId);
    owner = await sessionToken(t.db, w.storeOwnerId);
    const c = await t.user(['resident'], 'clerk');
    await t.services.place.stores.addClerk(w.actor(w.storeOwnerId, 'store_owner'), w.storeId, { accountId: c.id });
    clerk = await sessionToken(t.db, c.id);
    const otherOwner = await t.user(['store_owner'], 'other-owner');
    otherStoreId = (
      await t.db.query<{ id: number }>(
        `INSERT INTO stores (region_id, community_id, owner_account_id, name, address, lat, lng, delivery_radius_m, opens_at, closes_at)
         VALUES ($1, $2, $3, '隔壁小卖部', '9号楼', 30.2, 120.2, 500, '00:00', '23:59') RETURNING id`,
        [w.regionId, w.communityId, otherOwner.id],
      )
    )[0]!.id;
    const oc = await t.user(['store_clerk'], 'other-clerk');
    await t.db.query(`INSERT INTO store_clerks (store_id, account_id) VALUES ($1, $2)`, [otherStoreId, oc.id]);
    otherClerk = oc.token;
    resident = (await t.user(['resident'], 'resident')).token;
  });
  afterAll(async () => {
    await t.services.checkout.close();
    await t.close();
  });

  const onHand = async (skuId: number) =>
    (
      await t.db.query<{ on_hand: number }>(
        `SELECT l.on_hand FROM stock_levels l JOIN stock_locations s ON s.id = l.location_id WHERE s.store_id = $1 AND l.sku_id = $2`,
        [w.storeId, skuId],
      )
    )[0]!.on_hand;
  const cashInTills = async () =>
    Number((await t.db.query<{ b: number }>(`SELECT balance_fen AS b FROM ledger_accounts WHERE code = 'platform:psp:cash'`))[0]?.b ?? 0);
  const sale = async (key: string, body: object) => {
    const res = await t.call('POST', `/api/stores/${w.storeId}/pos/sales`, { token: clerk, payload: body, headers: { 'idempotency-key': key } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { order: { id: number; totalFen: number; lines: Line[] }; payment: { paymentId: number; amountFen: number } | null; changeFen: number };
  };
  const refund = (token: string, orderId: number, key: string, body: object, storeId = w.storeId) =>
    t.call('POST', `/api/stores/${storeId}/pos/sales/${orderId}/refunds`, { token, payload: body, headers: { 'idempotency-key': key } });
  const today = async () => (await t.call('GET', `/api/stores/${w.storeId}/sales/today`, { token: clerk })).body;
  const receipt = (token: string, orderId: number, query = '') => t.call('GET', `/api/stores/${w.storeId}/pos/sales/${orderId}/receipt${query}`, { token });

  let cashSale: Awaited<ReturnType<typeof sale>>;

  it('takes back part of a cash sale: its share after discounts from the till, stock back, takings down, replayed by its key', async () => {
    cashSale = await sale('till-cash-1', {
      lines: [
        { skuId: w.skuIds[0], quantity: 3, discountFen: 100 },
        { skuId: w.skuIds[1], quantity: 2 },
      ],
      discountFen: 50,
      payment: 'cash',
      cashReceivedFen: 5000,
    });
    const [big, small] = cashSale.order.lines as [Line, Line];
    expect(big.lineTotalFen + small.lineTotalFen).toBe(cashSale.order.totalFen);
    expect(await onHand(w.skuIds[0]!)).toBe(7);
    const before = await today();
    const tillBefore = await cashInTills();

    const body = { lines: [{ orderLineId: big.id, quantity: 1 }], reason: '买多了' };
    const res = await refund(clerk, cashSale.order.id, 'till-refund-1', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // One unit of three gives back a third of what the line came to after both discounts.
    const share = Math.floor(big.lineTotalFen / 3);
    expect(res.body.refund).toMatchObject({ amountFen: share, kind: 'partial', restock: true, status: 'succeeded', reason: '买多了' });
    expect(res.body.cashBackFen).toBe(share);
    expect(res.body.order).toMatchObject({ status: 'completed', refundedFen: share });
    expect(await onHand(w.skuIds[0]!)).toBe(8);
    // Cash handed back: Dr sales_refunds / Cr psp:cash, mirroring the sale; the books balance.
    expect(await cashInTills()).toBe(tillBefore - share);
    expect(await t.services.ledger.verify()).toEqual([]);
    const after = await today();
    expect(after.byChannel.counter).toBe(before.byChannel.counter - share);
    expect(after.itemsFen).toBe(before.itemsFen - share);
    expect(after.refundsFen).toBe(before.refundsFen + share);

    const again = await refund(clerk, cashSale.order.id, 'till-refund-1', body);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(res.body);
    expect(await onHand(w.skuIds[0]!)).toBe(8);
    expect((await t.db.query(`SELECT id FROM refunds WHERE order_id = $1`, [cashSale.order.id])).length).toBe(1);
    const otherBody = await refund(clerk, cashSale.order.id, 'till-refund-1', { ...body, reason: '换一个理由' });
    expect(otherBody.status).toBe(422);
  });

  it('refuses more units than are left unrefunded, naming the line, and changes nothing', async () => {
    const [big] = cashSale.order.lines as [Line];
    const refunded = await t.db.query(`SELECT id FROM refunds WHERE order_id = $1`, [cashSale.order.id]);
    const over = await refund(clerk, cashSale.order.id, 'till-over-1', { lines: [{ orderLineId: big.id, quantity: 3 }] });
    expect(over.status).toBe(400);
    expect(over.body.error.field).toBe('lines.0.quantity');
    const bySku = await refund(clerk, cashSale.order.id, 'till-over-2', { lines: [{ skuId: w.skuIds[1], quantity: 1 }, { skuId: w.skuIds[0], quantity: 5 }] });
    expect(bySku.body.error.field).toBe('lines.1.quantity');
    const notOnSale = await refund(clerk, cashSale.order.id, 'till-over-3', { lines: [{ orderLineId: 999_999_999, quantity: 1 }] });
    expect(notOnSale.body.error.field).toBe('lines.0.orderLineId');
    expect(await t.db.query(`SELECT id FROM refunds WHERE order_id = $1`, [cashSale.order.id])).toEqual(refunded);
    expect(await onHand(w.skuIds[0]!)).toBe(8);
  });

  it('only the store’s own staff take goods back: other stores’ clerks and residents 404, operators 403', async () => {
    const [big] = cashSale.order.lines as [Line];
    const body = { lines: [{ orderLineId: big.id, quantity: 1 }] };
    expect((await refund(otherClerk, cashSale.order.id, 'x-1', body)).status).toBe(404);
    expect((await refund(resident, cashSale.order.id, 'x-2', body)).status).toBe(404);
    expect((await refund(operator, cashSale.order.id, 'x-3', body)).status).toBe(403);
    // The other store's own clerk, at their store: the sale is not theirs.
    expect((await refund(otherClerk, cashSale.order.id, 'x-4', body, otherStoreId)).status).toBe(404);
    expect((await t.call('POST', `/api/stores/${w.storeId}/pos/sales/${cashSale.order.id}/refunds`, { token: clerk, payload: body })).body.error.field).toBe('Idempotency-Key');
    expect(await onHand(w.skuIds[0]!)).toBe(8);
  });

  it('the rest of the sale, damaged (restock: false): stock stays, the refunds add up to the total, the order is refunded', async () => {
    const [big, small] = cashSale.order.lines as [Line, Line];
    const stock = [await onHand(w.skuIds[0]!), await onHand(w.skuIds[1]!)];
    const before = await today();
    const res = await refund(owner, cashSale.order.id, 'till-refund-2', { lines: [{ skuId: w.skuIds[0], quantity: 2 }, { orderLineId: small.id, quantity: 2 }], restock: false });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const firstShare = Math.floor(big.lineTotalFen / 3);
    expect(res.body.refund).toMatchObject({ kind: 'full', restock: false, amountFen: cashSale.order.totalFen - firstShare });
    expect(res.body.order).toMatchObject({ status: 'refunded', refundedFen: cashSale.order.totalFen });
    expect(res.body.order.lines.map((l: { refundedFen: number; lineTotalFen: number }) => l.refundedFen - l.lineTotalFen)).toEqual([0, 0]);
    expect([await onHand(w.skuIds[0]!), await onHand(w.skuIds[1]!)]).toEqual(stock);
    expect(await t.services.ledger.verify()).toEqual([]);
    const after = await today();
    expect(after.orders).toBe(before.orders - 1);
    expect(after.byChannel.counter).toBe(before.byChannel.counter - res.body.refund.amountFen);
    // Nothing is left to give back.
    const more = await refund(owner, cashSale.order.id, 'till-refund-3', { lines: [{ orderLineId: small.id, quantity: 1 }] });
    expect(more.status).toBe(409);
  });

  it('a free item (赠品, discounted to nothing) comes back with the rest of the sale: no money for it, its unit back on the shelf', async () => {
    const s = await sale('till-gift-1', {
      lines: [
        { skuId: w.skuIds[0], quantity: 1 },
        { skuId: w.skuIds[1], quantity: 1, discountFen: 250 },
      ],
      payment: 'cash',
      cashReceivedFen: 1000,
    });
    expect(s.order.lines.map((l) => l.lineTotalFen)).toEqual([1000, 0]);
    const stock = [await onHand(w.skuIds[0]!), await onHand(w.skuIds[1]!)];
    const res = await refund(clerk, s.order.id, 'till-gift-refund', { lines: s.order.lines.map((l) => ({ orderLineId: l.id, quantity: 1 })) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.refund).toMatchObject({ kind: 'full', amountFen: 1000, lines: [{ orderLineId: s.order.lines[0]!.id, quantity: 1, amountFen: 1000 }] });
    expect(res.body.order).toMatchObject({ status: 'refunded', lines: [{ refundedQuantity: 1 }, { refundedQuantity: 1, refundedFen: 0 }] });
    expect([await onHand(w.skuIds[0]!), await onHand(w.skuIds[1]!)]).toEqual([stock[0]! + 1, stock[1]! + 1]);
    expect(await t.services.ledger.verify()).toEqual([]);
  });

  it('a provider sale is refunded through the provider, the store’s commission reversed', async () => {
    const s = await sale('till-prov-1', { lines: [{ skuId: w.skuIds[1], quantity: 2 }], payment: 'provider' });
    const line = s.order.lines[0]!;
    // Not paid yet: nothing to refund.
    expect((await refund(clerk, s.order.id, 'till-prov-early', { lines: [{ orderLineId: line.id, quantity: 1 }] })).status).toBe(409);
    await t.services.sandboxGateway.complete({ id: s.payment!.paymentId, amountFen: s.payment!.amountFen }, 'succeeded');
    const stock = await onHand(w.skuIds[1]!);
    const tillBefore = await cashInTills();

    const res = await refund(clerk, s.order.id, 'till-prov-refund', { lines: [{ orderLineId: line.id, quantity: 1 }] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.refund).toMatchObject({ amountFen: 250, status: 'succeeded' });
    expect(res.body.cashBackFen).toBe(0);
    expect(res.body.order).toMatchObject({ status: 'completed', refundedFen: 250 });
    const paid = await t.db.query<{ provider: string; refunded_fen: number }>(`SELECT provider, refunded_fen FROM payments WHERE order_id = $1 AND status = 'succeeded'`, [s.order.id]);
    expect(paid).toEqual([{ provider: 'sandbox', refunded_fen: 250 }]);
    const c = await t.db.query<{ amount_fen: number; reversed_fen: number }>(`SELECT amount_fen, reversed_fen FROM commissions WHERE order_id = $1`, [s.order.id]);
    expect(c).toEqual([{ amount_fen: 500, reversed_fen: 250 }]);
    expect(await onHand(w.skuIds[1]!)).toBe(stock + 1);
    expect(await cashInTills()).toBe(tillBefore);
    expect(await t.services.ledger.verify()).toEqual([]);
  });

  it('an online order of the store is not a counter sale: 409 naming orderId', async () => {
    const buyer = w.actor(w.buyerIds[0]!);
    const online = await t.services.checkout.placeOrder(buyer, { channel: 'store_online', storeId: w.storeId, lines: [{ skuId: w.skuIds[1]!, quantity: 1 }] }, 'till-online');
    const orderId = online.body.order.id;
    const lineId = online.body.order.lines[0]!.id;
    const res = await refund(clerk, orderId, 'till-online-refund', { lines: [{ orderLineId: lineId, quantity: 1 }] });
    expect(res.status).toBe(409);
    expect(res.body.error.field).toBe('orderId');
    expect((await receipt(clerk, orderId)).status).toBe(409);
  });

  it('the receipt: store, China time, lines after discounts, cash and change, refunds so far; owner, clerks and operators only', async () => {
    const s = await sale('till-receipt-1', {
      lines: [
        { skuId: w.skuIds[0], quantity: 2, discountFen: 100 },
        { skuId: w.skuIds[1], quantity: 1 },
      ],
      discountFen: 30,
      payment: 'cash',
      cashReceivedFen: 10_000,
    });
    const [big] = s.order.lines as [Line];
    const back = await refund(clerk, s.order.id, 'till-receipt-refund', { lines: [{ orderLineId: big.id, quantity: 1 }], reason: '包装破了' });
    expect(back.status).toBe(201);

    const res = await receipt(clerk, s.order.id);
    expect(res.status).toBe(200);
    const r = res.body;
    expect(r.store).toEqual({ id: w.storeId, name: '测试便利店', address: '2号楼' });
    expect(r.orderNo).toBe(`LL${String(s.order.id).padStart(8, '0')}`);
    expect(r.time).toBe(chinaTime(new Date(r.at)));
    expect(r.time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(r.lines[0]).toMatchObject({ title: LONG_TITLE, spec: '500g', quantity: 2, unitPriceFen: 1000, refundedQuantity: 1 });
    expect(r.lines.reduce((sum: number, l: { lineTotalFen: number }) => sum + l.lineTotalFen, 0)).toBe(r.totalFen);
    expect(r).toMatchObject({
      itemsFen: 2250,
      discountFen: 130,
      saleDiscountFen: 30,
      totalFen: 2120,
      payment: { way: 'cash', provider: 'cash', status: 'succeeded' },
      cashReceivedFen: 10_000,
      changeFen: 10_000 - 2120,
      refundedFen: back.body.refund.amountFen,
      netFen: 2120 - back.body.refund.amountFen,
    });
    expect(r.refunds).toEqual([expect.objectContaining({ amountFen: back.body.refund.amountFen, reason: '包装破了', restock: true, lines: [{ orderLineId: big.id, quantity: 1, amountFen: back.body.refund.amountFen }] })]);

    expect((await receipt(operator, s.order.id)).status).toBe(200);
    expect((await receipt(owner, s.order.id)).status).toBe(200);
    expect((await receipt(otherClerk, s.order.id)).status).toBe(404);
    expect((await receipt(resident, s.order.id)).status).toBe(404);
    const provider = await receipt(clerk, (await sale('till-receipt-2', { lines: [{ skuId: w.skuIds[1], quantity: 1 }], payment: 'provider' })).order.id);
    expect(provider.body).toMatchObject({ payment: { way: 'provider', provider: 'sandbox', status: 'created' }, cashReceivedFen: null, changeFen: null });

    for (const [width, columns] of [
      ['58', 32],
      ['80', 48],
    ] as const) {
      const text = await receipt(clerk, s.order.id, `?format=text&width=${width}`);
      expect(text.status).toBe(200);
      expect(text.headers['content-type']).toMatch(/^text\/plain/);
      const lines = (text.body as string).trimEnd().split('\n');
      for (const l of lines) expect(displayWidth(l), `${width} mm: "${l}"`).toBeLessThanOrEqual(columns);
      // The Chinese title is all there, wrapped by width (on 58 mm it cannot fit one line).
      expect(lines.join('').replace(/ /g, '')).toContain(`${LONG_TITLE}500g`);
      expect(text.body).toContain('找零');
      expect(text.body).toContain('78.80');
      expect(text.body).toContain('退款');
    }
    const en = await receipt(clerk, s.order.id, '?format=text&width=80&lang=en');
    expect(en.body).toContain('Change');
    const bad = await receipt(clerk, s.order.id, '?format=text&width=70');
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('width');
  });
});
