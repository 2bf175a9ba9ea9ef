// Surveys (问卷): questions of four kinds (single, multiple, scale, text); sampling by grid (the grids and a
// quota of responses per grid, with the progress against it); answers on the web by residents — one
// response per registry person, settled by a unique key — or by phone, entered by a worker for a grid of
// their territory; results per question (counts, shares, means, texts) and, for questions that count
// towards a dimension, the index 0–100: the 平安建设民意调查 template's 安全感 and 满意度. The organiser may
// end a survey before its closing date (结束调查, audited).
import type { Actor } from '../../platform/auth/actor.ts';
import { conflict, notFound, unprocessable } from '../../platform/errors.ts';
import { regionLevels, regionScope } from '../../platform/scope.ts';
import { both, type ParticipationDeps } from './deps.ts';
import { participationPolicy } from './policy.ts';
import { linkedParticipant, residentOf } from './residents.ts';

export interface QuestionInput { kind: 'single' | 'multiple' | 'scale' | 'text'; text: string; options?: string[]; scaleMax?: number; dimension?: 'safety' | 'satisfaction'; required?: boolean }
export interface SurveyInput { regionCode: string; title: string; description?: string; template?: 'safety'; questions?: QuestionInput[]; sampleGrids?: string[]; quota?: number; opensAt: string; closesAt: string }
export interface AnswerInput { questionId: number; choices?: number[]; value?: number; text?: string }

/** 平安建设民意调查: the questions of the safety and satisfaction index, as communities ask them. */
export const SAFETY_TEMPLATE: QuestionInput[] = [
  { kind: 'scale', text: '您觉得您居住的社区（村）治安状况安全吗？（1 很不安全 — 5 很安全）', scaleMax: 5, dimension: 'safety' },
  { kind: 'scale', text: '您晚上独自出行时感到安全吗？（1 很不安全 — 5 很安全）', scaleMax: 5, dimension: 'safety' },
  { kind: 'scale', text: '您对本地社会治安工作满意吗？（1 很不满意 — 5 很满意）', scaleMax: 5, dimension: 'satisfaction' },
  { kind: 'scale', text: '您对社区（村）网格员的工作满意吗？（1 很不满意 — 5 很满意）', scaleMax: 5, dimension: 'satisfaction' },
  { kind: 'multiple', text: '您认为本地最需要解决的治安问题是？（可多选）', options: ['盗窃', '电信诈骗', '邻里纠纷', '交通秩序', '噪音扰民', '其他'] },
  { kind: 'single', text: '过去一年您或家人是否遭受过违法犯罪侵害？', options: ['是', '否'] },
  { kind: 'text', text: '您对平安建设还有什么意见和建议？', required: false },
];

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

