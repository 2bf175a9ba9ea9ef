// Bad input on every registry write endpoint: missing fields, wrong types, 1 MB strings, hostile text,
// malformed JSON and ids → 4xx application/problem+json with a clear message, and nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid } from '../helpers/fixtures.ts';
import { ensureAdmin } from '../../src/platform/auth/bootstrap.ts';
import { creditCode, expectProblem, idNumber, person, registryCounts, requester, type Requester } from './registry-helpers.ts';

let p: TestPlatform;
let shequ: Requester, admin: Requester;
const G = homeGrid.code;
const MB = 'x'.repeat(1024 * 1024 + 10);
const ids: Record<string, number> = {};
let labelId: number;
let wanggeId: number;

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  await ensureAdmin(p.ctx.db, 'admin-secret-2026');
  shequ = requester(p, await p.login('shequ'));
  admin = requester(p, await p.login('admin', 'admin-secret-2026'));
  wanggeId = Number((await p.ctx.db.query<{ id: number }>(`SELECT id FROM app_user WHERE username = 'wangge'`))[0].id);
  for (const [kind, body] of Object.entries(valid)) {
    const r = await shequ.post(`/api/v1/${kind}`, kind === 'rooms' ? { ...body, houseId: ids.houses } : body);
    expect(r.status, `${kind} ${r.text}`).toBe(201);
    ids[kind] = r.body.id;
  }
  labelId = (await shequ.post(`/api/v1/persons/${ids.persons}/labels`, { type: 'petitioner', fields: { issue: '补偿' } })).body.id;
});
afterAll(async () => { await p?.close(); });

const valid: Record<string, Record<string, unknown>> = {
  persons: person(G),
  buildings: { regionCode: G, name: '1栋' },
  houses: { regionCode: G, address: '营盘街1号' },
  rooms: { name: 'A室' },
  households: { regionCode: G, householdNo: 'H1' },
  places: { regionCode: G, kind: '01', name: '营盘街小学' },
  facilities: { regionCode: G, major: '01', minor: '01', name: '上水井盖' },
  things: { regionCode: G, kind: 'camera', name: '球机', deviceCode: 'CAM-00001' },
  organisations: { regionCode: G, kind: 'enterprise', name: '某公司', creditCode: creditCode() },
};
/** A required text field of each kind, to send with the wrong type, oversized or hostile. */
const textField: Record<string, string> = {
  persons: 'name', buildings: 'name', houses: 'address', rooms: 'name', households: 'address', places: 'name', facilities: 'name', things: 'name', organisations: 'name',
};
const fresh = (kind: string) => {
  const v = { ...valid[kind] };
  if (kind === 'persons') v.idNumber = idNumber();
  if (kind === 'organisations') v.creditCode = creditCode();
  if (kind === 'things') v.deviceCode = `CAM-${Math.random().toString(36).slice(2, 9)}`;
  if (kind === 'rooms') v.houseId = ids.houses;
  return v;
};

