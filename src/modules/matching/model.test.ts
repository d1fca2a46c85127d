import { describe, expect, it } from 'vitest';
import { buildModel, DEFAULT_PARAMS, FEATURES, N_FEATURES, type Purchase } from './model';
import { candidatesFor, rankCandidates, recommend, type Candidate } from './score';

const DAY = 86_400_000;
const now = 100 * DAY;

// A hand-made history: a community of households 1..6. Household 1 buys milk (1) every week
// and bread (2) twice. Households 2..5 buy coffee (3) and, with it, filters (4). Household 6
// buys coffee only, three times. Eggs (5) are bought once by many in another community (2),
// each of whom also shops ten times for things only they buy.
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
  for (const day of [80, 88, 96]) buy(6, 3, day);
  for (let u = 10; u < 30; u++) {
    buy(u, 5, 40 + (u - 10) * 3, 2);
    for (let i = 0; i < 10; i++) buy(u, 1000 + u, 50 + i * 4, 2);
  }
  return out;
}

describe('matching model', () => {
  // Few households: measure the shapes anyway, as a large history would.
  const model = buildModel(history(), now, { ...DEFAULT_PARAMS, minHouseholdsForShapes: 1 });

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

describe('the Gamma–Poisson rate', () => {
  it("with a handful of households, lets each one's own items lead", () => {
    const few: Purchase[] = [
      { user: 1, item: 10, basket: 1, at: DAY },
      { user: 1, item: 10, basket: 2, at: 2 * DAY },
      { user: 2, item: 11, basket: 3, at: 3 * DAY },
    ];
    const m = buildModel(few, 10 * DAY);
    expect(recommend(m, 2, 2)[0]).toMatchObject({ item: 11, reason: 'repeat' });
    expect(recommend(m, 1, 2)[0]).toMatchObject({ item: 10, reason: 'repeat' });
  });

  // Item 1: one household buys it in ten baskets. Item 2: ten households buy it once each.
  // The same number of baskets, so the same mean rate; but item 1's buyers are one devotee.
  const out: Purchase[] = [];
  let basket = 0;
  for (let i = 0; i < 10; i++) out.push({ user: 1, item: 1, basket: ++basket, at: (10 + i) * DAY });
  for (let u = 2; u < 12; u++) out.push({ user: u, item: 2, basket: ++basket, at: (10 + u) * DAY });
  for (let u = 20; u < 30; u++) for (let i = 0; i < 3; i++) out.push({ user: u, item: 100 + u, basket: ++basket, at: (20 + i) * DAY });
  const model = buildModel(out, 60 * DAY, { ...DEFAULT_PARAMS, rateTrendPower: 0, minHouseholdsForShapes: 1 });
  const rate = (user: number, item: number) => candidatesFor(model, user).find((c) => c.item === item)!.x[FEATURES.indexOf('rate')]!;

  it('sees the devotee: a low shape for the item bought by one, a high one for the item bought by many', () => {
    expect(model.items.get(1)!.rateMean).toBeCloseTo(model.items.get(2)!.rateMean, 12);
    expect(model.items.get(1)!.rateShape).toBeLessThan(model.items.get(2)!.rateShape);
  });

  it('offers someone who bought neither the widely bought item first, and the devotee their own', () => {
    expect(rate(20, 2)).toBeGreaterThan(rate(20, 1));
    expect(rate(1, 1)).toBeGreaterThan(rate(1, 2));
  });
});
