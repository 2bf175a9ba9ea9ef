// Points (issue 16, item 6): rules award and deduct, a ledger per person and per household, the points
// shop with stock, leaderboards, appeals — and the ledger always balances: a property test drives random
// operations (sequential, then concurrent) through the use cases and checks, after each run, that every
// account's balance is the sum of its entries and matches a model, that stock never goes negative and
// that what left the shelf is what was redeemed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expectProblemStatus, testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeCommunity, homeGrid, otherGrid } from '../helpers/fixtures.ts';
import { household, linkedResident } from './participation-helpers.ts';
import { getActor } from '../../src/platform/auth/service.ts';
import type { Actor } from '../../src/platform/auth/actor.ts';
import { award, appeal, decideAppeal, redeem, restock } from '../../src/modules/participation/points.ts';

let p: TestPlatform;
let shequ: string, otherCommunity: string;
const PTS = '/api/v1/participation/points';
const people: Array<{ token: string; userId: number; personId: number; actor: Actor }> = [];
let staff: Actor;
let plus: any, minus: any;
const items: any[] = [];

beforeAll(async () => {
  p = await testPlatform('2026-11-16T02:00:00Z');
  shequ = await p.login('shequ');
  otherCommunity = await p.login(`sq${otherGrid.code.slice(0, 12)}`);
  staff = (await getActor(p.ctx.db, (await p.as(shequ).get('/api/v1/auth/me')).body.id))!;
  const hh = await household(p, shequ, homeGrid.code);
  for (const opts of [{ householdId: hh, name: '赵一' }, { householdId: hh, name: '赵二' }, { name: '钱三' }]) {
    const r = await linkedResident(p, shequ, homeGrid.code, opts);
    people.push({ ...r, actor: (await getActor(p.ctx.db, r.userId))! });
  }
  plus = (await p.as(shequ).post(`${PTS}/rules`, { regionCode: homeCommunity.code, code: 'cleanup', label: '参加环境整治', points: 10 })).body;
  minus = (await p.as(shequ).post(`${PTS}/rules`, { regionCode: homeCommunity.code, code: 'litter', label: '高空抛物', points: -5 })).body;
  for (const [name, cost, stock] of [['洗衣液', 15, 3], ['大米 5kg', 40, 1]] as const) {
    items.push((await p.as(shequ).post(`${PTS}/shop`, { regionCode: homeCommunity.code, name, cost, stock })).body);
  }
}, 120_000);
afterAll(async () => { await p?.close(); });

const deps = () => ({ ctx: p.ctx });

/** The database's view: balances, the sum of each person's entries, stock and redemptions per item. */
async function books() {
  const accounts = await p.ctx.db.query<any>(`SELECT a.person_id, a.balance, (SELECT coalesce(sum(delta), 0)::int FROM pt_point_entry e WHERE e.person_id = a.person_id) AS sum
    FROM pt_point_account a`);
  const shelf = await p.ctx.db.query<any>(`SELECT i.id, i.stock, i.stocked, (SELECT count(*)::int FROM pt_redemption r WHERE r.item_id = i.id) AS redeemed,
    (SELECT coalesce(sum(r.cost), 0)::int FROM pt_redemption r WHERE r.item_id = i.id) AS cost FROM pt_shop_item i`);
  const [{ spent }] = await p.ctx.db.query<any>(`SELECT coalesce(-sum(delta), 0)::int AS spent FROM pt_point_entry WHERE kind = 'redemption'`);
  return { balance: new Map<number, number>(accounts.map((a) => [Number(a.person_id), a.balance])), accounts, shelf, spent };
}

async function expectBalanced() {
  const b = await books();
  for (const a of b.accounts) expect(a.balance, `person ${a.person_id}`).toBe(a.sum);
  for (const i of b.shelf) {
    expect(i.stock).toBeGreaterThanOrEqual(0);
    expect(i.stocked - i.stock, `item ${i.id}`).toBe(i.redeemed);
  }
  expect(b.shelf.reduce((s: number, i: any) => s + i.cost, 0)).toBe(b.spent);
  return b;
}

type Op = { t: 'award'; who: number; rule: 0 | 1 } | { t: 'redeem'; who: number; item: number } | { t: 'appeal'; who: number } | { t: 'restock'; item: number; add: number };
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('award' as const), who: fc.integer({ min: 0, max: 2 }), rule: fc.constantFrom(0 as const, 1 as const) }),
  fc.record({ t: fc.constant('redeem' as const), who: fc.integer({ min: 0, max: 2 }), item: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ t: fc.constant('appeal' as const), who: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ t: fc.constant('restock' as const), item: fc.integer({ min: 0, max: 1 }), add: fc.integer({ min: 1, max: 3 }) }),
);

