// 四议两公开: a village's important matter decided as six steps in order — 党支部提议, 两委会商议, 党员大会审议,
// 村民(代表)会议决议, 决议公开, 实施结果公开. Each deliberating step records its minutes, attendance (expected
// and present), whether the quorum was met and the count; it passes with the quorum and more than half of
// those present in favour. The order is enforced by the database (migration 0102: each step's foreign key
// names the previous step, which must have passed), so this file does no "is the previous step done?"
// read: it inserts, and a refused key is the 409. The public notice page shows a procedure from 决议公开 on.
// A step that would fail (no quorum, voted down) ends the matter, so it is recorded only when the request
// says so (`confirmFailure`); without it the answer is 409 `step_would_fail` saying what would happen, and the
// console asks. A procedure started by mistake is voided with a reason before its resolution is public: it
// stays in the list with the reason, takes no step and is on no notice.
import type { Actor } from '../../platform/auth/actor.ts';
import { conflict, notFound, unprocessable } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/index.ts';
import { regionLevels, regionScope } from '../../platform/scope.ts';
import { both, type ParticipationDeps } from './deps.ts';
import { participationPolicy } from './policy.ts';

export const STEPS = [
  { seq: 1, kind: 'party_branch_proposal', zh: '党支部提议', en: 'Party branch proposes' },
  { seq: 2, kind: 'two_committees', zh: '两委会商议', en: 'The two committees deliberate' },
  { seq: 3, kind: 'party_members_review', zh: '党员大会审议', en: 'Party members\' assembly reviews' },
  { seq: 4, kind: 'villagers_resolution', zh: '村民(代表)会议决议', en: 'Villagers\' (representatives\') meeting resolves' },
  { seq: 5, kind: 'resolution_public', zh: '决议公开', en: 'Resolution made public' },
  { seq: 6, kind: 'result_public', zh: '实施结果公开', en: 'Result of implementation made public' },
] as const;

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

export interface StepInput {
  heldAt: string; record: string;
  expected?: number; present?: number; attendees?: string[];
  votesFor?: number; votesAgainst?: number; abstentions?: number;
  /** step 4: a 村民代表会议 needs two thirds of the representatives present, a 村民会议 more than half of the villagers */
  assembly?: 'representatives' | 'villagers';
  meetingId?: number; voteId?: number;
  /** record a step that fails (and so ends the procedure): the secretary has been told and confirms */
  confirmFailure?: boolean;
}

/** The China-time calendar date of an instant, 'YYYY-MM-DD'. */
const chinaDay = (at: Date | string) => new Date(new Date(at).getTime() + 8 * 3600_000).toISOString().slice(0, 10);

export async function startProcedure(deps: ParticipationDeps, actor: Actor, b: { regionCode: string; title: string; description?: string }) {
  participationPolicy.assert(actor, 'participation.procedure.run');
  if (!regionScope(actor).has(b.regionCode)) throw unprocessable('outside_scope', both('只能在本辖区发起', 'A procedure is run for a region of your territory.'));
  if (b.regionCode.length < 12) throw unprocessable('region_too_broad', both('四议两公开在村（社区）进行', '四议两公开 is a village\'s (community\'s) procedure.'));
  const [r] = await deps.ctx.db.query('SELECT code FROM region WHERE code = $1', [b.regionCode]);
  if (!r) throw unprocessable('unknown_region', both('区域不存在', `Region ${b.regionCode} does not exist.`));
  const [row] = await deps.ctx.db.query<{ id: number }>(
    'INSERT INTO pt_procedure (district_code, region_code, title, description, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id',
    [regionLevels(b.regionCode).district, b.regionCode, b.title, b.description ?? null, actor.id, deps.ctx.now()]);
  return Number(row.id);
}

async function load(deps: ParticipationDeps, actor: Actor | null, id: number) {
  const [p] = await deps.ctx.db.query<any>('SELECT * FROM pt_procedure WHERE id = $1', [id]);
  if (!p) throw notFound({ zh: `议事事项 ${id}`, en: `Procedure ${id}` });
  if (actor) participationPolicy.assert(actor, 'participation.read', { regionCode: p.region_code }, { zh: `议事事项 ${id}`, en: `Procedure ${id}` });
  return p;
}

