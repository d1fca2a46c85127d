// Pickup codes (取货码) are derived, not stored: 8 digits from an HMAC of the order id under a
// server secret. Nothing to keep in sync, nothing to leak from the database, and the leader's
// lookup recomputes the codes of the few hundred open orders at their point to find a match.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const PICKUP_CODE_DIGITS = 8;
const QR_PATTERN = /^linli:pickup:(\d{1,15}):(\d{8})$/;

export class PickupCodes {
  constructor(private readonly secret: string) {
    if (secret.length < 16) throw new Error('the pickup code secret must be at least 16 characters');
  }

  /** The order's code: the HMAC's first 8 bytes as a number, its last 8 decimal digits. */
  codeOf(orderId: number): string {
    const mac = createHmac('sha256', this.secret).update(`pickup:${orderId}`).digest();
    const n = mac.readBigUInt64BE(0) % 100_000_000n;
    return n.toString().padStart(PICKUP_CODE_DIGITS, '0');
  }

  qrOf(orderId: number): string {
    return `linli:pickup:${orderId}:${this.codeOf(orderId)}`;
  }

  /** Constant-time comparison, so response timing says nothing about how close a guess was. */
  matches(orderId: number, code: string): boolean {
    const want = Buffer.from(this.codeOf(orderId));
    const got = Buffer.from(code);
    return got.length === want.length && timingSafeEqual(got, want);
  }
}

/** `linli:pickup:<orderId>:<code>` → its parts, or null for anything else. */
export function parsePickupQr(qr: string): { orderId: number; code: string } | null {
  const m = QR_PATTERN.exec(qr.trim());
  return m ? { orderId: Number(m[1]), code: m[2]! } : null;
}

/** What a leader may type: the 8 digits, spaces and dashes ignored. */
export function normaliseCode(raw: string): string | null {
  const digits = raw.replace(/[\s-]/g, '');
  return /^\d{8}$/.test(digits) ? digits : null;
}
