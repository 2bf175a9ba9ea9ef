// Keyboard use, the English switch, and the case list without any map.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, logout, openBrowser, shot, unlabelledControls, screenshotOnFailure, type Browser } from './helpers.ts';
import type { Page } from 'playwright-core';

let b: Browser;
beforeAll(async () => { b = await openBrowser(); });
afterAll(async () => { await b?.close(); });
screenshotOnFailure(() => b);

/**
 * Logs the user out in a second tab, then keeps using the first one (typing, asking the API, a click on 首页) until
 * its next request meets the ended session and the login page says why it is there.
 */
async function endSessionElsewhere(p: Page, typing?: () => Promise<unknown>): Promise<void> {
  const other = await b.context.newPage();
  await other.goto('/');
  await other.getByRole('button', { name: '退出' }).click();
  await other.getByLabel('用户名').waitFor();
  await other.close();
  const notice = p.getByTestId('session-ended');
  await expect.poll(async () => {
    if (await notice.count()) return true;
    await typing?.().catch(() => undefined);
    await p.evaluate(() => fetch('/api/v1/auth/me')).catch(() => undefined);
    await p.getByRole('link', { name: '首页' }).first().click({ timeout: 1000 }).catch(() => undefined);
    return false;
  }, { timeout: 20_000 }).toBe(true);
}

describe('keyboard and language', () => {
  it('logs in and reaches the inbox with the keyboard alone', async () => {
    const p = b.page;
    await p.goto('/login');
    expect(await unlabelledControls(p)).toEqual([]);
    await p.getByLabel('用户名').focus();
    await p.keyboard.type('shequ');
    await p.keyboard.press('Tab');
    await p.keyboard.type('gongzhi-demo-2026');
    await p.keyboard.press('Enter');
    await p.getByTestId('home-community').waitFor();
    // a demo account always sees that this is demo data
    const banner = p.getByTestId('demo-banner');
    expect(await banner.isVisible()).toBe(true);
    expect(await banner.textContent()).toContain('演示数据');
    // skip link first, then into the page
    await p.keyboard.press('Tab');
    expect(await p.evaluate(() => document.activeElement?.textContent)).toBe('跳到主要内容');
    await p.keyboard.press('Enter');
    expect(await p.evaluate(() => document.activeElement?.id)).toBe('main');
    // the case list is reachable from the menu and opens with Enter
    await p.getByRole('link', { name: '案件查询' }).first().focus();
    await p.keyboard.press('Enter');
    await p.getByRole('heading', { name: '案件查询' }).waitFor();
    expect(await unlabelledControls(p)).toEqual([]);
    // the list works with no map on the page
    expect(await p.getByTestId('map').count()).toBe(0);
    await expect.poll(() => p.locator('[data-case-no]').count()).toBeGreaterThan(0);
    await shot(p, '60-community-cases-keyboard');
  });

  it('switches to English', async () => {
    const p = b.page;
    await p.getByLabel('语言').click();
    await p.getByTitle('English').click();
    await p.getByRole('heading', { name: 'Cases' }).waitFor();
    expect(await p.getByTestId('demo-banner').textContent()).toContain('Demo data');
    await expect.poll(() => p.getByRole('columnheader', { name: 'State' }).isVisible()).toBe(true);
    await shot(p, '61-cases-english');
    await p.getByRole('button', { name: 'Log out' }).click();
    await p.getByLabel('Username').waitFor();
    await p.getByLabel('Language').click();
    await p.getByTitle('中文').click();
    await p.getByLabel('用户名').waitFor();
  });

  it('says so when the session ends under the user (logout in another tab), and returns to the page after logging in', async () => {
    const p = b.page;
    await login(p, 'shequ');
    await p.getByRole('link', { name: '案件查询' }).first().click();
    await p.getByRole('heading', { name: '案件查询' }).waitFor();
    await endSessionElsewhere(p);
    await p.getByTestId('session-ended').getByText('登录已失效').waitFor();
    await shot(p, '62-session-ended');
    await p.getByLabel('用户名').fill('shequ');
    await p.getByLabel('密码').fill('gongzhi-demo-2026');
    const back = new URL(p.url()).searchParams.get('next');
    await p.getByRole('button', { name: '登录', exact: true }).click();
    await p.getByTestId('current-user').waitFor();
    expect(new URL(p.url()).pathname).toBe(back);
    expect(await p.getByTestId('session-ended').count()).toBe(0);
  });

  it('keeps a half-typed ticket when the session ends mid-call and restores it after logging in again', async () => {
    const p = b.page;
    await logout(p); // the test before left 社区 logged in
    await login(p, 'rexian');
    await p.goto('/cases/new');
    await p.getByLabel('标题').fill('草稿测试：楼道堆放杂物');
    await p.getByLabel('诉求内容').fill('三楼楼道堆满纸箱，影响通行。');
    await endSessionElsewhere(p, () => p.getByLabel('标题').fill('草稿测试：楼道堆放杂物', { timeout: 1000 }));
    await p.getByLabel('用户名').fill('rexian');
    await p.getByLabel('密码').fill('gongzhi-demo-2026');
    await p.getByRole('button', { name: '登录', exact: true }).click();
    await p.getByTestId('current-user').waitFor();
    await p.goto('/cases/new');
    await p.getByTestId('draft-restored').getByText('已恢复未提交的工单').waitFor();
    expect(await p.getByLabel('标题').inputValue()).toBe('草稿测试：楼道堆放杂物');
    expect(await p.getByLabel('诉求内容').inputValue()).toBe('三楼楼道堆满纸箱，影响通行。');
    // an explicit logout leaves nothing for the next person at the desk
    await p.getByRole('button', { name: '退出' }).click();
    await p.getByLabel('用户名').waitFor();
    expect(await p.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('gz.draft.')))).toEqual([]);
  });
});