export async function createSurvey(deps: ParticipationDeps, actor: Actor, b: SurveyInput): Promise<number> {
  participationPolicy.assert(actor, 'participation.survey.manage');
  if (!regionScope(actor).has(b.regionCode)) throw unprocessable('outside_scope', both('只能在本辖区开展调查', 'A survey is held in a region of your territory.'));
  const questions = b.template === 'safety' ? [...SAFETY_TEMPLATE, ...(b.questions ?? [])] : (b.questions ?? []);
  if (!questions.length) throw unprocessable('no_questions', both('问卷至少要有一道题', 'A survey has at least one question.'));
  for (const q of questions) {
    if ((q.kind === 'single' || q.kind === 'multiple') && (q.options?.length ?? 0) < 2) throw unprocessable('options_required', both('选择题至少两个选项', 'A choice question has at least two options.'));
    if (q.kind === 'scale' && !q.scaleMax) throw unprocessable('scale_required', both('量表题须设定分值上限', 'A scale question has its top value.'));
  }
  for (const g of b.sampleGrids ?? []) if (!g.startsWith(b.regionCode) || g.length !== 14) throw unprocessable('sample_outside', both('抽样网格须在调查范围内', `Grid ${g} is not a grid of the survey's region.`));
  if (new Date(b.closesAt) <= new Date(b.opensAt)) throw unprocessable('closes_before_opens', both('截止时间须晚于开始时间', 'The survey closes after it opens.'));
  const district = regionLevels(b.regionCode).district;
  return deps.ctx.db.transaction(async (tx) => {
    // two surveys of one title running side by side in one region split its answers and its results: the
    // second is refused while the first is open (or not yet open); the lock makes two starts at once one
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`survey:${b.regionCode}:${b.title}`]);
    const [same] = await tx.query<{ id: number }>('SELECT id FROM pt_survey WHERE district_code = $1 AND region_code = $2 AND title = $3 AND closes_at > $4 LIMIT 1',
      [district, b.regionCode, b.title, deps.ctx.now()]);
    if (same) {
      throw conflict('survey_title_taken', both(`本辖区已有一份“${b.title}”正在进行，请换一个名称（例如加上月份），或先结束原调查`,
        `A survey titled “${b.title}” is already running in this region: choose another title (add the month, say), or end that survey first.`), { surveyId: Number(same.id) });
    }
    const [s] = await tx.query<{ id: number }>(
      `INSERT INTO pt_survey (district_code, region_code, title, description, template, sample_grids, quota, opens_at, closes_at, created_by, created_at)
       VALUES ($1,$2,$3,$4,$5,$6::text[],$7,$8,$9,$10,$11) RETURNING id`,
      [district, b.regionCode, b.title, b.description ?? null, b.template ?? null, b.sampleGrids ?? [], b.quota ?? 0, b.opensAt, b.closesAt, actor.id, deps.ctx.now()]);
    for (const [i, q] of questions.entries()) {
      await tx.query('INSERT INTO pt_survey_question (district_code, survey_id, seq, kind, text, options, scale_max, dimension, required) VALUES ($1,$2,$3,$4,$5,$6::jsonb,$7,$8,$9)',
        [district, s.id, i + 1, q.kind, q.text, JSON.stringify(q.options ?? []), q.kind === 'scale' ? q.scaleMax : null, q.dimension ?? null, q.required ?? true]);
    }
    return Number(s.id);
  });
}

async function load(deps: ParticipationDeps, actor: Actor, id: number) {
  const [s] = await deps.ctx.db.query<any>('SELECT * FROM pt_survey WHERE id = $1', [id]);
  if (!s) throw notFound({ zh: `问卷 ${id}`, en: `Survey ${id}` });
  if (actor.role === 'resident') {
    if (!(await residentOf(deps.ctx.db, actor)).regionCode.startsWith(s.region_code)) throw notFound({ zh: `问卷 ${id}`, en: `Survey ${id}` });
  } else {
    participationPolicy.assert(actor, 'participation.read');
    if (!regionScope(actor).has(s.region_code) && !actor.regionCode.startsWith(s.region_code)) throw notFound({ zh: `问卷 ${id}`, en: `Survey ${id}` });
  }
  return s;
}

const status = (s: any, now: Date) => (now < new Date(s.opens_at) ? 'upcoming' : now >= new Date(s.closes_at) ? 'closed' : 'open');

export async function getSurvey(deps: ParticipationDeps, actor: Actor, id: number) {
  const s = await load(deps, actor, id);
  const qs = await deps.ctx.db.query<any>('SELECT * FROM pt_survey_question WHERE survey_id = $1 AND district_code = $2 ORDER BY seq', [id, s.district_code]);
  let answered = false;
  if (actor.role === 'resident') {
    const me = await residentOf(deps.ctx.db, actor);
    if (me.personId) answered = !!(await deps.ctx.db.query('SELECT 1 FROM pt_survey_response WHERE survey_id = $1 AND respondent_key = $2', [id, `p${me.personId}`])).length;
  }
  return {
    id: Number(s.id), regionCode: s.region_code, title: s.title, description: s.description, template: s.template, sampleGrids: s.sample_grids, quota: s.quota,
    opensAt: iso(s.opens_at), closesAt: iso(s.closes_at), status: status(s, deps.ctx.now()), answered,
    questions: qs.map((q) => ({ id: Number(q.id), seq: q.seq, kind: q.kind, text: q.text, options: q.options, scaleMax: q.scale_max, dimension: q.dimension, required: q.required })),
  };
}

