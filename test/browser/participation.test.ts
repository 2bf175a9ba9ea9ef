// Participation at 390×844, as residents would use it: the demo resident posts a 微心愿, the demo
// volunteer claims it and fulfils it with a photo, the resident confirms and thanks; the resident votes in
// the community's deliberation (加装电梯, one vote per household). A village secretary (the community's
// account) runs a 四议两公开 through its six steps to the public notice page. Staff at the console
// (1366×768): the community publishes a notice and sees it read; the street switches 平战转换 on and off
// while a volunteer accepts a task on the phone; the community merges a duplicate 议事 topic (seen in the
// moderation trail) and opens the volunteers and the points shop. A party member (dangyuan) sees their
// record on the phone and records a patrol of their grid.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumber } from '../api/registry-helpers.ts';
import type { Page } from 'playwright-core';
import { apiAs, choose, login, openBrowser, overflowsHorizontally, PHONE, samplePhoto, serverLog, shot, screenshotOnFailure, unlabelledControls, type Browser } from './helpers.ts';

let b: Browser;
beforeAll(async () => { b = await openBrowser(PHONE, { mobile: true }); });
afterAll(async () => { await b?.close(); });
screenshotOnFailure(() => b);

const as = async (username: string) => { await b.context.clearCookies(); await login(b.page, username); };

/**
 * Opens a tab of the phone page in one tap: every tab must be in view at 390 px (none hidden under the tab
 * bar's "…", where residents did not find 通知 and 党员).
 */
async function openTab(p: Page, name: string): Promise<void> {
  // a tab's unread count (通知 3, 我的 1) is part of its name
  const tab = p.getByRole('tab', { name: new RegExp(`^${name}\\s*\\d*$`) });
  await tab.waitFor();
  const [box, bar] = [await tab.boundingBox(), await p.locator('.ant-tabs-nav-wrap').first().boundingBox()];
  expect(box && bar && box.x >= bar.x && box.x + box.width <= bar.x + bar.width + 0.5, `tab ${name} is in view`).toBe(true);
  expect(await p.locator('.ant-tabs-nav-more').first().isVisible().catch(() => false)).toBe(false);
  await tab.click();
}
/** 议事 holds the votes, the topics and the surveys, one segment each. */
async function openPart(p: Page, name: '表决' | '议题' | '问卷'): Promise<void> {
  await openTab(p, '议事');
  await p.locator('.ant-segmented-item', { hasText: name }).click();
}
const WISH = '想请人帮忙修一下自行车';
/** The masked name of the registry person a demo resident is linked to (as their points ledger names them). */
async function maskedNameOf(username: string): Promise<string> {
  const name = (await (await apiAs(username)).get('/api/v1/participation/points/ledger')).name as string;
  expect(name).toMatch(/^[^\d*]\*+$/);
  return name;
}

describe('residents on a phone', () => {
  it('posts a wish, a volunteer fulfils it with a photo, the wisher confirms and thanks', async () => {
    const p = b.page;
    await as('jumin');
    await p.goto('/participation');
    await p.getByTestId('participation').waitFor();
    const form = p.getByTestId('wish-form');
    await form.getByLabel('心愿').fill(WISH);
    await form.getByLabel('说明').fill('车链条掉了，自己修不好，孩子上学要骑。');
    expect(await unlabelledControls(p)).toEqual([]);
    await form.getByRole('button', { name: '发布心愿' }).click();
    const card = () => p.getByTestId('wish').filter({ hasText: WISH });
    await expect.poll(() => card().getAttribute('data-state')).toBe('open');
    // the wall shows the wisher as their registry person's masked name (王**), never a digit of a phone
    await expect.poll(() => card().textContent()).toContain(`心愿人：${await maskedNameOf('jumin')}`);
    expect(await overflowsHorizontally(p)).toBe(false);
    await shot(p, '90-participation-wish-posted-phone');

    await as('zhiyuan');
    await p.goto('/participation');
    await card().getByRole('button', { name: '认领' }).click();
    await expect.poll(() => card().getAttribute('data-state')).toBe('claimed');
    await card().getByRole('button', { name: '完成心愿' }).click();
    await card().getByLabel('完成情况').fill('已上门把链条装好，顺便给轮胎打了气。');
    await card().locator('input[type=file]').setInputFiles({ name: 'bike.png', mimeType: 'image/png', buffer: samplePhoto() });
    const submit = card().locator('form').getByRole('button', { name: '完成心愿' });
    await expect.poll(() => submit.isEnabled()).toBe(true);
    await submit.click();
    await expect.poll(() => card().getAttribute('data-state')).toBe('fulfilled');
    await shot(p, '91-participation-wish-fulfilled-phone');

    await as('jumin');
    await p.goto('/participation');
    await expect.poll(() => card().getByRole('img', { name: '现场照片' }).count()).toBe(1);
    await card().getByRole('button', { name: '确认并致谢' }).click();
    await card().getByLabel('感谢的话').fill('谢谢志愿者周敏，车修好了！');
    await card().locator('form').getByRole('button', { name: '确认并致谢' }).click();
    await expect.poll(() => card().getAttribute('data-state')).toBe('confirmed');
    await expect.poll(() => card().textContent()).toContain('谢谢志愿者周敏，车修好了！');
    expect(await overflowsHorizontally(p)).toBe(false);
    await shot(p, '92-participation-wish-thanked-phone', true);
    expect(b.errors).toEqual([]);
  });

  it('votes in the community\'s deliberation, once per household', async () => {
    const p = b.page;
    await as('jumin');
    await p.goto('/participation');
    await openPart(p, '表决');
    const vote = p.getByTestId('vote').filter({ hasText: '加装电梯' });
    await vote.waitFor();
    await expect.poll(() => vote.textContent()).toContain('一户一票');
    await vote.getByRole('radio', { name: '同意', exact: true }).check();
    expect(await overflowsHorizontally(p)).toBe(false);
    await shot(p, '93-participation-vote-phone');
    await vote.getByRole('button', { name: '投票' }).click();
    await vote.getByTestId('voted').waitFor();
    await expect.poll(() => vote.getByRole('button', { name: '投票' }).count()).toBe(0);
    // the published vote shows its results to residents
    const published = p.getByTestId('vote').filter({ hasText: '广场舞' });
    await published.getByTestId('vote-results').waitFor();
    await shot(p, '94-participation-voted-phone', true);
    expect(b.errors).toEqual([]);
  });
});

