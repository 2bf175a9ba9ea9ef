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
    // what only the API checks comes back next to its field
    await p.getByRole('button', { name: '新建单位' }).click();
    const unitDialog = p.getByRole('dialog');
    await unitDialog.getByLabel('ID', { exact: true }).fill('dept-test-unit');
    await unitDialog.getByLabel('单位名称').fill('测试单位');
    await unitDialog.getByLabel('单位类型').click();
    await p.locator('.ant-select-dropdown:visible').getByTitle('职能部门').click();
    await unitDialog.getByLabel('区域代码').fill('500117');
    await unitDialog.getByLabel('上级单位ID').fill('no such unit!');
    await unitDialog.getByRole('button', { name: '保存' }).click();
    await unitDialog.locator('.ant-form-item-has-error').filter({ hasText: '上级单位ID' }).getByText(/unit ids are letters/).waitFor();
    expect(await unitDialog.getByRole('alert').count()).toBe(0);
    await unitDialog.getByRole('button', { name: '取消' }).click();
    await unitDialog.waitFor({ state: 'hidden' });

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
    // the one failed request is the refused unit above
    expect(b.errors).toEqual(['console: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
  });
});
