// The "reserve" step of checkout, for a whole batch of buyers in one transaction:
//   1. find orders already placed under the same idempotency keys (retries) and answer those;
//   2. lock the purchase-limit counters, then the stock rows, each in sorted key order;
//   3. give each buyer, in arrival order, all of their lines or none of them;
//   4. one conditional UPDATE raises `reserved` for every SKU at once (… WHERE available >= n);
//   5. write orders, lines, holds, payments, idempotency records and outbox events.
// Demand is summed per (location, SKU) before the UPDATE, so a batch of 80 buyers of one hot
// SKU costs one row update, and the CHECK constraints guard the counts if anything is wrong.
import type { Database, Tx } from '../../db';
import { DomainError, conflict, type Clock } from '../../kernel';
import { IdempotencyRepo, keyReusedError } from '../../modules/idempotency';
import type { CounterKey, InventoryService, StockDelta } from '../../modules/inventory';
import { linesByOrder, toOrderView, type OrdersService, type OrderView } from '../../modules/orders';
import type { Outcome } from './group-commit';
import type { DraftLine, OrderDraft } from './pricing';

export interface PaymentOpened {
  paymentId: number;
  payUrl: string;
  amountFen: number;
}

export interface CheckoutResponse {
  order: OrderView;
  payment: PaymentOpened | null;
}

export interface Placed {
  status: number;
  body: CheckoutResponse;
  replayed: boolean;
}

export interface OutboxEventDraft {
  topic: string;
  aggregateType: string;
  aggregateId: number;
  payload: unknown;
}

/** What checkout needs from payments and events, so the flow can be tested without them. */
export interface CheckoutHooks {
  openPayments?(
    tx: Tx,
    orders: { orderId: number; buyerAccountId: number; amountFen: number; description: string; provider?: string | undefined }[],
  ): Promise<Map<number, PaymentOpened>>;
  emit?(tx: Tx, events: OutboxEventDraft[]): Promise<void>;
  /** Live coupons: lock the claims a batch means to use and answer the unused ones; then mark them used. */
  coupons?: {
    lockUnused(tx: Tx, claimIds: number[]): Promise<Set<number>>;
    use(tx: Tx, uses: { claimId: number; orderId: number }[]): Promise<void>;
  };
}

export const orderScope = (buyerAccountId: number) => `order:${buyerAccountId}`;

/** The 409 for a line that cannot be had: the same whether PostgreSQL or the Redis front says so. */
export function soldOut(l: DraftLine, left: number): DomainError {
  return new DomainError('conflict', left <= 0 ? `${l.title} is sold out` : `only ${left} of ${l.title} left`, {
    field: `lines.${l.inputIndex}.quantity`,
    details: { reason: 'sold_out', skuId: l.skuId, available: Math.max(0, left) },
  });
}

/** Another process placed an order under one of this batch's keys while it ran: run it again. */
export class KeyRace extends Error {
  readonly code = '40001';
}

const keyOf = (d: { buyerAccountId: number; idempotencyKey: string }) => `${d.buyerAccountId}\u0000${d.idempotencyKey}`;
const stockKey = (locationId: number, skuId: number) => `${locationId}:${skuId}`;
const counterKey = (k: CounterKey) => `${k.accountId}\u0000${k.scope}\u0000${k.skuId}`;

export const SOLD_OUT_MARK_MS = 500;


export class Placement {
  private readonly idem = new IdempotencyRepo();

  constructor(
    private readonly d: {
      db: Database;
      clock: Clock;
      inventory: InventoryService;
      orders: OrdersService;
      hooks: CheckoutHooks;
      /** Off with the Redis front: it turns sold-out buyers away itself and, unlike a mark, sees units come back at once. */
      soldOutMarks?: boolean;
    },
  ) {}

  /**
   * (location, SKU) pairs seen with nothing left, until when. A flash sale turns away most of
   * its buyers: once a batch has sold the last unit, the buyers queued behind it are answered
   * "sold out" without a transaction of their own. Marks last SOLD_OUT_MARK_MS, so units that
   * come back (a cancel, an expiry, a receipt) are on sale again within that time.
   */
  private readonly soldOutUntil = new Map<string, number>();

