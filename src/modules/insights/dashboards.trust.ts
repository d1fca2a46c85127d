// What the league table shows of a trust score's stored parts (trust_scores.parts, written by
// src/modules/trust: each part's explanation, `repeat` with its 7-day rate too). Read
// defensively: the column is jsonb and a row written before a part existed may lack it.

const finite = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/** The observed repeat-buyer rates: within 30 days (scored) and within 7 (shown), or null. */
export function repeatRatesOf(parts: unknown): { rate: number | null; rate7: number | null } {
  const repeat = typeof parts === 'object' && parts !== null ? (parts as Record<string, unknown>).repeat : null;
  if (typeof repeat !== 'object' || repeat === null) return { rate: null, rate7: null };
  const r = repeat as Record<string, unknown>;
  return { rate: finite(r.rate), rate7: finite(r.rate7) };
}
