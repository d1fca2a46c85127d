// Pickup verification (核销): the resident shows a code or QR, the leader looks it up among
// the point's open orders and hands over some or all of what is left. Each pickup holds the
// order's row lock, the same lock refunds take, so a pickup and a refund of the same units
// cannot both win. A pickup can be undone within the region's undo window, which reopens a
// completed order and stops its commissions' after-sales clock.
import { randomUUID } from 'node:crypto';
import type { Database, Tx } from '../../db';
import { badInput, conflict, decodeCursor, encodeCursor, notFound, toPage, type Clock, type Page } from '../../kernel';
import type { GroupbuySettingsService } from '../../modules/groupbuy';
import { HandoffsRepo, normaliseCode, parsePickupQr, PickupsRepo, type LeaderOrderFilter, type PickupCodes } from '../../modules/fulfilment';
import type { AfterSalesRow, AfterSalesStatus, OrderLineRow, OrderRow, OrdersService } from '../../modules/orders';
import { isOperator, requireActor, requireRole, type Actor } from '../../modules/people';
import type { OutboxEventDraft } from '../checkout';
import type { OrderLifecycle, RefundFlow } from '../orders';
import { requireOwnPoint, requirePointAccess } from './access';

export interface PickupDeps {
  db: Database;
  clock: Clock;
  orders: OrdersService;
  lifecycle: OrderLifecycle;
  refunds: RefundFlow;
  settings: GroupbuySettingsService;
  codes: PickupCodes;
  /** Outbox events in the scan's transaction (`order.picked_up`, `order.pickup_undone`): the pickup figures of docs/insights.md. */
  emit: (tx: Tx, events: OutboxEventDraft[]) => Promise<void>;
}

export interface CandidateLine {
  orderLineId: number;
  title: string;
  spec: string;
  quantity: number;
  refundedQuantity: number;
  pickedQuantity: number;
  remaining: number;
}

export interface PickupCandidate {
  orderId: number;
  relayNo: number;
  buyerName: string;
  status: string;
  lines: CandidateLine[];
}

export interface LeaderOrder {
  orderId: number;
  relayNo: number;
  buyerName: string;
  status: string;
  totalFen: number;
  refundedFen: number;
  lines: Omit<CandidateLine, 'remaining'>[];
  pickedAt: Date | null;
}

export interface PickupInput {
  orderId: number;
  code: string;
  /** Omitted: everything still to hand over. */
  lines?: { orderLineId: number; quantity: number }[] | undefined;
}

export interface PickupResult {
  scanId: string;
  orderId: number;
  completed: boolean;
  lines: CandidateLine[];
}

const CODE_STATUSES = new Set(['paid', 'fulfilling', 'ready']);

const remainingOf = (l: OrderLineRow) => Math.max(0, l.quantity - l.refundedQuantity - l.pickedQuantity);

export class PickupFlow {
  readonly repo = new PickupsRepo();
  private readonly points = new HandoffsRepo();

  constructor(private readonly d: PickupDeps) {}

  /** The buyer's own pickup code and QR text; nobody else's (404, so ids do not leak). */
  async codeOf(actor: Actor | null, orderId: number): Promise<{ code: string; qr: string; relayNo: number | null }> {
    const a = requireActor(actor);
    const o = await this.d.orders.repo.get(this.d.db.orm, orderId);
    if (!o || o.buyerAccountId !== a.accountId) throw notFound('order', orderId);
    if (o.channel !== 'group_buy' || o.fulfilment !== 'pickup' || o.pickupPointId === null) throw conflict('this order is not collected at a pickup point');
    if (!CODE_STATUSES.has(o.status)) throw conflict(`a ${o.status.replace('_', ' ')} order has no pickup code`);
    // Her place on the relay list (跟团号): what she tells the leader along with the code.
    const [head] = await this.repo.heads(this.d.db.orm, o.pickupPointId, [o.id]);
    return { code: this.d.codes.codeOf(o.id), qr: this.d.codes.qrOf(o.id), relayNo: head?.relayNo ?? null };
  }

  /** The point's orders matching a typed code or a scanned QR; [] when none does. */
  async lookup(actor: Actor | null, pointId: number, q: { code?: string | undefined; qr?: string | undefined }): Promise<PickupCandidate[]> {
    const db = this.d.db.orm;
    await requirePointAccess(this.points, db, actor, pointId);
    let ids: number[];
    if (q.qr !== undefined) {
      const parsed = parsePickupQr(q.qr);
      if (!parsed) throw badInput('qr', 'not a linli pickup QR code');
      const open = await this.repo.openOrderIds(db, pointId);
      ids = open.includes(parsed.orderId) && this.d.codes.matches(parsed.orderId, parsed.code) ? [parsed.orderId] : [];
    } else if (q.code !== undefined) {
      const code = normaliseCode(q.code);
      if (!code) throw badInput('code', 'a pickup code is 8 digits');
      // Codes are not stored: recompute those of the point's open orders (a few hundred).
      ids = (await this.repo.openOrderIds(db, pointId)).filter((id) => this.d.codes.matches(id, code));
    } else {
      throw badInput('code', 'give the pickup code or the QR text');
    }
    return this.candidates(db, pointId, ids);
  }

