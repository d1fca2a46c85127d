import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, schema } from '.';
import { openTestDatabase, testBackends, type TestDatabase } from './testing';

// information_schema names an array column's element type by its internal name.
const ARRAY_ELEMENT: Record<string, string> = { _text: 'text', _int8: 'bigint', _int4: 'integer' };

// The SQL migrations are the truth; the drizzle tables are how TypeScript sees them.
// This suite fails when the two disagree on tables, columns, nullability or types.
describe.each(testBackends())('schema on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });
  afterAll(async () => db.dispose());

  it('has every drizzle table and column, with matching nullability', async () => {
    const cols = await db.query<{ table_name: string; column_name: string; is_nullable: string; data_type: string; udt_name: string }>(
      `SELECT table_name, column_name, is_nullable, data_type, udt_name FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const byTable = new Map<string, Map<string, { nullable: boolean; type: string }>>();
    for (const c of cols) {
      if (!byTable.has(c.table_name)) byTable.set(c.table_name, new Map());
      byTable.get(c.table_name)!.set(c.column_name, { nullable: c.is_nullable === 'YES', type: c.data_type === 'ARRAY' ? (ARRAY_ELEMENT[c.udt_name] ?? c.udt_name) : c.data_type });
    }
    for (const table of Object.values(schema) as PgTable[]) {
      const cfg = getTableConfig(table);
      const dbCols = byTable.get(cfg.name);
      expect(dbCols, `table ${cfg.name} exists`).toBeDefined();
      expect([...dbCols!.keys()].sort(), `columns of ${cfg.name}`).toEqual(cfg.columns.map((c) => c.name).sort());
      for (const col of cfg.columns) {
        const found = dbCols!.get(col.name)!;
        expect(found.nullable, `${cfg.name}.${col.name} nullable`).toBe(!col.notNull);
        const sqlType = col.getSQLType().replace(/\[\]$/, '');
        const expected = found.type;
        expect(expected.startsWith(sqlType.split('(')[0]!.replace('double precision', 'double precision')), `${cfg.name}.${col.name}: ${found.type} vs ${sqlType}`).toBe(true);
      }
    }
  });

  it('re-running migrations applies nothing, and an edited migration is refused', async () => {
    expect((await migrate(db)).applied).toEqual([]);
    const edited = loadMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'x' } : m));
    await expect(migrate(db, edited)).rejects.toThrow(/changed after it was applied/);
  });
});
