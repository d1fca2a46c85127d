// Optional Redis front for hot SKUs (REDIS_URL). Checkout asks it first: a Lua script takes an
// order's units from Redis, all lines or none, so in a flash sale the buyers who cannot have
// stock are turned away in Redis without a PostgreSQL query or row lock. Admitted buyers go on
// to PostgreSQL, which reserves with its own conditional UPDATE: Redis decides who may *try*,
// PostgreSQL decides who *gets*, so Redis can never oversell.
//
// Why Redis stays right (see docs/stock.md):
// - Per SKU, Redis keeps avail and the admissions whose PostgreSQL outcome is pending. Once
//   the outcome is known the admission is settled: kept (the order holds the units in
//   PostgreSQL now) or given back. So avail = PostgreSQL available − pending admissions.
// - Loading and reconciling read PostgreSQL under FOR SHARE on the stock row. Everything that
//   moves stock (placement, release, receipt, count, restock) updates that row under a row
//   lock, so while the share lock is held nothing can commit on that SKU; the holds made since
//   the last reconcile name the admissions that did commit. From that fixed point the Lua
//   script sets avail = available − admissions still pending, exactly, even under load.
// - Releases, receipts and counts are not mirrored as increments: the inventory service reports
//   the SKUs it changed and they are reconciled; that reconcile waits on the writer's row lock,
//   so it sees the commit (or the rollback) and never counts units twice.
// - A Redis restart loses the keys; the next buyer finds them missing and they are loaded from
//   PostgreSQL. Orders live in PostgreSQL, so none is lost. Admissions pending at the restart
//   are forgotten: any of them that commits later makes Redis count too many units, which only
//   lets extra buyers try; PostgreSQL refuses them and the next reconcile corrects the count.
//   Redis can only be wrong towards too many, except transiently after a lost write.
// - A retry of a placed order must get its first answer, even once sold out. The `seen` set
//   holds the (buyer, key) of orders on the SKU: loaded from PostgreSQL with the stock, added
//   at admission, kept in step by reconciliation. A key found there goes to PostgreSQL.
// - Redis down or slow: checkout goes straight to PostgreSQL (correct, just not shielded).
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { redactUrl, type Database, type Tx } from '../../db';
import type { StockKey } from './inventory.repo';
import { LOAD, RECONCILE, RESERVE, SETTLE } from './redis-front.lua';
import { StockFrontRepo, type Holder } from './redis-front.repo';

export interface StockFrontOptions {
  url: string;
  db: Database;
  /** Namespace of every key (default `linli:`); tests give each run its own. */
  prefix?: string | undefined;
  /** Retries of placed orders are recognised in Redis for this long (default 1 h); older ones still are by PostgreSQL when stock is left. */
  replayWindowMs?: number;
  /** Reconcile every key in Redis this often (default 1 s); 0: only on start and on demand. */
  reconcileEveryMs?: number;
  /** An admission not settled within this long belongs to a process that died (default 60 s). */
  admissionTtlMs?: number;
  /** A Redis command slower than this counts as Redis being down (default 1 s). */
  commandTimeoutMs?: number;
}

export interface AdmissionRequest {
  buyerAccountId: number;
  idempotencyKey: string;
  locationId: number;
  lines: { skuId: number; quantity: number }[];
}

export type Admission =
  /** Not enough for line `line` (an index into the request's lines); nothing was taken. */
  | { kind: 'sold_out'; line: number; available: number }
  /** Go on to PostgreSQL, then settle: kept = an order now holds the units; false gives them back. */
  | { kind: 'proceed'; settle(kept: boolean): Promise<void> };

/** What checkout needs of a stock front. */
export interface StockFront {
  admit(req: AdmissionRequest): Promise<Admission>;
}

export interface StockFrontStats {
  admitted: number;
  soldOut: number;
  /** Sent to PostgreSQL unshielded: a retry of a known key, Redis unavailable, keys vanishing. */
  passed: number;
  loads: number;
  reconciled: number;
  /** Units by which reconciliation moved Redis (releases and receipts show up here too). */
  adjustedUnits: number;
  errors: number;
}

type Arg = string | number;
type ReserveReply = ['ok'] | ['missing', number] | ['seen', number] | ['sold_out', number, number];
interface FrontCommands {
  linliReserve(numKeys: number, ...args: Arg[]): Promise<ReserveReply>;
  linliSettle(numKeys: number, ...args: Arg[]): Promise<number>;
  linliLoad(numKeys: number, ...args: Arg[]): Promise<number>;
  linliReconcile(numKeys: number, ...args: Arg[]): Promise<[number, number] | null>;
}

