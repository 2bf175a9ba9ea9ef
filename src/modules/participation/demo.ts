// The demo city's participation: the demo resident (jumin) linked to a registry person of the first
// grid; in the first community an open vote by household with some paper ballots already in, a vote
// whose results are published, and 微心愿 on the wall in every state. Made through the module's own use
// cases, as the community's and the grid worker's demo accounts. A second demo resident, the volunteer
// zhiyuan (志愿者), claims and fulfils wishes, belongs to the community's volunteer team and proposes 议事
// topics; the community has a notice out and a 四议两公开 carried to its result's publication, and the street a
// 平战转换 drill on record.
import { createUser, getActor } from '../../platform/auth/service.ts';
import { maskPhone } from '../../platform/crypto.ts';
import { regionLevels } from '../../platform/scope.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { participantsIn, type Participant } from '../registry/index.ts';
import { linkForSeed } from './residents.ts';
import { createVote, publishVote, recordPaperBallot, closeVote, getVote } from './votes.ts';
import { appeal, award, createItem, createRule, redeem } from './points.ts';
import { answerSurvey, createSurvey, getSurvey } from './surveys.ts';
import { claimWish, confirmWish, fulfilWish, postWish } from './wishes.ts';
import { checkIn, createActivity, createTeam, joinVolunteers, mobilise, signUp, standDown } from './volunteers.ts';
import { proposeTopic } from './topics.ts';
import { publishAnnouncement } from './announcements.ts';
import { recordStep, startProcedure } from './procedures.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a3a3f1f60000000049454e44ae426082', 'hex');

