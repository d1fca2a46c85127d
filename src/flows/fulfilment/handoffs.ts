// Hand-offs (交接): each leg of a wave's goods signed by whoever received them. The central
// warehouse counts a purchase order in (shortage and damage become supplier incidents); a
// route leaves its grid warehouse; the pickup point's leader counts the point's goods and
// signs, and whatever did not arrive is refunded at once to the residents who joined the
// relay list last, in the same transaction, before the rest of the point's orders turn ready.
//
// Goods received centrally are cross-docked: they go straight on to the grid warehouses'
// sorting, never into the central warehouse's sellable stock.
import type { Database, Tx } from '../../db';
import { badInput, conflict, decodeCursor, encodeCursor, forbidden, notFound, type Clock, type Page } from '../../kernel';
import { HandoffsRepo, type Handoff, type IncidentView, type RouteView, type SkuInfo, type WavesService } from '../../modules/fulfilment';
import type { OrderRow, OrdersService } from '../../modules/orders';
import { hasRole, isOperator, requireActor, requireRole, type Actor } from '../../modules/people';
import type { OrderLifecycle, RefundFlow } from '../orders';
import { requireOwnPoint, requirePointAccess } from './access';

export interface HandoffDeps {
  db: Database;
  clock: Clock;
  orders: OrdersService;
  lifecycle: OrderLifecycle;
  refunds: RefundFlow;
  /** Route views (the same the wave's pages show). */
  waves: WavesService;
}

export interface LineCount {
  skuId: number;
  received: number;
  damaged: number;
}

export interface CountInput {
  lines: LineCount[];
  note?: string | undefined;
}

export interface Shortage {
  skuId: number;
  title: string;
  missing: number;
  refunds: { orderId: number; refundId: number; quantity: number; amountFen: number }[];
}

export interface ArrivalView {
  waveId: number;
  pickupDate: string;
  route: { id: number; name: string; driver: { accountId: number; displayName: string } | null } | null;
  lines: { skuId: number; title: string; spec: string; unit: string; expected: number }[];
  handoff: Handoff | null;
}

const ARRIVAL_DAYS_SHOWN = 14;

export class HandoffFlow {
  readonly repo = new HandoffsRepo();

  constructor(private readonly d: HandoffDeps) {}

  /** Warehouse staff count a purchase order in against what was ordered. */
  async receivePurchaseOrder(actor: Actor | null, poId: number, input: CountInput, tx?: Tx): Promise<Handoff> {
    const a = requireRole(actor, 'warehouse_staff', 'operator');
    return this.inTx(tx, async (t) => {
      const po = await this.repo.lockPurchaseOrder(t, poId);
      if (!po) throw notFound('purchase order', poId);
      if (po.status === 'received') throw conflict(`purchase order ${poId} was already received`);
      const ordered = await this.repo.purchaseOrderLines(t, poId);
      const counts = checkCounts(input.lines, new Map(ordered.map((l) => [l.skuId, l.quantity])));
      const now = this.d.clock.now();
      const h = await this.repo.insertHandoff(t, { waveId: po.waveId, kind: 'central_receipt', purchaseOrderId: po.id, signedBy: a.accountId, signedAt: now, note: note(input) });
      await this.repo.insertLines(t, counts.map((c) => ({ handoffId: h.id, ...c })));
      await this.repo.markReceived(t, po.id, a.accountId, now, counts);
      await this.repo.insertIncidents(t, incidents(counts, () => po.supplierId, po.waveId, h.id));
      await this.repo.advanceWave(t, po.waveId, ['planned'], 'receiving');
      return (await this.repo.views(t, [h.id])).get(h.id)!;
    });
  }

  /** A route leaves its grid warehouse: warehouse staff, an operator or the route's driver. */
  async dispatchRoute(actor: Actor | null, routeId: number): Promise<RouteView> {
    const a = requireActor(actor);
    return this.d.db.orm.transaction(async (t) => {
      const r = await this.repo.lockRoute(t, routeId);
      if (!r) throw notFound('route', routeId);
      if (!hasRole(a, 'operator', 'warehouse_staff') && r.driverAccountId !== a.accountId) {
        throw forbidden('only warehouse staff, an operator or the route’s driver dispatch it');
      }
      if (r.status === 'delivered') throw conflict(`route ${routeId} was already delivered`);
      // Pressing dispatch twice is harmless: the second answer shows the route as it is.
      if (r.status === 'planned') {
        await this.repo.dispatchRoute(t, r.id, this.d.clock.now());
        // The van leaves with its stops' orders: paid → fulfilling (on its way), one
        // statement. The wave wrote nothing per order; this is where a group-buy order moves.
        const wave = (await this.repo.getWave(t, r.waveId))!;
        await this.d.orders.repo.fulfilAtPoints(t, await this.repo.pointsOfRoute(t, r.id), wave.campaignIds);
        await this.repo.waveDispatchedIfAllRoutesLeft(t, r.waveId);
      }
      return (await this.d.waves.routeView(r.id, t))!;
    });
  }

