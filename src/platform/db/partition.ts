// LIST partitioning of tables by one column, on PostgreSQL. A province deployment partitions the case
// tables by district_code (docs/partitioning.md; the case engine names the tables and the districts);
// this file knows no table of its own. It reads each table's definition from the catalog — columns and
// defaults, constraints, indexes, triggers, grants, owner, comments, the foreign keys that point at it —
// builds a table partitioned by LIST with one partition per value and a DEFAULT partition, copies the
// rows, and puts every constraint, index and trigger back under its own name. Everything happens in one
// transaction: it either converts all the tables or changes nothing.
//
// PostgreSQL 15 does not allow identity columns on partitioned tables, so an identity column becomes a
// column with a sequence default: the sequence keeps the identity's name and position. Statement-level
// triggers (TRUNCATE) fire for the table named in the statement only, so they are put on every partition
// too. Partitions get no grants: users reach the rows through the partitioned table, whose grants are
// kept, and a runtime role cannot change a partition directly.
//
// Run again when values (districts) were added: a value whose rows are still in the DEFAULT partition
// rebuilds the tables; otherwise its partition is simply added.
import type { Db, Queryable } from './index.ts';

export interface PartitionSpec {
  /** Tables of the current schema to partition. */
  tables: string[];
  /** The partition key; every primary key and unique key of the tables must include it. */
  column: string;
  /** One partition per value, named <table>_<value>; other values go to <table>_default. */
  values: string[];
  /** How long to wait for the tables' locks (the platform's processes hold them briefly); default 60 s. */
  lockTimeoutMs?: number;
}

export type PartitionAction = 'converted' | 'rebuilt' | 'extended' | 'unchanged';

export interface PartitionReport {
  table: string;
  action: PartitionAction;
  partitions: Array<{ name: string; value: string | null; rows: number }>;
}

export class PartitionError extends Error {}

/** Partitioning is for a PostgreSQL server; the embedded database (PGlite) serves one district. */
export function assertPartitioningEngine(db: Db): void {
  if (db.engine !== 'postgres') throw new PartitionError('Partitioning is for a PostgreSQL server (DATABASE_URL); the embedded database serves one district.');
}

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;
const VALUE = /^[A-Za-z0-9_]{1,40}$/;

interface Column { name: string; type: string; notnull: boolean; default: string | null; identity: string; generated: string; collation: string | null; comment: string | null }
interface Named { name: string; def: string }
interface Trigger extends Named { enabled: string; rowLevel: boolean }
interface Grant { who: string; privilege: string; grantable: boolean }
interface Sequence { column: string; name: string; identity: boolean; def: string; lastValue: string; isCalled: boolean; grants: Grant[] }
interface ForeignKey { table: string; from: number; to: number; name: string; def: string }

interface TableDef {
  name: string;
  oid: number;
  qualified: string;
  partitioned: boolean;
  owner: string;
  comment: string | null;
  columns: Column[];
  constraints: Array<Named & { type: string }>;
  indexes: Named[];
  triggers: Trigger[];
  grants: Grant[];
  sequences: Sequence[];
}

