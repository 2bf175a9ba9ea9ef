// Issue 11, "Login": an optional second factor (TOTP) for administrator and command-centre accounts,
// set up from the console: enrol (secret and otpauth URI), confirm with a code, then required at login.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generate } from 'otplib';
import { expectProblemStatus, testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { DEMO_PASSWORD } from '../../src/seed/demo.ts';

let p: TestPlatform;
let token: string;
let secret: string;

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  token = await p.login('zhihui');
});
afterAll(async () => { vi.useRealTimers(); await p?.close(); });

const codeAt = (offsetSteps = 0) => generate({ secret, epoch: Math.floor(p.clock.now.getTime() / 1000) + offsetSteps * 30 });
const login = (otp?: string) => p.as(null).post('/api/v1/auth/login', { username: 'zhihui', password: DEMO_PASSWORD, ...(otp ? { otp } : {}) });

describe('two-step verification', () => {
  it('is offered to command centres and administrators, not to other roles', async () => {
    expect((await p.as(token).get('/api/v1/auth/totp')).body).toEqual({ available: true, enabled: false, enabledAt: null });
    const op = await p.login('rexian');
    expect((await p.as(op).get('/api/v1/auth/totp')).body.available).toBe(false);
    expectProblemStatus(await p.as(op).post('/api/v1/auth/totp/enrol', {}), 403, 'forbidden');
  });

  it('is set up with a secret for the authenticator app, confirmed by its first code', async () => {
    const e = await p.as(token).post('/api/v1/auth/totp/enrol', {});
    expect(e.status, e.text).toBe(200);
    secret = e.body.secret;
    expect(e.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/.*zhihui\?secret=[A-Z2-7]+&issuer=/);
    // not on until confirmed
    expect((await login()).status).toBe(200);
    expectProblemStatus(await p.as(token).post('/api/v1/auth/totp/confirm', { code: '000000' }), 422, 'invalid_otp');
    const c = await p.as(token).post('/api/v1/auth/totp/confirm', { code: await codeAt() });
    expect(c.status, c.text).toBe(200);
    expect(c.body.enabled).toBe(true);
    const [row] = await p.ctx.db.query<{ totp_secret: string }>(`SELECT totp_secret FROM app_user WHERE username = 'zhihui'`);
    expect(row.totp_secret).toMatch(/^v1\./);
    expect(row.totp_secret).not.toContain(secret);
  });

  it('is then required at login: no code, a wrong code, a used code are refused', async () => {
    p.clock.advance(1);
    expectProblemStatus(await login(), 401, 'otp_required');
    expectProblemStatus(await login('123456'), 401, 'invalid_otp');
    const code = await codeAt();
    const ok = await login(code);
    expect(ok.status, ok.text).toBe(200);
    expectProblemStatus(await login(code), 401, 'invalid_otp'); // a code is taken once
    // a wrong password with a right code is still a wrong password
    p.clock.advance(1);
    const r = await p.as(null).post('/api/v1/auth/login', { username: 'zhihui', password: 'wrong-password', otp: await codeAt() });
    expectProblemStatus(r, 401, 'invalid_credentials');
    expect((await login(await codeAt())).status).toBe(200);
  });

  it('can be turned off with a current code', async () => {
    p.clock.advance(1);
    // wrong codes count as failed logins: five of them above wait out a minute (the limiter's own clock)
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 });
    expectProblemStatus(await p.as(token).post('/api/v1/auth/totp/disable', { code: '000000' }), 422, 'invalid_otp');
    const d = await p.as(token).post('/api/v1/auth/totp/disable', { code: await codeAt() });
    expect(d.body.enabled).toBe(false);
    expect((await login()).status).toBe(200);
    vi.useRealTimers();
  });
});
