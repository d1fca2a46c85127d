// All SQL of the ledger. Methods take an Executor so the service (or the caller's flow) decides
// transaction boundaries. There is no UPDATE or DELETE of journal rows here, nor anywhere: the
// journal is append-only (and triggers in 0005_ledger.sql refuse it).
import { and, asc, desc, eq, gt, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db';
import type { AccountSpec } from './ledger.rules';
import { commissions, journalEntries, journalLines, ledgerAccounts, payouts, type PayoutStatus } from './ledger.schema';

export type LedgerAccountRow = typeof ledgerAccounts.$inferSelect;
export type JournalEntryRow = typeof journalEntries.$inferSelect;
export type CommissionRow = typeof commissions.$inferSelect;
export type PayoutRow = typeof payouts.$inferSelect;
export type NewCommission = Omit<typeof commissions.$inferInsert, 'id' | 'status' | 'reversedFen' | 'releasedAt' | 'releaseAfter'>;

export interface EntryLineView {
  entryId: number;
  ledgerAccountId: number;
  code: string;
  amountFen: number;
}

export interface StatementLineRow {
  id: number;
  entryId: number;
  code: string;
  amountFen: number;
  kind: string;
  refType: string;
  refId: number;
  memo: string | null;
  createdAt: Date;
}

export interface ClaimedCommission {
  id: number;
  beneficiaryAccountId: number;
  netFen: number;
}

const rowsOf = <T>(res: unknown): T[] => (res as { rows: T[] }).rows;

export class LedgerRepo {
  // ── journal ─────────────────────────────────────────────────────────────────
  /** The entry's id, or null when its idempotency key was posted before (a replay). */
  async insertEntry(
    db: Executor,
    e: { kind: string; refType: string; refId: number; idempotencyKey: string; memo: string | null; createdAt: Date },
  ): Promise<number | null> {
    const rows = await db
      .insert(journalEntries)
      .values(e)
      .onConflictDoNothing({ target: journalEntries.idempotencyKey })
      .returning({ id: journalEntries.id });
    return rows[0]?.id ?? null;
  }

  /** Ids of the accounts, creating the missing ones. */
  async ensureAccounts(db: Executor, specs: AccountSpec[]): Promise<Map<string, number>> {
    const codes = specs.map((s) => s.code);
    const found = await this.accountIds(db, codes);
    // Sorted: two transactions creating overlapping sets wait on each other's uncommitted
    // index entries in one order, never in a cycle (they deadlocked before, seen in CI).
    const missing = specs.filter((s) => !found.has(s.code)).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    if (missing.length === 0) return found;
    // A concurrent creator of the same code wins; DO NOTHING then the re-read finds its row.
    await db
      .insert(ledgerAccounts)
      .values(missing.map((s) => ({ code: s.code, kind: s.kind, ownerAccountId: s.ownerAccountId })))
      .onConflictDoNothing({ target: ledgerAccounts.code });
    return this.accountIds(db, codes);
  }

  async accountIds(db: Executor, codes: string[]): Promise<Map<string, number>> {
    if (codes.length === 0) return new Map();
    const rows = await db.select({ id: ledgerAccounts.id, code: ledgerAccounts.code }).from(ledgerAccounts).where(inArray(ledgerAccounts.code, codes));
    return new Map(rows.map((r) => [r.code, r.id]));
  }

  /**
   * Row-lock accounts in ascending id order. NO KEY UPDATE, like the balance UPDATE itself, so
   * journal lines inserted elsewhere (their foreign key takes KEY SHARE) are not held up.
   */
  async lockAccounts(db: Executor, ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await db
      .select({ id: ledgerAccounts.id })
      .from(ledgerAccounts)
      .where(inArray(ledgerAccounts.id, ids))
      .orderBy(asc(ledgerAccounts.id))
      .for('no key update');
  }

  /**
   * Add `deltaFen` to one balance, only while the account still owes ≥ 0 afterwards (its
   * credit-normal balance stays ≤ 0). One conditional UPDATE: concurrent payouts each re-check
   * against the committed balance and can never overdraw. False when refused.
   */
  async debitCovered(db: Executor, accountId: number, deltaFen: number): Promise<boolean> {
    const rows = await db
      .update(ledgerAccounts)
      .set({ balanceFen: sql`${ledgerAccounts.balanceFen} + ${deltaFen}` })
      .where(and(eq(ledgerAccounts.id, accountId), sql`${ledgerAccounts.balanceFen} + ${deltaFen} <= 0`))
      .returning({ id: ledgerAccounts.id });
    return rows.length === 1;
  }

  /** Add each delta to its balance in one statement; callers lock the rows first (lockAccounts). */
  async addToBalances(db: Executor, deltas: { id: number; deltaFen: number }[]): Promise<void> {
    if (deltas.length === 0) return;
    const values = sql.join(
      deltas.map((d) => sql`(${d.id}::bigint, ${d.deltaFen}::bigint)`),
      sql`, `,
    );
    await db.execute(sql`
      UPDATE ledger_accounts a SET balance_fen = a.balance_fen + v.delta
      FROM (VALUES ${values}) AS v(id, delta) WHERE a.id = v.id`);
  }

  async insertLines(db: Executor, lines: { entryId: number; ledgerAccountId: number; amountFen: number }[]): Promise<void> {
    await db.insert(journalLines).values(lines);
  }

  // ── commissions ─────────────────────────────────────────────────────────────
  async insertCommissions(db: Executor, rows: NewCommission[]): Promise<void> {
    if (rows.length > 0) await db.insert(commissions).values(rows);
  }

  /** An order's commissions, locked: refunds of one order and releases serialise on these rows. */
  async lockOrderCommissions(db: Executor, orderId: number): Promise<CommissionRow[]> {
    return db.select().from(commissions).where(eq(commissions.orderId, orderId)).orderBy(asc(commissions.id)).for('update');
  }

  async setReversed(db: Executor, id: number, reversedFen: number): Promise<void> {
    await db.update(commissions).set({ reversedFen }).where(eq(commissions.id, id));
  }

  async scheduleRelease(db: Executor, orderId: number, releaseAfter: Date): Promise<number> {
    const rows = await db
      .update(commissions)
      .set({ releaseAfter })
      .where(and(eq(commissions.orderId, orderId), eq(commissions.status, 'frozen')))
      .returning({ id: commissions.id });
    return rows.length;
  }

  /** Stop the after-sales clock: still-frozen commissions wait again for a completion. */
  async unscheduleRelease(db: Executor, orderId: number): Promise<number> {
    const rows = await db
      .update(commissions)
      .set({ releaseAfter: null })
      .where(and(eq(commissions.orderId, orderId), eq(commissions.status, 'frozen')))
      .returning({ id: commissions.id });
    return rows.length;
  }

  /**
   * Mark up to `limit` matured commissions released and return what each moves. SKIP LOCKED:
   * a second releaser (or a refund holding an order's rows) is stepped over, never waited on,
   * and the status condition makes each commission released exactly once.
   */
  async claimMatured(db: Executor, now: Date, limit: number): Promise<ClaimedCommission[]> {
    const res = await db.execute(sql`
      UPDATE commissions SET status = 'released', released_at = ${now}
      WHERE id IN (
        SELECT id FROM commissions
        WHERE status = 'frozen' AND release_after IS NOT NULL AND release_after <= ${now}
        ORDER BY release_after, id LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      AND status = 'frozen'
      RETURNING id, beneficiary_account_id, amount_fen - reversed_fen AS net_fen`);
    return rowsOf<{ id: unknown; beneficiary_account_id: unknown; net_fen: unknown }>(res)
      .map((r) => ({ id: Number(r.id), beneficiaryAccountId: Number(r.beneficiary_account_id), netFen: Number(r.net_fen) }))
      .sort((a, b) => a.id - b.id);
  }

  async commissionsOf(db: Executor, beneficiaryAccountId: number, q: { beforeId: number | null; limit: number }): Promise<CommissionRow[]> {
    const conds: SQL[] = [eq(commissions.beneficiaryAccountId, beneficiaryAccountId)];
    if (q.beforeId !== null) conds.push(lt(commissions.id, q.beforeId));
    return db.select().from(commissions).where(and(...conds)).orderBy(desc(commissions.id)).limit(q.limit + 1);
  }

  async earnedOf(db: Executor, beneficiaryAccountId: number): Promise<{ earnedFen: number; reversedFen: number }> {
    const rows = await db
      .select({
        earnedFen: sql<number>`coalesce(sum(${commissions.amountFen}), 0)`.mapWith(Number),
        reversedFen: sql<number>`coalesce(sum(${commissions.reversedFen}), 0)`.mapWith(Number),
      })
      .from(commissions)
      .where(eq(commissions.beneficiaryAccountId, beneficiaryAccountId));
    return rows[0]!;
  }

  // ── payouts ─────────────────────────────────────────────────────────────────
  async insertPayout(db: Executor, p: { beneficiaryAccountId: number; amountFen: number; createdAt: Date }): Promise<PayoutRow> {
    return (await db.insert(payouts).values(p).returning())[0]!;
  }

  /** Decide a payout only while it is still requested; null when it is not (any more). */
  async decidePayout(
    db: Executor,
    id: number,
    d: { status: Exclude<PayoutStatus, 'requested'>; decidedBy: number; reason: string | null; decidedAt: Date },
  ): Promise<PayoutRow | null> {
    const rows = await db
      .update(payouts)
      .set(d)
      .where(and(eq(payouts.id, id), eq(payouts.status, 'requested')))
      .returning();
    return rows[0] ?? null;
  }

  async findPayout(db: Executor, id: number): Promise<PayoutRow | null> {
    return (await db.select().from(payouts).where(eq(payouts.id, id)).limit(1))[0] ?? null;
  }

  async listPayouts(db: Executor, q: { status?: PayoutStatus | undefined; afterId: number | null; limit: number }): Promise<PayoutRow[]> {
    const conds: SQL[] = [];
    if (q.status) conds.push(eq(payouts.status, q.status));
    if (q.afterId !== null) conds.push(gt(payouts.id, q.afterId));
    return db.select().from(payouts).where(conds.length ? and(...conds) : undefined).orderBy(asc(payouts.id)).limit(q.limit + 1);
  }

  async paidOutOf(db: Executor, beneficiaryAccountId: number): Promise<number> {
    const rows = await db
      .select({ fen: sql<number>`coalesce(sum(${payouts.amountFen}), 0)`.mapWith(Number) })
      .from(payouts)
      .where(and(eq(payouts.beneficiaryAccountId, beneficiaryAccountId), eq(payouts.status, 'paid')));
    return rows[0]!.fen;
  }

  // ── reads ───────────────────────────────────────────────────────────────────
  async accountsOwnedBy(db: Executor, ownerAccountId: number): Promise<LedgerAccountRow[]> {
    return db.select().from(ledgerAccounts).where(eq(ledgerAccounts.ownerAccountId, ownerAccountId)).orderBy(asc(ledgerAccounts.id));
  }

  async listAccounts(db: Executor, q: { afterId: number | null; limit: number }): Promise<LedgerAccountRow[]> {
    return db
      .select()
      .from(ledgerAccounts)
      .where(q.afterId === null ? undefined : gt(ledgerAccounts.id, q.afterId))
      .orderBy(asc(ledgerAccounts.id))
      .limit(q.limit + 1);
  }

  async listEntries(db: Executor, q: { beforeId: number | null; limit: number }): Promise<JournalEntryRow[]> {
    return db
      .select()
      .from(journalEntries)
      .where(q.beforeId === null ? undefined : lt(journalEntries.id, q.beforeId))
      .orderBy(desc(journalEntries.id))
      .limit(q.limit + 1);
  }

  async linesOfEntries(db: Executor, entryIds: number[]): Promise<EntryLineView[]> {
    if (entryIds.length === 0) return [];
    return db
      .select({ entryId: journalLines.entryId, ledgerAccountId: journalLines.ledgerAccountId, code: ledgerAccounts.code, amountFen: journalLines.amountFen })
      .from(journalLines)
      .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, journalLines.ledgerAccountId))
      .where(inArray(journalLines.entryId, entryIds))
      .orderBy(asc(journalLines.entryId), asc(journalLines.id));
  }

  async linesOfAccounts(db: Executor, accountIds: number[], q: { beforeId: number | null; limit: number }): Promise<StatementLineRow[]> {
    if (accountIds.length === 0) return [];
    const conds: SQL[] = [inArray(journalLines.ledgerAccountId, accountIds)];
    if (q.beforeId !== null) conds.push(lt(journalLines.id, q.beforeId));
    return db
      .select({
        id: journalLines.id,
        entryId: journalLines.entryId,
        code: ledgerAccounts.code,
        amountFen: journalLines.amountFen,
        kind: journalEntries.kind,
        refType: journalEntries.refType,
        refId: journalEntries.refId,
        memo: journalEntries.memo,
        createdAt: journalEntries.createdAt,
      })
      .from(journalLines)
      .innerJoin(journalEntries, eq(journalEntries.id, journalLines.entryId))
      .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, journalLines.ledgerAccountId))
      .where(and(...conds))
      .orderBy(desc(journalLines.id))
      .limit(q.limit + 1);
  }

  async trialBalance(db: Executor): Promise<{ sumFen: number; accounts: number }> {
    const rows = await db
      .select({
        sumFen: sql<number>`coalesce(sum(${ledgerAccounts.balanceFen}), 0)`.mapWith(Number),
        accounts: sql<number>`count(*)`.mapWith(Number),
      })
      .from(ledgerAccounts);
    return rows[0]!;
  }

  // ── verification (whole-table scans: for tests, the crash check and operators) ──
  async accountsOutOfBalance(db: Executor): Promise<{ id: number; code: string; balanceFen: number; linesFen: number }[]> {
    const res = await db.execute(sql`
      SELECT a.id, a.code, a.balance_fen, coalesce(s.total, 0) AS lines_fen
      FROM ledger_accounts a
      LEFT JOIN (SELECT ledger_account_id, sum(amount_fen) AS total FROM journal_lines GROUP BY ledger_account_id) s
        ON s.ledger_account_id = a.id
      WHERE a.balance_fen <> coalesce(s.total, 0)
      ORDER BY a.id`);
    return rowsOf<Record<string, unknown>>(res).map((r) => ({
      id: Number(r.id),
      code: String(r.code),
      balanceFen: Number(r.balance_fen),
      linesFen: Number(r.lines_fen),
    }));
  }

  async unbalancedEntries(db: Executor): Promise<{ id: number; sumFen: number; lines: number }[]> {
    const res = await db.execute(sql`
      SELECT e.id, coalesce(sum(l.amount_fen), 0) AS sum_fen, count(l.id) AS lines
      FROM journal_entries e LEFT JOIN journal_lines l ON l.entry_id = e.id
      GROUP BY e.id
      HAVING coalesce(sum(l.amount_fen), 0) <> 0 OR count(l.id) < 2
      ORDER BY e.id`);
    return rowsOf<Record<string, unknown>>(res).map((r) => ({ id: Number(r.id), sumFen: Number(r.sum_fen), lines: Number(r.lines) }));
  }

  /**
   * Per beneficiary, each bucket against what the commission and payout rows say it must hold:
   * frozen = Σ net of frozen commissions; available = Σ net of released ones − payouts requested
   * or paid; payout_pending = Σ requested payouts. Rows where the journal disagrees.
   */
  async subledgerMismatches(db: Executor): Promise<{ beneficiaryAccountId: number; bucket: string; owedFen: number; expectedFen: number }[]> {
    const res = await db.execute(sql`
      WITH expected AS (
        SELECT beneficiary_account_id AS who, 'frozen' AS bucket, sum(amount_fen - reversed_fen) AS fen
          FROM commissions WHERE status = 'frozen' GROUP BY 1
        UNION ALL
        SELECT beneficiary_account_id, 'available', sum(amount_fen - reversed_fen)
          FROM commissions WHERE status = 'released' GROUP BY 1
        UNION ALL
        SELECT beneficiary_account_id, 'available', -sum(amount_fen) FROM payouts WHERE status <> 'rejected' GROUP BY 1
        UNION ALL
        SELECT beneficiary_account_id, 'payout_pending', sum(amount_fen) FROM payouts WHERE status = 'requested' GROUP BY 1
      ), want AS (SELECT who, bucket, sum(fen) AS fen FROM expected GROUP BY who, bucket),
      have AS (
        SELECT owner_account_id AS who, split_part(code, ':', 3) AS bucket, -balance_fen AS fen
        FROM ledger_accounts WHERE owner_account_id IS NOT NULL
      )
      SELECT coalesce(h.who, w.who) AS who, coalesce(h.bucket, w.bucket) AS bucket,
             coalesce(h.fen, 0) AS owed, coalesce(w.fen, 0) AS expected
      FROM have h FULL JOIN want w ON w.who = h.who AND w.bucket = h.bucket
      WHERE coalesce(h.fen, 0) <> coalesce(w.fen, 0)
      ORDER BY 1, 2`);
    return rowsOf<Record<string, unknown>>(res).map((r) => ({
      beneficiaryAccountId: Number(r.who),
      bucket: String(r.bucket),
      owedFen: Number(r.owed),
      expectedFen: Number(r.expected),
    }));
  }
}
