// A case type a district added as a data document (物业投诉, docs/examples/case-types) works in the console
// like a built-in one: its states and actions carry their own labels, its action dialogs are built from
// the definition's fields, and it sits in the inbox group its states declare.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, choose, login, logout, openBrowser, shot, screenshotOnFailure, unlabelledControls, type Browser } from './helpers.ts';
import { homeCommunity } from '../helpers/fixtures.ts';

let b: Browser;
beforeAll(async () => { b = await openBrowser(); });
afterAll(async () => { await b?.close(); });
screenshotOnFailure(() => b);

describe('a case type added as a document', () => {
  it('is handled in the console from its definition: inbox group, labels, dialogs', async () => {
    // the district lists the property manager for the community (a community dispatches within its community, and to
    // the units the responsibility list names for it: src/modules/cases/reach.ts); a second run finds it listed
    await (await apiAs('admin')).post('/api/v1/admin/responsibilities', {
      categoryCode: '9001', regionPrefix: homeCommunity.code, leadUnitId: 'dept-wuye', assistUnitIds: [], note: '小区物业',
    }).catch((e: Error) => { if (!/ 409 /.test(e.message)) throw e; });
    const jumin = await apiAs('jumin');
    const c = await jumin.post('/api/v1/cases', {
      type: 'property_complaint', categoryCode: '9001', title: '浏览器测试：2栋电梯停运', description: '2栋电梯停运两天，物业称在等配件。',
      regionCode: '50011700100501',
    });
    expect(c.caseNo).toMatch(/^WY/);

    const p = b.page;
    await login(p, 'shequ');
    // filed under 待受理 by its state's inbox group, with its own state label
    await p.goto('/inbox?group=intake');
    const row = p.locator(`[data-case-no="${c.caseNo}"]`).first();
    await row.waitFor();
    expect(await row.textContent()).toContain('已登记');
    await p.goto(`/cases/${c.id}`);
    const actions = p.getByTestId('case-actions');
    await actions.getByRole('button', { name: '交物业企业办理' }).waitFor();
    expect(await actions.getByRole('button').allTextContents()).toEqual(expect.arrayContaining(['交物业企业办理', '不予受理']));
    await actions.getByRole('button', { name: '交物业企业办理' }).click();
    const d = p.getByRole('dialog');
    // the dialog's fields and labels are the definition's
    await d.getByText('物业企业').first().waitFor();
    await d.getByLabel('交办意见').fill('请三日内修复电梯');
    expect(await unlabelledControls(p)).toEqual([]);
    await choose(p, '物业企业', '小区物业', '小区物业服务企业');
    await shot(p, '98-property-complaint-assign-dialog');
    await d.getByTestId('action-submit').click();
    await expect.poll(() => p.getByTestId('case-detail').getAttribute('data-state')).toBe('with_manager');
    await p.getByTestId('timeline').getByText('交物业企业办理').waitFor();
    await logout(p);

    // the property manager (a department) waits for the owner: the clock pauses
    await login(p, 'wuye');
    await p.goto(`/cases/${c.id}`);
    await p.getByTestId('case-actions').getByRole('button', { name: '等待业主配合' }).click();
    await p.getByRole('dialog').getByLabel('需业主配合的事项').fill('需业主让出电梯机房钥匙');
    await p.getByRole('dialog').getByTestId('action-submit').click();
    await expect.poll(() => p.getByTestId('case-detail').getAttribute('data-state')).toBe('owner_wait');
    // the clock keeps the time it had left, and says so
    expect(await p.locator('[data-light="paused"]').first().textContent()).toMatch(/计时暂停 · 剩余/);
    await shot(p, '99-property-complaint-paused');
    expect(b.errors).toEqual([]);
  });
});
