// A resident without an account reports a problem on a phone (map pick and photo), gets a tracking
// number, follows the case while the hotline answers it, and rates the result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, choose, clickMap, mapReady, openBrowser, overflowsHorizontally, PHONE, samplePhoto, shot, unlabelledControls, screenshotOnFailure, type Browser } from './helpers.ts';

let b: Browser;
beforeAll(async () => { b = await openBrowser(PHONE, { mobile: true }); });
afterAll(async () => { await b?.close(); });
screenshotOnFailure(() => b);

describe('resident portal', () => {
  it('reports, follows and rates a case without logging in', async () => {
    const p = b.page;
    await p.goto('/portal');
    await p.getByTestId('portal-report').waitFor();
    expect(await overflowsHorizontally(p)).toBe(false);
    await shot(p, '20-portal-home-phone');

    await p.getByTestId('portal-report').click();
    await p.getByRole('heading', { name: '我要反映问题' }).waitFor();
    await p.getByTestId('photo-input').setInputFiles({ name: 'lamp.png', mimeType: 'image/png', buffer: samplePhoto() });
    await expect.poll(() => p.getByRole('img', { name: 'lamp.png' }).count()).toBe(1);
    await choose(p, '事项分类', '路灯', '路灯不亮');
    const title = `小区门口路灯不亮 ${Date.now()}`;
    await p.getByLabel('标题').fill(title);
    await p.getByLabel('诉求内容').fill('南园路小区门口的两盏路灯已经一周不亮，晚上出行很不安全。');
    await mapReady(p);
    await clickMap(p);
    await expect.poll(() => p.getByTestId('located-grid').or(p.getByTestId('located-point')).isVisible()).toBe(true);
    await p.getByLabel('称呼').fill('孙先生');
    await p.getByLabel('手机号码').fill('13912345678');
    expect(await unlabelledControls(p)).toEqual([]);
    expect(await overflowsHorizontally(p)).toBe(false);
    await shot(p, '21-portal-report-form-phone', true);
    await p.getByTestId('portal-submit').click();

    const caseNo = (await p.getByTestId('portal-case-no').textContent())!.trim();
    const token = (await p.getByTestId('portal-token').textContent())!.trim();
    expect(caseNo).toMatch(/^RX\d{15}$/);
    expect(token.length).toBeGreaterThan(8);
    await shot(p, '22-portal-tracking-number-phone');

    await p.getByRole('button', { name: '查看办理进度' }).click();
    await expect.poll(() => p.getByTestId('portal-case').getAttribute('data-state')).toBe('reported');
    await shot(p, '23-portal-follow-reported-phone');

    // the hotline answers the resident directly
    const op = await apiAs('rexian');
    const found = await op.get(`/api/v1/cases?q=${caseNo}`);
    expect(found.items).toHaveLength(1);
    const id = found.items[0].id;
    await op.post(`/api/v1/cases/${id}/actions/accept`);
    await op.post(`/api/v1/cases/${id}/actions/answer_directly`, { note: '已联系供电所，今晚修复路灯。' });

    await p.reload();
    await expect.poll(() => p.getByTestId('portal-case').getAttribute('data-state')).toBe('awaiting_callback');
    await expect.poll(() => p.getByText('已联系供电所，今晚修复路灯。').isVisible()).toBe(true);
    await p.getByText('满意', { exact: true }).click();
    await p.getByTestId('portal-rate-submit').click();
    await expect.poll(() => p.getByTestId('portal-case').getAttribute('data-state')).toBe('closed');
    expect(await overflowsHorizontally(p)).toBe(false);
    await shot(p, '24-portal-rated-closed-phone', true);

    // the case number comes back from this device's list
    await p.goto('/portal');
    await expect.poll(() => p.getByRole('link', { name: title }).isVisible()).toBe(true);
    expect(b.errors).toEqual([]);
  });
});
