// Petitions (信访): intake, calendar-day deadlines from 《信访工作条例》 across the National Day holiday,
// handling by the assigned department, the 复查 window, repeat detection (same person by keyed hash, same
// matter by text similarity) with 重复信访 and 积案 marked, 领导包案, reception days, and a joint meeting
// whose decision becomes a case.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeCommunity, homeGrid, homeStreet, otherStreet } from '../helpers/fixtures.ts';
import { act } from './mediation-helpers.ts';

let p: TestPlatform;
let jiedao: string, zhihui: string, zhujian: string, shequ: string, chengguan: string;
async function logIn() { [jiedao, zhihui, zhujian, shequ, chengguan] = await Promise.all(['jiedao', 'zhihui', 'zhujian', 'shequ', 'chengguan'].map((u) => p.login(u))); }
async function moveTo(iso: string) { p.clock.set(iso); await logIn(); }

beforeAll(async () => {
  p = await testPlatform('2026-09-20T02:00:00Z'); // Sunday 20 September 2026, 10:00 in 合川; National Day holiday 1–7 October
  await logIn();
});
afterAll(async () => { await p?.close(); });

const petitioner = (name: string, idNumber: string, phone: string) => ({ role: 'petitioner', name, idNumber, phone });
const wageText = { title: '工地拖欠农民工工资', description: '嘉陵建筑公司在合阳城工地拖欠我们12名工人三个月工资共计18万元，多次讨要无果，要求督促支付。' };
const petitionBody = (extra: Record<string, unknown> = {}) => ({
  categoryCode: '140102', ...wageText, regionCode: homeGrid.code, form: 'visit', petitioners: 1, respondent: '嘉陵建筑公司',
  parties: [petitioner('刘大勇', '500117197501011234', '13600001111')], ...extra,
});
const detail = async (id: number, token = jiedao) => (await p.as(token).get(`/api/v1/petitions/${id}`)).body;
const due = (v: any, name: string) => v.deadlines.find((d: any) => d.name === name);

