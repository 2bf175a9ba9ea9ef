// Daily checks (村居日排查), the roll call of grids that have not reported (日点名) and each street's daily
// report (日报告): the field reports' 日排查、日点名、日报告 in one loop with the register — a finding can
// be registered as a hazard from the check itself.
import type { Actor } from '../../platform/auth/actor.ts';
import type { Queryable } from '../../platform/db/index.ts';
import { AppError, notFound, unprocessable } from '../../platform/errors.ts';
import { regionLevels, regionPrefixSql, regionScope } from '../../platform/scope.ts';
import { caseReportsBetween, type CaseDeps } from '../cases/index.ts';
import { registryFollowups, type FollowupSource } from './followups.ts';
import { alertCounts } from './alerts.ts';
import { hazardCounts, levels, registerHazard } from './hazards.ts';
import { riskPolicy } from './policy.ts';
import { chinaDate } from './rules/history.ts';
import type { CheckSubmitT, CheckTemplateT } from './contracts.ts';

export interface CheckItem { key: string; zh: string; en: string; hazardCategory?: string }

/** The checklist a district starts from, after the field reports' daily checks of villages and communities. */
export const defaultChecklist: CheckItem[] = [
  { key: 'fire_lanes', zh: '消防通道畅通、楼道无堆物', en: 'Fire lanes clear, no clutter in stairwells', hazardCategory: '600101' },
  { key: 'gas', zh: '餐饮店铺燃气使用安全', en: 'Gas used safely in shops and restaurants', hazardCategory: '600102' },
  { key: 'ebike_charging', zh: '无电动车飞线、入户充电', en: 'No e-bikes charged on trailing leads or indoors', hazardCategory: '600104' },
  { key: 'buildings', zh: '无危旧房屋险情、违规改建', en: 'No dangerous old buildings or unauthorised alterations', hazardCategory: '600103' },
  { key: 'workplaces', zh: '小作坊、工地安全生产正常', en: 'Workshops and building sites work safely', hazardCategory: '600105' },
  { key: 'flood', zh: '边坡、山坪塘、低洼处无险情', en: 'Slopes, ponds and low ground without danger', hazardCategory: '600107' },
  { key: 'disputes', zh: '无新的矛盾纠纷苗头', en: 'No new signs of disputes', hazardCategory: '600203' },
  { key: 'key_persons', zh: '重点人员动态正常', en: 'Key persons as usual', hazardCategory: '600204' },
  { key: 'gatherings', zh: '无群体性事件苗头', en: 'No signs of a mass gathering', hazardCategory: '600201' },
  { key: 'wages', zh: '无欠薪讨薪线索', en: 'No signs of unpaid wages', hazardCategory: '600202' },
];

const DAY_MS = 86_400_000;
/** The instant a China civil date begins. */
export const dayStart = (day: string) => new Date(Date.parse(`${day}T00:00:00+08:00`));

/** The checklist in force for a region: the deepest template above it (a street's own over the district's), else the default. */
export async function templateFor(q: Queryable, regionCode: string): Promise<{ regionCode: string | null; version: number; items: CheckItem[] }> {
  const [t] = await q.query<{ region_code: string; version: number; items: CheckItem[] }>(
    `SELECT region_code, version, items FROM check_template WHERE $1 LIKE region_code || '%' AND district_code = $2
     ORDER BY length(region_code) DESC, version DESC LIMIT 1`, [regionCode, regionCode.slice(0, 6)]);
  return t ? { regionCode: t.region_code, version: t.version, items: t.items } : { regionCode: null, version: 0, items: defaultChecklist };
}

export async function getTemplate(q: Queryable, actor: Actor, region?: string) {
  const code = region ?? actor.regionCode;
  if (!regionScope(actor).sees(code)) throw notFound({ zh: `区划 ${code}`, en: `Region ${code}` });
  return templateFor(q, code);
}

