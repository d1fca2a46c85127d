// Property test: random sequences of payments, partial and full refunds, completions, releases,
// payouts and decisions, checked against a plain in-memory model and the ledger's own
// invariants. PGlite only (it is about arithmetic, not concurrency); one database for all runs,
// each run with its own beneficiaries and ids.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../db/testing';
import { DomainError, ManualClock } from '../../kernel';
import { reversalTarget } from './ledger.rules';
import type { Party } from './ledger.schema';
import { LedgerService } from './ledger.service';
import { inTx, makeAccount, owed } from './testing';

const DAY = 86_400_000;
const WINDOW = 2 * DAY;

type Op =
  | { t: 'pay'; complete: boolean; lines: number[]; commissions: { who: number; line: number | null; bps: number; party: Party }[] }
  | { t: 'refund'; order: number; line: number; percent: number }
  | { t: 'fullRefund'; order: number }
  | { t: 'complete'; order: number }
  | { t: 'release'; days: number }
  | { t: 'payout'; who: number; percent: number }
  | { t: 'decide'; payout: number; paid: boolean };

const payArb = fc.record({
  t: fc.constant('pay' as const),
  // Some orders complete at once (the after-sales window starts); others later, or never.
  complete: fc.boolean(),
  lines: fc.array(fc.integer({ min: 1, max: 50_000 }), { minLength: 1, maxLength: 3 }),
  commissions: fc.array(
    fc.record({
      who: fc.nat(2),
      line: fc.option(fc.nat(2), { nil: null }),
      bps: fc.integer({ min: 0, max: 3000 }),
      party: fc.constantFrom<Party>('leader', 'host', 'store', 'referrer'),
    }),
    { maxLength: 3 },
  ),
});

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: payArb },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('refund' as const), order: fc.nat(), line: fc.nat(), percent: fc.integer({ min: 1, max: 100 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('fullRefund' as const), order: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('complete' as const), order: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('release' as const), days: fc.integer({ min: 0, max: 5 }) }) },
  // Payouts ask for a share of what the model says is available; above 100% must be refused.
  { weight: 3, arbitrary: fc.record({ t: fc.constant('payout' as const), who: fc.nat(2), percent: fc.integer({ min: 1, max: 125 }) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('decide' as const), payout: fc.nat(), paid: fc.boolean() }) },
);

interface MLine {
  id: number;
  total: number;
  refunded: number;
}
interface MCommission {
  who: number;
  line: MLine | null;
  amount: number;
  reversed: number;
  released: boolean;
  releaseAfter: number | null;
}
interface MOrder {
  id: number;
  lines: MLine[];
  total: number;
  refunded: number;
  commissions: MCommission[];
}
interface MWho {
  frozen: number;
  available: number;
  pending: number;
  paidOut: number;
  earned: number;
}

