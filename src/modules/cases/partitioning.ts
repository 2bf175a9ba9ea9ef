// A province deployment LIST-partitions the case tables by district on PostgreSQL (docs/partitioning.md):
// one partition per district of the region table and a DEFAULT one, so that a district's cases, flow
// records and assignments live together and a district-scoped query reads one partition. The platform's
// partitionByList does the work from the catalog; this names the tables and the districts.
import type { Db } from '../../platform/db/index.ts';
import { assertPartitioningEngine, partitionByList, type PartitionReport } from '../../platform/db/partition.ts';

/** The case engine's tables that grow with cases; every unique key includes district_code (test/api/district-keys.test.ts). */
export const DISTRICT_PARTITIONED_TABLES = ['case', 'case_assignment', 'flow_record'];

/** Partitions (or, after new districts, extends) the case tables; idempotent. */
export async function partitionCasesByDistrict(db: Db, opts: { lockTimeoutMs?: number } = {}): Promise<PartitionReport[]> {
  assertPartitioningEngine(db);
  const districts = await db.query<{ code: string }>(`SELECT code FROM region WHERE level = 'district' ORDER BY code`);
  return partitionByList(db, { tables: DISTRICT_PARTITIONED_TABLES, column: 'district_code', values: districts.map((d) => d.code), ...opts });
}
