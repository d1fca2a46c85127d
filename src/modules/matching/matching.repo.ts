// Order history for the matching model. Only bought lines count: paid or later, not cancelled,
// and not the stores' own replenishment orders (those are a shop buying stock, not a resident).
import { sql } from 'drizzle-orm';
import { selectRows, type Executor } from '../../db';
import type { Purchase } from './model';

export class MatchingRepo {
  /**
   * Every bought line since `since`: who, which SKU, which order (the basket), when, the
   * buyer's home community (else the order's community) and the product's category.
   */
  async purchasesSince(db: Executor, since: Date): Promise<Purchase[]> {
    const rows = await selectRows<{ user: string | number; item: string | number; basket: string | number; at: string | number; community: string | number | null; category: string | number | null }>(
      db,
      sql`SELECT o.buyer_account_id AS "user", ol.sku_id AS item, o.id AS basket,
                 (extract(epoch FROM o.created_at) * 1000)::float8 AS at,
                 coalesce(rh.community_id, o.community_id) AS community, p.category_id AS category
            FROM orders o
            JOIN order_lines ol ON ol.order_id = o.id
            JOIN products p ON p.id = ol.product_id
            LEFT JOIN resident_homes rh ON rh.account_id = o.buyer_account_id
           WHERE o.created_at >= ${since.toISOString()}::timestamptz
             AND o.status IN ('paid', 'fulfilling', 'ready', 'completed')
             AND o.channel <> 'replenishment'`,
    );
    return rows.map((r) => ({
      user: Number(r.user),
      item: Number(r.item),
      basket: Number(r.basket),
      at: Number(r.at),
      community: r.community == null ? null : Number(r.community),
      category: r.category == null ? null : Number(r.category),
    }));
  }

  /** The resident's home community, if they set one. */
  async homeCommunity(db: Executor, accountId: number): Promise<number | null> {
    const rows = await selectRows<{ community_id: string | number }>(db, sql`SELECT community_id FROM resident_homes WHERE account_id = ${accountId}`);
    return rows[0] ? Number(rows[0].community_id) : null;
  }
}
