// 访调对接: a failed mediation docked to the petition office (信访) opens a petition in the petitions
// register as soon as the docking is transferred (the workflow's docking step): the dispute's title and
// summary, its region and address, its parties (sealed copies: the applicants become the petitioners), the
// case file's documents named on the petition, repeat detection run on it, and both records naming each
// other. It follows the committed step (the engine's onTransitioned); a failure is logged, the docking
// stands and the next docking step or GET of the dispute retries it (idempotent on the docking).
import type { Actor } from '../../platform/auth/actor.ts';
import { appendEvent } from '../../platform/events/index.ts';
import { createCase, type TransitionedSubscriber } from '../cases/index.ts';
import type { MediationDeps } from './deps.ts';
import { ensurePetition } from './effects.ts';
import { markRepeats } from './petitions.ts';

/** The petition category (信访事项分类) closest to a dispute category; 其他 otherwise. */
const PETITION_CATEGORY: Record<string, string> = {
  130103: '140101', 130207: '140101', 130201: '140102', 130202: '140103', 130203: '140104', 130204: '140104',
  130205: '140109', 130206: '140106', 130208: '140103', 130101: '140108',
};

export function followDockings(deps: MediationDeps): TransitionedSubscriber {
  return async ({ caseId, effect, actor }) => {
    if (effect === 'mediation.docking_transfer') await petitionForDocking(deps, actor, caseId);
  };
}

/** Opens the petition of the dispute's transferred 访调 docking that has none yet; its case id, or null. */
export async function petitionForDocking(deps: MediationDeps, actor: Actor, disputeId: number): Promise<number | null> {
  const db = deps.ctx.db;
  const [k] = await db.query<any>(
    `SELECT * FROM dispute_docking WHERE case_id = $1 AND kind = 'petition' AND status <> 'draft' AND petition_case_id IS NULL ORDER BY id DESC LIMIT 1`, [disputeId]);
  if (!k) return null;
  const [d] = await db.query<any>('SELECT * FROM dispute WHERE case_id = $1', [disputeId]);
  if (!d) return null;
  const r = await createCase(deps.cases, actor, {
    type: 'petition', categoryCode: PETITION_CATEGORY[d.category_code] ?? '140199', title: d.title,
    description: `【访调对接】${d.description}（${d.case_no}调解不成，移交${k.receiver}）`.slice(0, 4000),
    regionCode: d.region_code, address: d.address ?? undefined, urgency: 'normal', channel: 'petition',
  }, `mediation-docking-${k.id}`);
  const now = deps.ctx.now();
  await db.transaction(async (tx) => {
    if (r.row) await ensurePetition(tx, r.row, deps.limits, deps.ctx.calendar, 'letter');
    const [claimed] = await tx.query<{ id: number }>(
      'UPDATE dispute_docking SET petition_case_id = $2 WHERE id = $1 AND petition_case_id IS NULL RETURNING id', [k.id, r.caseId]);
    if (!claimed) return;
    const [{ n }] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM mediation_party WHERE case_id = $1 AND role = 'applicant'`, [disputeId]);
    await tx.query('UPDATE petition SET form = $2, petitioners = greatest(1, $3::int), docked_from = $4, updated_at = $5 WHERE case_id = $1',
      [r.caseId, 'letter', n, disputeId, now]);
    // the parties, sealed as they are (same district, same keys): applicants petition, the rest keep their roles
    await tx.query(
      `INSERT INTO mediation_party (district_code, case_id, case_kind, role, kind, sealed, name_masked, id_masked, phone_masked, name_hash, id_hash,
         phone_hash, id_type, sex, ethnicity, education, person_type, birth_year, vulnerable, org_code)
       SELECT district_code, $2, 'petition', CASE role WHEN 'applicant' THEN 'petitioner' ELSE role END, kind, sealed, name_masked, id_masked, phone_masked,
         name_hash, id_hash, phone_hash, id_type, sex, ethnicity, education, person_type, birth_year, vulnerable, org_code
       FROM mediation_party WHERE case_id = $1 AND case_kind = 'dispute' ORDER BY id`, [disputeId, r.caseId]);
    await markRepeats(deps, tx, r.caseId, now);
    await appendEvent(tx, { topic: 'dispute.docked_to_petition', regionCode: d.region_code, unitIds: [], userIds: [],
      payload: { caseId: disputeId, caseNo: d.case_no, dockingId: Number(k.id), petitionCaseId: r.caseId } });
  });
  return r.caseId;
}
