// Issue 11, "500s from hostile input": the requests that broke the server on both engines, each now a
// 4xx problem+json that writes nothing, or, for names outside the Basic Multilingual Plane, a record
// stored and masked whole (𠮷田 → 𠮷*). Lengths count code points; path ids are decimal digits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, pointIn } from '../helpers/fixtures.ts';
import { ensureAdmin } from '../../src/platform/auth/bootstrap.ts';
import { maskIdNumber, maskName, maskPhone } from '../../src/platform/crypto.ts';
import { expectProblem, idNumber, person, registryCounts, requester, type Requester } from './registry-helpers.ts';

let p: TestPlatform;
const r: Record<string, Requester> = {};
const G = homeGrid.code;
const LONE = '\ud800';
/** No lone UTF-16 surrogate (what JSON.stringify would escape and jsonb refuses). */
const wellFormed = (s: string) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
let personId: number, thingId: number, userId: number;

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  await ensureAdmin(p.ctx.db, 'input-admin-2026');
  r.admin = requester(p, await p.login('admin', 'input-admin-2026'));
  for (const u of ['shequ', 'rexian']) r[u] = requester(p, await p.login(u));
  personId = (await r.shequ.post('/api/v1/persons', person(G))).body.id;
  thingId = (await r.shequ.post('/api/v1/things', { regionCode: G, kind: 'sensor', name: '1栋烟感', deviceCode: 'YG-0101', sensorType: '01' })).body.id;
  [{ id: userId }] = await p.ctx.db.query<{ id: number }>(`SELECT id FROM app_user WHERE username = 'wangge'`);
});
afterAll(async () => { await p?.close(); });

/** A raw JSON body, so that escapes such as \ud800 and \u0000 reach the server as written. */
const raw = (who: Requester, method: 'POST' | 'PATCH' | 'PUT', url: string, json: string) =>
  who.send(method, url, json, { 'content-type': 'application/json' });

