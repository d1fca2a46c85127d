// The insights read models (docs/insights.md): kept incrementally by the outbox subscriber
// `insights` (each event's effect written through the event's transaction, so it happens once),
// rebuilt from the raw tables by `recompute`, and the residents' order ratings that feed them.
import type { Database, Executor, Tx } from '../../db';
import { badInput, conflict, notFound, systemClock, type Clock } from '../../kernel';
import { appendEvents, takeAsProcessed, type OutboxEvent } from '../events';
import { isOperator, requireActor, type Actor } from '../people';
import { earlier, InsightsRepo, type BuyerIdentity, type RatingRow } from './insights.repo';

/** The topics the `insights` subscriber reads. */
export const INSIGHTS_TOPICS = [
  'order.paid',
  'order.refunded',
  'after_sales.opened',
  'order.rated',
  'traffic.recorded',
  'wave.planned',
  'live.session.ended',
  // An order's pickup standing changes with these (arrival, pickup, undo, refund).
  'order.ready',
  'order.completed',
  'order.picked_up',
  'order.pickup_undone',
] as const;

export const INSIGHTS_SUBSCRIBER = 'insights';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_COMMENT = 300;

export interface RatingInput {
  stars: number;
  comment?: string | undefined;
}

export interface InsightsDeps {
  db: Database;
  clock?: Clock;
  /** Called after a rating commits, so the relay picks its event up at once (EventBus.nudge). */
  nudge?: () => void;
}

export class InsightsService {
  readonly repo = new InsightsRepo();
  private readonly db: Database;
  private readonly clock: Clock;
  private readonly nudge: () => void;

  constructor(d: InsightsDeps) {
    this.db = d.db;
    this.clock = d.clock ?? systemClock;
    this.nudge = d.nudge ?? (() => undefined);
  }

  /** The outbox subscriber: one event's facts added to the read models through its transaction. */
  readonly handle = async (event: OutboxEvent, tx: Tx): Promise<void> => {
    const p = (event.payload ?? {}) as Record<string, unknown>;
    const orderId = event.aggregateType === 'order' ? event.aggregateId : idIn(p, 'orderId');
    switch (event.topic) {
      case 'order.paid':
        if (orderId !== null) await this.onOrderPaid(tx, orderId);
        return;
      case 'order.refunded': {
        const refundId = idIn(p, 'refundId');
        if (refundId !== null) await this.repo.addRefund(tx, refundId);
        if (orderId !== null) await this.syncPickup(tx, orderId);
        return;
      }
      case 'after_sales.opened': {
        const id = idIn(p, 'afterSalesId');
        if (id !== null) await this.repo.addAfterSales(tx, id);
        return;
      }
      case 'order.rated':
        if (orderId !== null) await this.repo.addRating(tx, orderId);
        return;
      case 'traffic.recorded': {
        const ids = Array.isArray(p.ids) ? p.ids.filter((x): x is number => Number.isSafeInteger(x)) : [];
        await this.repo.addTraffic(tx, ids);
        return;
      }
      case 'wave.planned':
        await this.repo.addWave(tx, idIn(p, 'waveId') ?? event.aggregateId);
        return;
      case 'live.session.ended':
        await this.repo.addLiveOffer(tx, idIn(p, 'sessionId') ?? event.aggregateId);
        return;
      case 'order.ready':
      case 'order.completed':
      case 'order.picked_up':
      case 'order.pickup_undone':
        if (orderId !== null) await this.syncPickup(tx, orderId);
        return;
    }
  };

  /**
   * A paid order: its day, SKU and actor figures, then the buyer. A buyer is defined by their
   * first day's order; an earlier order arriving late (events are not in paid_at order) moves
   * their weeks to the new cohort and community before this order's week is counted.
   */
  private async onOrderPaid(tx: Tx, orderId: number): Promise<void> {
    const f = await this.repo.paidOrderFacts(tx, orderId);
    if (!f) return; // replenishment, or not paid after all
    await this.repo.addPaidOrder(tx, orderId);
    const before = await this.repo.lockBuyer(tx, f);
    const mine: BuyerIdentity = { firstDay: f.firstDay, communityId: f.communityId, regionId: f.regionId };
    const first = before.fresh ? mine : earlier(before, mine);
    const to = { ...first, firstWeek: first === mine ? f.week : before.firstWeek };
    if (!before.fresh && (to.regionId !== before.regionId || to.firstWeek !== before.firstWeek || to.communityId !== before.communityId)) {
      await this.repo.moveBuyerWeeks(tx, f.accountId, before, to);
    }
    if (await this.repo.countBuyerOrder(tx, f, to)) await this.repo.addBuyerWeek(tx, f.week, to);
  }

  /** Re-read where the order stands for the pickup figures and move what was counted if it changed. */
  private async syncPickup(tx: Tx, orderId: number): Promise<void> {
    const { now, counted } = await this.repo.pickupStateOf(tx, orderId);
    if (JSON.stringify(now) === JSON.stringify(counted)) return;
    await this.repo.movePickupState(tx, orderId, counted, now);
  }

