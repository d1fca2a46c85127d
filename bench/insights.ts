// `linli bench insights`: a month of history at scale, then the two figures docs/insights.md
// promises. On a fresh database: the demo city grown to the order count (bench/insights-seed.ts),
// N orders over `days` days written by the demo's own simulation (src/demo/history.ts, in
// chunks), the read models rebuilt with `InsightsService.recompute` and the trust scores once.
// Then, with the server listening and its outbox relay running in this process:
//   (a) the operator dashboards over HTTP — funnel, communities, cohorts, leaders, skus, routes —
//       with region filters (every region, the city, each district) and date ranges (the last
//       week, the last 30 days, a fortnight in the middle), one request at a time: p50 / p99;
//   (b) read-model lag: real orders placed and paid through checkout and the sandbox, one at a
//       time, each timed from its payment until the funnel's cheap read (`funnelCount`) counts it.
// Targets: dashboard p99 < 100 ms at 3M orders on PostgreSQL; lag p99 < 1 s.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourceUsage } from 'node:process';
import type { AddressInfo } from 'node:net';
import { migrate, openDatabase, redactUrl, type Database } from '../src/db';
import { simulateHistory, type HistorySummary } from '../src/demo/history';
import { paySandbox } from '../src/demo/orders';
import { buildApp } from '../src/http/app';
import { addDays, chinaDay } from '../src/modules/leaders';
import type { Role } from '../src/modules/people';
import { createServices, type Services } from '../src/services';
import { dropPostgres, freshPostgres, withDatabase } from './child';
import { seedInsightsCity, type InsightsCity } from './insights-seed';
import { saveResult } from './results';

const BENCH_DB = 'linli_bench_insights';
export const DASHBOARDS = ['funnel', 'communities', 'cohorts', 'leaders', 'skus', 'routes'] as const;

export interface InsightsBenchOptions {
  orders: number;
  days: number;
  backend: 'postgres' | 'pglite';
  databaseUrl: string;
  seed: number;
  /** Orders placed through checkout for the lag. */
  lagOrders: number;
  /** Rounds over the six dashboards (each round one request per dashboard). */
  rounds: number;
  /**
   * Keep linli_bench_insights after the run, and reuse it when it already holds a history of the
   * same size and seed (city and generation skipped): for trying dashboard queries at 3M orders
   * without ten minutes of generation each time.
   */
  keepDatabase?: boolean;
  /** With a reused database: rebuild the read models anyway (needed after a read-model migration). */
  recompute?: boolean;
  log?: (msg: string) => void;
  onGenerate?: (done: number, total: number) => void;
}

export interface InsightsBenchResult {
  orders: number;
  days: number;
  backend: 'postgres' | 'pglite';
  dashboardP50Ms: number;
  dashboardP99Ms: number;
  dashboardRequests: number;
  dashboards: Record<string, { p50Ms: number; p99Ms: number; maxMs: number }>;
  readModelLagMs: number;
  readModelLagP50Ms: number;
  lagOrders: number;
  generateSeconds: number;
  recomputeSeconds: number;
  trustSeconds: number;
  citySeconds: number;
  peakRssMb: number;
  city: InsightsCity;
  history: HistorySummary;
  readModelRows: Record<string, number>;
  /** The history (and its read models) came from a kept database: generate/recompute are 0. */
  historyReused: boolean;
}

const actor = (accountId: number, ...roles: Role[]) => ({ accountId, roles: new Set<Role>(roles) });
const round1 = (x: number) => Math.round(x * 10) / 10;

