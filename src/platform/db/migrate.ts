// Numbered SQL files in /migrations, applied in order, identical on PGlite and PostgreSQL.
// Each file runs in its own transaction; an advisory lock keeps concurrent starts from racing.
import { readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { Db, Queryable } from './index.ts';

export const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), '../../../migrations');
const LOCK_ID = 7_351_004;

export interface MigrationResult { applied: string[]; total: number }

/**
 * Work that SQL cannot do, run in the migration's transaction just before the named version's SQL
 * (e.g. copying attachment bytes into the file store before the column goes). Keyed by version
 * (the file name without `.sql`).
 */
export type MigrationSteps = Record<string, (tx: Queryable) => Promise<void>>;

export async function migrate(db: Db, dir = migrationsDir, steps: MigrationSteps = {}): Promise<MigrationResult> {
  const files = readdirSync(dir).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort();
  // checked first: a runtime role without CREATE on the schema may run an up-to-date migrate
  const [{ present }] = await db.query<{ present: boolean }>(`SELECT to_regclass('schema_migration') IS NOT NULL AS present`);
  if (!present) {
    await db.exec(`CREATE TABLE IF NOT EXISTS schema_migration (
      version text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  }
  const applied: string[] = [];
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_ID]);
    const done = new Map(
      (await tx.query<{ version: string; checksum: string }>('SELECT version, checksum FROM schema_migration'))
        .map((r) => [r.version, r.checksum]),
    );
    for (const file of files) {
      const sql = readFileSync(join(dir, file), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const version = file.slice(0, -4);
      const seen = done.get(version);
      if (seen) {
        if (seen !== checksum) throw new Error(`Migration ${file} changed after it was applied; add a new migration instead.`);
        continue;
      }
      await steps[version]?.(tx);
      for (const stmt of splitSql(sql)) await tx.query(stmt).catch((err) => { throw explainMigrationError(file, err); });
      await tx.query('INSERT INTO schema_migration (version, checksum) VALUES ($1, $2)', [version, checksum]);
      applied.push(version);
    }
  });
  return { applied, total: files.length };
}

/** A runtime role cannot migrate: say which connection can. */
function explainMigrationError(file: string, err: any): Error {
  if (err?.code !== '42501') return err;
  return new Error(`Migration ${file} needs the database owner (${err.message}). Run \`npx gongzhi migrate\` with GONGZHI_OWNER_DATABASE_URL set to the owner's connection.`);
}

/** Splits on semicolons at the end of a line, outside $$-quoted bodies (enough for our own files). */
export function splitSql(sql: string): string[] {
  const out: string[] = [];
  let buf = '';
  let inDollar = false;
  for (const line of sql.split('\n')) {
    if (/^\s*--/.test(line) && !inDollar) continue;
    const dollars = line.match(/\$\$/g)?.length ?? 0;
    if (dollars % 2 === 1) inDollar = !inDollar;
    buf += line + '\n';
    if (!inDollar && /;\s*$/.test(line)) { if (buf.trim()) out.push(buf.trim()); buf = ''; }
  }
  if (buf.trim()) out.push(buf.trim());
  return out;
}
