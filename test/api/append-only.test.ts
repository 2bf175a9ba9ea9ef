// Flow records and the audit log are facts: append-only. Triggers refuse UPDATE, DELETE and TRUNCATE on
// both engines; on PostgreSQL the platform runs as a runtime role that lacks those rights, set up as the
// README describes (migrations as the owner, GONGZHI_OWNER_DATABASE_URL, which grants DATABASE_URL's role).
// The regions, units and accounts that cases and flow records name are kept the same way (migration 0186):
// retired or deactivated, never deleted or renumbered.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, pointIn } from '../helpers/fixtures.ts';
import { engine, pgAdminUrl } from '../helpers/engine.ts';
import { createPlatform, type Platform } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { APPEND_ONLY_TABLES, KEPT_TABLES } from '../../src/platform/db/roles.ts';
import { retentionPolicy, retentionTask, runHousekeeping } from '../../src/platform/housekeeping.ts';
import { DEMO_PASSWORD } from '../../src/seed/demo.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:00:00Z');
  const token = await p.login('rexian');
  const c = await p.as(token).post('/api/v1/cases', {
    categoryCode: '030102', title: '路灯不亮', description: '小区门口三盏路灯连续一周不亮', ...pointIn(homeGrid), reporter: { name: '李四', phone: '13800001111' },
  });
  expect(c.status, c.text).toBe(201);
  // an audit row: the reporter's phone revealed for a purpose
  expect((await p.as(token).post(`/api/v1/cases/${c.body.id}/reporter/reveal`, { purpose: '回访核实' })).status).toBe(200);
});
afterAll(async () => { await p?.close(); });

const changes = (table: string) => [
  `UPDATE ${table} SET ${table === 'audit_log' ? 'action' : 'note'} = 'tampered'`,
  `DELETE FROM ${table}`,
  `TRUNCATE ${table} CASCADE`,
];

/** The platform's source files (src, bench, scripts; tests aside) whose text matches `pattern`. */
function sourcesMatching(pattern: RegExp): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (/\.(ts|tsx|sql)$/.test(e.name) && !e.name.endsWith('.test.ts') && pattern.test(readFileSync(path, 'utf8'))) found.push(path);
    }
  };
  for (const dir of ['src', 'bench', 'scripts']) walk(dir);
  return found;
}