describe('a resident proposes a topic and joins the volunteers', () => {
  it('proposes a 议事 topic and joins the volunteers on the phone', async () => {
    const p = b.page;
    await as('jumin');
    await p.goto('/participation');
    await openPart(p, '议题');
    await p.locator('form#topic').getByLabel('议题').fill('小区健身器材老化需要更换');
    await p.getByRole('button', { name: '提交议题' }).dblclick(); // a double tap makes one topic
    await p.getByText('小区健身器材老化需要更换').first().waitFor();
    await p.waitForTimeout(300);
    expect(await p.getByText('小区健身器材老化需要更换').count()).toBe(1);
    await openTab(p, '志愿');
    await p.getByLabel('特长（用逗号分隔）').fill('理发，修车');
    await p.getByRole('button', { name: '加入志愿者' }).click();
    await p.getByText('志愿服务时长（小时）').waitFor();
    // each activity says when and where; signing up for one three days ahead, check-in is not open yet
    const act = p.locator('.ant-list-item', { hasText: '周六小区环境清扫' });
    await expect.poll(() => act.getByTestId('activity-when').textContent()).toMatch(/时间：\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}—\d{2}:\d{2}/);
    expect(await act.getByTestId('activity-place').textContent()).toMatch(/^地点：/);
    // an activity that is over is marked so, with nothing to sign up for
    const past = p.locator('.ant-list-item', { hasText: '重阳节敬老院慰问' });
    await past.getByTestId('activity-ended').waitFor();
    expect(await past.getByRole('button').count()).toBe(0);
    await act.getByRole('button', { name: '报名' }).click();
    await act.getByRole('button', { name: '签到' }).click();
    await p.getByText(/开始前 1 小时起才能签到/).waitFor();
    expect(await overflowsHorizontally(p)).toBe(false);
    await shot(p, '99-participation-volunteer-phone', true);
    expect(b.errors).toEqual([]);
  });
});

describe('a resident answers a survey', () => {
  it('answers the 平安建设民意调查 on the phone, and the community sees it in the results', async () => {
    const p = b.page;
    await as('jumin');
    await p.goto('/participation');
    await openPart(p, '问卷');
    const survey = p.getByTestId('survey').filter({ hasText: '平安建设民意调查' });
    await survey.waitFor();
    const questions = survey.locator('.ant-form-item');
    // four scales (1–5), a multiple choice, a single choice, a text
    for (let i = 0; i < 4; i++) await questions.nth(i).locator('label.ant-radio-button-wrapper').getByText('4', { exact: true }).click();
    await questions.nth(4).getByRole('checkbox', { name: '电信诈骗' }).check();
    await questions.nth(5).getByRole('radio', { name: '否' }).check();
    await questions.nth(6).getByRole('textbox').fill('小区东门晚上路灯太暗');
    expect(await overflowsHorizontally(p)).toBe(false);
    await shot(p, '97-participation-survey-phone', true);
    await survey.getByRole('button', { name: '提交问卷' }).click();
    await survey.getByTestId('survey-answered').waitFor();
    await as('shequ');
    await p.goto('/participation/manage');
    await p.getByRole('tab', { name: '问卷' }).click();
    await p.getByText('2026年第四季度平安建设民意调查').click();
    const results = p.getByTestId('survey-results');
    await expect.poll(() => results.textContent()).toContain('共 6 份（网上 1，电话 5）');
    await expect.poll(() => results.textContent()).toContain('小区东门晚上路灯太暗');
    await results.getByTestId('index-safety').waitFor();
    await shot(p, '98-participation-survey-results-phone', true);
    expect(b.errors).toEqual([]);
  });
});

describe('a village secretary', () => {
  it('runs a 四议两公开 through its six steps to the public notice', async () => {
    const p = b.page;
    await as('shequ');
    await p.goto('/participation/manage');
    await p.getByRole('tab', { name: '四议两公开' }).click();
    const title = '村民活动中心屋顶防水维修';
    await p.getByLabel('事项', { exact: true }).fill(title);
    await p.getByLabel('事项说明').fill('活动中心屋顶漏水，拟使用村集体资金4.8万元维修。');
    // a double click starts one procedure
    await p.getByTestId('start-procedure').dblclick();
    await p.getByText(title).first().waitFor();
    await p.waitForTimeout(300);
    expect(await p.locator('.ant-collapse-header', { hasText: title }).count()).toBe(1);
    await p.getByText(title).click();
    const proc = p.getByTestId('procedure');
    const next = proc.getByTestId('next-step');
    // the day held defaults to today (China time)
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect(await next.getByLabel('召开日期').inputValue()).toBe(today);
    // a typo that would fail the step: the console says what happens and records nothing until confirmed
    await next.getByLabel('应到').fill('5');
    await next.getByLabel('实到').fill('2');
    await next.getByLabel('赞成').fill('2');
    await next.getByLabel('记录').fill('第1步会议记录。');
    await next.getByRole('button', { name: '记录本步' }).click();
    const ask = p.locator('.ant-modal-confirm');
    await ask.locator('.ant-modal-confirm-title', { hasText: '本步未达法定人数，事项将终止' }).waitFor();
    await shot(p, '94-participation-procedure-confirm-failure-phone');
    await ask.getByRole('button', { name: '返回修改' }).click();
    await ask.waitFor({ state: 'hidden' });
    expect(await proc.locator('[data-testid=procedure-step][data-done=true]').count()).toBe(0);
    await next.getByTestId('attendees').locator('input').fill('王书记、李委员、张委员、赵委员、钱委员、');
    const counts: Array<[number, number, number]> = [[5, 5, 5], [9, 9, 8], [40, 31, 29], [60, 48, 45]];
    for (const [i, [expected, present, votesFor]] of counts.entries()) {
      await next.getByLabel('应到').fill(String(expected));
      await next.getByLabel('实到').fill(String(present));
      await next.getByLabel('赞成').fill(String(votesFor));
      await next.getByLabel('弃权').fill(String(present - votesFor));
      await next.getByLabel('记录').fill(`第${i + 1}步会议记录：同意屋顶防水维修方案。`);
      await next.getByRole('button', { name: '记录本步' }).click();
      await expect.poll(() => proc.locator('[data-testid=procedure-step][data-done=true]').count()).toBe(i + 1);
    }
    await expect.poll(() => proc.locator('[data-testid=procedure-step]').first().textContent()).toContain('与会人员：王书记、李委员、张委员、赵委员、钱委员');
    await shot(p, '95-participation-procedure-steps-phone', true);
    await next.getByLabel('公告内容').fill('经村民代表会议决议：使用村集体资金4.8万元维修活动中心屋顶，公示7天。');
    await next.getByRole('button', { name: '发布公开' }).click();
    const link = proc.getByTestId('notice-link');
    await link.waitFor();
    // 决议公开 is a publication, not a vote
    const published = proc.locator('[data-testid=procedure-step]').nth(4);
    await expect.poll(() => published.textContent()).toContain('已公开');
    expect(await published.textContent()).not.toContain('通过');
    const href = await link.getAttribute('href');
    // the public notice, for anyone, without signing in
    await b.context.clearCookies();
    await p.goto(href!);
    const notice = p.getByTestId('public-notice');
    await notice.getByRole('heading', { name: title }).waitFor();
    await expect.poll(() => notice.getByTestId('notice-step').count()).toBe(5);
    await expect.poll(() => notice.textContent()).toContain('到会 48/60');
    await expect.poll(() => notice.textContent()).toContain('公示7天');
    expect(await notice.textContent()).toContain(today.replace(/-0?/g, '/'));
    expect(await overflowsHorizontally(p)).toBe(false);
    await shot(p, '96-participation-public-notice-phone', true);
    expect(b.errors).toEqual([]);
  });
});