/** Partitions `spec.tables` by LIST (`spec.column`); returns what it did to each table. */
export async function partitionByList(db: Db, spec: PartitionSpec): Promise<PartitionReport[]> {
  assertPartitioningEngine(db);
  const bad = spec.values.find((v) => !VALUE.test(v));
  if (bad !== undefined) throw new PartitionError(`"${bad}" cannot name a partition (letters, digits and _ only).`);
  const values = [...new Set(spec.values)].sort();
  return db.transaction(async (tx) => {
    await tx.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(spec.lockTimeoutMs ?? 60_000))}`);
    await tx.query('SET LOCAL statement_timeout = 0');
    // the tables first, then those whose foreign keys point at them (attachment → case): nobody writes meanwhile
    await tx.query(`LOCK TABLE ${spec.tables.map(ident).join(', ')} IN ACCESS EXCLUSIVE MODE`);
    const defs: TableDef[] = [];
    for (const t of spec.tables) defs.push(await readTable(tx, t));
    const oids = defs.map((d) => d.oid);
    const fks = await foreignKeysTouching(tx, oids);
    const referencing = [...new Set(fks.filter((f) => !oids.includes(f.from)).map((f) => f.table))];
    if (referencing.length) await tx.query(`LOCK TABLE ${referencing.join(', ')} IN ACCESS EXCLUSIVE MODE`);
    for (const d of defs) await assertPartitionable(tx, d, spec.column);

    const plans = new Map<string, { action: PartitionAction; missing: string[] }>();
    for (const d of defs) plans.set(d.name, await planFor(tx, d, spec.column, values));
    const rebuilt = defs.filter((d) => ['converted', 'rebuilt'].includes(plans.get(d.name)!.action)).map((d) => d.oid);
    // foreign keys from or to a rebuilt table go while it is rebuilt, and come back (validated) at the end
    const dropped = fks.filter((f) => rebuilt.includes(f.from) || rebuilt.includes(f.to));
    for (const f of dropped) await tx.query(`ALTER TABLE ${f.table} DROP CONSTRAINT ${ident(f.name)}`);
    for (const d of defs) {
      const plan = plans.get(d.name)!;
      if (plan.action === 'converted' || plan.action === 'rebuilt') await rebuild(tx, d, spec.column, values);
      else if (plan.action === 'extended') for (const v of plan.missing) await addPartition(tx, d, v);
    }
    for (const f of dropped) await tx.query(`ALTER TABLE ${f.table} ADD CONSTRAINT ${ident(f.name)} ${f.def}`);
    const out: PartitionReport[] = [];
    for (const d of defs) {
      if (plans.get(d.name)!.action !== 'unchanged') await tx.query(`ANALYZE ${d.qualified}`);
      out.push({ table: d.name, action: plans.get(d.name)!.action, partitions: await partitionsOf(tx, d.qualified) });
    }
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// Reading a table's definition from the catalog

async function readTable(q: Queryable, name: string): Promise<TableDef> {
  const [t] = await q.query<{ oid: number; kind: string; qualified: string; owner: string; comment: string | null; partition: boolean }>(
    `SELECT c.oid::int AS oid, c.relkind AS kind, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS qualified,
       quote_ident(pg_get_userbyid(c.relowner)) AS owner, obj_description(c.oid, 'pg_class') AS comment, c.relispartition AS partition
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relname = $1 AND n.oid = current_schema()::regnamespace`, [name]);
  if (!t || !['r', 'p'].includes(t.kind) || t.partition) throw new PartitionError(`${name} is not a table of the current schema.`);
  const columns = await q.query<Column>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
       pg_get_expr(d.adbin, d.adrelid) AS default, a.attidentity AS identity, a.attgenerated AS generated,
       CASE WHEN a.attcollation <> ty.typcollation THEN (SELECT quote_ident(collname) FROM pg_collation WHERE oid = a.attcollation) END AS collation,
       col_description(a.attrelid, a.attnum) AS comment
     FROM pg_attribute a JOIN pg_type ty ON ty.oid = a.atttypid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`, [t.oid]);
  if (columns.some((c) => c.generated)) throw new PartitionError(`${name} has generated columns, which this conversion does not handle.`);
  const constraints = await q.query<Named & { type: string }>(
    `SELECT conname AS name, contype AS type, pg_get_constraintdef(oid) AS def FROM pg_constraint
     WHERE conrelid = $1::oid AND contype IN ('p', 'u', 'c', 'x') AND conparentid = 0 ORDER BY contype <> 'p', conname`, [t.oid]);
  const indexes = await q.query<Named>(
    `SELECT ic.relname AS name, replace(pg_get_indexdef(i.indexrelid), ' ON ONLY ', ' ON ') AS def
     FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
     WHERE i.indrelid = $1::oid AND NOT EXISTS (
       SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x'))
     ORDER BY ic.relname`, [t.oid]);
  const triggers = await q.query<Trigger>(
    `SELECT tgname AS name, pg_get_triggerdef(oid) AS def, tgenabled AS enabled, (tgtype & 1) = 1 AS "rowLevel"
     FROM pg_trigger WHERE tgrelid = $1::oid AND NOT tgisinternal AND tgparentid = 0 ORDER BY tgname`, [t.oid]);
  const sequences: Sequence[] = [];
  for (const c of columns) {
    const [s] = await q.query<{ name: string | null }>('SELECT pg_get_serial_sequence($1, $2) AS name', [t.qualified, c.name]);
    if (!s.name) continue;
    const [state] = await q.query<{ last: string; called: boolean }>(`SELECT last_value::text AS last, is_called AS called FROM ${s.name}`);
    const [p] = await q.query<{ def: string }>(
      `SELECT format('AS %s INCREMENT BY %s MINVALUE %s MAXVALUE %s START WITH %s CACHE %s %s', format_type(seqtypid, NULL),
         seqincrement, seqmin, seqmax, seqstart, seqcache, CASE WHEN seqcycle THEN 'CYCLE' ELSE 'NO CYCLE' END) AS def
       FROM pg_sequence WHERE seqrelid = $1::regclass`, [s.name]);
    sequences.push({
      column: c.name, name: s.name, identity: c.identity !== '', def: p.def, lastValue: state.last, isCalled: state.called,
      grants: await grantsOf(q, s.name),
    });
  }
  return {
    name, oid: t.oid, qualified: t.qualified, partitioned: t.kind === 'p', owner: t.owner, comment: t.comment,
    columns, constraints, indexes, triggers, grants: await grantsOf(q, t.qualified), sequences,
  };
}

