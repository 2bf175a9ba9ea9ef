// The point → grid index of every API process follows grid changes made by any process, through the
// outbox: two platforms (two processes' worth of state) on one PostgreSQL database.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeCommunity, homeGrid, otherGrid, pointIn } from '../helpers/fixtures.ts';
import { engine } from '../helpers/engine.ts';
import { createPlatform, type Platform } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { openPostgres } from '../../src/platform/db/index.ts';

type Pos = [number, number];

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const ring = (g: { polygon?: number[][][] }) => g.polygon![0] as Pos[];
const centre = homeGrid.centroid as Pos;
const west = ring(homeGrid).reduce((x, y) => (y[0] < x[0] ? y : x));
const schoolAt: Pos = [(centre[0] + west[0]) / 2, (centre[1] + west[1]) / 2];
const h = 0.0002;
const school = [[schoolAt[0] - h, schoolAt[1] - h], [schoolAt[0] + h, schoolAt[1] - h], [schoolAt[0] + h, schoolAt[1] + h],
  [schoolAt[0] - h, schoolAt[1] + h], [schoolAt[0] - h, schoolAt[1] - h]];
const schoolCode = `${homeCommunity.code}07`;

describe.runIf(engine === 'postgres')('the point → grid index of every process (PostgreSQL, two platforms)', () => {
  let a: TestPlatform;
  let b: Platform;
  let token = '';

  beforeAll(async () => {
    const env = { GONGZHI_EVENTS_POLL_MS: '50' };
    a = await testPlatform('2026-11-16T01:00:00Z', env);
    const config = loadConfig({ GONGZHI_DATA_DIR: '.tmp/test-data', GONGZHI_DATA_KEY: 'ab'.repeat(32), LOG_LEVEL: 'silent', ...env } as NodeJS.ProcessEnv);
    b = await createPlatform({ config, db: await openPostgres(a.databaseUrl!, 4), now: () => a.clock.now, logLevel: 'silent' });
    await b.http.ready();
    await b.ctx.events.start();
    await a.ctx.events.start();
    token = await a.login('zhihui');
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('follows a grid import made by another process', async () => {
    expect(b.regions.locate(...schoolAt)).toBe(homeGrid.code);
    const r = await a.as(token).post('/api/v1/grids/import', {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [school] }, properties: { code: schoolCode, name: '实验小学', kind: 'dedicated', dedicatedType: 'school' } }],
    });
    expect(r.status, r.text).toBe(201);
    expect(a.regions.locate(...schoolAt)).toBe(schoolCode); // the process that made the change, at once
    await until(() => b.regions.locate(...schoolAt) === schoolCode); // the other one, from the event
  });

  it('never misses a grid change whose transaction commits after a later event was delivered', async () => {
    // Another writer moves a grid 0.5° east in a transaction that stays open …
    const moved = ring(otherGrid).map(([x, y]) => [x + 0.5, y]);
    const movedAt: Pos = [otherGrid.centroid![0] + 0.5, otherGrid.centroid![1]];
    const writer = new pg.Client({ connectionString: a.databaseUrl });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      await writer.query('UPDATE grid_polygon SET valid_to = now() WHERE region_code = $1 AND valid_to IS NULL', [otherGrid.code]);
      await writer.query(
        `INSERT INTO grid_polygon (region_code, version, geometry)
         SELECT $1, max(version) + 1, $2::jsonb FROM grid_polygon WHERE region_code = $1`,
        [otherGrid.code, JSON.stringify({ type: 'Polygon', coordinates: [moved] })]);
      await writer.query(`INSERT INTO outbox (topic, region_code, payload) VALUES ('grid.changed', $1, $2::jsonb)`,
        [otherGrid.code.slice(0, 12), JSON.stringify({ kind: 'geometry', codes: [otherGrid.code] })]);

      // … while a case is reported, committed and delivered to the other process with a later id.
      const seen: number[] = [];
      const off = b.ctx.events.subscribe((e) => { if (e.topic === 'case.reported') seen.push(Number(e.payload.caseId)); });
      const c = await a.as(await a.login('rexian')).post('/api/v1/cases', {
        categoryCode: '030102', title: '路灯不亮', description: '小区门口三盏路灯连续一周不亮', ...pointIn(homeGrid),
      });
      expect(c.status, c.text).toBe(201);
      await until(() => seen.includes(c.body.id));
      off();
      expect(b.regions.locate(...movedAt)).toBeNull();

      await writer.query('COMMIT');
    } finally {
      await writer.end();
    }
    await until(() => b.regions.locate(...movedAt) === otherGrid.code);
  });
});
