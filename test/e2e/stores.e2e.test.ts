// The last unit of a store's stock, in a browser on the demo city: a clerk rings it up at the
// counter while a resident orders it online at the same moment. Both draw on the store's one
// stock location through the same checkout, so exactly one of them gets it and the other is
// told clearly that it has just sold out.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Running } from '../../src/server';
import { DEMO_STORE_NAME } from '../../src/demo';
import { SHOTS, haveBrowser, login, signIn, startDemoBrowser, watchErrors, type DemoBrowser } from './browser';

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `e2e-stores-${name}.png`), fullPage: true });

describe.skipIf(!haveBrowser)('the last unit at a store, counter against online (demo city)', () => {
  let demo: DemoBrowser;
  let server: Running;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let clerk: Page;
  let resident: Page;
  const errors = new Map<Page, string[]>();
  let store: { id: number; locationId: number };
  let sku: { id: number; barcode: string };

  const open = async (viewport: { width: number; height: number }) => {
    const c = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    contexts.push(c);
    const p = await c.newPage();
    errors.set(p, watchErrors(p));
    return p;
  };

  beforeAll(async () => {
    demo = await startDemoBrowser('stores');
    server = demo.server;
    browser = demo.browser;
    const db = server.services.db;
    const [s] = await db.query<{ id: number; locationId: number }>(
      `SELECT s.id::int AS id, l.id::int AS "locationId" FROM stores s JOIN stock_locations l ON l.store_id = s.id WHERE s.name = $1`,
      [DEMO_STORE_NAME],
    );
    store = s!;
    // A SKU the store stocks with a barcode, down to its last unit.
    const [k] = await db.query<{ id: number; barcode: string }>(
      `SELECT k.id::int AS id, k.barcode FROM stock_levels sl JOIN skus k ON k.id = sl.sku_id
        WHERE sl.location_id = $1 AND sl.on_hand - sl.reserved >= 2 AND k.barcode IS NOT NULL ORDER BY k.id LIMIT 1`,
      [store.locationId],
    );
    sku = k!;
    await server.services.inventory.count({ locationId: store.locationId, skuId: sku.id, counted: 1 });
    clerk = await open({ width: 1280, height: 800 });
    resident = await open({ width: 390, height: 844 });
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await demo?.close();
  });

  it('the clerk scans it and the resident puts it in her cart', async () => {
    await signIn(clerk, server.url, login('store_clerk'), /\/store/);
    await clerk.locator('[data-testid=pos-barcode]').waitFor({ timeout: 20_000 });
    await clerk.fill('[data-testid=pos-barcode]', sku.barcode);
    await clerk.press('[data-testid=pos-barcode]', 'Enter');
    await clerk.locator(`[data-testid=pos-line][data-sku-id="${sku.id}"]`).waitFor({ timeout: 10_000 });
    await clerk.click('[data-testid=pos-pay-cash]');
    await clerk.fill('[data-testid=pos-cash-received]', '1000');
    await shot(clerk, '1-till');

    await signIn(resident, server.url, login('resident'), /\/shop/);
    await resident.goto(`${server.url}/shop/stores/${store.id}`);
    const item = resident.locator(`[data-testid=shelf-item][data-sku-id="${sku.id}"]`);
    await item.waitFor({ timeout: 20_000 });
    await item.locator('[data-testid=shelf-add]').click();
    await resident.click('[data-testid=store-checkout]');
    await resident.locator('[data-testid=place-order]').waitFor({ timeout: 10_000 });
    await shot(resident, '2-checkout');
  }, 120_000);

  it('both press at the same moment: exactly one gets the unit, the other is told it just sold out', async () => {
    const [{ now: startedAt }] = (await server.services.db.query<{ now: Date }>('SELECT now()')) as [{ now: Date }];
    await Promise.all([clerk.click('[data-testid=pos-confirm]'), resident.click('[data-testid=place-order]')]);
    const clerkOutcome = Promise.race([
      clerk.locator('[data-testid=pos-receipt]').waitFor({ timeout: 15_000 }).then(() => 'sold' as const),
      clerk.locator('[data-testid=pos-error]').waitFor({ timeout: 15_000 }).then(() => 'refused' as const),
    ]);
    const residentOutcome = Promise.race([
      resident.waitForURL(/\/pay\/\d+$/, { timeout: 15_000 }).then(() => 'sold' as const),
      resident.locator('.notice-inline, .error-note, [role=alert]').first().waitFor({ timeout: 15_000 }).then(() => 'refused' as const),
    ]);
    const outcomes = [await clerkOutcome, await residentOutcome];
    await shot(clerk, '3-till-after');
    await shot(resident, '4-resident-after');
    expect(outcomes.filter((o) => o === 'sold')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'refused')).toHaveLength(1);
    if (outcomes[0] === 'refused') expect(await clerk.locator('[data-testid=pos-error]').textContent()).toMatch(/售罄|卖完|sold out|库存/i);

    // The database agrees: one order holds or sold the unit, and the level never went below zero.
    const [level] = await server.services.db.query<{ onHand: number; reserved: number }>(
      `SELECT on_hand AS "onHand", reserved FROM stock_levels WHERE location_id = $1 AND sku_id = $2`,
      [store.locationId, sku.id],
    );
    expect(Number(level!.onHand) - Number(level!.reserved)).toBe(0);
    const live = await server.services.db.query(
      `SELECT o.id FROM orders o JOIN order_lines l ON l.order_id = o.id
        WHERE o.store_id = $1 AND l.sku_id = $2 AND o.status NOT IN ('cancelled', 'expired') AND o.created_at >= $3`,
      [store.id, sku.id, startedAt],
    );
    expect(live).toHaveLength(1);
    for (const [, e] of errors) expect(e.filter((m) => !/409|Conflict/.test(m)), 'no page errors').toEqual([]);
  }, 60_000);
});
