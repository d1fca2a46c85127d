// Trust scores (docs/insights.md, "Trust score"): computed for every pickup point, store and
// host from the last 30 days of the insights read models (trust.repo.ts) with the gaming rules
// applied (score.ts `trustInputs`), written to trust_scores by a job every 10 minutes
// (src/flows/jobs.ts) and on demand; read by the public profile, the rankings and checkout
// (the leader's commission tier). The operator sets weights, prior strength and tiers per region.
import type { Database } from '../../db';
import { notFound, systemClock, type Clock } from '../../kernel';
import { requireRole, type Actor } from '../people';
import {
  DEFAULT_MIN_ORDERS,
  DEFAULT_WEIGHTS,
  NO_FIGURES,
  regionPrior,
  tierBonusBp,
  TRUST_PARTS,
  trustInputs,
  trustScore,
  type LeaderTier,
  type TrustFigures,
  type TrustInputs,
  type TrustWeights,
} from './score';
import { chinaDayOf } from './ranking';
import { keyOf, TrustRepo, type TrustWindow } from './trust.repo';
import { checkLeaderTiers, checkMinOrders, checkWeights } from './trust.rules';
import type { TrustActorType } from './trust.schema';
import { badgeOf, type LeaderTrust, type StoredExplanation, type TrustSettings, type TrustSettingsPatch, type TrustView } from './trust.types';

export const TRUST_WINDOW_DAYS = 30;
/**
 * Leaders at 80+ earn half a percent on top of their level bonus, at 90+ one percent. The
 * prior alone (a new leader) scores about 78, so the bonus is earned, not given.
 */
export const DEFAULT_LEADER_TIERS: readonly LeaderTier[] = [
  { minScore: 80, bonusBp: 50 },
  { minScore: 90, bonusBp: 100 },
];
/** Checkout asks for each campaign order's leader; the score changes every 10 minutes at most. */
const TIER_CACHE_MS = 30_000;

export interface TrustDeps {
  db: Database;
  clock?: Clock;
}

type SettingsRow = { weights: Partial<TrustWeights>; minOrders: number; leaderTiers: LeaderTier[] };

const DAY_MS = 86_400_000;
const dayStart = (day: string) => new Date(`${day}T00:00:00+08:00`);
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

export class TrustService {
  readonly repo = new TrustRepo();
  private readonly clock: Clock;
  private readonly tierCache = new Map<number, { bp: number; until: number }>();
  private resolverCache: { resolve: (regionId: number) => TrustSettings; until: number } | null = null;

  constructor(private readonly d: TrustDeps) {
    this.clock = d.clock ?? systemClock;
  }

  /** The last 30 China days up to and including today's. */
  window(now: Date = this.clock.now()): TrustWindow {
    const toDay = chinaDayOf(now);
    const fromDay = addDays(toDay, -(TRUST_WINDOW_DAYS - 1));
    return { fromDay, toDay, start: dayStart(fromDay), end: dayStart(addDays(toDay, 1)), start7: dayStart(addDays(toDay, -6)) };
  }

  /**
   * Score every actor and write trust_scores. Safe to run in several processes at once (each
   * writes the same rows from the same figures). Each actor's prior comes from its region's
   * actors of the same type (their corrected figures summed).
   */
  async recomputeAll(): Promise<{ actors: number; computedAt: Date }> {
    const db = this.d.db.orm;
    const now = this.clock.now();
    const w = this.window(now);
    const actors = await this.repo.actors(db);
    const readings = await this.repo.readings(db, w);
    // Fresh settings: another process may have changed them.
    this.resolverCache = null;
    const resolve = await this.settingsResolver();

    const inputs = new Map<string, TrustInputs>();
    const regionSums = new Map<string, TrustFigures>();
    for (const a of actors) {
      const k = keyOf(a.actorType, a.actorId);
      const i = trustInputs({
        counted: readings.counted.get(k) ?? NO_FIGURES,
        selfOrders: readings.selfOrders.get(k) ?? NO_FIGURES,
        refundsAfterHandover: readings.refundsAfterHandover.get(k) ?? 0,
      });
      inputs.set(k, i);
      const rk = `${a.regionId}:${a.actorType}`;
      const sum = regionSums.get(rk) ?? { ...NO_FIGURES };
      for (const f of Object.keys(NO_FIGURES) as (keyof TrustFigures)[]) sum[f] += i[f];
      regionSums.set(rk, sum);
    }
    const rows = actors.map((a) => {
      const prior = regionPrior(regionSums.get(`${a.regionId}:${a.actorType}`) ?? NO_FIGURES);
      const s = resolve(a.regionId);
      const t = trustScore(inputs.get(keyOf(a.actorType, a.actorId))!, prior, { weights: s.weights, minOrders: s.minOrders });
      return { actorType: a.actorType, actorId: a.actorId, score: t.score, parts: t.parts };
    });
    await this.repo.upsertScores(db, rows, now);
    this.tierCache.clear();
    return { actors: rows.length, computedAt: now };
  }

  /** The public view of one actor's score; null before its first computation, 404 when there is no such actor. */
  async view(actorType: TrustActorType, actorId: number): Promise<TrustView | null> {
    if (!(await this.repo.actorExists(this.d.db.orm, actorType, actorId))) throw notFound(actorType === 'point' ? 'pickup point' : actorType, actorId);
    return (await this.viewsOf(actorType, [actorId])).get(actorId) ?? null;
  }

