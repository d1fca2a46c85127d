// A resident's pickup point (自提点绑定): the nearest active points are offered, binding the
// first time is free, and switching is limited to `bindingSwitchLimit` times within
// `bindingSwitchDays` under the rules of the region of the point the resident is bound to.
import type { Database } from '../../db';
import { DomainError, badInput, type Clock } from '../../kernel';
import { DEFAULT_GROUPBUY_SETTINGS, type GroupbuySettingsService } from '../groupbuy';
import { requireActor, type Actor } from '../people';
import { MAX_NEARBY_LIMIT, MAX_NEARBY_RADIUS_M, type PickupPoint, type PlaceService } from '../place';
import { badgeOf, byDistanceThenTrust, distanceBand, DISTANCE_BAND_M, type TrustBadge, type TrustReader, type TrustView } from '../trust';
import { BindingsRepo } from './bindings.repo';
import { intBetween } from './leaders.rules';

export const DEFAULT_OPTIONS = 5;
export const MAX_OPTIONS = 20;

export interface BoundPoint {
  id: number;
  name: string;
  address: string;
  lat: number;
  lng: number;
  opensAt: string;
  closesAt: string;
  status: string;
}

export interface MyPickupPoint {
  pickupPoint: BoundPoint | null;
  boundAt: Date | null;
  switchesLeft: number;
  switchWindowDays: number;
}

export interface PointOption {
  pickupPoint: Omit<BoundPoint, 'status'>;
  leaderName: string | null;
  distanceM: number;
  /** The point's trust score with its parts (docs/insights.md), null before its first computation. */
  trust: TrustBadge | null;
}

const view = (p: PickupPoint): BoundPoint => ({
  id: p.id,
  name: p.name,
  address: p.address,
  lat: p.lat,
  lng: p.lng,
  opensAt: p.opensAt,
  closesAt: p.closesAt,
  status: p.status,
});

export class BindingService {
  private readonly repo = new BindingsRepo();

  constructor(private readonly d: { db: Database; clock: Clock; place: PlaceService; settings: GroupbuySettingsService; trust?: TrustReader | undefined }) {}

  async pointOf(accountId: number): Promise<number | null> {
    return (await this.repo.find(this.d.db.orm, accountId))?.pickupPointId ?? null;
  }

  /** The switch rules that apply: those of the bound point's region (defaults before a first bind). */
  private async rulesFor(point: PickupPoint | null): Promise<{ limit: number; days: number }> {
    if (!point) return { limit: DEFAULT_GROUPBUY_SETTINGS.bindingSwitchLimit, days: DEFAULT_GROUPBUY_SETTINGS.bindingSwitchDays };
    const community = await this.d.place.areas.getCommunity(point.communityId);
    const s = await this.d.settings.get(community.regionId);
    return { limit: s.bindingSwitchLimit, days: s.bindingSwitchDays };
  }

  private windowStart(days: number): Date {
    return new Date(this.d.clock.now().getTime() - days * 86_400_000);
  }

  async get(actor: Actor | null): Promise<MyPickupPoint> {
    const a = requireActor(actor);
    const binding = await this.repo.find(this.d.db.orm, a.accountId);
    const point = binding ? await this.d.place.pickupPoints.get(binding.pickupPointId) : null;
    const rules = await this.rulesFor(point);
    const used = binding ? await this.repo.switchesSince(this.d.db.orm, a.accountId, this.windowStart(rules.days)) : 0;
    return {
      pickupPoint: point ? view(point) : null,
      boundAt: binding?.boundAt ?? null,
      switchesLeft: Math.max(0, rules.limit - used),
      switchWindowDays: rules.days,
    };
  }

  /**
   * Nearest active pickup points to a coordinate, with their leader's name and trust score:
   * by 200 m distance band, then trust, then distance (src/modules/trust/ranking.ts). The
   * nearest `limit` points fix the farthest band needed; every point of that band is read, so a
   * better-trusted one just past the cut is not left out.
   */
  async options(actor: Actor | null, q: { lat: number; lng: number; limit?: number | undefined }): Promise<PointOption[]> {
    requireActor(actor);
    const limit = q.limit === undefined ? DEFAULT_OPTIONS : intBetween('limit', q.limit, 1, MAX_OPTIONS);
    let near = await this.d.place.nearby({ lat: q.lat, lng: q.lng, radiusM: MAX_NEARBY_RADIUS_M, limit, kind: 'pickup_point' });
    const last = near[near.length - 1];
    if (near.length === limit && last) {
      const bandEndM = Math.min(MAX_NEARBY_RADIUS_M, (distanceBand(last.distanceM) + 1) * DISTANCE_BAND_M);
      near = await this.d.place.nearby({ lat: q.lat, lng: q.lng, radiusM: bandEndM, limit: MAX_NEARBY_LIMIT, kind: 'pickup_point' });
    }
    const ids = near.map((n) => n.id);
    const names = await this.repo.leaderNames(this.d.db.orm, ids);
    const trust = (await this.d.trust?.viewsOf('point', ids)) ?? new Map<number, TrustView>();
    const candidate = (n: (typeof near)[number]) => ({ id: n.id, distanceM: n.distanceM, trustScore: trust.get(n.id)?.score ?? null });
    return [...near]
      .sort((a, b) => byDistanceThenTrust(candidate(a), candidate(b)))
      .slice(0, limit)
      .map((n) => ({
        pickupPoint: { id: n.id, name: n.name, address: n.address, lat: n.lat, lng: n.lng, opensAt: n.opensAt, closesAt: n.closesAt },
        leaderName: names.get(n.id) ?? null,
        distanceM: n.distanceM,
        trust: badgeOf(trust.get(n.id)),
      }));
  }

  /** Bind to a point taking orders (400 otherwise); 409 `switch_limit` when no switch is left. */
  async set(actor: Actor | null, pickupPointId: number): Promise<MyPickupPoint> {
    const a = requireActor(actor);
    const target = await this.d.place.pickupPoints.get(pickupPointId).catch((e: unknown) => {
      if (e instanceof DomainError && e.kind === 'not_found') throw badInput('pickupPointId', `pickup point ${pickupPointId} does not exist`);
      throw e;
    });
    if (target.status !== 'active') throw badInput('pickupPointId', 'this pickup point is not taking orders now');
    const current = await this.repo.find(this.d.db.orm, a.accountId);
    if (current?.pickupPointId === target.id) return this.get(actor);
    const currentPoint = current ? await this.d.place.pickupPoints.get(current.pickupPointId) : null;
    const rules = await this.rulesFor(currentPoint);
    await this.d.db.orm.transaction(async (tx) => {
      // The binding row's lock makes concurrent switches of one resident count one by one.
      const locked = await this.repo.find(tx, a.accountId, { lock: true });
      const from = locked?.pickupPointId ?? null;
      if (from !== null) {
        const used = await this.repo.switchesSince(tx, a.accountId, this.windowStart(rules.days));
        if (used >= rules.limit) {
          throw new DomainError('conflict', `you may switch pickup point ${rules.limit} times in ${rules.days} days; none is left`, {
            field: 'pickupPointId',
            details: { reason: 'switch_limit', limit: rules.limit, windowDays: rules.days },
          });
        }
      }
      const bound = await this.repo.bind(tx, a.accountId, from, target.id, this.d.clock.now());
      if (!bound) throw new DomainError('conflict', 'your pickup point changed meanwhile; try again', { field: 'pickupPointId' });
    });
    return this.get(actor);
  }
}

