// The command centre watches its dashboard: a new ticket shows in today's numbers without a reload;
// drill-down from the district to a grid; the grid map; the big screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiAs, login, mapReady, openBrowser, shot, screenshotOnFailure, type Browser } from './helpers.ts';
import { homeCommunity, homeGrid, homeStreet } from '../helpers/fixtures.ts';

let b: Browser;
beforeAll(async () => { b = await openBrowser(); });
afterAll(async () => { await b?.close(); });
screenshotOnFailure(() => b);

/** The line under an indicator: its period and the count behind it. */
async function note(p: Page, key: string): Promise<string> {
  return ((await p.locator(`[data-kpi="${key}"] .gz-kpi-note, [data-kpi="${key}"] .gz-big-note`).first().textContent()) ?? '').trim();
}

/** Whether the page fits the window: no scrollbar either way. */
async function fitsWindow(p: Page) {
  return p.evaluate(() => {
    const s = document.scrollingElement!;
    return { height: s.scrollHeight <= window.innerHeight, width: s.scrollWidth <= window.innerWidth, sizes: [s.scrollWidth, s.scrollHeight, window.innerWidth, window.innerHeight] };
  });
}

async function kpi(p: Page, key: string): Promise<number> {
  const text = await p.locator(`[data-kpi="${key}"] .ant-statistic-content-value, [data-kpi="${key}"] .gz-big-number`).first().textContent();
  return Number((text ?? '').replace(/[^\d.]/g, ''));
}

