// Issue 11, "Data folder": the embedded database's files, the data key and the folder that holds them
// are the platform's user's alone (PGlite created 968 of 1,294 files readable by everyone).
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, lstatSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../src/platform/db/index.ts';
import { loadDataKey } from '../../src/platform/crypto.ts';

const dirs: string[] = [];
const scratch = () => { const d = mkdtempSync(join(tmpdir(), 'gongzhi-perm-')); dirs.push(d); return d; };
const savedUmask = process.umask();
afterAll(() => { process.umask(savedUmask); for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/** Everything under dir that its group or others may read, write or enter. */
function openToOthers(dir: string): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = lstatSync(p);
    if (st.isSymbolicLink()) return;
    if (st.mode & 0o077) out.push(`${p} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const n of readdirSync(p)) walk(join(p, n));
  };
  walk(dir);
  return out;
}

describe('the data folder', () => {
  it('PGlite\'s files, the folder and the generated key are private even under a permissive umask', async () => {
    process.umask(0o000);
    const data = join(scratch(), 'data');
    const db = await openDb({ dataDir: data });
    await db.query('CREATE TABLE t (x int)');
    await db.query('INSERT INTO t SELECT generate_series(1, 50000)');
    await db.query('CREATE INDEX ON t (x)');
    await db.query('CHECKPOINT');
    await db.close();
    loadDataKey(undefined, data);
    expect(statSync(data).mode & 0o777).toBe(0o700);
    expect(statSync(join(data, 'data.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(data, 'pgdata', 'global', 'pg_control')).mode & 0o077).toBe(0);
    expect(openToOthers(data)).toEqual([]);
  });

  it('closes files an older version left readable to everyone, and an over-open key file', async () => {
    const data = join(scratch(), 'data');
    process.umask(0o000);
    mkdirSync(data, { recursive: true });
    const { PGlite } = await import('@electric-sql/pglite');
    const old = new PGlite(join(data, 'pgdata'));
    await old.waitReady;
    await old.close();
    writeFileSync(join(data, 'data.key'), 'ab'.repeat(32), { mode: 0o644 });
    expect(openToOthers(data).length).toBeGreaterThan(100);
    const db = await openDb({ dataDir: data });
    await db.close();
    loadDataKey(undefined, data);
    expect(openToOthers(data)).toEqual([]);
  });
});
