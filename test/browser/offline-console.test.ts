// Issue 12 item 7: the console when the server cannot be reached — a page whose code cannot be loaded says
// so with 重试 (not a white screen), the 实时 badge turns grey, and an invalid filter in the address is dropped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, openBrowser, shot, screenshotOnFailure, type Browser } from './helpers.ts';

let b: Browser;
beforeAll(async () => { b = await openBrowser(); });
afterAll(async () => { await b?.close(); });
screenshotOnFailure(() => b);

describe('the console with the network gone', () => {
  it('drops invalid filters from the address and says so', async () => {
    const p = b.page;
    await login(p, 'zhihui');
    await p.goto('/cases?region=abc&sla=purple&from=nonsense');
    await p.getByText('已忽略无效的筛选条件').waitFor();
    await expect.poll(() => new URL(p.url()).search).not.toMatch(/region|sla|from/);
    expect(await p.getByText('Invalid Date').count()).toBe(0);
    await shot(p, 'offline-invalid-filters');
  });

  it('says 「网络异常，页面未能加载」 with 重试 when a page\'s code cannot be fetched, and the badge is not 实时', async () => {
    const p = b.page;
    await p.goto('/cases');
    await p.getByTestId('live-status').and(p.getByText('实时')).waitFor();
    // the server is gone: scripts and the API cannot be fetched
    await p.route(/\/assets\/.*\.js$|\/api\/v1\//, (r) => r.abort('connectionrefused'));
    // to another page inside the console (its code is not loaded yet)
    await p.evaluate(() => { history.pushState({}, '', '/map'); dispatchEvent(new PopStateEvent('popstate')); });
    await p.getByText('网络异常，页面未能加载').waitFor();
    expect(await p.getByRole('button', { name: '重试' }).count()).toBe(1);
    await expect.poll(() => p.getByTestId('live-status').textContent(), { timeout: 15_000 }).toBe('已断开，重连中');
    await shot(p, 'offline-page-load-failed');
    await p.unroute(/\/assets\/.*\.js$|\/api\/v1\//);
  });
});