export async function seedParticipation(ctx: AppContext): Promise<void> {
  const deps = { ctx };
  const actor = async (username: string): Promise<Actor | null> => {
    const [u] = await ctx.db.query<{ id: number }>('SELECT id FROM app_user WHERE username = $1', [username]);
    return u ? getActor(ctx.db, Number(u.id)) : null;
  };
  const [shequ, wangge, jumin, chengguan, jiedao] = [await actor('shequ'), await actor('wangge'), await actor('jumin'), await actor('chengguan'), await actor('jiedao')];
  if (!shequ || !wangge || !jumin || !chengguan || !jiedao) return;
  const [done] = await ctx.db.query('SELECT 1 FROM pt_vote WHERE region_code = $1 LIMIT 1', [shequ.regionCode]);
  if (done) return;
  const people = await participantsIn(ctx.db, wangge.regionCode, 40);
  const home = people.find((p) => p.householdId != null);
  if (home) await linkForSeed(ctx.db, jumin.id, home, ctx.now());
  // a volunteer (志愿者) with a resident account of their own, sharing the demo password, linked to a neighbour
  const [hash] = await ctx.db.query<{ password_hash: string }>('SELECT password_hash FROM app_user WHERE id = $1', [jumin.id]);
  const volunteerId = await createUser(ctx.db, { username: 'zhiyuan', displayName: '志愿者 周敏', passwordHash: hash.password_hash, role: 'resident', regionCode: jumin.regionCode, demo: true });
  const neighbour = people.find((p) => p.personId !== home?.personId && p.householdId !== home?.householdId);
  if (neighbour) await linkForSeed(ctx.db, volunteerId, neighbour, ctx.now());
  const now = ctx.now().getTime();
  const day = 86_400_000;
  const at = (d: number) => new Date(now + d * day).toISOString();

  // a vote by household, open for a week, some paper ballots in (not the demo resident's household)
  const open = await createVote(deps, shequ, {
    regionCode: shequ.regionCode, title: '小区加装电梯及费用分摊方案表决', description: '经楼栋议事会商议，拟在1—3栋加装电梯，费用按楼层分摊。请各户表决。',
    choice: 'single', voterUnit: 'household', anonymous: false, quorum: { percent: 50 }, opensAt: at(-1), closesAt: at(6), options: ['同意', '不同意', '弃权'],
  });
  const openVote = await getVote(deps, shequ, open);
  const seen = new Set<number | null>([home?.householdId ?? null]);
  let n = 0;
  for (const p of people) {
    if (seen.has(p.householdId) || n >= 6) continue;
    seen.add(p.householdId);
    await recordPaperBallot(deps, shequ, open, p.personId, [openVote.options[n % 4 === 3 ? 1 : 0].id]).catch(() => undefined);
    n++;
  }
  // a vote whose results are published
  const past = await createVote(deps, shequ, {
    regionCode: shequ.regionCode, title: '社区广场舞活动时间调整', choice: 'single', voterUnit: 'person', anonymous: true,
    quorum: { count: 5 }, opensAt: at(-10), closesAt: at(3), options: ['19:00—20:30', '19:30—21:00'],
  });
  const pastVote = await getVote(deps, shequ, past);
  for (const [i, p] of people.slice(0, 9).entries()) await recordPaperBallot(deps, shequ, past, p.personId, [pastVote.options[i % 3 === 2 ? 1 : 0].id]).catch(() => undefined);
  await closeVote(deps, shequ, past);
  await publishVote(deps, shequ, past);

  // points: rules of the community, the 积分超市, some points for the demo resident
  const rules: Record<string, number> = {};
  for (const [code, label, points] of [['vote_cast', '参与社区表决', 2], ['wish_fulfilled', '帮助实现微心愿', 20], ['cleanup', '参加环境整治', 10], ['litter', '乱扔垃圾', -5]] as const) {
    rules[code] = (await createRule(deps, shequ, { regionCode: shequ.regionCode, code, label, points })).id;
  }
  const shelf: number[] = [];
  for (const [name, cost, stock] of [['洗衣液', 30, 20], ['大米 5kg', 80, 10], ['理发券', 15, 50]] as const) shelf.push((await createItem(deps, shequ, { regionCode: shequ.regionCode, name, cost, stock })).id);
  if (home) for (const note of ['清理小区绿化带垃圾', '楼道小广告清理']) await award(deps, shequ, { personId: home.personId, ruleId: rules.cleanup, note });
  // the volunteer earned points, redeemed a haircut voucher, and appeals a deduction (for the staff's shop page)
  const volunteerActor = await getActor(ctx.db, volunteerId);
  if (neighbour && volunteerActor) {
    for (const note of ['参加河道清漂', '清理楼道杂物']) await award(deps, shequ, { personId: neighbour.personId, ruleId: rules.cleanup, note });
    const fined = await award(deps, shequ, { personId: neighbour.personId, ruleId: rules.litter, note: '3栋楼下乱扔垃圾' });
    await redeem(deps, volunteerActor, shelf[2]);
    await appeal(deps, volunteerActor, fined.entryId, '那天我在外地，扔垃圾的不是我，请调监控核实。');
  }

  // the quarter's 平安建设民意调查, with some phone interviews already entered by the grid worker
  const survey = await createSurvey(deps, shequ, { regionCode: shequ.regionCode, title: '2026年第四季度平安建设民意调查', template: 'safety', opensAt: at(-3), closesAt: at(25) });
  const sv = await getSurvey(deps, shequ, survey);
  for (const [i, score] of [5, 4, 4, 3, 5].entries()) {
    await answerSurvey(deps, wangge, survey, { gridCode: wangge.regionCode, answers: sv.questions.map((q) => ({
      questionId: q.id, ...(q.kind === 'scale' ? { value: score } : q.kind === 'single' ? { choices: [1] } : q.kind === 'multiple' ? { choices: [i % 2, 2] } : { text: ['希望多安装路灯', '加强夜间巡逻', '防诈骗宣传再多一些', '电动车乱停放要管', '总体很好'][i] }),
    })) });
  }

  // wishes: open, claimed, fulfilled and thanked
  await postWish(deps, jumin, { title: '想请人教我用手机挂号', description: '孩子在外地，想学会用手机预约医院挂号。', category: 'study' });
  await postWish(deps, wangge, { title: '独居老人想要一台收音机', description: '王奶奶眼睛不好，平时喜欢听戏。', category: 'goods', regionCode: wangge.regionCode, wisher: { name: '王桂兰' } });
  const claimed = await postWish(deps, wangge, { title: '帮忙疏通厨房下水道', category: 'service', regionCode: wangge.regionCode, wisher: { name: '李德明', phone: '13983001234' } });
  await claimWish(deps, chengguan, claimed, { kind: 'unit' });
  const thanked = await postWish(deps, wangge, { title: '孩子想要一套课外读物', description: '留守儿童小敏，三年级，喜欢看书。', category: 'study', regionCode: wangge.regionCode, wisher: { name: '陈小敏' } });
  await claimWish(deps, shequ, thanked, { kind: 'party_member', name: '党员 刘洋' });
  const photo = await ctx.files.save({ uploadedBy: shequ.id, filename: '送书.png', mime: 'image/png', content: PNG });
  await fulfilWish(deps, shequ, thanked, { note: '已把一套《十万个为什么》送到小敏家。', photoId: photo.id });
  await confirmWish(deps, wangge, thanked, '小敏和奶奶非常感谢刘书记！');

  // volunteers: a team of the community, the volunteer zhiyuan in it, an activity done (hours on the
  // ledger) and one to sign up for; 议事 topics; a notice; a 平战转换 drill of the street, switched on and off
  const volunteer = volunteerActor;
  const team = await createTeam(deps, shequ, { regionCode: shequ.regionCode, name: '社区平安志愿服务队' });
  if (volunteer) {
    await joinVolunteers(deps, volunteer, { skills: ['修车', '家电维修', '急救'], availability: '周末全天', teamId: team.id });
    const done = await createActivity(deps, shequ, { regionCode: shequ.regionCode, title: '重阳节敬老院慰问', startsAt: at(-5), hours: 3, capacity: 10 });
    await signUp(deps, volunteer, done.id);
    await checkIn(deps, volunteer, done.id, new Date(Date.parse(done.startsAt!) + 10 * 60_000)); // he checked in on the day
    const next = await createActivity(deps, shequ, { regionCode: shequ.regionCode, title: '周六小区环境清扫', startsAt: at(3), hours: 2, capacity: 20 });
    await signUp(deps, volunteer, next.id);
    await proposeTopic(deps, volunteer, { title: '建议在3栋楼下安装电动车集中充电桩', body: '楼道里充电有火灾隐患，希望集中安装充电桩。' });
    await proposeTopic(deps, volunteer, { title: '小区东门晚上路灯太暗', body: '东门到菜市场一段路晚上很黑，老人出行不安全。' });
  }
  await publishAnnouncement(deps, shequ, { regionCode: shequ.regionCode, title: '关于二次供水设施清洗停水的通知',
    body: '本周四 9:00—17:00 清洗小区二次供水水箱，期间暂停供水，请提前储水。' });
  // a 四议两公开 of the community carried through to 实施结果公开: the public 居务公开 shows it
  const matter = await startProcedure(deps, shequ, { regionCode: shequ.regionCode, title: '社区老旧小区雨污分流改造项目',
    description: '营盘街社区3个老旧小区雨污管网混接，雨天污水外溢。拟申请专项资金实施雨污分流改造，居民不另行出资。' });
  const held = (d: number) => at(d);
  await recordStep(deps, shequ, matter, 1, { heldAt: held(-40), record: '社区党委会议提出雨污分流改造动议，明确改造范围为1—3号院。', expected: 7, present: 7, votesFor: 7 });
  await recordStep(deps, shequ, matter, 2, { heldAt: held(-36), record: '社区“两委”联席会议商议改造方案、施工时间和安全措施。', expected: 9, present: 8, votesFor: 8 });
  await recordStep(deps, shequ, matter, 3, { heldAt: held(-32), record: '社区党员大会审议改造方案，提出施工期间保障老人出行的意见。', expected: 46, present: 38, votesFor: 36, votesAgainst: 1, abstentions: 1 });
  await recordStep(deps, shequ, matter, 4, { heldAt: held(-28), assembly: 'representatives', record: '居民代表会议表决通过《营盘街社区老旧小区雨污分流改造方案》，工期60天，由街道统一招标施工。',
    expected: 35, present: 30, votesFor: 28, votesAgainst: 1, abstentions: 1 });
  await recordStep(deps, shequ, matter, 5, { heldAt: held(-27), record: '决议内容在社区公开栏、各小区单元门和“共治”居务公开栏公示7天，无异议。' });
  await recordStep(deps, shequ, matter, 6, { heldAt: held(-2), record: '改造工程已完工并通过验收，1—3号院雨污管网全部分流，公开栏公示工程决算和验收结果。' });

  const street = jiedao.regionCode;
  const drill = await mobilise(deps, jiedao, { regionCode: street, reason: '汛期防汛应急演练', tasks: [{ title: '低洼地带群众转移演练', hours: 2, capacity: 20 }, { title: '沙袋搬运演练', hours: 2, capacity: 30 }] });
  await standDown(deps, jiedao, drill.id, '演练结束，恢复常态');
}

