// Console load: initial JavaScript size and first-load time in Chromium.
//   node bin/run-ts.js bench/console-load.ts [--build] [--runs N] [--write]
// --build forces a fresh Vite build (timed); --write puts the results into bench/README.md under
// "## Console load". BASE_URL=http://… measures a running server (with the demo accounts) instead of
// starting one, which seeds the demo city into a temporary folder first.
import { chromium, type BrowserContext } from 'playwright-core';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { consoleDistDir, ensureConsoleBuilt } from '../src/platform/http/console-build.ts';
import { DEMO_PASSWORD, startServer } from '../test/browser/server.ts';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 5;
const KB = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const ms = (n: number) => `${Math.round(n)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// 1. build
const build = await ensureConsoleBuilt({ force: args.includes('--build'), log: (m) => console.log(m) });

// 2. sizes: what index.html loads before any route chunk (entry, modulepreloads, stylesheet), and the lazy giants
interface Size { file: string; raw: number; gzip: number; br: number }
const sizeOf = (file: string): Size => {
  const buf = readFileSync(join(consoleDistDir, file));
  return { file, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length, br: brotliCompressSync(buf).length };
};
const total = (xs: Size[], k: 'raw' | 'gzip' | 'br') => xs.reduce((a, x) => a + x[k], 0);
const html = readFileSync(join(consoleDistDir, 'index.html'), 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => sizeOf(m[1]));
const initialJs = initial.filter((s) => s.file.endsWith('.js'));
const assets = readdirSync(join(consoleDistDir, 'assets'));
const lazyOf = (prefix: string) => assets.filter((f) => f.startsWith(prefix) && /\.m?js$/.test(f)).map((f) => sizeOf(`assets/${f}`));
const maplibre = [...lazyOf('GovMap-'), ...lazyOf('maplibre-gl-worker')];
const echarts = lazyOf('EChart-');
const allJs = assets.filter((f) => f.endsWith('.js')).map((f) => sizeOf(`assets/${f}`));
console.log(`initial JS: ${initialJs.length} files, ${KB(total(initialJs, 'raw'))} raw, ${KB(total(initialJs, 'gzip'))} gzip, ${KB(total(initialJs, 'br'))} brotli`);

// 3. first loads in Chromium, each on a fresh profile (cold cache)
const server = process.env.BASE_URL ? null : await startServer();
const base = process.env.BASE_URL ?? server!.baseUrl;
const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Sample { dcl: number; ready: number; load: number; jsFiles: number; jsTransfer: number; jsDecoded: number }
async function firstLoad(path: string, user?: string): Promise<Sample> {
  const profile = mkdtempSync(join(tmpdir(), 'gongzhi-bench-'));
  const ctx: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, viewport: { width: 1366, height: 768 }, args: flags,
  });
  try {
    if (user) {
      const r = await ctx.request.post(`${base}/api/v1/auth/login`, { data: { username: user, password: DEMO_PASSWORD } });
      if (!r.ok()) throw new Error(`login ${user}: ${r.status()}`);
    }
    const page = ctx.pages()[0] ?? await ctx.newPage();
    await page.goto(`${base}${path}`, { waitUntil: 'load' });
    await page.waitForSelector('html[data-app-ready="true"]', { timeout: 30_000 });
    return await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const ready = performance.getEntriesByName('gz-app-ready')[0]?.startTime ?? NaN;
      const js = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((r) => /\.m?js(\?|$)/.test(r.name));
      return {
        dcl: nav.domContentLoadedEventEnd, ready, load: nav.loadEventEnd, jsFiles: js.length,
        jsTransfer: js.reduce((a, r) => a + r.transferSize, 0), jsDecoded: js.reduce((a, r) => a + r.decodedBodySize, 0),
      };
    });
  } finally {
    await ctx.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

const scenarios: Array<{ name: string; path: string; user?: string }> = [
  { name: 'login page (not logged in)', path: '/login' },
  { name: 'staff home, hotline operator', path: '/', user: 'rexian' },
  { name: 'inbox, department', path: '/inbox', user: 'chengguan' },
  { name: 'resident portal', path: '/portal' },
];
const results: Array<{ name: string; path: string; s: Sample }> = [];
const loadBefore = loadavg()[0];
try {
  await firstLoad('/login'); // wake the server and the OS file cache once
  for (const sc of scenarios) {
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) samples.push(await firstLoad(sc.path, sc.user));
    const pick = (k: keyof Sample) => median(samples.map((s) => s[k]));
    const s: Sample = { dcl: pick('dcl'), ready: pick('ready'), load: pick('load'), jsFiles: pick('jsFiles'), jsTransfer: pick('jsTransfer'), jsDecoded: pick('jsDecoded') };
    results.push({ name: sc.name, path: sc.path, s });
    console.log(`${sc.name}: DOMContentLoaded ${ms(s.dcl)}, app ready ${ms(s.ready)}, ${s.jsFiles} JS files, ${KB(s.jsTransfer)} transferred (brotli)`);
  }
} finally {
  await server?.stop();
}

// 4. report
const date = new Date().toISOString().slice(0, 10);
const chromiumVersion = (() => { try { return readFileSync('/usr/lib/chromium/chrome_version', 'utf8').trim(); } catch { return 'Debian chromium'; } })();
const lines = [
  '## Console load',
  '',
  `Measured ${date} by \`node bin/run-ts.js bench/console-load.ts${runs !== 5 ? ` --runs ${runs}` : ''}\` on this machine (${cpus().length} cores, ${cpus()[0]?.model ?? ''}), `
    + `headless ${chromiumVersion} on localhost, each load on a fresh profile (cold cache), median of ${runs}. `
    + `Load average when it started: ${loadBefore.toFixed(1)} (other work on the machine slows every figure). `
    + 'The server sends the pre-compressed files (brotli, else gzip) that the build writes beside each asset.',
  '',
  `Build (Vite 8): ${build.built ? `${(build.ms / 1000).toFixed(1)} s` : 'reused the current dist/web'}; ${allJs.length} JS chunks, ${KB(total(allJs, 'gzip'))} gzip in all.`,
  '',
  '| initial JavaScript (entry + modulepreload in index.html) | files | raw | gzip -9 | brotli |',
  '|---|---:|---:|---:|---:|',
  `| loaded before any page | ${initialJs.length} | ${KB(total(initialJs, 'raw'))} | **${KB(total(initialJs, 'gzip'))}** | ${KB(total(initialJs, 'br'))} |`,
  `| MapLibre (lazy: only pages with a map) | ${maplibre.length} | ${KB(total(maplibre, 'raw'))} | ${KB(total(maplibre, 'gzip'))} | ${KB(total(maplibre, 'br'))} |`,
  `| ECharts (lazy: dashboard and big screen) | ${echarts.length} | ${KB(total(echarts, 'raw'))} | ${KB(total(echarts, 'gzip'))} | ${KB(total(echarts, 'br'))} |`,
  '',
  '| first load | DOMContentLoaded | app ready | JS files | JS transferred | JS decoded |',
  '|---|---:|---:|---:|---:|---:|',
  ...results.map((r) => `| ${r.name} \`${r.path}\` | ${ms(r.s.dcl)} | **${ms(r.s.ready)}** | ${r.s.jsFiles} | ${KB(r.s.jsTransfer)} | ${KB(r.s.jsDecoded)} |`),
  '',
  '"App ready" is the `gz-app-ready` performance mark: the login form, the portal or the staff shell has',
  'rendered (the page\'s own data may still be arriving). "JS transferred" counts every script the first',
  'screen fetched, including its route chunk, as sent over the wire (brotli).',
  '',
];
console.log(`\n${lines.join('\n')}`);
if (args.includes('--write')) {
  const file = join(import.meta.dirname, 'README.md');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\n';
  const start = current.indexOf('## Console load');
  let next: string;
  if (start < 0) next = `${current.trimEnd()}\n\n${lines.join('\n')}`;
  else {
    const after = current.indexOf('\n## ', start + 3);
    next = current.slice(0, start) + lines.join('\n') + (after < 0 ? '' : `\n${current.slice(after + 1)}`);
  }
  writeFileSync(file, next.endsWith('\n') ? next : `${next}\n`);
  console.log(`written to ${file}`);
}
