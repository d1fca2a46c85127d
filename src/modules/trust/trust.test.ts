// Reading an actor's trust figures from the read models and raw rows (trust.repo.ts) with the
// gaming rules applied, and writing the scores. Read-model rows are inserted directly: the
// insights subscriber's own suite proves how they are kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { ManualClock } from '../../kernel';
import { makeCommerceWorld, type CommerceWorld } from '../../flows/testing';
import { addOrder, addPickup } from '../../flows/groupbuy/leaders.testing';
import { DEFAULT_MIN_ORDERS, DEFAULT_WEIGHTS, NO_FIGURES, regionPrior, trustInputs, trustScore, type TrustFigures } from './score';
import { TrustService } from './trust.service';
import { keyOf } from './trust.repo';

describe.each(testBackends())('trust figures and scores on %s', (backend) => {
  let db: TestDatabase;
  let w: CommerceWorld;
  let trust: TrustService;
  // Friday 20 March 2026, 10:00 in China: the window is 19 Feb – 20 Mar.
  const clock = new ManualClock('2026-03-20T10:00:00+08:00');
  const settings = { weights: { ...DEFAULT_WEIGHTS }, minOrders: DEFAULT_MIN_ORDERS };

  const daily = (day: string, actor: { type: string; id: number }, f: Partial<Record<string, number>>, channel = 'group_buy') =>
    db.query(
      `INSERT INTO insights_daily (day, community_id, channel, actor_type, actor_id, region_id, orders, buyers, units, after_sales, complaints,
                                   shortage_units, pickups_due, pickups_on_time, ratings, rating_sum)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [day, w.communityId, channel, actor.type, actor.id, w.regionId, f.orders ?? 0, f.buyers ?? 0, f.units ?? 0, f.afterSales ?? 0, f.complaints ?? 0,
        f.shortageUnits ?? 0, f.pickupsDue ?? 0, f.pickupsOnTime ?? 0, f.ratings ?? 0, f.ratingSum ?? 0],
    );
  const repeatRow = (actor: { type: string; id: number }, accountId: number, orders: number, first: string, last: string) =>
    db.query(`INSERT INTO insights_actor_repeat (actor_type, actor_id, account_id, orders, first_paid_at, last_paid_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
      actor.type,
      actor.id,
      accountId,
      orders,
      first,
      last,
    ]);
  const refund = (orderId: number, at: string, kind = 'full') =>
    db.query(`INSERT INTO refunds (order_id, kind, amount_fen, status, created_at) VALUES ($1, $2, 1000, 'succeeded', $3)`, [orderId, kind, at]);

  let point: { type: 'point'; id: number };
  // What the read models hold for the point (the self-orders included, as the subscriber counts them).
  const counted: TrustFigures = {
    ...NO_FIGURES,
    orders: 30,
    units: 60,
    afterSales: 1,
    complaints: 1,
    pickupsDue: 30,
    pickupsOnTime: 27,
    ratings: 5,
    ratingSum: 23,
    // Buyers from insights_actor_repeat: 8 residents (3 returning, 1 of them this week) and the leader.
    buyers: 9,
    repeatBuyers: 4,
    repeatBuyers7: 2,
  };
  // The leader's own 6 orders: 12 units, all due and picked up on time, 2 rated 5 stars.
  const selfShare: TrustFigures = { ...NO_FIGURES, orders: 6, units: 12, pickupsDue: 6, pickupsOnTime: 6, ratings: 2, ratingSum: 10, buyers: 1, repeatBuyers: 1, repeatBuyers7: 1 };

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    w = await makeCommerceWorld(db, { buyers: 12, skus: [{ priceFen: 500, stock: 1000 }] });
    trust = new TrustService({ db, clock });
    point = { type: 'point', id: w.pickupPointId };

    // Read models, inside the window: 3 days adding up to `counted`.
    await daily('2026-03-02', point, { orders: 10, units: 20, pickupsDue: 10, pickupsOnTime: 9, ratings: 2, ratingSum: 8 });
    await daily('2026-03-10', point, { orders: 12, units: 24, afterSales: 1, complaints: 1, pickupsDue: 12, pickupsOnTime: 10, ratings: 1, ratingSum: 5 });
    await daily('2026-03-20', point, { orders: 8, units: 16, pickupsDue: 8, pickupsOnTime: 8, ratings: 2, ratingSum: 10 });
    // Outside the window (a bad month long ago) and a day not yet started elsewhere: ignored.
    await daily('2026-02-18', point, { orders: 50, afterSales: 40, complaints: 40 });
    // The store's counter sales are rung up by its own staff: self-orders, left out whole.
    await daily('2026-03-10', { type: 'store', id: w.storeId }, { orders: 400, units: 900, pickupsDue: 0 }, 'store_counter');
    await daily('2026-03-10', { type: 'store', id: w.storeId }, { orders: 3, units: 4, afterSales: 1 }, 'store_online');

    const [b1, b2, b3, b4, b5, b6, b7, b8, b9] = w.buyerIds;
    await repeatRow(point, b1!, 3, '2026-01-05T10:00:00+08:00', '2026-03-18T10:00:00+08:00'); // returning, this week
    await repeatRow(point, b2!, 2, '2026-03-01T10:00:00+08:00', '2026-03-05T10:00:00+08:00'); // returning
    await repeatRow(point, b3!, 2, '2026-02-25T10:00:00+08:00', '2026-03-08T10:00:00+08:00'); // returning
    for (const b of [b4, b5, b6, b7, b8]) await repeatRow(point, b!, 1, '2026-03-10T10:00:00+08:00', '2026-03-10T10:00:00+08:00');
    await repeatRow(point, b9!, 4, '2026-01-01T10:00:00+08:00', '2026-02-10T10:00:00+08:00'); // not a buyer of the window
    await repeatRow(point, w.leaderId, 6, '2026-03-02T10:00:00+08:00', '2026-03-20T09:00:00+08:00'); // the leader

    // Raw rows of the leader's 6 self-orders: paid in the window, picked up on time, 2 rated.
    const base = { pickupPointId: w.pickupPointId, leaderId: w.leaderId, campaignId: null, quantity: 2, unitPriceFen: 500 };
    const selfOrders: number[] = [];
    for (const [i, day] of ['2026-03-02', '2026-03-02', '2026-03-10', '2026-03-10', '2026-03-20', '2026-03-20'].entries()) {
      const o = await addOrder(db, w, { ...base, buyerId: w.leaderId, status: 'completed', paidAt: `${day}T09:00:00+08:00` });
      selfOrders.push(o.orderId);
      await db.query(`INSERT INTO insights_pickups (order_id, day, community_id, channel, actor_type, actor_id, region_id, on_time) VALUES ($1, $2, $3, 'group_buy', 'point', $4, $5, true)`, [
        o.orderId,
        day,
        w.communityId,
        w.pickupPointId,
        w.regionId,
      ]);
      if (i < 2) await db.query(`INSERT INTO order_ratings (order_id, account_id, stars, created_at) VALUES ($1, $2, 5, $3)`, [o.orderId, w.leaderId, `${day}T20:00:00+08:00`]);
      // The gaming: picked up, then refunded (a self-order refunded counts for nothing either way).
      await addPickup(db, { orderId: o.orderId, lineId: o.lineId, quantity: 2, by: w.leaderId, at: `${day}T10:00:00+08:00` });
      await refund(o.orderId, `${day}T11:00:00+08:00`);
    }
    // A self-order paid before the window: outside it, nothing to subtract.
    await addOrder(db, w, { ...base, buyerId: w.leaderId, status: 'completed', paidAt: '2026-02-01T09:00:00+08:00' });

    // Residents' orders refunded: after pickup without after-sales (counted), before pickup (not),
    // after an undone pickup (not), after pickup with an after-sales request (already counted).
    const resident = { ...base, status: 'refunded' as const, paidAt: '2026-03-09T09:00:00+08:00' };
    const late = await addOrder(db, w, { ...resident, buyerId: b4! });
    await addPickup(db, { orderId: late.orderId, lineId: late.lineId, quantity: 2, by: w.leaderId, at: '2026-03-10T10:00:00+08:00' });
    await refund(late.orderId, '2026-03-10T18:00:00+08:00');
    await refund(late.orderId, '2026-03-10T19:00:00+08:00', 'partial'); // the same order counts once
    const early = await addOrder(db, w, { ...resident, buyerId: b5! });
    await refund(early.orderId, '2026-03-09T12:00:00+08:00');
    await addPickup(db, { orderId: early.orderId, lineId: early.lineId, quantity: 2, by: w.leaderId, at: '2026-03-10T10:00:00+08:00' });
    const undone = await addOrder(db, w, { ...resident, buyerId: b6! });
    await addPickup(db, { orderId: undone.orderId, lineId: undone.lineId, quantity: 2, by: w.leaderId, at: '2026-03-10T10:00:00+08:00', undoneAt: '2026-03-10T10:05:00+08:00' });
    await refund(undone.orderId, '2026-03-10T12:00:00+08:00');
    const complained = await addOrder(db, w, { ...resident, buyerId: b7! });
    await addPickup(db, { orderId: complained.orderId, lineId: complained.lineId, quantity: 2, by: w.leaderId, at: '2026-03-10T10:00:00+08:00' });
    await db.query(
      `INSERT INTO after_sales_requests (order_id, buyer_account_id, reason, lines, requested_fen, created_at) VALUES ($1, $2, 'quality', '[]'::jsonb, 100, '2026-03-10T12:00:00+08:00')`,
      [complained.orderId, b7],
    );
    await refund(complained.orderId, '2026-03-10T13:00:00+08:00', 'after_sales');
    // A refund after pickup long ago: outside the window.
    const old = await addOrder(db, w, { ...resident, buyerId: b8!, paidAt: '2026-01-09T09:00:00+08:00' });
    await addPickup(db, { orderId: old.orderId, lineId: old.lineId, quantity: 2, by: w.leaderId, at: '2026-01-10T10:00:00+08:00' });
    await refund(old.orderId, '2026-01-11T10:00:00+08:00');
  });
  afterAll(async () => db.dispose());

  it('reads the window’s figures, the self-orders’ share and the refunds after pickup', async () => {
    const r = await trust.repo.readings(db.orm, trust.window());
    expect(trust.window()).toMatchObject({ fromDay: '2026-02-19', toDay: '2026-03-20' });
    const k = keyOf('point', w.pickupPointId);
    expect(r.counted.get(k)).toEqual(counted);
    expect(r.selfOrders.get(k)).toEqual(selfShare);
    expect(r.refundsAfterHandover.get(k)).toBe(1);
    // The store: its counter sales left out, its online orders in.
    expect(r.counted.get(keyOf('store', w.storeId))).toMatchObject({ orders: 3, units: 4, afterSales: 1 });
  });

  it('scores the point on corrected figures, and the gaming lowers it', async () => {
    const res = await trust.recomputeAll();
    expect(res.actors).toBeGreaterThanOrEqual(2);
    const stored = (await trust.viewsOf('point', [w.pickupPointId])).get(w.pickupPointId)!;

    const inputs = trustInputs({ counted, selfOrders: selfShare, refundsAfterHandover: 1 });
    expect(inputs).toMatchObject({ orders: 24, buyers: 8, repeatBuyers: 3, afterSales: 2, pickupsDue: 24, pickupsOnTime: 21, ratings: 3, ratingSum: 13 });
    // The only point of its region: the region's typical figures are its own.
    const prior = regionPrior(inputs);
    const expected = trustScore(inputs, prior, settings);
    expect(stored.score).toBe(expected.score);
    expect(stored.parts.after_sales).toMatchObject({ hits: 2, n: 24 });
    expect(stored.parts.repeat).toMatchObject({ hits: 3, n: 8, rate7: 0.125 });
    expect(stored.computedAt.getTime()).toBe(clock.now().getTime());

    // Read naively (self-orders in, refunds after pickup ignored) the same point would score higher.
    const naive = trustScore(trustInputs({ counted, selfOrders: NO_FIGURES, refundsAfterHandover: 0 }), prior, settings);
    expect(stored.score).toBeLessThan(naive.score);
    // And without the gaming at all (no self-orders, no refund after pickup) it scores higher too.
    const honest = trustScore(trustInputs({ counted, selfOrders: selfShare, refundsAfterHandover: 0 }), prior, settings);
    expect(stored.score).toBeLessThan(honest.score);
  });

  it('gives every actor a score, the prior for those without orders', async () => {
    const store = (await trust.viewsOf('store', [w.storeId])).get(w.storeId);
    expect(store?.parts.after_sales).toMatchObject({ hits: 1, n: 3 });
    expect(await trust.view('point', 999_999).catch((e: Error) => e.message)).toMatch(/not found/);
  });

  it('pays the leader the tier bonus their point’s score reaches', async () => {
    const score = (await trust.viewsOf('point', [w.pickupPointId])).get(w.pickupPointId)!.score;
    const op = w.actor(w.operatorId, 'operator');
    await trust.updateSettings(op, w.regionId, { leaderTiers: [{ minScore: score + 1, bonusBp: 300 }, { minScore: score, bonusBp: 120 }] });
    expect(await trust.leaderTierBonusBp(w.leaderId)).toBe(120);
    await trust.updateSettings(op, w.regionId, { leaderTiers: [{ minScore: score + 1, bonusBp: 300 }] });
    expect(await trust.leaderTierBonusBp(w.leaderId)).toBe(0);
    expect(await trust.leaderTierBonusBp(w.buyerIds[0]!)).toBe(0);
  });
});
