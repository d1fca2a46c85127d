// Store approval: the stores module keeps applications, but opening the store (place), granting
// `store_owner` (people, through PlaceService.stores.create) and, when asked, making the store a
// group-buy pickup point led by its owner (leaders: the leader approval flow itself) belong to
// other modules, so the use case runs here as steps with undos. A failure at any step takes the
// earlier ones back; a rejected or concurrent decision leaves no store, point or role behind.
import type { Database } from '../../db';
import { badInput, conflict } from '../../kernel';
import type { LeadersService } from '../../modules/leaders';
import { requireRole, type Actor, type PeopleService } from '../../modules/people';
import type { PlaceService } from '../../modules/place';
import type { StoreApplication, StoreApplicationRow, StoresService } from '../../modules/stores';
import { nearestGridWarehouse, type LeaderFlow } from '../groupbuy/leaders';
import { runSteps } from '../steps';

export interface StoreDecision {
  approve: boolean;
  reason?: string | undefined;
  /** The store's grid warehouse (its replenishment travels with that wave); default: the nearest. */
  gridWarehouseId?: number | undefined;
  /** Also open a group-buy pickup point at the store, led by the owner (needs the owner's ID on the application). */
  alsoPickupPoint?: boolean | undefined;
}

export interface OnboardingDeps {
  db: Database;
  stores: StoresService;
  place: PlaceService;
  people: PeopleService;
  leaders: LeadersService;
  leaderFlow: LeaderFlow;
}

/** Parcels a store's pickup point is sized for; the owner may change it later. */
export const STORE_POINT_CAPACITY = 200;

export class StoreOnboardingFlow {
  /** Decisions in flight per application: a double click must not open two stores. */
  private readonly deciding = new Map<number, Promise<unknown>>();

  constructor(private readonly d: OnboardingDeps) {}

  async decide(actor: Actor | null, applicationId: number, decision: StoreDecision): Promise<StoreApplication> {
    const op = requireRole(actor, 'operator');
    if (!decision.approve) {
      const reason = decision.reason?.trim() ?? '';
      if (reason === '') throw badInput('reason', 'a rejection needs a reason the applicant will see');
      if (reason.length > 200) throw badInput('reason', 'reason must be at most 200 characters');
      return this.d.stores.reject(op, applicationId, reason);
    }
    if (this.deciding.has(applicationId)) throw conflict('this application is being decided right now');
    const p = this.approve(op, applicationId, decision);
    this.deciding.set(applicationId, p);
    try {
      return await p;
    } finally {
      this.deciding.delete(applicationId);
    }
  }

  private async approve(op: Actor, applicationId: number, decision: StoreDecision): Promise<StoreApplication> {
    const app = await this.d.stores.applicationRow(applicationId);
    if (app.status !== 'pending') throw conflict('this application has already been decided');
    if (decision.alsoPickupPoint) await this.checkCanLead(app);
    const community = await this.d.place.areas.getCommunity(app.communityId);
    const grid = decision.gridWarehouseId ?? (await nearestGridWarehouse(this.d.place, app));
    const hadOwnerRole = (await this.d.people.getAccount(op, app.accountId)).roles.includes('store_owner');

    const ctx: { storeId: number | null; pointId: number | null; result: StoreApplication | null } = { storeId: null, pointId: null, result: null };
    await runSteps(ctx, [
      {
        name: 'open store',
        run: async (c) => {
          const store = await this.d.place.stores.create(op, {
            regionId: community.regionId,
            communityId: app.communityId,
            ownerAccountId: app.accountId,
            gridWarehouseId: grid,
            name: app.storeName,
            address: app.address,
            lat: app.lat,
            lng: app.lng,
            deliveryRadiusM: app.deliveryRadiusM,
            opensAt: app.opensAt,
            closesAt: app.closesAt,
            status: 'active',
          });
          c.storeId = store.id;
        },
        // The place module has no delete: a closed store is out of every query and keeps its id.
        undo: async (c) => {
          if (c.storeId !== null) await this.d.place.stores.update(op, c.storeId, { status: 'closed' });
          if (!hadOwnerRole) await this.d.people.revokeRole(op, app.accountId, 'store_owner');
        },
      },
      {
        name: 'open pickup point at the store',
        run: async (c) => {
          if (!decision.alsoPickupPoint) return;
          c.pointId = await this.openPickupPoint(op, app, grid);
        },
        undo: async (c) => {
          if (c.pointId !== null) await this.d.place.pickupPoints.update(op, c.pointId, { status: 'closed', leaderAccountId: null });
        },
      },
      {
        name: 'record approval and profile',
        run: async (c) => {
          c.result = await this.d.stores.recordApproval({ application: app, storeId: c.storeId!, pickupPointId: c.pointId, decidedBy: op.accountId });
        },
      },
    ]);
    return ctx.result!;
  }

  /** The owner becomes a leader: identified on the application, not a leader already. */
  private async checkCanLead(app: StoreApplicationRow): Promise<void> {
    if (app.ownerName === null || app.idCardHash === null || app.idCardLast4 === null) {
      throw badInput('alsoPickupPoint', 'a pickup point is led by an identified leader: the application carries no ownerName and idCardNumber');
    }
    if (await this.d.leaders.profile(app.accountId)) throw conflict('the applicant is already a leader with a pickup point', 'alsoPickupPoint');
    if (await this.d.leaders.repo.pendingOf(this.d.db.orm, app.accountId)) {
      throw conflict('the applicant has a leader application waiting for a decision; decide that one', 'alsoPickupPoint');
    }
  }

  /**
   * A leader application written from the store application (the owner's identity as checked
   * there), then approved by the leader approval flow itself: the same point, role and profile
   * as any leader's, so the store owner appears among the leaders with their KPIs.
   */
  private async openPickupPoint(op: Actor, app: StoreApplicationRow, grid: number | null): Promise<number> {
    const leaderApp = await this.d.leaders.repo.insertApplication(this.d.db.orm, {
      accountId: app.accountId,
      realName: app.ownerName!,
      idCardHash: app.idCardHash!,
      idCardLast4: app.idCardLast4!,
      communityId: app.communityId,
      pointName: `${app.storeName}自提点`.slice(0, 64),
      address: app.address,
      lat: app.lat,
      lng: app.lng,
      opensAt: app.opensAt,
      closesAt: app.closesAt,
      capacity: STORE_POINT_CAPACITY,
    });
    try {
      const decided = await this.d.leaderFlow.decide(op, leaderApp.id, { approve: true, gridWarehouseId: grid ?? undefined });
      return decided.pickupPointId!;
    } catch (e) {
      // The leader flow took its own steps back; the application it was given must not stay pending.
      await this.d.leaders.reject(op, leaderApp.id, 'the store approval it belonged to did not complete').catch(() => undefined);
      throw e;
    }
  }
}
