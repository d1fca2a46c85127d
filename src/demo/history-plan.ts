// The plan of a simulated month (history.ts), drawn in memory from the seed before any order is
// written: how many orders each day gets, how every pickup point, store and host behaves, the
// campaigns, live evenings and share links, and the delivery routes. Pure: no database, no
// clock; the same cast and seed give the same plan.
import { Random } from '../kernel';
import { addDays } from '../modules/leaders';
import type { Cast, CastOffer } from './history.repo';
import { BAG_ITEMS, CAMPAIGN_ITEMS, SHELF_STRIDE } from './history-day.repo';

/** How an actor behaves; every rate is per order. */
export interface Behaviour {
  /** 0 for the reliable, near 1 for the few who are not: their buyers complain and rate lower. */
  bad: number;
  late: number;
  after: number;
  short: number;
  self: number;
  /** Buyers are drawn as u^loyal over the neighbours: above 1 a loyal following that comes back. */
  loyal: number;
  /** Views per order. */
  vpo: number;
}

export interface PlannedPoint extends Behaviour {
  idx: number;
  id: number;
  communityId: number;
  regionId: number;
  ri: number;
  leaderId: number;
  gridId: number | null;
  routeNo: number;
  routeSeq: number;
  resStart: number;
  resCount: number;
  weight: number;
}
export interface PlannedStore extends Behaviour {
  idx: number;
  id: number;
  communityId: number;
  regionId: number;
  ri: number;
  ownerId: number;
  tillId: number;
  locationId: number;
  resStart: number;
  resCount: number;
  weight: number;
}
export interface PlannedHost extends Behaviour {
  idx: number;
  accountId: number;
  regionId: number;
  ri: number;
  hasProfile: boolean;
  resStart: number;
  resCount: number;
}
export interface PlannedSession {
  idx: number;
  hostIdx: number;
  day: number;
  startAt: Date;
  endAt: Date;
  title: string;
  bag: Array<{ skuId: number; priceFen: number }>;
}
export interface PlannedCampaign {
  idx: number;
  ri: number;
  day: number;
  regionId: number;
  title: string;
  startsAt: Date;
  cutoffAt: Date;
  pickupDate: string;
  waveAt: Date;
  items: Array<{ skuId: number; priceFen: number }>;
}

export interface HistoryPlan {
  firstDay: string;
  lastDay: string;
  days: number;
  /** Orders per day, summing to the total. */
  perDay: number[];
  /** Cumulative channel shares: group buy, + live, + store online. */
  mix: [number, number, number];
  regionIds: number[];
  points: PlannedPoint[];
  stores: PlannedStore[];
  hosts: PlannedHost[];
  sessions: PlannedSession[];
  /** Index of each day's first session, and how many it has. */
  sessionDays: Array<{ lo: number; count: number }>;
  campaigns: PlannedCampaign[];
  /** Per district (ri), the store shelf: popular SKUs first. */
  shelves: CastOffer[][];
  shelfSize: number;
  routes: Array<{ routeNo: number; gridId: number; distanceM: number }>;
  residents: Array<{ accountId: number; communityId: number }>;
}

export interface PlanOptions {
  seed: number;
  orders: number;
  days: number;
  /** The last China day any event of the history falls on; the orders end the day before. */
  lastDay: string;
  regionIds: number[];
  /** Relative order volume per district (default 1 each). */
  regionWeights?: Record<number, number>;
  /**
   * How many pickup points of a district take part (a region not listed: all of them). A new
   * platform's month runs through a handful of points per district, each with enough orders
   * for its figures to mean something.
   */
  activePoints?: Record<number, number>;
  /** Actors who behave well whatever the draw (the demo's own point, store and host). */
  good?: { points?: number[]; stores?: number[]; hosts?: number[] };
}

/** Channel shares of a month's orders in a district that has all four. */
export const CHANNEL_MIX = { groupBuy: 0.55, live: 0.1, storeOnline: 0.13, storeCounter: 0.22 } as const;
/** Share of actors who behave worse than the rest. */
const BAD_SHARE = { points: 0.15, stores: 0.2, hosts: 0.25 } as const;
const STOPS_PER_ROUTE = 12;
const SHELF_MAX = 80;
const SESSION_TITLES = ['产地直发 · 时令鲜果专场', '今晚厨房 · 家常菜好物', '邻里夜市 · 粮油特价', '周末囤货 · 乳品零食专场', '早餐好物 · 蛋奶面点'];

