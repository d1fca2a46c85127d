// Concurrency on real PostgreSQL (PGlite is one connection, so nothing there runs at once).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { ManualClock, type DomainError } from '../../kernel';
import { LedgerService } from './ledger.service';
import { countRows, fundAvailable, inTx, makeAccount, owed } from './testing';

const hasPostgres = testBackends().includes('postgres');

describe.skipIf(!hasPostgres)('ledger concurrency on postgres', () => {
  let db: TestDatabase;
  let ledger: LedgerService;
  const clock = new ManualClock('2026-03-01T10:00:00+08:00');
  let seq = 5000;
  const next = () => ++seq;

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    ledger = new LedgerService(db, clock);
  });
  afterAll(async () => db.dispose());

  it('20 concurrent payout requests against a balance covering 5: exactly 5 succeed, never below zero', async () => {
    const a = await makeAccount(db);
    await fundAvailable(db, ledger, a, 500, { orderId: next(), paymentId: next() });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => inTx(db, (tx) => ledger.requestPayout(tx, { beneficiaryAccountId: a, amountFen: 100 }))),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok.length).toBe(5);
    for (const r of refused) expect([(r.reason as DomainError).kind, (r.reason as DomainError).field]).toEqual(['conflict', 'amountFen']);
    expect(await owed(db, a)).toEqual({ frozen: 0, available: 0, pending: 500 });
    expect(await countRows(db, 'payouts', `beneficiary_account_id = ${a}`)).toBe(5);
    expect(await ledger.verify()).toEqual([]);
  });

  it('two deciders on one payout: one wins, the other gets a conflict', async () => {
    const a = await makeAccount(db);
    const op = await makeAccount(db, 'op');
    await fundAvailable(db, ledger, a, 300, { orderId: next(), paymentId: next() });
    const p = await inTx(db, (tx) => ledger.requestPayout(tx, { beneficiaryAccountId: a, amountFen: 300 }));
    const results = await Promise.allSettled([
      ledger.decidePayout(p.id, { decidedBy: op, decision: 'paid' }),
      ledger.decidePayout(p.id, { decidedBy: op, decision: 'rejected' }),
      ledger.decidePayout(p.id, { decidedBy: op, decision: 'paid' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBe(1);
    expect(await countRows(db, 'journal_entries', `ref_type = 'payout' AND ref_id = ${p.id}`)).toBe(2);
    expect(await ledger.verify()).toEqual([]);
  });

  it('releasers running at once release each commission exactly once', async () => {
    const people = [await makeAccount(db), await makeAccount(db), await makeAccount(db)];
    const orders: number[] = [];
    for (let i = 0; i < 60; i++) {
      const orderId = next();
      orders.push(orderId);
      await inTx(db, (tx) =>
        ledger.recordPayment(tx, {
          orderId,
          paymentId: next(),
          provider: 'sandbox',
          amountFen: 1000,
          commissions: people.map((b, j) => ({ party: 'leader' as const, beneficiaryAccountId: b, orderLineId: 1, baseFen: 1000, amountFen: 10 + j })),
        }),
      );
      await inTx(db, (tx) => ledger.scheduleRelease(tx, orderId, clock.now()));
    }
    const counts = await Promise.all(Array.from({ length: 6 }, () => ledger.releaseMatured(clock.now(), 25)));
    let released = counts.reduce((s, n) => s + n, 0);
    while (released < 180) {
      const n = await ledger.releaseMatured(clock.now(), 25);
      if (n === 0) break;
      released += n;
    }
    expect(released).toBe(180);
    const ids = `SELECT id FROM commissions WHERE order_id IN (${orders.join(',')})`;
    expect(await countRows(db, 'journal_entries', `kind = 'release' AND ref_id IN (${ids})`)).toBe(180);
    expect(await owed(db, people[2]!)).toEqual({ frozen: 0, available: 60 * 12, pending: 0 });
    expect(await ledger.verify()).toEqual([]);
  });

  it('refunds, releases, payouts and one idempotency key posted at once: no deadlock, no drift', async () => {
    const people = [await makeAccount(db), await makeAccount(db)];
    await fundAvailable(db, ledger, people[0]!, 10_000, { orderId: next(), paymentId: next() });
    const orders: number[] = [];
    for (let i = 0; i < 20; i++) {
      const orderId = next();
      orders.push(orderId);
      await inTx(db, (tx) =>
        ledger.recordPayment(tx, {
          orderId,
          paymentId: next(),
          provider: 'sandbox',
          amountFen: 999,
          commissions: [
            { party: 'leader', beneficiaryAccountId: people[0]!, orderLineId: 1, baseFen: 999, amountFen: 97 },
            { party: 'referrer', beneficiaryAccountId: people[1]!, orderLineId: null, baseFen: 999, amountFen: 31 },
          ],
        }),
      );
      if (i % 2 === 0) await inTx(db, (tx) => ledger.scheduleRelease(tx, orderId, clock.now()));
    }
    const refund = (orderId: number, cumulative: number) =>
      inTx(db, (tx) =>
        ledger.recordRefund(tx, {
          orderId,
          refundId: next(),
          provider: 'sandbox',
          amountFen: 333,
          lines: [
            { orderLineId: 1, refundedFenCumulative: cumulative, lineTotalFen: 999 },
            { orderLineId: null, refundedFenCumulative: cumulative, lineTotalFen: 999 },
          ],
        }),
      );
    const sameKey = () =>
      inTx(db, (tx) =>
        ledger.postEntry(tx, {
          kind: 'adjustment',
          refType: 'test',
          refId: 1,
          idempotencyKey: 'pg:same-key',
          lines: [
            { account: 'platform:psp:sandbox', amountFen: 7 },
            { account: 'platform:sales', amountFen: -7 },
          ],
        }),
      );
    const work: Promise<unknown>[] = [];
    for (const orderId of orders) for (const cum of [333, 666, 999]) work.push(refund(orderId, cum));
    for (let i = 0; i < 4; i++) work.push(ledger.releaseMatured(clock.now(), 5));
    for (let i = 0; i < 10; i++) work.push(inTx(db, (tx) => ledger.requestPayout(tx, { beneficiaryAccountId: people[0]!, amountFen: 100 })));
    for (let i = 0; i < 5; i++) work.push(sameKey());
    const results = await Promise.allSettled(work);
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => String(r.reason));
    expect(failures).toEqual([]);
    expect(await countRows(db, 'journal_entries', `idempotency_key = 'pg:same-key'`)).toBe(1);
    // Refunds of one order may commit in any order; the largest cumulative figure wins in the end.
    expect(await countRows(db, 'commissions', `order_id IN (${orders.join(',')}) AND reversed_fen <> amount_fen`)).toBe(0);
    expect(await ledger.verify()).toEqual([]);
    expect((await ledger.trialBalance()).sumFen).toBe(0);
  });
});