  /** Scores of many actors of one type (cards and rankings); actors without one are missing from the map. */
  async viewsOf(actorType: TrustActorType, ids: number[]): Promise<Map<number, TrustView>> {
    const unique = [...new Set(ids)];
    const rows = await this.repo.scores(this.d.db.orm, actorType, unique);
    // A row not written by recomputeAll (no explanation) is no score: the parts are the point.
    const explained = rows.filter((r) => TRUST_PARTS.every((p) => typeof (r.parts as Partial<StoredExplanation>)[p]?.contribution === 'number'));
    return new Map(explained.map((r) => [r.actorId, { actorType, actorId: r.actorId, score: r.score, parts: r.parts, computedAt: r.computedAt }]));
  }

  /**
   * The commission bonus (bp) a leader's trust earns on top of their level bonus: the tier of
   * their best-scored open pickup point under its region's `leader_tiers`. 0 without a score.
   */
  async leaderTierBonusBp(leaderAccountId: number): Promise<number> {
    const now = this.clock.now().getTime();
    const hit = this.tierCache.get(leaderAccountId);
    if (hit && hit.until > now) return hit.bp;
    const point = await this.repo.leaderPoint(this.d.db.orm, leaderAccountId);
    const bp = point ? tierBonusBp((await this.settings(point.regionId)).leaderTiers, point.score) : 0;
    if (this.tierCache.size > 10_000) this.tierCache.clear();
    this.tierCache.set(leaderAccountId, { bp, until: now + TIER_CACHE_MS });
    return bp;
  }

  /**
   * The leader console's view: their own point's score and parts, the region's tier ladder,
   * the bonus it earns and the next tier up. The same point and rule as `leaderTierBonusBp`
   * (uncached here, so the console shows a fresh recompute at once). 403 for anyone but a
   * leader, 404 for a leader without an open point.
   */
  async leaderTrust(actor: Actor | null): Promise<LeaderTrust> {
    const a = requireRole(actor, 'leader');
    const point = await this.repo.leaderPoint(this.d.db.orm, a.accountId);
    if (!point) throw notFound('pickup point');
    const views = await this.viewsOf('point', [point.pointId]);
    const tiers = [...(await this.settings(point.regionId)).leaderTiers].sort((x, y) => x.minScore - y.minScore);
    const bonusBp = tierBonusBp(tiers, point.score);
    const next = tiers.find((t) => t.minScore > (point.score ?? -1) && t.bonusBp > bonusBp) ?? null;
    return { pickupPointId: point.pointId, trust: badgeOf(views.get(point.pointId)), tiers, bonusBp, next };
  }

  // ── settings ────────────────────────────────────────────────────────────────
  /** A region's effective settings: its own row, else its city's, else the defaults. */
  async settings(regionId: number): Promise<TrustSettings> {
    return (await this.settingsResolver())(regionId);
  }

  /** Resolves any region's settings from one read of the settings and the region tree (kept 30 s). */
  private async settingsResolver(): Promise<(regionId: number) => TrustSettings> {
    const now = this.clock.now().getTime();
    if (this.resolverCache && this.resolverCache.until > now) return this.resolverCache.resolve;
    const db = this.d.db.orm;
    const rows = await this.repo.settingsRows(db);
    const parents = await this.repo.regionParents(db);
    const resolve = (regionId: number): TrustSettings => {
      let at: number | null = regionId;
      for (let hops = 0; at !== null && hops < 4; hops++) {
        const row: SettingsRow | undefined = rows.get(at);
        if (row) return { regionId, weights: { ...DEFAULT_WEIGHTS, ...row.weights }, minOrders: row.minOrders, leaderTiers: row.leaderTiers, inherited: at !== regionId };
        at = parents.get(at) ?? null;
      }
      return { regionId, weights: { ...DEFAULT_WEIGHTS }, minOrders: DEFAULT_MIN_ORDERS, leaderTiers: [...DEFAULT_LEADER_TIERS], inherited: true };
    };
    this.resolverCache = { resolve, until: now + TIER_CACHE_MS };
    return resolve;
  }

  /** Operator only. Fields left out keep their current (or inherited) value; weights merge part by part. */
  async updateSettings(actor: Actor | null, regionId: number, patch: TrustSettingsPatch): Promise<TrustSettings> {
    requireRole(actor, 'operator');
    if (!(await this.repo.regionExists(this.d.db.orm, regionId))) throw notFound('region', regionId);
    const current = await this.settings(regionId);
    const weights = patch.weights === undefined ? current.weights : checkWeights(patch.weights, current.weights);
    const minOrders = patch.minOrders === undefined ? current.minOrders : checkMinOrders(patch.minOrders);
    const leaderTiers = patch.leaderTiers === undefined ? current.leaderTiers : checkLeaderTiers(patch.leaderTiers);
    await this.repo.upsertSettings(this.d.db.orm, regionId, { weights, minOrders, leaderTiers }, this.clock.now());
    this.tierCache.clear();
    this.resolverCache = null;
    return { regionId, weights, minOrders, leaderTiers, inherited: false };
  }

  /** Operator only; 404 for a region that does not exist. */
  async settingsFor(actor: Actor | null, regionId: number): Promise<TrustSettings> {
    requireRole(actor, 'operator');
    if (!(await this.repo.regionExists(this.d.db.orm, regionId))) throw notFound('region', regionId);
    return this.settings(regionId);
  }
}
