import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { ManualClock } from '../../kernel';
import type { Actor } from '../../modules/people';
import { seedWholesalePrices } from '../../modules/stores';
import { createServices, type Services } from '../../services';
import { connectSandbox, makeCommerceWorld, type CommerceWorld } from '../testing';

// 10:00 China time on 10 May; the store's replenishment orders travel on the 11th.
const NOW = '2026-05-10T02:00:00Z';

describe.each(testBackends())('replenishment (%s)', (backend) => {
  let db: TestDatabase;
  let s: Services;
  let w: CommerceWorld;
  let owner: Actor;
  let clerk: Actor;
  let otherStoreId: number;
  let otherClerk: Actor;
  let farPointId: number;
  const clock = new ManualClock(NOW);
  const one = async (text: string, params: unknown[] = []) => (await db.query<{ id: number }>(text, params))[0]!.id;
  const pay = (p: { paymentId: number; amountFen: number } | null) => s.sandboxGateway.complete({ id: p!.paymentId, amountFen: p!.amountFen }, 'succeeded');
  const storeLevel = async (skuIdx: number) => s.inventory.level({ locationId: await s.inventory.locationOfStore(w.storeId), skuId: w.skuIds[skuIdx]! });
  const suggestionsNow = async () => (await s.replenishment.suggestions(owner, w.storeId)).lines;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    s = await createServices(db, { clock });
    connectSandbox(s);
    w = await makeCommerceWorld(db, {
      buyers: 4,
      skus: [
        { priceFen: 1000, stock: 500, storeStock: 10 }, // 0: sells down at the store
        { priceFen: 500, stock: 500, storeStock: 100 }, // 1: plenty on the shelf
        { priceFen: 800, stock: 500 }, // 2: the store does not stock it; sells at the pickup point next door
        { priceFen: 300, stock: 500 }, // 3: the store does not stock it; sells only 11 km away
      ],
    });
    await seedWholesalePrices(db, w.regionId, 60);
    await db.query('UPDATE wholesale_prices SET case_size = 6 WHERE region_id = $1 AND sku_id = $2', [w.regionId, w.skuIds[0]]);
    owner = w.actor(w.storeOwnerId, 'store_owner');
    const account = (name: string) => one(`INSERT INTO accounts (phone, display_name, password_hash) VALUES ($1, $2, 'x') RETURNING id`, [String(15_900_000_000 + Math.floor(Math.random() * 99_999_999)), name]);
    const clerkId = await account('店员');
    await db.query('INSERT INTO store_clerks (store_id, account_id) VALUES ($1, $2)', [w.storeId, clerkId]);
    clerk = w.actor(clerkId, 'store_clerk');
    const otherOwner = await account('别家店主');
    otherStoreId = await one(
      `INSERT INTO stores (region_id, community_id, owner_account_id, name, address, lat, lng, delivery_radius_m, opens_at, closes_at)
       VALUES ($1, $2, $3, '别家便利店', '9号楼', 30.3, 120.3, 1000, '07:00', '22:00') RETURNING id`,
      [w.regionId, w.communityId, otherOwner],
    );
    const otherClerkId = await account('别家店员');
    await db.query('INSERT INTO store_clerks (store_id, account_id) VALUES ($1, $2)', [otherStoreId, otherClerkId]);
    otherClerk = w.actor(otherClerkId, 'store_clerk');
    farPointId = await one(
      `INSERT INTO pickup_points (community_id, leader_account_id, name, address, lat, lng, opens_at, closes_at, capacity)
       VALUES ($1, $2, '远处自提点', '十公里外', 30.2, 120.1, '08:00', '20:00', 500) RETURNING id`,
      [w.communityId, w.leaderId],
    );
  });
  afterAll(async () => {
    await s?.checkout.close();
    await db?.dispose();
  });

  it('sales drop stock below its level → suggested → ordered at wholesale → received → stock is up', async () => {
    // Nothing sold yet: 10 on the shelf, nothing to suggest for the store's own SKUs.
    expect((await suggestionsNow()).filter((l) => l.reason === 'low_stock')).toEqual([]);

    // Residents buy 8 of SKU 0 from the store online (paid), and 7 of SKU 2 at the pickup
    // point next door (group buy) and 9 of SKU 3 at a point 11 km away.
    const online = await s.checkout.placeOrder(w.actor(w.buyerIds[0]!), { channel: 'store_online', storeId: w.storeId, lines: [{ skuId: w.skuIds[0]!, quantity: 8 }] }, 'sale-1');
    await pay(online.body.payment);
    const near = await s.checkout.placeOrder(w.actor(w.buyerIds[1]!), { channel: 'group_buy', pickupPointId: w.pickupPointId, lines: [{ skuId: w.skuIds[2]!, quantity: 7 }] }, 'gb-1');
    await pay(near.body.payment);
    const far = await s.checkout.placeOrder(w.actor(w.buyerIds[2]!), { channel: 'group_buy', pickupPointId: farPointId, lines: [{ skuId: w.skuIds[3]!, quantity: 9 }] }, 'gb-2');
    await pay(far.body.payment);
    expect(await storeLevel(0)).toMatchObject({ onHand: 2, available: 2 });

    // Velocity 8/14 a day × (7 days of cover + 1 lead) → 5 wanted, 2 on the shelf → 3 short → one case of 6.
    const before = await suggestionsNow();
    expect(before).toEqual([
      {
        skuId: w.skuIds[0],
        title: '测试商品1',
        spec: '500g',
        unit: '份',
        reason: 'low_stock',
        onHand: 2,
        onOrder: 0,
        velocityPerDay: 0.57,
        suggested: 6,
        wholesalePriceFen: 600,
        caseSize: 6,
      },
      // Neighbourhood demand: what sells next door that the store does not stock; not the far point's SKU.
      expect.objectContaining({ skuId: w.skuIds[2], reason: 'neighbourhood', onHand: 0, velocityPerDay: 0.5, suggested: 1, wholesalePriceFen: 480, caseSize: 1 }),
    ]);
    // More days of cover wanted → more suggested.
    const longer = await s.replenishment.suggestions(owner, w.storeId, { targetDays: 20 });
    expect(longer.targetDays).toBe(20);
    expect(longer.lines[0]).toMatchObject({ skuId: w.skuIds[0], suggested: 12 });

    // The owner orders the suggestion: wholesale price, from the central warehouse, for delivery tomorrow.
    const placed = await s.replenishmentFlow.placeOrder(owner, w.storeId, { lines: [{ skuId: w.skuIds[0]!, quantity: 6 }] }, 'restock-1');
    expect(placed.status).toBe(201);
    const order = placed.body.order;
    expect(order).toMatchObject({
      channel: 'replenishment',
      status: 'pending_payment',
      fulfilment: 'delivery',
      storeId: w.storeId,
      buyerAccountId: w.storeOwnerId,
      totalFen: 3600,
      deliveryDate: '2026-05-11',
      receivedAt: null,
    });
    expect(order.lines.map((l) => [l.skuId, l.unitPriceFen, l.quantity])).toEqual([[w.skuIds[0], 600, 6]]);
    const [row] = await db.query<{ location_id: number; commission_plan: unknown }>('SELECT location_id, commission_plan FROM orders WHERE id = $1', [order.id]);
    expect(row!.location_id).toBe(await s.inventory.locationOfWarehouse(w.centralWarehouseId));
    expect(row!.commission_plan).toEqual([]);
    await pay(placed.body.payment);

    // On order now: no longer suggested.
    expect((await suggestionsNow()).find((l) => l.skuId === w.skuIds[0])).toBeUndefined();

    // A clerk counts it in the next day: the store's stock is up, the order completed.
    clock.set('2026-05-11T01:00:00Z');
    const received = await s.replenishmentFlow.receive(clerk, w.storeId, order.id, { lines: [{ skuId: w.skuIds[0]!, received: 6 }] }, 'recv-1');
    expect(received.body).toMatchObject({ id: order.id, status: 'completed', refundedFen: 0, receivedAt: '2026-05-11T01:00:00.000Z' });
    expect(await storeLevel(0)).toMatchObject({ onHand: 8, available: 8 });
    const moves = await db.query<{ delta: number; reason: string; ref_type: string }>(
      'SELECT delta, reason, ref_type FROM stock_movements WHERE ref_id = $1 AND ref_type = $2',
      [order.id, 'replenishment'],
    );
    expect(moves).toEqual([{ delta: 6, reason: 'receipt', ref_type: 'replenishment' }]);
    clock.set(NOW);
  });

  it('placing and receiving are idempotent by key', async () => {
    const input = { lines: [{ skuId: w.skuIds[1]!, quantity: 3 }] };
    const first = await s.replenishmentFlow.placeOrder(owner, w.storeId, input, 'restock-idem');
    const again = await s.replenishmentFlow.placeOrder(owner, w.storeId, input, 'restock-idem');
    expect(again.replayed).toBe(true);
    expect(again.body.order.id).toBe(first.body.order.id);
    expect(again.body.order.deliveryDate).toBe(first.body.order.deliveryDate);
    const n = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE buyer_account_id = $1 AND idempotency_key = 'restock-idem'`, [w.storeOwnerId]);
    expect(n[0]!.n).toBe(1);
    await pay(first.body.payment);

    const before = (await storeLevel(1)).onHand;
    const count = { lines: [{ skuId: w.skuIds[1]!, received: 3 }] };
    const r1 = await s.replenishmentFlow.receive(owner, w.storeId, first.body.order.id, count, 'recv-idem');
    const r2 = await s.replenishmentFlow.receive(owner, w.storeId, first.body.order.id, count, 'recv-idem');
    expect(r2.replayed).toBe(true);
    expect(r2.body).toEqual(r1.body);
    expect((await storeLevel(1)).onHand).toBe(before + 3);
    // A new key on a completed order: refused, stock unchanged.
    await expect(s.replenishmentFlow.receive(owner, w.storeId, first.body.order.id, count, 'recv-idem-2')).rejects.toMatchObject({ kind: 'conflict' });
    expect((await storeLevel(1)).onHand).toBe(before + 3);
  });

  it('a short delivery refunds the shortfall and still completes the order', async () => {
    const placed = await s.replenishmentFlow.placeOrder(owner, w.storeId, { lines: [{ skuId: w.skuIds[0]!, quantity: 12 }, { skuId: w.skuIds[2]!, quantity: 2 }] }, 'restock-short');
    expect(placed.body.order.totalFen).toBe(12 * 600 + 2 * 480);
    await pay(placed.body.payment);
    const id = placed.body.order.id;
    const onHand0 = (await storeLevel(0)).onHand;
    // Every line must be counted, with 0 to the units owed.
    await expect(s.replenishmentFlow.receive(clerk, w.storeId, id, { lines: [{ skuId: w.skuIds[0]!, received: 10 }] }, 'rs-bad')).rejects.toMatchObject({ field: 'lines' });
    await expect(
      s.replenishmentFlow.receive(clerk, w.storeId, id, { lines: [{ skuId: w.skuIds[0]!, received: 13 }, { skuId: w.skuIds[2]!, received: 0 }] }, 'rs-bad2'),
    ).rejects.toMatchObject({ field: 'lines.0.received' });
    const r = await s.replenishmentFlow.receive(clerk, w.storeId, id, { lines: [{ skuId: w.skuIds[0]!, received: 10 }, { skuId: w.skuIds[2]!, received: 0 }] }, 'rs-1');
    expect(r.body).toMatchObject({ status: 'completed', refundedFen: 2 * 600 + 2 * 480 });
    expect((await storeLevel(0)).onHand).toBe(onHand0 + 10);
    expect((await storeLevel(2)).onHand).toBe(0);
    const refunds = await db.query<{ kind: string; amount_fen: number }>('SELECT kind, amount_fen FROM refunds WHERE order_id = $1', [id]);
    expect(refunds).toEqual([{ kind: 'shortage', amount_fen: 2 * 600 + 2 * 480 }]);
  });

  it('checks cases, the catalogue and who may do what', async () => {
    const bad = (lines: { skuId: number; quantity: number }[], key: string) => s.replenishmentFlow.placeOrder(owner, w.storeId, { lines }, key);
    await expect(bad([{ skuId: w.skuIds[0]!, quantity: 4 }], 'case-1')).rejects.toMatchObject({ field: 'lines.0.quantity' });
    await db.query('UPDATE wholesale_prices SET active = false WHERE region_id = $1 AND sku_id = $2', [w.regionId, w.skuIds[3]]);
    await expect(bad([{ skuId: w.skuIds[3]!, quantity: 1 }], 'case-2')).rejects.toMatchObject({ field: 'lines.0.skuId' });
    await db.query('UPDATE wholesale_prices SET active = true WHERE region_id = $1 AND sku_id = $2', [w.regionId, w.skuIds[3]]);

    // Only the owner spends the store's money; clerks of this store may read and receive.
    const line = { lines: [{ skuId: w.skuIds[1]!, quantity: 1 }] };
    await expect(s.replenishmentFlow.placeOrder(clerk, w.storeId, line, 'clerk-1')).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(s.checkout.placeOrder(clerk, { channel: 'replenishment', storeId: w.storeId, lines: line.lines }, 'clerk-2')).rejects.toMatchObject({ kind: 'forbidden' });
    expect((await s.replenishment.suggestions(clerk, w.storeId)).targetDays).toBe(7);
    // Another store's clerk: nothing of this store.
    await expect(s.replenishment.suggestions(otherClerk, w.storeId)).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(s.replenishment.catalogue(otherClerk, w.storeId, { limit: 10 })).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(s.replenishmentFlow.list(otherClerk, w.storeId, { limit: 10 })).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(s.storeFinance.finance(clerk, w.storeId)).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(s.replenishment.suggestions(owner, 999_999)).rejects.toMatchObject({ kind: 'not_found' });

    const placed = await s.replenishmentFlow.placeOrder(owner, w.storeId, line, 'auth-1');
    const id = placed.body.order.id;
    const count = { lines: [{ skuId: w.skuIds[1]!, received: 1 }] };
    // Unpaid: not yet receivable.
    await expect(s.replenishmentFlow.receive(owner, w.storeId, id, count, 'auth-r0')).rejects.toMatchObject({ kind: 'conflict' });
    await pay(placed.body.payment);
    await expect(s.replenishmentFlow.receive(otherClerk, w.storeId, id, count, 'auth-r1')).rejects.toMatchObject({ kind: 'forbidden' });
    // Through their own store's id: the order is not theirs to find.
    await expect(s.replenishmentFlow.receive(otherClerk, otherStoreId, id, count, 'auth-r2')).rejects.toMatchObject({ kind: 'not_found' });
    // A resident's order is not a replenishment order.
    const sale = await s.checkout.placeOrder(w.actor(w.buyerIds[3]!), { channel: 'store_online', storeId: w.storeId, lines: [{ skuId: w.skuIds[1]!, quantity: 1 }] }, 'sale-x');
    await expect(s.replenishmentFlow.receive(owner, w.storeId, sale.body.order.id, count, 'auth-r3')).rejects.toMatchObject({ kind: 'not_found' });

    const page = await s.replenishmentFlow.list(clerk, w.storeId, { limit: 2 });
    expect(page.items).toHaveLength(2);
    expect(page.items[0]!.id).toBe(id);
    expect(page.items.every((o) => o.channel === 'replenishment' && o.deliveryDate === '2026-05-11')).toBe(true);
    expect(page.nextCursor).not.toBeNull();
  });

  it('shows the wholesale catalogue with shelf prices and what the central warehouse has', async () => {
    const all = await s.replenishment.catalogue(clerk, w.storeId, { limit: 3 });
    expect(all.items.map((i) => i.skuId)).toEqual(w.skuIds.slice(0, 3));
    expect(all.items[0]).toMatchObject({ title: '测试商品1', wholesalePriceFen: 600, caseSize: 6, retailPriceFen: 1000 });
    const next = await s.replenishment.catalogue(clerk, w.storeId, { limit: 3, cursor: all.nextCursor! });
    expect(next.items.map((i) => i.skuId)).toEqual([w.skuIds[3]]);
    expect(next.nextCursor).toBeNull();
    // SKU 3: 500 stocked centrally, 9 sold at the far point.
    expect(next.items[0]).toMatchObject({ wholesalePriceFen: 180, available: 491 });
    const found = await s.replenishment.catalogue(clerk, w.storeId, { limit: 10, q: '商品3' });
    expect(found.items.map((i) => i.skuId)).toEqual([w.skuIds[2]]);
  });
});
