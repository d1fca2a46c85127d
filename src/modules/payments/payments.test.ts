import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../../db';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { DomainError, ManualClock } from '../../kernel';
import type { RefundResult } from './payment-provider';
import type { PaymentRow, RefundRow } from './payments.repo';
import { PaymentsService } from './payments.service';
import { SandboxProvider } from './sandbox-provider';
import { SandboxGateway, type SandboxNotificationBody } from './sandbox-gateway';
import { orderFactory } from './testing';

const SECRET = 'service-test-secret-0001';

/** A provider whose refunds are confirmed later by notification, as WeChat Pay's usually are. */
class DeferredRefunds extends SandboxProvider {
  override readonly name = 'deferred';
  override async refund(): Promise<RefundResult> {
    return { status: 'pending', providerRef: 'deferred-rf' };
  }
}

async function kindOf(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (e) {
    if (e instanceof DomainError) return e.kind;
    throw e;
  }
}

describe.each(testBackends())('payments service on %s', (backend) => {
  let db: TestDatabase;
  let svc: PaymentsService;
  let gateway: SandboxGateway;
  const clock = new ManualClock('2026-03-01T10:00:00+08:00');
  const paid: PaymentRow[] = [];
  const refunded: RefundRow[] = [];
  let failHook = false;
  let payer: number;
  let makeOrder: (buyer: number, totalFen: number) => Promise<number>;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    gateway = new SandboxGateway(SECRET, clock);
    svc = new PaymentsService(db, clock, [
      new SandboxProvider(gateway, { secret: SECRET }),
      new DeferredRefunds(gateway, { secret: SECRET }),
    ]);
    // The service test delivers straight to the service; the HTTP suite goes through the route.
    gateway.connect(async ({ url, headers, body }) => {
      try {
        await svc.handleNotification(url.split('/').pop()!, headers, body);
        return { status: 200 };
      } catch (e) {
        return { status: e instanceof DomainError ? 400 : 500 };
      }
    });
    svc.onSucceeded(async (_tx, p) => {
      if (failHook) throw new Error('ledger unavailable');
      paid.push(p);
    });
    svc.onRefundSucceeded(async (_tx, r) => {
      refunded.push(r);
    });
    payer = (await db.query<{ id: number }>(`INSERT INTO accounts (phone, display_name, password_hash) VALUES ('13900000001', '买家', 'x') RETURNING id`))[0]!.id;
    makeOrder = await orderFactory(db);
  });
  afterAll(async () => db.dispose());

  const create = async (amountFen = 1250, orderId?: number, provider = 'sandbox') => {
    const order = orderId ?? (await makeOrder(payer, Number.isSafeInteger(amountFen) && amountFen > 0 ? amountFen : 1));
    return db.orm.transaction((tx) => svc.createPayment(tx, { orderId: order, payerAccountId: payer, amountFen, description: '青菜 ×2', provider }));
  };
  const notify = (body: Partial<SandboxNotificationBody> & { paymentId: number }, provider = 'sandbox') => {
    const n = gateway.signed({ eventId: `e-${Math.random()}`, kind: 'payment.succeeded', amountFen: 1250, occurredAt: clock.now().toISOString(), ...body });
    return svc.handleNotification(provider, n.headers, n.rawBody);
  };
  const callbacks = async (paymentId: number) => (await svc.listCallbacks(paymentId)).length;

  it('creates a payment with the provider and hands back the sandbox page', async () => {
    const { payment, payUrl } = await create();
    expect(payment).toMatchObject({ status: 'created', amountFen: 1250, provider: 'sandbox', providerRef: `sbx_${payment.id}`, refundedFen: 0 });
    expect(payUrl).toBe(`/pay/${payment.id}`);
    expect(await svc.listForOrder(payment.orderId)).toHaveLength(1);
    expect(await kindOf(create(0))).toBe('bad_input');
    expect(await kindOf(create(12.5))).toBe('bad_input');
    expect(await kindOf(create(100, undefined, 'paypal'))).toBe('not_found');
  });

  it('applies a success once: the hook runs once, a redelivery and a new event id change nothing', async () => {
    const { payment } = await create();
    const before = paid.length;
    await gateway.complete(payment, 'succeeded');
    const after = await svc.getPayment(payment.id);
    expect(after).toMatchObject({ status: 'succeeded', providerRef: `sbx_txn_${payment.id}` });
    expect(after.succeededAt?.toISOString()).toBe(clock.now().toISOString());
    expect(paid.length).toBe(before + 1);
    expect(paid.at(-1)!.id).toBe(payment.id);

    await gateway.complete(payment, 'succeeded');
    expect(paid.length).toBe(before + 1);
    expect(await callbacks(payment.id)).toBe(1);

    expect(await notify({ paymentId: payment.id })).toEqual({ processed: false, paymentId: payment.id, status: 'succeeded', reason: 'not_created' });
    expect(await notify({ paymentId: payment.id, kind: 'payment.failed' })).toMatchObject({ processed: false, reason: 'not_created' });
    expect(paid.length).toBe(before + 1);
    expect((await svc.getPayment(payment.id)).status).toBe('succeeded');
  });

  it('refuses a notification whose amount differs, recording nothing', async () => {
    const { payment } = await create(1250);
    expect(await kindOf(notify({ paymentId: payment.id, amountFen: 1 }))).toBe('unprocessable');
    expect(await kindOf(notify({ paymentId: payment.id, amountFen: 12500 }))).toBe('unprocessable');
    expect((await svc.getPayment(payment.id)).status).toBe('created');
    expect(await callbacks(payment.id)).toBe(0);
    expect(await kindOf(notify({ paymentId: 999_999 }))).toBe('not_found');
  });

  it('a payment that failed cannot succeed afterwards', async () => {
    const { payment } = await create();
    await gateway.complete(payment, 'failed');
    expect(await svc.getPayment(payment.id)).toMatchObject({ status: 'failed' });
    expect(await notify({ paymentId: payment.id })).toMatchObject({ processed: false, reason: 'not_created' });
    expect(await kindOf(gateway.complete(payment, 'succeeded'))).toBe('conflict');
    expect((await svc.getPayment(payment.id)).status).toBe('failed');
  });

  it('a second payment for an already paid order is not recorded as paid', async () => {
    const order = await makeOrder(payer, 800);
    const first = (await create(800, order)).payment;
    const second = (await create(800, order)).payment;
    await gateway.complete(first, 'succeeded');
    const before = paid.length;
    expect(await notify({ paymentId: second.id, amountFen: 800 })).toMatchObject({ processed: false, reason: 'order_already_paid' });
    expect((await svc.getPayment(second.id)).status).toBe('created');
    expect(paid.length).toBe(before);
  });

  it('a hook that throws rolls the whole notification back, and the provider’s retry then succeeds', async () => {
    const { payment } = await create();
    failHook = true;
    const n = gateway.signed({ eventId: 'retry-me', kind: 'payment.succeeded', paymentId: payment.id, amountFen: 1250, occurredAt: clock.now().toISOString() });
    await expect(svc.handleNotification('sandbox', n.headers, n.rawBody)).rejects.toThrow('ledger unavailable');
    expect((await svc.getPayment(payment.id)).status).toBe('created');
    expect(await callbacks(payment.id)).toBe(0);
    failHook = false;
    expect(await svc.handleNotification('sandbox', n.headers, n.rawBody)).toMatchObject({ processed: true, status: 'succeeded' });
  });

  it('closes an unpaid payment, after which the sandbox will not take money for it', async () => {
    const { payment } = await create();
    const closed = await db.orm.transaction((tx) => svc.closePayment(tx, payment.id));
    expect(closed.status).toBe('closed');
    expect(closed.closedAt).not.toBeNull();
    expect(await kindOf(gateway.complete(payment, 'succeeded'))).toBe('conflict');
    // Closing again, or closing a paid one, leaves it as it is.
    expect((await db.orm.transaction((tx) => svc.closePayment(tx, payment.id))).status).toBe('closed');
    expect(await notify({ paymentId: payment.id })).toMatchObject({ processed: false, reason: 'not_created' });
  });

  it('will not close a payment the provider has already taken money for', async () => {
    const { payment } = await create();
    // Paid at the sandbox, but the notification has not been applied yet (in flight).
    (gateway as unknown as { payments: Map<number, { status: string }> }).payments.get(payment.id)!.status = 'succeeded';
    expect(await kindOf(db.orm.transaction((tx) => svc.closePayment(tx, payment.id)))).toBe('conflict');
    expect((await svc.getPayment(payment.id)).status).toBe('created');
  });

  describe('refunds', () => {
    let p: PaymentRow;
    const refund = (refundRef: string, amountFen: number, paymentId = p.id) =>
      db.orm.transaction((tx: Tx) => svc.refund(tx, { paymentId, refundRef, amountFen, reason: '缺货' }));

    beforeAll(async () => {
      p = (await create(1000)).payment;
      await gateway.complete(p, 'succeeded');
    });

    it('refunds part of a payment at once in the sandbox, and runs the refund hook', async () => {
      const before = refunded.length;
      const r = await refund('as-1', 300);
      expect(r).toMatchObject({ status: 'succeeded', amountFen: 300, providerRef: `sbx_rf_${p.id}_as-1`, reason: '缺货' });
      expect(r.completedAt).not.toBeNull();
      expect((await svc.getPayment(p.id)).refundedFen).toBe(300);
      expect(refunded.length).toBe(before + 1);
    });

    it('is idempotent on refundRef: the same refund comes back, nothing is counted twice', async () => {
      const before = refunded.length;
      const again = await refund('as-1', 300);
      expect(again.refundRef).toBe('as-1');
      expect((await svc.getPayment(p.id)).refundedFen).toBe(300);
      expect(await svc.listRefunds(p.id)).toHaveLength(1);
      expect(refunded.length).toBe(before);
      expect(await kindOf(refund('as-1', 301))).toBe('unprocessable');
    });

    it('refuses to refund more than was paid, and allows exactly the rest', async () => {
      expect(await kindOf(refund('as-2', 701))).toBe('conflict');
      expect((await svc.getPayment(p.id)).refundedFen).toBe(300);
      expect(await svc.listRefunds(p.id)).toHaveLength(1);
      await refund('as-2', 700);
      expect((await svc.getPayment(p.id)).refundedFen).toBe(1000);
      expect(await kindOf(refund('as-3', 1))).toBe('conflict');
    });

    it('refuses refunds of unpaid payments and bad input', async () => {
      const unpaid = (await create()).payment;
      expect(await kindOf(refund('x-1', 100, unpaid.id))).toBe('conflict');
      expect(await kindOf(refund('x-1', 100, 999_999))).toBe('not_found');
      expect(await kindOf(refund('has space', 100))).toBe('bad_input');
      expect(await kindOf(refund('x-2', 0))).toBe('bad_input');
      expect(await kindOf(refund('x-2', 1.5))).toBe('bad_input');
    });

    it('settles a deferred refund from the provider’s notification, once; a failed one frees its amount', async () => {
      const d = (await create(2000, undefined, 'deferred')).payment;
      await notify({ paymentId: d.id, amountFen: 2000, eventId: `pay-${d.id}` }, 'deferred');
      const r1 = await refund('d-1', 500, d.id);
      expect(r1).toMatchObject({ status: 'pending', providerRef: 'deferred-rf', completedAt: null });
      expect((await svc.getPayment(d.id)).refundedFen).toBe(500);

      const before = refunded.length;
      const ok = { paymentId: d.id, kind: 'refund.succeeded' as const, amountFen: 500, refundRef: 'd-1', eventId: `rf-${d.id}` };
      expect(await kindOf(notify({ ...ok, amountFen: 499 }, 'deferred'))).toBe('unprocessable');
      expect(await notify(ok, 'deferred')).toMatchObject({ processed: true });
      expect(await notify(ok, 'deferred')).toMatchObject({ processed: false, reason: 'replayed' });
      expect(await notify({ ...ok, eventId: 'other' }, 'deferred')).toMatchObject({ processed: false, reason: 'refund_not_pending' });
      expect(refunded.length).toBe(before + 1);
      expect((await svc.listRefunds(d.id))[0]!.status).toBe('succeeded');

      await refund('d-2', 1500, d.id);
      expect((await svc.getPayment(d.id)).refundedFen).toBe(2000);
      await notify({ paymentId: d.id, kind: 'refund.failed', amountFen: 1500, refundRef: 'd-2' }, 'deferred');
      expect((await svc.getPayment(d.id)).refundedFen).toBe(500);
      expect((await svc.listRefunds(d.id))[1]!.status).toBe('failed');
      expect(await notify({ paymentId: d.id, kind: 'refund.succeeded', amountFen: 5, refundRef: 'made-in-console' }, 'deferred')).toMatchObject({
        processed: false,
        reason: 'unknown_refund',
      });
      expect(refunded.length).toBe(before + 1);
    });
  });

  it.runIf(backend === 'postgres')('concurrent refunds never add up to more than was paid', async () => {
    const { payment } = await create(1000);
    await gateway.complete(payment, 'succeeded');
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => refund(payment.id, `c-${i}`, 300)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect((await svc.getPayment(payment.id)).refundedFen).toBe(900);
    // The same refundRef ten times at once is one refund.
    const same = await Promise.allSettled(Array.from({ length: 10 }, () => refund(payment.id, 'same', 100)));
    expect(same.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect((await svc.getPayment(payment.id)).refundedFen).toBe(1000);
  });

  function refund(paymentId: number, refundRef: string, amountFen: number) {
    return db.orm.transaction((tx) => svc.refund(tx, { paymentId, refundRef, amountFen, reason: '' }));
  }
});
