// A grid worker on a phone (390×844) reports a small problem with a photo and, having dealt with it on
// the spot, closes it at once (小事不出村).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choose, login, openBrowser, overflowsHorizontally, PHONE, samplePhoto, shot, unlabelledControls, screenshotOnFailure, type Browser } from './helpers.ts';

let b: Browser;
beforeAll(async () => { b = await openBrowser(PHONE, { mobile: true }); });
afterAll(async () => { await b?.close(); });
screenshotOnFailure(() => b);

describe('grid worker on a phone', () => {
  it('reports with a photo and self-closes', async () => {
    const p = b.page;
    await login(p, 'wangge');
    await p.getByTestId('home-grid_worker').waitFor();
    expect(await overflowsHorizontally(p)).toBe(false);
    await shot(p, '10-grid-worker-home-phone');

    await p.getByRole('button', { name: '上报事件' }).first().click();
    await p.getByRole('heading', { name: '网格事件上报' }).waitFor();
    expect(await unlabelledControls(p)).toEqual([]);
    await p.getByTestId('photo-input').setInputFiles({ name: 'scene.png', mimeType: 'image/png', buffer: samplePhoto() });
    await expect.poll(() => p.getByRole('img', { name: 'scene.png' }).count()).toBe(1);
    await choose(p, '事项分类', '暴露', '暴露垃圾');
    await p.getByLabel('标题').fill('营盘街12号楼下垃圾袋堆放');
    await p.getByLabel('诉求内容').fill('楼下绿化带旁有三袋生活垃圾未入桶。');
    await p.getByLabel('已当场处置（小事不出村），直接结案').check();
    await p.getByLabel('处置情况').fill('已联系保洁员当场清运，并提醒住户按时投放。');
    expect(await overflowsHorizontally(p)).toBe(false);
    await shot(p, '11-grid-worker-report-form-phone', true);
    await p.getByTestId('submit-report').click();

    await expect.poll(() => p.getByText('已上报并自行处置结案').isVisible()).toBe(true);
    const caseNo = (await p.getByTestId('reported-case-no').textContent())!.replace(/.*：/, '').trim();
    expect(caseNo).toMatch(/^WG\d{15}$/);
    await shot(p, '12-grid-worker-closed-result-phone');

    await p.getByRole('button', { name: '查看案件' }).click();
    await expect.poll(() => p.getByTestId('case-detail').getAttribute('data-state')).toBe('closed');
    const steps = () => p.getByTestId('timeline').locator('[data-flow-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-flow-action')));
    await expect.poll(steps).toEqual(['report', 'self_close']);
    await expect.poll(() => p.getByRole('img', { name: /案件附件/ }).count()).toBe(1);
    expect(await overflowsHorizontally(p)).toBe(false);
    await shot(p, '13-grid-worker-case-phone', true);
    expect(b.errors).toEqual([]);
  });
});
