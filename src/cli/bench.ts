import type { Command } from 'commander';

/** The PostgreSQL server a benchmark on PostgreSQL uses when --database-url is not given. */
const benchPostgres = (url: string | undefined) => url ?? (process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test');

/** A whole-number option of 1 or more, or the error naming it. */
function positiveWhole(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number`);
  return n;
}

/** The benchmarks that run on either store take `--backend postgres | pglite`. */
function postgresOrPglite(backend: string): 'postgres' | 'pglite' {
  if (backend !== 'postgres' && backend !== 'pglite') throw new Error('--backend must be postgres or pglite');
  return backend;
}

/** `linli bench <name>`: each benchmark lives in bench/ and registers here. */
export function registerBenchCommands(bench: Command): void {
  bench.action(() => bench.help());

  bench
    .command('geo')
    .description('nearby-query index: N random points in a city, Q radius queries (1–3 km, nearest 20)')
    .option('--points <n>', 'points in the index', '100000')
    .option('--queries <n>', 'queries to time', '10000')
    .option('--delta <n>', 'points added or moved after the build, left un-rebuilt', '1000')
    .option('--seed <n>', 'random seed', '20261125')
    .option('--json', 'print one JSON object')
    .option('--save', 'also write bench/results/geo.json')
    .action(async (opts: { points: string; queries: string; delta: string; seed: string; json?: boolean; save?: boolean }) => {
      // Loaded on demand so other commands do not pay for the benchmark code.
      const { runGeoBench, formatGeoBench } = await import('../../bench/geo');
      const result = runGeoBench({ points: Number(opts.points), queries: Number(opts.queries), deltaPoints: Number(opts.delta), seed: Number(opts.seed) });
      console.log(opts.json ? JSON.stringify(result) : formatGeoBench(result));
      if (opts.save) {
        const { saveResult } = await import('../../bench/results');
        const path = saveResult('geo', result);
        if (!opts.json) console.log(`saved ${path}`);
      }
    });

  bench
    .command('matching')
    .description('matching v1: build the model from synthetic history, then time top-20 for random residents')
    .option('--residents <n>', 'residents', '100000')
    .option('--products <n>', 'products', '50000')
    .option('--queries <n>', 'requests to time', '20000')
    .option('--seed <n>', 'random seed', '20261125')
    .option('--json', 'print one JSON object')
    .action(async (opts: { residents: string; products: string; queries: string; seed: string; json?: boolean }) => {
      const { runMatchingBench, formatMatchingBench } = await import('../../bench/matching');
      const { saveResult } = await import('../../bench/results');
      const result = runMatchingBench({ residents: Number(opts.residents), products: Number(opts.products), queries: Number(opts.queries), seed: Number(opts.seed) });
      const path = saveResult('matching', result);
      console.log(opts.json ? JSON.stringify(result) : `${formatMatchingBench(result)}\nsaved ${path}`);
    });

  bench
    .command('pos')
    .description('a whole day at one till: N cash sales through the POS flow on a fresh database; first and last tenth compared')
    .option('--sales <n>', 'counter sales in the day', '3000')
    .option('--database-url <url>', 'PostgreSQL server (default: embedded PGlite, in memory)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { sales: string; databaseUrl?: string; json?: boolean }) => {
      const { runPosBench } = await import('../../bench/pos');
      const { saveResult } = await import('../../bench/results');
      const total = Number(opts.sales);
      const result = await runPosBench({
        sales: total,
        databaseUrl: opts.databaseUrl,
        progress: (done) => process.stderr.write(`\rsales ${done}/${total}`),
      });
      process.stderr.write('\n');
      const path = saveResult(`pos-${result.backend}`, result);
      console.log(opts.json ? JSON.stringify(result) : `${JSON.stringify(result, null, 2)}\nsaved ${path}`);
    });

  bench
    .command('browse')
    .description("resident's product list under load: server in a child process on a fresh database, autocannon here")
    .option('--duration <s>', 'seconds to measure', '10')
    .option('--connections <n>', 'concurrent connections', '100')
    .option('--warmup <s>', 'seconds of load before measuring', '3')
    .option('--database-url <url>', 'PostgreSQL server (default $DATABASE_URL; else PGlite); uses a fresh database linli_bench')
    .option('--json', 'print one JSON object')
    .action(async (opts: { duration: string; connections: string; warmup: string; databaseUrl?: string; json?: boolean }) => {
      const { runBrowseBench, saveBrowseResult, formatBrowse } = await import('../../bench/browse');
      const result = await runBrowseBench({
        durationS: Number(opts.duration),
        connections: Number(opts.connections),
        warmupS: Number(opts.warmup),
        databaseUrl: opts.databaseUrl ?? (process.env.DATABASE_URL || undefined),
        log: opts.json ? undefined : (m) => console.log(m),
      });
      const path = saveBrowseResult(result);
      console.log(opts.json ? JSON.stringify(result) : `${formatBrowse(result)}\nsaved ${path}`);
    });

  bench
    .command('checkout')
    .description('orders over HTTP: a flash-sale race for one SKU, then mixed baskets; server in a child process')
    .option('--backend <b>', 'pglite | postgres | redis (PostgreSQL + the Redis stock front)', 'pglite')
    .option('--buyers <n>', 'buyers racing for the hot SKU', '2000')
    .option('--units <n>', 'units of the hot SKU', '100')
    .option('--shelf <n>', 'SKUs in the mixed baskets', '200')
    .option('--connections <n>', 'concurrent connections', '200')
    .option('--duration <s>', 'seconds of mixed load to measure', '10')
    .option('--warmup <s>', 'seconds of mixed load before measuring', '3')
    .option('--database-url <url>', 'PostgreSQL server (default $DATABASE_URL or postgres://postgres@127.0.0.1:5432/test); uses a fresh database linli_bench')
    .option('--redis-url <url>', 'Redis for --backend redis (default $REDIS_URL or redis://127.0.0.1:6379)')
    .option('--json', 'print one JSON object')
    .action(
      async (opts: {
        backend: string;
        buyers: string;
        units: string;
        shelf: string;
        connections: string;
        duration: string;
        warmup: string;
        databaseUrl?: string;
        redisUrl?: string;
        json?: boolean;
      }) => {
        if (!['pglite', 'postgres', 'redis'].includes(opts.backend)) throw new Error('--backend must be pglite, postgres or redis');
        const { runCheckoutBench, saveCheckoutResult, formatCheckout } = await import('../../bench/checkout');
        const result = await runCheckoutBench({
          backend: opts.backend as 'pglite' | 'postgres' | 'redis',
          databaseUrl: benchPostgres(opts.databaseUrl),
          redisUrl: opts.redisUrl ?? (process.env.REDIS_URL || 'redis://127.0.0.1:6379'),
          buyers: Number(opts.buyers),
          units: Number(opts.units),
          shelf: Number(opts.shelf),
          connections: Number(opts.connections),
          durationS: Number(opts.duration),
          warmupS: Number(opts.warmup),
          log: opts.json ? (m) => console.error(m) : (m) => console.log(m),
        });
        const path = saveCheckoutResult(result);
        console.log(opts.json ? JSON.stringify(result) : `${formatCheckout(result)}\nsaved ${path}`);
      },
    );

  bench
    .command('events')
    .description('outbox relay: commit → handler lag when idle, and events/s with concurrent producers')
    .option('--events <n>', 'events in the load phase', '20000')
    .option('--batch <n>', 'events per producer transaction', '50')
    .option('--producers <n>', 'concurrent producers', '4')
    .option('--idle <n>', 'single-event transactions timed one by one', '200')
    .option('--database-url <url>', 'PostgreSQL server (default $DATABASE_URL; else PGlite); uses a fresh database linli_bench_events')
    .option('--nats-url <url>', 'relay through NATS JetStream (default $NATS_URL; else in process)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { events: string; batch: string; producers: string; idle: string; databaseUrl?: string; natsUrl?: string; json?: boolean }) => {
      const { runEventsBench, saveEventsResult, formatEvents } = await import('../../bench/events');
      const result = await runEventsBench({
        events: Number(opts.events),
        batch: Number(opts.batch),
        producers: Number(opts.producers),
        idleSamples: Number(opts.idle),
        databaseUrl: opts.databaseUrl ?? (process.env.DATABASE_URL || undefined),
        natsUrl: opts.natsUrl ?? (process.env.NATS_URL || undefined),
        log: opts.json ? undefined : (m) => console.error(m),
      });
      const path = saveEventsResult(result);
      console.log(opts.json ? JSON.stringify(result) : `${formatEvents(result)}\nsaved ${path}`);
    });

  bench
    .command('startup')
    .description('first start (seed demo city) and later start of `linli serve --demo`, and server memory under load')
    .option('--clean-web', 'delete web/dist first, so the first start also builds the web app')
    .option('--port <n>', 'port for the server under test', '3987')
    .option('--json', 'print one JSON object')
    .action(async (opts: { cleanWeb?: boolean; port: string; json?: boolean }) => {
      const { runStartupBench } = await import('../../bench/startup');
      const { saveResult } = await import('../../bench/results');
      const result = await runStartupBench({
        cleanWeb: !!opts.cleanWeb,
        port: Number(opts.port),
        log: opts.json ? () => undefined : (m) => console.error(m),
      });
      const path = saveResult('startup', result);
      console.log(opts.json ? JSON.stringify(result) : `${JSON.stringify(result, null, 2)}\nsaved ${path}`);
    });
  bench
    .command('routes')
    .description('route planner on a CVRPLIB set against best-known solutions (budget F·n s per instance)')
    .requiredOption('--set <name>', 'A, B, P or X (a folder of the data directory)')
    .option('--time-factor <f>', 'seconds per customer', '0.24')
    .option('--seconds <s>', 'fixed seconds per instance instead of the time factor')
    .option('--filter <regex>', 'only instances whose file name matches')
    .option('--limit <n>', 'only the first n instances (smallest first)')
    .option('--seed <n>', 'random seed', '1')
    .option('--threads <n>', 'islands (this thread plus workers)', '2')
    .option('--fleet <kind>', 'name: at most k routes (k from "-kNN", default for A/B/P); unlimited (default for X)')
    .option('--clock <kind>', 'wall, or cpu: budget in CPU seconds per island (for a loaded, shared machine)', 'wall')
    .option('--data <dir>', 'CVRPLIB data directory (default ../shared/data/cvrp or $LINLI_CVRP_DIR)')
    .option('--no-save', 'do not write bench/results/routes-<set>.json')
    .option('--json', 'print one JSON object')
    .action(
      async (opts: {
        set: string;
        timeFactor: string;
        seconds?: string;
        filter?: string;
        limit?: string;
        seed: string;
        threads: string;
        clock: string;
        fleet?: string;
        data?: string;
        save: boolean;
        json?: boolean;
      }) => {
        const { runRoutesBench, formatRoutesBench } = await import('../../bench/routes');
        const { SingleBar, Presets } = await import('cli-progress');
        const bar = new SingleBar(
          { stream: process.stderr, format: 'routes {set} [{bar}] {value}/{total} {last}', hideCursor: true },
          Presets.shades_classic,
        );
        const result = await runRoutesBench({
          set: opts.set,
          timeFactor: Number(opts.timeFactor),
          seconds: opts.seconds !== undefined ? Number(opts.seconds) : undefined,
          filter: opts.filter,
          limit: opts.limit !== undefined ? Number(opts.limit) : undefined,
          seed: Number(opts.seed),
          threads: Number(opts.threads),
          clock: opts.clock === 'cpu' ? 'cpu' : 'wall',
          fleet: opts.fleet === 'name' || opts.fleet === 'unlimited' ? opts.fleet : undefined,
          dataDir: opts.data,
          onStart: (total) => bar.start(total, 0, { set: opts.set, last: '' }),
          onInstance: (done, row) => bar.update(done, { last: `${row.name} ${row.gapPct === null ? '' : `${row.gapPct.toFixed(2)}%`}` }),
        });
        bar.stop();
        // A filtered or shortened run is a probe, not the set's result: keep it out of the README file.
        const partial = opts.filter !== undefined || opts.limit !== undefined;
        let saved = '';
        if (opts.save && !partial) {
          const { saveResult } = await import('../../bench/results');
          saved = saveResult(`routes-${opts.set}${result.clock === 'cpu' ? '-cpu' : ''}`, result);
        }
        console.log(opts.json ? JSON.stringify(result) : `${formatRoutesBench(result)}${saved ? `\nsaved ${saved}` : ''}`);
      },
    );

  bench
    .command('live')
    .description('one live room: N WebSocket viewers on loopback, chat and pin fan-out latency, then a flash sale of 100 units for 2,000 buyers')
    .option('--viewers <n>', 'viewers in the room', '5000')
    .option('--backend <b>', 'pglite (in memory) | postgres', 'pglite')
    .option('--database-url <url>', 'PostgreSQL server for --backend postgres (default $DATABASE_URL or postgres://postgres@127.0.0.1:5432/test); uses a fresh database linli_bench_live')
    .option('--chats <n>', 'chat messages timed (one chatter each)', '20')
    .option('--pins <n>', 'pins timed', '5')
    .option('--buyers <n>', 'buyers in the flash sale', '2000')
    .option('--units <n>', 'units of the flash sale', '100')
    .option('--concurrency <n>', 'buyers’ requests in flight at once', '200')
    .option('--json', 'print one JSON object')
    .action(
      async (opts: { viewers: string; backend: string; databaseUrl?: string; chats: string; pins: string; buyers: string; units: string; concurrency: string; json?: boolean }) => {
        const { runLiveBench, formatLive } = await import('../../bench/live');
        const { saveResult } = await import('../../bench/results');
        const { SingleBar, Presets } = await import('cli-progress');
        let bar: InstanceType<typeof SingleBar> | null = null;
        const result = await runLiveBench({
          viewers: positiveWhole(opts.viewers, 'viewers'),
          backend: postgresOrPglite(opts.backend),
          databaseUrl: benchPostgres(opts.databaseUrl),
          chats: positiveWhole(opts.chats, 'chats'),
          pins: positiveWhole(opts.pins, 'pins'),
          buyers: positiveWhole(opts.buyers, 'buyers'),
          units: positiveWhole(opts.units, 'units'),
          concurrency: positiveWhole(opts.concurrency, 'concurrency'),
          log: (m) => {
            if (bar) bar.stop();
            bar = null;
            console.error(m);
          },
          onPhase: (phase, total) => {
            bar?.stop();
            bar = new SingleBar({ stream: process.stderr, format: `${phase.padEnd(18)} [{bar}] {value}/{total}`, hideCursor: true }, Presets.shades_classic);
            bar.start(total, 0);
          },
          onProgress: (done) => bar?.update(done),
        });
        (bar as InstanceType<typeof SingleBar> | null)?.stop();
        const path = saveResult(result.backend === 'pglite' ? 'live' : `live-${result.backend}`, result);
        console.log(opts.json ? JSON.stringify(result) : `${formatLive(result)}\nsaved ${path}`);
      },
    );

  bench
    .command('wave')
    .description('the cutoff wave over N paid orders: 10,000 pickup points, 50 grid warehouses, fresh database; only the wave is timed')
    .option('--orders <n>', 'paid orders in the wave', '100000')
    .option('--backend <b>', 'postgres | pglite', 'postgres')
    .option('--database-url <url>', 'PostgreSQL server (default $DATABASE_URL or postgres://postgres@127.0.0.1:5432/test); uses a fresh database linli_bench_wave')
    .option('--json', 'print one JSON object')
    .action(async (opts: { orders: string; backend: string; databaseUrl?: string; json?: boolean }) => {
      const orders = positiveWhole(opts.orders, 'orders');
      const { runWaveBench, saveWaveResult, formatWave } = await import('../../bench/wave');
      const { SingleBar, Presets } = await import('cli-progress');
      const bar = new SingleBar({ stream: process.stderr, format: 'seeding [{bar}] {value}/{total} orders', hideCursor: true }, Presets.shades_classic);
      let started = false;
      const result = await runWaveBench({
        orders,
        backend: postgresOrPglite(opts.backend),
        databaseUrl: benchPostgres(opts.databaseUrl),
        log: (m) => console.error(m),
        onSeedProgress: (done, total) => {
          if (!started) bar.start(total, 0);
          started = true;
          bar.update(done);
          if (done >= total) bar.stop();
        },
      });
      const path = saveWaveResult(result);
      console.log(opts.json ? JSON.stringify(result) : `${formatWave(result)}\nsaved ${path}`);
    });

  bench
    .command('insights')
    .description('a month of history (the demo simulation at scale), the read models rebuilt; then dashboard p50/p99 over HTTP and read-model lag of real orders')
    .option('--orders <n>', 'orders in the history', '100000')
    .option('--days <n>', 'days of history', '30')
    .option('--backend <b>', 'postgres | pglite', 'postgres')
    .option('--database-url <url>', 'PostgreSQL server (default $DATABASE_URL or postgres://postgres@127.0.0.1:5432/test); uses a fresh database linli_bench_insights')
    .option('--seed <n>', 'random seed (city and history)', '20261125')
    .option('--lag-orders <n>', 'orders placed through checkout for the lag', '50')
    .option('--rounds <n>', 'rounds over the six dashboards', '50')
    .option('--keep-database', 'keep linli_bench_insights afterwards, and reuse it when it holds the same history (generated today)')
    .option('--recompute', 'with a reused database: rebuild the read models anyway')
    .option('--json', 'print one JSON object')
    .action(
      async (opts: {
        orders: string;
        days: string;
        backend: string;
        databaseUrl?: string;
        seed: string;
        lagOrders: string;
        rounds: string;
        keepDatabase?: boolean;
        recompute?: boolean;
        json?: boolean;
      }) => {
        const { runInsightsBench, saveInsightsResult, formatInsights } = await import('../../bench/insights');
        const { SingleBar, Presets } = await import('cli-progress');
        const bar = new SingleBar({ stream: process.stderr, format: 'history [{bar}] {value}/{total} orders', hideCursor: true }, Presets.shades_classic);
        let started = false;
        const result = await runInsightsBench({
          orders: positiveWhole(opts.orders, 'orders'),
          days: positiveWhole(opts.days, 'days'),
          backend: postgresOrPglite(opts.backend),
          databaseUrl: benchPostgres(opts.databaseUrl),
          seed: positiveWhole(opts.seed, 'seed'),
          lagOrders: positiveWhole(opts.lagOrders, 'lag-orders'),
          rounds: positiveWhole(opts.rounds, 'rounds'),
          keepDatabase: opts.keepDatabase === true,
          recompute: opts.recompute === true,
          log: (m) => {
            if (started) bar.stop();
            started = false;
            console.error(m);
          },
          onGenerate: (done, total) => {
            if (!started) bar.start(total, 0);
            started = true;
            bar.update(done);
            if (done >= total) {
              bar.stop();
              started = false;
            }
          },
        });
        const path = saveInsightsResult(result);
        const { city, history, readModelRows, dashboards, ...headline } = result;
        console.log(opts.json ? JSON.stringify({ ...headline, dashboards, city, history, readModelRows }) : `${formatInsights(result)}\nsaved ${path}`);
      },
    );
}
