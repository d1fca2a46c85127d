// The host's changes to a live session that move stock or emit events (docs/live.md): create
// with a bag (units move from the region's central warehouse to the session's own location),
// add to the bag, start, pin and unpin, flash sales, end (open pin and flash sale ended,
// leftovers moved back) and cancel. Each runs in one transaction that takes the session's row
// lock first, writes the replay's timeline row and the outbox event with the change.
import type { Database, Tx } from '../../db';
import { badInput, conflict, DomainError, notFound, type Clock } from '../../kernel';
import { runIdempotent, type IdempotentResult } from '../../modules/idempotency';
import type { InventoryService } from '../../modules/inventory';
import {
  flashSaleView,
  LIVE_LIMITS,
  liveRules,
  pinView,
  sessionView,
  type FlashSaleRow,
  type FlashSaleView,
  type LiveService,
  type LiveSessionRow,
  type NewTimelineRow,
  type PinView,
  type RoomSnapshot,
} from '../../modules/live';
import { requireRole, type Actor } from '../../modules/people';
import type { OutboxEventDraft } from '../checkout';

export interface LiveFlowDeps {
  db: Database;
  clock: Clock;
  live: LiveService;
  inventory: InventoryService;
  centralLocation: (regionId: number) => Promise<number | null>;
  emit: (tx: Tx, events: OutboxEventDraft[]) => Promise<void>;
}

export interface BagItemInput {
  skuId: number;
  livePriceFen: number;
  limitPerPerson?: number | null | undefined;
  allotted: number;
}

export interface SessionInput {
  title: string;
  scheduledAt: Date | string;
  coverUrl?: string | null | undefined;
  streamUrl: string;
  bag: BagItemInput[];
}

export interface SessionPatchInput {
  title?: string | undefined;
  scheduledAt?: Date | string | undefined;
  coverUrl?: string | null | undefined;
  streamUrl?: string | undefined;
  recordingUrl?: string | null | undefined;
}

export interface FlashSaleInput {
  skuId: number;
  priceFen: number;
  quantity: number;
  limitPerPerson?: number | undefined;
  durationS: number;
}

/** Outbox topics of live selling (docs/events.md). */
export const LIVE_TOPICS = {
  started: 'live.session.started',
  ended: 'live.session.ended',
  pin: 'live.pin.changed',
  flash: 'live.flash_sale.changed',
  coupon: 'live.coupon.released',
} as const;

export const liveEvent = (topic: string, sessionId: number, payload: Record<string, unknown>): OutboxEventDraft => ({
  topic,
  aggregateType: 'live_session',
  aggregateId: sessionId,
  payload: { sessionId, ...payload },
});

function when(value: Date | string, field: string): Date {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw badInput(field, `${field} must be a date and time`);
  return d;
}

export class LiveFlow {
  private readonly changed: ((sessionId: number) => void)[] = [];

  constructor(private readonly d: LiveFlowDeps) {}

  /** Checkout caches a session for a few seconds; this tells it when one changed. */
  onChanged(listener: (sessionId: number) => void): void {
    this.changed.push(listener);
  }

  private notify(sessionId: number): void {
    for (const l of this.changed) l(sessionId);
  }

  private get repo() {
    return this.d.live.repo;
  }

  // ── sessions ──

