// Administration: users and roles, units, the category tree with time limits, the responsibility list
// and the holiday calendar, through their forms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, openBrowser, shot, unlabelledControls, screenshotOnFailure, type Browser } from './helpers.ts';

let b: Browser;
beforeAll(async () => { b = await openBrowser(); });
afterAll(async () => { await b?.close(); });
screenshotOnFailure(() => b);

describe('administration', () => {
  it('finds a user, changes a time limit and adds a holiday override', async () => {
    const p = b.page;
    await login(p, 'admin');
    await p.getByTestId('home-admin').waitFor();

    await p.getByRole('link', { name: '用户与角色' }).click();
    await p.getByRole('heading', { name: '用户与角色' }).waitFor();
    await p.getByLabel('搜索').fill('wangge');
    await p.getByLabel('搜索').press('Enter');
    await expect.poll(() => p.getByRole('cell', { name: 'wangge', exact: true }).isVisible()).toBe(true);
    expect(await unlabelledControls(p)).toEqual([]);
    await shot(p, '50-admin-users');

    await p.getByRole('link', { name: '单位管理' }).click();
    await p.getByRole('heading', { name: '单位管理' }).waitFor();
    await p.getByLabel('搜索').fill('城市管理');
    await p.getByLabel('搜索').press('Enter');
    await expect.poll(() => p.getByRole('cell', { name: 'dept-chengguan' }).isVisible()).toBe(true);

    await p.getByRole('link', { name: '事项分类' }).click();
    await p.getByRole('heading', { name: '事项分类' }).waitFor();
    await p.getByLabel('搜索').fill('占道经营');
    await p.getByRole('button', { name: '编辑 占道经营' }).click();
    const dialog = p.getByRole('dialog');
    await dialog.getByLabel('办理时限（工作小时）').fill('6');
    await shot(p, '51-admin-category-edit');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => p.getByRole('row', { name: /020501/ }).textContent()).toContain('6小时');

    await p.getByRole('link', { name: '权责清单' }).click();
    await p.getByRole('heading', { name: '权责清单' }).waitFor();
    await expect.poll(() => p.getByRole('table', { name: '权责清单' }).getByRole('row').count()).toBeGreaterThan(2);
    await shot(p, '52-admin-responsibilities');

    await p.getByRole('link', { name: '工作日历' }).click();
    await p.getByRole('heading', { name: '工作日历' }).waitFor();
    await p.getByLabel('日期').click();
    await p.getByLabel('日期').fill('2026-12-24');
    await p.getByLabel('日期').press('Enter');
    await p.getByRole('button', { name: '新增' }).click();
    await expect.poll(() => p.getByRole('cell', { name: '2026-12-24' }).isVisible()).toBe(true);
    const saved = p.waitForResponse((r) => r.url().endsWith('/api/v1/admin/calendar') && r.request().method() === 'PUT');
    await p.getByRole('button', { name: '保存' }).click();
    expect((await saved).status()).toBe(200);
    await p.reload();
    await expect.poll(() => p.getByRole('cell', { name: '2026-12-24' }).isVisible()).toBe(true);
    await shot(p, '53-admin-calendar');
    expect(b.errors).toEqual([]);
  });
});