export async function listSurveys(deps: ParticipationDeps, actor: Actor) {
  const params: unknown[] = [];
  let where: string;
  if (actor.role === 'resident') { params.push((await residentOf(deps.ctx.db, actor)).regionCode); where = 'starts_with($1, s.region_code)'; }
  else {
    participationPolicy.assert(actor, 'participation.read');
    params.push(actor.regionCode);
    where = `(${regionScope(actor).sql('s', params, false)} OR starts_with($1, s.region_code))`;
  }
  const rows = await deps.ctx.db.query<any>(`SELECT s.*, (SELECT count(*)::int FROM pt_survey_response r WHERE r.survey_id = s.id) AS responses FROM pt_survey s WHERE ${where} ORDER BY s.opens_at DESC, s.id DESC LIMIT 100`, params);
  const now = deps.ctx.now();
  return { items: rows.map((s) => ({ id: Number(s.id), title: s.title, regionCode: s.region_code, template: s.template, status: status(s, now), responses: s.responses, closesAt: iso(s.closes_at) })) };
}

/** Ends a survey now (结束调查): an organiser of its region, while it is open or not yet open; audited. */
export async function closeSurvey(deps: ParticipationDeps, actor: Actor, id: number) {
  const s = await load(deps, actor, id);
  participationPolicy.assert(actor, 'participation.survey.manage', { regionCode: s.region_code }, { zh: `问卷 ${id}`, en: `Survey ${id}` });
  const now = deps.ctx.now();
  if (status(s, now) === 'closed') throw conflict('survey_closed', both('问卷已结束', 'The survey has closed already.'));
  await deps.ctx.db.transaction(async (tx) => {
    // one not yet open closes unopened (its opening moves back just before now, as closes > opens holds)
    await tx.query(`UPDATE pt_survey SET opens_at = LEAST(opens_at, $3::timestamptz - interval '1 second'), closes_at = $3 WHERE id = $1 AND district_code = $2`,
      [s.id, s.district_code, now]);
    await tx.query(`INSERT INTO audit_log (actor_id, action, target, region_code, detail) VALUES ($1, 'participation.survey.close', $2, $3, $4::jsonb)`,
      [actor.id, `survey:${s.id}`, s.region_code, JSON.stringify({ closesAt: iso(s.closes_at) })]);
  });
  return getSurvey(deps, actor, id);
}

/** Answers: a resident for themselves on the web, or a worker entering a phone interview for a grid. */
export async function answerSurvey(deps: ParticipationDeps, actor: Actor, id: number, b: { answers: AnswerInput[]; gridCode?: string }) {
  const s = await getSurvey(deps, actor, id);
  if (s.status !== 'open') throw conflict('survey_not_open', both('问卷不在答题时间内', 'The survey is not open.'));
  let grid: string; let key: string | null; let channel: 'web' | 'phone';
  // with a grid, a worker enters a phone interview; without, a resident answers for themselves
  if (b.gridCode === undefined) {
    participationPolicy.assert(actor, 'participation.survey.answer');
    const p = await linkedParticipant(deps.ctx.db, actor);
    grid = p.regionCode; key = `p${p.personId}`; channel = 'web';
  } else {
    participationPolicy.assert(actor, 'participation.survey.enter');
    if ( b.gridCode.length !== 14 || !regionScope(actor).has(b.gridCode) || !b.gridCode.startsWith(s.regionCode)) {
      throw unprocessable('grid_required', both('电话访问须选择受访者所在网格（本辖区内）', 'A phone interview names the respondent\'s grid, in your territory and the survey\'s region.'));
    }
    grid = b.gridCode; key = null; channel = 'phone';
  }
  if (s.sampleGrids.length && !s.sampleGrids.includes(grid)) throw unprocessable('not_sampled', both('该网格不在本次抽样范围内', 'The respondent\'s grid is not among the sampled grids.'));
  const byId = new Map(s.questions.map((q) => [q.id, q]));
  const seen = new Set<number>();
  for (const a of b.answers) {
    const q = byId.get(a.questionId);
    if (!q || seen.has(a.questionId)) throw unprocessable('unknown_question', both('题目不属于本问卷或重复作答', `Question ${a.questionId} is not one of this survey's, or is answered twice.`));
    seen.add(a.questionId);
    const ok = q.kind === 'single' ? a.choices?.length === 1 && a.choices[0] < q.options.length
      : q.kind === 'multiple' ? !!a.choices?.length && new Set(a.choices).size === a.choices.length && a.choices.every((c) => c < q.options.length)
        : q.kind === 'scale' ? a.value != null && a.value >= 1 && a.value <= q.scaleMax : !!a.text?.trim();
    if (!ok) throw unprocessable('bad_answer', both(`第 ${q.seq} 题的答案不符合题型`, `The answer to question ${q.seq} does not fit its kind.`), { questionId: q.id });
  }
  const missing = s.questions.find((q) => q.required && !seen.has(q.id));
  if (missing) throw unprocessable('answer_missing', both(`第 ${missing.seq} 题必答`, `Question ${missing.seq} needs an answer.`), { questionId: missing.id });
  const district = regionLevels(s.regionCode).district;
  try {
    return await deps.ctx.db.transaction(async (tx) => {
      const [r] = await tx.query<{ id: number }>('INSERT INTO pt_survey_response (district_code, survey_id, region_code, channel, respondent_key, entered_by, at) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id',
        [district, id, grid, channel, key, actor.id, deps.ctx.now()]);
      for (const a of b.answers) {
        await tx.query('INSERT INTO pt_survey_answer (district_code, response_id, question_id, choices, value, text) VALUES ($1,$2,$3,$4::int[],$5,$6)',
          [district, r.id, a.questionId, a.choices ?? null, a.value ?? null, a.text?.trim() ?? null]);
      }
      return { responseId: Number(r.id), channel };
    });
  } catch (err: any) {
    if (err?.code === '23505') throw conflict('already_answered', both('您已答过这份问卷', 'You have answered this survey already.'));
    throw err;
  }
}

