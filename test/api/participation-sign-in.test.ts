// Resident sign-in by phone and a one-time code (issue 16, item 9): in development the code is written to
// the server log; a wrong code is refused and tries are limited; the first sign-in makes a resident account
// in the named community, which then links itself to the registry by ID number and phone; in production
// without an SMS sender the feature is off (503), and a configured sender gets the code instead.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblemStatus, testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeCommunity, homeGrid, otherGrid } from '../helpers/fixtures.ts';
import { idNumber, person } from './registry-helpers.ts';
import { RESIDENT_PASSWORD } from './participation-helpers.ts';
import { createUser } from '../../src/platform/auth/service.ts';

let p: TestPlatform;
const lines: string[] = [];
const SI = '/api/v1/participation/sign-in';
const P = '/api/v1/participation';

beforeAll(async () => {
  const stream = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  p = await testPlatform('2026-11-16T02:00:00Z', {}, { level: 'warn', stream });
}, 120_000);
afterAll(async () => { await p?.close(); });

const codeFromLog = () => {
  const line = [...lines].reverse().find((l) => l.includes('development SMS'));
  return /验证码是 (\d{6})/.exec(line ?? '')?.[1];
};

describe('sign-in by phone in development', () => {
  it('logs the code, refuses a wrong one, makes the account at the first sign-in and links it by ID number and phone', async () => {
    const phone = '13912345678';
    const sent = await p.as(null).post(`${SI}/code`, { phone });
    expect(sent.status, sent.text).toBe(202);
    expect(sent.body).toEqual({ sentTo: '139****5678', expiresInSeconds: 300, delivery: 'log' });
    const code = codeFromLog();
    expect(code).toMatch(/^\d{6}$/);
    expect(lines.join('\n')).not.toContain(phone); // the log masks the phone
    expectProblemStatus(await p.as(null).post(SI, { phone, code: code === '000000' ? '000001' : '000000', communityCode: homeCommunity.code }), 401, 'invalid_code');
    expectProblemStatus(await p.as(null).post(SI, { phone, code }), 422, 'community_required');
    const first = await p.as(null).post(SI, { phone, code, communityCode: homeCommunity.code });
    expect(first.status, first.text).toBe(200);
    expect(first.body.user).toMatchObject({ role: 'resident', regionCode: homeCommunity.code, displayName: '居民 139****5678' });
    expect(first.body.user.abilities).toContain('participation.vote.cast');
    expect(String(first.headers['set-cookie'])).toContain('gz_session');
    // a code works once
    expectProblemStatus(await p.as(null).post(SI, { phone, code, communityCode: homeCommunity.code }), 401, 'invalid_code');
    // the resident links the account: the registry has them with this ID number and this phone
    const id = idNumber();
    const shequ = await p.login('shequ');
    expect((await p.as(shequ).post('/api/v1/persons', person(homeGrid.code, { idNumber: id, phone }))).status).toBe(201);
    const t = first.body.token;
    expectProblemStatus(await p.as(t).post('/api/v1/participation/me/link', { idNumber: idNumber(), phone }), 422, 'identity_mismatch');
    const linked = await p.as(t).post('/api/v1/participation/me/link', { idNumber: id, phone });
    expect(linked.status, linked.text).toBe(200);
    expect(linked.body).toMatchObject({ linked: true, regionCode: homeGrid.code });
    // the next sign-in finds the same account
    await p.as(null).post(`${SI}/code`, { phone });
    const again = await p.as(null).post(SI, { phone, code: codeFromLog() });
    expect(again.body.user.id).toBe(first.body.user.id);
  });

  it('allows five tries per code and five codes an hour', async () => {
    const phone = '13700001111';
    await p.as(null).post(`${SI}/code`, { phone });
    const code = codeFromLog()!;
    const wrong = code === '111111' ? '222222' : '111111';
    for (let i = 0; i < 5; i++) expectProblemStatus(await p.as(null).post(SI, { phone, code: wrong, communityCode: homeCommunity.code }), 401, 'invalid_code');
    expectProblemStatus(await p.as(null).post(SI, { phone, code, communityCode: homeCommunity.code }), 401, 'invalid_code');
    for (let i = 0; i < 4; i++) expect((await p.as(null).post(`${SI}/code`, { phone })).status).toBe(202);
    expectProblemStatus(await p.as(null).post(`${SI}/code`, { phone }), 429, 'too_many_codes');
    expectProblemStatus(await p.as(null).post(`${SI}/code`, { phone: '12345' }), 400);
  });
});

