// A resident about to report a problem sees that a neighbour already reported the same kind of problem
// nearby, and joins it (+1) instead of filing a duplicate; the tracking page shows the joiners, the
// handling unit and the expected completion. The address is found by searching the address library.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, choose, openBrowser, overflowsHorizontally, PHONE, shot, unlabelledControls, screenshotOnFailure, type Browser } from './helpers.ts';

let b: Browser;
beforeAll(async () => { b = await openBrowser(PHONE, { mobile: true }); });
afterAll(async () => { await b?.close(); });
screenshotOnFailure(() => b);

const json = async (path: string, body?: unknown) => {
  const r = await fetch(`${baseUrl()}${path}`, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {});
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json() as Promise<any>;
};

describe('resident portal: joining a nearby report', () => {
  it('a resident joins an existing nearby report instead of filing a duplicate', async () => {
    // a neighbour reported a broken street light at 营盘街7号 an hour ago
    const spot = (await json(`/api/v1/portal/geocode?q=${encodeURIComponent('营盘街7号')}`)).candidates[0];
    const title = `营盘街7号门口路灯不亮 ${Date.now()}`;
    const first = await json('/api/v1/portal/cases', { categoryCode: '030102', title, description: '门口路灯坏了好几天。', lat: spot.lat, lng: spot.lng + 0.0002 });

    const p = b.page;
    await p.goto('/portal/report');
    await p.getByRole('heading', { name: '我要反映问题' }).waitFor();
    await choose(p, '事项分类', '路灯', '路灯不亮');
    await p.getByLabel('标题').fill('路灯不亮');
    await p.getByLabel('诉求内容').fill('营盘街7号门口的路灯晚上不亮。');
    await p.getByLabel('地址').fill('营盘街7号');
    const option = p.getByTestId('address-option').first();
    await option.waitFor();
    await expect.poll(() => option.textContent()).toContain('合阳城街道 / 营盘街社区 / 第');
    await option.click();
    await expect.poll(() => p.getByTestId('located-grid').textContent()).toMatch(/已按地址定位：合阳城街道 \/ 营盘街社区 \/ 第\d+网格/);
    const item = p.getByTestId('nearby-report').filter({ hasText: title });
    await item.waitFor();
    expect(await item.textContent()).toMatch(/距您约 \d+ 米 · 待受理 · 已有 0 人附议/);
    expect(await unlabelledControls(p)).toEqual([]);
    expect(await overflowsHorizontally(p)).toBe(false);
    await shot(p, 'geo-10-portal-nearby-report-phone', true);

    await item.getByTestId('join-report').click();
    await expect.poll(() => p.getByText('已附议，共 2 人关注此问题').isVisible()).toBe(true);
    const caseNo = (await p.getByTestId('portal-case-no').textContent())!.trim();
    const code = (await p.getByTestId('portal-token').textContent())!.trim();
    expect(caseNo).toBe(first.caseNo);
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{12}$/);
    expect(code).not.toBe(first.trackingToken);
    await shot(p, 'geo-11-portal-joined-phone');

    // the tracking page opened without a number asks for it; typed in lower case, it still finds the report
    await p.goto('/portal/track');
    const find = p.getByTestId('portal-track-form');
    await find.getByLabel('案件编号').fill(caseNo.toLowerCase());
    await find.getByLabel('查询码').fill(code.toLowerCase());
    await find.getByRole('button', { name: /查\s*询/ }).click();
    const facts = p.getByTestId('portal-facts');
    await facts.waitFor();
    expect(await facts.textContent()).toContain('办理单位待派遣');
    expect(await facts.textContent()).toContain('1 人也反映了此问题');
    expect(await facts.textContent()).toMatch(/受理时限\d{4}/);
    const text = await p.evaluate(() => document.body.innerText);
    expect([...text.matchAll(/[A-Za-z]{3,}/g)].map((m) => m[0]).filter((w) => !/^RX$/i.test(w))).toEqual([]);
    await shot(p, 'geo-12-portal-track-joined-phone', true);
    // no second case was filed
    const near = await json(`/api/v1/portal/nearby?lat=${spot.lat}&lng=${spot.lng}&category=030102`);
    expect(near.items.filter((i: any) => i.title === title)).toEqual([expect.objectContaining({ caseNo, supporters: 1 })]);
  });
});
