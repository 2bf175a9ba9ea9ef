// The case tables LIST-partitioned by district on PostgreSQL (issue 10 item 7; Citus is not installable
// here, partitioning is its stand-in). A scratch database is migrated and given the base data and a
// second district (永川区), some cases are filed, and `gongzhi db partition-by-district` converts "case",
// flow_record and case_assignment. Then the platform runs on it over HTTP: intake in both districts,
// transitions to closure, lists and inboxes, timelines, the overdue scheduler; the catalog shows every key,
// index, constraint and trigger kept and each row in its district's partition; the append-only rules hold
// on every partition, for the runtime role too; and a district added later gets its partition when the
// command runs again, its rows moved out of the DEFAULT partition.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { engine, pgAdminUrl, dbUrl } from '../helpers/engine.ts';
import { testPlatformOn, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, pointIn } from '../helpers/fixtures.ts';
import { openPglite, openPostgres, type Db, type Queryable } from '../../src/platform/db/index.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { grantRuntime } from '../../src/platform/db/roles.ts';
import { PartitionError } from '../../src/platform/db/partition.ts';
import { createUser } from '../../src/platform/auth/service.ts';
import { DEMO_PASSWORD, seedBase } from '../../src/seed/demo.ts';
import { buildDivisionTree, districtsFor, insertRegions } from '../../src/modules/regions/index.ts';
import { insertUnits } from '../../src/modules/admin/index.ts';
import { territorialUnits } from '../../src/setup/init.ts';
import { DISTRICT_PARTITIONED_TABLES, flagOverdue, partitionCasesByDistrict } from '../../src/modules/cases/index.ts';

const HECHUAN = '500117'; // the demo district
const YONGCHUAN = '500118'; // set up before the conversion
const NANCHUAN = '500119'; // set up after it, when its first case already waits in the DEFAULT partition
const TABLES = DISTRICT_PARTITIONED_TABLES;

if (engine === 'pglite') describe('on PGlite', () => {
  it('refuses: partitioning is for a PostgreSQL server (the PostgreSQL pass of npm test runs the rest of this file)', async () => {
    const db = await openPglite();
    try {
      await expect(partitionCasesByDistrict(db)).rejects.toThrow(PartitionError);
    } finally {
      await db.close();
    }
  });
});

/** Adds a district's streets, communities, placeholder grids and territorial units (as `gongzhi init` does). */
async function addDistrict(db: Queryable, code: string): Promise<{ street: string; grid: string }> {
  const tree = buildDivisionTree(districtsFor({ district: code })).filter((r) => r.level !== 'province' && r.level !== 'city');
  await insertRegions(db, tree);
  await insertUnits(db, territorialUnits(tree, null));
  const grid = tree.find((r) => r.level === 'grid')!.code;
  return { street: grid.slice(0, 9), grid };
}

/** Constraints, indexes, triggers and the foreign keys pointing at a table, as the catalog prints them. */
async function shapeOf(q: Queryable, table: string) {
  const rel = `"${table}"`;
  const col = async (sql: string) => (await q.query<{ d: string }>(sql, [rel])).map((r) => r.d);
  return {
    columns: await col(`SELECT attname || ' ' || format_type(atttypid, atttypmod) || CASE WHEN attnotnull THEN ' NOT NULL' ELSE '' END AS d
      FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`),
    constraints: await col(`SELECT conname || ': ' || pg_get_constraintdef(oid) AS d FROM pg_constraint WHERE conrelid = $1::regclass AND conparentid = 0 ORDER BY 1`),
    indexes: await col(`SELECT replace(pg_get_indexdef(indexrelid), ' ON ONLY ', ' ON ') AS d FROM pg_index WHERE indrelid = $1::regclass ORDER BY 1`),
    triggers: await col(`SELECT pg_get_triggerdef(oid) AS d FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal AND tgparentid = 0 ORDER BY 1`),
    referencedBy: await col(`SELECT conrelid::regclass::text || '.' || conname || ': ' || pg_get_constraintdef(oid) AS d FROM pg_constraint
      WHERE confrelid = $1::regclass AND contype = 'f' AND conparentid = 0 ORDER BY 1`),
  };
}

