import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MIN_ORDERS,
  DEFAULT_WEIGHTS,
  NO_FIGURES,
  PLATFORM_TYPICAL,
  regionPrior,
  tierBonusBp,
  trustInputs,
  trustScore,
  TRUST_PARTS,
  type TrustFigures,
} from './score';

const settings = { weights: { ...DEFAULT_WEIGHTS }, minOrders: DEFAULT_MIN_ORDERS };
const noHistory = regionPrior(NO_FIGURES);
const figures = (f: Partial<TrustFigures>): TrustFigures => ({ ...NO_FIGURES, ...f });
const honestly = (f: TrustFigures) => trustInputs({ counted: f, selfOrders: NO_FIGURES, refundsAfterHandover: 0 });
const scoreOf = (f: TrustFigures, s = settings) => trustScore(honestly(f), noHistory, s);

const add = (x: TrustFigures, y: TrustFigures): TrustFigures => {
  const out = { ...x };
  for (const k of Object.keys(x) as (keyof TrustFigures)[]) out[k] = x[k] + y[k];
  return out;
};

// A leader with 200 orders a month: a third of the buyers come back, few problems, good stars.
const reliable = figures({
  orders: 200,
  buyers: 120,
  repeatBuyers: 60,
  repeatBuyers7: 25,
  afterSales: 2,
  complaints: 1,
  units: 400,
  shortageUnits: 2,
  pickupsDue: 200,
  pickupsOnTime: 196,
  ratings: 50,
  ratingSum: 240,
});

