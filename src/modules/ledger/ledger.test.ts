import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { ManualClock } from '../../kernel';
import { beneficiary, COMMISSION_EXPENSE, psp, reversalTarget, SALES, SALES_REFUNDS } from './ledger.rules';
import { LedgerService } from './ledger.service';
import { balanceOf, countRows, domainError, fundAvailable, inTx, makeAccount, owed } from './testing';

describe('reversalTarget', () => {
  it('floors the proportional share and gives the whole commission at a full refund', () => {
    expect(reversalTarget(333, 100, 1000)).toBe(33);
    expect(reversalTarget(333, 999, 1000)).toBe(332);
    expect(reversalTarget(333, 1000, 1000)).toBe(333);
    expect(reversalTarget(1, 2, 3)).toBe(0);
    // Exact where doubles are not: 10^12 × (10^12 − 1) is far beyond 2^53.
    expect(reversalTarget(1e12, 1e12 - 1, 1e12)).toBe(1e12 - 1);
  });
});

describe.each(testBackends())('ledger on %s', (backend) => {
  let db: TestDatabase;
  let ledger: LedgerService;
  const clock = new ManualClock('2026-03-01T10:00:00+08:00');
  let seq = 1000;
  const next = () => ++seq;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    ledger = new LedgerService(db, clock);
  });
  afterAll(async () => db.dispose());

  const post = (lines: { account: string; amountFen: number }[], key = `test:${next()}`) =>
    inTx(db, (tx) => ledger.postEntry(tx, { kind: 'adjustment', refType: 'test', refId: 1, idempotencyKey: key, lines }));

  async function pay(who: number[], opts: { amountFen?: number; commission?: number; lineId?: number | null } = {}) {
    const orderId = next();
    const paymentId = next();
    const amountFen = opts.amountFen ?? 1000;
    await inTx(db, (tx) =>
      ledger.recordPayment(tx, {
        orderId,
        paymentId,
        provider: 'sandbox',
        amountFen,
        commissions: who.map((b) => ({
          party: 'leader' as const,
          beneficiaryAccountId: b,
          orderLineId: opts.lineId === undefined ? 7 : opts.lineId,
          baseFen: amountFen,
          amountFen: opts.commission ?? 100,
        })),
      }),
    );
    return { orderId, paymentId };
  }

  it('posts a balanced entry, merging lines per account, and a replayed key posts nothing', async () => {
    const key = 'test:merge';
    const id = await post(
      [
        { account: 'platform:psp:bank', amountFen: 300 },
        { account: 'platform:psp:bank', amountFen: 200 },
        { account: SALES, amountFen: -500 },
      ],
      key,
    );
    expect(id).toBeGreaterThan(0);
    const lines = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM journal_lines WHERE entry_id = $1`, [id]);
    expect(lines[0]!.n).toBe(2);
    expect(await balanceOf(db, 'platform:psp:bank')).toBe(500);
    expect(await post([{ account: 'platform:psp:bank', amountFen: 1 }, { account: SALES, amountFen: -1 }], key)).toBeNull();
    expect(await balanceOf(db, 'platform:psp:bank')).toBe(500);
  });

  it('refuses unbalanced, fractional, zero, unknown-account and one-sided entries, writing nothing', async () => {
    const before = await countRows(db, 'journal_entries');
    const cases: [{ account: string; amountFen: number }[], string][] = [
      [[{ account: 'platform:psp:x', amountFen: 5 }, { account: SALES, amountFen: -4 }], 'lines'],
      [[{ account: 'platform:psp:x', amountFen: 1.5 }, { account: SALES, amountFen: -1.5 }], 'lines.0.amountFen'],
      [[{ account: 'platform:psp:x', amountFen: 0 }, { account: SALES, amountFen: 0 }], 'lines.0.amountFen'],
      [[{ account: 'platform:cash', amountFen: 5 }, { account: SALES, amountFen: -5 }], 'lines.0.account'],
      [[{ account: 'beneficiary:0:frozen', amountFen: 5 }, { account: SALES, amountFen: -5 }], 'lines.0.account'],
      [[{ account: SALES, amountFen: 5 }, { account: 'beneficiary:1:available', amountFen: -5 }], 'lines.1.account'],
      [[{ account: SALES, amountFen: 5 }, { account: SALES, amountFen: -5 }], 'lines'],
      [[{ account: SALES, amountFen: 5 }], 'lines'],
    ];
    for (const [lines, field] of cases) {
      const err = await domainError(post(lines));
      expect(err.kind, JSON.stringify(lines)).toBe('bad_input');
      expect(err.field, JSON.stringify(lines)).toBe(field);
    }
    expect(await countRows(db, 'journal_entries')).toBe(before);
  });

  it('the database itself refuses edits of the journal and entries that do not balance', async () => {
    await post([{ account: 'platform:psp:x', amountFen: 5 }, { account: SALES, amountFen: -5 }]);
    await expect(db.exec(`UPDATE journal_lines SET amount_fen = 6 WHERE id = (SELECT max(id) FROM journal_lines)`)).rejects.toThrow(/append-only/);
    await expect(db.exec(`DELETE FROM journal_entries`)).rejects.toThrow(/append-only/);
    await expect(
      db.withConnection(async (c) => {
        await c.exec('BEGIN');
        try {
          await c.exec(`INSERT INTO journal_entries (kind, ref_type, ref_id, idempotency_key) VALUES ('x', 'x', 1, 'raw:1')`);
          await c.exec(`INSERT INTO journal_lines (entry_id, ledger_account_id, amount_fen)
                        SELECT currval(pg_get_serial_sequence('journal_entries', 'id')), id, 5 FROM ledger_accounts WHERE code = '${SALES}'`);
          await c.exec('COMMIT');
        } catch (e) {
          await c.exec('ROLLBACK');
          throw e;
        }
      }),
    ).rejects.toThrow(/does not balance/);
    expect(await countRows(db, 'journal_entries', `idempotency_key = 'raw:1'`)).toBe(0);
  });

  it('a payment books sales and freezes each commission, once per payment', async () => {
    const [a, b] = [await makeAccount(db), await makeAccount(db)];
    const pspBefore = await balanceOf(db, psp('sandbox'));
    const expenseBefore = await balanceOf(db, COMMISSION_EXPENSE);
    const input = {
      orderId: next(),
      paymentId: next(),
      provider: 'sandbox',
      amountFen: 2000,
      commissions: [
        { party: 'leader' as const, beneficiaryAccountId: a, orderLineId: 1, baseFen: 1200, amountFen: 120 },
        { party: 'referrer' as const, beneficiaryAccountId: a, orderLineId: null, baseFen: 2000, amountFen: 20 },
        { party: 'store' as const, beneficiaryAccountId: b, orderLineId: 2, baseFen: 800, amountFen: 680 },
      ],
    };
    const entryId = await inTx(db, (tx) => ledger.recordPayment(tx, input));
    expect(entryId).toBeGreaterThan(0);
    expect(await inTx(db, (tx) => ledger.recordPayment(tx, input))).toBeNull();
    expect(await balanceOf(db, psp('sandbox')) - pspBefore).toBe(2000);
    expect(await balanceOf(db, COMMISSION_EXPENSE) - expenseBefore).toBe(820);
    expect(await owed(db, a)).toEqual({ frozen: 140, available: 0, pending: 0 });
    expect(await owed(db, b)).toEqual({ frozen: 680, available: 0, pending: 0 });
    expect(await countRows(db, 'commissions', `order_id = ${input.orderId} AND status = 'frozen' AND entry_id = ${entryId}`)).toBe(3);
    const lines = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM journal_lines WHERE entry_id = $1`, [entryId]);
    expect(lines[0]!.n).toBe(5); // psp, sales, expense, a frozen (merged), b frozen
  });

  it('refuses commissions above their base or above the payment', async () => {
    const a = await makeAccount(db);
    const base = { orderId: next(), paymentId: next(), provider: 'sandbox', amountFen: 100 };
    const over = await domainError(
      inTx(db, (tx) =>
        ledger.recordPayment(tx, { ...base, commissions: [{ party: 'host', beneficiaryAccountId: a, orderLineId: 1, baseFen: 50, amountFen: 51 }] }),
      ),
    );
    expect(over.field).toBe('commissions.0.amountFen');
    const tooMuch = await domainError(
      inTx(db, (tx) =>
        ledger.recordPayment(tx, {
          ...base,
          commissions: [
            { party: 'host', beneficiaryAccountId: a, orderLineId: 1, baseFen: 100, amountFen: 60 },
            { party: 'leader', beneficiaryAccountId: a, orderLineId: 1, baseFen: 100, amountFen: 60 },
          ],
        }),
      ),
    );
    expect(tooMuch.field).toBe('commissions');
    expect(await countRows(db, 'journal_entries', `ref_type = 'payment' AND ref_id = ${base.paymentId}`)).toBe(0);
  });

  it('freezes until the order completes and the window passes, then releases net of reversals once', async () => {
    const a = await makeAccount(db);
    const { orderId } = await pay([a], { commission: 100 });
    expect(await ledger.releaseMatured(new Date('2100-01-01'))).toBe(0); // no window set yet
    const due = new Date(clock.now().getTime() + 7 * 86_400_000);
    expect(await inTx(db, (tx) => ledger.scheduleRelease(tx, orderId, due))).toBe(1);
    expect(await ledger.releaseMatured(new Date(due.getTime() - 1))).toBe(0);
    await inTx(db, (tx) =>
      ledger.recordRefund(tx, { orderId, refundId: next(), provider: 'sandbox', amountFen: 250, lines: [{ orderLineId: 7, refundedFenCumulative: 250, lineTotalFen: 1000 }] }),
    );
    expect(await owed(db, a)).toEqual({ frozen: 75, available: 0, pending: 0 });
    expect(await ledger.releaseMatured(due)).toBeGreaterThanOrEqual(1);
    expect(await owed(db, a)).toEqual({ frozen: 0, available: 75, pending: 0 });
    expect(await ledger.releaseMatured(due)).toBe(0);
    expect(await countRows(db, 'journal_entries', `kind = 'release' AND ref_id IN (SELECT id FROM commissions WHERE order_id = ${orderId})`)).toBe(1);
  });

  it('reverses in proportion with cumulative figures, never drifting, and all of it on a full refund', async () => {
    const a = await makeAccount(db);
    const { orderId } = await pay([a], { amountFen: 1000, commission: 333 });
    const refund = (cumulative: number, amountFen: number, refundId = next()) =>
      inTx(db, (tx) =>
        ledger.recordRefund(tx, { orderId, refundId, provider: 'sandbox', amountFen, lines: [{ orderLineId: 7, refundedFenCumulative: cumulative, lineTotalFen: 1000 }] }),
      );
    const reversed = async () => (await db.query<{ r: number }>(`SELECT reversed_fen::int AS r FROM commissions WHERE order_id = $1`, [orderId]))[0]!.r;
    const refundsBefore = await balanceOf(db, SALES_REFUNDS);
    for (const [cum, want] of [
      [100, 33],
      [200, 66],
      [300, 99],
      [301, 100],
    ] as const) {
      await refund(cum, cum === 301 ? 1 : 100);
      expect(await reversed()).toBe(want);
    }
    // A replayed refund id changes nothing; a stale cumulative reverses nothing.
    const id = next();
    await refund(500, 199, id);
    expect(await reversed()).toBe(166);
    expect(await refund(500, 199, id)).toBeNull();
    await refund(400, 1);
    expect(await reversed()).toBe(166);
    await refund(1000, 499);
    expect(await reversed()).toBe(333);
    expect(await owed(db, a)).toEqual({ frozen: 0, available: 0, pending: 0 });
    expect(await balanceOf(db, SALES_REFUNDS) - refundsBefore).toBe(100 * 3 + 1 + 199 + 1 + 499);
  });

  it('reverses order-level commissions by the order totals and insists on them', async () => {
    const a = await makeAccount(db);
    const { orderId } = await pay([a], { amountFen: 900, commission: 90, lineId: null });
    const err = await domainError(
      inTx(db, (tx) =>
        ledger.recordRefund(tx, { orderId, refundId: next(), provider: 'sandbox', amountFen: 300, lines: [{ orderLineId: 7, refundedFenCumulative: 300, lineTotalFen: 300 }] }),
      ),
    );
    expect(err.field).toBe('lines');
    await inTx(db, (tx) =>
      ledger.recordRefund(tx, {
        orderId,
        refundId: next(),
        provider: 'sandbox',
        amountFen: 300,
        lines: [
          { orderLineId: 7, refundedFenCumulative: 300, lineTotalFen: 300 },
          { orderLineId: null, refundedFenCumulative: 300, lineTotalFen: 900 },
        ],
      }),
    );
    expect(await owed(db, a)).toEqual({ frozen: 60, available: 0, pending: 0 });
  });

  it('a refund after release takes from available, which may go negative and is repaid by later commissions', async () => {
    const a = await makeAccount(db);
    const { orderId } = await pay([a], { amountFen: 1000, commission: 100 });
    await inTx(db, (tx) => ledger.scheduleRelease(tx, orderId, clock.now()));
    await ledger.releaseMatured(clock.now());
    await inTx(db, (tx) => ledger.requestPayout(tx, { beneficiaryAccountId: a, amountFen: 100 }));
    await inTx(db, (tx) =>
      ledger.recordRefund(tx, { orderId, refundId: next(), provider: 'sandbox', amountFen: 1000, lines: [{ orderLineId: 7, refundedFenCumulative: 1000, lineTotalFen: 1000 }] }),
    );
    expect(await owed(db, a)).toEqual({ frozen: 0, available: -100, pending: 100 });
    const statement = await ledger.statement(a);
    expect(statement.balances).toEqual({ frozenFen: 0, availableFen: -100, payoutPendingFen: 100, lifetimeEarnedFen: 0, paidOutFen: 0 });
    const later = await pay([a], { amountFen: 2000, commission: 150 });
    await inTx(db, (tx) => ledger.scheduleRelease(tx, later.orderId, clock.now()));
    await ledger.releaseMatured(clock.now());
    expect(await owed(db, a)).toEqual({ frozen: 0, available: 50, pending: 100 });
  });

  it('payouts: refused beyond the available balance, then paid or rejected exactly once', async () => {
    const a = await makeAccount(db);
    await fundAvailable(db, ledger, a, 500, { orderId: next(), paymentId: next() });
    const none = await makeAccount(db);
    expect((await domainError(inTx(db, (tx) => ledger.requestPayout(tx, { beneficiaryAccountId: none, amountFen: 1 })))).field).toBe('amountFen');
    const payoutsBefore = await countRows(db, 'payouts');
    const err = await domainError(inTx(db, (tx) => ledger.requestPayout(tx, { beneficiaryAccountId: a, amountFen: 501 })));
    expect([err.kind, err.field]).toEqual(['conflict', 'amountFen']);
    expect(await countRows(db, 'payouts')).toBe(payoutsBefore);
    expect(await owed(db, a)).toEqual({ frozen: 0, available: 500, pending: 0 });

    const p1 = await inTx(db, (tx) => ledger.requestPayout(tx, { beneficiaryAccountId: a, amountFen: 300 }));
    const p2 = await inTx(db, (tx) => ledger.requestPayout(tx, { beneficiaryAccountId: a, amountFen: 200 }));
    expect(p1.status).toBe('requested');
    expect(await owed(db, a)).toEqual({ frozen: 0, available: 0, pending: 500 });
    const op = await makeAccount(db, 'op');
    const pspBefore = await balanceOf(db, psp('sandbox'));
    const paid = await ledger.decidePayout(p1.id, { decidedBy: op, decision: 'paid' });
    expect([paid.status, paid.decidedBy]).toEqual(['paid', op]);
    expect(await balanceOf(db, psp('sandbox')) - pspBefore).toBe(-300);
    const rejected = await ledger.decidePayout(p2.id, { decidedBy: op, decision: 'rejected', reason: 'bank details wrong' });
    expect(rejected.reason).toBe('bank details wrong');
    expect(await owed(db, a)).toEqual({ frozen: 0, available: 200, pending: 0 });
    const again = await domainError(ledger.decidePayout(p2.id, { decidedBy: op, decision: 'paid' }));
    expect(again.kind).toBe('conflict');
    expect((await domainError(ledger.decidePayout(999_999, { decidedBy: op, decision: 'paid' }))).kind).toBe('not_found');
    expect((await ledger.statement(a)).balances).toMatchObject({ availableFen: 200, lifetimeEarnedFen: 500, paidOutFen: 300 });
    expect((await ledger.listPayouts('requested')).items.find((p) => p.beneficiaryAccountId === a)).toBeUndefined();
    expect((await ledger.listPayouts('paid')).items.map((p) => p.id)).toContain(p1.id);
  });

  it('statements and entry listings page newest first', async () => {
    const a = await makeAccount(db);
    for (let i = 0; i < 3; i++) await pay([a], { commission: 10 + i });
    const first = await ledger.statement(a, { limit: 2 });
    expect(first.lines.items.map((l) => l.changeFen)).toEqual([12, 11]);
    expect(first.lines.items[0]).toMatchObject({ bucket: 'frozen', kind: 'payment', refType: 'payment' });
    expect(first.commissions.items.map((c) => c.amountFen)).toEqual([12, 11]);
    const second = await ledger.statement(a, { limit: 2, cursor: first.lines.nextCursor!, commissionCursor: first.commissions.nextCursor! });
    expect(second.lines.items.map((l) => l.changeFen)).toEqual([10]);
    expect(second.commissions.items.map((c) => c.amountFen)).toEqual([10]);
    expect(second.lines.nextCursor).toBeNull();

    const entries = await ledger.listEntries({ limit: 1 });
    expect(entries.items[0]!.lines.reduce((s, l) => s + l.amountFen, 0)).toBe(0);
    const older = await ledger.listEntries({ limit: 1, cursor: entries.nextCursor! });
    expect(older.items[0]!.id).toBeLessThan(entries.items[0]!.id);
    expect((await ledger.listAccounts({ limit: 200 })).items.map((x) => x.code)).toContain(beneficiary(a, 'frozen'));
  });

  it('verify finds nothing wrong, and finds a tampered balance', async () => {
    expect(await ledger.verify()).toEqual([]);
    expect((await ledger.trialBalance()).sumFen).toBe(0);
    const a = await makeAccount(db);
    await pay([a], { commission: 40 });
    await db.exec(`UPDATE ledger_accounts SET balance_fen = balance_fen - 1 WHERE code = '${beneficiary(a, 'frozen')}'`);
    const problems = await ledger.verify();
    expect(problems.map((p) => p.kind).sort()).toEqual(['account_balance', 'beneficiary_mismatch']);
    expect((await ledger.trialBalance()).sumFen).toBe(-1);
    await db.exec(`UPDATE ledger_accounts SET balance_fen = balance_fen + 1 WHERE code = '${beneficiary(a, 'frozen')}'`);
    expect(await ledger.verify()).toEqual([]);
  });
});