export function planHistory(cast: Cast, o: PlanOptions): HistoryPlan {
  if (!Number.isInteger(o.orders) || o.orders < 1) throw new Error(`history: orders must be a positive whole number, got ${o.orders}`);
  if (!Number.isInteger(o.days) || o.days < 1) throw new Error(`history: days must be a positive whole number, got ${o.days}`);
  if (cast.points.length === 0) throw new Error('history: the districts have no pickup point with a leader');
  if (cast.residents.length === 0) throw new Error('history: the districts have no residents to buy');
  const root = new Random(o.seed).fork('history');
  const firstDay = addDays(o.lastDay, -o.days);
  const regionIds = o.regionIds;
  const riOf = new Map(regionIds.map((id, i) => [id, i]));
  const regionWeight = (regionId: number) => o.regionWeights?.[regionId] ?? 1;

  // Residents by district and compound: an actor draws buyers from its own compound, or from
  // the whole district when the compound has too few.
  const residents = cast.residents.filter((r) => riOf.has(r.regionId));
  const byCommunity = new Map<number, [number, number]>();
  const byRegion = new Map<number, [number, number]>();
  residents.forEach((r, i) => {
    const c = byCommunity.get(r.communityId);
    if (c) c[1]++;
    else byCommunity.set(r.communityId, [i, 1]);
    const g = byRegion.get(r.regionId);
    if (g) g[1]++;
    else byRegion.set(r.regionId, [i, 1]);
  });
  const rangeOf = (communityId: number, regionId: number): [number, number] => {
    const c = byCommunity.get(communityId);
    if (c && c[1] >= 3) return c;
    const g = byRegion.get(regionId);
    if (!g) throw new Error(`history: district ${regionId} has no residents`);
    return g;
  };

  const rngActors = root.fork('actors');
  const behaviour = (bad: boolean): Behaviour => {
    const j = () => 0.7 + 0.6 * rngActors.float();
    return bad
      ? { bad: 0.75 + 0.2 * rngActors.float(), late: 0.25 * j(), after: 0.09 * j(), short: 0.06 * j(), self: 0.1 * j(), loyal: 0.8 + 0.3 * rngActors.float(), vpo: 5 * j() }
      : { bad: 0.05 + 0.1 * rngActors.float(), late: 0.03 * j(), after: 0.02 * j(), short: 0.01 * j(), self: 0, loyal: 1.6 + 0.8 * rngActors.float(), vpo: 2.6 * j() };
  };
  const goodPoints = new Set(o.good?.points ?? []);
  const goodStores = new Set(o.good?.stores ?? []);
  const goodHosts = new Set(o.good?.hosts ?? []);

  const castPoints = activePoints(cast.points.filter((p) => riOf.has(p.regionId)), o.activePoints ?? {}, goodPoints, rngActors);
  const badPoint = castPoints.map((p) => !goodPoints.has(p.id) && rngActors.chance(BAD_SHARE.points));
  // Every district has a struggling point or two, so the league table has a bottom.
  for (const ri of regionIds.keys()) {
    const idxs = castPoints.map((p, i) => (riOf.get(p.regionId) === ri ? i : -1)).filter((i) => i >= 0);
    if (idxs.length >= 3 && !idxs.some((i) => badPoint[i])) {
      const pick = idxs.filter((i) => !goodPoints.has(castPoints[i]!.id));
      if (pick.length) badPoint[pick[pick.length - 1]!] = true;
    }
  }
  const points: PlannedPoint[] = castPoints.map((p, i) => {
    const ri = riOf.get(p.regionId)!;
    const [resStart, resCount] = rangeOf(p.communityId, p.regionId);
    return {
      idx: i + 1,
      id: p.id,
      communityId: p.communityId,
      regionId: p.regionId,
      ri,
      leaderId: p.leaderId,
      gridId: p.gridId,
      routeNo: 0,
      routeSeq: 0,
      resStart,
      resCount,
      weight: Math.exp(0.6 * rngActors.gaussian()) * regionWeight(p.regionId),
      ...behaviour(badPoint[i]!),
    };
  });
  const routes = planRoutes(points, cast);

  const castStores = cast.stores.filter((s) => riOf.has(s.regionId));
  const stores: PlannedStore[] = castStores.map((s, i) => {
    const [resStart, resCount] = rangeOf(s.communityId, s.regionId);
    const bad = !goodStores.has(s.id) && rngActors.chance(BAD_SHARE.stores);
    return {
      idx: i + 1,
      id: s.id,
      communityId: s.communityId,
      regionId: s.regionId,
      ri: riOf.get(s.regionId)!,
      ownerId: s.ownerId,
      tillId: s.tillId,
      locationId: s.locationId,
      resStart,
      resCount,
      weight: Math.exp(0.5 * rngActors.gaussian()) * regionWeight(s.regionId),
      ...behaviour(bad),
    };
  });

  const hostBad = cast.hosts.map((h) => !goodHosts.has(h.accountId) && rngActors.chance(BAD_SHARE.hosts));
  if (cast.hosts.length >= 2 && !hostBad.some(Boolean)) {
    const i = cast.hosts.findLastIndex((h) => !goodHosts.has(h.accountId));
    if (i >= 0) hostBad[i] = true;
  }
  const hosts: PlannedHost[] = cast.hosts.map((h, i) => {
    // A host sells in the district of their profile when it is one of ours, else one by turn.
    const regionId = h.regionId !== null && riOf.has(h.regionId) ? h.regionId : regionIds[i % regionIds.length]!;
    const [resStart, resCount] = byRegion.get(regionId) ?? [0, residents.length];
    return { idx: i, accountId: h.accountId, regionId, ri: riOf.get(regionId)!, hasProfile: h.hasProfile, resStart, resCount, ...behaviour(hostBad[i]!) };
  });

  // Each district's shelf, popular first (the store channel draws u² over it).
  const rngGoods = root.fork('goods');
  const shelves = regionIds.map((id) => rngGoods.shuffle(cast.shelf.filter((s) => s.regionId === id)));
  const minShelf = Math.min(...shelves.map((s) => s.length));
  if (minShelf < CAMPAIGN_ITEMS) throw new Error(`history: every district needs at least ${CAMPAIGN_ITEMS} SKUs on sale`);
  let shelfSize = Math.min(SHELF_MAX, minShelf);
  // The line stride must be co-prime with the shelf size so an order's lines are distinct SKUs.
  while (shelfSize % SHELF_STRIDE === 0) shelfSize--;

  const dayStart = (d: number) => chinaMidnight(addDays(firstDay, d));
  const campaigns: PlannedCampaign[] = [];
  for (let ri = 0; ri < regionIds.length; ri++) {
    for (let d = 0; d < o.days; d++) {
      const pickupDate = addDays(firstDay, d + 1);
      const start = dayStart(d).getTime();
      campaigns.push({
        idx: ri * o.days + d,
        ri,
        day: d,
        regionId: regionIds[ri]!,
        title: `${monthDay(pickupDate)} 邻里团购`,
        startsAt: new Date(start + 7 * 3600_000),
        cutoffAt: new Date(start + 23 * 3600_000),
        pickupDate,
        waveAt: new Date(start + 23 * 3600_000 + 5 * 60_000),
        items: rngGoods
          .shuffle(shelves[ri]!)
          .slice(0, CAMPAIGN_ITEMS)
          .map((s) => ({ skuId: s.skuId, priceFen: Math.max(1, Math.floor(s.priceFen * (0.7 + 0.2 * rngGoods.float()))) })),
      });
    }
  }

  // Live evenings: each host goes live on about half the evenings; never an evening without one.
  const rngLive = root.fork('live');
  const sessions: PlannedSession[] = [];
  const sessionDays: Array<{ lo: number; count: number }> = [];
  for (let d = 0; d < o.days; d++) {
    const lo = sessions.length;
    const live = hosts.filter((h) => rngLive.chance(h.bad > 0.5 ? 0.35 : 0.5));
    if (live.length === 0 && hosts.length > 0) live.push(hosts[d % hosts.length]!);
    for (const h of live) {
      const startAt = new Date(dayStart(d).getTime() + (19.5 + 0.5 * rngLive.int(0, 2)) * 3600_000);
      sessions.push({
        idx: sessions.length,
        hostIdx: h.idx,
        day: d,
        startAt,
        endAt: new Date(startAt.getTime() + (70 + rngLive.int(0, 25)) * 60_000),
        title: `${monthDay(addDays(firstDay, d))} ${rngLive.pick(SESSION_TITLES)}`,
        bag: rngLive
          .shuffle(shelves[h.ri]!)
          .slice(0, BAG_ITEMS)
          .map((s) => ({ skuId: s.skuId, priceFen: Math.max(10, Math.floor((s.priceFen * 0.85) / 10) * 10) })),
      });
    }
    sessionDays.push({ lo, count: sessions.length - lo });
  }

  const hasStores = stores.length > 0;
  const hasLive = hosts.length > 0;
  const shares = [CHANNEL_MIX.groupBuy, hasLive ? CHANNEL_MIX.live : 0, hasStores ? CHANNEL_MIX.storeOnline : 0, hasStores ? CHANNEL_MIX.storeCounter : 0];
  const total = shares.reduce((a, b) => a + b, 0);
  const mix: [number, number, number] = [shares[0]! / total, (shares[0]! + shares[1]!) / total, (shares[0]! + shares[1]! + shares[2]!) / total];

  return {
    firstDay,
    lastDay: o.lastDay,
    days: o.days,
    perDay: dayVolumes(o.orders, o.days, firstDay),
    mix,
    regionIds,
    points,
    stores,
    hosts,
    sessions,
    sessionDays,
    campaigns,
    shelves,
    shelfSize,
    routes,
    residents: residents.map((r) => ({ accountId: r.accountId, communityId: r.communityId })),
  };
}

