// Browser test of the commerce core on the demo city: a resident fills a cart, checks out,
// pays on the sandbox cashier and sees the order paid; the operator finds it, refunds one line,
// and the resident sees the refund. Chromium comes from Debian, as in resident.e2e.test.ts.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Running } from '../../src/server';
import { SHOTS, haveBrowser, login, signIn, startDemoBrowser, watchErrors, type DemoBrowser } from './browser';

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `e2e-commerce-${name}.png`), fullPage: true });

/** Nothing may push a phone page sideways. (A string expression: no DOM types here.) */
async function fitsPhone(page: Page): Promise<void> {
  const [scrollWidth, innerWidth] = await page.evaluate<[number, number]>('[document.documentElement.scrollWidth, window.innerWidth]');
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

describe.skipIf(!haveBrowser)('commerce in a browser (demo city)', () => {
  let server: Running;
  let browser: Browser;
  let resident: BrowserContext;
  let residentPage: Page;
  let residentErrors: string[];
  let orderId = 0;

  let demo: DemoBrowser;

  beforeAll(async () => {
    demo = await startDemoBrowser('commerce');
    server = demo.server;
    browser = demo.browser;
    resident = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    residentPage = await resident.newPage();
    residentErrors = watchErrors(residentPage);
  }, 240_000);

  afterAll(async () => {
    await resident?.close();
    await demo?.close();
  });

  it('a resident adds two products, checks out, pays in the sandbox and sees the order paid', async () => {
    const page = residentPage;
    await signIn(page, server.url, login('resident'), /\/shop$/);
    const cards = page.locator('[data-testid=product-card]');
    await cards.first().waitFor({ state: 'visible', timeout: 15_000 });
    await cards.nth(0).locator('[data-testid=add-to-cart]').click();
    await cards.nth(1).locator('[data-testid=add-to-cart]').click();
    await expect.poll(() => page.locator('[data-testid=cart-badge]').textContent()).toBe('2');
    await fitsPhone(page);
    await shot(page, '1-shelf');

    await page.locator('.tab-bar a[href="/shop/cart"]').click();
    await expect.poll(() => page.locator('[data-testid=cart-line]').count()).toBe(2);
    await page.click('[data-testid=go-checkout]');
    // The home community's pickup points, the first one chosen.
    await page.locator('.point-choice.is-chosen').waitFor({ timeout: 15_000 });
    const total = (await page.locator('[data-testid=checkout-total]').textContent()) ?? '';
    expect(total).toMatch(/^¥\d+\.\d{2}$/);
    await fitsPhone(page);
    await shot(page, '2-checkout');

    await page.click('[data-testid=place-order]');
    await page.waitForURL(/\/pay\/\d+$/, { timeout: 15_000 });
    await page.locator('.pay-amount').waitFor();
    expect(await page.locator('.pay-amount').textContent()).toBe(total);
    await shot(page, '3-cashier');
    await page.click('.pay-confirm');
    await page.locator('.pay-result.is-ok').waitFor({ timeout: 15_000 });
    await shot(page, '4-paid');

    await page.click('[data-testid=view-order]');
    await page.waitForURL(/\/shop\/orders\/\d+$/);
    orderId = Number(/\/shop\/orders\/(\d+)$/.exec(page.url())![1]);
    await expect.poll(() => page.locator('.status-hero [data-testid=order-status]').getAttribute('data-status')).toBe('paid');
    expect(await page.locator('[data-testid=order-line]').count()).toBe(2);

    await page.locator('.tab-bar a[href="/shop/orders"]').click();
    const mine = page.locator(`[data-testid=order-card][data-order-id="${orderId}"]`);
    await mine.waitFor({ timeout: 15_000 });
    expect(await mine.locator('[data-testid=order-status]').getAttribute('data-status')).toBe('paid');
    // The cart was emptied by the order.
    expect(await page.locator('[data-testid=cart-badge]').count()).toBe(0);
    await fitsPhone(page);
    await shot(page, '5-orders');
    expect(residentErrors).toEqual([]);
  }, 90_000);

  it('the operator finds the order and refunds one line; the resident sees the refund', async () => {
    expect(orderId).toBeGreaterThan(0);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const errors = watchErrors(page);
    try {
      await signIn(page, server.url, login('operator'), /\/admin/);
      await page.goto(`${server.url}/admin/orders`);
      const row = page.locator(`[data-testid=admin-order-row][data-order-id="${orderId}"]`);
      await row.waitFor({ timeout: 15_000 });
      expect(await row.locator('[data-testid=order-status]').getAttribute('data-status')).toBe('paid');
      await shot(page, '6-admin-orders');

      await row.click();
      const drawer = page.locator('[data-testid=drawer]');
      await drawer.locator('[data-testid=refund-form]').waitFor({ timeout: 15_000 });
      await drawer.locator('.qty-input').first().fill('1');
      await drawer.locator('[data-testid=refund-restock]').check();
      await drawer.locator('input[placeholder="退款原因"]').fill('缺货，退一件');
      await drawer.locator('[data-testid=refund-submit]').click();
      await drawer.locator('.ok-note').waitFor({ timeout: 15_000 });
      await drawer.locator('[data-testid=refund-item]').first().waitFor();
      await shot(page, '7-admin-refund');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }

    const r = residentPage;
    await r.goto(`${server.url}/shop/orders/${orderId}`);
    await r.locator('[data-testid=refund-item]').first().waitFor({ timeout: 15_000 });
    expect(await r.locator('[data-testid=refund-item]').count()).toBe(1);
    expect(await r.locator('[data-testid=line-refunded]').count()).toBe(1);
    // A partial refund leaves the order paid.
    expect(await r.locator('.status-hero [data-testid=order-status]').getAttribute('data-status')).toBe('paid');
    await r.locator('[data-testid=refunds]').scrollIntoViewIfNeeded();
    await fitsPhone(r);
    await shot(r, '8-resident-refund');
    expect(residentErrors).toEqual([]);
  }, 90_000);
});