describe('time limits of 《信访工作条例》 in calendar days', () => {
  let id: number;
  it('sets the acceptance deadline 15 days on, moved past the National Day holiday', async () => {
    const r = await p.as(jiedao).post('/api/v1/petitions', petitionBody());
    expect(r.status, r.text).toBe(201);
    id = r.body.case.id;
    expect(r.body.case.caseNo).toMatch(/^XF20260920\d{7}$/);
    expect(r.body.record).toMatchObject({ form: 'visit', firstTime: true, repeat: false, backlog: false });
    // 20 Sept + 15 days = 5 October, inside the holiday: the last day is the first working day after it
    expect(due(r.body, 'acceptance')).toMatchObject({ days: 15, dueOn: '2026-10-08', done: false });
    const limits = await p.as(jiedao).get('/api/v1/petition-limits');
    expect(limits.body.limits.processing).toMatchObject({ days: 60, extendableDays: 30 });
  });

  it('counts 60 calendar days from acceptance, extended once by up to 30', async () => {
    await moveTo('2026-09-21T02:00:00Z');
    expect((await act(p, jiedao, id, 'accept_petition', {})).status).toBe(200);
    let v = await detail(id);
    expect(due(v, 'acceptance').done).toBe(true);
    expect(due(v, 'processing')).toMatchObject({ dueOn: '2026-11-20', light: 'green' }); // 21 Sept + 60 days, a Friday
    expect(v.case.actions).toContain('extend_petition');
    expect(v.blocked.extend_petition).toBeUndefined();
    expect((await act(p, jiedao, id, 'extend_petition', { reason: '涉及多家单位，情况复杂' })).status).toBe(200);
    v = await detail(id);
    expect(due(v, 'processing')).toMatchObject({ dueOn: '2026-12-21', days: 90 }); // 20 Dec is a Sunday
    // the second extension would be refused: the detail says so, so that the console does not offer it
    expect(v.blocked.extend_petition).toEqual({ code: 'already_extended', missing: [] });
    const again = await act(p, jiedao, id, 'extend_petition', { reason: '再次延期' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already_extended');
  });

  it('is handled by the assigned department, which alone of the departments sees it', async () => {
    expect((await act(p, jiedao, id, 'assign_petition', { leadUnitId: 'dept-renshe' })).status).toBe(200);
    const renshe = await p.login('renshe');
    expect((await p.as(renshe).get('/api/v1/petitions?pageSize=100')).body.items.map((x: any) => x.id)).toContain(id);
    expect((await p.as(chengguan).get(`/api/v1/petitions/${id}`)).status).toBe(404);
    expect((await act(p, renshe, id, 'sign_petition', {})).status).toBe(200);
    expect((await act(p, renshe, id, 'answer_petition', { note: '已责令企业于10月30日前支付全部工资。' })).status).toBe(200);
    const v = await detail(id);
    expect(due(v, 'reviewRequest').dueOn).toBe('2026-10-21'); // answered 21 Sept + 30 days
  });

  it('keeps the 复查 window open until its last day, and refuses a request after it', async () => {
    const early = await act(p, jiedao, id, 'conclude_petition', {});
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'review_window_open', until: '2026-10-21' });
    await moveTo('2026-10-22T02:00:00Z');
    const late = await act(p, jiedao, id, 'request_review', { note: '信访人不服' });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('request_too_late');
    expect((await act(p, jiedao, id, 'conclude_petition', { note: '期限届满，办结' })).status).toBe(200);
    expect((await detail(id)).record).toMatchObject({ isOpen: false });
  });

  it('takes a 复查 and a 复核 in time, the 复核 ending the matter', async () => {
    const r = await p.as(jiedao).post('/api/v1/petitions', petitionBody({ categoryCode: '140101', title: '小区违建影响采光', description: '8栋一楼住户违规搭建阳光房，挡住我家窗户采光。', respondent: '8栋101住户', parties: [petitioner('陈静', '500117198502021234', '13600002222')] }));
    const pid = r.body.case.id;
    await act(p, jiedao, pid, 'accept_petition', {});
    await act(p, jiedao, pid, 'assign_petition', { leadUnitId: `cm-${homeCommunity.code}` });
    await act(p, shequ, pid, 'sign_petition', {});
    await act(p, shequ, pid, 'answer_petition', { note: '已责令拆除。' });
    expect((await act(p, jiedao, pid, 'request_review', { note: '信访人认为未拆除到位' })).status).toBe(200);
    expect((await act(p, jiedao, pid, 'answer_review', { note: '复查意见' })).status).toBe(403); // the district answers
    expect((await act(p, zhihui, pid, 'answer_review', { note: '复查：维持原处理意见' })).status).toBe(200);
    expect((await act(p, zhihui, pid, 'request_recheck', { note: '申请复核' })).status).toBe(200);
    expect((await act(p, zhihui, pid, 'answer_recheck', { note: '复核：维持，终结' })).status).toBe(200);
    const v = await detail(pid);
    expect(v.case).toMatchObject({ isOpen: false, outcome: 'resolved' });
    expect(due(v, 'recheck').done).toBe(true);
  });
});

