// SQL of residents' pickup-point bindings and their change log.
import { and, count, eq, gt, isNotNull, sql } from 'drizzle-orm';
import { selectRows, type Executor } from '../../db';
import { residentBindingChanges, residentPickupBindings } from './leaders.schema';

export type Binding = typeof residentPickupBindings.$inferSelect;

export class BindingsRepo {
  async find(db: Executor, accountId: number, opts: { lock?: boolean } = {}): Promise<Binding | null> {
    const q = db.select().from(residentPickupBindings).where(eq(residentPickupBindings.accountId, accountId)).limit(1);
    return (await (opts.lock ? q.for('update') : q))[0] ?? null;
  }

  /** Switches (not first binds) since `since`. */
  async switchesSince(db: Executor, accountId: number, since: Date): Promise<number> {
    const rows = await db
      .select({ n: count() })
      .from(residentBindingChanges)
      .where(and(eq(residentBindingChanges.accountId, accountId), isNotNull(residentBindingChanges.fromPointId), gt(residentBindingChanges.changedAt, since)));
    return Number(rows[0]?.n ?? 0);
  }

  /** Bind or switch; returns null when a concurrent first bind got there first. */
  async bind(db: Executor, accountId: number, from: number | null, to: number, at: Date): Promise<Binding | null> {
    const row = { accountId, pickupPointId: to, boundAt: at };
    const res =
      from === null
        ? await db.insert(residentPickupBindings).values(row).onConflictDoNothing().returning()
        : await db
            .update(residentPickupBindings)
            .set({ pickupPointId: to, boundAt: at })
            .where(and(eq(residentPickupBindings.accountId, accountId), eq(residentPickupBindings.pickupPointId, from)))
            .returning();
    if (!res[0]) return null;
    await db.insert(residentBindingChanges).values({ accountId, fromPointId: from, toPointId: to, changedAt: at });
    return res[0];
  }

  /** Display names of the leaders of these points (accounts and pickup_points are only read). */
  async leaderNames(db: Executor, pointIds: number[]): Promise<Map<number, string>> {
    if (pointIds.length === 0) return new Map();
    const rows = await selectRows<{ id: number; name: string }>(
      db,
      // The display name, not the verified real name: residents need no one's identity details.
      sql`SELECT pp.id, a.display_name AS name FROM pickup_points pp JOIN accounts a ON a.id = pp.leader_account_id
          WHERE pp.id = ANY(${sql.param(pointIds)}::bigint[])`,
    );
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
