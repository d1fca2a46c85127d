// The resident's cart: kept in localStorage per account (a shared family phone keeps two carts
// apart), shared by every component through useSyncExternalStore, and in step across tabs via
// the storage event. Prices here are what the shelf showed; checkout prices again on the server.
import { useCallback, useSyncExternalStore } from 'react';
import { useAuth } from '../../auth/AuthContext';

export interface CartLine {
  skuId: number;
  productId: number;
  name: string;
  spec: string;
  unit: string;
  priceFen: number;
  quantity: number;
  /** Group-buy lines: the campaign whose price and stock they are for. */
  campaignId?: number;
}

export const MAX_QUANTITY = 999;
const EMPTY: CartLine[] = [];
/**
 * The shop cart, a separate one for group-buy campaigns (each order is of one campaign), and
 * one per neighbourhood store (`store:<id>`: an order is from one store's shelf).
 */
export type CartScope = 'shop' | 'groupbuy' | `store:${number}`;
const keyOf = (accountId: number, scope: CartScope = 'shop') =>
  `linli.cart.${accountId}${scope === 'groupbuy' ? '.gb' : scope === 'shop' ? '' : `.${scope}`}`;

const listeners = new Set<() => void>();
// Parsed once per change, so useSyncExternalStore sees a stable snapshot between changes.
const cache = new Map<string, { raw: string | null; lines: CartLine[] }>();

function read(key: string): CartLine[] {
  let raw: string | null;
  try {
    raw = localStorage.getItem(key);
  } catch {
    return EMPTY;
  }
  const hit = cache.get(key);
  if (hit && hit.raw === raw) return hit.lines;
  let lines: CartLine[] = EMPTY;
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    if (Array.isArray(parsed)) lines = parsed.filter(isLine);
  } catch {
    lines = EMPTY;
  }
  cache.set(key, { raw, lines });
  return lines;
}

function isLine(v: unknown): v is CartLine {
  const l = v as CartLine;
  return !!l && Number.isSafeInteger(l.skuId) && Number.isSafeInteger(l.quantity) && l.quantity > 0 && typeof l.name === 'string';
}

function write(key: string, lines: CartLine[]): void {
  try {
    if (lines.length) localStorage.setItem(key, JSON.stringify(lines));
    else localStorage.removeItem(key);
  } catch {
    // storage full or private mode: the cart lives as long as this page
  }
  listeners.forEach((fn) => fn());
}

function subscribe(fn: () => void): () => void {
  listeners.add(fn);
  const onStorage = (e: StorageEvent) => e.key?.startsWith('linli.cart.') && fn();
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(fn);
    window.removeEventListener('storage', onStorage);
  };
}

const clamp = (n: number) => Math.max(0, Math.min(MAX_QUANTITY, Math.trunc(n)));

export interface Cart {
  lines: CartLine[];
  count: number;
  totalFen: number;
  quantityOf(skuId: number): number;
  add(line: Omit<CartLine, 'quantity'>, quantity?: number): void;
  /** Set a line's quantity; 0 removes it. */
  setQuantity(skuId: number, quantity: number): void;
  remove(skuId: number): void;
  clear(): void;
}

export function useCart(scope: CartScope = 'shop'): Cart {
  const { account } = useAuth();
  const key = keyOf(account?.id ?? 0, scope);
  const lines = useSyncExternalStore(subscribe, () => read(key));

  const setQuantity = useCallback(
    (skuId: number, quantity: number) => {
      const q = clamp(quantity);
      const cur = read(key);
      write(key, q === 0 ? cur.filter((l) => l.skuId !== skuId) : cur.map((l) => (l.skuId === skuId ? { ...l, quantity: q } : l)));
    },
    [key],
  );
  const add = useCallback(
    (line: Omit<CartLine, 'quantity'>, quantity = 1) => {
      const cur = read(key);
      const found = cur.find((l) => l.skuId === line.skuId);
      if (found) setQuantity(line.skuId, found.quantity + quantity);
      else write(key, [...cur, { ...line, quantity: clamp(quantity) || 1 }]);
    },
    [key, setQuantity],
  );

  return {
    lines,
    count: lines.reduce((s, l) => s + l.quantity, 0),
    totalFen: lines.reduce((s, l) => s + l.priceFen * l.quantity, 0),
    quantityOf: (skuId) => lines.find((l) => l.skuId === skuId)?.quantity ?? 0,
    add,
    setQuantity,
    remove: (skuId) => setQuantity(skuId, 0),
    clear: () => write(key, []),
  };
}