describe('repeat detection, 积案 and 领导包案', () => {
  const ids: number[] = [];
  it('marks the same person on the same matter as 重复信访, by keyed hash and text similarity', async () => {
    await moveTo('2026-11-02T02:00:00Z');
    const again = await p.as(jiedao).post('/api/v1/petitions', petitionBody({
      form: 'letter', title: '再次反映工地拖欠工资', description: '嘉陵建筑公司拖欠我们工人三个月工资18万元，至今仍未支付，再次要求督促支付。',
      parties: [{ ...petitioner('刘大勇', '500117197501011234', '13600001111') }],
    }));
    expect(again.status, again.text).toBe(201);
    ids.push(again.body.case.id);
    expect(again.body.record).toMatchObject({ repeat: true, repeatKind: 'same_person_and_matter', firstTime: false, repeatCount: 1 });
    expect(again.body.repeats[0]).toMatchObject({ samePerson: true, sameMatter: true, sameRespondent: true });
    expect(again.body.repeats[0].similarity).toBeGreaterThan(0.5);
    // another worker on the same matter: the same matter, not a repeat by the same person
    const other = await p.as(jiedao).post('/api/v1/petitions', petitionBody({ form: 'call', parties: [petitioner('黄小军', '500117199001015678', '13600003333')] }));
    expect(other.body.record).toMatchObject({ repeat: false, repeatKind: 'same_matter', firstTime: false });
    // the same person on another matter: a first petition on that matter
    const newMatter = await p.as(jiedao).post('/api/v1/petitions', petitionBody({
      categoryCode: '140108', title: '申请低保被拒', description: '本人患病失去劳动能力，申请最低生活保障被街道驳回，请求复核。', respondent: '合阳城街道民政办',
    }));
    expect(newMatter.body.record).toMatchObject({ repeat: false, repeatKind: 'same_person', firstTime: true });
    const repeats = await p.as(jiedao).get('/api/v1/petitions?repeat=true');
    expect(repeats.body.items.map((x: any) => x.id)).toEqual([again.body.case.id]);
    // the 重复信访 list shows each petition's state as 全部 does
    const all = (await p.as(jiedao).get('/api/v1/petitions')).body.items.find((x: any) => x.id === again.body.case.id);
    expect(all.stateLabel?.zh).toBeTruthy();
    expect(repeats.body.items[0]).toMatchObject({ state: all.state, stateLabel: all.stateLabel, isOpen: true });
  });

  it('makes the third petition on the matter a backlog case (积案)', async () => {
    const third = await p.as(jiedao).post('/api/v1/petitions', petitionBody({ form: 'online', description: '嘉陵建筑公司拖欠工人工资18万元三个月，第三次反映，要求尽快解决。' }));
    expect(third.body.record).toMatchObject({ repeat: true, repeatCount: 2, backlog: true });
    expect(third.body.record.backlogReason).toContain('第3次');
    ids.push(third.body.case.id);
    // the 信访积案 list shows its state as 全部 does
    const backlog = (await p.as(jiedao).get('/api/v1/petitions?backlog=true')).body.items.find((x: any) => x.id === third.body.case.id);
    const all = (await p.as(jiedao).get('/api/v1/petitions')).body.items.find((x: any) => x.id === third.body.case.id);
    expect(backlog).toMatchObject({ state: all.state, stateLabel: all.stateLabel });
    expect(backlog.stateLabel.zh).toBeTruthy();
  });

  it('assigns the four leaders of 领导包案 to a backlog case only, each a user of the platform picked in its region, shown by name and unit', async () => {
    const [notBacklog, backlog] = ids;
    const userIds = Object.fromEntries((await p.ctx.db.query<{ id: number; username: string }>(
      'SELECT id, username FROM app_user WHERE username = ANY($1::text[])', [['zhihui', 'renshe', 'jiedao', 'gongan', 'jumin', `jd${otherStreet.code}`]]))
      .map((u) => [u.username, Number(u.id)]));
    // the picker: the people on the petition's line in the district, with their unit; not residents, not another street's staff
    const candidates = await p.as(jiedao).get(`/api/v1/petitions/${backlog}/leader-candidates?pageSize=100`);
    expect(candidates.status, candidates.text).toBe(200);
    const found = new Map(candidates.body.items.map((u: any) => [u.id, u]));
    expect(found.get(userIds.zhihui)).toMatchObject({ name: '区指挥中心值班长', role: 'command_centre', unit: { id: 'cmd-500117' }, region: { code: '500117' } });
    expect((found.get(userIds.renshe) as any)?.unit.name).toBeTruthy();
    expect(found.has(userIds.jiedao)).toBe(true);
    expect(found.has(userIds.jumin)).toBe(false);
    expect(found.has(userIds[`jd${otherStreet.code}`])).toBe(false);
    const byUnit = (await p.as(jiedao).get(`/api/v1/petitions/${backlog}/leader-candidates?q=${encodeURIComponent((found.get(userIds.renshe) as any).unit.name)}`)).body.items;
    expect(byUnit.map((u: any) => u.id)).toContain(userIds.renshe);
    expect(byUnit.map((u: any) => u.id)).not.toContain(userIds.zhihui);
    expect((await p.as(shequ).get(`/api/v1/petitions/${backlog}/leader-candidates`)).status).toBe(403);
    expect((await p.as(zhujian).get(`/api/v1/petitions/${backlog}/leader-candidates`)).status).toBe(404); // a department not assigned it does not see it

    const leaders = [
      { role: 'county_leader', userId: userIds.zhihui, title: '副区长' },
      { role: 'department', userId: userIds.renshe, title: '人社局局长' },
      { role: 'township', userId: userIds.jiedao, title: '合阳城街道党工委书记' },
      { role: 'police_officer', userId: userIds.gongan, title: '合阳派出所社区民警' },
    ];
    expect((await p.as(jiedao).send('PUT', `/api/v1/petitions/${notBacklog}/leaders`, { leaders })).body.code).toBe('not_backlog');
    expect((await p.as(jiedao).send('PUT', `/api/v1/petitions/${backlog}/leaders`, { leaders: leaders.slice(0, 3) })).status).toBe(400);
    // a typed name is no longer a leader: a user is picked
    expect((await p.as(jiedao).send('PUT', `/api/v1/petitions/${backlog}/leaders`, { leaders: leaders.map((l) => ({ role: l.role, name: '张副区长', title: l.title })) })).status).toBe(400);
    expect((await p.as(shequ).send('PUT', `/api/v1/petitions/${backlog}/leaders`, { leaders })).status).toBe(403);
    // a resident, another street's staff or no one at all cannot be named; nothing is written
    for (const stranger of [userIds.jumin, userIds[`jd${otherStreet.code}`], 99999999]) {
      const r = await p.as(jiedao).send('PUT', `/api/v1/petitions/${backlog}/leaders`, { leaders: [...leaders.slice(0, 3), { role: 'police_officer', userId: stranger }] }, { 'accept-language': 'zh-CN' });
      expect(r.status, r.text).toBe(422);
      expect(r.body).toMatchObject({ code: 'leader_not_candidate', userIds: [stranger] });
      expect(r.body.detail).toContain('包案领导须从本信访事项所在辖区的平台用户中选定');
    }
    const en = await p.as(jiedao).send('PUT', `/api/v1/petitions/${backlog}/leaders`, { leaders: [...leaders.slice(0, 3), { role: 'police_officer', userId: userIds.jumin }] }, { 'accept-language': 'en' });
    expect(en.body.detail).toContain('picked from the platform\'s users of this petition\'s region');
    expect((await detail(backlog)).leaders).toEqual([]);
    const r = await p.as(jiedao).send('PUT', `/api/v1/petitions/${backlog}/leaders`, { leaders });
    expect(r.status, r.text).toBe(200);
    expect(r.body.leaders.map((l: any) => [l.role, l.userId, l.name, l.responsibility])).toEqual([
      ['county_leader', userIds.zhihui, '区指挥中心值班长', '包政策落实'], ['department', userIds.renshe, (found.get(userIds.renshe) as any).name, '包困难帮扶'],
      ['township', userIds.jiedao, (found.get(userIds.jiedao) as any).name, '包属地稳控'], ['police_officer', userIds.gongan, (found.get(userIds.gongan) as any).name, '包教育转化'],
    ]);
    expect(r.body.leaders[0]).toMatchObject({ unitId: 'cmd-500117', unitName: (found.get(userIds.zhihui) as any).unit.name, title: '副区长' });
    // shown by the account's current name
    await p.ctx.db.query(`UPDATE app_user SET display_name = '区指挥中心 张副区长' WHERE id = $1`, [userIds.zhihui]);
    expect((await detail(backlog)).leaders[0].name).toBe('区指挥中心 张副区长');
    await p.ctx.db.query(`UPDATE app_user SET display_name = '区指挥中心值班长' WHERE id = $1`, [userIds.zhihui]);
    // marking by hand
    expect((await p.as(jiedao).post(`/api/v1/petitions/${notBacklog}/backlog`, { reason: '久拖未决' })).body.record.backlog).toBe(true);
    expect((await p.as(jiedao).post(`/api/v1/petitions/${notBacklog}/backlog`, { reason: '久拖未决' })).body.code).toBe('already_backlog');
  });
});

