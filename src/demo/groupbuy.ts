// The demo city's group-buy days, run through the real services: leaders get profiles,
// residents are bound to their compound's point, and a campaign per day for the last few days
// goes the whole way (orders, payment, the cutoff wave, central and grid receipts, dispatch, arrival with an
// occasional shortage, pickups), then is moved back to its day. Today's deliveries are on the
// road (the demo leader still has to sign the arrival), and today's campaign is open.
import { addDays, chinaDay, mondayOf } from '../modules/leaders';
import type { Actor, Role } from '../modules/people';
import type { Services } from '../services';
import { DEMO_ACCOUNTS, DEMO_COMMUNITY, DEMO_POINT_NAME, type DemoCity } from './city';
import type { IdOffsets } from './demo.repo';
import { DemoGroupbuyRepo } from './groupbuy.repo';
import { paySandbox } from './orders';
import { skuNamed } from './stock';

/** Product, spec, share of the base price paid in the group (in %), units on offer. */
const CAMPAIGN_ITEMS: ReadonlyArray<readonly [string, string, number, number]> = [
  ['西红柿', '500g', 78, 400],
  ['鲜鸡蛋', '10枚', 82, 400],
  ['鲜牛奶', '950ml', 85, 300],
  ['上海青', '500g', 75, 400],
  ['土豆', '500g', 70, 400],
  ['丹东草莓', '250g', 80, 200],
  ['金针菇', '200g', 72, 400],
  ['东北大米', '5kg', 88, 150],
  ['西兰花', '约400g', 80, 300],
  ['智利车厘子', '500g', 85, 120],
];

/** Past pickup days with the whole day done: enough to reach into last week, whose KPIs are final. */
const HISTORY_DAYS = 8;
const DEMO_POINT_BUYERS = 9;
const OTHER_POINT_BUYERS = 3;
const OTHER_POINTS = 4;

const actor = (accountId: number, ...roles: Role[]): Actor => ({ accountId, roles: new Set<Role>(roles) });

export interface DemoGroupbuySummary {
  campaigns: number;
  orders: number;
}

