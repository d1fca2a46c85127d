// Live selling (直播电商, docs/live.md): the reads of sessions, rooms, hosts and the replay, the
// host's own profile and follows, and what checkout and the live room need to know. Changes
// that move stock, write the timeline or emit events live in src/flows/live.
import type { Database, Executor } from '../../db';
import { badInput, conflict, decodeCursor, notFound, toPage, type Clock, type Page } from '../../kernel';
import { isOperator, requireActor, requireRole, type Actor } from '../people';
import { byDayThenTrust, chinaDayOf, type TrustParts, type TrustReader } from '../trust';
import { HostsRepo, type HostProfileRow, type TrustCounts } from './hosts.repo';
import { imageUrl, text } from './live.rules';
import type { FlashSaleStatus, LiveSessionStatus, TimelineKind } from './live.schema';
import { LiveRepo, type BagDetailRow, type CouponRow, type FlashDetailRow, type LiveSessionRow, type PinDetailRow } from './sessions.repo';

export interface LiveServiceDeps {
  db: Database;
  clock: Clock;
  /** The stock location of a region's central warehouse (looking upwards), or null without one. */
  centralLocation: (regionId: number) => Promise<number | null>;
  /** Hosts' trust scores: on the host profile, and the tie-breaker of the room list. */
  trust?: TrustReader | undefined;
}

/** Times are ISO text: answers of idempotent calls are stored and replayed verbatim. */
export interface LiveSessionView {
  id: number;
  hostAccountId: number;
  regionId: number;
  title: string;
  coverUrl: string | null;
  streamUrl: string;
  recordingUrl: string | null;
  scheduledAt: string;
  startedAt: string | null;
  endedAt: string | null;
  status: LiveSessionStatus;
}

export interface HostCard {
  accountId: number;
  displayName: string;
  avatarUrl: string | null;
  persona: string;
}

export interface BagItemView {
  skuId: number;
  productId: number;
  title: string;
  spec: string;
  unit: string;
  imageUrl: string | null;
  position: number;
  /** What a buyer pays now: the live price while the session is on, the region's normal price after. */
  priceFen: number | null;
  priceKind: 'live' | 'normal';
  livePriceFen: number;
  normalPriceFen: number | null;
  /** The per-person limit that applies now (the bag's during the session, the shelf's daily one after). */
  limitPerPerson: number | null;
  allotted: number;
  /** Units to be had now: at the session's location while on, at the central warehouse after. */
  available: number;
  onSale: boolean;
}

export interface PinView {
  id: number;
  sessionId: number;
  skuId: number;
  title: string;
  startedAt: string;
  endedAt: string | null;
}

export interface FlashSaleView {
  id: number;
  sessionId: number;
  skuId: number;
  title: string;
  priceFen: number;
  quantity: number;
  limitPerPerson: number;
  startsAt: string;
  endsAt: string;
  status: FlashSaleStatus;
  /** Units still to be had (0 once sold out or ended). */
  available: number;
}

export interface CouponView {
  id: number;
  sessionId: number;
  amountFen: number;
  minSpendFen: number;
  quantity: number;
  claimed: number;
  remaining: number;
  releasedAt: string;
  expiresAt: string;
}

export interface ClaimView {
  id: number;
  couponId: number;
  orderId: number | null;
  claimedAt: string;
}

/** Everything a room shows at once: the live room's `hello` and the session page. */
export interface RoomSnapshot {
  session: LiveSessionView;
  host: HostCard;
  bag: BagItemView[];
  pin: PinView | null;
  flashSale: FlashSaleView | null;
  coupons: CouponView[];
}

export interface SessionCard extends LiveSessionView {
  host: HostCard;
  bagSize: number;
  /** The host's trust score (docs/insights.md), null before its first computation. */
  hostTrustScore: number | null;
}

export interface HostProfileView extends HostCard {
  regionId: number;
  commissionBp: number;
  followers: number;
  following: boolean;
  sessions: number;
  live: boolean;
  trust: {
    /** Basis points (10000 = 100 %); null when there is nothing to divide by yet. */
    repeatBuyerBp: number | null;
    afterSalesBp: number | null;
    onTimeDeliveryBp: number | null;
    counts: TrustCounts;
    /** The trust score 0–100 and its parts (docs/insights.md, last 30 days); null before its first computation. */
    score: number | null;
    parts: TrustParts | null;
    computedAt: string | null;
  };
}

