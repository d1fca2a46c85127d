// The live pages' pure rules (web/src/areas/shop/live/roomState.ts, web/src/areas/host/rules.ts):
// what the room shows after a run of messages, which coupons apply, where the replay is, and
// the host's bag rows and live totals.
import { describe, expect, it } from 'vitest';
import type { Dashboard, LiveCoupon, MinuteStats, RoomMessage, TimelineEvent } from '../../web/src/api/live.types';
import { formatOffset, initialRoom, pinnedAt, reduceRoom, usableCoupons, withMyClaims } from '../../web/src/areas/shop/live/roomState';
import { bagBody, change, draftOf, liveTotals } from '../../web/src/areas/host/rules';

const run = (msgs: RoomMessage[]) => msgs.reduce(reduceRoom, initialRoom);
const pin = (id: number, skuId: number) => ({ id, skuId, startedAt: '2026-01-01T10:00:00Z', endedAt: null });
const flash = { id: 7, skuId: 3, priceFen: 990, quantity: 50, available: 50, limitPerPerson: 1, startsAt: '2026-01-01T10:00:00Z', endsAt: '2026-01-01T10:01:00Z', status: 'open' as const };
const coupon = (id: number, over: Partial<LiveCoupon> = {}): LiveCoupon => ({ id, amountFen: 500, minSpendFen: 3000, quantity: 10, claimed: 0, expiresAt: '2999-01-01T00:00:00Z', ...over });

describe('reduceRoom', () => {
  it('takes the state from hello, then follows pin, flash, coupon, online and likes messages', () => {
    const s = run([
      { type: 'hello', pin: pin(1, 2), flashSale: null, coupons: [coupon(1)], online: 4, cumulative: 9, likes: 30, chats: [{ id: 5, accountId: 1, name: '张*', body: 'hi', at: 'x' }], you: null },
      { type: 'pin', pin: pin(2, 3) },
      { type: 'flash', flashSale: flash },
      { type: 'flash', flashSale: { ...flash, available: 12 } },
      { type: 'coupon', coupon: coupon(2) },
      { type: 'online', online: 6, cumulative: 11 },
      { type: 'likes', total: 45 },
    ]);
    expect(s.synced).toBe(true);
    expect(s.pin?.skuId).toBe(3);
    expect(s.flashSale?.available).toBe(12);
    expect(s.coupons.map((c) => c.id)).toEqual([1, 2]);
    expect([s.online, s.cumulative, s.likes]).toEqual([6, 11, 45]);
    expect(s.chat.map((c) => c.id)).toEqual([5]);
    expect(run([{ type: 'pin', pin: pin(1, 2) }, { type: 'pin', pin: null }]).pin).toBeNull();
  });

  it('keeps chat once per id, drops removed lines, and a reconnect hello does not repeat lines', () => {
    const line = (id: number) => ({ type: 'chat' as const, id, accountId: 1, name: '李*', body: `m${id}`, at: 'x' });
    const s = run([line(1), line(2), line(2), { type: 'chat_removed', id: 1 }, { type: 'hello', pin: null, flashSale: null, chats: [line(2), line(3)] }]);
    expect(s.chat.map((c) => c.id)).toEqual([2, 3]);
  });

  it('records refusals with their wait, and a muted viewer learns it from hello', () => {
    const s = run([{ type: 'error', code: 'rate_limited', message: 'slow down', retryAfterMs: 1500 }]);
    expect(s.error).toMatchObject({ code: 'rate_limited', retryAfterMs: 1500 });
    expect(run([{ type: 'hello', pin: null, flashSale: null, you: { accountId: 3, moderator: false, muted: true } }]).error?.code).toBe('muted');
  });

  it('keeps the latest orders first and the stats (with viewers online) for the host', () => {
    const s = run([
      { type: 'order', name: '王*', skuId: 3, title: 'A', quantity: 1, at: '1' },
      { type: 'order', name: '赵*', skuId: 3, title: 'A', quantity: 2, at: '2' },
      { type: 'stats', minute: '2026-01-01T10:05:00.000Z', orders: 2, gmvFen: 1980, online: 12 },
    ]);
    expect(s.orders.map((o) => o.name)).toEqual(['赵*', '王*']);
    expect(s.stats?.orders).toBe(2);
    expect(s.online).toBe(12);
  });
});

