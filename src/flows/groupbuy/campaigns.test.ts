import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { ManualClock } from '../../kernel';
import type { CampaignInput } from '../../modules/groupbuy';
import { createServices, type Services } from '../../services';
import { connectSandbox, makeCommerceWorld, type CommerceWorld } from '../testing';
import { maskName } from './campaigns';

const HOUR = 3600_000;

describe.each(testBackends())('campaigns on %s', (backend) => {
  let db: TestDatabase;
  let s: Services;
  let w: CommerceWorld;
  // 10:00 China time on 26 November.
  const clock = new ManualClock(new Date('2026-11-26T02:00:00Z'));
  let offShelfSkuId: number;
  let countyId: number;
  let countyPointId: number;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    s = await createServices(db, { clock });
    connectSandbox(s);
    w = await makeCommerceWorld(db, {
      buyers: 8,
      skus: [
        { priceFen: 1500, stock: 0 },
        { priceFen: 900, stock: 0 },
        { priceFen: 2500, stock: 0 },
        { priceFen: 600, stock: 0 },
      ],
    });
    const one = async (q: string, p: unknown[] = []) => (await db.query<{ id: number }>(q, p))[0]!.id;
    // A SKU the region does not sell.
    const productId = await one(`INSERT INTO products (category_id, name) SELECT category_id, '不卖的' FROM products WHERE id = (SELECT product_id FROM skus WHERE id = $1) RETURNING id`, [w.skuIds[0]]);
    offShelfSkuId = await one(`INSERT INTO skus (product_id, spec, unit, base_price_fen) VALUES ($1, '1kg', '袋', 800) RETURNING id`, [productId]);
    // A county of the world's city, with a community and a pickup point of its own.
    countyId = await one(`INSERT INTO regions (kind, name, code, parent_id) VALUES ('county', '测试县', $1, $2) RETURNING id`, [`C${w.regionId}`, w.regionId]);
    const communityId = await one(
      `INSERT INTO communities (region_id, name, lat, lng, h3_cell) VALUES ($1, '县小区', 30.2, 120.2, '89309a5a57bffff') RETURNING id`,
      [countyId],
    );
    countyPointId = await one(
      `INSERT INTO pickup_points (community_id, name, address, lat, lng, opens_at, closes_at, capacity)
       VALUES ($1, '县自提点', '3号楼', 30.2, 120.2, '08:00', '20:00', 100) RETURNING id`,
      [communityId],
    );
    await db.query(`UPDATE accounts SET display_name = '张三' WHERE id = $1`, [w.buyerIds[0]]);
  });
  afterAll(async () => {
    await s.checkout.close();
    await db.dispose();
  });

  const operator = () => w.actor(w.operatorId, 'operator');
  const buyer = (i: number) => w.actor(w.buyerIds[i]!);
  const leader = () => w.actor(w.leaderId, 'leader', 'resident');
  const count = async (table: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;
  const at = (hoursFromNow: number) => new Date(clock.now().getTime() + hoursFromNow * HOUR).toISOString();
  const plan = (over: Partial<CampaignInput> = {}): CampaignInput => ({
    regionId: w.regionId,
    title: '今日团购',
    startsAt: at(-1),
    cutoffAt: at(10),
    pickupDate: '2026-11-27',
    leaderCommissionBp: 1000,
    items: [
      { skuId: w.skuIds[0]!, groupPriceFen: 333, stock: 10, limitPerPerson: 2, leaderCommissionBp: 1500 },
      { skuId: w.skuIds[1]!, groupPriceFen: 777, stock: 5 },
      { skuId: w.skuIds[2]!, groupPriceFen: 1990, stock: 3, leaderOnly: true },
    ],
    ...over,
  });
  let keys = 0;
  const buy = (who: ReturnType<typeof buyer>, campaignId: number, lines: { skuId: number; quantity: number }[], extra: object = {}) =>
    s.checkout.placeOrder(who, { channel: 'group_buy', pickupPointId: w.pickupPointId, campaignId, lines, ...extra }, `k-${++keys}`);
  const pay = (p: { paymentId: number; amountFen: number }) => s.sandboxGateway.complete({ id: p.paymentId, amountFen: p.amountFen }, 'succeeded');
  const publish = async (input: CampaignInput = plan()) => {
    const c = await s.campaigns.create(operator(), input);
    await s.campaignFlow.publish(operator(), c.id, `pub-${c.id}`);
    return c.id;
  };

  it('refuses a bad campaign with a 400 naming the field, writing nothing', async () => {
    const before = { campaigns: await count('campaigns'), items: await count('campaign_items') };
    const good = plan();
    const item = (i: number, over: object) => good.items.map((it, j) => (j === i ? { ...it, ...over } : it));
    const four = [...good.items, { skuId: w.skuIds[3]!, groupPriceFen: 0, stock: 1 }];
    const cases: [Partial<CampaignInput>, string][] = [
      [{ cutoffAt: at(-2) }, 'cutoffAt'],
      [{ pickupDate: '2026-11-25' }, 'pickupDate'],
      [{ pickupDate: '2026-02-30' }, 'pickupDate'],
      [{ title: '  ' }, 'title'],
      [{ regionId: 999_999 }, 'regionId'],
      [{ leaderCommissionBp: 5001 }, 'leaderCommissionBp'],
      [{ items: [] }, 'items'],
      [{ items: four }, 'items.3.groupPriceFen'],
      [{ items: item(1, { skuId: offShelfSkuId }) }, 'items.1.skuId'],
      [{ items: item(1, { skuId: w.skuIds[0]! }) }, 'items.1.skuId'],
      [{ items: item(0, { stock: -1 }) }, 'items.0.stock'],
      [{ items: item(0, { stock: 1.5 }) }, 'items.0.stock'],
      [{ items: item(0, { limitPerPerson: 0 }) }, 'items.0.limitPerPerson'],
      [{ items: item(2, { leaderCommissionBp: 5001 }) }, 'items.2.leaderCommissionBp'],
    ];
    for (const [over, field] of cases) {
      await expect(s.campaigns.create(operator(), plan(over)), field).rejects.toMatchObject({ kind: 'bad_input', field });
    }
    // A draft's change is checked the same way and leaves the draft as it was.
    const draft = await s.campaigns.create(operator(), plan());
    await expect(s.campaigns.update(operator(), draft.id, { items: four })).rejects.toMatchObject({ kind: 'bad_input', field: 'items.3.groupPriceFen' });
    expect((await s.campaigns.get(operator(), draft.id)).items).toHaveLength(3);
    expect({ campaigns: await count('campaigns'), items: await count('campaign_items') }).toEqual({ campaigns: before.campaigns + 1, items: before.items + 3 });
  });

  it('only operators plan, change, publish and cancel campaigns; residents do not see drafts', async () => {
    const draft = await s.campaigns.create(operator(), plan());
    for (const who of [buyer(0), leader()]) {
      await expect(s.campaigns.create(who, plan())).rejects.toMatchObject({ kind: 'forbidden' });
      await expect(s.campaigns.update(who, draft.id, { title: 'x' })).rejects.toMatchObject({ kind: 'forbidden' });
      await expect(s.campaignFlow.publish(who, draft.id, 'k-x')).rejects.toMatchObject({ kind: 'forbidden' });
      await expect(s.campaignFlow.cancel(who, draft.id)).rejects.toMatchObject({ kind: 'forbidden' });
      await expect(s.campaigns.list(who, { limit: 10 })).rejects.toMatchObject({ kind: 'forbidden' });
      await expect(s.campaigns.get(who, draft.id)).rejects.toMatchObject({ kind: 'not_found' });
    }
    await expect(s.campaigns.create(null, plan())).rejects.toMatchObject({ kind: 'unauthenticated' });
    expect((await s.campaigns.get(operator(), draft.id)).status).toBe('draft');
  });

  it('publishing puts the stock on the campaign’s location; checkout sells it at the group price, within limits and stock', async () => {
    const c = await s.campaigns.create(operator(), plan());
    const first = await s.campaignFlow.publish(operator(), c.id, 'pub-main');
    expect(first.body.status).toBe('published');
    const again = await s.campaignFlow.publish(operator(), c.id, 'pub-main');
    expect(again).toMatchObject({ replayed: true, body: first.body });
    await expect(s.campaignFlow.publish(operator(), c.id, 'pub-other')).rejects.toMatchObject({ kind: 'conflict' });
    const loc = await s.inventory.locationOfCampaign(c.id);
    expect(await s.inventory.level({ locationId: loc, skuId: w.skuIds[1]! })).toEqual({ onHand: 5, reserved: 0, available: 5 });
    // Edits stop at publishing.
    await expect(s.campaigns.update(operator(), c.id, { title: 'x' })).rejects.toMatchObject({ kind: 'conflict' });

    const r = await buy(buyer(1), c.id, [{ skuId: w.skuIds[1]!, quantity: 4 }]);
    expect(r.body.order).toMatchObject({ campaignId: c.id, pickupPointId: w.pickupPointId, leaderAccountId: w.leaderId, totalFen: 4 * 777 });
    expect(r.body.order.lines[0]).toMatchObject({ unitPriceFen: 777, quantity: 4 });
    expect(await s.inventory.level({ locationId: loc, skuId: w.skuIds[1]! })).toEqual({ onHand: 5, reserved: 4, available: 1 });
    await expect(buy(buyer(2), c.id, [{ skuId: w.skuIds[1]!, quantity: 2 }])).rejects.toMatchObject({
      kind: 'conflict',
      field: 'lines.0.quantity',
      details: { reason: 'sold_out', available: 1 },
    });
    // Two per person across the campaign's orders.
    await buy(buyer(2), c.id, [{ skuId: w.skuIds[0]!, quantity: 1 }]);
    await buy(buyer(2), c.id, [{ skuId: w.skuIds[0]!, quantity: 1 }]);
    await expect(buy(buyer(2), c.id, [{ skuId: w.skuIds[0]!, quantity: 1 }])).rejects.toMatchObject({ kind: 'conflict', details: { reason: 'limit' } });
    await expect(buy(buyer(3), c.id, [{ skuId: w.skuIds[0]!, quantity: 3 }])).rejects.toMatchObject({ kind: 'bad_input', field: 'lines.0.quantity' });
    // Lines must be the campaign's; the point must be in its region.
    await expect(buy(buyer(3), c.id, [{ skuId: w.skuIds[1]!, quantity: 1 }, { skuId: w.skuIds[3]!, quantity: 1 }])).rejects.toMatchObject({
      kind: 'bad_input',
      field: 'lines.1.skuId',
    });
    // A county point buys from its city's campaign.
    const county = await s.checkout.placeOrder(buyer(3), { channel: 'group_buy', pickupPointId: countyPointId, campaignId: c.id, lines: [{ skuId: w.skuIds[0]!, quantity: 1 }] }, 'k-county');
    expect(county.body.order).toMatchObject({ campaignId: c.id, pickupPointId: countyPointId, regionId: countyId });
  });

  it('a county campaign is not sold at a city point; drafts, cancelled and unknown campaigns are refused', async () => {
    const countyCampaign = await publish(plan({ regionId: countyId }));
    await expect(buy(buyer(4), countyCampaign, [{ skuId: w.skuIds[1]!, quantity: 1 }])).rejects.toMatchObject({ kind: 'bad_input', field: 'pickupPointId' });
    const draft = await s.campaigns.create(operator(), plan());
    await expect(buy(buyer(4), draft.id, [{ skuId: w.skuIds[1]!, quantity: 1 }])).rejects.toMatchObject({ kind: 'bad_input', field: 'campaignId' });
    await expect(buy(buyer(4), 999_999, [{ skuId: w.skuIds[1]!, quantity: 1 }])).rejects.toMatchObject({ kind: 'bad_input', field: 'campaignId' });
    const cancelled = await publish();
    expect((await s.campaignFlow.cancel(operator(), cancelled)).status).toBe('cancelled');
    await expect(buy(buyer(4), cancelled, [{ skuId: w.skuIds[1]!, quantity: 1 }])).rejects.toMatchObject({ kind: 'conflict', field: 'campaignId' });
    const later = await publish(plan({ startsAt: at(2) }));
    await expect(buy(buyer(4), later, [{ skuId: w.skuIds[1]!, quantity: 1 }])).rejects.toMatchObject({ kind: 'conflict', field: 'campaignId' });
  });

  it('leader-only items: refused to residents, sold to leaders, listed only for leaders', async () => {
    const id = await publish();
    await expect(buy(buyer(4), id, [{ skuId: w.skuIds[2]!, quantity: 1 }])).rejects.toMatchObject({ kind: 'forbidden', field: 'lines.0.skuId' });
    const mine = await buy(leader(), id, [{ skuId: w.skuIds[2]!, quantity: 1 }]);
    expect(mine.status).toBe(201);
    // The leader buying at their own point earns no commission on it.
    expect((await db.query<{ plan: unknown[] }>(`SELECT commission_plan AS plan FROM orders WHERE id = $1`, [mine.body.order.id]))[0]!.plan).toEqual([]);
    const forResident = await s.campaignFlow.today(buyer(4), w.pickupPointId);
    const forLeader = await s.campaignFlow.today(leader(), w.pickupPointId);
    const skus = (t: typeof forLeader) => t.campaigns.find((c) => c.id === id)!.items.map((i) => i.skuId);
    expect(skus(forResident)).toEqual([w.skuIds[0], w.skuIds[1]]);
    expect(skus(forLeader)).toEqual([w.skuIds[0], w.skuIds[1], w.skuIds[2]]);
    expect((await s.campaigns.get(buyer(4), id)).items).toHaveLength(2);
  });

  it('publishing is refused on a rest day of the region or its city, and after the cutoff; nothing is stocked', async () => {
    await expect(s.campaigns.addRestDay(buyer(0), w.regionId, { day: '2026-12-01', reason: '检修' })).rejects.toMatchObject({ kind: 'forbidden' });
    await s.campaigns.addRestDay(operator(), w.regionId, { day: '2026-12-01', reason: '检修' });
    expect(await s.campaigns.restDays(operator(), w.regionId)).toEqual([{ day: '2026-12-01', reason: '检修' }]);
    for (const regionId of [w.regionId, countyId]) {
      const c = await s.campaigns.create(operator(), plan({ regionId, pickupDate: '2026-12-01' }));
      await expect(s.campaignFlow.publish(operator(), c.id, `rest-${regionId}`)).rejects.toMatchObject({
        kind: 'conflict',
        field: 'pickupDate',
        details: { reason: 'rest_day' },
      });
      expect((await s.campaigns.get(operator(), c.id)).status).toBe('draft');
      expect(await s.inventory.level({ locationId: await s.inventory.locationOfCampaign(c.id), skuId: w.skuIds[0]! })).toMatchObject({ onHand: 0 });
      // The same key may try again once the day is moved: a refusal is not remembered.
      await s.campaigns.update(operator(), c.id, { pickupDate: '2026-12-02' });
      expect((await s.campaignFlow.publish(operator(), c.id, `rest-${regionId}`)).body.status).toBe('published');
    }
    const past = await s.campaigns.create(operator(), plan({ startsAt: at(-3), cutoffAt: at(-1), pickupDate: '2026-11-26' }));
    await expect(s.campaignFlow.publish(operator(), past.id, 'past')).rejects.toMatchObject({ kind: 'conflict', field: 'cutoffAt' });
    // Today is not a rest day here; once it is, today's list says so.
    expect((await s.campaignFlow.today(buyer(0), w.pickupPointId)).restDay).toBeNull();
    await s.campaigns.addRestDay(operator(), w.regionId, { day: '2026-11-26', reason: '' });
    expect((await s.campaignFlow.today(buyer(0), countyPointId)).restDay).toEqual({ day: '2026-11-26', reason: '' });
    await s.campaigns.removeRestDay(operator(), w.regionId, '2026-11-26');
    await expect(s.campaigns.removeRestDay(operator(), w.regionId, '2026-11-26')).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('leader commission in fen: per line with the item’s override, rounded down, plus the level bonus; frozen at payment', async () => {
    const items = plan().items.map((it, i) => (i === 0 ? { ...it, limitPerPerson: 5 } : it));
    const id = await publish(plan({ items }));
    // 3 × 333 = 999 at 15% → 149.85 → 149; 1 × 777 at the campaign's 10% → 77.7 → 77.
    const r = await buy(buyer(5), id, [{ skuId: w.skuIds[0]!, quantity: 2 }, { skuId: w.skuIds[1]!, quantity: 1 }, { skuId: w.skuIds[0]!, quantity: 1 }]);
    const planOf = async (orderId: number) => (await db.query<{ plan: { party: string; fen?: number; bp: number }[] }>(`SELECT commission_plan AS plan FROM orders WHERE id = $1`, [orderId]))[0]!.plan;
    expect(await planOf(r.body.order.id)).toEqual([{ party: 'leader', accountId: w.leaderId, bp: Math.floor((226 * 10_000) / 1776), fen: 226 }]);
    const before = (await s.ledger.statement(w.leaderId)).balances.frozenFen;
    await pay(r.body.payment!);
    expect((await s.ledger.statement(w.leaderId)).balances.frozenFen - before).toBe(226);

    // With a level bonus of 2%: 999 at 17% → 169.83 → 169; 777 at 12% → 93.24 → 93.
    const pricing = s.checkout.pricing as unknown as { d: { leaderBonusBp?: (id: number) => Promise<number> } };
    pricing.d.leaderBonusBp = async (accountId) => (accountId === w.leaderId ? 200 : 0);
    try {
      const b = await buy(buyer(6), id, [{ skuId: w.skuIds[0]!, quantity: 2 }, { skuId: w.skuIds[1]!, quantity: 1 }]);
      // 666 at 17% → 113.22 → 113; 777 at 12% → 93.
      expect((await planOf(b.body.order.id))[0]).toMatchObject({ party: 'leader', fen: 113 + 93 });
      const mid = (await s.ledger.statement(w.leaderId)).balances.frozenFen;
      await pay(b.body.payment!);
      expect((await s.ledger.statement(w.leaderId)).balances.frozenFen - mid).toBe(206);
    } finally {
      delete pricing.d.leaderBonusBp;
    }
    expect(await s.ledger.verify()).toEqual([]);
    // The campaign's figures count paid orders only.
    const view = await s.campaigns.get(operator(), id);
    expect(view.figures).toEqual({ orders: 2, buyers: 2, gmvFen: 1776 + 1443 });
    expect(view.items.find((i) => i.skuId === w.skuIds[0])).toMatchObject({ sold: 5, stock: 10, available: 5 });
  });

  it('the relay list numbers a point’s paid orders by payment time and masks names; cancelling stops once one is paid', async () => {
    const id = await publish(plan({ title: '接龙团' }));
    const a = await buy(buyer(0), id, [{ skuId: w.skuIds[0]!, quantity: 1 }]);
    const b = await buy(buyer(1), id, [{ skuId: w.skuIds[1]!, quantity: 2 }]);
    const c = await buy(buyer(2), id, [{ skuId: w.skuIds[0]!, quantity: 1 }, { skuId: w.skuIds[1]!, quantity: 1 }]);
    await buy(buyer(3), id, [{ skuId: w.skuIds[1]!, quantity: 1 }]); // never paid
    await pay(b.body.payment!);
    clock.advance(60_000);
    await pay(c.body.payment!);
    clock.advance(60_000);
    await pay(a.body.payment!);
    const relay = await s.campaignFlow.relay(buyer(7), w.pickupPointId, id);
    expect(relay.campaign).toMatchObject({ id, title: '接龙团', pickupDate: '2026-11-27' });
    expect(relay.pickupPoint).toMatchObject({ id: w.pickupPointId, name: '测试自提点' });
    expect(relay.leader).toEqual({ accountId: w.leaderId, displayName: '团长' });
    expect(relay.entries.map((e) => [e.no, e.buyerName, e.lines.map((l) => l.quantity)])).toEqual([
      [1, '买*', [2]],
      [2, '买*', [1, 1]],
      [3, '张*', [1]],
    ]);
    expect(relay.entries[0]!.lines[0]).toEqual({ title: '测试商品2', spec: '500g', quantity: 2 });
    expect(relay.totals).toEqual({ orders: 3, items: 5, gmvFen: 2 * 777 + 333 + 777 + 333 });
    // Without a campaign: the one open now (the soonest cutoff) — here any open one, with its own list.
    const byDefault = await s.campaignFlow.relay(buyer(7), w.pickupPointId);
    expect(byDefault.campaign).not.toBeNull();
    await expect(s.campaignFlow.relay(null, w.pickupPointId, id)).rejects.toMatchObject({ kind: 'unauthenticated' });
    await expect(s.campaignFlow.relay(buyer(7), 999_999, id)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(s.campaignFlow.cancel(operator(), id)).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('checkout after the cutoff is refused, even with the campaign cached', async () => {
    const id = await publish(plan({ cutoffAt: at(1) }));
    await buy(buyer(7), id, [{ skuId: w.skuIds[1]!, quantity: 1 }]);
    clock.advance(HOUR);
    await expect(buy(buyer(7), id, [{ skuId: w.skuIds[1]!, quantity: 1 }])).rejects.toMatchObject({
      kind: 'conflict',
      field: 'campaignId',
      message: expect.stringContaining('closed at its cutoff'),
    });
    expect((await s.campaignFlow.today(buyer(7), w.pickupPointId)).campaigns.map((c) => c.id)).not.toContain(id);
  });

  it('closing early (提前截单) stops checkout at once, though the campaign was cached; only an open campaign closes', async () => {
    const id = await publish(plan({ cutoffAt: at(5) }));
    await buy(buyer(6), id, [{ skuId: w.skuIds[1]!, quantity: 1 }]);
    await expect(s.campaignFlow.closeNow(buyer(6), id)).rejects.toMatchObject({ kind: 'forbidden' });
    clock.advance(60_000);
    const closed = await s.campaignFlow.closeNow(operator(), id);
    expect(new Date(closed.cutoffAt).getTime()).toBe(clock.now().getTime());
    await expect(buy(buyer(6), id, [{ skuId: w.skuIds[1]!, quantity: 1 }])).rejects.toMatchObject({ kind: 'conflict', field: 'campaignId' });
    clock.advance(1000);
    await expect(s.campaignFlow.closeNow(operator(), id)).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('masks names by their first character', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('Alice')).toBe('A*');
    expect(maskName('𠀋家')).toBe('𠀋*');
    expect(maskName('')).toBe('*');
  });
});
