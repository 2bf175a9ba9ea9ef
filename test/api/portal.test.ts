// The resident portal without an account: report with photos, follow the case by number and token,
// rate it. What the public sees, what it cannot see, and what floods and hostile input get.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testPlatform, type TestPlatform, type Res } from '../helpers/platform.ts';
import { homeGrid, pointIn } from '../helpers/fixtures.ts';

let p: TestPlatform;
const t: Record<string, string> = {};
const MB = 'x'.repeat(1024 * 1024 + 10);
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a3a3f1f60000000049454e44ae426082', 'hex');
let ipSeq = 0;
const freshIp = () => `203.0.113.${++ipSeq}`;

async function call(method: 'GET' | 'POST', url: string, body?: unknown, ip = freshIp(), headers: Record<string, string> = {}): Promise<Res> {
  // each caller its own socket address: X-Forwarded-For is not believed without GONGZHI_TRUST_PROXY
  const r = await p.http.inject({ method, url, payload: body as any, remoteAddress: ip, headers });
  let parsed: any = null;
  try { parsed = r.body ? JSON.parse(r.body) : null; } catch { parsed = null; }
  return { status: r.statusCode, body: parsed, headers: r.headers, text: r.body };
}
const upload = (bytes: Buffer, name = 'photo.png', ip?: string) => {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  return call('POST', '/api/v1/portal/attachments', form, ip);
};
const report = (body: Record<string, unknown>, ip?: string) => call('POST', '/api/v1/portal/cases', body, ip);
const track = (caseNo: string, token: string) => call('GET', `/api/v1/portal/cases/${caseNo}?token=${encodeURIComponent(token)}`);
const rate = (caseNo: string, token: string, body: unknown) => call('POST', `/api/v1/portal/cases/${caseNo}/rate?token=${encodeURIComponent(token)}`, body);
const valid = { categoryCode: '030102', title: '小区门口路灯不亮', description: '嘉陵江路12号小区门口三盏路灯连续一周不亮，晚上很黑。', ...pointIn(homeGrid) };

function problem(r: Res, status: number | number[], code?: string) {
  if (Array.isArray(status)) expect(status, r.text).toContain(r.status);
  else expect(r.status, r.text).toBe(status);
  expect(r.headers['content-type']).toContain('application/problem+json');
  if (code) expect(r.body.code).toBe(code);
}
async function counts() {
  const [r] = await p.ctx.db.query<any>(`SELECT (SELECT count(*)::int FROM "case") AS cases, (SELECT count(*)::int FROM flow_record) AS flow,
    (SELECT count(*)::int FROM attachment WHERE case_id IS NOT NULL) AS linked`);
  return r;
}
const act = async (who: string, caseNo: string, action: string, body: Record<string, unknown> = {}) => {
  const [c] = await p.ctx.db.query<{ id: number }>('SELECT id FROM "case" WHERE case_no = $1', [caseNo]);
  const r = await p.as(t[who]).post(`/api/v1/cases/${c.id}/actions/${action}`, body);
  expect(r.status, r.text).toBe(200);
  return r.body;
};
async function untilAwaitingRating(caseNo: string) {
  await act('op', caseNo, 'accept');
  await act('op', caseNo, 'dispatch', { leadUnitId: 'dept-chengguan' });
  await act('dept', caseNo, 'sign');
  await act('dept', caseNo, 'reply', { note: '已更换灯泡，路灯恢复照明。' });
  await act('op', caseNo, 'verify_pass');
}

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  t.op = await p.login('rexian');
  t.dept = await p.login('chengguan');
});
afterAll(async () => { await p?.close(); });

describe('categories', () => {
  it('lists the hotline categories without login', async () => {
    const r = await call('GET', '/api/v1/portal/categories');
    expect(r.status).toBe(200);
    const codes = r.body.items.map((c: any) => c.code);
    expect(r.body.items.find((c: any) => c.code === '030102')).toEqual({ code: '030102', parentCode: '0301', name: { zh: '路灯不亮', en: 'Street lights out' }, leaf: true });
    const [urbanOnly] = await p.ctx.db.query<{ code: string }>(`SELECT code FROM category WHERE NOT ('hotline' = ANY(case_types)) LIMIT 1`);
    expect(codes).not.toContain(urbanOnly.code);
  });
});