function view(p: any, steps: any[]) {
  const done = steps.filter((s) => s.passed).length;
  const failed = steps.find((s) => !s.passed);
  const voided = p.voided_at != null;
  return {
    id: Number(p.id), regionCode: p.region_code, title: p.title, description: p.description, createdAt: iso(p.created_at),
    status: voided ? 'voided' : failed ? 'rejected' : done === 6 ? 'completed' : 'in_progress',
    voided: voided ? { at: iso(p.voided_at), reason: p.void_reason } : null,
    nextStep: voided || failed || done === 6 ? null : STEPS[done],
    steps: STEPS.map((d) => {
      const s = steps.find((x) => x.seq === d.seq);
      return {
        seq: d.seq, kind: d.kind, label: { zh: d.zh, en: d.en }, done: !!s,
        ...(s ? {
          heldAt: iso(s.held_at), record: s.record,
          // steps 5–6 are publications, not votes: their outcome is "made public"
          outcome: d.seq >= 5 ? 'published' : s.passed ? 'passed' : 'failed', expected: s.expected, present: s.present, attendees: s.attendees, quorumMet: s.quorum_met,
          votesFor: s.votes_for, votesAgainst: s.votes_against, abstentions: s.abstentions, passed: s.passed,
          meetingId: s.meeting_id == null ? null : Number(s.meeting_id), voteId: s.vote_id == null ? null : Number(s.vote_id), recordedAt: iso(s.recorded_at),
        } : {}),
      };
    }),
  };
}

export async function getProcedure(deps: ParticipationDeps, actor: Actor, id: number) {
  const p = await load(deps, actor, id);
  const steps = await deps.ctx.db.query<any>('SELECT * FROM pt_procedure_step WHERE procedure_id = $1 AND district_code = $2 ORDER BY seq', [id, p.district_code]);
  return view(p, steps);
}

export async function listProcedures(deps: ParticipationDeps, actor: Actor) {
  participationPolicy.assert(actor, 'participation.read');
  const params: unknown[] = [];
  const rows = await deps.ctx.db.query<any>(
    `SELECT p.*, (SELECT count(*)::int FROM pt_procedure_step s WHERE s.procedure_id = p.id AND s.passed) AS passed,
       (SELECT count(*)::int FROM pt_procedure_step s WHERE s.procedure_id = p.id AND NOT s.passed) AS failed
     FROM pt_procedure p WHERE ${regionScope(actor).sql('p', params, false)} ORDER BY p.created_at DESC, p.id DESC LIMIT 200`, params);
  return { items: rows.map((p) => ({ id: Number(p.id), regionCode: p.region_code, title: p.title, stepsPassed: p.passed,
    status: p.voided_at ? 'voided' : p.failed ? 'rejected' : p.passed === 6 ? 'completed' : 'in_progress', voidReason: p.void_reason ?? null, createdAt: iso(p.created_at) })) };
}