describe('leader reception days', () => {
  it('schedules a day and books petitioners up to its capacity', async () => {
    const d = await p.as(jiedao).post('/api/v1/reception-days', { regionCode: homeStreet.code, leaderName: '陈书记', leaderTitle: '街道党工委书记', day: '2026-11-10', startsAt: '09:00', endsAt: '12:00', place: '街道信访接待室', capacity: 1 });
    expect(d.status, d.text).toBe(201);
    const b = await p.as(jiedao).post(`/api/v1/reception-days/${d.body.id}/bookings`, { name: '刘大勇', phone: '13600001111', matter: '拖欠工资', caseId: 0 + (await p.as(jiedao).get('/api/v1/petitions?pageSize=1')).body.items[0].id });
    expect(b.status, b.text).toBe(201);
    const full = await p.as(jiedao).post(`/api/v1/reception-days/${d.body.id}/bookings`, { name: '黄小军', matter: '拖欠工资' });
    expect(full.body.code).toBe('fully_booked');
    const list = await p.as(jiedao).get('/api/v1/reception-days');
    expect(list.body.items[0]).toMatchObject({ leaderName: '陈书记', booked: 1, bookings: [{ nameMasked: '刘**', phoneMasked: '136****1111', status: 'booked' }] });
    expect(list.text).not.toContain('13600001111');
    expect((await p.as(jiedao).send('PUT', `/api/v1/reception-bookings/${b.body.id}`, { status: 'received', outcome: '当场答复' })).status).toBe(200);
    expect((await p.as(jiedao).send('PUT', `/api/v1/reception-bookings/${b.body.id}`, { status: 'cancelled' })).body.code).toBe('booking_closed');
  });
});

