// Field rules the leaders module enforces itself (the HTTP layer checks types; the demo and
// flows call the services directly), each failure a 400 naming the field.
import { badInput } from '../../kernel';
import { checkIdCard } from './id-card';
import type { LevelInput, NewApplication } from './leaders.types';

export const MAX_POINT_CAPACITY = 100_000;

export function text(field: string, value: unknown, min: number, max: number): string {
  if (typeof value !== 'string') throw badInput(field, `${field} is required`);
  const v = value.trim();
  if (v.length < min || v.length > max) throw badInput(field, `${field} must be ${min}–${max} characters`);
  return v;
}

export function intBetween(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badInput(field, `${field} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function between(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) throw badInput(field, `${field} must be between ${min} and ${max}`);
  return value;
}

const HHMM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
function hhmm(field: string, value: unknown): string {
  if (typeof value !== 'string' || !HHMM.test(value)) throw badInput(field, `${field} must be a time HH:MM`);
  return value;
}

/** Every field of an application, in the order a form shows them; the first bad one is named. */
export function checkApplication(input: NewApplication) {
  const realName = text('realName', input.realName, 2, 32);
  const idCard = checkIdCard(input.idCardNumber);
  const communityId = intBetween('communityId', input.communityId, 1, Number.MAX_SAFE_INTEGER);
  const pointName = text('pointName', input.pointName, 1, 64);
  const address = text('address', input.address, 1, 200);
  const lat = between('lat', input.lat, -90, 90);
  const lng = between('lng', input.lng, -180, 180);
  const opensAt = hhmm('opensAt', input.opensAt);
  const closesAt = hhmm('closesAt', input.closesAt);
  if (closesAt <= opensAt) throw badInput('closesAt', 'closesAt must be later than opensAt');
  const capacity = intBetween('capacity', input.capacity, 1, MAX_POINT_CAPACITY);
  return { realName, idCard, communityId, pointName, address, lat, lng, opensAt, closesAt, capacity };
}

/** A level table: at least one level, distinct ranks, thresholds rising with rank. */
export function checkLevels(levels: LevelInput[]): LevelInput[] {
  if (!Array.isArray(levels) || levels.length === 0) throw badInput('levels', 'give at least one level');
  if (levels.length > 20) throw badInput('levels', 'at most 20 levels');
  const out = levels.map((l, i) => ({
    rank: intBetween(`levels.${i}.rank`, l.rank, 0, 1000),
    name: text(`levels.${i}.name`, l.name, 1, 32),
    minWeeklyItems: intBetween(`levels.${i}.minWeeklyItems`, l.minWeeklyItems, 0, 10_000_000),
    bonusBp: intBetween(`levels.${i}.bonusBp`, l.bonusBp, 0, 5000),
  }));
  const sorted = [...out].sort((a, b) => a.rank - b.rank);
  for (let i = 1; i < sorted.length; i++) {
    const at = out.indexOf(sorted[i]!);
    if (sorted[i]!.rank === sorted[i - 1]!.rank) throw badInput(`levels.${at}.rank`, 'ranks must be distinct');
    if (sorted[i]!.minWeeklyItems < sorted[i - 1]!.minWeeklyItems) {
      throw badInput(`levels.${at}.minWeeklyItems`, 'a higher rank may not need fewer weekly items than a lower one');
    }
  }
  return sorted;
}

/** What `ensureDefaultLevels` creates on an empty table. */
export const DEFAULT_LEVELS: LevelInput[] = [
  { rank: 0, name: '见习团长', minWeeklyItems: 0, bonusBp: 0 },
  { rank: 1, name: '铜牌', minWeeklyItems: 50, bonusBp: 100 },
  { rank: 2, name: '银牌', minWeeklyItems: 200, bonusBp: 200 },
  { rank: 3, name: '金牌', minWeeklyItems: 500, bonusBp: 300 },
];