  /** Host, idempotent under `key`: the session and its bag, with the bag's units allotted in one transaction. */
  async create(actor: Actor | null, input: SessionInput, key: string): Promise<IdempotentResult<RoomSnapshot>> {
    const a = requireRole(actor, 'host');
    const now = this.d.clock.now();
    const title = liveRules.text(input.title, 'title', 1, 60);
    const scheduledAt = this.scheduleTime(input.scheduledAt, now);
    const streamUrl = liveRules.streamUrl(input.streamUrl, 'streamUrl');
    const coverUrl = liveRules.imageUrl(input.coverUrl, 'coverUrl');
    if (!Array.isArray(input.bag)) throw badInput('bag', 'bag must be a list');
    if (input.bag.length > LIVE_LIMITS.maxBagItems) throw badInput('bag', `a bag holds at most ${LIVE_LIMITS.maxBagItems} items`);
    const bag = input.bag.map((b, i) => this.bagItem(b, `bag.${i}`));
    bag.forEach((b, i) => {
      if (bag.findIndex((x) => x.skuId === b.skuId) !== i) throw badInput(`bag.${i}.skuId`, `SKU ${b.skuId} is in the bag twice`);
    });
    // Read before the transaction: PGlite is one connection, and these use the database handle.
    const profile = await this.d.live.profileFor(this.d.db.orm, a.accountId);
    const central = await this.centralOf(profile.regionId);
    await this.assertActive(bag.map((b) => b.skuId), (i) => `bag.${i}.skuId`);
    return runIdempotent(this.d.db, { scope: `live-session-create:${a.accountId}`, key, request: input }, async (tx) => {
      const s = await this.repo.insertSession(tx, { hostAccountId: a.accountId, regionId: profile.regionId, title, coverUrl, streamUrl, scheduledAt });
      const locationId = await this.repo.insertLocation(tx, { liveSessionId: s.id });
      for (const [i, b] of bag.entries()) await this.repo.upsertBagItem(tx, { sessionId: s.id, position: i, ...b });
      await this.d.inventory.transfer(
        tx,
        bag.map((b, i) => ({ fromLocationId: central, toLocationId: locationId, skuId: b.skuId, quantity: b.allotted, field: `bag.${i}.allotted` })),
        { refType: 'live_session', refId: s.id, actorId: a.accountId },
      );
      return { status: 201, body: await this.d.live.roomSnapshot(s.id, tx) };
    });
  }

  /** Host: title, cover and stream while scheduled or live; the time only while scheduled; the recording once ended. */
  async patch(actor: Actor | null, sessionId: number, input: SessionPatchInput): Promise<RoomSnapshot> {
    const a = requireRole(actor, 'host');
    const now = this.d.clock.now();
    const next: Partial<LiveSessionRow> = {};
    if (input.title !== undefined) next.title = liveRules.text(input.title, 'title', 1, 60);
    if (input.streamUrl !== undefined) next.streamUrl = liveRules.streamUrl(input.streamUrl, 'streamUrl');
    if (input.coverUrl !== undefined) next.coverUrl = liveRules.imageUrl(input.coverUrl, 'coverUrl');
    if (input.scheduledAt !== undefined) next.scheduledAt = this.scheduleTime(input.scheduledAt, now);
    if (input.recordingUrl !== undefined) next.recordingUrl = input.recordingUrl === null ? null : liveRules.streamUrl(input.recordingUrl, 'recordingUrl');
    const snapshot = await this.d.db.orm.transaction(async (tx) => {
      const s = await this.d.live.lockOwnSession(tx, a, sessionId);
      if (s.status === 'cancelled') throw conflict('this session was cancelled', 'status');
      if (next.scheduledAt && s.status !== 'scheduled') throw conflict(`the session is ${s.status}; only a scheduled session can be moved`, 'scheduledAt');
      if (next.recordingUrl !== undefined && s.status !== 'ended') throw conflict('the recording is set once the session has ended', 'recordingUrl');
      if (s.status === 'ended' && (next.title !== undefined || next.streamUrl !== undefined || next.coverUrl !== undefined)) {
        throw conflict('an ended session keeps its title, cover and stream; only its recording can be set', 'status');
      }
      if (Object.keys(next).length > 0) await this.repo.updateSession(tx, sessionId, next);
      return this.d.live.roomSnapshot(sessionId, tx);
    });
    this.notify(sessionId);
    return snapshot;
  }