describe('coupons', () => {
  it('marks the viewer’s claims and offers only claimed, unused coupons the total reaches', () => {
    const list = withMyClaims([coupon(1), coupon(2, { minSpendFen: 0, amountFen: 100 }), coupon(3)], [
      { id: 11, couponId: 1, orderId: null },
      { id: 12, couponId: 2, orderId: 99 },
    ]);
    expect(list.map((c) => [c.myClaimId ?? null, c.myClaimUsed ?? null])).toEqual([[11, false], [12, true], [null, null]]);
    expect(usableCoupons(list, 3000).map((c) => c.id)).toEqual([1]);
    expect(usableCoupons(list, 2999)).toEqual([]);
    // The order must still cost at least 1 fen.
    expect(usableCoupons([{ ...coupon(4, { minSpendFen: 0 }), myClaimId: 1 }], 500)).toEqual([]);
    expect(usableCoupons([{ ...coupon(5, { expiresAt: '2000-01-01T00:00:00Z' }), myClaimId: 1 }], 9000)).toEqual([]);
  });
});

describe('replay', () => {
  const ev = (offsetS: number, kind: TimelineEvent['kind'], skuId: number | null): TimelineEvent => ({ at: '', offsetS, kind, skuId, title: null, detail: null });
  const events = [ev(0, 'started', null), ev(10, 'pinned', 3), ev(70, 'pinned', 4), ev(100, 'unpinned', 4), ev(200, 'ended', null)];
  it('knows what was presented at each moment of the recording', () => {
    expect([5, 10, 69, 70, 99, 100, 150].map((t) => pinnedAt(events, t))).toEqual([null, 3, 3, 4, 4, null, null]);
  });
  it('formats offsets as mm:ss or h:mm:ss', () => {
    expect([0, 75, 3725].map(formatOffset)).toEqual(['00:00', '01:15', '1:02:05']);
  });
});

describe('host rules', () => {
  const sku = { skuId: 9, productName: 'P', spec: '1kg', unit: '袋', basePriceFen: 1290 };
  it('turns bag rows typed in yuan into fen, or names the first bad field', () => {
    const row = draftOf(sku);
    expect(row.price).toBe('12.90');
    expect(bagBody([{ ...row, price: '9.9', limit: '2', allotted: '30' }])).toEqual({ ok: true, bag: [{ skuId: 9, livePriceFen: 990, limitPerPerson: 2, allotted: 30 }] });
    expect(bagBody([row, { ...row, skuId: 10, price: '0' }])).toEqual({ ok: false, index: 1, field: 'livePriceFen' });
    expect(bagBody([{ ...row, limit: '1000' }])).toMatchObject({ ok: false, field: 'limitPerPerson' });
    expect(bagBody([{ ...row, allotted: '-1' }])).toMatchObject({ ok: false, field: 'allotted' });
  });

  it('raises the dashboard totals with a newer current-minute figure, never lowering them', () => {
    const m = (minute: string, orders: number, gmvFen: number): MinuteStats => ({ minute, onlinePeak: 0, viewersCumulative: 0, likes: 0, chats: 0, exposures: 0, clicks: 0, orders, buyers: orders, gmvFen });
    const figures = { onlinePeak: 0, viewersCumulative: 0, likes: 0, chats: 0, exposures: 0, clicks: 0, orders: 5, buyers: 5, gmvFen: 5000 };
    const dash: Dashboard = { minutes: [m('2026-01-01T10:00:00.000Z', 3, 3000), m('2026-01-01T10:01:00.000Z', 2, 2000)], pins: [], funnel: { exposures: 0, clicks: 0, orders: 5 }, totals: figures, compare: { lastMinutes: 5, last: figures, previous: figures }, online: 0 };
    expect(liveTotals(dash, { minute: '2026-01-01T10:01:00.000Z', orders: 4, gmvFen: 4100 })).toMatchObject({ orders: 7, gmvFen: 7100 });
    expect(liveTotals(dash, { minute: '2026-01-01T10:02:00.000Z', orders: 1, gmvFen: 100 })).toMatchObject({ orders: 6, gmvFen: 5100 });
    expect(liveTotals(dash, { minute: '2026-01-01T10:01:00.000Z', orders: 0, gmvFen: 0 })).toMatchObject({ orders: 5, gmvFen: 5000 });
    expect(liveTotals(undefined, null)).toEqual({ orders: 0, gmvFen: 0, buyers: 0, likes: 0 });
  });

  it('compares two periods as a ratio, null when there was nothing before', () => {
    expect(change(15, 10)).toBeCloseTo(0.5);
    expect(change(5, 10)).toBeCloseTo(-0.5);
    expect(change(0, 0)).toBe(0);
    expect(change(3, 0)).toBeNull();
  });
});
