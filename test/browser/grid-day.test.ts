// A grid worker's day on a phone (390×844): 今日 in due order → a household planned for a visit (走访计划),
// in 今日 as planned → the visit to that registry household →
// "发现问题" → the case → a patrol with a recorded track; a report filed offline is sent on reconnect and
// makes exactly one case (the first answer after reconnecting is dropped, so the retry carries the same
// Idempotency-Key); every touch target of the worker's pages is at least 44 px and the primary button
// is in view without scrolling.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, Route } from 'playwright-core';
import { apiAs, choose, login, openBrowser, overflowsHorizontally, PHONE, samplePhoto, screenshotOnFailure, shot, type Browser } from './helpers.ts';

let b: Browser;
let grid: { code: string; ring: Array<[number, number]> };
beforeAll(async () => {
  b = await openBrowser(PHONE, { mobile: true });
  await b.context.grantPermissions(['geolocation']);
  const api = await apiAs('wangge');
  const me = await api.get('/api/v1/auth/me');
  const g = await api.get(`/api/v1/grids/${me.regionCode}`);
  const coords = g.geometry.type === 'Polygon' ? g.geometry.coordinates[0] : g.geometry.coordinates[0][0];
  grid = { code: me.regionCode, ring: coords };
  await login(b.page, 'wangge');
});
afterAll(async () => { await b?.close(); });
screenshotOnFailure(() => b);

/** Points inside the grid: a walk along its label point's row. */
function inside(n: number): Array<{ latitude: number; longitude: number }> {
  const xs = grid.ring.map((p) => p[0]); const ys = grid.ring.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const within = (x: number, y: number) => {
    let c = false;
    for (let i = 0, j = grid.ring.length - 1; i < grid.ring.length; j = i++) {
      const [xi, yi] = grid.ring[i]; const [xj, yj] = grid.ring[j];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
    }
    return c;
  };
  const out: Array<{ latitude: number; longitude: number }> = [];
  for (let row = 0.5; out.length < n && row < 0.95; row += 0.1) {
    for (let k = 0; k < 40 && out.length < n; k++) {
      const x = minX + ((k + 0.5) / 40) * (maxX - minX); const y = minY + row * (maxY - minY);
      if (within(x, y)) out.push({ latitude: y, longitude: x });
    }
  }
  return out;
}

/** Interactive elements smaller than 44 px in either direction (their label counts for inputs inside one). */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const els = document.querySelectorAll<HTMLElement>('a[href], button, input:not([type=hidden]), select, textarea, [role=button], [role=tab], [role=combobox], [role=radio], [role=checkbox]');
    for (const el of els) {
      if (el.closest('[aria-hidden="true"], .ant-select-dropdown, .ant-message, .ant-image-preview')) continue;
      const target = (el.closest('label') as HTMLElement | null) ?? (el.closest('.ant-select') as HTMLElement | null) ?? el;
      const r = target.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue; // not rendered
      if (r.right <= 0 || r.bottom <= 0) continue; // off-screen until focused (the skip link)
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      if (r.height < 43.5 || r.width < 43.5) out.push(`${Math.round(r.width)}×${Math.round(r.height)} ${target.outerHTML.slice(0, 120)}`);
    }
    return out;
  });
}

/** The page's primary button lies inside the viewport (above the tab bar) without scrolling. */
async function primaryInView(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    window.scrollTo(0, 0);
    const btn = [...document.querySelectorAll<HTMLElement>('.ant-btn-primary')].find((x) => x.getBoundingClientRect().height > 0);
    if (!btn) return false;
    const r = btn.getBoundingClientRect();
    const bar = document.querySelector('.gz-tabbar')?.getBoundingClientRect().top ?? window.innerHeight;
    return r.top >= 0 && r.bottom <= bar;
  });
}

const walk = async (page: Page, at: { latitude: number; longitude: number }) => {
  await b.context.setGeolocation({ ...at, accuracy: 8 });
  await page.waitForTimeout(350);
};

