import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureTemplate, isFreshDataDir, loadMigrations, migrate, openDatabase, readTemplate, templatePath } from '.';

describe('the migrated PGlite template a fresh DATA_DIR starts from', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'linli-template-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  // The first two migrations keep this test's own cluster quick to build.
  const some = loadMigrations().slice(0, 2);

  it('is made once, under a name that changes with the migrations, never left half-written, and replaces older ones', async () => {
    const dir = join(scratch, 'cache');
    const first = await ensureTemplate({ migrations: some, dir });
    expect(first.created).toBe(true);
    expect(existsSync(first.path)).toBe(true);
    expect(await ensureTemplate({ migrations: some, dir })).toEqual({ path: first.path, created: false });
    expect(readdirSync(dir)).toEqual([first.path.split('/').pop()]);

    expect(templatePath(some.slice(0, 1), dir)).not.toBe(first.path);
    const edited = some.map((m, i) => (i === 1 ? { ...m, checksum: `${m.checksum}0` } : m));
    expect(templatePath(edited, dir)).not.toBe(first.path);
    expect(readTemplate(templatePath(edited, dir))).toBeUndefined();

    // New migrations make a new template, and the old one goes.
    const next = await ensureTemplate({ migrations: some.slice(0, 1), dir });
    expect(next.created).toBe(true);
    expect(readdirSync(dir)).toEqual([next.path.split('/').pop()]);
  }, 90_000);

  it('opens into a new data directory already migrated, and reopens from disk', async () => {
    // The suite's global setup made the template for every migration.
    const template = readTemplate();
    expect(template).toBeDefined();
    const dataDir = join(scratch, 'data');
    expect(isFreshDataDir(dataDir)).toBe(true);
    const db = await openDatabase({ dataDir, loadDataDir: template });
    expect((await migrate(db)).applied).toEqual([]);
    await db.exec(`INSERT INTO regions (name, kind, code) VALUES ('测试市', 'city', 'T1')`);
    await db.close();
    expect(isFreshDataDir(dataDir)).toBe(false);

    const again = await openDatabase({ dataDir });
    expect(await again.query<{ name: string }>(`SELECT name FROM regions`)).toEqual([{ name: '测试市' }]);
    await again.close();
  }, 60_000);
});
