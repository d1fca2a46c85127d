import { describe, expect, it } from 'vitest';
import { CHAT_RULES, ChatRateLimiter, checkChatBody } from './chat-limits';

describe('chat body', () => {
  it('trims, refuses empty and non-strings, and counts characters as code points', () => {
    expect(checkChatBody('  你好  ')).toEqual({ ok: true, body: '你好' });
    expect(checkChatBody('   ').ok).toBe(false);
    expect(checkChatBody(42).ok).toBe(false);
    expect(checkChatBody('好'.repeat(200)).ok).toBe(true);
    expect(checkChatBody('好'.repeat(201))).toMatchObject({ ok: false, message: expect.stringMatching(/200/) });
    // 200 emoji are 400 UTF-16 units but 200 characters to the reader and the database.
    expect(checkChatBody('😀'.repeat(200)).ok).toBe(true);
    expect(checkChatBody('😀'.repeat(201)).ok).toBe(false);
  });
});

describe('chat rate limit (1 per 2 s, 10 per minute)', () => {
  it('refuses a second message within 2 s and says how long to wait', () => {
    const l = new ChatRateLimiter();
    expect(l.take('1:7', 10_000)).toEqual({ ok: true });
    expect(l.take('1:7', 11_500)).toEqual({ ok: false, retryAfterMs: 500 });
    // A refused attempt does not move the window: still 2 s after the accepted one.
    expect(l.take('1:7', 11_999)).toEqual({ ok: false, retryAfterMs: 1 });
    expect(l.take('1:7', 12_000)).toEqual({ ok: true });
    // Other accounts and other sessions have their own budget.
    expect(l.take('1:8', 12_000)).toEqual({ ok: true });
    expect(l.take('2:7', 12_000)).toEqual({ ok: true });
  });

  it('allows 10 in a minute, then waits for the oldest to leave the window', () => {
    const l = new ChatRateLimiter();
    const t0 = 1_000_000;
    for (let i = 0; i < CHAT_RULES.perWindow; i++) expect(l.take('k', t0 + i * 2_000).ok).toBe(true);
    // The 11th at t0+20 s: the first was at t0, so it may go at t0+60 s.
    expect(l.take('k', t0 + 20_000)).toEqual({ ok: false, retryAfterMs: 40_000 });
    expect(l.take('k', t0 + 59_999)).toEqual({ ok: false, retryAfterMs: 1 });
    expect(l.take('k', t0 + 60_000)).toEqual({ ok: true });
    // Now the window holds t0+2 s … t0+60 s: the next may go when t0+2 s leaves it.
    expect(l.take('k', t0 + 62_000 - 1)).toEqual({ ok: false, retryAfterMs: 1 });
    expect(l.take('k', t0 + 62_000)).toEqual({ ok: true });
  });

  it('sweeps keys that have nothing left in the window', () => {
    const l = new ChatRateLimiter();
    l.take('old', 0);
    l.take('new', 59_000);
    l.sweep(60_000);
    expect(l.size).toBe(1);
    // A swept key starts afresh.
    expect(l.take('old', 60_001)).toEqual({ ok: true });
  });
});
