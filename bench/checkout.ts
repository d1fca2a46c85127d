// `linli bench checkout`: orders over HTTP on loopback, against the real server in a child
// process (bench/checkout-server.ts). Two phases:
//   race  — every buyer sends one order for the same hot SKU at once (a flash sale): how many
//           sold, how many oversold (must be 0), how fast everyone was answered;
//   mixed — for a fixed time, random buyers order random baskets of 1–3 SKUs from a wide
//           shelf, a fresh Idempotency-Key each: orders per second and latency.
// Targets on a 2-core machine at 200 connections: PostgreSQL ≥ 3,000 orders/s, PostgreSQL +
// Redis ≥ 8,000, PGlite ≥ 1,500; p99 < 100 ms; oversold 0.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { redactUrl } from '../src/db';
import type { CheckoutWorld } from './checkout-server';
import { dropPostgres, freshPostgres, stopChild, waitFor } from './child';
import { machineInfo, saveResult, type MachineInfo } from './results';

const SERVER = fileURLToPath(new URL('./checkout-server.ts', import.meta.url));

export type CheckoutBackend = 'pglite' | 'postgres' | 'redis';

export interface CheckoutOptions {
  backend: CheckoutBackend;
  databaseUrl: string;
  redisUrl: string;
  buyers: number;
  units: number;
  shelf: number;
  connections: number;
  durationS: number;
  warmupS: number;
  log?: (msg: string) => void;
}

export interface CheckoutResult {
  name: 'checkout';
  backend: CheckoutBackend;
  connections: number;
  /** The mixed phase. */
  ordersPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  durationS: number;
  orders: number;
  errors: number;
  unexpected: number;
  /** The race. */
  buyers: number;
  units: number;
  sold: number;
  oversold: number;
  soldOut: number;
  raceP99Ms: number;
  raceMaxMs: number;
  raceSeconds: number;
  stockAfterRace: { onHand: number; reserved: number };
  serverRssMb: number;
  /** Orders per group-committed transaction, over both phases. */
  meanBatch: number;
  machine: MachineInfo;
}

