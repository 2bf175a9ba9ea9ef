// Surveys (issue 16, item 4): the 平安建设民意调查 template, answers on the web (once per resident) and by
// phone (a worker, for a sampled grid of their territory), results per question and grid, and the safety
// and satisfaction index; bad answers and scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblemStatus, testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeCommunity, homeGrid, neighbourGrid, otherGrid } from '../helpers/fixtures.ts';
import { linkedResident } from './participation-helpers.ts';

let p: TestPlatform;
let shequ: string, wangge: string, otherCommunity: string;
const S = '/api/v1/participation/surveys';

beforeAll(async () => {
  p = await testPlatform('2026-11-16T02:00:00Z');
  [shequ, wangge] = [await p.login('shequ'), await p.login('wangge')];
  otherCommunity = await p.login(`sq${otherGrid.code.slice(0, 12)}`);
}, 120_000);
afterAll(async () => { await p?.close(); });

const answersFor = (survey: any, scale: number, extra: Record<number, unknown> = {}) => survey.questions.map((q: any) => ({
  questionId: q.id,
  ...(q.kind === 'scale' ? { value: scale } : q.kind === 'single' ? { choices: [1] } : q.kind === 'multiple' ? { choices: [0, 1] } : { text: '多安装路灯' }),
  ...(extra[q.seq] as object ?? {}),
}));

