// The production switch and the demo flag on the demo city: demo accounts say so on /auth/me (the
// console's 演示数据 banner), real accounts do not; the session cookie is Secure in production mode only;
// a generated admin password must be changed, a configured one need not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { ensureAdmin } from '../../src/platform/auth/bootstrap.ts';
import { createUser } from '../../src/platform/auth/service.ts';
import { createCipher, verifyDataKey } from '../../src/platform/crypto.ts';

let dev: TestPlatform;
beforeAll(async () => { dev = await testPlatform(); });
afterAll(async () => { await dev?.close(); });

const loginRaw = (p: TestPlatform, username: string, password = 'gongzhi-demo-2026') =>
  p.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });

describe('demo accounts', () => {
  it('are flagged demo on login and on /auth/me; accounts made by an administrator are not', async () => {
    for (const u of ['zhihui', 'rexian', 'chengguan', 'jumin']) {
      const r = await loginRaw(dev, u);
      expect(r.json().user.demo, u).toBe(true);
      expect((await dev.as(r.json().token).get('/api/v1/auth/me')).body).toMatchObject({ username: u, demo: true, passwordChangeRequired: false });
    }
    await createUser(dev.ctx.db, { username: 'real.user', displayName: '真实用户', password: 'real-user-2026', role: 'command_centre', regionCode: '500117' });
    const t = await dev.login('real.user', 'real-user-2026');
    expect((await dev.as(t).get('/api/v1/auth/me')).body).toMatchObject({ username: 'real.user', demo: false });
  });
});

describe('the first admin', () => {
  it('must change a generated password at the first login; a configured one is kept', async () => {
    const generated = await ensureAdmin(dev.ctx.db);
    expect(generated).toMatchObject({ created: true, generated: true });
    const r = await loginRaw(dev, 'admin', generated.password);
    expect(r.json()).toMatchObject({ passwordChangeRequired: true, user: { demo: false } });
    const blocked = await dev.as(r.json().token).get('/api/v1/admin/users');
    expect(blocked.status).toBe(403);
    expect(blocked.body.code).toBe('password_change_required');
  });
});

describe('GONGZHI_ENV', () => {
  it('leaves the session cookie without Secure in development', async () => {
    const cookie = String((await loginRaw(dev, 'zhihui')).headers['set-cookie']);
    expect(cookie).toMatch(/gz_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).not.toMatch(/Secure/i);
  });

  it('makes it Secure in production mode', async () => {
    const prod = await testPlatform(undefined, { GONGZHI_ENV: 'production' });
    try {
      expect(prod.ctx.config.production).toBe(true);
      const cookie = String((await loginRaw(prod, 'zhihui')).headers['set-cookie']);
      expect(cookie).toMatch(/gz_session=[^;]+;.*Secure/i);
      expect(cookie).toMatch(/HttpOnly/i);
    } finally {
      await prod.close();
    }
  });
});

describe('the data key', () => {
  it('must be the one the database was sealed with: another key is refused, in Chinese and English', async () => {
    // the platform recorded its key's check value when it started on this database
    await expect(verifyDataKey(dev.ctx.db, dev.ctx.cipher)).resolves.toBeUndefined();
    const other = createCipher(Buffer.alloc(32, 7));
    await expect(verifyDataKey(dev.ctx.db, other)).rejects.toThrow(/数据密钥与本数据库不符[\s\S]*does not match this database/);
    // the refusal changed nothing: the right key still passes
    await expect(verifyDataKey(dev.ctx.db, dev.ctx.cipher)).resolves.toBeUndefined();
  });
});
