import { describe, expect, it } from 'vitest';
import { meanScores, ndcgAtK, recallAtK } from './metrics';

describe('matching metrics', () => {
  it('Recall@k divides hits by min(k, |relevant|)', () => {
    const rel = new Set([1, 2, 3]);
    expect(recallAtK([1, 9, 2, 8], rel, 4)).toBeCloseTo(2 / 3);
    // Only 2 slots: a perfect 2-list scores 1 although 3 items are relevant.
    expect(recallAtK([3, 1, 2], rel, 2)).toBe(1);
    expect(recallAtK([9, 8], rel, 2)).toBe(0);
    expect(recallAtK([1], new Set(), 10)).toBe(0);
  });

  it('NDCG@k by hand: one hit at rank 2 of 1 relevant = 1/log2(3)', () => {
    expect(ndcgAtK([9, 1, 8], new Set([1]), 3)).toBeCloseTo(1 / Math.log2(3));
    // Hits at ranks 1 and 3 of 2 relevant: (1 + 1/2) / (1 + 1/log2 3).
    expect(ndcgAtK([1, 9, 2], new Set([1, 2]), 3)).toBeCloseTo(1.5 / (1 + 1 / Math.log2(3)));
    expect(ndcgAtK([1, 2], new Set([1, 2]), 10)).toBeCloseTo(1);
  });

  it('averages over households with a relevant set', () => {
    const rel = new Map([
      [1, new Set([5])],
      [2, new Set([6, 7])],
      [3, new Set<number>()],
    ]);
    const m = meanScores(rel, (u) => (u === 1 ? [5] : [7, 0]), 2);
    expect(m.households).toBe(2);
    expect(m.recall).toBeCloseTo((1 + 0.5) / 2);
  });
});