/** A new version of the checklist of the actor's region (a street's, or the district's). */
export async function saveTemplate(q: Queryable, actor: Actor, input: CheckTemplateT, now: Date) {
  riskPolicy.assert(actor, 'risk.check.template');
  const code = input.regionCode ?? actor.regionCode;
  if (!regionScope(actor).within(code)) throw notFound({ zh: `区划 ${code}`, en: `Region ${code}` });
  if (code.length !== 6 && code.length !== 9) throw unprocessable('region_level', { zh: `检查清单只能属于区县或街道。`, en: 'A checklist belongs to a district or a street.' });
  const keys = input.items.map((i) => i.key);
  if (new Set(keys).size !== keys.length) throw unprocessable('duplicate_item', { zh: `检查清单的每一项须有不同的编码。`, en: 'Each item of a checklist has its own key.' });
  const [{ v }] = await q.query<{ v: number }>('SELECT coalesce(max(version), 0) + 1 AS v FROM check_template WHERE region_code = $1 AND district_code = $2', [code, code.slice(0, 6)]);
  await q.query('INSERT INTO check_template (region_code, district_code, version, items, actor_id, at) VALUES ($1, $2, $3, $4::jsonb, $5, $6)',
    [code, code.slice(0, 6), v, JSON.stringify(input.items), actor.id, now]);
  return templateFor(q, code);
}

/** The days a check may be filed for: today, and yesterday until the roll call of the morning after. */
function checkDay(day: string | undefined, now: Date): string {
  const today = chinaDate(now);
  const d = day ?? today;
  const yesterday = chinaDate(new Date(now.getTime() - DAY_MS));
  if (d !== today && d !== yesterday) throw unprocessable('check_day', { zh: `日常检查只能填报今天（${today}）或昨天（${yesterday}）的。`, en: `A daily check is filed for today (${today}) or yesterday (${yesterday}).` });
  return d;
}

/** 日排查: a grid's check of the day; findings may be registered as hazards at once. Filing again the same day replaces the answers. */
export async function submitCheck(cases: CaseDeps, actor: Actor, input: CheckSubmitT) {
  riskPolicy.assert(actor, 'risk.check.fill');
  const { db } = cases.ctx;
  const now = cases.ctx.now();
  const grid = await cases.regions.find(input.regionCode);
  if (!grid || !regionScope(actor).has(grid.code)) throw notFound({ zh: `网格 ${input.regionCode}`, en: `Grid ${input.regionCode}` });
  if (grid.level !== 'grid') throw unprocessable('not_a_grid', { zh: `日常检查须按网格填报。`, en: 'A daily check is filed for a grid.' });
  const day = checkDay(input.day, now);
  const tpl = await templateFor(db, grid.code);
  const known = new Set(tpl.items.map((i) => i.key));
  const unknown = Object.keys(input.answers).filter((k) => !known.has(k));
  const missing = [...known].filter((k) => !(k in input.answers));
  if (unknown.length || missing.length) {
    throw new AppError(422, 'checklist_mismatch', { zh: `填报内容须与检查清单逐项对应${missing.length ? `；缺少：${missing.join('、')}` : ''}${unknown.length ? `；清单中没有：${unknown.join('、')}` : ''}。`, en: `The answers must cover the checklist exactly${missing.length ? `; missing: ${missing.join(', ')}` : ''}${unknown.length ? `; not on it: ${unknown.join(', ')}` : ''}.` }, { missing, unknown });
  }
  for (const h of input.hazards ?? []) {
    if (!known.has(h.itemKey)) throw unprocessable('checklist_mismatch', { zh: `${h.itemKey} 不是检查清单中的项目。`, en: `${h.itemKey} is not an item of the checklist.` });
    if (input.answers[h.itemKey].ok) throw unprocessable('finding_not_reported', { zh: `${h.itemKey} 已填报为正常，隐患只能来自不正常的项目。`, en: `${h.itemKey} was answered as fine; a hazard comes from an item that is not.` });
  }
  const hazardIds: number[] = [];
  for (const h of input.hazards ?? []) {
    const item = tpl.items.find((i) => i.key === h.itemKey)!;
    const categoryCode = h.categoryCode ?? item.hazardCategory;
    if (!categoryCode) throw unprocessable('category_required', { zh: `请填写 ${h.itemKey} 的隐患分类。`, en: `Give the hazard category of ${h.itemKey}.` });
    const made = await registerHazard(cases, actor, {
      categoryCode, title: h.title, description: h.description, level: h.level, source: 'daily_check', channel: 'grid_patrol',
      ...(input.lat != null && input.lng != null ? { lat: input.lat, lng: input.lng } : { regionCode: grid.code }),
    });
    hazardIds.push(made.caseId);
  }
  const findings = Object.values(input.answers).filter((a) => !a.ok).length;
  const lv = regionLevels(grid.code);
  const [row] = await db.query<any>(
    `INSERT INTO daily_check (district_code, region_code, street_code, community_code, day, template_region, template_version, answers, findings,
       hazard_case_ids, note, lat, lng, submitted_by, submitted_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10::bigint[], $11, $12, $13, $14, $15)
     ON CONFLICT (region_code, day, district_code) DO UPDATE SET answers = EXCLUDED.answers, findings = EXCLUDED.findings,
       hazard_case_ids = daily_check.hazard_case_ids || EXCLUDED.hazard_case_ids, note = EXCLUDED.note, lat = EXCLUDED.lat, lng = EXCLUDED.lng,
       submitted_by = EXCLUDED.submitted_by, submitted_at = EXCLUDED.submitted_at, template_region = EXCLUDED.template_region,
       template_version = EXCLUDED.template_version, revisions = daily_check.revisions + 1
     RETURNING *, to_char(day, 'YYYY-MM-DD') AS day_text`,
    [lv.district, grid.code, lv.street, lv.community, day, tpl.regionCode ?? lv.district, tpl.version, JSON.stringify(input.answers), findings,
      hazardIds, input.note ?? null, input.lat ?? null, input.lng ?? null, actor.id, now]);
  return checkView(row);
}

