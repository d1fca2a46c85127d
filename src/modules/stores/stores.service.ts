// Neighbourhood stores (夫妻店) on top of the place module's stores: owners' applications (the
// approval that opens the store is a flow, src/flows/stores/onboarding.ts), who works where,
// the till's barcode look-up, today's takings, and the residents' storefront (stores that
// deliver to a point, a store's shelf). Reads only, apart from the application records.
import type { Database, Executor } from '../../db';
import { DomainError, conflict, decodeCursor, encodeCursor, forbidden, notFound, systemClock, toPage, type Clock, type Page } from '../../kernel';
import type { CatalogService } from '../catalog';
import type { InventoryService } from '../inventory';
import type { OrdersService, OrderView } from '../orders';
import { isOperator, requireActor, requireRole, type Actor } from '../people';
import { distanceM, type PlaceService, type Store } from '../place';
import { badgeOf, byDistanceThenTrust, type TrustBadge, type TrustReader } from '../trust';
import { StoresRepo } from './stores.repo';
import { checkStoreApplication, chinaDayStart, isOpenAt } from './stores.rules';
import type { StoreApplicationStatus, StoreMode } from './stores.schema';
import { toApplication, type NewStoreApplication, type ShelfItem, type StoreApplication, type StoreApplicationRow } from './stores.types';

export interface StoresDeps {
  db: Database;
  clock?: Clock;
  place: PlaceService;
  catalog: CatalogService;
  inventory: InventoryService;
  orders: OrdersService;
  /** Stores' trust scores: shown on the storefront and used to rank it. */
  trust?: TrustReader | undefined;
}

export interface StorefrontStore {
  store: Store;
  distanceM: number;
  openNow: boolean;
  modes: StoreMode[];
  /** The store's trust score with its parts (docs/insights.md), null before its first computation. */
  trust: TrustBadge | null;
}

/** How far around a resident to look for stores: no store delivers further than 10 km. */
const STOREFRONT_SEARCH_M = 10_000;
const STOREFRONT_MAX = 50;

function isUniqueViolation(e: unknown): boolean {
  const c = (e as { code?: string; cause?: { code?: string } }).cause?.code ?? (e as { code?: string }).code;
  return c === '23505';
}

export class StoresService {
  readonly repo = new StoresRepo();
  private readonly db: Database;
  private readonly clock: Clock;

  constructor(private readonly d: StoresDeps) {
    this.db = d.db;
    this.clock = d.clock ?? systemClock;
  }

  // ── applications ─────────────────────────────────────────────────────────
  /** Any signed-in account, one pending application at a time. */
  async apply(actor: Actor | null, input: NewStoreApplication): Promise<StoreApplication> {
    const a = requireActor(actor);
    const v = checkStoreApplication(input);
    await this.d.place.areas.getCommunity(v.communityId).catch((e: unknown) => {
      if (e instanceof DomainError && e.kind === 'not_found') throw new DomainError('bad_input', `community ${v.communityId} does not exist`, { field: 'communityId' });
      throw e;
    });
    if (await this.repo.pendingOf(this.db.orm, a.accountId)) throw conflict('you already have a store application waiting for a decision');
    try {
      const row = await this.repo.insertApplication(this.db.orm, {
        accountId: a.accountId,
        storeName: v.storeName,
        licenceNumber: v.licenceNumber,
        address: v.address,
        communityId: v.communityId,
        lat: v.lat,
        lng: v.lng,
        opensAt: v.opensAt,
        closesAt: v.closesAt,
        deliveryRadiusM: v.deliveryRadiusM,
        modes: v.modes,
        ownerName: v.owner?.name ?? null,
        idCardHash: v.owner?.idCard.hash ?? null,
        idCardLast4: v.owner?.idCard.last4 ?? null,
      });
      return toApplication(row);
    } catch (e) {
      // Two submissions racing: the partial unique index lets one through.
      if (isUniqueViolation(e)) throw conflict('you already have a store application waiting for a decision');
      throw e;
    }
  }

  async mine(actor: Actor | null): Promise<StoreApplication | null> {
    const row = await this.repo.latestOf(this.db.orm, requireActor(actor).accountId);
    return row ? toApplication(row) : null;
  }

