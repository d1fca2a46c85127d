// A month of trade before the demo's own recent days, simulated in bulk: group-buy orders at the
// pickup points (campaigns cut off nightly, waves, routes, arrivals, pickups — mostly on time,
// some late — and the odd shortage refund), store orders online and at the counter, live
// orders during the evenings' sessions, with the views, clicks and shares around them,
// refunds, after-sales requests with their reasons, and ratings. A few points, stores and
// hosts behave worse than the rest (late pickups, complaints, shortages, self-orders, lower
// stars, fewer returning buyers), so leader KPIs and trust scores differ.
//
// Deterministic: one seed and one city give the same rows (history.test.ts). Written with
// set-based SQL a chunk of a day's orders at a time (history-day.repo.ts), never through
// checkout, so the demo's first start stays fast and the insights bench can write millions.
//
// Money: these orders carry payments (succeeded, refunds recorded) but post nothing to the
// ledger — no journal entries, no commissions. The history is there to be measured (the
// insights read models are recomputed from it); the ledger starts with the demo's own recent
// orders, and `ledger.verify()` checks only the journal against itself, so it stays clean.
// Nothing here writes outbox events either: callers rebuild the read models with
// `InsightsService.recompute` over the returned day range (the demo does it once at the end).
import type { Connection, Database } from '../db';
import { addDays, chinaDay } from '../modules/leaders';
import type { Services } from '../services';
import { DEMO_ACCOUNTS, DEMO_COMMUNITY, DEMO_POINT_NAME, DEMO_STORE_NAME, type DemoCity } from './city';
import type { IdOffsets } from './demo.repo';
import { HistoryDayRepo, type ChunkCounts } from './history-day.repo';
import { chinaMidnight, lowerBounds, planHistory, type HistoryPlan, type PlanOptions } from './history-plan';
import { HistoryRepo } from './history.repo';

export interface HistoryOptions extends Omit<PlanOptions, 'days'> {
  days?: number;
  /** Accounts never drawn as buyers (the demo's own logins keep their curated order lists). */
  excludeBuyers?: number[];
  /** Most orders written per statement set (default 25,000). */
  chunk?: number;
  /**
   * Drop the bulk tables' secondary indexes while writing and build them again at the end
   * (the bench's millions of orders; only with 'chunk' transactions). A run that dies midway
   * leaves them dropped: for throw-away databases only.
   */
  deferIndexes?: boolean;
  /** Keep the foreign-key checks on while writing (tests; slower). */
  checkReferences?: boolean;
  /** 'all': one transaction for the whole history (the demo: nothing half-written); 'chunk': one per chunk (the bench). */
  transaction?: 'all' | 'chunk';
  onProgress?: (ordersDone: number, total: number) => void;
}

export interface HistorySummary {
  /** The China days the history's events fall on, inclusive: the range to recompute. */
  from: string;
  to: string;
  orders: number;
  paid: number;
  lines: number;
  refunds: number;
  afterSales: number;
  pickups: number;
  ratings: number;
  traffic: number;
  campaigns: number;
  sessions: number;
  points: number;
  stores: number;
  hosts: number;
}

export const DEFAULT_HISTORY_DAYS = 30;

