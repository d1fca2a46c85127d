import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { get } from '../../api/client';
import type { Arrival, LeaderAfterSales, LeaderOrder, LeaderOverview } from '../../api/groupbuy';
import type { LeaderTrustData } from '../../api/trust';
import type { Page } from '../../api/types';

export function useLeaderMe() {
  return useQuery({
    queryKey: ['leaders', 'me'],
    queryFn: ({ signal }) => get<LeaderOverview>('/leaders/me', undefined, signal),
    staleTime: 60_000,
  });
}

/** The leader's own trust score and commission tier (scores change every 10 minutes at most). */
export function useLeaderTrust() {
  return useQuery({
    queryKey: ['leader', 'trust'],
    queryFn: ({ signal }) => get<LeaderTrustData>('/leader/trust', undefined, signal),
    staleTime: 60_000,
  });
}

export function useLeaderOrders(filter: { campaignId?: number | null; date?: string | null }) {
  return useInfiniteQuery({
    queryKey: ['leader', 'orders', filter.campaignId ?? null, filter.date ?? null],
    queryFn: ({ pageParam, signal }) =>
      get<Page<LeaderOrder>>('/leader/orders', { campaignId: filter.campaignId, date: filter.date, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 10_000,
  });
}

export function useArrivals(date: string | null) {
  return useQuery({
    queryKey: ['leader', 'arrivals', date],
    queryFn: ({ signal }) => get<Arrival[]>('/leader/arrivals', { date }, signal),
    staleTime: 10_000,
  });
}

export function useLeaderAfterSales(status: string | null) {
  return useQuery({
    queryKey: ['leader', 'after-sales', status],
    queryFn: ({ signal }) => get<Page<LeaderAfterSales>>('/leader/after-sales', { status }, signal),
    staleTime: 10_000,
  });
}