async function unchanged(fn: () => Promise<void>) {
  const before = await registryCounts(p);
  const [{ n: audits }] = await p.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
  await fn();
  expect(await registryCounts(p)).toEqual(before);
  expect((await p.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log'))[0].n).toBe(audits);
}

describe.each(Object.keys(valid))('%s', (kind) => {
  const f = () => textField[kind];
  const cases: Array<[string, () => unknown, number | number[], string?]> = [
    ['an empty body', () => ({}), [400, 403, 422]],
    // households have no required field of their own: without a grid they have nowhere to go
    ['a missing required field', () => { const v = fresh(kind); delete v[kind === 'households' ? 'regionCode' : f()]; return v; },
      kind === 'households' ? 422 : 400, kind === 'households' ? 'region_required' : 'validation_failed'],
    ['a number for text', () => ({ ...fresh(kind), [f()]: 42 }), 400, 'validation_failed'],
    ['an object for text', () => ({ ...fresh(kind), [f()]: { $gt: '' } }), 400, 'validation_failed'],
    ['a 1 MB string', () => ({ ...fresh(kind), [f()]: MB }), 413, 'payload_too_large'],
    ['a 10 kB string', () => ({ ...fresh(kind), [f()]: 'x'.repeat(10_000) }), 400, 'validation_failed'],
    ['markup', () => ({ ...fresh(kind), [f()]: '<script>alert(1)</script>' }), 400, 'validation_failed'],
    ['a NUL character', () => ({ ...fresh(kind), [f()]: 'a\u0000b' }), 400, 'validation_failed'],
    ['control characters', () => ({ ...fresh(kind), [f()]: 'a\u0007b' }), 400, 'validation_failed'],
    ['an unknown field', () => ({ ...fresh(kind), createdBy: 1 }), 400, 'validation_failed'],
    ['a prototype-polluting field', () => `{"__proto__": {"admin": true}, ${JSON.stringify(fresh(kind)).slice(1)}`, 400, 'malformed_body'],
    ['SQL in the region code', () => ({ ...fresh(kind), regionCode: "50011700100501' OR '1'='1" }), 400, 'validation_failed'],
    ['an array body', () => [fresh(kind)], 400, 'validation_failed'],
    ['a string body', () => 'hello', 400],
  ];
  it.each(cases)(`POST refuses %s and writes nothing`, async (_n, body, status, code) => {
    await unchanged(async () => {
      const r = await shequ.send('POST', `/api/v1/${kind}`, body(), typeof body() === 'string' ? { 'content-type': 'application/json' } : {});
      expectProblem(r, status, code);
    });
  });

  it('PATCH refuses bad input and changes nothing', async () => {
    const url = `/api/v1/${kind}/${ids[kind]}`;
    const before = (await shequ.get(url)).body;
    await unchanged(async () => {
      expectProblem(await shequ.patch(url, {}), 400, 'validation_failed');
      if (kind !== 'households') expectProblem(await shequ.patch(url, { [f()]: null }), 400, 'validation_failed');
      expectProblem(await shequ.patch(url, { [f()]: MB }), 413, 'payload_too_large');
      expectProblem(await shequ.patch(url, { [f()]: ['a'] }), 400, 'validation_failed');
      expectProblem(await shequ.patch(url, { id: 5 }), 400, 'validation_failed');
      // a room follows its house: another grid is a mismatch before it is an unknown region
      expectProblem(await shequ.patch(url, { regionCode: '50011700100599' }), 422, kind === 'rooms' ? 'region_mismatch' : 'unknown_region');
      expectProblem(await shequ.patch(`/api/v1/${kind}/abc`, { note: 'x' }), 400, 'validation_failed');
      expectProblem(await shequ.patch(`/api/v1/${kind}/99999999`, kind === 'persons' ? { occupation: 'x' } : { note: 'x' }), 404, 'not_found');
      expectProblem(await shequ.patch(`/api/v1/${kind}/1e3`, { note: 'x' }), 400, 'validation_failed');
      expectProblem(await shequ.send('PATCH', url, '{"note": ', { 'content-type': 'application/json' }), 400, 'malformed_body');
      expectProblem(await shequ.send('PATCH', url, '<x/>', { 'content-type': 'application/xml' }), 415, 'unsupported_media_type');
    });
    expect((await shequ.get(url)).body).toEqual(before);
  });

  it('DELETE refuses malformed and unknown ids', async () => {
    await unchanged(async () => {
      expectProblem(await shequ.del(`/api/v1/${kind}/-1`), 400, 'validation_failed');
      expectProblem(await shequ.del(`/api/v1/${kind}/99999999`), 404, 'not_found');
      expectProblem(await shequ.del(`/api/v1/${kind}/1;DROP TABLE person`), 400, 'validation_failed');
    });
  });
});

describe('labels, follow-ups, reveal, dictionaries, grants, list filters', () => {
  it('refuses bad labels and follow-ups', async () => {
    const base = `/api/v1/persons/${ids.persons}/labels`;
    await unchanged(async () => {
      expectProblem(await shequ.post(base, {}), 400, 'validation_failed');
      expectProblem(await shequ.post(base, { type: 'drug_user', fields: 'x' }), 400, 'validation_failed');
      expectProblem(await shequ.post(base, { type: 'drug_user', fields: { criminalRecord: MB } }), 413);
      expectProblem(await shequ.post(base, { type: 'DROP TABLE', fields: {} }), 400, 'validation_failed');
      expectProblem(await shequ.post(base, { type: 'custom', customName: '标签', fields: { 'bad key': 'x' } }), 422, 'validation_failed');
      expectProblem(await shequ.post(base, { type: 'custom', customName: '标签', fields: { a: { nested: true } } }), 422, 'validation_failed');
      expectProblem(await shequ.post(base, { type: 'custom', customName: '标签', fields: Object.fromEntries(Array.from({ length: 41 }, (_, i) => [`k${i}`, 1])) }), 400, 'validation_failed');
      expectProblem(await shequ.patch(`${base}/${labelId}`, {}), 400, 'validation_failed');
      expectProblem(await shequ.patch(`${base}/${labelId}`, { active: 'no' }), 400, 'validation_failed');
      expectProblem(await shequ.patch(`${base}/999999`, { active: false }), 404, 'not_found');
      const fu = `${base}/${labelId}/followups`;
      expectProblem(await shequ.post(fu, { kind: 'track', method: 'visit', content: '走访' }), 400, 'validation_failed');
      expectProblem(await shequ.post(fu, { kind: 'track', method: 'telepathy', content: '走访', occurredAt: '2026-11-16T01:00:00Z' }), 400, 'validation_failed');
      expectProblem(await shequ.post(fu, { kind: 'track', method: 'visit', content: '走访', occurredAt: 'yesterday' }), 400, 'validation_failed');
      expectProblem(await shequ.post(fu, { kind: 'track', method: 'visit', content: MB, occurredAt: '2026-11-16T01:00:00Z' }), 413);
      expectProblem(await shequ.post(fu, { kind: 'track', method: 'visit', content: '走访', occurredAt: '2026-11-16T01:00:00Z', nextDueOn: '2026-02-30' }), 400, 'validation_failed');
    });
  });

  it('refuses bad reveal requests without auditing them', async () => {
    await unchanged(async () => {
      expectProblem(await shequ.post(`/api/v1/persons/${ids.persons}/reveal`, { purpose: MB }), 413);
      expectProblem(await shequ.post(`/api/v1/persons/${ids.persons}/reveal`, { purpose: 'x'.repeat(201) }), 400, 'validation_failed');
      expectProblem(await shequ.post(`/api/v1/persons/${ids.persons}/reveal`, { purpose: '核实', fields: 'name' }), 400, 'validation_failed');
      expectProblem(await shequ.post(`/api/v1/persons/${ids.persons}/reveal`, { purpose: '核实', extra: 1 }), 400, 'validation_failed');
      expectProblem(await shequ.post(`/api/v1/buildings/${ids.buildings}/reveal`, { purpose: '核实' }), 404);
    });
  });

  it('refuses bad dictionary edits and grants', async () => {
    await unchanged(async () => {
      expectProblem(await admin.patch('/api/v1/dictionaries/sex', {}), 400, 'validation_failed');
      expectProblem(await admin.patch('/api/v1/dictionaries/sex', { entries: [] }), 400, 'validation_failed');
      expectProblem(await admin.patch('/api/v1/dictionaries/sex', { entries: [{ code: "1'; --", labelZh: 'x' }] }), 400, 'validation_failed');
      expectProblem(await admin.patch('/api/v1/dictionaries/sex', { entries: [{ code: '1', labelZh: MB }] }), 413);
      expectProblem(await admin.patch('/api/v1/dictionaries/sex', { entries: [{ code: '1', labelZh: '<b>男</b>' }] }), 400, 'validation_failed');
      expectProblem(await admin.patch('/api/v1/dictionaries/sex', { entries: [{ code: '7', labelZh: '七', parentCode: '8' }] }), 422, 'unknown_parent');
      expectProblem(await admin.patch('/api/v1/dictionaries/sex', { entries: [{ code: '1', labelZh: 'a' }, { code: '1', labelZh: 'b' }] }), 422, 'duplicate_code');
      expectProblem(await admin.patch('/api/v1/dictionaries/NOPE', { entries: [{ code: '1', labelZh: 'a' }] }), 400, 'validation_failed');
      expectProblem(await admin.patch('/api/v1/dictionaries/nope', { entries: [{ code: '1', labelZh: 'a' }] }), 404, 'not_found');
      expectProblem(await admin.post('/api/v1/registry/reveal-grants', {}), 400, 'validation_failed');
      expectProblem(await admin.post('/api/v1/registry/reveal-grants', { userId: 'wangge', reason: 'x' }), 400, 'validation_failed');
      expectProblem(await admin.post('/api/v1/registry/reveal-grants', { userId: 99999999, reason: '排查' }), 422, 'unknown_user');
      expectProblem(await admin.post('/api/v1/registry/reveal-grants', { userId: wanggeId, reason: '排查', expiresAt: '2020-01-01T00:00:00Z' }), 422, 'expired');
      expectProblem(await admin.post('/api/v1/registry/reveal-grants', { userId: wanggeId, reason: MB }), 413);
      expectProblem(await admin.del('/api/v1/registry/reveal-grants/99999999'), 404, 'not_found');
    });
  });

  it.each([
    ['persons', 'pageSize=1000'], ['persons', 'page=0'], ['persons', 'idNumber=%27%20OR%201%3D1'], ['persons', 'populationType=alien'],
    ['persons', 'label=DROP%20TABLE'], ['persons', 'bogus=1'], ['persons', `q=${'x'.repeat(500)}`], ['houses', 'rented=maybe'],
    ['facilities', 'code=123'], ['things', 'kind=drone'], ['organisations', 'kind=club'], ['buildings', 'regionCode=abc'],
  ])('GET /%s?%s is refused with 400', async (kind, qs) => {
    expectProblem(await shequ.get(`/api/v1/${kind}?${qs}`), 400, 'validation_failed');
  });

  it('treats LIKE wildcards in searches literally', async () => {
    expect((await shequ.get('/api/v1/buildings?q=%25')).body.items).toEqual([]);
    expect((await shequ.get('/api/v1/persons?q=_')).body.items).toEqual([]);
  });
});