export async function simulateHistory(db: Database, o: HistoryOptions): Promise<HistorySummary> {
  const repo = new HistoryRepo();
  const dayRepo = new HistoryDayRepo();
  const days = o.days ?? DEFAULT_HISTORY_DAYS;
  const chunk = o.chunk ?? 25_000;
  const single = (o.transaction ?? 'all') === 'all';
  return db.withConnection(async (conn) => {
    const cast = await repo.loadCast(conn, o.regionIds, o.excludeBuyers ?? []);
    const plan = planHistory(cast, { ...o, days });
    const tx = async <T>(fn: () => Promise<T>): Promise<T> => {
      if (single) return fn();
      await conn.exec('BEGIN');
      try {
        const out = await fn();
        await conn.exec('COMMIT');
        return out;
      } catch (e) {
        await conn.exec('ROLLBACK').catch(() => undefined);
        throw e;
      }
    };
    // The scratch tables of a 50,000-order chunk are ~100 MB; the default 8 MB of temp buffers
    // would write them out to disk and back. Settable only before a session's first TEMP table.
    if (chunk > 5000) await conn.exec(`SET temp_buffers = '256MB'`).catch(() => undefined);
    // The chunk statements are big enough for PostgreSQL to JIT-compile each (~0.1–0.5 s of
    // compiling for a statement that runs once); they gain nothing from it.
    await conn.exec('SET jit = off').catch(() => undefined);
    const trusted = o.checkReferences ? false : await trustedLoad(conn);
    let deferred: string[] = [];
    const rebuild = async () => {
      if (deferred.length === 0) return;
      await conn.exec(`SET maintenance_work_mem = '256MB'`).catch(() => undefined);
      await repo.createIndexes(conn, deferred.splice(0));
      await conn.exec('RESET maintenance_work_mem').catch(() => undefined);
    };
    if (single) await conn.exec('BEGIN');
    try {
      await repo.createScratch(conn);
      await dayRepo.createScratch(conn);
      await tx(() => writeFixtures(conn, repo, plan, o.seed, cast.operatorId));
      if (o.deferIndexes && !single) deferred = await repo.dropIndexes(conn);
      const sum: Omit<HistorySummary, 'from' | 'to' | 'campaigns' | 'sessions' | 'points' | 'stores' | 'hosts'> = {
        orders: 0,
        paid: 0,
        lines: 0,
        refunds: 0,
        afterSales: 0,
        pickups: 0,
        ratings: 0,
        traffic: 0,
      };
      const total = plan.perDay.reduce((a, b) => a + b, 0);
      const lastEventAt = new Date(chinaMidnight(addDays(plan.lastDay, 1)).getTime() - 1000);
      const pointBounds = lowerBounds(plan.points.map((p) => p.weight));
      const storeBounds = lowerBounds(plan.stores.map((s) => s.weight));
      const dayFirstG: number[] = [];
      plan.perDay.reduce((g, n) => (dayFirstG.push(g), g + n), 1);
      const firstDayStart = chinaMidnight(plan.firstDay);
      const base = {
        seed: o.seed,
        tag: `hist-${o.seed}-`,
        dayFirstG,
        firstDayStart,
        lastEventAt,
        sessionLo: plan.sessionDays.map((s) => s.lo),
        sessionCount: plan.sessionDays.map((s) => s.count),
        mix: plan.mix,
        pointBounds,
        storeBounds,
        shelfSize: plan.shelfSize,
        operatorId: cast.operatorId,
      };
      // Chunks hold whole days while they fit (the demo's month is one chunk), or part of one
      // day; a day's waves are drawn once its last order is written.
      let unfinished = 0;
      for (const [g1, g2, endsDay] of chunks(plan.perDay, chunk)) {
        const c: ChunkCounts = await tx(() => dayRepo.writeChunk(conn, { ...base, g1, g2 }));
        if (!unfinished) unfinished = c.firstOrderId;
        for (const k of Object.keys(sum) as Array<keyof typeof sum>) sum[k] += c[k];
        if (endsDay) {
          const from = unfinished;
          await tx(() => dayRepo.finishDays(conn, { seed: o.seed, firstDayStart, firstOrderId: from, lastOrderId: c.lastOrderId }));
          unfinished = 0;
        }
        o.onProgress?.(g2, total);
      }
      await repo.dropScratch(conn);
      await rebuild();
      if (single) await conn.exec('COMMIT');
      return {
        from: plan.firstDay,
        to: plan.lastDay,
        ...sum,
        campaigns: plan.campaigns.length,
        sessions: plan.sessions.length,
        points: plan.points.length,
        stores: plan.stores.length,
        hosts: plan.hosts.length,
      };
    } catch (e) {
      if (single) await conn.exec('ROLLBACK').catch(() => undefined);
      else await repo.dropScratch(conn).catch(() => undefined);
      await rebuild().catch(() => undefined);
      throw e;
    } finally {
      if (trusted) await conn.exec('RESET session_replication_role');
      await conn.exec('RESET jit').catch(() => undefined);
    }
  });
}

