// A few orders in the demo city, placed and moved along through the real services (checkout,
// sandbox payment, lifecycle, refunds, after-sales), so the order pages, the operator's queues,
// the leader's and the store owner's earnings and the ledger have something to show. Fixed
// keys and quantities: the same city gives the same orders (only their times differ).
import type { Actor, Role } from '../modules/people';
import type { Services } from '../services';
import { DEMO_ACCOUNTS, DEMO_COMMUNITY, DEMO_POINT_NAME, DEMO_STORE_NAME, type DemoCity } from './city';
import type { IdOffsets } from './demo.repo';
import { skuNamed } from './stock';

type Step =
  | 'pay'
  | 'fulfil'
  | 'mark_ready'
  | 'complete'
  | 'cancel'
  | { refund: { line: number; quantity: number; reason: string } }
  | { afterSales: { line: number; quantity: number; description: string } };

interface OrderPlan {
  /** 'resident' is the demo resident; a number is the n-th neighbour in the demo community. */
  buyer: 'resident' | number;
  at: 'point' | 'store';
  /** [product, spec, quantity]; for the store, [index into its stocked SKUs, quantity]. */
  lines: Array<readonly [string, string, number] | readonly [number, number]>;
  steps: Step[];
}

// Oldest first: the list pages show the newest (the unpaid one) on top.
export const DEMO_ORDERS: readonly OrderPlan[] = [
  {
    buyer: 'resident',
    at: 'point',
    lines: [
      ['鲜牛奶', '950ml', 2],
      ['鲜鸡蛋', '10枚', 1],
      ['西兰花', '约400g', 1],
    ],
    steps: ['pay', 'fulfil', 'mark_ready', 'complete', { afterSales: { line: 2, quantity: 1, description: '西兰花有一半发黄了，拍照附在下面。' } }],
  },
  { buyer: 1, at: 'point', lines: [['丹东草莓', '250g', 2], ['纯牛奶', '250ml', 6]], steps: ['pay', 'fulfil', 'mark_ready', 'complete'] },
  { buyer: 2, at: 'point', lines: [['东北大米', '5kg', 1]], steps: ['pay', 'fulfil'] },
  { buyer: 'resident', at: 'store', lines: [[0, 2], [1, 1]], steps: ['pay', 'complete'] },
  {
    buyer: 'resident',
    at: 'point',
    lines: [
      ['丹东草莓', '250g', 1],
      ['香菇', '250g', 1],
      ['土豆', '500g', 3],
    ],
    steps: ['pay', { refund: { line: 1, quantity: 1, reason: '香菇到货品质不佳，已为您退款' } }],
  },
  { buyer: 3, at: 'point', lines: [['鲜鸡蛋', '10枚', 2], ['上海青', '500g', 2]], steps: ['pay'] },
  { buyer: 'resident', at: 'point', lines: [['智利车厘子', '500g', 1]], steps: ['cancel'] },
  { buyer: 'resident', at: 'point', lines: [['东北大米', '5kg', 1], ['金针菇', '200g', 2]], steps: ['pay', 'fulfil', 'mark_ready'] },
  { buyer: 'resident', at: 'point', lines: [['上海青', '500g', 2], ['西红柿', '500g', 2]], steps: [] },
];

const actor = (accountId: number, ...roles: Role[]): Actor => ({ accountId, roles: new Set<Role>(roles) });

