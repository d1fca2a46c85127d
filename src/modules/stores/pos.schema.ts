// Drizzle view of pos_sales (src/db/migrations/0014_pos_sales.sql): what the till knew about a
// counter sale that the order does not keep (cash handed over, change, the whole-sale discount).
import { bigint, pgTable, timestamp } from 'drizzle-orm/pg-core';

const fen = (name: string) => bigint(name, { mode: 'number' });

export const posSales = pgTable('pos_sales', {
  orderId: bigint('order_id', { mode: 'number' }).primaryKey(),
  cashReceivedFen: fen('cash_received_fen'),
  changeFen: fen('change_fen').notNull().default(0),
  saleDiscountFen: fen('sale_discount_fen').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type PosSaleRow = typeof posSales.$inferSelect;
