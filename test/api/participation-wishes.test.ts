// 微心愿 (issue 16, item 1): a resident or a worker on their behalf posts; volunteers, party members and
// units claim (one claimant when claims race); fulfilment with a photo; the wisher confirms and thanks;
// the public wall per community shows the wisher masked; moderation is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblemStatus, testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeCommunity, homeGrid, otherGrid } from '../helpers/fixtures.ts';
import { linkedResident, RESIDENT_PASSWORD } from './participation-helpers.ts';
import { person } from './registry-helpers.ts';
import { createUser } from '../../src/platform/auth/service.ts';

let p: TestPlatform;
let shequ: string, wangge: string, jumin: string, chengguan: string, otherCommunity: string;
const W = '/api/v1/participation/wishes';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a3a3f1f60000000049454e44ae426082', 'hex');

async function upload(token: string, content = PNG, type = 'image/png', name = '送菜上门.png'): Promise<number> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(Buffer.concat([content, Buffer.from(String(Math.random()))]))], { type }), name);
  const r = await p.as(token).send('POST', '/api/v1/attachments', form);
  expect(r.status, r.text).toBe(201);
  return r.body.id;
}

beforeAll(async () => {
  p = await testPlatform('2026-11-16T02:00:00Z');
  [shequ, wangge, jumin, chengguan] = [await p.login('shequ'), await p.login('wangge'), await p.login('jumin'), await p.login('chengguan')];
  otherCommunity = await p.login(`sq${otherGrid.code.slice(0, 12)}`);
}, 120_000);
afterAll(async () => { await p?.close(); });

