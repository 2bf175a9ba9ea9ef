// Intelligent routing: suggestions from text, retraining from closed cases, 自动派单 recorded as the
// system, duplicate candidates and hotspots — who may see and do what, bad input, nothing leaked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { testPlatform, type TestPlatform, type Res } from '../helpers/platform.ts';
import { homeCommunity, homeGrid, homeStreet, otherGrid, otherStreet, pointIn } from '../helpers/fixtures.ts';
import { seedCases } from '../../src/seed/demo.ts';
import { buildDemoRegions } from '../../src/modules/regions/demo-region-data.ts';
import { loadModel, predict } from '../../src/modules/intelligence/classifier.ts';
import { suggestRoute } from '../../src/modules/cases/routing.ts';

const dataDir = `.tmp/intelligence-${randomBytes(4).toString('hex')}`;
const MB = 'x'.repeat(1024 * 1024);
let p: TestPlatform;
const t: Record<string, string> = {};
const users = {
  op: 'rexian', district: 'zhihui', street: 'jiedao', otherStreet: `jd${otherStreet.code}`, community: 'shequ',
  dept: 'chengguan', otherDept: 'zhujian', resident: 'jumin',
};
const at = (g: typeof homeGrid, dLat = 0) => ({ lng: pointIn(g).lng, lat: pointIn(g).lat + dLat });
let phone = 13800001000;

function problem(r: Res, status: number, code?: string) {
  expect(r.status, r.text).toBe(status);
  expect(r.headers['content-type']).toContain('application/problem+json');
  if (code) expect(r.body.code).toBe(code);
}
async function report(who: string, title: string, where: { lat: number; lng: number }, extra: Record<string, unknown> = {}) {
  const r = await p.as(t[who]).post('/api/v1/cases', {
    categoryCode: '020501', title, description: `${title}，请尽快处理。`, ...where, reporter: { phone: String(phone++) }, ...extra,
  });
  expect(r.status, r.text).toBe(201);
  return r.body;
}

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z', { GONGZHI_DATA_DIR: dataDir, GONGZHI_AUTO_DISPATCH_THRESHOLD: '0.9' });
  // the demo city's ~300 cases, through the real engine
  await seedCases(p, buildDemoRegions(), 300);
  for (const [k, u] of Object.entries(users)) if (k !== 'admin') t[k] = await p.login(u);
}, 180_000);
afterAll(async () => { await p?.close(); rmSync(dataDir, { recursive: true, force: true }); });

const ids: Record<string, number> = {};

describe('before any model is trained', () => {
  it('still answers with the responsibility list and says no text model is available (suggestions from the category tree)', async () => {
    const c = await report('op', '南津街菜市场门口流动摊贩占道经营，堵塞交通', at(homeGrid));
    ids.D1 = c.id;
    expect(c.state).toBe('reported'); // no model: no 自动派单
    const r = await p.as(t.op).get(`/api/v1/cases/${c.id}/routing/suggestions`);
    expect(r.status, r.text).toBe(200);
    expect(r.body.model).toBeNull();
    // no model yet: the category tree's names and keywords suggest (占道, 摊贩 → 占道经营)
    expect(r.body.source).toBe('keywords');
    expect(r.body.suggestions[0]).toMatchObject({ categoryCode: '020501', isCurrentCategory: true });
    expect(r.body.responsibilityList).toMatchObject({ leadUnitId: 'dept-chengguan', source: 'responsibility_list', lead: { id: 'dept-chengguan' } });
    expect(r.body.autoDispatchThreshold).toBe(0.9);
    const m = await p.as(t.district).get('/api/v1/intelligence/model');
    expect(m.status, m.text).toBe(200);
    expect(m.body).toEqual({ model: null, autoDispatchThreshold: 0.9 });
  });
});

