// Browser test: the real server (demo city seeded, web app built) driven by headless Chromium.
// Chromium comes from Debian (`apt install chromium`), never from `npx playwright install`.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { demoLogins } from '../../src/demo';
import { startServer, type Running } from '../../src/server';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const REQUIRE = process.env.LINLI_REQUIRE_BROWSER === '1';
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && REQUIRE) {
  // CI sets LINLI_REQUIRE_BROWSER=1: a missing browser there is a broken runner, not a skip.
  throw new Error(`LINLI_REQUIRE_BROWSER=1 but no Chromium at ${CHROMIUM} (apt install chromium, or set CHROMIUM_PATH)`);
}
if (!haveBrowser) console.log(`browser e2e skipped: no Chromium at ${CHROMIUM} (apt install chromium, or set CHROMIUM_PATH)`);

const SHOTS = resolve('.tmp');

function login(role: string): { phone: string; password: string } {
  const l = demoLogins().find((d) => d.role === role);
  if (!l) throw new Error(`no demo login for role ${role}`);
  return l;
}

/** Console errors and uncaught exceptions: a page that renders but throws is still broken. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

async function signIn(page: Page, baseUrl: string, who: { phone: string; password: string }) {
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name=phone]', who.phone);
  await page.fill('input[name=password]', who.password);
  await page.click('button[type=submit]');
}

describe.skipIf(!haveBrowser)('web app in a browser (demo city)', () => {
  let server: Running;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'linli-e2e-'));
    server = await startServer({
      config: { ...loadConfig(), port: 0, dataDir, databaseUrl: undefined, logLevel: 'warn' },
      demo: true,
      requestLogging: false,
      log: () => undefined,
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    // First start may build the web app with Vite (tens of seconds on two cores).
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('a resident signs in and sees their community’s products with prices', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const errors = watchErrors(page);
    try {
      await signIn(page, server.url, login('resident'));
      await page.waitForURL(/\/shop$/, { timeout: 15_000 });
      const cards = page.locator('[data-testid=product-card]');
      await cards.first().waitFor({ state: 'visible', timeout: 15_000 });
      expect(await cards.count()).toBeGreaterThanOrEqual(1);
      const price = (await cards.first().locator('[data-testid=price]').textContent()) ?? '';
      expect(price).toMatch(/^¥\d[\d,]*\.\d{2}$/);
      // Mobile-first: nothing may push the page sideways on a 390 px phone.
      // (A string expression: the server tsconfig has no DOM types.)
      const [scrollWidth, innerWidth] = await page.evaluate<[number, number]>('[document.documentElement.scrollWidth, window.innerWidth]');
      expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
      // Scroll so the screenshot shows what was asserted (the list sits below the nearby places).
      await cards.first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'e2e-resident.png') });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('an operator opens the network map and sees places drawn', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const errors = watchErrors(page);
    try {
      await signIn(page, server.url, login('operator'));
      await page.waitForURL(/\/admin/, { timeout: 15_000 });
      await page.goto(`${server.url}/admin/map`);
      const dots = page.locator('svg.place-map circle.map-dot');
      await dots.first().waitFor({ state: 'attached', timeout: 15_000 });
      expect(await dots.count()).toBeGreaterThan(10);
      await page.screenshot({ path: join(SHOTS, 'e2e-admin-map.png') });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
