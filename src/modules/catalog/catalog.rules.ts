// Field rules for the catalog, checked in the service so that every caller (HTTP, seeders,
// flows) gets the same answers; the HTTP schemas repeat the shapes for the docs and fail early.
import { badInput, fen } from '../../kernel';

export const MAX_PRICE_FEN = 100_000_000; // ¥1,000,000: far above any grocery item, catches typos
export const MAX_IMAGES = 9; // what a WeChat moment holds; the list shows the first
export const BARCODE_RE = /^[0-9A-Za-z-]{4,32}$/;

export function text(value: string, field: string, min: number, max: number): string {
  const v = value.trim();
  // Length in code points, matching Postgres' length() on text (one 汉字 counts as one).
  const n = [...v].length;
  if (n < min || n > max) {
    throw badInput(field, min > 0 ? `${field} must be ${min}–${max} characters` : `${field} must be at most ${max} characters`);
  }
  return v;
}

export function priceFen(value: number, field: string): number {
  fen(value, field); // integers only: a yuan float like 12.5 is a bug in the caller
  if (value <= 0 || value > MAX_PRICE_FEN) throw badInput(field, `${field} must be 1–${MAX_PRICE_FEN} fen`);
  return value;
}

export function barcode(value: string | null | undefined, field: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (!BARCODE_RE.test(value)) throw badInput(field, 'barcode must be 4–32 letters, digits or dashes');
  return value;
}

export function imageUrls(urls: readonly string[], field = 'imageUrls'): string[] {
  if (urls.length > MAX_IMAGES) throw badInput(field, `at most ${MAX_IMAGES} images`);
  return urls.map((u, i) => {
    const f = `${field}.${i}`;
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      throw badInput(f, 'image must be an absolute http(s) URL');
    }
    // javascript:, data: or file: URLs in an <img> or link are an injection vector.
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw badInput(f, 'image must be an http(s) URL');
    if (u.length > 1000) throw badInput(f, 'image URL is too long');
    return u;
  });
}

export function contactPhone(value: string, field = 'contactPhone'): string {
  const v = value.trim();
  // Suppliers give landlines with area codes and extensions as often as mobiles.
  if (v !== '' && !/^[0-9+() -]{5,24}$/.test(v)) throw badInput(field, 'phone may hold digits, spaces, + ( ) -');
  return v;
}

export function sortOrder(value: number, field = 'sortOrder'): number {
  if (!Number.isSafeInteger(value) || Math.abs(value) > 1_000_000) throw badInput(field, 'sortOrder must be an integer');
  return value;
}
