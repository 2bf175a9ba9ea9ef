// Bad input on every write endpoint: 4xx application/problem+json with a clear message, nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform, type Res } from '../helpers/platform.ts';
import { homeGrid, pointIn } from '../helpers/fixtures.ts';

let p: TestPlatform;
let op: string, dept: string, c: any;
const MB = 'x'.repeat(1024 * 1024);
const valid = () => ({ categoryCode: '030102', title: '路灯不亮', description: '三盏路灯不亮', ...pointIn(homeGrid) });

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  op = await p.login('rexian');
  dept = await p.login('chengguan');
  c = (await p.as(op).post('/api/v1/cases', valid())).body;
});
afterAll(async () => { await p?.close(); });

async function counts() {
  const [r] = await p.ctx.db.query<any>(`SELECT (SELECT count(*) FROM "case")::int AS cases, (SELECT count(*) FROM flow_record)::int AS flows,
    (SELECT count(*) FROM outbox)::int AS events, (SELECT count(*) FROM attachment)::int AS attachments`);
  return r;
}
function problem(r: Res, status: number | number[], code?: string) {
  const statuses = Array.isArray(status) ? status : [status];
  expect(statuses, r.text.slice(0, 300)).toContain(r.status);
  expect(r.headers['content-type']).toContain('application/problem+json');
  expect(typeof r.body.detail).toBe('string');
  expect(r.body.detail.length).toBeGreaterThan(5);
  if (code) expect(r.body.code).toBe(code);
}

describe('POST /api/v1/cases', () => {
  const cases: Array<[string, unknown, number | number[], string?]> = [
    ['empty body', {}, 400, 'validation_failed'],
    ['missing title', { ...valid(), title: undefined }, 400, 'validation_failed'],
    ['title of wrong type', { ...valid(), title: 42 }, 400, 'validation_failed'],
    ['lat without lng', { ...valid(), lng: undefined }, 400, 'validation_failed'],
    ['latitude out of range', { ...valid(), lat: 123 }, 400, 'validation_failed'],
    ['no location at all', { ...valid(), lat: undefined, lng: undefined }, 400, 'validation_failed'],
    ['a 1 MB description', { ...valid(), description: MB }, 413],
    ['a 10 kB title', { ...valid(), title: 'x'.repeat(10_000) }, 400, 'validation_failed'],
    ['unknown field', { ...valid(), state: 'closed' }, 400, 'validation_failed'],
    ['unknown category', { ...valid(), categoryCode: '999999' }, 422, 'unknown_category'],
    ['a category group instead of a leaf', { ...valid(), categoryCode: '03' }, 422, 'category_not_leaf'],
    ['SQL in the category code', { ...valid(), categoryCode: "03'; DROP TABLE case;--" }, 400, 'validation_failed'],
    ['a point outside every grid', { ...valid(), lat: 39.9, lng: 116.4 }, 422, 'outside_area'],
    ['unknown region code', { ...valid(), lat: undefined, lng: undefined, regionCode: '500117999999' }, 422, 'unknown_region'],
    ['a phone number with letters', { ...valid(), reporter: { phone: '<script>alert(1)</script>' } }, 400, 'validation_failed'],
    ['someone else\'s attachment', { ...valid(), attachmentIds: [987654] }, 422, 'unknown_attachment'],
    ['an array instead of an object', [valid()], 400, 'validation_failed'],
  ];
  it.each(cases)('rejects %s and writes nothing', async (_name, body, status, code) => {
    const before = await counts();
    problem(await p.as(op).post('/api/v1/cases', body), status, code);
    expect(await counts()).toEqual(before);
  });

  it('rejects malformed JSON and wrong content types', async () => {
    const before = await counts();
    const bad = await p.http.inject({ method: 'POST', url: '/api/v1/cases', headers: { authorization: `Bearer ${op}`, 'content-type': 'application/json' }, payload: '{"title": "x",' });
    problem({ status: bad.statusCode, body: JSON.parse(bad.body), headers: bad.headers, text: bad.body }, 400);
    const xml = await p.http.inject({ method: 'POST', url: '/api/v1/cases', headers: { authorization: `Bearer ${op}`, 'content-type': 'application/xml' }, payload: '<case/>' });
    expect(xml.statusCode).toBe(415);
    expect(await counts()).toEqual(before);
  });

  it('stores hostile-looking text verbatim and harmlessly', async () => {
    const title = `'); DROP TABLE "case"; -- <img src=x onerror=alert(1)>`;
    const r = await p.as(op).post('/api/v1/cases', { ...valid(), title });
    expect(r.status).toBe(201);
    expect((await p.as(op).get(`/api/v1/cases/${r.body.id}`)).body.title).toBe(title);
  });

  it('rejects a malformed Idempotency-Key', async () => {
    problem(await p.as(op).post('/api/v1/cases', valid(), { 'idempotency-key': 'x'.repeat(500) }), 400, 'invalid_idempotency_key');
  });
});

