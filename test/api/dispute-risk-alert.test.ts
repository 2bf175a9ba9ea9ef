// The 民转刑 score of a dispute (mediation module) raises the risk module's dispute_risk alert: a mediator
// writes threats into the record, the score rises past the rule's minimum, and the command centre and the
// street see an alert that names the dispute and says why. The back-test of the same rule finds it too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeStreet } from '../helpers/fixtures.ts';
import { neighbourDispute } from './mediation-helpers.ts';

let p: TestPlatform;
let zhihui: string, jiedao: string, shequ: string;
let ruleId: number;
let calm: number, heated: number;
const start = '2026-11-16T01:30:00Z';

beforeAll(async () => {
  p = await testPlatform(start);
  [zhihui, jiedao, shequ] = [await p.login('zhihui'), await p.login('jiedao'), await p.login('shequ')];
  await p.risk.start({ ticks: false, mqtt: false });
  const rule = await p.as(jiedao).post('/api/v1/risk/rules', { name: '民转刑高风险纠纷', kind: 'dispute_risk', level: 'orange', regionCode: homeStreet.code, params: { minScore: 40 } });
  expect(rule.status, rule.text).toBe(201);
  ruleId = rule.body.id;
  await p.risk.settle();

  calm = (await p.as(shequ).post('/api/v1/disputes', neighbourDispute())).body.case.id;
  const d = await p.as(shequ).post('/api/v1/disputes', neighbourDispute({ title: '宅基地边界纠纷', address: '合阳城街道南津街8号' }));
  expect(d.status, d.text).toBe(201);
  heated = d.body.case.id;
  // the investigation records threats: two threat words, 20 points each
  const inv = await p.as(shequ).post(`/api/v1/disputes/${heated}/investigations`, {
    investigatedAt: '2026-11-16T02:00:00Z', investigator: '赵建国', interviewee: '李大海', content: '李大海情绪激动，扬言要报复，说再不解决就放火。',
  });
  expect(inv.status, inv.text).toBe(201);
  await p.risk.settle();
});
afterAll(async () => { await p?.close(); });

describe('a dispute whose 民转刑 score passes the rule', () => {
  it('raises one alert that names the dispute and gives the reasons', async () => {
    const alerts = await p.as(zhihui).get(`/api/v1/risk/alerts?ruleId=${ruleId}`);
    expect(alerts.status, alerts.text).toBe(200);
    expect(alerts.body.items.map((a: any) => a.caseIds)).toEqual([[heated]]);
    const [a] = alerts.body.items;
    expect(a.facts.score).toBeGreaterThanOrEqual(40);
    expect(a.facts.reasons.join(' ')).toMatch(/极端言语：.*报复/);
    // the street whose rule it is sees it; the calm dispute raised nothing
    const street = await p.as(jiedao).get(`/api/v1/risk/alerts?ruleId=${ruleId}`);
    expect(street.body.items.map((x: any) => x.caseIds[0])).toEqual([heated]);
    expect(alerts.body.items.some((x: any) => x.caseIds.includes(calm))).toBe(false);
  });

  it('shows the same score and reasons on the dispute', async () => {
    const d = await p.as(shequ).get(`/api/v1/disputes/${heated}`);
    expect(d.status, d.text).toBe(200);
    const score = JSON.stringify(d.body);
    expect(score).toContain('threat_words');
  });

  it('is found again by the rule\'s back-test over the period', async () => {
    const bt = await p.as(jiedao).post(`/api/v1/risk/rules/${ruleId}/backtest`, { from: '2026-11-15T00:00:00Z', to: '2026-11-17T00:00:00Z' });
    expect(bt.status, bt.text).toBe(200);
    expect(bt.body.alerts.map((a: any) => a.subject)).toEqual([`dispute:${heated}`]);
  });
});
