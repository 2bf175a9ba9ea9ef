// A new district in the console, as its administrator and its 12345 operator meet it after `gongzhi init --district
// 320206` in production mode (walk w10): the administrator's set-up checklist, maps that say the grid outlines are
// not imported yet, forms whose examples name no place of the demo city, and the 派遣 dialog on a 768-px window.
// The district runs on a server of its own (the other browser tests share the demo city's).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import ExcelJS from 'exceljs';
import { readCatalog } from '../../src/modules/cases/catalog.ts';
import { downloadBy, openBrowser, shot, type Browser } from './helpers.ts';
import { ADMIN_PASSWORD, startServer, type RunningServer } from './server.ts';

let dir: string;
let server: RunningServer;
const OPERATOR = { username: 'hs.rexian', initial: 'hs-rexian-initial-2026', own: 'hs-rexian-own-2026' };

async function api(method: string, path: string, token: string | null, body?: unknown) {
  const r = await fetch(`${server.baseUrl}${path}`, {
    method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null, text };
}
async function token(username: string, password: string): Promise<string> {
  const r = await api('POST', '/api/v1/auth/login', null, { username, password });
  expect(r.status, r.text).toBe(200);
  return r.body.token;
}
async function loginAt(page: Page, username: string, password: string): Promise<void> {
  await page.goto(`${server.baseUrl}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.getByTestId('current-user').waitFor();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gz-browser-huishan-'));
  const env = { GONGZHI_DATA_DIR: dir, GONGZHI_ENV: 'production', GONGZHI_DATA_KEY: 'ef'.repeat(32), GONGZHI_ADMIN_PASSWORD: ADMIN_PASSWORD };
  const init = spawnSync(process.execPath, ['bin/gongzhi.js', 'init', '--district', '320206'], {
    encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent', ...env }, timeout: 180_000,
  });
  expect(init.status, `${init.stdout}${init.stderr}`).toBe(0);
  server = await startServer(env);
}, 300_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the administrator of a new district', () => {
  let b: Browser;
  beforeAll(async () => { b = await openBrowser(); });
  afterAll(async () => { await b?.close(); });

  it('finds the set-up checklist on the home page: each step\'s state from the database and a link to where it is done; dismissed, it stays away', async () => {
    const page = b.page;
    await loginAt(page, 'admin', ADMIN_PASSWORD);
    const list = page.getByTestId('setup-checklist');
    await list.waitFor();
    await expect.poll(() => list.textContent()).toContain('新区县设置清单');
    await shot(page, 'new-district-checklist');
    expect(await page.getByTestId('setup-step-regions').getAttribute('data-done')).toBe('true');
    expect(await page.getByTestId('setup-step-regions').textContent()).toContain('9 个街道/镇');
    for (const step of ['units', 'users', 'responsibilities', 'gridOutlines', 'adminPassword']) {
      expect(await page.getByTestId(`setup-step-${step}`).getAttribute('data-done'), step).toBe('false');
    }
    expect(await list.textContent()).toContain('已完成 1/6 项');
    expect(await page.getByTestId('setup-step-units').textContent()).toContain('npx gongzhi import units units.xlsx --as admin');
    // a unit added in the console turns its step done
    const admin = await token('admin', ADMIN_PASSWORD);
    const unit = await api('POST', '/api/v1/admin/units', admin, { id: 'hs-chengguan', name: '惠山区城市管理局', kind: 'department', regionCode: '320206', parentId: 'cmd-320206' });
    expect(unit.status, unit.text).toBe(201);
    await page.reload();
    await expect.poll(() => page.getByTestId('setup-step-units').getAttribute('data-done')).toBe('true');
    // each step links to its place
    await page.getByTestId('setup-step-responsibilities').getByRole('link', { name: '权责清单' }).click();
    await page.waitForURL(/\/admin\/responsibilities$/);
    // where the responsibility list is kept: its import template, with a sheet of every category code
    const download = await downloadBy(page, page.getByTestId('rule-template'));
    const file = join(dir, 'responsibilities.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const codes: string[] = [];
    wb.getWorksheet('事项分类')!.eachRow((row) => { codes.push(String(row.getCell(1).value)); });
    expect(codes).toEqual(expect.arrayContaining(['分类代码(code)', ...readCatalog().categories.map((c) => c.code)]));
    await page.goto(`${server.baseUrl}/`);
    await page.getByTestId('setup-step-gridOutlines').getByRole('link').click();
    await page.waitForURL(/\/grids$/);
    // dismissed: gone, also after a reload
    await page.goto(`${server.baseUrl}/`);
    await page.getByTestId('setup-checklist-dismiss').click();
    await expect.poll(() => page.getByTestId('setup-checklist').count()).toBe(0);
    await page.reload();
    await page.getByTestId('home-admin').waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.getByTestId('setup-checklist').count()).toBe(0);
  });

  it('sees on the grid map, the command centre\'s dashboard and a placeholder grid that the outlines are not imported yet, and how to import them', async () => {
    const page = b.page;
    await page.goto(`${server.baseUrl}/map`);
    const notice = page.getByTestId('map-no-outlines');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('尚未导入网格边界');
    expect(await notice.textContent()).toContain('导入 GeoJSON');
    await shot(page, 'new-district-map');
    await notice.getByRole('link', { name: /去导入网格边界/ }).click();
    await page.waitForURL(/\/grids$/);

    await page.goto(`${server.baseUrl}/dashboard`);
    await page.getByTestId('map-no-outlines').waitFor();
    await page.goto(`${server.baseUrl}/grids/32020600100301`);
    const grid = page.getByTestId('map-no-outlines');
    await grid.waitFor();
    expect(await grid.textContent()).toContain('本网格尚无边界');
    // drawing it by hand: the notice makes way for the map
    await page.getByRole('button', { name: '在地图上重画边界' }).click();
    await expect.poll(() => page.getByTestId('map-no-outlines').count()).toBe(0);
  });
});

describe('the 12345 operator of a new district', () => {
  let b: Browser;
  let caseIds: { keyword: number; plain: number };
  beforeAll(async () => {
    const admin = await token('admin', ADMIN_PASSWORD);
    const made = await api('POST', '/api/v1/admin/users', admin, {
      username: OPERATOR.username, displayName: '话务员王芳', password: OPERATOR.initial, role: 'hotline_operator', regionCode: '320206',
    });
    expect(made.status, made.text).toBe(201);
    const first = await token(OPERATOR.username, OPERATOR.initial);
    expect((await api('POST', '/api/v1/auth/password', first, { currentPassword: OPERATOR.initial, newPassword: OPERATOR.own })).status).toBe(204);
    const op = await token(OPERATOR.username, OPERATOR.own);
    const file = async (title: string, description: string) => {
      const r = await api('POST', '/api/v1/cases', op, { categoryCode: '020501', title, description, regionCode: '320206001' });
      expect(r.status, r.text).toBe(201);
      const accepted = await api('POST', `/api/v1/cases/${r.body.id}/actions/accept`, op, {});
      expect([200, 201], accepted.text).toContain(accepted.status);
      return r.body.id as number;
    };
    // one whose words are a category's keywords (摆摊, 占道), one whose words are no category's
    caseIds = { keyword: await file('门口有人摆摊', '小区门口有人摆摊占道'), plain: await file('来电反映情况', '来电人反映一件事情，请尽快联系处理') };
    b = await openBrowser({ width: 768, height: 768 });
    await loginAt(b.page, OPERATOR.username, OPERATOR.own);
  }, 120_000);
  afterAll(async () => { await b?.close(); });

  it('reads address examples that name no place of the demo city', async () => {
    const page = b.page;
    await page.goto(`${server.baseUrl}/cases/new`);
    await page.getByLabel('地址').waitFor();
    const placeholders = await page.locator('[placeholder]').evaluateAll((els) => els.map((e) => e.getAttribute('placeholder') ?? ''));
    expect(placeholders.join(' ')).toContain('详细地址');
    for (const demoPlace of ['合阳城', '南津街', '营盘街', '合川']) expect(placeholders.join(' '), demoPlace).not.toContain(demoPlace);
  });

  it('on a 768-px window, reaches the 派遣 dialog\'s confirm button without scrolling; the suggestions say no dangling 「分类建议（按分类关键词）：」', async () => {
    const page = b.page;
    for (const [which, id] of Object.entries(caseIds)) {
      await page.goto(`${server.baseUrl}/cases/${id}`);
      await page.getByRole('button', { name: /^派\s*遣$/ }).first().click();
      const dialog = page.getByRole('dialog');
      const confirm = dialog.getByTestId('action-submit');
      await confirm.waitFor();
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(400);
      const box = await confirm.boundingBox();
      expect(box, which).not.toBeNull();
      expect(box!.y + box!.height, `${which}: the confirm button ends within the 768-px window`).toBeLessThanOrEqual(768);
      expect(box!.x + box!.width, which).toBeLessThanOrEqual(768);
      const text = await dialog.textContent();
      expect(text, which).not.toContain('分类建议（按分类关键词）：');
      if (which === 'keyword') expect(text).toContain('依据分类关键词（尚无文本模型）');
      else expect(await dialog.getByTestId('text-suggestions-source').count()).toBe(0);
      await shot(page, `new-district-dispatch-768-${which}`);
      await dialog.getByRole('button', { name: '取消' }).click();
      await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    }
  });
});
