// SQL of the till's own record of a counter sale (pos_sales).
import { eq } from 'drizzle-orm';
import type { Executor } from '../../db';
import { posSales, type PosSaleRow } from './pos.schema';

export class PosSalesRepo {
  /** Once per order: a replayed sale keeps the first record. */
  async record(db: Executor, row: { orderId: number; cashReceivedFen: number | null; changeFen: number; saleDiscountFen: number }): Promise<void> {
    await db.insert(posSales).values(row).onConflictDoNothing();
  }

  async find(db: Executor, orderId: number): Promise<PosSaleRow | null> {
    return (await db.select().from(posSales).where(eq(posSales.orderId, orderId)).limit(1))[0] ?? null;
  }
}
