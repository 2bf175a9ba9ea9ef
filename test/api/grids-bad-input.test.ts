// Bad input on every grid write endpoint: missing fields, wrong types, 1 MB strings, hostile input.
// Each gets a 4xx application/problem+json with a clear message, and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform, type Res } from '../helpers/platform.ts';
import { homeGrid, pointIn } from '../helpers/fixtures.ts';
import { seedGridBase } from '../../src/modules/regions/grids/index.ts';

let p: TestPlatform;
const t: Record<string, string> = {};
const MB = 'x'.repeat(1024 * 1024);
const H = `/api/v1/grids/${homeGrid.code}`;
const home = pointIn(homeGrid);
const ring = (homeGrid.polygon![0] as number[][]).map(([x, y]) => [x, y]);
const geometry = () => ({ type: 'Polygon', coordinates: [ring] });
let staffId = 0, memberId = 0;

async function send(who: string, method: 'POST' | 'PUT', url: string, payload: unknown, headers: Record<string, string> = {}): Promise<Res> {
  const r = await p.http.inject({
    method, url, payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    headers: { authorization: `Bearer ${t[who]}`, 'content-type': 'application/json', ...headers },
  });
  let parsed: any = null;
  try { parsed = r.body ? JSON.parse(r.body) : null; } catch { parsed = null; }
  return { status: r.statusCode, body: parsed, headers: r.headers, text: r.body };
}

const TABLES = ['region', 'grid_polygon', 'grid_change', 'grid_profile', 'grid_household_count', 'grid_layer', 'grid_layer_cell', 'grid_layer_map',
  'grid_staff', 'grid_party_member', 'grid_party_service', 'patrol_check_in', 'patrol', 'household_visit', 'audit_log', 'outbox', 'idempotency_key'];
async function counts() {
  const [r] = await p.ctx.db.query<any>(`SELECT ${TABLES.map((x) => `(SELECT count(*) FROM ${x})::int AS ${x}`).join(', ')}`);
  const [h] = await p.ctx.db.query<any>('SELECT households FROM grid_household_count WHERE region_code = $1', [homeGrid.code]);
  const [v] = await p.ctx.db.query<any>('SELECT max(version)::int AS v FROM grid_polygon WHERE region_code = $1', [homeGrid.code]);
  const [s] = await p.ctx.db.query<any>('SELECT count(*)::int AS n FROM grid_staff WHERE ended_at IS NOT NULL');
  return { ...r, households: h?.households, version: v.v, ended: s.n };
}

function isProblem(r: Res, status: number | number[]) {
  const statuses = Array.isArray(status) ? status : [status];
  expect(statuses, `${r.status} ${r.text.slice(0, 300)}`).toContain(r.status);
  expect(r.headers['content-type']).toContain('application/problem+json');
  expect(typeof r.body?.detail).toBe('string');
  expect(r.body.detail.length).toBeGreaterThan(5);
  expect(typeof r.body.code).toBe('string');
}

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  await seedGridBase(p.ctx.db);
  for (const u of ['zhihui', 'shequ', 'wangge']) t[u] = await p.login(u);
  staffId = (await send('shequ', 'POST', `${H}/staff`, { role: 'grid_leader', name: '刘洋' })).body.id;
  memberId = (await send('shequ', 'POST', `${H}/party-members`, { name: '陈明', branch: '第一党支部', registeredOn: '2026-01-01' })).body.id;
  expect((await send('zhihui', 'POST', '/api/v1/grid-layers', { id: 'xiaofang', kind: 'fire', name: '消防网格', regionCode: '500117' })).status).toBe(201);
}, 120_000);
afterAll(async () => { await p?.close(); });

type Case = [name: string, body: unknown, status: number | number[]];
/** The body with a NUL in its first string value (or in an added note when it has none). */
function withNul(body: Record<string, unknown>): unknown {
  const text = JSON.stringify(body);
  const hit = text.replace(/"([^"]*)"\s*:\s*"([^"]*)"/, '"$1":"$2\\u0000"');
  return hit === text ? { ...body, note: 'a\u0000b' } : JSON.parse(hit);
}
interface Target { name: string; who: string; method: 'POST' | 'PUT'; url: () => string; valid: () => Record<string, unknown>; cases: Case[] }

