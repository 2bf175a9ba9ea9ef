// One SQL dialect over two engines: PGlite (embedded, a folder on disk) and a PostgreSQL server.
// Modules see only `Db` / `Queryable`; the engine is chosen by configuration.
import pg from 'pg';
import { join } from 'node:path';
import { closeTree, privateDir } from '../files.ts';
import { createHash } from 'node:crypto';

export interface QueryOptions {
  /**
   * Prepare the statement once per connection (PostgreSQL named statements). For fixed-shape hot
   * statements only: planning them is a large share of their cost. Lists with skewed parameters stay unnamed.
   */
  prepare?: boolean;
}

export interface Queryable {
  query<T = Record<string, any>>(sql: string, params?: readonly unknown[], opts?: QueryOptions): Promise<T[]>;
}

const statementNames = new Map<string, string>();
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `gz_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
    statementNames.set(sql, name);
  }
  return name;
}
const toConfig = (sql: string, params: readonly unknown[], opts?: QueryOptions) =>
  opts?.prepare ? { name: statementName(sql), text: sql, values: params as unknown[] } : { text: sql, values: params as unknown[] };

export interface Db extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** Runs fn in one transaction; rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  /** The raw pg pool on PostgreSQL (COPY and other server-only tools); undefined on PGlite. */
  readonly pool?: pg.Pool;
}

// pg returns int8 and numeric as strings; PGlite returns int8 as numbers. Normalise int8 to number
// (ids and counts stay far below 2^53) so both engines hand modules the same shapes.
pg.types.setTypeParser(20, (v) => Number(v));

export async function openPostgres(url: string, max = 10): Promise<Db> {
  // JIT compiles the OR/EXISTS scope plans at great cost and never pays off for OLTP queries.
  const pool = new pg.Pool({ connectionString: url, max, options: '-c jit=off' });
  pool.on('error', () => { /* idle client errors surface on the next query */ });
  return {
    engine: 'postgres',
    pool,
    async query<T>(sql: string, params: readonly unknown[] = [], opts?: QueryOptions) {
      const r = await pool.query(toConfig(sql, params, opts));
      return r.rows as T[];
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        // one connection runs one statement at a time: statements a module starts together (Promise.all) wait
        // their turn here, in the order they were started, rather than in pg's own queue (deprecated in pg 9)
        let last: Promise<unknown> = Promise.resolve();
        const tx: Queryable = {
          query<R>(sql: string, params: readonly unknown[] = [], opts?: QueryOptions) {
            const run = last.then(() => client.query(toConfig(sql, params, opts))).then((r) => r.rows as R[]);
            last = run.catch(() => undefined);
            return run;
          },
        };
        const out = await fn(tx);
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async exec(sql: string) { await pool.query(sql); },
    async close() { await pool.end(); },
  };
}

/** dataDir undefined → in-memory (tests). On disk, the folder and its files are the owner's alone. */
export async function openPglite(dataDir?: string): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  if (dataDir) privateDir(dataDir);
  const db = new PGlite(dataDir ? join(dataDir) : undefined);
  await db.waitReady;
  // PGlite lays out a new cluster with the modes of its packed image (rw for everyone), and an older
  // version of this platform left them so: close them now that they exist.
  if (dataDir) closeTree(dataDir);
  return wrapPglite(db);
}

export function wrapPglite(db: import('@electric-sql/pglite').PGlite): Db {
  return {
    engine: 'pglite',
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const r = await db.query<T>(sql, params as any[]);
      return r.rows;
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      return db.transaction(async (t) => fn({
        async query<R>(sql: string, params: readonly unknown[] = []) {
          return (await t.query<R>(sql, params as any[])).rows;
        },
      }));
    },
    async exec(sql: string) { await db.exec(sql); },
    async close() { await db.close(); },
  };
}

export async function openDb(opts: { databaseUrl?: string; dataDir: string; poolSize?: number }): Promise<Db> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize);
  privateDir(opts.dataDir);
  return openPglite(join(opts.dataDir, 'pgdata'));
}