  /**
   * Host, idempotent under `key`: add a SKU to the bag while scheduled or live, moving
   * `allotted` units from the central warehouse. A SKU already in the bag gets the new price
   * and limit and the units on top; a price set while live is on the replay's timeline.
   */
  async addBagItem(actor: Actor | null, sessionId: number, input: BagItemInput, key: string): Promise<IdempotentResult<RoomSnapshot>> {
    const a = requireRole(actor, 'host');
    const item = this.bagItem(input, '');
    const seen = await this.repo.session(this.d.db.orm, sessionId);
    if (!seen || seen.hostAccountId !== a.accountId) throw notFound('live session', sessionId);
    const central = await this.centralOf(seen.regionId);
    await this.assertActive([item.skuId], () => 'skuId');
    const result = await runIdempotent(this.d.db, { scope: `live-bag:${a.accountId}:${sessionId}`, key, request: input }, async (tx) => {
      const s = await this.d.live.lockOwnSession(tx, a, sessionId);
      if (s.status !== 'scheduled' && s.status !== 'live') throw conflict(`the session is ${s.status}; items are added while scheduled or live`, 'status');
      const before = await this.repo.bagItem(tx, sessionId, item.skuId);
      const position = before ? before.position : await this.repo.nextBagPosition(tx, sessionId);
      if (!before && position >= LIVE_LIMITS.maxBagItems) throw conflict(`a bag holds at most ${LIVE_LIMITS.maxBagItems} items`, 'skuId');
      await this.repo.upsertBagItem(tx, { sessionId, position, ...item });
      const locationId = (await this.repo.sessionLocation(tx, sessionId))!;
      await this.d.inventory.transfer(tx, [{ fromLocationId: central, toLocationId: locationId, skuId: item.skuId, quantity: item.allotted, field: 'allotted' }], {
        refType: 'live_session',
        refId: sessionId,
        actorId: a.accountId,
      });
      if (s.status === 'live' && before?.livePriceFen !== item.livePriceFen) {
        await this.repo.insertTimeline(tx, [
          { sessionId, kind: 'price', skuId: item.skuId, detail: { livePriceFen: item.livePriceFen, previousPriceFen: before?.livePriceFen ?? null } },
        ]);
      }
      return { status: 201, body: await this.d.live.roomSnapshot(sessionId, tx) };
    });
    this.notify(sessionId);
    return result;
  }

  /** Host: on air. */
  async start(actor: Actor | null, sessionId: number): Promise<RoomSnapshot> {
    const a = requireRole(actor, 'host');
    const snapshot = await this.d.db.orm.transaction(async (tx) => {
      const s = await this.d.live.lockOwnSession(tx, a, sessionId);
      if (s.status !== 'scheduled') throw conflict(`the session is ${s.status}; only a scheduled session starts`, 'status');
      const now = this.d.clock.now();
      const started = await this.repo.updateSession(tx, sessionId, { status: 'live', startedAt: now });
      await this.repo.insertTimeline(tx, [{ sessionId, kind: 'started', at: now }]);
      await this.d.emit(tx, [liveEvent(LIVE_TOPICS.started, sessionId, { session: sessionView(started) })]);
      return this.d.live.roomSnapshot(sessionId, tx);
    });
    this.notify(sessionId);
    return snapshot;
  }

