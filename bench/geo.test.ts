import { describe, expect, it } from 'vitest';
import { formatGeoBench, runGeoBench } from './geo';

describe('bench geo', () => {
  it('runs small and reports every figure', () => {
    const r = runGeoBench({ points: 3000, queries: 300, deltaPoints: 100 });
    expect(r).toMatchObject({ name: 'geo', points: 3000, queries: 300, limit: 20 });
    for (const k of ['buildMs', 'meanUs', 'p50Us', 'p99Us', 'maxUs', 'deltaQueryP99Us', 'rebuildMs'] as const) {
      expect(r[k], k).toBeGreaterThanOrEqual(0);
    }
    expect(r.p50Us).toBeLessThanOrEqual(r.p99Us);
    expect(r.p99Us).toBeLessThanOrEqual(r.maxUs);
    expect(r.deltaPoints).toBeGreaterThan(90);
    expect(r.meanHits).toBeGreaterThan(0);
    expect(formatGeoBench(r)).toContain('3000 points');
  });
});
