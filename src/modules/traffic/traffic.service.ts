import { randomBytes } from 'node:crypto';
import type { Database } from '../../db';
import { badInput, notFound, systemClock, type Clock } from '../../kernel';
import { appendEvents } from '../events';
import { requireActor, requireRole, type Actor } from '../people';
import { TrafficRepo, type DayCount, type NewTrafficEvent, type ShareLinkRow, type SourceCount } from './traffic.repo';
import { SOURCE_TYPES, TARGET_TYPES, TRAFFIC_KINDS, type ActorType, type SourceType, type TargetType, type TrafficKind } from './traffic.schema';

export interface TrafficEventInput {
  kind: TrafficKind;
  targetType: TargetType;
  targetId?: number | null | undefined;
  sourceType: SourceType;
  sourceId?: number | null | undefined;
  /** A share-link code: the event is then credited exactly like a click through that link. */
  shareCode?: string | undefined;
  communityId?: number | null | undefined;
}

export interface ShareLinkInput {
  targetType: TargetType;
  targetId?: number | null | undefined;
  actorType?: ActorType | null | undefined;
  actorId?: number | null | undefined;
}

export interface TrafficSummary {
  from: Date;
  to: Date;
  totals: Record<TrafficKind, number>;
  byDay: DayCount[];
  topSources: SourceCount[];
}

export interface TrafficOptions {
  /** Longest an event waits in memory before its batch is written. */
  flushIntervalMs?: number;
  /** A batch this large is written at once, without waiting for the timer. */
  maxBatch?: number;
  /** Above this many waiting events (database down), the oldest are dropped, not the server. */
  maxBuffered?: number;
  /** Reports lost events; defaults to a process warning. */
  onDrop?: (count: number, reason: string) => void;
}

const ACTOR_TYPES: readonly ActorType[] = ['leader', 'host', 'store'];
const SHARE_CODE_RE = /^[A-Za-z0-9_-]{6,32}$/;
const MAX_SUMMARY_DAYS = 366;

/**
 * Views, shares and clicks, with who brought them. Recording sits on hot pages, so `record`
 * only validates and appends to a buffer; batches are written with one multi-row INSERT every
 * `flushIntervalMs` or `maxBatch` events. `flush()` writes what is waiting and resolves when it
 * is stored; `close()` stops the timer and flushes (the HTTP app calls it on shutdown).
 *
 * Attribution: an event through a share link is credited to the link's actor (leader, host or
 * store) as its source, and to the sharer through `share_link_id`; a link naming no actor is
 * itself the source (`share_link`, link id).
 */
