import type { SQL } from 'drizzle-orm';
import type { Executor } from './driver';

/**
 * Run a raw SQL template and return its rows. drizzle's `execute` answers `{ rows }` on both
 * node-postgres and PGlite; int8 comes back as a JS number on both (see driver.ts).
 */
export async function selectRows<T>(db: Executor, query: SQL): Promise<T[]> {
  const res = await db.execute(query);
  return (res as unknown as { rows: T[] }).rows;
}
