// Test support for HTTP suites: an app on a fresh database, and helpers to make accounts and
// call routes as them. Used only by *.test.ts files.
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { BackendKind } from '../db';
import { openTestDatabase, type TestDatabase } from '../db/testing';
import { hashPassword, type Role } from '../modules/people';
import { PeopleRepo } from '../modules/people/people.repo';
import { createServices, type Services } from '../services';
import { buildApp } from './app';

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  db: TestDatabase;
  /** Create an account holding `roles` and return a bearer token for it. */
  user(roles: Role[], label?: string): Promise<{ id: number; token: string; phone: string }>;
  /** app.inject with an optional bearer token; JSON body goes in `payload`. */
  call(
    method: InjectOptions['method'],
    url: string,
    opts?: { token?: string; payload?: unknown; headers?: Record<string, string> },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read JSON bodies freely
  ): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

let phoneCounter = 0;
// One hash for every test account: scrypt is deliberately slow (~50 ms).
let sharedHash: Promise<string> | null = null;
export const TEST_PASSWORD = 'test-password-1';

export async function createTestApp(backend: BackendKind = 'pglite'): Promise<TestApp> {
  const db = await openTestDatabase(backend);
  const services = await createServices(db);
  const app = await buildApp(services, { logLevel: 'silent' });
  await app.ready();
  sharedHash ??= hashPassword(TEST_PASSWORD);
  const repo = new PeopleRepo();
  const t: TestApp = {
    app,
    services,
    db,
    async user(roles, label = 'user') {
      phoneCounter += 1;
      const phone = `139${String(process.pid % 10000).padStart(4, '0')}${String(phoneCounter).padStart(4, '0')}`;
      const account = await repo.insertAccount(db.orm, { phone, displayName: `${label}${phoneCounter}`, passwordHash: await sharedHash! });
      await repo.addRoles(db.orm, account.id, roles);
      const { token } = await services.people.login(phone, TEST_PASSWORD);
      return { id: account.id, token, phone };
    },
    async call(method, url, opts = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      const res = await app.inject({
        method,
        url,
        headers,
        ...(opts.payload !== undefined ? { payload: opts.payload as InjectOptions['payload'] } : {}),
      });
      let body: unknown = res.body;
      try {
        body = res.body ? JSON.parse(res.body) : null;
      } catch {
        /* not JSON: keep text */
      }
      return { status: res.statusCode, body, headers: res.headers };
    },
    async close() {
      await app.close();
      await db.dispose();
    },
  };
  return t;
}