describe('facts cannot be changed or removed', () => {
  for (const table of APPEND_ONLY_TABLES) {
    it(`triggers refuse UPDATE, DELETE and TRUNCATE on ${table} (${engine}, even for the database's superuser)`, async () => {
      const [{ n }] = await p.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      expect(n).toBeGreaterThan(0);
      for (const sql of changes(table)) await expect(p.ctx.db.query(sql), sql).rejects.toThrow(/immutable/);
      const [after] = await p.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      expect(after.n).toBe(n);
    });
  }

  it('no code updates or deletes flow records or audit rows', () => {
    expect(sourcesMatching(/\b(UPDATE|DELETE\s+FROM|TRUNCATE(\s+TABLE)?)\s+(ONLY\s+)?"?(flow_record|audit_log)\b/i)).toEqual([]);
  });
});

/** Each kept table: its key, a new value for it, and a change that leaves it (what retiring or deactivating does). */
const kept: Record<(typeof KEPT_TABLES)[number], { key: string; rekey: string; keep: string }> = {
  region: { key: 'code', rekey: `code || '9'`, keep: 'retired_at = retired_at' },
  unit: { key: 'id', rekey: `id || '-x'`, keep: 'active = active' },
  app_user: { key: 'id', rekey: 'DEFAULT', keep: 'active = active' }, // an identity: only DEFAULT may be written, which renumbers
};
/** The rows a new case and its first flow record name: its region, its creator, the creator's unit, the suggested unit. */
async function namedByACase(): Promise<Record<(typeof KEPT_TABLES)[number], string[]>> {
  const [c] = await p.ctx.db.query<{ region_code: string; created_by: string; suggested_unit_id: string; actor_unit_id: string }>(
    `SELECT c.region_code, c.created_by::text, c.suggested_unit_id, f.actor_unit_id
     FROM "case" c JOIN flow_record f ON f.case_id = c.id AND f.seq = 0 ORDER BY c.id LIMIT 1`);
  return { region: [c.region_code], unit: [c.suggested_unit_id, c.actor_unit_id], app_user: [c.created_by] };
}

describe('the rows cases and flow records name are kept', () => {
  for (const table of KEPT_TABLES) {
    it(`triggers refuse DELETE, TRUNCATE and a change of key on ${table} (${engine}), and take its other changes`, async () => {
      const { key, rekey, keep } = kept[table];
      const [{ n }] = await p.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      for (const value of (await namedByACase())[table]) {
        const where = `WHERE ${key} = '${value}'`;
        for (const sql of [`DELETE FROM ${table} ${where}`, `UPDATE ${table} SET ${key} = ${rekey} ${where}`, `TRUNCATE ${table} CASCADE`]) {
          await expect(p.ctx.db.query(sql), sql).rejects.toThrow(new RegExp(`${table} rows are kept`));
        }
        expect(await p.ctx.db.query(`UPDATE ${table} SET ${keep} ${where} RETURNING ${key}`)).toHaveLength(1);
      }
      const [after] = await p.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      expect(after.n).toBe(n);
    });
  }

  it('no code deletes regions, units or accounts', () => {
    expect(sourcesMatching(/\b(DELETE\s+FROM|TRUNCATE(\s+TABLE)?)\s+(ONLY\s+)?"?(region|unit|app_user)\b/i)).toEqual([]);
  });
});

if (engine === 'postgres') describe('the runtime role on PostgreSQL', () => {
  const role = `gz_rt_${randomBytes(4).toString('hex')}`;
  let runtime: Platform;
  let runtimeUrl = '';
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>) => {
    const c = new pg.Client({ connectionString: pgAdminUrl });
    await c.connect();
    try { return await fn(c); } finally { await c.end(); }
  };

  beforeAll(async () => {
    await admin((c) => c.query(`CREATE ROLE ${role} LOGIN`));
    const url = new URL(p.databaseUrl!);
    url.username = role;
    runtimeUrl = url.toString();
    // as deployed: the app connects as the runtime role; migrations (and the grants) go over the owner's connection
    const config = loadConfig({
      DATABASE_URL: runtimeUrl, GONGZHI_OWNER_DATABASE_URL: p.databaseUrl, GONGZHI_DB_POOL: '3',
      GONGZHI_DATA_DIR: '.tmp/test-data', GONGZHI_DATA_KEY: 'ab'.repeat(32), LOG_LEVEL: 'silent',
    } as NodeJS.ProcessEnv);
    runtime = await createPlatform({ config, now: () => p.clock.now, logLevel: 'silent' });
    await runtime.http.ready();
  });
  afterAll(async () => {
    await runtime?.close();
    // the role is dropped once the test database is gone (its grants go with the database)
    await p.close();
    await admin((c) => c.query(`DROP ROLE IF EXISTS ${role}`));
    p = undefined as unknown as TestPlatform;
  });

  const call = async (token: string | null, method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const r = await runtime.http.inject({ method, url, payload: payload as any, headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: r.statusCode, body: r.body ? JSON.parse(r.body) : null, text: r.body };
  };

  it('runs the platform\'s normal writes: sessions, intake, transitions, audit, events, housekeeping', async () => {
    const [{ user }] = await runtime.ctx.db.query<{ user: string }>('SELECT current_user AS user');
    expect(user).toBe(role);
    const login = await call(null, 'POST', '/api/v1/auth/login', { username: 'rexian', password: DEMO_PASSWORD });
    expect(login.status, login.text).toBe(200);
    const token = login.body.token;
    const c = await call(token, 'POST', '/api/v1/cases', {
      categoryCode: '030102', title: '井盖缺失', description: '路口井盖缺失', ...pointIn(homeGrid), reporter: { name: '王五', phone: '13800002222' },
    });
    expect(c.status, c.text).toBe(201);
    expect((await call(token, 'POST', `/api/v1/cases/${c.body.id}/actions/accept`, {})).status).toBe(200);
    expect((await call(token, 'POST', `/api/v1/cases/${c.body.id}/reporter/reveal`, { purpose: '回访核实' })).status).toBe(200);
    const timeline = await call(token, 'GET', `/api/v1/cases/${c.body.id}/timeline`);
    expect(timeline.status, timeline.text).toBe(200);
    await runtime.ctx.events.tick(); // numbers the outbox (UPDATE outbox, outbox_head)
    const [{ unnumbered }] = await runtime.ctx.db.query<{ unnumbered: number }>('SELECT count(*)::int AS unnumbered FROM outbox WHERE pos IS NULL');
    expect(unnumbered).toBe(0);
    await runHousekeeping([retentionTask(runtime.ctx.db, retentionPolicy(runtime.ctx.config)), runtime.ctx.files.garbageTask()],
      new Date(p.clock.now.getTime() + 365 * 86_400_000), (err) => { throw err; });
    expect((await call(token, 'POST', '/api/v1/auth/logout')).status).toBe(204);
  });

  it('cannot UPDATE, DELETE or TRUNCATE flow records or the audit log, nor DELETE or TRUNCATE regions, units or accounts, nor change the schema', async () => {
    const c = new pg.Client({ connectionString: runtimeUrl });
    await c.connect();
    try {
      for (const table of APPEND_ONLY_TABLES) {
        for (const sql of [...changes(table), `ALTER TABLE ${table} DISABLE TRIGGER USER`]) {
          // 42501 insufficient_privilege: refused by the grants, before any trigger runs
          await expect(c.query(sql), sql).rejects.toMatchObject({ code: '42501' });
        }
        await expect(c.query(`SELECT count(*) FROM ${table}`)).resolves.toBeTruthy();
      }
      for (const table of KEPT_TABLES) {
        for (const sql of [`DELETE FROM ${table}`, `TRUNCATE ${table} CASCADE`]) await expect(c.query(sql), sql).rejects.toMatchObject({ code: '42501' });
      }
      await expect(c.query('CREATE TABLE sneaky (id int)')).rejects.toMatchObject({ code: '42501' });
      await expect(c.query(`UPDATE schema_migration SET checksum = 'x'`)).rejects.toMatchObject({ code: '42501' });
    } finally {
      await c.end();
    }
  });
});