describe('a wish from posting to thanks', () => {
  it('is posted by a resident, claimed by one volunteer of two racing, fulfilled with a photo and confirmed', async () => {
    const posted = await p.as(jumin).post(W, { title: '想要一副老花镜', description: '看报纸吃力，想要一副300度的老花镜', category: 'goods' });
    expect(posted.status, posted.text).toBe(201);
    const id = posted.body.id;
    expect(posted.body).toMatchObject({ state: 'open', wisher: '孙*', mine: true, communityCode: homeCommunity.code });
    // the public wall, without signing in: the wisher masked, no personal data
    const wall = await p.as(null).get(`/api/v1/participation/wall/${homeCommunity.code}`);
    expect(wall.status, wall.text).toBe(200);
    const onWall = wall.body.items.find((w: any) => w.id === id);
    expect(onWall).toMatchObject({ title: '想要一副老花镜', wisher: '孙*', hasPhoto: false });
    expect(wall.text).not.toContain('孙强');
    // two volunteers claim at once: one claimant
    const [v1, v2] = await Promise.all([linkedResident(p, shequ, homeGrid.code, { name: '周志愿' }), linkedResident(p, shequ, homeGrid.code, { name: '吴志愿' })]);
    const claims = await Promise.all([v1, v2].map((v) => p.as(v.token).post(`${W}/${id}/claim`, { kind: 'volunteer' })));
    expect(claims.map((c) => c.status).sort()).toEqual([200, 409]);
    expect(claims.find((c) => c.status === 409)!.body.code).toBe('already_claimed');
    const winner = claims[0].status === 200 ? v1 : v2;
    const loser = winner === v1 ? v2 : v1;
    // the person's name masked, not the account's role word ("居民 周志愿" shows as 周**, never 居***)
    expect(claims.find((c) => c.status === 200)!.body).toMatchObject({ state: 'claimed', claimant: { kind: 'volunteer', name: winner === v1 ? '周**' : '吴**' } });
    // only the claimant fulfils, with a photo they uploaded
    expectProblemStatus(await p.as(loser.token).post(`${W}/${id}/fulfil`, { note: '已送达', photoId: await upload(loser.token) }), 403, 'not_claimant');
    expectProblemStatus(await p.as(winner.token).post(`${W}/${id}/fulfil`, { note: '已送达', photoId: await upload(loser.token) }), 422, 'unknown_photo');
    expectProblemStatus(await p.as(winner.token).post(`${W}/${id}/confirm`, { thanks: '谢谢' }), 403, 'not_wisher');
    expectProblemStatus(await p.as(jumin).post(`${W}/${id}/confirm`, { thanks: '谢谢' }), 409, 'not_fulfilled');
    const done = await p.as(winner.token).post(`${W}/${id}/fulfil`, { note: '已把老花镜送到孙大爷家', photoId: await upload(winner.token) });
    expect(done.status, done.text).toBe(200);
    expect(done.body).toMatchObject({ state: 'fulfilled', hasPhoto: true });
    // the wisher sees the photo, the wall does not
    const photo = await p.as(jumin).get(`${W}/${id}/photo`);
    expect(photo.status).toBe(200);
    expect(photo.headers['content-type']).toBe('image/png');
    expectProblemStatus(await p.as(loser.token).get(`${W}/${id}/photo`), 404);
    const thanked = await p.as(jumin).post(`${W}/${id}/confirm`, { thanks: '谢谢小周，眼镜很合适！' });
    expect(thanked.body).toMatchObject({ state: 'confirmed', thanks: '谢谢小周，眼镜很合适！' });
    const after = (await p.as(null).get(`/api/v1/participation/wall/${homeCommunity.code}`)).body;
    expect(after.items.find((w: any) => w.id === id)).toMatchObject({ state: 'confirmed', thanks: '谢谢小周，眼镜很合适！' });
    expect(after.fulfilled).toBeGreaterThanOrEqual(1);
    expect((await p.as(winner.token).get(`${W}?mine=claimed`)).body.items.map((w: any) => w.id)).toContain(id);
  });

  it('is posted by a grid worker for a resident, claimed by a unit, and confirmed by the worker', async () => {
    const r = await p.as(wangge).post(W, { title: '帮忙修理漏水的水龙头', category: 'service', regionCode: homeGrid.code, wisher: { name: '钱秀英', phone: '13900001111' } });
    expect(r.status, r.text).toBe(201);
    expect(r.body.wisher).toBe('钱**');
    expect(JSON.stringify(r.body)).not.toContain('13900001111');
    const claim = await p.as(chengguan).post(`${W}/${r.body.id}/claim`, { kind: 'unit' });
    expect(claim.status, claim.text).toBe(200);
    expect(claim.body.claimant.kind).toBe('unit');
    expect(claim.body.claimant.name).toContain('城');
    await p.as(chengguan).post(`${W}/${r.body.id}/fulfil`, { note: '已更换水龙头', photoId: await upload(chengguan) });
    expect((await p.as(wangge).post(`${W}/${r.body.id}/confirm`, { thanks: '钱阿姨托我转达感谢' })).body.state).toBe('confirmed');
    // the worker's posting needs the wisher; a resident cannot post for someone else
    expectProblemStatus(await p.as(wangge).post(W, { title: '想学用智能手机', category: 'study' }), 422, 'wisher_required');
    expectProblemStatus(await p.as(jumin).post(W, { title: '想学用智能手机', category: 'study', wisher: { name: '某某' }, regionCode: homeGrid.code }), 422, 'resident_posts_own');
    expectProblemStatus(await p.as(otherCommunity).post(W, { title: '想学用智能手机', category: 'study', regionCode: homeGrid.code, wisher: { name: '某某' } }), 422, 'outside_scope');
  });

  it('lets the wisher withdraw an open wish and a claimant give a claim back', async () => {
    const a = (await p.as(jumin).post(W, { title: '想要几本儿童绘本', category: 'study' })).body;
    const v = await linkedResident(p, shequ, homeGrid.code);
    expectProblemStatus(await p.as(jumin).post(`${W}/${a.id}/claim`, { kind: 'volunteer' }), 422, 'own_wish');
    await p.as(v.token).post(`${W}/${a.id}/claim`, { kind: 'party_member' });
    expectProblemStatus(await p.as(jumin).post(`${W}/${a.id}/withdraw`, {}), 409, 'not_open');
    expect((await p.as(v.token).post(`${W}/${a.id}/release`, {})).body.state).toBe('open');
    expect((await p.as(jumin).post(`${W}/${a.id}/withdraw`, {})).body.state).toBe('withdrawn');
    expect((await p.as(null).get(`/api/v1/participation/wall/${homeCommunity.code}`)).body.items.map((w: any) => w.id)).not.toContain(a.id);
  });
});

