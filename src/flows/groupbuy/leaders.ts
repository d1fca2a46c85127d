// Leader approval and status: the leaders module keeps applications and profiles, but opening
// the pickup point (place) and granting the `leader` role (people) belong to other modules, so
// the use case runs here as steps with undos — a failure at any step takes back the earlier
// ones, and a rejected or concurrent decision leaves no point, role or profile behind.
import { DomainError, badInput, conflict, notFound } from '../../kernel';
import type { Application, KpiRunResult, LeaderRow, LeaderStatus, LeadersService } from '../../modules/leaders';
import { requireRole, type Actor, type PeopleService } from '../../modules/people';
import { distanceM, type PlaceService, type PointStatus } from '../../modules/place';
import { runSteps } from '../steps';

/** The KPI job acts as the platform, not as a person. */
export const SYSTEM_ACTOR: Actor = { accountId: 0, roles: new Set(['operator']) };

export interface LeaderFlowDeps {
  leaders: LeadersService;
  place: PlaceService;
  people: PeopleService;
}

export interface Decision {
  approve: boolean;
  reason?: string | undefined;
  gridWarehouseId?: number | undefined;
}

export class LeaderFlow {
  /** Decisions in flight per application: a double click must not open two points. */
  private readonly deciding = new Map<number, Promise<unknown>>();

  constructor(private readonly d: LeaderFlowDeps) {}

  async decide(actor: Actor | null, applicationId: number, decision: Decision): Promise<Application> {
    const op = requireRole(actor, 'operator');
    if (!decision.approve) {
      if (decision.reason === undefined || decision.reason.trim() === '') throw badInput('reason', 'a rejection needs a reason the applicant will see');
      return this.d.leaders.reject(op, applicationId, decision.reason);
    }
    if (this.deciding.has(applicationId)) throw conflict('this application is being decided right now');
    const p = this.approve(op, applicationId, decision.gridWarehouseId);
    this.deciding.set(applicationId, p);
    try {
      return await p;
    } finally {
      this.deciding.delete(applicationId);
    }
  }

  private async approve(op: Actor, applicationId: number, gridWarehouseId: number | undefined): Promise<Application> {
    const app = await this.d.leaders.getApplication(applicationId);
    if (app.status !== 'pending') throw conflict('this application has already been decided');
    if (await this.d.leaders.profile(app.accountId)) throw conflict('the applicant is already a leader');
    const account = await this.d.people.getAccount(op, app.accountId);
    const hadRole = account.roles.includes('leader');
    const grid = gridWarehouseId ?? (await this.nearestGrid(app));
    const level = (await this.d.leaders.ensureDefaultLevels())[0] ?? null;

    const ctx: { pointId: number | null; result: Application | null } = { pointId: null, result: null };
    await runSteps(ctx, [
      {
        name: 'open pickup point',
        run: async (c) => {
          const point = await this.d.place.pickupPoints.create(op, {
            communityId: app.communityId,
            leaderAccountId: app.accountId,
            gridWarehouseId: grid,
            name: app.pointName,
            address: app.address,
            lat: app.lat,
            lng: app.lng,
            opensAt: app.opensAt,
            closesAt: app.closesAt,
            capacity: app.capacity,
            status: 'active',
          });
          c.pointId = point.id;
        },
        // The place module has no delete: a closed point without a leader is out of every
        // query (nearby, checkout, routes) and keeps its id for the record.
        undo: async (c) => {
          if (c.pointId !== null) await this.d.place.pickupPoints.update(op, c.pointId, { status: 'closed', leaderAccountId: null });
        },
      },
      {
        name: 'grant leader role',
        run: () => this.d.people.ensureRole(app.accountId, 'leader'),
        undo: async () => {
          if (!hadRole) await this.d.people.revokeRole(op, app.accountId, 'leader');
        },
      },
      {
        name: 'record approval and profile',
        run: async (c) => {
          const r = await this.d.leaders.recordApproval({ application: app, pickupPointId: c.pointId!, levelId: level?.id ?? null, decidedBy: op.accountId });
          c.result = r.application;
        },
      },
    ]);
    return ctx.result!;
  }

