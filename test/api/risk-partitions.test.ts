// Sensor readings' day partitions where the platform runs as a runtime role (PostgreSQL, as the README's
// PostgreSQL roles set it up): the role may not create tables, so the partitions are made over the owner's
// connection, and the role writes readings into them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { createPlatform, type Platform } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { engine, pgAdminUrl } from '../helpers/engine.ts';
import { homeGrid } from '../helpers/fixtures.ts';
import { partitions } from '../../src/modules/risk/sensors/store.ts';

describe.runIf(engine === 'postgres')('day partitions under a runtime role', () => {
  const role = `gz_rt_${randomBytes(4).toString('hex')}`;
  let p: TestPlatform;
  let runtime: Platform;
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>) => {
    const c = new pg.Client({ connectionString: pgAdminUrl });
    await c.connect();
    try { return await fn(c); } finally { await c.end(); }
  };

  beforeAll(async () => {
    p = await testPlatform(new Date().toISOString());
    await admin((c) => c.query(`CREATE ROLE ${role} LOGIN`));
    const url = new URL(p.databaseUrl!);
    url.username = role;
    const config = loadConfig({
      DATABASE_URL: url.toString(), GONGZHI_OWNER_DATABASE_URL: p.databaseUrl, GONGZHI_DB_POOL: '3',
      GONGZHI_DATA_DIR: '.tmp/test-data', GONGZHI_DATA_KEY: 'ab'.repeat(32), LOG_LEVEL: 'silent',
    } as NodeJS.ProcessEnv);
    runtime = await createPlatform({ config, logLevel: 'silent' });
    await runtime.http.ready();
  });
  afterAll(async () => {
    await runtime?.close();
    await p?.close();
    await admin((c) => c.query(`DROP ROLE IF EXISTS ${role}`));
  });

  it('makes today\'s partitions over the owner\'s connection; the runtime role stores readings in them', async () => {
    const [{ user }] = await runtime.ctx.db.query<{ user: string }>('SELECT current_user AS user');
    expect(user).toBe(role);
    await expect(runtime.ctx.db.query('CREATE TABLE gz_should_fail (x int)')).rejects.toMatchObject({ code: '42501' });
    await runtime.risk.start({ mqtt: false, ticks: false });
    const today = `sensor_reading_p${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`;
    expect((await partitions(runtime.ctx.db)).map((x) => x.name)).toContain(today);
    const login = await runtime.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'zhihui', password: 'gongzhi-demo-2026' } });
    const token = JSON.parse(login.body).token;
    const thing = await runtime.http.inject({ method: 'POST', url: '/api/v1/things', headers: { authorization: `Bearer ${token}` },
      payload: { regionCode: homeGrid.code, kind: 'sensor', name: '测试烟感', deviceCode: 'SMK-RT-01', sensorType: '01' } });
    expect(thing.statusCode, thing.body).toBe(201);
    const r = await runtime.http.inject({ method: 'POST', url: '/api/v1/risk/sensor-readings', headers: { authorization: `Bearer ${token}` },
      payload: { readings: [{ deviceCode: 'SMK-RT-01', values: { smoke: 0.02 } }] } });
    expect(r.statusCode, r.body).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ accepted: 1, rejected: [] });
    const [{ n }] = await runtime.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${today}`);
    expect(n).toBe(1);
  });
});
