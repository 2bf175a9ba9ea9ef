// A schema that can grow to a province (issue 10, DESIGN §2): every tenant table that grows with cases
// carries district_code, and every primary key, unique constraint and unique index of those tables
// includes it, as do the foreign keys between them. Then the tables can be LIST-partitioned by district
// on PostgreSQL (docs/partitioning.md) or distributed by it (Citus): a unique key that lacks the
// partition column cannot be declared on a partitioned table, and a foreign key that lacks it would
// cross shards. The check reads the catalog (pg_index, pg_constraint, pg_attribute; PGlite has the same
// one) and is pointed at planted tables and keys to show that it fails when it should.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import type { Queryable } from '../../src/platform/db/index.ts';

/**
 * The tables that grow with cases and are keyed by district: the case, its flow records (one per step,
 * the largest table) and its unit assignments (lead, assisting and summoned units).
 */
const DISTRICT_TABLES = ['case', 'flow_record', 'case_assignment'];

/**
 * Tables that grow with cases but are not keyed by district, and why. Every other table the catalog finds
 * pointing at a case (a foreign key into the tables above, or a case_id column) must be keyed by district
 * like the three above, so a module that adds such a table has to key it or argue it here.
 *
 * - attachment: the file store's metadata of an upload (the bytes live in the folder or S3 store under
 *   their sha256, migrations 0031/0032). An upload comes *before* the report or action that cites it —
 *   from a city-level operator, a grid worker at the scene or an anonymous resident through the portal —
 *   so its district is unknown when the row is written, and a primary key cannot hold a NULL column. It
 *   is keyed by id alone and stays one table: a few rows of ~200 bytes per case (30 M rows for a
 *   province's 10 M cases a year) fit one PostgreSQL table, and downloads find a row by id without
 *   knowing its district. Once linked, the row names its case with the case's district
 *   (attachment_case_fkey (case_id, district_code), MATCH FULL since migration 0050, asserted below), so
 *   it references the partitioned case table correctly, and LIST partitioning keeps that foreign key.
 *   Citus is stricter: a local table may not reference a distributed one, and a table distributed by id
 *   is not colocated with cases. A Citus deployment would split attachment into the upload (keyed by id,
 *   expiring when never linked) and a case_attachment row written in the case's district when linked.
 * - portal_upload: the claim token of an anonymous upload through the portal, one small row per
 *   attachment and keyed by it (unclaimed ones go after a day): it follows attachment, for the same reason.
 *
 * Tables that grow with activity but point at no case, and are not keyed by district either: outbox and
 * idempotency_key expire by policy (housekeeping) and the outbox must keep one commit order across
 * districts; audit_log records people's actions (reveals, administration), queried across districts by
 * the command centre. They are not found by the catalog query below, which looks for case references.
 */
const NOT_BY_DISTRICT: Record<string, string> = {
  attachment: 'uploaded before its case exists; keyed by id, linked with MATCH FULL (case_id, district_code)',
  portal_upload: 'claim token of an anonymous upload, keyed by its attachment like the attachment itself',
};

interface UniqueKey { table: string; key: string; columns: string[] }
interface ForeignKey { name: string; table: string; references: string; match: string; columns: string[]; refColumns: string[] }

/** Tables that point at a case: foreign keys into "case" (transitively), or a case_id column. */
async function tablesGrowingWithCases(db: Queryable): Promise<string[]> {
  const found = new Set(['case']);
  const byColumn = await db.query<{ t: string }>(
    `SELECT c.relname AS t FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
     WHERE a.attname = 'case_id' AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND c.relnamespace = current_schema()::regnamespace`);
  for (const r of byColumn) found.add(r.t);
  for (;;) {
    const refs = await db.query<{ t: string }>(
      `SELECT DISTINCT f.relname AS t FROM pg_constraint c JOIN pg_class f ON f.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
       WHERE c.contype = 'f' AND c.conparentid = 0 AND r.relname = ANY($1::text[]) AND NOT f.relispartition
         AND f.relnamespace = current_schema()::regnamespace`, [[...found]]);
    const before = found.size;
    for (const r of refs) found.add(r.t);
    if (found.size === before) return [...found].sort();
  }
}