describe('平安建设民意调查', () => {
  it('takes web and phone answers by sampled grid and computes the safety and satisfaction index', async () => {
    const c = await p.as(shequ).post(S, { regionCode: homeCommunity.code, title: '2026年第四季度平安建设民意调查', template: 'safety',
      sampleGrids: [homeGrid.code, neighbourGrid.code], quota: 2, opensAt: '2026-11-16T00:00:00Z', closesAt: '2026-11-30T00:00:00Z' });
    expect(c.status, c.text).toBe(201);
    const s = c.body;
    expect(s.questions.map((q: any) => q.kind)).toEqual(['scale', 'scale', 'scale', 'scale', 'multiple', 'single', 'text']);
    const r1 = await linkedResident(p, shequ, homeGrid.code);
    // two copies at once: one response
    const both = await Promise.all([1, 2].map(() => p.as(r1.token).post(`${S}/${s.id}/responses`, { answers: answersFor(s, 5) })));
    expect(both.map((x) => x.status).sort()).toEqual([201, 409]);
    expect((await p.as(r1.token).get(`${S}/${s.id}`)).body.answered).toBe(true);
    // a phone interview entered by the grid worker for their grid; the neighbour grid is not theirs
    expect((await p.as(wangge).post(`${S}/${s.id}/responses`, { gridCode: homeGrid.code, answers: answersFor(s, 3) })).status).toBe(201);
    expectProblemStatus(await p.as(wangge).post(`${S}/${s.id}/responses`, { gridCode: neighbourGrid.code, answers: answersFor(s, 3) }), 422, 'grid_required');
    expect((await p.as(shequ).post(`${S}/${s.id}/responses`, { gridCode: neighbourGrid.code, answers: answersFor(s, 1) })).status).toBe(201);
    const res = (await p.as(shequ).get(`${S}/${s.id}/results`)).body;
    expect(res.responses).toBe(3);
    expect(res.channels).toEqual({ web: 1, phone: 2 });
    // scale 5, 3 and 1 → 100, 50, 0 → 50 on each dimension
    expect(res.index).toEqual({ safety: 50, satisfaction: 50 });
    expect(res.questions[0]).toMatchObject({ mean: 3, distribution: [1, 0, 1, 0, 1] });
    expect(res.questions[4].counts.slice(0, 2)).toEqual([3, 3]);
    expect(res.questions[6].texts).toHaveLength(3);
    // each sampled grid by its name, with the quota and the responses against it
    expect(res.sampling).toEqual([{ gridCode: homeGrid.code, gridName: homeGrid.name, responses: 2, quota: 2 }, { gridCode: neighbourGrid.code, gridName: neighbourGrid.name, responses: 1, quota: 2 }]);
    expect(homeGrid.name).toBeTruthy();
  });

  it('ends a survey early (结束调查): no answers after, audited, only by an organiser of its region', async () => {
    const s = (await p.as(shequ).post(S, { regionCode: homeCommunity.code, title: '2026年平安建设民意调查（提前结束）', template: 'safety',
      opensAt: '2026-11-16T00:00:00Z', closesAt: '2026-12-16T00:00:00Z' })).body;
    expect(s.status).toBe('open');
    // the grid worker enters phone interviews but does not end surveys; another community does not see it
    expectProblemStatus(await p.as(wangge).post(`${S}/${s.id}/close`, {}), 403);
    expectProblemStatus(await p.as(otherCommunity).post(`${S}/${s.id}/close`, {}), 404);
    expectProblemStatus(await p.as(shequ).post(`${S}/99999999/close`, {}), 404);
    const closed = await p.as(shequ).post(`${S}/${s.id}/close`, {});
    expect(closed.status, closed.text).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', closesAt: '2026-11-16T02:00:00.000Z' });
    expect((await p.as(shequ).get(S)).body.items.find((x: any) => x.id === s.id)).toMatchObject({ status: 'closed' });
    expectProblemStatus(await p.as(wangge).post(`${S}/${s.id}/responses`, { gridCode: homeGrid.code, answers: answersFor(s, 4) }), 409, 'survey_not_open');
    const again = await p.as(shequ).post(`${S}/${s.id}/close`, {}, { 'accept-language': 'zh-CN' });
    expectProblemStatus(again, 409, 'survey_closed');
    expect(again.body.detail).toContain('问卷已结束');
    const audit = await p.ctx.db.query<any>('SELECT action FROM audit_log WHERE target = $1', [`survey:${s.id}`]);
    expect(audit.map((a) => a.action)).toEqual(['participation.survey.close']);
    // one not yet open ends unopened
    const later = (await p.as(shequ).post(S, { regionCode: homeCommunity.code, title: '明年的调查', template: 'safety', opensAt: '2027-01-01T00:00:00Z', closesAt: '2027-02-01T00:00:00Z' })).body;
    expect(later.status).toBe('upcoming');
    expect((await p.as(shequ).post(`${S}/${later.id}/close`, {})).body.status).toBe('closed');
    // hostile ids and bodies: 4xx, never 5xx
    for (const bad of ['abc', '-1', '1e99', '%00']) expect((await p.as(shequ).post(`${S}/${bad}/close`, {})).status).toBeLessThan(500);
    expect((await p.as(shequ).post(`${S}/${s.id}/close`, { note: 'x'.repeat(10_000) })).status).toBe(400);
  });

  it('refuses a second survey of one title beside an open one in the same region (409, in both languages); once that ends, or elsewhere, it starts', async () => {
    const title = '2026年11月平安建设民意调查';
    const body = (extra: Record<string, unknown> = {}) => ({ regionCode: homeCommunity.code, title, template: 'safety', opensAt: '2026-11-16T00:00:00Z', closesAt: '2026-12-16T00:00:00Z', ...extra });
    const first = await p.as(shequ).post(S, body());
    expect(first.status, first.text).toBe(201);
    // the same title again, while the first runs: refused, nothing written, in the user's language
    const count = async () => (await p.ctx.db.query<any>('SELECT count(*)::int AS n FROM pt_survey WHERE title = $1', [title]))[0].n;
    const zh = await p.as(shequ).post(S, body(), { 'accept-language': 'zh-CN' });
    expectProblemStatus(zh, 409, 'survey_title_taken');
    expect(zh.body.detail).toContain(`本辖区已有一份“${title}”正在进行`);
    const en = await p.as(shequ).post(S, body({ title: `  ${title} ` }));
    expectProblemStatus(en, 409, 'survey_title_taken');
    expect(en.body.detail).toContain('already running in this region');
    expect(en.body.surveyId).toBe(first.body.id);
    // one not yet open counts too (it would run beside the first)
    expectProblemStatus(await p.as(shequ).post(S, body({ opensAt: '2026-12-01T00:00:00Z' })), 409, 'survey_title_taken');
    // two starts at once: one survey
    const twice = await Promise.all([1, 2].map(() => p.as(shequ).post(S, body({ title: '2026年11月居民满意度调查' }))));
    expect(twice.map((x) => x.status).sort()).toEqual([201, 409]);
    expect(await count()).toBe(1);
    // another title, or another region (the other community), starts
    expect((await p.as(shequ).post(S, body({ title: '2026年11月营盘街社区平安建设民意调查' }))).status).toBe(201);
    expect((await p.as(otherCommunity).post(S, body({ regionCode: otherGrid.code.slice(0, 12) }))).status).toBe(201);
    // once the first has ended, the title is free again
    expect((await p.as(shequ).post(`${S}/${first.body.id}/close`, {})).status).toBe(200);
    const after = await p.as(shequ).post(S, body());
    expect(after.status, after.text).toBe(201);
  });

  it('refuses bad answers, missing required ones, unsampled grids, closed surveys and other territories', async () => {
    const s = (await p.as(shequ).post(S, { regionCode: homeCommunity.code, title: '居民需求调查', sampleGrids: [neighbourGrid.code],
      questions: [{ kind: 'single', text: '您最需要哪项服务？', options: ['助餐', '助医'] }, { kind: 'scale', text: '满意度', scaleMax: 5 }],
      opensAt: '2026-11-16T00:00:00Z', closesAt: '2026-11-17T00:00:00Z' })).body;
    const r = await linkedResident(p, shequ, neighbourGrid.code);
    const [q1, q2] = s.questions;
    expectProblemStatus(await p.as(r.token).post(`${S}/${s.id}/responses`, { answers: [{ questionId: q1.id, choices: [5] }, { questionId: q2.id, value: 3 }] }), 422, 'bad_answer');
    expectProblemStatus(await p.as(r.token).post(`${S}/${s.id}/responses`, { answers: [{ questionId: q1.id, choices: [0] }, { questionId: q2.id, value: 9 }] }), 422, 'bad_answer');
    expectProblemStatus(await p.as(r.token).post(`${S}/${s.id}/responses`, { answers: [{ questionId: q1.id, choices: [0] }] }), 422, 'answer_missing');
    const home = await linkedResident(p, shequ, homeGrid.code);
    expectProblemStatus(await p.as(home.token).post(`${S}/${s.id}/responses`, { answers: [{ questionId: q1.id, choices: [0] }, { questionId: q2.id, value: 3 }] }), 422, 'not_sampled');
    expect((await p.ctx.db.query<any>('SELECT count(*)::int AS n FROM pt_survey_response WHERE survey_id = $1', [s.id]))[0].n).toBe(0);
    expectProblemStatus(await p.as(otherCommunity).get(`${S}/${s.id}/results`), 404);
    expectProblemStatus(await p.as(shequ).post(S, { regionCode: homeCommunity.code, title: '空问卷', opensAt: '2026-11-16T00:00:00Z', closesAt: '2026-11-17T00:00:00Z' }), 422, 'no_questions');
    p.clock.set('2026-11-17T00:00:01Z');
    try {
      expectProblemStatus(await p.as(await p.login('shequ')).post(`${S}/${s.id}/responses`, { gridCode: neighbourGrid.code, answers: [{ questionId: q1.id, choices: [0] }, { questionId: q2.id, value: 3 }] }), 409, 'survey_not_open');
    } finally { p.clock.set('2026-11-16T02:00:00Z'); }
  });
});
