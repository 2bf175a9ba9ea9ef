// Issue 11, "CSRF", "Cookies and headers" and "Rate limits bypassed": what a browser on another site
// can and cannot make a logged-in user's session do; the security headers on every response; and
// which proxies may say who the client is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/seed/demo.ts';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, pointIn } from '../helpers/fixtures.ts';
import { SESSION_COOKIE } from '../../src/platform/http/server.ts';

let p: TestPlatform;
let cookie: string, bearer: string, caseId: number;
const HOST = 'gongzhi.example.gov.cn';
const OWN = `http://${HOST}`;

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  const r = await p.http.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { host: HOST, origin: OWN }, payload: { username: 'rexian', password: 'gongzhi-demo-2026' } });
  expect(r.statusCode, r.body).toBe(200);
  cookie = `${SESSION_COOKIE}=${(r.cookies as Array<{ name: string; value: string }>).find((c) => c.name === SESSION_COOKIE)!.value}`;
  bearer = JSON.parse(r.body).token;
  caseId = (await p.as(bearer).post('/api/v1/cases', { categoryCode: '030102', title: '路灯不亮', description: '三盏', ...pointIn(homeGrid) })).body.id;
});
afterAll(async () => { await p?.close(); });

const flows = async () => (await p.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM flow_record WHERE case_id = $1', [caseId]))[0].n;

function multipart(fields: Record<string, string>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return form;
}

describe('CSRF: writes with the session cookie', () => {
  it('a multipart form posted from another site does not act on a case (it did: 200)', async () => {
    const before = await flows();
    const r = await p.http.inject({
      method: 'POST', url: `/api/v1/cases/${caseId}/actions/urge`, payload: multipart({ note: 'x' }) as any,
      headers: { host: HOST, cookie, origin: 'https://evil.example' },
    });
    expect(r.statusCode).toBe(403);
    expect(JSON.parse(r.body).code).toBe('cross_site_request');
    expect(await flows()).toBe(before);
  });

  it('a multipart body is refused by every JSON route, even from our own pages', async () => {
    const before = await flows();
    const r = await p.http.inject({
      method: 'POST', url: `/api/v1/cases/${caseId}/actions/urge`, payload: multipart({ note: 'x' }) as any,
      headers: { host: HOST, cookie, origin: OWN },
    });
    expect(r.statusCode).toBe(415);
    expect(r.headers['content-type']).toContain('application/problem+json');
    const retrain = await p.http.inject({ method: 'POST', url: '/api/v1/intelligence/model/retrain', payload: multipart({}) as any, headers: { authorization: `Bearer ${bearer}` } });
    expect(retrain.statusCode).toBe(415);
    expect(await flows()).toBe(before);
  });

  it.each([
    ['another site in Origin', { origin: 'https://evil.example' }],
    ['another site in Referer', { referer: 'https://evil.example/page' }],
    ['a same-site but other origin', { 'sec-fetch-site': 'same-site', origin: `http://other.${HOST}` }],
    ['no Origin or Referer at all', {}],
    ['Origin null (a sandboxed page)', { origin: 'null' }],
  ])('JSON with the cookie and %s: 403, nothing done', async (_what, headers) => {
    const before = await flows();
    const r = await p.http.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/actions/urge`, payload: { note: '催办' }, headers: { host: HOST, cookie, ...headers } });
    expect(r.statusCode, r.body).toBe(403);
    expect(JSON.parse(r.body).code).toBe('cross_site_request');
    expect(await flows()).toBe(before);
  });

  it.each([
    ['Origin', { origin: OWN }],
    ['Referer', { referer: `${OWN}/cases/1` }],
    ['Sec-Fetch-Site: same-origin', { 'sec-fetch-site': 'same-origin' }],
  ])('JSON with the cookie from our own pages (%s) is done', async (_what, headers) => {
    const before = await flows();
    const r = await p.http.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/actions/urge`, payload: { note: '催办' }, headers: { host: HOST, cookie, ...headers } });
    expect(r.statusCode, r.body).toBe(200);
    expect(await flows()).toBe(before + 1);
  });

  it('bearer-token clients are unaffected, whatever Origin they send', async () => {
    const r = await p.http.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/actions/urge`, payload: { note: '催办' }, headers: { authorization: `Bearer ${bearer}`, origin: 'https://integrator.example' } });
    expect(r.statusCode, r.body).toBe(200);
  });

  it('reads with the cookie need no proof of origin', async () => {
    const r = await p.http.inject({ method: 'GET', url: `/api/v1/cases/${caseId}`, headers: { host: HOST, cookie } });
    expect(r.statusCode).toBe(200);
  });

  it('a login posted from another site is refused (login CSRF)', async () => {
    const r = await p.http.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { host: HOST, origin: 'https://evil.example' }, payload: { username: 'rexian', password: 'gongzhi-demo-2026' } });
    expect(r.statusCode).toBe(403);
    expect(r.headers['set-cookie']).toBeUndefined();
  });
});

describe('security headers', () => {
  it('the console and the API send CSP, frame-ancestors none, X-Frame-Options, Referrer-Policy, nosniff', async () => {
    for (const url of ['/', '/cases', '/api/v1/auth/me', '/healthz', '/api/v1/nope']) {
      const r = await p.http.inject({ method: 'GET', url });
      const csp = String(r.headers['content-security-policy']);
      expect(csp, url).toContain("frame-ancestors 'none'");
      const script = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'))!;
      expect(script).toBe("script-src 'self'");
      expect(csp).toContain("worker-src 'self' blob:");
      expect(csp).toContain("object-src 'none'");
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['referrer-policy']).toBe('same-origin');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('no HSTS over plain HTTP, nor when an untrusted client claims HTTPS', async () => {
    expect((await p.http.inject({ method: 'GET', url: '/healthz' })).headers['strict-transport-security']).toBeUndefined();
    const forged = await p.http.inject({ method: 'GET', url: '/healthz', headers: { 'x-forwarded-proto': 'https' } });
    expect(forged.headers['strict-transport-security']).toBeUndefined();
  });

  it('the API docs page keeps working under its own policy, and cannot be framed', async () => {
    const r = await p.http.inject({ method: 'GET', url: '/docs/' });
    expect(r.statusCode).toBe(200);
    const directives = String(r.headers['content-security-policy']).split(';').map((d) => d.trim());
    // a browser obeys the first of a repeated directive
    expect(directives.find((d) => d.startsWith('frame-ancestors'))).toBe("frame-ancestors 'none'");
    expect(directives.find((d) => d.startsWith('script-src '))).not.toMatch(/unsafe-(inline|eval)/);
  });
});

describe('proxies', () => {
  it('GONGZHI_TRUST_PROXY: only the listed proxies may name the client and the scheme', async () => {
    const q = await testPlatform('2026-11-16T01:30:00Z', { GONGZHI_TRUST_PROXY: '10.0.0.0/8' });
    try {
      const viaProxy = await q.http.inject({ method: 'GET', url: '/healthz', remoteAddress: '10.1.2.3', headers: { 'x-forwarded-proto': 'https' } });
      expect(viaProxy.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      const direct = await q.http.inject({ method: 'GET', url: '/healthz', remoteAddress: '203.0.113.9', headers: { 'x-forwarded-proto': 'https' } });
      expect(direct.headers['strict-transport-security']).toBeUndefined();
      // the session cookie is Secure when the trusted proxy says the login came over HTTPS, not when a client claims it
      const loginVia = (from: string) => q.http.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: from,
        headers: { 'x-forwarded-proto': 'https' }, payload: { username: 'zhihui', password: DEMO_PASSWORD } });
      expect(String((await loginVia('10.1.2.3')).headers['set-cookie'])).toMatch(/gz_session=[^;]+;.*Secure/i);
      expect(String((await loginVia('203.0.113.9')).headers['set-cookie'])).not.toMatch(/Secure/i);
      const report = (from: string, ip: string) => q.http.inject({
        method: 'POST', url: '/api/v1/portal/cases', remoteAddress: from, headers: { 'x-forwarded-for': ip },
        payload: { categoryCode: '030102', title: '路灯不亮', description: '三盏路灯不亮', ...pointIn(homeGrid) },
      });
      // behind the proxy, the portal's limit counts each client, not the proxy
      for (let i = 0; i < 10; i++) expect((await report('10.1.2.3', '198.51.100.5')).statusCode).toBe(201);
      expect((await report('10.1.2.3', '198.51.100.5')).statusCode).toBe(429);
      expect((await report('10.1.2.3', '198.51.100.6')).statusCode).toBe(201);
      // a client that is not a listed proxy is counted by its own address, whatever it claims
      for (let i = 0; i < 10; i++) expect((await report('203.0.113.9', `198.51.100.${100 + i}`)).statusCode).toBe(201);
      expect((await report('203.0.113.9', '198.51.100.200')).statusCode).toBe(429);
    } finally {
      await q.close();
    }
  });

  it('HSTS and a Secure session cookie whenever the public URL is https', async () => {
    const q = await testPlatform('2026-11-16T01:30:00Z', { GONGZHI_PUBLIC_URL: 'https://gongzhi.example.gov.cn' });
    try {
      expect((await q.http.inject({ method: 'GET', url: '/healthz' })).headers['strict-transport-security']).toMatch(/max-age=31536000/);
      // and the session cookie is Secure, outside production mode too
      const login = await q.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'zhihui', password: DEMO_PASSWORD } });
      expect(String(login.headers['set-cookie'])).toMatch(/gz_session=[^;]+;.*Secure/i);
    } finally {
      await q.close();
    }
  });
});
