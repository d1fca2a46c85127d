import { describe, expect, it } from 'vitest';
import { DomainError, ManualClock } from '../../kernel';
import { createSandbox } from './sandbox-provider';
import { hmacHex, SIGNATURE_HEADER, signatureHeader, verifySignature } from './sandbox-signature';

const SECRET = 'test-secret-0123456789';
const NOW = new Date('2026-03-01T10:00:00Z');
const T = Math.floor(NOW.getTime() / 1000);
const BODY = JSON.stringify({ eventId: 'e1', kind: 'payment.succeeded', paymentId: 7, amountFen: 1250, occurredAt: NOW.toISOString() });

function kindOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (e instanceof DomainError) return e.kind;
    throw e;
  }
}
const verify = (header: string | string[] | undefined, body = BODY, now = NOW, secret = SECRET) =>
  kindOf(() => verifySignature({ [SIGNATURE_HEADER]: header }, body, secret, now));

describe('sandbox callback signature', () => {
  it('accepts a valid signature, in the header format t=…,v1=…', () => {
    const h = signatureHeader(SECRET, BODY, NOW);
    expect(h).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verify(h)).toBeNull();
    // Any order of parts, a rotated second signature, spaces after commas.
    expect(verify(`v1=${'0'.repeat(64)}, t=${T}, v1=${hmacHex(SECRET, T, BODY)}`)).toBeNull();
  });

  it('refuses a forged signature', () => {
    expect(verify(`t=${T},v1=${'ab'.repeat(32)}`)).toBe('unauthenticated');
  });

  it('refuses a signature made with another secret', () => {
    expect(verify(signatureHeader('another-secret-000000', BODY, NOW))).toBe('unauthenticated');
  });

  it('refuses a tampered body, even by one character', () => {
    const h = signatureHeader(SECRET, BODY, NOW);
    expect(verify(h, BODY.replace('1250', '1251'))).toBe('unauthenticated');
    expect(verify(h, `${BODY} `)).toBe('unauthenticated');
  });

  it('refuses a stale timestamp and a future one, and accepts the window edges', () => {
    const at = (sec: number) => signatureHeader(SECRET, BODY, new Date(NOW.getTime() + sec * 1000));
    expect(verify(at(-301))).toBe('unauthenticated');
    expect(verify(at(301))).toBe('unauthenticated');
    expect(verify(at(-300))).toBeNull();
    expect(verify(at(300))).toBeNull();
    // A fresh timestamp glued onto an old signature does not verify: t is inside the MAC.
    const old = signatureHeader(SECRET, BODY, new Date(NOW.getTime() - 3600_000));
    expect(verify(old.replace(/t=\d+/, `t=${T}`))).toBe('unauthenticated');
  });

  it('refuses malformed, missing or repeated headers', () => {
    const good = signatureHeader(SECRET, BODY, NOW);
    for (const h of [
      undefined,
      '',
      'garbage',
      `t=${T}`,
      `v1=${hmacHex(SECRET, T, BODY)}`,
      `t=${T},v1=${hmacHex(SECRET, T, BODY).slice(2)}`,
      `t=${T},v1=${hmacHex(SECRET, T, BODY).toUpperCase()}`,
      `t=${T},t=${T},v1=${hmacHex(SECRET, T, BODY)}`,
      `t=-${T},v1=${hmacHex(SECRET, T, BODY)}`,
      `t=${T}.5,v1=${hmacHex(SECRET, T, BODY)}`,
      `t=${T},v0=${hmacHex(SECRET, T, BODY)}`,
      `${good},x=1`,
      [good, good],
      `t=${T},${'v1=' + '0'.repeat(64) + ','.repeat(1)}`.repeat(30),
    ]) {
      expect(verify(h), JSON.stringify(h)).toBe('unauthenticated');
    }
  });

  it('honours a configured window', () => {
    const clock = new ManualClock(NOW);
    const { provider, gateway } = createSandbox({ clock, secret: SECRET, toleranceSeconds: 30 });
    const { headers, rawBody } = gateway.signed(JSON.parse(BODY), new Date(NOW.getTime() - 31_000));
    expect(kindOf(() => provider.verifyNotification(headers, rawBody, NOW))).toBe('unauthenticated');
    expect(kindOf(() => provider.verifyNotification(headers, rawBody, new Date(NOW.getTime() - 2_000)))).toBeNull();
  });

  it('translates a valid notification, and calls a well-signed but malformed one bad input', () => {
    const clock = new ManualClock(NOW);
    const { provider, gateway } = createSandbox({ clock, secret: SECRET });
    const ok = gateway.signed(JSON.parse(BODY));
    expect(provider.verifyNotification(ok.headers, ok.rawBody, NOW)).toMatchObject({
      eventId: 'e1',
      kind: 'payment.succeeded',
      paymentId: 7,
      amountFen: 1250,
      providerRef: null,
    });
    const sign = (raw: string) => ({ [SIGNATURE_HEADER]: signatureHeader(SECRET, raw, NOW) });
    for (const raw of [
      'not json',
      '[]',
      JSON.stringify({ ...JSON.parse(BODY), amountFen: 12.5 }),
      JSON.stringify({ ...JSON.parse(BODY), kind: 'payment.maybe' }),
      JSON.stringify({ ...JSON.parse(BODY), eventId: '' }),
      JSON.stringify({ ...JSON.parse(BODY), extra: 1 }),
      JSON.stringify({ ...JSON.parse(BODY), kind: 'refund.succeeded' }),
    ]) {
      expect(kindOf(() => provider.verifyNotification(sign(raw), raw, NOW)), raw).toBe('bad_input');
    }
  });
});
