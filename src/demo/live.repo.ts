// SQL of the demo's live sessions: what the central warehouse has plenty of, who watches, and
// the order times a simulated clock cannot set (orders take their creation time from the database).
import type { Database } from '../db';

export class DemoLiveRepo {
  /** SKUs the region sells that the location holds plenty of, spread over the catalogue. */
  async plentifulSkus(db: Database, locationId: number, regionId: number, minAvailable: number, limit: number): Promise<number[]> {
    const rows = await db.query<{ id: number }>(
      `SELECT sl.sku_id::int AS id
         FROM stock_levels sl JOIN region_skus r ON r.sku_id = sl.sku_id AND r.region_id = $2 AND r.active
        WHERE sl.location_id = $1 AND sl.on_hand - sl.reserved >= $3
        ORDER BY (sl.sku_id * 7919) % 1009, sl.sku_id LIMIT $4`,
      [locationId, regionId, minAvailable, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Residents bound to pickup points of the region's communities (the room's audience). */
  async residentsOfRegion(db: Database, regionId: number, limit: number, exclude: number[]): Promise<number[]> {
    const rows = await db.query<{ id: number }>(
      `SELECT b.account_id::int AS id FROM resident_pickup_bindings b
         JOIN pickup_points p ON p.id = b.pickup_point_id JOIN communities c ON c.id = p.community_id
        WHERE c.region_id = $1 AND b.account_id <> COALESCE(p.leader_account_id, 0) AND NOT (b.account_id = ANY ($3::bigint[]))
        ORDER BY b.account_id LIMIT $2`,
      [regionId, limit, exclude],
    );
    return rows.map((r) => r.id);
  }

  /** A simulated session's orders were placed a minute before they were paid. */
  async orderTimesFromPayment(db: Database, sessionId: number): Promise<void> {
    await db.query(`UPDATE orders SET created_at = paid_at - interval '40 seconds', updated_at = paid_at WHERE live_session_id = $1 AND paid_at IS NOT NULL`, [sessionId]);
  }
}
