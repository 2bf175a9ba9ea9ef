// Issue 13's registry work at 1366×768: a community worker adds a person in the console, links them to a
// house and a household, labels them 社区矫正 with the label's standard fields, and ends the label with a
// reason; the house shows its resident, the label its history. Records this test makes are named by a
// number of its own, so it runs on the shared demo city.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '../../src/modules/registry/id-number.ts';
import { apiAs, choose, login, openBrowser, shot, screenshotOnFailure, unlabelledControls, type Browser } from './helpers.ts';

let b: Browser;
beforeAll(async () => { b = await openBrowser(); });
afterAll(async () => { await b?.close(); });
screenshotOnFailure(() => b);

const GRID = '50011700100501'; // 营盘街社区第1网格, in shequ's community
const n = 1000 + Math.floor(Math.random() * 8000);

describe('registry work in the console', () => {
  it('adds a person, links them to a house and a household, adds a 社区矫正 label and ends it', async () => {
    const api = await apiAs('shequ');
    const house = await api.post('/api/v1/houses', { regionCode: GRID, address: `营盘街${n}号1-101` });
    const household = await api.post('/api/v1/households', { houseId: house.id, householdNo: `HH${n}` });
    const idNumber = makeIdNumber('500117', '19880506', n);

    const p = b.page;
    await login(p, 'shequ');
    await p.getByRole('link', { name: '实有人口' }).click();
    await p.getByRole('button', { name: '新增人员' }).click();
    const dialog = p.getByRole('dialog');
    await dialog.getByLabel('证件号码', { exact: true }).fill(idNumber);
    await dialog.getByLabel('姓名', { exact: true }).fill('罗志祥');
    await dialog.getByLabel('联系方式', { exact: true }).fill('13800138000');
    await choose(p, '所在房屋', `营盘街${n}号`, new RegExp(`营盘街${n}号1-101`));
    await choose(p, '户', `HH${n}`, new RegExp(`HH${n}`));
    await choose(p, '与户主关系', '户主');
    await choose(p, '民族', '汉族');
    await choose(p, '政治面貌', '群众');
    expect(await unlabelledControls(p)).toEqual([]);
    await shot(p, 'rw-01-person-form');
    await dialog.getByRole('button', { name: '保存' }).click();
    await p.getByTestId('person-detail').waitFor();

    // the person shows their house and household; the coded fields show their labels
    const links = p.getByTestId('person-links');
    await links.getByRole('link', { name: `营盘街${n}号1-101` }).waitFor();
    await links.getByRole('link', { name: `HH${n}` }).waitFor();
    await p.getByText('汉族').first().waitFor();

    // a 社区矫正 label with its standard fields
    await p.getByRole('button', { name: '添加标签' }).click();
    await choose(p, '标签类型', '社区矫正', '社区矫正对象');
    const form = p.getByRole('dialog');
    await choose(p, '矫正类别', '缓刑');
    await form.getByLabel('具体罪名').fill('盗窃罪');
    await form.getByLabel('原判刑期').fill('有期徒刑一年，缓刑二年');
    for (const [label, day] of [['矫正开始日期', '2026-01-10'], ['矫正结束日期', '2028-01-09']]) {
      await form.getByLabel(label).fill(day);
      await form.getByLabel(label).press('Enter');
    }
    await form.getByLabel('矫正小组人员组成情况').fill('司法所干警、网格员、家属');
    expect(await unlabelledControls(p)).toEqual([]);
    await shot(p, 'rw-02-label-form');
    await form.getByRole('button', { name: '保存' }).click();
    const label = p.getByTestId('label-community_correction');
    await label.getByText('缓刑').waitFor();
    await label.getByText('盗窃罪').waitFor();
    expect(await label.getByText('correctionCategory').count()).toBe(0);

    // end it: 期满解矫, with the reason
    await label.getByRole('button', { name: '结束/解除' }).click();
    const end = p.getByRole('dialog');
    await end.getByLabel('矫正解除(终止)类型').click();
    await p.locator('.ant-select-dropdown:visible').getByText('期满解除矫正').click();
    await end.getByLabel('原因').fill('矫正期满，宣告解除社区矫正');
    await shot(p, 'rw-03-label-end');
    await end.getByRole('button', { name: '结束/解除' }).click();
    await label.getByText('已结束').waitFor();
    await label.getByRole('button', { name: '历史' }).click();
    const history = p.getByTestId(/label-history-/);
    await history.getByText('开始列管').waitFor();
    await history.getByText(/已结束.*矫正期满，宣告解除社区矫正/).waitFor();
    await shot(p, 'rw-04-person-with-ended-label', true);

    // 以房管人: the house lists its resident, the household its member as head
    await links.getByRole('link', { name: `营盘街${n}号1-101` }).click();
    await p.getByTestId('residents-houseId').getByText('罗**').waitFor();
    await shot(p, 'rw-05-house-residents', true);
    const persons = await api.get(`/api/v1/persons?householdId=${household.id}`);
    expect(persons.items.map((x: any) => x.relationToHead)).toEqual(['02']);
  });
});
