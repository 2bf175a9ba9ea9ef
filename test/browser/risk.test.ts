// Risk prevention in the console: the command centre edits an early-warning rule and back-tests the edit
// before saving it; a sensor's live reading (MQTT, the local Mosquitto) crosses a rule's threshold; the
// dashboard shows the alert's banner at once, and the command centre turns the alert into a case from it.
// Also the register, the alert inbox, the sensor list and a grid worker's daily check on a phone.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import mqtt from 'mqtt';
import { apiAs, login, logout, openBrowser, PHONE, shot, screenshotOnFailure, type Browser } from './helpers.ts';
import { MQTT_URL } from './server.ts';

let b: Browser;
beforeAll(async () => { b = await openBrowser(); });
afterAll(async () => { await b?.close(); });
screenshotOnFailure(() => b);

const HOME_GRID = '50011700100501';

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
    await new Promise<void>((ok, fail) => client.publish(`${inject('mqttTopic')}/500117/sensors/${water.deviceCode}`,
      JSON.stringify({ at: new Date().toISOString(), values: { level: 3.1 } }), { qos: 1 }, (e) => (e ? fail(e) : ok())));
    client.end();
    const banner = p.getByTestId('alert-banner');
    await banner.waitFor({ timeout: 15_000 });
    await expect.poll(() => banner.textContent()).toContain(water.name);
    expect(await banner.getAttribute('data-level')).toBe('orange');
    await shot(p, '81-dashboard-alert-banner');
    await banner.getByTestId('banner-convert').click();
    const dialog = p.getByRole('dialog', { name: '转为案件' });
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
    c2.publish(`${inject('mqttTopic')}/500117/sensors/${other.deviceCode}`, JSON.stringify({ values: { level: 2.9 } }), { qos: 1 });
    c2.end();
    if (other.id !== water.id) {
      await p.getByTestId('alert-banner').waitFor({ timeout: 15_000 });
      await shot(p, '84-bigscreen-alert-banner');
    }
    expect(b.errors).toEqual([]);
  });

  it('shows the register, the live sensor list and the roll call', async () => {
    const p = b.page;
    await p.goto('/risk/register');
    await p.getByTestId('hazard-list').getByText('YH', { exact: false }).first().waitFor();
    await shot(p, '85-risk-register');
    await p.goto('/risk/sensors');
    await p.getByTestId('sensor-list').locator('tbody tr').first().waitFor();
    await shot(p, '86-risk-sensors');
    await logout(p);
  });

  it('a grid worker files the day\'s check on a phone, with a hazard found', async () => {
    const phone = await openBrowser(PHONE, { mobile: true });
    try {
      const p = phone.page;
      await login(p, 'wangge');
      await p.goto('/risk/checks');
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
      const hazards = await (await apiAs('shequ')).get('/api/v1/risk/hazards?source=daily_check');
      expect(hazards.items.map((h: any) => h.title)).toContain('3栋楼道飞线充电');
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
