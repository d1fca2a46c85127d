// Regions (city → county), communities (小区) and residents' home communities.
import { badInput, conflict, notFound, toPage, type Page } from '../../kernel';
import { requireActor, requireRole, type Actor } from '../people';
import { Refs, type PlaceDeps } from './place.context';
import { coordinates, h3CellOf, intBetween, present, regionCode, text } from './place.rules';
import type { Community, CommunityPatch, NewCommunity, NewRegion, Region, RegionKind, RegionPatch, ResidentHome } from './place.types';

const MAX_HOUSEHOLDS = 1_000_000;

export class AreaService {
  constructor(private readonly d: PlaceDeps) {}

  private refs() {
    return new Refs(this.d.repo, this.d.db.orm);
  }

  // ── regions ──────────────────────────────────────────────────────────────
  async listRegions(q: {
    afterId: number | null;
    limit: number;
    parentId?: number | undefined;
    kind?: RegionKind | undefined;
  }): Promise<Page<Region>> {
    return toPage(await this.d.repo.listRegions(this.d.db.orm, q), q.limit);
  }

  async getRegion(id: number): Promise<Region> {
    const r = await this.d.repo.findRegion(this.d.db.orm, id);
    if (!r) throw notFound('region', id);
    return r;
  }

  async createRegion(actor: Actor | null, input: NewRegion): Promise<Region> {
    requireRole(actor, 'operator');
    const name = text('name', input.name, 1, 64);
    const code = regionCode(input.code);
    let parentId: number | null = null;
    if (input.kind === 'city') {
      if (input.parentId !== undefined && input.parentId !== null) throw badInput('parentId', 'a city has no parent region');
    } else if (input.kind === 'county') {
      if (input.parentId === undefined || input.parentId === null) throw badInput('parentId', 'a county needs its city as parentId');
      const parent = await this.refs().region(input.parentId, 'parentId');
      if (parent.kind !== 'city') throw badInput('parentId', 'the parent of a county must be a city');
      parentId = parent.id;
    } else {
      throw badInput('kind', 'kind must be city or county');
    }
    if (await this.d.repo.findRegionByCode(this.d.db.orm, code)) throw conflict(`region code ${code} is taken`, 'code');
    return this.d.repo.insertRegion(this.d.db.orm, { kind: input.kind, name, code, parentId });
  }

  async updateRegion(actor: Actor | null, id: number, patch: RegionPatch): Promise<Region> {
    requireRole(actor, 'operator');
    await this.getRegion(id);
    const changes = present({
      name: patch.name === undefined ? undefined : text('name', patch.name, 1, 64),
      code: patch.code === undefined ? undefined : regionCode(patch.code),
    });
    if (changes.code !== undefined) {
      const holder = await this.d.repo.findRegionByCode(this.d.db.orm, changes.code);
      if (holder && holder.id !== id) throw conflict(`region code ${changes.code} is taken`, 'code');
    }
    const row = await this.d.repo.updateRegion(this.d.db.orm, id, changes);
    if (!row) throw notFound('region', id);
    return row;
  }

  // ── communities ──────────────────────────────────────────────────────────
  async listCommunities(q: {
    afterId: number | null;
    limit: number;
    regionId?: number | undefined;
    q?: string | undefined;
  }): Promise<Page<Community>> {
    const search = q.q?.trim();
    return toPage(await this.d.repo.listCommunities(this.d.db.orm, { ...q, q: search || undefined }), q.limit);
  }

  async getCommunity(id: number): Promise<Community> {
    const c = await this.d.repo.findCommunity(this.d.db.orm, id);
    if (!c) throw notFound('community', id);
    return c;
  }

  async createCommunity(actor: Actor | null, input: NewCommunity): Promise<Community> {
    requireRole(actor, 'operator');
    const name = text('name', input.name, 1, 64);
    const address = text('address', input.address ?? '', 0, 200);
    coordinates(input.lat, input.lng);
    const households = intBetween('households', input.households ?? 0, 0, MAX_HOUSEHOLDS);
    await this.refs().region(input.regionId);
    return this.d.repo.insertCommunity(this.d.db.orm, {
      regionId: input.regionId,
      name,
      address,
      lat: input.lat,
      lng: input.lng,
      h3Cell: h3CellOf(input.lat, input.lng),
      households,
    });
  }

  async updateCommunity(actor: Actor | null, id: number, patch: CommunityPatch): Promise<Community> {
    requireRole(actor, 'operator');
    const current = await this.getCommunity(id);
    const lat = patch.lat ?? current.lat;
    const lng = patch.lng ?? current.lng;
    coordinates(lat, lng);
    const changes = present({
      name: patch.name === undefined ? undefined : text('name', patch.name, 1, 64),
      address: patch.address === undefined ? undefined : text('address', patch.address, 0, 200),
      households: patch.households === undefined ? undefined : intBetween('households', patch.households, 0, MAX_HOUSEHOLDS),
      regionId: patch.regionId === undefined ? undefined : (await this.refs().region(patch.regionId)).id,
      lat: patch.lat,
      lng: patch.lng,
      // The cell follows the coordinates, never set on its own.
      h3Cell: patch.lat === undefined && patch.lng === undefined ? undefined : h3CellOf(lat, lng),
    });
    const row = await this.d.repo.updateCommunity(this.d.db.orm, id, changes);
    if (!row) throw notFound('community', id);
    return row;
  }

  // ── resident homes ───────────────────────────────────────────────────────
  /** The signed-in account's home community; 404 until one is set. */
  async getHome(actor: Actor | null): Promise<ResidentHome> {
    const a = requireActor(actor);
    const home = await this.d.repo.findHome(this.d.db.orm, a.accountId);
    const community = home && (await this.d.repo.findCommunity(this.d.db.orm, home.communityId));
    if (!home || !community) throw notFound('home community');
    return { communityId: home.communityId, community, updatedAt: home.updatedAt };
  }

  async setHome(actor: Actor | null, communityId: number): Promise<ResidentHome> {
    const a = requireActor(actor);
    const community = await this.refs().community(communityId);
    const home = await this.d.repo.upsertHome(this.d.db.orm, a.accountId, community.id, this.d.clock.now());
    return { communityId: home.communityId, community, updatedAt: home.updatedAt };
  }
}
