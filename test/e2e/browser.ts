// Shared by the browser tests: Debian's Chromium (never `npx playwright install`), the demo
// server on a fresh PGlite directory, demo logins and page helpers.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { demoLogins } from '../../src/demo';
import { startServer, type Running } from '../../src/server';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && process.env.LINLI_REQUIRE_BROWSER === '1') {
  // CI sets LINLI_REQUIRE_BROWSER=1: a missing browser there is a broken runner, not a skip.
  throw new Error(`LINLI_REQUIRE_BROWSER=1 but no Chromium at ${CHROMIUM} (apt install chromium, or set CHROMIUM_PATH)`);
}
if (!haveBrowser) console.log(`browser e2e skipped: no Chromium at ${CHROMIUM} (apt install chromium, or set CHROMIUM_PATH)`);

export const SHOTS = resolve('.tmp');

export function login(role: string): { phone: string; password: string } {
  const l = demoLogins().find((d) => d.role === role);
  if (!l) throw new Error(`no demo login for role ${role}`);
  return l;
}

/** Console errors and uncaught exceptions: a page that renders but throws is still broken. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

export async function signIn(page: Page, baseUrl: string, who: { phone: string; password: string }, landing?: RegExp): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name=phone]', who.phone);
  await page.fill('input[name=password]', who.password);
  await page.click('button[type=submit]');
  if (landing) await page.waitForURL(landing, { timeout: 15_000 });
}

export interface DemoBrowser {
  server: Running;
  browser: Browser;
  close(): Promise<void>;
}

/** The real server on the seeded demo city (the first start may build the web app), and Chromium. */
export async function startDemoBrowser(name: string): Promise<DemoBrowser> {
  mkdirSync(SHOTS, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), `linli-e2e-${name}-`));
  const server = await startServer({
    config: { ...loadConfig(), port: 0, dataDir, databaseUrl: undefined, logLevel: 'warn' },
    demo: true,
    requestLogging: false,
    log: () => undefined,
  });
  // A fresh demo city leaves about a thousand events for the subscribers, delivered after the
  // server listens; on PGlite they share its one connection. Tests start once they are
  // delivered, so a slow machine's backlog does not eat the time a step is given.
  await server.services.events.drain({ timeoutMs: 180_000 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  return {
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
