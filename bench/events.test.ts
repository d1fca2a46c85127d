import { describe, expect, it } from 'vitest';
import { openTestDatabase } from '../src/db/testing';
import { formatEvents, runEventsBench } from './events';

describe('bench events', () => {
  it('runs small in process on PGlite and reports every figure', async () => {
    // A cloned test database: creating and migrating a new PGlite takes seconds.
    const db = await openTestDatabase('pglite');
    const r = await runEventsBench({ events: 200, batch: 20, producers: 2, idleSamples: 5, db }).finally(() => db.dispose());
    expect(r).toMatchObject({ name: 'events', backend: 'pglite', transport: 'in-process', events: 200, idleSamples: 5 });
    for (const k of ['eventsPerSec', 'lagP50Ms', 'lagP99Ms', 'loadLagP50Ms', 'loadLagP99Ms'] as const) {
      expect(r[k], k).toBeGreaterThan(0);
    }
    expect(r.lagP50Ms).toBeLessThanOrEqual(r.lagP99Ms);
    expect(formatEvents(r)).toContain('events/s');
  });
});