/** Records step `seq`: the database refuses it unless step seq − 1 exists and passed. */
export async function recordStep(deps: ParticipationDeps, actor: Actor, id: number, seq: number, b: StepInput) {
  participationPolicy.assert(actor, 'participation.procedure.run');
  const p = await load(deps, actor, id);
  if (p.voided_at) throw conflict('procedure_voided', both('该事项已作废，不能再记录', 'This procedure has been voided; it takes no more steps.'));
  const def = STEPS[seq - 1];
  const now = deps.ctx.now();
  if (chinaDay(b.heldAt) > chinaDay(now)) throw unprocessable('held_in_future', both('召开日期不能晚于今天', 'The date a step was held cannot be in the future.'));
  if (seq > 1) {
    const [prev] = await deps.ctx.db.query<any>('SELECT held_at FROM pt_procedure_step WHERE procedure_id = $1 AND district_code = $2 AND seq = $3', [id, p.district_code, seq - 1]);
    if (prev && chinaDay(b.heldAt) < chinaDay(prev.held_at)) {
      throw unprocessable('held_before_previous', both(`召开日期不能早于上一步（${chinaDay(prev.held_at)}）`, `A step is held on or after the step before it (${chinaDay(prev.held_at)}).`), { previous: chinaDay(prev.held_at) });
    }
  }
  let quorumMet: boolean | null = null; let passed = true;
  if (seq <= 4) {
    if (b.expected == null || b.present == null || b.votesFor == null) throw unprocessable('attendance_required', both('须填写应到、实到人数和表决结果', 'A deliberating step records those expected, those present and the count.'));
    if (b.present > b.expected) throw unprocessable('present_exceeds_expected', both('实到人数不能多于应到人数', 'More present than expected.'));
    const [against, abst] = [b.votesAgainst ?? 0, b.abstentions ?? 0];
    if (b.votesFor + against + abst > b.present) throw unprocessable('count_exceeds_present', both('表决票数多于实到人数', 'More votes than people present.'));
    quorumMet = seq === 4 && (b.assembly ?? 'representatives') === 'representatives' ? b.present * 3 >= b.expected * 2 : b.present * 2 > b.expected;
    passed = quorumMet && b.votesFor * 2 > b.present;
    if ((b.attendees?.length ?? 0) > b.present) throw unprocessable('attendees_exceed_present', both('与会人员名单多于实到人数', 'More names of those present than people present.'));
    if (!passed && !b.confirmFailure) {
      throw conflict('step_would_fail', quorumMet
        ? both('本步表决未过半数，事项将终止', 'This step is voted down: the procedure would end here. Send confirmFailure to record it.')
        : both('本步未达法定人数，事项将终止', 'This step misses its quorum: the procedure would end here. Send confirmFailure to record it.'),
      { reason: quorumMet ? 'majority' : 'quorum' });
    }
  }
  try {
    await deps.ctx.db.transaction(async (tx) => {
      // the procedure's row is the lock a void takes too: a step and a void do not pass each other
      const [cur] = await tx.query<any>('SELECT voided_at FROM pt_procedure WHERE id = $1 AND district_code = $2 FOR UPDATE', [id, p.district_code]);
      if (cur.voided_at) throw conflict('procedure_voided', both('该事项已作废，不能再记录', 'This procedure has been voided; it takes no more steps.'));
      await tx.query(
        `INSERT INTO pt_procedure_step (district_code, procedure_id, seq, kind, prev_seq, prev_passed, held_at, record, expected, present, attendees,
           votes_for, votes_against, abstentions, quorum_met, passed, meeting_id, vote_id, recorded_by, recorded_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11::jsonb,$12,$13,$14,$15,$16,$17,$18,$19,$20)`,
        [p.district_code, id, seq, def.kind, seq > 1 ? seq - 1 : null, seq > 1 ? true : null, b.heldAt, b.record,
          seq <= 4 ? b.expected : null, seq <= 4 ? b.present : null, JSON.stringify(b.attendees ?? []),
          seq <= 4 ? b.votesFor : null, seq <= 4 ? (b.votesAgainst ?? 0) : null, seq <= 4 ? (b.abstentions ?? 0) : null,
          quorumMet, passed, b.meetingId ?? null, b.voteId ?? null, actor.id, now]);
      await appendEvent(tx, { topic: 'participation.procedure_step', regionCode: p.region_code, unitIds: [], userIds: [], payload: { procedureId: id, seq, passed } });
    });
  } catch (err: any) {
    if (err?.code === '23503') {
      throw conflict('step_out_of_order', both(`须先完成「${STEPS[seq - 2]?.zh}」且获通过`, `Step ${seq} (${def.en}) follows step ${seq - 1}, which must have been recorded and passed.`));
    }
    if (err?.code === '23505') throw conflict('step_recorded', both(`「${def.zh}」已记录`, `Step ${seq} has been recorded already.`));
    throw err;
  }
  return getProcedure(deps, actor, id);
}

/**
 * Voids a procedure started by mistake or twice (the secretary, with a reason): audited, kept in the list with
 * its reason, no further step, no notice. A resolution already made public (step 5) is a public fact and is
 * not voided (409 `procedure_published`).
 */