  /**
   * Host, idempotent under `key`: off air. The open pin and flash sale end, and the units
   * nobody holds go back to the central warehouse; units held by unpaid orders stay until
   * those are paid, or come back through the stranded-units sweep when they expire.
   */
  async end(actor: Actor | null, sessionId: number, input: { recordingUrl?: string | null | undefined }, key: string): Promise<IdempotentResult<RoomSnapshot>> {
    const a = requireRole(actor, 'host');
    const recordingUrl = input.recordingUrl ? liveRules.streamUrl(input.recordingUrl, 'recordingUrl') : null;
    const seen = await this.repo.session(this.d.db.orm, sessionId);
    if (!seen || seen.hostAccountId !== a.accountId) throw notFound('live session', sessionId);
    const central = await this.centralOf(seen.regionId);
    const result = await runIdempotent(this.d.db, { scope: `live-end:${a.accountId}:${sessionId}`, key, request: input }, async (tx) => {
      const s = await this.d.live.lockOwnSession(tx, a, sessionId);
      if (s.status !== 'live') throw conflict(`the session is ${s.status}; only a live session ends`, 'status');
      const now = this.d.clock.now();
      const events: OutboxEventDraft[] = [];
      const pin = await this.repo.endOpenPin(tx, sessionId, now);
      if (pin) {
        await this.repo.insertTimeline(tx, [{ sessionId, kind: 'unpinned', skuId: pin.skuId, at: now, detail: { pinId: pin.id } }]);
        events.push(liveEvent(LIVE_TOPICS.pin, sessionId, { pin: null }));
      }
      const flash = await this.repo.currentFlashSale(tx, sessionId);
      if (flash) {
        const sale = (await this.repo.lockFlashSale(tx, flash.id))!;
        const ended = await this.endFlashSale(tx, sale, s, central, now);
        if (ended) events.push(ended);
      }
      const returned = await this.returnLeftovers(tx, s, central, a.accountId);
      const done = await this.repo.updateSession(tx, sessionId, { status: 'ended', endedAt: now, ...(recordingUrl ? { recordingUrl } : {}) });
      await this.repo.insertTimeline(tx, [{ sessionId, kind: 'ended', at: now, detail: { returned } }]);
      events.push(liveEvent(LIVE_TOPICS.ended, sessionId, { session: sessionView(done) }));
      await this.d.emit(tx, events);
      return { status: 200, body: await this.d.live.roomSnapshot(sessionId, tx) };
    });
    this.notify(sessionId);
    return result;
  }

  /** Host, idempotent under `key`: withdraw a scheduled session; its allotted units go back. */
  async cancel(actor: Actor | null, sessionId: number, key: string): Promise<IdempotentResult<{ session: ReturnType<typeof sessionView>; returned: { skuId: number; quantity: number }[] }>> {
    const a = requireRole(actor, 'host');
    const seen = await this.repo.session(this.d.db.orm, sessionId);
    if (!seen || seen.hostAccountId !== a.accountId) throw notFound('live session', sessionId);
    const central = await this.centralOf(seen.regionId);
    const result = await runIdempotent(this.d.db, { scope: `live-cancel:${a.accountId}:${sessionId}`, key, request: { sessionId } }, async (tx) => {
      const s = await this.d.live.lockOwnSession(tx, a, sessionId);
      if (s.status !== 'scheduled') throw conflict(`the session is ${s.status}; only a scheduled session can be cancelled`, 'status');
      const returned = await this.returnLeftovers(tx, s, central, a.accountId);
      const done = await this.repo.updateSession(tx, sessionId, { status: 'cancelled', endedAt: this.d.clock.now() });
      return { status: 200, body: { session: sessionView(done), returned } };
    });
    this.notify(sessionId);
    return result;
  }

  /** Move what nobody holds at the session's location back to the central warehouse. */
  private async returnLeftovers(tx: Tx, s: LiveSessionRow, central: number, actorId: number | null) {
    const locationId = await this.repo.sessionLocation(tx, s.id);
    if (locationId === null) return [];
    const bag = await this.repo.bagDetails(tx, [s.id]);
    const levels = await this.repo.levels(tx, locationId, bag.map((b) => b.skuId));
    const moves = [...levels.entries()]
      .map(([skuId, l]) => ({ fromLocationId: locationId, toLocationId: central, skuId, quantity: l.onHand - l.reserved }))
      .filter((m) => m.quantity > 0);
    await this.d.inventory.transfer(tx, moves, { refType: 'live_session', refId: s.id, actorId });
    return moves.map((m) => ({ skuId: m.skuId, quantity: m.quantity }));
  }

