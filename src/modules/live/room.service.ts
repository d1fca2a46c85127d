// The live room (docs/live.md "The room"): who is watching, chat, likes, clicks, exposures and
// the per-minute figures, for every room open in this process. The WebSocket route and the
// outbox subscriber (src/http/live-room.ts) feed it; it publishes through the shared hub.
//
// Everything per message is in memory and small: a chat is checked against an in-memory rate
// limiter and mute list, gets an id reserved from the table's sequence and is broadcast at once
// (one JSON.stringify for the whole room); it is stored with the next batch. Likes, online
// counts and the host's figures go out on a timer, not per event. Every 2 s one transaction
// stores the waiting chat and adds the counted figures to live_minute_stats / live_pin_stats.
import type { Database, Executor } from '../../db';
import { badInput, DomainError, forbidden, notFound, type Clock } from '../../kernel';
import { hasRole, isOperator, requireActor, type Actor } from '../people';
import { ChatBatch } from './chat-batch';
import { CHAT_RULES, ChatRateLimiter, checkChatBody } from './chat-limits';
import { buildDashboard, compareWindows, type Dashboard } from './dashboard';
import { couponView, flashSaleView, pinView, sessionView, type CouponView, type FlashSaleView, type LiveService, type LiveSessionView, type PinView } from './live.service';
import { minuteOf, type DrainedFigures } from './minute-counters';
import { RoomRepo } from './room.repo';
import {
  LIKE_MESSAGES_PER_S,
  maskName,
  MAX_LIKES_PER_MESSAGE,
  moderatorTopic,
  RECENT_CHATS,
  Room,
  ROOM_TIMING,
  roomTopic,
  type ChatMessage,
  type RoomError,
  type RoomHub,
  type RoomSocket,
  type Viewer,
} from './room.state';

export interface LiveRoomDeps {
  db: Database;
  clock: Clock;
  hub: RoomHub;
  live: Pick<LiveService, 'roomSnapshot' | 'canModerate' | 'repo'>;
  /** Where a failed flush is reported (the server's logger); the figures are kept and retried. */
  onError?: (what: string, err: unknown) => void;
}

