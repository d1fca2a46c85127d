// Which store the till is working for, and the live link to its orders, shared by every page
// of the store area. An account may own or work at several stores: the choice is remembered.
import { createContext, useContext } from 'react';
import type { Order } from '../../api/commerce';
import type { Store } from '../../api/types';

export interface StoreLive {
  /** The WebSocket is open. */
  connected: boolean;
  /** Orders that arrived over the socket since they were last looked at (visual cue). */
  fresh: ReadonlySet<number>;
  seen(orderId: number): void;
  /** Bumped on every message, so pages can react to a change of an order. */
  last: Order | null;
}

export interface StoreCtx {
  store: Store;
  stores: Store[];
  isOwner: boolean;
  choose(storeId: number): void;
  live: StoreLive;
}

export const StoreContext = createContext<StoreCtx | null>(null);

export function useStoreCtx(): StoreCtx {
  const c = useContext(StoreContext);
  if (!c) throw new Error('useStoreCtx outside the store area');
  return c;
}

const CHOSEN = 'linli.store.chosen';
export function savedStoreId(): number | null {
  try {
    const v = Number(localStorage.getItem(CHOSEN));
    return Number.isSafeInteger(v) && v > 0 ? v : null;
  } catch {
    return null;
  }
}
export function saveStoreId(id: number): void {
  try {
    localStorage.setItem(CHOSEN, String(id));
  } catch {
    // private mode: the choice lasts for this page
  }
}
