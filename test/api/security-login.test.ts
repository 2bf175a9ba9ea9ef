// Issue 11, "Login": throttling that an attacker cannot turn against a real user, a limit per address
// across accounts, and Retry-After on every 429. (Equal timing for unknown users is measured in
// bench/login-timing.ts, not here.)
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testPlatform, type TestPlatform, type Res } from '../helpers/platform.ts';
import { ensureAdmin } from '../../src/platform/auth/bootstrap.ts';
import { DEMO_PASSWORD } from '../../src/seed/demo.ts';

let p: TestPlatform;
const ADMIN_PASSWORD = 'login-admin-2026';

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  await ensureAdmin(p.ctx.db, ADMIN_PASSWORD);
});
afterAll(async () => { await p?.close(); vi.useRealTimers(); });

async function login(username: string, password: string, from: string): Promise<Res> {
  const r = await p.http.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: from, payload: { username, password }, headers: { 'accept-language': 'en' } });
  let body: any = null;
  try { body = JSON.parse(r.body); } catch { /* empty */ }
  return { status: r.statusCode, body, headers: r.headers, text: r.body };
}

function expect429(r: Res, maxSeconds: number) {
  expect(r.status, r.text).toBe(429);
  expect(r.headers['content-type']).toContain('application/problem+json');
  expect(r.body.code).toBe('too_many_attempts');
  const wait = Number(r.headers['retry-after']);
  expect(wait).toBeGreaterThanOrEqual(1);
  expect(wait).toBeLessThanOrEqual(maxSeconds);
}

describe('an attacker guessing the admin password', () => {
  it('is slowed down at their own address, while admin still logs in from theirs', async () => {
    const attacker = '198.51.100.66';
    for (let i = 0; i < 5; i++) expect((await login('admin', `guess-${i}`, attacker)).status).toBe(401);
    expect429(await login('admin', 'guess-5', attacker), 60);
    // even the right password waits at the attacker's address: the pair is throttled, not the answer
    expect429(await login('admin', ADMIN_PASSWORD, attacker), 60);
    // the real administrator, elsewhere, is not locked out
    expect((await login('admin', ADMIN_PASSWORD, '192.0.2.10')).status).toBe(200);
  });

  it('waits longer the more it fails: a minute after 5 failures, a quarter of an hour after 10', async () => {
    const attacker = '198.51.100.67';
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    try {
      for (let i = 0; i < 5; i++) expect((await login('zhihui', `guess-${i}`, attacker)).status).toBe(401);
      expect429(await login('zhihui', 'guess', attacker), 60);
      vi.setSystemTime(start + 61_000);
      for (let i = 0; i < 5; i++) expect((await login('zhihui', `guess-b${i}`, attacker)).status).toBe(401);
      const r = await login('zhihui', 'guess', attacker);
      expect429(r, 15 * 60);
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(60);
      // the real user from their own address is unaffected throughout
      expect((await login('zhihui', DEMO_PASSWORD, '192.0.2.11')).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('one address trying many accounts (password spraying)', () => {
  it('gets 20 answers, then 429 with Retry-After for every account', async () => {
    const sprayer = '198.51.100.68';
    // a colleague behind the same office address logged in from it before the spraying started
    expect((await login('rexian', DEMO_PASSWORD, sprayer)).status).toBe(200);
    const accounts = Array.from({ length: 40 }, (_, i) => `nobody${i}`);
    const statuses: number[] = [];
    for (const a of accounts) statuses.push((await login(a, 'Winter2026!', sprayer)).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(20);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    const held = await login('shequ', DEMO_PASSWORD, sprayer);
    expect429(held, 15 * 60);
    expect(held.body.scope).toBe('address');
    expect(held.body.detail).toMatch(/network address/);
    // the colleague who logged in from this address before is not held back by somebody else's spraying
    expect((await login('rexian', DEMO_PASSWORD, sprayer)).status).toBe(200);
    // other addresses, and the accounts themselves, are unaffected
    expect((await login('shequ', DEMO_PASSWORD, '192.0.2.12')).status).toBe(200);
  });
});

describe('many addresses trying one account (a botnet)', () => {
  it('after 100 failures, only addresses the account logged in from recently may try', async () => {
    expect((await login('jiedao', DEMO_PASSWORD, '192.0.2.20')).status).toBe(200); // the user's usual address
    for (let i = 0; i < 100; i++) expect((await login('jiedao', 'guess', `203.0.113.${i + 1}`)).status).toBe(401);
    expect429(await login('jiedao', 'guess', '203.0.113.200'), 15 * 60);
    expect429(await login('jiedao', DEMO_PASSWORD, '203.0.113.201'), 15 * 60);
    expect((await login('jiedao', DEMO_PASSWORD, '192.0.2.20')).status).toBe(200);
  });
});

describe('answers', () => {
  it('a wrong password, an unknown user and an inactive user get the same answer', async () => {
    await p.ctx.db.query(`UPDATE app_user SET active = false WHERE username = 'chengguan'`);
    const answers = await Promise.all([
      login('rexian', 'wrong-password', '192.0.2.30'), login('no-such-user', 'wrong-password', '192.0.2.31'),
      login('chengguan', DEMO_PASSWORD, '192.0.2.32'), login('portal', 'anything', '192.0.2.33'),
    ]);
    for (const a of answers) {
      expect(a.status).toBe(401);
      expect(a.body.code).toBe('invalid_credentials');
      expect(a.body.detail).toBe(answers[0].body.detail);
    }
  });

  it('every 429, whoever raises it, carries Retry-After', async () => {
    const r = await p.http.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '198.51.100.68', payload: { username: 'x', password: 'y' } });
    expect(r.statusCode).toBe(429);
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
  });
});
