import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './testing';

// Contract checks over every route the app registers, so new modules are covered the day
// they are mounted: documented in OpenAPI, and no client mistake ever becomes a 500.
describe('HTTP app contract', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(async () => t.close());

  it('GET /health is 200 and names the database', async () => {
    const res = await t.call('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: 'pglite' });
  });

  it('serves an OpenAPI 3.1 document and a docs page', async () => {
    const spec = await t.call('GET', '/openapi.json');
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toBe('3.1.0');
    expect(Object.keys(spec.body.paths).length).toBeGreaterThan(5);
    const docs = await t.call('GET', '/docs');
    expect([200, 302]).toContain(docs.status);
    const page = await t.call('GET', '/docs/');
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('<html');
  });

  it('documents every API route in /openapi.json', async () => {
    const spec = (await t.call('GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries(spec.paths)) {
      for (const m of Object.keys(ops)) documented.add(`${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    }
    const api = t.app.routeList.filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD' && r.method !== 'OPTIONS');
    expect(api.length).toBeGreaterThan(5);
    const missing = api.map((r) => `${r.method} ${r.url}`).filter((k) => !documented.has(k));
    expect(missing).toEqual([]);
  });

  it('echoes a request id and puts it in error bodies', async () => {
    const res = await t.call('GET', '/api/me', { headers: { 'x-request-id': 'abc-123' } });
    expect(res.status).toBe(401);
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.body.error.requestId).toBe('abc-123');
  });

  it('unknown API paths are a JSON 404', async () => {
    const res = await t.call('GET', '/api/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('no write route answers a client mistake with a 500, with or without a session, and nothing is written', async () => {
    const op = await t.user(['operator', 'leader', 'store_owner', 'resident']);
    // Logout accepts any body by design (and would end the session used below); the KPI run's
    // body is all optional (an empty one means "the last full week"); recomputing trust scores
    // takes no body at all.
    const anyBody = new Set(['/api/auth/logout', '/api/admin/leader-kpis/run', '/api/admin/trust-scores/recompute']);
    const writes = t.app.routeList.filter((r) => r.url.startsWith('/api/') && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && !anyBody.has(r.url));
    const countRows = async () => {
      const tables = await t.db.query<{ tablename: string }>(
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('sessions', 'schema_migrations', 'traffic_events')`,
      );
      const counts: Record<string, number> = {};
      for (const { tablename } of tables) {
        counts[tablename] = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${tablename}"`))[0]!.n;
      }
      return counts;
    };
    const before = await countRows();
    const bodies: unknown[] = [{}, { id: 'x', name: 12, phone: [], priceFen: 1.5, lat: 'north' }, [1, 2]];
    for (const r of writes) {
      // Ids that do not exist and ids that are not ids.
      for (const idValue of ['999999', 'abc', '-1']) {
        const url = r.url.replace(/:(\w+)/g, (_, name: string) => (name === 'role' ? 'leader' : idValue));
        for (const payload of bodies) {
          for (const token of [undefined, op.token]) {
            const res = await t.call(r.method as 'POST', url, { payload, ...(token ? { token } : {}) });
            expect(res.status, `${r.method} ${url} ${JSON.stringify(payload)} token=${!!token}`).toBeLessThan(500);
            expect(res.status).toBeGreaterThanOrEqual(400);
          }
        }
      }
    }
    expect(await countRows()).toEqual(before);
  });
});