export async function runInsightsBench(o: InsightsBenchOptions): Promise<InsightsBenchResult> {
  const log = o.log ?? (() => undefined);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  let dataDir = '';
  let databaseUrl = '';
  const runKey = { orders: o.orders, days: o.days, seed: o.seed, day: chinaDay(new Date()) };
  let kept: { city: InsightsCity; history: HistorySummary } | null = null;
  if (o.backend === 'postgres') {
    databaseUrl = withDatabase(o.databaseUrl, BENCH_DB);
    if (o.keepDatabase) kept = await keptRun(databaseUrl, runKey);
    if (!kept) await freshPostgres(o.databaseUrl, BENCH_DB);
    log(`backend: PostgreSQL ${redactUrl(databaseUrl)}${kept ? ' (kept history reused)' : ''}`);
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'linli-insights-'));
    log(`backend: PGlite ${dataDir}`);
  }
  const db = await openDatabase(databaseUrl ? { databaseUrl, poolSize: 8 } : { dataDir });
  let services: Services | null = null;
  try {
    await migrate(db);
    services = await createServices(db);
    const s = services;
    let t = performance.now();
    const today = chinaDay(new Date());
    const lastDay = addDays(today, -1);
    let city: InsightsCity;
    let history: HistorySummary;
    let citySeconds = 0;
    let generateSeconds = 0;
    let recomputeSeconds = 0;
    if (kept) {
      ({ city, history } = kept);
      log(`reusing ${history.orders} orders of kept history (${city.points} points)`);
      // Statistics for whatever a new migration added (autovacuum would get there later).
      await db.exec('ANALYZE');
    } else {
    city = await seedInsightsCity(s, { orders: o.orders, seed: o.seed, passwordHash: 'bench-no-login' });
    await (s.place as unknown as { reloadGeoIndex?: () => Promise<unknown> }).reloadGeoIndex?.();
    (s.catalog as unknown as { invalidateCache?: () => unknown }).invalidateCache?.();
    citySeconds = (performance.now() - t) / 1000;
    log(`city: ${city.points} pickup points, ${city.stores} stores, ${city.residents} residents, ${city.hosts} hosts in ${citySeconds.toFixed(1)} s`);

    t = performance.now();
    history = await simulateHistory(db, {
      seed: o.seed,
      orders: o.orders,
      days: o.days,
      lastDay,
      regionIds: city.districtIds,
      chunk: 50_000,
      transaction: 'chunk',
      deferIndexes: true,
      onProgress: o.onGenerate,
    });
    // What autovacuum would have done after a month of trade: statistics for the planner.
    await db.exec('ANALYZE');
    generateSeconds = (performance.now() - t) / 1000;
    log(`history: ${history.orders} orders, ${history.traffic} traffic events in ${generateSeconds.toFixed(1)} s`);

    }
    if (!kept || o.recompute) {
      t = performance.now();
      await s.insights.recompute(db, { from: history.from, to: history.to });
      await db.exec('ANALYZE');
      recomputeSeconds = (performance.now() - t) / 1000;
    }
    if (o.keepDatabase && o.backend === 'postgres' && !kept) await keepRun(db, runKey, { city, history });
    t = performance.now();
    await s.trust.recomputeAll();
    const trustSeconds = (performance.now() - t) / 1000;
    log(`read models rebuilt in ${recomputeSeconds.toFixed(1)} s, trust scores in ${trustSeconds.toFixed(1)} s`);
    const readModelRows = await countRows(db);

    const app = await buildApp(s, { logLevel: 'warn', requestLogging: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    await s.events.start();
    try {
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const token = await operatorSession(db, city.operatorId);
      const dash = await measureDashboards(base, token, db, city, history, o.rounds, log);
      const lag = await measureLag(s, db, today, o.lagOrders, log);
      clearInterval(sampler);
      const peakRssMb = Math.round(Math.max(peak, process.memoryUsage().rss, resourceUsage().maxRSS * 1024) / 1024 / 1024);
      return {
        orders: o.orders,
        days: o.days,
        backend: o.backend,
        ...dash,
        readModelLagMs: lag.p99,
        readModelLagP50Ms: lag.p50,
        lagOrders: o.lagOrders,
        generateSeconds: round1(generateSeconds),
        recomputeSeconds: round1(recomputeSeconds),
        trustSeconds: round1(trustSeconds),
        citySeconds: round1(citySeconds),
        peakRssMb,
        city,
        history,
        readModelRows,
        historyReused: kept !== null,
      };
    } finally {
      await app.close();
      await s.events.stop();
    }
  } finally {
    clearInterval(sampler);
    await services?.checkout.close();
    await db.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (o.backend === 'postgres' && !o.keepDatabase) await dropPostgres(o.databaseUrl, BENCH_DB).catch(() => undefined);
  }
}

type RunKey = { orders: number; days: number; seed: number; day: string };

/** The city and history a kept database holds, when it was generated with these settings today. */
async function keptRun(url: string, key: RunKey): Promise<{ city: InsightsCity; history: HistorySummary } | null> {
  const db = await openDatabase({ databaseUrl: url, poolSize: 1 }).catch(() => null);
  if (!db) return null;
  try {
    const rows = await db
      .query<{ run: { key: RunKey; city: InsightsCity; history: HistorySummary } }>(`SELECT run FROM bench_insights_run LIMIT 1`)
      .catch(() => []);
    const run = rows[0]?.run;
    // Field by field: jsonb does not keep the keys' order.
    const same = run && (Object.keys(key) as Array<keyof RunKey>).every((k) => run.key[k] === key[k]);
    return run && same ? { city: run.city, history: run.history } : null;
  } finally {
    await db.close();
  }
}

async function keepRun(db: Database, key: RunKey, run: { city: InsightsCity; history: HistorySummary }): Promise<void> {
  await db.exec(`CREATE TABLE IF NOT EXISTS bench_insights_run (run jsonb NOT NULL)`);
  await db.query(`DELETE FROM bench_insights_run`);
  await db.query(`INSERT INTO bench_insights_run (run) VALUES ($1::jsonb)`, [JSON.stringify({ key, ...run })]);
}

async function operatorSession(db: Database, accountId: number): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  await db.query(`INSERT INTO sessions (token_hash, account_id, expires_at) VALUES ($1, $2, now() + interval '1 day')`, [
    createHash('sha256').update(token).digest('hex'),
    accountId,
  ]);
  return token;
}