export interface TimelineEventView {
  at: string;
  /** Seconds from the session's start (the recording's 0), never negative. */
  offsetS: number;
  kind: TimelineKind;
  skuId: number | null;
  title: string | null;
  detail: Record<string, unknown>;
}

export interface ReplayView {
  sessionId: number;
  recordingUrl: string | null;
  startedAt: string | null;
  endedAt: string | null;
  events: TimelineEventView[];
}

export interface HostProfileInput {
  displayName: string;
  persona?: string | undefined;
  avatarUrl?: string | null | undefined;
  regionId: number;
}

/** What checkout reads of a session (cached there for a few seconds). */
export interface CheckoutSession {
  session: LiveSessionRow;
  bag: Map<number, BagDetailRow>;
  commissionBp: number;
  /** The session's own stock location (bag units while it is on). */
  locationId: number;
}

export interface CheckoutFlashSale {
  id: number;
  sessionId: number;
  skuId: number;
  priceFen: number;
  limitPerPerson: number;
  startsAt: Date;
  endsAt: Date;
  status: FlashSaleStatus;
  locationId: number;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function sessionView(s: LiveSessionRow): LiveSessionView {
  return {
    id: s.id,
    hostAccountId: s.hostAccountId,
    regionId: s.regionId,
    title: s.title,
    coverUrl: s.coverUrl,
    streamUrl: s.streamUrl,
    recordingUrl: s.recordingUrl,
    scheduledAt: s.scheduledAt.toISOString(),
    startedAt: iso(s.startedAt),
    endedAt: iso(s.endedAt),
    status: s.status,
  };
}

export function pinView(p: PinDetailRow): PinView {
  return { id: p.id, sessionId: p.sessionId, skuId: p.skuId, title: p.title, startedAt: p.startedAt.toISOString(), endedAt: iso(p.endedAt) };
}

export function flashSaleView(f: FlashDetailRow): FlashSaleView {
  return {
    id: f.id,
    sessionId: f.sessionId,
    skuId: f.skuId,
    title: f.title,
    priceFen: f.priceFen,
    quantity: f.quantity,
    limitPerPerson: f.limitPerPerson,
    startsAt: f.startsAt.toISOString(),
    endsAt: f.endsAt.toISOString(),
    status: f.status,
    available: f.status === 'ended' ? 0 : Math.max(0, f.onHand - f.reserved),
  };
}

export function couponView(c: CouponRow): CouponView {
  return {
    id: c.id,
    sessionId: c.sessionId,
    amountFen: c.amountFen,
    minSpendFen: c.minSpendFen,
    quantity: c.quantity,
    claimed: c.claimed,
    remaining: c.quantity - c.claimed,
    releasedAt: c.releasedAt.toISOString(),
    expiresAt: c.expiresAt.toISOString(),
  };
}

async function sequentially(reads: readonly (() => Promise<unknown>)[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const r of reads) out.push(await r());
  return out;
}

const ratioBp = (num: number, den: number) => (den === 0 ? null : Math.round((num * 10_000) / den));

export class LiveService {
  readonly repo = new LiveRepo();
  readonly hosts = new HostsRepo();

  constructor(private readonly d: LiveServiceDeps) {}

  /** The host of the session or an operator: who may moderate its room (mute, remove chat). */
  async canModerate(actor: Actor | null | undefined, sessionId: number): Promise<boolean> {
    if (!actor) return false;
    if (isOperator(actor)) return true;
    const s = await this.repo.session(this.d.db.orm, sessionId);
    return s !== null && s.hostAccountId === actor.accountId;
  }

  /** A session with its bag, current pin, open flash sale and coupons on offer; 404 when there is none. */
  async roomSnapshot(sessionId: number, db: Executor = this.d.db.orm): Promise<RoomSnapshot> {
    const s = await this.repo.session(db, sessionId);
    if (!s || s.status === 'cancelled') throw notFound('live session', sessionId);
    return this.snapshotOf(s, db);
  }