async function uniqueKeys(db: Queryable, tables: string[]): Promise<UniqueKey[]> {
  // key columns only (not INCLUDE columns); an expression column has attnum 0 and joins nothing
  return db.query<UniqueKey>(
    `SELECT t.relname AS "table", i.relname AS key,
       ARRAY(SELECT a.attname::text FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
             WHERE k.ord <= ix.indnkeyatts ORDER BY k.ord) AS columns
     FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid
     WHERE ix.indisunique AND t.relname = ANY($1::text[]) AND t.relnamespace = current_schema()::regnamespace
     ORDER BY 1, 2`, [tables]);
}

async function foreignKeys(db: Queryable, tables: string[]): Promise<ForeignKey[]> {
  const cols = (key: string, rel: string) => `ARRAY(SELECT a.attname::text FROM unnest(c.${key}) WITH ORDINALITY k(n, o)
    JOIN pg_attribute a ON a.attrelid = c.${rel} AND a.attnum = k.n ORDER BY k.o)`;
  return db.query<ForeignKey>(
    `SELECT c.conname AS name, f.relname AS "table", r.relname AS "references", c.confmatchtype AS match,
       ${cols('conkey', 'conrelid')} AS columns, ${cols('confkey', 'confrelid')} AS "refColumns"
     FROM pg_constraint c JOIN pg_class f ON f.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
     WHERE c.contype = 'f' AND c.conparentid = 0 AND r.relname = ANY($1::text[]) AND f.relnamespace = current_schema()::regnamespace
     ORDER BY 1`, [tables]);
}

/** Everything that keeps `tables` from being partitioned or distributed by district_code, as sentences. */
async function districtKeyProblems(db: Queryable, tables: string[]): Promise<string[]> {
  const problems: string[] = [];
  const columns = await db.query<{ t: string; notnull: boolean | null }>(
    `SELECT c.relname AS t, a.attnotnull AS notnull FROM pg_class c
     LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'district_code' AND NOT a.attisdropped
     WHERE c.relname = ANY($1::text[]) AND c.relnamespace = current_schema()::regnamespace`, [tables]);
  for (const t of tables) {
    const c = columns.find((x) => x.t === t);
    if (!c) problems.push(`${t}: no such table`);
    else if (c.notnull == null) problems.push(`${t}: no district_code column`);
    else if (!c.notnull) problems.push(`${t}: district_code may be NULL`);
  }
  for (const k of await uniqueKeys(db, tables)) {
    if (!k.columns.includes('district_code')) problems.push(`${k.table}: unique key ${k.key} (${k.columns.join(', ')}) lacks district_code`);
  }
  for (const f of await foreignKeys(db, tables)) {
    const i = f.columns.indexOf('district_code');
    if (i < 0 || f.refColumns[i] !== 'district_code') {
      problems.push(`${f.table}: foreign key ${f.name} to ${f.references} does not match district_code with district_code`);
    } else if (!tables.includes(f.table) && f.match !== 'f') {
      // a referencing table whose district_code may be NULL: MATCH SIMPLE skips the check for such a row
      problems.push(`${f.table}: foreign key ${f.name} to ${f.references} is not MATCH FULL`);
    }
  }
  return problems;
}

let p: TestPlatform;
beforeAll(async () => { p = await testPlatform(); });
afterAll(async () => { await p?.close(); });

