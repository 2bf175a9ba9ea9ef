// The hotline desk as the operator uses it: a caller's earlier tickets appear as the phone is typed (with
// the repeat-caller mark); a question is answered from the knowledge base and the ticket is closed on the
// call (即时办结) without a location; the centre edits the knowledge base.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, choose, login, logout, openBrowser, shot, unlabelledControls, screenshotOnFailure, type Browser } from './helpers.ts';
import { homeGrid, pointIn } from '../helpers/fixtures.ts';

let b: Browser;
beforeAll(async () => { b = await openBrowser(); });
afterAll(async () => { await b?.close(); });
screenshotOnFailure(() => b);

const ENGLISH = /\b(the|and|Failed|Invalid|undefined|null)\b|hd\.|kb\./;

describe('hotline desk', () => {
  it('shows the caller\'s earlier tickets as the phone is typed, with the repeat-caller mark', async () => {
    const phone = `139${String(Date.now()).slice(-8)}`;
    const api = await apiAs('rexian');
    const earlier: Array<{ caseNo: string }> = [];
    for (const title of ['小区门口井盖缺失', '井盖仍未修复，再次反映']) {
      earlier.push(await api.post('/api/v1/cases', {
        categoryCode: '030104', title, description: `${title}，行人夜间容易踩空。`, ...pointIn(homeGrid),
        reporter: { name: '周先生', phone }, appealKind: 'complaint',
      }));
    }
    const op = b.page;
    await login(op, 'rexian');
    await op.goto('/cases/new');
    await op.getByRole('heading', { name: '12345工单快速登记' }).waitFor();
    await op.getByLabel('来电号码').fill(phone);
    const card = op.getByTestId('caller-history');
    await card.waitFor();
    await expect.poll(() => op.getByTestId('repeat-caller').textContent()).toContain('重复来电 · 此前 2 件');
    for (const c of earlier) await expect.poll(() => card.getByText(c.caseNo).isVisible()).toBe(true);
    await expect.poll(() => card.getByText('投诉').count()).toBe(2);
    expect(await unlabelledControls(op)).toEqual([]);
    await shot(op, 'hotdesk-01-caller-history');
    expect(await card.innerText()).not.toMatch(ENGLISH);

    // the case list finds the caller by the full number
    await op.goto(`/cases?q=${phone}`);
    await expect.poll(() => op.getByText(earlier[0].caseNo).isVisible(), { timeout: 15_000 }).toBe(true);
  });

  it('answers a question from the knowledge base and closes the ticket on the call', async () => {
    const op = b.page;
    await op.goto('/cases/new');
    await op.getByRole('heading', { name: '12345工单快速登记' }).waitFor();
    await op.getByLabel('来电人').fill('刘女士');
    // blanks are not a number: refused, not dropped (the ticket would have no number to call back)
    await op.getByLabel('来电号码').fill('     ');
    await expect.poll(() => op.getByText('电话号码为5–20位数字').isVisible()).toBe(true);
    await op.getByLabel('来电号码').fill('13600001111');
    await expect.poll(() => op.getByText('电话号码为5–20位数字').count()).toBe(0);
    await op.getByTestId('appeal-kind').getByText('咨询').click();
    await choose(op, '事项分类', '停水', '停水');
    await op.getByLabel('标题').fill('咨询突发停水找谁');
    await op.getByLabel('诉求内容').fill('来电人反映家里从早上开始没水了，小区没有贴停水通知，想知道该找谁。');
    // the knowledge base offers the answer from the caller's words
    const suggestions = op.getByTestId('kb-suggestions');
    await expect.poll(() => suggestions.getByText('停水停电怎么查、找谁').isVisible(), { timeout: 15_000 }).toBe(true);
    await shot(op, 'hotdesk-02-knowledge-suggestion');
    await suggestions.getByRole('button', { name: '用作答复' }).first().click();
    await expect.poll(() => op.getByTestId('on-call-answer').inputValue()).toContain('96069');
    await op.getByTestId('close-on-call').click();
    // filed and closed in one step, no location asked
    await op.waitForURL(/\/cases\/\d+$/);
    await expect.poll(() => op.getByTestId('case-detail').getAttribute('data-state')).toBe('closed');
    await expect.poll(() => op.getByText('即时办结').first().isVisible()).toBe(true);
    await expect.poll(() => op.getByText('咨询', { exact: true }).first().isVisible()).toBe(true);
    await shot(op, 'hotdesk-03-closed-on-call');
  });

  it('suggests categories as the description is typed, and the picker finds everyday words', async () => {
    const op = b.page;
    await op.goto('/cases/new');
    await op.getByRole('heading', { name: '12345工单快速登记' }).waitFor();
    await op.getByLabel('诉求内容').fill('小区门口的井盖不见了，晚上走路很危险。');
    const s = op.getByTestId('category-suggestions');
    await expect.poll(() => s.getByText('公共设施损坏', { exact: false }).isVisible(), { timeout: 15_000 }).toBe(true);
    await shot(op, 'hotdesk-05-category-suggestions');
    await s.getByTestId('category-suggestion-030104').click();
    // the form's category is now the suggestion (the button shows it as chosen, and the picker names it)
    await expect.poll(() => s.getByTestId('category-suggestion-030104').getAttribute('class')).toContain('ant-btn-primary');
    await expect.poll(() => op.locator('.ant-form-item').filter({ hasText: '事项分类' }).first().textContent()).toContain('公共设施损坏');
    // the picker finds 坑 and 垃圾清运 by their everyday words
    await choose(op, '事项分类', '坑', '道路破损');
    await choose(op, '事项分类', '垃圾清运', '垃圾清运');
    expect(await s.innerText()).not.toMatch(ENGLISH);
  });

  it('lets the command centre edit the knowledge base', async () => {
    const cmd = b.page;
    await logout(cmd);
    await login(cmd, 'zhihui');
    await cmd.goto('/knowledge');
    await cmd.getByRole('heading', { name: '知识库' }).waitFor();
    await expect.poll(() => cmd.getByText('城乡居民养老保险怎么缴费').isVisible()).toBe(true);
    // the out-of-date article is shown to the editors as such
    await expect.poll(() => cmd.getByText('不在有效期').first().isVisible()).toBe(true);
    await cmd.getByTestId('kb-new').click();
    const dialog = cmd.getByRole('dialog');
    await dialog.getByLabel('标题').fill('浏览器测试：燃气报修电话');
    await dialog.getByLabel('答复口径').fill('燃气泄漏请立即关闭阀门、开窗通风，到室外拨打燃气公司抢修电话。');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => cmd.getByText('浏览器测试：燃气报修电话').isVisible()).toBe(true);
    await shot(cmd, 'hotdesk-04-knowledge-base');
  });
});
