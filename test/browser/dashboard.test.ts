// The command centre watches its dashboard: a new ticket shows in today's numbers without a reload;
// drill-down from the district to a grid; the grid map; the big screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiAs, login, mapReady, openBrowser, shot, screenshotOnFailure, type Browser } from './helpers.ts';

let b: Browser;
beforeAll(async () => { b = await openBrowser(); });
afterAll(async () => { await b?.close(); });
screenshotOnFailure(() => b);

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
    await expect.poll(() => p.locator('.gz-bs-feed li').first().textContent()).toMatch(/RX\d+/);
    await shot(p, '35-big-screen');
  });
});
