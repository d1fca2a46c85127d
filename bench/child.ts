// Shared by the benchmarks that run the server in a child process (browse, checkout).
import type { ChildProcess } from 'node:child_process';
import { openDatabase } from '../src/db';

export const BENCH_DB = 'linli_bench';

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Drop and re-create linli_bench on the given server, so a run never touches real data. */
export async function freshPostgres(url: string): Promise<string> {
  const admin = await openDatabase({ databaseUrl: url, poolSize: 1 });
  try {
    await admin.exec(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
    await admin.exec(`CREATE DATABASE ${BENCH_DB}`);
  } finally {
    await admin.close();
  }
  return withDatabase(url, BENCH_DB);
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