describe('GET /api/v1/cases/{id}/duplicates', () => {
  beforeAll(async () => {
    ids.D2 = (await report('op', '南津街菜市场门口有流动摊贩占道经营，车辆无法通行', at(homeGrid, 0.0005))).id; // ≈55 m away
    ids.far = (await report('op', '南津街菜市场门口流动摊贩占道经营，堵塞交通', at(otherGrid))).id; // same words, another street
    ids.other = (await report('op', '楼上住户深夜装修噪音扰民', at(homeGrid, 0.0003), { categoryCode: '020501' })).id;
  });

  it('offers the similar open case nearby with its score and parts, and how to merge into it', async () => {
    const r = await p.as(t.op).get(`/api/v1/cases/${ids.D2}/duplicates`);
    expect(r.status, r.text).toBe(200);
    const found = r.body.items.map((i: any) => i.id);
    expect(found).toContain(ids.D1);
    expect(found).not.toContain(ids.far);
    expect(found).not.toContain(ids.other);
    const d1 = r.body.items.find((i: any) => i.id === ids.D1);
    expect(d1.parts.text).toBeGreaterThan(0.3);
    expect(d1.distanceMeters).toBeGreaterThan(30);
    expect(d1.distanceMeters).toBeLessThan(80);
    expect(d1.score).toBeGreaterThan(0.45);
    expect(r.body.canMerge).toBe(true);
    expect(d1.merge).toEqual({ method: 'POST', href: `/api/v1/cases/${ids.D2}/actions/merge`, body: { intoCaseId: ids.D1 } });
    // following the link merges through the case engine
    const m = await p.as(t.op).post(d1.merge.href, d1.merge.body);
    expect(m.status, m.text).toBe(200);
    expect(m.body.case.state).toBe('merged');
  });

  it('is scoped as the case itself: out of scope is 404 with nothing about the case; residents are refused', async () => {
    for (const who of ['otherStreet', 'otherDept']) {
      const r = await p.as(t[who]).get(`/api/v1/cases/${ids.D1}/duplicates`);
      problem(r, 404, 'not_found');
      expect(r.text).not.toContain('南津街');
    }
    problem(await p.as(t.resident).get(`/api/v1/cases/${ids.D1}/duplicates`), 403, 'forbidden');
    problem(await p.as(null).get(`/api/v1/cases/${ids.D1}/duplicates`), 401, 'unauthenticated');
    // the other street's centre only ever sees candidates in its own street
    const own = await p.as(t.otherStreet).get(`/api/v1/cases/${ids.far}/duplicates`);
    expect(own.status, own.text).toBe(200);
    expect(own.body.items.map((i: any) => i.id)).not.toContain(ids.D1);
  });

  it('refuses bad input with a stable code', async () => {
    for (const qs of ['radius=abc', 'radius=999999', 'days=0', 'limit=1.5', 'bogus=1', `radius=${'9'.repeat(5000)}`]) {
      problem(await p.as(t.op).get(`/api/v1/cases/${ids.D1}/duplicates?${qs}`), 400, 'validation_failed');
    }
    problem(await p.as(t.op).get('/api/v1/cases/abc/duplicates'), 400, 'validation_failed');
  });
});

describe('GET /api/v1/intelligence/hotspots', () => {
  beforeAll(async () => {
    await report('op', '南津街菜市场门口流动摊贩又来占道经营了，堵塞交通', at(homeGrid, 0.0002));
  });

  it('lists repeated complaints in one community from several people as a hotspot, for the command centre', async () => {
    const r = await p.as(t.district).get('/api/v1/intelligence/hotspots');
    expect(r.status, r.text).toBe(200);
    const h = r.body.items.find((x: any) => x.areaCode === homeCommunity.code && x.categoryCode === '020501');
    expect(h, JSON.stringify(r.body.items)).toBeTruthy();
    expect(h.caseIds).toEqual(expect.arrayContaining([ids.D1, ids.D2])); // a merged duplicate still counts as a complaint
    expect(h.caseIds).not.toContain(ids.other);
    expect(h.count).toBeGreaterThanOrEqual(3);
    expect(h.reporters).toBeGreaterThanOrEqual(3);
    expect(h.heat).toBeGreaterThan(0);
    expect(h.categoryName.zh).toBe('占道经营');
    expect(h.title).toContain('南津街');
    for (let i = 1; i < r.body.items.length; i++) expect(r.body.items[i - 1].heat).toBeGreaterThanOrEqual(r.body.items[i].heat);
  });

  it('counts only the user\'s own territory', async () => {
    const own = await p.as(t.community).get('/api/v1/intelligence/hotspots');
    expect(own.status).toBe(200);
    expect(own.body.items.some((x: any) => x.areaCode === homeCommunity.code)).toBe(true);
    const other = await p.as(t.otherStreet).get('/api/v1/intelligence/hotspots');
    expect(other.status).toBe(200);
    for (const x of other.body.items) expect(x.areaCode.startsWith(otherStreet.code)).toBe(true);
    expect(JSON.stringify(other.body)).not.toContain(String(ids.D1));
    // asking for a region outside one's territory gives nothing
    const outside = await p.as(t.otherStreet).get(`/api/v1/intelligence/hotspots?region=${homeStreet.code}`);
    expect(outside.body.items).toEqual([]);
    problem(await p.as(t.dept).get('/api/v1/intelligence/hotspots'), 403, 'forbidden');
    problem(await p.as(t.resident).get('/api/v1/intelligence/hotspots'), 403, 'forbidden');
  });

  it('counts hotspots of a city as of a district (the dashboard of a city or province administrator)', async () => {
    const city = await p.login('city'); // 市运管中心, whose region is the city 5001
    const r = await p.as(city).get('/api/v1/intelligence/hotspots?region=5001');
    expect(r.status, r.text).toBe(200);
    expect(r.body.items.length).toBeGreaterThan(0);
    expect(r.body.items).toEqual((await p.as(city).get('/api/v1/intelligence/hotspots?region=500117')).body.items);
  });

  it('counts hotspots of a city as of a district (the dashboard of a city or province administrator)', async () => {
    const city = await p.login('city'); // 市运管中心, whose region is the city 5001
    const r = await p.as(city).get('/api/v1/intelligence/hotspots?region=5001');
    expect(r.status, r.text).toBe(200);
    expect(r.body.items.length).toBeGreaterThan(0);
    expect(r.body.items).toEqual((await p.as(city).get('/api/v1/intelligence/hotspots?region=500117')).body.items);
  });

  it('refuses bad input with a stable code', async () => {
    for (const qs of ['days=0', 'days=x', 'limit=1000', 'minCases=1', 'region=abc', `region=${'1'.repeat(100_000)}`, 'bogus=1']) {
      problem(await p.as(t.district).get(`/api/v1/intelligence/hotspots?${qs}`), 400, 'validation_failed');
    }
  });
});

