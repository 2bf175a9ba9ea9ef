// PostgreSQL roles: migrations run as the owner of the schema; the platform runs as a runtime role that
// may read and write, but may not UPDATE, DELETE or TRUNCATE the append-only tables (flow records, the
// audit log), may not DELETE or TRUNCATE the rows cases and flow records name (regions, units, accounts),
// nor create or change tables. Triggers refuse those writes too (migrations 0033 and 0186), on both
// engines; the grants make it hold even for SQL that disables triggers, and for whoever holds the
// runtime role's password.
import type { Db } from './index.ts';
import { migrate, type MigrationResult, type MigrationSteps } from './migrate.ts';
import { openPostgres } from './index.ts';

/** Tables whose rows are facts: written once, never changed or removed. */
export const APPEND_ONLY_TABLES = ['flow_record', 'audit_log'] as const;

/** Tables whose rows cases and flow records name without a foreign key (migration 0186): retired or deactivated, never removed. */
export const KEPT_TABLES = ['region', 'unit', 'app_user'] as const;

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertRoleName(role: string): void {
  if (!ROLE_NAME.test(role)) throw new Error(`"${role}" is not a plain PostgreSQL role name (lower-case letters, digits, _).`);
}

/** The statements that give `role` what the platform needs and nothing more; idempotent. */
export function runtimeGrants(role: string, schema = 'public'): string[] {
  assertRoleName(role);
  assertRoleName(schema);
  const r = `"${role}"`;
  const s = `"${schema}"`;
  return [
    `GRANT USAGE ON SCHEMA ${s} TO ${r}`,
    `REVOKE CREATE ON SCHEMA ${s} FROM ${r}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${r}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${r}`,
    // tables the owner creates in later migrations get the same grants
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${r}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT USAGE, SELECT ON SEQUENCES TO ${r}`,
    `REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON ${APPEND_ONLY_TABLES.map((t) => `${s}."${t}"`).join(', ')} FROM ${r}`,
    `REVOKE DELETE, TRUNCATE ON ${KEPT_TABLES.map((t) => `${s}."${t}"`).join(', ')} FROM ${r}`,
    // Partitions (docs/partitioning.md) are reached through their partitioned table, whose grants decide:
    // no rights on a partition itself, so that a partition of flow_record cannot be changed directly.
    `DO $$ DECLARE p regclass; BEGIN
       FOR p IN SELECT c.oid::regclass FROM pg_class c WHERE c.relispartition AND c.relkind IN ('r', 'p') AND c.relnamespace = '${s}'::regnamespace LOOP
         EXECUTE format('REVOKE ALL ON %s FROM %I', p, '${role}');
       END LOOP;
     END $$`,
    `REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ${s}."schema_migration" FROM ${r}`,
  ];
}

/** Applies runtimeGrants as the connected user (the owner). */
export async function grantRuntime(owner: Db, role: string): Promise<void> {
  const [{ schema }] = await owner.query<{ schema: string }>('SELECT current_schema() AS schema');
  await owner.transaction(async (tx) => {
    for (const stmt of runtimeGrants(role, schema)) await tx.query(stmt);
  });
}

/** The user a connection URL logs in as (the runtime role), or null. */
export function roleOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const name = decodeURIComponent(new URL(url).username);
    return name || null;
  } catch {
    return null;
  }
}

/**
 * Applies pending migrations. With GONGZHI_OWNER_DATABASE_URL set (PostgreSQL), they run over the
 * owner's connection, which then grants DATABASE_URL's user its runtime rights; otherwise over `db`.
 */
export async function migrateAs(db: Db, ownerUrl: string | undefined, runtimeUrl: string | undefined, steps: MigrationSteps): Promise<MigrationResult> {
  if (!ownerUrl || db.engine !== 'postgres') return migrate(db, undefined, steps);
  const owner = await openPostgres(ownerUrl, 1);
  try {
    const result = await migrate(owner, undefined, steps);
    const role = roleOf(runtimeUrl);
    const [{ me }] = await owner.query<{ me: string }>('SELECT current_user AS me');
    if (role && role !== me) await grantRuntime(owner, role);
    return result;
  } finally {
    await owner.close();
  }
}
