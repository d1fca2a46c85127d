// Issue 8's dashboards in a browser on the demo city: the operator opens 经营洞察, picks a
// region, and every chart is drawn from the read models — each canvas carries real pixels, not
// an empty frame — and a table downloads as CSV with its byte-order mark.
//
// The read models are rebuilt here with `recompute` over the last weeks, so the test does not
// depend on whether the demo's history was relayed as events or written in bulk.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Running } from '../../src/server';
import { SHOTS, haveBrowser, login, signIn, startDemoBrowser, watchErrors, type DemoBrowser } from './browser';

const CHARTS = ['funnel', 'daily', 'communities', 'cohorts', 'skus', 'routes'] as const;
/**
 * Least share of a chart's pixels inked. Measured on the same page over a range with no data,
 * the axes, titles and legends alone ink: funnel 1.5 %, daily 3.9 %, SKUs 0.3 %, routes 0.7 %;
 * communities and cohorts draw their dots and scale regardless, so `data-points` (marks with a
 * non-zero value) is what tells those from empty.
 */
const MIN_INK: Record<(typeof CHARTS)[number], number> = { funnel: 0.04, daily: 0.045, communities: 0.02, cohorts: 0.02, skus: 0.02, routes: 0.02 };

describe.skipIf(!haveBrowser)('insights dashboards (demo city)', () => {
  let demo: DemoBrowser;
  let server: Running;
  let page: Page;
  let errors: string[];
  let city: { id: number; name: string };

  beforeAll(async () => {
    demo = await startDemoBrowser('insights');
    server = demo.server;
    const s = server.services;
    // The read models are as the demo seeding built them (startDemoBrowser has delivered its events).
    // The city over the district with the most orders: a region whose figures come from its sub-regions.
    const [row] = await s.db.query<{ id: number; name: string }>(
      `SELECT r.id::int AS id, r.name FROM regions r
       WHERE r.id = (SELECT COALESCE(p.parent_id, p.id) FROM regions p
                     WHERE p.id = (SELECT region_id FROM insights_daily GROUP BY region_id ORDER BY sum(orders) DESC LIMIT 1))`,
    );
    city = row!;
    const context = await demo.browser.newContext({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1, timezoneId: 'Asia/Shanghai', locale: 'zh-CN', acceptDownloads: true });
    page = await context.newPage();
    errors = watchErrors(page);
  }, 300_000);

  afterAll(async () => {
    await demo?.close();
  });

  it('the operator opens 经营洞察 from the admin nav and picks a region: every chart draws', async () => {
    await signIn(page, server.url, login('operator'), /\/admin/);
    await page.locator('a.nav-item[href="/admin/insights"]').click();
    await page.locator('[data-testid="insights-page"][data-ready="1"]').waitFor({ timeout: 30_000 });

    await page.locator('[data-testid="insights-region"]').selectOption(String(city.id));
    await page.locator('[data-testid="insights-page"][data-ready="1"]').waitFor({ timeout: 30_000 });
    // ECharts animates in for about a second; read the pixels once it has settled.
    await page.waitForTimeout(1_500);

    const inked = await page.evaluate((ids) => {
      // Runs in the page; the project's TypeScript has no DOM library, so the shapes used are spelt out.
      type Canvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null };
      type Box = { parentElement: { getAttribute(name: string): string | null } | null; querySelectorAll(sel: string): ArrayLike<Canvas> };
      const document = (globalThis as unknown as { document: { querySelector(sel: string): Box | null } }).document;
      const out: Record<string, { canvases: number; points: number; inked: number; share: number }> = {};
      for (const id of ids) {
        const box = document.querySelector(`[data-testid="insights-chart-${id}"]`);
        let canvases = 0;
        let inkedPx = 0;
        let total = 0;
        const points = Number(box?.parentElement?.getAttribute('data-points') ?? 0);
        for (const c of Array.from(box?.querySelectorAll('canvas') ?? [])) {
          canvases += 1;
          const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          total += c.width * c.height;
          // The canvas is transparent where nothing is drawn; near-white counts as background too.
          for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 40 && (data[i]! < 235 || data[i + 1]! < 235 || data[i + 2]! < 235)) inkedPx += 1;
        }
        out[id] = { canvases, points, inked: inkedPx, share: total ? inkedPx / total : 0 };
      }
      return out;
    }, [...CHARTS]);
    for (const id of CHARTS) {
      const what = `${id} ${JSON.stringify(inked[id])}`;
      expect(inked[id]!.canvases, what).toBeGreaterThan(0);
      expect(inked[id]!.points, what).toBeGreaterThan(0);
      expect(inked[id]!.share, what).toBeGreaterThan(MIN_INK[id]);
    }

    // The figures behind the charts are there: orders in the funnel, rows in each table.
    const groupBuyOrders = Number((await page.locator('[data-testid="insights-funnel-group_buy"] td').nth(4).innerText()).replace(/,/g, ''));
    expect(groupBuyOrders).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="insights-leader-row"]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="insights-routes-table"] tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="insights-skus-table"] tbody tr').count()).toBeGreaterThan(0);

    await page.screenshot({ path: join(SHOTS, 'e2e-insights-1-city.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 120_000);

  it('the league table comes a page at a time, next page and warnings first from the server', async () => {
    const summary = await page.locator('[data-testid="insights-leaders-summary"]').innerText();
    const total = Number(/\d+/.exec(summary)![0]);
    expect(total).toBeGreaterThan(20); // more than a page of 20
    expect(await page.locator('[data-testid="insights-leader-row"]').count()).toBe(20);
    const rank = (row: number) => page.locator('[data-testid="insights-leader-row"]').nth(row).locator('td').first().innerText();
    await page.locator('[data-testid="insights-leaders-next"]').click();
    await page.waitForFunction(
      () => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('[data-testid="insights-leader-row"] td')?.textContent === '21',
      undefined,
      { timeout: 10_000 },
    );
    expect(await page.locator('[data-testid="insights-leader-row"]').count()).toBe(Math.min(20, total - 20));
    await page.locator('[data-testid="insights-leaders-sort"]').selectOption('warnings');
    await page.waitForFunction(
      () => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('[data-testid="insights-leader-row"] td')?.textContent === '1',
      undefined,
      { timeout: 10_000 },
    );
    expect(await rank(0)).toBe('1');
    await page.screenshot({ path: join(SHOTS, 'e2e-insights-2-league.png'), fullPage: false });
    expect(errors).toEqual([]);
  }, 60_000);

  it('a table downloads as CSV with the byte-order mark and its header', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="insights-csv-leaders"]').click()]);
    const path = await download.path();
    const bytes = readFileSync(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8').slice(1).split('\r\n')[0]).toContain('团长 Leader');
    expect(download.suggestedFilename()).toMatch(new RegExp(`^insights-leaders-${city.id}-\\d{4}-\\d{2}-\\d{2}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
  }, 60_000);

  it('a range over 92 days is refused on the page without asking the server', async () => {
    await page.locator('[data-testid="insights-from"]').fill('2020-01-01');
    await page.locator('[data-testid="insights-range-error"]').waitFor({ timeout: 5_000 });
    expect(await page.locator('[data-testid="insights-page"]').getAttribute('data-ready')).toBe('0');
    expect(errors).toEqual([]);
  }, 60_000);
});