/** The points that trade: per listed district, the good ones first, then a draw; in id order. */
function activePoints(points: Cast['points'], limits: Record<number, number>, good: Set<number>, rng: Random): Cast['points'] {
  const keep = new Set<number>();
  const regions = [...new Set(points.map((p) => p.regionId))].sort((a, b) => a - b);
  for (const regionId of regions) {
    const mine = points.filter((p) => p.regionId === regionId);
    const limit = limits[regionId] ?? mine.length;
    const chosen = [...mine.filter((p) => good.has(p.id)), ...rng.shuffle(mine.filter((p) => !good.has(p.id)))].slice(0, limit);
    for (const p of chosen) keep.add(p.id);
  }
  return points.filter((p) => keep.has(p.id));
}

/** Cumulative lower bounds of each weight's share of [0, 1): width_bucket's thresholds. */
export function lowerBounds(weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const out: number[] = [];
  let acc = 0;
  for (const w of weights) {
    out.push(acc / total);
    acc += w;
  }
  return out;
}

/** A month that grows by a third from its first day to its last, busier at weekends; sums to `orders`. */
export function dayVolumes(orders: number, days: number, firstDay: string): number[] {
  const weights = Array.from({ length: days }, (_, d) => {
    const dow = new Date(`${addDays(firstDay, d)}T00:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday
    const week = dow === 0 || dow === 6 ? 1.15 : dow === 5 ? 1.05 : 1;
    return (0.85 + (0.3 * d) / Math.max(1, days - 1)) * week;
  });
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (orders * w) / total);
  const out = exact.map(Math.floor);
  // Largest remainders take the units left over.
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0, left = orders - out.reduce((a, b) => a + b, 0); k < left; k++) out[order[k % days]![1]]!++;
  return out;
}

/**
 * Routes as a grid warehouse would run them: its points in order of bearing around it, a van
 * per STOPS_PER_ROUTE of them, distance along depot → stops → depot.
 */
function planRoutes(points: PlannedPoint[], cast: Cast): HistoryPlan['routes'] {
  const at = new Map(cast.points.map((p) => [p.id, p]));
  const byGrid = new Map<number, PlannedPoint[]>();
  for (const p of points) {
    if (p.gridId === null) continue;
    const list = byGrid.get(p.gridId) ?? [];
    list.push(p);
    byGrid.set(p.gridId, list);
  }
  const routes: HistoryPlan['routes'] = [];
  for (const [gridId, list] of [...byGrid].sort((a, b) => a[0] - b[0])) {
    const c = at.get(list[0]!.id)!;
    const depot = { lat: c.gridLat ?? c.lat, lng: c.gridLng ?? c.lng };
    const bearing = (id: number) => {
      const q = at.get(id)!;
      return Math.atan2(q.lat - depot.lat, (q.lng - depot.lng) * Math.cos((depot.lat * Math.PI) / 180));
    };
    const sorted = list.slice().sort((a, b) => bearing(a.id) - bearing(b.id) || a.id - b.id);
    for (let i = 0; i < sorted.length; i += STOPS_PER_ROUTE) {
      const routeNo = routes.length + 1;
      const stops = sorted.slice(i, i + STOPS_PER_ROUTE);
      let distance = 0;
      let prev = depot;
      stops.forEach((p, k) => {
        p.routeNo = routeNo;
        p.routeSeq = k + 1;
        const q = at.get(p.id)!;
        distance += metres(prev, q);
        prev = q;
      });
      distance += metres(prev, depot);
      routes.push({ routeNo, gridId, distanceM: Math.round(distance * 1.3) });
    }
  }
  return routes;
}

function metres(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const h = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lng - a.lng) * rad) / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

/** Midnight China time (UTC+8 all year) that starts `day`. */
export function chinaMidnight(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 8 * 3600_000);
}

function monthDay(day: string): string {
  const [, m, d] = day.split('-');
  return `${Number(m)}月${Number(d)}日`;
}