  async listApplications(actor: Actor | null, q: { status?: StoreApplicationStatus | undefined; cursor?: string | undefined; limit: number }): Promise<Page<StoreApplication>> {
    requireRole(actor, 'operator');
    const rows = await this.repo.listApplications(this.db.orm, { status: q.status, afterId: decodeCursor(q.cursor), limit: q.limit });
    const page = toPage(rows, q.limit);
    return { items: page.items.map(toApplication), nextCursor: page.nextCursor };
  }

  /** The full row, hash included: for the approval flow only. */
  async applicationRow(id: number): Promise<StoreApplicationRow> {
    const row = await this.repo.findApplication(this.db.orm, id);
    if (!row) throw notFound('store application', id);
    return row;
  }

  async reject(actor: Actor | null, id: number, reason: string): Promise<StoreApplication> {
    const op = requireRole(actor, 'operator');
    await this.applicationRow(id);
    const decided = await this.repo.decide(this.db.orm, id, { status: 'rejected', reason, decidedBy: op.accountId, decidedAt: this.clock.now(), storeId: null, pickupPointId: null });
    if (!decided) throw conflict('this application has already been decided');
    return toApplication(decided);
  }

  /** The store-side half of an approval, in one transaction: approved with its store, profile written. */
  async recordApproval(d: { application: StoreApplicationRow; storeId: number; pickupPointId: number | null; decidedBy: number }): Promise<StoreApplication> {
    return this.db.orm.transaction(async (tx) => {
      const row = await this.repo.decide(tx, d.application.id, {
        status: 'approved',
        reason: null,
        decidedBy: d.decidedBy,
        decidedAt: this.clock.now(),
        storeId: d.storeId,
        pickupPointId: d.pickupPointId,
      });
      if (!row) throw conflict('this application has already been decided');
      await this.repo.insertProfile(tx, { storeId: d.storeId, applicationId: row.id, licenceNumber: row.licenceNumber, modes: row.modes });
      return toApplication(row);
    });
  }

  // ── who works where ──────────────────────────────────────────────────────
  /** The stores the caller owns or clerks at. */
  async myStores(actor: Actor | null): Promise<Store[]> {
    const a = requireRole(actor, 'store_owner', 'store_clerk');
    const ids = await this.repo.storeIdsOf(this.db.orm, a.accountId);
    return Promise.all(ids.map((id) => this.d.place.stores.get(id)));
  }

  /** Does `accountId` own or clerk at this store? */
  async isStaff(store: Store, accountId: number, db: Executor = this.db.orm): Promise<boolean> {
    return store.ownerAccountId === accountId || this.repo.isClerk(db, store.id, accountId);
  }

  /**
   * The store, if the caller is its owner or clerk (or, with `operators`, an operator); a 404
   * for anyone else, so store ids are not probed through the staff screens.
   */
  async requireStaff(actor: Actor | null, storeId: number, opts: { operators?: boolean } = {}): Promise<Store> {
    const a = requireActor(actor);
    const store = await this.d.place.stores.get(storeId).catch(() => null);
    if (!store) throw notFound('store', storeId);
    if (opts.operators && isOperator(a)) return store;
    if (!(await this.isStaff(store, a.accountId))) {
      if (isOperator(a)) throw forbidden('only this store’s owner and clerks use its till');
      throw notFound('store', storeId);
    }
    return store;
  }

  // ── the till ─────────────────────────────────────────────────────────────
  /** A scanned barcode at this store: the region's price and the units left at the store. */
  async lookup(actor: Actor | null, storeId: number, barcode: string) {
    const store = await this.requireStaff(actor, storeId);
    const sku = await this.d.catalog.skuByBarcode(barcode);
    const offer = (await this.d.catalog.regionOffers(store.regionId, [sku.id])).get(sku.id);
    if (!offer) throw notFound('SKU on sale at this store with barcode', barcode);
    const locationId = await this.d.inventory.locationOfStore(store.id);
    const [level, imageUrl] = await Promise.all([this.d.inventory.level({ locationId, skuId: sku.id }), this.repo.imageOf(this.db.orm, sku.id)]);
    return { skuId: sku.id, title: offer.title, spec: offer.spec, unit: offer.unit, priceFen: offer.priceFen, available: level.available, imageUrl };
  }