const idOf = (k: StockKey) => `${k.locationId}:${k.skuId}`;
const whoOf = (h: { buyerAccountId: number; idempotencyKey: string }) => `${h.buyerAccountId}:${h.idempotencyKey}`;
const marks = (holders: Holder[], k: StockKey) =>
  holders.filter((h) => h.locationId === k.locationId && h.skuId === k.skuId).flatMap((h) => [whoOf(h), Math.floor(h.atMs)]);
const noop = async () => {};
/** Keys reconciled together without waiting for locks. */
const CHUNK = 200;

export class RedisStockFront implements StockFront {
  private readonly repo = new StockFrontRepo();
  private readonly prefix: string;
  private readonly replayWindowMs: number;
  private readonly admissionTtlMs: number;
  private readonly tag = randomBytes(4).toString('hex');
  private seq = 0;
  private readonly loading = new Map<string, Promise<void>>();
  /** SKUs this process has found in Redis; the first buyers of any other wait for one load. */
  private readonly known = new Set<string>();
  private readonly dirty = new Map<string, StockKey>();
  private flushQueued = false;
  private chain: Promise<unknown> = Promise.resolve();
  private periodicRunning = false;
  private timer: NodeJS.Timeout | null = null;
  /** Warn when Redis stops answering, once per outage, and not while still connecting. */
  private healthy = false;
  private readonly counters: StockFrontStats = { admitted: 0, soldOut: 0, passed: 0, loads: 0, reconciled: 0, adjustedUnits: 0, errors: 0 };
  lastError: Error | null = null;

  private constructor(
    private readonly redis: Redis & FrontCommands,
    private readonly db: Database,
    opts: StockFrontOptions,
  ) {
    this.prefix = opts.prefix ?? 'linli:';
    this.replayWindowMs = opts.replayWindowMs ?? 3600_000;
    this.admissionTtlMs = opts.admissionTtlMs ?? 60_000;
  }

  /** Connect (an unreachable server is an error, like an unreachable database) and start reconciling. */
  static async connect(opts: StockFrontOptions): Promise<RedisStockFront> {
    const redis = new Redis(opts.url, {
      lazyConnect: true,
      // Fail at once while disconnected: checkout then goes straight to PostgreSQL.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: opts.commandTimeoutMs ?? 1000,
      connectTimeout: 5000,
      // A burst of buyers' scripts goes out in one write instead of one syscall each.
      enableAutoPipelining: true,
    });
    redis.defineCommand('linliReserve', { lua: RESERVE });
    redis.defineCommand('linliSettle', { lua: SETTLE });
    redis.defineCommand('linliLoad', { lua: LOAD });
    redis.defineCommand('linliReconcile', { lua: RECONCILE });
    const front = new RedisStockFront(redis as Redis & FrontCommands, opts.db, opts);
    redis.on('error', (e: Error) => front.noteError(e));
    try {
      await redis.connect();
      // Loaded now, the first storm does not pay one NOSCRIPT round trip per buyer.
      await Promise.all([RESERVE, SETTLE, LOAD, RECONCILE].map((lua) => redis.script('LOAD', lua)));
      front.healthy = true;
    } catch (e) {
      redis.disconnect();
      throw new Error(`cannot connect to Redis at ${redactUrl(opts.url)}: ${(e as Error).message}`, { cause: e });
    }
    // Keys left by an earlier run may be stale: correct them before buyers rely on them.
    void front.reconcileNow().catch((e) => front.noteError(e));
    const every = opts.reconcileEveryMs ?? 1000;
    if (every > 0) {
      front.timer = setInterval(() => front.periodic(), every);
      front.timer.unref();
    }
    return front;
  }

  stockKey(k: StockKey): string {
    return `${this.prefix}stock:{${k.locationId}}:${k.skuId}`;
  }
  seenKey(k: StockKey): string {
    return `${this.prefix}seen:{${k.locationId}}:${k.skuId}`;
  }
  private get registry(): string {
    return `${this.prefix}stock-keys`;
  }

