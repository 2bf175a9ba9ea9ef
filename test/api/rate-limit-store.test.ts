// Issue 11, "Rate limits by library": @fastify/rate-limit counts in Redis when GONGZHI_REDIS_URL is
// set, so that two processes behind one load balancer share one limit; in each process's memory
// otherwise. Two platforms stand in for two processes.
import { afterAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, pointIn } from '../helpers/fixtures.ts';

const REDIS_URL = process.env.GONGZHI_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `gongzhi-test-${randomBytes(4).toString('hex')}:`;
const opened: TestPlatform[] = [];

async function redisReachable(): Promise<boolean> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0 });
  try { await r.connect(); await r.ping(); return true; } catch { return false; } finally { r.disconnect(); }
}
const hasRedis = await redisReachable();
if (!hasRedis && process.env.CI === 'true') throw new Error(`Redis is not reachable at ${REDIS_URL}; CI requires it.`);

afterAll(async () => {
  for (const p of opened) await p.close();
  if (hasRedis) {
    const r = new Redis(REDIS_URL);
    const keys = await r.keys(`${prefix}*`);
    if (keys.length) await r.del(...keys);
    r.disconnect();
  }
});

async function platform(env: Record<string, string> = {}) {
  const p = await testPlatform('2026-11-16T01:30:00Z', env);
  opened.push(p);
  return p;
}
const report = (p: TestPlatform, from: string) => p.http.inject({
  method: 'POST', url: '/api/v1/portal/cases', remoteAddress: from,
  payload: { categoryCode: '030102', title: '路灯不亮', description: '三盏路灯不亮', ...pointIn(homeGrid) },
});
const wrongLogin = (p: TestPlatform, from: string) => p.http.inject({
  method: 'POST', url: '/api/v1/auth/login', remoteAddress: from, payload: { username: 'shequ', password: 'wrong' },
});

describe('in memory (no GONGZHI_REDIS_URL)', () => {
  it('each process counts alone', async () => {
    const [a, b] = [await platform(), await platform()];
    for (let i = 0; i < 10; i++) expect((await report(i % 2 ? a : b, '198.51.100.20')).statusCode).toBe(201);
    expect((await report(a, '198.51.100.20')).statusCode).toBe(201);
    expect((await report(b, '198.51.100.20')).statusCode).toBe(201);
  });
});

describe.skipIf(!hasRedis)('in Redis (GONGZHI_REDIS_URL)', () => {
  it('two processes share one count: the portal limit and login failures', async () => {
    const env = { GONGZHI_REDIS_URL: REDIS_URL, GONGZHI_REDIS_PREFIX: prefix };
    const [a, b] = [await platform(env), await platform(env)];
    for (let i = 0; i < 10; i++) expect((await report(i % 2 ? a : b, '198.51.100.21')).statusCode).toBe(201);
    const refused = await report(a, '198.51.100.21');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await report(b, '198.51.100.21')).statusCode).toBe(429);
    expect((await report(b, '198.51.100.22')).statusCode).toBe(201);

    for (let i = 0; i < 5; i++) expect((await wrongLogin(i % 2 ? a : b, '198.51.100.23')).statusCode).toBe(401);
    expect((await wrongLogin(a, '198.51.100.23')).statusCode).toBe(429);
    expect((await wrongLogin(b, '198.51.100.23')).statusCode).toBe(429);
    const r = new Redis(REDIS_URL);
    try {
      expect((await r.keys(`${prefix}rl:*`)).length).toBeGreaterThan(0);
    } finally {
      r.disconnect();
    }
  });

  it('an unreachable Redis lets requests through instead of failing them', async () => {
    const p = await platform({ GONGZHI_REDIS_URL: 'redis://127.0.0.1:1', GONGZHI_REDIS_PREFIX: prefix });
    for (let i = 0; i < 12; i++) expect((await report(p, '198.51.100.24')).statusCode).toBe(201);
  });
});