/** Runs one operation through the use cases; the balance change it made (0 when refused). */
async function run(o: Op): Promise<{ ok: boolean; deltas: Array<[number, number]>; stock?: [number, number] }> {
  try {
    if (o.t === 'award') {
      const r = await award(deps(), staff, { personId: people[o.who].personId, ruleId: [plus, minus][o.rule].id, note: '随机操作' });
      return { ok: true, deltas: [[people[o.who].personId, r.delta]] };
    }
    if (o.t === 'redeem') {
      const r = await redeem(deps(), people[o.who].actor, items[o.item].id);
      return { ok: true, deltas: [[people[o.who].personId, -r.cost]], stock: [o.item, -1] };
    }
    if (o.t === 'restock') { await restock(deps(), staff, items[o.item].id, o.add); return { ok: true, deltas: [], stock: [o.item, o.add] }; }
    // appeal the person's latest award or deduction not appealed yet, and uphold it
    const [e] = await p.ctx.db.query<any>(`SELECT e.id, e.delta FROM pt_point_entry e WHERE e.person_id = $1 AND e.kind = 'rule'
      AND NOT EXISTS (SELECT 1 FROM pt_point_appeal a WHERE a.entry_id = e.id) ORDER BY e.id DESC LIMIT 1`, [people[o.who].personId]);
    if (!e) return { ok: false, deltas: [] };
    const a = await appeal(deps(), people[o.who].actor, Number(e.id), '情况不属实');
    await decideAppeal(deps(), staff, a.id, { uphold: true, note: '经核实，撤销' });
    return { ok: true, deltas: [[people[o.who].personId, -e.delta]] };
  } catch (err: any) {
    // refusals the rules allow: out of stock, not enough points, an appeal that raced another
    if (['out_of_stock', 'insufficient_points', 'already_appealed', 'appeal_decided'].includes(err?.code)) return { ok: false, deltas: [] };
    throw err;
  }
}

describe('the ledger always balances', () => {
  it('after random operations one at a time, matching a model of balances and stock', async () => {
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 20 }), async (ops) => {
      const before = await books();
      const balance = new Map(people.map((x) => [x.personId, before.balance.get(x.personId) ?? 0]));
      const stock = items.map((i) => before.shelf.find((s: any) => Number(s.id) === i.id).stock as number);
      for (const o of ops) {
        // what the model expects of a redemption: stock left and enough points
        const expectOk = o.t === 'redeem' ? stock[o.item] > 0 && balance.get(people[o.who].personId)! >= items[o.item].cost : undefined;
        const r = await run(o);
        if (expectOk !== undefined) expect(r.ok, `redeem ${JSON.stringify(o)}`).toBe(expectOk);
        for (const [who, d] of r.deltas) balance.set(who, balance.get(who)! + d);
        if (r.stock) stock[r.stock[0]] += r.stock[1];
      }
      const after = await expectBalanced();
      for (const x of people) expect(after.balance.get(x.personId) ?? 0).toBe(balance.get(x.personId));
      items.forEach((it, i) => expect(after.shelf.find((s: any) => Number(s.id) === it.id).stock).toBe(stock[i]));
    }), { numRuns: 25 });
  }, 240_000);

  it('after random operations all at once', async () => {
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 2, maxLength: 16 }), async (ops) => {
      const before = await books();
      const results = await Promise.all(ops.map(run));
      const after = await expectBalanced();
      for (const x of people) {
        const moved = results.flatMap((r) => r.deltas).filter(([w]) => w === x.personId).reduce((s, [, d]) => s + d, 0);
        expect(after.balance.get(x.personId) ?? 0).toBe((before.balance.get(x.personId) ?? 0) + moved);
      }
      // nothing redeemed beyond the balance: only a deduction (or an upheld appeal of an award) takes a
      // balance below zero, never a redemption, however the requests interleave
      for (const x of people) {
        const was = before.balance.get(x.personId) ?? 0;
        const deducted = ops.some((o, i) => o.t !== 'redeem' && results[i].deltas.some(([w, d]) => w === x.personId && d < 0));
        if (was >= 0 && !deducted) expect(after.balance.get(x.personId) ?? 0, `${x.personId}: ${JSON.stringify(ops)}`).toBeGreaterThanOrEqual(0);
      }
    }), { numRuns: 15 });
  }, 240_000);
});

