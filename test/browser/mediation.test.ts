// A community mediator (社区调解员) works a neighbour dispute in the console: registers it with both parties,
// accepts it, routes it to the community's 调解室 with the 四包 roles, schedules a session and writes its
// minutes, drafts the agreement, has both parties sign it on the screen (drawn with the pointer, as with a
// finger on a tablet), concludes it, prints the agreement — a Chinese PDF, rendered to an image and looked
// at — records the performance, and then finds the follow-up visit among those due.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiAs, choose, login, logout, openBrowser, SCREENSHOTS, screenshotOnFailure, shot, type Browser } from './helpers.ts';

let b: Browser;
beforeAll(async () => { b = await openBrowser(); });
afterAll(async () => { await b?.close(); });
screenshotOnFailure(() => b);

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const tomorrow = () => new Date(Date.now() + 32 * 3600_000).toISOString().slice(0, 10);

async function step(p: Page, action: string) {
  await p.getByTestId('case-actions').getByRole('button', { name: action, exact: true }).click();
  const d = p.getByRole('dialog');
  await d.waitFor();
  // once the dialog has zoomed in: a click during the animation can be lost on a busy machine
  await expect.poll(() => d.getAttribute('class'), { timeout: 10_000 }).not.toMatch(/zoom-appear/);
  await d.getByTestId('action-submit').click();
  await d.waitFor({ state: 'hidden' });
}

/** Draws a signature-like stroke on the canvas with the pointer. */
async function draw(p: Page, wobble: number) {
  const canvas = p.getByTestId('signature-canvas');
  // the dialog zooms in: draw once it stands still
  let box = (await canvas.boundingBox())!;
  for (let i = 0; i < 20; i++) {
    await p.waitForTimeout(100);
    const now = (await canvas.boundingBox())!;
    if (now.x === box.x && now.y === box.y && now.width === box.width) break;
    box = now;
  }
  await p.mouse.move(box.x + 30, box.y + box.height / 2);
  await p.mouse.down();
  for (let i = 1; i <= 24; i++) await p.mouse.move(box.x + 30 + i * 14, box.y + box.height / 2 + Math.sin(i / wobble) * 40, { steps: 2 });
  await p.mouse.up();
}

/** Dark pixels in a band of a grey page image (PGM from pdftoppm -gray): ink, not an empty box. */
function inkIn(pgm: Buffer, fromRow: number, toRow: number): number {
  const header = pgm.toString('latin1', 0, 40).split(/\s+/);
  const [w, h] = [Number(header[1]), Number(header[2])];
  const start = pgm.length - w * h;
  let dark = 0;
  for (let y = Math.floor(fromRow * h); y < Math.floor(toRow * h); y++) for (let x = 0; x < w; x++) if (pgm[start + y * w + x] < 128) dark++;
  return dark;
}