  async run(drafts: OrderDraft[]): Promise<Outcome<Placed>[]> {
    const now = Date.now();
    const out: Outcome<Placed>[] = new Array(drafts.length);
    const rest: number[] = [];
    const marked: { i: number; line: DraftLine }[] = [];
    drafts.forEach((d, i) => {
      const gone = this.d.soldOutMarks === false ? undefined : d.lines.find((l) => (this.soldOutUntil.get(stockKey(d.order.locationId, l.skuId)) ?? 0) > now);
      if (gone) marked.push({ i, line: gone });
      else rest.push(i);
    });
    if (marked.length > 0) {
      // A retry of an order already placed must get its order back, not "sold out": one read
      // for all the marked buyers of the batch finds those, and they go the normal way.
      const placed = new Set((await this.d.orders.repo.findByKeys(this.d.db.orm, marked.map((m) => drafts[m.i]!))).map(keyOf));
      for (const m of marked) {
        if (placed.has(keyOf(drafts[m.i]!))) rest.push(m.i);
        else out[m.i] = { ok: false, error: soldOut(m.line, 0) };
      }
    }
    if (rest.length === 0) return out;
    const emptied = new Set<string>();
    const results = await this.d.db.orm.transaction((tx) => this.inTransaction(tx, rest.map((i) => drafts[i]!), emptied));
    const until = Date.now() + SOLD_OUT_MARK_MS;
    if (this.d.soldOutMarks !== false) for (const k of emptied) this.soldOutUntil.set(k, until);
    if (this.soldOutUntil.size > 10_000) for (const [k, t] of this.soldOutUntil) if (t <= now) this.soldOutUntil.delete(k);
    rest.forEach((i, j) => (out[i] = results[j]!));
    return out;
  }

  private async inTransaction(tx: Tx, drafts: OrderDraft[], emptied: Set<string>): Promise<Outcome<Placed>[]> {
    const out: (Outcome<Placed> | undefined)[] = new Array(drafts.length);

    // 1. Retries and twins.
    const existing = await this.d.orders.repo.findByKeys(tx, drafts);
    const existingByKey = new Map(existing.map((e) => [keyOf(e), e]));
    const firstOfKey = new Map<string, number>();
    const twins: [number, number][] = [];
    const live: number[] = [];
    for (let i = 0; i < drafts.length; i++) {
      const d = drafts[i]!;
      const k = keyOf(d);
      const earlier = existingByKey.get(k);
      if (earlier) {
        out[i] = earlier.requestHash === d.requestHash ? await this.replay(tx, d) : { ok: false, error: keyReusedError() };
        continue;
      }
      const first = firstOfKey.get(k);
      if (first !== undefined) twins.push([i, first]);
      else {
        firstOfKey.set(k, i);
        live.push(i);
      }
    }

    // 2. Lock limit counters, then stock, each in sorted order (the repo sorts).
    const counterKeys = new Map<string, CounterKey>();
    const stockKeys = new Map<string, { locationId: number; skuId: number }>();
    for (const i of live) {
      const d = drafts[i]!;
      for (const l of d.lines) {
        stockKeys.set(stockKey(d.order.locationId, l.skuId), { locationId: d.order.locationId, skuId: l.skuId });
        if (l.limit) {
          const ck = { accountId: d.buyerAccountId, scope: l.limit.scope, skuId: l.skuId };
          counterKeys.set(counterKey(ck), ck);
        }
      }
    }
    const counters = new Map((await this.d.inventory.lockCounters(tx, [...counterKeys.values()])).map((c) => [counterKey(c), c.quantity]));
    const available = new Map(
      (await this.d.inventory.lockLevels(tx, [...stockKeys.values()])).map((r) => [stockKey(r.locationId, r.skuId), r.onHand - r.reserved]),
    );
    // Coupon claims after stock, the order the lifecycle's close takes them in too.
    const claimIds = [...new Set(live.map((i) => drafts[i]!.couponClaimId).filter((c): c is number => c !== undefined))];
    const unusedClaims = claimIds.length === 0 ? new Set<number>() : ((await this.d.hooks.coupons?.lockUnused(tx, claimIds)) ?? new Set<number>());

    // 3. Allocate, first come first served, all lines of an order or none.
    const accepted: number[] = [];
    for (const i of live) {
      const d = drafts[i]!;
      const refusal = this.refusal(d, available, counters) ?? this.couponRefusal(d, unusedClaims);
      if (refusal) {
        out[i] = { ok: false, error: refusal };
        continue;
      }
      if (d.couponClaimId !== undefined) unusedClaims.delete(d.couponClaimId);
      for (const l of d.lines) {
        const sk = stockKey(d.order.locationId, l.skuId);
        available.set(sk, available.get(sk)! - l.quantity);
        if (l.limit) {
          const ck = counterKey({ accountId: d.buyerAccountId, scope: l.limit.scope, skuId: l.skuId });
          counters.set(ck, counters.get(ck)! + l.quantity);
        }
      }
      accepted.push(i);
    }

    if (accepted.length > 0) await this.write(tx, drafts, accepted, out);
    for (const [k, left] of available) if (left <= 0) emptied.add(k);

    for (const [i, first] of twins) {
      const o = out[first]!;
      if (drafts[i]!.requestHash !== drafts[first]!.requestHash) out[i] = { ok: false, error: keyReusedError() };
      else out[i] = o.ok ? { ok: true, value: { ...o.value, replayed: true } } : o;
    }
    return out as Outcome<Placed>[];
  }