describe('points over the API', () => {
  it('awards and deducts with reasons, shows the person and household ledgers and the leaderboard, and reverses an upheld appeal', async () => {
    const [a, b, c] = people;
    const give = await p.as(shequ).post(`${PTS}/awards`, { personId: c.personId, ruleId: plus.id, note: '清理楼道' });
    expect(give.status, give.text).toBe(201);
    expect(give.body.reason).toBe('参加环境整治：清理楼道');
    // a deduction says what happened: without a note it is refused, the note next to its field, nothing written
    const entriesBefore = (await p.as(c.token).get(`${PTS}/ledger`)).body.entries.length;
    const bare = await p.as(shequ).post(`${PTS}/awards`, { personId: c.personId, ruleId: minus.id }, { 'accept-language': 'zh-CN' });
    expectProblemStatus(bare, 422, 'deduction_note_required');
    expect(bare.body.detail).toContain('扣分须写明说明');
    expect(bare.body.errors).toEqual([expect.objectContaining({ path: 'body.note', message: '扣分须写明说明' })]);
    expect((await p.as(shequ).post(`${PTS}/awards`, { personId: c.personId, ruleId: minus.id }, { 'accept-language': 'en' })).body.errors[0].message).toBe('a deduction needs a note');
    expect((await p.as(c.token).get(`${PTS}/ledger`)).body.entries.length).toBe(entriesBefore);
    const take = await p.as(shequ).post(`${PTS}/awards`, { personId: c.personId, ruleId: minus.id, note: '11月14日 5 栋' });
    expect(take.status, take.text).toBe(201);
    const mine = (await p.as(c.token).get(`${PTS}/ledger`)).body;
    expect(mine.entries.slice(0, 2).map((e: any) => [e.delta, e.reason])).toEqual([[-5, '高空抛物：11月14日 5 栋'], [10, '参加环境整治：清理楼道']]);
    // each entry says who recorded it
    const shequName = (await p.as(shequ).get('/api/v1/auth/me')).body.displayName;
    expect(mine.entries.slice(0, 2).map((e: any) => e.recordedBy)).toEqual([shequName, shequName]);
    const ap = await p.as(c.token).post(`${PTS}/entries/${take.body.entryId}/appeal`, { reason: '不是我家抛的' });
    expect(ap.status, ap.text).toBe(201);
    expectProblemStatus(await p.as(c.token).post(`${PTS}/entries/${take.body.entryId}/appeal`, { reason: '再次申诉' }), 409, 'already_appealed');
    expectProblemStatus(await p.as(a.token).post(`${PTS}/entries/${take.body.entryId}/appeal`, { reason: '不是我' }), 404);
    expect((await p.as(shequ).get(`${PTS}/appeals?status=open`)).body.items.map((x: any) => x.id)).toContain(ap.body.id);
    expectProblemStatus(await p.as(otherCommunity).post(`${PTS}/appeals/${ap.body.id}/decide`, { uphold: true, note: '核实' }), 404);
    expect((await p.as(shequ).post(`${PTS}/appeals/${ap.body.id}/decide`, { uphold: true, note: '监控显示非该户' })).status).toBe(200);
    const again = await p.as(shequ).post(`${PTS}/appeals/${ap.body.id}/decide`, { uphold: true, note: '再次' }, { 'accept-language': 'zh-CN' });
    expectProblemStatus(again, 409, 'appeal_decided');
    expect(again.body.detail).toBe('该申诉已处理过。');
    const after = (await p.as(c.token).get(`${PTS}/ledger`)).body;
    expect(after.entries[0]).toMatchObject({ delta: 5, kind: 'reversal', reason: expect.stringContaining('申诉成立'), recordedBy: shequName });
    // the resident is told the decision in 我的 › 消息
    const told = (await p.as(c.token).get('/api/v1/participation/me/messages')).body;
    expect(told.unread).toBeGreaterThan(0);
    expect(told.items[0]).toMatchObject({ kind: 'appeal_upheld', subjectId: ap.body.id, title: '-5 高空抛物：11月14日 5 栋', note: '监控显示非该户', read: false });
    // only the resident who appealed
    expect((await p.as(a.token).get('/api/v1/participation/me/messages')).body.items.filter((m: any) => m.kind.startsWith('appeal_')).map((m: any) => m.subjectId)).not.toContain(ap.body.id);
    expect(after.entries.find((e: any) => e.id === take.body.entryId).appeal.status).toBe('upheld');
    expect(after.balance).toBe(after.entries.reduce((s: number, e: any) => s + e.delta, 0));
    // the household ledger sums its two members
    const hh = (await p.as(a.token).get(`${PTS}/household-ledger`)).body;
    const [la, lb] = [(await p.as(a.token).get(`${PTS}/ledger`)).body, (await p.as(b.token).get(`${PTS}/ledger`)).body];
    expect(hh.balance).toBe(la.balance + lb.balance);
    expectProblemStatus(await p.as(c.token).get(`${PTS}/household-ledger`), 422, 'no_household');
    // leaderboards, masked
    const board = (await p.as(c.token).get(`${PTS}/leaderboard`)).body;
    expect(board.items.length).toBeGreaterThan(0);
    expect(board.items[0].name).toMatch(/\*/);
    expect(board.items.map((x: any) => x.balance)).toEqual([...board.items.map((x: any) => x.balance)].sort((x: number, y: number) => y - x));
    expect((await p.as(shequ).get(`${PTS}/leaderboard?by=household`)).body.items.length).toBeGreaterThan(0);
  });

  it('lets staff find a resident by name, apply a rule with a note (audited), and read ledgers, the leaderboard and appeals with the household', async () => {
    // the registry's person search, names masked, with the household and balance; only in the territory
    const found = await p.as(shequ).get(`${PTS}/people?q=${encodeURIComponent('赵一')}`);
    expect(found.status, found.text).toBe(200);
    const hit = found.body.items.find((x: any) => x.personId === people[0].personId);
    expect(hit).toMatchObject({ name: '赵*', householdId: expect.any(Number), household: { householdNo: expect.any(String), members: 2 }, balance: expect.any(Number) });
    expect(JSON.stringify(found.body)).not.toContain('赵一');
    expect((await p.as(otherCommunity).get(`${PTS}/people?q=${encodeURIComponent('赵一')}`)).body.items).toEqual([]);
    expectProblemStatus(await p.as(people[0].token).get(`${PTS}/people?q=${encodeURIComponent('赵一')}`), 403);
    expectProblemStatus(await p.as(shequ).get(`${PTS}/people?q=`), 400);
    const before = hit.balance;
    const r = await p.as(shequ).post(`${PTS}/awards`, { personId: hit.personId, ruleId: minus.id, note: '11月15日晚 3 栋' });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ balance: before - 5, delta: -5, reason: '高空抛物：11月15日晚 3 栋' });
    const [audit] = await p.ctx.db.query<any>(`SELECT detail FROM audit_log WHERE action = 'participation.points.award' AND target = $1 ORDER BY id DESC LIMIT 1`, [`person:${hit.personId}`]);
    expect(audit.detail).toMatchObject({ delta: -5, reason: '高空抛物：11月15日晚 3 栋', entryId: r.body.entryId });
    const ledger = (await p.as(shequ).get(`${PTS}/ledger?personId=${hit.personId}`)).body;
    expect(ledger).toMatchObject({ name: '赵*', balance: before - 5 });
    const hh = (await p.as(shequ).get(`${PTS}/household-ledger?householdId=${hit.householdId}`)).body;
    // the household's members as the registry counts them (as in 户号 … 2 人), and how many have points
    expect(hh.members).toBe(2);
    expect(hh.accounts).toBeLessThanOrEqual(2);
    expect(hh.entries.every((e: any) => 'recordedBy' in e)).toBe(true);
    // the leaderboard of a community: masked names; households by their number and address
    const board = (await p.as(shequ).get(`${PTS}/leaderboard?regionCode=${homeCommunity.code}&by=person`)).body.items;
    expect(board.every((x: any) => /\*/.test(x.name))).toBe(true);
    const hboard = (await p.as(shequ).get(`${PTS}/leaderboard?regionCode=${homeCommunity.code}&by=household`)).body.items;
    expect(hboard.find((x: any) => x.householdId === hit.householdId)).toMatchObject({ householdNo: hit.household.householdNo });
    expectProblemStatus(await p.as(otherCommunity).get(`${PTS}/leaderboard?regionCode=${homeCommunity.code}`), 404);
    // the appeal names who appeals (masked), their household and community, and the change appealed
    const ap = await p.as(people[0].token).post(`${PTS}/entries/${r.body.entryId}/appeal`, { reason: '那天我不在家，不是我扔的。' });
    expect(ap.status, ap.text).toBe(201);
    const listed = (await p.as(shequ).get(`${PTS}/appeals?status=open`)).body.items.find((a: any) => a.entryId === r.body.entryId);
    expect(listed).toMatchObject({ name: '赵*', delta: -5, entryReason: '高空抛物：11月15日晚 3 栋', household: { householdNo: hit.household.householdNo, members: 2 }, regionName: expect.any(String) });
    // rejected: the entry stays, and the resident is told why
    expect((await p.as(shequ).post(`${PTS}/appeals/${ap.body.id}/decide`, { uphold: false, note: '监控核实确为该户' })).status).toBe(200);
    const told = (await p.as(people[0].token).get('/api/v1/participation/me/messages')).body.items.find((m: any) => m.subjectId === ap.body.id && m.kind.startsWith('appeal_'));
    expect(told).toMatchObject({ kind: 'appeal_rejected', title: '-5 高空抛物：11月15日晚 3 栋', note: '监控核实确为该户', read: false });
  });

  it('refuses redemption without points or stock, writing nothing', async () => {
    const poor = await linkedResident(p, shequ, homeGrid.code);
    const before = await books();
    expectProblemStatus(await p.as(poor.token).post(`${PTS}/redemptions`, { itemId: items[1].id }), 409);
    const after = await books();
    expect(after.shelf).toEqual(before.shelf);
    expect(after.spent).toBe(before.spent);
    // bad input and scope
    // a rule of 0 points: the field's own message, for the form to show beside 积分
    const zero = await p.as(shequ).post(`${PTS}/rules`, { regionCode: homeCommunity.code, code: 'zero', label: '零分', points: 0 }, { 'accept-language': 'zh-CN' });
    expectProblemStatus(zero, 400);
    expect(zero.body.errors).toEqual([expect.objectContaining({ path: 'body.points', message: expect.stringContaining('规则须为加分') })]);
    expectProblemStatus(await p.as(shequ).post(`${PTS}/rules`, { regionCode: homeCommunity.code, code: 'cleanup', label: '重复', points: 3 }), 409, 'rule_exists');
    expectProblemStatus(await p.as(shequ).post(`${PTS}/shop`, { regionCode: homeCommunity.code, name: '毛巾', cost: 5, stock: -1 }), 400);
    expectProblemStatus(await p.as(otherCommunity).post(`${PTS}/awards`, { personId: poor.personId, ruleId: plus.id }), 404);
    expectProblemStatus(await p.as(poor.token).post(`${PTS}/awards`, { personId: poor.personId, ruleId: plus.id }), 403);
    expect((await p.as(poor.token).get(`${PTS}/shop`)).body.items.map((i: any) => i.name)).toEqual(expect.arrayContaining(['洗衣液']));
  });

  it('awards the vote_cast and wish_fulfilled rules automatically, once', async () => {
    await p.as(shequ).post(`${PTS}/rules`, { regionCode: homeCommunity.code, code: 'vote_cast', label: '参与社区表决', points: 2 });
    await p.as(shequ).post(`${PTS}/rules`, { regionCode: homeCommunity.code, code: 'wish_fulfilled', label: '帮助实现微心愿', points: 20 });
    const voter = await linkedResident(p, shequ, homeGrid.code);
    const v = (await p.as(shequ).post('/api/v1/participation/votes', {
      regionCode: homeCommunity.code, title: '积分测试表决', choice: 'single', voterUnit: 'person', anonymous: true,
      opensAt: '2026-11-16T00:00:00Z', closesAt: '2026-11-20T00:00:00Z', options: ['是', '否'],
    })).body;
    await Promise.all([1, 2, 3].map(() => p.as(voter.token).post(`/api/v1/participation/votes/${v.id}/ballots`, { optionIds: [v.options[0].id] })));
    expect((await p.as(voter.token).get(`${PTS}/ledger`)).body).toMatchObject({ balance: 2, entries: [{ delta: 2, reason: '参与社区表决' }] });
    const wish = (await p.as(await p.login('jumin')).post('/api/v1/participation/wishes', { title: '想要一把雨伞', category: 'goods' })).body;
    await p.as(voter.token).post(`/api/v1/participation/wishes/${wish.id}/claim`, { kind: 'volunteer' });
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a3a3f1f60000000049454e44ae426082', 'hex'))], { type: 'image/png' }), 'a.png');
    const photo = (await p.as(voter.token).send('POST', '/api/v1/attachments', form)).body.id;
    await p.as(voter.token).post(`/api/v1/participation/wishes/${wish.id}/fulfil`, { note: '送到了', photoId: photo });
    expect((await p.as(await p.login('jumin')).post(`/api/v1/participation/wishes/${wish.id}/confirm`, { thanks: '谢谢' })).status).toBe(200);
    expect((await p.as(voter.token).get(`${PTS}/ledger`)).body.balance).toBe(22);
  });
});

