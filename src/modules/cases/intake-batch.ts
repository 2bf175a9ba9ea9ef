// Group commit for intake: concurrent intakes are written by one statement in one transaction.
//
// Each intake costs PostgreSQL a statement and a commit (a WAL flush) and the server a round trip; under
// load those dominate (bench/README.md). The writer queues intakes while a batch is in flight and writes
// the queue with one multi-row version of the intake statement: every case with its first flow record,
// its outbox event and its idempotency record, all of the batch or none of it. If a batch fails, each of
// its intakes is written again on its own with the single-row statement, so one bad intake never fails
// another's and every caller gets the outcome of its own statement (e.g. an Idempotency-Key conflict).
import type { Db } from '../../platform/db/index.ts';
import { appendFlowRecordsSql } from './flow.ts';

/**
 * The intake statement's parameters in createCase's order ($1 … $37), with their SQL types. createCase
 * builds the positional array; this list names it for the batched statement.
 */
const COLUMNS: Array<[string, string]> = [
  ['case_no_prefix', 'text'], ['public_token', 'text'], ['type', 'text'], ['workflow_version', 'integer'], ['state', 'text'],
  ['category_code', 'text'], ['title', 'text'], ['description', 'text'], ['channel', 'text'], ['urgency', 'text'],
  ['region_code', 'text'], ['district_code', 'text'], ['street_code', 'text'], ['community_code', 'text'],
  ['lat', 'double precision'], ['lng', 'double precision'], ['address', 'text'], ['reporter_user_id', 'bigint'],
  ['reporter_name', 'text'], ['reporter_phone', 'text'], ['reporter_phone_hash', 'text'], ['reporter_phone_masked', 'text'],
  ['reporter_name_masked', 'text'], ['suggested_unit_id', 'text'], ['suggested_assist_unit_ids', 'text[]'], ['suggestion_source', 'text'],
  ['time_mode', 'text'], ['now', 'timestamptz'], ['step_limit_minutes', 'integer'], ['yellow_at', 'timestamptz'], ['due_at', 'timestamptz'],
  ['created_by', 'bigint'], ['actor_unit_id', 'text'], ['flow_data', 'text'], ['attachment_ids', 'bigint[]'],
  ['idempotency_key', 'text'], ['request_hash', 'text'], ['appeal_kind', 'text'],
];
export const INTAKE_PARAM_COUNT = COLUMNS.length;

/** What an intake statement returns: the values the database decides (the rest of the row is the parameters). */
export interface WrittenIntake { id: number; case_no: string; public_token: string }

const PARAM = new Map(COLUMNS.map(([name], k) => [name, k]));
const p = (name: string) => { const k = PARAM.get(name); if (k == null) throw new Error(`no intake parameter ${name}`); return k; };

/**
 * The new case's whole row, as `SELECT * FROM "case"` would read it right after the intake: the values the
 * database decided (id, case_no) with the intake's parameters and the columns' defaults. Reading the row back
 * (RETURNING *) cost the server about a tenth of its CPU per intake, parsing 57 columns (bench/README.md); the
 * test "the row a new case is handed on with is the row in the database" holds the two equal for every type.
 */
