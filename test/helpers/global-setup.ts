// Builds one migrated database with the demo base data (regions, units, categories, accounts) per
// test run; each test file then starts from a copy of it (a PostgreSQL TEMPLATE, or a PGlite dump).
import pg from 'pg';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { engine, pgAdminUrl, dbUrl, templateName, pgliteTemplateFile } from './engine.ts';
import { openPostgres, wrapPglite } from '../../src/platform/db/index.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { seedBase } from '../../src/seed/demo.ts';

export async function setup(): Promise<() => Promise<void>> {
  process.env.GONGZHI_TEST_RUN_ID = `${process.pid}_${randomBytes(3).toString('hex')}`;
  if (engine === 'postgres') {
    const admin = new pg.Client({ connectionString: pgAdminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${templateName()}`);
    await admin.end();
    const db = await openPostgres(dbUrl(templateName()), 2);
    await migrate(db);
    await seedBase(db);
    await db.close();
    return async () => {
      const c = new pg.Client({ connectionString: pgAdminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${templateName()} WITH (FORCE)`);
      await c.end();
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const raw = new PGlite();
  const db = wrapPglite(raw);
  await migrate(db);
  await seedBase(db);
  const dump = await raw.dumpDataDir('none');
  mkdirSync('.tmp', { recursive: true });
  writeFileSync(pgliteTemplateFile(), Buffer.from(await dump.arrayBuffer()));
  await raw.close();
  return async () => { rmSync(pgliteTemplateFile(), { force: true }); };
}