  /** Hand over some or all of what is left of an order that is at the point. */
  async pickup(actor: Actor | null, pointId: number, input: PickupInput, tx?: Tx): Promise<PickupResult> {
    return this.inTx(tx, async (t) => {
      const { actor: a } = await requirePointAccess(this.points, t, actor, pointId);
      const code = normaliseCode(input.code);
      const o = await this.d.orders.repo.lock(t, input.orderId);
      if (!o || o.pickupPointId !== pointId) throw notFound('order', input.orderId);
      if (!code || !this.d.codes.matches(o.id, code)) throw badInput('code', 'the pickup code does not match this order');
      if (o.status !== 'ready') throw conflict(notReadyReason(o));
      const lines = await this.d.orders.repo.linesOf(t, [o.id]);
      const take = pickPlan(lines, input.lines);
      const scanId = randomUUID();
      const now = this.d.clock.now();
      await this.repo.insert(
        t,
        take.map((p) => ({ orderId: o.id, orderLineId: p.line.id, quantity: p.quantity, scanId, byAccountId: a.accountId, pickedAt: now })),
      );
      for (const p of take) await this.d.orders.repo.updateLinePicked(t, p.line.id, p.quantity);
      const after = await this.d.orders.repo.linesOf(t, [o.id]);
      const completed = after.every((l) => remainingOf(l) === 0);
      if (completed) await this.d.lifecycle.applyEvent(t, o, 'complete');
      // A partial hand-over changes no status, so it gets its own event.
      await this.d.emit(t, [pickupEvent('order.picked_up', o.id, scanId, take.reduce((n, p) => n + p.quantity, 0))]);
      return { scanId, orderId: o.id, completed, lines: after.map(candidateLine) };
    });
  }

  /** Take a scan back within the undo window: the leader who scanned, or an operator. */
  async undo(actor: Actor | null, scanId: string): Promise<{ orderId: number; undone: number }> {
    const a = requireActor(actor);
    const db = this.d.db.orm;
    const first = await this.repo.anyRowOfScan(db, scanId);
    if (!first || (!isOperator(a) && first.byAccountId !== a.accountId)) throw notFound('pickup scan', scanId);
    // The window is the point's region's setting; read before the transaction (the settings
    // service reads on its own connection, and PGlite has only one).
    const head = await this.d.orders.repo.get(db, first.orderId);
    const point = head?.pickupPointId ? await this.points.point(db, head.pickupPointId) : null;
    const { pickupUndoWindowS } = await this.d.settings.get(point?.regionId ?? head?.regionId ?? 0);
    return db.transaction(async (t) => {
      const o = await this.d.orders.repo.lock(t, first.orderId);
      const rows = await this.repo.liveRowsOfScan(t, scanId, true);
      if (!o || rows.length === 0) throw conflict('this pickup was already undone');
      if (o.status !== 'ready' && o.status !== 'completed') throw conflict(`the order is ${o.status} now; its pickup cannot be undone`);
      const pickedAt = Math.min(...rows.map((r) => r.pickedAt.getTime()));
      if (this.d.clock.now().getTime() - pickedAt > pickupUndoWindowS * 1000) {
        throw conflict(`a pickup can be undone within ${Math.round(pickupUndoWindowS / 60)} minutes; this one is older`);
      }
      await this.repo.markUndone(t, scanId, a.accountId, this.d.clock.now());
      for (const r of rows) await this.d.orders.repo.updateLinePicked(t, r.orderLineId, -r.quantity);
      if (o.status === 'completed') await this.d.lifecycle.applyEvent(t, o, 'reopen');
      const undone = rows.reduce((s, r) => s + r.quantity, 0);
      await this.d.emit(t, [pickupEvent('order.pickup_undone', o.id, scanId, undone)]);
      return { orderId: o.id, undone };
    });
  }

