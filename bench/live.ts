// `linli bench live`: one live room with N viewers on loopback, then a flash sale.
//
// The server runs in this process (PGlite in memory, or a fresh PostgreSQL database with
// --backend postgres) and listens on 127.0.0.1; the viewers are `ws` clients in a worker thread
// of this process (bench/live-viewers.ts), so they share the machine's two cores with the
// server but not its event loop. Phases:
//   room   — N viewers join one room (anonymous, plus a few signed-in chatters);
//   chat   — chatters send messages carrying their send time; every viewer's delivery is timed;
//   pin    — the host pins products over HTTP; the time from the call to each viewer's `pin`
//            message is timed (route, transaction, outbox relay, fan-out);
//   flash  — the host starts a flash sale of 100 units; 2,000 distinct buyers (from the viewers'
//            thread) order at once over HTTP, at most --concurrency in flight, while the viewers
//            stay in the room; sold units are counted in the database afterwards.
// Targets: fan-out p99 < 200 ms at 5,000 viewers; exactly 100 sold; under a minute.
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { migrate, openDatabase, redactUrl, type Database } from '../src/db';
import { makeCommerceWorld } from '../src/flows/testing';
import { buildApp } from '../src/http/app';
import { createServices } from '../src/services';
import { dropPostgres, freshPostgres } from './child';
import type { ViewersCommand, ViewersEvent, ViewersSetup } from './live-viewers';

const VIEWERS = new URL('./live-viewers-bootstrap.js', import.meta.url);
/** Its own database, so it never drops one another benchmark is using. */
const BENCH_DB = 'linli_bench_live';


export interface LiveBenchOptions {
  viewers: number;
  backend: 'pglite' | 'postgres';
  databaseUrl: string;
  /** Chat messages timed (one chatter account each: the rate limit is per account). */
  chats: number;
  /** Pins timed. */
  pins: number;
  buyers: number;
  units: number;
  /** Buyers' requests in flight at once. */
  concurrency: number;
  log?: (msg: string) => void;
  /** A phase began (`total` steps); the CLI draws a progress bar. */
  onPhase?: (phase: string, total: number) => void;
  onProgress?: (done: number) => void;
}

export interface LiveBenchResult {
  name: 'live';
  backend: 'pglite' | 'postgres';
  viewers: number;
  /** Over every delivery of every timed chat and pin message. */
  fanoutP50Ms: number;
  fanoutP99Ms: number;
  fanoutMaxMs: number;
  chatP50Ms: number;
  chatP99Ms: number;
  pinP50Ms: number;
  pinP99Ms: number;
  deliveries: number;
  /** Deliveries expected but not received within 10 s of their send. */
  missed: number;
  joinSeconds: number;
  /** Buyers answered per second in the flash sale (sold or sold out). */
  flashSaleOrdersPerSec: number;
  flashSaleSeconds: number;
  flashSaleP99Ms: number;
  buyers: number;
  units: number;
  sold: number;
  oversold: number;
  statuses: Record<string, number>;
  peakRssMb: number;
  durationS: number;
}