  private async snapshotOf(s: LiveSessionRow, db: Executor): Promise<RoomSnapshot> {
    const now = this.d.clock.now();
    const reads = [
      () => this.hostCards(db, [s.hostAccountId]),
      () => this.bagOf(s, db),
      () => this.repo.openPin(db, s.id),
      () => this.repo.currentFlashSale(db, s.id),
      () => this.repo.liveCoupons(db, s.id, now),
    ] as const;
    // Side by side on the pool; one after another inside a transaction (one connection).
    const [hosts, bag, pin, flash, coupons] = (
      db === this.d.db.orm ? await Promise.all(reads.map((r) => r())) : await sequentially(reads)
    ) as [Map<number, HostCard>, BagItemView[], PinDetailRow | null, FlashDetailRow | null, CouponRow[]];
    return {
      session: sessionView(s),
      host: hosts.get(s.hostAccountId)!,
      bag,
      pin: pin ? pinView(pin) : null,
      flashSale: flash ? flashSaleView(flash) : null,
      coupons: coupons.map(couponView),
    };
  }

  /** The bag priced per the rules: live price and the session's units while it is on, the shelf after. */
  private async bagOf(s: LiveSessionRow, db: Executor): Promise<BagItemView[]> {
    const rows = await this.repo.bagDetails(db, [s.id]);
    const after = s.status === 'ended';
    const locationId = after ? await this.d.centralLocation(s.regionId) : await this.repo.sessionLocation(db, s.id);
    const levels = locationId === null ? new Map<number, { onHand: number; reserved: number }>() : await this.repo.levels(db, locationId, rows.map((r) => r.skuId));
    return rows.map((r) => {
      const lvl = levels.get(r.skuId);
      const available = lvl ? Math.max(0, lvl.onHand - lvl.reserved) : 0;
      return {
        skuId: r.skuId,
        productId: r.productId,
        title: r.title,
        spec: r.spec,
        unit: r.unit,
        imageUrl: r.imageUrl,
        position: r.position,
        priceFen: after ? r.normalPriceFen : r.livePriceFen,
        priceKind: after ? 'normal' : 'live',
        livePriceFen: r.livePriceFen,
        normalPriceFen: r.normalPriceFen,
        limitPerPerson: after ? r.shelfLimitPerPerson : r.limitPerPerson,
        allotted: r.allotted,
        available,
        onSale: r.onSale && (!after || r.normalPriceFen !== null),
      };
    });
  }

  /** Host cards by account; a host without a profile shows their account name. */
  private async hostCards(db: Executor, accountIds: number[]): Promise<Map<number, HostCard>> {
    const unique = [...new Set(accountIds)];
    const profiles = new Map((await this.hosts.profiles(db, unique)).map((p) => [p.accountId, p]));
    const out = new Map<number, HostCard>();
    for (const id of unique) {
      const p = profiles.get(id);
      out.set(id, p ? { accountId: id, displayName: p.displayName, avatarUrl: p.avatarUrl, persona: p.persona } : { accountId: id, displayName: (await this.hosts.displayName(db, id)) ?? '', avatarUrl: null, persona: '' });
    }
    return out;
  }

  /** The public page of a session, plus the viewer's own coupon claims of it. */
  async sessionPage(actor: Actor | null, sessionId: number): Promise<RoomSnapshot & { myClaims: ClaimView[] }> {
    const snapshot = await this.roomSnapshot(sessionId);
    const claims = actor ? await this.repo.claimsIn(this.d.db.orm, sessionId, actor.accountId) : [];
    return { ...snapshot, myClaims: claims.map((c) => ({ id: c.id, couponId: c.couponId, orderId: c.orderId, claimedAt: c.claimedAt.toISOString() })) };
  }

  /** The room list (public): newest first; cancelled sessions are never listed. */
  async listSessions(q: { status?: 'live' | 'scheduled' | 'ended' | undefined; regionId?: number | undefined; hostAccountId?: number | undefined; cursor?: string | undefined; limit: number }): Promise<Page<SessionCard>> {
    const rows = await this.repo.listSessions(this.d.db.orm, { status: q.status, regionId: q.regionId, hostAccountId: q.hostAccountId, afterId: decodeCursor(q.cursor), limit: q.limit });
    const visible = q.status ? rows : rows.filter((r) => r.status !== 'cancelled');
    const page = await this.cards(visible, q.limit, rows);
    // The page holds the same rooms as before (newest first, the cursor follows the id); within
    // it, rooms scheduled for the same China day go by their host's trust (docs/insights.md).
    const room = (c: SessionCard) => ({ id: c.id, day: chinaDayOf(new Date(c.scheduledAt)), trustScore: c.hostTrustScore });
    page.items.sort((a, b) => byDayThenTrust(room(a), room(b)));
    return page;
  }

