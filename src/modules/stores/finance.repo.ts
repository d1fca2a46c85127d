// SQL of store finance: a store's takings per China-time day by channel, net of refunds, and
// the cost of the units sold, in one statement over the store's paid orders of the range.
import { sql } from 'drizzle-orm';
import { selectRows, type Executor } from '../../db';

export interface FinanceDayRow {
  day: string;
  counterFen: number;
  onlineFen: number;
  costFen: number;
  refundsFen: number;
  orders: number;
}

export class FinanceRepo {
  /**
   * Every day from `fromDay` to `toDay` (China time, inclusive), zero on days without sales.
   * A sale counts on the day it was paid, net of what was refunded of it since. The cost of a
   * unit sold (sold − refunded) is what the store last paid for that SKU on a replenishment
   * order, else the wholesale price of its region (or city), else nothing known: 0.
   */
  async daily(db: Executor, p: { storeId: number; regionId: number; fromDay: string; toDay: string }): Promise<FinanceDayRow[]> {
    const from = new Date(`${p.fromDay}T00:00:00+08:00`).toISOString();
    const until = new Date(Date.parse(`${p.toDay}T00:00:00+08:00`) + 86_400_000).toISOString();
    return selectRows<FinanceDayRow>(
      db,
      sql`WITH sales AS (
            SELECT o.id, o.channel, ((o.paid_at AT TIME ZONE 'UTC') + interval '8 hours')::date AS day, o.paid_fen - o.refunded_fen AS net, o.refunded_fen AS refunded
            FROM orders o
            WHERE o.store_id = ${p.storeId} AND o.channel IN ('store_counter', 'store_online')
              AND o.paid_at >= ${from}::timestamptz AND o.paid_at < ${until}::timestamptz),
          last_paid AS (
            SELECT DISTINCT ON (ol.sku_id) ol.sku_id, ol.unit_price_fen AS price_fen
            FROM orders r JOIN order_lines ol ON ol.order_id = r.id
            WHERE r.store_id = ${p.storeId} AND r.channel = 'replenishment' AND r.paid_at IS NOT NULL AND ol.quantity > ol.refunded_quantity
            ORDER BY ol.sku_id, r.paid_at DESC, r.id DESC),
          wp AS (
            SELECT DISTINCT ON (w.sku_id) w.sku_id, w.price_fen
            FROM wholesale_prices w
            WHERE w.region_id = ${p.regionId} OR w.region_id = (SELECT parent_id FROM regions WHERE id = ${p.regionId})
            ORDER BY w.sku_id, (w.region_id = ${p.regionId}) DESC),
          cost AS (
            SELECT s.day, sum((ol.quantity - ol.refunded_quantity) * COALESCE(lp.price_fen, wp.price_fen, 0))::bigint AS fen
            FROM sales s JOIN order_lines ol ON ol.order_id = s.id
            LEFT JOIN last_paid lp ON lp.sku_id = ol.sku_id LEFT JOIN wp ON wp.sku_id = ol.sku_id
            GROUP BY s.day),
          takings AS (
            SELECT day,
                   COALESCE(sum(net) FILTER (WHERE channel = 'store_counter'), 0)::bigint AS counter,
                   COALESCE(sum(net) FILTER (WHERE channel = 'store_online'), 0)::bigint AS online,
                   COALESCE(sum(refunded), 0)::bigint AS refunds,
                   count(*) FILTER (WHERE net > 0)::int AS orders
            FROM sales GROUP BY day)
          SELECT to_char(${p.fromDay}::date + g, 'YYYY-MM-DD') AS day,
                 COALESCE(t.counter, 0) AS "counterFen", COALESCE(t.online, 0) AS "onlineFen",
                 COALESCE(c.fen, 0) AS "costFen", COALESCE(t.refunds, 0) AS "refundsFen", COALESCE(t.orders, 0) AS orders
          FROM generate_series(0, ${p.toDay}::date - ${p.fromDay}::date) g
          LEFT JOIN takings t ON t.day = ${p.fromDay}::date + g
          LEFT JOIN cost c ON c.day = ${p.fromDay}::date + g
          ORDER BY g`,
    );
  }
}
