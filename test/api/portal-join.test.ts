// The portal's address search and "use my location", open reports nearby that a resident joins (+1)
// instead of filing a duplicate (counted as a caller on the case, with a tracking code of their own),
// case numbers and query codes in any letter case and without ambiguous characters, and tracking that
// shows the handling unit, the expected completion and the after-photo.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform, type Res } from '../helpers/platform.ts';
import { homeGrid, pointIn } from '../helpers/fixtures.ts';
import { QUERY_CODE_ALPHABET, queryCode } from '../../src/platform/crypto.ts';

let p: TestPlatform;
const t: Record<string, string> = {};
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a3a3f1f60000000049454e44ae426082', 'hex');
let ipSeq = 0;
async function call(method: 'GET' | 'POST', url: string, body?: unknown): Promise<Res> {
  const r = await p.http.inject({ method, url, payload: body as any, remoteAddress: `198.51.100.${++ipSeq % 250}` });
  let parsed: any = null;
  try { parsed = r.body ? JSON.parse(r.body) : null; } catch { parsed = null; }
  return { status: r.statusCode, body: parsed, headers: r.headers, text: r.body };
}
const here = pointIn(homeGrid);
const report = (title: string, at = here) => call('POST', '/api/v1/portal/cases', { categoryCode: '030102', title, description: `${title}，晚上很黑。`, ...at });
const act = async (who: string, caseNo: string, action: string, body: Record<string, unknown> = {}) => {
  const [c] = await p.ctx.db.query<{ id: number }>('SELECT id FROM "case" WHERE case_no = $1', [caseNo]);
  const r = await p.as(t[who]).post(`/api/v1/cases/${c.id}/actions/${action}`, body);
  expect(r.status, r.text).toBe(200);
};

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  t.op = await p.login('rexian');
  t.dept = await p.login('chengguan');
});
afterAll(async () => { await p?.close(); });

describe('query codes', () => {
  it('use no character that reads like another (0/O, 1/l/I)', () => {
    expect(QUERY_CODE_ALPHABET).not.toMatch(/[01OILl]/);
    const codes = Array.from({ length: 2000 }, () => queryCode());
    expect(codes.every((c) => /^[2-9A-HJKMNP-Z]{12}$/.test(c))).toBe(true);
    expect(new Set(codes.join('')).size).toBe(31); // every symbol is used
  });

  it('a portal report gets one; case number and code are accepted in any letter case', async () => {
    const r = await report('小区门口路灯不亮');
    expect(r.status, r.text).toBe(201);
    expect(r.body.trackingToken).toMatch(/^[2-9A-HJKMNP-Z]{12}$/);
    const v = await call('GET', `/api/v1/portal/cases/${r.body.caseNo.toLowerCase()}?token=${r.body.trackingToken.toLowerCase()}`);
    expect(v.status, v.text).toBe(200);
    expect(v.body).toMatchObject({ caseNo: r.body.caseNo, handlingUnit: null, supporters: 0, concerned: 1 });
    // 待受理: the deadline shown is the acceptance deadline (受理时限), not an expected completion
    expect(v.body.expectedKind).toBe('acceptance');
    expect((await call('GET', `/api/v1/portal/cases/${r.body.caseNo}?token=${queryCode()}`)).status).toBe(404);
  });
});

