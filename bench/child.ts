// Shared by the benchmarks: their own PostgreSQL database, and a server in a child process (browse, checkout, wave).
import type { ChildProcess } from 'node:child_process';
import { openDatabase } from '../src/db';

export const BENCH_DB = 'linli_bench';

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Drop and re-create a benchmark's database (linli_bench unless named) on the given server, so a
 * run never touches real data; returns its URL. Benchmarks that may run side by side name their own.
 */
export async function freshPostgres(url: string, database = BENCH_DB): Promise<string> {
  await onServer(url, [`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`, `CREATE DATABASE ${database}`]);
  return withDatabase(url, database);
}

/** Drop a benchmark's database when the run is over. */
export async function dropPostgres(url: string, database = BENCH_DB): Promise<void> {
  await onServer(url, [`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`]);
}

async function onServer(url: string, statements: string[]): Promise<void> {
  const admin = await openDatabase({ databaseUrl: url, poolSize: 1 });
  try {
    for (const s of statements) await admin.exec(s);
  } finally {
    await admin.close();
  }
}

export function waitFor<T>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench server sent no '${type}' within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: { type?: string }) => {
      if (m.type !== type) return;
      cleanup();
      resolve(m as T);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`bench server exited (code ${code}) before '${type}'`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}


/** Ask a benchmark server to stop; kill it if it has not exited within 10 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.send({ type: 'stop' });
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}
