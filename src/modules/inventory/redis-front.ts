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
//   Redis can only be wrong towards too many, except after a lost write (a give-back Redis
//   did not take is retried each second; a dead process's admissions expire after 60 s).
// - A retry of a placed order must get its first answer, even once sold out. The `seen` set
//   holds the (buyer, key) of orders on the SKU: loaded from PostgreSQL with the stock, added
//   at admission, kept in step by reconciliation. A key found there goes to PostgreSQL.
// - Redis down or slow: checkout goes straight to PostgreSQL (correct, just not shielded).
// Admissions asked for in the same turn of the event loop share one script call, so a storm
// costs Redis and this process one command per batch rather than one per buyer.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { redactUrl, type Database } from '../../db';
import type { StockKey } from './inventory.repo';
import { LOAD, RECONCILE, RESERVE, SETTLE } from './redis-front.lua';
import { FrontKeys, StockSync, idOf, whoOf, type FrontRedis } from './redis-front.sync';

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

type Reply = { kind: 'ok' } | { kind: 'missing' | 'seen'; line: number } | { kind: 'sold_out'; line: number; avail: number };
interface Pending {
  keys: StockKey[];
  qty: number[];
  attempt: string;
  who: string;
  deadline: number;
  resolve(r: Reply): void;
  reject(e: unknown): void;
}

const noop = async () => {};
/** Admissions sent in one script call at most: bounds how long one call holds Redis (~ms). */
const MAX_BATCH = 500;

