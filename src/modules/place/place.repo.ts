// All SQL of the place module. Methods take an Executor (database or transaction) so the
// services decide transaction boundaries; nothing here checks permissions or rules.
import { and, asc, eq, gt, ilike, inArray, ne, or, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db';
import { accounts } from '../people/people.schema';
import { communities, pickupPoints, regions, residentHomes, storeClerks, stores, warehouses } from './place.schema';
import type {
  Clerk,
  Community,
  PickupPoint,
  PlaceMap,
  Region,
  RegionKind,
  Store,
  Warehouse,
  WarehouseKind,
} from './place.types';

interface PageArgs {
  afterId: number | null;
  limit: number;
}

/** Ids of a region and of the regions directly under it (a city and its counties). */
function regionSubtree(db: Executor, regionId: number) {
  return db
    .select({ id: regions.id })
    .from(regions)
    .where(or(eq(regions.id, regionId), eq(regions.parentId, regionId)));
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const where = (conds: Array<SQL | undefined>) => {
  const present = conds.filter((c): c is SQL => c !== undefined);
  return present.length ? and(...present) : undefined;
};

export class PlaceRepo {
  // ── regions ──────────────────────────────────────────────────────────────
  async listRegions(db: Executor, q: PageArgs & { parentId?: number | undefined; kind?: RegionKind | undefined }): Promise<Region[]> {
    return db
      .select()
      .from(regions)
      .where(
        where([
          q.afterId !== null ? gt(regions.id, q.afterId) : undefined,
          q.parentId !== undefined ? eq(regions.parentId, q.parentId) : undefined,
          q.kind ? eq(regions.kind, q.kind) : undefined,
        ]),
      )
      .orderBy(asc(regions.id))
      .limit(q.limit + 1);
  }

  async findRegion(db: Executor, id: number): Promise<Region | null> {
    return (await db.select().from(regions).where(eq(regions.id, id)).limit(1))[0] ?? null;
  }

  async findRegionByCode(db: Executor, code: string): Promise<Region | null> {
    return (await db.select().from(regions).where(eq(regions.code, code)).limit(1))[0] ?? null;
  }

  async insertRegion(db: Executor, r: { kind: RegionKind; name: string; code: string; parentId: number | null }): Promise<Region> {
    return (await db.insert(regions).values(r).returning())[0]!;
  }

  async updateRegion(db: Executor, id: number, patch: { name?: string; code?: string }): Promise<Region | null> {
    if (Object.keys(patch).length === 0) return this.findRegion(db, id);
    return (await db.update(regions).set(patch).where(eq(regions.id, id)).returning())[0] ?? null;
  }

  // ── communities ──────────────────────────────────────────────────────────
  async listCommunities(db: Executor, q: PageArgs & { regionId?: number | undefined; q?: string | undefined }): Promise<Community[]> {
    return db
      .select()
      .from(communities)
      .where(
        where([
          q.afterId !== null ? gt(communities.id, q.afterId) : undefined,
          q.regionId !== undefined ? inArray(communities.regionId, regionSubtree(db, q.regionId)) : undefined,
          q.q ? ilike(communities.name, `%${escapeLike(q.q)}%`) : undefined,
        ]),
      )
      .orderBy(asc(communities.id))
      .limit(q.limit + 1);
  }

  async findCommunity(db: Executor, id: number): Promise<Community | null> {
    return (await db.select().from(communities).where(eq(communities.id, id)).limit(1))[0] ?? null;
  }

  async insertCommunity(db: Executor, c: Omit<Community, 'id' | 'createdAt'>): Promise<Community> {
    return (await db.insert(communities).values(c).returning())[0]!;
  }

  async updateCommunity(db: Executor, id: number, patch: Partial<Omit<Community, 'id' | 'createdAt'>>): Promise<Community | null> {
    if (Object.keys(patch).length === 0) return this.findCommunity(db, id);
    return (await db.update(communities).set(patch).where(eq(communities.id, id)).returning())[0] ?? null;
  }

  // ── warehouses ───────────────────────────────────────────────────────────
  async listWarehouses(db: Executor, q: PageArgs & { regionId?: number | undefined; kind?: WarehouseKind | undefined }): Promise<Warehouse[]> {
    return db
      .select()
      .from(warehouses)
      .where(
        where([
          q.afterId !== null ? gt(warehouses.id, q.afterId) : undefined,
          q.regionId !== undefined ? inArray(warehouses.regionId, regionSubtree(db, q.regionId)) : undefined,
          q.kind ? eq(warehouses.kind, q.kind) : undefined,
        ]),
      )
      .orderBy(asc(warehouses.id))
      .limit(q.limit + 1);
  }

  async findWarehouse(db: Executor, id: number): Promise<Warehouse | null> {
    return (await db.select().from(warehouses).where(eq(warehouses.id, id)).limit(1))[0] ?? null;
  }

  async insertWarehouse(db: Executor, w: Omit<Warehouse, 'id' | 'createdAt'>): Promise<Warehouse> {
    return (await db.insert(warehouses).values(w).returning())[0]!;
  }

  async updateWarehouse(db: Executor, id: number, patch: Partial<Omit<Warehouse, 'id' | 'createdAt' | 'kind'>>): Promise<Warehouse | null> {
    if (Object.keys(patch).length === 0) return this.findWarehouse(db, id);
    return (await db.update(warehouses).set(patch).where(eq(warehouses.id, id)).returning())[0] ?? null;
  }

  async gridWarehousesOf(db: Executor, centralId: number): Promise<Warehouse[]> {
    return db.select().from(warehouses).where(eq(warehouses.centralWarehouseId, centralId)).orderBy(asc(warehouses.id));
  }

  // ── pickup points ────────────────────────────────────────────────────────
  async listPickupPoints(
    db: Executor,
    q: PageArgs & {
      communityId?: number | undefined;
      regionId?: number | undefined;
      gridWarehouseId?: number | undefined;
      leaderAccountId?: number | undefined;
    },
  ): Promise<PickupPoint[]> {
    return db
      .select()
      .from(pickupPoints)
      .where(
        where([
          q.afterId !== null ? gt(pickupPoints.id, q.afterId) : undefined,
          q.communityId !== undefined ? eq(pickupPoints.communityId, q.communityId) : undefined,
          q.regionId !== undefined
            ? inArray(
                pickupPoints.communityId,
                db.select({ id: communities.id }).from(communities).where(inArray(communities.regionId, regionSubtree(db, q.regionId))),
              )
            : undefined,
          q.gridWarehouseId !== undefined ? eq(pickupPoints.gridWarehouseId, q.gridWarehouseId) : undefined,
          q.leaderAccountId !== undefined ? eq(pickupPoints.leaderAccountId, q.leaderAccountId) : undefined,
        ]),
      )
      .orderBy(asc(pickupPoints.id))
      .limit(q.limit + 1);
  }

  async findPickupPoint(db: Executor, id: number): Promise<PickupPoint | null> {
    return (await db.select().from(pickupPoints).where(eq(pickupPoints.id, id)).limit(1))[0] ?? null;
  }

  async findPickupPoints(db: Executor, ids: number[]): Promise<PickupPoint[]> {
    if (ids.length === 0) return [];
    return db.select().from(pickupPoints).where(inArray(pickupPoints.id, ids));
  }

  async insertPickupPoint(db: Executor, p: Omit<PickupPoint, 'id' | 'createdAt' | 'updatedAt'>): Promise<PickupPoint> {
    return (await db.insert(pickupPoints).values(p).returning())[0]!;
  }

  /**
   * Update a pickup point. With `leaderAccountId` the row changes only while that account is
   * still its leader, so a reassignment between the service's check and this write cannot
   * let the previous leader through. Null: no such row (or no longer theirs).
   */
  async updatePickupPoint(
    db: Executor,
    id: number,
    patch: Partial<Omit<PickupPoint, 'id' | 'createdAt'>>,
    onlyIfLeader?: number,
  ): Promise<PickupPoint | null> {
    const rows = await db
      .update(pickupPoints)
      .set(patch)
      .where(and(eq(pickupPoints.id, id), onlyIfLeader !== undefined ? eq(pickupPoints.leaderAccountId, onlyIfLeader) : undefined))
      .returning();
    return rows[0] ?? null;
  }

  async pickupPointsServedBy(db: Executor, gridWarehouseId: number): Promise<PickupPoint[]> {
    return db.select().from(pickupPoints).where(eq(pickupPoints.gridWarehouseId, gridWarehouseId)).orderBy(asc(pickupPoints.id));
  }

  /** Everything the geo index needs: every point that is not closed. */
  async pickupPointLocations(db: Executor) {
    return db
      .select({ id: pickupPoints.id, lat: pickupPoints.lat, lng: pickupPoints.lng, status: pickupPoints.status })
      .from(pickupPoints)
      .where(ne(pickupPoints.status, 'closed'));
  }

  // ── stores ───────────────────────────────────────────────────────────────
  async listStores(
    db: Executor,
    q: PageArgs & { regionId?: number | undefined; ownerAccountId?: number | undefined; communityId?: number | undefined },
  ): Promise<Store[]> {
    return db
      .select()
      .from(stores)
      .where(
        where([
          q.afterId !== null ? gt(stores.id, q.afterId) : undefined,
          q.regionId !== undefined ? inArray(stores.regionId, regionSubtree(db, q.regionId)) : undefined,
          q.ownerAccountId !== undefined ? eq(stores.ownerAccountId, q.ownerAccountId) : undefined,
          q.communityId !== undefined ? eq(stores.communityId, q.communityId) : undefined,
        ]),
      )
      .orderBy(asc(stores.id))
      .limit(q.limit + 1);
  }

  async findStore(db: Executor, id: number): Promise<Store | null> {
    return (await db.select().from(stores).where(eq(stores.id, id)).limit(1))[0] ?? null;
  }

  async findStores(db: Executor, ids: number[]): Promise<Store[]> {
    if (ids.length === 0) return [];
    return db.select().from(stores).where(inArray(stores.id, ids));
  }

  async insertStore(db: Executor, s: Omit<Store, 'id' | 'createdAt' | 'updatedAt'>): Promise<Store> {
    return (await db.insert(stores).values(s).returning())[0]!;
  }

  /** Like updatePickupPoint: `onlyIfOwner` makes the ownership check part of the write. */
  async updateStore(db: Executor, id: number, patch: Partial<Omit<Store, 'id' | 'createdAt'>>, onlyIfOwner?: number): Promise<Store | null> {
    const rows = await db
      .update(stores)
      .set(patch)
      .where(and(eq(stores.id, id), onlyIfOwner !== undefined ? eq(stores.ownerAccountId, onlyIfOwner) : undefined))
      .returning();
    return rows[0] ?? null;
  }

  async storesServedBy(db: Executor, gridWarehouseId: number): Promise<Store[]> {
    return db.select().from(stores).where(eq(stores.gridWarehouseId, gridWarehouseId)).orderBy(asc(stores.id));
  }

  async storeLocations(db: Executor) {
    return db
      .select({ id: stores.id, lat: stores.lat, lng: stores.lng, status: stores.status })
      .from(stores)
      .where(ne(stores.status, 'closed'));
  }

  // ── store clerks ─────────────────────────────────────────────────────────
  async listClerks(db: Executor, storeId: number): Promise<Clerk[]> {
    return db
      .select({
        storeId: storeClerks.storeId,
        accountId: storeClerks.accountId,
        displayName: accounts.displayName,
        phone: accounts.phone,
        addedAt: storeClerks.addedAt,
      })
      .from(storeClerks)
      .innerJoin(accounts, eq(accounts.id, storeClerks.accountId))
      .where(eq(storeClerks.storeId, storeId))
      .orderBy(asc(storeClerks.addedAt), asc(storeClerks.accountId));
  }

  async addClerk(db: Executor, storeId: number, accountId: number): Promise<void> {
    await db.insert(storeClerks).values({ storeId, accountId }).onConflictDoNothing();
  }

  async removeClerk(db: Executor, storeId: number, accountId: number): Promise<boolean> {
    const rows = await db
      .delete(storeClerks)
      .where(and(eq(storeClerks.storeId, storeId), eq(storeClerks.accountId, accountId)))
      .returning({ accountId: storeClerks.accountId });
    return rows.length > 0;
  }

  // Read-only look-ups of accounts (owned by people): references are checked here so a
  // bad id is a 400 on the field instead of a foreign-key error.
  async accountIdByPhone(db: Executor, phone: string): Promise<number | null> {
    return (await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.phone, phone)).limit(1))[0]?.id ?? null;
  }

  async accountExists(db: Executor, id: number): Promise<boolean> {
    return (await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, id)).limit(1)).length > 0;
  }

  // ── resident homes ───────────────────────────────────────────────────────
  async findHome(db: Executor, accountId: number) {
    return (await db.select().from(residentHomes).where(eq(residentHomes.accountId, accountId)).limit(1))[0] ?? null;
  }

  async upsertHome(db: Executor, accountId: number, communityId: number, at: Date) {
    const rows = await db
      .insert(residentHomes)
      .values({ accountId, communityId, updatedAt: at })
      .onConflictDoUpdate({ target: residentHomes.accountId, set: { communityId, updatedAt: at } })
      .returning();
    return rows[0]!;
  }

  // ── map ──────────────────────────────────────────────────────────────────
  async mapOf(db: Executor, regionId: number | undefined): Promise<PlaceMap> {
    const inRegion = <T extends typeof communities.regionId | typeof stores.regionId | typeof warehouses.regionId>(col: T) =>
      regionId === undefined ? undefined : inArray(col, regionSubtree(db, regionId));
    const [cs, ps, ss, ws] = await Promise.all([
      db
        .select({
          id: communities.id,
          name: communities.name,
          lat: communities.lat,
          lng: communities.lng,
          regionId: communities.regionId,
          households: communities.households,
        })
        .from(communities)
        .where(inRegion(communities.regionId))
        .orderBy(asc(communities.id)),
      db
        .select({
          id: pickupPoints.id,
          name: pickupPoints.name,
          lat: pickupPoints.lat,
          lng: pickupPoints.lng,
          status: pickupPoints.status,
          communityId: pickupPoints.communityId,
          gridWarehouseId: pickupPoints.gridWarehouseId,
        })
        .from(pickupPoints)
        .where(
          regionId === undefined
            ? undefined
            : inArray(
                pickupPoints.communityId,
                db.select({ id: communities.id }).from(communities).where(inRegion(communities.regionId)),
              ),
        )
        .orderBy(asc(pickupPoints.id)),
      db
        .select({
          id: stores.id,
          name: stores.name,
          lat: stores.lat,
          lng: stores.lng,
          status: stores.status,
          gridWarehouseId: stores.gridWarehouseId,
        })
        .from(stores)
        .where(inRegion(stores.regionId))
        .orderBy(asc(stores.id)),
      db
        .select({
          id: warehouses.id,
          name: warehouses.name,
          lat: warehouses.lat,
          lng: warehouses.lng,
          kind: warehouses.kind,
          centralWarehouseId: warehouses.centralWarehouseId,
        })
        .from(warehouses)
        .where(inRegion(warehouses.regionId))
        .orderBy(asc(warehouses.id)),
    ]);
    return { communities: cs, pickupPoints: ps, stores: ss, warehouses: ws };
  }
}
