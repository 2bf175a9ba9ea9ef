// What a walker setting up a district met at a 社区's desk (walk w10): the dispatch picker offers a community only
// the units it may send work to (its own community), the desk form files a type a district added as a document
// (物业投诉), and a closed case reads as ended: its assisting unit 已结束（随案件办结）, no step deadline line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, choose, clickMap, login, logout, mapReady, openBrowser, shot, screenshotOnFailure, type Browser } from './helpers.ts';
import { communities, homeCommunity, homeGrid, homeStreet, pointIn } from '../helpers/fixtures.ts';

let b: Browser;
beforeAll(async () => { b = await openBrowser(); });
afterAll(async () => { await b?.close(); });
screenshotOnFailure(() => b);

const neighbour = communities.find((c) => c.parentCode === homeStreet.code && c.code !== homeCommunity.code)!;

/** A grid event of the home grid, accepted by the community (待派遣). */
async function acceptedEvent(title: string): Promise<{ id: number; caseNo: string }> {
  const c = await (await apiAs('wangge')).post('/api/v1/cases', { categoryCode: '030102', title, description: '3栋门口两盏路灯不亮。', ...pointIn(homeGrid) });
  await (await apiAs('shequ')).post(`/api/v1/cases/${c.id}/actions/accept`, {});
  return c;
}

/** The page, logged in afresh as `user` (whatever the test before left), at `path` if given. */
async function freshAs(user: string, path?: string) {
  const p = b.page;
  await b.context.clearCookies();
  await login(p, user);
  if (path) await p.goto(path);
  return p;
}

describe('a community at its desk', () => {
  it('is offered only the units within its community when it dispatches', async () => {
    const c = await acceptedEvent(`浏览器测试：派遣范围 ${Date.now()}`);
    const p = await freshAs('shequ', `/cases/${c.id}`);
    await p.getByTestId('case-actions').getByRole('button', { name: '派遣', exact: true }).click();
    const dialog = p.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByLabel('主办单位').click();
    const popup = p.locator('.ant-select-dropdown:visible').last();
    await popup.locator('.ant-select-item-option').first().waitFor();
    const offered = await popup.locator('.ant-select-item-option').evaluateAll((els) => els.map((e) => e.getAttribute('title')));
    await shot(p, 'w10-01-community-dispatch-picker');
    expect(offered).toContain(homeCommunity.shortName);
    expect(offered).not.toContain(neighbour.shortName);
    expect(offered.filter((n) => /局|公司|综治中心/.test(n ?? ''))).toEqual([]);
    // typing another community's name finds nothing to pick
    await dialog.getByLabel('主办单位').fill(neighbour.shortName);
    await expect.poll(() => popup.locator('.ant-select-item-option').count()).toBe(0);
    await dialog.getByRole('button', { name: /取\s*消/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    await logout(p);
  });

  it('files a case of a type added as a document (物业投诉) at the desk form', async () => {
    const p = await freshAs('shequ');
    await p.goto('/cases/new');
    await p.getByLabel('标题').waitFor();
    expect(await p.getByText('页面不存在').count()).toBe(0);
    await p.getByLabel('类型', { exact: true }).click();
    await p.locator('.ant-select-dropdown:visible').last().getByTitle('物业投诉').click();
    await choose(p, '事项分类', '电梯', '电梯故障');
    await p.getByLabel('标题').fill(`浏览器测试：5栋电梯停运 ${Date.now()}`);
    await p.getByLabel('诉求内容').fill('5栋电梯停运三天，物业称在等配件，老人上下楼困难。');
    const map = p.getByTestId('toggle-map');
    if (await map.count()) await map.click();
    await mapReady(p);
    await clickMap(p, 0.5, 0.5);
    await shot(p, 'w10-02-community-desk-form');
    await p.getByTestId('submit-case').click();
    await p.waitForURL(/\/cases\/\d+$/);
    await expect.poll(() => p.getByTestId('case-detail').getAttribute('data-state')).toBe('lodged');
    expect(await p.getByTestId('case-detail').textContent()).toContain('物业投诉');
    await logout(p);
  });

  /** A grid event the street dispatched to 城管 with 市场监管 assisting, which 城管 handled, verified and closed. */
  async function closedWithAssist(title: string): Promise<{ id: number }> {
    const c = await acceptedEvent(title);
    const as = async (u: string, action: string, body: Record<string, unknown> = {}) => (await apiAs(u)).post(`/api/v1/cases/${c.id}/actions/${action}`, body);
    await as('jiedao', 'dispatch', { leadUnitId: 'dept-chengguan', assistUnitIds: ['dept-shichang'] });
    await as('chengguan', 'sign');
    await as('chengguan', 'reply', { note: '已更换灯泡' });
    await as('wangge', 'verify_pass');
    await as('shequ', 'close');
    return c;
  }

  it('shows the assisting unit that never acted on a closed case as 已结束（随案件办结）, not 办理中', async () => {
    const c = await closedWithAssist(`浏览器测试：协办单位 ${Date.now()}`);
    const p = await freshAs('shichang', `/cases/${c.id}`);
    await expect.poll(() => p.getByTestId('case-detail').getAttribute('data-state')).toBe('closed');
    const units = p.locator('.ant-card').filter({ hasText: '承办单位' }).last();
    await expect.poll(() => units.textContent()).toContain('合川区市场监督管理局协办已结束（随案件办结）');
    expect(await units.textContent()).toContain('合川区城市管理局主办已完成');
    expect(await units.textContent()).not.toContain('办理中');
    await units.scrollIntoViewIfNeeded();
    await shot(p, 'w10-03-closed-case-assignments');
    await logout(p);
  });

  it('shows no step deadline on a closed case (no 「环节时限 — · 工作时间」), its closing time instead', async () => {
    const c = await closedWithAssist(`浏览器测试：结案时限 ${Date.now()}`);
    const p = await freshAs('shequ', `/cases/${c.id}`);
    await expect.poll(() => p.getByTestId('case-detail').getAttribute('data-state')).toBe('closed');
    const info = p.locator('.ant-card').filter({ hasText: '案件信息' }).first();
    await expect.poll(() => info.textContent()).toContain('结案时间');
    expect(await info.textContent()).not.toContain('环节时限');
    expect(await info.textContent()).not.toMatch(/—\s*·\s*工作时间/);
    expect(await p.getByTestId('step-time-limit').count()).toBe(0);
    await shot(p, 'w10-04-closed-case-no-step-deadline');
    await logout(p);
    expect(b.errors).toEqual([]);
  });
});
