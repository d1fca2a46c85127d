// The host's live dashboard (GET /api/live/sessions/:id/dashboard, docs/live.md): stored
// per-minute and per-pin rows plus what this process has counted and not yet flushed, shaped
// for the charts. Pure: the room service reads, this adds up.
import { emptyMinute, emptyPin, mergeMinute, mergePin, MINUTE_MS, minuteOf, type DrainedFigures, type MinuteFigures } from './minute-counters';
import type { PinFiguresRow, StoredMinute } from './room.repo';

/** A long session still answers in one response: the chart shows at most a day of minutes. */
export const MAX_DASHBOARD_MINUTES = 24 * 60;

export interface DashboardMinute extends MinuteFigures {
  minute: string;
}

export interface DashboardPin {
  pinId: number;
  skuId: number;
  title: string;
  startedAt: string;
  endedAt: string | null;
  exposures: number;
  clicks: number;
  orders: number;
  gmvFen: number;
  /** Orders per exposure while the pin was up (0 without exposures), four decimals. */
  conversion: number;
}

export interface Dashboard {
  minutes: DashboardMinute[];
  pins: DashboardPin[];
  funnel: { exposures: number; clicks: number; orders: number };
  totals: MinuteFigures;
  compare: { lastMinutes: number; last: MinuteFigures; previous: MinuteFigures };
}

export interface DashboardInput {
  stored: StoredMinute[];
  /** This process's unflushed figures of the session. */
  pending: DrainedFigures;
  pins: PinFiguresRow[];
  /** First minute to show (the session's start), when known; otherwise the first counted one. */
  fromMinute: number | null;
  /** Last minute to show: now while live, the end minute after. */
  toMinute: number;
  lastMinutes: number;
  /** Distinct paying buyers (minutes count a buyer once per minute, so sums would overcount). */
  buyers: { total: number; last: number; previous: number };
}

const ratio = (num: number, den: number) => (den === 0 ? 0 : Math.round((num / den) * 10_000) / 10_000);

export function buildDashboard(i: DashboardInput): Dashboard {
  const byMinute = new Map<number, MinuteFigures>();
  const add = (minute: number, f: MinuteFigures) => {
    const have = byMinute.get(minute);
    if (have) mergeMinute(have, f);
    else byMinute.set(minute, mergeMinute(emptyMinute(), f));
  };
  for (const { minute, ...f } of i.stored) add(minute.getTime(), f);
  for (const { minute, ...f } of i.pending.minutes) add(minute, f);

  const counted = [...byMinute.keys()].sort((a, b) => a - b);
  const to = Math.max(minuteOf(i.toMinute), counted[counted.length - 1] ?? -Infinity);
  const first = Math.min(i.fromMinute === null ? Infinity : minuteOf(i.fromMinute), counted[0] ?? Infinity);
  const from = Number.isFinite(first) ? Math.max(first, to - (MAX_DASHBOARD_MINUTES - 1) * MINUTE_MS) : to;

  // Every minute from start to now, quiet ones as zeros; cumulative viewers carry forward.
  const minutes: DashboardMinute[] = [];
  let cumulative = 0;
  for (const [m, f] of byMinute) if (m < from) cumulative = Math.max(cumulative, f.viewersCumulative);
  for (let m = from; m <= to; m += MINUTE_MS) {
    const f = byMinute.get(m) ?? emptyMinute();
    cumulative = Math.max(cumulative, f.viewersCumulative);
    minutes.push({ minute: new Date(m).toISOString(), ...f, viewersCumulative: cumulative });
  }

  const sum = (rows: MinuteFigures[], buyers: number): MinuteFigures => {
    const out = emptyMinute();
    for (const r of rows) mergeMinute(out, r);
    return { ...out, buyers };
  };
  const all = [...byMinute.values()];
  const n = i.lastMinutes;
  const inWindow = (lo: number, hi: number) => [...byMinute].filter(([m]) => m >= lo && m <= hi).map(([, f]) => f);
  const lastFrom = to - (n - 1) * MINUTE_MS;
  const last = sum(inWindow(lastFrom, to), i.buyers.last);
  const previous = sum(inWindow(lastFrom - n * MINUTE_MS, lastFrom - MINUTE_MS), i.buyers.previous);
  // A window's viewers so far is the level at its end, not the best minute inside it.
  last.viewersCumulative = minutes[minutes.length - 1]?.viewersCumulative ?? 0;
  previous.viewersCumulative = minutes.filter((m) => Date.parse(m.minute) < lastFrom).at(-1)?.viewersCumulative ?? 0;
  const totals = sum(all, i.buyers.total);

  const pendingPins = new Map(i.pending.pins.map(({ pinId, ...f }) => [pinId, f]));
  const pins = i.pins.map((p) => {
    const f = mergePin(mergePin(emptyPin(), p), pendingPins.get(p.pinId) ?? emptyPin());
    return {
      pinId: p.pinId,
      skuId: p.skuId,
      title: p.title,
      startedAt: p.startedAt.toISOString(),
      endedAt: p.endedAt ? p.endedAt.toISOString() : null,
      ...f,
      conversion: ratio(f.orders, f.exposures),
    };
  });

  return {
    minutes,
    pins,
    funnel: { exposures: totals.exposures, clicks: totals.clicks, orders: totals.orders },
    totals,
    compare: { lastMinutes: n, last, previous },
  };
}

/** The two windows of `compare`, [from, to) in time, for the distinct-buyer count. */
export function compareWindows(toMinute: number, lastMinutes: number): { last: { from: Date; to: Date }; previous: { from: Date; to: Date } } {
  const end = minuteOf(toMinute) + MINUTE_MS;
  const mid = end - lastMinutes * MINUTE_MS;
  return { last: { from: new Date(mid), to: new Date(end) }, previous: { from: new Date(mid - lastMinutes * MINUTE_MS), to: new Date(mid) } };
}
