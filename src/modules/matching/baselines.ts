// The two baselines the method is measured against, computed from the same training lines.
import type { Purchase } from './model';

/**
 * Global popularity: items ranked by how many distinct households bought them in training
 * (ties: more lines first, then the smaller id, so the order is deterministic). Distinct
 * households rather than units, because relevance is "did the household buy it at all" and
 * units are skewed (fuel is sold by the gallon).
 */
export function popularityRanking(train: readonly Purchase[]): number[] {
  const households = new Map<number, Set<number>>();
  const lines = new Map<number, number>();
  for (const p of train) {
    let s = households.get(p.item);
    if (!s) households.set(p.item, (s = new Set()));
    s.add(p.user);
    lines.set(p.item, (lines.get(p.item) ?? 0) + 1);
  }
  return [...households.keys()].sort(
    (a, b) => households.get(b)!.size - households.get(a)!.size || lines.get(b)! - lines.get(a)! || a - b,
  );
}

/** The first k of the popularity ranking (the same list for everyone). */
export function popularityBaseline(train: readonly Purchase[], k: number): (user: number) => number[] {
  const top = popularityRanking(train).slice(0, k);
  return () => top;
}

/**
 * Each household's own most-bought items (by distinct baskets; ties: most recent first, then the
 * popularity rank), then global popularity to fill the list to k.
 */
export function ownHistoryBaseline(train: readonly Purchase[], k: number): (user: number) => number[] {
  const ranking = popularityRanking(train);
  const rank = new Map(ranking.map((item, i) => [item, i]));
  const own = new Map<number, Map<number, { baskets: Set<number>; last: number }>>();
  for (const p of train) {
    let u = own.get(p.user);
    if (!u) own.set(p.user, (u = new Map()));
    let o = u.get(p.item);
    if (!o) u.set(p.item, (o = { baskets: new Set(), last: -Infinity }));
    o.baskets.add(p.basket);
    o.last = Math.max(o.last, p.at);
  }
  const lists = new Map<number, number[]>();
  for (const [user, items] of own) {
    const mine = [...items]
      .sort((a, b) => b[1].baskets.size - a[1].baskets.size || b[1].last - a[1].last || rank.get(a[0])! - rank.get(b[0])!)
      .slice(0, k)
      .map((e) => e[0]);
    const seen = new Set(mine);
    for (let i = 0; mine.length < k && i < ranking.length; i++) if (!seen.has(ranking[i]!)) mine.push(ranking[i]!);
    lists.set(user, mine);
  }
  const fallback = ranking.slice(0, k);
  return (user) => lists.get(user) ?? fallback;
}
