// The till's cart: a handful of lines, kept in a reducer so a scan is one dispatch and the
// totals are computed from integers only (fen).
import type { PosItem } from '../../api/stores';

export interface PosLine extends PosItem {
  quantity: number;
  /** Off this line, in fen (never more than the line's price × quantity). */
  discountFen: number;
}

export interface PosCart {
  lines: PosLine[];
  discountFen: number;
}

export type PosAction =
  | { type: 'add'; item: PosItem }
  | { type: 'quantity'; skuId: number; quantity: number }
  | { type: 'lineDiscount'; skuId: number; discountFen: number }
  | { type: 'remove'; skuId: number }
  | { type: 'discount'; discountFen: number }
  | { type: 'clear' };

export const EMPTY_CART: PosCart = { lines: [], discountFen: 0 };
const MAX_QTY = 999;

export function posReducer(cart: PosCart, a: PosAction): PosCart {
  switch (a.type) {
    case 'add': {
      const i = cart.lines.findIndex((l) => l.skuId === a.item.skuId);
      if (i < 0) return { ...cart, lines: [...cart.lines, { ...a.item, quantity: 1, discountFen: 0 }] };
      const lines = cart.lines.slice();
      const l = lines[i]!;
      // Fresh price and stock from the lookup; the line moves to the bottom where the eye is.
      lines.splice(i, 1);
      lines.push({ ...l, ...a.item, quantity: Math.min(MAX_QTY, l.quantity + 1) });
      return { ...cart, lines };
    }
    case 'quantity':
      return {
        ...cart,
        lines: cart.lines.map((l) => (l.skuId === a.skuId ? clampDiscount({ ...l, quantity: Math.max(1, Math.min(MAX_QTY, a.quantity)) }) : l)),
      };
    case 'lineDiscount':
      return { ...cart, lines: cart.lines.map((l) => (l.skuId === a.skuId ? clampDiscount({ ...l, discountFen: a.discountFen }) : l)) };
    case 'remove':
      return { ...cart, lines: cart.lines.filter((l) => l.skuId !== a.skuId) };
    case 'discount':
      return { ...cart, discountFen: Math.max(0, a.discountFen) };
    case 'clear':
      return EMPTY_CART;
  }
}

function clampDiscount(l: PosLine): PosLine {
  return { ...l, discountFen: Math.max(0, Math.min(l.discountFen, l.priceFen * l.quantity)) };
}

export const lineTotal = (l: PosLine) => l.priceFen * l.quantity - l.discountFen;

export function totals(cart: PosCart): { itemsFen: number; lineDiscountFen: number; discountFen: number; totalFen: number; count: number } {
  let items = 0;
  let lineDisc = 0;
  let count = 0;
  for (const l of cart.lines) {
    items += l.priceFen * l.quantity;
    lineDisc += l.discountFen;
    count += l.quantity;
  }
  const discount = Math.min(cart.discountFen, items - lineDisc);
  return { itemsFen: items, lineDiscountFen: lineDisc, discountFen: discount, totalFen: items - lineDisc - discount, count };
}
