// SQL of pickup verification (核销) and the leader's order screens: a point's open orders,
// relay numbers (跟团号: a point's paid orders of a campaign numbered by paid_at, id — never
// stored), and the pickup rows each scan writes.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { bulkInsert, selectRows, type Executor } from '../../db';
import { pickups } from './fulfilment.schema';

export type PickupRow = typeof pickups.$inferSelect;

/** Orders a leader may be asked to hand over: paid (no wave yet, or the van not gone), on the way, or at the point. */
export const LOOKUP_STATUSES = ['paid', 'fulfilling', 'ready'] as const;

export interface PointOrderHead {
  id: number;
  relayNo: number;
  buyerName: string;
  status: string;
  campaignId: number | null;
  totalFen: number;
  refundedFen: number;
  paidAt: Date;
  pickedAt: Date | null;
}

export interface LeaderOrderFilter {
  campaignId?: number | undefined;
  /** The campaign's pickup day, YYYY-MM-DD. */
  date?: string | undefined;
}

export class PickupsRepo {
  /** Ids of the point's group-buy pickup orders a code could belong to (a few hundred). */
  async openOrderIds(db: Executor, pointId: number): Promise<number[]> {
    const rows = await selectRows<{ id: number }>(
      db,
      sql`SELECT id FROM orders
          WHERE pickup_point_id = ${pointId} AND channel = 'group_buy' AND fulfilment = 'pickup'
            AND status = ANY(${sql.param([...LOOKUP_STATUSES])}::text[])`,
    );
    return rows.map((r) => Number(r.id));
  }

  /**
   * These orders of the point with their relay numbers, buyer names and latest pickup, in the
   * order of `ids`. Numbering runs over all the point's paid orders of the same campaigns, so
   * refunded and collected orders keep their places.
   */
  async heads(db: Executor, pointId: number, ids: number[]): Promise<PointOrderHead[]> {
    if (ids.length === 0) return [];
    const rows = await selectRows<PointOrderHead & { paidAt: Date | string; pickedAt: Date | string | null }>(
      db,
      sql`WITH wanted AS (
            SELECT id, campaign_id FROM orders WHERE id = ANY(${sql.param(ids)}::bigint[]) AND pickup_point_id = ${pointId} AND paid_at IS NOT NULL),
          numbered AS (
            SELECT o.id, row_number() OVER (PARTITION BY o.campaign_id ORDER BY o.paid_at, o.id)::int AS no
            FROM orders o
            WHERE o.pickup_point_id = ${pointId} AND o.paid_at IS NOT NULL
              AND (o.campaign_id IN (SELECT campaign_id FROM wanted WHERE campaign_id IS NOT NULL)
                   OR (o.campaign_id IS NULL AND EXISTS (SELECT 1 FROM wanted WHERE campaign_id IS NULL))))
          SELECT o.id, n.no AS "relayNo", a.display_name AS "buyerName", o.status, o.campaign_id AS "campaignId",
                 o.total_fen AS "totalFen", o.refunded_fen AS "refundedFen", o.paid_at AS "paidAt",
                 (SELECT max(p.picked_at) FROM pickups p WHERE p.order_id = o.id AND p.undone_at IS NULL) AS "pickedAt"
          FROM wanted w JOIN orders o ON o.id = w.id JOIN numbered n ON n.id = o.id JOIN accounts a ON a.id = o.buyer_account_id`,
    );
    const byId = new Map(
      rows.map((r) => [
        Number(r.id),
        {
          ...r,
          id: Number(r.id),
          campaignId: r.campaignId === null ? null : Number(r.campaignId),
          totalFen: Number(r.totalFen),
          refundedFen: Number(r.refundedFen),
          paidAt: new Date(r.paidAt),
          pickedAt: r.pickedAt === null ? null : new Date(r.pickedAt),
        },
      ]),
    );
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** A page of the point's paid orders, newest first (cursor on order id). */
  async pointOrderIds(db: Executor, pointId: number, f: LeaderOrderFilter, beforeId: number | null, limit: number): Promise<number[]> {
    const rows = await selectRows<{ id: number }>(
      db,
      sql`SELECT o.id FROM orders o
          ${f.date === undefined ? sql`` : sql`JOIN campaigns c ON c.id = o.campaign_id AND c.pickup_date = ${f.date}::date`}
          WHERE o.pickup_point_id = ${pointId} AND o.paid_at IS NOT NULL
            ${f.campaignId === undefined ? sql`` : sql`AND o.campaign_id = ${f.campaignId}`}
            ${beforeId === null ? sql`` : sql`AND o.id < ${beforeId}`}
          ORDER BY o.id DESC LIMIT ${limit}`,
    );
    return rows.map((r) => Number(r.id));
  }

  async insert(db: Executor, rows: Omit<typeof pickups.$inferInsert, 'id' | 'undoneAt' | 'undoneBy'>[]): Promise<PickupRow[]> {
    return bulkInsert(db, pickups, rows);
  }

  /** The rows of one scan, still in effect; locked when an undo is about to change them. */
  async liveRowsOfScan(db: Executor, scanId: string, lock: boolean): Promise<PickupRow[]> {
    const q = db
      .select()
      .from(pickups)
      .where(and(eq(pickups.scanId, scanId), isNull(pickups.undoneAt)))
      .orderBy(pickups.id);
    return lock ? q.for('update') : q;
  }

  async anyRowOfScan(db: Executor, scanId: string): Promise<PickupRow | null> {
    return (await db.select().from(pickups).where(eq(pickups.scanId, scanId)).limit(1))[0] ?? null;
  }

  async markUndone(db: Executor, scanId: string, by: number, at: Date): Promise<number> {
    const rows = await db
      .update(pickups)
      .set({ undoneAt: at, undoneBy: by })
      .where(and(eq(pickups.scanId, scanId), isNull(pickups.undoneAt)))
      .returning({ id: pickups.id });
    return rows.length;
  }
}
