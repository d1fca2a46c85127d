// The weekly leader KPIs: computes a week for every leader with the thresholds of each
// leader's region, and answers which leaders the week suspended (the flow pauses their points).
import type { Database } from '../../db';
import type { Clock } from '../../kernel';
import type { GroupbuySettingsService } from '../groupbuy';
import { KpiRepo } from './kpi.repo';
import { LeadersRepo } from './leaders.repo';
import type { KpiRule, KpiRunResult } from './leaders.types';
import { checkWeekStart, lastFullWeek, weekRange } from './weeks';

export class KpiService {
  private readonly repo = new KpiRepo();
  private readonly leaders = new LeadersRepo();

  constructor(private readonly d: { db: Database; clock: Clock; settings: GroupbuySettingsService }) {}

  /** Compute (or refresh) week `weekStart`, default the last full week. Safe to rerun. */
  async computeWeek(weekStart?: string): Promise<KpiRunResult> {
    const now = this.d.clock.now();
    const week = weekStart === undefined ? lastFullWeek(now) : checkWeekStart(weekStart, now);
    const { start, end } = weekRange(week);
    const regions = await this.repo.leaderRegions(this.d.db.orm, end);
    const rules: KpiRule[] = [];
    for (const regionId of regions) {
      const s = await this.d.settings.get(regionId);
      rules.push({ regionId, kpiMinOnTimeBp: s.kpiMinOnTimeBp, kpiMaxComplaintBp: s.kpiMaxComplaintBp, kpiSuspendAfterWarnings: s.kpiSuspendAfterWarnings });
    }
    await this.d.db.orm.transaction((tx) => this.repo.computeWeek(tx, { weekStart: week, start, end, now, rules }));
    return { weekStart: week, ...(await this.leaders.weekCounts(this.d.db.orm, week)) };
  }

  /** Leaders the week suspended whose point is still open. */
  async suspendedOpenPoints(weekStart: string): Promise<Array<{ accountId: number; pickupPointId: number }>> {
    return this.leaders.suspendedPointsOfWeek(this.d.db.orm, weekStart);
  }
}
