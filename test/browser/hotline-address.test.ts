// The operator files a 12345 ticket by address alone: typing searches the standard address library,
// the suggestion shows its full path 街道 / 社区 / 网格, and the ticket lands in the community the address
// names. A typed address that disagrees with a map point is flagged before filing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiAs, choose, clickMap, login, mapReady, openBrowser, shot, unlabelledControls, screenshotOnFailure, type Browser } from './helpers.ts';

let b: Browser;
beforeAll(async () => { b = await openBrowser(); });
afterAll(async () => { await b?.close(); });
screenshotOnFailure(() => b);

/** Visible words of Latin letters on the page (none may reach a zh-CN user), ignoring case numbers and codes. */
async function englishWords(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => document.body.innerText);
  return [...text.matchAll(/[A-Za-z]{3,}/g)].map((m) => m[0]).filter((w) => !/^(RX|GB|XLSX|CSV|PDF|SLA|OpenStreetMap|MapLibre)$/i.test(w));
}

async function fillTicket(page: Page, title: string) {
  await page.getByRole('link', { name: '新建工单' }).click();
  await page.getByRole('heading', { name: '12345工单快速登记' }).waitFor();
  await page.getByLabel('来电人').fill('李秀英');
  await choose(page, '事项分类', '占道', '占道经营');
  await page.getByLabel('标题').fill(title);
  await page.getByLabel('诉求内容').fill('菜市场门口每天早上有人占道摆摊，堵住了人行道。');
}

describe('intake by address', () => {
  it('the operator files a ticket by address only, and it lands in the right community', async () => {
    const api = await apiAs('rexian');
    const nanjin = (await api.get('/api/v1/geocode?q=南津街街道')).candidates[0];
    const street = nanjin.regionPath.find((p: any) => p.level === 'street');
    const community = (await api.get(`/api/v1/regions/${street.code}/children`)).items.find((c: any) => c.kind === 'community');
    const page = b.page;
    await login(page, 'rexian');
    await fillTicket(page, `按地址登记 ${Date.now()}`);
    await page.getByLabel('地址').fill(`南津街街道${community.shortName}菜市场旁边`);
    const option = page.getByTestId('address-option').first();
    await option.waitFor();
    await expect.poll(() => option.textContent()).toContain(`${street.name} / ${community.shortName} / 第`);
    await shot(page, 'geo-01-address-suggestions');
    await option.click();
    await expect.poll(() => page.getByTestId('located-grid').textContent()).toMatch(new RegExp(`已按地址定位：${street.name} / ${community.shortName} / 第\\d+网格`));
    expect(await unlabelledControls(page)).toEqual([]);
    expect(await englishWords(page)).toEqual([]);
    await shot(page, 'geo-02-placed-by-address');
    await page.getByTestId('submit-case').click();
    await page.waitForURL(/\/cases\/\d+$/);
    const id = new URL(page.url()).pathname.split('/').pop();
    const c = await api.get(`/api/v1/cases/${id}`);
    expect(c.regionCode.startsWith(community.code)).toBe(true);
    expect(c.lat).not.toBeNull();
    expect(c.address).toBe(`${street.name}${community.shortName}${community.shortName.replace(/社区$/, '')}菜市场`);
    await expect.poll(() => page.getByTestId('region-path').textContent()).toMatch(new RegExp(`${street.name} / ${community.shortName} / 第\\d+网格`));
    expect(await englishWords(page)).toEqual([]);
    await shot(page, 'geo-03-ticket-in-community');
  });

  it('warns when the typed address and the map point lie in different communities', async () => {
    const page = b.page;
    await fillTicket(page, `地址与选点不一致 ${Date.now()}`);
    await page.getByLabel('地址').fill('营盘街社区菜市场旁边');
    await page.getByTestId('toggle-map').click();
    await mapReady(page);
    await clickMap(page, 0.5, 0.2); // the district's north, far from 营盘街 in the town core
    await expect.poll(() => page.getByTestId('located-grid').textContent()).toMatch(/已定位：.+ \/ .+ \/ .+网格/);
    await expect.poll(() => page.getByTestId('address-mismatch').textContent(), { timeout: 10_000 }).toMatch(/合阳城街道 \/ 营盘街社区.*不在同一社区/);
    await shot(page, 'geo-04-address-point-mismatch');
    await page.getByTestId('submit-case').click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.textContent()).toContain('不在同一社区');
    await shot(page, 'geo-05-mismatch-confirm');
    await dialog.getByRole('button', { name: '返回核对' }).click();
    expect(new URL(page.url()).pathname).toBe('/cases/new');
  });
});
