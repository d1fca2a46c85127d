// `linli bench browse`: the resident's product list (GET /api/communities/:id/products?limit=20)
// under load. A first child process migrates and seeds a fresh database; a second one runs the
// real server on it (bench/browse-server.ts) while autocannon runs here, so on a 2-core
// machine each has a core. Target: ≥ 5,000 req/s and
// p99 < 50 ms at 100 connections, on PGlite and on PostgreSQL.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { redactUrl } from '../src/db';
import type { SeededCatalog } from './browse-seed';
import { dropPostgres, freshPostgres, stopChild, waitFor } from './child';
import { saveResult } from './results';

const SERVER = fileURLToPath(new URL('./browse-server.ts', import.meta.url));

export interface BrowseOptions {
  durationS: number;
  connections: number;
  warmupS: number;
  /** PostgreSQL server to use (a database named linli_bench is dropped and re-created there). */
  databaseUrl?: string | undefined;
  log?: (msg: string) => void;
}

export interface BrowseResult {
  name: 'browse';
  backend: 'pglite' | 'postgres';
  path: string;
  connections: number;
  durationS: number;
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  responseBytes: number;
  /** Server resident memory once started on the seeded database, and after the measured run. */
  serverRssMbIdle: number;
  serverRssMb: number;
  requestLogging: false;
  catalog: { products: number; skus: number; skusInRegion: number };
  node: string;
  cpus: number;
}

export async function runBrowseBench(opts: BrowseOptions): Promise<BrowseResult> {
  const log = opts.log ?? (() => undefined);
  const backend = opts.databaseUrl ? 'postgres' : 'pglite';
  const dataDir = backend === 'pglite' ? mkdtempSync(join(tmpdir(), 'linli-browse-')) : null;
  const databaseUrl = opts.databaseUrl ? await freshPostgres(opts.databaseUrl) : '';
  log(`backend: ${backend === 'postgres' ? `PostgreSQL ${redactUrl(databaseUrl)}` : `PGlite ${dataDir}`}`);

  const env = { ...process.env, DATABASE_URL: databaseUrl, DATA_DIR: dataDir ?? '', LOG_LEVEL: 'warn', PORT: '0' };
  const start = (mode: 'seed' | 'serve') =>
    fork(SERVER, [mode], {
      // tsx's loader, resolved here so the child finds it whatever its working directory.
      execArgv: ['--import', import.meta.resolve('tsx')],
      env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  let seeder: ChildProcess | null = null;
  let child: ChildProcess | null = null;
  try {
    log('migrating and seeding…');
    seeder = start('seed');
    const { seeded } = await waitFor<{ seeded: SeededCatalog }>(seeder, 'seeded', 180_000);
    const seedDone = seeder;
    if (seedDone.exitCode === null) await new Promise((r) => seedDone.once('exit', r));

    child = start('serve');
    const ready = await waitFor<{ url: string; rssMb: number }>(child, 'ready', 120_000);
    const path = `/api/communities/${seeded.communityId}/products?limit=20`;
    const url = `${ready.url}${path}`;
    const sample = await fetch(url);
    if (!sample.ok) throw new Error(`GET ${path} answered ${sample.status}: ${await sample.text()}`);
    const responseBytes = (await sample.arrayBuffer()).byteLength;
    log(`seeded ${seeded.products} products / ${seeded.skus} SKUs; page of 20 is ${responseBytes} bytes`);

    if (opts.warmupS > 0) {
      log(`warming up ${opts.warmupS} s…`);
      await autocannon({ url, connections: opts.connections, duration: opts.warmupS });
    }
    log(`measuring ${opts.durationS} s at ${opts.connections} connections…`);
    const r = await autocannon({ url, connections: opts.connections, duration: opts.durationS });
    child.send({ type: 'rss' });
    const rss = await waitFor<{ mb: number }>(child, 'rss', 10_000);

    return {
      name: 'browse',
      backend,
      path: '/api/communities/:id/products?limit=20',
      connections: opts.connections,
      durationS: opts.durationS,
      requests: r.requests.total,
      reqPerSec: Math.round(r.requests.average),
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
      maxMs: r.latency.max,
      errors: r.errors,
      timeouts: r.timeouts,
      non2xx: r.non2xx,
      responseBytes,
      serverRssMbIdle: ready.rssMb,
      serverRssMb: rss.mb,
      requestLogging: false,
      catalog: { products: seeded.products, skus: seeded.skus, skusInRegion: seeded.skusInRegion },
      node: process.version,
      cpus: cpus().length,
    };
  } finally {
    if (seeder && seeder.exitCode === null) seeder.kill('SIGKILL'); // only when seeding failed
    if (child) await stopChild(child);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (opts.databaseUrl) await dropPostgres(opts.databaseUrl);
  }
}

export function saveBrowseResult(result: BrowseResult): string {
  return saveResult(`browse-${result.backend}`, result);
}

export function formatBrowse(r: BrowseResult): string {
  return [
    `browse on ${r.backend}: ${r.reqPerSec} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms over ${r.durationS} s at ${r.connections} connections`,
    `  ${r.requests} requests, ${r.errors} errors, ${r.non2xx} non-2xx; server RSS ${r.serverRssMb} MB; ${r.responseBytes} bytes/response`,
  ].join('\n');
}
