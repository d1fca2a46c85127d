import type { TFunction } from 'i18next';

/** Today's date in China time as "YYYY-MM-DD" (campaign dates are China dates). */
export function chinaToday(now = Date.now()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

function dayNumber(d: string): number {
  const [y, m, day] = d.split('-').map(Number);
  return Math.round(Date.UTC(y ?? 1970, (m ?? 1) - 1, day ?? 1) / 86_400_000);
}

/** "今日自提" / "明日自提" / "后天自提" / "11-28 自提". */
export function pickupDayLabel(t: TFunction, pickupDate: string, now = Date.now()): string {
  const diff = dayNumber(pickupDate) - dayNumber(chinaToday(now));
  if (diff === 0) return t('groupbuy.pickupToday');
  if (diff === 1) return t('groupbuy.pickupTomorrow');
  if (diff === 2) return t('groupbuy.pickupAfterTomorrow');
  return t('groupbuy.pickupOn', { date: pickupDate.slice(5) });
}