describe('POST /api/v1/intelligence/model/retrain', () => {
  it('is refused to everyone but administrators and the command centre, and bad bodies change nothing', async () => {
    for (const who of ['op', 'street', 'community', 'dept', 'resident']) {
      problem(await p.as(t[who]).post('/api/v1/intelligence/model/retrain', {}), 403, 'forbidden');
    }
    problem(await p.as(null).post('/api/v1/intelligence/model/retrain', {}), 401, 'unauthenticated');
    problem(await p.as(t.district).post('/api/v1/intelligence/model/retrain', { epochs: 100 }), 400, 'validation_failed');
    problem(await p.as(t.district).post('/api/v1/intelligence/model/retrain', [1, 2]), 400, 'validation_failed');
    problem(await p.as(t.district).post('/api/v1/intelligence/model/retrain', { note: MB }), 413);
    expect((await p.as(t.district).get('/api/v1/intelligence/model')).body.model).toBeNull();
    expect(existsSync(join(dataDir, 'models'))).toBe(false);
  });

  it('trains on the closed cases of the demo city, saves a new version and puts it in force', async () => {
    const [{ n }] = await p.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "case" WHERE state = 'closed'`);
    const r = await p.as(t.district).post('/api/v1/intelligence/model/retrain', {});
    expect(r.status, r.text).toBe(200);
    expect(r.body.examples).toBe(n);
    expect(r.body.model.labels).toBeGreaterThan(10);
    expect(r.body.model.version).toMatch(/^classifier-v\d{8}T\d+Z$/);
    expect(r.body.model).not.toHaveProperty('file'); // no server paths
    expect(existsSync(join(dataDir, 'models', `${r.body.model.version}.json.gz`))).toBe(true);
    const m = await p.as(t.op).get('/api/v1/intelligence/model');
    expect(m.body.model).toMatchObject({ version: r.body.model.version, labels: r.body.model.labels, trainingSize: n });
    expect(m.body.model.sizeBytes).toBeGreaterThan(1000);
  });
});

describe('suggestions and 自动派单 with the retrained model', () => {
  let sample: { title: string; description: string; category_code: string; lead: string; confidence: number };

  beforeAll(async () => {
    // a closed hotline case that the model knows well and the responsibility list routes in the home grid
    const model = loadModel(resolve(dataDir, 'models', (await p.as(t.district).get('/api/v1/intelligence/model')).body.model.version + '.json.gz'));
    const table = await p.cases.routing();
    const rows = await p.ctx.db.query<any>(
      `SELECT c.title, c.description, c.category_code FROM "case" c JOIN category k ON k.code = c.category_code
       WHERE c.state = 'closed' AND 'hotline' = ANY(k.case_types) ORDER BY c.id`);
    for (const row of rows) {
      const [top] = predict(model, `${row.title}\n${row.description}`, 1);
      const route = suggestRoute(table, row.category_code, homeGrid.code);
      if (top.label === row.category_code && top.confidence >= 0.95 && route.source === 'responsibility_list') {
        sample = { ...row, lead: route.leadUnitId!, confidence: top.confidence };
        break;
      }
    }
    expect(sample, 'a closed hotline case the model is sure of').toBeTruthy();
  });

  it('shows the top 3 categories with confidence, key words and the unit for each', async () => {
    const c = ids.D1;
    const r = await p.as(t.op).get(`/api/v1/cases/${c}/routing/suggestions`);
    expect(r.status, r.text).toBe(200);
    expect(r.body.model.version).toMatch(/^classifier-v/);
    expect(r.body.suggestions).toHaveLength(3);
    const conf = r.body.suggestions.map((s: any) => s.confidence);
    expect([...conf].sort((a, b) => b - a)).toEqual(conf);
    expect(conf.reduce((a: number, b: number) => a + b, 0)).toBeLessThanOrEqual(1.0001);
    for (const s of r.body.suggestions) {
      expect(s.categoryName.zh).toBeTruthy();
      expect(s.leadUnitId).toBeTruthy();
      expect(s.lead.name).toBeTruthy();
    }
    expect(r.body.suggestions[0].words.length).toBeGreaterThan(0);
    // long shots are marked as not reliable (the console offers only reliable ones); no number or particle as a key word
    expect(r.body.minConfidence).toBe(0.3);
    for (const s of r.body.suggestions) {
      expect(s.reliable).toBe(s.confidence >= r.body.minConfidence);
      for (const w of s.words) expect(w.term).not.toMatch(/^\d+$|^.$/);
    }
  });

  it('is scoped as the case itself', async () => {
    for (const who of ['otherStreet', 'otherDept']) {
      const r = await p.as(t[who]).get(`/api/v1/cases/${ids.D1}/routing/suggestions`);
      problem(r, 404, 'not_found');
      expect(r.text).not.toContain('020501');
    }
    problem(await p.as(t.resident).get(`/api/v1/cases/${ids.D1}/routing/suggestions`), 403, 'forbidden');
    problem(await p.as(t.op).get('/api/v1/cases/999999999/routing/suggestions'), 404, 'not_found');
    problem(await p.as(t.op).get('/api/v1/cases/-1/routing/suggestions'), 400, 'validation_failed');
    // an over-long id never reaches the handler (the router's parameter limit): still a problem, not a 500
    problem(await p.as(t.op).get(`/api/v1/cases/${'9'.repeat(2000)}/routing/suggestions`), 404, 'not_found');
  });

  it('dispatches a new case by itself when the model is sure, recorded as the system with model and confidence', async () => {
    const c = await report('op', sample.title, at(homeGrid), { categoryCode: sample.category_code, description: sample.description });
    expect(c.state).toBe('dispatched');
    expect(c.leadUnitId).toBe(sample.lead);
    const tl = await p.as(t.op).get(`/api/v1/cases/${c.id}/timeline`);
    const d = tl.body.items.find((f: any) => f.action === 'dispatch');
    expect(d).toMatchObject({ actorKind: 'system', actor: null, fromState: 'reported', toState: 'dispatched' });
    const version = (await p.as(t.op).get('/api/v1/intelligence/model')).body.model.version;
    expect(d.note).toContain(version);
    expect(d.note).toMatch(/confidence \d+\.\d%/);
    // the same sure suggestion is offered in the dispatch form, the long shots are not
    const s = (await p.as(t.op).get(`/api/v1/cases/${c.id}/routing/suggestions`)).body;
    expect(s.suggestions[0]).toMatchObject({ leadUnitId: sample.lead, reliable: true });
    expect(s.suggestions.slice(1).every((x: any) => x.reliable === false)).toBe(true);
    // the unit sees it in its inbox like any dispatched case
    const lead = await p.as(t.op).get(`/api/v1/cases/${c.id}`);
    expect(lead.body.assignments).toEqual([expect.objectContaining({ unitId: sample.lead, role: 'lead', status: 'active' })]);
  });

  it('leaves the case for a person when the model disagrees with the reported category', async () => {
    const otherCategory = sample.category_code === '020501' ? '020502' : '020501';
    const c = await report('op', sample.title, at(homeGrid), { categoryCode: otherCategory, description: sample.description });
    expect(c.state).toBe('reported');
  });

  it('never fails the intake: when the dispatch itself fails, the case is simply left reported', async () => {
    await p.ctx.db.query('UPDATE unit SET active = false WHERE id = $1', [sample.lead]);
    try {
      const c = await report('op', sample.title, at(homeGrid), { categoryCode: sample.category_code, description: sample.description });
      expect(c.state).toBe('reported');
      const tl = await p.as(t.op).get(`/api/v1/cases/${c.id}/timeline`);
      expect(tl.body.items.map((f: any) => f.action)).toEqual(['report']);
    } finally {
      await p.ctx.db.query('UPDATE unit SET active = true WHERE id = $1', [sample.lead]);
    }
  });
});
