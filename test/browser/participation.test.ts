// Participation at 390×844, as residents would use it: the demo resident posts a 微心愿, the demo
// volunteer claims it and fulfils it with a photo, the resident confirms and thanks; the resident votes in
// the community's deliberation (加装电梯, one vote per household). A village secretary (the community's
// account) runs a 四议两公开 through its six steps to the public notice page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, openBrowser, overflowsHorizontally, PHONE, samplePhoto, shot, screenshotOnFailure, unlabelledControls, type Browser } from './helpers.ts';

let b: Browser;
beforeAll(async () => { b = await openBrowser(PHONE, { mobile: true }); });
afterAll(async () => { await b?.close(); });
screenshotOnFailure(() => b);

const as = async (username: string) => { await b.context.clearCookies(); await login(b.page, username); };
const WISH = '想请人帮忙修一下自行车';

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
    // the wall shows the wisher masked
    await expect.poll(() => card().textContent()).toContain('心愿人：孙*');
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
    await p.getByRole('tab', { name: '议事表决' }).click();
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
    await p.getByRole('tab', { name: '议题' }).click();
    await p.locator('form#topic').getByLabel('议题').fill('小区健身器材老化需要更换');
    await p.getByRole('button', { name: '提交议题' }).click();
    await p.getByText('小区健身器材老化需要更换').waitFor();
    await p.getByRole('tab', { name: '志愿服务' }).click();
    await p.getByLabel('特长（用逗号分隔）').fill('理发，修车');
    await p.getByRole('button', { name: '加入志愿者' }).click();
    await p.getByText('志愿服务时长（小时）').waitFor();
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
    await p.getByRole('tab', { name: '问卷调查' }).click();
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
    await p.getByRole('button', { name: '发起四议两公开' }).click();
    await p.getByText(title).click();
    const proc = p.getByTestId('procedure');
    const next = proc.getByTestId('next-step');
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
    await shot(p, '95-participation-procedure-steps-phone', true);
    await next.getByLabel('公告内容').fill('经村民代表会议决议：使用村集体资金4.8万元维修活动中心屋顶，公示7天。');
    await next.getByRole('button', { name: '记录本步' }).click();
    const link = proc.getByTestId('notice-link');
    await link.waitFor();
    const href = await link.getAttribute('href');
    // the public notice, for anyone, without signing in
    await b.context.clearCookies();
    await p.goto(href!);
    const notice = p.getByTestId('public-notice');
    await notice.getByRole('heading', { name: title }).waitFor();
    await expect.poll(() => notice.getByTestId('notice-step').count()).toBe(5);
    await expect.poll(() => notice.textContent()).toContain('到会 48/60');
    await expect.poll(() => notice.textContent()).toContain('公示7天');
    expect(await overflowsHorizontally(p)).toBe(false);
    await shot(p, '96-participation-public-notice-phone', true);
    expect(b.errors).toEqual([]);
  });
});
