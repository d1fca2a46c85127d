// Runs once before all test files: makes sure the migrated PGlite cluster exists (the one a fresh
// DATA_DIR starts from, src/db/template.ts), so each test file clones a ready database in ~0.5 s
// instead of creating and migrating one (~3 s); and,
// when TEST_DATABASE_URL is set, builds a migrated PostgreSQL template database likewise.
import type { TestProject } from 'vitest/node';
import { ensureTemplate, migrate, openDatabase } from '../src/db';
import { PG_TEMPLATE_NAME, adminUrl, dropStaleTestDatabases } from '../src/db/testing';

// Vitest runs this once per project (main, races), loading the module once for each: the
// shared state lives on globalThis so the databases are prepared once and dropped once.
interface Shared {
  prepared: Promise<{ pgliteTemplate: string; pgTemplate: string; teardown: (() => Promise<void>) | null }>;
  users: number;
}
const g = globalThis as typeof globalThis & { __linliTestSetup?: Shared };

export default async function setup(project: TestProject) {
  const shared = (g.__linliTestSetup ??= { prepared: prepare(), users: 0 });
  shared.users += 1;
  const { pgliteTemplate, pgTemplate, teardown } = await shared.prepared;
  project.provide('pgliteTemplate', pgliteTemplate);
  project.provide('pgTemplate', pgTemplate);
  return async () => {
    shared.users -= 1;
    if (shared.users === 0 && teardown) await teardown();
  };
}

async function prepare(): Promise<{ pgliteTemplate: string; pgTemplate: string; teardown: (() => Promise<void>) | null }> {
  // `npm install` has usually made it already.
  const { path: pgliteTemplate } = await ensureTemplate();

  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    console.log('PostgreSQL suites skipped: TEST_DATABASE_URL is not set (CI sets it; see README).');
    return { pgliteTemplate, pgTemplate: '', teardown: null };
  }
  // CI sets TEST_DATABASE_URL: an unreachable server must fail the run, not skip it.
  const admin = await openDatabase({ databaseUrl: url, poolSize: 2 });
  await dropStaleTestDatabases(admin);
  await admin.exec(`CREATE DATABASE ${PG_TEMPLATE_NAME}`);
  const tpl = await openDatabase({ databaseUrl: adminUrl(url, PG_TEMPLATE_NAME), poolSize: 2 });
  await migrate(tpl);
  await tpl.close();
  return {
    pgliteTemplate,
    pgTemplate: PG_TEMPLATE_NAME,
    teardown: async () => {
      await dropStaleTestDatabases(admin, { includeOwn: true });
      await admin.close();
    },
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgTemplate: string;
  }
}