/** Results: per question, per sampled grid against its quota, and the index of each dimension (0–100). */
export async function surveyResults(deps: ParticipationDeps, actor: Actor, id: number) {
  participationPolicy.assert(actor, 'participation.read');
  const s = await getSurvey(deps, actor, id);
  const { db } = deps.ctx;
  const answers = await db.query<any>(
    `SELECT a.question_id, a.choices, a.value, a.text FROM pt_survey_answer a JOIN pt_survey_response r ON r.id = a.response_id AND r.district_code = a.district_code WHERE r.survey_id = $1`, [id]);
  const [{ n }] = await db.query<any>('SELECT count(*)::int AS n FROM pt_survey_response WHERE survey_id = $1', [id]);
  const byChannel = await db.query<any>('SELECT channel, count(*)::int AS n FROM pt_survey_response WHERE survey_id = $1 GROUP BY channel', [id]);
  const byGrid = await db.query<any>('SELECT region_code, count(*)::int AS n FROM pt_survey_response WHERE survey_id = $1 GROUP BY region_code ORDER BY region_code', [id]);
  const dims: Record<string, { sum: number; n: number }> = {};
  const questions = s.questions.map((q) => {
    const mine = answers.filter((a) => Number(a.question_id) === q.id);
    if (q.kind === 'single' || q.kind === 'multiple') {
      const counts = q.options.map((_: string, i: number) => mine.filter((a) => (a.choices as number[]).includes(i)).length);
      return { ...q, answered: mine.length, counts, shares: counts.map((c: number) => (mine.length ? Math.round((1000 * c) / mine.length) / 10 : 0)) };
    }
    if (q.kind === 'scale') {
      const dist = Array.from({ length: q.scaleMax }, (_, i) => mine.filter((a) => a.value === i + 1).length);
      const mean = mine.length ? mine.reduce((t, a) => t + a.value, 0) / mine.length : null;
      if (q.dimension) for (const a of mine) { const d = (dims[q.dimension] ??= { sum: 0, n: 0 }); d.sum += ((a.value - 1) / (q.scaleMax - 1)) * 100; d.n++; }
      return { ...q, answered: mine.length, distribution: dist, mean: mean == null ? null : Math.round(mean * 100) / 100 };
    }
    return { ...q, answered: mine.length, texts: mine.slice(-50).map((a) => a.text) };
  });
  const index = Object.fromEntries(Object.entries(dims).map(([k, d]) => [k, Math.round((d.sum / d.n) * 10) / 10]));
  const grids: string[] = s.sampleGrids.length ? s.sampleGrids : byGrid.map((g) => g.region_code);
  // the grids by name (a bare code told staff nothing)
  const names = new Map((await db.query<any>('SELECT code, name FROM region WHERE code = ANY($1::text[])', [grids])).map((r) => [r.code, r.name]));
  return {
    id: s.id, title: s.title, template: s.template, responses: n, channels: Object.fromEntries(byChannel.map((c) => [c.channel, c.n])), index,
    sampling: grids.map((g: string) => ({ gridCode: g, gridName: names.get(g) ?? null, responses: byGrid.find((x) => x.region_code === g)?.n ?? 0, quota: s.quota })),
    questions,
  };
}
