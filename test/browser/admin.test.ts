// Administration: users and roles, units, the category tree with time limits, the responsibility list
// and the holiday calendar, through their forms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, logout, openBrowser, shot, unlabelledControls, screenshotOnFailure, type Browser } from './helpers.ts';

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
    // a new unit: its region from the tree and its parent from the units, by name; what only the API checks
    // (an id taken already) comes back in the dialog
    await p.getByRole('button', { name: '新建单位' }).click();
    const unitDialog = p.getByRole('dialog');
    await unitDialog.getByLabel('ID', { exact: true }).fill('dept-chengguan');
    await unitDialog.getByLabel('单位名称').fill('测试单位');
    await unitDialog.getByLabel('单位类型').click();
    await p.locator('.ant-select-dropdown:visible').getByTitle('职能部门').click();
    await unitDialog.getByLabel('区域').click();
    await unitDialog.getByLabel('区域').fill('合川区');
    await p.locator('.ant-tree-select-dropdown:visible').getByTitle('合川区', { exact: true }).click();
    await unitDialog.getByLabel('上级单位').click();
    await unitDialog.getByLabel('上级单位').fill('城市管理局');
    await p.locator('.ant-select-dropdown:visible').getByTitle(/^合川区城市管理局/).click();
    await unitDialog.getByRole('button', { name: '保存' }).click();
    await unitDialog.getByRole('alert').getByText(/dept-chengguan/).waitFor();
    await unitDialog.getByLabel('ID', { exact: true }).fill('dept-test-unit');
    await shot(p, '50b-admin-unit-new');
    await unitDialog.getByRole('button', { name: '保存' }).click();
    await unitDialog.waitFor({ state: 'hidden' });
    await p.getByLabel('搜索').fill('测试单位');
    await p.getByLabel('搜索').press('Enter');
    await expect.poll(() => p.getByRole('row', { name: /dept-test-unit/ }).textContent()).toContain('合川区');

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
    // no failed request but the refused unit above
    expect(b.errors.filter((e) => !e.includes('status of 409 (Conflict)'))).toEqual([]);
    await logout(p);
  });

  it('creates a user with a region picked from the tree, and says in Chinese that a username is taken', async () => {
    const p = b.page;
    b.errors.length = 0;
    await b.context.clearCookies();
    await login(p, 'admin');
    await p.getByRole('link', { name: '用户与角色' }).click();
    await p.getByRole('button', { name: '新建用户' }).click();
    const dialog = p.getByRole('dialog');
    await dialog.getByLabel('用户名').fill('rexian');
    await dialog.getByLabel('姓名/显示名').fill('合阳城话务员');
    await dialog.getByLabel('角色').click();
    await p.locator('.ant-select-dropdown:visible').getByTitle('12345话务员').click();
    await p.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
    // no typed code: the administrator's territory as a tree, opened down to the streets
    expect(await dialog.getByLabel('区域代码').count()).toBe(0);
    await dialog.getByLabel('管辖区划').click();
    await dialog.getByLabel('管辖区划').fill('合阳城');
    await p.locator('.ant-select-dropdown:visible').getByTitle('合阳城街道', { exact: true }).click();
    await p.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
    await dialog.getByLabel('密码').fill('hyc-hotline-2026');
    await shot(p, '54-admin-new-user-region-tree');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.getByRole('alert').getByText('用户名“rexian”已被使用，请换一个').waitFor();
    await dialog.getByLabel('用户名').fill('hyc.rexian');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await p.getByLabel('搜索').fill('hyc.rexian');
    await p.getByLabel('搜索').press('Enter');
    await expect.poll(() => p.getByRole('row', { name: /hyc\.rexian/ }).textContent()).toContain('合阳城街道');
    await logout(p);
    // the password the administrator typed is replaced at the first login
    await p.goto('/login');
    await p.getByLabel('用户名').fill('hyc.rexian');
    await p.getByLabel('密码').fill('hyc-hotline-2026');
    await p.getByRole('button', { name: '登录', exact: true }).click();
    await p.getByText('请先设置您自己的密码').waitFor();
    await b.context.clearCookies();
  });

  it('edits a rule of the responsibility list; a second rule for the same key is refused in Chinese, with a way to the first', async () => {
    const p = b.page;
    await b.context.clearCookies();
    await login(p, 'admin');
    await p.getByRole('link', { name: '权责清单' }).click();
    await p.getByRole('heading', { name: '权责清单' }).waitFor();
    await p.getByRole('button', { name: '新增权责' }).click();
    const dialog = p.getByRole('dialog');
    // each choice is taken when the field shows it (the dropdowns close with an animation)
    const pick = async (label: string, search: string, option: string) => {
      await dialog.getByLabel(label).click();
      await dialog.getByLabel(label).fill(search);
      await p.locator('.ant-select-dropdown:visible, .ant-tree-select-dropdown:visible').last().getByTitle(option, { exact: true }).click();
      const field = dialog.locator('.ant-form-item').filter({ has: p.getByLabel(label, { exact: true }) });
      await expect.poll(async () => (await field.textContent())?.includes(option) && (await p.locator('.ant-select-dropdown:visible, .ant-tree-select-dropdown:visible').count()) === 0).toBe(true);
    };
    await pick('事项分类', '占道经营', '占道经营');
    await pick('区域', '合川区', '合川区');
    await pick('主办单位', '城市管理局', '合川区城市管理局');
    await dialog.getByRole('button', { name: '保存' }).click();
    const alert = dialog.getByRole('alert');
    await alert.getByText('“占道经营 (020501)”在区划 500117 已有权责规则，不能重复添加；请编辑已有的规则').waitFor();
    expect(await alert.textContent()).not.toMatch(/already|delete it/);
    await shot(p, '55-admin-rule-exists');
    // the way to the rule that holds the key: its edit form
    await alert.getByRole('button', { name: '编辑已有规则' }).click();
    await p.getByRole('dialog', { name: '编辑权责' }).waitFor();
    const edit = p.getByRole('dialog', { name: '编辑权责' });
    await edit.getByLabel('备注').fill('区城管局牵头（浏览器测试）');
    await edit.getByRole('button', { name: '保存' }).click();
    await edit.waitFor({ state: 'hidden' });
    // the list is long: filtered to the category
    await p.getByLabel('事项分类').click();
    await p.getByLabel('事项分类').fill('占道经营');
    await p.locator('.ant-select-dropdown:visible').getByTitle('占道经营', { exact: true }).click();
    const row = p.getByRole('row', { name: /占道经营 \(020501\)/ }).filter({ hasText: '区城管局牵头（浏览器测试）' });
    await expect.poll(() => row.count()).toBe(1);
    // and the edit action on the row itself
    await row.getByRole('button', { name: '编辑' }).click();
    expect(await p.getByRole('dialog', { name: '编辑权责' }).getByLabel('备注').inputValue()).toBe('区城管局牵头（浏览器测试）');
    await p.getByRole('dialog', { name: '编辑权责' }).getByRole('button', { name: '取消' }).click();
    expect(b.errors.filter((e) => !/status of 409/.test(e))).toEqual([]);
    await logout(p);
  });
});
