// Scope matrix for every grid endpoint: ten users, each endpoint either works for them (2xx, or a
// validation error that shows they got past the scope check), is refused for their role (403), or
// does not exist for them (404) — and lists show them nothing outside their region.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type Method, type TestPlatform, type Res } from '../helpers/platform.ts';
import { homeCommunity, homeGrid, homeStreet, neighbourGrid, otherStreet, pointIn } from '../helpers/fixtures.ts';
import { seedGridBase } from '../../src/modules/regions/grids/index.ts';
import { ensureAdmin } from '../../src/platform/auth/bootstrap.ts';
import { splitConvex, type LngLat } from '../../src/modules/regions/geometry.ts';

let p: TestPlatform;
const t: Record<string, string> = {};
const users = {
  wangge: 'wangge', neighbour: `wg${neighbourGrid.code}`, shequ: 'shequ', jiedao: 'jiedao', otherStreet: `jd${otherStreet.code}`,
  zhihui: 'zhihui', rexian: 'rexian', chengguan: 'chengguan', jumin: 'jumin', admin: 'admin',
};
type Who = keyof typeof users;
const everyone = Object.keys(users) as Who[];

const req = (who: Who, method: Method, url: string, body?: unknown) => p.as(t[who]).send(method, url, body);

const open = (g: { polygon?: number[][][] }): LngLat[] => (g.polygon![0].slice(0, -1) as LngLat[]);
const polygon = (ring: LngLat[]) => ({ type: 'Polygon', coordinates: [[...ring, ring[0]]] });
const square = ([x, y]: [number, number], h: number): LngLat[] => [[x - h, y - h], [x + h, y - h], [x + h, y + h], [x - h, y + h]];
const home = pointIn(homeGrid);
const c = homeGrid.centroid as [number, number];
const [west, east] = splitConvex(open(homeGrid), 1, 0, c[0]);
const [eastLow] = splitConvex(east, 0, 1, c[1]);
const H = `/api/v1/grids/${homeGrid.code}`;
let staffId: number, memberId: number, patrolId: number, visitId: number;
const newCode: Partial<Record<Who, string>> = { jiedao: `${homeCommunity.code}21`, zhihui: `${homeCommunity.code}22`, admin: `${homeCommunity.code}23` };

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  await seedGridBase(p.ctx.db);
  await ensureAdmin(p.ctx.db, 'admin-secret-2026');
  for (const [k, u] of Object.entries(users)) t[k] = await p.login(u, k === 'admin' ? 'admin-secret-2026' : undefined);
  staffId = (await req('shequ', 'POST', `${H}/staff`, { role: 'grid_leader', name: '刘洋', phone: '13800001234' })).body.id;
  memberId = (await req('shequ', 'POST', `${H}/party-members`, { name: '陈明', branch: '第一党支部', registeredOn: '2026-01-05' })).body.id;
  patrolId = (await req('wangge', 'POST', '/api/v1/patrols', { startedAt: '2026-11-16T00:00:00Z', endedAt: '2026-11-16T00:30:00Z', track: [{ ...home, at: '2026-11-16T00:10:00Z' }] })).body.id;
  visitId = (await req('wangge', 'POST', '/api/v1/visits', { ...home, householdRef: 'HH-1', result: 'visited' })).body.id;
  await req('wangge', 'POST', '/api/v1/patrols/check-in', home);
  expect((await req('zhihui', 'POST', '/api/v1/grid-layers', { id: 'jingwu-street', kind: 'police', name: '警务网格', regionCode: homeStreet.code })).status).toBe(201);
  const cells = { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: polygon(open(homeGrid)), properties: { code: 'JW-1', name: '警务一区', grids: [homeGrid.code] } }] };
  expect((await req('zhihui', 'PUT', '/api/v1/grid-layers/jingwu-street/grids', cells)).status).toBe(200);
  expect([staffId, memberId, patrolId, visitId].every((x) => Number.isInteger(x))).toBe(true);
}, 120_000);
afterAll(async () => { await p?.close(); });