  /** Take an order's units in Redis, all lines or none. */
  async admit(req: AdmissionRequest): Promise<Admission> {
    const skus: number[] = [];
    const qty: number[] = [];
    const lineOf: number[] = [];
    req.lines.forEach((l, i) => {
      const j = skus.indexOf(l.skuId);
      if (j >= 0) {
        qty[j]! += l.quantity;
      } else {
        skus.push(l.skuId);
        qty.push(l.quantity);
        lineOf.push(i);
      }
    });
    const keys = skus.map((skuId) => ({ locationId: req.locationId, skuId }));
    const redisKeys = keys.flatMap((k) => [this.stockKey(k), this.seenKey(k)]);
    const attempt = `${this.tag}${(this.seq++).toString(36)}`;
    const who = whoOf(req);
    const settle = (kept: boolean) => this.settle(redisKeys, attempt, who, kept);
    // A storm on a SKU new to this process would otherwise send every buyer to Redis twice
    // (missing, then again after the load).
    const unknown = keys.filter((k) => !this.known.has(idOf(k)));
    if (unknown.length > 0) {
      try {
        await this.ensureLoaded(unknown);
      } catch (e) {
        this.noteError(e);
        this.counters.passed++;
        return { kind: 'proceed', settle: noop };
      }
    }
    for (let round = 0; round < 2; round++) {
      let r: ReserveReply;
      try {
        const now = Date.now();
        r = await this.redis.linliReserve(redisKeys.length, ...redisKeys, attempt, who, now + this.admissionTtlMs, now, ...qty);
        this.healthy = true;
      } catch (e) {
        this.noteError(e);
        this.counters.passed++;
        // The script may have run and only its answer been lost: settling covers both cases.
        return { kind: 'proceed', settle };
      }
      if (r[0] === 'ok') {
        this.counters.admitted++;
        return { kind: 'proceed', settle };
      }
      if (r[0] === 'sold_out') {
        this.counters.soldOut++;
        return { kind: 'sold_out', line: lineOf[r[1] - 1]!, available: Math.max(0, r[2]) };
      }
      if (r[0] === 'seen' || round > 0) break;
      for (const k of keys) this.known.delete(idOf(k));
      try {
        await this.ensureLoaded(keys);
      } catch (e) {
        this.noteError(e);
        break;
      }
    }
    this.counters.passed++;
    return { kind: 'proceed', settle: noop };
  }

  private async settle(redisKeys: string[], attempt: string, who: string, kept: boolean): Promise<void> {
    try {
      await this.redis.linliSettle(redisKeys.length, ...redisKeys, attempt, who, kept ? 0 : 1, Date.now());
    } catch (e) {
      // The admission stays pending until reconciliation finds its order's hold or its deadline passes.
      this.noteError(e);
    }
  }