  // ── pins ──

  /** Host: present (讲解) a SKU of the bag; the previous pin ends. Pinning the SKU already pinned changes nothing. */
  async pin(actor: Actor | null, sessionId: number, skuId: number): Promise<PinView> {
    const a = requireRole(actor, 'host');
    if (!Number.isSafeInteger(skuId) || skuId <= 0) throw badInput('skuId', 'skuId must be a positive whole number');
    return this.d.db.orm.transaction(async (tx) => {
      const s = await this.d.live.lockOwnSession(tx, a, sessionId);
      if (s.status !== 'live') throw conflict(`the session is ${s.status}; products are presented while live`, 'status');
      if (!(await this.repo.bagItem(tx, sessionId, skuId))) throw badInput('skuId', `SKU ${skuId} is not in this session’s bag`);
      const current = await this.repo.openPin(tx, sessionId);
      if (current && current.skuId === skuId) return pinView(current);
      const now = this.d.clock.now();
      const timeline: NewTimelineRow[] = [];
      const ended = await this.repo.endOpenPin(tx, sessionId, now);
      if (ended) timeline.push({ sessionId, kind: 'unpinned', skuId: ended.skuId, at: now, detail: { pinId: ended.id } });
      const pin = await this.repo.insertPin(tx, sessionId, skuId, now);
      timeline.push({ sessionId, kind: 'pinned', skuId, at: now, detail: { pinId: pin.id } });
      await this.repo.insertTimeline(tx, timeline);
      const view = pinView((await this.repo.openPin(tx, sessionId))!);
      await this.d.emit(tx, [liveEvent(LIVE_TOPICS.pin, sessionId, { pin: view })]);
      return view;
    });
  }

  /** Host: stop presenting; nothing pinned changes nothing. */
  async unpin(actor: Actor | null, sessionId: number): Promise<{ pin: null }> {
    const a = requireRole(actor, 'host');
    return this.d.db.orm.transaction(async (tx) => {
      const s = await this.d.live.lockOwnSession(tx, a, sessionId);
      if (s.status !== 'live') throw conflict(`the session is ${s.status}`, 'status');
      const now = this.d.clock.now();
      const ended = await this.repo.endOpenPin(tx, sessionId, now);
      if (ended) {
        await this.repo.insertTimeline(tx, [{ sessionId, kind: 'unpinned', skuId: ended.skuId, at: now, detail: { pinId: ended.id } }]);
        await this.d.emit(tx, [liveEvent(LIVE_TOPICS.pin, sessionId, { pin: null })]);
      }
      return { pin: null };
    });
  }

  // ── flash sales ──