function checkView(r: any) {
  return {
    id: Number(r.id), regionCode: r.region_code, regionName: r.region_name ?? null, day: r.day_text, answers: r.answers, findings: r.findings,
    hazardCaseIds: (r.hazard_case_ids ?? []).map(Number), note: r.note, submittedBy: Number(r.submitted_by), submittedByName: r.user_name ?? null,
    submittedAt: new Date(r.submitted_at).toISOString(), revisions: r.revisions,
  };
}

export async function listChecks(q: Queryable, actor: Actor, query: { region?: string; day?: string }, now: Date) {
  riskPolicy.assert(actor, riskPolicy.can(actor, 'risk.check.read') ? 'risk.check.read' : 'risk.check.fill');
  const params: unknown[] = [query.day ?? chinaDate(now)];
  const where = ['c.day = $1::date', regionScope(actor).sql('c', params)];
  if (query.region) where.push(regionPrefixSql(query.region, 'c', params, true));
  const rows = await q.query<any>(
    `SELECT c.*, to_char(c.day, 'YYYY-MM-DD') AS day_text, r.name AS region_name, u.display_name AS user_name FROM daily_check c
     LEFT JOIN region r ON r.code = c.region_code LEFT JOIN app_user u ON u.id = c.submitted_by
     WHERE ${where.join(' AND ')} ORDER BY c.region_code LIMIT 5000`, params);
  return { day: params[0], items: rows.map(checkView) };
}

/** 日点名: every grid under the region, whether it has filed the day's check, and who works it. */
export async function rollCall(cases: CaseDeps, actor: Actor, query: { region?: string; day?: string }) {
  riskPolicy.assert(actor, 'risk.check.read');
  const code = query.region ?? actor.regionCode;
  if (!regionScope(actor).within(code)) throw notFound({ zh: `区划 ${code}`, en: `Region ${code}` });
  const day = query.day ?? chinaDate(cases.ctx.now());
  const grids = await cases.regions.gridsUnder(code);
  const names = await cases.regions.namesOf(grids);
  const { db } = cases.ctx;
  const filed = new Map((await db.query<any>(
    `SELECT c.region_code, c.submitted_at, c.findings, u.display_name FROM daily_check c LEFT JOIN app_user u ON u.id = c.submitted_by
     WHERE c.day = $1::date AND c.region_code = ANY($2::text[])`, [day, grids])).map((r) => [r.region_code, r]));
  const workers = new Map<string, Array<{ id: number; displayName: string }>>();
  for (const u of await db.query<any>(`SELECT id, display_name, region_code FROM app_user WHERE active AND role = 'grid_worker' AND region_code = ANY($1::text[]) ORDER BY id`, [grids])) {
    workers.set(u.region_code, [...(workers.get(u.region_code) ?? []), { id: Number(u.id), displayName: u.display_name }]);
  }
  const items = grids.map((g) => {
    const f = filed.get(g);
    return {
      regionCode: g, name: names.get(g) ?? g, checked: !!f, submittedAt: f ? new Date(f.submitted_at).toISOString() : null,
      submittedByName: f?.display_name ?? null, findings: f?.findings ?? null, workers: workers.get(g) ?? [],
    };
  });
  return { day, regionCode: code, total: items.length, checked: items.filter((i) => i.checked).length, missing: items.filter((i) => !i.checked).length, items };
}

