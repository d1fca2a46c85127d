// Field rules the services enforce themselves: the HTTP layer validates too, but other
// modules and the demo seeder call the services directly, and a CHECK violation deep in
// the database would name the wrong field.
import { latLngToCell } from 'h3-js';
import { badInput } from '../../kernel';
import { POINT_STATUSES, type PointStatus } from './place.types';

/** H3 resolution for communities (~0.1 km² cells): what the insights maps aggregate by. */
export const COMMUNITY_H3_RESOLUTION = 9;

export function h3CellOf(lat: number, lng: number): string {
  return latLngToCell(lat, lng, COMMUNITY_H3_RESOLUTION);
}

export function text(field: string, value: string, min: number, max: number): string {
  const v = value.trim();
  if (v.length < min || v.length > max) throw badInput(field, `${field} must be ${min}–${max} characters`);
  return v;
}

export function coordinates(lat: number, lng: number): void {
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) throw badInput('lat', 'lat must be between -90 and 90');
  if (!Number.isFinite(lng) || lng < -180 || lng > 180) throw badInput('lng', 'lng must be between -180 and 180');
}

const HHMM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
export function hhmm(field: string, value: string): string {
  if (!HHMM.test(value)) throw badInput(field, `${field} must be HH:MM`);
  return value;
}

export function intBetween(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw badInput(field, `${field} must be an integer ${min}–${max}`);
  return value;
}

export function pointStatus(value: string): PointStatus {
  if (!(POINT_STATUSES as readonly string[]).includes(value)) throw badInput('status', `status must be one of ${POINT_STATUSES.join(', ')}`);
  return value as PointStatus;
}

const CODE = /^[A-Za-z0-9_-]{1,32}$/;
export function regionCode(value: string): string {
  if (!CODE.test(value)) throw badInput('code', 'code must be 1–32 letters, digits, _ or -');
  return value;
}

/** Copy only the keys that are present (not undefined) — PATCH semantics. */
export function present<T extends object>(obj: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