  /**
   * Rebuild the read models for China days `from`…`to` (inclusive) from the raw tables, in one
   * transaction. Day-grained tables are rebuilt for the range; the buyer and actor tables
   * (cohorts, repeat buyers) from all history, since a buyer's cohort is their first order ever.
   * The result equals what the subscriber builds from the events.
   */
  async recompute(
    db: Database,
    range: { from: string; to: string },
    /**
     * 'refuse' (default): fail while events are still to be applied. 'take': the rebuild reads
     * their facts from the tables, so take them as applied (the relay still hands them to the
     * other subscribers); for a database whose events the read models have never seen, such as
     * a freshly seeded demo city. The range must then hold every day those events are about.
     */
    opts: { pending?: 'refuse' | 'take' } = {},
  ): Promise<void> {
    for (const k of ['from', 'to'] as const) {
      if (!DAY.test(range[k]) || Number.isNaN(Date.parse(`${range[k]}T00:00:00Z`))) throw badInput(k, `${k} must be a date YYYY-MM-DD`);
    }
    if (range.from > range.to) throw badInput('to', 'to must not be before from');
    // One snapshot for the check and the rebuild: an event committed after it is about facts the
    // rebuild does not see, so the subscriber adds it afterwards; one pending before it would
    // be counted twice (its facts are read here, then it is applied), hence the refusal.
    const snapshot = db.kind === 'postgres' ? ({ isolationLevel: 'repeatable read' } as const) : undefined;
    await db.orm.transaction(async (tx) => {
      if (opts.pending === 'take') await takeAsProcessed(tx, INSIGHTS_SUBSCRIBER, INSIGHTS_TOPICS);
      const pending = opts.pending === 'take' ? 0 : await this.repo.pendingEvents(tx, INSIGHTS_TOPICS, INSIGHTS_SUBSCRIBER);
      if (pending > 0) throw conflict(`${pending} event(s) still to be applied to the read models; let the relay deliver them first (EventBus.drain)`);
      await this.repo.rollupsStandAside(tx);
      await this.repo.rebuildDays(tx, range.from, range.to);
      await this.repo.rebuildBuyers(tx);
      await this.repo.rebuildRollups(tx);
    }, snapshot);
  }

  /** Events the `insights` subscriber has still to apply (0: the read models are caught up). */
  async pendingEvents(db: Database | Executor): Promise<number> {
    return this.repo.pendingEvents('orm' in db ? db.orm : db, INSIGHTS_TOPICS, INSIGHTS_SUBSCRIBER);
  }

  /**
   * Resolves once the read models have caught up with every event committed so far (polls
   * `pendingEvents`; works from any process, e.g. a benchmark beside the server). In-process,
   * EventBus.drain() does the same and also delivers.
   */
  async caughtUp(db: Database | Executor, opts: { timeoutMs?: number; pollMs?: number } = {}): Promise<void> {
    const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
    while ((await this.pendingEvents(db)) > 0) {
      if (Date.now() > deadline) throw new Error('insights: read models not caught up in time');
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 20));
    }
  }

  /** One region's orders, GMV and views on a China day, from insights_daily (the bench's lag probe). */
  async funnelCount(db: Database | Executor, q: { regionId: number; day: string }): Promise<{ orders: number; gmvFen: number; views: number }> {
    if (!DAY.test(q.day)) throw badInput('day', 'day must be a date YYYY-MM-DD');
    return this.repo.funnelCount('orm' in db ? db.orm : db, q.regionId, q.day);
  }

  /**
   * The buyer rates a completed order, once: 1–5 stars and an optional comment. The rating and
   * its `order.rated` event commit together.
   */
  async rate(actor: Actor | null, orderId: number, input: RatingInput): Promise<RatingRow> {
    const a = requireActor(actor);
    if (!Number.isInteger(input.stars) || input.stars < 1 || input.stars > 5) throw badInput('stars', 'stars is a whole number from 1 to 5');
    const comment = (input.comment ?? '').trim();
    if (comment.length > MAX_COMMENT) throw badInput('comment', `a comment is at most ${MAX_COMMENT} characters`);
    const rating = await this.db.orm.transaction(async (tx) => {
      const o = await this.repo.orderForRating(tx, orderId, true);
      if (!o || o.buyerAccountId !== a.accountId) throw notFound('order', orderId);
      if (o.channel === 'replenishment') throw conflict('a replenishment order is not rated');
      if (o.status !== 'completed') throw conflict(`only a completed order can be rated; this one is ${o.status.replace('_', ' ')}`);
      const row = await this.repo.insertRating(tx, { orderId, accountId: a.accountId, stars: input.stars, comment, at: this.clock.now() });
      if (!row) throw conflict('this order was already rated');
      await appendEvents(tx, [{ topic: 'order.rated', aggregateType: 'order', aggregateId: orderId, payload: { orderId, stars: row.stars } }]);
      return row;
    });
    this.nudge();
    return rating;
  }

  /** The order's rating (its buyer or an operator); null when not rated yet. */
  async ratingOf(actor: Actor | null, orderId: number): Promise<RatingRow | null> {
    const a = requireActor(actor);
    const o = await this.repo.orderForRating(this.db.orm, orderId, false);
    if (!o || (o.buyerAccountId !== a.accountId && !isOperator(a))) throw notFound('order', orderId);
    return this.repo.ratingOf(this.db.orm, orderId);
  }
}

function idIn(p: Record<string, unknown>, field: string): number | null {
  const v = p[field];
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : null;
}
