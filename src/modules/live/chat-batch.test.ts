import { describe, expect, it } from 'vitest';
import { ChatBatch } from './chat-batch';

const row = (id: number, sessionId = 1) => ({ id, sessionId, accountId: 9, body: 'hi', createdAt: new Date(0) });

describe('chat waiting to be stored', () => {
  it('hands out reserved ids, fetching a block at a time', async () => {
    let calls = 0;
    let next = 100;
    const batch = new ChatBatch(async (n) => {
      calls += 1;
      return Array.from({ length: n }, () => next++);
    });
    const ids = [];
    for (let i = 0; i < 300; i++) ids.push(await batch.nextId());
    expect(new Set(ids).size).toBe(300);
    expect(ids[0]).toBe(100);
    // 200 per block, refilled ahead of running out: two or three round trips, not 300.
    expect(calls).toBeLessThanOrEqual(3);
  });

  it('drains for a flush and takes failed rows back a few times only', () => {
    const batch = new ChatBatch(async () => []);
    batch.add(row(1));
    batch.add(row(2, 2));
    expect(batch.waiting(2)).toBe(true);
    expect(batch.waitingIn(2)).toBe(true);
    let taken = batch.drain();
    expect(batch.size).toBe(0);
    batch.add(row(3));
    batch.restore(taken);
    expect(batch.drain().map((r) => r.id)).toEqual([1, 2, 3]);
    // Two more failures and row 1 is given up (three attempts in all).
    batch.add(row(1));
    taken = batch.drain();
    batch.restore(taken);
    taken = batch.drain();
    batch.restore(taken);
    taken = batch.drain();
    batch.restore(taken);
    expect(batch.size).toBe(0);
  });
});