  /**
   * Host, idempotent under `key`: a flash sale (秒杀) of a bag SKU: `quantity` units move from
   * the session's location to the sale's own, which checkout reserves against, so it cannot
   * sell more. One sale at a time per session; it ends at `ends_at` (job) or with the session.
   */
  async startFlashSale(actor: Actor | null, sessionId: number, input: FlashSaleInput, key: string): Promise<IdempotentResult<FlashSaleView>> {
    const a = requireRole(actor, 'host');
    const skuId = liveRules.wholeNumber(input.skuId, 'skuId', 1, Number.MAX_SAFE_INTEGER);
    const priceFen = liveRules.wholeNumber(input.priceFen, 'priceFen', 1, LIVE_LIMITS.maxPriceFen);
    const quantity = liveRules.wholeNumber(input.quantity, 'quantity', 1, LIVE_LIMITS.maxFlashQuantity);
    const limitPerPerson = liveRules.wholeNumber(input.limitPerPerson ?? 1, 'limitPerPerson', 1, 999);
    const durationS = liveRules.wholeNumber(input.durationS, 'durationS', LIVE_LIMITS.flashMinDurationS, LIVE_LIMITS.flashMaxDurationS);
    const result = await runIdempotent(this.d.db, { scope: `live-flash:${a.accountId}:${sessionId}`, key, request: input }, async (tx) => {
      const s = await this.d.live.lockOwnSession(tx, a, sessionId);
      if (s.status !== 'live') throw conflict(`the session is ${s.status}; flash sales run while live`, 'status');
      if (!(await this.repo.bagItem(tx, sessionId, skuId))) throw badInput('skuId', `SKU ${skuId} is not in this session’s bag`);
      const running = await this.repo.currentFlashSale(tx, sessionId);
      if (running) {
        throw new DomainError('conflict', `flash sale ${running.id} is still running; one at a time`, { field: 'skuId', details: { reason: 'flash_sale_running', flashSaleId: running.id } });
      }
      const now = this.d.clock.now();
      const sale = await this.repo.insertFlashSale(tx, { sessionId, skuId, priceFen, quantity, limitPerPerson, startsAt: now, endsAt: new Date(now.getTime() + durationS * 1000) });
      const flashLocation = await this.repo.insertLocation(tx, { flashSaleId: sale.id });
      const sessionLocation = (await this.repo.sessionLocation(tx, sessionId))!;
      await this.d.inventory.transfer(tx, [{ fromLocationId: sessionLocation, toLocationId: flashLocation, skuId, quantity, field: 'quantity' }], {
        refType: 'flash_sale',
        refId: sale.id,
        actorId: a.accountId,
      });
      const view = flashSaleView((await this.repo.flashDetail(tx, sale.id))!);
      await this.repo.insertTimeline(tx, [
        { sessionId, kind: 'flash_started', skuId, at: now, detail: { flashSaleId: sale.id, priceFen, quantity, limitPerPerson, endsAt: view.endsAt } },
      ]);
      await this.d.emit(tx, [liveEvent(LIVE_TOPICS.flash, sessionId, { flashSale: view })]);
      return { status: 201, body: view };
    });
    this.notify(sessionId);
    return result;
  }

  /**
   * End a locked flash sale (its time is up, or the session ends): what nobody holds goes back
   * to the session's location while it is live, else to the central warehouse. Returns the
   * event to emit, or null when it had ended already.
   */
  private async endFlashSale(tx: Tx, sale: FlashSaleRow, s: LiveSessionRow, central: number | null, now: Date): Promise<OutboxEventDraft | null> {
    if (sale.status === 'ended') return null;
    // Ended early it ends now, but always after it started (the table insists; a sale ended in
    // the millisecond it began still lasted one).
    const endsAt = now.getTime() >= sale.endsAt.getTime() ? sale.endsAt : new Date(Math.max(now.getTime(), sale.startsAt.getTime() + 1));
    await this.repo.setFlashStatus(tx, sale.id, ['open', 'sold_out'], 'ended', endsAt);
    const flashLocation = await this.repo.flashLocation(tx, sale.id);
    let returned = 0;
    if (flashLocation !== null) {
      const level = (await this.repo.levels(tx, flashLocation, [sale.skuId])).get(sale.skuId);
      returned = level ? level.onHand - level.reserved : 0;
      const to = s.status === 'live' ? await this.repo.sessionLocation(tx, s.id) : central;
      if (returned > 0 && to !== null) {
        await this.d.inventory.transfer(tx, [{ fromLocationId: flashLocation, toLocationId: to, skuId: sale.skuId, quantity: returned }], { refType: 'flash_sale', refId: sale.id });
      }
    }
    await this.repo.insertTimeline(tx, [{ sessionId: s.id, kind: 'flash_ended', skuId: sale.skuId, at: endsAt, detail: { flashSaleId: sale.id, returned } }]);
    const view = flashSaleView((await this.repo.flashDetail(tx, sale.id))!);
    return liveEvent(LIVE_TOPICS.flash, s.id, { flashSale: view });
  }

