// Intelligent-routing benchmark on the demo city: retrain from its closed cases, accuracy of the top-1
// and top-3 suggestions on the cases that were not closed (never seen in training), and the latency of
// the suggestion, duplicate and hotspot endpoints (in-process inject: handler + database, no network).
//
//   node bin/run-ts.js bench/routing.ts      (~1 min on PGlite in a temporary folder)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPlatform } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { seedDemo, DEMO_PASSWORD } from '../src/seed/demo.ts';
import { predict } from '../src/modules/intelligence/classifier.ts';

const dir = mkdtempSync(join(tmpdir(), 'gongzhi-routing-bench-'));
const config = loadConfig({ GONGZHI_DATA_DIR: dir, GONGZHI_DATA_KEY: 'ab'.repeat(32), LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv);
const p = await createPlatform({ config, logLevel: 'silent' });
try {
  await seedDemo(p, { cases: 300 });
  await p.http.ready();
  const login = async (username: string) => (await p.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: DEMO_PASSWORD } })).json().token as string;
  const get = (token: string, url: string) => p.http.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const zhihui = await login('zhihui');
  const rexian = await login('rexian');

  const t0 = performance.now();
  const r = await p.http.inject({ method: 'POST', url: '/api/v1/intelligence/model/retrain', headers: { authorization: `Bearer ${zhihui}` }, payload: {} });
  const retrainMs = performance.now() - t0;
  const trained = r.json();

  const { loadModel } = await import('../src/modules/intelligence/classifier.ts');
  const model = loadModel(join(dir, 'models', `${trained.model.version}.json.gz`));
  const unseen = await p.ctx.db.query<{ id: number; category_code: string; title: string; description: string }>(
    `SELECT id, category_code, title, description FROM "case" WHERE state <> 'closed' ORDER BY id`);
  let top1 = 0, top3 = 0, knownLabel = 0, sure = 0, sureRight = 0;
  for (const c of unseen) {
    const pr = predict(model, `${c.title}\n${c.description}`, 3);
    if (model.labels.includes(c.category_code)) knownLabel++;
    if (pr[0]!.label === c.category_code) top1++;
    if (pr.some((x) => x.label === c.category_code)) top3++;
    if (pr[0]!.confidence >= 0.9) { sure++; if (pr[0]!.label === c.category_code) sureRight++; }
  }

  const time = async (n: number, url: (i: number) => string, token: string) => {
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      const res = await get(token, url(i));
      if (res.statusCode !== 200) throw new Error(`${url(i)}: ${res.statusCode} ${res.body}`);
      ms.push(performance.now() - s);
    }
    ms.sort((a, b) => a - b);
    return { median: ms[Math.floor(n / 2)]!, p95: ms[Math.floor(n * 0.95)]! };
  };
  const ids = unseen.map((c) => c.id);
  const suggestions = await time(200, (i) => `/api/v1/cases/${ids[i % ids.length]}/routing/suggestions`, zhihui);
  const duplicates = await time(200, (i) => `/api/v1/cases/${ids[i % ids.length]}/duplicates`, zhihui);
  const hotspots = await time(30, () => '/api/v1/intelligence/hotspots?days=30', zhihui);
  void rexian;

  const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)} %`;
  console.log(`retrain: ${trained.examples} closed cases, ${trained.model.labels} categories, ${retrainMs.toFixed(0)} ms (request), model ${(trained.model.sizeBytes / 1024).toFixed(0)} KB`);
  console.log(`unseen cases: ${unseen.length} (${knownLabel} of a category seen in training)`);
  console.log(`top-1 ${pct(top1, unseen.length)} (${pct(top1, knownLabel)} of those with a seen category); top-3 ${pct(top3, unseen.length)} (${pct(top3, knownLabel)})`);
  console.log(`confidence ≥ 0.9: ${sure} cases, ${sureRight} right`);
  console.log(`GET …/routing/suggestions median ${suggestions.median.toFixed(1)} ms, p95 ${suggestions.p95.toFixed(1)} ms`);
  console.log(`GET …/duplicates median ${duplicates.median.toFixed(1)} ms, p95 ${duplicates.p95.toFixed(1)} ms`);
  console.log(`GET /api/v1/intelligence/hotspots?days=30 (district) median ${hotspots.median.toFixed(1)} ms, p95 ${hotspots.p95.toFixed(1)} ms`);
} finally {
  await p.close();
  rmSync(dir, { recursive: true, force: true });
}