/**
 * A demo resident who signs in as a party member registered to a grid (党员到网格报到): the account
 * `dangyuan` (demo password), found by the phone the grid registered, as a phone sign-in would find it, and
 * linked to `person` when given (a registry person who is a party member).
 * The composition's seed registers the party member with the regions module first (src/seed/demo.ts).
 */
export async function seedPartyMemberAccount(ctx: AppContext, a: { username: string; displayName: string; phone: string; communityCode: string; person?: Participant }): Promise<Actor | null> {
  const [taken] = await ctx.db.query('SELECT 1 FROM app_user WHERE username = $1', [a.username]);
  const [hash] = await ctx.db.query<{ password_hash: string }>(`SELECT password_hash FROM app_user WHERE username = 'jumin'`);
  if (taken || !hash) return null;
  const id = await createUser(ctx.db, { username: a.username, displayName: a.displayName, passwordHash: hash.password_hash, role: 'resident', regionCode: a.communityCode, demo: true });
  await ctx.db.query(`INSERT INTO pt_resident (user_id, district_code, region_code, phone_hash, phone_masked) VALUES ($1, $2, $3, $4, $5)`,
    [id, regionLevels(a.communityCode).district, a.communityCode, ctx.cipher.lookupHash(a.phone), maskPhone(a.phone)]);
  // linked to their registry person (a party member of the registry), so that they vote and redeem points
  if (a.person) await linkForSeed(ctx.db, id, a.person, ctx.now());
  return getActor(ctx.db, id);
}
