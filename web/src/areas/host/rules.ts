// The host console's small rules, kept apart from the pages so they can be tested alone:
// bag rows typed in yuan → the API's fen, the live totals, the change between two periods.
import type { Dashboard, MinuteStats, NewBagItem } from '../../api/live.types';
import { fenToYuanText, parseYuanToFen } from '../../api/money';

/** A SKU taken from the catalogue for a bag. */
export interface PickedSku {
  skuId: number;
  productName: string;
  spec: string;
  unit: string;
  basePriceFen: number;
}

export interface BagDraft extends PickedSku {
  price: string;
  limit: string;
  allotted: string;
}

export function draftOf(s: PickedSku): BagDraft {
  return { ...s, price: fenToYuanText(s.basePriceFen), limit: '', allotted: '20' };
}

/** The bag rows as the API takes them, or the index and field of the first bad one. */
export function bagBody(rows: BagDraft[]): { ok: true; bag: NewBagItem[] } | { ok: false; index: number; field: 'livePriceFen' | 'limitPerPerson' | 'allotted' } {
  const bag: NewBagItem[] = [];
  for (const [index, r] of rows.entries()) {
    const price = parseYuanToFen(r.price);
    if (price === null || price <= 0) return { ok: false, index, field: 'livePriceFen' };
    const limit = r.limit.trim() === '' ? undefined : Number(r.limit);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 999)) return { ok: false, index, field: 'limitPerPerson' };
    const allotted = Number(r.allotted);
    if (r.allotted.trim() === '' || !Number.isInteger(allotted) || allotted < 0) return { ok: false, index, field: 'allotted' };
    bag.push({ skuId: r.skuId, livePriceFen: price, allotted, ...(limit !== undefined ? { limitPerPerson: limit } : {}) });
  }
  return { ok: true, bag };
}

/**
 * Orders, GMV, buyers and likes so far: the dashboard's totals (read every 2 s), raised by the
 * room's per-minute `stats` message when that is newer (it arrives as orders are paid). The
 * current minute's figure replaces the dashboard's for that minute; never below the totals.
 */
export function liveTotals(dash: Dashboard | undefined, stats: Partial<MinuteStats> | null): { orders: number; gmvFen: number; buyers: number; likes: number } {
  const keys = ['orders', 'gmvFen', 'buyers', 'likes'] as const;
  const base = { orders: dash?.totals.orders ?? 0, gmvFen: dash?.totals.gmvFen ?? 0, buyers: dash?.totals.buyers ?? 0, likes: dash?.totals.likes ?? 0 };
  if (!stats?.minute) return base;
  const at = new Date(stats.minute).getTime();
  const same = dash?.minutes.find((m) => new Date(m.minute).getTime() === at);
  const out = { ...base };
  for (const k of keys) out[k] = Math.max(base[k], base[k] - (same?.[k] ?? 0) + (stats[k] ?? 0));
  return out;
}

/** The change from `prev` to `last` as a signed percentage, or null when there was nothing before. */
export function change(last: number, prev: number): number | null {
  if (prev === 0) return last === 0 ? 0 : null;
  return (last - prev) / prev;
}
