import { describe, expect, it } from 'vitest';
import { buildDashboard, compareWindows } from './dashboard';
import { emptyMinute, MINUTE_MS } from './minute-counters';

const t0 = Date.UTC(2026, 0, 10, 12, 0);
const at = (i: number) => t0 + i * MINUTE_MS;

describe('the live dashboard', () => {
  it('fills quiet minutes, carries cumulative viewers, adds unflushed figures and compares windows', () => {
    const d = buildDashboard({
      stored: [
        { minute: new Date(at(0)), ...emptyMinute(), onlinePeak: 10, viewersCumulative: 10, likes: 5, exposures: 10 },
        { minute: new Date(at(2)), ...emptyMinute(), onlinePeak: 30, viewersCumulative: 35, chats: 4, orders: 2, buyers: 2, gmvFen: 3000, clicks: 6 },
      ],
      pending: {
        minutes: [
          { minute: at(2), ...emptyMinute(), likes: 7, onlinePeak: 25, viewersCumulative: 40 },
          { minute: at(3), ...emptyMinute(), likes: 1 },
        ],
        pins: [{ pinId: 7, exposures: 5, clicks: 1, orders: 0, gmvFen: 0 }],
      },
      pins: [{ pinId: 7, skuId: 3, title: '橙子', startedAt: new Date(at(1)), endedAt: null, exposures: 20, clicks: 4, orders: 1, gmvFen: 1500 }],
      fromMinute: at(0) + 20_000,
      toMinute: at(4) + 5_000,
      lastMinutes: 2,
      buyers: { total: 2, last: 0, previous: 2 },
    });
    expect(d.minutes.map((m) => [m.minute, m.likes, m.viewersCumulative, m.onlinePeak])).toEqual([
      [new Date(at(0)).toISOString(), 5, 10, 10],
      [new Date(at(1)).toISOString(), 0, 10, 0],
      [new Date(at(2)).toISOString(), 7, 40, 30],
      [new Date(at(3)).toISOString(), 1, 40, 0],
      [new Date(at(4)).toISOString(), 0, 40, 0],
    ]);
    expect(d.totals).toEqual({ ...emptyMinute(), onlinePeak: 30, viewersCumulative: 40, likes: 13, chats: 4, exposures: 10, clicks: 6, orders: 2, buyers: 2, gmvFen: 3000 });
    expect(d.funnel).toEqual({ exposures: 10, clicks: 6, orders: 2 });
    // Last 2 minutes: minutes 3 and 4; the 2 before: minutes 1 and 2.
    expect(d.compare.lastMinutes).toBe(2);
    expect(d.compare.last).toMatchObject({ likes: 1, orders: 0, viewersCumulative: 40 });
    expect(d.compare.previous).toMatchObject({ likes: 7, orders: 2, gmvFen: 3000, buyers: 2, viewersCumulative: 40, onlinePeak: 30 });
    expect(d.pins).toEqual([
      { pinId: 7, skuId: 3, title: '橙子', startedAt: new Date(at(1)).toISOString(), endedAt: null, exposures: 25, clicks: 5, orders: 1, gmvFen: 1500, conversion: 0.04 },
    ]);
  });

  it('answers a session with nothing counted yet with its minutes as zeros', () => {
    const d = buildDashboard({ stored: [], pending: { minutes: [], pins: [] }, pins: [], fromMinute: at(0), toMinute: at(1), lastMinutes: 5, buyers: { total: 0, last: 0, previous: 0 } });
    expect(d.minutes).toHaveLength(2);
    expect(d.totals).toEqual(emptyMinute());
    expect(d.pins).toEqual([]);
    expect(buildDashboard({ stored: [], pending: { minutes: [], pins: [] }, pins: [], fromMinute: null, toMinute: at(3), lastMinutes: 5, buyers: { total: 0, last: 0, previous: 0 } }).minutes).toHaveLength(1);
  });

  it('compares the windows that end with the last minute', () => {
    const w = compareWindows(at(10) + 30_000, 5);
    expect(w.last).toEqual({ from: new Date(at(6)), to: new Date(at(11)) });
    expect(w.previous).toEqual({ from: new Date(at(1)), to: new Date(at(6)) });
  });
});
