// Field rules of a store application, each failure a 400 naming the field (the HTTP layer
// checks types; flows and the demo call the service directly). Also "open now" by China time.
import { badInput } from '../../kernel';
import { checkIdCard } from '../leaders';
import { checkLicenceNumber } from './licence';
import { STORE_MODES, type StoreMode } from './stores.schema';
import type { NewStoreApplication } from './stores.types';

export const MAX_DELIVERY_RADIUS_M = 10_000;
const HHMM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

function text(field: string, value: unknown, min: number, max: number): string {
  if (typeof value !== 'string') throw badInput(field, `${field} is required`);
  const v = value.trim();
  if (v.length < min || v.length > max) throw badInput(field, `${field} must be ${min}–${max} characters`);
  return v;
}

function between(field: string, value: unknown, min: number, max: number, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw badInput(field, `${field} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`);
  }
  return value;
}

function hhmm(field: string, value: unknown): string {
  if (typeof value !== 'string' || !HHMM.test(value)) throw badInput(field, `${field} must be a time HH:MM`);
  return value;
}

/** Every field in form order; the first bad one is named. */
export function checkStoreApplication(input: NewStoreApplication) {
  const storeName = text('storeName', input.storeName, 1, 64);
  const licenceNumber = checkLicenceNumber(input.licenceNumber);
  const address = text('address', input.address, 1, 200);
  const communityId = between('communityId', input.communityId, 1, Number.MAX_SAFE_INTEGER, true);
  const lat = between('lat', input.lat, -90, 90);
  const lng = between('lng', input.lng, -180, 180);
  const opensAt = hhmm('opensAt', input.opensAt);
  const closesAt = hhmm('closesAt', input.closesAt);
  // closesAt before opensAt is a store open past midnight (22:00–02:00); equal would be nothing.
  if (closesAt === opensAt) throw badInput('closesAt', 'closesAt must differ from opensAt');
  const deliveryRadiusM = between('deliveryRadiusM', input.deliveryRadiusM, 0, MAX_DELIVERY_RADIUS_M, true);
  const modes = checkModes(input.modes);
  if (modes.includes('delivery') && deliveryRadiusM === 0) throw badInput('deliveryRadiusM', 'a store that delivers needs a delivery radius above 0');
  let owner: { name: string; idCard: { hash: string; last4: string } } | null = null;
  if (input.ownerName !== undefined || input.idCardNumber !== undefined) {
    owner = { name: text('ownerName', input.ownerName, 2, 32), idCard: checkIdCard(input.idCardNumber) };
  }
  return { storeName, licenceNumber, address, communityId, lat, lng, opensAt, closesAt, deliveryRadiusM, modes, owner };
}

export function checkModes(value: unknown): StoreMode[] {
  if (!Array.isArray(value) || value.length === 0) throw badInput('modes', 'modes must list pickup, delivery or both');
  const out = new Set<StoreMode>();
  value.forEach((m, i) => {
    if (!(STORE_MODES as readonly unknown[]).includes(m)) throw badInput(`modes.${i}`, 'each mode is pickup or delivery');
    out.add(m as StoreMode);
  });
  return STORE_MODES.filter((m) => out.has(m));
}

/** Minutes since midnight in China Standard Time (UTC+8, no DST). */
export function chinaMinutes(now: Date): number {
  const t = new Date(now.getTime() + 8 * 3600_000);
  return t.getUTCHours() * 60 + t.getUTCMinutes();
}

/** Is a store with these hours open at `now` (China time)? Hours past midnight wrap. */
export function isOpenAt(opensAt: string, closesAt: string, now: Date): boolean {
  const m = chinaMinutes(now);
  const open = Number(opensAt.slice(0, 2)) * 60 + Number(opensAt.slice(3, 5));
  const close = Number(closesAt.slice(0, 2)) * 60 + Number(closesAt.slice(3, 5));
  return open < close ? m >= open && m < close : m >= open || m < close;
}

/** 00:00 of the China calendar day containing `now`, as an instant. */
export function chinaDayStart(now: Date): Date {
  const shifted = now.getTime() + 8 * 3600_000;
  return new Date(shifted - (shifted % 86_400_000) - 8 * 3600_000);
}