describe('a grid worker\'s day on a phone', () => {
  it('今日 → a visit to a registry household → 发现问题 → the case → a patrol with its track', async () => {
    const p = b.page;
    const api = await apiAs('wangge');
    await p.goto('/');
    await p.getByTestId('today-list').waitFor();
    const before = Number(await p.getByTestId('kpi-waiting').locator('.gz-kpi-value').textContent());
    // the worker's own open report counts as 我的待办 (it waits in the community's inbox)
    const mine = await api.post('/api/v1/cases', { categoryCode: '020501', title: '营盘街口占道经营', description: '早高峰有摊贩占用人行道', regionCode: grid.code });
    await p.reload();
    await expect.poll(async () => Number(await p.getByTestId('kpi-waiting').locator('.gz-kpi-value').textContent())).toBe(before + 1);
    await expect.poll(() => p.locator(`a[href="/cases/${mine.id}"]`).count()).toBe(1);
    // due order: case or report, then follow-ups, visits, and the patrol target last of today's items (only cases
    // and reports due after today, which other tests on this server may have filed, come after it)
    const kinds = await p.getByTestId('today-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds).toContain('followup');
    expect(kinds).toContain('visit');
    expect(kinds).toContain('patrol');
    expect(kinds.slice(kinds.indexOf('patrol') + 1).filter((k) => k !== 'case' && k !== 'report')).toEqual([]);
    expect(await overflowsHorizontally(p)).toBe(false);
    await shot(p, 'gd-01-today-phone');

    // a household suggested for a visit: planned for today from its visit form (走访计划), then in 今日 as planned
    await p.locator('[data-kind="visit"]').first().click();
    await p.getByTestId('visit-form').waitFor();
    const address = await p.getByTestId('visit-household').textContent();
    await p.getByTestId('plan-later').click();
    await p.getByTestId('plan-form').waitFor();
    await expect.poll(() => p.getByTestId('plan-target').textContent()).toBe(address);
    await p.getByLabel('备注').fill('复查楼道噪音');
    expect(await smallTargets(p)).toEqual([]);
    expect(await primaryInView(p)).toBe(true);
    await shot(p, 'gd-02a-plan-form-phone');
    await p.getByTestId('save-plan').click();
    await p.getByTestId('plan-item').filter({ hasText: address! }).waitFor();
    await shot(p, 'gd-02b-plans-phone');
    await p.getByTestId('tab-today').click();
    const planned = p.locator('[data-kind="plan"]').filter({ hasText: address! });
    await planned.filter({ hasText: '复查楼道噪音' }).waitFor();
    await shot(p, 'gd-02c-today-with-plan-phone');
    await planned.click();
    await p.getByTestId('visit-plan').waitFor();
    expect(await p.getByTestId('visit-household').textContent()).toBe(address);
    await p.getByTestId('checklist').waitFor();
    await p.locator('label', { hasText: '日常走访' }).click();
    const rows = p.getByTestId('checklist').locator('.gz-check-row');
    await expect.poll(() => rows.count()).toBe(4);
    for (let i = 0; i < 4; i++) await rows.nth(i).locator('label').getByText(i === 3 ? '否' : '是', { exact: true }).click();
    await p.getByTestId('photo-input').setInputFiles({ name: 'door.png', mimeType: 'image/png', buffer: samplePhoto() });
    await expect.poll(() => p.getByRole('img', { name: 'door.png' }).count()).toBe(1);
    await b.context.setGeolocation({ ...inside(1)[0], accuracy: 10 });
    await p.getByTestId('visit-locate').click();
    await p.getByTestId('visit-where').waitFor();
    await p.getByLabel('走访情况').fill('楼上住户反映与邻居因噪音发生争执，需调解。');
    expect(await smallTargets(p)).toEqual([]);
    expect(await primaryInView(p)).toBe(true);
    await shot(p, 'gd-02-visit-form-phone');
    await p.getByTestId('save-visit').click();
    await p.getByTestId('visit-detail').waitFor();
    const visitId = Number(await p.getByTestId('visit-detail').getAttribute('data-visit-id'));
    const visit = await api.get(`/api/v1/fieldwork/visits/${visitId}`);
    expect(visit.household.address).toBe(address);
    // the visit carried out the plan: done, out of 今日
    expect((await api.get(`/api/v1/fieldwork/plans/${visit.plan.id}`)).status).toBe('done');
    expect(visit.attachmentIds).toHaveLength(1);
    expect(visit.lat).not.toBeNull();
    expect(visit.checklist.find((i: any) => i.key === 'no_disputes').answer).toBe('no');

    // 发现问题 → a case linked to the visit
    expect(await smallTargets(p)).toEqual([]);
    await p.getByTestId('found-problem').click();
    await choose(p, '事项分类', '邻里', /邻里纠纷/);
    await shot(p, 'gd-03-found-problem-phone');
    await p.getByTestId('file-case').click();
    await p.getByTestId('case-detail').waitFor();
    const caseId = Number(p.url().split('/').at(-1));
    const linked = await api.get(`/api/v1/fieldwork/visits/${visitId}`);
    expect(linked.case.id).toBe(caseId);
    const described = (await api.get(`/api/v1/cases/${caseId}`)).description;
    expect(described).toContain(`——入户走访发现（`);
    expect(described).toContain(address);
    await shot(p, 'gd-04-case-from-visit-phone');

    // a patrol with a recorded track
    await b.context.setGeolocation({ ...inside(1)[0], accuracy: 8 });
    await p.getByTestId('tab-patrol').click();
    await p.getByTestId('patrol-start').click();
    await expect.poll(() => p.getByTestId('patrol-page').getAttribute('data-state')).toBe('open');
    for (const at of inside(12)) await walk(p, at);
    await shot(p, 'gd-05-patrol-walking-phone');
    await p.getByTestId('patrol-stop').click();
    await expect.poll(() => p.getByTestId('patrol-page').getAttribute('data-state'), { timeout: 20_000 }).toBe('stopped');
    expect(Number(await p.getByTestId('patrol-points').getAttribute('data-points'))).toBeGreaterThanOrEqual(8);
    await expect.poll(() => p.getByTestId('patrol-coverage').textContent()).toMatch(/\d+(\.\d+)?%/);
    await p.locator('.gz-patrol-map[data-ready="true"]').waitFor();
    const current = await api.get('/api/v1/fieldwork/patrols/current');
    expect(current.patrol).toBeNull();
    const patrols = await api.get('/api/v1/patrols');
    expect(patrols.items[0].pointCount).toBeGreaterThanOrEqual(8);
    await shot(p, 'gd-06-patrol-track-phone');

    // 我的 → 巡查走访: the visit names its household by address, never by a registry key
    await p.getByTestId('tab-me').click();
    await p.getByRole('link', { name: '巡查走访' }).click();
    // her own visits (我的 opens them with mine=true), as cards that fit the phone's width
    expect(p.url()).toContain('mine=true');
    const visits = p.getByTestId('visits-cards');
    await visits.getByText(address!).first().waitFor();
    expect(await visits.getByText(/registry-household/).count()).toBe(0);
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await smallTargets(p)).toEqual([]);
    await shot(p, 'gd-06b-my-visits-phone');
    expect(b.errors).toEqual([]);
  });

  it('every touch target of the worker\'s pages is at least 44 px, the primary button in view', async () => {
    const p = b.page;
    // a surname of the grid: the first character of a masked name the search finds
    const api = await apiAs('wangge');
    let surname = '';
    // (residents living in the grid: persons other tests on this server registered without a home come first in the list)
    for (const person of (await api.get('/api/v1/persons?pageSize=100')).items.filter((x: any) => x.houseId || x.householdId).slice(0, 20)) {
      const s = [...person.nameMasked][0];
      if ((await api.get(`/api/v1/fieldwork/residents?q=${encodeURIComponent(s)}`)).items.length) { surname = s; break; }
    }
    expect(surname).not.toBe('');
    // a resident of the grid who lives in a house of a household: the person page links both
    const resident = (await api.get('/api/v1/persons?pageSize=50')).items.find((x: any) => x.houseId && x.householdId);
    expect(resident).toBeTruthy();
    for (const [path, ready, primary] of [
      ['/', 'today-list', true], ['/report', 'submit-report', true], ['/patrol', 'patrol-page', true], ['/visit', 'household-item', false],
      ['/visit/plans', 'plan-list', true],
      ['/me', 'me-page', false], [`/residents?q=${encodeURIComponent(surname)}`, 'resident', true],
      [`/registry/persons/${resident.id}`, 'person-links', false],
    ] as Array<[string, string, boolean]>) {
      await p.goto(path);
      await p.getByTestId(ready).first().waitFor();
      await p.waitForTimeout(300);
      expect(await smallTargets(p), path).toEqual([]);
      if (primary) expect(await primaryInView(p), path).toBe(true);
      expect(await overflowsHorizontally(p), path).toBe(false);
    }
    await shot(p, 'gd-07-residents-phone');
    await p.goto('/me');
    await p.getByTestId('me-page').waitFor();
    // logout is not beside the user's name
    const name = await p.getByTestId('me-name').boundingBox();
    const out = await p.getByTestId('logout').boundingBox();
    expect(out!.y - (name!.y + name!.height)).toBeGreaterThan(100);
    await shot(p, 'gd-08-me-phone');
  });
});

