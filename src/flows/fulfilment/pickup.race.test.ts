// The bar of pickup verification: the leader hands an order over at the very moment an
// operator refunds it in full. Both take the order's row lock, so exactly one wins and the
// other is told 409; the goods are never both handed over and paid back. Real concurrency
// exists only on PostgreSQL (PGlite is one connection), so this race runs only there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { DomainError } from '../../kernel';
import { createServices, type Services } from '../../services';
import { connectSandbox, makeCommerceWorld, type CommerceWorld } from '../testing';
import { makeWaveFixture } from './pickup.testing';

const ROUNDS = 20;
const onPostgres = testBackends().includes('postgres');
if (!onPostgres) console.log('pickup race skipped: it needs TEST_DATABASE_URL (PGlite is one connection, nothing runs at once there)');

describe.skipIf(!onPostgres)('pickup and refund of one order racing on postgres', () => {
  let db: TestDatabase;
  let s: Services;
  let w: CommerceWorld;

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    s = await createServices(db);
    connectSandbox(s);
    w = await makeCommerceWorld(db, { buyers: ROUNDS, skus: [{ priceFen: 990, stock: 0 }, { priceFen: 333, stock: 0 }] });
  }, 60_000);
  afterAll(async () => {
    await s.checkout.close();
    await db.dispose();
  });

  it(`${ROUNDS} rounds: pickup of everything vs an operator’s full refund → exactly one wins, the other gets 409`, async () => {
    const leader = w.actor(w.leaderId, 'leader');
    const operator = w.actor(w.operatorId, 'operator');
    const wins = { pickup: 0, refund: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const f = await makeWaveFixture(s, w, { orders: [{ buyerId: w.buyerIds[round]!, lines: [[0, 2], [1, 3]] }], status: 'ready' });
      const o = f.orders[0]!;
      const { code } = await s.pickup.codeOf(w.actor(o.buyerId), o.id);
      // Alternate who is fired first, so neither always gets the head start.
      const fire = [() => s.pickup.pickup(leader, w.pickupPointId, { orderId: o.id, code }), () => s.refunds.refund(operator, o.id, { kind: 'full', reason: 'race' })];
      const [pickup, refund] = round % 2 === 0 ? await Promise.allSettled([fire[0]!(), fire[1]!()]) : (await Promise.allSettled([fire[1]!(), fire[0]!()])).reverse();

      const won = [pickup!, refund!].filter((r) => r.status === 'fulfilled');
      const lost = [pickup!, refund!].filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost[0]!.reason).toBeInstanceOf(DomainError);
      expect((lost[0]!.reason as DomainError).kind).toBe('conflict');
      const pickupWon = pickup!.status === 'fulfilled';
      wins[pickupWon ? 'pickup' : 'refund'] += 1;

      const lines = await db.query<{ quantity: number; picked_quantity: number; refunded_quantity: number }>(
        `SELECT quantity, picked_quantity, refunded_quantity FROM order_lines WHERE order_id = $1 ORDER BY id`,
        [o.id],
      );
      for (const l of lines) expect(l.picked_quantity + l.refunded_quantity).toBeLessThanOrEqual(l.quantity);
      const [row] = await db.query<{ status: string; refunded_fen: number; refunds_fen: number; paid_back_fen: number; pickups: number }>(
        `SELECT o.status, o.refunded_fen,
                (SELECT coalesce(sum(amount_fen), 0) FROM refunds WHERE order_id = o.id) AS refunds_fen,
                (SELECT coalesce(sum(refunded_fen), 0) FROM payments WHERE order_id = o.id) AS paid_back_fen,
                (SELECT count(*)::int FROM pickups WHERE order_id = o.id) AS pickups
         FROM orders o WHERE o.id = $1`,
        [o.id],
      );
      if (pickupWon) {
        expect(row).toMatchObject({ status: 'completed', pickups: 2 });
        expect([Number(row!.refunded_fen), Number(row!.refunds_fen), Number(row!.paid_back_fen)]).toEqual([0, 0, 0]);
        expect(lines.map((l) => l.picked_quantity)).toEqual([2, 3]);
      } else {
        expect(row).toMatchObject({ status: 'refunded', pickups: 0 });
        expect([Number(row!.refunded_fen), Number(row!.refunds_fen), Number(row!.paid_back_fen)]).toEqual([o.totalFen, o.totalFen, o.totalFen]);
        expect(lines.map((l) => l.refunded_quantity)).toEqual([2, 3]);
      }
    }
    console.log(`pickup race: ${ROUNDS} rounds, pickup won ${wins.pickup}, refund won ${wins.refund}`);
    expect(wins.pickup + wins.refund).toBe(ROUNDS);
    expect(await s.ledger.verify()).toEqual([]);
  }, 120_000);
});
