// Browser test: the real server (demo city seeded, web app built) driven by headless Chromium.
// Chromium comes from Debian (`apt install chromium`), never from `npx playwright install`.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Running } from '../../src/server';
import { SHOTS, haveBrowser, login, signIn, startDemoBrowser, watchErrors, type DemoBrowser } from './browser';

describe.skipIf(!haveBrowser)('web app in a browser (demo city)', () => {
  let server: Running;
  let browser: Browser;

  let demo: DemoBrowser;

  beforeAll(async () => {
    // First start may build the web app with Vite (tens of seconds on two cores).
    demo = await startDemoBrowser('resident');
    server = demo.server;
    browser = demo.browser;
  }, 240_000);

  afterAll(async () => {
    await demo?.close();
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
