// Test support: fresh, migrated databases per test file on both backends. Imported only by
// tests and test/global-setup.ts.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { openDatabase, type BackendKind, type Database } from './driver';

export const PG_TEMPLATE_NAME = `linli_tpl_${process.pid}`;

export function adminUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Drop test databases left by runs that died. Names carry the pid of the vitest run that made
 * them, so two runs on one machine (two developers, or a run and a benchmark) never drop each
 * other's databases; `all` drops this run's own at the end too.
 */
export async function dropStaleTestDatabases(admin: Database, opts: { includeOwn?: boolean } = {}): Promise<void> {
  const rows = await admin.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE datname ~ '^linli_(t|tpl)_[0-9]+(_|$)'",
  );
  for (const r of rows) {
    const pid = Number(/^linli_(?:t|tpl)_(\d+)/.exec(r.datname)![1]);
    const own = pid === process.pid;
    if (own ? !opts.includeOwn : processAlive(pid)) continue;
    await admin.exec(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The backends a shared storage suite runs on: always PGlite, PostgreSQL when configured. */
export function testBackends(): BackendKind[] {
  return inject('pgTemplate') ? ['pglite', 'postgres'] : ['pglite'];
}

export interface TestDatabase extends Database {
  /** Close and, on PostgreSQL, drop the database. */
  dispose(): Promise<void>;
}

/** A new, migrated, empty database of the given kind. */
export async function openTestDatabase(kind: BackendKind = 'pglite'): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const dump = new Blob([readFileSync(inject('pgliteTemplate'))]);
    const db = await openDatabase({ loadDataDir: dump });
    return Object.assign(db, { dispose: () => db.close() });
  }
  const template = inject('pgTemplate');
  const base = process.env.TEST_DATABASE_URL;
  if (!template || !base) throw new Error('PostgreSQL tests need TEST_DATABASE_URL');
  // The template's pid (the vitest main process) marks whose database this is.
  const ownerPid = /^linli_tpl_(\d+)$/.exec(template)![1];
  const name = `linli_t_${ownerPid}_${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase({ databaseUrl: base, poolSize: 1 });
  await admin.exec(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  const db = await openDatabase({ databaseUrl: adminUrl(base, name), poolSize: 10 });
  return Object.assign(db, {
    async dispose() {
      await db.close();
      await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  });
}
