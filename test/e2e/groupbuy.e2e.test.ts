// A group-buy day in a browser, on the demo city: a resident buys two items from today's
// campaign and pays; the operator closes the campaign early and runs the cutoff wave; the
// leader signs the arrival one unit short, which refunds the resident automatically (the last
// to join the relay list is the first refunded); the resident shows her pickup code and the
// leader hands over the rest; once the after-sales window has passed, the leader's statement
// shows the commission released.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Running } from '../../src/server';
import { SHOTS, haveBrowser, login, signIn, startDemoBrowser, watchErrors, type DemoBrowser } from './browser';

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `e2e-groupbuy-${name}.png`), fullPage: true });

describe.skipIf(!haveBrowser)('a group-buy day in a browser (demo city)', () => {
  let demo: DemoBrowser;
  let server: Running;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let resident: Page;
  let leader: Page;
  let operator: Page;
  const errors = new Map<Page, string[]>();
  let campaign: { id: number; regionId: number; pickupDate: string };
  let orderId = 0;
  let shortSku = 0;
  let waveId = 0;

  const open = async (viewport: { width: number; height: number }) => {
    const c = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    contexts.push(c);
    const p = await c.newPage();
    errors.set(p, watchErrors(p));
    return p;
  };

  beforeAll(async () => {
    demo = await startDemoBrowser('groupbuy');
    server = demo.server;
    browser = demo.browser;
    const [row] = await server.services.db.query<{ id: number; regionId: number; pickupDate: string }>(
      `SELECT id::int AS id, region_id::int AS "regionId", pickup_date::text AS "pickupDate" FROM campaigns WHERE status = 'published' AND cutoff_at > now()`,
    );
    campaign = row!;
    resident = await open({ width: 390, height: 844 });
    leader = await open({ width: 390, height: 844 });
    operator = await open({ width: 1440, height: 1000 });
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await demo?.close();
  });

  it('a resident buys two items of today’s campaign and pays', async () => {
    const page = resident;
    await signIn(page, server.url, login('resident'), /\/shop/);
    await page.goto(`${server.url}/shop/groupbuy`);
    const card = page.locator(`[data-testid=campaign-card][data-campaign-id="${campaign.id}"]`);
    await card.waitFor({ timeout: 20_000 });
    const items = card.locator('[data-testid=campaign-item]');
    shortSku = Number(await items.nth(0).getAttribute('data-sku-id'));
    await items.nth(0).locator('[data-testid=gb-add]').click();
    await shot(page, '1-campaign');
    await items.nth(1).locator('[data-testid=gb-buy-now]').click();
    await page.waitForURL(/\/shop\/groupbuy\/checkout/);
    await page.locator('[data-testid=checkout-total]').waitFor();
    await shot(page, '2-checkout');
    await page.click('[data-testid=gb-place-order]');
    await page.waitForURL(/\/pay\/\d+$/, { timeout: 15_000 });
    await page.click('.pay-confirm');
    await page.locator('.pay-result.is-ok').waitFor({ timeout: 15_000 });
    await page.click('[data-testid=view-order]');
    await page.waitForURL(/\/shop\/orders\/\d+$/);
    orderId = Number(/\/shop\/orders\/(\d+)$/.exec(page.url())![1]);
    await expect.poll(() => page.locator('.status-hero [data-testid=order-status]').getAttribute('data-status'), { timeout: 15_000 }).toBe('paid');
    expect(await page.locator('[data-testid=order-line]').count()).toBe(2);
    // Her place on the point's relay list is the last one.
    await page.locator('[data-testid=relay-no]').waitFor({ timeout: 15_000 });
    await shot(page, '3-paid');
  }, 120_000);

  it('the operator closes the campaign early and runs the cutoff wave; routes come from the planner', async () => {
    const page = operator;
    await signIn(page, server.url, login('operator'), /\/admin/);
    await page.goto(`${server.url}/admin/campaigns`);
    await page.click(`[data-testid=campaign-close-${campaign.id}]`, { timeout: 20_000 });
    await page.click(`[data-testid=campaign-close-confirm-${campaign.id}]`);
    await expect.poll(async () => (await server.services.campaigns.find(campaign.id))!.cutoffAt.getTime() <= Date.now(), { timeout: 10_000 }).toBe(true);

    await page.goto(`${server.url}/admin/waves`);
    await page.selectOption('[data-testid=run-wave-region]', String(campaign.regionId), { timeout: 20_000 });
    await page.fill('[data-testid=run-wave-date]', campaign.pickupDate);
    // The wave is built inside the request (lists, purchase orders, routes): wait for its answer
    // rather than for a row, so a refusal fails here with what the server said.
    const answered = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/admin/waves', { timeout: 60_000 });
    await page.click('[data-testid=run-wave]');
    const response = await answered;
    const body = (await response.json()) as { id?: number };
    expect(response.ok(), `POST /api/admin/waves answered ${response.status()}: ${JSON.stringify(body)}`).toBe(true);
    waveId = body.id!;
    expect(waveId).toBeGreaterThan(0);
    await page.waitForURL(new RegExp(`/admin/waves/${waveId}$`), { timeout: 15_000 });
    await page.click('[data-testid=wave-tab-routes]', { timeout: 20_000 });
    await page.locator('[data-testid=route-map]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid=route-map] polyline, [data-testid=route-map] path').count()).toBeGreaterThan(0);
    await shot(page, '4-wave-routes');
  }, 120_000);

  it('the leader signs the arrival one unit short; the last to join, the resident, is refunded at once', async () => {
    const page = leader;
    await signIn(page, server.url, login('leader'), /\/leader/);
    await page.goto(`${server.url}/leader/arrival`);
    const arrival = page.locator(`[data-testid=arrival-card][data-wave-id="${waveId}"]`);
    await arrival.waitFor({ timeout: 20_000 });
    const received = arrival.locator(`[data-testid=arrival-line][data-sku-id="${shortSku}"] [data-testid=arrival-received]`);
    const expected = Number(await received.inputValue());
    expect(expected).toBeGreaterThan(0);
    await received.fill(String(expected - 1));
    await shot(page, '5-arrival');
    await arrival.locator('[data-testid=arrival-submit]').click();
    await page.locator('[data-testid=arrival-shortages]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid=shortage-refund]').count()).toBe(1);
    await shot(page, '6-shortage');

    await resident.goto(`${server.url}/shop/orders/${orderId}`);
    await resident.locator('[data-testid=refund-item]').first().waitFor({ timeout: 15_000 });
    expect(await resident.locator('[data-testid=refund-item]').count()).toBe(1);
    await expect.poll(() => resident.locator('.status-hero [data-testid=order-status]').getAttribute('data-status')).toBe('ready');
    await shot(resident, '7-refunded');
  }, 120_000);

  it('the resident shows her pickup code and the leader hands over the rest', async () => {
    const code = ((await resident.locator('[data-testid=pickup-code]').textContent()) ?? '').replace(/\D/g, '');
    expect(code).toMatch(/^\d{8}$/);
    const page = leader;
    await page.goto(`${server.url}/leader/pickup`);
    await page.fill('[data-testid=pickup-code-input]', code);
    await page.press('[data-testid=pickup-code-input]', 'Enter');
    const candidate = page.locator(`[data-testid=pickup-candidate][data-order-id="${orderId}"]`);
    await candidate.waitFor({ timeout: 15_000 });
    await shot(page, '8-candidate');
    await candidate.locator('[data-testid=pickup-confirm]').click();
    await page.locator('[data-testid=pickup-success]').waitFor({ timeout: 15_000 });
    await shot(page, '9-picked');

    await resident.reload();
    await expect.poll(() => resident.locator('.status-hero [data-testid=order-status]').getAttribute('data-status'), { timeout: 15_000 }).toBe('completed');
    await resident.locator('[data-testid=picked-up]').waitFor({ timeout: 15_000 });
    await shot(resident, '10-collected');
  }, 120_000);

  it('after the after-sales window the leader’s statement shows the commission released', async () => {
    // The window is 7 days; the release job is run as it would run then.
    await server.services.ledger.releaseMatured(new Date(Date.now() + 8 * 24 * 3600_000));
    const page = leader;
    await page.goto(`${server.url}/leader/earnings`);
    const row = page.locator('.ledger-row', { hasText: `#${orderId}` });
    await row.first().waitFor({ timeout: 15_000 });
    expect(await row.first().locator('.tag').textContent()).toBe('已解冻');
    const amount = Number(((await row.first().locator('.gain').textContent()) ?? '').replace(/[^\d.]/g, ''));
    expect(amount).toBeGreaterThan(0);
    await shot(page, '11-statement');
    for (const [, e] of errors) expect(e, 'no page errors').toEqual([]);
  }, 60_000);
});