/** Explicit grants to others than the owner (PUBLIC included). */
async function grantsOf(q: Queryable, relation: string): Promise<Grant[]> {
  return q.query<Grant>(
    `SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END AS who,
       a.privilege_type AS privilege, a.is_grantable AS grantable
     FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = $1::regclass AND a.grantee <> c.relowner ORDER BY 1, 2`, [relation]);
}

/** Foreign keys from or to the tables (not the copies PostgreSQL keeps on partitions). */
async function foreignKeysTouching(q: Queryable, oids: number[]): Promise<ForeignKey[]> {
  return q.query<ForeignKey>(
    `SELECT quote_ident(n.nspname) || '.' || quote_ident(f.relname) AS "table", c.conrelid::int AS "from", c.confrelid::int AS "to",
       c.conname AS name, pg_get_constraintdef(c.oid) AS def
     FROM pg_constraint c JOIN pg_class f ON f.oid = c.conrelid JOIN pg_namespace n ON n.oid = f.relnamespace
     WHERE c.contype = 'f' AND c.conparentid = 0 AND (c.conrelid = ANY($1::oid[]) OR c.confrelid = ANY($1::oid[]))
     ORDER BY c.conname`, [oids]);
}

/** A partitioned table's unique keys must contain the partition key: say which do not, before changing anything. */
async function assertPartitionable(q: Queryable, d: TableDef, column: string): Promise<void> {
  if (!d.columns.some((c) => c.name === column)) throw new PartitionError(`${d.name} has no column ${column}.`);
  const keys = await q.query<{ name: string }>(
    `SELECT ic.relname AS name FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
     WHERE i.indrelid = $1::oid AND i.indisunique AND NOT EXISTS (
       SELECT 1 FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
       WHERE k.ord <= i.indnkeyatts AND a.attname = $2)`, [d.oid, column]);
  if (keys.length) throw new PartitionError(`${d.name}: unique keys without ${column} cannot be partitioned by it: ${keys.map((k) => k.name).join(', ')}.`);
}

// ---------------------------------------------------------------------------------------------
// Deciding, building and extending

interface Bound { name: string; qualified: string; values: string[] | null }

async function boundsOf(q: Queryable, parent: string): Promise<Bound[]> {
  const rows = await q.query<{ name: string; qualified: string; bound: string }>(
    `SELECT c.relname AS name, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS qualified, pg_get_expr(c.relpartbound, c.oid) AS bound
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE i.inhparent = $1::regclass ORDER BY c.relname`, [parent]);
  return rows.map((r) => ({
    name: r.name, qualified: r.qualified,
    values: r.bound === 'DEFAULT' ? null : [...r.bound.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1].replace(/''/g, "'")),
  }));
}