  /** The signed-in leader's deliveries: what each wave sent, and the sign-off if done. */
  async arrivals(actor: Actor | null, date: string | undefined): Promise<ArrivalView[]> {
    const db = this.d.db.orm;
    const { point } = await requireOwnPoint(this.repo, db, requireRole(actor, 'leader'));
    const waves = await this.repo.wavesForPoint(db, point.id, date ?? null, ARRIVAL_DAYS_SHOWN);
    const out: ArrivalView[] = [];
    for (const w of waves) {
      const signed = await this.repo.findHandoff(db, w.waveId, 'point_arrival', { pickupPointId: point.id });
      const handoff = signed ? ((await this.repo.views(db, [signed.id])).get(signed.id) ?? null) : null;
      // Once signed, the count is history: show what was expected then.
      const expected = handoff
        ? handoff.lines.map((l) => ({ skuId: l.skuId, expected: l.expected }))
        : (await this.repo.expectedAtPoint(db, w.waveId, point.id)).map((e) => ({ skuId: e.skuId, expected: Math.min(e.sent, e.owed) }));
      const skus = await this.repo.skus(db, expected.map((e) => e.skuId));
      out.push({
        waveId: w.waveId,
        pickupDate: w.pickupDate,
        route: await this.repo.routeToPoint(db, w.waveId, point.id),
        lines: expected.map((e) => ({ ...skuOf(skus, e.skuId), expected: e.expected })),
        handoff,
      });
    }
    return out;
  }

  /**
   * The leader counts the wave's goods at the point and signs. Expected per SKU is what the
   * point's residents are still owed of what was sent; what is missing (short or damaged) is
   * refunded to the last to join the relay list first, one shortage refund per order, and the
   * point's other orders of the wave become ready for pickup.
   */
  async signArrival(actor: Actor | null, pointId: number, input: CountInput & { waveId: number }, tx?: Tx): Promise<{ handoff: Handoff; shortages: Shortage[] }> {
    return this.inTx(tx, async (t) => {
      const { actor: a } = await requirePointAccess(this.repo, t, actor, pointId);
      const wave = await this.repo.getWave(t, input.waveId);
      if (!wave) throw notFound('wave', input.waveId);
      if (await this.repo.findHandoff(t, wave.id, 'point_arrival', { pickupPointId: pointId })) {
        throw conflict(`the arrival of wave ${wave.id} at this pickup point was already signed`);
      }
      // Every order of the point in the wave, locked before anything is read from them: on
      // its way (fulfilling), or still paid if the van's dispatch was never recorded.
      const orders = await this.d.orders.repo.lockAtPoint(t, pointId, wave.campaignIds, ['paid', 'fulfilling']);
      const sent = await this.repo.expectedAtPoint(t, wave.id, pointId);
      if (sent.length === 0) throw conflict(`wave ${wave.id} sent nothing to pickup point ${pointId}`, 'waveId');
      const counts = checkCounts(input.lines, new Map(sent.map((e) => [e.skuId, Math.min(e.sent, e.owed)])));
      const skus = await this.repo.skus(t, counts.map((c) => c.skuId));

      const h = await this.repo.insertHandoff(t, { waveId: wave.id, kind: 'point_arrival', pickupPointId: pointId, signedBy: a.accountId, signedAt: this.d.clock.now(), note: note(input) });
      await this.repo.insertLines(t, counts.map((c) => ({ handoffId: h.id, ...c })));
      await this.repo.insertIncidents(t, incidents(counts, (skuId) => skus.get(skuId)?.supplierId ?? null, wave.id, h.id));

      const shortages = await this.refundShortages(t, orders, counts, skus, wave.id, a.accountId);
      for (const o of orders) {
        const now = await this.d.orders.repo.lock(t, o.id);
        // A wholly refunded order is already closed; the rest wait at the point.
        if (now?.status === 'paid' || now?.status === 'fulfilling') await this.d.lifecycle.applyEvent(t, now, 'mark_ready');
      }
      return { handoff: (await this.repo.views(t, [h.id])).get(h.id)!, shortages };
    });
  }

