// SQL of leader applications, profiles, levels and KPI history. Methods take an Executor so
// services and flows decide the transaction. Joins to accounts, pickup_points, communities
// and regions (people and place modules) only read them, for names and region filters.
import { and, asc, desc, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import { selectRows, type Executor } from '../../db';
import { leaderApplications, leaderKpiWeeks, leaderLevels, leaderProfiles } from './leaders.schema';
import type { Application, ApplicationRow, ApplicationStatus, KpiWeek, LeaderRow, LeaderStatus, Level, LevelInput, ProfileRow } from './leaders.types';

const { idCardHash: _hash, ...applicationColumns } = getTableColumns(leaderApplications);

const kpiColumns = {
  weekStart: leaderKpiWeeks.weekStart,
  orders: leaderKpiWeeks.orders,
  itemsSold: leaderKpiWeeks.itemsSold,
  gmvFen: leaderKpiWeeks.gmvFen,
  pickupsDue: leaderKpiWeeks.pickupsDue,
  pickupsOnTime: leaderKpiWeeks.pickupsOnTime,
  complaints: leaderKpiWeeks.complaints,
  onTimeBp: leaderKpiWeeks.onTimeBp,
  complaintBp: leaderKpiWeeks.complaintBp,
  verdict: leaderKpiWeeks.verdict,
  reasons: leaderKpiWeeks.reasons,
};

/** A KPI row read as JSON (lateral join) back into its API shape. */
function kpiFromJson(j: Record<string, unknown> | null): KpiWeek | null {
  if (!j) return null;
  return {
    weekStart: String(j.week_start),
    orders: Number(j.orders),
    itemsSold: Number(j.items_sold),
    gmvFen: Number(j.gmv_fen),
    pickupsDue: Number(j.pickups_due),
    pickupsOnTime: Number(j.pickups_on_time),
    complaints: Number(j.complaints),
    onTimeBp: Number(j.on_time_bp),
    complaintBp: Number(j.complaint_bp),
    verdict: j.verdict as KpiWeek['verdict'],
    reasons: (j.reasons as string[] | null) ?? [],
  };
}

export class LeadersRepo {
  // ── applications ─────────────────────────────────────────────────────────
  async insertApplication(db: Executor, row: Omit<ApplicationRow, 'id' | 'status' | 'reason' | 'decidedBy' | 'decidedAt' | 'pickupPointId' | 'createdAt'>): Promise<Application> {
    return (await db.insert(leaderApplications).values(row).returning(applicationColumns))[0]!;
  }

  async findApplication(db: Executor, id: number): Promise<Application | null> {
    return (await db.select(applicationColumns).from(leaderApplications).where(eq(leaderApplications.id, id)).limit(1))[0] ?? null;
  }

  async pendingOf(db: Executor, accountId: number): Promise<Application | null> {
    const rows = await db
      .select(applicationColumns)
      .from(leaderApplications)
      .where(and(eq(leaderApplications.accountId, accountId), eq(leaderApplications.status, 'pending')))
      .limit(1);
    return rows[0] ?? null;
  }

  async latestOf(db: Executor, accountId: number): Promise<Application | null> {
    const rows = await db
      .select(applicationColumns)
      .from(leaderApplications)
      .where(eq(leaderApplications.accountId, accountId))
      .orderBy(desc(leaderApplications.id))
      .limit(1);
    return rows[0] ?? null;
  }

  /** Oldest first, so the queue is worked in arrival order; with the applicant's name and phone. */
  async listApplications(
    db: Executor,
    q: { status?: ApplicationStatus | undefined; afterId: number | null; limit: number },
  ): Promise<Array<Application & { applicant: { displayName: string; phone: string } }>> {
    const conds: SQL[] = [];
    if (q.status) conds.push(sql`a.status = ${q.status}`);
    if (q.afterId !== null) conds.push(sql`a.id > ${q.afterId}`);
    const rows = await selectRows<{ id: number; display_name: string; phone: string }>(
      db,
      sql`SELECT a.id, acc.display_name, acc.phone FROM leader_applications a JOIN accounts acc ON acc.id = a.account_id
          ${conds.length ? sql`WHERE ${sql.join(conds, sql` AND `)}` : sql``}
          ORDER BY a.id LIMIT ${q.limit + 1}`,
    );
    if (rows.length === 0) return [];
    const apps = await db
      .select(applicationColumns)
      .from(leaderApplications)
      .where(sql`${leaderApplications.id} = ANY(${sql.param(rows.map((r) => r.id))}::bigint[])`)
      .orderBy(asc(leaderApplications.id));
    const who = new Map(rows.map((r) => [r.id, { displayName: r.display_name, phone: r.phone }]));
    return apps.map((a) => ({ ...a, applicant: who.get(a.id)! }));
  }

  /** Decide a pending application; null when it was no longer pending (someone decided first). */
  async decide(
    db: Executor,
    id: number,
    d: { status: 'approved' | 'rejected'; reason: string | null; decidedBy: number; decidedAt: Date; pickupPointId: number | null },
  ): Promise<Application | null> {
    const rows = await db
      .update(leaderApplications)
      .set(d)
      .where(and(eq(leaderApplications.id, id), eq(leaderApplications.status, 'pending')))
      .returning(applicationColumns);
    return rows[0] ?? null;
  }

  // ── profiles ─────────────────────────────────────────────────────────────
  async findProfile(db: Executor, accountId: number): Promise<ProfileRow | null> {
    return (await db.select().from(leaderProfiles).where(eq(leaderProfiles.accountId, accountId)).limit(1))[0] ?? null;
  }

  async insertProfile(db: Executor, p: Pick<ProfileRow, 'accountId' | 'applicationId' | 'realName' | 'pickupPointId' | 'levelId' | 'approvedAt'>): Promise<ProfileRow> {
    return (await db.insert(leaderProfiles).values({ ...p, updatedAt: p.approvedAt }).returning())[0]!;
  }

  async setStatus(db: Executor, accountId: number, s: { status: LeaderStatus; statusReason: string | null; warningsInRow?: number; at: Date }): Promise<ProfileRow | null> {
    const rows = await db
      .update(leaderProfiles)
      .set({ status: s.status, statusReason: s.statusReason, updatedAt: s.at, ...(s.warningsInRow === undefined ? {} : { warningsInRow: s.warningsInRow }) })
      .where(eq(leaderProfiles.accountId, accountId))
      .returning();
    return rows[0] ?? null;
  }

  /** Operator's list of leaders, by account id, with names, level, point and the latest KPI week. */
  async listLeaders(
    db: Executor,
    q: { status?: LeaderStatus | undefined; regionId?: number | undefined; accountId?: number | undefined; afterId: number | null; limit: number },
  ): Promise<LeaderRow[]> {
    const conds: SQL[] = [];
    if (q.status) conds.push(sql`p.status = ${q.status}`);
    // A city includes its counties.
    if (q.regionId !== undefined) conds.push(sql`(r.id = ${q.regionId} OR r.parent_id = ${q.regionId})`);
    if (q.accountId !== undefined) conds.push(sql`p.account_id = ${q.accountId}`);
    if (q.afterId !== null) conds.push(sql`p.account_id > ${q.afterId}`);
    const rows = await selectRows<{
      account_id: number;
      real_name: string;
      display_name: string;
      phone: string;
      status: LeaderStatus;
      status_reason: string | null;
      warnings_in_row: number;
      level_id: number | null;
      level_rank: number | null;
      level_name: string | null;
      level_bonus_bp: number | null;
      point_id: number;
      point_name: string;
      last_week: Record<string, unknown> | null;
    }>(
      db,
      sql`SELECT p.account_id, p.real_name, acc.display_name, acc.phone, p.status, p.status_reason, p.warnings_in_row,
                 l.id AS level_id, l.rank AS level_rank, l.name AS level_name, l.bonus_bp AS level_bonus_bp,
                 pp.id AS point_id, pp.name AS point_name, to_jsonb(k) AS last_week
          FROM leader_profiles p
          JOIN accounts acc ON acc.id = p.account_id
          JOIN pickup_points pp ON pp.id = p.pickup_point_id
          JOIN communities c ON c.id = pp.community_id
          JOIN regions r ON r.id = c.region_id
          LEFT JOIN leader_levels l ON l.id = p.level_id
          LEFT JOIN LATERAL (SELECT * FROM leader_kpi_weeks kw WHERE kw.account_id = p.account_id ORDER BY kw.week_start DESC LIMIT 1) k ON true
          ${conds.length ? sql`WHERE ${sql.join(conds, sql` AND `)}` : sql``}
          ORDER BY p.account_id LIMIT ${q.limit + 1}`,
    );
    return rows.map((r) => ({
      accountId: r.account_id,
      realName: r.real_name,
      displayName: r.display_name,
      phone: r.phone,
      status: r.status,
      statusReason: r.status_reason,
      warningsInRow: r.warnings_in_row,
      level: r.level_id === null ? null : { id: r.level_id, rank: r.level_rank!, name: r.level_name!, bonusBp: r.level_bonus_bp! },
      pickupPoint: { id: r.point_id, name: r.point_name },
      lastWeek: kpiFromJson(r.last_week),
    }));
  }

  /** Residents bound to a point (the binding table is this module's). */
  async residentsOf(db: Executor, pickupPointId: number): Promise<number> {
    const rows = await selectRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM resident_pickup_bindings WHERE pickup_point_id = ${pickupPointId}`);
    return rows[0]?.n ?? 0;
  }

  // ── levels ───────────────────────────────────────────────────────────────
  async levels(db: Executor): Promise<Level[]> {
    return db.select().from(leaderLevels).orderBy(asc(leaderLevels.rank));
  }

  async findLevel(db: Executor, id: number): Promise<Level | null> {
    return (await db.select().from(leaderLevels).where(eq(leaderLevels.id, id)).limit(1))[0] ?? null;
  }

  /** Insert `levels` only when the table is empty (a concurrent caller's insert wins quietly). */
  async insertLevelsIfEmpty(db: Executor, levels: LevelInput[]): Promise<void> {
    await db.transaction(async (tx) => {
      const any = await tx.select({ id: leaderLevels.id }).from(leaderLevels).limit(1);
      if (any.length) return;
      await tx.insert(leaderLevels).values(levels).onConflictDoNothing();
    });
  }

  /**
   * Make the table hold exactly `levels` (matched by rank). Leaders on a level that goes away
   * move to the highest remaining level their old threshold reaches (else the lowest).
   */
  async replaceLevels(tx: Executor, levels: LevelInput[]): Promise<Level[]> {
    for (const l of levels) {
      await tx
        .insert(leaderLevels)
        .values(l)
        .onConflictDoUpdate({ target: leaderLevels.rank, set: { name: l.name, minWeeklyItems: l.minWeeklyItems, bonusBp: l.bonusBp } });
    }
    const ranks = sql.param(levels.map((l) => l.rank));
    await selectRows(
      tx,
      sql`UPDATE leader_profiles p SET level_id = COALESCE(
            (SELECT n.id FROM leader_levels n WHERE n.rank = ANY(${ranks}::int[]) AND n.min_weekly_items <= old.min_weekly_items ORDER BY n.rank DESC LIMIT 1),
            (SELECT n.id FROM leader_levels n WHERE n.rank = ANY(${ranks}::int[]) ORDER BY n.rank LIMIT 1))
          FROM leader_levels old
          WHERE old.id = p.level_id AND NOT (old.rank = ANY(${ranks}::int[]))`,
    );
    await selectRows(tx, sql`DELETE FROM leader_levels WHERE NOT (rank = ANY(${ranks}::int[]))`);
    return this.levels(tx);
  }

  // ── KPI history ──────────────────────────────────────────────────────────
  async kpisOf(db: Executor, accountId: number, limit: number): Promise<KpiWeek[]> {
    const rows = await db
      .select(kpiColumns)
      .from(leaderKpiWeeks)
      .where(eq(leaderKpiWeeks.accountId, accountId))
      .orderBy(desc(leaderKpiWeeks.weekStart))
      .limit(limit);
    return rows;
  }

  async weekCounts(db: Executor, weekStart: string): Promise<{ leaders: number; warnings: number; suspended: number }> {
    const rows = await selectRows<{ leaders: number; warnings: number; suspended: number }>(
      db,
      sql`SELECT count(*)::int AS leaders, count(*) FILTER (WHERE verdict = 'warning')::int AS warnings,
                 count(*) FILTER (WHERE verdict = 'suspended')::int AS suspended
          FROM leader_kpi_weeks WHERE week_start = ${weekStart}::date`,
    );
    return rows[0]!;
  }

  /** Leaders the week suspended who are still suspended and whose point is still active. */
  async suspendedPointsOfWeek(db: Executor, weekStart: string): Promise<Array<{ accountId: number; pickupPointId: number }>> {
    const rows = await selectRows<{ account_id: number; pickup_point_id: number }>(
      db,
      sql`SELECT p.account_id, p.pickup_point_id FROM leader_profiles p
          JOIN leader_kpi_weeks k ON k.account_id = p.account_id AND k.week_start = ${weekStart}::date
          JOIN pickup_points pp ON pp.id = p.pickup_point_id
          WHERE k.verdict = 'suspended' AND p.status = 'suspended' AND pp.status = 'active'
          ORDER BY p.account_id`,
    );
    return rows.map((r) => ({ accountId: r.account_id, pickupPointId: r.pickup_point_id }));
  }
}
