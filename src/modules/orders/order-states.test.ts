import { describe, expect, it } from 'vitest';
import { DomainError } from '../../kernel';
import { ORDER_EVENTS, ORDER_MACHINE, ORDER_STATUSES, TERMINAL_STATUSES, eventsFrom, transition, type GuardContext, type OrderStatus } from './order-states';

const now = new Date('2026-11-26T10:00:00Z');
const ctx = (status: OrderStatus, over: Partial<GuardContext> = {}): GuardContext => ({
  status,
  totalFen: 1000,
  paidFen: status === 'pending_payment' || status === 'cancelled' || status === 'expired' ? 0 : 1000,
  refundedFen: status === 'refunded' ? 1000 : 0,
  expiresAt: status === 'expired' ? new Date(now.getTime() - 1) : new Date(now.getTime() + 60_000),
  now,
  ...over,
});

describe('order state machine', () => {
  // Every (status, event) pair the table does not list must be refused, naming both.
  const illegal = ORDER_STATUSES.flatMap((s) => ORDER_EVENTS.filter((e) => !ORDER_MACHINE[e].from.includes(s)).map((e) => [s, e] as const));
  it.each(illegal)('refuses %s --%s-->', (status, event) => {
    try {
      transition(event, ctx(status));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).kind).toBe('conflict');
      expect((e as DomainError).details).toEqual({ event, status });
    }
  });

  it('has illegal moves out of every terminal status, and none allowed', () => {
    for (const s of TERMINAL_STATUSES) expect(eventsFrom(s)).toEqual([]);
    expect(illegal.length).toBeGreaterThan(30);
  });

  it('allows the happy path pending → paid → fulfilling → ready → completed → refunded', () => {
    expect(transition('pay', ctx('pending_payment'))).toBe('paid');
    expect(transition('fulfil', ctx('paid'))).toBe('fulfilling');
    expect(transition('mark_ready', ctx('fulfilling'))).toBe('ready');
    expect(transition('complete', ctx('ready'))).toBe('completed');
    expect(transition('refund_full', ctx('completed', { refundedFen: 1000 }))).toBe('refunded');
  });

  it('reopens a completed order to ready (a pickup undone), never a refunded one', () => {
    expect(transition('reopen', ctx('completed'))).toBe('ready');
    expect(eventsFrom('completed')).toEqual(['reopen', 'refund_full']);
    expect(() => transition('reopen', ctx('ready'))).toThrow(/cannot reopen/);
    expect(() => transition('reopen', ctx('completed', { refundedFen: 1000 }))).toThrow(/refunded in full/);
  });

  it('guards: no payment after the deadline, no expiry before it, no full-refund state before every fen is back', () => {
    expect(() => transition('pay', ctx('pending_payment', { expiresAt: new Date(now.getTime() - 1) }))).toThrow(/expired/);
    expect(() => transition('expire', ctx('pending_payment'))).toThrow(/deadline/);
    expect(transition('expire', ctx('pending_payment', { expiresAt: now }))).toBe('expired');
    expect(() => transition('refund_full', ctx('paid', { refundedFen: 999 }))).toThrow(/not every fen/);
    expect(() => transition('complete', ctx('paid', { refundedFen: 1000 }))).toThrow(/refunded in full/);
  });
});
