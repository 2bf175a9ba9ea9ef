// An empty database of its own for tests of set-up (the shared template holds the demo city): PGlite
// in memory, or a scratch database on the PostgreSQL server, dropped afterwards.
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { engine, pgAdminUrl, dbUrl } from './engine.ts';
import { openPglite, openPostgres, type Db } from '../../src/platform/db/index.ts';

export interface EmptyDb { db: Db; /** DATABASE_URL of the scratch database (PostgreSQL only) */ url?: string; drop(): Promise<void> }

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: pgAdminUrl });
  await c.connect();
  try { await c.query(sql); } finally { await c.end(); }
}

export async function emptyDatabase(): Promise<EmptyDb> {
  if (engine === 'pglite') {
    const db = await openPglite();
    return { db, drop: async () => {} };
  }
  const name = `gz_empty_${randomBytes(5).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = dbUrl(name);
  const db = await openPostgres(url, 4);
  return { db, url, drop: async () => { await db.close().catch(() => {}); await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } };
}
