// Shapes the leaders module answers with (the HTTP contract's Application, KpiWeek, …).
import type { ApplicationStatus, KpiVerdict, LeaderStatus, leaderApplications, leaderProfiles } from './leaders.schema';

export type { ApplicationStatus, KpiVerdict, LeaderStatus };
export type ApplicationRow = typeof leaderApplications.$inferSelect;
export type ProfileRow = typeof leaderProfiles.$inferSelect;

/** An application as shown to its applicant and operators: the ID hash never leaves the server. */
export type Application = Omit<ApplicationRow, 'idCardHash'>;

export interface NewApplication {
  realName: string;
  idCardNumber: string;
  communityId: number;
  pointName: string;
  address: string;
  lat: number;
  lng: number;
  opensAt: string;
  closesAt: string;
  capacity: number;
}

export interface Level {
  id: number;
  rank: number;
  name: string;
  minWeeklyItems: number;
  bonusBp: number;
}
export type LevelInput = Omit<Level, 'id'>;
export type LevelRef = Pick<Level, 'id' | 'rank' | 'name' | 'bonusBp'>;

export interface KpiWeek {
  weekStart: string;
  orders: number;
  itemsSold: number;
  gmvFen: number;
  pickupsDue: number;
  pickupsOnTime: number;
  complaints: number;
  onTimeBp: number;
  complaintBp: number;
  verdict: KpiVerdict;
  reasons: string[];
}

/** A leader as the operator's list shows them. */
export interface LeaderRow {
  accountId: number;
  realName: string;
  displayName: string;
  phone: string;
  status: LeaderStatus;
  statusReason: string | null;
  warningsInRow: number;
  level: LevelRef | null;
  pickupPoint: { id: number; name: string };
  lastWeek: KpiWeek | null;
}

export interface KpiRunResult {
  weekStart: string;
  leaders: number;
  warnings: number;
  suspended: number;
}

/** The KPI job's thresholds for one region (from GroupbuySettingsService). */
export interface KpiRule {
  regionId: number;
  kpiMinOnTimeBp: number;
  kpiMaxComplaintBp: number;
  kpiSuspendAfterWarnings: number;
}
