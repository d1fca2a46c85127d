// Live selling (直播) as the web app sees it: the contract in docs/live.md. Money is integer fen,
// times ISO strings. The room's realtime part (WebSocket) is in areas/shop/live/useLiveRoom.ts.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, get, getToken } from './client';
import { newIdempotencyKey } from './commerce';
import type { Dashboard, HostProfile, LiveListItem, LiveStatus, SessionDetail, Timeline } from './live.types';

export type * from './live.types';

// ── queries ─────────────────────────────────────────────────────────────────
/** The list may come as a bare array or as a page; the rooms are what matter. */
function itemsOf<T>(r: T[] | { items: T[] }): T[] {
  return Array.isArray(r) ? r : r.items;
}

/** China calendar day (UTC+8) of an ISO time. */
const chinaDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * The server's order (docs/insights.md, "Ranking"), kept when lists of several regions merge:
 * a later scheduled day first; within a day the host with the higher trust score; then newest.
 */
function byDayThenTrust(a: LiveListItem, b: LiveListItem): number {
  const da = chinaDay(a.scheduledAt);
  const db = chinaDay(b.scheduledAt);
  if (da !== db) return da < db ? 1 : -1;
  const ta = a.hostTrustScore ?? null;
  const tb = b.hostTrustScore ?? null;
  if (ta !== tb) return ta === null ? 1 : tb === null ? -1 : tb - ta;
  return b.id - a.id;
}

/**
 * Rooms of these regions (the resident's county and the city above it: a host may sell
 * city-wide), in the server's order (see byDayThenTrust); all regions when none is given. The list filters one region a call.
 */
export function useLiveSessions(status: Exclude<LiveStatus, 'cancelled'>, regionIds: number[] | null, refetchMs?: number, enabled = true) {
  return useQuery({
    queryKey: ['live', 'sessions', status, regionIds?.join(',') ?? 'all'],
    queryFn: async ({ signal }) => {
      const lists = await Promise.all(
        (regionIds ?? [undefined]).map(async (regionId) => itemsOf(await get<LiveListItem[] | { items: LiveListItem[] }>('/live/sessions', { status, regionId, limit: 50 }, signal))),
      );
      return lists.flat().sort(byDayThenTrust);
    },
    enabled,
    staleTime: 10_000,
    ...(refetchMs ? { refetchInterval: refetchMs } : {}),
  });
}

/** One host's rooms (any region), newest first: their public page lists them. */
export function useHostRooms(hostAccountId: number) {
  return useQuery({
    queryKey: ['live', 'sessions', 'host', hostAccountId],
    queryFn: async ({ signal }) => itemsOf(await get<LiveListItem[] | { items: LiveListItem[] }>('/live/sessions', { hostAccountId, limit: 20 }, signal)),
    staleTime: 10_000,
  });
}

/** A region and the ones above it (county → city), for the room lists. */
export function useRegionChain(regionId: number | undefined) {
  return useQuery({
    queryKey: ['regions', regionId, 'chain'],
    queryFn: async ({ signal }) => {
      const chain: number[] = [];
      for (let id: number | null = regionId ?? null; id !== null && chain.length < 4; ) {
        chain.push(id);
        id = (await get<{ id: number; parentId: number | null }>(`/regions/${id}`, undefined, signal)).parentId;
      }
      return chain;
    },
    enabled: regionId !== undefined,
    staleTime: Infinity,
  });
}

export const sessionKey = (id: number) => ['live', 'session', id] as const;
export function useSessionDetail(id: number, refetchMs?: number | false) {
  return useQuery({
    queryKey: sessionKey(id),
    queryFn: ({ signal }) => get<SessionDetail>(`/live/sessions/${id}`, undefined, signal),
    staleTime: 5_000,
    refetchInterval: refetchMs ?? false,
  });
}

export const dashboardKey = (id: number, lastMinutes: number) => ['live', 'dashboard', id, lastMinutes] as const;
export function useDashboard(id: number, lastMinutes: number, refetchMs: number | false) {
  return useQuery({
    queryKey: dashboardKey(id, lastMinutes),
    queryFn: ({ signal }) => get<Dashboard>(`/live/sessions/${id}/dashboard`, { lastMinutes }, signal),
    refetchInterval: refetchMs,
    // Each refresh replaces the last; a slow answer must not flash the page back to loading.
    placeholderData: (prev) => prev,
    staleTime: 0,
  });
}

