// Drives Debian's Chromium with playwright-core, as a real user would: through the login form, labels
// and buttons. Screenshots of the key pages go to test-results/screenshots/.
import { chromium, type BrowserContext, type Download, type Locator, type Page } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterEach, inject, type TestContext } from 'vitest';
import { ADMIN_PASSWORD, DEMO_PASSWORD } from './server.ts';

export const SCREENSHOTS = 'test-results/screenshots';
export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };

/** This worker's own server (one per worker: see global-setup.ts). */
function serverIndex(): number { return (Number(process.env.VITEST_POOL_ID ?? 1) - 1) % inject('baseUrls').length; }
export function baseUrl(): string { return inject('baseUrls')[serverIndex()]; }
/** The MQTT topic root this worker's server reads sensor readings from. */
export function mqttTopic(): string { return inject('mqttTopics')[serverIndex()]; }
/** The file the worker's server writes its output to (a development SMS code is read from it). */
export function serverLog(): string { return inject('serverLogs')[serverIndex()]; }

export interface Browser {
  context: BrowserContext; page: Page; errors: string[];
  /** The last pages opened (address and time), written beside a failed test's screenshot. */
  trail: string[];
  /** Content-security-policy violations seen on any page of this browser: every test fails on one. */
  cspViolations: string[];
  close(): Promise<void>;
}

const openBrowsers = new Set<Browser>();

/** Reports (and forgets) the CSP violations of the open browsers. */
function takeViolations(b: Browser): string[] {
  return b.cspViolations.splice(0);
}

// The console must work under its content security policy (no inline or evaluated script): a test
// that provoked a `securitypolicyviolation` event on any page fails, even if what it checked passed.
afterEach(() => {
  const seen = [...openBrowsers].flatMap(takeViolations);
  if (seen.length) throw new Error(`Content Security Policy violations:\n${seen.join('\n')}`);
});

export async function openBrowser(viewport = DESKTOP, opts: { mobile?: boolean } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'gongzhi-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport,
    deviceScaleFactor: 1,
    isMobile: !!opts.mobile,
    hasTouch: !!opts.mobile,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    // the console honours prefers-reduced-motion (no zooming dialogs, no sliding dropdowns): a click is never aimed at
    // a dialog still zooming in on a loaded machine
    reducedMotion: 'reduce',
    baseURL: baseUrl(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  context.setDefaultTimeout(20_000);
  const page = context.pages()[0] ?? await context.newPage();
  const errors: string[] = [];
  const trail: string[] = [];
  const note = (line: string) => { trail.push(`${new Date().toISOString().slice(11, 23)} ${line}`); if (trail.length > 60) trail.shift(); };
  const watch = (p: Page) => {
    p.on('framenavigated', (f) => { if (f === p.mainFrame()) note(`page ${f.url()}`); });
    p.on('download', (d) => note(`download ${d.url()}`));
    p.on('pageerror', (e) => { note(`pageerror ${e.message}`); errors.push(`pageerror: ${e.message}`); });
    p.on('console', (m) => { if (m.type() === 'error' && !/status of (401|404|409|422)/.test(m.text())) errors.push(`console: ${m.text()}`); });
  };
  watch(page);
  context.on('page', watch);
  const cspViolations: string[] = [];
  await context.exposeBinding('__gzCspViolation', ({ page: p }, text: string) => { cspViolations.push(`${p.url()}: ${text}`); });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __gzCspViolation(t: string): void }).__gzCspViolation(
        `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile || 'document'}:${e.lineNumber}) ${e.sample ?? ''}`);
    });
  });
  const browser: Browser = {
    context, page, errors, trail, cspViolations,
    async close() {
      openBrowsers.delete(browser);
      const left = takeViolations(browser);
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      if (left.length) throw new Error(`Content Security Policy violations:\n${left.join('\n')}`);
    },
  };
  openBrowsers.add(browser);
  return browser;
}

export async function newPage(b: Browser): Promise<Page> {
  return b.context.newPage();
}

/** Logs in through the login form, as a person would. */
export async function login(page: Page, username: string, password = username === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.getByTestId('current-user').waitFor();
}

export async function logout(page: Page): Promise<void> {
  await page.getByRole('button', { name: /退出|Log out/ }).click();
  await page.waitForURL(/\/login/);
}

/**
 * Clicks a download link or button and returns the download. When none starts, the error says what the page showed
 * (its address and whether the link was there and visible), since the failure screenshot comes later.
 */
