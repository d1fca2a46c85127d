import { describe, expect, it } from 'vitest';
import { normaliseCode, parsePickupQr, PickupCodes } from './pickup-code';

describe('pickup codes', () => {
  const codes = new PickupCodes('a-test-secret-of-16+');

  it('are 8 digits, stable per order, different across orders and secrets', () => {
    const seen = new Set<string>();
    for (let id = 1; id <= 2000; id++) {
      const c = codes.codeOf(id);
      expect(c).toMatch(/^\d{8}$/);
      expect(codes.codeOf(id)).toBe(c);
      seen.add(c);
    }
    // 2000 draws from 10^8: a collision would be a 2% event; none here means no obvious bias.
    expect(seen.size).toBe(2000);
    expect(new PickupCodes('another-secret-16chars').codeOf(1)).not.toBe(codes.codeOf(1));
    expect(() => new PickupCodes('short')).toThrow(/16 characters/);
  });

  it('match only their own order; the QR carries the order and its code', () => {
    const c = codes.codeOf(42);
    expect(codes.matches(42, c)).toBe(true);
    expect(codes.matches(43, c)).toBe(false);
    expect(codes.matches(42, c.slice(0, 7))).toBe(false);
    expect(parsePickupQr(codes.qrOf(42))).toEqual({ orderId: 42, code: c });
    expect(parsePickupQr(`linli:pickup:42:${c}x`)).toBeNull();
    expect(parsePickupQr('https://example.com')).toBeNull();
    expect(normaliseCode('1234 5678')).toBe('12345678');
    expect(normaliseCode('1234-567')).toBeNull();
  });
});