  /** The SKUs' stock changed in PostgreSQL (maybe in a transaction still open): reconcile them. */
  touch(keys: StockKey[]): void {
    for (const k of keys) this.dirty.set(idOf(k), { locationId: k.locationId, skuId: k.skuId });
    if (this.flushQueued || this.dirty.size === 0) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      const batch = [...this.dirty.values()];
      this.dirty.clear();
      void this.reconcileNow(batch).catch((e) => this.noteError(e));
    });
  }

  /**
   * Set Redis from PostgreSQL for `keys` (default: every key in Redis). Runs after the rounds
   * already queued. Answers how many keys were reconciled and by how many units they moved.
   */
  reconcileNow(keys?: StockKey[]): Promise<{ keys: number; adjustedUnits: number }> {
    const run = this.chain.then(async () => this.reconcile(keys ?? (await this.registered())));
    this.chain = run.catch(() => {});
    return run;
  }

  private periodic(): void {
    if (this.periodicRunning) return;
    this.periodicRunning = true;
    this.reconcileNow()
      .catch((e) => this.noteError(e))
      .finally(() => (this.periodicRunning = false));
  }

  private async registered(): Promise<StockKey[]> {
    const ids = await this.redis.smembers(this.registry);
    return ids.map((id) => {
      const [locationId, skuId] = id.split(':').map(Number);
      return { locationId: locationId!, skuId: skuId! };
    });
  }

  private async reconcile(keys: StockKey[]): Promise<{ keys: number; adjustedUnits: number }> {
    const out = { keys: 0, adjustedUnits: 0 };
    const exists = await Promise.all(keys.map((k) => this.redis.exists(this.stockKey(k))));
    const present = keys.filter((_, i) => exists[i] === 1);
    const gone = keys.filter((_, i) => exists[i] !== 1);
    if (gone.length) await this.redis.srem(this.registry, ...gone.map(idOf));
    for (let i = 0; i < present.length; i += CHUNK) {
      // First without waiting: rows a writer holds now are skipped and done one by one after,
      // each in a transaction holding that one lock only, so no wait can close a deadlock cycle.
      const chunk = present.slice(i, i + CHUNK);
      const done = await this.db.orm.transaction((tx) => this.reconcileLocked(tx, chunk, true));
      for (const k of chunk.filter((k) => !done.keys.has(idOf(k)))) {
        const one = await this.db.orm.transaction((tx) => this.reconcileLocked(tx, [k], false));
        out.keys += one.keys.size;
        out.adjustedUnits += one.adjustedUnits;
      }
      out.keys += done.keys.size;
      out.adjustedUnits += done.adjustedUnits;
    }
    this.counters.reconciled += out.keys;
    this.counters.adjustedUnits += out.adjustedUnits;
    return out;
  }

  private async reconcileLocked(tx: Tx, keys: StockKey[], skipLocked: boolean) {
    const levels = await this.repo.shareLevels(tx, keys, { skipLocked });
    const available = new Map(levels.map((l) => [idOf(l), l.onHand - l.reserved]));
    // Skipping hides locked rows, and a SKU without a row has none: only a wait tells them apart.
    const held = skipLocked ? keys.filter((k) => available.has(idOf(k))) : keys;
    const result = { keys: new Set<string>(), adjustedUnits: 0 };
    const hws = await Promise.all(held.map((k) => this.redis.hget(this.stockKey(k), 'hw')));
    // A key that vanished meanwhile is loaded afresh by its next buyer.
    const locked = held.filter((_, i) => hws[i] !== null);
    for (const k of held) if (!locked.includes(k)) result.keys.add(idOf(k));
    if (locked.length === 0) return result;
    const since = Math.min(...hws.filter((h) => h !== null).map(Number));
    const newest = await this.repo.maxHoldId(tx);
    const holders = await this.repo.holdersAfter(tx, locked, since);
    const now = Date.now();
    const replies = await Promise.all(
      locked.map((k) =>
        this.redis.linliReconcile(2, this.stockKey(k), this.seenKey(k), available.get(idOf(k)) ?? 0, newest, now, now - this.replayWindowMs, ...marks(holders, k)),
      ),
    );
    locked.forEach((k, i) => {
      result.keys.add(idOf(k));
      const r = replies[i];
      if (r) result.adjustedUnits += Math.abs(r[1] - r[0]);
    });
    return result;
  }

  /** Load missing keys from PostgreSQL; concurrent buyers of one SKU share one load. */
  private ensureLoaded(keys: StockKey[]): Promise<unknown> {
    return Promise.all(
      keys.map((k) => {
        const id = idOf(k);
        let p = this.loading.get(id);
        if (!p) {
          p = this.load(k).finally(() => this.loading.delete(id));
          this.loading.set(id, p);
        }
        return p;
      }),
    );
  }

  // One SKU per transaction: it waits for the row's lock while holding no other.
  private async load(k: StockKey): Promise<void> {
    await this.db.orm.transaction(async (tx) => {
      const [level] = await this.repo.shareLevels(tx, [k]);
      const newest = await this.repo.maxHoldId(tx);
      const holders = await this.repo.recentHolders(tx, [k], this.replayWindowMs);
      const available = level ? level.onHand - level.reserved : 0;
      await this.redis.linliLoad(2, this.stockKey(k), this.seenKey(k), available, newest, ...marks(holders, k));
    });
    await this.redis.sadd(this.registry, idOf(k));
    this.known.add(idOf(k));
    this.counters.loads++;
  }

  /** Units open for admission in Redis; null when the SKU is not loaded. */
  async available(k: StockKey): Promise<number | null> {
    const v = await this.redis.hget(this.stockKey(k), 'avail');
    return v === null ? null : Number(v);
  }

  stats(): StockFrontStats {
    return { ...this.counters };
  }

  private noteError(e: unknown): void {
    this.counters.errors++;
    this.lastError = e instanceof Error ? e : new Error(String(e));
    if (this.healthy) process.emitWarning(`Redis stock front: ${this.lastError.message}; checkout goes to PostgreSQL directly meanwhile`);
    this.healthy = false;
  }

  /** Stop reconciling and disconnect. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.chain;
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