/** Which partition holds how many rows of which district. */
async function placement(q: Queryable, table: string) {
  return q.query<{ part: string; district: string; n: number }>(
    `SELECT tableoid::regclass::text AS part, district_code AS district, count(*)::int AS n FROM "${table}" GROUP BY 1, 2 ORDER BY 1, 2`);
}

if (engine === 'postgres') describe('the case tables LIST-partitioned by district (PostgreSQL)', () => {
  const name = `gz_part_${randomBytes(5).toString('hex')}`;
  const url = dbUrl(name);
  const runtimeRole = `gz_rt_${randomBytes(4).toString('hex')}`;
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>) => {
    const c = new pg.Client({ connectionString: pgAdminUrl });
    await c.connect();
    try { return await fn(c); } finally { await c.end(); }
  };
  let p: TestPlatform;
  let owner: Db; // a connection of the database's owner, for the catalog
  let yongchuan: { street: string; grid: string };
  const before: Record<string, Awaited<ReturnType<typeof shapeOf>>> = {};
  const t: Record<string, string> = {};
  const ids: Record<string, number> = {};
  let cliOutput = '';

  const act = async (who: string, id: number, action: string, body: Record<string, unknown> = {}) => {
    const r = await p.as(t[who]).post(`/api/v1/cases/${id}/actions/${action}`, body);
    expect(r.status, `${who} ${action}: ${r.text.slice(0, 300)}`).toBe(200);
    return r.body.case;
  };
  const report = async (who: string, body: Record<string, unknown>): Promise<number> => {
    const r = await p.as(t[who]).post('/api/v1/cases', { categoryCode: '020501', title: '占道经营', description: '人行道上摆摊，行人只能走机动车道。', ...body });
    expect(r.status, r.text.slice(0, 300)).toBe(201);
    return r.body.id;
  };
  const loginAll = async () => {
    for (const u of ['rexian', 'chengguan', 'zhihui', 'city', 'zhihui2', 'jd2', 'zhihui3']) t[u] = await p.login(u);
  };
  const ticket = (extra: Record<string, unknown> = {}) =>
    ({ categoryCode: '030102', title: '路灯不亮', description: '小区门口三盏路灯不亮', ...pointIn(homeGrid), reporter: { name: '张建华', phone: '13800001234' }, ...extra });

  beforeAll(async () => {
    await admin((c) => c.query(`CREATE DATABASE ${name}`));
    const db = await openPostgres(url, 2);
    await migrate(db);
    await seedBase(db);
    yongchuan = await addDistrict(db, YONGCHUAN);
    await createUser(db, { username: 'zhihui2', displayName: '永川区指挥中心', password: DEMO_PASSWORD, role: 'command_centre', regionCode: YONGCHUAN, unitId: `cmd-${YONGCHUAN}` });
    await createUser(db, { username: 'jd2', displayName: '永川街道综治中心', password: DEMO_PASSWORD, role: 'street_centre', regionCode: yongchuan.street, unitId: `sc-${yongchuan.street}` });
    for (const table of TABLES) before[table] = await shapeOf(db, table);

    // cases filed before the conversion, to be carried on after it
    p = await testPlatformOn({ db }, '2026-11-16T01:30:00Z');
    for (const u of ['rexian', 'zhihui2']) t[u] = await p.login(u);
    ids.oldTicket = await report('rexian', ticket());
    await act('rexian', ids.oldTicket, 'accept');
    await act('rexian', ids.oldTicket, 'dispatch', { leadUnitId: 'dept-chengguan' });
    ids.oldUrban = await report('zhihui2', { regionCode: yongchuan.grid });
    await act('zhihui2', ids.oldUrban, 'file', { conditionMet: true });
    await p.close(); // closes db

    // the documented procedure, as an operator runs it
    cliOutput = execFileSync('node', ['bin/gongzhi.js', 'db', 'partition-by-district'], {
      encoding: 'utf8', env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' }, timeout: 120_000,
    });

    owner = await openPostgres(url, 2);
    await addDistrict(owner, NANCHUAN); // a district set up after the conversion: no partition yet
    await createUser(owner, { username: 'zhihui3', displayName: '南川区指挥中心', password: DEMO_PASSWORD, role: 'command_centre', regionCode: NANCHUAN, unitId: `cmd-${NANCHUAN}` });
    p = await testPlatformOn({ db: await openPostgres(url, 4), url }, '2026-11-16T02:00:00Z');
    await loginAll();
  }, 180_000);

  afterAll(async () => {
    await p?.close();
    await owner?.close();
    await admin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.query(`DROP ROLE IF EXISTS ${runtimeRole}`);
    });
  });

  it('converts the three tables, a partition per district and a DEFAULT one, and says so', async () => {
    for (const table of TABLES) {
      expect(cliOutput).toContain(`${table}: converted`);
      const tree = await owner.query<{ relid: string; leaf: boolean; level: number }>(
        `SELECT relid::text AS relid, isleaf AS leaf, level FROM pg_partition_tree($1::regclass) ORDER BY level, relid`, [`"${table}"`]);
      expect(tree).toEqual([
        { relid: table === 'case' ? '"case"' : table, leaf: false, level: 0 },
        { relid: `${table}_${HECHUAN}`, leaf: true, level: 1 },
        { relid: `${table}_${YONGCHUAN}`, leaf: true, level: 1 },
        { relid: `${table}_default`, leaf: true, level: 1 },
      ]);
      const bounds = await owner.query<{ part: string; bound: string }>(
        `SELECT c.relname AS part, pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = $1::regclass ORDER BY 1`, [`"${table}"`]);
      expect(bounds.map((b) => `${b.part} ${b.bound}`)).toEqual([
        `${table}_${HECHUAN} FOR VALUES IN ('${HECHUAN}')`, `${table}_${YONGCHUAN} FOR VALUES IN ('${YONGCHUAN}')`, `${table}_default DEFAULT`,
      ]);
    }
    expect(cliOutput).toMatch(new RegExp(`case_${HECHUAN}\\s+${HECHUAN}\\s+1 rows`));
  });

  it('keeps every column, key, constraint, index and trigger, and the foreign keys that point at the tables', async () => {
    for (const table of TABLES) {
      const after = await shapeOf(owner, table);
      expect(after, table).toEqual(before[table]);
      expect(after.indexes.length + after.constraints.length, table).toBeGreaterThan(2);
    }
    expect(before.flow_record.triggers.join('\n')).toMatch(/flow_record_immutable[\s\S]*flow_record_no_truncate/);
    expect(before.case.referencedBy.join('\n')).toContain('attachment.attachment_case_fkey: FOREIGN KEY (case_id, district_code) REFERENCES "case"(id, district_code) MATCH FULL');
    // identity columns became sequence defaults (PostgreSQL 15 has no identity on partitioned tables)
    const ids = await owner.query<{ t: string; d: string }>(
      `SELECT c.relname AS t, pg_get_expr(d.adbin, d.adrelid) AS d FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid
       JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE a.attname = 'id' AND c.relname = ANY($1::text[]) ORDER BY 1`, [TABLES]);
    expect(ids).toEqual([
      { t: 'case', d: "nextval('case_id_seq'::regclass)" },
      { t: 'case_assignment', d: "nextval('case_assignment_id_seq'::regclass)" },
      { t: 'flow_record', d: "nextval('flow_record_id_seq'::regclass)" },
    ]);
  });

  it('carries on the cases filed before the conversion, to closure, in both districts', async () => {
    // 合川: the 12345 ticket waits for 城管
    const inbox = await p.as(t.chengguan).get('/api/v1/cases?inbox=true');
    expect(inbox.body.items.map((c: any) => c.id)).toContain(ids.oldTicket);
    await act('chengguan', ids.oldTicket, 'sign');
    await act('chengguan', ids.oldTicket, 'reply', { note: '已更换灯泡，恢复照明。' });
    await act('rexian', ids.oldTicket, 'verify_pass');
    expect((await act('rexian', ids.oldTicket, 'call_back', { rating: 'satisfied', note: '市民满意' })).state).toBe('closed');
    // 永川: the filed urban case goes to the street centre
    await act('zhihui2', ids.oldUrban, 'dispatch', { leadUnitId: `sc-${yongchuan.street}` });
    const jd2 = await p.as(t.jd2).get('/api/v1/cases?inbox=true');
    expect(jd2.body.items.map((c: any) => c.id)).toEqual([ids.oldUrban]);
    await act('jd2', ids.oldUrban, 'sign');
    await act('jd2', ids.oldUrban, 'reply', { note: '摊贩已劝离，恢复通行。' });
    await act('jd2', ids.oldUrban, 'verify_pass');
    expect((await act('zhihui2', ids.oldUrban, 'close', { note: '结案' })).state).toBe('closed');
    const tl = await p.as(t.zhihui2).get(`/api/v1/cases/${ids.oldUrban}/timeline`);
    expect(tl.body.items.map((f: any) => [f.seq, f.action])).toEqual([
      [0, 'report'], [1, 'file'], [2, 'dispatch'], [3, 'sign'], [4, 'reply'], [5, 'verify_pass'], [6, 'close']]);
  });

  it('takes new cases in both districts, with new ids after the old ones, and lists each district its own', async () => {
    ids.newTicket = await report('rexian', ticket({ title: '井盖缺失' }));
    ids.newUrban = await report('zhihui2', { regionCode: yongchuan.grid, title: '店外经营' });
    expect(ids.newTicket).toBeGreaterThan(Math.max(ids.oldTicket, ids.oldUrban));
    const listed = async (who: string, query = '') => (await p.as(t[who]).get(`/api/v1/cases?pageSize=200${query}`)).body.items.map((c: any) => c.id).sort();
    expect(await listed('zhihui')).toEqual([ids.oldTicket, ids.newTicket].sort());
    expect(await listed('zhihui2')).toEqual([ids.oldUrban, ids.newUrban].sort());
    expect(await listed('city')).toEqual([ids.oldTicket, ids.oldUrban, ids.newTicket, ids.newUrban].sort());
    expect(await listed('city', `&region=${YONGCHUAN}`)).toEqual([ids.oldUrban, ids.newUrban].sort());
    expect(await listed('city', '&open=true&sort=due_at')).toEqual([ids.newTicket, ids.newUrban].sort());
    const inbox = await p.as(t.zhihui2).get('/api/v1/cases?inbox=true&sort=due_at');
    expect(inbox.body.items.map((c: any) => c.id)).toEqual([ids.newUrban]);
    expect((await p.as(t.zhihui).get(`/api/v1/cases/${ids.newUrban}`)).status).toBe(404); // another district's case
    const tl = await p.as(t.rexian).get(`/api/v1/cases/${ids.newTicket}/timeline`);
    expect(tl.body.items.map((f: any) => f.action)).toEqual(['report']);
  });

  it('runs the overdue scheduler over every partition', async () => {
    p.clock.advance(3 * 24 * 60); // the new cases' first steps are long overdue
    await loginAll(); // the sessions of three days ago have expired
    expect(await flagOverdue(p.cases)).toBe(2);
    expect(await flagOverdue(p.cases)).toBe(0);
    const flagged = await owner.query<{ part: string; case_id: number }>(
      `SELECT tableoid::regclass::text AS part, case_id FROM flow_record WHERE action = 'overdue' ORDER BY case_id`);
    expect(flagged).toEqual([
      { part: `flow_record_${HECHUAN}`, case_id: ids.newTicket },
      { part: `flow_record_${YONGCHUAN}`, case_id: ids.newUrban },
    ]);
    const red = await p.as(t.city).get('/api/v1/cases?sla=red&pageSize=200');
    expect(red.body.items.map((c: any) => c.id).sort()).toEqual([ids.newTicket, ids.newUrban].sort());
  });

  it('keeps every row in its district\'s partition', async () => {
    for (const table of TABLES) {
      const rows = await placement(owner, table);
      expect(rows.map((r) => r.district).sort(), table).toEqual([HECHUAN, YONGCHUAN]);
      for (const r of rows) expect(r.part, `${table} ${r.district}`).toBe(`${table}_${r.district}`);
    }
    const [{ n }] = await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM flow_record_${HECHUAN}`);
    expect(n).toBe(9); // the old ticket's seven steps (report … call_back), the new ticket's report and overdue
  });

  it('keeps flow records append-only on every partition, for the owner by triggers and for the runtime role by grants', async () => {
    for (const sql of [
      `UPDATE flow_record_${HECHUAN} SET note = 'tampered'`, `DELETE FROM flow_record_${YONGCHUAN}`,
      `TRUNCATE flow_record_${HECHUAN}`, `TRUNCATE flow_record_default`, 'UPDATE flow_record SET note = \'tampered\'', 'TRUNCATE flow_record CASCADE',
    ]) await expect(owner.query(sql), sql).rejects.toThrow(/immutable/);

    await admin((c) => c.query(`CREATE ROLE ${runtimeRole} LOGIN`));
    await grantRuntime(owner, runtimeRole);
    const runtimeUrl = new URL(url);
    runtimeUrl.username = runtimeRole;
    const rt = await openPostgres(runtimeUrl.toString(), 1);
    try {
      expect((await rt.query<{ n: number }>('SELECT count(*)::int AS n FROM flow_record'))[0].n).toBeGreaterThan(0);
      for (const sql of [`DELETE FROM flow_record_${HECHUAN}`, `UPDATE flow_record_${YONGCHUAN} SET note = 'x'`, `SELECT 1 FROM case_${HECHUAN}`]) {
        await expect(rt.query(sql), sql).rejects.toThrow(/permission denied/);
      }
      await expect(rt.query('DELETE FROM flow_record')).rejects.toThrow(/permission denied/);
      // writes go through the partitioned tables, which the runtime role holds its grants on
      await rt.query('UPDATE "case" SET supervised = supervised WHERE id = $1', [ids.newTicket]);
      await expect(rt.transaction(async (tx) => {
        await tx.query(`INSERT INTO case_assignment (case_id, district_code, region_code, unit_id, role) VALUES ($1, $2, $3, 'dept-chengguan', 'assist')`,
          [ids.newTicket, HECHUAN, homeGrid.code]);
        throw new Error('inserted; rolled back');
      })).rejects.toThrow('inserted; rolled back');
    } finally {
      await rt.close();
    }
  });

  it('gives a district set up later its partition when run again, moving its rows out of the DEFAULT partition', async () => {
    const nanchuan = buildDivisionTree(districtsFor({ district: NANCHUAN })).find((r) => r.level === 'grid')!.code;
    ids.nanchuan = await report('zhihui3', { regionCode: nanchuan });
    expect((await placement(owner, 'case')).find((r) => r.district === NANCHUAN)).toEqual({ part: 'case_default', district: NANCHUAN, n: 1 });

    const counts = async () => Promise.all(TABLES.map(async (table) => (await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`))[0].n));
    const rowsBefore = await counts();
    const report2 = await partitionCasesByDistrict(owner);
    // the new case and its flow record wait in the DEFAULT partitions: those tables are rebuilt; the case has no
    // assignments yet, so case_assignment just gets its new partition
    expect(report2.map((r) => [r.table, r.action])).toEqual([['case', 'rebuilt'], ['case_assignment', 'extended'], ['flow_record', 'rebuilt']]);
    expect(await counts()).toEqual(rowsBefore);
    for (const table of TABLES) {
      for (const r of await placement(owner, table)) expect(r.part, `${table} ${r.district}`).toBe(`${table}_${r.district}`);
      expect(await shapeOf(owner, table), table).toEqual(before[table]);
    }
    // the platform carries on, without a restart
    await act('zhihui3', ids.nanchuan, 'file', { conditionMet: true });
    const tl = await p.as(t.zhihui3).get(`/api/v1/cases/${ids.nanchuan}/timeline`);
    expect(tl.body.items.map((f: any) => f.action)).toEqual(['report', 'file']);
    expect((await owner.query<{ part: string }>('SELECT tableoid::regclass::text AS part FROM flow_record WHERE case_id = $1', [ids.nanchuan]))
      .map((r) => r.part)).toEqual([`flow_record_${NANCHUAN}`, `flow_record_${NANCHUAN}`]);
    // and once more: nothing to do
    expect((await partitionCasesByDistrict(owner)).map((r) => r.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  });
});