export async function voidProcedure(deps: ParticipationDeps, actor: Actor, id: number, reason: string) {
  participationPolicy.assert(actor, 'participation.procedure.run');
  const p = await load(deps, actor, id);
  await deps.ctx.db.transaction(async (tx) => {
    const [cur] = await tx.query<any>('SELECT voided_at FROM pt_procedure WHERE id = $1 AND district_code = $2 FOR UPDATE', [id, p.district_code]);
    if (cur.voided_at) throw conflict('procedure_voided', both('该事项已作废', 'This procedure has been voided already.'));
    const [pub] = await tx.query('SELECT 1 FROM pt_procedure_step WHERE procedure_id = $1 AND district_code = $2 AND seq = 5', [id, p.district_code]);
    if (pub) throw conflict('procedure_published', both('决议已公开，不能作废', 'The resolution has been made public; the procedure cannot be voided.'));
    const at = deps.ctx.now();
    await tx.query('UPDATE pt_procedure SET voided_at = $3, voided_by = $4, void_reason = $5 WHERE id = $1 AND district_code = $2', [id, p.district_code, at, actor.id, reason]);
    await tx.query(`INSERT INTO audit_log (actor_id, action, target, region_code, detail) VALUES ($1, 'participation.procedure.void', $2, $3, $4::jsonb)`,
      [actor.id, `procedure:${id}`, p.region_code, JSON.stringify({ title: p.title, reason })]);
    await appendEvent(tx, { topic: 'participation.procedure_voided', regionCode: p.region_code, unitIds: [], userIds: [], payload: { procedureId: id } });
  });
  return getProcedure(deps, actor, id);
}

/** The public notice (公开栏) of a procedure: from 决议公开 on, without signing in. */
export async function publicNotice(deps: ParticipationDeps, id: number) {
  const p = await load(deps, null, id);
  if (p.voided_at) throw notFound({ zh: `公示 ${id}`, en: `Notice ${id}` });
  const steps = await deps.ctx.db.query<any>('SELECT * FROM pt_procedure_step WHERE procedure_id = $1 AND district_code = $2 ORDER BY seq', [id, p.district_code]);
  if (!steps.some((s) => s.seq === 5)) throw notFound({ zh: `公示 ${id}`, en: `Notice ${id}` });
  const [region] = await deps.ctx.db.query<any>('SELECT name FROM region WHERE code = $1', [p.region_code]);
  const v = view(p, steps);
  return {
    id: v.id, title: v.title, description: v.description, regionCode: v.regionCode, regionName: region?.name ?? null, status: v.status,
    // the public sees the steps with their dates, attendance and counts, the resolution and the result; not internal minutes of 1–3
    steps: v.steps.map((s: any) => ({ seq: s.seq, label: s.label, done: s.done, outcome: s.outcome ?? null, heldAt: s.heldAt ?? null, expected: s.expected ?? null, present: s.present ?? null,
      votesFor: s.votesFor ?? null, votesAgainst: s.votesAgainst ?? null, abstentions: s.abstentions ?? null, quorumMet: s.quorumMet ?? null,
      text: s.seq >= 4 ? s.record ?? null : null })),
  };
}

/** The public notices of a community (procedures whose resolution is public). */
export async function publicNotices(deps: ParticipationDeps, communityCode: string) {
  const rows = await deps.ctx.db.query<any>(
    `SELECT p.id, p.title, p.region_code, r.name AS region_name, s.held_at, s6.held_at AS result_at
     FROM pt_procedure p JOIN pt_procedure_step s ON s.procedure_id = p.id AND s.district_code = p.district_code AND s.seq = 5
     LEFT JOIN pt_procedure_step s6 ON s6.procedure_id = p.id AND s6.district_code = p.district_code AND s6.seq = 6
     LEFT JOIN region r ON r.code = p.region_code
     WHERE p.region_code LIKE $1 || '%' AND p.voided_at IS NULL ORDER BY coalesce(s6.held_at, s.held_at) DESC LIMIT 100`, [communityCode]);
  const [c] = await deps.ctx.db.query<any>('SELECT name FROM region WHERE code = $1', [communityCode]);
  if (!c) throw notFound({ zh: `社区 ${communityCode}`, en: `Community ${communityCode}` });
  // each notice with its two 公开 steps: 决议公开 (publishedAt) and 实施结果公开 (resultAt, once done)
  return {
    community: { code: communityCode, name: c.name as string },
    items: rows.map((r) => ({ id: Number(r.id), title: r.title, regionName: r.region_name ?? null, publishedAt: iso(r.held_at), resultAt: iso(r.result_at) })),
  };
}