describe('the wisher on the walls', () => {
  it('shows a phone sign-in resident as 居民 with the phone tail, and the linked person\'s masked name once linked, never a lone digit', async () => {
    // an account as the first phone sign-in makes it: display name 居民 139****4321, the phone masked on its resident row
    const username = `rphone${Date.now() % 100000}`;
    const userId = await createUser(p.ctx.db, { username, displayName: '居民 139****4321', password: RESIDENT_PASSWORD, role: 'resident', regionCode: homeCommunity.code });
    await p.ctx.db.query(`INSERT INTO pt_resident (user_id, district_code, region_code, phone_hash, phone_masked) VALUES ($1, $2, $3, $4, '139****4321')`,
      [userId, homeCommunity.code.slice(0, 6), homeCommunity.code, p.ctx.cipher.lookupHash('13900004321')]);
    const token = await p.login(username, RESIDENT_PASSWORD);
    const before = await p.as(token).post(W, { title: '想学太极拳', category: 'study' });
    expect(before.status, before.text).toBe(201);
    const wisherOn = async (id: number) => (await p.as(null).get(`/api/v1/participation/wall/${homeCommunity.code}`)).body.items.find((w: any) => w.id === id)?.wisher;
    expect(await wisherOn(before.body.id)).toBe('居民（尾号4321）');
    // staff link the account to its registry person: the earlier wish and a new one show 王** (the person's masked name)
    const per = await p.as(shequ).post('/api/v1/persons', person(homeGrid.code, { name: '王建国' }));
    expect(per.status, per.text).toBe(201);
    expect((await p.as(shequ).post('/api/v1/participation/residents/link', { userId, personId: per.body.id })).status).toBe(200);
    const after = await p.as(token).post(W, { title: '想请人修自行车', category: 'service' });
    for (const id of [before.body.id, after.body.id]) expect(await wisherOn(id)).toBe('王**');
    expect((await p.as(token).get(`${W}/${after.body.id}`)).body.wisher).toBe('王**');
  });
});