const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
const gridFeature = (props: Record<string, unknown> = {}, geom: unknown = geometry()) =>
  ({ type: 'Feature', geometry: geom, properties: { code: `${homeGrid.code.slice(0, 12)}30`, name: '新网格', ...props } });

const targets: Target[] = [
  {
    name: 'POST /grids/import', who: 'zhihui', method: 'POST', url: () => '/api/v1/grids/import', valid: () => fc(gridFeature()),
    cases: [
      ['2,001 features', fc(...Array.from({ length: 2001 }, () => ({}))), 400],
      ['coordinates of 1e308', fc(gridFeature({}, { type: 'Polygon', coordinates: [[[1e308, 30], [106, 30], [106, 31], [1e308, 30]]] })), 422],
      ['coordinates nested too deep', fc(gridFeature({}, { type: 'Polygon', coordinates: [[[[[106, 30]]]]] })), 422],
      ['20,001 positions', fc(gridFeature({}, { type: 'Polygon', coordinates: [Array.from({ length: 20_001 }, () => [106, 30])] })), 422],
      ['a MultiPolygon of garbage', fc(gridFeature({}, { type: 'MultiPolygon', coordinates: [1, 2, 3] })), 422],
      ['SQL in the code', fc(gridFeature({ code: "50011700100530'; DROP TABLE region;--" })), 422],
      ['negative households', fc(gridFeature({ households: -5 })), 422],
      ['a dedicatedType on a comprehensive grid', fc(gridFeature({ dedicatedType: 'school' })), 422],
      ['properties as an array', fc({ type: 'Feature', geometry: geometry(), properties: ['x'] }), 422],
    ],
  },
  {
    name: 'PUT /grids/:code/geometry', who: 'zhihui', method: 'PUT', url: () => `${H}/geometry`, valid: () => ({ geometry: geometry() }),
    cases: [
      ['coordinates as a string', { geometry: { type: 'Polygon', coordinates: 'x' } }, 400],
      ['a LineString', { geometry: { type: 'LineString', coordinates: ring } }, 400],
      ['a version as text', { geometry: geometry(), expectedVersion: '1' }, 400],
      ['an empty ring', { geometry: { type: 'Polygon', coordinates: [[]] } }, 422],
      ['a huge note', { geometry: geometry(), note: 'x'.repeat(5000) }, 400],
    ],
  },
  {
    name: 'POST /grids/:code/split', who: 'zhihui', method: 'POST', url: () => `${H}/split`,
    valid: () => ({ parts: [{ geometry: geometry(), name: 'A' }, { geometry: geometry(), name: 'B' }] }),
    cases: [
      ['parts as an object', { parts: { a: 1 } }, 400],
      ['21 parts', { parts: Array.from({ length: 21 }, () => ({ geometry: geometry(), name: 'A' })) }, 400],
      ['markup in a name', { parts: [{ geometry: geometry(), name: '<img src=x onerror=alert(1)>' }, { geometry: geometry(), name: 'B' }] }, 400],
      ['identical parts', { parts: [{ geometry: geometry(), name: 'A' }, { geometry: geometry(), name: 'B' }] }, 422],
    ],
  },
  {
    name: 'POST /grids/merge', who: 'zhihui', method: 'POST', url: () => '/api/v1/grids/merge', valid: () => ({ codes: [homeGrid.code, `${homeGrid.code.slice(0, 12)}02`], name: '合并网格' }),
    cases: [
      ['SQL in a code', { codes: [homeGrid.code, "1' OR '1'='1"], name: 'x' }, 400],
      ['21 codes', { codes: Array.from({ length: 21 }, (_, i) => `${homeGrid.code.slice(0, 12)}${String(i + 1).padStart(2, '0')}`), name: 'x' }, 400],
      ['one code', { codes: [homeGrid.code], name: 'x' }, 400],
      ['a code that does not exist', { codes: [homeGrid.code, `${homeGrid.code.slice(0, 12)}98`], name: 'x' }, 404],
    ],
  },
  {
    name: 'PUT /grids/:code/households', who: 'shequ', method: 'PUT', url: () => `${H}/households`, valid: () => ({ households: 380 }),
    cases: [
      ['a negative count', { households: -1 }, 400],
      ['a fraction', { households: 1.5 }, 400],
      ['text', { households: '400' }, 400],
      ['a billion', { households: 1e9 }, 400],
    ],
  },
  {
    name: 'POST /grids/:code/staff', who: 'shequ', method: 'POST', url: () => `${H}/staff`, valid: () => ({ role: 'part_time', name: '李四' }),
    cases: [
      ['an unknown role', { role: 'boss', name: '李四' }, 400],
      ['a user id as text', { role: 'part_time', userId: '5' }, 400],
      ['letters in the phone', { role: 'part_time', name: '李四', phone: '<script>' }, 400],
      ['a 13th month', { role: 'part_time', name: '李四', startedOn: '2026-13-01' }, 400],
      ['a control character in the name', { role: 'part_time', name: '李\u0007四' }, 400],
    ],
  },
  {
    name: 'POST /grids/:code/staff/:id/reveal', who: 'shequ', method: 'POST', url: () => `${H}/staff/${staffId}/reveal`, valid: () => ({ purpose: '联系' }),
    cases: [['a one-letter purpose', { purpose: 'x' }, 400], ['a purpose as a number', { purpose: 5 }, 400]],
  },
  {
    name: 'POST /grids/:code/party-members', who: 'shequ', method: 'POST', url: () => `${H}/party-members`, valid: () => ({ name: '王五', branch: '第二党支部' }),
    cases: [
      ['a registration in the future', { name: '王五', branch: '第二党支部', registeredOn: '2027-01-01' }, 422],
      ['a date that does not exist', { name: '王五', branch: '第二党支部', registeredOn: '2026-02-30' }, 400],
    ],
  },
  {
    name: 'POST /grids/:code/party-members/:id/services', who: 'wangge', method: 'POST', url: () => `${H}/party-members/${memberId}/services`,
    valid: () => ({ servedOn: '2026-11-10', hours: 2, description: '清理楼道' }),
    cases: [
      ['25 hours in a day', { servedOn: '2026-11-10', hours: 25, description: 'x' }, 400],
      ['an empty description', { servedOn: '2026-11-10', description: '   ' }, 400],
      ['a datetime for a date', { servedOn: '2026-11-10T00:00:00Z', description: 'x' }, 400],
    ],
  },
  {
    name: 'POST /grid-layers', who: 'zhihui', method: 'POST', url: () => '/api/v1/grid-layers', valid: () => ({ id: 'huanbao', kind: 'environment', name: '环保网格', regionCode: '500117' }),
    cases: [
      ['an upper-case id', { id: 'HuanBao', kind: 'environment', name: '环保网格', regionCode: '500117' }, 400],
      ['an unknown kind', { id: 'huanbao', kind: 'weather', name: '环保网格', regionCode: '500117' }, 400],
      ['a region that is not a code', { id: 'huanbao', kind: 'environment', name: '环保网格', regionCode: '500117 OR 1=1' }, 400],
      ['a region that does not exist', { id: 'huanbao', kind: 'environment', name: '环保网格', regionCode: '5001179' }, 422],
    ],
  },
  {
    name: 'PUT /grid-layers/:id/grids', who: 'zhihui', method: 'PUT', url: () => '/api/v1/grid-layers/xiaofang/grids',
    valid: () => fc({ type: 'Feature', geometry: geometry(), properties: { code: 'XF-1', name: '消防一区' } }),
    cases: [
      ['SQL in a mapped grid', fc({ type: 'Feature', geometry: geometry(), properties: { code: 'XF-1', name: '消防一区', grids: ["x'--"] } }), 422],
      ['a code with spaces', fc({ type: 'Feature', geometry: geometry(), properties: { code: 'XF 1', name: '消防一区' } }), 422],
      ['a polygon bigger than a province', fc({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[100, 20], [110, 20], [110, 30], [100, 20]]] }, properties: { code: 'XF-1', name: 'x' } }), 422],
    ],
  },
  {
    name: 'POST /patrols/check-in', who: 'wangge', method: 'POST', url: () => '/api/v1/patrols/check-in', valid: () => ({ ...home }),
    cases: [
      ['latitude 91', { lat: 91, lng: home.lng }, 400],
      ['coordinates as text', { lat: String(home.lat), lng: String(home.lng) }, 400],
      ['no longitude', { lat: home.lat }, 400],
      ['a negative accuracy', { ...home, accuracy: -3 }, 400],
    ],
  },
  {
    name: 'POST /patrols', who: 'wangge', method: 'POST', url: () => '/api/v1/patrols',
    valid: () => ({ startedAt: '2026-11-16T00:00:00Z', endedAt: '2026-11-16T01:00:00Z', track: [{ ...home, at: '2026-11-16T00:30:00Z' }] }),
    cases: [
      ['5,001 track points', { startedAt: '2026-11-16T00:00:00Z', endedAt: '2026-11-16T01:00:00Z', track: Array.from({ length: 5001 }, () => ({ ...home, at: '2026-11-16T00:30:00Z' })) }, 400],
      ['a track point without time', { startedAt: '2026-11-16T00:00:00Z', endedAt: '2026-11-16T01:00:00Z', track: [{ ...home }] }, 400],
      ['a date without time', { startedAt: '2026-11-16', endedAt: '2026-11-16T01:00:00Z', track: [] }, 400],
    ],
  },
  {
    name: 'POST /visits', who: 'wangge', method: 'POST', url: () => '/api/v1/visits', valid: () => ({ ...home, householdRef: 'HH-1', result: 'visited' }),
    cases: [
      ['an unknown result', { ...home, householdRef: 'HH-1', result: 'maybe' }, 400],
      ['no reference', { ...home, result: 'visited' }, 400],
      ['a grid code with SQL', { householdRef: 'HH-1', result: 'visited', gridCode: "5001170010050' --" }, 400],
      ['a reference of 10 kB', { ...home, householdRef: 'x'.repeat(10_000), result: 'visited' }, 400],
    ],
  },
];

