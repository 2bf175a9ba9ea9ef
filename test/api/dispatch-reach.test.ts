// 派遣的范围 over HTTP (src/modules/cases/reach.ts): a community dispatches only to units within its own
// community (it goes up by 吹哨 otherwise), a street centre to the units of its street and to the district's
// departments, the district anywhere in it; a responsibility rule made for the community's own area lets it
// name that rule's unit. Refusals are 422 unit_out_of_reach in Chinese and English, and change nothing; the
// console's picker lists exactly the allowed units (GET /api/v1/cases/:id/targets).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { ensureAdmin } from '../../src/platform/auth/bootstrap.ts';
import { communities, homeCommunity, homeGrid, homeStreet, otherStreet, pointIn } from '../helpers/fixtures.ts';

let p: TestPlatform;
const t: Record<string, string> = {};
const ownCommunity = `cm-${homeCommunity.code}`;
/** A community of the same street, and one of another street. */
const neighbourCommunity = `cm-${communities.find((c) => c.parentCode === homeStreet.code && c.code !== homeCommunity.code)!.code}`;
const foreignCommunity = `cm-${communities.find((c) => c.parentCode === otherStreet.code)!.code}`;

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  for (const u of ['wangge', 'shequ', 'jiedao', 'zhihui']) t[u] = await p.login(u);
  await ensureAdmin(p.ctx.db, 'admin-secret-2026');
  t.admin = await p.login('admin', 'admin-secret-2026');
});
afterAll(async () => { await p?.close(); });

const act = (who: string, id: number, action: string, body: Record<string, unknown> = {}, headers?: Record<string, string>) =>
  p.as(t[who]).send('POST', `/api/v1/cases/${id}/actions/${action}`, body, headers);

/** A grid event in the home community, accepted (待派遣) by the community. */
async function accepted(): Promise<number> {
  const r = await p.as(t.wangge).post('/api/v1/cases', { categoryCode: '030102', title: '小区路灯不亮', description: '3栋门口两盏路灯不亮。', ...pointIn(homeGrid) });
  expect(r.status, r.text).toBe(201);
  expect((await act('shequ', r.body.id, 'accept')).status).toBe(200);
  return r.body.id;
}

const targets = async (who: string, id: number, action = 'dispatch') => {
  const r = await p.as(t[who]).get(`/api/v1/cases/${id}/targets?action=${action}`);
  expect(r.status, r.text).toBe(200);
  return r.body.items.map((u: any) => u.id) as string[];
};

describe('派遣的范围 (dispatch reach)', () => {
  it('refuses a community a unit of another community, in Chinese and English, and changes nothing', async () => {
    const id = await accepted();
    const zh = await act('shequ', id, 'dispatch', { leadUnitId: neighbourCommunity }, { 'accept-language': 'zh-CN' });
    expect(zh.status, zh.text).toBe(422);
    expect(zh.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(zh.body.code).toBe('unit_out_of_reach');
    expect(zh.body.detail).toMatch(/社区只能派遣给本社区的单位/);
    const en = await act('shequ', id, 'dispatch', { leadUnitId: ownCommunity, assistUnitIds: [foreignCommunity] });
    expect(en.status).toBe(422);
    expect(en.body.code).toBe('unit_out_of_reach');
    expect(en.body.detail).toMatch(/within its own community/);
    // a district department is the street's to dispatch to, or the community's to summon by 吹哨
    expect((await act('shequ', id, 'dispatch', { leadUnitId: 'dept-chengguan' })).body.code).toBe('unit_out_of_reach');
    const c = (await p.as(t.shequ).get(`/api/v1/cases/${id}`)).body;
    expect(c).toMatchObject({ state: 'accepted', leadUnitId: null });
    expect(c.assignments).toEqual([]);
    // its own community unit is within reach
    const ok = await act('shequ', id, 'dispatch', { leadUnitId: ownCommunity });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.case).toMatchObject({ state: 'dispatched', leadUnitId: ownCommunity });
  });

  it('lets a street centre dispatch within its street and to district departments, not to another street', async () => {
    const a = await accepted();
    expect((await act('jiedao', a, 'dispatch', { leadUnitId: foreignCommunity })).body.code).toBe('unit_out_of_reach');
    expect((await act('jiedao', a, 'dispatch', { leadUnitId: `sc-${otherStreet.code}` })).body.code).toBe('unit_out_of_reach');
    const ok = await act('jiedao', a, 'dispatch', { leadUnitId: neighbourCommunity, assistUnitIds: ['dept-chengguan'] });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.case.leadUnitId).toBe(neighbourCommunity);
    // the district's command centre reaches every street
    const b = await accepted();
    expect((await act('zhihui', b, 'dispatch', { leadUnitId: foreignCommunity })).status).toBe(200);
  });

  it('offers in the picker exactly the units each level may dispatch to', async () => {
    const id = await accepted();
    const mine = await targets('shequ', id);
    expect(mine).toContain(ownCommunity);
    expect(mine).not.toContain(neighbourCommunity);
    expect(mine).not.toContain('dept-chengguan');
    const street = await targets('jiedao', id);
    expect(street).toEqual(expect.arrayContaining([ownCommunity, neighbourCommunity, `sc-${homeStreet.code}`, 'dept-chengguan']));
    expect(street).not.toContain(foreignCommunity);
    expect(street).not.toContain(`sc-${otherStreet.code}`);
    const district = await targets('zhihui', id);
    expect(district).toEqual(expect.arrayContaining([foreignCommunity, `sc-${otherStreet.code}`, 'dept-chengguan']));
    expect((await p.as(t.shequ).get(`/api/v1/cases/${id}/targets?action=no_such`)).status).toBe(422);
  });

  it('lets a community name the unit a responsibility rule made for its own community names', async () => {
    const rule = await p.as(t.admin).post('/api/v1/admin/responsibilities', {
      categoryCode: '030102', regionPrefix: homeCommunity.code, leadUnitId: 'dept-wuye', assistUnitIds: [], note: '小区路灯由物业维修',
    });
    expect(rule.status, rule.text).toBe(201);
    const id = await accepted();
    expect(await targets('shequ', id)).toEqual(expect.arrayContaining([ownCommunity, 'dept-wuye']));
    expect((await act('shequ', id, 'dispatch', { leadUnitId: 'dept-chengguan' })).body.code).toBe('unit_out_of_reach');
    const ok = await act('shequ', id, 'dispatch', { leadUnitId: 'dept-wuye' });
    expect(ok.status, ok.text).toBe(200);
  });
});