describe('trust score', () => {
  it('with no orders is the prior: the region’s typical actor', () => {
    const s = scoreOf(NO_FIGURES);
    const expected = TRUST_PARTS.reduce((sum, p) => {
      const good = p === 'repeat' || p === 'on_time' || p === 'rating' ? PLATFORM_TYPICAL[p] : 1 - PLATFORM_TYPICAL[p];
      return sum + 100 * DEFAULT_WEIGHTS[p] * good;
    }, 0);
    expect(s.score).toBe(Math.round(expected));
    for (const p of TRUST_PARTS) expect(s.parts[p].rate).toBeNull();
  });

  it('rates a reliable actor high and explains every part', () => {
    const s = scoreOf(reliable);
    expect(s.score).toBe(85);
    expect(s.parts.on_time).toMatchObject({ rate: 0.98, hits: 196, n: 200, weight: 0.2, share: 0.2, highIsGood: true });
    // Beta prior worth 20 orders at the typical 90 %: a = 18, b = 2.
    expect(s.parts.on_time.prior).toEqual({ mean: 0.9, a: 18, b: 2 });
    expect(s.parts.on_time.smoothed).toBeCloseTo((196 + 18) / (200 + 20), 4);
    expect(s.parts.after_sales).toMatchObject({ rate: 0.01, n: 200, highIsGood: false });
    expect(s.parts.after_sales.good).toBeCloseTo(1 - (2 + 0.6) / 220, 4);
    // Rating: 50 ratings averaging 4.8 stars.
    expect(s.parts.rating.meanStars).toBe(4.8);
    expect(s.parts.rating.rate).toBeCloseTo(0.95, 4);
    expect(s.parts.repeat).toMatchObject({ rate: 0.5, rate7: 0.2083, hits7: 25 });
    // The contributions are the score.
    const total = TRUST_PARTS.reduce((sum, p) => sum + s.parts[p].contribution, 0);
    expect(Math.round(total)).toBe(s.score);
  });

  it('shrinks a new actor with one perfect order to the prior, not to 100', () => {
    const one = figures({ orders: 1, buyers: 1, units: 2, pickupsDue: 1, pickupsOnTime: 1, ratings: 1, ratingSum: 5 });
    const s = scoreOf(one);
    const prior = scoreOf(NO_FIGURES).score;
    expect(Math.abs(s.score - prior)).toBeLessThanOrEqual(1);
    expect(s.score).toBeLessThan(scoreOf(reliable).score);
    // Observed 100 % on time and 5 stars; smoothed, far from it.
    expect(s.parts.on_time.rate).toBe(1);
    expect(s.parts.on_time.smoothed).toBeCloseTo(19 / 21, 4);
    expect(s.parts.rating.smoothed).toBeCloseTo((1 + 0.85 * 20) / 21, 4);
    // Without the prior (min_orders 0) the same order would read as perfect on those parts.
    const raw = scoreOf(one, { ...settings, minOrders: 0 });
    expect(raw.parts.on_time.smoothed).toBe(1);
    expect(raw.parts.rating.smoothed).toBe(1);
  });

  it('rates an actor with many complaints low', () => {
    const troubled = { ...reliable, afterSales: 60, complaints: 50, shortageUnits: 40, pickupsOnTime: 150, ratingSum: 130 };
    const s = scoreOf(troubled);
    expect(s.score).toBeLessThan(scoreOf(NO_FIGURES).score - 8);
    expect(s.score).toBeLessThan(scoreOf(reliable).score - 15);
    expect(s.parts.complaints.rate).toBe(0.25);
    expect(s.parts.complaints.contribution).toBeLessThan(scoreOf(reliable).parts.complaints.contribution - 3);
  });

  describe('gaming (the bar)', () => {
    // The honest month: 40 orders from 30 buyers.
    const honest = figures({
      orders: 40,
      buyers: 30,
      repeatBuyers: 8,
      repeatBuyers7: 3,
      afterSales: 1,
      complaints: 1,
      units: 80,
      shortageUnits: 1,
      pickupsDue: 40,
      pickupsOnTime: 37,
      ratings: 10,
      ratingSum: 44,
    });
    // The leader orders 20 times at their own point, picks everything up at once and rates it 5 stars.
    const self = figures({ orders: 20, buyers: 1, repeatBuyers: 1, repeatBuyers7: 1, units: 40, pickupsDue: 20, pickupsOnTime: 20, ratings: 5, ratingSum: 25 });
    // ...and refunds 4 residents' orders after pickup instead of letting them open after-sales requests.
    const lateRefunds = 4;
    const counted = add(honest, self);

    it('pays off when read naively', () => {
      const naive = trustInputs({ counted, selfOrders: NO_FIGURES, refundsAfterHandover: 0 });
      expect(trustScore(naive, noHistory, settings).score).toBeGreaterThan(scoreOf(honest).score);
    });

    it('drops the score once the rules apply: self-orders out, refunds after pickup counted as after-sales', () => {
      const read = trustInputs({ counted, selfOrders: self, refundsAfterHandover: lateRefunds });
      expect(read.orders).toBe(honest.orders);
      expect(read.buyers).toBe(honest.buyers);
      expect(read.afterSales).toBe(honest.afterSales + lateRefunds);
      const gamed = trustScore(read, noHistory, settings);
      const naive = trustScore(trustInputs({ counted, selfOrders: NO_FIGURES, refundsAfterHandover: 0 }), noHistory, settings);
      expect(gamed.score).toBeLessThan(scoreOf(honest).score);
      expect(gamed.score).toBeLessThan(naive.score);
      expect(gamed.parts.after_sales.rate).toBe(5 / 40);
      // Self-orders alone count for nothing: the same score as without them.
      expect(trustScore(trustInputs({ counted, selfOrders: self, refundsAfterHandover: 0 }), noHistory, settings)).toEqual(scoreOf(honest));
    });
  });

  it('weights are shares of their sum; a zero weight drops the part', () => {
    const onlyOnTime = { ...settings, weights: { repeat: 0, after_sales: 0, complaints: 0, shortage: 0, on_time: 3, rating: 0 } };
    const s = scoreOf(reliable, onlyOnTime);
    expect(s.parts.on_time.share).toBe(1);
    expect(s.score).toBe(Math.round(100 * ((196 + 18) / 220)));
    expect(s.parts.repeat.contribution).toBe(0);
  });

  it('takes the prior from the region’s history, blended with the platform’s typical rate', () => {
    // A region whose actors hand over 70 % on time over 2,000 orders.
    const region = figures({ orders: 2000, buyers: 1000, pickupsDue: 2000, pickupsOnTime: 1400, units: 4000 });
    const prior = regionPrior(region);
    expect(prior.on_time.mean).toBeCloseTo((1400 + 0.9 * 200) / 2200, 6);
    expect(prior.shortage.perOrder).toBe(2);
    expect(prior.repeat.perOrder).toBe(0.5);
    // Worth min_orders orders in the part's own unit: 20 orders bring 40 units.
    const s = trustScore(honestly(figures({ orders: 1, units: 2 })), prior, settings);
    expect(s.parts.shortage.prior.a + s.parts.shortage.prior.b).toBeCloseTo(40, 6);
    // A late region pulls a newcomer's on-time part down with it.
    expect(s.parts.on_time.smoothed).toBeLessThan(scoreOf(figures({ orders: 1, units: 2 })).parts.on_time.smoothed);
  });

  it('bounds rates: two requests on one order count once', () => {
    const s = scoreOf(figures({ orders: 2, afterSales: 5, complaints: 5 }), { ...settings, minOrders: 0 });
    expect(s.parts.after_sales.rate).toBe(1);
    expect(s.score).toBeGreaterThanOrEqual(0);
  });
});

describe('leader tiers', () => {
  const tiers = [
    { minScore: 70, bonusBp: 50 },
    { minScore: 85, bonusBp: 100 },
  ];
  it('gives the bonus of the highest tier reached', () => {
    expect(tierBonusBp(tiers, 69)).toBe(0);
    expect(tierBonusBp(tiers, 70)).toBe(50);
    expect(tierBonusBp(tiers, 84)).toBe(50);
    expect(tierBonusBp(tiers, 100)).toBe(100);
    expect(tierBonusBp([...tiers].reverse(), 90)).toBe(100);
    expect(tierBonusBp(tiers, null)).toBe(0);
    expect(tierBonusBp([], 100)).toBe(0);
  });
});
