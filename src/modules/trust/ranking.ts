// How trust orders what residents are offered (docs/insights.md, "Ranking"). The primary order
// of each list stays what it was; trust decides among equals:
//   nearby pickup points  distance band (200 m), then trust, then distance;
//   storefront stores     open now first, then distance band (200 m), then trust, then distance;
//   live rooms            the page as before (newest first by id); within it, rooms scheduled on
//                         the same China day are ordered by their host's trust, then newest first.
// Unscored actors (no score computed yet) come after scored ones among equals.

/** Distances within one band are "as near as each other": a couple of minutes' walk. */
export const DISTANCE_BAND_M = 200;

export const distanceBand = (distanceM: number): number => Math.floor(Math.max(0, distanceM) / DISTANCE_BAND_M);

/** Higher score first; no score after any score. */
export function byTrust(a: number | null | undefined, b: number | null | undefined): number {
  const x = a ?? null;
  const y = b ?? null;
  if (x === y) return 0;
  if (x === null) return 1;
  if (y === null) return -1;
  return y - x;
}

export interface NearbyCandidate {
  id: number;
  distanceM: number;
  trustScore: number | null;
}

/** Nearer band first, then higher trust, then nearer, then lower id (stable across calls). */
export function byDistanceThenTrust(a: NearbyCandidate, b: NearbyCandidate): number {
  return distanceBand(a.distanceM) - distanceBand(b.distanceM) || byTrust(a.trustScore, b.trustScore) || a.distanceM - b.distanceM || a.id - b.id;
}

export interface RoomCandidate {
  id: number;
  /** The China day (YYYY-MM-DD) the room is scheduled for. */
  day: string;
  trustScore: number | null;
}

/** Later day first; within a day, higher host trust; then newest (higher id). */
export function byDayThenTrust(a: RoomCandidate, b: RoomCandidate): number {
  return (a.day === b.day ? 0 : a.day < b.day ? 1 : -1) || byTrust(a.trustScore, b.trustScore) || b.id - a.id;
}

/** The China calendar day (UTC+8 all year) of an instant. */
export function chinaDayOf(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