  /** A host's own sessions; operators see everyone's (or one host's with hostAccountId). */
  async hostSessions(actor: Actor | null, q: { status?: LiveSessionStatus | undefined; hostAccountId?: number | undefined; cursor?: string | undefined; limit: number }): Promise<Page<SessionCard>> {
    const a = requireRole(actor, 'host', 'operator');
    const hostAccountId = isOperator(a) ? q.hostAccountId : a.accountId;
    const rows = await this.repo.listSessions(this.d.db.orm, { status: q.status, hostAccountId, afterId: decodeCursor(q.cursor), limit: q.limit });
    return this.cards(rows, q.limit, rows);
  }

  private async cards(visible: LiveSessionRow[], limit: number, fetched: LiveSessionRow[]): Promise<Page<SessionCard>> {
    // The cursor follows what was read, so a page of hidden (cancelled) rows still moves on.
    const page = toPage(fetched, limit);
    const kept = new Set(page.items.map((r) => r.id));
    const items = visible.filter((r) => kept.has(r.id));
    const db = this.d.db.orm;
    const hostIds = items.map((r) => r.hostAccountId);
    const [hosts, bag, trust] = await Promise.all([
      this.hostCards(db, hostIds),
      this.repo.bagDetails(db, items.map((r) => r.id)),
      this.d.trust?.viewsOf('host', hostIds) ?? new Map<number, { score: number }>(),
    ]);
    const bagSize = new Map<number, number>();
    for (const b of bag) bagSize.set(b.sessionId, (bagSize.get(b.sessionId) ?? 0) + 1);
    return {
      items: items.map((r) => ({ ...sessionView(r), host: hosts.get(r.hostAccountId)!, bagSize: bagSize.get(r.id) ?? 0, hostTrustScore: trust.get(r.hostAccountId)?.score ?? null })),
      nextCursor: page.nextCursor,
    };
  }

  /** A session as its host (or an operator) sees it; another host's session is a 404. */
  async hostSession(actor: Actor | null, sessionId: number): Promise<RoomSnapshot> {
    const a = requireRole(actor, 'host', 'operator');
    const s = await this.repo.session(this.d.db.orm, sessionId);
    if (!s || (s.hostAccountId !== a.accountId && !isOperator(a))) throw notFound('live session', sessionId);
    return this.snapshotOf(s, this.d.db.orm);
  }

  /**
   * The session under its row lock, for a change by its host. Another host's session is a 404
   * (its existence is not theirs to learn); operators read any but change only through
   * moderation, so they are refused here too.
   */
  async lockOwnSession(tx: Executor, actor: Actor, sessionId: number): Promise<LiveSessionRow> {
    const s = await this.repo.lockSession(tx, sessionId);
    if (!s || s.hostAccountId !== actor.accountId) throw notFound('live session', sessionId);
    return s;
  }

  // ── hosts ──

  async hostProfile(viewer: Actor | null, accountId: number): Promise<HostProfileView> {
    const db = this.d.db.orm;
    const p = await this.hosts.profile(db, accountId);
    if (!p) throw notFound('host', accountId);
    return this.profileView(p, viewer);
  }

  private async profileView(p: HostProfileRow, viewer: Actor | null): Promise<HostProfileView> {
    const db = this.d.db.orm;
    const [follows, counts, sessions, score] = await Promise.all([
      this.hosts.followers(db, p.accountId, viewer?.accountId ?? null),
      this.hosts.trustCounts(db, p.accountId),
      this.hosts.sessionCounts(db, p.accountId),
      this.d.trust?.viewsOf('host', [p.accountId]).then((m) => m.get(p.accountId) ?? null) ?? null,
    ]);
    return {
      accountId: p.accountId,
      displayName: p.displayName,
      avatarUrl: p.avatarUrl,
      persona: p.persona,
      regionId: p.regionId,
      commissionBp: p.commissionBp,
      followers: follows.followers,
      following: follows.following,
      sessions: sessions.sessions,
      live: sessions.live > 0,
      trust: {
        repeatBuyerBp: ratioBp(counts.repeatBuyers, counts.buyers),
        afterSalesBp: ratioBp(counts.afterSalesOrders, counts.paidOrders),
        onTimeDeliveryBp: ratioBp(counts.deliveredOnTime, counts.delivered),
        counts,
        score: score?.score ?? null,
        parts: score?.parts ?? null,
        computedAt: score?.computedAt.toISOString() ?? null,
      },
    };
  }