describe('the points shop, as staff keep it', () => {
  it('renames, reprices and shelves an item (audited), lists redemptions with masked names, and stays in its territory', async () => {
    const r = await linkedResident(p, shequ, homeGrid.code, { name: '孙小梅' });
    expect((await p.as(shequ).post(`${PTS}/awards`, { personId: r.personId, ruleId: plus.id, note: '扫雪' })).status).toBe(201);
    const soap = (await p.as(shequ).post(`${PTS}/shop`, { regionCode: homeCommunity.code, name: '香皂', cost: 4, stock: 5 })).body;
    const changed = await p.as(shequ).send('PATCH', `${PTS}/shop/${soap.id}`, { name: '香皂（两块装）', cost: 6 });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({ name: '香皂（两块装）', cost: 6, stock: 5, active: true, redeemed: 0 });
    expect(changed.body.regionName).toBeTruthy();
    // the new price is what the resident pays
    expect((await p.as(r.token).post(`${PTS}/redemptions`, { itemId: soap.id })).body).toMatchObject({ cost: 6, balance: 4 });
    const list = (await p.as(shequ).get(`${PTS}/redemptions?itemId=${soap.id}`)).body.items;
    expect(list).toEqual([expect.objectContaining({ item: '香皂（两块装）', cost: 6, name: '孙**' })]);
    // off the shelf: residents neither see nor redeem it; staff still see it, with what went out
    expect((await p.as(shequ).send('PATCH', `${PTS}/shop/${soap.id}`, { active: false })).body.active).toBe(false);
    expect((await p.as(r.token).get(`${PTS}/shop`)).body.items.map((i: any) => i.id)).not.toContain(soap.id);
    expectProblemStatus(await p.as(r.token).post(`${PTS}/redemptions`, { itemId: soap.id }), 404);
    expect((await p.as(shequ).get(`${PTS}/shop`)).body.items.find((i: any) => i.id === soap.id)).toMatchObject({ active: false, stock: 4, stocked: 5, redeemed: 1 });
    const audit = await p.ctx.db.query<any>(`SELECT detail FROM audit_log WHERE action = 'participation.shop.update' AND target = $1 ORDER BY id`, [`shop_item:${soap.id}`]);
    expect(audit.map((a) => [a.detail.before.cost, a.detail.after.cost, a.detail.after.active])).toEqual([[4, 6, true], [6, 6, false]]);
    // bad input, scope and abilities
    expectProblemStatus(await p.as(shequ).send('PATCH', `${PTS}/shop/${soap.id}`, {}), 400);
    expectProblemStatus(await p.as(shequ).send('PATCH', `${PTS}/shop/${soap.id}`, { cost: 0 }), 400);
    expectProblemStatus(await p.as(otherCommunity).send('PATCH', `${PTS}/shop/${soap.id}`, { active: true }), 404);
    expect((await p.as(otherCommunity).get(`${PTS}/redemptions`)).body.items.map((i: any) => i.itemId)).not.toContain(soap.id);
    expectProblemStatus(await p.as(r.token).get(`${PTS}/redemptions`), 403);
    expectProblemStatus(await p.as(r.token).send('PATCH', `${PTS}/shop/${soap.id}`, { active: true }), 403);
    expectProblemStatus(await p.as(await p.login('wangge')).get(`${PTS}/redemptions`), 403);
    // appeals show staff whose entry it is, masked
    const entry = (await p.as(r.token).get(`${PTS}/ledger`)).body.entries.find((e: any) => e.kind === 'rule');
    expect((await p.as(r.token).post(`${PTS}/entries/${entry.id}/appeal`, { reason: '那天我没有扫雪，记错人了' })).status).toBe(201);
    expect((await p.as(shequ).get(`${PTS}/appeals?status=open`)).body.items.find((a: any) => a.entryId === entry.id)).toMatchObject({ name: '孙**', delta: 10 });
  });
});
