import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { get } from '../../api/client';
import type { AfterSales, Order, OrderPayment, OrderStatus, Refund, Statement } from '../../api/commerce';
import type { Page, PickupPoint, Store } from '../../api/types';

export const ORDER_PAGE = 10;

export function useMyOrders(status: OrderStatus | null) {
  return useInfiniteQuery({
    queryKey: ['orders', 'mine', status],
    queryFn: ({ pageParam, signal }) => get<Page<Order>>('/orders', { status, cursor: pageParam, limit: ORDER_PAGE }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 5_000,
  });
}

export function useOrder(id: number, opts: { poll?: boolean } = {}) {
  return useQuery({
    queryKey: ['orders', id],
    queryFn: ({ signal }) => get<Order>(`/orders/${id}`, undefined, signal),
    enabled: Number.isSafeInteger(id) && id > 0,
    staleTime: 5_000,
    // An unpaid order may be paid in another tab or expire: look again now and then.
    refetchInterval: opts.poll ? 10_000 : false,
  });
}

export function useOrderRefunds(id: number) {
  return useQuery({
    queryKey: ['orders', id, 'refunds'],
    queryFn: ({ signal }) => get<{ items: Refund[] }>(`/orders/${id}/refunds`, undefined, signal).then((r) => r.items),
    staleTime: 5_000,
  });
}

export function useOrderAfterSales(id: number) {
  return useQuery({
    queryKey: ['orders', id, 'after-sales'],
    queryFn: ({ signal }) => get<{ items: AfterSales[] }>(`/orders/${id}/after-sales`, undefined, signal).then((r) => r.items),
    staleTime: 5_000,
  });
}

export function useOrderPayments(id: number, enabled: boolean) {
  return useQuery({
    queryKey: ['orders', id, 'payments'],
    queryFn: ({ signal }) => get<{ items: OrderPayment[] }>(`/orders/${id}/payments`, undefined, signal).then((r) => r.items),
    enabled,
    staleTime: 5_000,
  });
}

export function useCommunityPickupPoints(communityId: number | undefined) {
  return useQuery({
    queryKey: ['pickup-points', 'community', communityId],
    queryFn: ({ signal }) => get<Page<PickupPoint>>('/pickup-points', { communityId, limit: 50 }, signal).then((p) => p.items),
    enabled: communityId !== undefined,
    staleTime: 60_000,
  });
}

export function usePickupPoint(id: number | null) {
  return useQuery({
    queryKey: ['pickup-points', id],
    queryFn: ({ signal }) => get<PickupPoint>(`/pickup-points/${id}`, undefined, signal),
    enabled: id !== null,
    staleTime: 5 * 60_000,
  });
}

export function useStore(id: number | null) {
  return useQuery({
    queryKey: ['stores', id],
    queryFn: ({ signal }) => get<Store>(`/stores/${id}`, undefined, signal),
    enabled: id !== null,
    staleTime: 5 * 60_000,
  });
}

export function useStatement() {
  return useQuery({
    queryKey: ['ledger', 'me'],
    queryFn: ({ signal }) => get<Statement>('/ledger/me', { limit: 30 }, signal),
    staleTime: 10_000,
  });
}