export class RedisStockFront implements StockFront {
  private readonly keys: FrontKeys;
  private readonly sync: StockSync;
  private readonly admissionTtlMs: number;
  private readonly tag = randomBytes(4).toString('hex');
  private seq = 0;
  private queue: Pending[] = [];
  /** Settles Redis did not take (a blip): retried every reconcile tick; settling twice changes nothing. */
  private unsettled: { keys: StockKey[]; attempt: string; who: string; kept: boolean }[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Warn when Redis stops answering, once per outage, and not while still connecting. */
  private healthy = false;
  private readonly counters: StockFrontStats = { admitted: 0, soldOut: 0, passed: 0, loads: 0, reconciled: 0, adjustedUnits: 0, errors: 0 };
  lastError: Error | null = null;

  private constructor(
    private readonly redis: FrontRedis,
    db: Database,
    opts: StockFrontOptions,
  ) {
    this.keys = new FrontKeys(opts.prefix ?? 'linli:');
    this.admissionTtlMs = opts.admissionTtlMs ?? 60_000;
    this.sync = new StockSync(redis, db, this.keys, {
      replayWindowMs: opts.replayWindowMs ?? 3600_000,
      counters: this.counters,
      onError: (e) => this.noteError(e),
    });
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
      enableAutoPipelining: true,
    });
    redis.defineCommand('linliReserve', { lua: RESERVE });
    redis.defineCommand('linliSettle', { lua: SETTLE });
    redis.defineCommand('linliLoad', { lua: LOAD });
    redis.defineCommand('linliReconcile', { lua: RECONCILE });
    const front = new RedisStockFront(redis as FrontRedis, opts.db, opts);
    redis.on('error', (e: Error) => front.noteError(e));
    try {
      await redis.connect();
      front.healthy = true;
    } catch (e) {
      redis.disconnect();
      throw new Error(`cannot connect to Redis at ${redactUrl(opts.url)}: ${(e as Error).message}`, { cause: e });
    }
    // Keys left by an earlier run may be stale: correct them before buyers rely on them.
    void front.reconcileNow().catch((e) => front.noteError(e));
    const every = opts.reconcileEveryMs ?? 1000;
    if (every > 0) {
      front.timer = setInterval(() => {
        front.retrySettles();
        front.sync.periodic();
      }, every);
      front.timer.unref();
    }
    return front;
  }

  stockKey(k: StockKey): string {
    return this.keys.stock(k);
  }
  seenKey(k: StockKey): string {
    return this.keys.seen(k);
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
    const attempt = `${this.tag}${(this.seq++).toString(36)}`;
    const who = whoOf(req);
    const settle = (kept: boolean) => this.settle(keys, attempt, who, kept);
    try {
      // A storm on a SKU new to this process would otherwise send every buyer to Redis twice.
      const unknown = keys.filter((k) => !this.sync.known.has(idOf(k)));
      if (unknown.length > 0) await this.sync.ensureLoaded(unknown);
      for (let round = 0; ; round++) {
        const r = await this.reserve({ keys, qty, attempt, who, deadline: Date.now() + this.admissionTtlMs });
        this.healthy = true;
        if (r.kind === 'ok') {
          this.counters.admitted++;
          return { kind: 'proceed', settle };
        }
        if (r.kind === 'sold_out') {
          this.counters.soldOut++;
          return { kind: 'sold_out', line: lineOf[r.line - 1]!, available: Math.max(0, r.avail) };
        }
        // Seen: maybe a retry, PostgreSQL answers it. Missing twice: Redis keeps losing keys.
        if (r.kind === 'seen' || round > 0) break;
        for (const k of keys) this.sync.known.delete(idOf(k));
        await this.sync.ensureLoaded(keys);
      }
    } catch (e) {
      this.noteError(e);
      this.counters.passed++;
      // The script may have run and only its answer been lost: settling covers both cases.
      return { kind: 'proceed', settle };
    }
    this.counters.passed++;
    return { kind: 'proceed', settle: noop };
  }

  // Admissions asked for in the same turn of the event loop go to Redis in one script call: a
  // storm costs one command per batch, not per buyer.
  private reserve(p: Omit<Pending, 'resolve' | 'reject'>): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      this.queue.push({ ...p, resolve, reject });
      if (this.queue.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const all = this.queue;
    this.queue = [];
    for (let i = 0; i < all.length; i += MAX_BATCH) void this.send(all.slice(i, i + MAX_BATCH));
  }

  private async send(batch: Pending[]): Promise<void> {
    const pairOf = new Map<string, number>();
    const keys: string[] = [];
    const orders = batch.map((p) => {
      const lines = p.keys.map((k, i) => {
        const id = idOf(k);
        let pair = pairOf.get(id);
        if (pair === undefined) {
          keys.push(this.keys.stock(k), this.keys.seen(k));
          pair = keys.length / 2;
          pairOf.set(id, pair);
        }
        return `${pair}:${p.qty[i]}`;
      });
      return `${p.attempt}|${p.deadline}|${lines.join(',')}|${p.who}`;
    });
    try {
      const replies = await this.redis.linliReserve(keys.length, ...keys, Date.now(), ...orders);
      batch.forEach((p, i) => {
        const [kind, line, avail] = (replies[i] ?? '').split(' ');
        if (kind === 'ok') p.resolve({ kind });
        else if (kind === 'sold_out') p.resolve({ kind, line: Number(line), avail: Number(avail) });
        else if (kind === 'missing' || kind === 'seen') p.resolve({ kind, line: Number(line) });
        else p.reject(new Error(`unexpected answer from the reserve script: ${replies[i]}`));
      });
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
  }

  private async settle(keys: StockKey[], attempt: string, who: string, kept: boolean): Promise<void> {
    try {
      await this.redis.linliSettle(keys.length * 2, ...keys.flatMap((k) => [this.keys.stock(k), this.keys.seen(k)]), attempt, who, kept ? 0 : 1, Date.now());
    } catch (e) {
      // Until a retry lands, the admission stays pending: reconciliation settles it when its
      // order's hold shows up, or gives it back at its deadline if this process dies.
      this.noteError(e);
      if (this.unsettled.length < 100_000) this.unsettled.push({ keys, attempt, who, kept });
    }
  }

  private retrySettles(): void {
    const again = this.unsettled;
    this.unsettled = [];
    for (const u of again) void this.settle(u.keys, u.attempt, u.who, u.kept);
  }

  /** The SKUs' stock changed in PostgreSQL (maybe in a transaction still open): reconcile them. */
  touch(keys: StockKey[]): void {
    this.sync.touch(keys);
  }

  /**
   * Set Redis from PostgreSQL for `keys` (default: every key in Redis). Runs after the rounds
   * already queued. Answers how many keys were reconciled and by how many units they moved.
   */
  reconcileNow(keys?: StockKey[]): Promise<{ keys: number; adjustedUnits: number }> {
    return this.sync.reconcileNow(keys);
  }

  /** Units open for admission in Redis; null when the SKU is not loaded. */
  async available(k: StockKey): Promise<number | null> {
    const v = await this.redis.hget(this.keys.stock(k), 'avail');
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
    await this.sync.idle();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
