// Neighbourhood stores (夫妻店) as the web app sees them: the contract in docs/stores.md.
// Money is integer fen, times ISO strings, days "YYYY-MM-DD".
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { get, getToken } from './client';
import type { Order } from './commerce';
import type { Page, Store } from './types';
import type { TrustBadgeData } from './trust';

export type StoreMode = 'pickup' | 'delivery';

// ── onboarding ────────────────────────────────────────────────────────────────
export type StoreApplicationStatus = 'pending' | 'approved' | 'rejected';

export interface StoreApplicationBody {
  storeName: string;
  licenceNumber: string;
  address: string;
  communityId: number;
  lat: number;
  lng: number;
  opensAt: string;
  closesAt: string;
  deliveryRadiusM: number;
  modes: StoreMode[];
  /** With idCardNumber: only needed for the store to be a group-buy pickup point too. */
  ownerName?: string;
  idCardNumber?: string;
}

export interface StoreApplication extends Omit<StoreApplicationBody, 'ownerName' | 'idCardNumber'> {
  id: number;
  ownerName: string | null;
  idCardLast4: string | null;
  pickupPointId: number | null;
  accountId: number;
  status: StoreApplicationStatus;
  reason: string | null;
  storeId: number | null;
  createdAt: string;
  decidedAt: string | null;
}

// ── POS ───────────────────────────────────────────────────────────────────────
export interface PosItem {
  skuId: number;
  title: string;
  spec: string;
  unit: string;
  priceFen: number;
  available: number;
  imageUrl: string | null;
}

export interface PosSaleBody {
  lines: Array<{ skuId: number; quantity: number; discountFen?: number }>;
  discountFen?: number;
  payment: 'cash' | 'provider';
  cashReceivedFen?: number;
}

export interface PosSaleResult {
  order: Order;
  payment: { paymentId: number; payUrl: string; amountFen: number } | null;
  changeFen: number;
}

export interface SalesToday {
  orders: number;
  /** After discounts, net of refunds. */
  itemsFen: number;
  byChannel: { counter: number; online: number };
  /** Refunded so far of today's orders. */
  refundsFen?: number;
  last: Array<Partial<Order> & { id: number }>;
}

/** A counter sale's receipt (GET /stores/:id/pos/sales/:orderId/receipt). */
export interface PosReceipt {
  store: { id: number; name: string; address: string };
  orderId: number;
  orderNo: string;
  status: string;
  at: string;
  /** China time, YYYY-MM-DD HH:MM:SS. */
  time: string;
  lines: Array<{
    orderLineId: number;
    skuId: number;
    title: string;
    spec: string;
    unit: string;
    quantity: number;
    unitPriceFen: number;
    discountFen: number;
    lineTotalFen: number;
    refundedQuantity: number;
    refundedFen: number;
  }>;
  itemsFen: number;
  discountFen: number;
  saleDiscountFen: number | null;
  totalFen: number;
  payment: { way: 'cash' | 'provider'; provider: string; status: string };
  cashReceivedFen: number | null;
  changeFen: number | null;
  refunds: Array<{ id: number; at: string; time: string; amountFen: number; reason: string; restock: boolean; status: 'succeeded' | 'pending' | 'failed'; lines: Array<{ orderLineId: number; quantity: number; amountFen: number }> }>;
  refundedFen: number;
  netFen: number;
}

export interface PosRefundBody {
  lines: Array<{ orderLineId: number; quantity: number }>;
  reason?: string;
  restock: boolean;
}

export interface PosRefundResult {
  refund: { id: number; amountFen: number; status: 'succeeded' | 'pending' | 'failed' };
  order: Order;
  /** Cash to hand back from the till; 0 when the provider pays it back. */
  cashBackFen: number;
}

// ── storefront ────────────────────────────────────────────────────────────────
export interface StorefrontStore {
  store: Store;
  distanceM: number;
  openNow: boolean;
  modes: StoreMode[];
  /** The store's trust score and its parts; null before the first computation. */
  trust: TrustBadgeData | null;
}

export interface ShelfItem {
  skuId: number;
  productId: number;
  title: string;
  spec: string;
  unit: string;
  imageUrl: string | null;
  priceFen: number;
  available: number;
}