describe('offline', () => {
  it('keeps a report filed offline and sends it once on reconnect, retrying with the same Idempotency-Key', async () => {
    const p = b.page;
    const api = await apiAs('wangge');
    await p.goto('/report');
    await p.getByTestId('submit-report').waitFor();
    // installable: a manifest with icons, and a service worker that controls the page (installed on the first visit)
    const manifest = await p.evaluate(async () => {
      const href = document.querySelector('link[rel="manifest"]')?.getAttribute('href');
      const m = await (await fetch(href!)).json();
      const icon = await fetch(m.icons[0].src);
      return { name: m.short_name, display: m.display, icons: m.icons.length, iconType: icon.headers.get('content-type') };
    });
    expect(manifest).toEqual({ name: '共治', display: 'standalone', icons: 3, iconType: 'image/png' });
    await expect.poll(() => p.evaluate(() => !!navigator.serviceWorker?.controller), { timeout: 20_000 }).toBe(true);
    await p.reload();
    await p.getByTestId('submit-report').waitFor();
    await p.waitForLoadState('networkidle');

    const posts: string[] = [];
    let dropFirst = false;
    let dropped = 0;
    await b.context.route('**/api/v1/cases', async (route: Route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      posts.push(route.request().headers()['idempotency-key'] ?? '');
      if (dropFirst && dropped === 0) {
        // the server files the case, but its answer is lost on the way back
        dropped++;
        await route.fetch();
        return route.abort('connectionreset');
      }
      return route.fallback();
    });

    await b.context.setOffline(true);
    await expect.poll(() => p.getByTestId('live-status').textContent()).toBe('离线');
    const title = `离线上报${Date.now()}`;
    await p.getByTestId('photo-input').setInputFiles({ name: 'offline.png', mimeType: 'image/png', buffer: samplePhoto() });
    await expect.poll(() => p.getByRole('img', { name: 'offline.png' }).count()).toBe(1);
    await choose(p, '事项分类', '暴露', '暴露垃圾');
    await p.getByLabel('标题').fill(title);
    await p.getByLabel('诉求内容').fill('营盘街12号楼下三袋生活垃圾未入桶。');
    // a reload while offline loses nothing typed, nor the photo taken
    await p.waitForTimeout(500);
    await p.reload();
    await p.getByTestId('submit-report').waitFor();
    await expect.poll(() => p.getByLabel('标题').inputValue()).toBe(title);
    await expect.poll(() => p.getByRole('img', { name: 'offline.png' }).count()).toBe(1);
    // the photo shows (its picture came back from the phone's storage, not a dead link)
    await expect.poll(() => p.getByRole('img', { name: 'offline.png' }).evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0)).toBe(true);
    expect(await p.getByText('Failed to fetch').count()).toBe(0);
    // no place picked: the report takes where the phone is (GPS works offline)
    const here = inside(3)[2];
    await b.context.setGeolocation({ ...here, accuracy: 12 });
    await shot(p, 'gd-09-offline-report-phone');
    await p.getByTestId('submit-report').click();
    await p.getByText('已保存在手机上').first().waitFor();
    await p.getByTestId('queued-home').click();
    await p.getByTestId('outbox-item').first().waitFor();
    await p.waitForTimeout(2000);
    // nothing reached the server while offline
    expect(posts).toEqual([]);
    expect((await api.get(`/api/v1/cases?q=${encodeURIComponent(title)}`)).items).toHaveLength(0);
    await shot(p, 'gd-10-offline-outbox-phone');

    dropFirst = true;
    await b.context.setOffline(false);
    await expect.poll(() => p.getByTestId('outbox-item').first().getAttribute('data-state'), { timeout: 30_000 }).toBe('sent');
    expect(dropped).toBe(1);
    expect(posts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(posts).size).toBe(1); // every try carried the same Idempotency-Key
    const found = await api.get(`/api/v1/cases?q=${encodeURIComponent(title)}`);
    expect(found.items).toHaveLength(1);
    const c = await api.get(`/api/v1/cases/${found.items[0].id}`);
    // the photo went with it, and the phone's position at the time of the report
    const flow = (await api.get(`/api/v1/cases/${c.id}/timeline`)).items;
    expect(flow[0].attachmentIds).toHaveLength(1);
    expect(c.lat).toBeCloseTo(here.latitude, 6);
    expect(c.lng).toBeCloseTo(here.longitude, 6);
    expect(c.regionCode).toBe(grid.code);
    await expect.poll(() => p.getByTestId('live-status').textContent()).not.toBe('离线');
    await shot(p, 'gd-11-sent-on-reconnect-phone');
    // the sent report's case link and its dismiss button are thumb-sized too, on 今日 and on 我的
    await p.getByTestId('outbox-case').waitFor();
    expect(await smallTargets(p)).toEqual([]);
    await p.getByTestId('tab-me').click();
    await p.getByTestId('outbox-case').waitFor();
    expect(await smallTargets(p)).toEqual([]);
    await b.context.unroute('**/api/v1/cases');
  });

  it('files 发现问题 from a visit while offline: it waits on the phone and makes the visit\'s case once on reconnect', async () => {
    const p = b.page;
    const api = await apiAs('wangge');
    const household = (await api.get('/api/v1/fieldwork/households')).items[0];
    const visit = await api.post('/api/v1/fieldwork/visits', { purpose: 'routine', householdId: household.id, result: 'issue_found', note: '楼道灯不亮' });
    await p.goto(`/visits/${visit.id}`);
    await p.getByTestId('found-problem').waitFor();
    const posts: string[] = [];
    await b.context.route('**/api/v1/fieldwork/visits/*/case', async (route: Route) => {
      if (route.request().method() === 'POST') posts.push(route.request().headers()['idempotency-key'] ?? '');
      return route.fallback();
    });
    await b.context.setOffline(true);
    await expect.poll(() => p.getByTestId('live-status').textContent()).toBe('离线');
    await p.getByTestId('found-problem').click();
    await choose(p, '事项分类', '暴露', '暴露垃圾');
    await p.getByTestId('file-case').click();
    await p.getByTestId('visit-case-queued').waitFor();
    expect(await p.getByText('Failed to fetch').count()).toBe(0);
    await shot(p, 'gd-12-found-problem-offline-phone');
    await p.waitForTimeout(1500);
    expect(posts).toEqual([]);
    expect((await api.get(`/api/v1/fieldwork/visits/${visit.id}`)).case).toBeNull();

    await b.context.setOffline(false);
    await expect.poll(async () => (await api.get(`/api/v1/fieldwork/visits/${visit.id}`)).case?.id ?? null, { timeout: 30_000 }).not.toBeNull();
    expect(new Set(posts).size).toBe(1);
    await p.goto('/me');
    const sent = p.getByTestId('outbox-item').filter({ hasText: household.address ?? '' }).filter({ has: p.getByTestId('outbox-case') });
    await expect.poll(() => sent.first().getAttribute('data-state'), { timeout: 20_000 }).toBe('sent');
    await b.context.unroute('**/api/v1/fieldwork/visits/*/case');
  });
});
