import { useQuery } from '@tanstack/react-query';
import { ApiError, get } from '../../../api/client';
import type { Application, Campaign, MyPickupPoint, PickupCode, PointOption, Relay, TodayCampaigns } from '../../../api/groupbuy';

/** The resident's bound pickup point (pickupPoint null when none yet). */
export function useMyPickupPoint() {
  return useQuery({
    queryKey: ['me', 'pickup-point'],
    queryFn: ({ signal }) => get<MyPickupPoint>('/me/pickup-point', undefined, signal),
    staleTime: 60_000,
  });
}

export function usePointOptions(at: { lat: number; lng: number } | null) {
  return useQuery({
    queryKey: ['me', 'pickup-point', 'options', at?.lat, at?.lng],
    queryFn: ({ signal }) => get<PointOption[]>('/me/pickup-point/options', { lat: at?.lat, lng: at?.lng, limit: 5 }, signal),
    enabled: at !== null,
    staleTime: 60_000,
  });
}

export function useTodayCampaigns(pickupPointId: number | null | undefined) {
  return useQuery({
    queryKey: ['campaigns', 'today', pickupPointId],
    queryFn: ({ signal }) => get<TodayCampaigns>('/campaigns/today', { pickupPointId }, signal),
    enabled: typeof pickupPointId === 'number',
    staleTime: 15_000,
    // Sold counts move while the list is open; a quiet refresh keeps the bars honest.
    refetchInterval: 60_000,
  });
}

export function useCampaign(id: number | null | undefined) {
  return useQuery({
    queryKey: ['campaigns', id],
    queryFn: ({ signal }) => get<Campaign>(`/campaigns/${id}`, undefined, signal),
    enabled: typeof id === 'number' && id > 0,
    staleTime: 30_000,
  });
}

export function useRelay(pickupPointId: number | null | undefined, campaignId?: number | null) {
  return useQuery({
    queryKey: ['relay', pickupPointId, campaignId ?? null],
    queryFn: ({ signal }) => get<Relay>(`/relay/${pickupPointId}`, { campaignId }, signal),
    enabled: typeof pickupPointId === 'number' && pickupPointId > 0,
    staleTime: 10_000,
    refetchInterval: 30_000,
  });
}

/** The buyer's pickup code; null while the order has none to show (unpaid, closed). */
export function usePickupCode(orderId: number, enabled: boolean) {
  return useQuery({
    queryKey: ['orders', orderId, 'pickup-code'],
    queryFn: async ({ signal }) => {
      try {
        return await get<PickupCode>(`/orders/${orderId}/pickup-code`, undefined, signal);
      } catch (err) {
        if (err instanceof ApiError && (err.status === 404 || err.status === 409)) return null;
        throw err;
      }
    },
    enabled,
    staleTime: 5 * 60_000,
  });
}

export function useMyApplication() {
  return useQuery({
    queryKey: ['leader-applications', 'mine'],
    queryFn: ({ signal }) => get<Application | null>('/leader-applications/mine', undefined, signal),
  });
}

// A share link that brought the resident here; kept for the tab so checkout can credit it.
const SHARE_KEY = 'linli.shareCode';
export function rememberShareCode(code: string): void {
  try {
    sessionStorage.setItem(SHARE_KEY, code);
  } catch {
    // private mode: the referral is lost, the purchase is not
  }
}
export function sharedCode(): string | null {
  try {
    return sessionStorage.getItem(SHARE_KEY);
  } catch {
    return null;
  }
}
export function forgetShareCode(): void {
  try {
    sessionStorage.removeItem(SHARE_KEY);
  } catch {
    // nothing to forget
  }
}