// ── stock and replenishment ───────────────────────────────────────────────────
export interface StockLevel {
  skuId: number;
  productName: string;
  spec: string;
  onHand: number;
  reserved: number;
  available: number;
  updatedAt: string;
}

export interface WholesaleItem {
  skuId: number;
  title: string;
  spec: string;
  unit: string;
  wholesalePriceFen: number;
  caseSize: number;
  retailPriceFen: number;
  available: number;
}

export type SuggestionReason = 'low_stock' | 'neighbourhood';

export interface Suggestion {
  skuId: number;
  title: string;
  spec: string;
  unit: string;
  reason: SuggestionReason;
  onHand: number;
  velocityPerDay: number;
  suggested: number;
  wholesalePriceFen: number;
  caseSize: number;
}

export interface Suggestions {
  lines: Suggestion[];
  targetDays: number;
}

export type ReplenishmentOrder = Order & { deliveryDate: string | null };

// ── finance ───────────────────────────────────────────────────────────────────
export interface FinanceDay {
  day: string;
  counterFen: number;
  onlineFen: number;
  costFen: number;
  /** Refunded so far of the sales paid that day (counter and online are net of it). */
  refundsFen?: number;
  marginFen: number;
  orders: number;
}

export interface Finance {
  days: FinanceDay[];
  totals: Partial<Omit<FinanceDay, 'day'>>;
  balance: Partial<{ frozenFen: number; availableFen: number; payoutPendingFen: number; lifetimeEarnedFen: number; paidOutFen: number }>;
}

export interface Clerk {
  storeId: number;
  accountId: number;
  displayName: string;
  phone: string;
  addedAt: string;
}

/** A WebSocket message from /api/stores/:id/live. */
export interface LiveMessage {
  type: 'order';
  order: Order;
}

// ── queries ───────────────────────────────────────────────────────────────────
export function useMyStores(enabled = true) {
  return useQuery({
    queryKey: ['my', 'stores'],
    queryFn: async ({ signal }) => {
      const res = await get<Store[] | { items: Store[] }>('/my/stores', undefined, signal);
      return Array.isArray(res) ? res : res.items;
    },
    staleTime: 5 * 60_000,
    enabled,
  });
}

export function useStorefrontStores(at: { lat: number; lng: number } | null) {
  return useQuery({
    queryKey: ['storefront', 'stores', at?.lat ?? null, at?.lng ?? null],
    queryFn: async ({ signal }) => {
      const res = await get<StorefrontStore[] | { items: StorefrontStore[] }>('/storefront/stores', { lat: at!.lat, lng: at!.lng }, signal);
      return Array.isArray(res) ? res : res.items;
    },
    enabled: at !== null,
    staleTime: 60_000,
  });
}

export function useShelf(storeId: number) {
  return useInfiniteQuery({
    queryKey: ['storefront', 'shelf', storeId],
    queryFn: ({ pageParam, signal }) => get<Page<ShelfItem>>(`/storefront/stores/${storeId}/shelf`, { cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 30_000,
  });
}

export function useStore(storeId: number) {
  return useQuery({
    queryKey: ['stores', storeId],
    queryFn: ({ signal }) => get<Store>(`/stores/${storeId}`, undefined, signal),
    staleTime: 5 * 60_000,
  });
}

export function useMyStoreApplication() {
  return useQuery({
    queryKey: ['store-applications', 'mine'],
    queryFn: ({ signal }) => get<StoreApplication | null>('/store-applications/mine', undefined, signal),
  });
}

/** ws(s)://host/api/stores/:id/live?token=… — the token rides in the URL: browsers cannot set headers on a WebSocket. */
export function liveUrl(storeId: number): string {
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${window.location.host}/api/stores/${storeId}/live?token=${encodeURIComponent(getToken() ?? '')}`;
}

/** "HH:MM" of the shop's hours, open now in China time? (The server's openNow is the authority.) */
export function isOpenAt(opensAt: string, closesAt: string, now = new Date()): boolean {
  const hm = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false }).format(now);
  return opensAt <= closesAt ? hm >= opensAt && hm < closesAt : hm >= opensAt || hm < closesAt;
}
