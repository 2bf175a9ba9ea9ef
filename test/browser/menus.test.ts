// Every menu entry opens: for one demo account of each role, every page the menu offers is opened (by its
// address, as the menu's own link does: the console's router is sent there without reloading the bundle),
// and every API request the page makes on load must answer 2xx.
// The menu comes from web/src/lib/abilities.ts; a page that needs more than its entry there (a panel the
// role may not read) shows up here as a 403 and fails the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, Request } from 'playwright-core';
import { login, logout, openBrowser, screenshotOnFailure, type Browser } from './helpers.ts';

let b: Browser;
beforeAll(async () => { b = await openBrowser(); });
afterAll(async () => { await b?.close(); });
screenshotOnFailure(() => b);

/** One account of each role of the demo city. */
const ACCOUNTS = [
  ['admin', 'admin'], ['command_centre', 'zhihui'], ['hotline_operator', 'rexian'], ['street_centre', 'jiedao'],
  ['community', 'shequ'], ['grid_worker', 'wangge'], ['department', 'chengguan'], ['department', 'zhujian'],
] as const;

/** Watches the page's API requests: those in flight, and every one answered with an error. */
function watchApi(page: Page) {
  const inFlight = new Set<Request>();
  const failed: string[] = [];
  const isApi = (r: Request) => new URL(r.url()).pathname.startsWith('/api/') && !(r.headers().accept ?? '').includes('text/event-stream');
  // the console asks who is logged in on every load; before the login that is a 401 by design
  const expected = (status: number, r: Request) => status === 401 && new URL(r.url()).pathname === '/api/v1/auth/me';
  page.on('request', (r) => { if (isApi(r)) inFlight.add(r); });
  page.on('requestfailed', (r) => inFlight.delete(r));
  page.on('requestfinished', async (r) => {
    inFlight.delete(r);
    if (!isApi(r)) return;
    const res = await r.response();
    if (res && res.status() >= 400 && !expected(res.status(), r)) failed.push(`${res.status()} ${r.method()} ${new URL(r.url()).pathname}${new URL(r.url()).search}`);
  });
  return {
    failed,
    /** Until no API request has been in flight for 300 ms (a page's panels load one after another, each within that). */
    async settle(): Promise<void> {
      let quietSince = Date.now();
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        await page.waitForTimeout(50);
        if (inFlight.size) quietSince = Date.now();
        else if (Date.now() - quietSince >= 300) return;
      }
    },
  };
}

describe('the menu of each role', () => {
  for (const [role, username] of ACCOUNTS) {
    it(`offers ${username} (${role}) only pages whose requests on load all succeed`, async () => {
      const p = b.page;
      await b.context.clearCookies(); // whatever an earlier test left: this test logs in afresh
      await p.goto('/login');
      const api = watchApi(p); // from here: the login page's own GET /auth/me (401 before login) is not counted
      await login(p, username);
      await api.settle();
      const links = await p.locator('nav a[href]').evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute('href')!))]);
      expect(links.length).toBeGreaterThan(2);
      const problems: string[] = [];
      if (api.failed.length) problems.push(`${p.url()} (after login): ${api.failed.splice(0).join(', ')}`);
      for (const href of links) {
        // to the page as a menu click does (the sections of the menu may be folded, so not by clicking):
        // the router mounts the page, which makes its every request on load
        await p.evaluate((to) => { window.history.pushState(null, '', to); window.dispatchEvent(new PopStateEvent('popstate')); }, href);
        await p.waitForURL((u) => `${u.pathname}${u.search}` === href);
        await api.settle();
        const refused = await p.getByText(/无权访问|没有权限|页面不存在/).count();
        if (api.failed.length || refused) problems.push(`${href}: ${[...api.failed.splice(0), ...(refused ? ['page says 无权访问/页面不存在'] : [])].join(', ')}`);
      }
      expect(problems, `${username}: pages in the menu whose requests fail`).toEqual([]);
      await logout(p);
    });
  }
});