describe('joint meetings (联席会议)', () => {
  it('holds a meeting with agenda and attendance, and its decision becomes a case', async () => {
    const petitions = (await p.as(jiedao).get('/api/v1/petitions?backlog=true')).body.items;
    const m = await p.as(jiedao).post('/api/v1/meetings', {
      kind: 'mediation.joint_meeting', title: '11月信访联席会议', scheduledAt: '2026-11-03T06:00:00Z', regionCode: homeStreet.code, place: '街道三楼会议室',
      agenda: [{ title: '拖欠工资积案化解', caseId: petitions[0].id }], attendees: [{ name: '陈书记', organisation: '街道党工委' }, { name: '王局长', unitId: 'dept-renshe' }],
    });
    expect(m.status, m.text).toBe(201);
    const early = await p.as(jiedao).post(`/api/v1/meetings/${m.body.id}/decisions`, { text: '人社局牵头督促支付' });
    expect(early.body.code).toBe('meeting_not_held');
    const att = await p.as(jiedao).send('PUT', `/api/v1/meetings/${m.body.id}/attendance`, { marks: m.body.attendees.map((a: any, i: number) => ({ attendeeId: a.id, present: i === 0 })) });
    expect(att.status, att.text).toBe(200);
    // minutes record a meeting that took place: not before its time (the day before, 10:00 in 合川)
    expect(m.body).toMatchObject({ status: 'scheduled', started: false });
    const tooEarly = await p.as(jiedao).send('PUT', `/api/v1/meetings/${m.body.id}/minutes`, { minutes: '会议研究了拖欠工资积案的化解方案。' }, { 'accept-language': 'zh-CN' });
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body).toMatchObject({ code: 'meeting_not_started', scheduledAt: '2026-11-03T06:00:00.000Z', detail: '会议定于2026-11-03 14:00召开，尚未开始；会议开始后方可记录会议纪要。' });
    const tooEarlyEn = await p.as(jiedao).send('PUT', `/api/v1/meetings/${m.body.id}/minutes`, { minutes: '会议研究了拖欠工资积案的化解方案。' }, { 'accept-language': 'en' });
    expect(tooEarlyEn.body.detail).toBe('The meeting is scheduled for 2026-11-03 14:00 (China time) and has not begun; its minutes can be recorded once it has.');
    expect((await p.as(jiedao).get(`/api/v1/meetings/${m.body.id}`)).body).toMatchObject({ status: 'scheduled', minutes: null });
    await moveTo('2026-11-03T06:00:00Z'); // the meeting's hour
    expect((await p.as(jiedao).get(`/api/v1/meetings/${m.body.id}`)).body.started).toBe(true);
    expect((await p.as(jiedao).send('PUT', `/api/v1/meetings/${m.body.id}/minutes`, { minutes: '会议研究了拖欠工资积案的化解方案。' })).body.status).toBe('held');
    const d = await p.as(jiedao).post(`/api/v1/meetings/${m.body.id}/decisions`, {
      text: '由街道牵头，会同人社局督促企业一周内支付工资', responsibleUnitId: 'dept-renshe', dueOn: '2026-11-10',
      case: { type: 'grid_event', categoryCode: '050101', title: '联席会议交办：督促支付拖欠工资', description: '按11月信访联席会议决定，督促嘉陵建筑公司一周内支付工资。' },
    });
    expect(d.status, d.text).toBe(201);
    expect(d.body.caseNo).toMatch(/^WG/);
    const c = await p.as(jiedao).get(`/api/v1/cases/${d.body.caseId}`);
    expect(c.body).toMatchObject({ type: 'grid_event', regionCode: homeStreet.code });
    const pdf = await p.http.inject({ method: 'GET', url: `/api/v1/meetings/${m.body.id}/minutes.pdf`, headers: { authorization: `Bearer ${jiedao}` } });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // community staff read the street's meetings? no: the street's region is not in a community's territory
    expect((await p.as(shequ).get(`/api/v1/meetings/${m.body.id}`)).status).toBe(404);
    expect((await p.as(shequ).post(`/api/v1/meetings/${m.body.id}/decisions`, { text: 'x' })).status).toBe(404);
  });
});

