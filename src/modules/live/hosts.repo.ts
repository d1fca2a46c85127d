// SQL of host profiles, follows and the trust figures computed from a host's orders.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { selectRows, type Executor } from '../../db';
import { hostFollows, hostProfiles } from './live.schema';

export type HostProfileRow = typeof hostProfiles.$inferSelect;
export type HostProfileInput = Pick<HostProfileRow, 'displayName' | 'persona' | 'avatarUrl' | 'regionId'>;

/** The counts behind a host's trust figures, all from orders attributed to the host. */
export interface TrustCounts {
  /** Distinct buyers with a paid order. */
  buyers: number;
  /** Of those, buyers with two or more paid orders. */
  repeatBuyers: number;
  paidOrders: number;
  /** Paid orders with at least one after-sales request. */
  afterSalesOrders: number;
  /** Paid orders handed over (completed). */
  delivered: number;
  /** Of those, handed over within 72 hours of payment. */
  deliveredOnTime: number;
}

export class HostsRepo {
  async profile(db: Executor, accountId: number): Promise<HostProfileRow | null> {
    return (await db.select().from(hostProfiles).where(eq(hostProfiles.accountId, accountId)).limit(1))[0] ?? null;
  }

  async profiles(db: Executor, accountIds: number[]): Promise<HostProfileRow[]> {
    if (accountIds.length === 0) return [];
    return db.select().from(hostProfiles).where(inArray(hostProfiles.accountId, accountIds));
  }

  /** Create or change the host's own profile; the commission rate is the platform's to set, never here. */
  async upsertProfile(db: Executor, accountId: number, input: HostProfileInput): Promise<HostProfileRow> {
    return (
      await db
        .insert(hostProfiles)
        .values({ accountId, ...input })
        .onConflictDoUpdate({ target: hostProfiles.accountId, set: input })
        .returning()
    )[0]!;
  }

  async follow(db: Executor, hostAccountId: number, followerAccountId: number): Promise<void> {
    await db.insert(hostFollows).values({ hostAccountId, followerAccountId }).onConflictDoNothing();
  }

  async unfollow(db: Executor, hostAccountId: number, followerAccountId: number): Promise<void> {
    await db.delete(hostFollows).where(and(eq(hostFollows.hostAccountId, hostAccountId), eq(hostFollows.followerAccountId, followerAccountId)));
  }

  async followers(db: Executor, hostAccountId: number, viewerAccountId: number | null): Promise<{ followers: number; following: boolean }> {
    const rows = await selectRows<{ followers: number; following: boolean }>(
      db,
      sql`SELECT count(*)::int AS followers, coalesce(bool_or(follower_account_id = ${viewerAccountId ?? 0}), false) AS following
          FROM host_follows WHERE host_account_id = ${hostAccountId}`,
    );
    return rows[0]!;
  }

  async displayName(db: Executor, accountId: number): Promise<string | null> {
    const rows = await selectRows<{ name: string }>(db, sql`SELECT display_name AS name FROM accounts WHERE id = ${accountId}`);
    return rows[0]?.name ?? null;
  }

  /** One statement over the host's paid orders (orders_host_idx). */
  async trustCounts(db: Executor, hostAccountId: number): Promise<TrustCounts> {
    const rows = await selectRows<TrustCounts>(
      db,
      sql`WITH paid AS (
            SELECT o.id, o.buyer_account_id, o.paid_at, o.completed_at
            FROM orders o WHERE o.host_account_id = ${hostAccountId} AND o.paid_at IS NOT NULL
          ), per_buyer AS (
            SELECT buyer_account_id, count(*) AS n FROM paid GROUP BY buyer_account_id
          )
          SELECT (SELECT count(*)::int FROM per_buyer) AS buyers,
                 (SELECT count(*)::int FROM per_buyer WHERE n >= 2) AS "repeatBuyers",
                 (SELECT count(*)::int FROM paid) AS "paidOrders",
                 (SELECT count(DISTINCT a.order_id)::int FROM after_sales_requests a JOIN paid ON paid.id = a.order_id) AS "afterSalesOrders",
                 (SELECT count(*)::int FROM paid WHERE completed_at IS NOT NULL) AS delivered,
                 (SELECT count(*)::int FROM paid WHERE completed_at IS NOT NULL AND completed_at <= paid_at + interval '72 hours') AS "deliveredOnTime"`,
    );
    return rows[0]!;
  }

  async sessionCounts(db: Executor, hostAccountId: number): Promise<{ sessions: number; live: number }> {
    const rows = await selectRows<{ sessions: number; live: number }>(
      db,
      sql`SELECT count(*) FILTER (WHERE status IN ('live', 'ended'))::int AS sessions, count(*) FILTER (WHERE status = 'live')::int AS live
          FROM live_sessions WHERE host_account_id = ${hostAccountId}`,
    );
    return rows[0]!;
  }
}
