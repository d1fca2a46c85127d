// Money is integer fen everywhere; these helpers never multiply floats, so ¥0.29 stays 29 fen.

/** 1250 → "¥12.50"; negative amounts keep their sign in front of the symbol. */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  return `${sign}¥${yuan.toLocaleString('en-US')}.${cents}`;
}

/** 1250 → "12.50", for pre-filling a yuan input. */
export function fenToYuanText(fen: number): string {
  const abs = Math.abs(Math.trunc(fen));
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * "12.5" → 1250, "0.29" → 29, "12" → 1200, "¥1,234.56" → 123456.
 * Parsed as text (integer part and up to two decimals) so no binary float rounding creeps in.
 * Returns null for anything that is not a non-negative amount with at most two decimals.
 */
export function parseYuanToFen(input: string): number | null {
  const s = input.trim().replace(/^[¥￥]/, '').replace(/,/g, '').trim();
  const m = /^(\d{1,9})(?:\.(\d{0,2}))?$/.exec(s) ?? /^()\.(\d{1,2})$/.exec(s);
  if (!m) return null;
  const whole = m[1] ? Number(m[1]) : 0;
  const frac = Number((m[2] ?? '').padEnd(2, '0'));
  const fen = whole * 100 + frac;
  return Number.isSafeInteger(fen) ? fen : null;
}

/** Metres → "350 m" / "1.2 km". */
export function formatDistance(m: number, units: { m: string; km: string }): string {
  if (m < 1000) return `${Math.round(m)} ${units.m}`;
  return `${(m / 1000).toFixed(m < 10_000 ? 1 : 0)} ${units.km}`;
}
