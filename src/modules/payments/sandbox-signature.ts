// The sandbox's callback signature: `Linli-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`
// over `${t}.${rawBody}`. The timestamp is inside the MAC, so an attacker cannot refresh an old
// capture; the window bounds how long a capture is any use, and the event id's unique key in
// payment_callbacks makes a replay inside the window harmless.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { unauthenticated } from '../../kernel';
import type { NotificationHeaders } from './payment-provider';

export const SIGNATURE_HEADER = 'linli-signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function hmacHex(secret: string | Buffer, timestamp: number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex');
}

export function signatureHeader(secret: string | Buffer, rawBody: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${hmacHex(secret, t, rawBody)}`;
}

interface ParsedSignature {
  timestamp: number;
  /** Several v1 values are allowed so a sender can sign with an old and a new secret while rotating. */
  signatures: Buffer[];
}

function parse(value: string): ParsedSignature | null {
  if (value.length > 1024) return null;
  let timestamp: number | null = null;
  const signatures: Buffer[] = [];
  for (const part of value.split(',')) {
    const m = /^\s*(t|v1)=([0-9a-f]+)\s*$/.exec(part);
    if (!m) return null;
    if (m[1] === 't') {
      if (timestamp !== null || !/^\d{1,12}$/.test(m[2]!)) return null;
      timestamp = Number(m[2]);
    } else {
      if (!/^[0-9a-f]{64}$/.test(m[2]!)) return null;
      signatures.push(Buffer.from(m[2]!, 'hex'));
    }
  }
  return timestamp === null || signatures.length === 0 ? null : { timestamp, signatures };
}

/**
 * Throws DomainError 'unauthenticated' unless the header carries a valid signature of this exact
 * body made with `secret`, within ±toleranceSeconds of `now` (both directions: a timestamp from
 * the future is as suspect as a stale one, and clocks of real senders drift both ways).
 */
export function verifySignature(
  headers: NotificationHeaders,
  rawBody: string,
  secret: string | Buffer,
  now: Date,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): void {
  const raw = headers[SIGNATURE_HEADER];
  if (typeof raw !== 'string') throw unauthenticated('missing or repeated Linli-Signature header');
  const parsed = parse(raw);
  if (!parsed) throw unauthenticated('malformed Linli-Signature header');
  const expected = Buffer.from(hmacHex(secret, parsed.timestamp, rawBody), 'hex');
  // Every candidate is compared in full, in constant time for its length (all are 32 bytes).
  let match = false;
  for (const sig of parsed.signatures) match = timingSafeEqual(sig, expected) || match;
  if (!match) throw unauthenticated('signature does not match');
  const skew = Math.abs(now.getTime() / 1000 - parsed.timestamp);
  if (skew > toleranceSeconds) throw unauthenticated('signature timestamp outside the allowed window');
}
