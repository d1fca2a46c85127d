// A session's per-minute and per-pin figures as the room counts them in memory (docs/live.md
// "The room"), between flushes. The room bumps plain numbers on every like, chat, click and
// exposure; every 2 s (and when the session ends) `drain()` hands the deltas to the repository,
// which adds them to live_minute_stats / live_pin_stats. Peaks and cumulative viewers are levels,
// not counts: they merge with GREATEST, everything else adds up, so several processes (or a
// retried flush) can flush the same minute.

export const MINUTE_MS = 60_000;

/** The start of the minute holding `ms` (UTC minutes are the same instants in every zone we serve). */
export const minuteOf = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

export interface MinuteFigures {
  onlinePeak: number;
  viewersCumulative: number;
  likes: number;
  chats: number;
  exposures: number;
  clicks: number;
  orders: number;
  buyers: number;
  gmvFen: number;
}

/** Figures that add up across flushes. */
export type CountField = 'likes' | 'chats' | 'exposures' | 'clicks' | 'orders' | 'buyers' | 'gmvFen';
/** Figures that are the highest level seen. */
export type LevelField = 'onlinePeak' | 'viewersCumulative';

export interface PinFigures {
  exposures: number;
  clicks: number;
  orders: number;
  gmvFen: number;
}

export const emptyMinute = (): MinuteFigures => ({
  onlinePeak: 0,
  viewersCumulative: 0,
  likes: 0,
  chats: 0,
  exposures: 0,
  clicks: 0,
  orders: 0,
  buyers: 0,
  gmvFen: 0,
});

export const emptyPin = (): PinFigures => ({ exposures: 0, clicks: 0, orders: 0, gmvFen: 0 });

const COUNT_FIELDS: CountField[] = ['likes', 'chats', 'exposures', 'clicks', 'orders', 'buyers', 'gmvFen'];

/** `into` += `from`, with levels taking the higher value (the same rule as the flush's SQL). */
export function mergeMinute(into: MinuteFigures, from: MinuteFigures): MinuteFigures {
  for (const f of COUNT_FIELDS) into[f] += from[f];
  into.onlinePeak = Math.max(into.onlinePeak, from.onlinePeak);
  into.viewersCumulative = Math.max(into.viewersCumulative, from.viewersCumulative);
  return into;
}

export function mergePin(into: PinFigures, from: PinFigures): PinFigures {
  into.exposures += from.exposures;
  into.clicks += from.clicks;
  into.orders += from.orders;
  into.gmvFen += from.gmvFen;
  return into;
}

export interface DrainedFigures {
  minutes: Array<{ minute: number } & MinuteFigures>;
  pins: Array<{ pinId: number } & PinFigures>;
}

export class MinuteCounters {
  /** Unflushed deltas by minute start (ms). */
  private minutes = new Map<number, MinuteFigures>();
  private pins = new Map<number, PinFigures>();
  /** The current minute as counted here since it began, flushed or not (the host's `stats`). */
  private shownMinute = 0;
  private shown = emptyMinute();

  private minute(now: number): MinuteFigures {
    const m = minuteOf(now);
    let figures = this.minutes.get(m);
    if (!figures) this.minutes.set(m, (figures = emptyMinute()));
    return figures;
  }

  /** Move the shown minute forward to `minute`; false when `minute` is already past. */
  private rollShown(minute: number): boolean {
    if (minute < this.shownMinute) return false;
    if (minute > this.shownMinute) {
      this.shownMinute = minute;
      this.shown = emptyMinute();
    }
    return true;
  }

  count(now: number, field: CountField, n = 1): void {
    this.minute(now)[field] += n;
    if (this.rollShown(minuteOf(now))) this.shown[field] += n;
  }

  /** Levels: online now and viewers so far; each minute keeps the highest it saw. */
  level(now: number, online: number, viewersCumulative: number): void {
    const figures = this.minute(now);
    figures.onlinePeak = Math.max(figures.onlinePeak, online);
    figures.viewersCumulative = Math.max(figures.viewersCumulative, viewersCumulative);
    if (!this.rollShown(minuteOf(now))) return;
    this.shown.onlinePeak = Math.max(this.shown.onlinePeak, online);
    this.shown.viewersCumulative = Math.max(this.shown.viewersCumulative, viewersCumulative);
  }

  countPin(pinId: number, field: keyof PinFigures, n = 1): void {
    let figures = this.pins.get(pinId);
    if (!figures) this.pins.set(pinId, (figures = emptyPin()));
    figures[field] += n;
  }

  /**
   * Figures recorded elsewhere (paid orders are counted in their event's transaction) that the
   * host should still see in this minute's `stats`: shown only, never flushed from here.
   */
  show(now: number, field: CountField, n: number): void {
    if (this.rollShown(minuteOf(now))) this.shown[field] += n;
  }

  /** This minute's figures so far, for the host's `stats` message. */
  current(now: number): { minute: number } & MinuteFigures {
    if (minuteOf(now) !== this.shownMinute) return { minute: minuteOf(now), ...emptyMinute() };
    return { minute: this.shownMinute, ...this.shown };
  }

  /** What is not yet flushed, without taking it (the dashboard adds it to the stored rows). */
  pending(): DrainedFigures {
    return {
      minutes: [...this.minutes].map(([minute, f]) => ({ minute, ...f })),
      pins: [...this.pins].map(([pinId, f]) => ({ pinId, ...f })),
    };
  }

  get dirty(): boolean {
    return this.minutes.size > 0 || this.pins.size > 0;
  }

  /** Take the deltas for a flush. If the flush fails, hand them back with `restore`. */
  drain(): DrainedFigures {
    const out = this.pending();
    this.minutes = new Map();
    this.pins = new Map();
    return out;
  }

  restore(drained: DrainedFigures): void {
    for (const { minute, ...f } of drained.minutes) {
      const have = this.minutes.get(minute);
      if (have) mergeMinute(have, f);
      else this.minutes.set(minute, f);
    }
    for (const { pinId, ...f } of drained.pins) {
      const have = this.pins.get(pinId);
      if (have) mergePin(have, f);
      else this.pins.set(pinId, f);
    }
  }
}
