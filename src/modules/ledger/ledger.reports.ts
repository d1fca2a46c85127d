// The read side of the ledger: statements, listings and the self-checks. LedgerService
// extends this, so callers see one service; the split only keeps each file readable.
import type { Database } from '../../db';
import { badInput, decodeCursor, toPage, type Page } from '../../kernel';
import { LedgerRepo, type CommissionRow, type EntryLineView, type JournalEntryRow, type LedgerAccountRow, type PayoutRow } from './ledger.repo';
import * as rules from './ledger.rules';
import type { Bucket } from './ledger.rules';
import { PAYOUT_STATUSES, type PayoutStatus } from './ledger.schema';

export interface StatementBalances {
  /** Earned, waiting for the after-sales window to close. */
  frozenFen: number;
  /** Can be paid out; below zero when released commissions were later refunded (a debt). */
  availableFen: number;
  /** Asked for, not yet paid or rejected. */
  payoutPendingFen: number;
  /** Every commission ever earned, net of reversals. */
  lifetimeEarnedFen: number;
  /** Paid out so far. frozen + available + pending = lifetimeEarned − paidOut. */
  paidOutFen: number;
}

export interface StatementLine {
  id: number;
  entryId: number;
  bucket: Bucket;
  /** Seen from the beneficiary: positive adds to what they are owed in that bucket. */
  changeFen: number;
  kind: string;
  refType: string;
  refId: number;
  memo: string | null;
  createdAt: Date;
}

export interface Statement {
  balances: StatementBalances;
  /** Newest first. */
  commissions: Page<CommissionRow>;
  /** Newest first. */
  lines: Page<StatementLine>;
}

export type EntryWithLines = JournalEntryRow & { lines: Array<Omit<EntryLineView, 'entryId'>> };

export type VerifyProblem =
  | { kind: 'account_balance'; ledgerAccountId: number; code: string; balanceFen: number; linesFen: number }
  | { kind: 'entry_unbalanced'; entryId: number; sumFen: number; lines: number }
  | { kind: 'beneficiary_mismatch'; beneficiaryAccountId: number; bucket: string; owedFen: number; expectedFen: number };

export interface PageOptions {
  cursor?: string | undefined;
  limit?: number | undefined;
}

// Reads spanning several queries see one consistent snapshot of a moving ledger.
const SNAPSHOT = { isolationLevel: 'repeatable read', accessMode: 'read only' } as const;

export class LedgerReports {
  protected readonly repo = new LedgerRepo();

  constructor(protected readonly db: Database) {}

  /**
   * One person's balances and history. `cursor` pages the journal lines, `commissionCursor`
   * the commissions; both newest first.
   */
  async statement(beneficiaryAccountId: number, q: PageOptions & { commissionCursor?: string | undefined } = {}): Promise<Statement> {
    const who = rules.id(beneficiaryAccountId, 'beneficiaryAccountId');
    const limit = rules.pageLimit(q.limit);
    const lineBefore = decodeCursor(q.cursor, 'cursor');
    const commissionBefore = decodeCursor(q.commissionCursor, 'commissionCursor');
    // One snapshot, so the balances agree with each other and with the pages.
    return this.db.orm.transaction(
      async (db) => {
        const accounts = await this.repo.accountsOwnedBy(db, who);
        const owed = (b: Bucket) => 0 - (accounts.find((a) => rules.bucketOf(a.code) === b)?.balanceFen ?? 0);
        const earned = await this.repo.earnedOf(db, who);
        const paidOutFen = await this.repo.paidOutOf(db, who);
        const commissions = await this.repo.commissionsOf(db, who, { beforeId: commissionBefore, limit });
        const accountIds = accounts.map((a) => a.id);
        const lines = await this.repo.linesOfAccounts(db, accountIds, { beforeId: lineBefore, limit });
        return {
          balances: {
            frozenFen: owed('frozen'),
            availableFen: owed('available'),
            payoutPendingFen: owed('payout_pending'),
            lifetimeEarnedFen: earned.earnedFen - earned.reversedFen,
            paidOutFen,
          },
          commissions: toPage(commissions, limit),
          lines: toPage(
            lines.map(({ code, amountFen, ...l }) => ({ ...l, bucket: rules.bucketOf(code)!, changeFen: 0 - amountFen })),
            limit,
          ),
        };
      },
      SNAPSHOT,
    );
  }

  async listAccounts(q: PageOptions = {}): Promise<Page<LedgerAccountRow>> {
    const limit = rules.pageLimit(q.limit);
    return toPage(await this.repo.listAccounts(this.db.orm, { afterId: decodeCursor(q.cursor), limit }), limit);
  }

  /** Journal entries newest first, each with its lines. */
  async listEntries(q: PageOptions = {}): Promise<Page<EntryWithLines>> {
    const limit = rules.pageLimit(q.limit);
    const page = toPage(await this.repo.listEntries(this.db.orm, { beforeId: decodeCursor(q.cursor), limit }), limit);
    const lines = await this.repo.linesOfEntries(
      this.db.orm,
      page.items.map((e) => e.id),
    );
    const byEntry = new Map<number, EntryWithLines['lines']>();
    for (const { entryId, ...l } of lines) {
      if (!byEntry.has(entryId)) byEntry.set(entryId, []);
      byEntry.get(entryId)!.push(l);
    }
    return { items: page.items.map((e) => ({ ...e, lines: byEntry.get(e.id) ?? [] })), nextCursor: page.nextCursor };
  }

  /** Payouts oldest first (the order operators work through them). */
  async listPayouts(status: PayoutStatus | undefined, q: PageOptions = {}): Promise<Page<PayoutRow>> {
    if (status !== undefined && !PAYOUT_STATUSES.includes(status)) throw badInput('status', `status must be one of ${PAYOUT_STATUSES.join(', ')}`);
    const limit = rules.pageLimit(q.limit);
    return toPage(await this.repo.listPayouts(this.db.orm, { status, afterId: decodeCursor(q.cursor), limit }), limit);
  }

  /** Σ of all balances: zero whenever every entry balances. */
  async trialBalance(): Promise<{ sumFen: number; accounts: number }> {
    return this.repo.trialBalance(this.db.orm);
  }

  /**
   * Everything that should never happen, found by scanning: a balance that is not the sum of
   * its lines, an entry that does not sum to zero, a beneficiary bucket that disagrees with the
   * commission and payout rows. Empty when the ledger is sound. Reads whole tables.
   */
  async verify(): Promise<VerifyProblem[]> {
    const [accounts, entries, beneficiaries] = await this.db.orm.transaction(
      async (db) => [await this.repo.accountsOutOfBalance(db), await this.repo.unbalancedEntries(db), await this.repo.subledgerMismatches(db)] as const,
      SNAPSHOT,
    );
    return [
      ...accounts.map((a) => ({ kind: 'account_balance' as const, ledgerAccountId: a.id, code: a.code, balanceFen: a.balanceFen, linesFen: a.linesFen })),
      ...entries.map((e) => ({ kind: 'entry_unbalanced' as const, entryId: e.id, sumFen: e.sumFen, lines: e.lines })),
      ...beneficiaries.map((b) => ({ kind: 'beneficiary_mismatch' as const, ...b })),
    ];
  }
}