  /** The grid warehouse nearest the point among its region's, else its parent region's; null if none. */
  private nearestGrid(app: Application): Promise<number | null> {
    return nearestGridWarehouse(this.d.place, app);
  }

  /**
   * Suspend (pauses the pickup point) or reactivate (reopens it, clears the warnings) a leader.
   * Operators only; the KPI job suspends through `runKpis`.
   */
  async setStatus(actor: Actor | null, accountId: number, s: { status: Extract<LeaderStatus, 'active' | 'suspended'>; reason?: string | undefined }): Promise<LeaderRow> {
    const op = requireRole(actor, 'operator');
    const reason = s.reason?.trim() || null;
    if (s.status === 'suspended' && !reason) throw badInput('reason', 'say why the leader is suspended');
    if (reason && reason.length > 200) throw badInput('reason', 'reason must be at most 200 characters');
    const profile = await this.d.leaders.profile(accountId);
    if (!profile) throw notFound('leader', accountId);
    const point = await this.d.place.pickupPoints.get(profile.pickupPointId);
    const pointTo: PointStatus = s.status === 'suspended' ? 'paused' : 'active';
    const ctx = {};
    await runSteps(ctx, [
      {
        name: 'set pickup point status',
        run: async () => {
          if (point.status !== pointTo) await this.d.place.pickupPoints.update(op, point.id, { status: pointTo });
        },
        undo: async () => {
          if (point.status !== pointTo) await this.d.place.pickupPoints.update(op, point.id, { status: point.status });
        },
      },
      {
        name: 'set leader status',
        run: async () => {
          await this.d.leaders.setStatus(accountId, { status: s.status, reason, resetWarnings: s.status === 'active' });
        },
      },
    ]);
    return this.d.leaders.leaderRow(accountId);
  }

  /**
   * Compute a week's KPIs (default the last full week) and pause the points of the leaders it
   * suspended. Rerunning is safe: the week is upserted, and points already paused are skipped.
   */
  async runKpis(actor: Actor | null, weekStart?: string): Promise<KpiRunResult> {
    requireRole(actor, 'operator');
    const result = await this.d.leaders.kpis.computeWeek(weekStart);
    for (const s of await this.d.leaders.kpis.suspendedOpenPoints(result.weekStart)) {
      try {
        await this.d.place.pickupPoints.update(SYSTEM_ACTOR, s.pickupPointId, { status: 'paused' });
      } catch (e) {
        // A point closed meanwhile needs no pausing; anything else is for the next run.
        if (!(e instanceof DomainError)) throw e;
      }
    }
    return result;
  }
}

/**
 * The grid warehouse nearest a place in a community, among its region's, else its parent
 * region's; null if none. Shared with store onboarding (src/flows/stores/onboarding.ts).
 */
export async function nearestGridWarehouse(place: PlaceService, at: { communityId: number; lat: number; lng: number }): Promise<number | null> {
  const community = await place.areas.getCommunity(at.communityId);
  let regionId: number | null = community.regionId;
  for (let hops = 0; regionId !== null && hops < 3; hops++) {
    const page = await place.warehouses.list({ afterId: null, limit: 200, regionId, kind: 'grid' });
    // A city's listing includes its counties' warehouses; a sibling county's are not this point's.
    const own = page.items.filter((w) => w.regionId === regionId);
    if (own.length) {
      let best = own[0]!;
      for (const w of own) if (distanceM(at.lat, at.lng, w.lat, w.lng) < distanceM(at.lat, at.lng, best.lat, best.lng)) best = w;
      return best.id;
    }
    regionId = (await place.areas.getRegion(regionId)).parentId;
  }
  return null;
}
