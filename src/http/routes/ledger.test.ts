import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../db/testing';
import { fundAvailable, inTx } from '../../modules/ledger/testing';
import { createTestApp, type TestApp } from '../testing';

describe.each(testBackends())('ledger over HTTP on %s', (backend) => {
  let t: TestApp;
  let leader: { id: number; token: string };
  let other: { id: number; token: string };
  let op: { id: number; token: string };
  let seq = 9000;
  const next = () => ++seq;

  beforeAll(async () => {
    t = await createTestApp(backend);
    leader = await t.user(['leader'], 'leader');
    other = await t.user(['resident'], 'other');
    op = await t.user(['operator'], 'op');
    await fundAvailable(t.db, t.services.ledger, leader.id, 1000, { orderId: next(), paymentId: next() });
    // And one still frozen, so the statement has both kinds.
    await inTx(t.db, (tx) =>
      t.services.ledger.recordPayment(tx, {
        orderId: next(),
        paymentId: next(),
        provider: 'sandbox',
        amountFen: 500,
        commissions: [{ party: 'host', beneficiaryAccountId: leader.id, orderLineId: 3, baseFen: 500, amountFen: 50 }],
      }),
    );
  });
  afterAll(async () => t.close());

  const payout = (amountFen: unknown, key?: string, token = leader.token) =>
    t.call('POST', '/api/ledger/payouts', { token, payload: { amountFen }, ...(key ? { headers: { 'idempotency-key': key } } : {}) });

  it('GET /api/ledger/me shows the caller their own statement only', async () => {
    expect((await t.call('GET', '/api/ledger/me')).status).toBe(401);
    const mine = await t.call('GET', '/api/ledger/me', { token: leader.token });
    expect(mine.status).toBe(200);
    expect(mine.body.balances).toEqual({ frozenFen: 50, availableFen: 1000, payoutPendingFen: 0, lifetimeEarnedFen: 1050, paidOutFen: 0 });
    expect(mine.body.commissions.items.map((c: { party: string }) => c.party)).toEqual(['host', 'leader']);
    expect(mine.body.lines.items[0]).toMatchObject({ bucket: 'frozen', changeFen: 50, kind: 'payment' });
    // There is no way to name someone else: another caller sees only their own (empty) ledger.
    const theirs = await t.call('GET', `/api/ledger/me?accountId=${leader.id}`, { token: other.token });
    expect(theirs.status).toBe(200);
    expect(theirs.body.balances).toEqual({ frozenFen: 0, availableFen: 0, payoutPendingFen: 0, lifetimeEarnedFen: 0, paidOutFen: 0 });
    expect(theirs.body.commissions.items).toEqual([]);
    expect((await t.call('GET', '/api/ledger/me?cursor=bogus', { token: leader.token })).body.error.field).toBe('cursor');
  });

  it('POST /api/ledger/payouts needs an Idempotency-Key and replays the first answer for it', async () => {
    const missing = await payout(100);
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe('Idempotency-Key');
    expect((await payout(1.5, 'k-float')).body.error.field).toBe('amountFen');

    const first = await payout(100, 'payout-key-1');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ beneficiaryAccountId: leader.id, amountFen: 100, status: 'requested', decidedAt: null });
    const again = await payout(100, 'payout-key-1');
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const reused = await payout(200, 'payout-key-1');
    expect(reused.status).toBe(422);
    expect(reused.body.error.field).toBe('Idempotency-Key');
    const me = await t.call('GET', '/api/ledger/me', { token: leader.token });
    expect(me.body.balances).toMatchObject({ availableFen: 900, payoutPendingFen: 100 });

    const tooMuch = await payout(901, 'payout-key-2');
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.field).toBe('amountFen');
    const nothing = await payout(1, 'payout-key-3', other.token);
    expect(nothing.status).toBe(409);
  });

  it('admin routes are for operators only', async () => {
    const urls = ['/api/admin/ledger/accounts', '/api/admin/ledger/entries', '/api/admin/ledger/payouts', '/api/admin/ledger/verify'];
    for (const url of urls) {
      expect((await t.call('GET', url)).status, url).toBe(401);
      expect((await t.call('GET', url, { token: leader.token })).status, url).toBe(403);
      expect((await t.call('GET', url, { token: op.token })).status, url).toBe(200);
    }
    const p = (await t.services.ledger.listPayouts('requested')).items[0]!;
    const decide = (token: string, decision = 'paid') => t.call('POST', `/api/admin/ledger/payouts/${p.id}/decision`, { token, payload: { decision } });
    expect((await decide(leader.token)).status).toBe(403);
    expect((await t.services.ledger.listPayouts('requested')).items[0]!.id).toBe(p.id);
  });

  it('operators list, decide once and verify', async () => {
    const requested = await t.call('GET', '/api/admin/ledger/payouts?status=requested', { token: op.token });
    expect(requested.body.items).toHaveLength(1);
    const id = requested.body.items[0].id;
    const paid = await t.call('POST', `/api/admin/ledger/payouts/${id}/decision`, { token: op.token, payload: { decision: 'paid' } });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'paid', decidedBy: op.id });
    const twice = await t.call('POST', `/api/admin/ledger/payouts/${id}/decision`, { token: op.token, payload: { decision: 'rejected', reason: 'late' } });
    expect(twice.status).toBe(409);
    expect((await t.call('POST', '/api/admin/ledger/payouts/999999/decision', { token: op.token, payload: { decision: 'paid' } })).status).toBe(404);

    const entries = await t.call('GET', '/api/admin/ledger/entries?limit=2', { token: op.token });
    expect(entries.body.items[0]).toMatchObject({ kind: 'payout_paid', refType: 'payout', refId: id });
    expect(entries.body.items[0].lines.map((l: { code: string }) => l.code).sort()).toEqual(['beneficiary:' + leader.id + ':payout_pending', 'platform:psp:sandbox']);
    expect(entries.body.nextCursor).toEqual(expect.any(String));
    const accounts = await t.call('GET', '/api/admin/ledger/accounts', { token: op.token });
    expect(accounts.body.items.map((a: { code: string }) => a.code)).toContain('platform:sales');

    const verify = await t.call('GET', '/api/admin/ledger/verify', { token: op.token });
    expect(verify.body).toMatchObject({ ok: true, trialBalance: { sumFen: 0 }, problems: [] });
    const me = await t.call('GET', '/api/ledger/me', { token: leader.token });
    expect(me.body.balances).toEqual({ frozenFen: 50, availableFen: 900, payoutPendingFen: 0, lifetimeEarnedFen: 1050, paidOutFen: 100 });
  });
});