/**
 * Skip the foreign-key triggers while the history is written: the rows are consistent by
 * construction (history.test.ts writes the same history with the checks on and compares), and
 * the checks are half of the time on PGlite. Needs a superuser (PGlite always is; a managed
 * PostgreSQL role may not be): without it the history is written with the checks, only slower.
 * CHECK and UNIQUE constraints apply either way; the only triggers in the schema guard the
 * ledger's journal, which the history does not touch.
 */
async function trustedLoad(conn: Connection): Promise<boolean> {
  try {
    await conn.exec('SET session_replication_role = replica');
    return true;
  } catch {
    return false;
  }
}

/**
 * [g1, g2, endsADay] ranges of the simulation's order numbers: whole days packed up to `size`
 * orders, a day bigger than that cut into pieces of at most `size`.
 */
export function chunks(perDay: number[], size: number): Array<[number, number, boolean]> {
  const out: Array<[number, number, boolean]> = [];
  let g = 1;
  let open: [number, number] | null = null;
  for (const n of perDay) {
    if (n === 0) continue;
    if (open && open[1] - open[0] + 1 + n <= size) {
      open[1] += n;
    } else {
      if (open) out.push([open[0], open[1], true]);
      let left = n;
      let at = g;
      while (left > size) {
        out.push([at, at + size - 1, false]);
        at += size;
        left -= size;
      }
      open = [at, at + left - 1];
    }
    g += n;
  }
  if (open) out.push([open[0], open[1], true]);
  return out;
}

