import { useQueries, useQuery } from '@tanstack/react-query';
import { get } from '../../api/client';
import type { Category, Community, Page, Region, Warehouse } from '../../api/types';
import type { RefKind } from './form';

// Options for reference pickers and id→name lookups in tables. The first 200 rows cover a
// city's regions and warehouses; a longer list falls back to showing "#id".
const LIMIT = 200;

async function listAll<T>(path: string, query: Record<string, string | number | undefined>, signal: AbortSignal): Promise<T[]> {
  const res = await get<Page<T> | T[]>(path, { ...query, limit: LIMIT }, signal);
  return Array.isArray(res) ? res : res.items;
}

export interface Option {
  id: number;
  name: string;
}

export function useRefOptions(kind: RefKind) {
  return useQuery({
    queryKey: ['ref-options', kind],
    staleTime: 60_000,
    queryFn: async ({ signal }): Promise<Option[]> => {
      switch (kind) {
        case 'regions':
          return listAll<Region>('/regions', {}, signal);
        case 'cities':
          return (await listAll<Region>('/regions', {}, signal)).filter((r) => r.kind === 'city');
        case 'communities':
          return listAll<Community>('/communities', {}, signal);
        case 'centralWarehouses':
          return listAll<Warehouse>('/warehouses', { kind: 'central' }, signal);
        case 'gridWarehouses':
          return listAll<Warehouse>('/warehouses', { kind: 'grid' }, signal);
        case 'categories':
          return listAll<Category>('/categories', {}, signal);
      }
    },
  });
}

/** id → name for table cells; unknown ids render as "#id". */
export function useNameOf(kind: RefKind): (id: number | null | undefined) => string {
  const { data } = useRefOptions(kind);
  return (id) => {
    if (id === null || id === undefined) return '—';
    return data?.find((o) => o.id === id)?.name ?? `#${id}`;
  };
}

/**
 * Community names for the ids on one table page. A city has hundreds of communities, more
 * than one list call returns, so the ones on screen are fetched one by one (and cached).
 */
export function useCommunityNames(ids: Array<number | null | undefined>): (id: number | null | undefined) => string {
  const unique = [...new Set(ids.filter((id): id is number => typeof id === 'number'))];
  const results = useQueries({
    queries: unique.map((id) => ({
      queryKey: ['community', id],
      queryFn: ({ signal }: { signal: AbortSignal }) => get<Community>(`/communities/${id}`, undefined, signal),
      staleTime: 5 * 60_000,
    })),
  });
  const names = new Map<number, string>();
  results.forEach((r) => r.data && names.set(r.data.id, r.data.name));
  return (id) => (id === null || id === undefined ? '—' : (names.get(id) ?? `#${id}`));
}
