// A migrated PGlite cluster kept as a tarball, so a fresh DATA_DIR starts from it instead of
// running initdb in WebAssembly (~5–7 s on a small machine) and every migration (~1 s). Made at
// `npm install` (the package's postinstall runs `linli prepare`) and by the test suite's global
// setup; loading it takes ~1.5 s.
//
// The file's name carries a hash of everything the cluster depends on (the PGlite version, the
// settings it is created with, every migration's name and text), so a changed migration or
// PGlite upgrade simply misses and the start falls back to creating the cluster itself.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, PGLITE_SETTINGS } from './driver';
import { loadMigrations, migrate, type Migration } from './migrate';

/** node_modules/.cache/linli of this checkout: removed with node_modules, remade by npm install. */
export const TEMPLATE_CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/linli', import.meta.url));

function pgliteVersion(): string {
  // The package's exports hide its package.json: walk up from its entry point instead.
  let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  while (!existsSync(join(dir, 'package.json'))) {
    if (dirname(dir) === dir) return 'unknown';
    dir = dirname(dir);
  }
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The template's file for these migrations under `dir`; its name changes whenever its content would. */
export function templatePath(migrations: Migration[] = loadMigrations(), dir = TEMPLATE_CACHE_DIR): string {
  const hash = createHash('sha256');
  hash.update(`pglite ${pgliteVersion()}\n`);
  hash.update(`settings ${PGLITE_SETTINGS.join(';')}\n`);
  for (const m of migrations) hash.update(`${m.name} ${m.checksum}\n`);
  return join(dir, `pglite-migrated-${hash.digest('hex').slice(0, 16)}.tar`);
}

/** The template for the current migrations, if one has been made. */
export function readTemplate(path = templatePath()): Blob | undefined {
  return existsSync(path) ? new Blob([readFileSync(path)]) : undefined;
}

/** Make the template unless it exists. Written to a temporary name first: a half-written file is never read. */
export async function ensureTemplate(opts: { migrations?: Migration[]; dir?: string } = {}): Promise<{ path: string; created: boolean }> {
  const migrations = opts.migrations ?? loadMigrations();
  const path = templatePath(migrations, opts.dir);
  if (existsSync(path)) return { path, created: false };
  const db = await openDatabase({});
  try {
    await migrate(db, migrations);
    const dump = await db.dumpDataDir!();
    mkdirSync(dirname(path), { recursive: true });
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, path);
  } finally {
    await db.close();
  }
  // Templates for older migrations are never read again (~45 MB each).
  for (const f of readdirSync(dirname(path))) {
    if (/^pglite-migrated-[0-9a-f]{16}\.tar$/.test(f) && join(dirname(path), f) !== path) rmSync(join(dirname(path), f), { force: true });
  }
  return { path, created: true };
}

/** A PGlite data directory that has never held a cluster (PostgreSQL writes PG_VERSION first). */
export function isFreshDataDir(dataDir: string): boolean {
  return !existsSync(join(dataDir, 'PG_VERSION'));
}
