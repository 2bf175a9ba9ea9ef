// The console is served by the platform itself: the app shell for client routes, long-cached hashed
// assets (pre-compressed), problem+json 404s under /api, nothing outside dist/web.
import { describe, expect, it } from 'vitest';
import { baseUrl, openBrowser } from './helpers.ts';

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${baseUrl()}${path}`, { headers, redirect: 'manual' });

describe('console serving', () => {
  it('serves the app shell at / and for client-side routes, never cached', async () => {
    for (const path of ['/', '/inbox', '/cases/123', '/portal/track?caseNo=X&token=y']) {
      const r = await get(path);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type')).toContain('text/html');
      expect(r.headers.get('cache-control')).toBe('no-cache');
      expect(await r.text()).toContain('<div id="root">');
    }
  });

  it('serves hashed assets with a year of immutable caching, brotli when asked', async () => {
    const html = await (await get('/')).text();
    const entry = html.match(/src="(\/assets\/index-[^"]+\.js)"/)![1];
    const r = await get(entry, { 'accept-encoding': 'br' });
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(r.headers.get('content-encoding')).toBe('br');
    expect(r.headers.get('content-type')).toContain('javascript');
  });

  it('keeps problem+json 404s under /api and serves nothing outside the build', async () => {
    const r = await get('/api/v1/no-such-thing');
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect((await r.json()).code).toBe('not_found');
    for (const path of ['/..%2f..%2fpackage.json', '/assets/..%2f..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/src/cli.ts']) {
      const t = await get(path);
      const body = await t.text();
      expect(body, path).not.toContain('"name": "gongzhi"');
      expect(body, path).not.toContain('commander');
    }
  });

  it('tells the console where a map service is, if any', async () => {
    const r = await get('/api/v1/console/config');
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ mapStyleUrl: null });
  });
});

describe('the console under its content security policy', () => {
  it('sends the policy with the app shell, and the watch on securitypolicyviolation sees a blocked inline script', async () => {
    const b = await openBrowser();
    try {
      const res = await b.page.goto('/login');
      const csp = res!.headers()['content-security-policy'];
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
      expect(csp).toContain("frame-ancestors 'none'");
      await b.page.getByLabel('用户名').waitFor();
      expect(b.cspViolations).toEqual([]);
      // what an injected script would try: it is blocked, and the helpers' watch notices
      const ran = await b.page.evaluate(async () => {
        const s = document.createElement('script');
        s.textContent = 'window.__injected = true';
        document.body.appendChild(s);
        await new Promise((r) => setTimeout(r, 100));
        return (window as unknown as { __injected?: boolean }).__injected === true;
      });
      expect(ran).toBe(false);
      await expect.poll(() => b.cspViolations.length).toBe(1);
      expect(b.cspViolations[0]).toContain('script-src');
      b.cspViolations.length = 0; // provoked on purpose
    } finally {
      await b.close();
    }
  });
});
