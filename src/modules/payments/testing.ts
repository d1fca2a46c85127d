// Test support: real order rows for payments to point at (orders(id) gets a foreign key from
// payments later, and the commerce flow's success hook reads the order). Written in SQL so the
// payments suites do not depend on the checkout flow's API. Used only by tests.
import type { Database } from '../../db';

let counter = 0;

/** Returns makeOrder(buyerAccountId, totalFen) → order id, an unpaid order awaiting payment. */
export async function orderFactory(db: Database): Promise<(buyerAccountId: number, totalFen: number) => Promise<number>> {
  counter += 1;
  const tag = `P${process.pid % 100000}x${counter}`;
  const one = async (sqlText: string, params: unknown[] = []) => (await db.query<{ id: number }>(sqlText, params))[0]!.id;
  const regionId = await one(`INSERT INTO regions (kind, name, code) VALUES ('city', $1, $2) RETURNING id`, [`支付测试市${tag}`, tag]);
  const warehouseId = await one(
    `INSERT INTO warehouses (region_id, kind, name, lat, lng) VALUES ($1, 'central', '中心仓', 30.0, 120.0) RETURNING id`,
    [regionId],
  );
  const locationId = await one(`INSERT INTO stock_locations (kind, warehouse_id) VALUES ('warehouse', $1) RETURNING id`, [warehouseId]);
  let n = 0;
  return async (buyerAccountId, totalFen) =>
    one(
      `INSERT INTO orders (buyer_account_id, channel, status, fulfilment, location_id, region_id, items_fen, total_fen, idempotency_key, request_hash)
       VALUES ($1, 'group_buy', 'pending_payment', 'pickup', $2, $3, $4, $4, $5, 'test') RETURNING id`,
      [buyerAccountId, locationId, regionId, totalFen, `${tag}-${++n}`],
    );
}
