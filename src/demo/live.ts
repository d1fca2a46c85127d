// The demo host's live room: last night's session, run for real through the live flows and
// checkout on a simulated clock (so pins, the flash sale, the coupon, the orders and the
// timeline carry the evening's times), with the room's viewer figures simulated minute by
// minute; and tonight's session scheduled with its bag, for the host to go live on.
//
// The simulated clock belongs to a second set of services over the same database: every write
// of the evening (sessions, pins, sales, orders, payments) takes its time from it. The outbox
// events it writes are delivered later by the server's own relay, which counts the paid orders
// into the session's minutes by their payment time.
import { createServices, type Services } from '../services';
import { centralLocationFinder } from '../flows/live';
import { RoomRepo, type MinuteFigures } from '../modules/live';
import type { Actor, Role } from '../modules/people';
import { DEMO_ACCOUNTS, DEMO_STORE_NAME, type DemoCity } from './city';
import type { IdOffsets } from './demo.repo';
import { DemoLiveRepo } from './live.repo';
import { paySandbox } from './orders';

const MINUTE = 60_000;
const BAG_SIZE = 6;
const AUDIENCE = 40;
/** Live price: this share of the shelf price, rounded down to 10 fen. */
const LIVE_PRICE_PCT = 85;
const SESSION_MINUTES = 62;
/** The evening's running order: minute → what the host did. */
const PIN_AT = [2, 12, 22, 38, 48];
const FLASH_AT = 30;
const FLASH_UNITS = 12;
const COUPON_AT = 35;
const CHAT_LINES = ['主播晚上好！', '这个好吃吗？', '上次买的很新鲜', '什么时候到货？', '秒杀好快', '已下单～', '能送到翠苑吗', '再来一单', '怎么领券', '支持主播', '明天还播吗', '还有货吗'];

const actor = (accountId: number, ...roles: Role[]): Actor => ({ accountId, roles: new Set<Role>(roles) });

/** China time: yesterday at hh:00, as epoch ms. */
function chinaYesterdayAt(hour: number, now = Date.now()): number {
  const chinaMidnight = Math.floor((now + 8 * 3600_000) / 86_400_000) * 86_400_000 - 8 * 3600_000;
  return chinaMidnight - 86_400_000 + hour * 3600_000;
}

/** The next hh:00 China time from now (today's if it is still ahead, else tomorrow's). */
function chinaNextAt(hour: number, now = Date.now()): number {
  const today = chinaYesterdayAt(hour, now) + 86_400_000;
  return today > now + 10 * MINUTE ? today : today + 86_400_000;
}

export async function seedDemoLive(services: Services, city: DemoCity, off: IdOffsets): Promise<number> {
  const repo = new DemoLiveRepo();
  const accountOf = (i: number) => city.accounts.find((a) => a.phone === DEMO_ACCOUNTS[i]!.phone)!.id + off.accounts;
  const hostId = accountOf(5);
  const host = actor(hostId, 'host');
  const regionId = city.stores.find((s) => s.name === DEMO_STORE_NAME)!.regionId + off.regions;
  await services.liveSelling.putProfile(host, {
    displayName: DEMO_ACCOUNTS[5]!.displayName,
    persona: '临溪本地人，每晚八点带大家逛产地、挑时令鲜货；不好吃包退。',
    regionId,
  });
  const central = await centralLocationFinder(services.place, services.inventory)(regionId);
  if (central === null) return 0;
  const skus = await repo.plentifulSkus(services.db, central, regionId, 200, BAG_SIZE * 2);
  const offers = await services.catalog.regionOffers(regionId, skus);
  const priced = skus.filter((id) => offers.has(id)).slice(0, BAG_SIZE);
  if (priced.length < 4) return 0;
  const bag = priced.map((skuId, i) => ({
    skuId,
    livePriceFen: Math.max(10, Math.floor((offers.get(skuId)!.priceFen * LIVE_PRICE_PCT) / 100 / 10) * 10),
    limitPerPerson: i === 0 ? 3 : null,
    allotted: 40,
  }));
  const audience = await repo.residentsOfRegion(services.db, regionId, AUDIENCE, [hostId]);
  const demoResident = accountOf(1);
  const buyers = [demoResident, ...audience.filter((id) => id !== demoResident)];

  const orders = await lastNight(services, { host, bag, buyers, repo });
  // Tonight at 20:00: scheduled with the same bag, for the demo host to go live on.
  await services.liveFlow.create(
    host,
    { title: '今晚八点 · 临溪时令鲜货专场', scheduledAt: new Date(chinaNextAt(20)), streamUrl: 'https://live.example.com/linli/tonight.m3u8', bag: bag.map((b) => ({ ...b, allotted: 30 })) },
    'demo-live-tonight',
  );
  return orders;
}

