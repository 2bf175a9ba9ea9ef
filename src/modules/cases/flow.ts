// Every step is a fact (DESIGN rule 3): the one place that appends flow records. Intake (single and
// batched, as part of their one statement), transitions, merges and the scheduler all write through here,
// in the same transaction that changes the case. The table refuses updates and deletes.
import type { Queryable } from '../../platform/db/index.ts';

export interface FlowRecordInput {
  caseId: number;
  districtCode: string;
  regionCode: string;
  seq: number;
  /** An action of the case's type, or a system fact (report, overdue, whistle_overdue, merged_in). */
  action: string;
  fromState: string | null;
  toState: string;
  actorId: number | null;
  actorUnitId: string | null;
  actorKind: 'user' | 'system';
  at: Date;
  dueAt: Date | null;
  workingMinutesUsed?: number | null;
  note?: string | null;
  data?: Record<string, unknown>;
  attachmentIds?: number[];
}

const COLUMNS = ['case_id', 'district_code', 'region_code', 'seq', 'action', 'from_state', 'to_state', 'actor_id', 'actor_unit_id',
  'actor_kind', 'at', 'due_at', 'working_minutes_used', 'note', 'data', 'attachment_ids'] as const;

const INSERT = `INSERT INTO flow_record (${COLUMNS.join(', ')})`;

export async function appendFlowRecord(q: Queryable, r: FlowRecordInput): Promise<void> {
  await q.query(
    `${INSERT} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::jsonb, $16::bigint[])`,
    [r.caseId, r.districtCode, r.regionCode, r.seq, r.action, r.fromState, r.toState, r.actorId, r.actorUnitId, r.actorKind, r.at,
      r.dueAt, r.workingMinutesUsed ?? null, r.note ?? null, JSON.stringify(r.data ?? {}), r.attachmentIds ?? []],
    { prepare: true });
}

/**
 * The first record of new cases inside an intake statement: `select` yields, per new case, the values of
 * the columns above in their order (intake writes the case, its record, its event and its idempotency key
 * in one statement, so this is SQL rather than a call).
 */
export function appendFlowRecordsSql(select: string): string {
  return `${INSERT} ${select}`;
}