interface Endpoint {
  name: string;
  run: (who: Who) => Promise<Res>;
  /** Who gets past role and scope; everyone else gets `hidden` → 404, the rest 403. */
  allowed: Who[];
  hidden: Who[];
  /** Status of an allowed call (default 2xx). */
  okStatus?: number;
  /** Extra check on an allowed response. */
  check?: (r: Res, who: Who) => void;
}

const gridReaders: Who[] = ['wangge', 'shequ', 'jiedao', 'zhihui', 'rexian', 'admin'];
const patrolReaders: Who[] = ['wangge', 'shequ', 'jiedao', 'zhihui', 'admin'];
const gridWriters: Who[] = ['jiedao', 'zhihui', 'admin'];
const managers: Who[] = ['shequ', 'jiedao', 'zhihui', 'admin'];
const outsiders: Who[] = ['neighbour', 'otherStreet'];
const staffEnds: Partial<Record<Who, number>> = {};

const endpoints: Endpoint[] = [
  { name: 'GET /grids/:code', run: (w) => req(w, 'GET', H), allowed: gridReaders, hidden: outsiders, check: (r) => expect(r.body.code).toBe(homeGrid.code) },
  { name: 'GET /grids/:code/history', run: (w) => req(w, 'GET', `${H}/history`), allowed: gridReaders, hidden: outsiders },
  { name: 'GET /grids/:code/layers', run: (w) => req(w, 'GET', `${H}/layers`), allowed: gridReaders, hidden: outsiders, check: (r) => expect(r.body.items.map((x: any) => x.cellCode)).toEqual(['JW-1']) },
  { name: 'GET /grids/:code/staff', run: (w) => req(w, 'GET', `${H}/staff`), allowed: gridReaders, hidden: outsiders, check: (r) => expect(r.body.staff.map((s: any) => s.id)).toContain(staffId) },
  { name: 'GET /grids/coverage', run: (w) => req(w, 'GET', `/api/v1/grids/coverage?region=${homeGrid.code}`), allowed: patrolReaders, hidden: outsiders, check: (r) => expect(r.body.items).toMatchObject([{ gridCode: homeGrid.code, visited: 1 }]) },
  { name: 'GET /patrols', run: (w) => req(w, 'GET', `/api/v1/patrols?region=${homeGrid.code}`), allowed: patrolReaders, hidden: outsiders, check: (r) => expect(r.body.items.map((x: any) => x.id)).toEqual([patrolId]) },
  { name: 'GET /patrols/:id', run: (w) => req(w, 'GET', `/api/v1/patrols/${patrolId}`), allowed: patrolReaders, hidden: outsiders },
  { name: 'GET /patrols/check-ins', run: (w) => req(w, 'GET', `/api/v1/patrols/check-ins?region=${homeGrid.code}`), allowed: patrolReaders, hidden: outsiders, check: (r) => expect(r.body.items).toHaveLength(1) },
  { name: 'GET /visits', run: (w) => req(w, 'GET', `/api/v1/visits?region=${homeGrid.code}`), allowed: patrolReaders, hidden: outsiders, check: (r) => expect(r.body.items.map((x: any) => x.id)).toEqual([visitId]) },
  {
    name: 'GET /grid-layers', run: (w) => req(w, 'GET', '/api/v1/grid-layers'), allowed: everyone.filter((w) => w !== 'jumin'), hidden: [],
    check: (r, w) => expect(r.body.items.map((l: any) => l.id)).toEqual(w === 'otherStreet' ? [] : ['jingwu-street']),
  },
  {
    name: 'GET /grid-layers/:id/grids', run: (w) => req(w, 'GET', '/api/v1/grid-layers/jingwu-street/grids'),
    allowed: everyone.filter((w) => w !== 'jumin' && w !== 'otherStreet'), hidden: ['otherStreet'],
    check: (r, w) => expect(r.body.features.map((f: any) => f.id)).toEqual(w === 'neighbour' ? [] : ['JW-1']),
  },
  {
    name: 'GET /grid-layers/:id/mapping', run: (w) => req(w, 'GET', '/api/v1/grid-layers/jingwu-street/mapping'),
    allowed: everyone.filter((w) => w !== 'jumin' && w !== 'otherStreet'), hidden: ['otherStreet'],
    check: (r, w) => expect(r.body.items.map((m: any) => m.gridCode)).toEqual(w === 'neighbour' ? [] : [homeGrid.code]),
  },
  {
    name: 'POST /grids/import', allowed: gridWriters, hidden: [], okStatus: 201,
    run: (w) => req(w, 'POST', '/api/v1/grids/import', { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: polygon(square([c[0] + 0.0003, c[1]], 0.00005)), properties: { code: newCode[w] ?? `${homeCommunity.code}29`, name: '专属网格', kind: 'dedicated' } }] }),
  },
  { name: 'PUT /grids/:code/geometry', allowed: gridWriters, hidden: ['otherStreet'], okStatus: 200, run: (w) => req(w, 'PUT', `${H}/geometry`, { geometry: polygon(open(homeGrid)) }) },
  { name: 'POST /grids/:code/split', allowed: gridWriters, hidden: ['otherStreet'], okStatus: 422, run: (w) => req(w, 'POST', `${H}/split`, { parts: [{ geometry: polygon(west), name: 'A' }, { geometry: polygon(eastLow), name: 'B' }] }) },
  { name: 'POST /grids/merge', allowed: gridWriters, hidden: ['otherStreet'], okStatus: 422, run: (w) => req(w, 'POST', '/api/v1/grids/merge', { codes: [homeGrid.code, neighbourGrid.code], name: 'x', geometry: polygon(square(c, 0.0001)) }) },
  { name: 'PUT /grids/:code/households', allowed: managers, hidden: ['otherStreet'], okStatus: 200, run: (w) => req(w, 'PUT', `${H}/households`, { households: 420 }) },
  { name: 'POST /grids/:code/staff', allowed: managers, hidden: ['otherStreet'], okStatus: 201, run: (w) => req(w, 'POST', `${H}/staff`, { role: 'part_time', name: `兼职网格员${w}` }), check: (r, w) => { staffEnds[w] = r.body.id; } },
  { name: 'POST /grids/:code/staff/:id/end', allowed: managers, hidden: ['otherStreet'], okStatus: 200, run: (w) => req(w, 'POST', `${H}/staff/${staffEnds[w] ?? staffId}/end`, {}) },
  { name: 'POST /grids/:code/staff/:id/reveal', allowed: managers, hidden: ['otherStreet'], okStatus: 200, run: (w) => req(w, 'POST', `${H}/staff/${staffId}/reveal`, { purpose: '联系网格长' }), check: (r) => expect(r.body.phone).toBe('13800001234') },
  { name: 'POST /grids/:code/party-members', allowed: managers, hidden: ['otherStreet'], okStatus: 201, run: (w) => req(w, 'POST', `${H}/party-members`, { name: `党员${w}`, branch: '第二党支部' }) },
  { name: 'POST /grids/:code/party-members/:id/services', allowed: ['wangge', ...managers], hidden: outsiders, okStatus: 201, run: (w) => req(w, 'POST', `${H}/party-members/${memberId}/services`, { servedOn: '2026-11-15', description: '志愿服务' }) },
  { name: 'POST /grid-layers', allowed: ['zhihui', 'admin'], hidden: [], okStatus: 201, run: (w) => req(w, 'POST', '/api/v1/grid-layers', { id: `xiaofang-${w.toLowerCase()}`, kind: 'fire', name: '消防网格', regionCode: '500117' }) },
  {
    name: 'PUT /grid-layers/:id/grids', allowed: ['zhihui', 'admin'], hidden: [], okStatus: 200,
    run: (w) => req(w, 'PUT', '/api/v1/grid-layers/jingwu-street/grids', { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: polygon(open(homeGrid)), properties: { code: 'JW-1', name: '警务一区', grids: [homeGrid.code] } }] }),
  },
  { name: 'POST /patrols/check-in', allowed: ['wangge', 'neighbour', 'shequ'], hidden: [], okStatus: 201, run: (w) => req(w, 'POST', '/api/v1/patrols/check-in', home) },
  { name: 'POST /patrols', allowed: ['wangge', 'neighbour', 'shequ'], hidden: [], okStatus: 201, run: (w) => req(w, 'POST', '/api/v1/patrols', { startedAt: '2026-11-16T00:00:00Z', endedAt: '2026-11-16T00:20:00Z', track: [] }) },
];