async function lastNight(
  services: Services,
  d: { host: Actor; bag: Array<{ skuId: number; livePriceFen: number; limitPerPerson: number | null; allotted: number }>; buyers: number[]; repo: DemoLiveRepo },
): Promise<number> {
  const start = chinaYesterdayAt(20);
  let t = start - 3 * 3600_000;
  const sim = await createServices(services.db, { clock: { now: () => new Date(t) } });
  const at = (minute: number, second = 0) => (t = start + minute * MINUTE + second * 1000);
  let placed = 0;
  let keyN = 0;
  const buy = async (buyer: number, input: { liveSessionId: number; lines: Array<{ skuId: number; quantity: number }>; flashSaleId?: number; couponClaimId?: number }) => {
    const r = await sim.checkout.placeOrder(actor(buyer, 'resident'), { channel: 'live', fulfilment: 'delivery', ...input }, `demo-live-order-${++keyN}`);
    t += 20_000;
    await paySandbox(sim, r.body.payment!);
    placed++;
  };
  try {
    const created = await sim.liveFlow.create(
      d.host,
      { title: '临溪好物夜市 · 主播严选专场', scheduledAt: new Date(start), streamUrl: 'https://live.example.com/linli/last-night.m3u8', bag: d.bag },
      'demo-live-last-night',
    );
    const sessionId = created.body.session.id;
    at(0);
    await sim.liveFlow.start(d.host, sessionId);
    let buyer = 0;
    const nextBuyer = () => d.buyers[buyer++ % d.buyers.length]!;
    for (let p = 0; p < PIN_AT.length; p++) {
      const item = d.bag[p % d.bag.length]!;
      at(PIN_AT[p]!);
      await sim.liveFlow.pin(d.host, sessionId, item.skuId);
      // A few orders while it is presented; more for the first products of the evening.
      for (let k = 0; k < 5 - Math.min(p, 3); k++) {
        at(PIN_AT[p]! + 1 + k);
        await buy(nextBuyer(), { liveSessionId: sessionId, lines: [{ skuId: item.skuId, quantity: 1 + (k % 2) }] });
      }
      if (PIN_AT[p]! < FLASH_AT && (PIN_AT[p + 1] ?? SESSION_MINUTES) > FLASH_AT) {
        // The flash sale on the last bag item: sold out in under a minute.
        const flashItem = d.bag[d.bag.length - 1]!;
        at(FLASH_AT);
        const flash = await sim.liveFlow.startFlashSale(d.host, sessionId, { skuId: flashItem.skuId, priceFen: Math.max(10, Math.floor(flashItem.livePriceFen / 2 / 10) * 10), quantity: FLASH_UNITS, limitPerPerson: 1, durationS: 300 }, 'demo-live-flash');
        for (let k = 0; k < FLASH_UNITS; k++) {
          at(FLASH_AT, 3 + k * 4);
          await buy(nextBuyer(), { liveSessionId: sessionId, flashSaleId: flash.body.id, lines: [{ skuId: flashItem.skuId, quantity: 1 }] });
        }
        await sim.liveFlow.reconcileFlashSale(flash.body.id);
        at(COUPON_AT);
        const coupon = await sim.liveCoupons.release(d.host, sessionId, { amountFen: 500, minSpendFen: 3000, quantity: 50 }, 'demo-live-coupon');
        for (let k = 0; k < 6; k++) {
          at(COUPON_AT, 10 + k * 5);
          const claimer = nextBuyer();
          const claim = await sim.liveCoupons.claim(actor(claimer, 'resident'), coupon.body.id, `demo-live-claim-${k}`);
          if (k % 2 === 0) {
            // The dearest bag item without a limit (not the flash sale's): a few reach the minimum spend.
            const item = d.bag.slice(1, -1).reduce((a, b) => (b.livePriceFen > a.livePriceFen ? b : a));
            const units = Math.ceil(3000 / item.livePriceFen);
            await buy(claimer, { liveSessionId: sessionId, couponClaimId: claim.body.claim.id, lines: [{ skuId: item.skuId, quantity: Math.min(units, 9) }] });
          }
        }
      }
    }
    at(SESSION_MINUTES - 4);
    await sim.liveFlow.unpin(d.host, sessionId);
    at(SESSION_MINUTES);
    await sim.liveFlow.end(d.host, sessionId, { recordingUrl: 'https://live.example.com/linli/last-night.mp4' }, 'demo-live-last-night-end');
    // Let a sold-out check scheduled by the last flash order find the sale as it is, then leave.
    await new Promise((r) => setTimeout(r, 60));
    await d.repo.orderTimesFromPayment(services.db, sessionId);
    await simulateAudience(services, sessionId, start, d.buyers);
    return placed;
  } finally {
    await sim.checkout.close();
  }
}