/** Seed DEMO_ORDERS; returns how many orders were placed. */
export async function seedDemoOrders(services: Services, city: DemoCity, off: IdOffsets): Promise<number> {
  const accountOf = (phone: string) => city.accounts.find((a) => a.phone === phone)!.id + off.accounts;
  const resident = actor(accountOf(DEMO_ACCOUNTS[1]!.phone), 'resident');
  const operator = actor(accountOf(DEMO_ACCOUNTS[0]!.phone), 'operator');
  const community = city.communities.find((c) => c.name === DEMO_COMMUNITY.name)!;
  const demoIds = new Set(DEMO_ACCOUNTS.map((a) => accountOf(a.phone)));
  const leaders = new Set(city.pickupPoints.map((p) => p.leaderAccountId + off.accounts));
  const neighbours = city.residentHomes
    .filter((h) => h.communityId === community.id)
    .map((h) => h.accountId + off.accounts)
    .filter((id) => !demoIds.has(id) && !leaders.has(id));
  const pointId = city.pickupPoints.find((p) => p.name === DEMO_POINT_NAME)!.id + off.pickup_points;
  const store = city.stores.find((s) => s.name === DEMO_STORE_NAME)!;
  const storeLocation = city.stockLocations.find((l) => l.storeId === store.id)!.id;
  const storeSkus = city.stockLevels.filter((l) => l.locationId === storeLocation && l.onHand >= 5).map((l) => l.skuId);

  let placed = 0;
  for (const [n, plan] of DEMO_ORDERS.entries()) {
    const buyer = plan.buyer === 'resident' ? resident : actor(neighbours[plan.buyer - 1]!, 'resident');
    if (!buyer.accountId) throw new Error(`demo orders: the demo community has no neighbour #${plan.buyer}`);
    const lines = plan.lines.map((l) => {
      const skuId = l.length === 3 ? skuNamed(city, l[0], l[1]) : storeSkus[l[0]];
      if (skuId === undefined) throw new Error(`demo orders: no SKU for ${JSON.stringify(l)}`);
      return { skuId: skuId + off.skus, quantity: l[l.length - 1] as number };
    });
    const input =
      plan.at === 'point'
        ? { channel: 'group_buy' as const, pickupPointId: pointId, lines }
        : { channel: 'store_online' as const, storeId: store.id + off.stores, fulfilment: 'pickup' as const, lines };
    const { body } = await services.checkout.placeOrder(buyer, input, `demo-seed-${n + 1}`);
    placed++;
    const order = body.order;
    const lineFor = (i: number) => order.lines.find((l) => l.skuId === lines[i]!.skuId)!;
    for (const step of plan.steps) {
      if (step === 'pay') await paySandbox(services, body.payment!);
      else if (step === 'cancel') await services.lifecycle.cancel(buyer, order.id);
      else if (typeof step === 'string') await services.lifecycle.advance(operator, order.id, step);
      else if ('refund' in step) {
        const line = lineFor(step.refund.line);
        await services.refunds.refund(operator, order.id, {
          kind: 'partial',
          lines: [{ orderLineId: line.id, quantity: step.refund.quantity }],
          reason: step.refund.reason,
          restock: true,
        });
      } else {
        const line = lineFor(step.afterSales.line);
        await services.refunds.openAfterSales(buyer, order.id, {
          reason: 'quality',
          description: step.afterSales.description,
          lines: [{ orderLineId: line.id, quantity: step.afterSales.quantity }],
        });
      }
    }
  }
  // The demo skips the 7-day after-sales wait for the orders already collected, so the leader
  // has money to draw and the operator a payout to decide.
  await services.ledger.releaseMatured(new Date(services.clock.now().getTime() + DEMO_RELEASE_AHEAD_MS));
  const leader = accountOf(DEMO_ACCOUNTS[2]!.phone);
  await services.db.orm.transaction((tx) => services.ledger.requestPayout(tx, { beneficiaryAccountId: leader, amountFen: DEMO_PAYOUT_FEN }));
  return placed;
}

const DEMO_RELEASE_AHEAD_MS = 8 * 24 * 3600_000;
const DEMO_PAYOUT_FEN = 800;

/**
 * What pressing "pay" on the sandbox page leads to, minus the HTTP hop: the sandbox signs its
 * success notice (same event id the page would use) and the payments service verifies and
 * applies it. The gateway's transport is left alone; the HTTP app connects it later.
 */
export async function paySandbox(services: Services, payment: { paymentId: number; amountFen: number }): Promise<void> {
  const { headers, rawBody } = services.sandboxGateway.signed({
    eventId: `sbx_${payment.paymentId}_succeeded`,
    kind: 'payment.succeeded',
    paymentId: payment.paymentId,
    amountFen: payment.amountFen,
    providerRef: `sbx_txn_${payment.paymentId}`,
    occurredAt: services.clock.now().toISOString(),
  });
  const r = await services.payments.handleNotification('sandbox', headers, rawBody);
  if (!r.processed) throw new Error(`demo orders: payment ${payment.paymentId} was not applied (${r.reason})`);
}
