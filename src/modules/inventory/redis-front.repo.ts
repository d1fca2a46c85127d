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

  /** The newest hold id of any SKU: holds made later for a share-locked row have higher ids. */
  async maxHoldId(db: Executor): Promise<number> {
    const rows = await selectRows<{ id: number }>(db, sql`SELECT coalesce(max(id), 0)::float8 AS id FROM stock_holds`);
    return rows[0]?.id ?? 0;
  }

  /** Orders placed within the last `windowMs` that hold any of `keys` (through the orders' time index). */
  async recentHolders(db: Executor, keys: StockKey[], windowMs: number): Promise<Holder[]> {
    if (keys.length === 0) return [];
    return selectRows<Holder>(
      db,
      sql`SELECT h.id::float8 AS "holdId", h.location_id AS "locationId", h.sku_id AS "skuId",
                 o.buyer_account_id AS "buyerAccountId", o.idempotency_key AS "idempotencyKey",
                 (extract(epoch FROM o.created_at) * 1000)::float8 AS "atMs"
          FROM orders o
          JOIN stock_holds h ON h.order_id = o.id
          JOIN unnest(${cols(keys)}) AS k(location_id, sku_id) ON h.location_id = k.location_id AND h.sku_id = k.sku_id
          WHERE o.created_at > now() - make_interval(secs => ${windowMs / 1000})`,
    );
  }

  /** Holds of `keys` made after hold `afterId` (a short range of the primary key), with their orders. */
  async holdersAfter(db: Executor, keys: StockKey[], afterId: number): Promise<Holder[]> {
    if (keys.length === 0) return [];
    return selectRows<Holder>(
      db,
      sql`SELECT h.id::float8 AS "holdId", h.location_id AS "locationId", h.sku_id AS "skuId",
                 o.buyer_account_id AS "buyerAccountId", o.idempotency_key AS "idempotencyKey",
                 (extract(epoch FROM o.created_at) * 1000)::float8 AS "atMs"
          FROM stock_holds h
          JOIN orders o ON o.id = h.order_id
          JOIN unnest(${cols(keys)}) AS k(location_id, sku_id) ON h.location_id = k.location_id AND h.sku_id = k.sku_id
          WHERE h.id > ${afterId}`,
    );
  }
}
