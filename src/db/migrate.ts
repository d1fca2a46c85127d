import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection, Database } from './driver';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

// Any constant works; it only has to be the same for every linli process on one database.
const MIGRATION_LOCK_KEY = 72_451_104;

/**
 * Forward-only migrations: each file runs once, in name order, inside its own transaction.
 * An applied file that was edited afterwards is an error, not silently skipped: migrations
 * are history and history is not rewritten. On PostgreSQL an advisory lock stops two
 * starting servers from migrating at the same time.
 */
export async function migrate(database: Database, migrations = loadMigrations()): Promise<{ applied: string[] }> {
  return database.withConnection((db) => migrateOn(db, database.kind === 'postgres', migrations));
}

async function migrateOn(db: Connection, useLock: boolean, migrations: Migration[]): Promise<{ applied: string[] }> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  if (useLock) await db.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  try {
    const done = new Map(
      (await db.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations')).map((r) => [
        r.name,
        r.checksum,
      ]),
    );
    const applied: string[] = [];
    for (const m of migrations) {
      const seen = done.get(m.name);
      if (seen !== undefined) {
        if (seen !== m.checksum) {
          throw new Error(`migration ${m.name} was changed after it was applied; add a new migration instead`);
        }
        continue;
      }
      // One transaction per file: a failing migration leaves no half-applied schema.
      await db.exec(`BEGIN;\n${m.sql}\n;INSERT INTO schema_migrations (name, checksum) VALUES ('${m.name}', '${m.checksum}');\nCOMMIT;`).catch(
        async (e: Error) => {
          await db.exec('ROLLBACK').catch(() => undefined);
          throw new Error(`migration ${m.name} failed: ${e.message}`);
        },
      );
      applied.push(m.name);
    }
    return { applied };
  } finally {
    if (useLock) await db.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
  }
}