const rowFromParams = new Function('w', 'p', `return {
  id: w.id, case_no: w.case_no, public_token: w.public_token,
  ${['type', 'workflow_version', 'state', 'category_code', 'title', 'description', 'channel', 'urgency', 'region_code',
    'district_code', 'street_code', 'community_code', 'lat', 'lng', 'address', 'reporter_user_id', 'reporter_name',
    'reporter_phone', 'reporter_phone_hash', 'reporter_phone_masked', 'reporter_name_masked', 'suggested_unit_id',
    'suggestion_source', 'time_mode', 'step_limit_minutes', 'yellow_at', 'due_at', 'created_by', 'appeal_kind']
    .map((name) => `${name}: p[${p(name)}]`).join(', ')},
  suggested_assist_unit_ids: p[${p('suggested_assist_unit_ids')}] ?? [],
  step_started_at: p[${p('now')}], created_at: p[${p('now')}], updated_at: p[${p('now')}],
  prev_state: null, lead_unit_id: null, remaining_minutes: null, overdue_flagged: false, extension_request: null, supervised: false,
  urge_count: 0, redo_count: 0, rework_count: 0, return_count: 0, whistle_level: null, rating: null, merged_into: null,
  is_open: true, closed_at: null, seq: 1, outcome: null, dispatch_chain: [], dispatcher_unit_id: null, supervise_count: 0,
  supervision: null,
};`) as (written: WrittenIntake, params: unknown[]) => Record<string, any>;

export function intakeRow<T>(written: WrittenIntake, params: unknown[]): T {
  return rowFromParams({ id: Number(written.id), case_no: written.case_no, public_token: written.public_token }, params) as T;
}

/**
 * One intake as the batch's JSON row: { ord, <column>: <parameter>, … }. Made by an object literal of the
 * columns (generated once from COLUMNS) rather than by adding 38 keys one by one: the literal's object has
 * a fixed shape, which JSON.stringify writes about a third faster (the batch's JSON was ≈ 5 % of the
 * server's CPU per intake).
 */
const batchRow = new Function('ord', 'p', `return { ord, ${COLUMNS.map(([name], k) => `${name}: p[${k}]`).join(', ')} };`) as
  (ord: number, params: unknown[]) => Record<string, unknown>;

// The same writes as createCase's single-row statement, for every row of $1 (a JSON array of intakes).
// json_to_recordset, not jsonb_to_recordset: the batch is read once, and building jsonb first cost PostgreSQL
// twice the CPU (17 against 8.5 µs per intake for a batch of 64, measured in a loop on PostgreSQL 15).
// Intakes with attachments are not batched, so there is no attachment link here.
const BATCH_SQL = `
  WITH i AS (
    SELECT * FROM json_to_recordset($1::json) AS i(ord integer, ${COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')})
  ), c AS (
    INSERT INTO "case" (case_no, public_token, type, workflow_version, state, category_code, title, description, channel,
      urgency, region_code, district_code, street_code, community_code, lat, lng, address, reporter_user_id,
      reporter_name, reporter_phone, reporter_phone_hash, reporter_phone_masked, reporter_name_masked, suggested_unit_id,
      suggested_assist_unit_ids, suggestion_source, time_mode, step_started_at, step_limit_minutes, yellow_at, due_at,
      created_by, created_at, updated_at, seq, appeal_kind)
    SELECT case_no_prefix || lpad(nextval('case_no_seq')::text, 7, '0'), public_token, type, workflow_version, state, category_code,
      title, description, channel, urgency, region_code, district_code, street_code, community_code, lat, lng, address,
      reporter_user_id, reporter_name, reporter_phone, reporter_phone_hash, reporter_phone_masked, reporter_name_masked,
      suggested_unit_id, coalesce(suggested_assist_unit_ids, '{}'), suggestion_source, time_mode, now, step_limit_minutes,
      yellow_at, due_at, created_by, now, now, 1, appeal_kind
    FROM i ORDER BY ord
    RETURNING id, case_no, public_token, district_code, region_code, state, created_at, due_at, reporter_user_id
  ), f AS (
    ${appendFlowRecordsSql(`SELECT c.id, c.district_code, c.region_code, 0, 'report', NULL, c.state, i.created_by, i.actor_unit_id, 'user',
      c.created_at, c.due_at, NULL::int, NULL, i.flow_data::jsonb, '{}'::bigint[]
    FROM c JOIN i ON i.public_token = c.public_token`)}
  ), o AS (
    INSERT INTO outbox (topic, region_code, user_ids, payload)
    SELECT 'case.reported', c.region_code, CASE WHEN c.reporter_user_id IS NULL THEN '{}'::bigint[] ELSE ARRAY[c.reporter_user_id] END,
      jsonb_build_object('caseId', c.id, 'caseNo', c.case_no, 'action', 'report', 'to', c.state)
    FROM c
  ), idem AS (
    INSERT INTO idempotency_key (user_id, key, request_hash, status_code, response)
    SELECT i.created_by, i.idempotency_key, i.request_hash, 201, jsonb_build_object('caseId', c.id)
    FROM c JOIN i ON i.public_token = c.public_token WHERE i.idempotency_key IS NOT NULL
  )
  SELECT id, case_no, public_token FROM c`;

