import type { Database, Executor } from '../../db';
import { badInput, conflict, notFound, type Clock } from '../../kernel';
import type { NewCommission, PayoutRow } from './ledger.repo';
import { LedgerReports } from './ledger.reports';
import * as rules from './ledger.rules';
import { beneficiary, COMMISSION_EXPENSE, psp, SALES, SALES_REFUNDS, type EntryHeader, type EntryInput } from './ledger.rules';
import type { Party } from './ledger.schema';

export interface CommissionInput {
  party: Party;
  beneficiaryAccountId: number;
  /** Null: earned on the whole order (reversed by the order's refunded share). */
  orderLineId: number | null;
  baseFen: number;
  amountFen: number;
}
export interface PaymentInput {
  orderId: number;
  paymentId: number;
  provider: string;
  amountFen: number;
  commissions: CommissionInput[];
}
export interface RefundLineInput {
  /** Null: the order as a whole (cumulative refunded of the order, the order total). */
  orderLineId: number | null;
  /** Everything refunded on this line so far, this refund included. */
  refundedFenCumulative: number;
  lineTotalFen: number;
}
export interface RefundInput {
  orderId: number;
  refundId: number;
  provider: string;
  amountFen: number;
  lines: RefundLineInput[];
}
export interface PayoutDecision {
  decidedBy: number;
  decision: 'paid' | 'rejected';
  reason?: string | null | undefined;
}
export interface LedgerOptions {
  /** The provider account payouts leave from (platform:psp:<provider>). */
  payoutProvider?: string;
}

const MAX_COMMISSIONS = 100;
const MAX_REFUND_LINES = 500;

const lowBalance = () => conflict('the available balance does not cover this amount', 'amountFen');

/**
 * The double-entry ledger (docs/ledger.md). Methods taking `tx` first join the caller's
 * transaction, so a payment and its booking commit together; the others run their own.
 * Every posting names an idempotency key and is processed once.
 */
export class LedgerService extends LedgerReports {
  private readonly payoutProvider: string;

  constructor(
    db: Database,
    private readonly clock: Clock,
    opts: LedgerOptions = {},
  ) {
    super(db);
    this.payoutProvider = rules.provider(opts.payoutProvider ?? 'sandbox', 'payoutProvider');
  }

  /**
   * Post one balanced entry. Lines are validated (integers, non-zero, summing to zero), merged
   * per account, accounts made on demand, balances updated in ascending account id order (so
   * two postings never deadlock each other). Returns the entry id, or null when this
   * idempotency key was posted before. For the platform's own accounts: beneficiary accounts
   * are refused here.
   */
  async postEntry(tx: Executor, input: EntryInput): Promise<number | null> {
    const header = rules.checkHeader(input);
    const lines = rules.mergeLines(input.lines);
    // What a person is owed moves only with their commissions and payouts, so verify() can
    // check every beneficiary account against those rows.
    input.lines.forEach((l, i) => {
      if (rules.describeAccount(l.account).ownerAccountId !== null) {
        throw badInput(`lines.${i}.account`, 'beneficiary accounts move only through commissions and payouts');
      }
    });
    return this.post(tx, header, lines);
  }

  /** Dr psp / Cr sales; each commission Dr expense / Cr the beneficiary's frozen account. Once per payment. */
  async recordPayment(tx: Executor, input: PaymentInput): Promise<number | null> {
    const orderId = rules.id(input.orderId, 'orderId');
    const paymentId = rules.id(input.paymentId, 'paymentId');
    const provider = rules.provider(input.provider);
    const amountFen = rules.fenAmount(input.amountFen, 'amountFen');
    if (!Array.isArray(input.commissions) || input.commissions.length > MAX_COMMISSIONS) {
      throw badInput('commissions', `at most ${MAX_COMMISSIONS} commissions`);
    }
    const commissions = input.commissions.map((c, i) => {
      const f = `commissions.${i}`;
      const baseFen = rules.fenAmount(c.baseFen, `${f}.baseFen`, 0);
      return {
        party: rules.party(c.party, `${f}.party`),
        beneficiaryAccountId: rules.id(c.beneficiaryAccountId, `${f}.beneficiaryAccountId`),
        orderLineId: c.orderLineId === null ? null : rules.id(c.orderLineId, `${f}.orderLineId`),
        baseFen,
        amountFen: rules.int(c.amountFen, `${f}.amountFen`, 0, baseFen),
      };
    });
    const totalCommission = commissions.reduce((s, c) => s + c.amountFen, 0);
    if (totalCommission > amountFen) throw badInput('commissions', 'commissions exceed the payment');

    const entryId = await this.begin(tx, {
      kind: 'payment',
      refType: 'payment',
      refId: paymentId,
      idempotencyKey: `payment:${paymentId}`,
      memo: `order ${orderId}`,
    });
    if (entryId === null) return null;
    const lines = new Map<string, number>([
      [psp(provider), amountFen],
      [SALES, -amountFen],
    ]);
    rules.addLine(lines, COMMISSION_EXPENSE, totalCommission);
    for (const c of commissions) rules.addLine(lines, beneficiary(c.beneficiaryAccountId, 'frozen'), -c.amountFen);
    await this.writeLines(tx, entryId, lines);
    const createdAt = this.clock.now();
    await this.repo.insertCommissions(
      tx,
      commissions.map((c): NewCommission => ({ ...c, orderId, paymentId, entryId, createdAt })),
    );
    return entryId;
  }