async function countRows(db: Database): Promise<Record<string, number>> {
  const tables = ['orders', 'traffic_events', 'insights_daily', 'insights_daily_buyers', 'insights_sku_daily', 'insights_route_daily', 'insights_buyers', 'insights_actor_repeat', 'trust_scores'];
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number((await db.query<{ n: number }>(`SELECT count(*)::bigint AS n FROM ${t}`))[0]!.n);
  return out;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

async function measureDashboards(
  base: string,
  token: string,
  db: Database,
  city: InsightsCity,
  history: HistorySummary,
  rounds: number,
  log: (m: string) => void,
): Promise<Pick<InsightsBenchResult, 'dashboardP50Ms' | 'dashboardP99Ms' | 'dashboardRequests' | 'dashboards'>> {
  const [cityRow] = await db.query<{ id: number }>(`SELECT DISTINCT parent_id::int AS id FROM regions WHERE id = ANY ($1::bigint[])`, [city.districtIds]);
  const regions: Array<number | null> = [null, cityRow!.id, ...city.districtIds];
  const to = history.to;
  const ranges = [
    { from: addDays(to, -6), to },
    { from: addDays(to, -29), to },
    { from: addDays(to, -20), to: addDays(to, -7) },
  ];
  const filters = regions.flatMap((regionId) => ranges.map((r) => ({ regionId, ...r })));
  const url = (name: string, f: (typeof filters)[number]) =>
    `${base}/api/insights/${name}?from=${f.from}&to=${f.to}${f.regionId === null ? '' : `&regionId=${f.regionId}`}`;
  const get = async (u: string): Promise<number> => {
    const t0 = performance.now();
    const res = await fetch(u, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`GET ${u} → ${res.status}: ${body.slice(0, 300)}`);
    return ms;
  };
  // Warm-up: every dashboard with every filter once (plans cached, pages in memory).
  for (const name of DASHBOARDS) for (const f of filters) await get(url(name, f));
  const per = new Map<string, number[]>(DASHBOARDS.map((n) => [n, []]));
  const all: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const [i, name] of DASHBOARDS.entries()) {
      const ms = await get(url(name, filters[(r * 7 + i) % filters.length]!));
      per.get(name)!.push(ms);
      all.push(ms);
    }
  }
  all.sort((a, b) => a - b);
  const dashboards: InsightsBenchResult['dashboards'] = {};
  for (const [name, list] of per) {
    list.sort((a, b) => a - b);
    dashboards[name] = { p50Ms: round1(percentile(list, 0.5)), p99Ms: round1(percentile(list, 0.99)), maxMs: round1(list[list.length - 1] ?? 0) };
  }
  log(`dashboards: ${all.length} requests, p50 ${percentile(all, 0.5).toFixed(1)} ms, p99 ${percentile(all, 0.99).toFixed(1)} ms`);
  log(`  ${Object.entries(dashboards).map(([k, v]) => `${k} ${v.p50Ms}/${v.p99Ms}`).join(' · ')} (p50/p99 ms)`);
  return { dashboardP50Ms: round1(percentile(all, 0.5)), dashboardP99Ms: round1(percentile(all, 0.99)), dashboardRequests: all.length, dashboards };
}