/** Profiles, share links, campaigns with their waves, live sessions, and the scratch tables. */
async function writeFixtures(conn: Connection, repo: HistoryRepo, plan: HistoryPlan, seed: number, operatorId: number): Promise<void> {
  const before = chinaMidnight(plan.firstDay);
  await repo.hostProfiles(
    conn,
    plan.hosts.filter((h) => !h.hasProfile).map((h) => ({ accountId: h.accountId, regionId: h.regionId })),
  );
  // One share link per actor, made a few days before the month began.
  const tag = seed.toString(36);
  const linkRows = [
    ...plan.points.map((p) => ({ code: `hp${p.id.toString(36)}x${tag}`, accountId: p.leaderId, actorType: 'leader', actorId: p.leaderId, targetType: 'pickup_point', targetId: p.id })),
    ...plan.stores.map((s) => ({ code: `hs${s.id.toString(36)}x${tag}`, accountId: s.ownerId, actorType: 'store', actorId: s.id, targetType: 'store', targetId: s.id })),
    ...plan.hosts.map((h) => ({ code: `hh${h.accountId.toString(36)}x${tag}`, accountId: h.accountId, actorType: 'host', actorId: h.accountId, targetType: 'page', targetId: null })),
  ].map((l) => ({ ...l, code: l.code.padEnd(6, '0'), createdAt: new Date(before.getTime() - 5 * 86_400_000) }));
  const linkBase = await repo.shareLinks(conn, linkRows);
  const storeLink0 = linkBase + plan.points.length;
  const hostLink0 = storeLink0 + plan.stores.length;

  const { campaignBase, locationBase, waveBase } = await repo.campaigns(
    conn,
    plan.campaigns,
    plan.campaigns.flatMap((c) => c.items.map((it, j) => ({ campaign: c.idx, skuId: it.skuId, priceFen: it.priceFen, sortOrder: j }))),
    operatorId,
  );
  const hostAccount = new Map(plan.hosts.map((h) => [h.idx, h]));
  const live = await repo.sessions(
    conn,
    plan.sessions.map((s) => ({ hostId: hostAccount.get(s.hostIdx)!.accountId, regionId: hostAccount.get(s.hostIdx)!.regionId, title: s.title, startAt: s.startAt, endAt: s.endAt, n: s.idx + 1 })),
    plan.sessions.flatMap((s) => s.bag.map((b, j) => ({ session: s.idx, skuId: b.skuId, priceFen: b.priceFen, position: j }))),
  );

  const col = <T>(rows: T[], f: (r: T) => unknown) => rows.map(f);
  const P = plan.points;
  await repo.fillScratch(conn, 'hist_points', {
    idx: ['int', col(P, (p) => p.idx)],
    id: ['bigint', col(P, (p) => p.id)],
    community_id: ['bigint', col(P, (p) => p.communityId)],
    region_id: ['bigint', col(P, (p) => p.regionId)],
    ri: ['int', col(P, (p) => p.ri)],
    leader: ['bigint', col(P, (p) => p.leaderId)],
    grid: ['bigint', col(P, (p) => p.gridId)],
    route_no: ['int', col(P, (p) => p.routeNo)],
    route_seq: ['int', col(P, (p) => p.routeSeq)],
    res_start: ['int', col(P, (p) => p.resStart)],
    res_count: ['int', col(P, (p) => p.resCount)],
    bad: ['float8', col(P, (p) => p.bad)],
    late: ['float8', col(P, (p) => p.late)],
    after: ['float8', col(P, (p) => p.after)],
    short: ['float8', col(P, (p) => p.short)],
    self: ['float8', col(P, (p) => p.self)],
    loyal: ['float8', col(P, (p) => p.loyal)],
    vpo: ['float8', col(P, (p) => p.vpo)],
    link_id: ['bigint', P.map((_, i) => linkBase + i)],
  });
  const S = plan.stores;
  await repo.fillScratch(conn, 'hist_stores', {
    idx: ['int', col(S, (s) => s.idx)],
    id: ['bigint', col(S, (s) => s.id)],
    community_id: ['bigint', col(S, (s) => s.communityId)],
    region_id: ['bigint', col(S, (s) => s.regionId)],
    ri: ['int', col(S, (s) => s.ri)],
    owner: ['bigint', col(S, (s) => s.ownerId)],
    till: ['bigint', col(S, (s) => s.tillId)],
    location_id: ['bigint', col(S, (s) => s.locationId)],
    res_start: ['int', col(S, (s) => s.resStart)],
    res_count: ['int', col(S, (s) => s.resCount)],
    bad: ['float8', col(S, (s) => s.bad)],
    after: ['float8', col(S, (s) => s.after)],
    self: ['float8', col(S, (s) => s.self)],
    loyal: ['float8', col(S, (s) => s.loyal)],
    vpo: ['float8', col(S, (s) => s.vpo)],
    link_id: ['bigint', S.map((_, i) => storeLink0 + i)],
  });
  const H = plan.hosts;
  await repo.fillScratch(conn, 'hist_hosts', {
    idx: ['int', col(H, (h) => h.idx)],
    account_id: ['bigint', col(H, (h) => h.accountId)],
    region_id: ['bigint', col(H, (h) => h.regionId)],
    res_start: ['int', col(H, (h) => h.resStart)],
    res_count: ['int', col(H, (h) => h.resCount)],
    bad: ['float8', col(H, (h) => h.bad)],
    after: ['float8', col(H, (h) => h.after)],
    self: ['float8', col(H, (h) => h.self)],
    loyal: ['float8', col(H, (h) => h.loyal)],
    vpo: ['float8', col(H, (h) => h.vpo)],
    link_id: ['bigint', H.map((_, i) => hostLink0 + i)],
  });
  const SS = plan.sessions;
  await repo.fillScratch(conn, 'hist_sessions', {
    idx: ['int', col(SS, (s) => s.idx)],
    id: ['bigint', col(SS, (s) => live.sessionBase + s.idx)],
    host_idx: ['int', col(SS, (s) => s.hostIdx)],
    day: ['int', col(SS, (s) => s.day)],
    start_at: ['timestamptz', col(SS, (s) => s.startAt.toISOString())],
    location_id: ['bigint', col(SS, (s) => live.locationBase + s.idx)],
  });
  const R = plan.residents;
  await repo.fillScratch(conn, 'hist_residents', {
    idx: ['int', R.map((_, i) => i)],
    account_id: ['bigint', col(R, (r) => r.accountId)],
    community_id: ['bigint', col(R, (r) => r.communityId)],
  });
  const offers = [
    ...plan.campaigns.flatMap((c) => c.items.map((it, j) => ({ kind: 1, key: c.idx, j, skuId: it.skuId, priceFen: it.priceFen }))),
    ...plan.shelves.flatMap((shelf, ri) => shelf.slice(0, plan.shelfSize).map((s, j) => ({ kind: 2, key: ri, j, skuId: s.skuId, priceFen: s.priceFen }))),
    ...plan.sessions.flatMap((s) => s.bag.map((b, j) => ({ kind: 3, key: s.idx, j, skuId: b.skuId, priceFen: b.priceFen }))),
  ];
  const skuInfo = new Map(plan.shelves.flat().map((s) => [s.skuId, s]));
  await repo.fillScratch(conn, 'hist_offers', {
    kind: ['int', col(offers, (x) => x.kind)],
    key: ['int', col(offers, (x) => x.key)],
    j: ['int', col(offers, (x) => x.j)],
    sku_id: ['bigint', col(offers, (x) => x.skuId)],
    product_id: ['bigint', col(offers, (x) => skuInfo.get(x.skuId)!.productId)],
    title: ['text', col(offers, (x) => skuInfo.get(x.skuId)!.title)],
    spec: ['text', col(offers, (x) => skuInfo.get(x.skuId)!.spec)],
    unit: ['text', col(offers, (x) => skuInfo.get(x.skuId)!.unit)],
    price: ['int', col(offers, (x) => x.priceFen)],
  });
  const C = plan.campaigns;
  await repo.fillScratch(conn, 'hist_campaigns', {
    idx: ['int', col(C, (c) => c.idx)],
    ri: ['int', col(C, (c) => c.ri)],
    day: ['int', col(C, (c) => c.day)],
    id: ['bigint', col(C, (c) => campaignBase + c.idx)],
    location_id: ['bigint', col(C, (c) => locationBase + c.idx)],
    wave_id: ['bigint', col(C, (c) => waveBase + c.idx)],
  });
  await repo.fillScratch(conn, 'hist_routes', {
    route_no: ['int', plan.routes.map((r) => r.routeNo)],
    grid: ['bigint', plan.routes.map((r) => r.gridId)],
    distance_m: ['int', plan.routes.map((r) => r.distanceM)],
  });
}