  /** The signed-in leader's point's paid orders, newest first, with relay numbers. */
  async leaderOrders(actor: Actor | null, q: LeaderOrderFilter & { cursor?: string | undefined; limit: number }): Promise<Page<LeaderOrder>> {
    const db = this.d.db.orm;
    const { point } = await requireOwnPoint(this.points, db, requireRole(actor, 'leader'));
    const ids = await this.repo.pointOrderIds(db, point.id, q, decodeCursor(q.cursor), q.limit + 1);
    const page = ids.slice(0, q.limit);
    const heads = await this.repo.heads(db, point.id, page);
    const lines = await this.d.orders.repo.linesOf(db, page);
    return {
      items: heads.map((h) => ({
        orderId: h.id,
        relayNo: h.relayNo,
        buyerName: h.buyerName,
        status: h.status,
        totalFen: h.totalFen,
        refundedFen: h.refundedFen,
        lines: lines
          .filter((l) => l.orderId === h.id)
          .map((l) => ({ orderLineId: l.id, title: l.title, spec: l.spec, quantity: l.quantity, refundedQuantity: l.refundedQuantity, pickedQuantity: l.pickedQuantity })),
        pickedAt: h.pickedAt,
      })),
      nextCursor: ids.length > q.limit ? encodeCursor(page[page.length - 1]!) : null,
    };
  }

  /** After-sales requests on the leader's point's orders (operators decide them). */
  async leaderAfterSales(
    actor: Actor | null,
    q: { status?: AfterSalesStatus | undefined; cursor?: string | undefined; limit: number },
  ): Promise<Page<AfterSalesRow & { relayNo: number | null; buyerName: string | null }>> {
    const db = this.d.db.orm;
    const { point } = await requireOwnPoint(this.points, db, requireRole(actor, 'leader'));
    const page = toPage(await this.d.refunds.repo.listAfterSales(db, { status: q.status, pickupPointId: point.id }, decodeCursor(q.cursor), q.limit + 1), q.limit);
    // The leader knows her residents by relay number and name, as at the pickup counter.
    const heads = new Map((await this.repo.heads(db, point.id, [...new Set(page.items.map((r) => r.orderId))])).map((h) => [h.id, h]));
    return {
      ...page,
      items: page.items.map((r) => {
        const h = heads.get(r.orderId);
        return { ...r, relayNo: h?.relayNo ?? null, buyerName: h?.buyerName ?? null };
      }),
    };
  }

  private async candidates(db: Database['orm'], pointId: number, ids: number[]): Promise<PickupCandidate[]> {
    const heads = await this.repo.heads(db, pointId, ids);
    const lines = await this.d.orders.repo.linesOf(db, ids);
    return heads.map((h) => ({
      orderId: h.id,
      relayNo: h.relayNo,
      buyerName: h.buyerName,
      status: h.status,
      lines: lines.filter((l) => l.orderId === h.id).map(candidateLine),
    }));
  }

  private inTx<T>(tx: Tx | undefined, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return tx ? fn(tx) : this.d.db.orm.transaction(fn);
  }
}

const pickupEvent = (topic: string, orderId: number, scanId: string, units: number): OutboxEventDraft => ({
  topic,
  aggregateType: 'order',
  aggregateId: orderId,
  payload: { orderId, scanId, units },
});

function candidateLine(l: OrderLineRow): CandidateLine {
  return {
    orderLineId: l.id,
    title: l.title,
    spec: l.spec,
    quantity: l.quantity,
    refundedQuantity: l.refundedQuantity,
    pickedQuantity: l.pickedQuantity,
    remaining: remainingOf(l),
  };
}

/** Which units this scan hands over: the named ones (checked), else everything left. */
export function pickPlan(lines: OrderLineRow[], wanted: PickupInput['lines']): { line: OrderLineRow; quantity: number }[] {
  if (!wanted) {
    const all = lines.filter((l) => remainingOf(l) > 0).map((line) => ({ line, quantity: remainingOf(line) }));
    if (all.length === 0) throw conflict('nothing is left to hand over on this order');
    return all;
  }
  if (wanted.length === 0) throw badInput('lines', 'name at least one line, or leave lines out to hand over everything left');
  const byId = new Map(lines.map((l) => [l.id, l]));
  const seen = new Set<number>();
  return wanted.map((w, i) => {
    const line = byId.get(w.orderLineId);
    if (!line) throw badInput(`lines.${i}.orderLineId`, `line ${w.orderLineId} is not on this order`);
    if (seen.has(line.id)) throw badInput(`lines.${i}.orderLineId`, 'each line once');
    seen.add(line.id);
    const left = remainingOf(line);
    if (!Number.isInteger(w.quantity) || w.quantity < 1 || w.quantity > left) {
      throw badInput(`lines.${i}.quantity`, left === 0 ? 'nothing is left to hand over on this line' : `between 1 and ${left} units of this line are left to hand over`);
    }
    return { line, quantity: w.quantity };
  });
}

function notReadyReason(o: OrderRow): string {
  switch (o.status) {
    case 'paid':
    case 'fulfilling':
      return 'the goods of this order have not been signed in at the pickup point yet';
    case 'completed':
      return 'this order was already picked up';
    case 'refunded':
      return 'this order was refunded';
    default:
      return `a ${o.status.replace('_', ' ')} order cannot be picked up`;
  }
}
