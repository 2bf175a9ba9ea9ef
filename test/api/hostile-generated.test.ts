// Generated hostile input on every write operation in /openapi.json (test/helpers/hostile.ts): fast-check
// arbitraries over each request schema with astral-plane text, lone surrogates, NUL in values and
// keys, 1 MB strings, deep nesting and wrong types, sent by an administrator, a command centre, a
// hotline operator, a resident and anonymously. Never a 5xx; every 4xx application/problem+json; a
// refused write leaves the row count and largest id of every table as they were. The long run
// (≥ 50,000 requests) is bench/hostile.ts, its counts in bench/README.md.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, pointIn } from '../helpers/fixtures.ts';
import { ensureAdmin } from '../../src/platform/auth/bootstrap.ts';
import { DEMO_PASSWORD } from '../../src/seed/demo.ts';
import { runHostile } from '../helpers/hostile-run.ts';
import { person } from './registry-helpers.ts';

const SEED = Number(process.env.HOSTILE_SEED ?? Date.now() % 1_000_000);
const SAMPLES = Number(process.env.HOSTILE_SAMPLES ?? 8); // a new seed each run; bench/hostile.ts sends ≥ 50,000
const ADMIN_PASSWORD = 'hostile-admin-2026';
let p: TestPlatform;
const tokens: Record<string, string | null> = { anonymous: null };

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  await ensureAdmin(p.ctx.db, ADMIN_PASSWORD);
  tokens.admin = await p.login('admin', ADMIN_PASSWORD);
  for (const u of ['zhihui', 'rexian', 'jumin']) tokens[u] = await p.login(u);
  // a few records of each kind, so that generated requests reach real ones
  await p.as(tokens.rexian).post('/api/v1/cases', { categoryCode: '030102', title: '路灯不亮', description: '三盏路灯不亮', ...pointIn(homeGrid) });
  const shequ = await p.login('shequ');
  const pid = (await p.as(shequ).post('/api/v1/persons', person(homeGrid.code))).body.id;
  await p.as(shequ).post(`/api/v1/persons/${pid}/labels`, { type: 'key_youth', fields: { youthTypes: ['05'] } });
  await p.as(shequ).post('/api/v1/houses', { regionCode: homeGrid.code, address: '营盘街1号', ownerName: '张三' });
  await p.as(shequ).post('/api/v1/things', { regionCode: homeGrid.code, kind: 'sensor', name: '烟感', deviceCode: 'YG-1', sensorType: '01' });
  await p.as(shequ).post('/api/v1/organisations', { regionCode: homeGrid.code, kind: 'party', name: '党支部' });
}, 120_000);
afterAll(async () => { await p?.close(); });

describe('generated hostile requests on every write operation', () => {
  it(`answer 4xx problem+json or succeed, never 5xx, and refusals write nothing (seed ${SEED})`, async () => {
    const run = await runHostile({
      http: p.http, db: p.ctx.db, tokens, samplesPerOperation: SAMPLES, seed: SEED,
      relogin: async (u) => p.login(u, u === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD).catch(() => null),
    });
    expect(run.failures.slice(0, 20)).toEqual([]);
    expect(run.requests).toBeGreaterThan(60 * SAMPLES);
    const refused = Object.entries(run.byStatus).filter(([s]) => Number(s) >= 400).reduce((n, [, c]) => n + c, 0);
    expect(refused).toBeGreaterThan(run.requests / 2); // hostile input is mostly refused…
    expect(run.requests - refused).toBeGreaterThan(0); // …and some well-shaped input gets through to the code behind
  }, 600_000);
});