  /** A coupon claim used meanwhile (by another order, or an earlier one of this batch). */
  private couponRefusal(d: OrderDraft, unused: Set<number>): DomainError | null {
    if (d.couponClaimId === undefined || unused.has(d.couponClaimId)) return null;
    return new DomainError('conflict', 'this coupon was used on another order', { field: 'couponClaimId', details: { reason: 'used' } });
  }

  /** Why this order cannot be had now, naming the line; null when it can. */
  private refusal(d: OrderDraft, available: Map<string, number>, counters: Map<string, number>): DomainError | null {
    for (const l of d.lines) {
      const left = available.get(stockKey(d.order.locationId, l.skuId)) ?? 0;
      if (left < l.quantity) return soldOut(l, left);
      if (l.limit) {
        const bought = counters.get(counterKey({ accountId: d.buyerAccountId, scope: l.limit.scope, skuId: l.skuId })) ?? 0;
        if (bought + l.quantity > l.limit.max) {
          return new DomainError('conflict', `${l.title} is limited to ${l.limit.max} per person; you have ${bought} already`, {
            field: `lines.${l.inputIndex}.quantity`,
            details: { reason: 'limit', skuId: l.skuId, limit: l.limit.max, bought },
          });
        }
      }
    }
    return null;
  }

  private async write(tx: Tx, drafts: OrderDraft[], accepted: number[], out: (Outcome<Placed> | undefined)[]): Promise<void> {
    // 4. One conditional statement for every (location, SKU) of the batch.
    const demand = new Map<string, StockDelta>();
    const counterDeltas = new Map<string, CounterKey & { quantity: number }>();
    for (const i of accepted) {
      const d = drafts[i]!;
      for (const l of d.lines) {
        const sk = stockKey(d.order.locationId, l.skuId);
        const cur = demand.get(sk) ?? { locationId: d.order.locationId, skuId: l.skuId, quantity: 0 };
        cur.quantity += l.quantity;
        demand.set(sk, cur);
        if (l.limit) {
          const ck = { accountId: d.buyerAccountId, scope: l.limit.scope, skuId: l.skuId };
          const c = counterDeltas.get(counterKey(ck)) ?? { ...ck, quantity: 0 };
          c.quantity += l.quantity;
          counterDeltas.set(counterKey(ck), c);
        }
      }
    }
    const reserved = await this.d.inventory.reserve(tx, [...demand.values()]);
    if (reserved.length !== demand.size) {
      // Cannot happen while the rows are locked; if it does, nothing of this batch may commit.
      throw conflict('stock changed under a locked reservation; retry');
    }
    await this.d.inventory.addToCounters(tx, [...counterDeltas.values()]);

    // 5. Orders, lines, holds.
    const rows = await this.d.orders.repo.insertOrders(
      tx,
      accepted.map((i) => {
        const d = drafts[i]!;
        return {
          // Every row names every attribution column: the bulk insert takes its columns from
          // the first row, so a key missing there would be dropped for the whole batch.
          campaignId: null,
          liveSessionId: null,
          hostAccountId: null,
          flashSaleId: null,
          ...d.order,
          buyerAccountId: d.buyerAccountId,
          idempotencyKey: d.idempotencyKey,
          requestHash: d.requestHash,
          status: 'pending_payment' as const,
          expiresAt: d.expiresAt,
        };
      }),
    );
    if (rows.length !== accepted.length) throw new KeyRace('an order with one of these idempotency keys was placed meanwhile');
    const orderOf = new Map(rows.map((r) => [keyOf(r), r]));
    const placed = accepted.map((i) => ({ i, d: drafts[i]!, row: orderOf.get(keyOf(drafts[i]!))! }));

    const uses = placed.filter(({ d }) => d.couponClaimId !== undefined).map(({ d, row }) => ({ claimId: d.couponClaimId!, orderId: row.id }));
    if (uses.length > 0) await this.d.hooks.coupons!.use(tx, uses);

    const lineRows = await this.d.orders.repo.insertLines(
      tx,
      placed.flatMap(({ d, row }) =>
        d.lines.map((l) => ({
          orderId: row.id,
          skuId: l.skuId,
          productId: l.productId,
          title: l.title,
          spec: l.spec,
          unit: l.unit,
          unitPriceFen: l.unitPriceFen,
          quantity: l.quantity,
          discountFen: l.discountFen,
          lineTotalFen: l.lineTotalFen,
          limitScope: l.limit?.scope ?? null,
        })),
      ),
    );
    await this.d.inventory.insertHolds(
      tx,
      placed.flatMap(({ d, row }) =>
        d.lines.map((l) => ({ orderId: row.id, locationId: d.order.locationId, skuId: l.skuId, quantity: l.quantity, expiresAt: d.expiresAt })),
      ),
    );

    const payments =
      (await this.d.hooks.openPayments?.(
        tx,
        placed.map(({ d, row }) => ({
          orderId: row.id,
          buyerAccountId: d.buyerAccountId,
          amountFen: row.totalFen,
          description: d.lines.length === 1 ? d.lines[0]!.title : `${d.lines[0]!.title} 等${d.lines.length}件`,
          provider: d.paymentProvider,
        })),
      )) ?? new Map<number, PaymentOpened>();

    const lineMap = linesByOrder(lineRows);

    const records = placed.map(({ i, d, row }) => {
      const body: CheckoutResponse = {
        order: toOrderView(row, lineMap.get(row.id) ?? []),
        payment: payments.get(row.id) ?? null,
      };
      out[i] = { ok: true, value: { status: 201, body, replayed: false } };
      return { scope: orderScope(d.buyerAccountId), key: d.idempotencyKey, requestHash: d.requestHash, statusCode: 201, response: body };
    });
    await this.idem.insertMany(tx, records);
    await this.d.hooks.emit?.(
      tx,
      placed.map(({ d, row }) => ({
        topic: 'order.placed',
        aggregateType: 'order',
        aggregateId: row.id,
        payload: {
          orderId: row.id,
          buyerAccountId: d.buyerAccountId,
          channel: row.channel,
          regionId: row.regionId,
          communityId: row.communityId,
          pickupPointId: row.pickupPointId,
          storeId: row.storeId,
          leaderAccountId: row.leaderAccountId,
          shareLinkId: row.shareLinkId,
          referrerAccountId: row.referrerAccountId,
          totalFen: row.totalFen,
          lines: d.lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity, lineTotalFen: l.lineTotalFen })),
        },
      })),
    );
  }

  private async replay(tx: Tx, d: OrderDraft): Promise<Outcome<Placed>> {
    const rec = await this.idem.find(tx, orderScope(d.buyerAccountId), d.idempotencyKey);
    if (rec) return { ok: true, value: { status: rec.statusCode, body: rec.response as CheckoutResponse, replayed: true } };
    // Records are dropped after the retention window; the order itself still answers.
    const found = await this.d.orders.repo.findByKeys(tx, [d]);
    return { ok: true, value: { status: 200, body: { order: await this.d.orders.view(found[0]!.id, tx), payment: null }, replayed: true } };
  }
}
