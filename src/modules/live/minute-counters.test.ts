import { describe, expect, it } from 'vitest';
import { emptyMinute, MinuteCounters, minuteOf, mergeMinute } from './minute-counters';

const M = 60_000;
const t0 = 1_700_000_040_000; // a minute boundary

describe('per-minute counters', () => {
  it('counts into the minute of the moment and drains the deltas once', () => {
    const c = new MinuteCounters();
    expect(minuteOf(t0 + 59_999)).toBe(t0);
    c.count(t0 + 1_000, 'likes', 5);
    c.count(t0 + 2_000, 'chats');
    c.count(t0 + M + 1, 'likes', 2);
    c.level(t0 + 10, 30, 40);
    c.level(t0 + 20, 25, 45);
    c.countPin(9, 'exposures', 30);
    c.countPin(9, 'clicks');
    const drained = c.drain();
    expect(drained.minutes).toEqual([
      { minute: t0, ...emptyMinute(), likes: 5, chats: 1, onlinePeak: 30, viewersCumulative: 45 },
      { minute: t0 + M, ...emptyMinute(), likes: 2 },
    ]);
    expect(drained.pins).toEqual([{ pinId: 9, exposures: 30, clicks: 1, orders: 0, gmvFen: 0 }]);
    expect(c.dirty).toBe(false);
    expect(c.drain()).toEqual({ minutes: [], pins: [] });
  });

  it('hands back a failed flush: counts add, levels keep the highest', () => {
    const c = new MinuteCounters();
    c.count(t0, 'likes', 3);
    c.level(t0, 10, 10);
    const failed = c.drain();
    c.count(t0 + 5, 'likes', 1);
    c.level(t0 + 5, 7, 12);
    c.countPin(1, 'clicks', 2);
    c.restore(failed);
    c.restore({ minutes: [], pins: [{ pinId: 1, exposures: 4, clicks: 1, orders: 0, gmvFen: 0 }] });
    const again = c.drain();
    expect(again.minutes).toEqual([{ minute: t0, ...emptyMinute(), likes: 4, onlinePeak: 10, viewersCumulative: 12 }]);
    expect(again.pins).toEqual([{ pinId: 1, exposures: 4, clicks: 3, orders: 0, gmvFen: 0 }]);
  });

  it("shows the current minute's figures across flushes, including ones recorded elsewhere", () => {
    const c = new MinuteCounters();
    c.count(t0 + 1, 'chats', 2);
    c.drain();
    c.count(t0 + 2, 'chats');
    c.show(t0 + 3, 'orders', 1);
    c.show(t0 + 3, 'gmvFen', 990);
    expect(c.current(t0 + 4)).toMatchObject({ minute: t0, chats: 3, orders: 1, gmvFen: 990 });
    // Shown-only figures are never flushed from here.
    expect(c.drain().minutes).toEqual([{ minute: t0, ...emptyMinute(), chats: 1 }]);
    // A late figure for a past minute does not reset the current one.
    c.count(t0 + M + 1, 'likes');
    c.show(t0 + 5, 'orders', 1);
    expect(c.current(t0 + M + 2)).toMatchObject({ minute: t0 + M, likes: 1, orders: 0 });
    // A minute with nothing counted yet shows zeros.
    expect(c.current(t0 + 3 * M)).toEqual({ minute: t0 + 3 * M, ...emptyMinute() });
  });

  it('merges like the flush SQL does', () => {
    const a = { ...emptyMinute(), likes: 1, onlinePeak: 5, viewersCumulative: 9, gmvFen: 100 };
    mergeMinute(a, { ...emptyMinute(), likes: 2, onlinePeak: 3, viewersCumulative: 11, gmvFen: 50 });
    expect(a).toMatchObject({ likes: 3, onlinePeak: 5, viewersCumulative: 11, gmvFen: 150 });
  });
});