describe('POST /api/v1/cases/:id/actions/:action', () => {
  async function unchanged(fn: () => Promise<void>) {
    const before = (await p.as(op).get(`/api/v1/cases/${c.id}`)).body;
    const tl = (await p.as(op).get(`/api/v1/cases/${c.id}/timeline`)).body.items.length;
    const n = await counts();
    await fn();
    const after = (await p.as(op).get(`/api/v1/cases/${c.id}`)).body;
    expect({ ...after, sla: null }).toEqual({ ...before, sla: null });
    expect((await p.as(op).get(`/api/v1/cases/${c.id}/timeline`)).body.items.length).toBe(tl);
    expect(await counts()).toEqual(n);
  }
  const acts: Array<[string, string, () => string, unknown, number | number[], string?]> = [
    ['an unknown action', 'fly', () => op, {}, 400, 'unknown_action'],
    ['the system-only redo', 'redo', () => op, {}, 400, 'unknown_action'],
    ['an action not allowed in this state', 'verify_pass', () => op, {}, 409, 'invalid_transition'],
    ['an action of another case type', 'close', () => op, {}, 400, 'unknown_action'],
    ['an action by the wrong role', 'accept', () => dept, {}, 404],
    ['a missing required field', 'reject', () => op, {}, 400, 'missing_field'],
    ['a wrong type', 'reject', () => op, { reason: 123 }, 400, 'validation_failed'],
    ['a 1 MB note', 'accept', () => op, { note: MB }, 413],
    ['a 5 kB reason', 'reject', () => op, { reason: 'x'.repeat(5000) }, 400, 'validation_failed'],
    ['an unknown field', 'accept', () => op, { state: 'closed' }, 400, 'validation_failed'],
    ['a rating outside the scale', 'call_back', () => op, { rating: 'amazing' }, 400, 'validation_failed'],
  ];
  it.each(acts)('rejects %s and leaves the case as it was', async (_name, action, who, body, status, code) => {
    await unchanged(async () => problem(await p.as(who()).post(`/api/v1/cases/${c.id}/actions/${action}`, body), status, code));
  });

  it('rejects dispatch to an unknown unit, or to the same unit twice', async () => {
    await p.as(op).post(`/api/v1/cases/${c.id}/actions/accept`, {});
    await unchanged(async () => {
      problem(await p.as(op).post(`/api/v1/cases/${c.id}/actions/dispatch`, { leadUnitId: 'dept-nope' }), 422, 'unknown_unit');
      problem(await p.as(op).post(`/api/v1/cases/${c.id}/actions/dispatch`, { leadUnitId: 'dept-chengguan', assistUnitIds: ['dept-chengguan'] }), 422, 'duplicate_unit');
      problem(await p.as(op).post(`/api/v1/cases/${c.id}/actions/dispatch`, { leadUnitId: "x' OR 1=1 --" }), 400, 'validation_failed');
    });
  });

  it('rejects malformed ids', async () => {
    problem(await p.as(op).post('/api/v1/cases/abc/actions/accept', {}), 400, 'validation_failed');
    problem(await p.as(op).post('/api/v1/cases/99999999/actions/accept', {}), 404, 'not_found');
    problem(await p.as(op).get('/api/v1/cases/-1'), 400, 'validation_failed');
  });
});

