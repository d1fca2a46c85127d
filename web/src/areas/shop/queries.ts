import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { ApiError, get, post } from '../../api/client';
import type { Category, Community, Home, NearbyItem, Page, ShopProduct } from '../../api/types';

/** The resident's saved community, or null when none is saved yet (the API answers 404). */
export function useHome() {
  return useQuery({
    queryKey: ['me', 'home'],
    queryFn: async ({ signal }) => {
      try {
        return await get<Home>('/me/home', undefined, signal);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
  });
}

export function useCommunitySearch(q: string) {
  return useQuery({
    queryKey: ['communities', 'search', q],
    queryFn: ({ signal }) => get<Page<Community>>('/communities', { q, limit: 20 }, signal),
    placeholderData: (prev) => prev,
  });
}

export function useNearby(communityId: number, enabled = true) {
  return useQuery({
    queryKey: ['communities', communityId, 'nearby'],
    queryFn: ({ signal }) => get<{ items: NearbyItem[] }>(`/communities/${communityId}/nearby`, { radiusM: 3000 }, signal),
    enabled,
  });
}

export function useCategories() {
  return useQuery({
    queryKey: ['categories'],
    queryFn: async ({ signal }) => {
      const res = await get<Category[] | Page<Category>>('/categories', undefined, signal);
      return Array.isArray(res) ? res : res.items;
    },
    staleTime: 5 * 60_000,
  });
}

export const PRODUCT_PAGE = 10;

export function useCommunityProducts(communityId: number, categoryId: number | null) {
  return useInfiniteQuery({
    queryKey: ['communities', communityId, 'products', categoryId],
    queryFn: ({ pageParam, signal }) =>
      get<Page<ShopProduct>>(
        `/communities/${communityId}/products`,
        { categoryId, cursor: pageParam, limit: PRODUCT_PAGE },
        signal,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** Traffic events are analytics: never block or fail the page because of one. */
export function recordView(communityId: number): void {
  post('/traffic/events', {
    kind: 'view',
    // A page view of the community's product list; communityId attributes it to the place.
    targetType: 'page',
    communityId,
    sourceType: 'direct',
  }).catch(() => undefined);
}