describe('anonymous report', () => {
  it('takes a report with a photo and hands out the case number and tracking token once', async () => {
    const up = await upload(PNG);
    expect(up.status, up.text).toBe(201);
    expect(up.body).toMatchObject({ id: expect.any(Number), token: expect.any(String), mime: 'image/png' });
    const r = await report({ ...valid, address: '嘉陵江路12号', contact: { name: '张建华', phone: '13800001234' }, attachments: [{ id: up.body.id, token: up.body.token }] });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ caseNo: expect.stringMatching(/^RX20261116\d{7}$/), trackingToken: expect.any(String), state: 'reported', stateLabel: { zh: '待受理', en: 'Reported' } });
    const [c] = await p.ctx.db.query<any>(
      `SELECT c.*, u.username FROM "case" c JOIN app_user u ON u.id = c.reporter_user_id WHERE c.case_no = $1`, [r.body.caseNo]);
    expect(c).toMatchObject({ type: 'hotline', channel: 'web', username: 'portal', region_code: homeGrid.code, reporter_phone_masked: '138****1234' });
    const [a] = await p.ctx.db.query<any>('SELECT case_id FROM attachment WHERE id = $1', [up.body.id]);
    expect(Number(a.case_id)).toBe(Number(c.id));
    // staff see it as a web case in their scope, with the contact masked
    const staff = await p.as(t.op).get(`/api/v1/cases/${c.id}`);
    expect(staff.body).toMatchObject({ channel: 'web', reporter: { phoneMasked: '138****1234' } });
    expect(staff.text).not.toContain('13800001234');
    // the claim token worked once; the photo cannot be claimed again
    problem(await report({ ...valid, attachments: [{ id: up.body.id, token: up.body.token }] }), 422, 'unknown_attachment');
  });

  it('claims an upload only with its token, and never a staff upload', async () => {
    const up = await upload(PNG);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(PNG)]), 'staff.png');
    const staffUp = await p.http.inject({ method: 'POST', url: '/api/v1/attachments', headers: { authorization: `Bearer ${t.op}` }, payload: form as any });
    const staffId = JSON.parse(staffUp.body).id;
    const before = await counts();
    problem(await report({ ...valid, attachments: [{ id: up.body.id, token: 'guessed-token' }] }), 422, 'unknown_attachment');
    problem(await report({ ...valid, attachments: [{ id: up.body.id, token: up.body.token.slice(0, -1) }] }), 422, 'unknown_attachment');
    problem(await report({ ...valid, attachments: [{ id: staffId, token: up.body.token }] }), 422, 'unknown_attachment');
    problem(await report({ ...valid, attachments: [{ id: up.body.id }] }), 400, 'validation_failed');
    expect(await counts()).toEqual(before);
  });

  it('checks uploads by their bytes and size', async () => {
    problem(await call('POST', '/api/v1/portal/attachments', JSON.stringify({ file: 'x' }), freshIp(), { 'content-type': 'application/json' }), [400, 415]);
    problem(await upload(Buffer.alloc(0), 'empty.jpg'), 400, 'empty_file');
    problem(await upload(Buffer.from('<?php system($_GET["c"]); ?>'), 'shell.jpg'), 415, 'unsupported_media_type');
    problem(await upload(Buffer.from('<html><script>alert(1)</script></html>'), 'x.png'), 415, 'unsupported_media_type');
    problem(await upload(Buffer.alloc(11 * 1024 * 1024, 0xff), 'huge.jpg'), 413);
  });

  it('refuses bad and hostile reports with 4xx problem+json, writing nothing', async () => {
    const before = await counts();
    const bad: Array<[Record<string, unknown>, number, string?]> = [
      [{}, 400, 'validation_failed'],
      [{ ...valid, title: undefined }, 400, 'validation_failed'],
      [{ ...valid, lat: undefined }, 400, 'validation_failed'],
      [{ ...valid, lat: '29.9' }, 400, 'validation_failed'],
      [{ ...valid, lat: 91 }, 400, 'validation_failed'],
      [{ ...valid, categoryCode: 30102 }, 400, 'validation_failed'],
      [{ ...valid, categoryCode: "030102' OR '1'='1" }, 400, 'validation_failed'],
      [{ ...valid, title: '<script>alert(document.cookie)</script>' }, 400, 'validation_failed'],
      [{ ...valid, description: '路灯不亮<img src=x onerror=alert(1)>' }, 400, 'validation_failed'],
      [{ ...valid, title: 'a\u0000b' }, 400, 'validation_failed'],
      [{ ...valid, title: '两行\n标题' }, 400, 'validation_failed'],
      [{ ...valid, title: 'x'.repeat(201) }, 400, 'validation_failed'],
      [{ ...valid, description: MB }, 413],
      [{ ...valid, contact: { phone: 'call me maybe' } }, 400, 'validation_failed'],
      [{ ...valid, contact: { email: 'a@b.c' } }, 400, 'validation_failed'],
      [{ ...valid, channel: 'hotline' }, 400, 'validation_failed'],
      [{ ...valid, type: 'urban' }, 400, 'validation_failed'],
      [{ ...valid, attachments: new Array(11).fill({ id: 1, token: 'x' }) }, 400, 'validation_failed'],
      [{ ...valid, categoryCode: '999999' }, 422, 'unknown_category'],
      [{ ...valid, categoryCode: '0301' }, 422, 'category_not_leaf'],
      [{ ...valid, categoryCode: '020502' }, 422, 'category_type_mismatch'], // an urban/grid category
      [{ ...valid, lat: 0, lng: 0 }, 422, 'outside_area'],
    ];
    for (const [body, status, code] of bad) problem(await report(body), status, code);
    problem(await call('POST', '/api/v1/portal/cases', 'not json', freshIp(), { 'content-type': 'application/json' }), 400);
    expect(await counts()).toEqual(before);
    // SQL in free text is just text
    const sql = await report({ ...valid, description: "路灯不亮'); DROP TABLE \"case\"; --" });
    expect(sql.status, sql.text).toBe(201);
    const [c] = await p.ctx.db.query<any>('SELECT description FROM "case" WHERE case_no = $1', [sql.body.caseNo]);
    expect(c.description).toBe("路灯不亮'); DROP TABLE \"case\"; --");
  });

  it('limits reports to 10 per 10 minutes per address', async () => {
    const ip = '198.51.100.7';
    for (let i = 0; i < 10; i++) expect((await report(valid, ip)).status).toBe(201);
    const before = await counts();
    const r = await report(valid, ip);
    problem(r, 429, 'rate_limited');
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    expect(await counts()).toEqual(before);
    expect((await report(valid, '198.51.100.8')).status).toBe(201); // another address is unaffected
    // the limiter keeps its own time (@fastify/rate-limit reads Date.now)
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 10 * 60_000 + 1_000 });
    try {
      expect((await report(valid, ip)).status).toBe(201);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not believe X-Forwarded-For from a client that is not a configured proxy', async () => {
    const ip = '198.51.100.9';
    for (let i = 0; i < 10; i++) expect((await report(valid, ip)).status).toBe(201);
    const r = await call('POST', '/api/v1/portal/cases', valid, ip, { 'x-forwarded-for': '192.0.2.77' });
    problem(r, 429, 'rate_limited');
  });
});