/** 日报告: the day of a street in figures, generated from the day's facts and kept (a later call refreshes it). */
export async function dailyReport(cases: CaseDeps, actor: Actor | null, street: string, day: string, followups: FollowupSource = registryFollowups(cases.ctx.db)) {
  if (actor) {
    riskPolicy.assert(actor, 'risk.check.read');
    if (!regionScope(actor).within(street)) throw notFound({ zh: `街道 ${street}`, en: `Street ${street}` });
  }
  const s = await cases.regions.find(street);
  if (!s || s.level !== 'street') throw notFound({ zh: `街道 ${street}`, en: `Street ${street}` });
  const { db } = cases.ctx;
  const from = dayStart(day);
  const to = new Date(from.getTime() + DAY_MS);
  const grids = await cases.regions.gridsUnder(street);
  const [checks] = await db.query<{ checked: number; findings: number; hazards: number }>(
    `SELECT count(*)::int AS checked, coalesce(sum(findings), 0)::int AS findings, coalesce(sum(cardinality(hazard_case_ids)), 0)::int AS hazards
     FROM daily_check WHERE street_code = $1 AND day = $2::date`, [street, day]);
  const [registered] = await db.query<Record<string, number>>(
    `SELECT ${levels.map((l) => `count(*) FILTER (WHERE level = '${l}')::int AS ${l}`).join(', ')},
       count(*) FILTER (WHERE written_off_at >= $2 AND written_off_at < $3)::int AS written_off
     FROM hazard WHERE street_code = $1 AND ((created_at >= $2 AND created_at < $3) OR (written_off_at >= $2 AND written_off_at < $3))`, [street, from, to]);
  const open = await hazardCounts(db, street);
  const alerts = await alertCounts(db, street, from, to);
  const reports = await caseReportsBetween(cases, { regionPrefix: street, from: new Date(from.getTime() - 1), to: new Date(to.getTime() - 1) });
  const due = await followups.due({ regionPrefix: street, asOf: new Date(to.getTime() - 1), intervalDays: 30 });
  const content = {
    street: { code: street, name: s.name }, day,
    checks: { grids: grids.length, checked: checks.checked, missing: grids.length - checks.checked, findings: checks.findings, hazardsRegistered: checks.hazards },
    hazards: {
      registered: Object.fromEntries(levels.map((l) => [l, registered[l] ?? 0])), writtenOff: registered.written_off ?? 0,
      open: Object.fromEntries(levels.map((l) => [l, open.filter((o) => o.level === l).reduce((n, o) => n + o.open, 0)])),
    },
    alerts: {
      raised: alerts.reduce((n, a) => n + a.raised, 0), pending: alerts.reduce((n, a) => n + a.pending, 0),
      byLevel: Object.fromEntries(levels.map((l) => [l, alerts.filter((a) => a.level === l).reduce((n, a) => n + a.raised, 0)])),
      byKind: Object.fromEntries([...new Set(alerts.map((a) => a.kind))].map((k) => [k, alerts.filter((a) => a.kind === k).reduce((n, a) => n + a.raised, 0)])),
    },
    cases: { reported: reports.length },
    keyPersons: { followupsOverdue: due.filter((d) => d.dueOn < day).length },
  };
  const now = cases.ctx.now();
  await db.query(
    `INSERT INTO daily_report (street_code, district_code, day, content, generated_at) VALUES ($1, $2, $3, $4::jsonb, $5)
     ON CONFLICT (street_code, day, district_code) DO UPDATE SET content = EXCLUDED.content, generated_at = EXCLUDED.generated_at`,
    [street, street.slice(0, 6), day, JSON.stringify(content), now]);
  return { ...content, generatedAt: now.toISOString() };
}

/** The streets with anything to report on a day (daily checks, alerts or hazards): the reports made automatically. */
export async function streetsWithActivity(q: Queryable, day: string): Promise<string[]> {
  const from = dayStart(day);
  const to = new Date(from.getTime() + DAY_MS);
  const rows = await q.query<{ s: string }>(
    `SELECT street_code AS s FROM daily_check WHERE day = $1::date AND street_code IS NOT NULL
     UNION SELECT street_code FROM alert WHERE raised_at >= $2 AND raised_at < $3 AND street_code IS NOT NULL
     UNION SELECT street_code FROM hazard WHERE created_at >= $2 AND created_at < $3 AND street_code IS NOT NULL`, [day, from, to]);
  return rows.map((r) => r.s);
}
