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
  /**
   * HMAC secret of the sandbox payment provider's callbacks. Unset: a random one per process,
   * enough because the sandbox signs and verifies in the same process; set it to sign
   * callbacks from outside (scripts, a separate gateway, several servers).
   */
  paymentSandboxSecret: string | undefined;
  /** nats://… — when set, outbox events are relayed through NATS JetStream instead of in process. */
  natsUrl?: string | undefined;
  /** redis://… — when set, hot-SKU checkout is admitted through the Redis stock front (docs/stock.md). */
  redisUrl?: string | undefined;
  /** How long an unpaid order holds its stock before it expires (ORDER_PAYMENT_WINDOW_S, default 900). */
  paymentWindowMs?: number | undefined;
  /** HMAC secret of pickup codes (PICKUP_CODE_SECRET, at least 16 characters); unset: a development default. */
  pickupCodeSecret?: string | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const paymentSandboxSecret = env.PAYMENT_SANDBOX_SECRET || undefined;
  // A short secret can be brute-forced offline from one captured callback.
  if (paymentSandboxSecret !== undefined && paymentSandboxSecret.length < 16) {
    throw new Error('PAYMENT_SANDBOX_SECRET must be at least 16 characters');
  }
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    paymentSandboxSecret,
    natsUrl: env.NATS_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    paymentWindowMs: paymentWindow(env.ORDER_PAYMENT_WINDOW_S),
    pickupCodeSecret: pickupSecret(env.PICKUP_CODE_SECRET),
  };
}

/** Codes are derived from this secret: a short one could be recovered from a few known codes. */
function pickupSecret(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (raw.length < 16) throw new Error('PICKUP_CODE_SECRET must be at least 16 characters');
  return raw;
}

function paymentWindow(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86_400) throw new Error(`ORDER_PAYMENT_WINDOW_S must be 1–86400 seconds, got ${raw}`);
  return seconds * 1000;
}

export function pgliteDir(config: Config): string {
  return resolve(config.dataDir, 'pglite');
}