/**
 * Store orders (collected at the counter) by different residents of the store's district, one
 * at a time: paid through the sandbox, then the district's funnel for today polled until it
 * counts one more order.
 */
async function measureLag(s: Services, db: Database, today: string, n: number, log: (m: string) => void): Promise<{ p50: number; p99: number }> {
  const [store] = await db.query<{ id: number; region: number }>(
    `SELECT s.id::int AS id, s.region_id::int AS region FROM stores s JOIN stock_locations l ON l.store_id = s.id
       JOIN stock_levels v ON v.location_id = l.id
      WHERE s.status = 'active' GROUP BY s.id HAVING count(*) FILTER (WHERE v.on_hand - v.reserved >= $1) >= 3 ORDER BY s.id LIMIT 1`,
    [n],
  );
  if (!store) throw new Error('bench insights: no store with stock for the lag orders');
  const skus = (
    await db.query<{ sku: number }>(
      `SELECT v.sku_id::int AS sku FROM stock_levels v JOIN stock_locations l ON l.id = v.location_id
         JOIN region_skus rs ON rs.sku_id = v.sku_id AND rs.region_id = $2 AND rs.active AND rs.daily_limit_per_person IS NULL
        WHERE l.store_id = $1 AND v.on_hand - v.reserved >= $3 ORDER BY v.sku_id LIMIT 3`,
      [store.id, store.region, n],
    )
  ).map((r) => r.sku);
  const buyers = (
    await db.query<{ id: number }>(
      `SELECT h.account_id::int AS id FROM resident_homes h JOIN communities c ON c.id = h.community_id
        WHERE c.region_id = $1 AND h.account_id NOT IN (SELECT account_id FROM account_roles WHERE role <> 'resident')
        ORDER BY h.account_id DESC LIMIT $2`,
      [store.region, n],
    )
  ).map((r) => r.id);
  const lags: number[] = [];
  // Keys of their own each run: a kept database still holds the last run's.
  const run = randomBytes(4).toString('hex');
  for (let i = 0; i < n; i++) {
    const before = (await s.insights.funnelCount(db, { regionId: store.region, day: today })).orders;
    const placed = await s.checkout.placeOrder(
      actor(buyers[i % buyers.length]!, 'resident'),
      { channel: 'store_online', storeId: store.id, fulfilment: 'pickup', lines: [{ skuId: skus[i % skus.length]!, quantity: 1 }] },
      `bench-insights-lag-${run}-${i}`,
    );
    await paySandbox(s, placed.body.payment!);
    const t0 = performance.now();
    for (;;) {
      if ((await s.insights.funnelCount(db, { regionId: store.region, day: today })).orders > before) break;
      if (performance.now() - t0 > 10_000) throw new Error(`bench insights: order ${placed.body.order.id} did not reach the read model within 10 s`);
      await new Promise((r) => setTimeout(r, 2));
    }
    lags.push(performance.now() - t0);
  }
  lags.sort((a, b) => a - b);
  const out = { p50: round1(percentile(lags, 0.5)), p99: round1(percentile(lags, 0.99)) };
  log(`read-model lag over ${n} orders: p50 ${out.p50} ms, p99 ${out.p99} ms`);
  return out;
}

export function saveInsightsResult(r: InsightsBenchResult): string {
  return saveResult(`insights-${r.backend}-${r.orders}`, r);
}

export function formatInsights(r: InsightsBenchResult): string {
  const per = Object.entries(r.dashboards)
    .map(([k, v]) => `${k} ${v.p50Ms}/${v.p99Ms}`)
    .join(' · ');
  return [
    `insights on ${r.backend}: ${r.orders} orders over ${r.days} days (${r.city.points} points, ${r.city.stores} stores, ${r.city.residents} residents)`,
    `  generate ${r.generateSeconds} s · recompute ${r.recomputeSeconds} s · trust ${r.trustSeconds} s · peak RSS ${r.peakRssMb} MB`,
    `  dashboards p50 ${r.dashboardP50Ms} ms, p99 ${r.dashboardP99Ms} ms over ${r.dashboardRequests} requests (p50/p99 ms: ${per})`,
    `  read-model lag p50 ${r.readModelLagP50Ms} ms, p99 ${r.readModelLagMs} ms over ${r.lagOrders} orders`,
  ].join('\n');
}
