// Keeping the Redis front in step with PostgreSQL: loading a SKU that Redis does not have and
// reconciling the ones it has. Both read PostgreSQL while holding FOR SHARE on the stock rows,
// when nothing that moves those SKUs can commit, and then set Redis in one Lua call (the
// argument is in redis-front.ts and docs/stock.md).
import type { Redis } from 'ioredis';
import type { Database, Tx } from '../../db';
import type { StockKey } from './inventory.repo';
import { StockFrontRepo, type Holder } from './redis-front.repo';

type Arg = string | number;
export interface FrontCommands {
  linliReserve(numKeys: number, ...args: Arg[]): Promise<string[]>;
  linliSettle(numKeys: number, ...args: Arg[]): Promise<number>;
  linliLoad(numKeys: number, ...args: Arg[]): Promise<number>;
  linliReconcile(numKeys: number, ...args: Arg[]): Promise<[number, number] | null>;
}
export type FrontRedis = Redis & FrontCommands;

export const idOf = (k: StockKey) => `${k.locationId}:${k.skuId}`;
export const whoOf = (h: { buyerAccountId: number; idempotencyKey: string }) => `${h.buyerAccountId}:${h.idempotencyKey}`;

/** Key names, hash-tagged by location so all lines of an order share a cluster slot. */
export class FrontKeys {
  constructor(readonly prefix: string) {}
  stock(k: StockKey): string {
    return `${this.prefix}stock:{${k.locationId}}:${k.skuId}`;
  }
  seen(k: StockKey): string {
    return `${this.prefix}seen:{${k.locationId}}:${k.skuId}`;
  }
  /** Which SKUs are loaded, for the reconcile loop. */
  get registry(): string {
    return `${this.prefix}stock-keys`;
  }
}

export interface SyncCounters {
  loads: number;
  reconciled: number;
  adjustedUnits: number;
}

const marks = (holders: Holder[], k: StockKey) =>
  holders.filter((h) => h.locationId === k.locationId && h.skuId === k.skuId).flatMap((h) => [whoOf(h), Math.floor(h.atMs)]);
/** Keys reconciled together without waiting for locks. */
const CHUNK = 200;

export class StockSync {
  private readonly repo = new StockFrontRepo();
  private readonly loading = new Map<string, Promise<void>>();
  /** SKUs this process has found in Redis; the first buyers of any other wait for one load. */
  readonly known = new Set<string>();
  private readonly dirty = new Map<string, StockKey>();
  private flushQueued = false;
  private chain: Promise<unknown> = Promise.resolve();
  private periodicRunning = false;

  constructor(
    private readonly redis: FrontRedis,
    private readonly db: Database,
    private readonly keys: FrontKeys,
    private readonly o: { replayWindowMs: number; counters: SyncCounters; onError: (e: unknown) => void },
  ) {}

  /** Load the SKUs Redis does not have; concurrent buyers of one SKU share one load. */
  ensureLoaded(keys: StockKey[]): Promise<unknown> {
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
      const { newest, holders } = await this.repo.holders(tx, [k], { withinMs: this.o.replayWindowMs });
      const available = level ? level.onHand - level.reserved : 0;
      await Promise.all([
        this.redis.linliLoad(2, this.keys.stock(k), this.keys.seen(k), available, newest, ...marks(holders, k)),
        this.redis.sadd(this.keys.registry, idOf(k)),
      ]);
    });
    this.known.add(idOf(k));
    this.o.counters.loads++;
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
      void this.reconcileNow(batch).catch(this.o.onError);
    });
  }

  /** Reconcile `keys` (default: every loaded SKU) after the rounds already queued. */
  reconcileNow(keys?: StockKey[]): Promise<{ keys: number; adjustedUnits: number }> {
    const run = this.chain.then(async () => this.reconcile(keys ?? (await this.registered())));
    this.chain = run.catch(() => {});
    return run;
  }

  /** A round of the loop; skipped while the last one still runs. */
  periodic(): void {
    if (this.periodicRunning) return;
    this.periodicRunning = true;
    this.reconcileNow()
      .catch(this.o.onError)
      .finally(() => (this.periodicRunning = false));
  }

  /** Resolves when the rounds queued so far are done. */
  idle(): Promise<unknown> {
    return this.chain;
  }

  private async registered(): Promise<StockKey[]> {
    const ids = await this.redis.smembers(this.keys.registry);
    return ids.map((id) => {
      const [locationId, skuId] = id.split(':').map(Number);
      return { locationId: locationId!, skuId: skuId! };
    });
  }

  private async reconcile(keys: StockKey[]): Promise<{ keys: number; adjustedUnits: number }> {
    const out = { keys: 0, adjustedUnits: 0 };
    const exists = await Promise.all(keys.map((k) => this.redis.exists(this.keys.stock(k))));
    const present = keys.filter((_, i) => exists[i] === 1);
    const gone = keys.filter((_, i) => exists[i] !== 1);
    if (gone.length) await this.redis.srem(this.keys.registry, ...gone.map(idOf));
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
    this.o.counters.reconciled += out.keys;
    this.o.counters.adjustedUnits += out.adjustedUnits;
    return out;
  }

  private async reconcileLocked(tx: Tx, keys: StockKey[], skipLocked: boolean) {
    const levels = await this.repo.shareLevels(tx, keys, { skipLocked });
    const available = new Map(levels.map((l) => [idOf(l), l.onHand - l.reserved]));
    // Skipping hides locked rows, and a SKU without a row has none: only a wait tells them apart.
    const held = skipLocked ? keys.filter((k) => available.has(idOf(k))) : keys;
    const result = { keys: new Set<string>(), adjustedUnits: 0 };
    const hws = await Promise.all(held.map((k) => this.redis.hget(this.keys.stock(k), 'hw')));
    // A key that vanished meanwhile is loaded afresh by its next buyer.
    const locked = held.filter((_, i) => hws[i] !== null);
    for (const k of held) if (!locked.includes(k)) result.keys.add(idOf(k));
    if (locked.length === 0) return result;
    const since = Math.min(...hws.filter((h) => h !== null).map(Number));
    const { newest, holders } = await this.repo.holders(tx, locked, { afterHoldId: since });
    const now = Date.now();
    const trimBefore = now - this.o.replayWindowMs;
    const replies = await Promise.all(
      locked.map((k) =>
        this.redis.linliReconcile(2, this.keys.stock(k), this.keys.seen(k), available.get(idOf(k)) ?? 0, newest, now, trimBefore, ...marks(holders, k)),
      ),
    );
    locked.forEach((k, i) => {
      result.keys.add(idOf(k));
      const r = replies[i];
      if (r) result.adjustedUnits += Math.abs(r[1] - r[0]);
    });
    return result;
  }
}