/**
 * The room's own figures for the evening — viewers online and joined, likes, chat, exposures
 * and clicks per minute — as the room would have flushed them, with a rise to a peak at the
 * flash sale and a tail; and the chat lines. Orders and GMV are not written here: the relay
 * counts the real paid orders into the same minutes.
 */
async function simulateAudience(services: Services, sessionId: number, start: number, buyers: number[]): Promise<void> {
  const room = new RoomRepo();
  const pins = await room.pins(services.db.orm, sessionId);
  const minutes: Array<{ minute: number } & MinuteFigures> = [];
  let cumulative = 0;
  for (let m = 0; m < SESSION_MINUTES; m++) {
    const rise = Math.min(1, m / 15);
    const flashBump = Math.exp(-(((m - FLASH_AT) / 4) ** 2));
    const tail = m > 50 ? (SESSION_MINUTES - m) / 12 : 1;
    const online = Math.round((60 + 160 * rise + 120 * flashBump) * tail + ((m * 37) % 11));
    cumulative += Math.round(online * 0.18 + 4);
    const pinned = pins.find((p) => p.startedAt.getTime() <= start + m * MINUTE && (p.endedAt === null || p.endedAt.getTime() > start + m * MINUTE));
    const exposures = pinned && pinned.startedAt.getTime() >= start + m * MINUTE - MINUTE ? online : Math.round(online * 0.12);
    minutes.push({
      minute: start + m * MINUTE,
      onlinePeak: online,
      viewersCumulative: Math.max(cumulative, online),
      likes: Math.round(online * (0.6 + flashBump)),
      chats: 2 + ((m * 7) % 5),
      exposures,
      clicks: Math.round(exposures * (0.06 + 0.1 * flashBump)),
      orders: 0,
      buyers: 0,
      gmvFen: 0,
    });
  }
  const pinFigures = pins.map((p) => {
    const inPin = minutes.filter((m) => m.minute >= p.startedAt.getTime() && (p.endedAt === null || m.minute < p.endedAt.getTime()));
    return { pinId: p.pinId, exposures: inPin.reduce((s, m) => s + m.exposures, 0), clicks: inPin.reduce((s, m) => s + m.clicks, 0), orders: 0, gmvFen: 0 };
  });
  await room.flushFigures(services.db.orm, [{ sessionId, figures: { minutes, pins: pinFigures } }]);
  const ids = await room.reserveChatIds(services.db.orm, CHAT_LINES.length * 3);
  await room.insertChats(
    services.db.orm,
    ids.map((id, i) => ({ id, sessionId, accountId: buyers[(i * 5) % buyers.length]!, body: CHAT_LINES[i % CHAT_LINES.length]!, createdAt: new Date(start + (i * SESSION_MINUTES * MINUTE) / ids.length + 7_000) })),
  );
}
