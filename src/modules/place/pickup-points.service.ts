// Pickup points (自提点): an operator opens them; the point's leader (团长) runs the day-to-day
// details (name, address, hours, capacity, pausing).
import { DomainError, forbidden, notFound, toPage, type Page } from '../../kernel';
import { isOperator, requireActor, requireRole, type Actor } from '../people';
import { Refs, type PlaceDeps } from './place.context';
import { coordinates, hhmm, intBetween, pointStatus, present, text } from './place.rules';
import type { NewPickupPoint, PickupPoint, PickupPointPatch } from './place.types';

const MAX_CAPACITY = 100_000;
/** What a leader may change on their own point; everything else is the operator's. */
export const LEADER_EDITABLE = ['name', 'address', 'opensAt', 'closesAt', 'capacity', 'status'] as const;

export interface PickupPointFilter {
  afterId: number | null;
  limit: number;
  communityId?: number | undefined;
  regionId?: number | undefined;
  gridWarehouseId?: number | undefined;
  leaderAccountId?: number | undefined;
}

export class PickupPointService {
  constructor(private readonly d: PlaceDeps) {}

  private refs() {
    return new Refs(this.d.repo, this.d.db.orm);
  }

  async list(q: PickupPointFilter): Promise<Page<PickupPoint>> {
    return toPage(await this.d.repo.listPickupPoints(this.d.db.orm, q), q.limit);
  }

  async get(id: number): Promise<PickupPoint> {
    const p = await this.d.repo.findPickupPoint(this.d.db.orm, id);
    if (!p) throw notFound('pickup point', id);
    return p;
  }

  async create(actor: Actor | null, input: NewPickupPoint): Promise<PickupPoint> {
    requireRole(actor, 'operator');
    const name = text('name', input.name, 1, 64);
    const address = text('address', input.address, 1, 200);
    const opensAt = hhmm('opensAt', input.opensAt);
    const closesAt = hhmm('closesAt', input.closesAt);
    const capacity = intBetween('capacity', input.capacity, 1, MAX_CAPACITY);
    const status = pointStatus(input.status ?? 'active');
    const refs = this.refs();
    const community = await refs.community(input.communityId);
    // A point without its own coordinates sits at its community's.
    const lat = input.lat ?? community.lat;
    const lng = input.lng ?? community.lng;
    coordinates(lat, lng);
    const leaderAccountId = input.leaderAccountId == null ? null : await refs.account(input.leaderAccountId, 'leaderAccountId');
    const gridWarehouseId =
      input.gridWarehouseId == null ? null : (await refs.warehouseOfKind(input.gridWarehouseId, 'grid', 'gridWarehouseId')).id;
    const row = await this.d.repo.insertPickupPoint(this.d.db.orm, {
      communityId: community.id,
      leaderAccountId,
      gridWarehouseId,
      name,
      address,
      lat,
      lng,
      opensAt,
      closesAt,
      capacity,
      status,
    });
    // Running a point is what makes someone a leader; the role opens the leader pages to them.
    if (leaderAccountId !== null) await this.d.people.ensureRole(leaderAccountId, 'leader');
    this.d.geo.syncPickupPoint(row);
    return row;
  }

  /**
   * An operator may change every field. The point's own leader may change only
   * LEADER_EDITABLE, and may pause or reopen it but not close it (closing, and reopening a
   * closed point, is the operator's call). Anyone else gets 403 and nothing changes.
   */
  async update(actor: Actor | null, id: number, patch: PickupPointPatch): Promise<PickupPoint> {
    const a = requireActor(actor);
    const current = await this.get(id);
    const asOperator = isOperator(a);
    if (!asOperator) {
      if (current.leaderAccountId !== a.accountId) throw forbidden('only this point’s leader or an operator may change it');
      for (const [key, value] of Object.entries(patch)) {
        if (value !== undefined && !(LEADER_EDITABLE as readonly string[]).includes(key)) {
          throw new DomainError('forbidden', `a leader may not change ${key}`, { field: key });
        }
      }
      if (patch.status !== undefined && (patch.status === 'closed' || current.status === 'closed')) {
        throw new DomainError('forbidden', 'only an operator closes or reopens a closed pickup point', { field: 'status' });
      }
    }
    const refs = this.refs();
    const community = patch.communityId === undefined ? undefined : await refs.community(patch.communityId);
    coordinates(patch.lat ?? current.lat, patch.lng ?? current.lng);
    const changes = present({
      name: patch.name === undefined ? undefined : text('name', patch.name, 1, 64),
      address: patch.address === undefined ? undefined : text('address', patch.address, 1, 200),
      opensAt: patch.opensAt === undefined ? undefined : hhmm('opensAt', patch.opensAt),
      closesAt: patch.closesAt === undefined ? undefined : hhmm('closesAt', patch.closesAt),
      capacity: patch.capacity === undefined ? undefined : intBetween('capacity', patch.capacity, 1, MAX_CAPACITY),
      status: patch.status === undefined ? undefined : pointStatus(patch.status),
      communityId: community?.id,
      lat: patch.lat,
      lng: patch.lng,
    });
    // Nullable references: undefined leaves them, null clears them.
    const more: Partial<PickupPoint> = {};
    if (patch.leaderAccountId !== undefined) {
      more.leaderAccountId = patch.leaderAccountId === null ? null : await refs.account(patch.leaderAccountId, 'leaderAccountId');
    }
    if (patch.gridWarehouseId !== undefined) {
      more.gridWarehouseId =
        patch.gridWarehouseId === null ? null : (await refs.warehouseOfKind(patch.gridWarehouseId, 'grid', 'gridWarehouseId')).id;
    }
    const row = await this.d.repo.updatePickupPoint(
      this.d.db.orm,
      id,
      { ...changes, ...more, updatedAt: this.d.clock.now() },
      asOperator ? undefined : a.accountId,
    );
    if (!row) {
      if (asOperator) throw notFound('pickup point', id);
      throw forbidden('only this point’s leader or an operator may change it');
    }
    if (more.leaderAccountId != null) await this.d.people.ensureRole(more.leaderAccountId, 'leader');
    this.d.geo.syncPickupPoint(row);
    return row;
  }
}
