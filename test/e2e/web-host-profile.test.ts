// The host page's pure rules (web/src/areas/shop/live/hostTrust.ts): each trust figure paired
// with the counts it was divided from, percentages from basis points, and a label, count line and
// explanation in both languages for every figure the page shows.
import { describe, expect, it } from 'vitest';
import type { HostProfile } from '../../web/src/api/live.types';
import { formatPercent, trustFigures } from '../../web/src/areas/shop/live/hostTrust';
import { liveEn } from '../../web/src/i18n/live.en';
import { liveZh } from '../../web/src/i18n/live.zh-CN';

const trust = (over: Partial<HostProfile['trust']> = {}): HostProfile['trust'] => ({
  repeatBuyerBp: 3200,
  afterSalesBp: 200,
  onTimeDeliveryBp: null,
  counts: { buyers: 25, repeatBuyers: 8, paidOrders: 50, afterSalesOrders: 1, delivered: 0, deliveredOnTime: 0 },
  ...over,
});

describe('trustFigures', () => {
  it('pairs each rate with its own numerator and denominator, in the page’s order', () => {
    expect(trustFigures(trust())).toEqual([
      { key: 'repeatBuyers', bp: 3200, n: 8, of: 25 },
      { key: 'afterSales', bp: 200, n: 1, of: 50 },
      { key: 'onTime', bp: null, n: 0, of: 0 },
    ]);
  });

  it('does not mix up the after-sales and delivery counts', () => {
    const f = trustFigures(trust({ onTimeDeliveryBp: 9600, counts: { buyers: 3, repeatBuyers: 1, paidOrders: 60, afterSalesOrders: 4, delivered: 50, deliveredOnTime: 48 } }));
    expect(f.find((x) => x.key === 'afterSales')).toMatchObject({ n: 4, of: 60 });
    expect(f.find((x) => x.key === 'onTime')).toMatchObject({ bp: 9600, n: 48, of: 50 });
  });
});

describe('formatPercent', () => {
  it('shows whole percentages whole and others to a tenth', () => {
    expect([3200, 10_000, 0, 3333, 3250, 5, 4, 9_996].map(formatPercent)).toEqual(['32%', '100%', '0%', '33.3%', '32.5%', '0.1%', '0%', '100%']);
  });
  it('keeps “no figure yet” apart from 0 %', () => {
    expect(formatPercent(null)).toBeNull();
    expect(formatPercent(Number.NaN)).toBeNull();
  });
});

describe('host page strings', () => {
  it('has a label, a count line and an explanation for every figure in both languages', () => {
    for (const { key } of trustFigures(trust())) {
      for (const lang of [liveZh, liveEn]) {
        expect(lang.hostPage.figure[key]).toBeTruthy();
        expect(lang.hostPage.counts[key]).toMatch(/\{\{n\}\}\/\{\{of\}\}/);
        expect(lang.hostPage.how[key]).toContain('÷');
      }
    }
  });
});
