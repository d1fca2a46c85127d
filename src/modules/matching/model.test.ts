import { describe, expect, it } from 'vitest';
import { buildModel, DEFAULT_PARAMS, FEATURES, N_FEATURES, type Purchase } from './model';
import { candidatesFor, rankCandidates, recommend, type Candidate } from './score';

const DAY = 86_400_000;
const now = 100 * DAY;

// A hand-made history: a community of households 1..6. Household 1 buys milk (1) every week
// and bread (2) twice. Households 2..5 buy coffee (3) and, with it, filters (4). Household 6
// buys coffee only. Eggs (5) are bought once by many in another community (2).
function history(): Purchase[] {
  const out: Purchase[] = [];
  let basket = 0;
  const buy = (user: number, item: number, day: number, community = 1) => out.push({ user, item, basket: ++basket, at: day * DAY, community, category: item });
  for (let w = 0; w < 10; w++) buy(1, 1, 30 + w * 7);
  buy(1, 2, 80);
  buy(1, 2, 95);
  for (const u of [2, 3, 4, 5]) {
    buy(u, 3, 90);
    buy(u, 4, 91);
  }
  buy(6, 3, 96);
  for (let u = 10; u < 30; u++) buy(u, 5, 97, 2);
  return out;
}

describe('matching model', () => {
  const model = buildModel(history(), now, DEFAULT_PARAMS);

  it("puts a repeat buyer's own staples first, tagged 'repeat'", () => {
    const recs = recommend(model, 1, 5);
    expect(recs[0]).toMatchObject({ item: 1, reason: 'repeat' });
    expect(recs.slice(0, 2).map((r) => r.item)).toContain(2);
  });

  it("offers items bought together with the person's items ('together')", () => {
    const recs = recommend(model, 6, 5);
    expect(recs[0]).toMatchObject({ item: 3, reason: 'repeat' });
    const filters = recs.find((r) => r.item === 4);
    expect(filters?.reason).toBe('together');
  });

  it("a newcomer gets their community's favourites, else what is popular", () => {
    const inCommunity = recommend(model, 999, 3, { community: 1 });
    expect(inCommunity.length).toBe(3);
    expect(inCommunity.some((r) => r.item === 3 || r.item === 4)).toBe(true);
    const nowhere = recommend(model, 999, 1, { community: null });
    expect(nowhere[0]).toMatchObject({ item: 5, reason: 'popular' });
  });

  it('respects k and never repeats an item', () => {
    const recs = recommend(model, 1, 4);
    expect(recs.length).toBe(4);
    expect(new Set(recs.map((r) => r.item)).size).toBe(4);
    expect(recommend(model, 1, 0)).toEqual([]);
  });

  it('gives a weekly staple a higher purchase-cycle rate than a one-off', () => {
    const cands = candidatesFor(model, 1);
    const f = (item: number, name: (typeof FEATURES)[number]) => cands.find((c) => c.item === item)!.x[FEATURES.indexOf(name)]!;
    expect(f(1, 'ownRate')).toBeGreaterThan(f(2, 'ownRate'));
    expect(f(1, 'own')).toBe(1);
    expect(f(3, 'own')).toBe(0);
    expect(f(3, 'ownRate')).toBe(0);
  });
});

describe('rankCandidates', () => {
  it('keeps the same top k as a full sort (ties: the smaller item first)', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const cands: Candidate[] = Array.from({ length: 500 }, (_, i) => {
      const x = new Float64Array(N_FEATURES);
      x[1] = Math.floor(rand() * 40) / 8; // many equal scores, to exercise the tie rule
      return { item: 1000 - i, x, reason: 'popular' };
    });
    const w = Array.from({ length: N_FEATURES }, (_, j) => (j === 1 ? 1 : 0));
    const sorted = [...cands].sort((a, b) => b.x[1]! - a.x[1]! || a.item - b.item).slice(0, 25).map((c) => c.item);
    expect(rankCandidates(cands, 25, w).map((r) => r.item)).toEqual(sorted);
    expect(rankCandidates(cands, 0, w)).toEqual([]);
  });
});
