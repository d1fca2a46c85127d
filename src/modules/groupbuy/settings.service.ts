// The rules an operator sets per region for group buying: how often residents may switch
// pickup point, how long a pickup can be undone, the KPI thresholds that warn and suspend
// leaders, and the van and crate sizes the route planner uses. A region without its own row
// uses its city's row, then the defaults below.
import type { Database } from '../../db';
import { badInput } from '../../kernel';
import { requireRole, type Actor } from '../people';
import { SettingsRepo, type GroupbuySettingsValues } from './settings.repo';

export type GroupbuySettings = GroupbuySettingsValues & { regionId: number; inherited: boolean };

export const DEFAULT_GROUPBUY_SETTINGS: GroupbuySettingsValues = {
  bindingSwitchLimit: 2,
  bindingSwitchDays: 30,
  pickupUndoWindowS: 3600,
  kpiMinOnTimeBp: 9000,
  kpiMaxComplaintBp: 500,
  kpiSuspendAfterWarnings: 3,
  vanCapacityCrates: 60,
  itemsPerCrate: 12,
};

/** Each setting's allowed range (inclusive); the migration's CHECKs say the same. */
export const SETTING_RANGES: Record<keyof GroupbuySettingsValues, [number, number]> = {
  bindingSwitchLimit: [0, 100],
  bindingSwitchDays: [1, 365],
  pickupUndoWindowS: [0, 604_800],
  kpiMinOnTimeBp: [0, 10_000],
  kpiMaxComplaintBp: [0, 10_000],
  kpiSuspendAfterWarnings: [1, 52],
  vanCapacityCrates: [1, 10_000],
  itemsPerCrate: [1, 1000],
};

export class GroupbuySettingsService {
  private readonly repo = new SettingsRepo();

  constructor(
    private readonly db: Database,
    /** The region's parent (a county's city), to inherit from; null at the top. */
    private readonly parentOf: (regionId: number) => Promise<number | null>,
  ) {}

  async get(regionId: number): Promise<GroupbuySettings> {
    let at: number | null = regionId;
    for (let hops = 0; at !== null && hops < 4; hops++) {
      const row = await this.repo.find(this.db.orm, at);
      if (row) {
        const { regionId: _r, updatedAt: _u, ...values } = row;
        return { ...values, regionId, inherited: at !== regionId };
      }
      at = await this.parentOf(at);
    }
    return { ...DEFAULT_GROUPBUY_SETTINGS, regionId, inherited: true };
  }

  /** Operator only. Fields left out keep their current (or inherited) value. */
  async update(actor: Actor | null, regionId: number, patch: Partial<GroupbuySettingsValues>): Promise<GroupbuySettings> {
    requireRole(actor, 'operator');
    const current = await this.get(regionId);
    const next = { ...current };
    for (const [key, [min, max]] of Object.entries(SETTING_RANGES) as [keyof GroupbuySettingsValues, [number, number]][]) {
      const v = patch[key];
      if (v === undefined) continue;
      if (!Number.isInteger(v) || v < min || v > max) throw badInput(key, `${key} must be a whole number from ${min} to ${max}`);
      next[key] = v;
    }
    const { regionId: _r, inherited: _i, ...values } = next;
    await this.repo.upsert(this.db.orm, regionId, values);
    return { ...values, regionId, inherited: false };
  }
}
