// Leaders (团长): applications, profiles, levels and the queries other modules ask of them
// (the level bonus at checkout, a leader's point, a resident's bound point). Approving an
// application opens a pickup point and grants a role, which belong to other modules, so that
// lives in src/flows/groupbuy/leaders.ts; this service keeps the leader-side records.
import type { Database, Executor } from '../../db';
import { DomainError, conflict, decodeCursor, encodeCursor, notFound, systemClock, toPage, type Clock, type Page } from '../../kernel';
import type { GroupbuySettingsService } from '../groupbuy';
import { hasRole, requireActor, requireRole, type Actor } from '../people';
import type { PlaceService } from '../place';
import type { TrustReader } from '../trust';
import { BindingService } from './bindings.service';
import { KpiService } from './kpi.service';
import { LeadersRepo } from './leaders.repo';
import { DEFAULT_LEVELS, checkApplication, checkLevels, text } from './leaders.rules';
import type {
  Application,
  ApplicationStatus,
  KpiWeek,
  LeaderRow,
  LeaderStatus,
  Level,
  LevelInput,
  NewApplication,
  ProfileRow,
} from './leaders.types';

/** How long the level bonus of a leader is remembered: checkout asks on every group-buy order. */
const BONUS_CACHE_MS = 5_000;

export interface LeaderOverview {
  accountId: number;
  realName: string;
  status: LeaderStatus;
  statusReason: string | null;
  level: { id: number; rank: number; name: string; bonusBp: number } | null;
  pickupPoint: {
    id: number;
    name: string;
    address: string;
    lat: number;
    lng: number;
    opensAt: string;
    closesAt: string;
    capacity: number;
    status: string;
    communityId: number;
    gridWarehouseId: number | null;
  };
  kpis: KpiWeek[];
  residents: number;
  /** How long after a pickup the leader may undo it (the region's setting). */
  pickupUndoWindowS: number;
}

export interface LeadersDeps {
  db: Database;
  clock?: Clock;
  place: PlaceService;
  settings: GroupbuySettingsService;
  /** Trust scores of pickup points: shown on the options offered to residents and used to rank them. */
  trust?: TrustReader | undefined;
}

function isUniqueViolation(e: unknown): boolean {
  const c = (e as { code?: string; cause?: { code?: string } }).cause?.code ?? (e as { code?: string }).code;
  return c === '23505';
}

export class LeadersService {
  readonly repo = new LeadersRepo();
  readonly bindings: BindingService;
  readonly kpis: KpiService;
  private readonly db: Database;
  private readonly clock: Clock;
  private readonly place: PlaceService;
  private readonly settings: LeadersDeps['settings'];
  private readonly bonusCache = new Map<number, { bp: number; until: number }>();

  constructor(d: LeadersDeps) {
    this.db = d.db;
    this.clock = d.clock ?? systemClock;
    this.place = d.place;
    this.settings = d.settings;
    this.bindings = new BindingService({ db: d.db, clock: this.clock, place: d.place, settings: d.settings, trust: d.trust });
    this.kpis = new KpiService({ db: d.db, clock: this.clock, settings: d.settings });
  }

  // ── applications ─────────────────────────────────────────────────────────
  /** Any signed-in account may apply once at a time; a leader may not apply again. */
  async apply(actor: Actor | null, input: NewApplication): Promise<Application> {
    const a = requireActor(actor);
    const v = checkApplication(input);
    await this.place.areas.getCommunity(v.communityId).catch((e: unknown) => {
      if (e instanceof DomainError && e.kind === 'not_found') throw new DomainError('bad_input', `community ${v.communityId} does not exist`, { field: 'communityId' });
      throw e;
    });
    if (hasRole(a, 'leader') || (await this.repo.findProfile(this.db.orm, a.accountId))) throw conflict('you are already a leader');
    if (await this.repo.pendingOf(this.db.orm, a.accountId)) throw conflict('you already have an application waiting for a decision');
    try {
      return await this.repo.insertApplication(this.db.orm, {
        accountId: a.accountId,
        realName: v.realName,
        idCardHash: v.idCard.hash,
        idCardLast4: v.idCard.last4,
        communityId: v.communityId,
        pointName: v.pointName,
        address: v.address,
        lat: v.lat,
        lng: v.lng,
        opensAt: v.opensAt,
        closesAt: v.closesAt,
        capacity: v.capacity,
      });
    } catch (e) {
      // Two submissions racing: the partial unique index lets one through.
      if (isUniqueViolation(e)) throw conflict('you already have an application waiting for a decision');
      throw e;
    }
  }