describe('overdue petitions (超期)', () => {
  const overdueIds = async () => (await p.as(jiedao).get('/api/v1/petitions?overdue=true&pageSize=100')).body.items.map((x: any) => x.id);
  const overdueCount = async () => (await p.as(jiedao).get('/api/v1/mediation/stats')).body.petitions.overdue;

  it('flags a petition past the last day of its current step in the lists, the petition and the statistics, across the National Day holiday', async () => {
    await moveTo('2026-09-20T02:00:00Z');
    const r = await p.as(jiedao).post('/api/v1/petitions', {
      categoryCode: '140101', title: '小区电梯长期停运', description: '锦绣花园5栋电梯停运两个月，物业拒不维修，老人上下楼困难。', regionCode: homeGrid.code,
      form: 'letter', petitioners: 1, respondent: '锦绣物业公司', parties: [petitioner('赵桂兰', '500117195203041226', '13500003333')],
    });
    expect(r.status, r.text).toBe(201);
    const id = r.body.case.id;
    expect(r.body.record).toMatchObject({ overdue: false, dueOn: '2026-10-08', dueStep: 'acceptance' });

    // 20 Sept + 15 days is 5 October, in the holiday: the last day is 8 October, so not overdue on the 8th …
    await moveTo('2026-10-08T09:00:00Z'); // 17:00 on the last day
    expect(await overdueIds()).not.toContain(id);
    const before = await overdueCount();
    // … and overdue on the 9th, in the list (flagged with the step and the days over), on the petition and in the statistics
    await moveTo('2026-10-09T01:00:00Z');
    expect(await overdueIds()).toContain(id);
    const listed = (await p.as(jiedao).get('/api/v1/petitions?pageSize=100')).body.items.find((x: any) => x.id === id);
    expect(listed.petition).toMatchObject({ overdue: true, dueStep: 'acceptance', daysOver: 1 });
    expect((await detail(id)).record).toMatchObject({ overdue: true, dueOn: '2026-10-08', daysOver: 1 });
    const counted = await overdueCount();
    expect(counted).toBe(before + 1);
    expect(counted).toBe((await overdueIds()).length);
    // the case carries the petition's own last day: the inbox's 时限 is 超期 (red), not 「无时限」
    const sla = async () => (await p.as(jiedao).get(`/api/v1/cases/${id}`)).body.sla;
    expect(await sla()).toMatchObject({ light: 'red', dueAt: '2026-10-08T16:00:00.000Z', remainingMinutes: 0 });
    const inbox = await p.as(jiedao).get('/api/v1/cases?inbox=true&sla=red&pageSize=100');
    expect(inbox.body.items.find((x: any) => x.id === id)?.sla).toMatchObject({ light: 'red', dueAt: '2026-10-08T16:00:00.000Z' });

    // accepted late: the handling limit (60 days) runs, and it is no longer overdue until that passes
    expect((await act(p, jiedao, id, 'accept_petition', {})).status).toBe(200);
    expect(await overdueIds()).not.toContain(id);
    expect((await detail(id)).record).toMatchObject({ overdue: false, dueStep: 'processing', dueOn: '2026-12-08' });
    expect(await sla()).toMatchObject({ light: 'green', dueAt: '2026-12-08T16:00:00.000Z' });
    await moveTo('2026-12-09T01:00:00Z');
    expect((await detail(id)).record).toMatchObject({ overdue: true, dueStep: 'processing', daysOver: 1 });
    expect(await overdueIds()).toContain(id);
    // an extension of 30 days ends it (8 Dec + 30 = 7 Jan 2027)
    expect((await act(p, jiedao, id, 'extend_petition', { reason: '需协调住建部门' })).status).toBe(200);
    expect((await detail(id)).record).toMatchObject({ overdue: false, dueOn: '2027-01-07' });
    expect(await sla()).toMatchObject({ light: 'green', dueAt: '2027-01-07T16:00:00.000Z' });

    // answered: nothing is due from the office while the petitioner may ask for a review (复查) …
    expect((await act(p, jiedao, id, 'assign_petition', { leadUnitId: 'dept-renshe' })).status).toBe(200);
    const renshe = await p.login('renshe');
    expect((await act(p, renshe, id, 'sign_petition', {})).status).toBe(200);
    expect((await act(p, renshe, id, 'answer_petition', { note: '已责令物业一周内修复电梯' })).status).toBe(200);
    expect((await detail(id)).record).toMatchObject({ overdue: false, dueOn: null, dueStep: null });
    expect(await sla()).toMatchObject({ light: null, dueAt: null });
    // … and a requested 复查 is decided within 30 days, or it is overdue
    expect((await act(p, jiedao, id, 'request_review', { note: '电梯仍未修复' })).status).toBe(200);
    const review = (await detail(id)).record;
    expect(review).toMatchObject({ overdue: false, dueStep: 'review' });
    await moveTo(`${review.dueOn}T09:00:00Z`);
    expect((await detail(id)).record.overdue).toBe(false);
    await moveTo(new Date(Date.parse(`${review.dueOn}T01:00:00Z`) + 86_400_000).toISOString());
    expect((await detail(id)).record).toMatchObject({ overdue: true, dueStep: 'review', daysOver: 1 });
    expect(await overdueIds()).toContain(id);
  });
});