  private readonly checking = new Map<number, { running: Promise<void>; again: boolean }>();

  /**
   * After an order of a flash sale was placed: when nothing is left to be had, the sale is
   * sold out (timeline + event). Checks of one sale are coalesced: a burst of buyers costs one
   * check in flight and one after it, not one each.
   */
  checkSoldOut(flashSaleId: number): Promise<void> {
    const inFlight = this.checking.get(flashSaleId);
    if (inFlight) {
      inFlight.again = true;
      return inFlight.running;
    }
    const state = { running: Promise.resolve(), again: false };
    state.running = (async () => {
      try {
        do {
          state.again = false;
          await this.reconcileFlashSale(flashSaleId);
        } while (state.again);
      } finally {
        this.checking.delete(flashSaleId);
      }
    })();
    this.checking.set(flashSaleId, state);
    return state.running;
  }

  /**
   * Bring a flash sale's status in line with its clock and stock: past its end → ended (units
   * back); open with nothing available → sold out; sold out with units back (an order
   * cancelled or expired) and time left → open again. Returns whether anything changed.
   */
  async reconcileFlashSale(flashSaleId: number): Promise<boolean> {
    // Where ended units go is looked up before the transaction (PGlite is one connection).
    const seen = await this.repo.flashSale(this.d.db.orm, flashSaleId);
    if (!seen || seen.status === 'ended') return false;
    const session = await this.repo.session(this.d.db.orm, seen.sessionId);
    const central = session ? await this.centralOrNull(session.regionId) : null;
    const changed = await this.d.db.orm.transaction(async (tx) => {
      const sale = await this.repo.lockFlashSale(tx, flashSaleId);
      if (!sale || sale.status === 'ended') return false;
      return this.reconcileLocked(tx, sale, central);
    });
    if (changed) this.notifyFlash(flashSaleId);
    return changed;
  }

  private async reconcileLocked(tx: Tx, sale: FlashSaleRow, central: number | null): Promise<boolean> {
    const now = this.d.clock.now();
    const s = (await this.repo.session(tx, sale.sessionId))!;
    if (now.getTime() >= sale.endsAt.getTime()) {
      const ended = await this.endFlashSale(tx, sale, s, central, now);
      if (ended) await this.d.emit(tx, [ended]);
      return ended !== null;
    }
    const flashLocation = await this.repo.flashLocation(tx, sale.id);
    const level = flashLocation === null ? undefined : (await this.repo.levels(tx, flashLocation, [sale.skuId])).get(sale.skuId);
    const available = level ? level.onHand - level.reserved : 0;
    let to: 'open' | 'sold_out' | null = null;
    if (sale.status === 'open' && available <= 0) to = 'sold_out';
    if (sale.status === 'sold_out' && available > 0) to = 'open';
    if (!to) return false;
    await this.repo.setFlashStatus(tx, sale.id, [sale.status], to);
    // The replay shows the sell-out; a reopening (units back from an unpaid order) is only news for the room.
    if (to === 'sold_out') await this.repo.insertTimeline(tx, [{ sessionId: sale.sessionId, kind: 'flash_sold_out', skuId: sale.skuId, at: now, detail: { flashSaleId: sale.id } }]);
    const view = flashSaleView((await this.repo.flashDetail(tx, sale.id))!);
    await this.d.emit(tx, [liveEvent(LIVE_TOPICS.flash, sale.sessionId, { flashSale: view })]);
    return true;
  }

  private readonly flashChanged: ((flashSaleId: number) => void)[] = [];

  /** Checkout caches flash sales for a moment; this tells it when one changed status. */
  onFlashChanged(listener: (flashSaleId: number) => void): void {
    this.flashChanged.push(listener);
  }

  private notifyFlash(flashSaleId: number): void {
    for (const l of this.flashChanged) l(flashSaleId);
  }

