// A host's public page on the demo city, at phone width: the resident reaches it from the host
// chip of a replay, sees the trust figures with the counts behind them, follows from the page and
// from the live room's chip; signed out, the follow button asks for a sign-in.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Running } from '../../src/server';
import { SHOTS, haveBrowser, login, signIn, startDemoBrowser, watchErrors, type DemoBrowser } from './browser';

const PHONE = { width: 390, height: 844 };

describe.skipIf(!haveBrowser)('a host’s public page (demo city, phone width)', () => {
  let demo: DemoBrowser;
  let server: Running;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let resident: Page;
  let hostId: number;
  let residentId: number;
  let endedId: number;
  let scheduledId: number;

  const open = async () => {
    const c = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, timezoneId: 'Asia/Shanghai', locale: 'zh-CN' });
    contexts.push(c);
    const p = await c.newPage();
    return { page: p, list: watchErrors(p) };
  };
  const followRows = async () =>
    (await server.services.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM host_follows WHERE host_account_id = $1 AND follower_account_id = $2`, [hostId, residentId]))[0]!.n;

  beforeAll(async () => {
    mkdirSync(join(SHOTS, 'shots'), { recursive: true });
    demo = await startDemoBrowser('host-profile');
    server = demo.server;
    browser = demo.browser;
    const db = server.services.db;
    const [h] = await db.query<{ id: number }>(`SELECT id::int AS id FROM accounts WHERE phone = $1`, [login('host').phone]);
    const [r] = await db.query<{ id: number }>(`SELECT id::int AS id FROM accounts WHERE phone = $1`, [login('resident').phone]);
    hostId = h!.id;
    residentId = r!.id;
    const sessions = await db.query<{ id: number; status: string }>(`SELECT id::int AS id, status FROM live_sessions WHERE host_account_id = $1 ORDER BY scheduled_at`, [hostId]);
    endedId = sessions.find((s) => s.status === 'ended')!.id;
    scheduledId = sessions.find((s) => s.status === 'scheduled')!.id;
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await demo?.close();
  });

  it('from the replay’s host chip to the page, with each rate beside its counts and how it is computed', async () => {
    const { page, list } = await open();
    resident = page;
    await signIn(resident, server.url, login('resident'), /\/shop/);
    await resident.goto(`${server.url}/live/${endedId}`);
    const chip = resident.locator('[data-testid="live-host"]');
    await chip.waitFor({ timeout: 15_000 });
    expect(await chip.locator('[data-testid="host-follow"]').innerText()).toBe('关注');
    await chip.locator('[data-testid="live-host-link"]').click();
    await resident.waitForURL(new RegExp(`/hosts/${hostId}$`));
    await resident.locator('[data-testid="host-trust"]').waitFor({ timeout: 15_000 });

    const profile = (await (await resident.request.get(`${server.url}/api/hosts/${hostId}`)).json()) as {
      displayName: string;
      trust: { repeatBuyerBp: number | null; counts: { buyers: number; repeatBuyers: number } };
    };
    expect(await resident.locator('[data-testid="host-name"]').innerText()).toContain(profile.displayName);
    const repeat = await resident.locator('[data-testid="host-trust-repeatBuyers"]').innerText();
    const { buyers, repeatBuyers } = profile.trust.counts;
    expect(repeat).toContain('复购率');
    expect(repeat).toContain(`（${repeatBuyers}/${buyers} 位买家）`);
    if (profile.trust.repeatBuyerBp !== null) expect(repeat).toMatch(/\d+(\.\d)?%/);
    else expect(repeat).toContain('暂无数据');
    expect(repeat).toContain('÷');
    for (const key of ['afterSales', 'onTime']) expect(await resident.locator(`[data-testid="host-trust-${key}"]`).innerText()).toMatch(/（\d+\/\d+ 单）[\s\S]*÷/);
    // Their rooms: at least last night's replay and tonight's, each a link to the room.
    await resident.locator('[data-testid="host-rooms"] [data-testid="live-room-card"]').nth(1).waitFor({ timeout: 10_000 });
    expect(await resident.locator('[data-testid="host-rooms"] [data-testid="live-room-card"]').count()).toBeGreaterThanOrEqual(2);
    // The demo's recordings are placeholder addresses (example.com): the player's failed load is
    // the only error allowed.
    expect(list.filter((e) => !/ERR_NAME_NOT_RESOLVED/.test(e))).toEqual([]);
  }, 90_000);

  it('follows and unfollows from the page; the count and the stored follow change together', async () => {
    const followers = resident.locator('[data-testid="host-followers"]');
    const before = Number((await followers.innerText()).replace(/\D/g, ''));
    const button = resident.locator('[data-testid="host-head"] [data-testid="host-follow"]');
    await button.click();
    await expect.poll(() => button.innerText()).toBe('已关注');
    expect(Number((await followers.innerText()).replace(/\D/g, ''))).toBe(before + 1);
    expect(await followRows()).toBe(1);
    await expect.poll(() => button.isEnabled()).toBe(true);
    await resident.mouse.move(0, 0);
    await resident.screenshot({ path: join(SHOTS, 'shots', 'host-profile.png'), fullPage: true });
    await button.click();
    await expect.poll(() => button.innerText()).toBe('关注');
    expect(await followRows()).toBe(0);
  }, 60_000);

  it('the live room’s chip follows too, and says so on the host page', async () => {
    await resident.goto(`${server.url}/live/${scheduledId}`);
    const pill = resident.locator('[data-testid="live-host"] [data-testid="host-follow"]');
    await pill.waitFor({ timeout: 15_000 });
    await pill.click();
    await expect.poll(() => pill.innerText()).toBe('已关注');
    expect(await followRows()).toBe(1);
    await resident.screenshot({ path: join(SHOTS, 'shots', 'host-chip-room.png') });
    await resident.locator('[data-testid="live-host-link"]').click();
    await resident.waitForURL(new RegExp(`/hosts/${hostId}$`));
    await expect.poll(() => resident.locator('[data-testid="host-head"] [data-testid="host-follow"]').innerText()).toBe('已关注');
  }, 60_000);

  it('signed out, the page shows the figures and the follow button asks for a sign-in', async () => {
    const { page, list } = await open();
    await page.goto(`${server.url}/hosts/${hostId}`);
    await page.locator('[data-testid="host-trust"]').waitFor({ timeout: 15_000 });
    const prompt = page.locator('[data-testid="host-head"] [data-testid="host-follow-signin"]');
    expect(await prompt.innerText()).toBe('登录后关注');
    await prompt.click();
    await page.waitForURL(/\/login$/);
    await page.goto(`${server.url}/hosts/999999`);
    await page.locator('[data-testid="host-not-found"]').waitFor({ timeout: 15_000 });
    // The unknown host's 404 is the only console error allowed.
    expect(list.filter((e) => !/404/.test(e))).toEqual([]);
  }, 60_000);
});