export async function seedDemoGroupbuy(services: Services, city: DemoCity, off: IdOffsets): Promise<DemoGroupbuySummary> {
  const repo = new DemoGroupbuyRepo();
  const db = services.db;
  const accountOf = (i: number) => city.accounts.find((a) => a.phone === DEMO_ACCOUNTS[i]!.phone)!.id + off.accounts;
  const operator = actor(accountOf(0), 'operator');
  const staff = actor(accountOf(6), 'warehouse_staff');
  const driver = actor(accountOf(7), 'driver');
  const demoIds = DEMO_ACCOUNTS.map((_, i) => accountOf(i));

  const levels = await services.leaders.ensureDefaultLevels();
  await repo.leaderProfiles(db, operator.accountId, levels[0]?.id ?? null);
  await repo.bindResidents(db);

  const community = city.communities.find((c) => c.name === DEMO_COMMUNITY.name)!;
  // Each district runs its own campaigns (its shelf, its grid warehouse); the demo's is the one
  // the demo compound is in.
  const districtId = community.regionId + off.regions;
  const demoPoint = city.pickupPoints.find((p) => p.name === DEMO_POINT_NAME)!;
  const demoPointId = demoPoint.id + off.pickup_points;
  const demoGridId = demoPoint.gridWarehouseId === null ? null : demoPoint.gridWarehouseId + off.warehouses;
  const points = await repo.pointsOfDistrict(db, districtId, demoPointId, OTHER_POINTS + 1);
  const buyersAt = new Map<number, number[]>();
  for (const p of points) {
    buyersAt.set(p.id, await repo.residentsOf(db, p.id, p.id === demoPointId ? DEMO_POINT_BUYERS : OTHER_POINT_BUYERS, [...demoIds, p.leaderId]));
  }
  const items = CAMPAIGN_ITEMS.flatMap(([product, spec, pct, stock], i) => {
    const id = skuNamed(city, product, spec);
    const sku = id === undefined ? undefined : city.skus.find((s) => s.id === id);
    if (!sku) return [];
    const groupPriceFen = Math.max(1, Math.floor((sku.basePriceFen * pct) / 100));
    // The rice is sold at a thin margin: the leader earns less on it than the campaign's rate.
    return [{ skuId: sku.id + off.skus, groupPriceFen, limitPerPerson: 5, stock, sortOrder: i, ...(product === '东北大米' ? { leaderCommissionBp: 500 } : {}) }];
  });

  const now = services.clock.now();
  const today = chinaDay(now);
  let campaigns = 0;
  let orders = 0;

  /** A campaign open right now, its orders placed and paid; returns it and the orders by point. */
  const sell = async (title: string, cutoffAt: Date, day: number, sellingPoints = points) => {
    const pickupDate = addDays(chinaDay(cutoffAt), 1);
    const c = await services.campaigns.create(operator, {
      regionId: districtId,
      title,
      startsAt: new Date(now.getTime() - 3600_000),
      cutoffAt,
      pickupDate,
      leaderCommissionBp: 1000,
      items,
    });
    await services.campaignFlow.publish(operator, c.id, `demo-campaign-${day}`);
    campaigns++;
    const placed: Array<{ orderId: number; buyer: Actor; pointId: number; leaderId: number }> = [];
    // Each point's buyers at once: concurrent checkouts share the group commit.
    for (const p of sellingPoints) {
      const buyers = buyersAt.get(p.id)!;
      const results = await Promise.all(
        buyers.map((buyerId, k) => {
          const buyer = actor(buyerId, 'resident');
          // A few lines each, varying by buyer and day so the lists differ.
          const lines = [0, 1, 2]
            .slice(0, 1 + ((buyerId + day) % 3))
            .map((j) => items[(buyerId * 7 + day * 3 + j * 4) % items.length]!)
            .filter((it, j, all) => all.findIndex((x) => x.skuId === it.skuId) === j)
            .map((it, j) => ({ skuId: it.skuId, quantity: 1 + ((buyerId + j + day) % 3) }));
          return services.checkout
            .placeOrder(buyer, { channel: 'group_buy', campaignId: c.id, pickupPointId: p.id, lines }, `demo-gb-${day}-${p.id}-${k}`)
            .then((r) => ({ r, buyer }));
        }),
      );
      for (const { r, buyer } of results) {
        await paySandbox(services, r.body.payment!);
        placed.push({ orderId: r.body.order.id, buyer, pointId: p.id, leaderId: p.leaderId });
        orders++;
      }
    }
    return { campaign: c, pickupDate, placed };
  };

  // Past days and today's deliveries: sold "now", then moved back to their day.
  for (let back = HISTORY_DAYS; back >= 0; back--) {
    const pickupDate = addDays(today, -back);
    // The older days only at the demo point and its neighbour: enough for last week's KPIs.
    const dayPoints = back <= 3 ? points : points.slice(0, 2);
    const { campaign, placed } = await sell(`${monthDay(pickupDate)} 邻里团购`, new Date(now.getTime() + 3600_000), back, dayPoints);
    await repo.backdateCampaign(db, campaign.id, pickupDate);
    const { wave } = await services.wave.run(operator, { regionId: districtId, pickupDate });
    for (const po of await services.waves.purchaseOrders(operator, wave.id)) {
      await services.handoffs.receivePurchaseOrder(staff, po.id, { lines: po.lines.map((l) => ({ skuId: l.skuId, received: l.quantity, damaged: 0 })) });
    }
    for (const share of await services.gridReceipts.shares(staff, wave.id)) {
      await services.gridReceipts.receive(staff, wave.id, share.gridWarehouse.id, { lines: share.lines.map((l) => ({ skuId: l.skuId, received: l.expected, damaged: 0 })) });
    }
    for (const route of await services.waves.routes(operator, wave.id)) {
      if (route.gridWarehouse.id === demoGridId) await services.waves.assignDriver(operator, route.id, driver.accountId);
      await services.handoffs.dispatchRoute(staff, route.id);
    }
    for (const p of dayPoints) {
      // Today the demo leader signs for herself (in the leader console); the others have.
      if (back === 0 && p.id === demoPointId) continue;
      const leader = actor(p.leaderId, 'leader');
      const arrival = (await services.handoffs.arrivals(leader, pickupDate)).find((a) => a.waveId === wave.id);
      if (!arrival) continue;
      // Two days ago one box of the demo point's first item arrived one short.
      const short = back === 2 && p.id === demoPointId ? arrival.lines[0]?.skuId : undefined;
      await services.handoffs.signArrival(leader, p.id, {
        waveId: wave.id,
        lines: arrival.lines.map((l) => ({ skuId: l.skuId, received: l.skuId === short ? l.expected - 1 : l.expected, damaged: 0 })),
        ...(short ? { note: '少到一份，已拍照' } : {}),
      });
      if (back === 0) continue;
      // Most collect the same day; yesterday's last two at the demo point have not come yet.
      const atPoint = placed.filter((o) => o.pointId === p.id);
      const waiting = back === 1 && p.id === demoPointId ? 2 : 0;
      for (const o of atPoint.slice(0, atPoint.length - waiting)) {
        // An order the shortage refunded in full has nothing left to hand over.
        if ((await services.orders.view(o.orderId)).status !== 'ready') continue;
        const { code } = await services.pickup.codeOf(o.buyer, o.orderId);
        await services.pickup.pickup(leader, p.id, { orderId: o.orderId, code });
      }
    }
    await repo.backdateDay(db, wave.id, pickupDate);
  }

  // Today's campaign: open until 22:00 China time (or two hours from now, if later).
  const tonight = new Date(`${today}T22:00:00+08:00`);
  const cutoff = tonight.getTime() - now.getTime() > 2 * 3600_000 ? tonight : new Date(now.getTime() + 2 * 3600_000);
  await sell(`${monthDay(addDays(chinaDay(cutoff), 1))} 邻里团购 · 今日开团`, cutoff, 99);

  // Last week's leader figures (the latest final week), so the console and league table have some.
  await services.leaderFlow.runKpis(operator, addDays(mondayOf(today), -7));
  return { campaigns, orders };
}

function monthDay(day: string): string {
  const [, m, d] = day.split('-');
  return `${Number(m)}月${Number(d)}日`;
}