  /**
   * The job: every flash sale not yet ended is brought in line (ended at its time, sold out,
   * reopened), each in its own transaction. Safe in several processes: sales locked by
   * another are skipped.
   */
  async reconcileFlashSales(limit = 100): Promise<number> {
    const open = await this.repo.flashSalesToReconcile(this.d.db.orm, this.d.clock.now(), limit);
    let changed = 0;
    for (const id of open) if (await this.reconcileFlashSale(id)) changed += 1;
    return changed;
  }

  /**
   * The job: units left on the locations of ended flash sales and ended or cancelled sessions
   * (held by orders that then expired) go back where they came from.
   */
  async returnStranded(limit = 200): Promise<number> {
    const since = new Date(this.d.clock.now().getTime() - 2 * 24 * 3600_000);
    const rows = await this.repo.strandedUnits(this.d.db.orm, since, limit);
    let moved = 0;
    for (const r of rows) {
      const s = await this.repo.session(this.d.db.orm, r.sessionId);
      if (!s) continue;
      const central = await this.centralOrNull(s.regionId);
      await this.d.db.orm.transaction(async (tx) => {
        const session = (await this.repo.lockSession(tx, r.sessionId))!;
        // A flash sale's units go back to its session while that is still live.
        const to = r.kind === 'flash_sale' && session.status === 'live' ? await this.repo.sessionLocation(tx, session.id) : central;
        if (to === null) return;
        const level = (await this.repo.levels(tx, r.locationId, [r.skuId])).get(r.skuId);
        const quantity = level ? level.onHand - level.reserved : 0;
        if (quantity <= 0) return;
        await this.d.inventory.transfer(tx, [{ fromLocationId: r.locationId, toLocationId: to, skuId: r.skuId, quantity }], { refType: r.kind, refId: r.ownerId });
        moved += quantity;
      });
    }
    return moved;
  }

  // ── helpers ──

  private bagItem(b: BagItemInput, prefix: string) {
    const f = (name: string) => (prefix ? `${prefix}.${name}` : name);
    return {
      skuId: liveRules.wholeNumber(b.skuId, f('skuId'), 1, Number.MAX_SAFE_INTEGER),
      livePriceFen: liveRules.wholeNumber(b.livePriceFen, f('livePriceFen'), 1, LIVE_LIMITS.maxPriceFen),
      limitPerPerson: b.limitPerPerson === undefined || b.limitPerPerson === null ? null : liveRules.wholeNumber(b.limitPerPerson, f('limitPerPerson'), 1, 999),
      allotted: liveRules.wholeNumber(b.allotted, f('allotted'), 0, LIVE_LIMITS.maxAllotted),
    };
  }

  private scheduleTime(value: Date | string, now: Date): Date {
    const at = when(value, 'scheduledAt');
    // A few minutes back is "now" on a slow clock; days ahead is planning, months is a typo.
    if (at.getTime() < now.getTime() - 3600_000) throw badInput('scheduledAt', 'scheduledAt is in the past');
    if (at.getTime() > now.getTime() + LIVE_LIMITS.maxScheduleAheadDays * 24 * 3600_000) {
      throw badInput('scheduledAt', `a session is scheduled at most ${LIVE_LIMITS.maxScheduleAheadDays} days ahead`);
    }
    return at;
  }

  private async assertActive(skuIds: number[], field: (i: number) => string): Promise<void> {
    const active = await this.repo.activeSkus(this.d.db.orm, skuIds);
    skuIds.forEach((id, i) => {
      if (!active.has(id)) throw badInput(field(i), `SKU ${id} does not exist or is not on sale`);
    });
  }

  private async centralOf(regionId: number): Promise<number> {
    const c = await this.d.centralLocation(regionId);
    if (c === null) throw conflict('the host’s region has no central warehouse to allot stock from', 'profile');
    return c;
  }

  private centralOrNull(regionId: number): Promise<number | null> {
    return this.d.centralLocation(regionId);
  }
}