describe('关联码: linking by a code the grid worker gives', () => {
  const LC = '/api/v1/participation/link-codes';
  // a resident account not linked yet (as the first phone sign-in makes it; the sign-in routes' own rate limit is spent above)
  const signedIn = async (phone: string) => {
    const username = `r${phone}`;
    await createUser(p.ctx.db, { username, displayName: `居民 ${phone.slice(0, 3)}****${phone.slice(-4)}`, password: RESIDENT_PASSWORD, role: 'resident', regionCode: homeCommunity.code });
    return p.login(username, RESIDENT_PASSWORD);
  };
  it('a worker of the person\'s territory makes a one-time code; the resident links with it, once; others may not make one', async () => {
    const shequ = await p.login('shequ');
    const wangge = await p.login('wangge');
    const per = await p.as(shequ).post('/api/v1/persons', person(homeGrid.code, { idNumber: idNumber(), phone: '13600000001', name: '李四' }));
    expect(per.status, per.text).toBe(201);
    const resident = await signedIn('13511112222');
    // who may make a code: staff of the territory with the link right; not a resident, not another community, not anonymous
    expectProblemStatus(await p.as(resident).post(LC, { personId: per.body.id }), 403);
    expectProblemStatus(await p.as(await p.login(`sq${otherGrid.code.slice(0, 12)}`)).post(LC, { personId: per.body.id }), 404);
    expectProblemStatus(await p.as(null).post(LC, { personId: per.body.id }), 401);
    const made = await p.as(wangge).post(LC, { personId: per.body.id });
    expect(made.status, made.text).toBe(201);
    expect(made.body.code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    expect(Math.abs(new Date(made.body.expiresAt).getTime() - (p.ctx.now().getTime() + 7 * 86_400_000))).toBeLessThan(60_000);
    // a wrong code: refused in both languages, nothing linked
    const wrong = await p.as(resident).post(`${P}/me/link-code`, { code: made.body.code === 'AAAA-AAAA' ? 'BBBB-BBBB' : 'AAAA-AAAA' }, { 'accept-language': 'zh-CN' });
    expectProblemStatus(wrong, 422, 'link_code_invalid');
    expect(wrong.body.detail).toContain('关联码不正确');
    expect((await p.as(resident).get(`${P}/me`)).body.linked).toBe(false);
    expectProblemStatus(await p.as(resident).post(`${P}/me/link-code`, { code: 'x' }), 400);
    // the code, typed in lower case without the dash, links the account to the person (and their grid)
    const linked = await p.as(resident).post(`${P}/me/link-code`, { code: made.body.code.replace('-', '').toLowerCase() });
    expect(linked.status, linked.text).toBe(200);
    expect(linked.body).toMatchObject({ linked: true, personId: per.body.id, regionCode: homeGrid.code });
    // once only: another resident cannot reuse it; staff cannot use codes
    const second = await signedIn('13511113333');
    expectProblemStatus(await p.as(second).post(`${P}/me/link-code`, { code: made.body.code }), 422, 'link_code_invalid');
    expectProblemStatus(await p.as(wangge).post(`${P}/me/link-code`, { code: made.body.code }), 403);
    // the worker's code is on the record
    const audit = await p.ctx.db.query<any>(`SELECT action FROM audit_log WHERE target = $1`, [`person:${per.body.id}`]);
    expect(audit.map((a) => a.action)).toContain('participation.link_code');
  });
  it('expires after seven days', async () => {
    const shequ = await p.login('shequ');
    const per = await p.as(shequ).post('/api/v1/persons', person(homeGrid.code, { idNumber: idNumber(), phone: '13600000002' }));
    const made = (await p.as(shequ).post(LC, { personId: per.body.id })).body;
    const resident = await signedIn('13511114444');
    await p.ctx.db.query(`UPDATE pt_link_code SET expires_at = $2 WHERE person_id = $1`, [per.body.id, new Date(p.ctx.now().getTime() - 1000)]);
    expectProblemStatus(await p.as(resident).post(`${P}/me/link-code`, { code: made.code }), 422, 'link_code_invalid');
  });
});

describe('sign-in by phone in production', () => {
  it('is off without an SMS sender', async () => {
    const prod = await testPlatform('2026-11-16T02:00:00Z', { GONGZHI_ENV: 'production' });
    try {
      expectProblemStatus(await prod.as(null).post(`${SI}/code`, { phone: '13912345678' }), 503, 'sms_sender_missing');
      expectProblemStatus(await prod.as(null).post(SI, { phone: '13912345678', code: '123456' }), 503, 'sms_sender_missing');
    } finally { await prod.close(); }
  });
});