export class LiveRoomService {
  readonly repo = new RoomRepo();
  private readonly rooms = new Map<number, Room>();
  private readonly opening = new Map<number, Promise<Room>>();
  private readonly limiter = new ChatRateLimiter();
  private readonly chats: ChatBatch;
  private timer: NodeJS.Timeout | null = null;
  private ticks = 0;
  private flushing: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly d: LiveRoomDeps) {
    this.chats = new ChatBatch((n) => this.repo.reserveChatIds(this.d.db.orm, n));
  }

  /** The server's logger, once there is one (the service is built before the app). */
  reportErrorsTo(onError: (what: string, err: unknown) => void): void {
    this.d.onError = onError;
  }

  // ── joining and leaving ──────────────────────────────────────────────────

  /**
   * Put a socket in a session's room and send it `hello`. `viewerKey` tells anonymous viewers
   * apart across reconnects (a random id the page keeps); without it each connection is new.
   * Throws not_found for an unknown or cancelled session.
   */
  async join(socket: RoomSocket, sessionId: number, actor: Actor | null, viewerKey?: string): Promise<void> {
    let room = await this.open(sessionId);
    const moderator = actor ? await this.d.live.canModerate(actor, sessionId) : false;
    const name = actor ? maskName((await this.repo.displayName(this.d.db.orm, actor.accountId)) ?? '') : '';
    await this.freshSnapshot(room);
    // From here on nothing waits, so a socket that closed meanwhile is not added (its close
    // handler already ran and found nothing to take off).
    if (socket.readyState !== 1) return;
    // An empty room may have been forgotten while we waited: keep using the one on record.
    const current = this.rooms.get(sessionId);
    if (current) room = current;
    else this.rooms.set(sessionId, room);
    const viewer: Viewer = { socket, actor, name, moderator, leave: [], likeWindowStart: 0, likeMessages: 0, clicked: new Set() };
    viewer.leave.push(this.d.hub.join(roomTopic(sessionId), socket));
    if (moderator) viewer.leave.push(this.d.hub.join(moderatorTopic(sessionId), socket));
    room.viewers.set(socket, viewer);
    room.seen.add(actor ? `a${actor.accountId}` : viewerKey ? `v${viewerKey}` : `c${Math.random()}`);
    const now = this.d.clock.now().getTime();
    room.counters.level(now, room.online, room.cumulative);
    // Joining while a product is presented: one exposure of it.
    const pin = room.snapshot.pin;
    if (pin) {
      room.counters.count(now, 'exposures');
      room.counters.countPin(pin.id, 'exposures');
    }
    socket.send(
      JSON.stringify({
        type: 'hello',
        ...room.snapshot,
        online: room.online,
        cumulative: room.cumulative,
        likes: room.likes,
        chats: room.recent,
        you: actor ? { accountId: actor.accountId, moderator, muted: room.mutes.has(actor.accountId) } : null,
      }),
    );
    this.startTimer();
  }

  /** The socket closed: off the room (the online count goes out with the next tick). */
  leave(socket: RoomSocket, sessionId: number): void {
    const room = this.rooms.get(sessionId);
    if (!room) return;
    const viewer = room.viewers.get(socket);
    if (!viewer) return;
    for (const off of viewer.leave) off();
    room.viewers.delete(socket);
    if (room.viewers.size === 0) room.idleSince = this.d.clock.now().getTime();
  }

  private async open(sessionId: number): Promise<Room> {
    const have = this.rooms.get(sessionId);
    if (have) return have;
    let opening = this.opening.get(sessionId);
    if (!opening) {
      opening = this.load(sessionId).finally(() => this.opening.delete(sessionId));
      this.opening.set(sessionId, opening);
    }
    return opening;
  }

  private async load(sessionId: number): Promise<Room> {
    const db = this.d.db.orm;
    const snapshot = await this.d.live.roomSnapshot(sessionId); // 404 for unknown or cancelled
    const [mutes, levels, recent] = await Promise.all([
      this.repo.mutedIn(db, [sessionId]),
      this.repo.sessionLevels(db, sessionId),
      this.repo.recentChats(db, sessionId, RECENT_CHATS),
    ]);
    const room = new Room(sessionId, snapshot, levels.viewersCumulative);
    room.snapshotAt = room.idleSince = this.d.clock.now().getTime();
    room.likes = room.likesSent = levels.likes;
    for (const m of mutes) room.mutes.add(m.accountId);
    room.recent = recent.map((c) => ({ type: 'chat', id: c.id, accountId: c.accountId, name: maskName(c.name), body: c.body, at: c.createdAt.toISOString() }));
    room.flashAvailableSent = snapshot.flashSale?.available ?? -1;
    this.rooms.set(sessionId, room);
    return room;
  }

  /** The bag's stock moves with every order: refresh the cached snapshot now and then, once at a time. */
  private async freshSnapshot(room: Room): Promise<void> {
    if (this.d.clock.now().getTime() - room.snapshotAt < ROOM_TIMING.snapshotMs) return;
    room.refreshing ??= this.d.live
      .roomSnapshot(room.sessionId)
      .then((s) => {
        room.snapshot = s;
        room.snapshotAt = this.d.clock.now().getTime();
      })
      .catch((err: unknown) => this.d.onError?.('live room snapshot', err))
      .finally(() => (room.refreshing = null));
    await room.refreshing;
  }

  // ── what viewers send ────────────────────────────────────────────────────

  /** A message from a socket of the room: chat, like or click. Refusals go back to that socket only. */
  async receive(socket: RoomSocket, sessionId: number, raw: string): Promise<void> {
    const room = this.rooms.get(sessionId);
    const viewer = room?.viewers.get(socket);
    if (!room || !viewer) return; // not joined yet (the check is still running) or already gone
    const refuse = (e: Omit<RoomError, 'type'>) => socket.readyState === 1 && socket.send(JSON.stringify({ type: 'error', ...e }));
    let msg: { type?: unknown; body?: unknown; count?: unknown; skuId?: unknown };
    try {
      msg = JSON.parse(raw) as typeof msg;
    } catch {
      return void refuse({ code: 'bad_input', message: 'messages are JSON objects with a type' });
    }
    if (typeof msg !== 'object' || msg === null) return void refuse({ code: 'bad_input', message: 'messages are JSON objects with a type' });
    if (msg.type !== 'chat' && msg.type !== 'like' && msg.type !== 'click') return void refuse({ code: 'bad_input', message: 'type must be chat, like or click' });
    if (!viewer.actor) return void refuse({ code: 'unauthenticated', message: `log in to ${msg.type === 'chat' ? 'chat' : msg.type}` });
    const now = this.d.clock.now().getTime();
    if (msg.type === 'chat') return this.chat(room, viewer, viewer.actor, msg.body, now, refuse);
    if (msg.type === 'like') {
      const count = msg.count ?? 1;
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_LIKES_PER_MESSAGE) {
        return void refuse({ code: 'bad_input', message: `count must be a whole number from 1 to ${MAX_LIKES_PER_MESSAGE}` });
      }
      if (now - viewer.likeWindowStart >= 1000) {
        viewer.likeWindowStart = now;
        viewer.likeMessages = 0;
      }
      if (++viewer.likeMessages > LIKE_MESSAGES_PER_S) return; // tapping faster than anyone can: ignored
      room.likes += count;
      room.counters.count(now, 'likes', count);
      return;
    }
    const skuId = msg.skuId;
    if (typeof skuId !== 'number' || !Number.isSafeInteger(skuId) || skuId <= 0) return void refuse({ code: 'bad_input', message: 'skuId must be a positive whole number' });
    const pin = room.snapshot.pin;
    const key = `${pin?.id ?? 0}:${skuId}`;
    if (viewer.clicked.has(key)) return;
    if (viewer.clicked.size >= 200) viewer.clicked.clear();
    viewer.clicked.add(key);
    room.counters.count(now, 'clicks');
    if (pin && pin.skuId === skuId) room.counters.countPin(pin.id, 'clicks');
  }

  private async chat(room: Room, viewer: Viewer, actor: Actor, rawBody: unknown, now: number, refuse: (e: Omit<RoomError, 'type'>) => unknown): Promise<void> {
    const status = room.snapshot.session.status;
    if (status !== 'live' && status !== 'scheduled') return void refuse({ code: 'not_live', message: 'the session has ended' });
    const checked = checkChatBody(rawBody);
    if (!checked.ok) return void refuse({ code: 'bad_input', message: checked.message });
    if (room.mutes.has(actor.accountId)) return void refuse({ code: 'muted', message: 'you are muted in this room' });
    const decision = this.limiter.take(`${room.sessionId}:${actor.accountId}`, now);
    if (!decision.ok) return void refuse({ code: 'rate_limited', message: `at most 1 message per ${CHAT_RULES.minGapMs / 1000} s and ${CHAT_RULES.perWindow} per minute`, retryAfterMs: decision.retryAfterMs });
    const id = await this.chats.nextId();
    const at = new Date(now);
    const message: ChatMessage = { type: 'chat', id, accountId: actor.accountId, name: viewer.name, body: checked.body, at: at.toISOString() };
    this.d.hub.publish(roomTopic(room.sessionId), message);
    this.chats.add({ id, sessionId: room.sessionId, accountId: actor.accountId, body: checked.body, createdAt: at });
    room.recent.push(message);
    if (room.recent.length > RECENT_CHATS) room.recent.shift();
    room.counters.count(now, 'chats');
  }

  // ── moderation (routes) ──────────────────────────────────────────────────

  /** The host of the session or an operator; another host gets 404, anyone else 403. */
  private async moderatorOf(actor: Actor | null, sessionId: number): Promise<{ actor: Actor; hostAccountId: number }> {
    const a = requireActor(actor);
    const s = await this.d.live.repo.session(this.d.db.orm, sessionId);
    if (!s || s.status === 'cancelled') throw notFound('live session', sessionId);
    if (await this.d.live.canModerate(a, sessionId)) return { actor: a, hostAccountId: s.hostAccountId };
    if (hasRole(a, 'host')) throw notFound('live session', sessionId);
    throw forbidden("only the session's host or an operator may moderate its room");
  }

  async mute(actor: Actor | null, sessionId: number, accountId: number): Promise<{ sessionId: number; accountId: number; muted: boolean }> {
    const { actor: a, hostAccountId } = await this.moderatorOf(actor, sessionId);
    if (accountId === hostAccountId) throw badInput('accountId', 'the host cannot be muted in their own room');
    if (!(await this.repo.accountExists(this.d.db.orm, accountId))) throw new DomainError('not_found', `no account ${accountId}`, { field: 'accountId' });
    await this.repo.mute(this.d.db.orm, sessionId, accountId, a.accountId);
    const room = this.rooms.get(sessionId);
    if (room) {
      room.mutes.add(accountId);
      room.mutesVersion += 1;
    }
    return { sessionId, accountId, muted: true };
  }

  async unmute(actor: Actor | null, sessionId: number, accountId: number): Promise<{ sessionId: number; accountId: number; muted: boolean }> {
    await this.moderatorOf(actor, sessionId);
    await this.repo.unmute(this.d.db.orm, sessionId, accountId);
    const room = this.rooms.get(sessionId);
    if (room) {
      room.mutes.delete(accountId);
      room.mutesVersion += 1;
    }
    return { sessionId, accountId, muted: false };
  }

  /** Remove a message: stored as removed, and every socket of the room is told to drop it. */
  async removeChat(actor: Actor | null, sessionId: number, messageId: number): Promise<{ id: number; removed: boolean }> {
    const { actor: a } = await this.moderatorOf(actor, sessionId);
    // A message of the last moment may still wait for its batch: store it first.
    if (this.chats.waiting(messageId)) await this.flush();
    const removed = await this.repo.removeChat(this.d.db.orm, sessionId, messageId, a.accountId, this.d.clock.now());
    if (!removed) throw notFound('chat message', messageId);
    const room = this.rooms.get(sessionId);
    if (room) room.recent = room.recent.filter((c) => c.id !== messageId);
    this.d.hub.publish(roomTopic(sessionId), { type: 'chat_removed', id: messageId });
    return { id: messageId, removed: true };
  }

  // ── what the outbox says (called in the event's transaction) ─────────────

  /**
   * A session started or ended: tell the room; at the end its figures are flushed. `given` is
   * the session as the event carries it; without it the session is read in the transaction.
   */
  async onSessionChanged(tx: Executor, sessionId: number, given?: LiveSessionView): Promise<void> {
    const room = this.rooms.get(sessionId);
    if (!room) return;
    let session = given;
    if (!session) {
      const s = await this.d.live.repo.session(tx, sessionId);
      if (!s) return;
      session = sessionView(s);
    }
    const over = session.status === 'ended' || session.status === 'cancelled';
    room.snapshot = { ...room.snapshot, session, ...(over ? { pin: null, flashSale: null } : {}) };
    this.d.hub.publish(roomTopic(sessionId), { type: 'session', session });
    // The flush runs after this transaction (PGlite has one connection, and the handler holds it).
    if (over) setImmediate(() => void this.flush());
  }

  /**
   * The presented product changed: broadcast it; everyone online sees it once (exposures).
   * `given` is the pin the event carries (null: unpinned); undefined reads the open pin.
   */
  async onPinChanged(tx: Executor, sessionId: number, given?: PinView | null): Promise<void> {
    const room = this.rooms.get(sessionId);
    if (!room) return; // nobody here watching: no exposures, nothing to send
    let pin = given;
    if (pin === undefined) {
      const row = await this.d.live.repo.openPin(tx, sessionId);
      pin = row ? pinView(row) : null;
    }
    // Events come at least once: act only when the pin really moved.
    if ((pin?.id ?? null) === (room.snapshot.pin?.id ?? null)) return;
    room.snapshot = { ...room.snapshot, pin };
    this.d.hub.publish(roomTopic(sessionId), { type: 'pin', pin });
    if (pin && room.online > 0) {
      const now = this.d.clock.now().getTime();
      room.counters.count(now, 'exposures', room.online);
      room.counters.countPin(pin.id, 'exposures', room.online);
    }
  }

  /** A flash sale started, sold out or ended (`given` as the event carries it, else read by id). */
  async onFlashSaleChanged(tx: Executor, sessionId: number, given: FlashSaleView | { id: number }): Promise<void> {
    const room = this.rooms.get(sessionId);
    if (!room) return;
    let flashSale: FlashSaleView;
    if ('status' in given) flashSale = given;
    else {
      const row = await this.d.live.repo.flashDetail(tx, given.id);
      if (!row) return;
      flashSale = flashSaleView(row);
    }
    room.snapshot = { ...room.snapshot, flashSale: flashSale.status === 'ended' ? null : flashSale };
    room.flashAvailableSent = flashSale.available;
    this.d.hub.publish(roomTopic(sessionId), { type: 'flash', flashSale });
  }

  async onCouponReleased(tx: Executor, sessionId: number, given: CouponView | { id: number }): Promise<void> {
    const room = this.rooms.get(sessionId);
    if (!room) return;
    let coupon: CouponView;
    if ('expiresAt' in given) coupon = given;
    else {
      const row = await this.d.live.repo.coupon(tx, given.id);
      if (!row) return;
      coupon = couponView(row);
    }
    room.snapshot = { ...room.snapshot, coupons: [coupon, ...room.snapshot.coupons.filter((c) => c.id !== coupon.id)] };
    this.d.hub.publish(roomTopic(sessionId), { type: 'coupon', coupon });
  }

  /**
   * A live order was paid: count it into its minute and pin (in this transaction, so once) and
   * announce it in the room with the buyer's masked name.
   */
  async onOrderPaid(tx: Executor, orderId: number): Promise<void> {
    const counted = await this.repo.countPaidOrder(tx, orderId);
    if (!counted) return;
    const order = await this.repo.paidLiveOrder(tx, orderId);
    const room = order && this.rooms.get(order.sessionId);
    if (!order || !room) return;
    const now = this.d.clock.now().getTime();
    room.counters.show(now, 'orders', 1);
    room.counters.show(now, 'gmvFen', order.totalFen);
    if (counted.firstInMinute) room.counters.show(now, 'buyers', 1);
    this.d.hub.publish(roomTopic(order.sessionId), {
      type: 'order',
      name: maskName(order.buyerName),
      skuId: order.skuId,
      title: order.title,
      quantity: order.quantity,
      at: order.paidAt.toISOString(),
    });
  }

  // ── the host's dashboard ─────────────────────────────────────────────────

  async dashboard(actor: Actor | null, sessionId: number, lastMinutes: number): Promise<Dashboard & { online: number }> {
    const a = requireActor(actor);
    if (!Number.isInteger(lastMinutes) || lastMinutes < 1 || lastMinutes > 60) throw badInput('lastMinutes', 'lastMinutes must be a whole number from 1 to 60');
    const db = this.d.db.orm;
    const s = await this.d.live.repo.session(db, sessionId);
    if (!s || s.status === 'cancelled') throw notFound('live session', sessionId);
    if (!isOperator(a) && s.hostAccountId !== a.accountId) {
      if (hasRole(a, 'host')) throw notFound('live session', sessionId);
      throw forbidden("only the session's host or an operator may read its dashboard");
    }
    const now = this.d.clock.now().getTime();
    const toMinute = minuteOf(s.endedAt ? Math.min(s.endedAt.getTime(), now) : now);
    const windows = compareWindows(toMinute, lastMinutes);
    const [stored, pins, buyers] = await Promise.all([
      this.repo.minutes(db, sessionId),
      this.repo.pins(db, sessionId),
      this.repo.distinctBuyers(db, sessionId, [windows.last, windows.previous]),
    ]);
    const room = this.rooms.get(sessionId);
    const pending: DrainedFigures = room ? room.counters.pending() : { minutes: [], pins: [] };
    const built = buildDashboard({
      stored,
      pending,
      pins,
      fromMinute: s.startedAt?.getTime() ?? null,
      toMinute,
      lastMinutes,
      buyers: { total: buyers.total, last: buyers.windows[0]!, previous: buyers.windows[1]! },
    });
    return { ...built, online: room?.online ?? 0 };
  }

  /** Viewers online in a room of this process (the bench and tests). */
  online(sessionId: number): number {
    return this.rooms.get(sessionId)?.online ?? 0;
  }

  // ── the timer: likes, online counts, stats, flush ────────────────────────

  private startTimer(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => void this.tick(), ROOM_TIMING.tickMs);
    // The server's life is the app's, not this timer's.
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.ticks += 1;
    const now = this.d.clock.now().getTime();
    const everyFlush = this.ticks % Math.round(ROOM_TIMING.flushMs / ROOM_TIMING.tickMs) === 0;
    for (const room of this.rooms.values()) {
      const topic = roomTopic(room.sessionId);
      if (room.likes !== room.likesSent) {
        room.likesSent = room.likes;
        this.d.hub.publish(topic, { type: 'likes', total: room.likes });
      }
      // Orders take a flash sale's units and cancelled ones give them back: while a sale is on
      // and someone watches, its count is read each tick (one small query) and sent when it moved.
      if (room.snapshot.flashSale && room.online > 0 && !room.flashChecking) void this.sendFlashStock(room);
      if (!everyFlush) continue;
      room.counters.level(now, room.online, room.cumulative);
      if (room.online !== room.onlineSent || room.cumulative !== room.cumulativeSent) {
        room.onlineSent = room.online;
        room.cumulativeSent = room.cumulative;
        this.d.hub.publish(topic, { type: 'online', online: room.online, cumulative: room.cumulative });
      }
      if (this.d.hub.has(moderatorTopic(room.sessionId))) {
        const c = room.counters.current(now);
        this.d.hub.publish(moderatorTopic(room.sessionId), { type: 'stats', ...c, minute: new Date(c.minute).toISOString(), online: room.online });
      }
    }
    // A flush still running (a busy database) takes the next tick's work with it later: ticks
    // never queue flushes behind each other.
    if (this.flushing) return;
    if (everyFlush) {
      this.limiter.sweep(now);
      await this.flush();
      this.forgetIdleRooms(now);
    } else if (this.chats.size > 0) {
      // Chat is stored sooner than the figures, so a removal right after a message finds it.
      await this.flush();
    }
  }

  /** The flash sale's units left, when orders moved them (at most every tick). */
  private async sendFlashStock(room: Room): Promise<void> {
    const current = room.snapshot.flashSale;
    if (!current) return;
    room.flashChecking = true;
    try {
      const row = await this.d.live.repo.flashDetail(this.d.db.orm, current.id);
      if (!row) return;
      const flashSale = flashSaleView(row);
      if (flashSale.available === room.flashAvailableSent && flashSale.status === current.status) return;
      room.flashAvailableSent = flashSale.available;
      room.snapshot = { ...room.snapshot, flashSale: flashSale.status === 'ended' ? null : flashSale };
      this.d.hub.publish(roomTopic(room.sessionId), { type: 'flash', flashSale });
    } catch (err) {
      this.d.onError?.('live flash stock', err);
    } finally {
      room.flashChecking = false;
    }
  }

  private forgetIdleRooms(now: number): void {
    for (const [id, room] of this.rooms) {
      if (room.online === 0 && !room.counters.dirty && now - room.idleSince >= ROOM_TIMING.idleMs && !this.chats.waitingIn(id)) {
        this.rooms.delete(id);
      }
    }
    if (this.rooms.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  /**
   * Store waiting chat and add the counted figures, in one transaction; one flush at a time.
   * A failed flush keeps everything for the next one (figures merge, chat retries a few times).
   */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => this.flush());
    this.flushing = this.flushOnce().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    const chats = this.chats.drain();
    const figures = [...this.rooms.values()].filter((r) => r.counters.dirty).map((r) => ({ room: r, sessionId: r.sessionId, figures: r.counters.drain() }));
    if (chats.length > 0 || figures.length > 0) {
      try {
        await this.d.db.orm.transaction(async (tx) => {
          await this.repo.insertChats(tx, chats);
          await this.repo.flushFigures(tx, figures);
        });
      } catch (err) {
        this.d.onError?.('live room flush', err);
        for (const f of figures) f.room.counters.restore(f.figures);
        this.chats.restore(chats);
        return;
      }
    }
    // Mutes made by another process reach this one within a flush.
    const open = [...this.rooms.keys()];
    if (open.length > 0 && this.ticks % Math.round(ROOM_TIMING.flushMs / ROOM_TIMING.tickMs) === 0) {
      try {
        const versions = new Map(open.map((id) => [id, this.rooms.get(id)!.mutesVersion]));
        const mutes = await this.repo.mutedIn(this.d.db.orm, open);
        const by = new Map<number, Set<number>>();
        for (const m of mutes) (by.get(m.sessionId) ?? by.set(m.sessionId, new Set()).get(m.sessionId)!).add(m.accountId);
        for (const [id, room] of this.rooms) {
          if (versions.get(id) !== room.mutesVersion) continue;
          room.mutes.clear();
          for (const acc of by.get(id) ?? []) room.mutes.add(acc);
        }
      } catch (err) {
        this.d.onError?.('live room mutes', err);
      }
    }
  }

  /** Server shutdown: stop the timer and store what is waiting. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}
