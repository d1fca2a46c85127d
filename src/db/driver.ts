import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { schema } from './schema';

export type Schema = typeof schema;
/** The typed query builder both backends share; repositories use only this. */
export type Orm = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle has the same query surface as the database itself. */
export type Tx = Parameters<Parameters<Orm['transaction']>[0]>[0];
export type Executor = Orm | Tx;

export type BackendKind = 'pglite' | 'postgres';

export interface Database {
  readonly kind: BackendKind;
  readonly orm: Orm;
  /** Run SQL text with no parameters (migrations, DDL); may hold several statements. */
  exec(sqlText: string): Promise<void>;
  /** Parameterised raw query; for the few places drizzle cannot express. */
  query<T extends Record<string, unknown>>(sqlText: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
  /** Run `fn` on one dedicated connection (session-level locks, multi-step scripts). */
  withConnection<T>(fn: (conn: Connection) => Promise<T>): Promise<T>;
  /** PGlite only: the whole data directory as a tarball, to clone test databases quickly. */
  dumpDataDir?(): Promise<Blob>;
}

export interface Connection {
  exec(sqlText: string): Promise<void>;
  query<T extends Record<string, unknown>>(sqlText: string, params?: unknown[]): Promise<T[]>;
}

export interface OpenOptions {
  /** postgres://… — when set, PostgreSQL through a pool; otherwise embedded PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite directory; omitted means in memory. */
  dataDir?: string | undefined;
  /** PGlite: start from a dump made by dumpDataDir (fast clone of a migrated database). */
  loadDataDir?: Blob | undefined;
  /** PostgreSQL pool size. */
  poolSize?: number;
}

/**
 * PGlite runs inside this process: its default 128 MB shared_buffers is resident memory the
 * server keeps for good. 8 MB holds the hot catalogue (which the HTTP layer caches anyway) and
 * brings the demo server from ~390 MB to ~300 MB RSS; files still sit in the OS cache.
 */
export const PGLITE_SETTINGS: readonly string[] = ['shared_buffers = 8MB'];

export async function openDatabase(opts: OpenOptions = {}): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 20);
  return openPglite(opts);
}

async function openPglite(opts: OpenOptions): Promise<Database> {
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const client = await PGlite.create({
    postgresqlconf: [...PGLITE_SETTINGS],
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
  });
  const orm = drizzlePglite(client, { schema }) as unknown as Orm;
  const db: Database = {
    kind: 'pglite',
    orm,
    async exec(sqlText) {
      await client.exec(sqlText);
    },
    async query<T extends Record<string, unknown>>(sqlText: string, params: unknown[] = []) {
      const res = await client.query<T>(sqlText, params as unknown[]);
      return res.rows;
    },
    async close() {
      await client.close();
    },
    // PGlite is one connection already.
    withConnection: (fn) => fn(db),
    async dumpDataDir() {
      const dump = await client.dumpDataDir('none');
      return dump;
    },
  };
  return db;
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  // int8 (bigint ids, sums) parse to JS numbers: ids and fen stay far below 2^53.
  pg.types.setTypeParser(20, (v) => Number(v));
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle pooled connection can be cut by the server (restart, admin kill). pg then emits
  // 'error' on the pool; unhandled, that would crash the process. The pool drops the client
  // and opens a new one on the next query, so noting it is enough.
  pool.on('error', (e) => {
    process.emitWarning(`PostgreSQL idle connection lost: ${e.message}`);
  });
  // Fail fast with a clear message instead of on the first request.
  const probe = await pool.connect().catch((e: Error) => {
    throw new Error(`cannot connect to PostgreSQL at ${redactUrl(url)}: ${e.message}`);
  });
  probe.release();
  const orm = drizzlePg(pool, { schema }) as unknown as Orm;
  return {
    kind: 'postgres',
    orm,
    async exec(sqlText) {
      await pool.query(sqlText);
    },
    async query<T extends Record<string, unknown>>(sqlText: string, params: unknown[] = []) {
      const res = await pool.query(sqlText, params);
      return res.rows as T[];
    },
    async close() {
      await pool.end();
    },
    async withConnection(fn) {
      const client = await pool.connect();
      try {
        return await fn({
          async exec(sqlText) {
            await client.query(sqlText);
          },
          async query<T extends Record<string, unknown>>(sqlText: string, params: unknown[] = []) {
            return (await client.query(sqlText, params)).rows as T[];
          },
        });
      } finally {
        client.release();
      }
    },
  };
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
