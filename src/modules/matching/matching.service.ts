// Recommendations for a resident (货配人). The model is rebuilt PERIODICALLY from the last
// `windowDays` of orders: a request that finds it older than `rebuildEveryMs` starts a rebuild
// in the background and is answered from the current model, so a request never waits on a
// rebuild except the very first. Serving is a bounded candidate scan (see model.ts).
import type { Database } from '../../db';
import type { Clock } from '../../kernel';
import { badInput } from '../../kernel';
import { requireActor, type Actor } from '../people';
import { MatchingRepo } from './matching.repo';
import { buildModel, DEFAULT_PARAMS, type MatchingModel, type MatchingParams, type Reason } from './model';
import { recommend } from './score';

export interface MatchingOptions {
  /** Days of order history the model is built from (default 90). */
  windowDays?: number;
  /** Rebuild when the model is older than this (default 5 minutes). */
  rebuildEveryMs?: number;
  params?: MatchingParams;
}

export interface RecommendationItem {
  skuId: number;
  reason: Reason;
  /** The blend's score (w·x); only the order matters. */
  score: number;
}

export interface RecommendationList {
  items: RecommendationItem[];
  /** When the model answering was built (ISO); null before any order history exists. */
  modelBuiltAt: string | null;
}

export const MAX_RECOMMENDATIONS = 50;

export class MatchingService {
  private readonly repo = new MatchingRepo();
  private model: MatchingModel | null = null;
  private building: Promise<MatchingModel> | null = null;
  private readonly windowDays: number;
  private readonly rebuildEveryMs: number;
  private readonly params: MatchingParams;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    opts: MatchingOptions = {},
  ) {
    this.windowDays = opts.windowDays ?? 90;
    this.rebuildEveryMs = opts.rebuildEveryMs ?? 5 * 60_000;
    this.params = opts.params ?? DEFAULT_PARAMS;
  }

  /** Rebuild now from the database (also what the periodic refresh runs). */
  rebuild(): Promise<MatchingModel> {
    this.building ??= (async () => {
      try {
        const now = this.clock.now().getTime();
        const purchases = await this.repo.purchasesSince(this.db.orm, new Date(now - this.windowDays * 86_400_000));
        this.model = buildModel(purchases, now, this.params);
        return this.model;
      } finally {
        this.building = null;
      }
    })();
    return this.building;
  }

  private async current(): Promise<MatchingModel> {
    if (!this.model) return this.rebuild();
    if (this.clock.now().getTime() - this.model.builtAt > this.rebuildEveryMs) {
      // Stale: refresh in the background, answer from what we have.
      this.rebuild().catch(() => undefined);
    }
    return this.model;
  }

  /** The signed-in resident's own recommendations: SKUs with the reason shown to them. */
  /** `homeCommunityId`: the caller's home if already read (undefined: look it up). */
  async recommendForActor(actor: Actor | null | undefined, limit: number, homeCommunityId?: number | null): Promise<RecommendationList> {
    return this.recommendFor(requireActor(actor).accountId, limit, homeCommunityId);
  }

  async recommendFor(accountId: number, limit: number, homeCommunityId?: number | null): Promise<RecommendationList> {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RECOMMENDATIONS) throw badInput('limit', `a whole number from 1 to ${MAX_RECOMMENDATIONS}`);
    const model = await this.current();
    // The home community now, not the one in the model: a resident who just moved sees their
    // new neighbours' favourites at once.
    const community = homeCommunityId !== undefined ? homeCommunityId : await this.repo.homeCommunity(this.db.orm, accountId);
    const recs = recommend(model, accountId, limit, { community: community ?? model.users.get(accountId)?.community ?? null });
    return {
      items: recs.map((r) => ({ skuId: r.item, reason: r.reason, score: Math.round(r.score * 1e4) / 1e4 })),
      modelBuiltAt: model.stats.purchases > 0 ? new Date(model.builtAt).toISOString() : null,
    };
  }
}