  /**
   * Dr sales_refunds / Cr psp, and reverse the commissions of the refunded lines in
   * proportion: each stands reversed by floor(amount × refunded / total) of its line (of the
   * order, for order-level ones), all of it once fully refunded. Still frozen: taken from
   * frozen; released: taken from available, which may go below zero, a debt later commissions
   * pay off. Once per refund.
   */
  async recordRefund(tx: Executor, input: RefundInput): Promise<number | null> {
    const orderId = rules.id(input.orderId, 'orderId');
    const refundId = rules.id(input.refundId, 'refundId');
    const provider = rules.provider(input.provider);
    const amountFen = rules.fenAmount(input.amountFen, 'amountFen');
    if (!Array.isArray(input.lines) || input.lines.length > MAX_REFUND_LINES) throw badInput('lines', `at most ${MAX_REFUND_LINES} lines`);
    const refunded = new Map<number | null, { cumulative: number; total: number }>();
    input.lines.forEach((l, i) => {
      const lineId = l.orderLineId === null ? null : rules.id(l.orderLineId, `lines.${i}.orderLineId`);
      const total = rules.fenAmount(l.lineTotalFen, `lines.${i}.lineTotalFen`);
      const cumulative = rules.fenAmount(l.refundedFenCumulative, `lines.${i}.refundedFenCumulative`, 0);
      if (cumulative > total) throw badInput(`lines.${i}.refundedFenCumulative`, 'more refunded than the line total');
      if (refunded.has(lineId)) throw badInput(`lines.${i}.orderLineId`, 'a line is listed twice');
      refunded.set(lineId, { cumulative, total });
    });

    const entryId = await this.begin(tx, {
      kind: 'refund',
      refType: 'refund',
      refId: refundId,
      idempotencyKey: `refund:${refundId}`,
      memo: `order ${orderId}`,
    });
    if (entryId === null) return null;
    const lines = new Map<string, number>([
      [SALES_REFUNDS, amountFen],
      [psp(provider), -amountFen],
    ]);
    for (const c of await this.repo.lockOrderCommissions(tx, orderId)) {
      const r = refunded.get(c.orderLineId);
      if (!r) {
        if (c.orderLineId === null && c.amountFen > 0) {
          throw badInput('lines', 'this order has order-level commissions: include the order totals (orderLineId null)');
        }
        continue;
      }
      const target = rules.reversalTarget(c.amountFen, r.cumulative, r.total);
      // Cumulative figures only grow; a stale (smaller) one reverses nothing rather than undoing.
      if (target <= c.reversedFen) continue;
      await this.repo.setReversed(tx, c.id, target);
      const delta = target - c.reversedFen;
      rules.addLine(lines, beneficiary(c.beneficiaryAccountId, c.status === 'frozen' ? 'frozen' : 'available'), delta);
      rules.addLine(lines, COMMISSION_EXPENSE, -delta);
    }
    await this.writeLines(tx, entryId, lines);
    return entryId;
  }

  /** Start the after-sales window: the order's frozen commissions mature at `releaseAfter`. */
  async scheduleRelease(tx: Executor, orderId: number, releaseAfter: Date): Promise<number> {
    if (!(releaseAfter instanceof Date) || Number.isNaN(releaseAfter.getTime())) throw badInput('releaseAfter', 'releaseAfter must be a date');
    return this.repo.scheduleRelease(tx, rules.id(orderId, 'orderId'), releaseAfter);
  }

  /**
   * Undo `scheduleRelease` (a completed order reopened, e.g. its pickup undone): the order's
   * still-frozen commissions no longer mature. Released ones stay released.
   */
  async unscheduleRelease(tx: Executor, orderId: number): Promise<number> {
    return this.repo.unscheduleRelease(tx, rules.id(orderId, 'orderId'));
  }

  /**
   * Move matured commissions (net of reversals) from frozen to available, one entry each.
   * Safe to run from several processes at once: each commission is claimed by one. Returns
   * how many were released; call again while it returns `limit`.
   */
  async releaseMatured(now: Date = this.clock.now(), limit = 500): Promise<number> {
    const max = rules.int(limit, 'limit', 1, 10_000);
    return this.db.orm.transaction(async (tx) => {
      const claimed = await this.repo.claimMatured(tx, now, max);
      const due = claimed.filter((c) => c.netFen > 0);
      if (due.length === 0) return claimed.length;
      const codes = new Set(due.flatMap((c) => [beneficiary(c.beneficiaryAccountId, 'frozen'), beneficiary(c.beneficiaryAccountId, 'available')]));
      const ids = await this.repo.ensureAccounts(tx, [...codes].map((c) => rules.describeAccount(c)));
      // Many entries in one transaction: take every account lock up front, in id order.
      await this.repo.lockAccounts(tx, [...ids.values()]);
      for (const c of due) {
        const lines = new Map([
          [beneficiary(c.beneficiaryAccountId, 'frozen'), c.netFen],
          [beneficiary(c.beneficiaryAccountId, 'available'), -c.netFen],
        ]);
        await this.post(tx, { kind: 'release', refType: 'commission', refId: c.id, idempotencyKey: `release:${c.id}`, memo: null }, lines);
      }
      return claimed.length;
    });
  }

