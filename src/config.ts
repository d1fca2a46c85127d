import { resolve } from 'node:path';

/** Everything configurable comes from the environment (12-factor); CLI flags override. */
export interface Config {
  port: number;
  host: string;
  /** PGlite files live here (DATA_DIR/pglite). */
  dataDir: string;
  /** When set, PostgreSQL instead of PGlite. */
  databaseUrl: string | undefined;
  logLevel: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}

export function pgliteDir(config: Config): string {
  return resolve(config.dataDir, 'pglite');
}