async function planFor(q: Queryable, d: TableDef, column: string, values: string[]): Promise<{ action: PartitionAction; missing: string[] }> {
  if (!d.partitioned) return { action: 'converted', missing: values };
  const [key] = await q.query<{ strategy: string; columns: string[] }>(
    `SELECT p.partstrat AS strategy, ARRAY(SELECT a.attname::text FROM unnest(p.partattrs) k(n) JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = k.n) AS columns
     FROM pg_partitioned_table p WHERE p.partrelid = $1::oid`, [d.oid]);
  if (key.strategy !== 'l' || key.columns.join() !== column) throw new PartitionError(`${d.name} is partitioned otherwise than by LIST (${column}).`);
  const bounds = await boundsOf(q, d.qualified);
  const covered = new Set(bounds.flatMap((b) => b.values ?? []));
  const missing = values.filter((v) => !covered.has(v));
  if (!missing.length) return { action: 'unchanged', missing };
  const fallback = bounds.find((b) => b.values === null);
  if (fallback) {
    const [{ waiting }] = await q.query<{ waiting: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${fallback.qualified} WHERE ${ident(column)} = ANY($1::text[])) AS waiting`, [missing]);
    // rows of a new value in the DEFAULT partition: PostgreSQL will not add its partition beside them
    if (waiting) return { action: 'rebuilt', missing };
  }
  return { action: 'extended', missing };
}

const partitionName = (table: string, value: string | null) => `${table}_${value ?? 'default'}`;

/** The table again, partitioned, with the same rows, keys, indexes, triggers, grants and name. */
async function rebuild(q: Queryable, d: TableDef, column: string, values: string[]): Promise<void> {
  const old = `${d.name}__unpartitioned`;
  // the sequences outlive the old table: identity sequences are recreated under their own names
  for (const s of d.sequences) {
    if (s.identity) await q.query(`ALTER TABLE ${d.qualified} ALTER COLUMN ${ident(s.column)} DROP IDENTITY`);
    else await q.query(`ALTER SEQUENCE ${s.name} OWNED BY NONE`);
  }
  if (d.partitioned) for (const b of await boundsOf(q, d.qualified)) await q.query(`ALTER TABLE ${b.qualified} RENAME TO ${ident(`${b.name}__old`)}`);
  await q.query(`ALTER TABLE ${d.qualified} RENAME TO ${ident(old)}`);
  for (const s of d.sequences.filter((x) => x.identity)) {
    await q.query(`CREATE SEQUENCE ${s.name} ${s.def}`);
    await q.query('SELECT setval($1::regclass, $2::bigint, $3)', [s.name, s.lastValue, s.isCalled]);
    await setGrants(q, 'SEQUENCE', s.name, s.grants);
    await q.query(`ALTER SEQUENCE ${s.name} OWNER TO ${d.owner}`);
  }
  const columnSql = d.columns.map((c) => {
    const seq = d.sequences.find((s) => s.column === c.name && s.identity);
    const dflt = seq ? `nextval(${literal(seq.name)}::regclass)` : c.default;
    return `${ident(c.name)} ${c.type}${c.collation ? ` COLLATE ${c.collation}` : ''}${c.notnull ? ' NOT NULL' : ''}${dflt ? ` DEFAULT ${dflt}` : ''}`;
  });
  await q.query(`CREATE TABLE ${d.qualified} (${columnSql.join(', ')}) PARTITION BY LIST (${ident(column)})`);
  await q.query(`ALTER TABLE ${d.qualified} OWNER TO ${d.owner}`);
  for (const v of [...values, null]) await createPartition(q, d, v);
  const names = d.columns.map((c) => ident(c.name)).join(', ');
  await q.query(`INSERT INTO ${d.qualified} (${names}) SELECT ${names} FROM ${ident(old)}`);
  const [counts] = await q.query<{ before: number; after: number }>(
    `SELECT (SELECT count(*) FROM ${ident(old)})::bigint AS before, (SELECT count(*) FROM ${d.qualified})::bigint AS after`);
  if (Number(counts.before) !== Number(counts.after)) throw new PartitionError(`${d.name}: copied ${counts.after} of ${counts.before} rows.`);
  await q.query(`DROP TABLE ${ident(old)}`);
  for (const s of d.sequences) await q.query(`ALTER SEQUENCE ${s.name} OWNED BY ${d.qualified}.${ident(s.column)}`);

  // keys first (the indexes behind them are named after the constraints), then the other indexes
  for (const c of d.constraints) await q.query(`ALTER TABLE ${d.qualified} ADD CONSTRAINT ${ident(c.name)} ${c.def}`);
  for (const i of d.indexes) await q.query(i.def);
  for (const t of d.triggers) {
    await q.query(t.def);
    if (t.enabled === 'D') await q.query(`ALTER TABLE ${d.qualified} DISABLE TRIGGER ${ident(t.name)}`);
  }
  for (const v of [...values, null]) await statementTriggersOnPartition(q, d, partitionName(d.name, v));
  await setGrants(q, 'TABLE', d.qualified, d.grants);
  if (d.comment != null) await q.query(`COMMENT ON TABLE ${d.qualified} IS ${literal(d.comment)}`);
  for (const c of d.columns.filter((x) => x.comment != null)) await q.query(`COMMENT ON COLUMN ${d.qualified}.${ident(c.name)} IS ${literal(c.comment!)}`);
}

/** One more partition of an already partitioned table (no rows of the value wait in the DEFAULT partition). */
async function addPartition(q: Queryable, d: TableDef, value: string): Promise<void> {
  await createPartition(q, d, value);
  await statementTriggersOnPartition(q, d, partitionName(d.name, value));
}

async function createPartition(q: Queryable, d: TableDef, value: string | null): Promise<void> {
  const name = ident(partitionName(d.name, value));
  await q.query(`CREATE TABLE ${name} PARTITION OF ${d.qualified} ${value === null ? 'DEFAULT' : `FOR VALUES IN (${literal(value)})`}`);
  await q.query(`ALTER TABLE ${name} OWNER TO ${d.owner}`);
  // default privileges may have granted the runtime role rights here: the rows are reached through the parent
  for (const g of await grantsOf(q, name)) await q.query(`REVOKE ALL ON ${name} FROM ${g.who}`);
}

/** Statement-level triggers (TRUNCATE …) fire for the table a statement names: give each partition its own. */
async function statementTriggersOnPartition(q: Queryable, d: TableDef, partition: string): Promise<void> {
  const [{ qualified }] = await q.query<{ qualified: string }>(
    'SELECT quote_ident(n.nspname) || \'.\' || quote_ident($1) AS qualified FROM pg_namespace n WHERE n.oid = current_schema()::regnamespace', [partition]);
  for (const t of d.triggers.filter((x) => !x.rowLevel)) {
    await q.query(t.def.replace(` ON ${d.qualified} `, ` ON ${qualified} `));
    if (t.enabled === 'D') await q.query(`ALTER TABLE ${qualified} DISABLE TRIGGER ${ident(t.name)}`);
  }
}

/** Exactly these grants: what default privileges gave the new relation goes first. */
async function setGrants(q: Queryable, kind: 'TABLE' | 'SEQUENCE', relation: string, grants: Grant[]): Promise<void> {
  for (const g of await grantsOf(q, relation)) await q.query(`REVOKE ALL ON ${kind} ${relation} FROM ${g.who}`);
  for (const g of grants) await q.query(`GRANT ${g.privilege} ON ${kind} ${relation} TO ${g.who}${g.grantable ? ' WITH GRANT OPTION' : ''}`);
}

/** The partitions of a table with their values and row counts. */
export async function partitionsOf(q: Queryable, table: string): Promise<PartitionReport['partitions']> {
  const bounds = await boundsOf(q, table);
  const out: PartitionReport['partitions'] = [];
  for (const b of bounds) {
    const [{ n }] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${b.qualified}`);
    out.push({ name: b.name, value: b.values ? b.values.join(',') : null, rows: n });
  }
  return out;
}
