// Field rules of live selling, checked in the service and the flows so every caller (HTTP,
// demo seed, tests) gets the same answers; the HTTP schemas repeat the shapes for the docs.
import { badInput } from '../../kernel';

export const LIVE_LIMITS = {
  maxBagItems: 100,
  maxAllotted: 100_000,
  maxPriceFen: 100_000_000,
  flashMinDurationS: 10,
  flashMaxDurationS: 30 * 60,
  maxFlashQuantity: 100_000,
  maxCouponQuantity: 100_000,
  /** A coupon lives at most a day from its release, so never past the session's end + 24 h. */
  maxCouponMinutes: 24 * 60,
  /** How far ahead a session may be scheduled. */
  maxScheduleAheadDays: 90,
} as const;

export function text(value: string, field: string, min: number, max: number): string {
  const v = value.trim();
  const n = [...v].length;
  if (n < min || n > max) throw badInput(field, min > 0 ? `${field} must be ${min}–${max} characters` : `${field} must be at most ${max} characters`);
  return v;
}

export function wholeNumber(value: number, field: string, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) throw badInput(field, `${field} must be a whole number from ${min} to ${max}`);
  return value;
}

function httpUrl(value: string, field: string): URL {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw badInput(field, `${field} must be an absolute http(s) URL`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw badInput(field, `${field} must be an absolute http(s) URL`);
  if (value.length > 500) throw badInput(field, `${field} must be at most 500 characters`);
  return u;
}

/** A picture (cover, avatar): any http(s) URL, or nothing. */
export function imageUrl(value: string | null | undefined, field: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  return httpUrl(value, field).toString();
}

/** The video comes from a streaming service: an HLS playlist or an MP4/FLV file the room plays. */
export function streamUrl(value: string, field: string): string {
  const u = httpUrl(value, field);
  if (!/\.(m3u8|mp4|flv)$/i.test(u.pathname)) throw badInput(field, `${field} must point at an HLS (.m3u8), MP4 or FLV stream`);
  return u.toString();
}
