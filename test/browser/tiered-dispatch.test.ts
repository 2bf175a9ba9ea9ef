// 三级派单 in the console: the district's 12345 centre dispatches a ticket to a street centre, the street
// centre passes it on to one of its communities; the community returns it, and the street (which
// dispatched it) reviews the return: approved, the ticket comes back to the street.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiAs, choose, login, logout, openBrowser, shot, screenshotOnFailure, type Browser } from './helpers.ts';
import { homeCommunity, homeGrid, homeStreet, pointIn } from '../helpers/fixtures.ts';

let b: Browser;
beforeAll(async () => { b = await openBrowser(); });
afterAll(async () => { await b?.close(); });
screenshotOnFailure(() => b);

const stateOf = (page: Page) => page.getByTestId('case-detail').getAttribute('data-state');

async function open(page: Page, action: string) {
  await page.getByTestId('case-actions').getByRole('button', { name: action, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  return dialog;
}

describe('三级派单', () => {
  it('district → street → community, and a return reviewed by the street', async () => {
    const api = await apiAs('rexian');
    const c = await api.post('/api/v1/cases', {
      categoryCode: '030102', title: `浏览器测试：小区路灯不亮 ${Date.now()}`, description: '3栋门口两盏路灯连续一周不亮，夜间出行不便。',
      ...pointIn(homeGrid), reporter: { name: '王五', phone: '13800005678' }, appealKind: 'help',
    });
    await api.post(`/api/v1/cases/${c.id}/actions/accept`, {});
    const page = b.page;
    const streetCentre = `${homeStreet.shortName}综治中心`;

    // the district's 12345 centre dispatches to the street centre
    await login(page, 'rexian');
    await page.goto(`/cases/${c.id}`);
    await expect.poll(() => stateOf(page)).toBe('accepted');
    let dialog = await open(page, '派遣');
    await choose(page, '主办单位', homeStreet.shortName, streetCentre);
    await shot(page, 'tiered-01-district-dispatch');
    await dialog.getByTestId('action-submit').click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => stateOf(page)).toBe('dispatched');
    await logout(page);

    // the street centre passes it on to one of its communities (only its own are offered)
    await login(page, 'jiedao');
    await page.goto(`/cases/${c.id}`);
    await expect.poll(() => stateOf(page)).toBe('dispatched');
    dialog = await open(page, '再派遣');
    await choose(page, '主办单位', homeCommunity.shortName, homeCommunity.shortName);
    await dialog.getByLabel('办理意见').fill('请社区联系供电所现场核实');
    await dialog.getByTestId('action-submit').click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => stateOf(page)).toBe('dispatched');
    await expect.poll(() => page.getByText('区级派单').first().isVisible()).toBe(true);
    await expect.poll(() => page.getByText('街道派单').first().isVisible()).toBe(true);
    await shot(page, 'tiered-02-street-redispatched');
    await logout(page);

    // the community signs for it, then returns it
    await login(page, 'shequ');
    await page.goto(`/cases/${c.id}`);
    await page.getByTestId('case-actions').getByRole('button', { name: '签收', exact: true }).click();
    await page.getByRole('dialog').getByTestId('action-submit').click();
    await expect.poll(() => stateOf(page)).toBe('handling');
    dialog = await open(page, '退回');
    await dialog.getByLabel('理由').fill('该路灯属于市政道路照明，不属于小区设施');
    await dialog.getByTestId('action-submit').click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => stateOf(page)).toBe('return_review');
    await logout(page);

    // the street, which dispatched it, reviews the return and takes the ticket back
    await login(page, 'jiedao');
    // found in its inbox by the ticket's number (on a busy demo the first page may hold others due sooner)
    await page.goto('/inbox');
    await page.getByLabel('搜索').fill(c.caseNo);
    await page.getByLabel('搜索').press('Enter');
    await expect.poll(() => page.getByText(c.caseNo).isVisible(), { timeout: 15_000 }).toBe(true);
    await page.goto(`/cases/${c.id}`);
    await expect.poll(() => stateOf(page)).toBe('return_review');
    await expect.poll(() => page.getByTestId('case-actions').getByRole('button', { name: '不同意退回', exact: true }).isVisible()).toBe(true);
    dialog = await open(page, '同意退回');
    await dialog.getByLabel('办理意见').fill('同意退回，街道协调供电所处理');
    await shot(page, 'tiered-03-return-review');
    await dialog.getByTestId('action-submit').click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => stateOf(page)).toBe('handling');
    await expect.poll(() => page.getByText(`退回至 ${streetCentre}`).isVisible()).toBe(true);
    await shot(page, 'tiered-04-return-approved');
  });
});