/** The community's label in the visitor's list: street · community. */
async function communityOf(username: string): Promise<{ code: string; label: string; region: string }> {
  const api = await apiAs(username);
  const region = (await api.get('/api/v1/participation/me')).regionCode as string;
  const all = (await api.get('/api/v1/participation/communities')).items as Array<{ code: string; name: string; streetName: string | null }>;
  const c = all.find((x) => x.code === region.slice(0, 12))!;
  return { code: c.code, label: c.streetName ? `${c.streetName} · ${c.name}` : c.name, region };
}

describe('visitors and new residents on a phone', () => {
  it('a visitor opens a community\'s wish wall and its public notices without signing in', async () => {
    const p = b.page;
    const home = await communityOf('jumin');
    await b.context.clearCookies();
    await p.evaluate(() => localStorage.clear()).catch(() => undefined);
    await p.goto('/portal');
    await p.getByTestId('portal-wall').click();
    await p.getByTestId('portal-wishes').waitFor();
    await choose(p, '选择社区（村）', home.label.split(' · ').at(-1)!, home.label);
    const wish = p.getByTestId('wall-wish').filter({ hasText: WISH });
    await wish.waitFor();
    // the wisher masked, no contact; a visitor is asked to sign in to take an open wish on
    expect(await wish.textContent()).toContain(`心愿人：${await maskedNameOf('jumin')}`);
    expect(await p.getByTestId('portal-wishes').textContent()).not.toMatch(/1\d{10}/);
    expect(await unlabelledControls(p)).toEqual([]);
    expect(await overflowsHorizontally(p)).toBe(false);
    await shot(p, '9b-portal-wish-wall-phone', true);
    // the notice board of the same community (remembered): the secretary's matter with its 公开 dates
    await p.goto('/portal');
    await p.getByTestId('portal-public-notices').click();
    const item = p.getByTestId('public-notice-item').filter({ hasText: '村民活动中心屋顶防水维修' });
    await item.waitFor();
    expect(await item.textContent()).toMatch(/决议公开：\d{4}\/\d{1,2}\/\d{1,2}/);
    expect(await item.textContent()).toContain('实施结果待公开');
    expect(await overflowsHorizontally(p)).toBe(false);
    await shot(p, '9c-portal-public-notices-phone', true);
    // the demo community has its own matter carried to the result; titles look like links
    await p.getByTestId('public-notice-item').filter({ hasText: '雨污分流改造' }).waitFor();
    const titleLink = item.getByTestId('public-notice-link');
    expect(await titleLink.evaluate((e) => getComputedStyle(e).textDecorationLine)).toBe('underline');
    await item.getByRole('link', { name: '村民活动中心屋顶防水维修' }).click();
    await p.getByTestId('public-notice').getByRole('heading', { name: '村民活动中心屋顶防水维修' }).waitFor();
    // the notice page is in the portal's frame, with a way back to the list of the same community
    await p.locator('.gz-portal-header').waitFor();
    await p.getByTestId('notice-back').click();
    await p.getByTestId('public-notice-item').filter({ hasText: '村民活动中心屋顶防水维修' }).waitFor();
    expect(b.errors).toEqual([]);
  });

  it('a new resident signs in with their phone and a code, then links their identity on 我的', async () => {
    const p = b.page;
    const home = await communityOf('jumin');
    // the registry has them (the community registered their ID number and phone)
    const phone = `136${String(Date.now()).slice(-8)}`;
    const id = idNumber();
    await (await apiAs('shequ')).post('/api/v1/persons', { regionCode: home.region, populationType: 'registered', idNumber: id, name: '周新民', phone, ethnicity: '01' });
    await b.context.clearCookies();
    await p.goto('/portal');
    await p.getByTestId('portal-sign-in').click();
    const form = p.getByTestId('resident-sign-in');
    await form.getByLabel('手机号').fill(phone);
    await form.getByTestId('send-code').click();
    // no SMS gateway in the demo: the page says the code is in the server log, where the operator reads it
    await expect.poll(() => form.getByTestId('code-sent').textContent()).toContain('服务器日志');
    const log = serverLog();
    let code: string | undefined;
    await expect.poll(() => {
      const lines = readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('development SMS') && l.includes(`${phone.slice(0, 3)}****${phone.slice(-4)}`));
      code = /验证码是 (\d{6})/.exec(lines.at(-1) ?? '')?.[1];
      return code;
    }).toMatch(/^\d{6}$/);
    await form.getByLabel('验证码').fill(code!);
    await form.getByRole('button', { name: '登录' }).click();
    // the code is right; a first sign-in then asks where they live, as a second step (no error), ending with 完成
    await expect.poll(() => form.getByTestId('sign-in-first-time').textContent()).toContain('首次登录，请选择您居住的社区');
    expect(await form.getByTestId('sign-in-error').count()).toBe(0);
    await choose(p, '所在社区（村）', home.label.split(' · ').at(-1)!, home.label);
    expect(await unlabelledControls(p)).toEqual([]);
    await shot(p, '9d-resident-sign-in-phone', true);
    await form.getByRole('button', { name: '完成' }).click();
    await p.getByTestId('participation').waitFor();
    // not linked yet: the page points to 我的, where 关联身份 is
    await p.getByRole('button', { name: '去关联' }).click();
    const link = p.getByTestId('link-identity');
    await link.getByLabel('身份证号').fill(idNumber());
    await link.getByLabel('登记的手机号').fill(phone);
    await link.getByRole('button', { name: '核对并关联' }).click();
    await p.getByText('身份证号与手机号未能匹配登记信息，请联系社区确认').waitFor();
    await link.getByLabel('身份证号').fill(id);
    expect(await unlabelledControls(p)).toEqual([]);
    await link.getByRole('button', { name: '核对并关联' }).click();
    await p.getByTestId('linked').waitFor();
    // linked: the points are theirs now; with no registered household, a vote by household tells them so before any ballot
    await p.getByText('我的积分').waitFor();
    expect(await p.getByTestId('linked').textContent()).toContain('尚未登记户信息');
    await openPart(p, '表决');
    const byHousehold = p.getByTestId('vote').filter({ hasText: '加装电梯' });
    await expect.poll(() => byHousehold.getByTestId('vote-ineligible').textContent()).toContain('请联系社区为您登记户信息');
    expect(await byHousehold.getByRole('radio').count()).toBe(0);
    await openTab(p, '我的');
    // at 0 points nothing in the shop can be redeemed: the buttons are off and say why
    const shopItem = p.getByTestId('shop-item').first();
    await expect.poll(() => shopItem.getByTestId('shop-hint').textContent()).toContain('积分不足');
    expect(await shopItem.getByRole('button', { name: '兑换' }).isDisabled()).toBe(true);
    expect(await overflowsHorizontally(p)).toBe(false);
    await shot(p, '9e-resident-linked-phone', true);
    expect(b.errors).toEqual([]);
  });
});

