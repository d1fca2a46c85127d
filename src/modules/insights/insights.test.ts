// The insights read models kept by the outbox subscriber, through the real services with the
// relay running: a group-buy day (campaign, orders, the cutoff wave, hand-offs with a shortage,
// pickups on time, late, undone and partial, a refund, after-sales, a rating), a store order
// and some traffic; each figure checked, then recompute() must give the same tables.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { paySandbox } from '../../demo/orders';
import { connectSandbox, makeCommerceWorld, refusalOf, type CommerceWorld } from '../../flows/testing';
import { ManualClock } from '../../kernel';
import { addDays, chinaDay, mondayOf } from '../leaders';
import { createServices, type Services } from '../../services';
import { noDrift, rollupDrift } from './rollups.testing';

const HOUR = 3600_000;

describe.each(testBackends())('insights subscriber on a group-buy day on %s', (backend) => {
  let db: TestDatabase;
  let s: Services;
  let w: CommerceWorld;
  // Mid-morning China time, so the selling day, the pickup day and the day after are distinct.
  const clock = new ManualClock(new Date(`${chinaDay(new Date())}T10:00:00+08:00`));
  const sellDay = chinaDay(clock.now());
  const pickupDay = addDays(sellDay, 1);
  const f = {} as {
    campaignId: number;
    gridId: number;
    waveId: number;
    routeId: number;
    orders: { id: number; buyer: number; totalFen: number; units: number }[];
    storeOrder: { id: number; totalFen: number };
    shortageFen: number;
    refundFen: number;
  };
  const q = async <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => db.query<T>(text, params);
  const op = () => w.actor(w.operatorId, 'operator');
  const leader = () => w.actor(w.leaderId, 'leader');
  const staff = () => w.actor(w.operatorId, 'warehouse_staff', 'operator');
  const buyer = (i: number) => w.actor(w.buyerIds[i]!, 'resident');
  const settle = () => s.events.drain({ timeoutMs: 30_000 });

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    s = await createServices(db, { clock });
    connectSandbox(s);
    await s.events.start();
    w = await makeCommerceWorld(db, { buyers: 5, skus: [{ priceFen: 500, stock: 200, storeStock: 20 }, { priceFen: 800, stock: 200 }] });
    const [sku0, sku1] = w.skuIds as [number, number];
    f.gridId = (
      await q<{ id: number }>(`INSERT INTO warehouses (region_id, kind, name, lat, lng, central_warehouse_id) VALUES ($1, 'grid', '网格仓', 30.05, 120.05, $2) RETURNING id::int AS id`, [
        w.regionId,
        w.centralWarehouseId,
      ])
    )[0]!.id;
    await q(`UPDATE pickup_points SET grid_warehouse_id = $1 WHERE id = $2`, [f.gridId, w.pickupPointId]);
    // Buyer 0 lives in the community; the others' orders carry it from the pickup point.
    await q(`INSERT INTO resident_homes (account_id, community_id) VALUES ($1, $2)`, [w.buyerIds[0], w.communityId]);

    const c = await s.campaigns.create(op(), {
      regionId: w.regionId,
      title: '测试团购',
      startsAt: new Date(clock.now().getTime() - HOUR),
      cutoffAt: new Date(clock.now().getTime() + HOUR),
      pickupDate: pickupDay,
      leaderCommissionBp: 1000,
      items: [
        { skuId: sku0, groupPriceFen: 400, limitPerPerson: 9, stock: 50 },
        { skuId: sku1, groupPriceFen: 700, limitPerPerson: 9, stock: 30 },
      ],
    });
    await s.campaignFlow.publish(op(), c.id, 'insights-publish');
    f.campaignId = c.id;
    const plans: [number, [number, number][]][] = [
      [0, [[sku0, 2], [sku1, 1]]],
      [1, [[sku0, 1]]],
      [2, [[sku1, 3]]],
      [3, [[sku0, 1]]],
    ];
    f.orders = [];
    for (const [i, lines] of plans) {
      clock.advance(60_000);
      const placed = await s.checkout.placeOrder(buyer(i), { channel: 'group_buy', campaignId: c.id, pickupPointId: w.pickupPointId, lines: lines.map(([skuId, quantity]) => ({ skuId, quantity })) }, `insights-gb-${i}`);
      await paySandbox(s, placed.body.payment!);
      f.orders.push({ id: placed.body.order.id, buyer: w.buyerIds[i]!, totalFen: placed.body.order.totalFen, units: lines.reduce((n, [, u]) => n + u, 0) });
    }
    const store = await s.checkout.placeOrder(buyer(0), { channel: 'store_online', storeId: w.storeId, fulfilment: 'pickup', lines: [{ skuId: sku0, quantity: 2 }] }, 'insights-store');
    await paySandbox(s, store.body.payment!);
    f.storeOrder = { id: store.body.order.id, totalFen: store.body.order.totalFen };

    // Traffic: a leader's share link opened by two residents, views of the store, an anonymous product view.
    const link = await s.traffic.createShareLink(leader(), { targetType: 'campaign', targetId: c.id, actorType: 'leader', actorId: w.leaderId });
    await s.traffic.openShareLink(buyer(0), link.code);
    await s.traffic.openShareLink(buyer(1), link.code);
    await s.traffic.record(buyer(0), { kind: 'view', targetType: 'campaign', targetId: c.id, sourceType: 'share_link', shareCode: link.code });
    await s.traffic.record(buyer(0), { kind: 'view', targetType: 'store', targetId: w.storeId, sourceType: 'direct' });
    await s.traffic.record(null, { kind: 'view', targetType: 'product', targetId: sku0, sourceType: 'direct' });
    await s.traffic.flush();

    // The cutoff: the wave, receipts, the van; at the point one unit of sku1 is missing.
    clock.advance(2 * HOUR);
    const { wave } = await s.wave.run(op(), { regionId: w.regionId, pickupDate: pickupDay });
    f.waveId = wave.id;
    for (const po of await s.waves.purchaseOrders(op(), wave.id)) {
      await s.handoffs.receivePurchaseOrder(staff(), po.id, { lines: po.lines.map((l) => ({ skuId: l.skuId, received: l.quantity, damaged: 0 })) });
    }
    for (const share of await s.gridReceipts.shares(staff(), wave.id)) {
      await s.gridReceipts.receive(staff(), wave.id, share.gridWarehouse.id, { lines: share.lines.map((l) => ({ skuId: l.skuId, received: l.expected, damaged: 0 })) });
    }
    const routes = await s.waves.routes(op(), wave.id);
    f.routeId = routes[0]!.id;
    for (const r of routes) await s.handoffs.dispatchRoute(staff(), r.id);
    clock.set(`${pickupDay}T07:40:00+08:00`);
    const arrival = (await s.handoffs.arrivals(leader(), pickupDay)).find((a) => a.waveId === wave.id)!;
    const signed = await s.handoffs.signArrival(leader(), w.pickupPointId, {
      waveId: wave.id,
      lines: arrival.lines.map((l) => ({ skuId: l.skuId, received: l.skuId === sku1 ? l.expected - 1 : l.expected, damaged: 0 })),
    });
    f.shortageFen = signed.shortages.flatMap((x) => x.refunds).reduce((n, r) => n + r.amountFen, 0);

    // Pickups: buyer 0 collects, the scan is undone, then collects again (on time); buyer 2
    // takes one of her two units (partial, on time); buyer 1 comes two days later (late);
    // buyer 3's order is refunded in full at the point (no longer due).
    const pick = async (i: number, lines?: { orderLineId: number; quantity: number }[]) => {
      const { code } = await s.pickup.codeOf(buyer(i), f.orders[i]!.id);
      return s.pickup.pickup(leader(), w.pickupPointId, { orderId: f.orders[i]!.id, code, ...(lines ? { lines } : {}) });
    };
    clock.set(`${pickupDay}T09:00:00+08:00`);
    const first = await pick(0);
    await settle();
    await s.pickup.undo(leader(), first.scanId);
    await settle();
    await pick(0);
    const b2Line = (await s.orders.view(f.orders[2]!.id)).lines[0]!;
    await pick(2, [{ orderLineId: b2Line.id, quantity: 1 }]);
    const refund = await s.refunds.refund(op(), f.orders[3]!.id, { kind: 'full', reason: '不要了', restock: true });
    f.refundFen = refund.amountFen;
    clock.set(`${addDays(pickupDay, 2)}T10:00:00+08:00`);
    await pick(1);

    // After-sales on two collected orders (one a complaint), a rating.
    const line0 = (await s.orders.view(f.orders[0]!.id)).lines[0]!;
    await s.refunds.openAfterSales(buyer(0), f.orders[0]!.id, { reason: 'quality', lines: [{ orderLineId: line0.id, quantity: 1 }] });
    const line1 = (await s.orders.view(f.orders[1]!.id)).lines[0]!;
    await s.refunds.openAfterSales(buyer(1), f.orders[1]!.id, { reason: 'changed_mind', lines: [{ orderLineId: line1.id, quantity: 1 }] });
    await s.insights.rate(buyer(0), f.orders[0]!.id, { stars: 4, comment: '很新鲜' });
    await settle();
  }, 120_000);

  afterAll(async () => {
    await s?.events.stop();
    await s?.checkout.close();
    await db?.dispose();
  });

  const daily = async (where: string, params: unknown[]) =>
    (await q<Record<string, number>>(
      `SELECT COALESCE(sum(views),0)::int AS views, COALESCE(sum(shares),0)::int AS shares, COALESCE(sum(clicks),0)::int AS clicks,
              COALESCE(sum(orders),0)::int AS orders, COALESCE(sum(buyers),0)::int AS buyers, COALESCE(sum(units),0)::int AS units,
              COALESCE(sum(gmv_fen),0)::int AS gmv, COALESCE(sum(refunded_fen),0)::int AS refunded, COALESCE(sum(after_sales),0)::int AS after_sales,
              COALESCE(sum(complaints),0)::int AS complaints, COALESCE(sum(shortage_units),0)::int AS shortage,
              COALESCE(sum(pickups_due),0)::int AS due, COALESCE(sum(pickups_on_time),0)::int AS on_time,
              COALESCE(sum(ratings),0)::int AS ratings, COALESCE(sum(rating_sum),0)::int AS rating_sum
         FROM insights_daily WHERE ${where}`,
      params,
    ))[0]!;
  const dayOf = async (table: string, id: number) => (await q<{ d: string }>(`SELECT ((created_at AT TIME ZONE 'UTC') + interval '8 hours')::date::text AS d FROM ${table} WHERE id = $1`, [id]))[0]!.d;

  it('counts the paid orders per day, community, channel and actor, with distinct buyers', async () => {
    const point = await daily(`day = $1 AND channel = 'group_buy' AND actor_type = 'point' AND actor_id = $2 AND community_id = $3`, [sellDay, w.pickupPointId, w.communityId]);
    expect(point).toMatchObject({ orders: 4, buyers: 4, units: 8, gmv: f.orders.reduce((n, o) => n + o.totalFen, 0) });
    const store = await daily(`day = $1 AND channel = 'store_online' AND actor_type = 'store' AND actor_id = $2`, [sellDay, w.storeId]);
    expect(store).toMatchObject({ orders: 1, buyers: 1, units: 2, gmv: f.storeOrder.totalFen });
    const [row] = await q<{ region_id: number }>(`SELECT region_id::int FROM insights_daily WHERE day = $1 AND actor_id = $2 AND actor_type = 'point'`, [sellDay, w.pickupPointId]);
    expect(row!.region_id).toBe(w.regionId);
    expect((await q(`SELECT 1 FROM insights_daily_buyers WHERE day = $1 AND actor_type = 'point' AND actor_id = $2`, [sellDay, w.pickupPointId])).length).toBe(4);
  });

  it('counts refunds and the shortage on their own day, and the pickups on the arrival day', async () => {
    const shortRefund = (await q<{ id: number }>(`SELECT id::int FROM refunds WHERE kind = 'shortage'`))[0]!.id;
    const fullRefund = (await q<{ id: number }>(`SELECT id::int FROM refunds WHERE order_id = $1`, [f.orders[3]!.id]))[0]!.id;
    expect(f.shortageFen).toBeGreaterThan(0);
    const all = await daily(`actor_type = 'point' AND actor_id = $1`, [w.pickupPointId]);
    expect(all).toMatchObject({ refunded: f.shortageFen + f.refundFen, shortage: 1, due: 3, on_time: 2 });
    const shortDay = await dayOf('refunds', shortRefund);
    expect((await daily(`day = $1 AND actor_type = 'point'`, [shortDay])).shortage).toBe(1);
    expect((await daily(`day = $1 AND actor_type = 'point'`, [await dayOf('refunds', fullRefund)])).refunded).toBeGreaterThanOrEqual(f.refundFen);
    // Pickups are counted on the day the goods arrived, where the leader's KPI counts them.
    expect(await daily(`day = $1 AND actor_type = 'point' AND actor_id = $2`, [pickupDay, w.pickupPointId])).toMatchObject({ due: 3, on_time: 2 });
    const states = await q<{ order_id: number; on_time: boolean }>(`SELECT order_id::int, on_time FROM insights_pickups ORDER BY order_id`);
    expect(states).toEqual([
      { order_id: f.orders[0]!.id, on_time: true },
      { order_id: f.orders[1]!.id, on_time: false },
      { order_id: f.orders[2]!.id, on_time: true },
    ]);
  });

  it('counts after-sales (complaints by reason), the rating and the traffic', async () => {
    const all = await daily(`actor_type = 'point' AND actor_id = $1`, [w.pickupPointId]);
    expect(all).toMatchObject({ after_sales: 2, complaints: 1, ratings: 1, rating_sum: 4 });
    // The leader's share: two clicks and a view credited to her point, on the group-buy channel.
    const shared = await daily(`channel = 'group_buy' AND actor_type = 'point' AND actor_id = $1`, [w.pickupPointId]);
    expect(shared).toMatchObject({ clicks: 2, views: 1, shares: 1 });
    expect(await daily(`channel = 'store_online' AND actor_type = 'store' AND actor_id = $1`, [w.storeId])).toMatchObject({ views: 1 });
    expect(await daily(`channel = 'other' AND actor_type = 'none'`, [])).toMatchObject({ views: 1 });
  });

  it('keeps SKU sell-through, the route, cohorts and repeat buyers', async () => {
    const [sku0, sku1] = w.skuIds as [number, number];
    const skus = await q<{ sku_id: number; grid: number; offered: number; sold: number; refunded: number; short: number }>(
      `SELECT sku_id::int, grid_warehouse_id::int AS grid, sum(units_offered)::int AS offered, sum(units_sold)::int AS sold,
              sum(units_refunded)::int AS refunded, sum(units_short)::int AS short
         FROM insights_sku_daily GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(skus).toEqual([
      { sku_id: sku0, grid: 0, offered: 50, sold: 2, refunded: 0, short: 0 }, // the campaign's stock; the store sale
      { sku_id: sku0, grid: f.gridId, offered: 0, sold: 4, refunded: 1, short: 0 },
      { sku_id: sku1, grid: 0, offered: 30, sold: 0, refunded: 0, short: 0 },
      { sku_id: sku1, grid: f.gridId, offered: 0, sold: 4, refunded: 1, short: 1 },
    ]);
    const route = await q(`SELECT day::text, route_id::int, stops, orders, units, shortage_units, after_sales FROM insights_route_daily`);
    expect(route).toEqual([{ day: pickupDay, route_id: f.routeId, stops: 1, orders: 4, units: 8, shortage_units: 1, after_sales: 2 }]);
    const buyers = await q<{ account_id: number; orders: number; first_week: string; community_id: number }>(
      `SELECT account_id::int, orders, first_week::text, community_id::int FROM insights_buyers ORDER BY account_id`,
    );
    expect(buyers.map((b) => b.orders)).toEqual([2, 1, 1, 1]);
    expect(new Set(buyers.map((b) => b.first_week))).toEqual(new Set([mondayOf(sellDay)]));
    expect(await q(`SELECT region_id::int, cohort_week::text, active_week::text, buyers FROM insights_cohorts`)).toEqual([
      { region_id: w.regionId, cohort_week: mondayOf(sellDay), active_week: mondayOf(sellDay), buyers: 4 },
    ]);
    expect(await q(`SELECT community_id::int, active_households FROM insights_community_weeks`)).toEqual([{ community_id: w.communityId, active_households: 4 }]);
    const repeat = await q(`SELECT actor_type, actor_id::int, orders FROM insights_actor_repeat WHERE account_id = $1 ORDER BY actor_type`, [w.buyerIds[0]]);
    expect(repeat).toEqual([
      { actor_type: 'point', actor_id: w.pickupPointId, orders: 1 },
      { actor_type: 'store', actor_id: w.storeId, orders: 1 },
    ]);
  });

  it('rates a completed order once, by its buyer only', async () => {
    expect((await refusalOf(s.insights.rate(buyer(0), f.orders[0]!.id, { stars: 5 }))).kind).toBe('conflict');
    expect((await refusalOf(s.insights.rate(buyer(1), f.orders[0]!.id, { stars: 5 }))).kind).toBe('not_found');
    expect((await refusalOf(s.insights.rate(buyer(2), f.orders[2]!.id, { stars: 5 }))).kind).toBe('conflict'); // still ready
    expect(await refusalOf(s.insights.rate(buyer(1), f.orders[1]!.id, { stars: 6 }))).toMatchObject({ kind: 'bad_input', field: 'stars' });
    expect((await s.insights.ratingOf(buyer(0), f.orders[0]!.id))?.stars).toBe(4);
  });

  it('recompute() rebuilds exactly the same tables', async () => {
    const tables = ['insights_daily', 'insights_daily_buyers', 'insights_sku_daily', 'insights_route_daily', 'insights_pickups', 'insights_buyers', 'insights_buyer_weeks', 'insights_cohorts', 'insights_community_weeks', 'insights_actor_repeat'];
    const snap = async () => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, (await q(`SELECT * FROM ${t}`)).map((r) => JSON.stringify(r)).sort()] as const)));
    await settle();
    const before = await snap();
    const drift = await rollupDrift(q);
    expect(drift).toEqual(noDrift(drift));
    expect(drift.regionRows).toBeGreaterThan(0);
    expect(drift.runningRows).toBeGreaterThan(0);
    const running = await q(`SELECT * FROM insights_actor_running ORDER BY actor_type, actor_id, day`);
    await s.insights.recompute(db, { from: addDays(sellDay, -3), to: addDays(sellDay, 5) });
    expect(await snap()).toEqual(before);
    expect(await rollupDrift(q)).toEqual(drift);
    expect(await q(`SELECT * FROM insights_actor_running ORDER BY actor_type, actor_id, day`)).toEqual(running);
    const funnel = await s.insights.funnelCount(db, { regionId: w.regionId, day: sellDay });
    expect(funnel.orders).toBe(5);
  });

  it('refuses to recompute while events wait for the subscriber (they would count twice)', async () => {
    await s.events.stop();
    await s.traffic.record(buyer(4), { kind: 'view', targetType: 'store', targetId: w.storeId, sourceType: 'direct' });
    await s.traffic.flush();
    expect(await s.insights.pendingEvents(db)).toBe(1);
    expect((await refusalOf(s.insights.recompute(db, { from: sellDay, to: sellDay }))).kind).toBe('conflict');
    await settle();
    await s.insights.caughtUp(db, { timeoutMs: 1000 });
    await s.insights.recompute(db, { from: sellDay, to: sellDay });
    expect(await daily(`channel = 'store_online' AND actor_type = 'store' AND actor_id = $1`, [w.storeId])).toMatchObject({ views: 2 });
  });
});
