// Neighbourhood stores (夫妻店) and their clerks. An operator signs a store up; its owner runs
// the details (name, address, hours, delivery radius, pausing) and the clerk list.
import { DomainError, badInput, forbidden, notFound, toPage, type Page } from '../../kernel';
import { assertPhone, isOperator, requireActor, requireRole, type Actor } from '../people';
import { Refs, type PlaceDeps } from './place.context';
import { coordinates, hhmm, intBetween, pointStatus, present, text } from './place.rules';
import type { Clerk, NewStore, Store, StorePatch } from './place.types';

export const DEFAULT_DELIVERY_RADIUS_M = 3000;
const MAX_DELIVERY_RADIUS_M = 10_000;
/** What an owner may change on their own store; everything else is the operator's. */
export const OWNER_EDITABLE = ['name', 'address', 'opensAt', 'closesAt', 'deliveryRadiusM', 'status'] as const;

export interface StoreFilter {
  afterId: number | null;
  limit: number;
  regionId?: number | undefined;
  ownerAccountId?: number | undefined;
  communityId?: number | undefined;
}

export class StoreService {
  constructor(private readonly d: PlaceDeps) {}

  private refs() {
    return new Refs(this.d.repo, this.d.db.orm);
  }

  async list(q: StoreFilter): Promise<Page<Store>> {
    return toPage(await this.d.repo.listStores(this.d.db.orm, q), q.limit);
  }

  async get(id: number): Promise<Store> {
    const s = await this.d.repo.findStore(this.d.db.orm, id);
    if (!s) throw notFound('store', id);
    return s;
  }

  async create(actor: Actor | null, input: NewStore): Promise<Store> {
    requireRole(actor, 'operator');
    const name = text('name', input.name, 1, 64);
    const address = text('address', input.address, 1, 200);
    coordinates(input.lat, input.lng);
    const opensAt = hhmm('opensAt', input.opensAt);
    const closesAt = hhmm('closesAt', input.closesAt);
    const deliveryRadiusM = intBetween('deliveryRadiusM', input.deliveryRadiusM ?? DEFAULT_DELIVERY_RADIUS_M, 0, MAX_DELIVERY_RADIUS_M);
    const status = pointStatus(input.status ?? 'active');
    const refs = this.refs();
    await refs.region(input.regionId);
    const communityId = input.communityId == null ? null : (await refs.communityInRegion(input.communityId, input.regionId)).id;
    const ownerAccountId = await refs.account(input.ownerAccountId, 'ownerAccountId');
    const gridWarehouseId =
      input.gridWarehouseId == null ? null : (await refs.warehouseOfKind(input.gridWarehouseId, 'grid', 'gridWarehouseId')).id;
    const row = await this.d.repo.insertStore(this.d.db.orm, {
      regionId: input.regionId,
      communityId,
      ownerAccountId,
      gridWarehouseId,
      name,
      address,
      lat: input.lat,
      lng: input.lng,
      deliveryRadiusM,
      opensAt,
      closesAt,
      status,
    });
    await this.d.people.ensureRole(ownerAccountId, 'store_owner');
    this.d.geo.syncStore(row);
    return row;
  }

