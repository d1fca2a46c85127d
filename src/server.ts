import type { FastifyInstance } from 'fastify';
import { loadConfig, pgliteDir, type Config } from './config';
import { isFreshDataDir, migrate, openDatabase, readTemplate, redactUrl, type Database } from './db';
import { buildApp } from './http/app';
import { WEB_DIST, ensureWebBuild } from './http/web-build';
import { startJobs } from './flows/jobs';
import { createServices, type Services } from './services';

export interface Running {
  app: FastifyInstance;
  services: Services;
  url: string;
  close(): Promise<void>;
}

export async function openConfiguredDatabase(config: Config): Promise<Database> {
  if (config.databaseUrl) return openDatabase({ databaseUrl: config.databaseUrl });
  const dataDir = pgliteDir(config);
  // A new data directory starts from the migrated cluster `npm install` prepared (src/db/template.ts),
  // when there is one for these migrations; otherwise PGlite creates the cluster itself.
  const template = isFreshDataDir(dataDir) ? readTemplate() : undefined;
  return openDatabase({ dataDir, ...(template ? { loadDataDir: template } : {}) });
}

export function describeDatabase(config: Config): string {
  return config.databaseUrl ? `PostgreSQL ${redactUrl(config.databaseUrl)}` : `PGlite ${pgliteDir(config)}`;
}

export interface StartOptions {
  config?: Config;
  /** Seed the demo city when the database is empty. */
  demo?: boolean;
  /** Build the web app if missing or stale (default true). */
  web?: boolean;
  requestLogging?: boolean;
  log?: (msg: string) => void;
}

/** Open storage, migrate, optionally seed, build the web app if stale, and listen. */
export async function startServer(opts: StartOptions = {}): Promise<Running> {
  const config = opts.config ?? loadConfig();
  const log = opts.log ?? ((m: string) => console.log(m));
  // The web build and the database open are independent: overlap them.
  const webReady = opts.web === false ? Promise.resolve(false) : ensureWebBuild({ log });
  const db = await openConfiguredDatabase(config);
  const { applied } = await migrate(db);
  if (applied.length) log(`migrated: ${applied.join(', ')}`);
  const services = await createServices(db, { paymentSandboxSecret: config.paymentSandboxSecret, natsUrl: config.natsUrl, redisUrl: config.redisUrl, paymentWindowMs: config.paymentWindowMs, pickupCodeSecret: config.pickupCodeSecret });
  if (opts.demo) {
    const { seedDemoIfEmpty } = await import('./demo');
    await seedDemoIfEmpty(services, { log });
  }
  await webReady;
  const app = await buildApp(services, {
    logLevel: config.logLevel,
    webDir: opts.web === false ? undefined : WEB_DIST,
    requestLogging: opts.requestLogging ?? true,
  });
  await app.listen({ port: config.port, host: config.host });
  // The relay and the jobs start once the server answers: on PGlite they share its one
  // connection and the event loop with everything else, and a fresh demo city leaves about a
  // thousand events for the subscribers, which held up the first answer by seconds. Orders
  // placed before the relay runs are delivered when it does (the outbox keeps them).
  await services.events.start();
  const jobs = startJobs(services, { log });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  return {
    app,
    services,
    url,
    async close() {
      await app.close();
      await jobs.stop();
      await services.checkout.close();
      await services.events.stop();
      await services.stockFront?.close();
      await db.close();
    },
  };
}
