// The overdue scheduler: flags each step that passes its deadline exactly once, as a system flow record.
// Its state lives in the rows (overdue_flagged), so it survives restarts; FOR UPDATE SKIP LOCKED lets
// several processes run it at once without ever flagging a case twice.
import type { CaseDeps } from './deps.ts';
import { appendEvent } from '../../platform/events/index.ts';
import { appendFlowRecord } from './flow.ts';

export async function flagOverdue(deps: CaseDeps, batch = 200): Promise<number> {
  const { ctx } = deps;
  const now = ctx.now();
  const flagged = await ctx.db.transaction(async (tx) => {
    const rows = await tx.query<any>(
      `SELECT id, case_no, district_code, region_code, state, seq, due_at, lead_unit_id, reporter_user_id FROM "case"
       WHERE is_open AND NOT overdue_flagged AND due_at IS NOT NULL AND due_at < $1
       ORDER BY due_at LIMIT ${batch} FOR UPDATE SKIP LOCKED`, [now]);
    for (const c of rows) {
      await appendFlowRecord(tx, {
        caseId: c.id, districtCode: c.district_code, regionCode: c.region_code, seq: c.seq, action: 'overdue', fromState: c.state, toState: c.state,
        actorId: null, actorUnitId: null, actorKind: 'system', at: now, dueAt: c.due_at, data: { leadUnitId: c.lead_unit_id },
      });
      await tx.query('UPDATE "case" SET overdue_flagged = true, seq = seq + 1, updated_at = $2 WHERE id = $1', [c.id, now]);
      await appendEvent(tx, {
        topic: 'case.overdue', regionCode: c.region_code, unitIds: c.lead_unit_id ? [c.lead_unit_id] : [],
        payload: { caseId: Number(c.id), caseNo: c.case_no, action: 'overdue', from: c.state, to: c.state },
      });
    }
    // Summoned units that missed their report-in or reply deadline (吹哨报到).
    const late = await tx.query<any>(
      `SELECT a.id, a.case_id, a.unit_id, a.reported_in_at, a.report_in_due_at, a.due_at FROM case_assignment a
       WHERE a.role = 'summoned' AND a.status = 'active' AND NOT a.overdue_flagged
         AND ((a.reported_in_at IS NULL AND a.report_in_due_at < $1) OR (a.replied_at IS NULL AND a.due_at < $1))
       LIMIT ${batch} FOR UPDATE SKIP LOCKED`, [now]);
    for (const a of late) {
      const [c] = await tx.query<any>('SELECT id, case_no, district_code, region_code, state, seq FROM "case" WHERE id = $1 FOR UPDATE', [a.case_id]);
      await appendFlowRecord(tx, {
        caseId: c.id, districtCode: c.district_code, regionCode: c.region_code, seq: c.seq, action: 'whistle_overdue', fromState: c.state,
        toState: c.state, actorId: null, actorUnitId: null, actorKind: 'system', at: now, dueAt: a.reported_in_at ? a.due_at : a.report_in_due_at,
        data: { unitId: a.unit_id, missed: a.reported_in_at ? 'reply_deadline' : 'report_in_deadline' },
      });
      await tx.query('UPDATE "case" SET seq = seq + 1 WHERE id = $1', [c.id]);
      await tx.query('UPDATE case_assignment SET overdue_flagged = true WHERE id = $1', [a.id]);
      await appendEvent(tx, {
        topic: 'case.whistle_overdue', regionCode: c.region_code, unitIds: [a.unit_id],
        payload: { caseId: Number(c.id), caseNo: c.case_no, action: 'whistle_overdue', unitId: a.unit_id },
      });
    }
    return rows.length + late.length;
  });
  if (flagged) ctx.events.poke();
  return flagged;
}

/** Runs flagOverdue on an interval until stopped. */
export function startScheduler(deps: CaseDeps, intervalMs: number): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      while ((await flagOverdue(deps)) > 0) { /* drain the backlog in batches */ }
    } catch (err) {
      deps.ctx.log.warn({ err }, 'overdue scheduler tick failed; will retry');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