describe('moderation', () => {
  it('hides, merges and answers with an audit trail, and reveals the wisher only for a purpose', async () => {
    const a = (await p.as(jumin).post(W, { title: '楼下路灯不亮想修好', category: 'other' })).body;
    const b = (await p.as(jumin).post(W, { title: '楼下路灯坏了', category: 'other' })).body;
    const ans = await p.as(shequ).post(`${W}/${a.id}/moderate`, { action: 'answer', note: '已转城管维修，本周内修复' });
    expect(ans.status, ans.text).toBe(200);
    expect(ans.body.answer).toBe('已转城管维修，本周内修复');
    const merged = await p.as(shequ).post(`${W}/${b.id}/moderate`, { action: 'merge', intoId: a.id });
    expect(merged.body).toMatchObject({ hidden: true, mergedInto: a.id });
    expect(merged.body.moderation.map((m: any) => m.action)).toEqual(['merge']);
    const wall = (await p.as(null).get(`/api/v1/participation/wall/${homeCommunity.code}`)).body.items.map((w: any) => w.id);
    expect(wall).toContain(a.id);
    expect(wall).not.toContain(b.id);
    // a hidden wish cannot be claimed
    expectProblemStatus(await p.as(chengguan).post(`${W}/${b.id}/claim`, { kind: 'unit' }), 404);
    const audit = await p.ctx.db.query<any>(`SELECT action, target FROM audit_log WHERE target IN ($1, $2) ORDER BY id`, [`wish:${a.id}`, `wish:${b.id}`]);
    expect(audit.map((x) => x.action)).toEqual(['participation.moderate.answer', 'participation.moderate.merge']);
    // reveal: a purpose, an audit row
    expectProblemStatus(await p.as(shequ).post(`${W}/${a.id}/wisher/reveal`, {}), 400);
    const rev = await p.as(shequ).post(`${W}/${a.id}/wisher/reveal`, { purpose: '电话联系心愿人确认需求' });
    expect(rev.body.name).toBe('孙强');
    expect((await p.ctx.db.query<any>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'participation.reveal_wisher' AND target = $1`, [`wish:${a.id}`]))[0].n).toBe(1);
    // another street's community and the grid worker may not moderate
    expectProblemStatus(await p.as(otherCommunity).post(`${W}/${a.id}/moderate`, { action: 'hide' }), 404);
    expectProblemStatus(await p.as(wangge).post(`${W}/${a.id}/moderate`, { action: 'hide' }), 403);
    expectProblemStatus(await p.as(shequ).post(`${W}/${a.id}/moderate`, { action: 'merge', intoId: a.id }), 422, 'merge_target');
    // staff lists are scoped
    expect((await p.as(shequ).get(W)).body.items.map((w: any) => w.id)).toContain(a.id);
    expect((await p.as(otherCommunity).get(W)).body.items.map((w: any) => w.id)).not.toContain(a.id);
  });

  it('hides a wish only with a reason, like a topic: nothing written without one; the reason in the trail; the wisher told, and told when it is back', async () => {
    const w = (await p.as(jumin).post(W, { title: '想找人陪我去医院复查', category: 'care' })).body;
    const before = await p.ctx.db.query<any>(`SELECT count(*)::int AS n FROM pt_moderation WHERE subject = 'wish' AND subject_id = $1`, [w.id]);
    const bare = await p.as(shequ).post(`${W}/${w.id}/moderate`, { action: 'hide' }, { 'accept-language': 'zh-CN' });
    expectProblemStatus(bare, 422, 'hide_reason_required');
    expect(bare.body.detail).toContain('隐藏心愿须选择原因');
    expect(bare.body.errors).toEqual([expect.objectContaining({ path: 'body.reason' })]);
    expectProblemStatus(await p.as(shequ).post(`${W}/${w.id}/moderate`, { action: 'hide', reason: 'other' }), 422, 'hide_reason_text_required');
    expectProblemStatus(await p.as(shequ).post(`${W}/${w.id}/moderate`, { action: 'hide', reason: 'rude' }), 400);
    expectProblemStatus(await p.as(shequ).post(`${W}/${w.id}/moderate`, { action: 'answer', note: '收到', reason: 'abusive' }), 422, 'reason_only_for_hide');
    expectProblemStatus(await p.as(wangge).post(`${W}/${w.id}/moderate`, { action: 'hide', reason: 'personal_data' }), 403);
    expectProblemStatus(await p.as(otherCommunity).post(`${W}/${w.id}/moderate`, { action: 'hide', reason: 'personal_data' }), 404);
    expect((await p.ctx.db.query<any>(`SELECT count(*)::int AS n FROM pt_moderation WHERE subject = 'wish' AND subject_id = $1`, [w.id]))[0].n).toBe(before[0].n);
    expect((await p.as(null).get(`/api/v1/participation/wall/${homeCommunity.code}`)).body.items.map((x: any) => x.id)).toContain(w.id);
    // with a reason: hidden, the reason and words in the trail, and the wisher finds a message
    const hid = await p.as(shequ).post(`${W}/${w.id}/moderate`, { action: 'hide', reason: 'personal_data', note: '描述里有身份证号，请去掉后重新发布' });
    expect(hid.status, hid.text).toBe(200);
    expect(hid.body).toMatchObject({ hidden: true, moderation: [{ action: 'hide', reason: 'personal_data', note: '描述里有身份证号，请去掉后重新发布' }] });
    const trail = (await p.as(shequ).get(`/api/v1/participation/moderation?subject=wish&subjectId=${w.id}`)).body.items;
    expect(trail).toMatchObject([{ action: 'hide', reason: 'personal_data', note: '描述里有身份证号，请去掉后重新发布' }]);
    const msgs = (await p.as(jumin).get('/api/v1/participation/me/messages')).body;
    expect(msgs.items[0]).toMatchObject({ kind: 'wish_hidden', subjectId: w.id, title: '想找人陪我去医院复查', reason: 'personal_data', note: '描述里有身份证号，请去掉后重新发布', read: false });
    // showing it again tells the wisher too
    await p.as(shequ).post(`${W}/${w.id}/moderate`, { action: 'unhide' });
    const after = (await p.as(jumin).get('/api/v1/participation/me/messages')).body.items.filter((m: any) => m.subjectId === w.id && m.kind.startsWith('wish_'));
    expect(after.map((m: any) => m.kind)).toEqual(['wish_unhidden', 'wish_hidden']);
    // others do not read the wisher's messages
    expect((await p.as(wangge).get('/api/v1/participation/me/messages')).body.items.filter((m: any) => m.subjectId === w.id && m.kind.startsWith('wish_'))).toEqual([]);
  });
});
