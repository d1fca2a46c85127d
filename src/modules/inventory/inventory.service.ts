// Stock per location. Reads and operator changes (receipts, counts) live here; the reservation
// steps of checkout take the caller's transaction, because they must commit together with the
// order they hold stock for (see src/flows/checkout).
import type { Database, Executor } from '../../db';
import { badInput, conflict, DomainError, notFound } from '../../kernel';
import { InventoryRepo, type CounterKey, type LocationOwner, type LevelRow, type NewHold, type StockDelta, type StockKey } from './inventory.repo';

export class InventoryService {
  readonly repo = new InventoryRepo();
  // Locations never move or disappear, so their ids are cached for the life of the process.
  private readonly warehouseLocations = new Map<number, number>();
  private readonly storeLocations = new Map<number, number>();
  private readonly campaignLocations = new Map<number, number>();
  private readonly stockListeners: ((keys: StockKey[]) => void)[] = [];

  constructor(private readonly db: Database) {}

  /**
   * Called when units become available or stop being so outside checkout (release, receipt,
   * count, restock), right after the row was written, possibly before its transaction commits:
   * a listener that reads the row under a lock sees the outcome. The Redis front uses it.
   */
  onStockChanged(listener: (keys: StockKey[]) => void): void {
    this.stockListeners.push(listener);
  }

  private stockChanged(keys: StockKey[]): void {
    if (keys.length === 0) return;
    for (const l of this.stockListeners) l(keys.map((k) => ({ locationId: k.locationId, skuId: k.skuId })));
  }

  /** The stock location of a warehouse, created on first use. */
  async locationOfWarehouse(warehouseId: number, db: Executor = this.db.orm): Promise<number> {
    return this.cachedLocation(this.warehouseLocations, warehouseId, { warehouseId }, db);
  }

  async locationOfStore(storeId: number, db: Executor = this.db.orm): Promise<number> {
    return this.cachedLocation(this.storeLocations, storeId, { storeId }, db);
  }

  /**
   * A group-buy campaign's own stock location, created on first use: publishing receives the
   * campaign's stock there and its orders reserve against it. Create it outside a transaction
   * that may roll back: the id is cached for the life of the process.
   */
  async locationOfCampaign(campaignId: number, db: Executor = this.db.orm): Promise<number> {
    return this.cachedLocation(this.campaignLocations, campaignId, { campaignId }, db);
  }

  private async cachedLocation(
    cache: Map<number, number>,
    id: number,
    by: LocationOwner,
    db: Executor,
  ): Promise<number> {
    const hit = cache.get(id);
    if (hit !== undefined) return hit;
    let loc = await this.repo.findLocation(db, by);
    if (loc === null) {
      await this.repo.insertLocation(db, by);
      loc = await this.repo.findLocation(db, by);
    }
    if (loc === null) throw notFound('stock location');
    cache.set(id, loc);
    return loc;
  }

  /** Goods arrive (a delivery, a transfer in): on_hand rises. */
  async receive(input: StockDelta & { actorId?: number | null; refType?: string; refId?: number }, db: Executor = this.db.orm): Promise<LevelRow> {
    if (!Number.isInteger(input.quantity) || input.quantity <= 0) throw badInput('quantity', 'quantity must be a positive whole number');
    const run = async (tx: Executor) => {
      const level = await this.repo.addOnHand(tx, input);
      await this.repo.insertMovements(tx, [
        { locationId: input.locationId, skuId: input.skuId, delta: input.quantity, reason: 'receipt', refType: input.refType, refId: input.refId, actorId: input.actorId ?? null },
      ]);
      return level;
    };
    const level = await (db === this.db.orm ? this.db.orm.transaction(run) : run(db));
    this.stockChanged([input]);
    return level;
  }

  /** A stock count: on_hand becomes what was counted. Units held for unpaid orders cannot be counted away. */
  async count(input: StockKey & { counted: number; actorId?: number | null }): Promise<LevelRow> {
    if (!Number.isInteger(input.counted) || input.counted < 0) throw badInput('counted', 'counted must be a whole number ≥ 0');
    const level = await this.db.orm.transaction(async (tx) => {
      const [row] = await this.repo.lockLevels(tx, [input]);
      const current = row ?? { ...input, onHand: 0, reserved: 0 };
      if (input.counted < current.reserved) {
        throw conflict(`${current.reserved} units are held for unpaid orders; the count cannot be below that`, 'counted');
      }
      const delta = input.counted - current.onHand;
      if (delta === 0) return current;
      const level = await this.repo.addOnHand(tx, { ...input, quantity: delta });
      await this.repo.insertMovements(tx, [{ locationId: input.locationId, skuId: input.skuId, delta, reason: 'adjustment', actorId: input.actorId ?? null }]);
      return level;
    });
    this.stockChanged([input]);
    return level;
  }