describe('a party member', () => {
  it('sees their record on the phone — patrols and services of their grid — and records a patrol of their own', async () => {
    const p = b.page;
    await as('dangyuan');
    await p.goto('/participation');
    await openTab(p, '党员');
    const record = p.getByTestId('party-record');
    await record.getByText('社区第一党支部').waitFor();
    const history = p.getByTestId('party-history').locator('.ant-list-item');
    await expect.poll(() => history.count()).toBe(3);
    // yesterday morning, China time
    const yesterday = new Date(Date.now() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
    await record.getByLabel('日期').fill(yesterday);
    await record.getByLabel('开始').fill('06:30');
    await record.getByLabel('结束').fill('07:30');
    await record.getByLabel('巡逻情况').fill('清晨巡查小区东门，路灯已修复');
    expect(await unlabelledControls(p)).toEqual([]);
    await record.getByRole('button', { name: '登记巡逻' }).click();
    await expect.poll(() => history.count()).toBe(4);
    await expect.poll(() => history.first().textContent()).toContain('清晨巡查小区东门，路灯已修复');
    expect(await record.textContent()).toMatch(/巡逻时长[\d.]+ 小时/);
    expect(await overflowsHorizontally(p)).toBe(false);
    await shot(p, '9a-participation-party-record-phone', true);
    expect(b.errors).toEqual([]);
  });
});

describe('staff at the console', () => {
  let d: Browser;
  beforeAll(async () => { d = await openBrowser(); });
  afterAll(async () => { await d?.close(); });
  screenshotOnFailure(() => d);
  const staff = async (username: string) => { await d.context.clearCookies(); await login(d.page, username); };

  it('a community worker publishes a notice and sees its read count rise when a resident reads it', async () => {
    const p = d.page;
    const title = '关于开展冬季消防安全检查的通知';
    await staff('shequ');
    await p.getByRole('navigation').getByRole('link', { name: '通知公告' }).click();
    const form = p.locator('form#announcement');
    await form.getByLabel('标题').fill(title);
    await form.getByLabel('正文').fill('各位居民：\n12月10日起社区将逐户检查燃气和电动车充电情况，请居民配合。\n营盘街社区居委会');
    expect(await unlabelledControls(p)).toEqual([]);
    await form.getByRole('button', { name: '发布' }).click();
    const row = p.getByTestId('announcements').locator('tr', { hasText: title });
    // the count says whom it counts: the region's resident accounts
    await expect.poll(() => row.getByTestId('read-count').textContent()).toMatch(/^已读 0 \/ \d+ 个居民账号/);
    // the resident opens it on the phone: it says 已读 at once, and its lines are kept
    await as('jumin');
    await b.page.goto('/participation');
    await openTab(b.page, '通知');
    const notice = b.page.getByTestId('notice').filter({ hasText: title });
    expect(await notice.textContent()).toContain('未读');
    const read = b.page.waitForResponse((r) => r.url().includes('/read') && r.request().method() === 'POST');
    await b.page.getByText(title).click();
    await expect.poll(() => notice.getAttribute('data-read')).toBe('true');
    expect(await notice.textContent()).toContain('已读');
    expect(await notice.textContent()).not.toContain('未读');
    const body = b.page.getByTestId('notice-body').filter({ hasText: '逐户检查燃气' });
    expect(await body.evaluate((e) => getComputedStyle(e).whiteSpace)).toBe('pre-wrap');
    expect((await body.boundingBox())!.height).toBeGreaterThan(3 * 18); // three lines, not one run-on paragraph
    expect((await read).ok()).toBe(true);
    await shot(b.page, 'a0b-participation-notice-read-phone');
    await p.reload();
    await expect.poll(() => row.getByTestId('read-count').textContent()).toMatch(/^已读 1 \/ \d+ 个居民账号/);
    // who has not read: masked names, as the walls show residents
    const [reads, audience] = (await row.getByTestId('read-count').textContent())!.match(/已读 (\d+) \/ (\d+)/)!.slice(1).map(Number);
    if (audience > reads) {
      await row.getByTestId('unread-open').click();
      const list = p.getByRole('dialog').getByTestId('unread-list');
      await expect.poll(() => list.locator('.ant-list-item').count()).toBe(audience - reads);
      for (const name of await list.locator('.ant-list-item').allTextContents()) expect(name).not.toMatch(/\d{5,}/);
      expect(await p.getByRole('dialog').textContent()).toContain('居民账号');
      await shot(p, 'a0c-participation-announcement-unread-desktop');
      await p.keyboard.press('Escape');
    }
    await shot(p, 'a0-participation-announcements-desktop');
    expect([...d.errors, ...b.errors]).toEqual([]);
  });

  it('a street switches its region to emergency, a volunteer accepts and checks in on the phone, and the street returns it to normal', async () => {
    const p = d.page;
    const task = '转移低洼地带群众';
    await staff('jiedao');
    await p.goto('/participation/emergency');
    await p.getByTestId('emergency-normal').waitFor();
    const form = p.getByTestId('emergency-form');
    await form.getByLabel('启动原因').fill('暴雨红色预警，启动应急状态');
    await form.getByLabel('任务 1', { exact: true }).fill(task);
    await form.getByRole('button', { name: '启动应急状态' }).click();
    const active = p.getByTestId('emergency-active');
    await active.waitFor();
    // the toast says whom the tasks reached: the volunteers and the staff of the street
    await expect.poll(() => p.locator('.ant-message').textContent()).toMatch(/任务已推送给 \d+ 名志愿者和 \d+ 名工作人员/);
    // the task reaches the volunteer first in the list; they accept it and check in
    await as('zhiyuan');
    await b.page.goto('/participation');
    await openTab(b.page, '志愿');
    const item = b.page.locator('.ant-list-item', { hasText: task });
    await item.getByRole('button', { name: '接受任务' }).click();
    await item.getByRole('button', { name: '签到' }).click();
    await item.getByText('已签到').waitFor();
    // arriving is not the work done: the hours come when the emergency ends
    await item.getByText('应急结束后计入时长').waitFor();
    await p.reload();
    const tasks = active.getByTestId('emergency-tasks');
    await expect.poll(() => tasks.locator('tr', { hasText: task }).textContent()).toContain('1/20');
    await expect.poll(() => tasks.locator('tr', { hasText: task }).textContent()).toContain('1/1');
    // who accepted and checked in, by name
    await expect.poll(() => tasks.locator('tr', { hasText: task }).getByTestId('emergency-task-people').textContent()).toContain('已到岗');
    // the grid worker inside the street is told on 今日, with the task and the way to the page
    await as('wangge');
    await b.page.goto('/');
    const now = b.page.getByTestId('today-emergency');
    await expect.poll(() => now.textContent()).toContain('暴雨红色预警');
    await expect.poll(() => now.getByTestId('emergency-now-tasks').textContent()).toContain(task);
    await shot(b.page, 'a1-participation-emergency-today-phone', true);
    await now.getByTestId('today-emergency-link').click();
    await b.page.getByTestId('emergency-active').waitFor();
    expect(await b.page.getByTestId('emergency-normal').count()).toBe(0);
    await shot(p, 'a1-participation-emergency-on-desktop');
    await active.getByRole('button', { name: '恢复常态' }).click();
    const dialog = p.getByRole('dialog');
    await dialog.getByLabel('恢复说明').fill('预警解除，恢复常态');
    await dialog.getByRole('button', { name: '恢复常态' }).click();
    await p.getByTestId('emergency-normal').waitFor();
    const record = p.getByTestId('emergency-record').locator('tbody tr').first();
    await expect.poll(() => record.textContent()).toContain('预警解除，恢复常态');
    await expect.poll(() => record.textContent()).toContain('已恢复常态');
    await shot(p, 'a2-participation-emergency-record-desktop');
    // back to normal: 今日 no longer shows it
    const listed = b.page.waitForResponse((r) => r.url().endsWith('/api/v1/participation/mobilisations'));
    await b.page.goto('/');
    expect((await listed).ok()).toBe(true);
    await b.page.getByTestId('today-report').waitFor();
    expect(await b.page.getByTestId('today-emergency').count()).toBe(0);
    expect([...d.errors, ...b.errors]).toEqual([]);
  });

  it('the community gives a resident a 关联码 from their registry record, and the resident links with it on the phone', async () => {
    const p = d.page;
    const home = await communityOf('jumin');
    const phone = `135${String(Date.now()).slice(-8)}`;
    const per = await (await apiAs('shequ')).post('/api/v1/persons', { regionCode: home.region, populationType: 'registered', idNumber: idNumber(), name: '吴晓梅', phone: '13900001234', ethnicity: '01' });
    await staff('shequ');
    await p.goto(`/registry/persons/${per.id}`);
    await p.getByTestId('make-link-code').click();
    const shown = p.getByTestId('link-code');
    await shown.waitFor();
    const code = /[2-9A-Z]{4}-[2-9A-Z]{4}/.exec((await shown.textContent()) ?? '')?.[0];
    expect(code).toBeTruthy();
    await shot(p, 'a7-participation-link-code-desktop');
    // the resident, new on the phone (their registered phone is another): signs in, then enters the code on 我的
    const q = b.page;
    await b.context.clearCookies();
    await q.goto('/portal/sign-in');
    const form = q.getByTestId('resident-sign-in');
    await form.getByLabel('手机号').fill(phone);
    await form.getByTestId('send-code').click();
    await form.getByTestId('code-sent').waitFor();
    let otp: string | undefined;
    await expect.poll(() => {
      const lines = readFileSync(serverLog(), 'utf8').split('\n').filter((l) => l.includes('development SMS') && l.includes(`${phone.slice(0, 3)}****${phone.slice(-4)}`));
      otp = /验证码是 (\d{6})/.exec(lines.at(-1) ?? '')?.[1];
      return otp;
    }).toMatch(/^\d{6}$/);
    await form.getByLabel('验证码').fill(otp!);
    await form.getByRole('button', { name: '登录' }).click();
    await form.getByTestId('sign-in-first-time').waitFor();
    await choose(q, '所在社区（村）', home.label.split(' · ').at(-1)!, home.label);
    await form.getByRole('button', { name: '完成' }).click();
    await q.getByTestId('participation').waitFor();
    await openTab(q, '我的');
    const link = q.getByTestId('link-identity');
    await link.getByLabel('网格员给的关联码').fill(code!.toLowerCase());
    await link.getByRole('button', { name: '用关联码关联' }).click();
    await q.getByTestId('linked').waitFor();
    expect(await overflowsHorizontally(q)).toBe(false);
    expect([...d.errors, ...b.errors]).toEqual([]);
  });

  it('hiding a topic asks the reason; the author reads it in 我的 › 消息, one tap from home', async () => {
    const p = d.page;
    const topic = '3号楼王某某家养狗扰民，电话139xxxx';
    await (await apiAs('jumin')).post('/api/v1/participation/topics', { title: topic });
    await staff('shequ');
    await p.goto('/participation/topics');
    const row = p.getByTestId('topics').locator('tr', { hasText: topic });
    await row.getByRole('button', { name: '隐藏' }).click();
    const dialog = p.getByRole('dialog');
    await dialog.getByTestId('hide-dialog').waitFor();
    const ok = dialog.getByRole('button', { name: '隐藏' });
    expect(await ok.isDisabled()).toBe(true); // no reason, no hiding
    await dialog.getByRole('radio', { name: '其他' }).check();
    expect(await ok.isDisabled()).toBe(true); // "other" needs the words
    await dialog.getByRole('radio', { name: '含他人姓名、电话等个人信息' }).check();
    await dialog.getByLabel('补充说明（可选）').fill('请去掉邻居姓名和电话后重新提出');
    expect(await unlabelledControls(p)).toEqual([]);
    await shot(p, 'a6-participation-hide-reason-desktop');
    await ok.click();
    await expect.poll(() => row.textContent()).toContain('已隐藏');
    const first = p.getByTestId('moderation-trail').locator('tbody tr').first();
    await expect.poll(() => first.textContent()).toContain('含他人姓名、电话等个人信息');
    // the reason and the note on lines of their own, not run together
    expect(await first.getByTestId('trail-note').textContent()).toBe('补充说明：请去掉邻居姓名和电话后重新提出');
    // the author, on the phone: home → 我的 (one tap), the message with the reason
    await as('jumin');
    await b.page.goto('/');
    await b.page.getByTestId('home-participation').getByRole('button', { name: /我的$/ }).click();
    const msg = b.page.getByTestId('message').filter({ hasText: topic });
    await msg.waitFor();
    expect(await msg.textContent()).toContain('原因：含他人姓名、电话等个人信息。说明：请去掉邻居姓名和电话后重新提出');
    expect(await msg.getAttribute('data-read')).toBe('false');
    await shot(b.page, '9f-participation-message-phone', true);
    await b.page.getByTestId('messages').getByRole('button', { name: '全部标为已读' }).click();
    await expect.poll(() => msg.getAttribute('data-read')).toBe('true');
    expect([...d.errors, ...b.errors]).toEqual([]);
  });

  it('surveys: a grid worker enters a phone interview; the community starts one with its title and closing date and ends it', async () => {
    const p = d.page;
    const demo = '2026年第四季度平安建设民意调查';
    const openSurveys = async () => { await p.goto('/participation/manage'); await p.getByRole('tab', { name: '问卷' }).click(); };
    const panel = (title: string) => p.locator('.ant-collapse-item', { hasText: title });
    const phoneCount = async () => Number(/电话 (\d+)/.exec((await panel(demo).getByTestId('survey-results').textContent()) ?? '')?.[1]);
    // the grid worker: 电话录入 on the open survey, for their grid
    await staff('wangge');
    await openSurveys();
    await panel(demo).locator('.ant-collapse-header').click();
    await expect.poll(() => panel(demo).getByTestId('survey-results').textContent()).toContain('电话');
    const before = await phoneCount();
    // the sampled grids by name with the number labelled; a full bar shows its number, never a bare ✓
    const grid = panel(demo).getByTestId('survey-grid').first();
    await expect.poll(() => grid.textContent()).toContain('已答');
    expect(await grid.textContent()).not.toMatch(/\d{14}/);
    expect(await panel(demo).locator('.ant-progress-text .anticon').count()).toBe(0);
    await panel(demo).getByTestId('survey-phone').click();
    const dialog = p.getByRole('dialog');
    const form = dialog.getByTestId('survey-phone-form');
    const questions = form.locator('.ant-form-item');
    await questions.nth(1).waitFor();
    // the respondent's grid comes first (the worker's own), then the seven questions
    for (let i = 1; i <= 4; i++) await questions.nth(i).locator('label.ant-radio-button-wrapper').getByText('5', { exact: true }).click();
    await questions.nth(5).getByRole('checkbox', { name: '盗窃' }).check();
    await questions.nth(6).getByRole('radio', { name: '否' }).check();
    // the respondent's suggestion on two lines, as the worker typed it
    await questions.nth(7).getByRole('textbox').fill('电话回访：希望加强夜间巡逻\n东门路灯晚上不亮');
    expect(await unlabelledControls(p)).toEqual([]);
    await shot(p, 'a5-participation-survey-phone-entry-desktop');
    await form.getByRole('button', { name: '保存答卷' }).click();
    await p.locator('.ant-message').getByText('电话答卷已录入').waitFor();
    await expect.poll(phoneCount).toBe(before + 1);
    await expect.poll(() => panel(demo).getByTestId('survey-results').textContent()).toContain('电话回访：希望加强夜间巡逻');
    // staff read the answer with its line break, not run together
    const typed = panel(demo).getByTestId('survey-text').filter({ hasText: '东门路灯晚上不亮' });
    expect(await typed.evaluate((e) => getComputedStyle(e).whiteSpace)).toBe('pre-wrap');
    // the worker neither starts nor ends surveys
    expect(await p.getByTestId('survey-new').count()).toBe(0);
    expect(await panel(demo).getByTestId('survey-close').count()).toBe(0);
    // the community: 发起 asks the title (prefilled) and the closing date first
    await staff('shequ');
    await openSurveys();
    await p.getByTestId('survey-new').click();
    const start = p.getByRole('dialog');
    // prefilled with the month, so that it is not the quarter's survey's title
    await expect.poll(() => start.getByLabel('调查名称').inputValue()).toMatch(/^\d{4}年\d{1,2}月平安建设民意调查$/);
    expect(await start.getByLabel('截止日期').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // the title of the survey running here already: refused beside the title, and nothing started
    await start.getByLabel('调查名称').fill(demo);
    await start.getByRole('button', { name: '开始调查' }).click();
    await expect.poll(() => start.locator('.ant-form-item-explain-error').textContent()).toContain(`本辖区已有一份“${demo}”正在进行`);
    expect(await p.locator('.ant-collapse-item', { hasText: demo }).count()).toBe(1);
    const title = '营盘街社区平安建设专项调查';
    await start.getByLabel('调查名称').fill(title);
    await start.getByRole('button', { name: '开始调查' }).click();
    await panel(title).waitFor();
    await expect.poll(() => panel(title).locator('.ant-collapse-header').textContent()).toContain('进行中');
    // 结束调查, confirmed
    await panel(title).locator('.ant-collapse-header').click();
    await panel(title).getByTestId('survey-close').click();
    const confirm = p.locator('.ant-modal-confirm');
    await expect.poll(() => confirm.textContent()).toContain('不再接受网上作答和电话录入');
    await confirm.getByRole('button', { name: '结束调查' }).click();
    await expect.poll(() => panel(title).locator('.ant-collapse-header').textContent()).toContain('已截止');
    expect(await panel(title).getByTestId('survey-close').count()).toBe(0);
    await shot(p, 'a6-participation-survey-ended-desktop');
    expect(d.errors).toEqual([]);
  });

  it('merges a duplicate topic into the one it repeats, seen in the trail; opens the volunteers and the points shop', async () => {
    const p = d.page;
    const duplicate = '东门路灯太暗，晚上看不清路';
    await (await apiAs('jumin')).post('/api/v1/participation/topics', { title: duplicate });
    await staff('shequ');
    await p.goto('/participation/topics');
    const row = p.getByTestId('topics').locator('tr', { hasText: duplicate });
    await row.getByRole('button', { name: '合并' }).click();
    const dialog = p.getByRole('dialog');
    await choose(p, '合并到', '东门', /^小区东门晚上路灯太暗/);
    await dialog.getByRole('button', { name: '合并' }).click();
    await expect.poll(() => row.textContent()).toContain('已合并到：小区东门晚上路灯太暗');
    await expect.poll(() => p.getByTestId('moderation-trail').locator('tbody tr').first().textContent()).toContain('合并到“小区东门晚上路灯太暗”');
    await shot(p, 'a3-participation-topics-desktop', true);
    await p.goto('/participation/volunteers');
    await p.getByTestId('volunteer-registry').getByText('志愿者 周敏').waitFor();
    await p.getByRole('tab', { name: '活动' }).click();
    await p.getByTestId('activities').locator('tr', { hasText: '重阳节敬老院慰问' }).getByRole('button').first().click();
    await p.getByTestId('signups').getByText('志愿者 周敏').waitFor();
    await shot(p, 'a4-participation-volunteers-desktop');
    await p.goto('/participation/points');
    await p.getByRole('tab', { name: '积分申诉' }).click();
    await p.getByTestId('appeals').getByText('那天我在外地').waitFor();
    await shot(p, 'a5-participation-points-appeals-desktop');
    expect(d.errors).toEqual([]);
  });

  it('a street sees each community\'s participation and opens one community\'s wishes and votes; votes name their quorum', async () => {
    const p = d.page;
    const rows = (await (await apiAs('jiedao')).get('/api/v1/participation/overview')).items as Array<{ code: string; name: string; wishesOpen: number; votesOpen: number }>;
    const c = rows.find((r) => r.wishesOpen > 0 && r.votesOpen > 0)!;
    expect(c, 'a demo community with open wishes and an open vote').toBeTruthy();
    await staff('jiedao');
    await p.getByRole('navigation').getByRole('link', { name: '参与管理' }).click();
    const overview = p.getByTestId('participation-overview');
    const tr = overview.locator(`tr[data-community="${c.code}"]`);
    await tr.waitFor();
    // named, not coded; every column headed in Chinese
    expect(await overview.textContent()).not.toMatch(/\d{12}/);
    for (const h of ['社区', '心愿 待实现 / 已实现', '议题', '进行中表决', '已开议事会', '四议两公开进行中', '志愿者 / 服务时长', '发放积分', '通知 / 已读率']) {
      expect(await overview.locator('th').allTextContents()).toContain(h);
    }
    expect(await tr.textContent()).toContain(c.name);
    await shot(p, 'a6-participation-street-overview-desktop');
    // the open wishes of that community: every one says it is there
    await tr.getByRole('link', { name: String(c.wishesOpen), exact: true }).first().click();
    await expect.poll(() => new URL(p.url()).searchParams.get('community')).toBe(c.code);
    // the lists lie below the overview's table (out of a 768-px screen): the link brings them into view
    await expect.poll(async () => (await p.locator('#manage-lists').boundingBox())?.y ?? 999).toBeLessThan(500);
    const wishes = p.getByTestId('manage-wish');
    await wishes.first().waitFor();
    // exactly the wishes the number counts (still to fulfil), not every wish of the community; the filter says so
    await expect.poll(() => wishes.count()).toBe(c.wishesOpen);
    expect(await p.getByTestId('wish-filter').locator('.ant-radio-button-wrapper-checked').textContent()).toBe('待实现');
    expect(new Set(await wishes.getByTestId('community-name').allTextContents())).toEqual(new Set([c.name]));
    expect(await wishes.getByTestId('community-name').count()).toBe(await wishes.count());
    // its votes: ballots cast against the quorum, said in words, with whether it is met
    await p.getByRole('tab', { name: '表决', exact: true }).click();
    const votes = p.getByTestId('manage-vote');
    await votes.first().waitFor();
    for (const text of await votes.getByTestId('vote-count').allTextContents()) expect(text).toMatch(/^已投 \d+ 票 · (法定人数 \d+(已达法定人数|未达法定人数)|未设法定人数)$/);
    expect(await votes.getByTestId('community-name').first().textContent()).toBe(c.name);
    // the filter says which community, and back to all
    expect(await p.getByTestId('community-filter').textContent()).toContain(c.name);
    await shot(p, 'a7-participation-street-votes-desktop');
    // its topics on 议事协商, opened from the overview's number
    await p.getByTestId('community-filter').click();
    await p.locator('.ant-select-dropdown:visible').getByTitle('全部社区').click();
    await expect.poll(() => new URL(p.url()).searchParams.get('community')).toBe(null);
    await overview.locator(`tr[data-community="${c.code}"] td`).nth(2).getByRole('link').click();
    await expect.poll(() => new URL(p.url()).pathname + new URL(p.url()).search).toBe(`/participation/topics?community=${c.code}`);
    const topicRows = p.getByTestId('topics').locator('tbody tr.ant-table-row');
    await topicRows.first().waitFor();
    expect(new Set(await topicRows.getByTestId('community-name').allTextContents())).toEqual(new Set([c.name]));
    expect(await p.getByTestId('community-filter').textContent()).toContain(c.name);
    expect(d.errors).toEqual([]);
  });

  it('a community sets up a vote for a region picked by name; its sidebar names the participation pages apart', async () => {
    const p = d.page;
    await staff('shequ');
    // the section 居民参与 and its first page are not the same words
    const nav = p.getByRole('navigation');
    await nav.getByRole('link', { name: '参与首页' }).waitFor();
    expect(await nav.getByRole('link', { name: '居民参与', exact: true }).count()).toBe(0);
    await nav.getByRole('link', { name: '参与管理' }).click();
    // a community's own page has no overview by community, and no community column
    await p.getByTestId('manage-vote').first().waitFor();
    expect(await p.getByTestId('participation-overview').count()).toBe(0);
    expect(await p.getByTestId('community-name').count()).toBe(0);
    // the vote's counts: 已投 2 票 · 法定人数 11 with 未达法定人数, not "票数 2 / 11"
    const texts = await p.getByTestId('vote-count').allTextContents();
    expect(texts.some((x) => /^已投 \d+ 票 · 法定人数 \d+未达法定人数$/.test(x))).toBe(true);
    expect(texts.some((x) => /^已投 \d+ 票 · 法定人数 \d+已达法定人数$/.test(x))).toBe(true);
    expect(texts.join()).not.toContain('票数');
    await p.getByText('发起表决').first().click();
    const form = p.locator('form').filter({ has: p.getByLabel('事项') });
    // 范围 is the community by name, picked from its tree — no box of digits to type into
    const scope = form.locator('.ant-form-item').filter({ hasText: '范围' });
    await expect.poll(() => scope.textContent()).toContain('营盘街社区');
    expect(await scope.textContent()).not.toMatch(/\d{6,}/); // its name, not its code in brackets
    expect(await scope.locator('input[type=text]:not([role=combobox])').count()).toBe(0);
    const title = '小区垃圾分类投放点调整表决';
    await form.getByLabel('事项').fill(title);
    await choose(p, '范围', '营盘街', /营盘街社区/);
    await expect.poll(() => scope.textContent()).toContain('营盘街社区');
    expect(await scope.textContent()).not.toMatch(/\d{6,}/);
    expect(await unlabelledControls(p)).toEqual([]);
    await shot(p, 'a8-participation-new-vote-region-desktop');
    await form.getByRole('button', { name: '发起表决' }).click();
    const made = p.getByTestId('manage-vote').filter({ hasText: title });
    await expect.poll(() => made.getByTestId('vote-count').textContent()).toMatch(/^已投 0 票 · 法定人数 \d+未达法定人数$/);
    expect(d.errors).toEqual([]);
  });

  it('a double click on 保存 convenes one 议事会, and on 隐藏 hides a wish once — with the reason the wisher then reads', async () => {
    const p = d.page;
    const title = `双击测试议事会 ${Date.now().toString(36)}`;
    await staff('shequ');
    await p.goto('/participation/topics');
    await p.getByRole('button', { name: '召开议事会' }).click();
    const dialog = p.getByRole('dialog');
    await dialog.getByLabel('会议名称').fill(title);
    await dialog.getByLabel('地点').fill('社区议事厅');
    await dialog.getByLabel('议题', { exact: true }).fill('楼道堆物怎么清');
    await dialog.getByRole('button', { name: '保存' }).dblclick();
    await p.locator('.ant-drawer').getByText(title).first().waitFor();
    await expect.poll(() => p.getByTestId('deliberation-meetings').locator('tr', { hasText: title }).count()).toBe(1);
    const meetings = (await (await apiAs('shequ')).get('/api/v1/meetings?kind=participation.deliberation&pageSize=100')).items;
    expect(meetings.filter((m: any) => m.title === title)).toHaveLength(1);
    await p.keyboard.press('Escape');

    // a wish: 隐藏 opens the topics' reason dialog; a double click hides it once
    const wish = `想请人帮忙搬一下旧沙发 ${Date.now().toString(36)}`;
    const posted = await (await apiAs('jumin')).post('/api/v1/participation/wishes', { title: wish, category: 'service' });
    await p.goto('/participation/manage');
    await p.getByRole('tab', { name: '心愿审核' }).click();
    const item = p.getByTestId('manage-wish').filter({ hasText: wish });
    await item.getByRole('button', { name: '隐藏' }).click();
    const hide = p.getByRole('dialog');
    await hide.getByTestId('hide-dialog').waitFor();
    const ok = hide.getByRole('button', { name: '隐藏' });
    expect(await ok.isDisabled()).toBe(true); // no reason, no hiding
    await hide.getByRole('radio', { name: '广告或商业推广' }).check();
    await hide.getByLabel('补充说明（可选）').fill('内容含搬家公司电话\n删去电话后可重新发布');
    expect(await unlabelledControls(p)).toEqual([]);
    await ok.dblclick();
    await expect.poll(() => item.textContent()).toContain('已隐藏');
    const trail = (await (await apiAs('shequ')).get(`/api/v1/participation/moderation?subject=wish&subjectId=${posted.id}`)).items;
    expect(trail).toMatchObject([{ action: 'hide', reason: 'advertising', note: '内容含搬家公司电话\n删去电话后可重新发布' }]);
    const trailRow = p.getByTestId('moderation-trail').first().locator('tbody tr', { hasText: wish });
    await expect.poll(() => trailRow.count()).toBe(1);
    // the note's two lines stay two lines, in the trail and in the wisher's message
    expect(await trailRow.getByTestId('trail-note').evaluate((e) => getComputedStyle(e).whiteSpace)).toBe('pre-wrap');
    // the wisher reads why in 我的 › 消息
    await as('jumin');
    await b.page.goto('/participation?tab=mine');
    const msg = b.page.getByTestId('message').filter({ hasText: wish });
    await msg.waitFor();
    expect(await msg.textContent()).toContain('原因：广告或商业推广。说明：内容含搬家公司电话');
    expect(await msg.getByTestId('message-note').evaluate((e) => getComputedStyle(e).whiteSpace)).toBe('pre-wrap');
    expect([...d.errors, ...b.errors]).toEqual([]);
  });

  it('the points page shows what another tab changed: a rule added is in the picker, an upheld 申诉 moves the open card; a deduction needs a note', async () => {
    const p = d.page;
    const shequApi = await apiAs('shequ');
    const jumin = await apiAs('jumin');
    const personId = (await jumin.get('/api/v1/participation/points/ledger')).personId as number;
    const address = String((await shequApi.get(`/api/v1/persons/${personId}`)).currentAddress ?? '').slice(0, 30);
    const hits = (await shequApi.get(`/api/v1/participation/points/people?q=${encodeURIComponent(address)}`)).items as Array<{ personId: number }>;
    const row = hits.findIndex((h) => h.personId === personId);
    expect(row, address).toBeGreaterThanOrEqual(0);
    const label = `楼道堆放杂物 ${Date.now().toString(36)}`;
    await staff('shequ');
    await p.goto('/participation/points');
    // 居民积分 first: the person's card is open while rules change and appeals are decided on other tabs
    await p.getByTestId('pts-search').locator('input').fill(address);
    await p.getByTestId('pts-search').locator('input').press('Enter');
    await p.getByTestId('pts-people').locator('tbody tr').nth(row).click();
    const card = p.getByTestId('pts-person');
    await card.waitFor();
    // a rule of 0 points: the field's own words beside 积分, no "请求内容无效"
    await p.getByRole('tab', { name: '积分规则' }).click();
    const ruleForm = p.locator('form#rule');
    await ruleForm.getByLabel('事项').fill(label);
    await ruleForm.getByLabel('积分（负数为扣分）').fill('0');
    await ruleForm.getByRole('button', { name: '新增规则' }).click();
    await ruleForm.getByText('规则须为加分（大于 0）或扣分（小于 0）').waitFor();
    expect(await p.getByText(/请求内容无效/).count()).toBe(0);
    await ruleForm.getByLabel('积分（负数为扣分）').fill('-3');
    await ruleForm.getByRole('button', { name: '新增规则' }).click();
    await p.getByRole('table').getByText(label).first().waitFor();
    // back on 居民积分: the new rule is in the picker without a reload; a deduction without a note is refused beside 说明
    await p.getByRole('tab', { name: '居民积分' }).click();
    await card.getByLabel('积分规则', { exact: true }).click();
    await p.locator('.ant-select-dropdown:visible').getByTitle(`${label}（-3）`).click();
    await card.getByRole('button', { name: '记入积分' }).click();
    await card.getByText('扣分须写明说明（时间、地点、经过）').waitFor();
    await card.getByLabel('说明', { exact: true }).fill('12月6日 2 单元楼道');
    await card.getByRole('button', { name: '记入积分' }).click();
    const entries = card.locator('tbody tr', { hasText: '12月6日 2 单元楼道' });
    await expect.poll(() => entries.count()).toBeGreaterThan(0);
    // each entry says who recorded it
    expect(await entries.first().textContent()).toContain((await shequApi.get('/api/v1/auth/me')).displayName);
    const balance = async () => Number(/积分 (-?\d+)/.exec((await card.locator('.ant-card-head-title').textContent()) ?? '')?.[1]);
    const before = await balance();
    // the resident appeals it, staff uphold it on 积分申诉: the open card shows the reversal and the balance at once
    const entry = (await jumin.get('/api/v1/participation/points/ledger')).entries.find((e: any) => e.reason.includes('12月6日 2 单元楼道'));
    await jumin.post(`/api/v1/participation/points/entries/${entry.id}/appeal`, { reason: '那天我不在家' });
    await p.getByRole('tab', { name: '积分申诉' }).click();
    const appealRow = p.getByTestId('appeals').locator('tr', { hasText: '12月6日 2 单元楼道' });
    await appealRow.getByRole('button', { name: '申诉成立' }).click();
    const decide = p.getByRole('dialog');
    await decide.getByLabel('处理意见').fill('经核实当天不在家');
    await decide.getByRole('button', { name: '申诉成立' }).dblclick();
    await p.getByText('申诉已处理，已通知居民').first().waitFor();
    expect(await p.getByText('该申诉已处理过').count()).toBe(0); // one decision, no "already decided" beside it
    await p.getByRole('tab', { name: '居民积分' }).click();
    await expect.poll(balance).toBe(before + 3);
    await card.locator('tbody tr', { hasText: '申诉成立，撤销' }).first().waitFor();
    // the household heading counts the household's members as the registry does
    expect(await card.getByTestId('pts-household-title').textContent()).toMatch(/本户 \d+ 人，\d+ 人有积分记录/);
    // the one refusal asked for (a rule of 0 points) and nothing else
    expect(d.errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  });

  it('a resident appeals (申诉) in a dialog, not a bare browser prompt, and reads the decision in 我的 › 消息', async () => {
    const q = b.page;
    await as('jumin');
    await q.goto('/participation?tab=mine');
    const entry = q.getByTestId('mine').locator('.ant-list-item:not([data-testid=message])', { hasText: '楼道小广告清理' });
    await entry.getByRole('button', { name: '申诉' }).click();
    const dialog = q.getByRole('dialog');
    await dialog.getByTestId('appeal-dialog').waitFor();
    expect(await dialog.textContent()).toContain('参加环境整治：楼道小广告清理');
    const ok = dialog.getByRole('button', { name: '提交申诉' });
    expect(await ok.isDisabled()).toBe(true); // a reason first
    await dialog.getByLabel('申诉理由').fill('这次清理我没有参加，记错人了');
    expect(await unlabelledControls(q)).toEqual([]);
    await ok.click();
    await expect.poll(() => entry.textContent()).toContain('申诉中');
    // staff decide; the resident reads the decision and its note
    const shequApi = await apiAs('shequ');
    const ap = (await shequApi.get('/api/v1/participation/points/appeals?status=open')).items.find((a: any) => a.reason === '这次清理我没有参加，记错人了');
    await shequApi.post(`/api/v1/participation/points/appeals/${ap.id}/decide`, { uphold: false, note: '活动签到表上有您的签名\n如有疑问请到社区办公室核对' });
    await q.reload();
    const msg = q.getByTestId('message').filter({ hasText: '楼道小广告清理' });
    await msg.waitFor();
    expect(await msg.textContent()).toContain('您的积分申诉未获支持');
    expect(await msg.textContent()).toContain('处理意见：活动签到表上有您的签名');
    // the decision's lines kept as staff wrote them
    expect(await msg.getByTestId('message-note').evaluate((e) => getComputedStyle(e).whiteSpace)).toBe('pre-wrap');
    await expect.poll(() => entry.textContent()).toContain('申诉驳回');
    expect(await overflowsHorizontally(q)).toBe(false);
    expect(b.errors).toEqual([]);
  });
});
