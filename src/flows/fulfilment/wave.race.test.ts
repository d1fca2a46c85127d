// Two processes' jobs (or an operator and the job) start the same region's wave at once: the
// per-region advisory lock makes one build it and the other find it, on PostgreSQL where the
// two really overlap; on PGlite they run one after the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { ManualClock } from '../../kernel';
import { createServices, type Services } from '../../services';
import { makeWaveWorld, type WaveWorld } from './wave-testing';

const NOW = '2026-04-01T21:00:00+08:00';
const DAY = '2026-04-02';

describe.each(testBackends())('two waves of one region at once on %s', (backend) => {
  let db: TestDatabase;
  let s: Services;
  let w: WaveWorld;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    s = await createServices(db, { clock: new ManualClock(NOW) });
    w = await makeWaveWorld(db, { now: new Date(NOW), day: DAY });
  });
  afterAll(async () => db?.dispose());

  it('one builds it, the others find it, nothing is written twice', async () => {
    const op = { accountId: w.operatorId, roles: new Set(['operator'] as const) };
    const runs = await Promise.all([s.wave.run(op, { regionId: w.regionId, pickupDate: DAY }), s.wave.run(null, { regionId: w.regionId, pickupDate: DAY }), s.wave.runDue()]);
    const [a, b, due] = runs;
    expect([a.created, b.created, ...due.map((r) => r.created)].filter(Boolean)).toHaveLength(1);
    expect(b.wave.id).toBe(a.wave.id);
    const n = async (table: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;
    expect(await n('waves')).toBe(1);
    expect(await n('purchase_orders')).toBe(3);
    expect(await n('sort_lists')).toBe(5);
    expect(await n('sort_lists, unnest(sku_ids)')).toBe(8);
    expect(await n('route_stops')).toBe(5);
  });
});
