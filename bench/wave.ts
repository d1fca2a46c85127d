// `linli bench wave`: the cutoff wave over N paid orders in a city of 10,000 pickup points and
// 50 grid warehouses (bench/wave-seed.ts), on a fresh database. Only the wave is timed; it
// runs in a child process (bench/wave-child.ts) whose peak RSS is reported.
// Target on PostgreSQL: 1M orders in ≤ 10 s, peak RSS ≤ 1 GB, cost linear in N.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate, openDatabase, redactUrl } from '../src/db';
import type { WaveSummary } from '../src/modules/fulfilment';
import { dropPostgres, freshPostgres, waitFor } from './child';
import { saveResult } from './results';
import { seedWaveCity } from './wave-seed';

const CHILD = fileURLToPath(new URL('./wave-child.ts', import.meta.url));
/** Its own database name, so a wave run never drops another benchmark's database. */
const BENCH_DB = 'linli_bench_wave';

export type WaveBackend = 'postgres' | 'pglite';

export interface WaveBenchOptions {
  orders: number;
  backend: WaveBackend;
  databaseUrl: string;
  log?: (msg: string) => void;
  onSeedProgress?: (done: number, total: number) => void;
}

export interface WaveBenchResult {
  orders: number;
  pickupPoints: number;
  gridWarehouses: number;
  seconds: number;
  peakRssMb: number;
  ordersPerSec: number;
  purchaseOrders: number;
  sortLines: number;
  routes: number;
  /** One manifest per route. */
  manifests: number;
  backend: WaveBackend;
  seedSeconds: number;
  timings: WaveSummary['timings'];
  routePlanner: string;
  items: number;
}

export async function runWaveBench(opts: WaveBenchOptions): Promise<WaveBenchResult> {
  const log = opts.log ?? (() => undefined);
  let databaseUrl = '';
  let dataDir = '';
  if (opts.backend === 'postgres') {
    databaseUrl = await freshPostgres(opts.databaseUrl, BENCH_DB);
    log(`backend: PostgreSQL ${redactUrl(databaseUrl)}`);
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'linli-wave-'));
    log(`backend: PGlite ${dataDir}`);
  }
  try {
    const t0 = performance.now();
    const db = await openDatabase(databaseUrl ? { databaseUrl, poolSize: 2 } : { dataDir });
    let seed;
    try {
      await migrate(db);
      seed = await seedWaveCity(db, { orders: opts.orders, onProgress: opts.onSeedProgress });
    } finally {
      await db.close();
    }
    const seedSeconds = (performance.now() - t0) / 1000;
    log(`seeded ${opts.orders} orders in ${seedSeconds.toFixed(1)} s; running the wave…`);

    const child = fork(CHILD, [databaseUrl, dataDir, String(seed.regionId), seed.pickupDate], {
      execArgv: ['--import', import.meta.resolve('tsx')],
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const done = await waitFor<{ seconds: number; peakRssMb: number; wave: WaveSummary; shape: { grids: number; points: number } }>(child, 'done', 600_000);
    if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    const w = done.wave;
    return {
      orders: w.orders,
      pickupPoints: done.shape.points,
      gridWarehouses: done.shape.grids,
      seconds: Math.round(done.seconds * 1000) / 1000,
      peakRssMb: done.peakRssMb,
      ordersPerSec: Math.round(w.orders / done.seconds),
      purchaseOrders: w.purchaseOrders,
      sortLines: w.sortLines,
      routes: w.routes,
      manifests: w.routes,
      backend: opts.backend,
      seedSeconds: Math.round(seedSeconds * 10) / 10,
      timings: w.timings,
      routePlanner: w.routePlanner,
      items: w.items,
    };
  } finally {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (opts.backend === 'postgres') await dropPostgres(opts.databaseUrl, BENCH_DB).catch(() => undefined);
  }
}

export function saveWaveResult(r: WaveBenchResult): string {
  return saveResult(`wave-${r.backend}-${r.orders}`, r);
}

export function formatWave(r: WaveBenchResult): string {
  const t = r.timings;
  return [
    `wave on ${r.backend}: ${r.orders} orders, ${r.items} items, ${r.pickupPoints} pickup points, ${r.gridWarehouses} grid warehouses`,
    `  ${r.seconds} s (${r.ordersPerSec} orders/s), peak RSS ${r.peakRssMb} MB; seeding took ${r.seedSeconds} s`,
    `  freeze ${t.freezeMs} ms · sort ${t.sortMs} ms · purchase ${t.purchaseMs} ms · routes ${t.routeMs} ms (${r.routePlanner}) · total ${t.totalMs} ms`,
    `  ${r.purchaseOrders} purchase orders, ${r.sortLines} sorting lines, ${r.routes} routes / manifests`,
  ].join('\n');
}
