// `linli bench startup`: the numbers the Quick start promises. Starts `linli serve --demo` as a
// user would, on a fresh DATA_DIR: the first start (create + migrate + seed the demo city,
// and build the web app when --clean-web), then a second start on the same data, and the
// server's resident memory after it has served the resident's product list for a while.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { WEB_DIST } from '../src/http/web-build';

const BIN = fileURLToPath(new URL('../bin/linli.js', import.meta.url));

export interface StartupResult {
  name: 'startup';
  firstStartS: number;
  laterStartS: number;
  webBuiltOnFirstStart: boolean;
  rssMbIdle: number;
  rssMbAfterLoad: number;
  loadRequests: number;
  node: string;
  cpus: number;
}

function rssMb(pid: number): number {
  // VmRSS of the server process itself (Linux), in MiB.
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function startAndWait(dataDir: string, port: number): Promise<{ child: ChildProcess; seconds: number; output: () => string }> {
  const t0 = performance.now();
  let out = '';
  const child = spawn(process.execPath, [BIN, 'serve', '--demo'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${out}`);
    if (Date.now() > deadline) throw new Error(`server did not become healthy:\n${out}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, seconds: (performance.now() - t0) / 1000, output: () => out };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

export async function runStartupBench(opts: { cleanWeb: boolean; port: number; log: (m: string) => void }): Promise<StartupResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'linli-startup-'));
  if (opts.cleanWeb) rmSync(WEB_DIST, { recursive: true, force: true });
  try {
    opts.log('first start (fresh data dir: migrate + seed demo city)…');
    const first = await startAndWait(dataDir, opts.port);
    const webBuilt = first.output().includes('building the web app');
    await stop(first.child);
    opts.log('second start (same data dir)…');
    const later = await startAndWait(dataDir, opts.port);
    const pid = later.child.pid!;
    const idle = rssMb(pid);
    // Some real traffic: the demo resident's product list, as the browse benchmark does.
    const home = (await (await fetch(`http://127.0.0.1:${opts.port}/api/communities?limit=1`)).json()) as {
      items?: Array<{ id: number }>;
    };
    const communityId = home.items?.[0]?.id ?? 1;
    opts.log('serving load for 5 s to read memory under use…');
    const load = await autocannon({
      url: `http://127.0.0.1:${opts.port}/api/communities/${communityId}/products?limit=20`,
      connections: 50,
      duration: 5,
    });
    const afterLoad = rssMb(pid);
    await stop(later.child);
    return {
      name: 'startup',
      firstStartS: Number(first.seconds.toFixed(2)),
      laterStartS: Number(later.seconds.toFixed(2)),
      webBuiltOnFirstStart: webBuilt,
      rssMbIdle: idle,
      rssMbAfterLoad: afterLoad,
      loadRequests: load.requests.total,
      node: process.version,
      cpus: (await import('node:os')).cpus().length,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
