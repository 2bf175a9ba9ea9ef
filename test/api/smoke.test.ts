import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';

let p: TestPlatform;
beforeAll(async () => { p = await testPlatform(); });
afterAll(async () => { await p?.close(); });

describe('smoke', () => {
  it('serves healthz and logs in', async () => {
    const h = await p.as(null).get('/healthz');
    expect(h.status).toBe(200);
    const t = await p.login('rexian');
    const me = await p.as(t).get('/api/v1/auth/me');
    expect(me.body.role).toBe('hotline_operator');
  });
});