  /** Move `amountFen` from available to payout_pending, only if available covers it (409 otherwise). */
  async requestPayout(tx: Executor, input: { beneficiaryAccountId: number; amountFen: number }): Promise<PayoutRow> {
    const who = rules.id(input.beneficiaryAccountId, 'beneficiaryAccountId');
    const amountFen = rules.fenAmount(input.amountFen, 'amountFen');
    const available = beneficiary(who, 'available');
    if (!(await this.repo.accountIds(tx, [available])).has(available)) throw lowBalance();
    const payout = await this.repo.insertPayout(tx, { beneficiaryAccountId: who, amountFen, createdAt: this.clock.now() });
    const lines = new Map([
      [available, amountFen],
      [beneficiary(who, 'payout_pending'), -amountFen],
    ]);
    const header = { kind: 'payout_request', refType: 'payout', refId: payout.id, idempotencyKey: `payout:${payout.id}:request`, memo: null };
    await this.post(tx, header, lines, available);
    return payout;
  }

  /** Pay (money leaves through the payout provider) or reject (back to available); once. */
  async decidePayout(payoutId: number, d: PayoutDecision): Promise<PayoutRow> {
    const id = rules.id(payoutId, 'payoutId');
    const decidedBy = rules.id(d.decidedBy, 'decidedBy');
    if (d.decision !== 'paid' && d.decision !== 'rejected') throw badInput('decision', 'decision must be paid or rejected');
    const reason = d.reason === undefined || d.reason === null ? null : rules.text(d.reason, 'reason', 0, 200);
    return this.db.orm.transaction(async (tx) => {
      const row = await this.repo.decidePayout(tx, id, { status: d.decision, decidedBy, reason, decidedAt: this.clock.now() });
      if (!row) {
        const existing = await this.repo.findPayout(tx, id);
        if (!existing) throw notFound('payout', id);
        throw conflict(`payout ${id} is already ${existing.status}`, 'decision');
      }
      const pending = beneficiary(row.beneficiaryAccountId, 'payout_pending');
      const to = d.decision === 'paid' ? psp(this.payoutProvider) : beneficiary(row.beneficiaryAccountId, 'available');
      const lines = new Map([
        [pending, row.amountFen],
        [to, -row.amountFen],
      ]);
      const kind = d.decision === 'paid' ? 'payout_paid' : 'payout_rejected';
      await this.post(tx, { kind, refType: 'payout', refId: id, idempotencyKey: `payout:${id}:decision`, memo: reason }, lines);
      return row;
    });
  }

  // ── posting ─────────────────────────────────────────────────────────────────
  /** Claim the entry's idempotency key; null when it was posted before. */
  private async begin(tx: Executor, header: Required<EntryHeader>): Promise<number | null> {
    return this.repo.insertEntry(tx, { ...header, createdAt: this.clock.now() });
  }

  private async post(tx: Executor, header: Required<EntryHeader>, lines: Map<string, number>, keepCredit?: string): Promise<number | null> {
    const entryId = await this.begin(tx, header);
    if (entryId === null) return null;
    await this.writeLines(tx, entryId, lines, keepCredit);
    return entryId;
  }

  /** Lines and balances of a claimed entry; `keepCredit` names an account that must not be overdrawn. */
  private async writeLines(tx: Executor, entryId: number, lines: Map<string, number>, keepCredit?: string): Promise<void> {
    let sum = 0;
    for (const amount of lines.values()) sum += amount;
    // Entries built here balance by construction; this is a guard against a bug, not input.
    if (sum !== 0 || lines.size < 2) throw new Error(`ledger bug: entry ${entryId} would not balance`);
    const ids = await this.repo.ensureAccounts(tx, [...lines.keys()].map((code) => rules.describeAccount(code)));
    const rows = [...lines]
      .map(([code, amountFen]) => ({ code, entryId, ledgerAccountId: ids.get(code)!, amountFen }))
      .sort((a, b) => a.ledgerAccountId - b.ledgerAccountId);
    // Locks in ascending id order, so two postings touching the same accounts never deadlock.
    await this.repo.lockAccounts(
      tx,
      rows.map((r) => r.ledgerAccountId),
    );
    const guarded = rows.find((r) => r.code === keepCredit);
    if (guarded && !(await this.repo.debitCovered(tx, guarded.ledgerAccountId, guarded.amountFen))) throw lowBalance();
    await this.repo.addToBalances(
      tx,
      rows.filter((r) => r !== guarded).map((r) => ({ id: r.ledgerAccountId, deltaFen: r.amountFen })),
    );
    await this.repo.insertLines(tx, rows.map(({ entryId: e, ledgerAccountId, amountFen }) => ({ entryId: e, ledgerAccountId, amountFen })));
  }
}
