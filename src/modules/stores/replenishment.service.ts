// Replenishment reads (进货): the wholesale catalogue a store buys from, its suggested order,
// and the delivery days and receipts of its replenishment orders. Placing and receiving an
// order move stock and money, so they live in src/flows/stores/replenishment.ts.
import type { Database, Executor } from '../../db';
import { badInput, decodeCursor, encodeCursor, forbidden, notFound, type Clock, type Page } from '../../kernel';
import { isOperator, requireActor, type Actor } from '../people';
import { ReplenishmentRepo, type StoreAccess, type SuggestionRow, type WholesaleItem, type WholesaleOffer } from './replenishment.repo';

/** The suggestion's knobs (docs/stores.md, "Suggestions"). */
export const REPLENISHMENT_POLICY = {
  /** Days of cover wanted by default. */
  targetDays: 7,
  /** From order to shelf: the order travels with the next day's wave. */
  leadDays: 1,
  /** Velocity is measured over this many days. */
  windowDays: 14,
  /** Pickup points and stores this close count as the neighbourhood. */
  neighbourhoodRadiusM: 2_000,
  /** At most this many neighbourhood lines. */
  neighbourhoodLines: 20,
} as const;

export interface SuggestionLine {
  skuId: number;
  title: string;
  spec: string;
  unit: string;
  reason: 'low_stock' | 'neighbourhood';
  onHand: number;
  onOrder: number;
  velocityPerDay: number;
  suggested: number;
  wholesalePriceFen: number;
  caseSize: number;
}

/** China Standard Time calendar day (UTC+8, no DST). */
function chinaDay(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export class ReplenishmentService {
  readonly repo = new ReplenishmentRepo();

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /**
   * The store, if `actor` may act for it: its owner, its clerks (unless `ownerOnly`) or an
   * operator. 404 for a store that does not exist, 403 for someone else's.
   */
  async access(actor: Actor | null, storeId: number, opts: { ownerOnly?: boolean } = {}, db: Executor = this.db.orm): Promise<StoreAccess> {
    const a = requireActor(actor);
    const store = await this.repo.storeAccess(db, storeId, a.accountId);
    if (!store) throw notFound('store', storeId);
    if (store.ownerAccountId === a.accountId) return store;
    if (opts.ownerOnly) throw forbidden('only the store’s owner may do this');
    if (store.isClerk || isOperator(a)) return store;
    throw forbidden('only this store’s owner, clerks or an operator');
  }

  /** Checkout's price list for a replenishment order: the region's wholesale offers of these SKUs. */
  async wholesaleOffers(regionId: number, skuIds: number[]): Promise<Map<number, WholesaleOffer>> {
    const rows = await this.repo.wholesaleOffers(this.db.orm, regionId, skuIds);
    return new Map(rows.map((r) => [r.skuId, r]));
  }

  /** GET /api/stores/:id/wholesale: the region's wholesale catalogue, by SKU id. */
  async catalogue(actor: Actor | null, storeId: number, q: { cursor?: string | undefined; q?: string | undefined; limit: number }): Promise<Page<WholesaleItem>> {
    const store = await this.access(actor, storeId);
    const afterSkuId = decodeCursor(q.cursor);
    const text = q.q?.trim() ? q.q.trim().slice(0, 64) : null;
    const rows = await this.repo.wholesalePage(this.db.orm, { regionId: store.regionId, q: text, afterSkuId, limit: q.limit + 1 });
    const items = rows.slice(0, q.limit).map(({ id: _id, ...item }) => item);
    return { items, nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1]!.skuId) : null };
  }

  /**
   * The suggested order: the store's own SKUs running short for `targetDays` of cover plus the
   * lead time, then what sells nearby that the store does not stock.
   */
  async suggestions(actor: Actor | null, storeId: number, q: { targetDays?: number | undefined } = {}): Promise<{ lines: SuggestionLine[]; targetDays: number }> {
    const store = await this.access(actor, storeId);
    const targetDays = q.targetDays ?? REPLENISHMENT_POLICY.targetDays;
    if (!Number.isInteger(targetDays) || targetDays < 1 || targetDays > 60) throw badInput('targetDays', 'targetDays must be a whole number from 1 to 60');
    const { windowDays, leadDays } = REPLENISHMENT_POLICY;
    const since = new Date(this.clock.now().getTime() - windowDays * 86_400_000);
    const locationId = await this.repo.storeLocation(this.db.orm, storeId);
    const own = await this.repo.lowStock(this.db.orm, { storeId, regionId: store.regionId, locationId, since, windowDays, coverDays: targetDays + leadDays });
    const near = await this.repo.neighbourhood(this.db.orm, {
      storeId,
      regionId: store.regionId,
      locationId,
      lat: store.lat,
      lng: store.lng,
      radiusM: REPLENISHMENT_POLICY.neighbourhoodRadiusM,
      since,
      limit: REPLENISHMENT_POLICY.neighbourhoodLines,
    });
    const line = (r: SuggestionRow, reason: SuggestionLine['reason']): SuggestionLine => ({
      skuId: r.skuId,
      title: r.title,
      spec: r.spec,
      unit: r.unit,
      reason,
      onHand: r.onHand,
      onOrder: r.onOrder,
      velocityPerDay: Math.round((r.units / windowDays) * 100) / 100,
      suggested: r.suggested,
      wholesalePriceFen: r.wholesalePriceFen,
      caseSize: r.caseSize,
    });
    return { lines: [...own.map((r) => line(r, 'low_stock')), ...near.map((r) => line(r, 'neighbourhood'))], targetDays };
  }

  /** The day an order placed now travels with its region's wave (see the repo). */
  async nextDeliveryDate(regionId: number, db: Executor = this.db.orm): Promise<string> {
    return this.repo.nextDeliveryDate(db, regionId, chinaDay(this.clock.now()));
  }
}