export async function downloadBy(page: Page, link: Locator, timeout = 20_000): Promise<Download> {
  await link.waitFor({ state: 'visible', timeout });
  const started = page.waitForEvent('download', { timeout });
  try {
    await link.click({ timeout });
    return await started;
  } catch (err) {
    started.catch(() => undefined);
    const count = await link.count().catch(() => -1);
    const visible = count > 0 && await link.first().isVisible().catch(() => false);
    const href = count > 0 ? await link.first().getAttribute('href').catch(() => null) : null;
    throw new Error(`no download within ${timeout} ms from ${page.url()}: the link was ${count < 1 ? 'gone' : visible ? 'visible' : 'hidden'}`
      + `${href ? ` (href ${href})` : ''}; ${(err as Error).message.split('\n')[0]}`);
  }
}

export async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForTimeout(400); // let dialogs and messages finish their entrance animation
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}

/** Waits until a map on the page has drawn its data. */
export async function mapReady(page: Page, nth = 0): Promise<void> {
  await page.getByTestId('map').nth(nth).and(page.locator('[data-ready="true"]')).waitFor({ timeout: 30_000 });
}

/** Clicks a map at a fraction of its width and height (as a person picking a spot). */
export async function clickMap(page: Page, fx = 0.5, fy = 0.5, nth = 0): Promise<void> {
  const map = page.getByTestId('map').nth(nth);
  await map.scrollIntoViewIfNeeded();
  const box = (await map.boundingBox())!;
  await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
}

/** Picks an option in an Ant Design select (Select, TreeSelect) opened from its label. */
export async function choose(page: Page, label: string | RegExp, search: string, option: string | RegExp = search): Promise<void> {
  const input = page.getByLabel(label, { exact: typeof label === 'string' });
  await input.click();
  await input.fill(search);
  const popup = page.locator('.ant-select-dropdown:visible, .ant-tree-select-dropdown:visible').last();
  await popup.getByTitle(option).or(popup.getByText(option, { exact: typeof option === 'string' })).first().click();
}

/** Calls the API as a user (setting up facts that are not the subject of a test). */
export async function apiAs(username: string) {
  const base = baseUrl();
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: username === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD }),
  });
  if (!r.ok) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  const { token } = await r.json() as { token: string };
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return json;
  };
  return { get: (p: string) => call('GET', p), post: (p: string, b?: unknown) => call('POST', p, b ?? {}), send: (method: string, p: string, b?: unknown) => call(method, p, b) };
}

/** Form controls without an accessible name (label, aria-label or aria-labelledby): should be none. */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const controls = document.querySelectorAll<HTMLElement>('input, select, textarea, [role="combobox"], [role="switch"], [role="slider"]');
    for (const el of controls) {
      if ((el as HTMLInputElement).type === 'hidden' || el.closest('[aria-hidden="true"]')) continue;
      const style = getComputedStyle(el);
      const visible = el.offsetParent !== null || style.position === 'fixed';
      if (!visible && !(el as HTMLInputElement).type?.match(/file|radio|checkbox/)) continue;
      const id = el.getAttribute('id');
      const named = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
        || (id && document.querySelector(`label[for="${CSS.escape(id)}"]`)) || el.closest('label');
      if (!named) out.push(el.outerHTML.slice(0, 160));
    }
    return out;
  });
}

/** A small real PNG (a colour gradient), as a phone photo stand-in: the server checks the bytes. */
export function samplePhoto(w = 160, h = 120): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + w * 3);
    for (let x = 0; x < w; x++) { row[1 + x * 3] = (x * 255) / w; row[2 + x * 3] = (y * 255) / h; row[3 + x * 3] = 140; }
    rows.push(row);
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
  const crc = (b: Buffer) => { let c = 0xffffffff; for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4); sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

/** True when the page is wider than the viewport (a horizontal scrollbar on a phone). */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

/** Saves a screenshot of every open page when a test fails (test-results/screenshots/FAILED-…-try1-0.png …). */
export function screenshotOnFailure(getBrowser: () => Browser | undefined): void {
  afterEach(async (ctx: TestContext) => {
    const b = getBrowser();
    if (!b || ctx.task.result?.state !== 'fail') return;
    // one file per attempt: a retried test's first failure is kept beside its second
    const name = `${ctx.task.name.replace(/[^\w\u4e00-\u9fa5]+/g, '-').slice(0, 60)}-try${(ctx.task.result?.retryCount ?? 0) + 1}`;
    for (const [i, page] of b.context.pages().entries()) await shot(page, `FAILED-${name}-${i}`, true).catch(() => undefined);
    writeFileSync(join(SCREENSHOTS, `FAILED-${name}.txt`), `${b.trail.join('\n')}\n`);
  });
}