describe('a community mediator resolves a neighbour dispute', () => {
  it('registers, mediates, has the agreement signed and prints it; the follow-up then shows when due', async () => {
    const p = b.page;
    const title = `楼上漏水邻里纠纷（浏览器测试 ${Date.now()}）`;
    await login(p, 'shequ');
    await p.goto('/mediation/new');
    await choose(p, '纠纷类型', '邻里', '邻里纠纷');
    await p.getByLabel('事件名称').fill(title);
    await p.getByLabel('事件简述').fill('502卫生间漏水，402天花板受损，双方多次协商未果，申请调解。');
    await p.getByLabel('发生地详址').fill('嘉陵路12号3栋');
    const parties = p.getByTestId('party-0');
    await parties.getByLabel('姓名或名称').fill('王小明');
    await parties.getByLabel('联系电话').fill('13800001234');
    const second = p.getByTestId('party-1');
    await second.getByLabel('姓名或名称').fill('李大海');
    await second.getByLabel('联系电话').fill('13800005678');
    await shot(p, 'm1-register-dispute');
    await p.getByRole('button', { name: '保存', exact: true }).click();
    await p.getByTestId('dispute-detail').waitFor();
    const caseNo = (await p.getByTestId('case-no').textContent())!.trim();
    expect(caseNo).toMatch(/^TJ\d{15}$/);

    await step(p, '受理');
    await expect.poll(() => p.locator('.ant-message').textContent()).toContain('已记录：受理');
    // 靶向分流: the form comes filled in as suggested, with why; the mediator saves it as it stands
    const assignment = p.getByTestId('assignment');
    const suggestion = assignment.getByTestId('assignment-suggestion');
    await expect.poll(() => suggestion.textContent()).toContain('系统建议：社区(村)级 · 老赵调解室');
    await expect.poll(() => suggestion.locator('[data-reason="ordinary"]').textContent()).toContain('小事不出村');
    await expect.poll(() => suggestion.locator('[data-reason="lead"]').textContent()).toMatch(/主调解员 赵建国：擅长此类纠纷，金牌调解员，在办 \d+\/10 件/);
    await expect.poll(() => assignment.getByText('老赵调解室 · 社区(村)级', { exact: true }).isVisible()).toBe(true);
    await shot(p, 'm1b-assignment-suggested');
    // routing waits for the saved assignment: the action says so instead of failing with a list of fields
    const route = p.getByTestId('case-actions').getByRole('button', { name: '靶向分流' });
    expect(await route.isDisabled()).toBe(true);
    expect(await p.getByTestId('action-blocked').textContent()).toBe('请先保存分流与四包');
    await assignment.getByRole('button', { name: '保存分流与四包' }).click();
    await expect.poll(() => assignment.locator('.ant-descriptions').getByText('赵建国').first().isVisible()).toBe(true);
    await expect.poll(() => route.isDisabled()).toBe(false);
    await step(p, '靶向分流');
    await step(p, '开始调解');

    // a session with both parties, at the mediation room: one tomorrow takes no minutes yet, one this morning does
    const sessions = p.getByTestId('sessions');
    const schedule = async (at: string) => {
      await sessions.getByLabel('调解时间').click();
      await sessions.getByLabel('调解时间').fill(at);
      await sessions.getByLabel('调解时间').press('Enter');
      await sessions.getByLabel('地点').fill('老赵调解室');
      await sessions.getByRole('button', { name: '安排调解' }).click();
    };
    await schedule(`${tomorrow()} 15:00:00`);
    await expect.poll(() => sessions.getByTestId('minutes-later').textContent()).toBe(`调解定于${tomorrow().replaceAll('-', '/')} 15:00进行，开始后方可记录调解笔录。`);
    expect(await sessions.getByLabel('调解笔录').count()).toBe(0);
    await schedule(`${today()} 00:00:00`);
    await sessions.getByLabel('调解笔录').fill('双方陈述意见。李大海同意修复防水层并赔偿1500元。');
    await sessions.getByRole('button', { name: '记录笔录' }).click();
    await expect.poll(() => sessions.getByText('已调解').isVisible()).toBe(true);

    // the agreement with one obligation and the follow-up planned for today
    const agreement = p.getByTestId('agreement');
    await agreement.getByLabel('协议内容').fill('李大海于一周内修复502卫生间防水层，并赔偿王小明装修损失1500元；双方今后互谅互让。');
    await agreement.getByLabel('签订地点').fill('老赵调解室');
    await agreement.getByLabel('回访日期').fill(today());
    await agreement.getByLabel('回访日期').press('Enter');
    await agreement.getByRole('button', { name: '添加义务' }).click();
    await agreement.getByLabel('义务内容').fill('修复防水层并赔偿1500元');
    await agreement.getByLabel('履行期限').fill(today());
    await agreement.getByLabel('履行期限').press('Enter');
    await agreement.getByRole('button', { name: '起草协议' }).click();
    await expect.poll(() => agreement.getByText('草稿（待签字）').isVisible()).toBe(true);

    // the next step waits for both parties' signatures, and says so
    const next = agreement.getByTestId('agreement-next');
    await expect.poll(() => next.getByTestId('awaiting-signatures').textContent()).toBe('待申请人 王**、被申请人 李**签名后，方可达成调解协议');
    // … and the step itself is not offered until then: disabled, with the reason beside it
    expect(await p.getByTestId('case-actions').getByRole('button', { name: '达成调解协议' }).isDisabled()).toBe(true);
    expect(await p.getByTestId('case-actions').getByTestId('action-blocked').textContent()).toBe('待王**、李**签名后，方可达成调解协议');
    // both parties sign on the screen
    for (const [signer, wobble] of [['applicant', 2], ['respondent', 3]] as const) {
      await agreement.locator(`[data-signer="${signer}"]`).getByRole('button', { name: '签名' }).click();
      const dialog = p.getByRole('dialog');
      await dialog.waitFor();
      await draw(p, wobble);
      if (signer === 'applicant') await shot(p, 'm2-signature-pad');
      await dialog.getByRole('button', { name: '确认签名' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await expect.poll(() => agreement.locator(`[data-signer="${signer}"]`).getByText('已签名').isVisible()).toBe(true);
    }
    await expect.poll(() => next.getByTestId('awaiting-signatures').count()).toBe(0);
    await expect.poll(() => next.getByRole('button', { name: '达成调解协议' }).isEnabled()).toBe(true);
    await step(p, '达成调解协议');
    await expect.poll(() => agreement.getByText('已生效').isVisible()).toBe(true);
    // once signed, the agreement shows each party's drawn signature (the image itself, loaded and not blank)
    for (const [signer, who] of [['applicant', '申请人 王**'], ['respondent', '被申请人 李**']] as const) {
      const img = agreement.locator(`[data-signer="${signer}"]`).getByRole('img', { name: `${who}的签名` });
      await expect.poll(() => img.evaluate((e: HTMLImageElement) => e.complete && e.naturalWidth > 0)).toBe(true);
      const ink = await img.evaluate((e: HTMLImageElement) => {
        const c = document.createElement('canvas');
        c.width = e.naturalWidth; c.height = e.naturalHeight;
        const ctx = c.getContext('2d')!;
        ctx.drawImage(e, 0, 0);
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0 && d[i - 1] < 128) n++;
        return n;
      });
      expect(ink, `${signer}'s signature has ink`).toBeGreaterThan(100);
    }
    // … and what comes next, from the dispute's definition: performance, 司法确认, or a breach
    await expect.poll(() => next.locator('[data-next]').evaluateAll((xs) => xs.map((x) => x.textContent))).toEqual(['协议履行完毕', '协议未履行', '申请司法确认']);
    expect(await next.getByRole('button', { name: '申请司法确认' }).isEnabled()).toBe(true);
    await shot(p, 'm3-dispute-agreement', true);

    // the agreement as printed: a Chinese PDF, looked at as an image
    const href = await p.getByTestId('print-agreement').getAttribute('href');
    const res = await p.request.get(href!);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('application/pdf');
    mkdirSync(SCREENSHOTS, { recursive: true });
    const pdfFile = join(SCREENSHOTS, 'm4-agreement.pdf');
    writeFileSync(pdfFile, await res.body());
    const text = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' });
    for (const words of ['人民调解协议书', '老赵调解室', '申请人：王小明', '被申请人：李大海', '调解员：', '修复防水层并赔偿1500元', caseNo]) expect(text).toContain(words);
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', pdfFile, join(SCREENSHOTS, 'm4-agreement-page')]);
    execFileSync('pdftoppm', ['-gray', '-r', '40', '-f', '1', '-l', '1', pdfFile, join(SCREENSHOTS, 'm4-agreement-grey')]);
    const pgm = readFileSync(join(SCREENSHOTS, 'm4-agreement-grey-1.pgm'));
    // the title band carries ink (CJK glyphs drawn, not blank), and so does the band of the drawn signatures
    expect(inkIn(pgm, 0.06, 0.14)).toBeGreaterThan(150);
    expect(text).toMatch(/申请人 王小明（签名）/);
    expect(inkIn(pgm, 0.615, 0.685)).toBeGreaterThan(60); // the two drawn signatures, between their labels and dates

    // performance, then the follow-up visit planned for today is among those due
    await agreement.locator('[data-obligation="1"]').getByRole('button', { name: '已履行' }).click();
    await expect.poll(() => agreement.locator('[data-obligation="1"]').getByText('已履行', { exact: true }).count()).toBeGreaterThan(0);
    // the next step taken from the agreement itself
    await next.getByRole('button', { name: '协议履行完毕' }).click();
    const d = p.getByRole('dialog');
    await d.waitFor();
    await expect.poll(() => d.getAttribute('class'), { timeout: 10_000 }).not.toMatch(/zoom-appear/);
    await d.getByTestId('action-submit').click();
    await d.waitFor({ state: 'hidden' });
    await expect.poll(() => p.getByTestId('follow-ups').getByRole('button', { name: '记录回访' }).isVisible()).toBe(true);
    await expect.poll(() => next.locator('[data-next]').evaluateAll((xs) => xs.map((x) => x.textContent))).toEqual(['回访完毕，结案']);
    await shot(p, 'm4b-agreement-next-follow-up');
    await p.goto('/mediation');
    const due = p.getByTestId('due-follow-ups');
    await expect.poll(() => due.getByText(caseNo).isVisible()).toBe(true);
    await shot(p, 'm5-workbench-follow-up-due');
  });
});

describe('the street centre\'s petition and statistics pages', () => {
  it('shows petitions with their deadlines and the statistics with charts, in Chinese and English', async () => {
    const p = b.page;
    const api = await apiAs('jiedao');
    const pet = await api.post('/api/v1/petitions', {
      categoryCode: '140102', title: `工地拖欠工资（浏览器测试 ${Date.now()}）`, description: '工地拖欠12名工人三个月工资。', regionCode: '500117001', form: 'visit',
      respondent: '嘉陵建筑公司', parties: [{ role: 'petitioner', name: '刘大勇', phone: '13600001111' }],
    });
    await logout(p);
    await login(p, 'jiedao');
    await p.goto(`/petitions/${pet.case.id}`);
    await p.getByTestId('petition-detail').waitFor();
    await expect.poll(() => p.locator('[data-deadline="acceptance"]').textContent()).toMatch(/受理告知 \d{4}-\d{2}-\d{2} 截止/);
    await shot(p, 'm6-petition-detail');
    // 领导包案 of a backlog case: each leader picked from the platform's users of the region, shown with their unit
    await api.post(`/api/v1/petitions/${pet.case.id}/backlog`, { reason: '多次反映未解决' });
    await p.reload();
    const leaderForm = p.getByTestId('leader-form');
    await leaderForm.waitFor();
    for (const [role, search, name, unit] of [
      ['县级领导', '值班长', '区指挥中心值班长', '合川区社会治理指挥中心'], ['责任部门', '人力资源', '合川区人力资源和社会保障局 经办人', '合川区人力资源和社会保障局'],
      ['属地乡镇(街道)', '陈刚', '陈刚', '综治中心'], ['民警', '公安', '合川区公安分局 经办人', '合川区公安分局'],
    ] as const) {
      const input = leaderForm.getByLabel(`${role} · 姓名`, { exact: true });
      await input.click();
      await input.fill(search);
      const option = p.locator('.ant-select-dropdown:visible [data-user-id]').filter({ hasText: name }).filter({ hasText: unit }).first();
      await option.waitFor();
      if (role === '县级领导') await shot(p, 'm6a-leader-picker');
      await option.click();
    }
    await leaderForm.getByLabel('职务').first().fill('副区长');
    await leaderForm.getByRole('button', { name: '保存包案领导' }).click();
    const county = p.getByTestId('leaders').locator('[data-leader="county_leader"]');
    await expect.poll(() => county.textContent()).toBe('县级领导：区指挥中心值班长（合川区社会治理指挥中心） 副区长 · 包政策落实');
    await expect.poll(() => p.getByTestId('leaders').locator('[data-leader="police_officer"]').textContent()).toContain('合川区公安分局 经办人（合川区公安分局）');
    // the form shows what was saved: the responsibilities too (the default 包政策落实 for the county leader)
    await expect.poll(() => leaderForm.getByLabel('包案责任').first().inputValue()).toBe('包政策落实');
    await shot(p, 'm6a-leaders-assigned');
    await p.goto('/petitions');
    await expect.poll(() => p.getByText(pet.case.caseNo).isVisible()).toBe(true);
    // the 超期未办 view: a petition registered today is not overdue
    await p.getByText('超期未办', { exact: true }).click();
    await expect.poll(() => p.getByText(pet.case.caseNo).isVisible()).toBe(false);
    // the demo street's petitions past their limits, each with its step and the days over
    await expect.poll(() => p.getByTestId('overdue').first().textContent()).toMatch(/^(受理告知|办理)超期 \d+ 天$/);
    await shot(p, 'm6b-petitions-overdue');
    // the list fits a 1366×768 screen: no column off to the side
    const fits = async (testId: string) => p.getByTestId(testId).locator('.ant-table-content, .ant-table-body').first()
      .evaluate((e) => e.scrollWidth <= e.clientWidth + 1);
    await p.getByText('全部', { exact: true }).click();
    await expect.poll(() => p.getByText(pet.case.caseNo).isVisible()).toBe(true);
    expect(await fits('petition-list')).toBe(true);
    // the demo's petition docked from a failed mediation shows how that mediation went
    const docked = (await api.get('/api/v1/petitions?pageSize=50')).items.find((x: any) => x.title === '拖欠装修款纠纷');
    await p.goto(`/petitions/${docked.id}`);
    const history = p.getByTestId('docked-from');
    await expect.poll(() => history.locator('[data-step]').evaluateAll((xs) => xs.map((x) => x.getAttribute('data-step'))))
      .toEqual(['received', 'acceptance', 'investigation', 'session', 'failed', 'docked']);
    await expect.poll(() => history.textContent()).toContain('调解不成：被申请人拒绝支付，调解不成');
    await shot(p, 'm6c-petition-docked-history');
    await history.getByTestId('docked-dispute').click();
    await p.getByTestId('dispute-detail').waitFor();
    await p.goto('/mediation');
    await p.getByTestId('dispute-list').locator('tbody tr.ant-table-row').first().waitFor();
    expect(await fits('dispute-list')).toBe(true);
    await shot(p, 'm6d-dispute-list');
    await p.goto('/mediation/stats');
    await p.getByTestId('mediation-stats').waitFor();
    await expect.poll(() => p.getByTestId('chart').count()).toBe(2);
    await expect.poll(() => p.getByTestId('petition-stats').getByText('信访受理').isVisible()).toBe(true);
    await expect.poll(() => p.getByTestId('petition-stats').getByText('超期未办').isVisible()).toBe(true);
    await shot(p, 'm7-mediation-stats');
    // a joint meeting's decision made a case: the categories offered follow the chosen case type
    const meeting = await api.post('/api/v1/meetings', {
      kind: 'mediation.joint_meeting', title: `信访联席会议（浏览器测试 ${Date.now()}）`, scheduledAt: new Date(Date.now() - 3600_000).toISOString(),
      regionCode: '500117001', place: '街道三楼会议室', agenda: [{ title: '拖欠工资积案' }],
    });
    await api.send('PUT', `/api/v1/meetings/${meeting.id}/minutes`, { minutes: '研究拖欠工资积案的化解方案。' });
    await p.goto('/meetings');
    await p.getByText(meeting.title).click();
    const decision = p.getByTestId('meeting-detail');
    await decision.getByText('转为案件交办').click();
    await decision.getByLabel('案件类型').click();
    await p.locator('.ant-select-dropdown:visible').last().getByTitle('矛盾纠纷').click();
    await decision.getByLabel('案件分类').click();
    const tree = p.locator('.ant-tree-select-dropdown:visible').last();
    await expect.poll(() => tree.textContent()).toContain('矛盾纠纷');
    expect(await tree.textContent()).not.toContain('管理部件');
    await decision.getByLabel('案件分类').press('Escape');
    await p.goto('/mediation/stats?lang=en');
    await expect.poll(() => p.getByText('Mediation and petition statistics').isVisible()).toBe(true);
    await p.goto('/mediation?lang=zh-CN');
    expect(b.errors).toEqual([]);
  });
});
