// Writes accepted rows inside one transaction, so an import is all or nothing at the database level
// whatever the mode: on PostgreSQL through one COPY … FROM STDIN stream (pg-copy-streams); on PGlite,
// which has no COPY from a client stream, as INSERT … SELECT FROM unnest() in chunks.
import { once } from 'node:events';
import copyStreams from 'pg-copy-streams';
import type { Db, Queryable } from '../../../platform/db/index.ts';
import type { PgType } from '../kinds.ts';
import { copyLine, type TableSpec } from './rows.ts';

export interface RowWriter {
  /** rows as literals (PostgreSQL text input format) */
  write(rows: Array<(string | null)[]>): Promise<void>;
  /** ready-made COPY lines (from worker threads, UTF-8); PostgreSQL only */
  writeLines?(text: string | Buffer, count: number): Promise<void>;
  readonly written: number;
}

const cast = (t: PgType) => (t === 'int4' ? 'int' : t === 'int8' ? 'bigint' : t);

/**
 * Runs `fn` with a writer and a Queryable for lookups during the run; what was written is committed
 * in one transaction when fn returns true, and nothing is when it returns false or throws.
 * PostgreSQL streams rows into COPY inside an open transaction. PGlite has one connection, and a
 * transaction open for the whole run would stall every other request, so accepted rows are kept and
 * inserted in one short transaction at the end.
 */
export async function withWriter(db: Db, spec: TableSpec, fn: (w: RowWriter, q: Queryable) => Promise<boolean>): Promise<{ committed: boolean; written: number }> {
  if (db.pool) return withCopy(db, spec, fn);
  const kept: Array<(string | null)[]> = [];
  const w: RowWriter = {
    get written() { return kept.length; },
    async write(rows) { for (const r of rows) kept.push(r); },
  };
  if (!(await fn(w, db))) return { committed: false, written: 0 };
  await db.transaction((tx) => insertRows(tx, spec, kept));
  return { committed: true, written: kept.length };
}

async function insertRows(tx: Queryable, spec: TableSpec, rows: Array<(string | null)[]>): Promise<void> {
  const sel = spec.types.map((t, i) => `c${i}::${cast(t)}`).join(', ');
  const from = spec.types.map((_, i) => `$${i + 1}::text[]`).join(', ');
  const alias = spec.types.map((_, i) => `c${i}`).join(', ');
  const sql = `INSERT INTO ${spec.table} (${spec.columns.join(', ')}) SELECT ${sel} FROM unnest(${from}) AS u(${alias})`;
  for (let i = 0; i < rows.length; i += 2000) {
    const chunk = rows.slice(i, i + 2000);
    await tx.query(sql, spec.columns.map((_, c) => chunk.map((r) => r[c])));
  }
}

async function withCopy(db: Db, spec: TableSpec, fn: (w: RowWriter, q: Queryable) => Promise<boolean>): Promise<{ committed: boolean; written: number }> {
  const client = await db.pool!.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const stream = client.query(copyStreams.from(`COPY ${spec.table} (${spec.columns.join(', ')}) FROM STDIN`));
    let failure: Error | null = null;
    stream.on('error', (e: Error) => { failure = e; });
    let written = 0;
    const push = async (text: string | Buffer, count: number) => {
      if (failure) throw failure;
      written += count;
      if (!stream.write(text)) await Promise.race([once(stream, 'drain'), once(stream, 'error')]);
      if (failure) throw failure;
    };
    const w: RowWriter = {
      get written() { return written; },
      write: (rows) => push(rows.map(copyLine).join(''), rows.length),
      writeLines: push,
    };
    let commit = false;
    try {
      commit = await fn(w, db);
    } finally {
      stream.end();
      await new Promise<void>((ok) => { if (failure) ok(); else { stream.once('finish', ok); stream.once('error', () => ok()); } });
    }
    if (failure) throw failure;
    if (commit) { await client.query('COMMIT'); return { committed: true, written }; }
    await client.query('ROLLBACK');
    return { committed: false, written: 0 };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => { broken = true; });
    throw err;
  } finally {
    client.release(broken);
  }
}