/** Orders in the demo's month of history: enough for every dashboard and score, small enough for a fast first start. */
export const DEMO_HISTORY_ORDERS = 3000;
/** The history's last day is this many days back: the demo's own group-buy days (orders from 9 days back) come after it. */
const DEMO_HISTORY_GAP_DAYS = 10;

/**
 * The demo city's month of history: all four districts, the demo district busiest, the demo
 * logins never drawn as buyers (their order lists stay the curated ones), the demo's own point,
 * store and host among the reliable. Written before the demo's recent days (so order ids follow
 * time) and the read models rebuilt for it at once, while no outbox event is pending: recompute
 * rebuilds the per-buyer tables in full, so it must not run over orders whose events the relay
 * will still deliver.
 */
export async function seedDemoHistory(
  services: Services,
  city: DemoCity,
  off: IdOffsets,
  opts: { orders?: number; seed?: number } = {},
): Promise<HistorySummary | null> {
  const orders = opts.orders ?? DEMO_HISTORY_ORDERS;
  if (orders <= 0) return null;
  const accountOf = (phone: string) => city.accounts.find((a) => a.phone === phone)!.id + off.accounts;
  const demoCommunity = city.communities.find((c) => c.name === DEMO_COMMUNITY.name)!;
  const demoDistrict = demoCommunity.regionId + off.regions;
  const today = chinaDay(services.clock.now());
  const districts = city.regions.filter((r) => r.kind === 'county').map((r) => r.id + off.regions);
  const summary = await simulateHistory(services.db, {
    seed: opts.seed ?? city.seed,
    orders,
    lastDay: addDays(today, -DEMO_HISTORY_GAP_DAYS),
    regionIds: districts,
    regionWeights: { [demoDistrict]: 2 },
    // A dozen points trade in the demo district, six in each other: some 40 orders a point.
    activePoints: Object.fromEntries(districts.map((id) => [id, id === demoDistrict ? 12 : 6])),
    excludeBuyers: DEMO_ACCOUNTS.map((a) => accountOf(a.phone)),
    good: {
      points: [city.pickupPoints.find((p) => p.name === DEMO_POINT_NAME)!.id + off.pickup_points],
      stores: [city.stores.find((s) => s.name === DEMO_STORE_NAME)!.id + off.stores],
      hosts: [accountOf(DEMO_ACCOUNTS[5]!.phone)],
    },
    transaction: 'all',
  });
  // No read models here: seedDemoIfEmpty rebuilds them once the recent days are written too.
  return summary;
}