  /** Operator: every field. The store's owner: OWNER_EDITABLE, pausing but not closing. */
  async update(actor: Actor | null, id: number, patch: StorePatch): Promise<Store> {
    const a = requireActor(actor);
    const current = await this.get(id);
    const asOperator = isOperator(a);
    if (!asOperator) {
      if (current.ownerAccountId !== a.accountId) throw forbidden('only this store’s owner or an operator may change it');
      for (const [key, value] of Object.entries(patch)) {
        if (value !== undefined && !(OWNER_EDITABLE as readonly string[]).includes(key)) {
          throw new DomainError('forbidden', `an owner may not change ${key}`, { field: key });
        }
      }
      if (patch.status !== undefined && (patch.status === 'closed' || current.status === 'closed')) {
        throw new DomainError('forbidden', 'only an operator closes or reopens a closed store', { field: 'status' });
      }
    }
    const refs = this.refs();
    coordinates(patch.lat ?? current.lat, patch.lng ?? current.lng);
    const regionId = patch.regionId === undefined ? current.regionId : (await refs.region(patch.regionId)).id;
    const changes: Partial<Store> = present({
      name: patch.name === undefined ? undefined : text('name', patch.name, 1, 64),
      address: patch.address === undefined ? undefined : text('address', patch.address, 1, 200),
      opensAt: patch.opensAt === undefined ? undefined : hhmm('opensAt', patch.opensAt),
      closesAt: patch.closesAt === undefined ? undefined : hhmm('closesAt', patch.closesAt),
      deliveryRadiusM:
        patch.deliveryRadiusM === undefined ? undefined : intBetween('deliveryRadiusM', patch.deliveryRadiusM, 0, MAX_DELIVERY_RADIUS_M),
      status: patch.status === undefined ? undefined : pointStatus(patch.status),
      regionId: patch.regionId === undefined ? undefined : regionId,
      lat: patch.lat,
      lng: patch.lng,
      ownerAccountId: patch.ownerAccountId === undefined ? undefined : await refs.account(patch.ownerAccountId, 'ownerAccountId'),
    });
    // Nullable references: undefined leaves them, null clears them.
    if (patch.communityId !== undefined) {
      changes.communityId = patch.communityId === null ? null : (await refs.communityInRegion(patch.communityId, regionId)).id;
    } else if (patch.regionId !== undefined && current.communityId !== null) {
      // Moving the store to another region must not leave it in a community outside it.
      await refs.communityInRegion(current.communityId, regionId);
    }
    if (patch.gridWarehouseId !== undefined) {
      changes.gridWarehouseId =
        patch.gridWarehouseId === null ? null : (await refs.warehouseOfKind(patch.gridWarehouseId, 'grid', 'gridWarehouseId')).id;
    }
    const row = await this.d.repo.updateStore(
      this.d.db.orm,
      id,
      { ...changes, updatedAt: this.d.clock.now() },
      asOperator ? undefined : a.accountId,
    );
    if (!row) {
      if (asOperator) throw notFound('store', id);
      throw forbidden('only this store’s owner or an operator may change it');
    }
    if (changes.ownerAccountId !== undefined) await this.d.people.ensureRole(changes.ownerAccountId, 'store_owner');
    this.d.geo.syncStore(row);
    return row;
  }

  // ── clerks ───────────────────────────────────────────────────────────────
  /** The owner and an operator manage the list; the store's clerks may read it too. */
  async listClerks(actor: Actor | null, storeId: number): Promise<Clerk[]> {
    const a = requireActor(actor);
    const store = await this.get(storeId);
    const clerks = await this.d.repo.listClerks(this.d.db.orm, storeId);
    if (!isOperator(a) && store.ownerAccountId !== a.accountId && !clerks.some((c) => c.accountId === a.accountId)) {
      throw forbidden('only this store’s owner, its clerks or an operator may see its clerks');
    }
    return clerks;
  }

  /** Add a clerk by phone or account id; adding one already there is a no-op. */
  async addClerk(actor: Actor | null, storeId: number, who: { phone?: string | undefined; accountId?: number | undefined }): Promise<Clerk> {
    await this.requireManager(actor, storeId);
    const db = this.d.db.orm;
    let accountId: number;
    if (who.accountId !== undefined) {
      accountId = await this.refs().account(who.accountId, 'accountId');
    } else if (who.phone !== undefined) {
      assertPhone(who.phone);
      const found = await this.d.repo.accountIdByPhone(db, who.phone);
      // The clerk signs up first (as a resident); the owner then adds them by number.
      if (found === null) throw badInput('phone', 'no account has this phone number; the clerk must sign up first');
      accountId = found;
    } else {
      throw badInput('phone', 'give the clerk’s phone or accountId');
    }
    await this.d.repo.addClerk(db, storeId, accountId);
    await this.d.people.ensureRole(accountId, 'store_clerk');
    const clerk = (await this.d.repo.listClerks(db, storeId)).find((c) => c.accountId === accountId);
    return clerk!;
  }

  /**
   * Remove a clerk from this store. The store_clerk role stays: it grants nothing by itself
   * (every store permission checks the store_clerks rows), and the account may clerk elsewhere.
   */
  async removeClerk(actor: Actor | null, storeId: number, accountId: number): Promise<void> {
    await this.requireManager(actor, storeId);
    if (!(await this.d.repo.removeClerk(this.d.db.orm, storeId, accountId))) throw notFound('clerk', accountId);
  }

  private async requireManager(actor: Actor | null, storeId: number): Promise<Store> {
    const a = requireActor(actor);
    const store = await this.get(storeId);
    if (!isOperator(a) && store.ownerAccountId !== a.accountId) throw forbidden('only this store’s owner or an operator manages its clerks');
    return store;
  }
}
