// Chat rules of the live room (docs/live.md "Chat"): the body's shape and the per-account rate
// limit. Pure and in memory: the room keeps one limiter per process, keyed by session and
// account, so a message costs a map look-up and a few comparisons.

export const CHAT_RULES = {
  /** Characters (code points, as PostgreSQL's length() counts them) after trimming. */
  maxChars: 200,
  /** At most one message per this many milliseconds… */
  minGapMs: 2_000,
  /** …and at most this many in any window of windowMs. */
  perWindow: 10,
  windowMs: 60_000,
} as const;

export type ChatBodyCheck = { ok: true; body: string } | { ok: false; message: string };

/** Trimmed, not empty, at most 200 characters. Anything but a string is refused. */
export function checkChatBody(raw: unknown): ChatBodyCheck {
  if (typeof raw !== 'string') return { ok: false, message: 'body must be a string' };
  const body = raw.trim();
  if (body.length === 0) return { ok: false, message: 'body must not be empty' };
  // Count code points: an emoji is one character to the reader and to the database's CHECK.
  let chars = 0;
  for (const _ of body) if (++chars > CHAT_RULES.maxChars) return { ok: false, message: `body must be at most ${CHAT_RULES.maxChars} characters` };
  return { ok: true, body };
}

export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * Sliding-window limiter: per key the times of the last `perWindow` accepted messages, oldest
 * first. A refused attempt records nothing, so hammering does not extend the wait.
 */
export class ChatRateLimiter {
  private readonly accepted = new Map<string, number[]>();

  constructor(private readonly rules: Pick<typeof CHAT_RULES, 'minGapMs' | 'perWindow' | 'windowMs'> = CHAT_RULES) {}

  /** Accept (and record) a message at `now`, or say how long to wait. */
  take(key: string, now: number): RateDecision {
    const times = this.accepted.get(key);
    if (times && times.length > 0) {
      const gapWait = times[times.length - 1]! + this.rules.minGapMs - now;
      const windowWait = times.length >= this.rules.perWindow ? times[times.length - this.rules.perWindow]! + this.rules.windowMs - now : 0;
      const wait = Math.max(gapWait, windowWait);
      if (wait > 0) return { ok: false, retryAfterMs: Math.ceil(wait) };
      times.push(now);
      if (times.length > this.rules.perWindow) times.shift();
    } else {
      this.accepted.set(key, [now]);
    }
    return { ok: true };
  }

  /** Forget keys with nothing inside the window (call now and then; memory stays bounded). */
  sweep(now: number): void {
    for (const [key, times] of this.accepted) {
      if (times[times.length - 1]! + this.rules.windowMs <= now) this.accepted.delete(key);
    }
  }

  get size(): number {
    return this.accepted.size;
  }
}