describe('command-centre dashboard', () => {
  it('shows the new numbers live and drills down from district to grid', async () => {
    const p = b.page;
    await login(p, 'zhihui');
    await p.getByTestId('home-command_centre').waitFor();
    await shot(p, '30-command-centre-home');
    await p.getByRole('link', { name: '指挥驾驶舱' }).click();
    await p.getByTestId('dashboard').waitFor();
    await expect.poll(() => kpi(p, 'kpi.open')).toBeGreaterThan(0);
    await p.getByTestId('chart').first().waitFor();
    const intake = await kpi(p, 'kpi.todayIntake');
    const open = await kpi(p, 'kpi.open');

    const op = await apiAs('rexian');
    const c = await op.post('/api/v1/cases', {
      categoryCode: '030102', title: '驾驶舱测试：路灯不亮', description: '学校门口路灯不亮', regionCode: '50011700100501',
    });
    expect(c.caseNo).toMatch(/^RX/);
    await expect.poll(() => kpi(p, 'kpi.todayIntake'), { timeout: 20_000 }).toBe(intake + 1);
    expect(await kpi(p, 'kpi.open')).toBe(open + 1);
    await mapReady(p);
    // every indicator says its period and the count behind it, and the counts are the API's
    const o = await (await apiAs('zhihui')).get('/api/v1/stats/overview?region=500117&days=14');
    expect(await note(p, 'kpi.todayIntake')).toBe('今日');
    expect(await note(p, 'kpi.open')).toBe('当前');
    for (const [key, rate] of [['kpi.onTimeRate', o.rates.onTime], ['kpi.responseRate', o.rates.response],
      ['kpi.resolutionRate', o.rates.resolution], ['kpi.satisfaction', o.rates.satisfaction]] as const) {
      // 按时办结率 says it is over the closures (issue 12: 100.0% beside 超期在办 19 read as a contradiction)
      expect(await note(p, key), key).toBe(key === 'kpi.onTimeRate' ? `近14天办结件中按时 ${rate.count}/${rate.of}` : `近14天 · ${rate.count}/${rate.of}`);
      expect(rate.of, `${key}: the demo city has something to count`).toBeGreaterThan(0);
      expect(await p.locator(`[data-kpi="${key}"] .ant-statistic-content-value`).textContent()).toBe(`${(rate.rate * 100).toFixed(1)}%`);
    }
    expect(await note(p, 'kpi.overdue')).toMatch(/^当前 · 在办\d+件中$/);
    // 按时办结率 sits beside the open overdue count and its trend by day
    const timeliness = p.getByLabel('办理时效');
    expect(await timeliness.locator('[data-kpi]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kpi')))).toEqual(['kpi.overdue', 'kpi.onTimeRate']);
    await timeliness.getByRole('img', { name: '超期在办趋势（每日日终）' }).waitFor();
    expect(o.byDay.at(-1).overdue).toBe(o.overdue);
    await p.getByRole('combobox', { name: '统计周期' }).click();
    await p.locator('.ant-select-item-option').filter({ hasText: '近30天' }).click();
    await expect.poll(() => note(p, 'kpi.onTimeRate')).toMatch(/^近30天办结件中按时 \d+\/\d+$/);
    await shot(p, '31-dashboard-district', true);

    // drill down: district → street → community → grid, one breadcrumb level per click
    const table = p.getByRole('table', { name: '下级区域明细' });
    const crumbs = p.getByRole('navigation', { name: '区域层级' });
    for (const [links, codeLength] of [[1, 9], [2, 12], [3, 14]] as const) {
      await table.getByRole('link').first().click();
      await expect.poll(() => crumbs.getByRole('link').count()).toBe(links);
      expect(new URL(p.url()).searchParams.get('region')).toHaveLength(codeLength);
      if (links === 1) await expect.poll(() => crumbs.locator('[aria-current="page"]').textContent()).toMatch(/街道|镇|乡/);
    }
    await expect.poll(() => p.getByText(/在办案件（\d+）/).isVisible()).toBe(true);
    await shot(p, '32-dashboard-grid-level');
    expect(b.errors).toEqual([]);
  });

  it('colours the grid map and opens a grid with its cases', async () => {
    const p = b.page;
    await p.goto('/map');
    await mapReady(p);
    await p.getByText('超期占比', { exact: true }).first().click();
    await shot(p, '33-grid-map-overdue');
    // the grid at the top of the ranking has a registered grid leader
    const top = p.getByRole('table', { name: '网格排行' }).getByRole('link').first();
    const gridCode = (await top.getAttribute('href'))!.replace('#grid-', '');
    await (await apiAs('zhihui')).post(`/api/v1/grids/${gridCode}/staff`, { role: 'grid_leader', name: '周建国', phone: '13700002222' });
    await top.click();
    const drawer = p.getByRole('dialog');
    await expect.poll(() => drawer.getByText(/在办案件（\d+）/).isVisible()).toBe(true);
    await expect.poll(() => drawer.getByText('周建国').isVisible()).toBe(true);
    expect(await drawer.getByText('137****2222').isVisible()).toBe(true);
    await shot(p, '34-grid-map-drawer');
  });

  it('runs a dark, self-refreshing big screen', async () => {
    const p = b.page;
    await p.goto('/bigscreen');
    await p.getByTestId('bigscreen').waitFor();
    await expect.poll(() => kpi(p, 'kpi.open')).toBeGreaterThan(0);
    await mapReady(p);
    const bg = await p.evaluate(() => getComputedStyle(document.querySelector('.gz-bigscreen')!).backgroundColor);
    expect(bg).toBe('rgb(7, 17, 31)');
    // a new case arrives in the live feed and the numbers without touching the screen
    const open = await kpi(p, 'kpi.open');
    const op = await apiAs('rexian');
    await op.post('/api/v1/cases', { categoryCode: '030102', title: '大屏测试：路灯不亮', description: '路灯不亮', regionCode: '50011700100501' });
    await expect.poll(() => kpi(p, 'kpi.open'), { timeout: 20_000 }).toBe(open + 1);
    // the feed says what happened, where (by name, not code) and when
    // (found by its title: on a shared demo other events, the scheduler's among them, may arrive beside it)
    const first = p.locator('.gz-bs-feed li').filter({ hasText: '大屏测试：路灯不亮' }).first();
    await expect.poll(() => first.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await first.locator('.gz-feed-head strong').textContent()).toBe('上报');
    expect(await first.locator('time').textContent()).toMatch(/^\d{2}:\d{2}$/);
    expect(await first.locator('.gz-feed-where').textContent()).toBe(`${homeStreet.shortName} / ${homeCommunity.shortName} / ${homeGrid.shortName}`);
    // every line names its place and its unit, never a code (titles are what people typed)
    expect((await p.locator('.gz-bs-feed .gz-feed-where, .gz-bs-feed .gz-feed-head').allTextContents()).join(' ')).not.toMatch(/\d{9,}|RX\d/);
    expect(await note(p, 'kpi.onTimeRate')).toMatch(/^近14天办结件中按时 \d+\/\d+$/);
    expect(await note(p, 'kpi.responseRate')).toMatch(/^近14天 · \d+\/\d+$/);

    // one screen, no scrollbar, at both wall sizes
    for (const size of [{ width: 1366, height: 768 }, { width: 1920, height: 1080 }]) {
      await p.setViewportSize(size);
      await expect.poll(async () => { const f = await fitsWindow(p); return f.height && f.width; }, { message: `${size.width}×${size.height}` }).toBe(true);
      const map = (await p.getByTestId('map').boundingBox())!;
      expect(map.height).toBeGreaterThan(size.height / 2); // the map keeps the room it was given
      const feed = (await p.locator('.gz-bs-feed').boundingBox())!;
      expect(feed.y + feed.height).toBeLessThanOrEqual(size.height);
      await shot(p, `35-big-screen-${size.width}x${size.height}`);
    }

    // the map drills down: a click on a street opens that street, with its communities in the ranking
    const districtTitle = await p.locator('h1').textContent();
    const labels = p.getByTestId('map-label-street');
    await expect.poll(() => labels.count()).toBeGreaterThan(2);
    for (let i = 0; i < Math.min(6, await labels.count()) && !new URL(p.url()).searchParams.get('region'); i++) {
      const box = await labels.nth(i).boundingBox();
      if (!box) continue;
      await p.mouse.click(box.x + box.width / 2, box.y + box.height + 6); // just below the name, on the street's grids
      await p.waitForTimeout(800);
    }
    const street = new URL(p.url()).searchParams.get('region');
    expect(street, 'a click on the map opened a street').toHaveLength(9);
    await expect.poll(() => p.locator('h1').textContent()).not.toBe(districtTitle);
    await mapReady(p);
    await expect.poll(() => p.locator('.gz-bs-drill').count()).toBeGreaterThan(0);
    expect(await p.locator('.gz-bs-drill').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/社区|村/)]));
    expect((await fitsWindow(p)).height).toBe(true);
    await shot(p, '36-big-screen-street-1920x1080');
    await p.getByRole('button', { name: '返回上级' }).click();
    await expect.poll(() => new URL(p.url()).searchParams.get('region')).toBeNull();

    // in English the same, and it still fits the smaller wall
    await p.setViewportSize({ width: 1366, height: 768 });
    await p.getByLabel('语言').click();
    await p.getByTitle('English').click();
    await expect.poll(() => note(p, 'kpi.responseRate')).toMatch(/^last 14 days · \d+\/\d+$/);
    expect(await note(p, 'kpi.todayIntake')).toBe('today');
    expect(await p.locator('.gz-bs-feed li').first().locator('.gz-feed-head strong').textContent()).toMatch(/^[A-Za-z -]+$/);
    expect(await fitsWindow(p)).toMatchObject({ height: true, width: true });
    await shot(p, '37-big-screen-english-1366x768');
    await p.getByLabel('Language').click();
    await p.getByTitle('中文').click();
    expect(b.errors).toEqual([]);
  });
});