  async mine(actor: Actor | null): Promise<Application | null> {
    return this.repo.latestOf(this.db.orm, requireActor(actor).accountId);
  }

  async listApplications(
    actor: Actor | null,
    q: { status?: ApplicationStatus | undefined; cursor?: string | undefined; limit: number },
  ): Promise<Page<Application & { applicant: { displayName: string; phone: string } }>> {
    requireRole(actor, 'operator');
    return toPage(await this.repo.listApplications(this.db.orm, { status: q.status, afterId: decodeCursor(q.cursor), limit: q.limit }), q.limit);
  }

  async getApplication(id: number): Promise<Application> {
    const app = await this.repo.findApplication(this.db.orm, id);
    if (!app) throw notFound('leader application', id);
    return app;
  }

  /**
   * The leader-side half of an approval, in one transaction: the application becomes approved
   * with its point, and the profile is written at `levelId`. 409 when someone decided first.
   */
  async recordApproval(d: { application: Application; pickupPointId: number; levelId: number | null; decidedBy: number }): Promise<{ application: Application; profile: ProfileRow }> {
    const at = this.clock.now();
    return this.db.orm.transaction(async (tx) => {
      const application = await this.repo.decide(tx, d.application.id, { status: 'approved', reason: null, decidedBy: d.decidedBy, decidedAt: at, pickupPointId: d.pickupPointId });
      if (!application) throw conflict('this application has already been decided');
      const profile = await this.repo.insertProfile(tx, {
        accountId: application.accountId,
        applicationId: application.id,
        realName: application.realName,
        pickupPointId: d.pickupPointId,
        levelId: d.levelId,
        approvedAt: at,
      });
      return { application, profile };
    });
  }

  async reject(actor: Actor | null, id: number, reason: string): Promise<Application> {
    const a = requireRole(actor, 'operator');
    const why = text('reason', reason, 1, 200);
    await this.getApplication(id);
    const decided = await this.repo.decide(this.db.orm, id, { status: 'rejected', reason: why, decidedBy: a.accountId, decidedAt: this.clock.now(), pickupPointId: null });
    if (!decided) throw conflict('this application has already been decided');
    return decided;
  }

  // ── profiles ─────────────────────────────────────────────────────────────
  async profile(accountId: number, db: Executor = this.db.orm): Promise<ProfileRow | null> {
    return this.repo.findProfile(db, accountId);
  }

  async overview(actor: Actor | null): Promise<LeaderOverview> {
    const a = requireRole(actor, 'leader');
    const p = await this.repo.findProfile(this.db.orm, a.accountId);
    if (!p) throw notFound('leader profile');
    const point = await this.place.pickupPoints.get(p.pickupPointId);
    const [community, level, kpis, residents] = await Promise.all([
      this.place.areas.getCommunity(point.communityId),
      p.levelId === null ? null : this.repo.findLevel(this.db.orm, p.levelId),
      this.repo.kpisOf(this.db.orm, a.accountId, 8),
      this.repo.residentsOf(this.db.orm, p.pickupPointId),
    ]);
    return {
      accountId: p.accountId,
      realName: p.realName,
      status: p.status,
      statusReason: p.statusReason,
      level: level ? { id: level.id, rank: level.rank, name: level.name, bonusBp: level.bonusBp } : null,
      pickupPoint: {
        id: point.id,
        name: point.name,
        address: point.address,
        lat: point.lat,
        lng: point.lng,
        opensAt: point.opensAt,
        closesAt: point.closesAt,
        capacity: point.capacity,
        status: point.status,
        communityId: point.communityId,
        gridWarehouseId: point.gridWarehouseId,
      },
      kpis,
      residents,
      // The console shows "undo" only while the server would still take it.
      pickupUndoWindowS: (await this.settings.get(community.regionId)).pickupUndoWindowS,
    };
  }