// What the generated sequences exercised, so a generator change cannot quietly stop covering a path.
const stats = { released: 0, reversedFrozen: 0, reversedAfterRelease: 0, payouts: 0, refusedPayouts: 0, decisions: 0 };
describe('ledger properties on pglite', () => {
  let db: TestDatabase;
  let ledger: LedgerService;
  let seq = 0;
  const next = () => ++seq;
  let now = new Date('2026-01-01T00:00:00Z').getTime();

  beforeAll(async () => {
    db = await openTestDatabase('pglite');
    ledger = new LedgerService(db, new ManualClock());
  });
  afterAll(async () => db.dispose());

  async function run(ops: Op[]): Promise<void> {
    const people = [await makeAccount(db, 'p'), await makeAccount(db, 'p'), await makeAccount(db, 'p')];
    const who: MWho[] = people.map(() => ({ frozen: 0, available: 0, pending: 0, paidOut: 0, earned: 0 }));
    const orders: MOrder[] = [];
    const payouts: { id: number; who: number; amount: number; status: string }[] = [];
    const pick = <T>(xs: T[], i: number): T | undefined => (xs.length ? xs[i % xs.length] : undefined);

    const refund = async (o: MOrder, deltas: Map<MLine, number>) => {
      let amount = 0;
      for (const [l, d] of deltas) {
        l.refunded += d;
        amount += d;
      }
      o.refunded += amount;
      await inTx(db, (tx) =>
        ledger.recordRefund(tx, {
          orderId: o.id,
          refundId: next(),
          provider: 'sandbox',
          amountFen: amount,
          lines: [
            ...[...deltas.keys()].map((l) => ({ orderLineId: l.id, refundedFenCumulative: l.refunded, lineTotalFen: l.total })),
            { orderLineId: null, refundedFenCumulative: o.refunded, lineTotalFen: o.total },
          ],
        }),
      );
      for (const c of o.commissions) {
        const base = c.line ?? { refunded: o.refunded, total: o.total };
        const target = reversalTarget(c.amount, base.refunded, base.total);
        if (target <= c.reversed) continue;
        const delta = target - c.reversed;
        c.reversed = target;
        stats[c.released ? 'reversedAfterRelease' : 'reversedFrozen'] += 1;
        if (c.released) who[c.who]!.available -= delta;
        else who[c.who]!.frozen -= delta;
      }
    };

    const complete = async (o: MOrder) => {
      await inTx(db, (tx) => ledger.scheduleRelease(tx, o.id, new Date(now + WINDOW)));
      for (const c of o.commissions) if (!c.released) c.releaseAfter = now + WINDOW;
    };

    for (const op of ops) {
      if (op.t === 'pay') {
        const lines = op.lines.map((total) => ({ id: next(), total, refunded: 0 }));
        const total = lines.reduce((s, l) => s + l.total, 0);
        const o: MOrder = { id: next(), lines, total, refunded: 0, commissions: [] };
        for (const c of op.commissions) {
          const line = c.line === null ? null : lines[c.line % lines.length]!;
          const base = line ? line.total : total;
          const amount = Math.floor((base * c.bps) / 10_000);
          o.commissions.push({ who: c.who, line, amount, reversed: 0, released: false, releaseAfter: null });
          who[c.who]!.frozen += amount;
          who[c.who]!.earned += amount;
        }
        await inTx(db, (tx) =>
          ledger.recordPayment(tx, {
            orderId: o.id,
            paymentId: next(),
            provider: 'sandbox',
            amountFen: total,
            commissions: o.commissions.map((c, i) => ({
              party: op.commissions[i]!.party,
              beneficiaryAccountId: people[c.who]!,
              orderLineId: c.line?.id ?? null,
              baseFen: c.line ? c.line.total : total,
              amountFen: c.amount,
            })),
          }),
        );
        orders.push(o);
        if (op.complete) await complete(o);
      } else if (op.t === 'refund') {
        const o = pick(orders, op.order);
        const l = o && pick(o.lines, op.line);
        if (!o || !l || l.refunded === l.total) continue;
        const d = Math.max(1, Math.floor(((l.total - l.refunded) * op.percent) / 100));
        await refund(o, new Map([[l, d]]));
      } else if (op.t === 'fullRefund') {
        const o = pick(orders, op.order);
        if (!o || o.refunded === o.total) continue;
        await refund(o, new Map(o.lines.filter((l) => l.refunded < l.total).map((l) => [l, l.total - l.refunded])));
      } else if (op.t === 'complete') {
        const o = pick(orders, op.order);
        if (o) await complete(o);
      } else if (op.t === 'release') {
        now += op.days * DAY;
        while ((await ledger.releaseMatured(new Date(now), 10_000)) === 10_000);
        for (const o of orders) {
          for (const c of o.commissions) {
            if (c.released || c.releaseAfter === null || c.releaseAfter > now) continue;
            c.released = true;
            stats.released += 1;
            who[c.who]!.frozen -= c.amount - c.reversed;
            who[c.who]!.available += c.amount - c.reversed;
          }
        }
      } else if (op.t === 'payout') {
        // Mostly someone who has money to ask for; anyone when nobody has.
        const funded = who.map((w, i) => (w.available > 0 ? i : -1)).filter((i) => i >= 0);
        const i = funded.length ? funded[op.who % funded.length]! : op.who;
        const w = who[i]!;
        const amountFen = Math.max(1, Math.floor((Math.max(w.available, 0) * op.percent) / 100));
        const attempt = inTx(db, (tx) => ledger.requestPayout(tx, { beneficiaryAccountId: people[i]!, amountFen }));
        if (w.available >= amountFen) {
          const p = await attempt;
          stats.payouts += 1;
          payouts.push({ id: p.id, who: i, amount: amountFen, status: 'requested' });
          w.available -= amountFen;
          w.pending += amountFen;
        } else {
          await expect(attempt).rejects.toSatisfy((e) => e instanceof DomainError && e.kind === 'conflict');
          stats.refusedPayouts += 1;
        }
      } else {
        const p = pick(payouts, op.payout);
        if (!p) continue;
        const decision = op.paid ? 'paid' : 'rejected';
        const attempt = ledger.decidePayout(p.id, { decidedBy: people[0]!, decision });
        if (p.status !== 'requested') {
          await expect(attempt).rejects.toSatisfy((e) => e instanceof DomainError && e.kind === 'conflict');
          continue;
        }
        await attempt;
        stats.decisions += 1;
        p.status = decision;
        const w = who[p.who]!;
        w.pending -= p.amount;
        if (op.paid) w.paidOut += p.amount;
        else w.available += p.amount;
      }
    }

    // The ledger's own invariants.
    expect(await ledger.verify()).toEqual([]);
    expect((await ledger.trialBalance()).sumFen).toBe(0);
    // Against the model, per beneficiary.
    for (const [i, id] of people.entries()) {
      const m = who[i]!;
      expect(await owed(db, id)).toEqual({ frozen: m.frozen, available: m.available, pending: m.pending });
      const reversed = orders.flatMap((o) => o.commissions).filter((c) => c.who === i).reduce((s, c) => s + c.reversed, 0);
      const { balances } = await ledger.statement(id, { limit: 1 });
      expect(balances.lifetimeEarnedFen).toBe(m.earned - reversed);
      expect(balances.paidOutFen).toBe(m.paidOut);
      expect(balances.frozenFen + balances.availableFen + balances.payoutPendingFen).toBe(m.earned - reversed - m.paidOut);
    }
    const ids = orders.map((o) => o.id);
    if (ids.length) {
      const rows = await db.query<{ amount_fen: number; reversed_fen: number }>(
        `SELECT amount_fen::bigint AS amount_fen, reversed_fen::bigint AS reversed_fen FROM commissions WHERE order_id IN (${ids.join(',')}) ORDER BY id`,
      );
      const model = orders.flatMap((o) => o.commissions);
      expect(rows.map((r) => [Number(r.amount_fen), Number(r.reversed_fen)])).toEqual(model.map((c) => [c.amount, c.reversed]));
      for (const r of rows) expect(Number(r.reversed_fen)).toBeLessThanOrEqual(Number(r.amount_fen));
    }
  }

  it('every balance is the sum of its lines, entries balance, and each person is owed what they earned less refunds and payouts', async () => {
    await fc.assert(
      fc.asyncProperty(
        // A prelude of paid, completed and released orders, so payouts and refunds after release
        // have money to work with from the start; then anything.
        fc.array(payArb, { minLength: 1, maxLength: 3 }),
        fc.array(opArb, { minLength: 10, maxLength: 30, size: 'max' }),
        (prelude, ops) => run([...prelude.map((p) => ({ ...p, complete: true })), { t: 'release', days: 3 }, ...ops]),
      ),
      // Runs share one database, so a failure spoils the runs after it: report the first failure
      // as it happened rather than a shrunk sequence replayed on a spoiled ledger.
      { numRuns: 25, endOnFailure: true },
    );
    for (const [what, n] of Object.entries(stats)) expect(n, what).toBeGreaterThan(0);
  }, 120_000);
});
