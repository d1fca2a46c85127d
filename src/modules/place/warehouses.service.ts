// Warehouses: central (中心仓) and grid (网格仓), and what each grid warehouse serves.
import { badInput, notFound, toPage, type Page } from '../../kernel';
import { requireRole, type Actor } from '../people';
import { Refs, type PlaceDeps } from './place.context';
import { coordinates, present, text } from './place.rules';
import type { NewWarehouse, PickupPoint, Store, Warehouse, WarehouseKind, WarehousePatch } from './place.types';

export interface Served {
  pickupPoints: PickupPoint[];
  stores: Store[];
  /** For a central warehouse: the grid warehouses it supplies. Empty for a grid one. */
  gridWarehouses: Warehouse[];
}

export class WarehouseService {
  constructor(private readonly d: PlaceDeps) {}

  private refs() {
    return new Refs(this.d.repo, this.d.db.orm);
  }

  async list(q: { afterId: number | null; limit: number; regionId?: number | undefined; kind?: WarehouseKind | undefined }): Promise<Page<Warehouse>> {
    return toPage(await this.d.repo.listWarehouses(this.d.db.orm, q), q.limit);
  }

  async get(id: number): Promise<Warehouse> {
    const w = await this.d.repo.findWarehouse(this.d.db.orm, id);
    if (!w) throw notFound('warehouse', id);
    return w;
  }

  async create(actor: Actor | null, input: NewWarehouse): Promise<Warehouse> {
    requireRole(actor, 'operator');
    const name = text('name', input.name, 1, 64);
    const address = text('address', input.address ?? '', 0, 200);
    coordinates(input.lat, input.lng);
    if (input.kind !== 'central' && input.kind !== 'grid') throw badInput('kind', 'kind must be central or grid');
    const refs = this.refs();
    await refs.region(input.regionId);
    const centralWarehouseId = await this.centralFor(input.kind, input.centralWarehouseId);
    return this.d.repo.insertWarehouse(this.d.db.orm, {
      regionId: input.regionId,
      kind: input.kind,
      name,
      address,
      lat: input.lat,
      lng: input.lng,
      centralWarehouseId,
    });
  }

  async update(actor: Actor | null, id: number, patch: WarehousePatch): Promise<Warehouse> {
    requireRole(actor, 'operator');
    const current = await this.get(id);
    coordinates(patch.lat ?? current.lat, patch.lng ?? current.lng);
    if (patch.centralWarehouseId === id) throw badInput('centralWarehouseId', 'a warehouse cannot supply itself');
    const changes = present({
      name: patch.name === undefined ? undefined : text('name', patch.name, 1, 64),
      address: patch.address === undefined ? undefined : text('address', patch.address, 0, 200),
      regionId: patch.regionId === undefined ? undefined : (await this.refs().region(patch.regionId)).id,
      lat: patch.lat,
      lng: patch.lng,
      centralWarehouseId: patch.centralWarehouseId === undefined ? undefined : await this.centralFor(current.kind, patch.centralWarehouseId),
    });
    const row = await this.d.repo.updateWarehouse(this.d.db.orm, id, changes);
    if (!row) throw notFound('warehouse', id);
    return row;
  }

  async served(id: number): Promise<Served> {
    const w = await this.get(id);
    const db = this.d.db.orm;
    if (w.kind === 'central') return { pickupPoints: [], stores: [], gridWarehouses: await this.d.repo.gridWarehousesOf(db, id) };
    const [pickupPoints, stores] = await Promise.all([this.d.repo.pickupPointsServedBy(db, id), this.d.repo.storesServedBy(db, id)]);
    return { pickupPoints, stores, gridWarehouses: [] };
  }

  /** A grid warehouse needs a central one to supply it; a central one takes none. */
  private async centralFor(kind: WarehouseKind, centralId: number | null | undefined): Promise<number | null> {
    if (kind === 'central') {
      if (centralId !== undefined && centralId !== null) throw badInput('centralWarehouseId', 'a central warehouse is not supplied by another');
      return null;
    }
    if (centralId === undefined || centralId === null) throw badInput('centralWarehouseId', 'a grid warehouse needs its central warehouse');
    return (await this.refs().warehouseOfKind(centralId, 'central', 'centralWarehouseId')).id;
  }
}