describe.each(endpoints)('$name', (e) => {
  it.each(everyone)('for %s', async (who) => {
    const r = await e.run(who);
    if (e.allowed.includes(who)) {
      if (e.okStatus) expect(r.status, r.text.slice(0, 300)).toBe(e.okStatus);
      else expect(r.status, r.text.slice(0, 300)).toBe(200);
      e.check?.(r, who);
    } else {
      expect(r.status, r.text.slice(0, 300)).toBe(e.hidden.includes(who) ? 404 : 403);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.text).not.toContain(homeGrid.name);
      expect(r.text).not.toContain('13800001234');
    }
  });
});

describe('a refusal by role names what the role may not do', () => {
  it('tells a resident who tries to split a grid, in Chinese by default and in English when asked', async () => {
    const split = (lang: string) => p.as(t.jumin).send('POST', `${H}/split`, { parts: [{ geometry: polygon(west), name: 'A' }, { geometry: polygon(eastLow), name: 'B' }] }, { 'accept-language': lang });
    const zh = await split('zh-CN');
    expect(zh.status, zh.text).toBe(403);
    expect(zh.body).toMatchObject({ code: 'forbidden', detail: '当前角色（居民）无权调整网格边界。' });
    expect((await split('en')).body.detail).toBe('Your role (resident) may not change grid geometry.');
  });
});