export async function runCheckoutBench(opts: CheckoutOptions): Promise<CheckoutResult> {
  const log = opts.log ?? (() => undefined);
  const usesPg = opts.backend !== 'pglite';
  const dataDir = usesPg ? null : mkdtempSync(join(tmpdir(), 'linli-checkout-'));
  const databaseUrl = usesPg ? await freshPostgres(opts.databaseUrl) : '';
  log(`backend: ${usesPg ? `PostgreSQL ${redactUrl(databaseUrl)}` : `PGlite ${dataDir}`}${opts.backend === 'redis' ? ` + Redis ${opts.redisUrl}` : ''}`);
  if (opts.backend === 'redis') await flushBenchKeys(opts.redisUrl);
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir ?? '',
    REDIS_URL: opts.backend === 'redis' ? opts.redisUrl : '',
    NATS_URL: '',
    LOG_LEVEL: 'warn',
    PORT: '0',
  };
  const start = (args: string[]) =>
    fork(SERVER, args, {
      // LINLI_CPU_PROF=<dir> writes a V8 CPU profile of the server: where an order's time goes.
      execArgv: ['--import', import.meta.resolve('tsx'), ...(process.env.LINLI_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.LINLI_CPU_PROF}`] : [])],
      env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  let seeder: ChildProcess | null = null;
  let child: ChildProcess | null = null;
  try {
    log(`seeding ${opts.buyers} buyers, 1 hot SKU of ${opts.units} units, ${opts.shelf} shelf SKUs…`);
    seeder = start(['seed', String(opts.buyers), String(opts.units), String(opts.shelf)]);
    const { world } = await waitFor<{ world: CheckoutWorld }>(seeder, 'seeded', 300_000);
    const s = seeder;
    if (s.exitCode === null) await new Promise((r) => s.once('exit', r));
    child = start(['serve']);
    const { url } = await waitFor<{ url: string }>(child, 'ready', 120_000);

    // ── race ──
    log(`race: ${opts.buyers} buyers for ${opts.units} units at ${opts.connections} connections…`);
    let next = 0;
    const statuses = new Map<number, number>();
    const t0 = performance.now();
    const race = await autocannon({
      url,
      connections: Math.min(opts.connections, opts.buyers),
      amount: opts.buyers,
      requests: [
        {
          method: 'POST',
          path: '/api/orders',
          setupRequest: (req) => {
            const i = next++;
            return {
              ...req,
              headers: { 'content-type': 'application/json', authorization: `Bearer ${world.tokens[i % world.tokens.length]}`, 'idempotency-key': `race-${i}` },
              body: JSON.stringify({ channel: 'group_buy', pickupPointId: world.pickupPointId, lines: [{ skuId: world.hotSkuId, quantity: 1 }] }),
            };
          },
          onResponse: (status) => {
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
          },
        },
      ],
    });
    const raceSeconds = (performance.now() - t0) / 1000;
    const stock = await fetch(`${url}/api/stock?warehouseId=${world.centralWarehouseId}&limit=1`, { headers: { authorization: `Bearer ${world.operatorToken}` } });
    const level = ((await stock.json()) as { items: { skuId: number; onHand: number; reserved: number }[] }).items.find((l) => l.skuId === world.hotSkuId)!;
    const sold = statuses.get(201) ?? 0;
    log(`race: ${sold} sold, ${statuses.get(409) ?? 0} sold out, statuses ${JSON.stringify(Object.fromEntries(statuses))}, stock ${JSON.stringify(level)}`);

    // ── mixed baskets ──
    const mixedRequests = (prefix: string) => [
      {
        method: 'POST' as const,
        path: '/api/orders',
        setupRequest: (req: object) => {
          const i = next++;
          const n = 1 + (i % 3);
          const lines = Array.from({ length: n }, (_, k) => ({ skuId: world.shelfSkuIds[(i * 7 + k * 13) % world.shelfSkuIds.length]!, quantity: 1 + ((i + k) % 2) }));
          return {
            ...req,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${world.tokens[i % world.tokens.length]}`, 'idempotency-key': `${prefix}-${randomUUID()}` },
            body: JSON.stringify({ channel: 'group_buy', pickupPointId: world.pickupPointId, lines }),
          };
        },
      },
    ];
    if (opts.warmupS > 0) {
      log(`mixed: warming up ${opts.warmupS} s…`);
      await autocannon({ url, connections: opts.connections, duration: opts.warmupS, requests: mixedRequests('warm') });
    }
    log(`mixed: ${opts.durationS} s at ${opts.connections} connections…`);
    const mixed = await autocannon({ url, connections: opts.connections, duration: opts.durationS, requests: mixedRequests('mix') });
    child.send({ type: 'rss' });
    const rss = await waitFor<{ mb: number; batches: { meanBatch: number } }>(child, 'rss', 10_000);
    log(`server: ${JSON.stringify(rss.batches)}`);
    const orders = mixed['2xx'];
    return {
      name: 'checkout',
      backend: opts.backend,
      connections: opts.connections,
      ordersPerSec: Math.round(orders / opts.durationS),
      p50Ms: mixed.latency.p50,
      p99Ms: mixed.latency.p99,
      maxMs: mixed.latency.max,
      durationS: opts.durationS,
      orders,
      errors: mixed.errors + mixed.timeouts,
      unexpected: mixed.non2xx,
      buyers: opts.buyers,
      units: opts.units,
      sold,
      oversold: Math.max(0, sold - opts.units, level.reserved - opts.units),
      soldOut: statuses.get(409) ?? 0,
      raceP99Ms: race.latency.p99,
      raceMaxMs: race.latency.max,
      raceSeconds: Math.round(raceSeconds * 100) / 100,
      stockAfterRace: { onHand: level.onHand, reserved: level.reserved },
      serverRssMb: rss.mb,
      meanBatch: Math.round(rss.batches.meanBatch * 10) / 10,
      machine: machineInfo(),
    };
  } finally {
    if (seeder && seeder.exitCode === null) seeder.kill('SIGKILL');
    if (child) await stopChild(child);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (usesPg) await dropPostgres(opts.databaseUrl);
  }
}

/** The bench's Redis keys from an earlier run would hold stale stock counts. */
async function flushBenchKeys(redisUrl: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const r = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await r.connect();
  const keys = await r.keys('linli:*');
  if (keys.length) await r.del(...keys);
  r.disconnect();
}

export function saveCheckoutResult(r: CheckoutResult): string {
  return saveResult(`checkout-${r.backend}`, r);
}

export function formatCheckout(r: CheckoutResult): string {
  return [
    `checkout on ${r.backend}: ${r.ordersPerSec} orders/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms (${r.durationS} s at ${r.connections} connections, ${r.unexpected} non-2xx, ${r.errors} errors)`,
    `  race: ${r.buyers} buyers for ${r.units} units → ${r.sold} sold, ${r.soldOut} sold out, oversold ${r.oversold}; p99 ${r.raceP99Ms} ms, max ${r.raceMaxMs} ms, all answered in ${r.raceSeconds} s`,
  ].join('\n');
}
