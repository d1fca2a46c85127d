// ISO weeks in China time (UTC+8 all year, no daylight saving): a week is Monday 00:00 to the
// next Monday 00:00 in Beijing.
import { badInput } from '../../kernel';

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3600_000;

/** The China-time calendar day of an instant, YYYY-MM-DD. */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** Midnight (China time) that starts `day`. */
export function chinaMidnight(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - CHINA_OFFSET_MS);
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The Monday of the week `day` falls in. */
export function mondayOf(day: string): string {
  const dow = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return addDays(day, -dow);
}

/** The Monday of the last week that has fully ended at `now`. */
export function lastFullWeek(now: Date): string {
  return addDays(mondayOf(chinaDay(now)), -7);
}

/**
 * The last week whose pickups are settled: pickups of its Sunday may run to the end of Monday,
 * so a week is final only from the Tuesday after it.
 */
export function lastSettledWeek(now: Date): string {
  return mondayOf(addDays(chinaDay(now), -8));
}

/** Check an operator-given week start: a real Monday whose week has ended. */
export function checkWeekStart(value: string, now: Date, field = 'weekStart'): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || addDays(value, 0) !== value) {
    throw badInput(field, `${field} must be a date YYYY-MM-DD`);
  }
  if (mondayOf(value) !== value) throw badInput(field, `${field} must be a Monday`);
  if (chinaMidnight(addDays(value, 7)).getTime() > now.getTime()) throw badInput(field, `the week of ${value} has not ended yet`);
  return value;
}

export function weekRange(weekStart: string): { start: Date; end: Date } {
  return { start: chinaMidnight(weekStart), end: chinaMidnight(addDays(weekStart, 7)) };
}
