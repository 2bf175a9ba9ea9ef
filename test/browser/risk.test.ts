// Risk prevention in the console: the command centre edits an early-warning rule and back-tests the edit
// before saving it; a sensor's live reading (MQTT, the local Mosquitto) crosses a rule's threshold; the
// dashboard shows the alert's banner at once, and the command centre turns the alert into a case from it.
// Also the register, the alert inbox, the sensor list and a grid worker's daily check on a phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { join } from 'node:path';
import { apiAs, choose, login, logout, mqttTopic, openBrowser, PHONE, SCREENSHOTS, shot, screenshotOnFailure, unlabelledControls, type Browser } from './helpers.ts';
import { MQTT_URL } from './server.ts';

let b: Browser;
beforeAll(async () => { b = await openBrowser(); });
afterAll(async () => { await b?.close(); });
screenshotOnFailure(() => b);

const HOME_GRID = '50011700100501';
const chinaToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

describe('risk prevention in the console', () => {
  it('edits a rule and back-tests the edit before saving it as a new version', async () => {
    // two tickets with a watched word (the demo's 涉稳关键词 rule)
    const op = await apiAs('rexian');
    for (const d of ['二十多名工人在项目部集访，要求结清工资', '业主准备周末到售楼部集访']) {
      await op.post('/api/v1/cases', { categoryCode: '050101', title: '拖欠工资', description: d, regionCode: HOME_GRID });
    }
    const p = b.page;
    await login(p, 'zhihui');
    await p.goto('/risk/rules');
    const row = p.getByTestId('rule-list').getByRole('row', { name: /涉稳关键词/ });
    await row.click();
    const form = p.getByTestId('rule-form');
    await form.waitFor();
    const backtest = p.getByTestId('backtest');
    // the rule as saved, over the last 30 days
    await backtest.getByTestId('run-backtest').click();
    const count = backtest.getByTestId('backtest-count');
    await count.waitFor();
    const before = Number(await count.getAttribute('data-count'));
    expect(before).toBeGreaterThanOrEqual(2);
    // each hit names its grid (with the path down to it) and its category, not codes
    const hits = backtest.locator('[data-hit]');
    const shown = await hits.count();
    expect(shown).toBeGreaterThanOrEqual(2);
    expect(await backtest.getByTestId('hit-region').count()).toBe(shown);
    expect(await backtest.getByTestId('hit-category').count()).toBe(shown);
    const wages = hits.filter({ hasText: '集访' }).filter({ has: p.getByTestId('hit-category').filter({ hasText: '拖欠工资' }) });
    expect(await wages.count()).toBeGreaterThanOrEqual(2);
    expect(await wages.first().getByTestId('hit-region').textContent()).toMatch(/第1网格（合川区 › [^›）]+ › [^›）]+）$/);
    expect(await backtest.getByTestId('hit-region').first().textContent()).not.toMatch(/\d{9,}/);
    // every control of the editor is labelled, and every label names a control that is there
    expect(await unlabelledControls(p)).toEqual([]);
    const dangling = await p.locator('.ant-drawer').evaluate((d) => [...d.querySelectorAll('label[for]')]
      .filter((l) => !document.getElementById(l.getAttribute('for')!)).map((l) => `${l.textContent} → ${l.getAttribute('for')}`));
    expect(dangling).toEqual([]);
    await expect.poll(() => form.getByLabel('关键词').count()).toBe(1);
    await expect.poll(() => form.getByLabel('修改说明').count()).toBe(1);
    await expect.poll(() => form.getByLabel('启用').count()).toBe(1);
    // take 集访 out of its words and test the edit, unsaved
    await form.locator('.ant-select-selection-item', { hasText: '集访' }).locator('.ant-select-selection-item-remove').click();
    await form.getByLabel('修改说明').fill('集访由信访规则预警，此处不再重复');
    await backtest.getByTestId('run-backtest').click();
    await expect.poll(async () => Number(await count.getAttribute('data-count'))).toBeLessThan(before);
    await shot(p, '80-risk-rule-backtest');
    await p.getByTestId('save-rule').click();
    await p.getByText('已保存为第 2 版').waitFor();
    await expect.poll(() => p.getByText('集访由信访规则预警，此处不再重复').count()).toBeGreaterThan(0);
    expect(b.errors).toEqual([]);
  });

  it('a live reading crosses its threshold: the dashboard\'s banner, and the alert turned into a case', async () => {
    const p = b.page;
    const cmd = await apiAs('zhihui');
    const water = (await cmd.get('/api/v1/risk/sensors?sensorType=03')).items[0];
    expect(water?.deviceCode).toBeTruthy();
    await p.goto('/dashboard');
    await p.getByTestId('dashboard').waitFor();
    await p.getByTestId('live-status').and(p.getByText('实时')).waitFor();
    // the sensor reports over MQTT: 3.1 m, above the demo rule's 2.5 m warning level
    const client = mqtt.connect(MQTT_URL, { clientId: `gz-browser-test-${process.pid}` });
    await new Promise<void>((ok, fail) => { client.once('connect', () => ok()); client.once('error', fail); });
    await new Promise<void>((ok, fail) => client.publish(`${mqttTopic()}/500117/sensors/${water.deviceCode}`,
      JSON.stringify({ at: new Date().toISOString(), values: { level: 3.1 } }), { qos: 1 }, (e) => (e ? fail(e) : ok())));
    client.end();
    const banner = p.getByTestId('alert-banner');
    await banner.waitFor({ timeout: 15_000 });
    // the banner shows the newest alert: alerts of the rules over time (raised by the platform's tick)
    // may arrive meanwhile, and are closed as the duty officer would, until the sensor's is shown
    await expect.poll(async () => {
      if (!(await banner.isVisible())) return '';
      const text = (await banner.textContent()) ?? '';
      if (!text.includes(water.name)) await banner.getByRole('button', { name: '关闭提醒' }).click().catch(() => undefined);
      return text;
    }, { timeout: 15_000 }).toContain(water.name);
    expect(await banner.getAttribute('data-level')).toBe('orange');
    // the level once, on its tag (not 「橙色 橙色预警」)
    expect(await banner.textContent()).toMatch(/^橙色\s*预警：/);
    await shot(p, '81-dashboard-alert-banner');
    await banner.getByTestId('banner-convert').click();
    const dialog = p.getByRole('dialog', { name: '转为案件' });
    // 隐患分类 is the label of its picker (for = the picker's id)
    expect(await dialog.getByLabel('隐患分类').getAttribute('id')).toBe('convert-category');
    await dialog.getByLabel('说明').fill('立即通知水务部门现场处置');
    await dialog.getByRole('button', { name: '转为案件' }).click();
    const done = p.getByTestId('converted');
    await done.waitFor();
    const caseNo = (/YH\d+/.exec((await done.textContent()) ?? '') ?? [])[0];
    expect(caseNo).toBeTruthy();
    await shot(p, '82-alert-converted');
    // the alert is closed as a case, and the case is in the register
    const alerts = (await cmd.get(`/api/v1/risk/alerts?deviceId=${water.id}`)).items;
    expect(alerts[0]).toMatchObject({ status: 'converted', kind: 'sensor_threshold' });
    const hazard = await cmd.get(`/api/v1/risk/hazards/${alerts[0].caseId}`);
    expect(hazard).toMatchObject({ caseNo, source: 'sensor', level: 'orange', hazardType: '600301' });
    // the inbox shows it handled, with its steps
    await p.goto(`/risk/alerts?pending=false&id=${alerts[0].id}`);
    await p.getByTestId('alert-detail').getByText('已转案件').first().waitFor();
    await shot(p, '83-alert-detail');
    // the big screen shows a banner too
    await p.goto('/bigscreen');
    await p.getByTestId('bigscreen').waitFor();
    const c2 = mqtt.connect(MQTT_URL, { clientId: `gz-browser-test2-${process.pid}` });
    await new Promise<void>((ok) => c2.once('connect', () => ok()));
    const other = (await cmd.get('/api/v1/risk/sensors?sensorType=03')).items[1] ?? water;
    c2.publish(`${mqttTopic()}/500117/sensors/${other.deviceCode}`, JSON.stringify({ values: { level: 2.9 } }), { qos: 1 });
    c2.end();
    if (other.id !== water.id) {
      await p.getByTestId('alert-banner').waitFor({ timeout: 15_000 });
      await shot(p, '84-bigscreen-alert-banner');
    }
    expect(b.errors).toEqual([]);
  });

  it('shows an alert its rule made a case of in the inbox, the register, and the live sensor list with metric names', async () => {
    const p = b.page;
    // combustible gas past the demo rule's line: the rule makes a hazard case of its alert by itself …
    const cmd = await apiAs('zhihui');
    const gas = (await cmd.get('/api/v1/risk/sensors?sensorType=02')).items[0];
    await p.goto('/dashboard');
    await p.getByTestId('live-status').and(p.getByText('实时')).waitFor();
    const client = mqtt.connect(MQTT_URL, { clientId: `gz-browser-test3-${process.pid}` });
    await new Promise<void>((ok, fail) => { client.once('connect', () => ok()); client.once('error', fail); });
    await new Promise<void>((ok, fail) => client.publish(`${mqttTopic()}/500117/sensors/${gas.deviceCode}`,
      JSON.stringify({ values: { lel: 26.5, temp: 21.5 } }), { qos: 1 }, (e) => (e ? fail(e) : ok())));
    client.end();
    // … the dashboard's banner says so, with the case's number and no button to convert it again
    const banner = p.getByTestId('alert-banner');
    await expect.poll(async () => {
      if (!(await banner.isVisible())) return '';
      const text = (await banner.textContent()) ?? '';
      if (!text.includes(gas.name)) await banner.getByRole('button', { name: '关闭提醒' }).click().catch(() => undefined);
      return text.includes(gas.name) ? ((await banner.getByTestId('banner-auto-case').textContent().catch(() => '')) ?? '') : '';
    }, { timeout: 20_000 }).toMatch(/^已自动转为案件 YH\d+$/);
    // the banner itself, at once (a newer alert of the platform's tick may take its place any moment)
    await banner.screenshot({ path: join(SCREENSHOTS, '84a-dashboard-banner-auto-case.png') });
    expect(await banner.getByTestId('banner-convert').count()).toBe(0);
    // … and the inbox still shows it, as made a case by its rule, with the case's number
    await p.goto('/risk/alerts');
    const row = p.getByTestId('alert-list').getByRole('row', { name: new RegExp(gas.name) }).first();
    await expect.poll(() => row.locator('[data-status]').first().textContent(), { timeout: 20_000 }).toMatch(/^已转案件（规则自动）YH\d+$/);
    expect(await row.textContent()).toContain('可燃气体浓度（%LEL） = 26.5');
    await shot(p, '84b-alert-inbox-auto-case');
    await p.goto('/risk/register');
    await p.getByTestId('hazard-list').getByText('YH', { exact: false }).first().waitFor();
    await shot(p, '85-risk-register');
    await p.goto('/risk/sensors');
    await p.getByTestId('sensor-list').locator('tbody tr').first().waitFor();
    // metrics by name and unit, never their keys
    await expect.poll(() => p.getByTestId(`values-${gas.deviceCode}`).textContent()).toBe('可燃气体浓度（%LEL） 26.5 · 温度（℃） 21.5');
    expect(await p.getByTestId('sensor-list').textContent()).not.toMatch(/\b(lel|level|temp)\b/);
    // past the rule's line: marked 超阈值 in the rule's colour, not just 在线
    const breach = p.getByTestId(`breach-${gas.deviceCode}`);
    expect(await breach.textContent()).toBe('超阈值 可燃气体浓度（%LEL） 26.5（≥20）');
    expect(await breach.getAttribute('data-level')).toBe('red');
    await shot(p, '86-risk-sensors');
    await logout(p);
  });

  it('a grid worker files the day\'s check on a phone, with a hazard found', async () => {
    const phone = await openBrowser(PHONE, { mobile: true });
    try {
      const p = phone.page;
      await login(p, 'wangge');
      // 今日 says the day's check is not filed yet, and leads to it
      const link = p.getByTestId('today-daily-check');
      await expect.poll(() => link.getAttribute('data-done')).toBe('false');
      expect(await link.textContent()).toContain('今日排查：未提交');
      await link.click();
      const card = p.getByTestId('today-check');
      await card.getByText('无电动车飞线、入户充电').waitFor();
      const item = card.locator('.ant-list-item', { hasText: '无电动车飞线、入户充电' });
      await item.getByText('有问题').click();
      await item.getByPlaceholder('备注').fill('3栋2单元楼道飞线充电');
      await item.getByText('登记为隐患').click();
      await item.getByPlaceholder('隐患名称').fill('3栋楼道飞线充电');
      await shot(p, '87-daily-check-phone', true);
      await card.getByRole('button', { name: '提交排查' }).click();
      await p.getByText(/已提交 \d{4}-\d{2}-\d{2} 的排查/).waitFor();
      // the page now shows the check as filed, with its answers, not a blank form; and so after a reload
      for (const reload of [false, true]) {
        if (reload) await p.reload();
        const filed = p.getByTestId('filed-check');
        await filed.waitFor();
        expect(await p.getByTestId('filed-check-status').textContent()).toContain('今日已提交');
        const answer = filed.locator('[data-item="ebike_charging"]');
        expect(await answer.textContent()).toContain('有问题');
        expect(await answer.textContent()).toContain('3栋2单元楼道飞线充电');
        expect(await filed.locator('[data-item="fire_lanes"]').textContent()).toContain('正常');
      }
      await shot(p, '87b-daily-check-filed-phone', true);
      // it can be changed the same day: the form comes back with the answers as filed
      await p.getByTestId('edit-check').click();
      expect(await card.locator('.ant-list-item', { hasText: '无电动车飞线、入户充电' }).getByPlaceholder('备注').inputValue()).toBe('3栋2单元楼道飞线充电');
      await p.getByTestId('tab-today').click();
      await expect.poll(() => p.getByTestId('today-daily-check').textContent()).toContain('今日排查：已提交');
      const hazards = await (await apiAs('shequ')).get('/api/v1/risk/hazards?source=daily_check');
      expect(hazards.items.map((h: any) => h.title)).toContain('3栋楼道飞线充电');
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});

/** Closes the open drawer (it covers the header's log-out button). */
async function closeDrawer(p: Browser['page']): Promise<void> {
  await p.locator('.ant-drawer-close:visible').first().click();
  await p.locator('.ant-drawer-content:visible').waitFor({ state: 'detached' }).catch(() => undefined);
  await expect.poll(() => p.locator('.ant-drawer-mask:visible').count()).toBe(0);
}

describe('weekly review, 稳评 and counselling in the console', () => {
  it('the street holds its weekly review: the agenda drawn from the week\'s signals, a decision made a hazard case', async () => {
    const p = b.page;
    await p.context().clearCookies();
    await login(p, 'jiedao');
    // the street's daily report counts the hazards not yet struck off at all four levels, as the API does
    const jd = await apiAs('jiedao');
    await p.goto('/risk/checks');
    const report = p.getByTestId('daily-report');
    await report.waitFor();
    const street = (await jd.get('/api/v1/auth/me')).regionCode;
    const open = (await jd.get(`/api/v1/risk/daily-report?street=${street}`)).hazards.open;
    expect(await report.textContent()).toContain(`未销号 红${open.red} 橙${open.orange} 黄${open.yellow} 蓝${open.blue}`);
    await p.goto('/risk/weekly');
    const agenda = p.getByTestId('weekly-agenda');
    await agenda.locator('.ant-list-item').first().waitFor();
    await shot(p, '88-weekly-signals');
    // convened for tomorrow morning (the form's suggestion): its minutes are not offered before then, and it says why
    await p.getByTestId('convene').click();
    let dialog = p.getByRole('dialog', { name: '召开周研判' });
    await dialog.getByLabel('地点').fill('街道综治中心二楼会议室');
    await dialog.getByRole('button', { name: '召开' }).click();
    const detail = p.getByTestId('meeting-detail');
    await detail.getByText('本周风险态势概况').waitFor();
    await expect.poll(() => detail.getByTestId('minutes-not-yet').textContent()).toMatch(/^会议定于 .+ 召开，尚未开始；开始后方可记录会议记录。$/);
    expect(await detail.getByLabel('会议记录').isDisabled()).toBe(true);
    expect(await detail.getByRole('button', { name: '保存会议记录' }).count()).toBe(0);
    await shot(p, '88b-weekly-minutes-not-yet');
    await closeDrawer(p);
    // the review that met this morning: its minutes and decisions
    await p.getByTestId('convene').click();
    dialog = p.getByRole('dialog', { name: '召开周研判' });
    await dialog.getByLabel('时间').click();
    await dialog.getByLabel('时间').fill(`${chinaToday()} 00:00:00`);
    await dialog.getByLabel('时间').press('Enter');
    await dialog.getByLabel('地点').fill('街道综治中心二楼会议室');
    await dialog.getByLabel('参会人员').fill('张主任 街道综治中心\n李所长 派出所');
    await dialog.getByRole('button', { name: '召开' }).click();
    await detail.getByText('本周风险态势概况').waitFor();
    expect(await detail.getByTestId('minutes-not-yet').count()).toBe(0);
    await detail.getByLabel('会议记录').fill('逐项研判本周预警和在册红橙隐患，议定如下。');
    await detail.getByRole('button', { name: '保存会议记录' }).click();
    await detail.getByLabel('议定内容').waitFor();
    await detail.getByLabel('议定内容').fill('对辖区燃气管道老化问题交办整改');
    await detail.getByText('转为案件交办').click();
    await choose(p, '案件分类', '燃气', '燃气安全隐患');
    await detail.getByLabel('案件标题').fill('周研判：老旧小区燃气管道老化');
    await detail.getByRole('button', { name: '记录议定事项' }).click();
    await detail.locator('.ant-tag', { hasText: /^YH\d+$/ }).waitFor();
    await shot(p, '89-weekly-review-decision');
    const hazards = (await (await apiAs('jiedao')).get('/api/v1/risk/hazards?source=weekly_review')).items;
    expect(hazards.map((h: any) => h.title)).toContain('周研判：老旧小区燃气管道老化');
    expect(b.errors).toEqual([]);
    await closeDrawer(p);
    await logout(p);
  });

  it('稳评: the command centre cannot approve before the assessment is completed, and sees why', async () => {
    const p = b.page;
    await p.context().clearCookies();
    const title = `滨江路夜市设置（浏览器测试 ${Date.now()}）`;
    // the street registers the decision and fills the assessment in
    await login(p, 'jiedao');
    await p.goto('/risk/assessments');
    await p.getByRole('button', { name: '登记决策事项' }).click();
    const dialog = p.getByRole('dialog', { name: '登记决策事项' });
    await dialog.getByLabel('决策事项').fill(title);
    await dialog.getByLabel('事项概况').fill('在滨江路设置夜间经营区，涉及周边住户约300户');
    await dialog.getByRole('button', { name: /OK|确\s*定/ }).click();
    const detail = p.getByTestId('decision-detail');
    await detail.getByTestId('start-assessment').click();
    const point = detail.getByTestId('point-form');
    await point.getByLabel('风险点').fill('夜间噪音和油烟扰民，可能引发住户集体投诉');
    await point.getByLabel('类别').fill('环境影响');
    await point.getByLabel('防范化解措施').fill('限定经营时间至22时，统一油烟净化');
    await point.getByRole('button', { name: '添加' }).click();
    await detail.getByTestId('risk-points').getByText('夜间噪音和油烟扰民').waitFor();
    await expect.poll(() => detail.getByText('完成稳评前还须：开展公众参与、开展专家论证').count()).toBe(1);
    await shot(p, '90-assessment-fill-in');
    await closeDrawer(p);
    await logout(p);
    // the command centre: approval is held back, with the reason
    await login(p, 'zhihui');
    await p.goto('/risk/assessments');
    await p.getByTestId('decision-list').getByText(title).click();
    const gate = p.getByTestId('approval-gate');
    await gate.getByTestId('gate-reason').getByText('稳评正在进行，完成评估并作出结论后方可批准。').waitFor();
    expect(await gate.getByTestId('approve').isDisabled()).toBe(true);
    await shot(p, '91-assessment-gate');
    // the street completes it (consultation, expert review, conclusion); now it can be approved
    const street = await apiAs('jiedao');
    const id = (await street.get('/api/v1/risk/decisions')).items.find((d: any) => d.title === title).id;
    await street.post(`/api/v1/risk/decisions/${id}/assessment/consultations`, { method: 'forum', heldOn: '2026-11-20', participants: 40, support: 31, oppose: 5, summary: '多数住户支持，要求控制噪音' });
    await street.post(`/api/v1/risk/decisions/${id}/assessment/expert-reviews`, { expertName: '陈研究员', field: '城市管理', opinion: '措施落实后风险可控', recommendation: 'agree_with_conditions', reviewedOn: '2026-11-21' });
    await street.post(`/api/v1/risk/decisions/${id}/assessment/complete`, { rating: 'medium', conclusion: 'proceed_with_measures', conclusionText: '落实限时经营和油烟治理后实施' });
    await p.reload();
    await p.getByTestId('decision-list').getByText(title).click();
    await p.getByTestId('approval-gate').getByText('稳评已完成，结论允许实施，可以批准').waitFor();
    await p.getByTestId('approve').click();
    await expect.poll(() => p.getByTestId('decision-status').textContent()).toBe('已批准');
    const pdf = await p.request.get(`/api/v1/risk/decisions/${id}/report.pdf`);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    await shot(p, '92-assessment-approved');
    expect(b.errors).toEqual([]);
    await closeDrawer(p);
    await logout(p);
  });

  it('counselling: the registry of counsellors, a referral, and notes only the counsellor and supervisor read', async () => {
    const p = b.page;
    await p.context().clearCookies();
    const [street, community, counsellor] = [await apiAs('jiedao'), await apiAs('shequ'), await apiAs('weijian')];
    const [cUser, sUser] = [(await counsellor.get('/api/v1/auth/me')).id, (await (await apiAs('minzheng')).get('/api/v1/auth/me')).id];
    const existing = (await street.get('/api/v1/risk/counsellors')).items.find((c: any) => c.userId === cUser);
    const c = existing ?? await street.post('/api/v1/risk/counsellors', { userId: cUser, supervisorUserId: sUser, qualification: '二级心理咨询师', specialties: ['青少年', '家庭关系'] });
    const person = (await community.get('/api/v1/persons?pageSize=1')).items[0];
    const reason = `近期情绪低落，与家人矛盾激化（浏览器测试 ${Date.now()}）`;
    const ref = await community.post('/api/v1/risk/referrals', { personId: person.id, counsellorId: c.id, reason });
    await counsellor.post(`/api/v1/risk/referrals/${ref.id}/notes`, { text: '首次面谈：睡眠差，约定每周面谈一次' });
    // the community sees the referral and that notes exist, not what they say
    await login(p, 'shequ');
    await p.goto('/risk/counselling');
    await p.getByTestId('counsellor-list').getByText('二级心理咨询师').first().waitFor();
    await p.getByRole('tab', { name: '转介' }).click();
    // the referral names its person as the registry masks them, not by a row id
    const row = p.getByTestId('referral-list').getByRole('row').filter({ hasText: reason });
    expect(await row.textContent()).toContain(person.nameMasked);
    expect(await row.textContent()).not.toMatch(/#\d/);
    await p.getByTestId('referral-list').getByText(reason).click();
    await p.getByTestId('notes-private').getByText('个案记录 1 条，仅该心理咨询师及其督导可阅读。').waitFor();
    expect(await p.getByTestId('referral-detail').getByText('睡眠差').count()).toBe(0);
    await shot(p, '93-referral-notes-private');
    await closeDrawer(p);
    await logout(p);
    // the counsellor reads and adds notes
    await login(p, 'weijian');
    await p.goto('/risk/counselling');
    await p.getByTestId('referral-list').getByText(reason).click();
    const notes = p.getByTestId('counselling-notes');
    await notes.getByText('首次面谈：睡眠差，约定每周面谈一次').waitFor();
    await notes.getByLabel('新增个案记录').fill('第二次面谈：情绪好转');
    await notes.getByRole('button', { name: '保存' }).click();
    await notes.getByText('第二次面谈：情绪好转').waitFor();
    await shot(p, '94-counsellor-notes');
    expect(b.errors).toEqual([]);
    await closeDrawer(p);
    await logout(p);
  });
});