  private async refundShortages(tx: Tx, orders: OrderRow[], counts: (LineCount & { expected: number })[], skus: Map<number, SkuInfo>, waveId: number, signer: number): Promise<Shortage[]> {
    const missing = counts.filter((c) => c.expected - c.received > 0);
    if (missing.length === 0) return [];
    // Reverse relay order: the relay numbers run by paid_at, id.
    const lastFirst = [...orders].sort((x, y) => (y.paidAt?.getTime() ?? 0) - (x.paidAt?.getTime() ?? 0) || y.id - x.id);
    const lines = await this.d.orders.repo.linesOf(tx, orders.map((o) => o.id));
    const plan = new Map<number, { orderLineId: number; quantity: number }[]>();
    const skuOfLine = new Map(lines.map((l) => [l.id, l.skuId]));
    for (const c of missing) {
      let left = c.expected - c.received;
      for (const o of lastFirst) {
        for (const l of lines) {
          if (left === 0) break;
          if (l.orderId !== o.id || l.skuId !== c.skuId) continue;
          const take = Math.min(l.quantity - l.refundedQuantity - l.pickedQuantity, left);
          if (take <= 0) continue;
          left -= take;
          plan.set(o.id, [...(plan.get(o.id) ?? []), { orderLineId: l.id, quantity: take }]);
        }
      }
    }
    const bySku = new Map<number, Shortage['refunds']>();
    for (const orderId of [...plan.keys()].sort((x, y) => x - y)) {
      const refund = await this.d.refunds.refundShortage(tx, orderId, plan.get(orderId)!, `自提点到货短缺，自动退款（波次 ${waveId}）`, signer);
      for (const rl of refund.lines) {
        const skuId = skuOfLine.get(rl.orderLineId)!;
        bySku.set(skuId, [...(bySku.get(skuId) ?? []), { orderId, refundId: refund.id, quantity: rl.quantity, amountFen: rl.amountFen }]);
      }
    }
    return missing.map((c) => ({ skuId: c.skuId, title: skus.get(c.skuId)?.title ?? '', missing: c.expected - c.received, refunds: bySku.get(c.skuId) ?? [] }));
  }

  /** Shortages and damage charged to suppliers, newest first (operators). */
  async incidents(actor: Actor | null, q: { waveId?: number | undefined; supplierId?: number | undefined; cursor?: string | undefined; limit: number }): Promise<Page<IncidentView>> {
    if (!isOperator(requireActor(actor))) throw forbidden('operators only');
    const rows = await this.repo.incidents(this.d.db.orm, q, decodeCursor(q.cursor), q.limit + 1);
    const items = rows.slice(0, q.limit);
    return { items, nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1]!.id) : null };
  }

  private inTx<T>(tx: Tx | undefined, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return tx ? fn(tx) : this.d.db.orm.transaction(fn);
  }
}

/**
 * Every expected SKU counted once, none unknown, good plus damaged never above what was
 * expected. Returns the counts with their expected figure, in SKU order.
 */
export function checkCounts(lines: LineCount[], expected: Map<number, number>): (LineCount & { expected: number })[] {
  const seen = new Set<number>();
  const out = lines.map((l, i) => {
    const want = expected.get(l.skuId);
    if (want === undefined) throw badInput(`lines.${i}.skuId`, `SKU ${l.skuId} was not expected here`);
    if (seen.has(l.skuId)) throw badInput(`lines.${i}.skuId`, 'each SKU once');
    seen.add(l.skuId);
    for (const k of ['received', 'damaged'] as const) {
      if (!Number.isInteger(l[k]) || l[k] < 0) throw badInput(`lines.${i}.${k}`, `${k} is a whole number of units, 0 or more`);
    }
    if (l.received + l.damaged > want) throw badInput(`lines.${i}.received`, `${want} units were expected; received plus damaged cannot exceed it`);
    return { skuId: l.skuId, received: l.received, damaged: l.damaged, expected: want };
  });
  const absent = [...expected.keys()].filter((k) => !seen.has(k));
  if (absent.length) throw badInput(`lines.${lines.length}`, `count every expected SKU; missing ${absent.join(', ')}`);
  return out.sort((x, y) => x.skuId - y.skuId);
}

function incidents(counts: (LineCount & { expected: number })[], supplierOf: (skuId: number) => number | null, waveId: number, handoffId: number) {
  return counts.flatMap((c) => {
    const short = c.expected - c.received - c.damaged;
    const base = { supplierId: supplierOf(c.skuId), waveId, handoffId, skuId: c.skuId };
    return [
      ...(short > 0 ? [{ ...base, kind: 'shortage' as const, quantity: short }] : []),
      ...(c.damaged > 0 ? [{ ...base, kind: 'damage' as const, quantity: c.damaged }] : []),
    ];
  });
}

const note = (input: CountInput) => (input.note ?? '').slice(0, 200);

function skuOf(skus: Map<number, SkuInfo>, skuId: number) {
  const s = skus.get(skuId);
  return { skuId, title: s?.title ?? '', spec: s?.spec ?? '', unit: s?.unit ?? '' };
}
