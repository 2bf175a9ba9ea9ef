// The street centre works an urban-management case with the less common forms: file on the filing
// condition, dispatch, blow the whistle to summon a second department, supervise; the department asks
// for more time; the summoned department reports in; the centre approves the extension.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiAs, choose, login, logout, openBrowser, shot, screenshotOnFailure, type Browser } from './helpers.ts';

let b: Browser;
beforeAll(async () => { b = await openBrowser(); });
afterAll(async () => { await b?.close(); });
screenshotOnFailure(() => b);

const state = (p: Page) => p.getByTestId('case-detail').getAttribute('data-state');
async function open(p: Page, action: string) {
  await p.getByTestId('case-actions').getByRole('button', { name: action, exact: true }).click();
  const d = p.getByRole('dialog');
  await d.waitFor();
  return d;
}
async function submit(p: Page) {
  const d = p.getByRole('dialog');
  await d.getByTestId('action-submit').click();
  await d.waitFor({ state: 'hidden' });
}

describe('street centre and departments', () => {
  it('files, dispatches, whistles, supervises, extends', async () => {
    const jd = await apiAs('jiedao');
    const c = await jd.post('/api/v1/cases', {
      type: 'urban', categoryCode: '020501', title: `街面占道经营（街道测试 ${Date.now()}）`, description: '南津街口流动摊贩占道', regionCode: '50011700100501',
    });
    const p = b.page;
    await login(p, 'jiedao');
    await p.goto(`/cases/${c.id}`);
    await expect.poll(() => state(p)).toBe('reported');
    await expect.poll(() => p.getByTestId('case-actions').getByRole('button').allTextContents()).toEqual(expect.arrayContaining(['立案', '不予立案']));

    // 立案 needs the filing condition to be confirmed
    let d = await open(p, '立案');
    await expect.poll(() => d.getByText('立案条件', { exact: true }).isVisible()).toBe(true);
    await d.getByTestId('action-submit').click();
    await expect.poll(() => d.getByText('立案须确认符合立案条件').isVisible()).toBe(true);
    await d.getByLabel('经核实，符合该类事项的立案条件').check();
    await submit(p);
    await expect.poll(() => state(p)).toBe('filed');

    d = await open(p, '派遣');
    await expect.poll(() => d.getByTestId('routing-suggestion').textContent()).toContain('城市管理');
    await submit(p);
    await expect.poll(() => state(p)).toBe('dispatched');

    d = await open(p, '吹哨');
    await choose(p, '召集单位', '市场', '合川区市场监督管理局');
    await d.getByLabel('办理意见').fill('联合整治流动摊贩');
    await shot(p, '70-street-whistle-dialog');
    await submit(p);
    await expect.poll(() => p.getByText('已吹哨（街道级）').isVisible()).toBe(true);

    d = await open(p, '督办');
    await d.getByLabel('办理意见').fill('请三日内办结');
    await submit(p);
    await expect.poll(() => p.getByText('督办', { exact: true }).first().isVisible()).toBe(true);
    await logout(p);

    // the lead department signs and asks for two more working days
    await login(p, 'chengguan');
    await p.goto(`/cases/${c.id}`);
    await open(p, '签收');
    await submit(p);
    await expect.poll(() => state(p)).toBe('handling');
    d = await open(p, '申请延期');
    await d.getByLabel('延期时长（工作小时）').fill('14');
    await d.getByLabel('理由').fill('需与市场监管联合执法，协调时间');
    await submit(p);
    await expect.poll(() => p.getByText(/延期申请待审批/).isVisible()).toBe(true);
    await logout(p);

    // the summoned department reports in
    await login(p, 'shichang');
    await p.goto('/inbox');
    await expect.poll(() => p.getByText(c.caseNo).count()).toBeGreaterThan(0);
    await p.goto(`/cases/${c.id}`);
    await open(p, '报到');
    await submit(p);
    await expect.poll(() => p.getByRole('cell', { name: /\d{4}\/\d{2}\/\d{2}/ }).count()).toBeGreaterThan(1);
    await logout(p);

    // the centre approves the extension
    await login(p, 'jiedao');
    await p.goto(`/cases/${c.id}`);
    const before = await jd.get(`/api/v1/cases/${c.id}`);
    d = await open(p, '批准延期');
    await expect.poll(() => d.getByLabel('延期时长（工作小时）').inputValue()).toBe('14');
    await submit(p);
    await expect.poll(() => p.getByText(/延期申请待审批/).count()).toBe(0);
    const after = await jd.get(`/api/v1/cases/${c.id}`);
    expect(after.sla.limitMinutes).toBe(before.sla.limitMinutes + 840);
    const steps = await p.getByTestId('timeline').locator('[data-flow-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-flow-action')));
    expect(steps).toEqual(['report', 'file', 'dispatch', 'whistle', 'supervise', 'sign', 'request_extension', 'report_in', 'approve_extension']);
    await shot(p, '71-street-case-after-actions', true);
    expect(b.errors).toEqual([]);
  });
});