describe('district_code in every key of the tables that grow with cases', () => {
  it('finds the tables that point at cases, and each is either keyed by district or argued above', async () => {
    const found = await tablesGrowingWithCases(p.ctx.db);
    expect(found).toEqual(expect.arrayContaining(DISTRICT_TABLES));
    // the modules' tables beside their cases (a dispute's sessions, a petition's leaders, a meeting's
    // decisions …) hold to the same rule as the engine's own
    const keyed = found.filter((t) => !(t in NOT_BY_DISTRICT));
    expect(keyed.length).toBeGreaterThan(DISTRICT_TABLES.length);
    expect(await districtKeyProblems(p.ctx.db, keyed)).toEqual([]);
  });

  it('holds for case, flow_record and case_assignment: district_code NOT NULL, in every unique key and every foreign key', async () => {
    expect(await districtKeyProblems(p.ctx.db, DISTRICT_TABLES)).toEqual([]);
    // what was checked: the primary keys and the unique keys, each ending in district_code
    const keys = await uniqueKeys(p.ctx.db, DISTRICT_TABLES);
    expect(keys.map((k) => `${k.table}.${k.key}(${k.columns.join(',')})`)).toEqual([
      'case.case_case_no_key(case_no,district_code)', 'case.case_pkey(id,district_code)',
      'case_assignment.case_assignment_pkey(id,district_code)',
      'flow_record.flow_record_case_seq_key(case_id,seq,district_code)', 'flow_record.flow_record_pkey(id,district_code)',
    ]);
    const fks = await foreignKeys(p.ctx.db, DISTRICT_TABLES);
    expect(fks.map((f) => `${f.table}(${f.columns.join(',')}) → ${f.references}(${f.refColumns.join(',')}) ${f.match}`)).toEqual([
      'attachment(case_id,district_code) → case(id,district_code) f',
      'case_assignment(case_id,district_code) → case(id,district_code) s',
      'flow_record(case_id,district_code) → case(id,district_code) s',
    ]);
  });

  it('keeps an attachment linked to its case in the case\'s district (MATCH FULL)', async () => {
    const db = p.ctx.db;
    const [{ id: userId }] = await db.query<{ id: number }>(`SELECT id FROM app_user WHERE username = 'rexian'`);
    const [{ id }] = await db.query<{ id: number }>(
      `INSERT INTO attachment (uploaded_by, filename, mime, size, sha256) VALUES ($1, 'x.png', 'image/png', 1, $2) RETURNING id`,
      [userId, 'a'.repeat(64)]);
    // a case id without its district is refused, whether or not such a case exists
    await expect(db.query('UPDATE attachment SET case_id = 1 WHERE id = $1', [id])).rejects.toThrow(/attachment_case_fkey/);
    await db.query('DELETE FROM attachment WHERE id = $1', [id]);
  });
});

describe('the check fails where it should', () => {
  it('reports a planted case table whose keys lack district_code, and one without the column', async () => {
    const db = p.ctx.db;
    await db.query(`CREATE TABLE case_note (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      case_id bigint NOT NULL, district_code text NOT NULL, note_no integer NOT NULL,
      FOREIGN KEY (case_id, district_code) REFERENCES "case" (id, district_code),
      UNIQUE (case_id, note_no))`);
    await db.query('CREATE TABLE case_tag (case_id bigint NOT NULL, tag text NOT NULL, PRIMARY KEY (case_id, tag))');
    try {
      // found as tables that grow with cases, and the only ones of them with problems
      const found = await tablesGrowingWithCases(db);
      expect(found).toEqual(expect.arrayContaining(['case_note', 'case_tag']));
      expect(await districtKeyProblems(db, found.filter((t) => !(t in NOT_BY_DISTRICT)))).toEqual([
        'case_tag: no district_code column',
        'case_note: unique key case_note_case_id_note_no_key (case_id, note_no) lacks district_code',
        'case_note: unique key case_note_pkey (id) lacks district_code',
        'case_tag: unique key case_tag_pkey (case_id, tag) lacks district_code',
      ]);
    } finally {
      await db.query('DROP TABLE case_note, case_tag');
    }
  });

  it('reports a unique index planted on flow_record, and a foreign key planted on case_assignment without district_code', async () => {
    const db = p.ctx.db;
    await db.query('CREATE UNIQUE INDEX flow_record_planted_idx ON flow_record (case_id, at)');
    // a unique key to point at, and a foreign key into it that leaves the district out
    await db.query('CREATE UNIQUE INDEX flow_record_planted_seq_idx ON flow_record (case_id, seq)');
    await db.query('ALTER TABLE case_assignment ADD COLUMN planted_seq integer');
    await db.query(`ALTER TABLE case_assignment ADD CONSTRAINT case_assignment_planted_fkey
      FOREIGN KEY (case_id, planted_seq) REFERENCES flow_record (case_id, seq)`);
    try {
      expect(await districtKeyProblems(db, DISTRICT_TABLES)).toEqual([
        'flow_record: unique key flow_record_planted_idx (case_id, at) lacks district_code',
        'flow_record: unique key flow_record_planted_seq_idx (case_id, seq) lacks district_code',
        'case_assignment: foreign key case_assignment_planted_fkey to flow_record does not match district_code with district_code',
      ]);
    } finally {
      await db.query('ALTER TABLE case_assignment DROP CONSTRAINT case_assignment_planted_fkey');
      await db.query('ALTER TABLE case_assignment DROP COLUMN planted_seq');
      await db.query('DROP INDEX flow_record_planted_idx, flow_record_planted_seq_idx');
    }
    expect(await districtKeyProblems(db, DISTRICT_TABLES)).toEqual([]);
  });
});
