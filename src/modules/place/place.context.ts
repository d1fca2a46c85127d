// What the place services share: the database, the clock, the people service (for roles),
// the repository, the geo indexes, and reference checks that answer 400 on the named field.
import type { Database, Executor } from '../../db';
import { badInput, type Clock } from '../../kernel';
import type { PeopleService } from '../people';
import type { PlaceGeo } from './place.geo';
import type { PlaceRepo } from './place.repo';
import type { Community, Region, Warehouse } from './place.types';

export interface PlaceDeps {
  db: Database;
  clock: Clock;
  people: PeopleService;
  repo: PlaceRepo;
  geo: PlaceGeo;
}

/**
 * Referenced objects are looked up before a write so a missing or wrong-kind reference is
 * a 400 naming the field, not a foreign-key error (which could not tell the kind apart).
 */
export class Refs {
  constructor(
    private readonly repo: PlaceRepo,
    private readonly db: Executor,
  ) {}

  async region(id: number, field = 'regionId'): Promise<Region> {
    const r = await this.repo.findRegion(this.db, id);
    if (!r) throw badInput(field, `region ${id} does not exist`);
    return r;
  }

  async community(id: number, field = 'communityId'): Promise<Community> {
    const c = await this.repo.findCommunity(this.db, id);
    if (!c) throw badInput(field, `community ${id} does not exist`);
    return c;
  }

  async warehouseOfKind(id: number, kind: 'central' | 'grid', field: string): Promise<Warehouse> {
    const w = await this.repo.findWarehouse(this.db, id);
    if (!w) throw badInput(field, `warehouse ${id} does not exist`);
    if (w.kind !== kind) throw badInput(field, `warehouse ${id} is a ${w.kind} warehouse, not a ${kind} one`);
    return w;
  }

  async account(id: number, field: string): Promise<number> {
    if (!(await this.repo.accountExists(this.db, id))) throw badInput(field, `account ${id} does not exist`);
    return id;
  }

  /** A store's community must lie in the store's region (the same region or a county under it). */
  async communityInRegion(communityId: number, regionId: number): Promise<Community> {
    const c = await this.community(communityId);
    if (c.regionId !== regionId) {
      const cr = await this.repo.findRegion(this.db, c.regionId);
      if (cr?.parentId !== regionId) throw badInput('communityId', `community ${communityId} is not in region ${regionId}`);
    }
    return c;
  }
}