async function refusedUnchanged(send: () => Promise<any>, status = 400) {
  const before = await registryCounts(p);
  const [{ n: audits }] = await p.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
  expectProblem(await send(), status, 'validation_failed');
  expect(await registryCounts(p)).toEqual(before);
  expect((await p.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log'))[0].n).toBe(audits);
}

describe('a lone UTF-16 surrogate in a field written to jsonb', () => {
  it.each([
    ['a reveal purpose', () => raw(r.shequ, 'POST', `/api/v1/persons/${personId}/reveal`, `{"purpose":"核实${'\\ud800'}身份"}`)],
    ['a display name', () => raw(r.admin, 'PATCH', `/api/v1/admin/users/${userId}`, '{"displayName":"王\\ud800"}')],
    ['a unit name', () => raw(r.admin, 'POST', '/api/v1/admin/units', `{"id":"dept-x","name":"新单位\\udc00","kind":"department","regionCode":"${G.slice(0, 6)}"}`)],
    ['a category name', () => raw(r.admin, 'POST', '/api/v1/admin/categories', '{"code":"0399","parentCode":"03","nameZh":"其他\\ud83d","nameEn":"Other"}')],
    ['a case title', () => raw(r.rexian, 'POST', '/api/v1/cases', JSON.stringify({ categoryCode: '030102', title: 'x', description: 'y', ...pointIn(homeGrid) }).replace('"x"', '"\\udfff"'))],
  ])('%s: 400 problem+json, nothing written', async (_what, send) => {
    await refusedUnchanged(send);
  });

  it('is refused in a key as well', async () => {
    await refusedUnchanged(() => raw(r.shequ, 'PATCH', `/api/v1/things/${thingId}`, '{"properties":{"a\\ud800":1}}'));
    expect(LONE.length).toBe(1); // one UTF-16 unit: half of a pair
  });
});

describe('NUL characters', () => {
  it('inside a JSON object key: 400, the thing unchanged', async () => {
    const before = (await r.shequ.get(`/api/v1/things/${thingId}`)).body;
    await refusedUnchanged(() => raw(r.shequ, 'PATCH', `/api/v1/things/${thingId}`, '{"properties":{"a\\u0000b":1}}'));
    expect((await r.shequ.get(`/api/v1/things/${thingId}`)).body).toEqual(before);
  });

  it('in a query string: 400', async () => {
    expectProblem(await r.shequ.get('/api/v1/persons?q=a%00b'), 400, 'validation_failed');
  });

  it('deep inside a value (past where the old check stopped looking): 400', async () => {
    let nested = '"a\\u0000b"';
    for (let i = 0; i < 25; i++) nested = `{"k":${nested}}`;
    expectProblem(await raw(r.shequ, 'PATCH', `/api/v1/things/${thingId}`, `{"properties":${nested}}`), 400, 'validation_failed');
  });

  it('nesting deeper than 32 levels is refused before anything serialises it', async () => {
    let nested = '1';
    for (let i = 0; i < 40; i++) nested = `{"k":${nested}}`;
    const res = await raw(r.shequ, 'PATCH', `/api/v1/things/${thingId}`, `{"properties":${nested}}`);
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.detail).toMatch(/deeper than 32/);
  });
});

describe('names outside the Basic Multilingual Plane (CJK Extension B)', () => {
  it('masks by code points, never by UTF-16 units', () => {
    expect(maskName('𠮷田')).toBe('𠮷*');
    expect(maskName('𠮷')).toBe('𠮷*');
    expect(maskName('𠀀𠀁𠀂𠀃𠀄')).toBe('𠀀***');
    expect(maskPhone('𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖')).toBe('𝟏𝟑𝟖****𝟓𝟔𝟕𝟖');
    expect(maskIdNumber('AB𠮷12345')).toBe('******45');
    for (const m of [maskName('𠮷田'), maskName('𠮷'), maskPhone('12𠮷45'), maskIdNumber('𠮷1234')]) expect(wellFormed(m)).toBe(true);
  });

  it('stores a house owner named 𠮷田 and shows 𠮷*', async () => {
    const h = await r.shequ.post('/api/v1/houses', { regionCode: G, address: '营盘街9号', ownerName: '𠮷田', ownerIdNumber: idNumber() });
    expect(h.status, h.text).toBe(201);
    expect(h.body.ownerNameMasked).toBe('𠮷*');
  });

  it('stores an organisation whose legal representative is 𠮷田', async () => {
    const o = await r.shequ.post('/api/v1/organisations', { regionCode: G, kind: 'party', name: '营盘街党支部', legalRepName: '𠮷田' });
    expect(o.status, o.text).toBe(201);
    expect(o.body.legalRepNameMasked).toBe('𠮷*');
  });

  it('masks a person named 𠮷田 as 𠮷*, not as a broken half character', async () => {
    const c = await r.shequ.post('/api/v1/persons', person(G, { name: '𠮷田' }));
    expect(c.status, c.text).toBe(201);
    expect(c.body.nameMasked).toBe('𠮷*');
    const [row] = await p.ctx.db.query<{ name_masked: string }>('SELECT name_masked FROM person WHERE id = $1', [c.body.id]);
    expect(row.name_masked).toBe('𠮷*');
  });
});

describe('length limits count code points', () => {
  const title = (n: number) => '𠮷'.repeat(n);
  it('a 200-character title of astral characters (400 UTF-16 units) is accepted; 201 characters are not', async () => {
    const body = { categoryCode: '030102', description: '三盏路灯不亮', ...pointIn(homeGrid) };
    const ok = await r.rexian.post('/api/v1/cases', { ...body, title: title(200) });
    expect(ok.status, ok.text).toBe(201);
    expect((await r.rexian.get(`/api/v1/cases/${ok.body.id}`)).body.title).toBe(title(200));
    expectProblem(await r.rexian.post('/api/v1/cases', { ...body, title: title(201) }), 400, 'validation_failed');
  });
});

describe('path ids', () => {
  it.each(['0x10', '1e1', '%201', '+1', '010', '0'])('%s is not an id', async (id) => {
    expectProblem(await r.rexian.get(`/api/v1/cases/${id}`), 400, 'validation_failed');
    expectProblem(await r.rexian.post(`/api/v1/cases/${id}/actions/urge`, {}), 400, 'validation_failed');
  });
});

describe('numbers a column cannot hold', () => {
  it('a GPS accuracy of 1e-300 m (too small for a float4) is taken as 0, not a 500', async () => {
    const wangge = requester(p, await p.login('wangge'));
    const r = await wangge.post('/api/v1/patrols/check-in', { ...pointIn(homeGrid), accuracy: 1e-300 });
    expect(r.status, r.text).toBe(201);
  });
});
