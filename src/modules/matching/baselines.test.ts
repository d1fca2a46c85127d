import { describe, expect, it } from 'vitest';
import { ownHistoryBaseline, popularityBaseline, popularityRanking } from './baselines';
import type { Purchase } from './model';

const p = (user: number, item: number, basket: number, day = 1): Purchase => ({ user, item, basket, at: day * 86_400_000 });

describe('matching baselines', () => {
  // Item 10: 3 households; item 20: 2 households but many lines; item 30: 1 household.
  const train = [p(1, 10, 1), p(2, 10, 2), p(3, 10, 3), p(1, 20, 4), p(1, 20, 5), p(1, 20, 6), p(2, 20, 7), p(3, 30, 8), p(3, 30, 9)];

  it('global popularity counts distinct households, ties by lines then id', () => {
    expect(popularityRanking(train)).toEqual([10, 20, 30]);
    expect(popularityBaseline(train, 2)(99)).toEqual([10, 20]);
  });

  it("own history: the household's most-bought first, then popularity; strangers get popularity", () => {
    const own = ownHistoryBaseline(train, 3);
    expect(own(3)).toEqual([30, 10, 20]);
    expect(own(1)).toEqual([20, 10, 30]);
    expect(own(42)).toEqual([10, 20, 30]);
  });
});