const pct = (sorted: number[], p: number) => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! * 10) / 10 : 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** File descriptors this process may open (Linux), to fail early with a hint rather than midway. */
function fdLimit(): number | null {
  try {
    const m = /Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Sessions for many accounts at once (logging each in would hash a password per buyer). */
async function bulkTokens(db: Database, accountIds: number[]): Promise<string[]> {
  const tokens = accountIds.map(() => randomBytes(24).toString('base64url'));
  const hashes = tokens.map((t) => createHash('sha256').update(t).digest('hex'));
  await db.query(`INSERT INTO sessions (token_hash, account_id, expires_at) SELECT unnest($1::text[]), unnest($2::bigint[]), now() + interval '1 day'`, [hashes, accountIds]);
  return tokens;
}

export async function runLiveBench(opts: LiveBenchOptions): Promise<LiveBenchResult> {
  const log = opts.log ?? (() => undefined);
  const started = performance.now();
  const limit = fdLimit();
  const needed = opts.viewers * 2 + opts.concurrency * 2 + 200;
  if (limit !== null && limit < needed) {
    throw new Error(`${opts.viewers} viewers need about ${needed} open files (a socket each on both ends) but this process may open ${limit}: raise it first, e.g. \`ulimit -n ${Math.max(needed, 20000)}\``);
  }
  let peakRss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);

  const databaseUrl = opts.backend === 'postgres' ? await freshPostgres(opts.databaseUrl, BENCH_DB) : undefined;
  log(`backend: ${databaseUrl ? `PostgreSQL ${redactUrl(databaseUrl)}` : 'PGlite in memory'}`);
  const db = await openDatabase(databaseUrl ? { databaseUrl, poolSize: 20 } : {});
  let viewers: Worker | null = null;
  let services: Awaited<ReturnType<typeof createServices>> | null = null;
  let app: Awaited<ReturnType<typeof buildApp>> | null = null;
  try {
    await migrate(db);
    services = await createServices(db, {});
    const s = services;
    app = await buildApp(s, { logLevel: 'warn', requestLogging: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as AddressInfo).port;
    const base = `http://127.0.0.1:${port}`;
    await s.events.start();

    // ── the world: a region with a central warehouse, a host, chatters and buyers ──
    log(`seeding ${opts.buyers} buyers, ${opts.chats} chatters…`);
    const w = await makeCommerceWorld(db, {
      buyers: opts.buyers + opts.chats,
      skus: [
        { priceFen: 3990, stock: opts.units + 1000 },
        { priceFen: 1290, stock: 1000 },
        { priceFen: 890, stock: 1000 },
      ],
    });
    const hostId = w.storeOwnerId; // any account will do: it becomes the host
    await db.query(`INSERT INTO account_roles (account_id, role) VALUES ($1, 'host') ON CONFLICT DO NOTHING`, [hostId]);
    const [hostToken] = await bulkTokens(db, [hostId]);
    const buyerTokens = await bulkTokens(db, w.buyerIds.slice(0, opts.buyers));
    const chatterTokens = await bulkTokens(db, w.buyerIds.slice(opts.buyers));
    const api = async (method: string, path: string, body?: unknown, key?: string) => {
      const res = await fetch(`${base}/api${path}`, {
        method,
        headers: { authorization: `Bearer ${hostToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(key ? { 'idempotency-key': key } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${text}`);
      return JSON.parse(text) as Record<string, unknown>;
    };
    await api('PUT', '/host/profile', { displayName: '压测主播', regionId: w.regionId });
    const created = await api(
      'POST',
      '/host/sessions',
      {
        title: '压测直播间',
        scheduledAt: new Date(Date.now() + 60_000).toISOString(),
        streamUrl: 'https://cdn.example.com/live/bench.m3u8',
        bag: w.skuIds.map((skuId, i) => ({ skuId, livePriceFen: 990 + i * 100, allotted: i === 0 ? opts.units + 500 : 500 })),
      },
      'bench-live-session',
    );
    const sessionId = (created.session as { id: number }).id;
    await api('POST', `/host/sessions/${sessionId}/start`);

    // ── the room: the viewers in their own thread ──
    const totalViewers = Math.max(opts.viewers, opts.chats);
    opts.onPhase?.('viewers joining', totalViewers);
    const setup: ViewersSetup = { url: `ws://127.0.0.1:${port}/api/live/sessions/${sessionId}/room`, viewers: totalViewers, chatterTokens, parallel: 200 };
    viewers = new Worker(VIEWERS, { workerData: setup });
    const thread = viewers;
    const events = new EventEmitter();
    thread.on('message', (e: ViewersEvent) => events.emit(e.type, e));
    thread.on('error', (err) => events.emit('failed', { type: 'failed', message: err.message }));
    const next = <T extends ViewersEvent['type']>(type: T, ms: number) =>
      new Promise<Extract<ViewersEvent, { type: T }>>((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          events.off(type, onEvent);
          events.off('failed', onFailed);
        };
        const onEvent = (e: Extract<ViewersEvent, { type: T }>) => (done(), resolve(e));
        const onFailed = (e: { message: string }) => (done(), reject(new Error(`viewers: ${e.message}`)));
        const timer = setTimeout(() => (done(), reject(new Error(`viewers: no ${type} within ${ms} ms`))), ms);
        events.on(type, onEvent);
        events.on('failed', onFailed);
      });
    const command = (c: ViewersCommand) => thread.postMessage(c);
    events.on('joined', (e: { done: number }) => opts.onProgress?.(e.done));
    const joinStarted = performance.now();
    await next('ready', 120_000);
    const joinSeconds = (performance.now() - joinStarted) / 1000;
    log(`${totalViewers} viewers joined in ${joinSeconds.toFixed(1)} s; online ${s.liveRooms.online(sessionId)}`);
    await sleep(500);

    const report = async () => {
      command({ type: 'report' });
      return next('report', 10_000);
    };
    /** Until `expected` deliveries were timed, or 10 s passed (the rest count as missed). */
    const waitForDeliveries = async (kind: 'chat' | 'pin', expected: number) => {
      const deadline = performance.now() + 10_000;
      for (;;) {
        command({ type: 'count' });
        const c = await next('count', 10_000);
        if (c[kind] >= expected || performance.now() > deadline) return c;
        await sleep(50);
      }
    };

    // ── chat: each chatter sends one message, 100 ms apart (a busy room) ──
    opts.onPhase?.('chat fan-out', opts.chats);
    for (let i = 0; i < opts.chats; i++) {
      command({ type: 'chat', chatter: i });
      await sleep(100);
      opts.onProgress?.(i + 1);
    }
    const afterChat = await waitForDeliveries('chat', opts.chats * totalViewers);
    const chatMissed = opts.chats * totalViewers - afterChat.chat;

    // ── pins: one after another, each timed from the host's call ──
    opts.onPhase?.('pin fan-out', opts.pins);
    for (let i = 0; i < opts.pins; i++) {
      command({ type: 'pin-sent', at: performance.timeOrigin + performance.now() });
      await api('POST', `/host/sessions/${sessionId}/pin`, { skuId: w.skuIds[i % w.skuIds.length] });
      await waitForDeliveries('pin', (i + 1) * totalViewers);
      opts.onProgress?.(i + 1);
      await sleep(200);
    }
    const { chat: chatLatencies, pin: pinLatencies } = await report();
    const pinMissed = opts.pins * totalViewers - pinLatencies.length;

    const chatSorted = [...chatLatencies].sort((a, b) => a - b);
    const pinSorted = [...pinLatencies].sort((a, b) => a - b);
    const all = [...chatLatencies, ...pinLatencies].sort((a, b) => a - b);
    log(`fan-out: chat p50 ${pct(chatSorted, 50)} p99 ${pct(chatSorted, 99)} ms; pin p50 ${pct(pinSorted, 50)} p99 ${pct(pinSorted, 99)} ms`);

    // ── flash sale: 2,000 buyers for 100 units ──
    const flash = await api(
      'POST',
      `/host/sessions/${sessionId}/flash-sales`,
      { skuId: w.skuIds[0], priceFen: 99, quantity: opts.units, limitPerPerson: 1, durationS: 600 },
      'bench-live-flash',
    );
    const flashSaleId = flash.id as number;
    opts.onPhase?.('flash sale buyers', opts.buyers);
    events.on('bought', (e: { done: number }) => opts.onProgress?.(e.done));
    command({
      type: 'buy',
      url: `${base}/api/orders`,
      tokens: buyerTokens,
      body: { channel: 'live', liveSessionId: sessionId, flashSaleId, fulfilment: 'delivery', lines: [{ skuId: w.skuIds[0], quantity: 1 }] },
      concurrency: opts.concurrency,
    });
    const bought = await next('buyers', 300_000);
    const flashSaleSeconds = bought.seconds;
    const statuses = new Map(Object.entries(bought.statuses));
    const orderTimes = bought.latencies;
    const [sold] = await db.query<{ units: number }>(
      `SELECT coalesce(sum(l.quantity), 0)::int AS units FROM orders o JOIN order_lines l ON l.order_id = o.id
       WHERE o.flash_sale_id = $1 AND o.status NOT IN ('cancelled', 'expired')`,
      [flashSaleId],
    );
    const soldUnits = Number(sold!.units);
    log(`flash sale: ${soldUnits} sold of ${opts.units}; statuses ${JSON.stringify(Object.fromEntries(statuses))} in ${flashSaleSeconds.toFixed(2)} s`);
    orderTimes.sort((a, b) => a - b);

    return {
      name: 'live',
      backend: opts.backend,
      viewers: totalViewers,
      fanoutP50Ms: pct(all, 50),
      fanoutP99Ms: pct(all, 99),
      fanoutMaxMs: Math.round((all[all.length - 1] ?? 0) * 10) / 10,
      chatP50Ms: pct(chatSorted, 50),
      chatP99Ms: pct(chatSorted, 99),
      pinP50Ms: pct(pinSorted, 50),
      pinP99Ms: pct(pinSorted, 99),
      deliveries: all.length,
      missed: chatMissed + pinMissed,
      joinSeconds: Math.round(joinSeconds * 10) / 10,
      flashSaleOrdersPerSec: Math.round(opts.buyers / flashSaleSeconds),
      flashSaleSeconds: Math.round(flashSaleSeconds * 100) / 100,
      flashSaleP99Ms: pct(orderTimes, 99),
      buyers: opts.buyers,
      units: opts.units,
      sold: soldUnits,
      oversold: Math.max(0, soldUnits - opts.units),
      statuses: Object.fromEntries(statuses),
      peakRssMb: Math.round(Math.max(peakRss, process.memoryUsage().rss) / 2 ** 20),
      durationS: Math.round((performance.now() - started) / 100) / 10,
    };
  } finally {
    clearInterval(rssTimer);
    if (viewers) await viewers.terminate();
    if (services) await services.events.stop().catch(() => undefined);
    if (app) await app.close().catch(() => undefined);
    if (services) await services.checkout.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    if (databaseUrl) await dropPostgres(opts.databaseUrl, BENCH_DB);
  }
}

export function formatLive(r: LiveBenchResult): string {
  return [
    `live room on ${r.backend}: ${r.viewers} viewers (joined in ${r.joinSeconds} s), fan-out p50 ${r.fanoutP50Ms} ms, p99 ${r.fanoutP99Ms} ms over ${r.deliveries} deliveries (${r.missed} missed)`,
    `  chat p50 ${r.chatP50Ms} / p99 ${r.chatP99Ms} ms; pin (from the host's call) p50 ${r.pinP50Ms} / p99 ${r.pinP99Ms} ms`,
    `  flash sale: ${r.buyers} buyers for ${r.units} units → ${r.sold} sold, oversold ${r.oversold}; ${r.flashSaleOrdersPerSec} buyers answered/s (${r.flashSaleSeconds} s, p99 ${r.flashSaleP99Ms} ms)`,
    `  peak RSS ${r.peakRssMb} MB, ${r.durationS} s in all`,
  ].join('\n');
}