  /**
   * Move available units between locations (a live session's allotment from the central
   * warehouse, a flash sale's units, leftovers going back), in the caller's transaction. Rows
   * are locked in key order; a move that finds fewer available units than asked is refused
   * with a 409 naming `field` (per move), and nothing of the call is kept by the caller's rollback.
   */
  async transfer(
    tx: Executor,
    moves: { fromLocationId: number; toLocationId: number; skuId: number; quantity: number; field?: string }[],
    ref: { refType: string; refId: number; actorId?: number | null },
  ): Promise<void> {
    const real = moves.filter((m) => m.quantity > 0);
    if (real.length === 0) return;
    for (const m of real) if (!Number.isInteger(m.quantity)) throw badInput(m.field ?? 'quantity', 'quantity must be a whole number');
    const keys = real.flatMap((m) => [
      { locationId: m.fromLocationId, skuId: m.skuId },
      { locationId: m.toLocationId, skuId: m.skuId },
    ]);
    const locked = new Map((await this.repo.lockLevels(tx, keys)).map((r) => [`${r.locationId}:${r.skuId}`, r.onHand - r.reserved]));
    for (const m of real) {
      const left = locked.get(`${m.fromLocationId}:${m.skuId}`) ?? 0;
      if (left < m.quantity) {
        throw new DomainError('conflict', left <= 0 ? `SKU ${m.skuId} has no units available to move` : `only ${left} units of SKU ${m.skuId} are available`, {
          field: m.field ?? 'quantity',
          details: { reason: 'not_enough_stock', skuId: m.skuId, available: Math.max(0, left) },
        });
      }
      locked.set(`${m.fromLocationId}:${m.skuId}`, left - m.quantity);
    }
    // One row update per source key: two moves from the same row are summed first.
    const takes = new Map<string, StockDelta>();
    for (const m of real) {
      const k = `${m.fromLocationId}:${m.skuId}`;
      const t = takes.get(k) ?? { locationId: m.fromLocationId, skuId: m.skuId, quantity: 0 };
      t.quantity += m.quantity;
      takes.set(k, t);
    }
    const taken = await this.repo.takeAvailable(tx, [...takes.values()]);
    if (taken.length !== takes.size) throw conflict('stock changed under a locked transfer; retry');
    for (const m of [...real].sort((a, b) => a.toLocationId - b.toLocationId || a.skuId - b.skuId)) {
      await this.repo.addOnHand(tx, { locationId: m.toLocationId, skuId: m.skuId, quantity: m.quantity });
    }
    await this.repo.insertMovements(
      tx,
      real.flatMap((m) => [
        { locationId: m.fromLocationId, skuId: m.skuId, delta: -m.quantity, reason: 'transfer' as const, refType: ref.refType, refId: ref.refId, actorId: ref.actorId ?? null },
        { locationId: m.toLocationId, skuId: m.skuId, delta: m.quantity, reason: 'transfer' as const, refType: ref.refType, refId: ref.refId, actorId: ref.actorId ?? null },
      ]),
    );
    this.stockChanged(keys);
  }

  async level(key: StockKey): Promise<{ onHand: number; reserved: number; available: number }> {
    const row = await this.repo.level(this.db.orm, key);
    const onHand = row?.onHand ?? 0;
    const reserved = row?.reserved ?? 0;
    return { onHand, reserved, available: onHand - reserved };
  }

  async levelsAt(locationId: number, opts: { afterSkuId?: number; limit?: number } = {}) {
    const rows = await this.repo.levelsAt(this.db.orm, locationId, opts.afterSkuId ?? 0, opts.limit ?? 50);
    return rows.map((r) => ({ ...r, available: r.onHand - r.reserved }));
  }

  // ── Steps of checkout and payment; they run inside the caller's transaction ──

  lockLevels(tx: Executor, keys: StockKey[]) {
    return this.repo.lockLevels(tx, keys);
  }
  reserve(tx: Executor, deltas: StockDelta[]) {
    return this.repo.reserve(tx, deltas);
  }
  insertHolds(tx: Executor, holds: NewHold[]) {
    return this.repo.insertHolds(tx, holds);
  }
  lockCounters(tx: Executor, keys: CounterKey[]) {
    return this.repo.lockCounters(tx, keys);
  }
  addToCounters(tx: Executor, deltas: (CounterKey & { quantity: number })[]) {
    return this.repo.addToCounters(tx, deltas);
  }

  /** Payment arrived: the held units leave stock for good. */
  async commitHolds(tx: Executor, orderId: number): Promise<StockDelta[]> {
    const settled = await this.repo.settleHolds(tx, [orderId], 'committed');
    await this.repo.insertMovements(
      tx,
      settled.map((s) => ({ ...s, delta: -s.quantity, reason: 'sale' as const, refType: 'order', refId: orderId })),
    );
    return settled;
  }

  /** Cancelled or expired: the held units are for sale again. */
  async releaseHolds(tx: Executor, orderIds: number[]): Promise<StockDelta[]> {
    const released = await this.repo.settleHolds(tx, orderIds, 'released');
    this.stockChanged(released);
    return released;
  }

  /** Goods that never left (refund before hand-over) go back on the shelf. */
  async restock(tx: Executor, orderId: number, deltas: StockDelta[]): Promise<void> {
    for (const d of [...deltas].sort((a, b) => a.locationId - b.locationId || a.skuId - b.skuId)) {
      await this.repo.addOnHand(tx, d);
    }
    await this.repo.insertMovements(tx, deltas.map((d) => ({ ...d, delta: d.quantity, reason: 'return' as const, refType: 'order', refId: orderId })));
    this.stockChanged(deltas);
  }

  holdsOf(orderId: number) {
    return this.repo.holdsOf(this.db.orm, orderId);
  }

  totals() {
    return this.repo.totals(this.db.orm);
  }
}
