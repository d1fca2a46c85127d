// Test support for suites that need Redis. CI sets TEST_REDIS_URL; unset, those suites skip
// with one line saying so; set but unreachable, they fail (connecting throws), never skip.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL || undefined;

let warned = false;
/** True when Redis suites cannot run; says why once per file. */
export function skipRedis(): boolean {
  if (!TEST_REDIS_URL && !warned) {
    warned = true;
    console.log('Redis suites skipped: TEST_REDIS_URL is not set (CI sets redis://127.0.0.1:6379).');
  }
  return !TEST_REDIS_URL;
}

/** A key namespace of its own, so parallel runs and test files never share keys. */
export function uniquePrefix(): string {
  return `linli-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
}

/** Every key under `prefix`, e.g. to delete them all as a Redis restart would. */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found;
}

/** Delete the namespace: what a Redis restart (no persistence) does to it. */
export async function dropPrefix(redis: Redis, prefix: string): Promise<number> {
  const keys = await keysUnder(redis, prefix);
  return keys.length ? redis.del(...keys) : 0;
}

export function testRedis(): Redis {
  return new Redis(TEST_REDIS_URL!, { maxRetriesPerRequest: 1 });
}