describe.each(targets)('$name', (target) => {
  const generic: Case[] = [
    ['an empty body', {}, 400],
    ['an array', [target.valid()], 400],
    ['a bare string', '"hello"', 400],
    ['malformed JSON', '{"a": ', 400],
    ['a 1 MB string', { ...target.valid(), name: MB }, 413],
    ['a NUL character', withNul(target.valid()), 400],
    ['prototype pollution', '{"__proto__": {"admin": true}}', 400],
  ];
  it.each([...generic, ...target.cases])('rejects %s and writes nothing', async (_name, body, status) => {
    const before = await counts();
    isProblem(await send(target.who, target.method, target.url(), body), status);
    expect(await counts()).toEqual(before);
  });

  it('rejects other content types', async () => {
    const before = await counts();
    const r = await send(target.who, target.method, target.url(), '<grid/>', { 'content-type': 'application/xml' });
    isProblem(r, 415);
    expect(await counts()).toEqual(before);
  });
});

describe('bad paths', () => {
  it.each([
    ['POST', '/api/v1/grids/50011700100500/split'],
    ['POST', '/api/v1/grids/abc/staff'],
    ['PUT', "/api/v1/grids/5001170010050'/geometry"],
    ['POST', `${H}/staff/abc/end`],
    ['POST', `${H}/staff/1e5/reveal`],
    ['PUT', '/api/v1/grid-layers/..%2Fetc/grids'],
  ] as const)('%s %s is a 400 problem', async (method, url) => {
    const before = await counts();
    isProblem(await send('zhihui', method, url, { purpose: '联系', parts: [] }), 400);
    expect(await counts()).toEqual(before);
  });
});

describe('hostile text that is valid', () => {
  it('is stored verbatim and harmlessly', async () => {
    const note = `'); DROP TABLE grid_staff; -- 值班 \n第二行`;
    const r = await send('shequ', 'POST', `${H}/staff`, { role: 'other', name: 'Robert\'); DROP TABLE grid_staff;--', note });
    expect(r.status, r.text).toBe(201);
    const list = await p.http.inject({ method: 'GET', url: `${H}/staff`, headers: { authorization: `Bearer ${t.shequ}` } });
    const s = JSON.parse(list.body).staff.find((x: any) => x.id === r.body.id);
    expect(s).toMatchObject({ name: 'Robert\'); DROP TABLE grid_staff;--', note: note.trim() });
  });
});