describe('tracking and rating', () => {
  it('shows a public timeline without staff names, units or internal notes, and takes the rating', async () => {
    const reportedAt = p.clock.now.toISOString();
    const r = await report({ ...valid, contact: { name: '张建华', phone: '13800001234' } });
    const { caseNo, trackingToken } = r.body;
    await act('op', caseNo, 'accept');
    await act('op', caseNo, 'urge', { note: '内部催办：请城管尽快处理' });
    await act('op', caseNo, 'dispatch', { leadUnitId: 'dept-chengguan' });
    await act('dept', caseNo, 'return', { reason: '内部退回：不属于本单位' });
    await act('op', caseNo, 'approve_return', {}); // the dispatching centre reviews the return (三级派单)
    problem(await rate(caseNo, trackingToken, { rating: 'satisfied' }), 409, 'invalid_transition'); // not handled yet
    await act('op', caseNo, 'dispatch', { leadUnitId: 'dept-chengguan' });
    await act('dept', caseNo, 'sign');
    await act('dept', caseNo, 'reply', { note: '已更换灯泡，路灯恢复照明。' });
    await act('op', caseNo, 'verify_pass');

    const v = await track(caseNo, trackingToken);
    expect(v.status, v.text).toBe(200);
    expect(v.body).toMatchObject({
      caseNo, title: valid.title, category: { code: '030102', name: { zh: '路灯不亮', en: 'Street lights out' } },
      state: 'awaiting_callback', stateLabel: { zh: '待回访', en: 'Awaiting call-back' }, closedAt: null, canRate: true,
    });
    expect(v.body.timeline.map((s: any) => s.action)).toEqual(['report', 'accept', 'dispatch', 'dispatch', 'sign', 'reply', 'verify_pass']);
    expect(v.body.timeline.find((s: any) => s.action === 'reply')).toMatchObject({ note: '已更换灯泡，路灯恢复照明。', label: { zh: '处置反馈', en: 'Reply' } });
    expect(v.body.timeline[0].at).toBe(reportedAt);
    // the handling unit is shown by its public name (issue 12: tracking shows the handling unit), never its id or its staff
    expect(v.body.handlingUnit).toEqual({ zh: '合川区城市管理局', en: 'Hechuan Urban Management Bureau' });
    for (const secret of ['内部', '李敏', 'chengguan', '13800001234', '张建华', valid.description, 'actor', 'unit']) {
      expect(v.text).not.toContain(secret);
    }

    problem(await rate(caseNo, trackingToken, { rating: 'great' }), 400, 'validation_failed');
    problem(await rate(caseNo, trackingToken, { rating: 'satisfied', comment: '<script>x</script>' }), 400, 'validation_failed');
    problem(await rate(caseNo, trackingToken, { rating: 'satisfied', comment: MB }), 413);
    problem(await rate(caseNo, 'wrong-token', { rating: 'satisfied' }), 404, 'not_found');
    const done = await rate(caseNo, trackingToken, { rating: 'satisfied', comment: '很快就修好了，谢谢！' });
    expect(done.status, done.text).toBe(200);
    expect(done.body).toMatchObject({ state: 'closed', rating: 'satisfied', canRate: false, stateLabel: { zh: '已结案', en: 'Closed' } });
    expect(done.body.closedAt).toBeTruthy();
    expect(done.body.timeline.at(-1)).toMatchObject({ action: 'rate', rating: 'satisfied', state: 'closed' });
    problem(await rate(caseNo, trackingToken, { rating: 'unsatisfied' }), 409, 'invalid_transition');
    // staff see the rating as a fact of the portal account
    const [c] = await p.ctx.db.query<{ id: number }>('SELECT id FROM "case" WHERE case_no = $1', [caseNo]);
    const tl = await p.as(t.op).get(`/api/v1/cases/${c.id}/timeline`);
    expect(tl.body.items.at(-1)).toMatchObject({ action: 'rate', toState: 'closed', note: '很快就修好了，谢谢！' });
  });

  it('sends an unsatisfied case back for redo', async () => {
    const { caseNo, trackingToken } = (await report(valid)).body;
    await untilAwaitingRating(caseNo);
    const r = await rate(caseNo, trackingToken, { rating: 'unsatisfied', comment: '第二天又不亮了' });
    expect(r.status, r.text).toBe(200);
    expect(r.body.state).toBe('dispatched');
    expect(r.body.timeline.slice(-2).map((s: any) => [s.action, s.state])).toEqual([['rate', 'reopened'], ['redo', 'dispatched']]);
    expect(r.body.timeline.at(-2).rating).toBe('unsatisfied');
  });

  it('answers a wrong token exactly like an unknown case', async () => {
    const { caseNo, trackingToken } = (await report(valid)).body;
    const wrong = await track(caseNo, `${trackingToken}x`);
    const absent = await track('RX202611169999999', trackingToken);
    problem(wrong, 404, 'not_found');
    problem(absent, 404, 'not_found');
    expect(Object.keys(wrong.body).sort()).toEqual(Object.keys(absent.body).sort());
    problem(await call('GET', `/api/v1/portal/cases/${caseNo}`), 400, 'validation_failed');
    problem(await track("RX1' OR '1'='1", trackingToken), 400, 'validation_failed');
    problem(await track(caseNo, 'x'.repeat(101)), 400, 'validation_failed');
  });

  it('lets the public follow, but not rate, a case reported on the phone', async () => {
    const c = await p.as(t.op).post('/api/v1/cases', { ...valid, reporter: { name: '王五', phone: '13900001111' } });
    const [row] = await p.ctx.db.query<{ public_token: string }>('SELECT public_token FROM "case" WHERE id = $1', [c.body.id]);
    await untilAwaitingRating(c.body.caseNo);
    const v = await track(c.body.caseNo, row.public_token);
    expect(v.status, v.text).toBe(200);
    expect(v.body.canRate).toBe(false);
    problem(await rate(c.body.caseNo, row.public_token, { rating: 'satisfied' }), 409, 'not_rateable_here');
  });

  it('keeps the portal account from logging in or being seen as staff', async () => {
    problem(await call('POST', '/api/v1/auth/login', { username: 'portal', password: '!' }), 401, 'invalid_credentials');
    const [u] = await p.ctx.db.query<any>(`SELECT role, active, is_system FROM app_user WHERE username = 'portal'`);
    expect(u).toEqual({ role: 'resident', active: false, is_system: true });
  });
});

describe('portal map data', () => {
  it('serves grid outlines and point lookup without a login, and refuses points outside the platform', async () => {
    const p2 = await import('../helpers/platform.ts').then((m) => m.testPlatform());
    try {
      const grids = await p2.as(null).get('/api/v1/portal/grids');
      expect(grids.status).toBe(200);
      expect(grids.body.features.length).toBeGreaterThan(1000);
      expect(Object.keys(grids.body.features[0].properties)).toEqual(['code', 'name']);
      const { homeGrid, pointIn } = await import('../helpers/fixtures.ts');
      const { lat, lng } = pointIn(homeGrid);
      const hit = await p2.as(null).get(`/api/v1/portal/locate?lat=${lat}&lng=${lng}`);
      expect(hit.body.gridCode).toBe(homeGrid.code);
      expect((await p2.as(null).get('/api/v1/portal/locate?lat=39.9&lng=116.4')).status).toBe(422);
      expect((await p2.as(null).get('/api/v1/portal/locate?lat=abc&lng=1')).status).toBe(400);
    } finally {
      await p2.close();
    }
  });
});
