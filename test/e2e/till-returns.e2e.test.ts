// A return at the till (退货) and a reprint, in a browser on the demo city: the clerk sells two
// units for cash, the customer comes back with one, the clerk takes it back from today's list
// (cash out of the till, the unit back on the shelf) and reprints the receipt with the refund.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Running } from '../../src/server';
import { DEMO_STORE_NAME } from '../../src/demo';
import { SHOTS, haveBrowser, login, signIn, startDemoBrowser, watchErrors, type DemoBrowser } from './browser';

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `e2e-till-returns-${name}.png`), fullPage: true });

describe.skipIf(!haveBrowser)('a return and a reprint at the till (demo city)', () => {
  let demo: DemoBrowser;
  let server: Running;
  let clerk: Page;
  let errors: string[];
  let store: { id: number; locationId: number };
  let sku: { id: number; barcode: string };
  const onHand = async () =>
    Number((await server.services.db.query<{ n: number }>(`SELECT on_hand AS n FROM stock_levels WHERE location_id = $1 AND sku_id = $2`, [store.locationId, sku.id]))[0]!.n);

  beforeAll(async () => {
    demo = await startDemoBrowser('till-returns');
    server = demo.server;
    const db = server.services.db;
    const [s] = await db.query<{ id: number; locationId: number }>(
      `SELECT s.id::int AS id, l.id::int AS "locationId" FROM stores s JOIN stock_locations l ON l.store_id = s.id WHERE s.name = $1`,
      [DEMO_STORE_NAME],
    );
    store = s!;
    const [k] = await db.query<{ id: number; barcode: string }>(
      `SELECT k.id::int AS id, k.barcode FROM stock_levels sl JOIN skus k ON k.id = sl.sku_id
        WHERE sl.location_id = $1 AND sl.on_hand - sl.reserved >= 3 AND k.barcode IS NOT NULL ORDER BY k.id LIMIT 1`,
      [store.locationId],
    );
    sku = k!;
    const ctx = await demo.browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    clerk = await ctx.newPage();
    errors = watchErrors(clerk);
  }, 240_000);

  afterAll(async () => {
    await demo?.close();
  });

  it('sells two units for cash, takes one back from today’s list and reprints the receipt with the refund', async () => {
    await signIn(clerk, server.url, login('store_clerk'), /\/store/);
    const scan = clerk.locator('[data-testid=pos-barcode]');
    await scan.waitFor({ timeout: 20_000 });
    for (let i = 0; i < 2; i++) {
      await scan.fill(sku.barcode);
      await scan.press('Enter');
      await clerk.locator(`[data-testid=pos-line][data-sku-id="${sku.id}"][data-quantity="${i + 1}"]`).waitFor({ timeout: 10_000 });
    }
    await clerk.click('[data-testid=pos-pay-cash]');
    await clerk.fill('[data-testid=pos-cash-received]', '1000');
    await clerk.click('[data-testid=pos-confirm]');
    const orderId = Number(await clerk.locator('[data-testid=pos-receipt]').getAttribute('data-order-id', { timeout: 15_000 }));
    await clerk.click('[data-testid=pos-next]');
    const sold = await onHand();

    // Today's list offers the return on that sale.
    const row = clerk.locator('.pos-last li', { has: clerk.locator('[data-testid=pos-refund-open]') }).first();
    await row.waitFor({ timeout: 10_000 });
    await row.locator('[data-testid=pos-refund-open]').click();
    const line = clerk.locator('[data-testid=pos-refund-line]').first();
    await line.waitFor({ timeout: 10_000 });
    expect(await clerk.locator('[data-testid=pos-refund]').getAttribute('data-order-id')).toBe(String(orderId));
    await line.locator('.stepper-btn').last().click();
    await shot(clerk, '1-return');
    await clerk.click('[data-testid=pos-refund-confirm]');
    await clerk.locator('[data-testid=pos-refund-done]').waitFor({ timeout: 10_000 });
    expect(await clerk.locator('.pos-refund-money').textContent()).toMatch(/现金|cash/);
    expect(await onHand()).toBe(sold + 1);
    const [o] = await server.services.db.query<{ status: string; refunded: number; total: number }>(`SELECT status, refunded_fen AS refunded, total_fen AS total FROM orders WHERE id = $1`, [orderId]);
    expect(o!.status).toBe('completed');
    expect(Number(o!.refunded)).toBe(Math.floor(Number(o!.total) / 2));

    await clerk.getByRole('button', { name: /补打小票|Reprint/ }).click();
    await clerk.locator('[data-testid=pos-reprint]').waitFor({ timeout: 10_000 });
    expect(await clerk.locator('[data-testid=reprint-net]').textContent()).toContain(((Number(o!.total) - Number(o!.refunded)) / 100).toFixed(2));
    await shot(clerk, '2-reprint');
    await clerk.click('[data-testid=pos-after-back]');
    await scan.waitFor({ timeout: 10_000 });
    expect(errors, 'no page errors').toEqual([]);
  }, 120_000);
});