  /** Today's (China day) paid takings by channel, net of refunds, and the latest orders, for the till's header. */
  async salesToday(actor: Actor | null, storeId: number) {
    const store = await this.requireStaff(actor, storeId, { operators: true });
    const since = chinaDayStart(this.clock.now());
    const [t, ids] = await Promise.all([this.repo.takingsSince(this.db.orm, store.id, since), this.repo.latestOrderIds(this.db.orm, store.id, since, 10)]);
    const last: OrderView[] = [];
    for (const id of ids) last.push(await this.d.orders.view(id));
    return { orders: t.orders, itemsFen: t.fen, byChannel: { counter: t.counterFen, online: t.onlineFen }, refundsFen: t.refundsFen, last };
  }

  // ── storefront ───────────────────────────────────────────────────────────
  /**
   * Stores whose delivery radius covers the point, open ones first, then by 200 m distance band,
   * trust and distance (src/modules/trust/ranking.ts). The geo
   * index answers the candidates within 10 km (the largest radius a store may have); each is
   * kept when the point lies within its own radius.
   */
  async storesFor(actor: Actor | null, point: { lat: number; lng: number }): Promise<StorefrontStore[]> {
    requireActor(actor);
    const near = await this.d.place.nearby({ lat: point.lat, lng: point.lng, radiusM: STOREFRONT_SEARCH_M, limit: 200, kind: 'store' });
    const covering = near.filter((n) => n.deliversHere ?? (n.deliveryRadiusM !== null && n.distanceM <= n.deliveryRadiusM));
    const stores = await Promise.all(covering.map((n) => this.d.place.stores.get(n.id)));
    const modes = await this.repo.modesOf(this.db.orm, stores.map((s) => s.id));
    const now = this.clock.now();
    const active = stores.filter((s) => s.status === 'active');
    const trust = (await this.d.trust?.viewsOf('store', active.map((s) => s.id))) ?? new Map();
    const out: StorefrontStore[] = active.map((s) => ({
      store: s,
      distanceM: Math.round(distanceM(point.lat, point.lng, s.lat, s.lng)),
      openNow: isOpenAt(s.opensAt, s.closesAt, now),
      modes: modes.get(s.id) ?? (['pickup', 'delivery'] as StoreMode[]),
      trust: badgeOf(trust.get(s.id)),
    }));
    const ranked = (x: StorefrontStore) => ({ id: x.store.id, distanceM: x.distanceM, trustScore: x.trust?.score ?? null });
    out.sort((x, y) => Number(y.openNow) - Number(x.openNow) || byDistanceThenTrust(ranked(x), ranked(y)));
    return out.slice(0, STOREFRONT_MAX);
  }

  /** A store's shelf: what it holds, in stock first, at its region's prices. */
  async shelf(actor: Actor | null, storeId: number, q: { cursor?: string | undefined; limit: number }): Promise<Page<ShelfItem>> {
    requireActor(actor);
    const store = await this.d.place.stores.get(storeId);
    if (store.status === 'closed') throw notFound('store', storeId);
    const locationId = await this.d.inventory.locationOfStore(store.id);
    const rows = await this.repo.shelf(this.db.orm, locationId, decodeCursor(q.cursor), q.limit);
    const more = rows.length > q.limit;
    const pageRows = rows.slice(0, q.limit);
    const offers = await this.d.catalog.regionOffers(store.regionId, pageRows.map((r) => r.sku_id));
    const items: ShelfItem[] = [];
    for (const r of pageRows) {
      const o = offers.get(r.sku_id);
      // Stock of a SKU the region no longer sells stays in the back room, off the shelf.
      if (!o) continue;
      items.push({ skuId: r.sku_id, productId: r.product_id, title: o.title, spec: o.spec, unit: o.unit, imageUrl: r.image_url, priceFen: o.priceFen, available: Math.max(0, r.available) });
    }
    const lastRow = pageRows[pageRows.length - 1];
    return { items, nextCursor: more && lastRow ? encodeCursor(lastRow.grp * 1e14 + lastRow.sku_id) : null };
  }
}
