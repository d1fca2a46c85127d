// Request and answer shapes of the leader routes (docs/groupbuy.md, "Leaders and residents").
import { z } from 'zod';
import { isoDate } from '../schemas';
import { trustBadge } from './trust.schemas';

const day = z.string().describe('YYYY-MM-DD (China time)');
const bp = z.number().int().describe('basis points (1/10000)');

export const applicationBody = z.object({
  realName: z.string().describe('as on the ID card, 2–32 characters'),
  idCardNumber: z.string().describe('18 characters; only a hash and the last four are kept'),
  communityId: z.number().int(),
  pointName: z.string().describe('1–64 characters'),
  address: z.string().describe('1–200 characters'),
  lat: z.number(),
  lng: z.number(),
  opensAt: z.string().describe('HH:MM'),
  closesAt: z.string().describe('HH:MM, after opensAt'),
  capacity: z.number().int().describe('parcels the point can hold for one pickup day'),
});

export const application = z.object({
  id: z.number(),
  accountId: z.number(),
  realName: z.string(),
  idCardLast4: z.string(),
  communityId: z.number(),
  pointName: z.string(),
  address: z.string(),
  lat: z.number(),
  lng: z.number(),
  opensAt: z.string(),
  closesAt: z.string(),
  capacity: z.number(),
  status: z.enum(['pending', 'approved', 'rejected']),
  reason: z.string().nullable(),
  decidedBy: z.number().nullable(),
  decidedAt: isoDate.nullable(),
  pickupPointId: z.number().nullable(),
  createdAt: isoDate,
});

export const applicationWithApplicant = application.extend({ applicant: z.object({ displayName: z.string(), phone: z.string() }) });

export const decisionBody = z.object({
  approve: z.boolean(),
  reason: z.string().max(200).optional().describe('required to reject; shown to the applicant'),
  gridWarehouseId: z.number().int().positive().optional().describe('default: the nearest grid warehouse of the region (or its city)'),
});

export const kpiWeek = z.object({
  weekStart: day,
  orders: z.number().int(),
  itemsSold: z.number().int(),
  gmvFen: z.number().int(),
  pickupsDue: z.number().int(),
  pickupsOnTime: z.number().int(),
  complaints: z.number().int(),
  onTimeBp: bp,
  complaintBp: bp,
  verdict: z.enum(['ok', 'warning', 'suspended']),
  reasons: z.array(z.string()).describe('on_time_below_min, complaints_above_max, warnings_in_row'),
});

const levelRef = z.object({ id: z.number(), rank: z.number(), name: z.string(), bonusBp: bp });
export const level = levelRef.extend({ minWeeklyItems: z.number().int() });
export const levelsBody = z.object({
  levels: z.array(z.object({ rank: z.number().int(), name: z.string(), minWeeklyItems: z.number().int(), bonusBp: z.number().int() })),
});

const leaderStatus = z.enum(['active', 'warned', 'suspended']);

export const overview = z.object({
  accountId: z.number(),
  realName: z.string(),
  status: leaderStatus,
  statusReason: z.string().nullable(),
  level: levelRef.nullable(),
  pickupPoint: z.object({
    id: z.number(),
    name: z.string(),
    address: z.string(),
    lat: z.number(),
    lng: z.number(),
    opensAt: z.string(),
    closesAt: z.string(),
    capacity: z.number(),
    status: z.string(),
    communityId: z.number(),
    gridWarehouseId: z.number().nullable(),
  }),
  kpis: z.array(kpiWeek).describe('latest 8 weeks, newest first'),
  residents: z.number().int().describe('residents bound to the point'),
  pickupUndoWindowS: z.number().int().describe('how long after a pickup it may be undone'),
});

export const leaderRow = z.object({
  accountId: z.number(),
  realName: z.string(),
  displayName: z.string(),
  phone: z.string(),
  status: leaderStatus,
  statusReason: z.string().nullable(),
  warningsInRow: z.number().int(),
  level: levelRef.nullable(),
  pickupPoint: z.object({ id: z.number(), name: z.string() }),
  lastWeek: kpiWeek.nullable(),
});

export const statusBody = z.object({
  status: z.enum(['active', 'suspended']),
  reason: z.string().max(200).optional().describe('required to suspend'),
});

export const kpiRunBody = z.object({ weekStart: day.optional().describe('a Monday; default the last full week') });
export const kpiRunResult = z.object({ weekStart: day, leaders: z.number().int(), warnings: z.number().int(), suspended: z.number().int() });

const settingValues = {
  bindingSwitchLimit: z.number().int(),
  bindingSwitchDays: z.number().int(),
  pickupUndoWindowS: z.number().int(),
  kpiMinOnTimeBp: z.number().int(),
  kpiMaxComplaintBp: z.number().int(),
  kpiSuspendAfterWarnings: z.number().int(),
  vanCapacityCrates: z.number().int(),
  itemsPerCrate: z.number().int(),
};
export const settings = z.object({ regionId: z.number(), inherited: z.boolean().describe('no own row: the city’s or the defaults'), ...settingValues });
export const settingsPatch = z.object(settingValues).partial();

const pointSummary = z.object({ id: z.number(), name: z.string(), address: z.string(), lat: z.number(), lng: z.number(), opensAt: z.string(), closesAt: z.string() });
export const myPickupPoint = z.object({
  pickupPoint: pointSummary.extend({ status: z.string() }).nullable(),
  boundAt: isoDate.nullable(),
  switchesLeft: z.number().int(),
  switchWindowDays: z.number().int(),
});
export const pointOption = z.object({ pickupPoint: pointSummary, leaderName: z.string().nullable(), distanceM: z.number().int(), trust: trustBadge });
export const optionsQuery = z.object({
  lat: z.coerce.number().min(-90).max(90),
  lng: z.coerce.number().min(-180).max(180),
  limit: z.coerce.number().int().min(1).max(20).optional(),
});
