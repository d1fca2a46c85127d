// SQL of the demo's group-buy days: the demo city's leaders predate the application flow, so
// their approved applications and profiles are written directly; residents are bound to a point
// of their own compound; and the past days' campaigns, placed and run through the real services
// "now", are moved back to the days they stand for.
import type { Database } from '../db';

export class DemoGroupbuyRepo {
  /** An approved application and a profile at the lowest level for every point's leader. */
  async leaderProfiles(db: Database, operatorId: number, levelId: number | null): Promise<number> {
    const rows = await db.query<{ n: number }>(
      `WITH points AS (
         SELECT DISTINCT ON (p.leader_account_id) p.*
           FROM pickup_points p
          WHERE p.leader_account_id IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM leader_profiles lp WHERE lp.account_id = p.leader_account_id)
          ORDER BY p.leader_account_id, p.id
       ), apps AS (
         INSERT INTO leader_applications (account_id, real_name, id_card_hash, id_card_last4, community_id, point_name,
                                          address, lat, lng, opens_at, closes_at, capacity, status, decided_by, decided_at,
                                          pickup_point_id, created_at)
         SELECT p.leader_account_id, a.display_name, md5('demo-id-' || p.leader_account_id), lpad((p.leader_account_id % 10000)::text, 4, '0'),
                p.community_id, p.name, p.address, p.lat, p.lng, p.opens_at, p.closes_at, p.capacity, 'approved', $1, now() - interval '60 days',
                p.id, now() - interval '61 days'
           FROM points p JOIN accounts a ON a.id = p.leader_account_id
         RETURNING id, account_id, real_name, pickup_point_id
       )
       INSERT INTO leader_profiles (account_id, application_id, real_name, pickup_point_id, level_id, approved_at)
       SELECT account_id, id, real_name, pickup_point_id, $2, now() - interval '60 days' FROM apps
       RETURNING 1 AS n`,
      [operatorId, levelId],
    );
    return rows.length;
  }

  /** Every resident with a home is bound to the first active point of that compound, if any. */
  async bindResidents(db: Database): Promise<number> {
    const rows = await db.query<{ n: number }>(
      `WITH firsts AS (
         SELECT DISTINCT ON (community_id) community_id, id FROM pickup_points WHERE status = 'active' ORDER BY community_id, id
       ), bound AS (
         INSERT INTO resident_pickup_bindings (account_id, pickup_point_id, bound_at)
         SELECT h.account_id, f.id, now() - interval '30 days'
           FROM resident_homes h JOIN firsts f ON f.community_id = h.community_id
         ON CONFLICT (account_id) DO NOTHING
         RETURNING account_id, pickup_point_id
       )
       INSERT INTO resident_binding_changes (account_id, from_point_id, to_point_id, changed_at)
       SELECT account_id, NULL, pickup_point_id, now() - interval '30 days' FROM bound
       RETURNING 1 AS n`,
    );
    return rows.length;
  }

  /**
   * Move a campaign placed today back to the day it stands for: its window closes the evening
   * before `pickupDate` (China time) and its orders were placed and paid through that day.
   */
  async backdateCampaign(db: Database, campaignId: number, pickupDate: string): Promise<void> {
    await db.query(
      `UPDATE campaigns SET starts_at = ($2::date - 1) + time '07:00' - interval '8 hours',
                            cutoff_at = ($2::date - 1) + time '23:00' - interval '8 hours',
                            pickup_date = $2::date
        WHERE id = $1`,
      [campaignId, pickupDate],
    );
    // Spread the orders over the selling day (07:00–22:30 China time), keeping their order.
    await db.query(
      `WITH o AS (
         SELECT id, row_number() OVER (ORDER BY id) AS k, count(*) OVER () AS n FROM orders WHERE campaign_id = $1
       )
       UPDATE orders SET created_at = ($2::date - 1) + time '07:00' - interval '8 hours' + (o.k::float / (o.n + 1)) * interval '15 hours 30 minutes',
                         paid_at = CASE WHEN orders.paid_at IS NULL THEN NULL
                                   ELSE ($2::date - 1) + time '07:00' - interval '8 hours' + (o.k::float / (o.n + 1)) * interval '15 hours 30 minutes' + interval '2 minutes' END
         FROM o WHERE orders.id = o.id`,
      [campaignId, pickupDate],
    );
  }

  /** The hand-offs and pickups of a past day happened on that day, not now. */
  async backdateDay(db: Database, waveId: number, pickupDate: string): Promise<void> {
    await db.query(`UPDATE waves SET created_at = ($2::date - 1) + time '23:05' - interval '8 hours' WHERE id = $1`, [waveId, pickupDate]);
    await db.query(
      `UPDATE delivery_routes SET dispatched_at = $2::date + time '05:30' - interval '8 hours' WHERE wave_id = $1 AND dispatched_at IS NOT NULL`,
      [waveId, pickupDate],
    );
    await db.query(
      `UPDATE handoffs SET signed_at = $2::date + CASE kind WHEN 'central_receipt' THEN time '01:30' WHEN 'grid_receipt' THEN time '04:30' ELSE time '07:40' END - interval '8 hours'
        WHERE wave_id = $1`,
      [waveId, pickupDate],
    );
    await db.query(
      `UPDATE pickups p SET picked_at = $2::date + time '09:00' - interval '8 hours' + ((p.id * 7919) % 600) * interval '1 minute'
         FROM waves w, orders o
        WHERE w.id = $1 AND o.id = p.order_id AND o.campaign_id = ANY (w.campaign_ids)`,
      [waveId, pickupDate],
    );
    await db.query(
      `UPDATE orders o SET completed_at = p.at FROM (
         SELECT order_id, max(picked_at) AS at FROM pickups GROUP BY order_id) p, waves w
        WHERE w.id = $1 AND o.id = p.order_id AND o.campaign_id = ANY (w.campaign_ids) AND o.completed_at IS NOT NULL`,
      [waveId],
    );
  }

  /** Pickup points with a leader in the compounds of one district, the demo's own point first. */
  async pointsOfDistrict(db: Database, regionId: number, demoPointId: number, limit: number): Promise<Array<{ id: number; communityId: number; leaderId: number }>> {
    return db.query(
      `SELECT p.id::int AS id, p.community_id::int AS "communityId", p.leader_account_id::int AS "leaderId"
         FROM pickup_points p JOIN communities c ON c.id = p.community_id
        WHERE c.region_id = $1 AND p.status = 'active' AND p.leader_account_id IS NOT NULL
        ORDER BY (p.id = $2) DESC, p.id
        LIMIT $3`,
      [regionId, demoPointId, limit],
    );
  }

  /** Residents bound to a point (not its leader), in id order. */
  async residentsOf(db: Database, pointId: number, limit: number, exclude: number[]): Promise<number[]> {
    const rows = await db.query<{ id: number }>(
      `SELECT b.account_id::int AS id FROM resident_pickup_bindings b JOIN pickup_points p ON p.id = b.pickup_point_id
        WHERE b.pickup_point_id = $1 AND b.account_id <> COALESCE(p.leader_account_id, 0)
          AND NOT (b.account_id = ANY ($3::bigint[]))
        ORDER BY b.account_id LIMIT $2`,
      [pointId, limit, exclude],
    );
    return rows.map((r) => r.id);
  }
}