interface Pending { single: string; params: unknown[]; resolve(row: WrittenIntake): void; reject(err: unknown): void }

/**
 * Batches in flight per process. Two: with one, the server sat idle while PostgreSQL wrote a batch and
 * PostgreSQL while the server answered the one before (the intake used 1.3 of the 2 cores the bare INSERT
 * fills); a second batch overlaps them. Intakes arriving while both are written wait for the next, which keeps
 * batches large. Measured against one in flight (bench/intake.ts, A/B in the same run, 2026-12-07, load 4–6): +15 and
 * +24 % cases written per second, PostgreSQL CPU per intake +1 and +9 µs; with four, +30 µs of PostgreSQL CPU
 * (smaller batches contending for the same index pages) and no steadier gain. (In 2026-11, before intake was
 * cut to one statement, two in flight had cost 0.42–0.45 ms of PostgreSQL CPU per intake against 0.29–0.33.)
 */
const MAX_IN_FLIGHT = 2;
const MAX_BATCH = 64;

class IntakeWriter {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  constructor(private readonly db: Db) {}

  /**
   * Writes one intake; `single` is the single-row statement over the same parameters (the fallback), returning
   * id, case_no and public_token as the batch does.
   */
  write(single: string, params: unknown[]): Promise<WrittenIntake> {
    if (params.length !== INTAKE_PARAM_COUNT) throw new Error(`intake statement has ${params.length} parameters, the batch writer ${INTAKE_PARAM_COUNT}`);
    return new Promise<WrittenIntake>((resolve, reject) => {
      this.queue.push({ single, params, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= MAX_IN_FLIGHT || !this.queue.length) return;
    this.scheduled = true;
    // after the I/O of this turn, so that intakes arriving together are written together
    setImmediate(() => {
      this.scheduled = false;
      if (this.inFlight >= MAX_IN_FLIGHT || !this.queue.length) return;
      const batch = this.queue.splice(0, MAX_BATCH);
      this.inFlight++;
      void this.flush(batch).finally(() => { this.inFlight--; this.schedule(); });
      this.schedule();
    });
  }

  private async flush(batch: Pending[]): Promise<void> {
    const json = JSON.stringify(batch.map((p, ord) => batchRow(ord, p.params)));
    let rows: WrittenIntake[];
    try {
      rows = await this.db.query<WrittenIntake>(BATCH_SQL, [json], { prepare: true });
    } catch {
      // Nothing of the batch was written: write each intake on its own, each with its own outcome.
      await Promise.all(batch.map(async (p) => {
        try { p.resolve((await this.db.query<WrittenIntake>(p.single, p.params, { prepare: true }))[0]); } catch (err) { p.reject(err); }
      }));
      return;
    }
    const byToken = new Map(rows.map((r) => [r.public_token, r]));
    for (const p of batch) {
      const row = byToken.get(p.params[1] as string);
      if (row) p.resolve(row); else p.reject(new Error('intake batch returned no row for an intake'));
    }
  }
}

const writers = new WeakMap<Db, IntakeWriter>();
export function intakeWriter(db: Db): IntakeWriter {
  let w = writers.get(db);
  if (!w) { w = new IntakeWriter(db); writers.set(db, w); }
  return w;
}
