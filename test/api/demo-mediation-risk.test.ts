// The demo city's mediation and risk data (src/modules/mediation/demo.ts, src/modules/risk/demo.ts), made
// through the modules' own services: a new user of the demo finds the first street's risk register filled
// with hazards and factors of instability in every stage, and the petition docked from a failed mediation
// showing how that mediation went.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { buildDemoRegions } from '../../src/modules/regions/demo-region-data.ts';
import { getActor } from '../../src/platform/auth/service.ts';
import { readPetitionLimits, seedMediationCases, seedMediationDemo } from '../../src/modules/mediation/index.ts';
import { seedRiskRegister } from '../../src/modules/risk/index.ts';
import { grids, homeCommunity, homeGrid, otherStreet } from '../helpers/fixtures.ts';

let p: TestPlatform;
const as = async (username: string) => {
  const [u] = await p.ctx.db.query<{ id: number }>('SELECT id FROM app_user WHERE username = $1', [username]);
  return (await getActor(p.ctx.db, Number(u.id)))!;
};

beforeAll(async () => {
  p = await testPlatform('2026-12-05T02:00:00Z');
  await seedMediationDemo(p.ctx.db, p.ctx.cipher, buildDemoRegions());
  await seedMediationCases({ ctx: p.ctx, cases: p.cases, limits: readPetitionLimits() }, as, homeGrid.code);
  expect(await seedRiskRegister(p.cases, as, grids.filter((g) => g.parentCode === homeCommunity.code))).toBe(7);
}, 120_000);
afterAll(async () => { await p?.close(); });

describe('the demo risk register', () => {
  it('holds hazards and factors of instability of the first street, waiting, being rectified and written off, on the map', async () => {
    const jiedao = p.as(await p.login('jiedao'));
    const r = await jiedao.get('/api/v1/risk/hazards?pageSize=50');
    expect(r.status, r.text).toBe(200);
    const items = r.body.items;
    expect(items).toHaveLength(7);
    // red first, every level present, both kinds, several sources
    expect(items.map((h: any) => h.level)).toEqual(['red', 'red', 'orange', 'orange', 'yellow', 'yellow', 'blue']);
    expect(items.filter((h: any) => h.kind === 'instability').map((h: any) => h.title)).toEqual(expect.arrayContaining(['建筑工地拖欠农民工工资', '小区改造停车位分配引发聚集苗头']));
    expect(new Set(items.map((h: any) => h.source))).toEqual(new Set(['daily_check', 'inspection', 'grid_report', 'petition', 'weekly_review']));
    // the register's stages are the case engine's: to be tasked, being rectified by the department, written off
    const byState = (s: string) => items.filter((h: any) => h.state === s).map((h: any) => h.title);
    expect(byState('logged')).toHaveLength(3);
    expect(byState('tasked')).toEqual(expect.arrayContaining(['嘉陵路老旧小区燃气立管锈蚀', '滨江路危旧房屋墙体开裂', '建筑工地拖欠农民工工资']));
    expect(byState('written_off')).toEqual(['3栋楼道电动车飞线充电']);
    const gas = items.find((h: any) => h.title === '嘉陵路老旧小区燃气立管锈蚀');
    expect(gas).toMatchObject({ leadUnitId: 'dept-ranqi', caseNo: expect.stringMatching(/^YH/), isOpen: true, rectifyBy: '2026-12-06' });
    // each is a point on the register's map, in the home community
    for (const h of items) {
      expect(h.regionCode.startsWith(homeCommunity.code), h.title).toBe(true);
      expect([typeof h.lat, typeof h.lng], h.title).toEqual(['number', 'number']);
    }
    // worked through the engine's steps, each a fact of the case's timeline
    const steps = (await jiedao.get(`/api/v1/cases/${items.find((h: any) => h.state === 'written_off').caseId}/timeline`)).body.items.map((f: any) => f.action);
    expect(steps).toEqual(['report', 'task_out', 'report_measure', 'report_defused', 'write_off']);
    // the department sees what it was given; another street sees none of it
    const ranqi = (await p.as(await p.login('ranqi')).get('/api/v1/risk/hazards')).body.items.map((h: any) => h.caseId);
    expect(ranqi).toEqual([gas.caseId]);
    expect((await p.as(await p.login(`jd${otherStreet.code}`)).get('/api/v1/risk/hazards')).body.items).toEqual([]);
  });
});

describe('the demo petition docked from a mediation', () => {
  it('shows how the mediation went: the room, the investigation, the session, the failure and the docking', async () => {
    const jiedao = p.as(await p.login('jiedao'));
    const list = (await jiedao.get('/api/v1/petitions?pageSize=50')).body.items;
    const docked = list.find((x: any) => x.title === '拖欠装修款纠纷');
    const v = (await jiedao.get(`/api/v1/petitions/${docked.id}`)).body;
    expect(v.dockedFrom.caseNo).toMatch(/^TJ/);
    expect(v.dockedFrom.mediation).toMatchObject({ organisation: { name: '老赵调解室', level: 'community' }, leadMediator: '赵建国' });
    expect(v.dockedFrom.mediation.steps.map((s: any) => s.kind)).toEqual(['received', 'acceptance', 'investigation', 'session', 'failed', 'docked']);
  });
});
