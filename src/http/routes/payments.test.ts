import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../db/testing';
import { SIGNATURE_HEADER, signatureHeader, type PaymentRow, type SandboxNotificationBody } from '../../modules/payments';
import { orderFactory } from '../../modules/payments/testing';
import { createTestApp, type TestApp } from '../testing';

const CALLBACK = '/api/payments/callbacks/sandbox';

describe.each(testBackends())('payments over HTTP on %s', (backend) => {
  let t: TestApp;
  let buyer: { id: number; token: string };
  let other: { id: number; token: string };
  let operator: { id: number; token: string };
  const hookRuns: number[] = [];
  let makeOrder: (buyer: number, totalFen: number) => Promise<number>;

  beforeAll(async () => {
    t = await createTestApp(backend);
    buyer = await t.user(['resident'], 'buyer');
    other = await t.user(['resident'], 'other');
    operator = await t.user(['operator'], 'op');
    makeOrder = await orderFactory(t.db);
    t.services.payments.onSucceeded(async (_tx, p) => {
      hookRuns.push(p.id);
    });
  });
  afterAll(async () => t.close());

  const newPayment = async (amountFen = 1990): Promise<PaymentRow> => {
    const orderId = await makeOrder(buyer.id, amountFen);
    return (
      await t.db.orm.transaction((tx) =>
        t.services.payments.createPayment(tx, { orderId, payerAccountId: buyer.id, amountFen, description: '鸡蛋 30枚' }),
      )
    ).payment;
  };
  const orderStatus = async (orderId: number) =>
    (await t.db.query<{ status: string }>('SELECT status FROM orders WHERE id = $1', [orderId]))[0]!.status;
  const body = (p: PaymentRow, over: Partial<SandboxNotificationBody> = {}): SandboxNotificationBody => ({
    eventId: `evt-${p.id}`,
    kind: 'payment.succeeded',
    paymentId: p.id,
    amountFen: p.amountFen,
    occurredAt: new Date().toISOString(),
    ...over,
  });
  /** POST a notification exactly as the sandbox would (or with headers/body swapped in). */
  const post = async (raw: string, headers: Record<string, string>) => {
    const res = await t.app.inject({ method: 'POST', url: CALLBACK, headers, payload: raw });
    return { status: res.statusCode, body: res.json() as Record<string, unknown> };
  };
  const signed = (b: SandboxNotificationBody) => t.services.sandboxGateway.signed(b);
  const state = async (id: number) => ({
    payment: await t.services.payments.getPayment(id),
    callbacks: (await t.services.payments.listCallbacks(id)).length,
    hooks: hookRuns.filter((x) => x === id).length,
  });
  const pay = (id: number, token: string, key?: string, action = 'pay') =>
    t.call('POST', `/api/payments/sandbox/${id}/${action}`, { token, payload: {}, headers: key ? { 'idempotency-key': key } : {} });

  describe('callback route', () => {
    it('refuses a forged callback with 401 and changes nothing', async () => {
      const p = await newPayment();
      const raw = JSON.stringify(body(p));
      const forged = `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`;
      const wrongSecret = signatureHeader('not-the-server-secret', raw, new Date());
      const stale = signatureHeader('x'.repeat(16), raw, new Date(Date.now() - 3600_000));
      for (const sig of [forged, wrongSecret, stale, 'nonsense']) {
        const res = await post(raw, { 'content-type': 'application/json', [SIGNATURE_HEADER]: sig });
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ error: { code: 'unauthenticated' } });
      }
      expect((await post(raw, { 'content-type': 'application/json' })).status).toBe(401);
      // A genuine signature over another body.
      const real = signed(body(p, { amountFen: 1 }));
      expect((await post(raw, real.headers)).status).toBe(401);
      expect(await state(p.id)).toMatchObject({ payment: { status: 'created' }, callbacks: 0, hooks: 0 });
      expect(await orderStatus(p.orderId)).toBe('pending_payment');
    });

    it('applies a valid callback: succeeded, hook ran once; an exact replay is 200 and runs nothing', async () => {
      const p = await newPayment();
      const n = signed(body(p));
      const first = await post(n.rawBody, n.headers);
      expect(first).toEqual({ status: 200, body: { ok: true, processed: true } });
      expect(await state(p.id)).toMatchObject({ payment: { status: 'succeeded' }, callbacks: 1, hooks: 1 });
      // The commerce flow's hook ran in the same transaction.
      expect(await orderStatus(p.orderId)).toBe('paid');
      const replay = await post(n.rawBody, n.headers);
      expect(replay).toEqual({ status: 200, body: { ok: true, processed: false, reason: 'replayed' } });
      expect(await state(p.id)).toMatchObject({ payment: { status: 'succeeded' }, callbacks: 1, hooks: 1 });
    });

    it('a different event id for an already paid payment changes nothing', async () => {
      const p = await newPayment();
      const n = signed(body(p));
      await post(n.rawBody, n.headers);
      const before = await state(p.id);
      const second = signed(body(p, { eventId: 'another-event' }));
      const res = await post(second.rawBody, second.headers);
      expect(res).toEqual({ status: 200, body: { ok: true, processed: false, reason: 'not_created' } });
      const after = await state(p.id);
      expect(after.payment).toEqual(before.payment);
      expect(after.hooks).toBe(1);
    });

    it('refuses a signed callback whose amount differs from the payment, changing nothing', async () => {
      const p = await newPayment(1990);
      for (const amountFen of [1989, 1991, 199000]) {
        const n = signed(body(p, { amountFen, eventId: `amt-${amountFen}` }));
        const res = await post(n.rawBody, n.headers);
        expect(res.status).toBe(422);
        expect(res.body).toMatchObject({ error: { field: 'amountFen' } });
      }
      expect(await state(p.id)).toMatchObject({ payment: { status: 'created' }, callbacks: 0, hooks: 0 });
    });

    it('answers unknown providers and payments with 404, and well-signed garbage with 400', async () => {
      const p = await newPayment();
      const n = signed(body(p));
      expect((await t.app.inject({ method: 'POST', url: '/api/payments/callbacks/paypal', headers: n.headers, payload: n.rawBody })).statusCode).toBe(404);
      const ghost = signed(body(p, { paymentId: 999_999 }));
      expect((await post(ghost.rawBody, ghost.headers)).status).toBe(404);
      const garbage = signed({ eventId: 1, paymentId: p.id } as unknown as SandboxNotificationBody);
      const res = await post(garbage.rawBody, garbage.headers);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'bad_input', field: 'eventId' } });
      expect(await state(p.id)).toMatchObject({ callbacks: 0 });
    });

    it('verifies the exact bytes sent, whatever the content type, while other routes still parse JSON', async () => {
      const p = await newPayment();
      // Same JSON value, different bytes: the signature was over the compact form.
      const n = signed(body(p));
      const pretty = JSON.stringify(JSON.parse(n.rawBody), null, 2);
      expect((await post(pretty, n.headers)).status).toBe(401);
      const asText = await post(n.rawBody, { ...n.headers, 'content-type': 'text/plain' });
      expect(asText.status).toBe(200);
      const login = await t.call('POST', '/api/auth/login', { payload: { phone: '13000000000', password: 'whatever-1' } });
      expect(login.status).toBe(401);
      const bad = await t.call('POST', '/api/auth/login', { payload: '{"phone": ', headers: { 'content-type': 'application/json' } });
      expect(bad.status).toBe(400);
    });

    it.runIf(backend === 'postgres')('ten identical callbacks at once: the hook runs exactly once', async () => {
      for (let round = 0; round < 3; round++) {
        const p = await newPayment();
        const n = signed(body(p));
        const results = await Promise.all(Array.from({ length: 10 }, () => post(n.rawBody, n.headers)));
        expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
        expect(results.filter((r) => r.body.processed === true)).toHaveLength(1);
        expect(await state(p.id)).toMatchObject({ payment: { status: 'succeeded' }, callbacks: 1, hooks: 1 });
      }
    });

    it.runIf(backend === 'postgres')('ten different success events at once for one payment: it succeeds once', async () => {
      const p = await newPayment();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => {
          const n = signed(body(p, { eventId: `burst-${i}` }));
          return post(n.rawBody, n.headers);
        }),
      );
      expect(results.filter((r) => r.body.processed === true)).toHaveLength(1);
      expect(await state(p.id)).toMatchObject({ payment: { status: 'succeeded' }, callbacks: 10, hooks: 1 });
    });
  });

  describe('reading a payment', () => {
    it('shows a payment to its payer and operators only', async () => {
      const p = await newPayment(2500);
      const mine = await t.call('GET', `/api/payments/${p.id}`, { token: buyer.token });
      expect(mine.status).toBe(200);
      expect(mine.body).toMatchObject({ id: p.id, orderId: p.orderId, amountFen: 2500, status: 'created', refunds: [] });
      expect(mine.body).not.toHaveProperty('providerRef');
      expect((await t.call('GET', `/api/payments/${p.id}`, { token: operator.token })).status).toBe(200);
      expect((await t.call('GET', `/api/payments/${p.id}`, { token: other.token })).status).toBe(404);
      expect((await t.call('GET', `/api/payments/${p.id}`)).status).toBe(401);
      expect((await t.call('GET', '/api/payments/abc', { token: buyer.token })).status).toBe(400);
    });
  });

  describe('sandbox checkout', () => {
    it('pays through the signed callback path: succeeded, hook ran once, a retry with the key replays', async () => {
      const p = await newPayment();
      const res = await pay(p.id, buyer.token, `k-${p.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: p.id, status: 'succeeded' });
      expect(await state(p.id)).toMatchObject({ callbacks: 1, hooks: 1 });
      const again = await pay(p.id, buyer.token, `k-${p.id}`);
      expect(again.status).toBe(200);
      expect(again.body.status).toBe('succeeded');
      expect(await state(p.id)).toMatchObject({ callbacks: 1, hooks: 1 });
      // A new key for a paid payment is a conflict, not a second charge.
      expect((await pay(p.id, buyer.token, `k2-${p.id}`)).status).toBe(409);
      // The same key for another action is refused.
      expect((await pay(p.id, buyer.token, `k-${p.id}`, 'fail')).status).toBe(422);
    });

    it('cancel marks the payment failed; it cannot then be paid', async () => {
      const p = await newPayment();
      const res = await pay(p.id, buyer.token, `c-${p.id}`, 'fail');
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('failed');
      expect((await pay(p.id, buyer.token, `c2-${p.id}`)).status).toBe(409);
      expect(await state(p.id)).toMatchObject({ payment: { status: 'failed' }, hooks: 0 });
    });

    it('only the payer can pay, and only with an Idempotency-Key', async () => {
      const p = await newPayment();
      expect((await pay(p.id, other.token, 'o-1')).status).toBe(404);
      expect((await pay(p.id, operator.token, 'o-2')).status).toBe(404);
      expect((await pay(p.id, other.token, 'o-3', 'fail')).status).toBe(404);
      expect((await t.call('POST', `/api/payments/sandbox/${p.id}/pay`, { payload: {}, headers: { 'idempotency-key': 'anon' } })).status).toBe(401);
      const noKey = await pay(p.id, buyer.token);
      expect(noKey.status).toBe(400);
      expect(noKey.body.error.field).toBe('Idempotency-Key');
      expect((await pay(999_999, buyer.token, 'ghost')).status).toBe(404);
      expect(await state(p.id)).toMatchObject({ payment: { status: 'created' }, callbacks: 0, hooks: 0 });
    });
  });
});
