// What the Redis stock front reads from PostgreSQL. Every read runs in a transaction that first
// takes FOR SHARE on the stock rows: checkout's placement, releases and receipts all change a
// stock row under a row lock, so while the share lock is held nothing that moves these SKUs can
// commit, and what is read here is a fixed point to set Redis against (see redis-front.ts).
// The orders table is read too (which buyer and key each hold belongs to): a plain join in the
// same snapshot, because a second module call could not see the same instant.
import { sql } from 'drizzle-orm';
import { selectRows, type Executor } from '../../db';
import type { LevelRow, StockKey } from './inventory.repo';

export interface Holder extends StockKey {
  holdId: number;
  buyerAccountId: number;
  idempotencyKey: string;
  /** When the order was placed, in ms since the epoch. */
  atMs: number;
}

const cols = (keys: StockKey[]) =>
  sql`${sql.param(keys.map((k) => k.locationId))}::bigint[], ${sql.param(keys.map((k) => k.skuId))}::bigint[]`;

export class StockFrontRepo {
  /**
   * Share-lock the rows of `keys` in key order and read them; a missing row has nothing
   * available. With `skipLocked`, rows a writer holds now are left out instead of waited for.
   */
  async shareLevels(db: Executor, keys: StockKey[], opts: { skipLocked?: boolean } = {}): Promise<LevelRow[]> {
    if (keys.length === 0) return [];
    return selectRows<LevelRow>(
      db,
      sql`SELECT s.location_id AS "locationId", s.sku_id AS "skuId", s.on_hand AS "onHand", s.reserved
          FROM stock_levels s JOIN unnest(${cols(keys)}) AS k(location_id, sku_id)
            ON s.location_id = k.location_id AND s.sku_id = k.sku_id
          ORDER BY s.location_id, s.sku_id
          FOR SHARE OF s ${opts.skipLocked ? sql`SKIP LOCKED` : sql``}`,
    );
  }

  /**
   * The holds of `keys` made after hold `afterHoldId` (a short range of the primary key) or by
   * orders placed within `withinMs` (through the orders' time index), with the buyer and key of
   * each order; and the newest hold id of any SKU: while the rows are share-locked, holds made
   * later for them get higher ids. One statement, so one snapshot and one round trip.
   */
  async holders(db: Executor, keys: StockKey[], since: { afterHoldId: number } | { withinMs: number }): Promise<{ newest: number; holders: Holder[] }> {
    const filter =
      'afterHoldId' in since
        ? sql`h.id > ${since.afterHoldId}`
        : sql`o.created_at > now() - make_interval(secs => ${since.withinMs / 1000})`;
    const rows = await selectRows<{ newest: number; holders: Holder[] }>(
      db,
      sql`SELECT (SELECT coalesce(max(id), 0)::float8 FROM stock_holds) AS newest,
                 coalesce((
                   SELECT json_agg(json_build_object(
                            'holdId', h.id, 'locationId', h.location_id, 'skuId', h.sku_id,
                            'buyerAccountId', o.buyer_account_id, 'idempotencyKey', o.idempotency_key,
                            'atMs', extract(epoch FROM o.created_at) * 1000))
                   FROM stock_holds h
                   JOIN orders o ON o.id = h.order_id
                   JOIN unnest(${cols(keys)}) AS k(location_id, sku_id) ON h.location_id = k.location_id AND h.sku_id = k.sku_id
                   WHERE ${filter}), '[]'::json) AS holders`,
    );
    const r = rows[0]!;
    return { newest: Number(r.newest), holders: typeof r.holders === 'string' ? (JSON.parse(r.holders) as Holder[]) : r.holders };
  }
}