describe('list filters', () => {
  it.each([
    ['state=closed%27--', 'validation_failed'], ['sla=purple', 'validation_failed'], ['pageSize=100000', 'validation_failed'],
    ['from=yesterday', 'validation_failed'], ['sort=password', 'validation_failed'], ['region=abc', 'validation_failed'],
    [`q=${'x'.repeat(500)}`, 'validation_failed'], ['bogus=1', 'validation_failed'],
  ])('rejects %s', async (qs, code) => {
    problem(await p.as(op).get(`/api/v1/cases?${qs}`), 400, code);
  });
  it('treats LIKE wildcards in text search literally', async () => {
    expect((await p.as(op).get('/api/v1/cases?q=%25')).body.items).toEqual([]);
  });
});

describe('other write endpoints', () => {
  it('login: missing, wrong-typed, oversized and wrong credentials', async () => {
    problem(await p.as(null).post('/api/v1/auth/login', {}), 400, 'validation_failed');
    problem(await p.as(null).post('/api/v1/auth/login', { username: ['a'], password: 1 }), 400, 'validation_failed');
    problem(await p.as(null).post('/api/v1/auth/login', { username: 'rexian', password: MB }), 413);
    problem(await p.as(null).post('/api/v1/auth/login', { username: "admin' --", password: 'x' }), 401, 'invalid_credentials');
  });

  it('login: repeated wrong passwords lock the account for a while', async () => {
    for (let i = 0; i < 5; i++) await p.as(null).post('/api/v1/auth/login', { username: 'shequ', password: 'wrong' });
    problem(await p.as(null).post('/api/v1/auth/login', { username: 'shequ', password: 'gongzhi-demo-2026' }), 429, 'too_many_attempts');
  });

  it('reveal: a purpose is required', async () => {
    problem(await p.as(op).post(`/api/v1/cases/${c.id}/reporter/reveal`, {}), 400, 'validation_failed');
    problem(await p.as(op).post(`/api/v1/cases/${c.id}/reporter/reveal`, { purpose: MB }), 413);
  });

  it('attachments: not multipart, empty, disguised and oversized files', async () => {
    const before = await counts();
    const up = (payload: any, headers: Record<string, string> = {}) => p.http.inject({
      method: 'POST', url: '/api/v1/attachments', headers: { authorization: `Bearer ${op}`, ...headers }, payload,
    }).then((r) => ({ status: r.statusCode, body: JSON.parse(r.body), headers: r.headers, text: r.body }));
    problem(await up(JSON.stringify({ file: 'x' }), { 'content-type': 'application/json' }), [400, 415]);
    const form = (bytes: Buffer, name: string) => { const f = new FormData(); f.append('file', new Blob([new Uint8Array(bytes)]), name); return f; };
    problem(await up(form(Buffer.alloc(0), 'empty.jpg')), 400, 'empty_file');
    problem(await up(form(Buffer.from('<?php system($_GET["c"]); ?>'), 'shell.jpg')), 415, 'unsupported_media_type');
    problem(await up(form(Buffer.alloc(11 * 1024 * 1024, 0xff), 'huge.jpg')), 413);
    expect(await counts()).toEqual(before);
  });

  it('unknown routes answer 404 problem+json', async () => {
    problem(await p.as(op).get('/api/v1/nothing-here'), 404, 'not_found');
  });
});

describe('NUL characters', () => {
  it('are refused in bodies and queries with 400, not passed to the database', async () => {
    const before = await counts();
    problem(await p.as(op).post('/api/v1/cases', { ...valid(), title: 'a\u0000b' }), 400, 'validation_failed');
    problem(await p.as(op).get('/api/v1/cases?q=%00'), 400, 'validation_failed');
    problem(await p.as(op).post(`/api/v1/cases/${c.id}/actions/urge`, { note: '\u0000' }), 400, 'validation_failed');
    expect(await counts()).toEqual(before);
  });
});