export function useTimeline(id: number, enabled: boolean) {
  return useQuery({
    queryKey: ['live', 'timeline', id],
    queryFn: ({ signal }) => get<Timeline>(`/live/sessions/${id}/timeline`, undefined, signal),
    enabled,
    staleTime: 60_000,
  });
}

export const hostSessionsKey = ['host', 'sessions'] as const;
export function useHostSessions() {
  return useQuery({
    queryKey: hostSessionsKey,
    queryFn: async ({ signal }) => itemsOf(await get<LiveListItem[] | { items: LiveListItem[] }>('/host/sessions', { limit: 100 }, signal)),
  });
}

/** The signed-in host's own profile; 404 until they save one. */
export function useMyHostProfile() {
  return useQuery({
    queryKey: ['host', 'profile'],
    queryFn: ({ signal }) => get<HostProfile>('/host/profile', undefined, signal),
    retry: false,
  });
}

/**
 * A host's public profile (GET /api/hosts/:accountId) with the signed-in viewer's `following`.
 * The cache is cleared on sign-in and sign-out, so one key per host is enough.
 */
export const hostProfileKey = (accountId: number) => ['live', 'host', accountId] as const;
export function useHostProfile(accountId: number, enabled = true) {
  return useQuery({
    queryKey: hostProfileKey(accountId),
    queryFn: ({ signal }) => get<HostProfile>(`/hosts/${accountId}`, undefined, signal),
    enabled,
    staleTime: 30_000,
    retry: false,
  });
}

/** Follow (true) or stop following (false) a host; the answer's counts replace the cached ones. */
export function useFollowHost(accountId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (follow: boolean) => api<{ following: boolean; followers: number }>(`/hosts/${accountId}/follow`, { method: follow ? 'POST' : 'DELETE' }),
    onSuccess: (r) => qc.setQueryData<HostProfile>(hostProfileKey(accountId), (p) => (p ? { ...p, following: r.following, followers: r.followers } : p)),
  });
}

// ── writes ──────────────────────────────────────────────────────────────────
/**
 * A write under /api. Calls that move stock or money carry an Idempotency-Key; the caller keeps
 * one per intended effect (see useKeyed in the host area) so a retry after a lost answer reuses it.
 */
export function liveWrite<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, key?: string): Promise<T> {
  return api<T>(path, {
    method,
    ...(body === undefined ? (method === 'DELETE' ? {} : { body: {} }) : { body }),
    headers: { 'Idempotency-Key': key ?? newIdempotencyKey() },
  });
}

// ── realtime ────────────────────────────────────────────────────────────────
/**
 * A random id this browser keeps, sent with the room's socket so an anonymous viewer who
 * reconnects (or opens the room again) is counted once in the cumulative viewers.
 */
function viewerKey(): string {
  const KEY = 'linli.live.viewer';
  try {
    const have = localStorage.getItem(KEY);
    if (have && /^[\w-]{8,64}$/.test(have)) return have;
    const made = newIdempotencyKey();
    localStorage.setItem(KEY, made);
    return made;
  } catch {
    return newIdempotencyKey();
  }
}

export function roomUrl(sessionId: number): string {
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const q = new URLSearchParams({ viewer: viewerKey() });
  const token = getToken();
  if (token) q.set('token', token);
  return `${proto}//${window.location.host}/api/live/sessions/${sessionId}/room?${q.toString()}`;
}

/** 1234 → "1,234"; 23456 → "2.3万" in Chinese (how viewer counts are read there). */
export function formatCount(n: number, lang: string): string {
  if (lang.startsWith('zh') && n >= 10_000) return `${(n / 10_000).toFixed(n < 100_000 ? 1 : 0)}万`;
  if (!lang.startsWith('zh') && n >= 10_000) return `${(n / 1000).toFixed(n < 100_000 ? 1 : 0)}k`;
  return n.toLocaleString('en-US');
}