export class TrafficService {
  private readonly repo = new TrafficRepo();
  private buffer: NewTrafficEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  // Flushes run one after another so batches land in order and `flush()` can wait for all.
  private chain: Promise<void> = Promise.resolve();
  // Share links never change once made, so codes resolve from memory after the first time.
  private readonly links = new Map<string, ShareLinkRow>();
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;
  private readonly maxBuffered: number;
  private readonly onDrop: (count: number, reason: string) => void;
  private closed = false;
  /** Events lost so far (buffer overflow or rows the database refused). */
  dropped = 0;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock = systemClock,
    opts: TrafficOptions = {},
  ) {
    this.flushIntervalMs = opts.flushIntervalMs ?? 250;
    this.maxBatch = opts.maxBatch ?? 500;
    this.maxBuffered = opts.maxBuffered ?? 100_000;
    this.onDrop = opts.onDrop ?? ((n, why) => process.emitWarning(`traffic: dropped ${n} event(s): ${why}`));
  }

  /** Validate and queue one event; `actor` (from the session) is the only source of the account. */
  async record(actor: Actor | null, input: TrafficEventInput): Promise<void> {
    if (!TRAFFIC_KINDS.includes(input.kind)) throw badInput('kind', `kind must be one of ${TRAFFIC_KINDS.join(', ')}`);
    if (!TARGET_TYPES.includes(input.targetType)) throw badInput('targetType', `unknown target type`);
    if (!SOURCE_TYPES.includes(input.sourceType)) throw badInput('sourceType', `unknown source type`);
    const targetId = optionalId(input.targetId, 'targetId');
    const communityId = optionalId(input.communityId, 'communityId');
    let source: { sourceType: SourceType; sourceId: number | null; shareLinkId: number | null };
    if (input.shareCode !== undefined) {
      if (input.sourceType !== 'share_link') throw badInput('sourceType', 'an event with a shareCode has sourceType share_link');
      const link = await this.linkByCode(input.shareCode);
      if (!link) throw badInput('shareCode', 'no share link has this code');
      source = creditOf(link);
    } else if (input.sourceType === 'direct') {
      if (input.sourceId !== undefined && input.sourceId !== null) throw badInput('sourceId', 'a direct visit has no sourceId');
      source = { sourceType: 'direct', sourceId: null, shareLinkId: null };
    } else {
      const sourceId = optionalId(input.sourceId, 'sourceId');
      if (sourceId === null) throw badInput('sourceId', `sourceId is required for source ${input.sourceType}`);
      source = { sourceType: input.sourceType, sourceId, shareLinkId: input.sourceType === 'share_link' ? sourceId : null };
    }
    this.enqueue({
      occurredAt: this.clock.now(),
      kind: input.kind,
      targetType: input.targetType,
      targetId,
      ...source,
      accountId: actor?.accountId ?? null,
      communityId,
    });
  }

  /** Make a share link for the signed-in account, optionally crediting a leader, host or store. */
  async createShareLink(actor: Actor | null, input: ShareLinkInput): Promise<ShareLinkRow> {
    const a = requireActor(actor);
    if (!TARGET_TYPES.includes(input.targetType)) throw badInput('targetType', 'unknown target type');
    const targetId = optionalId(input.targetId, 'targetId');
    const actorType = input.actorType ?? null;
    const actorId = optionalId(input.actorId, 'actorId');
    if ((actorType === null) !== (actorId === null)) {
      throw badInput(actorType === null ? 'actorType' : 'actorId', 'actorType and actorId go together');
    }
    if (actorType !== null) {
      if (!ACTOR_TYPES.includes(actorType)) throw badInput('actorType', 'actorType must be leader, host or store');
      if (!(await this.repo.actorExists(this.db.orm, actorType, actorId!))) {
        throw badInput('actorId', `no ${actorType} ${actorId}`);
      }
    }
    let link: ShareLinkRow | null = null;
    // 10 base64url characters = 60 random bits: a clash is astronomically rare, but retried.
    for (let attempt = 0; !link; attempt += 1) {
      const code = randomBytes(8).toString('base64url').slice(0, 10);
      try {
        link = await this.repo.insertShareLink(this.db.orm, { code, accountId: a.accountId, actorType, actorId, targetType: input.targetType, targetId });
      } catch (e) {
        if (attempt >= 2 || !isUniqueViolation(e)) throw e;
      }
    }
    this.links.set(link.code, link);
    // Making a link is the act of sharing: count it.
    this.enqueue({
      occurredAt: this.clock.now(),
      kind: 'share',
      targetType: link.targetType,
      targetId: link.targetId,
      ...creditOf(link),
      accountId: a.accountId,
      communityId: null,
    });
    return link;
  }

  /** Resolve a code (someone opened the link) and count the click. */
  async openShareLink(actor: Actor | null, code: string, communityId?: number | null): Promise<ShareLinkRow> {
    const link = await this.linkByCode(code);
    if (!link) throw notFound('share link', code);
    this.enqueue({
      occurredAt: this.clock.now(),
      kind: 'click',
      targetType: link.targetType,
      targetId: link.targetId,
      ...creditOf(link),
      accountId: actor?.accountId ?? null,
      communityId: optionalId(communityId, 'communityId'),
    });
    return link;
  }

  /** Counts by day × kind × source type and the top sources, over [from, to). Operator only. */
  async summary(
    actor: Actor | null,
    q: { from?: Date | undefined; to?: Date | undefined; sourceType?: SourceType | undefined; targetType?: TargetType | undefined },
  ): Promise<TrafficSummary> {
    requireRole(actor, 'operator');
    const to = q.to ?? this.clock.now();
    const from = q.from ?? new Date(to.getTime() - 7 * 86_400_000);
    if (from.getTime() >= to.getTime()) throw badInput('from', 'from must be before to');
    if (to.getTime() - from.getTime() > MAX_SUMMARY_DAYS * 86_400_000) throw badInput('to', `at most ${MAX_SUMMARY_DAYS} days`);
    // Dashboards expect what just happened to be counted.
    await this.flush();
    const f = { from, to, sourceType: q.sourceType, targetType: q.targetType };
    const [byDay, topSources] = await Promise.all([this.repo.countsByDay(this.db.orm, f), this.repo.topSources(this.db.orm, f, 10)]);
    const totals: Record<TrafficKind, number> = { view: 0, share: 0, click: 0 };
    for (const d of byDay) totals[d.kind] += d.count;
    return { from, to, totals, byDay, topSources };
  }

  /** Events waiting in memory. */
  get pending(): number {
    return this.buffer.length;
  }

  /** Write everything buffered so far; resolves once it is stored (or reported dropped). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.buffer;
    if (batch.length > 0) {
      this.buffer = [];
      this.chain = this.chain.then(() => this.write(batch));
    }
    return this.chain;
  }

  /** Stop the timer and write what is left. Later events are still accepted and flushed at once. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private enqueue(e: NewTrafficEvent): void {
    this.buffer.push(e);
    if (this.buffer.length > this.maxBuffered) {
      const excess = this.buffer.length - this.maxBuffered;
      this.buffer.splice(0, excess);
      this.drop(excess, 'buffer full (database slow or down)');
    }
    if (this.closed || this.buffer.length >= this.maxBatch) {
      void this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushIntervalMs);
      // A pending flush must not keep a finished process (a CLI command, a test) alive.
      this.timer.unref();
    }
  }

  private async write(batch: NewTrafficEvent[]): Promise<void> {
    for (let i = 0; i < batch.length; i += this.maxBatch) {
      const part = batch.slice(i, i + this.maxBatch);
      try {
        await this.store(part);
      } catch {
        // One bad row (say a community id that does not exist) fails the whole INSERT; write
        // the rows one by one so the good ones are kept and only the bad ones are lost.
        let lost = 0;
        for (const e of part) {
          await this.store([e]).catch(() => {
            lost += 1;
          });
        }
        if (lost) this.drop(lost, 'rows refused by the database');
      }
    }
  }

  /**
   * Rows and their `traffic.recorded` outbox event (the new ids) in one transaction, so the
   * insights read models count each row once (docs/insights.md).
   */
  private async store(rows: NewTrafficEvent[]): Promise<void> {
    await this.db.orm.transaction(async (tx) => {
      const ids = await this.repo.insertEvents(tx, rows);
      await appendEvents(tx, [{ topic: 'traffic.recorded', aggregateType: 'traffic', aggregateId: ids[0]!, payload: { ids } }]);
    });
  }

  private drop(count: number, reason: string): void {
    this.dropped += count;
    this.onDrop(count, reason);
  }

  /** The share link behind a code (cached): checkout credits orders through it. */
  shareLinkByCode(code: string): Promise<ShareLinkRow | null> {
    return this.linkByCode(code);
  }

  private async linkByCode(code: string): Promise<ShareLinkRow | null> {
    if (!SHARE_CODE_RE.test(code)) return null;
    const cached = this.links.get(code);
    if (cached) return cached;
    const link = await this.repo.findShareLink(this.db.orm, code);
    if (link) {
      if (this.links.size > 100_000) this.links.clear();
      this.links.set(code, link);
    }
    return link;
  }
}

function creditOf(link: ShareLinkRow): { sourceType: SourceType; sourceId: number; shareLinkId: number } {
  return link.actorType && link.actorId !== null
    ? { sourceType: link.actorType, sourceId: link.actorId, shareLinkId: link.id }
    : { sourceType: 'share_link', sourceId: link.id, shareLinkId: link.id };
}

function optionalId(v: number | null | undefined, field: string): number | null {
  if (v === undefined || v === null) return null;
  if (!Number.isSafeInteger(v) || v <= 0) throw badInput(field, `${field} must be a positive integer`);
  return v;
}

function isUniqueViolation(e: unknown): boolean {
  const pg = (e as { cause?: { code?: string } }).cause ?? (e as { code?: string });
  return pg.code === '23505';
}
