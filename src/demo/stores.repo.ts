// SQL of the demo store's week: which SKUs it sells most of, and moving a day's sales back.
import type { Database } from '../db';

export class DemoStoresRepo {
  /**
   * SKUs with a barcode (what a till scans) the store holds enough of for a week of demo sales,
   * the leanest first: after the week they run low, so replenishment has something to suggest.
   */
  async stockedSkus(db: Database, storeId: number, limit: number): Promise<number[]> {
    const rows = await db.query<{ id: number }>(
      `SELECT sl.sku_id::int AS id FROM stock_levels sl JOIN stock_locations l ON l.id = sl.location_id JOIN skus k ON k.id = sl.sku_id
        WHERE l.store_id = $1 AND k.barcode IS NOT NULL AND sl.on_hand - sl.reserved >= 25
        ORDER BY sl.on_hand, sl.sku_id LIMIT $2`,
      [storeId, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Orders sold today stand for `daysBack` days ago, spread over the opening hours (China time). */
  async backdate(db: Database, orderIds: number[], daysBack: number): Promise<void> {
    await db.query(
      `WITH o AS (SELECT id, row_number() OVER (ORDER BY id) AS k, count(*) OVER () AS n FROM orders WHERE id = ANY ($1::bigint[]))
       UPDATE orders SET created_at = date_trunc('day', now() + interval '8 hours') - interval '8 hours' - make_interval(days => $2)
                                      + interval '8 hours' + (o.k::float / (o.n + 1)) * interval '13 hours',
                         paid_at = CASE WHEN orders.paid_at IS NULL THEN NULL ELSE
                                      date_trunc('day', now() + interval '8 hours') - interval '8 hours' - make_interval(days => $2)
                                      + interval '8 hours' + (o.k::float / (o.n + 1)) * interval '13 hours' + interval '1 minute' END,
                         completed_at = CASE WHEN orders.completed_at IS NULL THEN NULL ELSE
                                      date_trunc('day', now() + interval '8 hours') - interval '8 hours' - make_interval(days => $2)
                                      + interval '8 hours' + (o.k::float / (o.n + 1)) * interval '13 hours' + interval '2 minutes' END
         FROM o WHERE orders.id = o.id`,
      [orderIds, daysBack],
    );
  }
}