describe('joining a nearby report', () => {
  let caseNo = '';
  let token = '';
  it('shows open reports of the same kind near the point', async () => {
    const r = await report('嘉陵江路路灯坏了');
    [caseNo, token] = [r.body.caseNo, r.body.trackingToken];
    const near = await call('GET', `/api/v1/portal/nearby?lat=${here.lat + 0.0003}&lng=${here.lng}&category=030102`);
    expect(near.status, near.text).toBe(200);
    const item = near.body.items.find((i: any) => i.caseNo === caseNo);
    expect(item).toMatchObject({ title: '嘉陵江路路灯坏了', supporters: 0, category: { code: '030102', name: { zh: '路灯不亮' } } });
    expect(item.distanceMetres).toBeGreaterThan(20);
    expect(item.distanceMetres).toBeLessThan(60);
    // another kind, or far away: not offered
    expect((await call('GET', `/api/v1/portal/nearby?lat=${here.lat}&lng=${here.lng}&category=020501`)).body.items.some((i: any) => i.caseNo === caseNo)).toBe(false);
    expect((await call('GET', `/api/v1/portal/nearby?lat=${here.lat + 0.02}&lng=${here.lng}&category=030102`)).body.items.some((i: any) => i.caseNo === caseNo)).toBe(false);
  });

  it('joining counts the resident as a caller and gives them a code of their own (view only)', async () => {
    const before = await p.ctx.db.query<any>('SELECT count(*)::int AS n FROM "case"');
    const j = await call('POST', `/api/v1/portal/cases/${caseNo.toLowerCase()}/join`, { contact: { name: '周女士', phone: '13700001111' } });
    expect(j.status, j.text).toBe(201);
    expect(j.body).toMatchObject({ caseNo, supporters: 1, concerned: 2 }); // the first reporter counts: 共 2 人关注
    expect(j.body.trackingToken).toMatch(/^[2-9A-HJKMNP-Z]{12}$/);
    const [row] = await p.ctx.db.query<any>('SELECT * FROM case_supporter WHERE token_hash IS NOT NULL ORDER BY id DESC LIMIT 1');
    expect(row.phone_masked).toBe('137****1111');
    expect(row.phone_sealed).not.toContain('13700001111');
    expect((await p.ctx.db.query<any>('SELECT count(*)::int AS n FROM "case"'))[0].n).toBe(before[0].n); // no duplicate case
    // the same phone twice is refused, nothing written; another resident joins
    const again = await call('POST', `/api/v1/portal/cases/${caseNo}/join`, { contact: { phone: '13700001111' } });
    expect(again.status).toBe(409);
    expect((await call('POST', `/api/v1/portal/cases/${caseNo}/join`, {})).body.supporters).toBe(2);
    const mine = await call('GET', `/api/v1/portal/cases/${caseNo}?token=${j.body.trackingToken.toLowerCase()}`);
    expect(mine.status, mine.text).toBe(200);
    expect(mine.body).toMatchObject({ caseNo, joined: true, canRate: false, supporters: 2, concerned: 3 });
    // the joiner's code does not rate
    expect((await call('POST', `/api/v1/portal/cases/${caseNo}/rate?token=${j.body.trackingToken}`, { rating: 'satisfied' })).status).toBe(404);
    expect((await call('GET', `/api/v1/portal/nearby?lat=${here.lat}&lng=${here.lng}&category=030102`)).body.items.find((i: any) => i.caseNo === caseNo).supporters).toBe(2);
    // an unknown case cannot be joined
    expect((await call('POST', '/api/v1/portal/cases/RX202611169999999/join', {})).status).toBe(404);
  });

  it('tracking shows the handling unit, the expected completion and the after-photo', async () => {
    await act('op', caseNo, 'accept');
    await act('op', caseNo, 'dispatch', { leadUnitId: 'dept-chengguan' });
    await act('dept', caseNo, 'sign');
    const mid = (await call('GET', `/api/v1/portal/cases/${caseNo}?token=${token}`)).body;
    expect(mid.handlingUnit.zh).toContain('城市管理');
    expect(Date.parse(mid.expectedBy)).toBeGreaterThan(Date.parse('2026-11-16T01:30:00Z'));
    expect(mid.expectedKind).toBe('completion'); // being handled: 预计办结
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(PNG)]), 'after.png');
    const up = await p.as(t.dept).send('POST', '/api/v1/attachments', form);
    expect(up.status, up.text).toBe(201);
    await act('dept', caseNo, 'reply', { note: '已更换灯泡，路灯恢复照明。', attachmentIds: [up.body.id] });
    const v = (await call('GET', `/api/v1/portal/cases/${caseNo}?token=${token}`)).body;
    const reply = v.timeline.find((s: any) => s.action === 'reply');
    expect(reply.photos).toEqual([up.body.id]);
    const photo = await p.http.inject({ method: 'GET', url: `/api/v1/portal/cases/${caseNo}/photos/${up.body.id}?token=${token}` });
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(photo.rawPayload, PNG)).toBe(0);
    // a wrong code, or an attachment that is not a public photo of this case: 404
    expect((await call('GET', `/api/v1/portal/cases/${caseNo}/photos/${up.body.id}?token=${queryCode()}`)).status).toBe(404);
    expect((await call('GET', `/api/v1/portal/cases/${caseNo}/photos/${up.body.id + 1000}?token=${token}`)).status).toBe(404);
  });
});

describe('address search without an account', () => {
  it('searches the library and gives the nearest address of a point', async () => {
    const s = await call('GET', `/api/v1/portal/geocode?q=${encodeURIComponent('营盘街5号')}`);
    expect(s.status, s.text).toBe(200);
    const best = s.body.candidates[0];
    expect(best.label).toBe('营盘街5号');
    const r = await call('GET', `/api/v1/portal/geocode/reverse?lat=${best.lat}&lng=${best.lng}`);
    expect(r.body.address.label).toBe('营盘街5号');
    expect(r.body.regionPath.map((x: any) => x.level)).toEqual(['district', 'street', 'community', 'grid']);
  });
});