  async listLeaders(
    actor: Actor | null,
    q: { status?: LeaderStatus | undefined; regionId?: number | undefined; cursor?: string | undefined; limit: number },
  ): Promise<Page<LeaderRow>> {
    requireRole(actor, 'operator');
    const rows = await this.repo.listLeaders(this.db.orm, { status: q.status, regionId: q.regionId, afterId: decodeCursor(q.cursor), limit: q.limit });
    if (rows.length <= q.limit) return { items: rows, nextCursor: null };
    const items = rows.slice(0, q.limit);
    return { items, nextCursor: encodeCursor(items[items.length - 1]!.accountId) };
  }

  async leaderRow(accountId: number): Promise<LeaderRow> {
    const rows = await this.repo.listLeaders(this.db.orm, { accountId, afterId: null, limit: 1 });
    if (!rows[0]) throw notFound('leader', accountId);
    return rows[0];
  }

  async kpisOf(actor: Actor | null, accountId: number, limit = 52): Promise<KpiWeek[]> {
    requireRole(actor, 'operator');
    if (!(await this.repo.findProfile(this.db.orm, accountId))) throw notFound('leader', accountId);
    return this.repo.kpisOf(this.db.orm, accountId, limit);
  }

  /** Profile status change (the flow pauses or reopens the point around it). */
  async setStatus(accountId: number, s: { status: LeaderStatus; reason: string | null; resetWarnings?: boolean }): Promise<ProfileRow> {
    const row = await this.repo.setStatus(this.db.orm, accountId, {
      status: s.status,
      statusReason: s.reason,
      at: this.clock.now(),
      ...(s.resetWarnings ? { warningsInRow: 0 } : {}),
    });
    if (!row) throw notFound('leader', accountId);
    return row;
  }

  // ── levels ───────────────────────────────────────────────────────────────
  async levels(): Promise<Level[]> {
    return this.repo.levels(this.db.orm);
  }

  /** Create the default ladder when no level exists (approval calls it; so may the demo). */
  async ensureDefaultLevels(): Promise<Level[]> {
    await this.repo.insertLevelsIfEmpty(this.db.orm, DEFAULT_LEVELS);
    return this.levels();
  }

  async lowestLevel(): Promise<Level | null> {
    return (await this.levels())[0] ?? null;
  }

  async replaceLevels(actor: Actor | null, levels: LevelInput[]): Promise<Level[]> {
    requireRole(actor, 'operator');
    const checked = checkLevels(levels);
    const out = await this.db.orm.transaction((tx) => this.repo.replaceLevels(tx, checked));
    this.bonusCache.clear();
    return out;
  }

  // ── what other modules ask ───────────────────────────────────────────────
  /** The leader's level bonus in basis points (0 without a level), remembered a few seconds. */
  async commissionBonusBp(accountId: number): Promise<number> {
    const now = this.clock.now().getTime();
    const hit = this.bonusCache.get(accountId);
    if (hit && hit.until > now) return hit.bp;
    const p = await this.repo.findProfile(this.db.orm, accountId);
    const level = p?.levelId == null ? null : await this.repo.findLevel(this.db.orm, p.levelId);
    const bp = level?.bonusBp ?? 0;
    if (this.bonusCache.size > 10_000) this.bonusCache.clear();
    this.bonusCache.set(accountId, { bp, until: now + BONUS_CACHE_MS });
    return bp;
  }

  /** The leader's pickup point: their profile's, else a point naming them as leader (opened before profiles existed). */
  async pointOf(accountId: number): Promise<number | null> {
    const p = await this.repo.findProfile(this.db.orm, accountId);
    if (p) return p.pickupPointId;
    const page = await this.place.pickupPoints.list({ afterId: null, limit: 5, leaderAccountId: accountId });
    return page.items.find((pt) => pt.status !== 'closed')?.id ?? null;
  }

  /** The pickup point a resident is bound to. */
  async bindingOf(accountId: number): Promise<number | null> {
    return this.bindings.pointOf(accountId);
  }
}
