// A user outside a case's scope cannot open it: not by link, not by search.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, login, logout, openBrowser, shot, screenshotOnFailure, type Browser } from './helpers.ts';

let b: Browser;
beforeAll(async () => { b = await openBrowser(); });
afterAll(async () => { await b?.close(); });
screenshotOnFailure(() => b);

describe('scope', () => {
  it('keeps another street\'s case and another department\'s case closed to a user', async () => {
    // a ticket in 钓鱼城街道 (500117002), dispatched to the housing department
    const op = await apiAs('rexian');
    const c = await op.post('/api/v1/cases', {
      categoryCode: '030102', title: `范围测试：钓鱼城街道路灯不亮 ${Date.now()}`, description: '路灯不亮', regionCode: '500117002',
    });
    await op.post(`/api/v1/cases/${c.id}/actions/accept`);
    await op.post(`/api/v1/cases/${c.id}/actions/dispatch`, { leadUnitId: 'dept-zhujian' });

    const p = b.page;
    // the street centre of 合阳城街道 (jiedao) is outside
    await login(p, 'jiedao');
    await p.goto(`/cases/${c.id}`);
    await p.getByTestId('case-error').waitFor();
    await expect.poll(() => p.getByText('案件不存在，或不在您的管辖范围内。').isVisible()).toBe(true);
    expect(await p.getByText(c.title).count()).toBe(0);
    await shot(p, '40-out-of-scope-case');
    await p.goto(`/cases?q=${c.caseNo}&open=all`);
    await expect.poll(() => p.getByText('暂无数据').first().isVisible()).toBe(true);
    await logout(p);

    // so is a department the case was not sent to
    await login(p, 'chengguan');
    await p.goto(`/cases/${c.id}`);
    await p.getByTestId('case-error').waitFor();
    await logout(p);

    // the department it was sent to can open it
    await login(p, 'zhujian');
    await p.goto(`/cases/${c.id}`);
    await expect.poll(() => p.getByTestId('case-detail').getAttribute('data-state')).toBe('dispatched');
  });

  it('counts the inbox once per set of filters, not on every page', async () => {
    const api = await apiAs('rexian');
    const expected = (await api.get('/api/v1/cases?count=true&pageSize=1&open=true')).total as number;
    expect(expected).toBeGreaterThan(20);
    const p = b.page;
    const lists: URL[] = [];
    const onRequest = (r: { url(): string }) => { const u = new URL(r.url()); if (u.pathname === '/api/v1/cases') lists.push(u); };
    p.on('request', onRequest);
    try {
      await b.context.clearCookies();
      await login(p, 'rexian');
      lists.length = 0; // the home page's tiles count on their own
      await p.goto('/cases');
      await expect.poll(() => p.getByText(`共 ${expected} 件`).isVisible()).toBe(true);
      const counted = () => lists.filter((u) => u.searchParams.get('count') === 'true');
      expect(counted()).toHaveLength(1);
      expect(counted()[0].searchParams.get('pageSize')).toBe('1');
      // the next page is one request for the page only; the total stays
      await p.locator('.ant-pagination-item-2').click();
      await expect.poll(() => lists.some((u) => u.searchParams.get('page') === '2')).toBe(true);
      expect(lists.find((u) => u.searchParams.get('page') === '2')!.searchParams.has('count')).toBe(false);
      expect(counted()).toHaveLength(1);
      expect(await p.getByText(`共 ${expected} 件`).isVisible()).toBe(true);
      expect(new URL(p.url()).searchParams.get('page')).toBe('2');
      await expect.poll(() => p.locator('.ant-pagination-item-active').textContent()).toBe('2');
      // a filter is a new question: one new count
      await p.goto('/cases?sla=red');
      await expect.poll(() => counted().length).toBe(2);
      expect(counted()[1].searchParams.get('sla')).toBe('red');
    } finally {
      p.off('request', onRequest);
    }
  });
});