describe('visits are for the household’s own grid', () => {
  it.each(everyone)('for %s', async (who) => {
    const r = await req(who, 'POST', '/api/v1/visits', { ...home, householdRef: `HH-${who}`, result: 'visited' });
    if (who === 'wangge' || who === 'shequ') expect(r.status, r.text).toBe(201);
    else {
      expect(r.status).toBe(403);
      expect(r.body.code).toBe(who === 'neighbour' ? 'outside_scope' : 'forbidden');
    }
  });
});

describe('lists without a region show each user their own region only', () => {
  it('keeps the home grid’s patrols, visits and check-ins from the neighbour grid and the other street', async () => {
    for (const who of ['neighbour', 'otherStreet'] as Who[]) {
      expect((await req(who, 'GET', '/api/v1/patrols')).body.items.map((x: any) => x.id)).not.toContain(patrolId);
      expect((await req(who, 'GET', '/api/v1/visits')).body.items.map((x: any) => x.id)).not.toContain(visitId);
      const own = who === 'neighbour' ? neighbourGrid.code : otherStreet.code;
      expect((await req(who, 'GET', '/api/v1/patrols/check-ins')).body.items.every((x: any) => x.ownRegion.startsWith(own))).toBe(true);
      expect((await req(who, 'GET', '/api/v1/grids/coverage')).body.items.map((x: any) => x.gridCode)).not.toContain(homeGrid.code);
    }
    expect((await req('jiedao', 'GET', '/api/v1/patrols')).body.items.map((x: any) => x.id)).toContain(patrolId);
  });
});