  /** The host's own profile: created on first save. The region is where their sessions sell. */
  async putProfile(actor: Actor | null, input: HostProfileInput): Promise<HostProfileView> {
    const a = requireRole(actor, 'host');
    if (!Number.isSafeInteger(input.regionId) || input.regionId <= 0) throw badInput('regionId', 'regionId must be a positive whole number');
    if ((await this.d.centralLocation(input.regionId)) === null) throw badInput('regionId', 'this region has no central warehouse to sell from');
    const row = await this.hosts.upsertProfile(this.d.db.orm, a.accountId, {
      displayName: text(input.displayName, 'displayName', 1, 40),
      persona: text(input.persona ?? '', 'persona', 0, 500),
      avatarUrl: imageUrl(input.avatarUrl, 'avatarUrl'),
      regionId: input.regionId,
    });
    return this.profileView(row, a);
  }

  /** The host profile a session is created under; 409 until the host has saved one. */
  async profileFor(db: Executor, accountId: number): Promise<HostProfileRow> {
    const p = await this.hosts.profile(db, accountId);
    if (!p) throw conflict('save your host profile (PUT /api/host/profile) before scheduling a session', 'profile');
    return p;
  }

  async follow(actor: Actor | null, hostAccountId: number): Promise<{ following: boolean; followers: number }> {
    const a = requireActor(actor);
    if (!(await this.hosts.profile(this.d.db.orm, hostAccountId))) throw notFound('host', hostAccountId);
    if (hostAccountId === a.accountId) throw badInput('accountId', 'a host cannot follow themselves');
    await this.hosts.follow(this.d.db.orm, hostAccountId, a.accountId);
    const f = await this.hosts.followers(this.d.db.orm, hostAccountId, a.accountId);
    return { following: f.following, followers: f.followers };
  }

  async unfollow(actor: Actor | null, hostAccountId: number): Promise<{ following: boolean; followers: number }> {
    const a = requireActor(actor);
    if (!(await this.hosts.profile(this.d.db.orm, hostAccountId))) throw notFound('host', hostAccountId);
    await this.hosts.unfollow(this.d.db.orm, hostAccountId, a.accountId);
    const f = await this.hosts.followers(this.d.db.orm, hostAccountId, a.accountId);
    return { following: f.following, followers: f.followers };
  }

  // ── the replay ──

  /** The replay's product timeline (public once the session has started). */
  async replay(sessionId: number): Promise<ReplayView> {
    const db = this.d.db.orm;
    const s = await this.repo.session(db, sessionId);
    if (!s || s.status === 'cancelled') throw notFound('live session', sessionId);
    const rows = await this.repo.timeline(db, sessionId);
    const zero = s.startedAt?.getTime() ?? null;
    return {
      sessionId: s.id,
      recordingUrl: s.recordingUrl,
      startedAt: iso(s.startedAt),
      endedAt: iso(s.endedAt),
      events: rows.map((r) => ({
        at: r.at.toISOString(),
        offsetS: zero === null ? 0 : Math.max(0, Math.floor((r.at.getTime() - zero) / 1000)),
        kind: r.kind,
        skuId: r.skuId,
        title: r.title,
        detail: r.detail,
      })),
    };
  }

  // ── checkout's reads ──

  async forCheckout(sessionId: number): Promise<CheckoutSession | null> {
    const db = this.d.db.orm;
    const s = await this.repo.session(db, sessionId);
    if (!s) return null;
    const [bag, profile, locationId] = await Promise.all([this.repo.bagDetails(db, [s.id]), this.hosts.profile(db, s.hostAccountId), this.repo.sessionLocation(db, s.id)]);
    return { session: s, bag: new Map(bag.map((b) => [b.skuId, b])), commissionBp: profile?.commissionBp ?? 0, locationId: locationId ?? 0 };
  }

  async flashSaleForCheckout(flashSaleId: number): Promise<CheckoutFlashSale | null> {
    const f = await this.repo.flashDetail(this.d.db.orm, flashSaleId);
    if (!f || f.locationId === null) return null;
    return { id: f.id, sessionId: f.sessionId, skuId: f.skuId, priceFen: f.priceFen, limitPerPerson: f.limitPerPerson, startsAt: f.startsAt, endsAt: f.endsAt, status: f.status, locationId: f.locationId };
  }

  claimForCheckout(claimId: number) {
    return this.repo.claimDetail(this.d.db.orm, claimId);
  }
}
