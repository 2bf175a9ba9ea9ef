// Rules as data: created and edited in the console by the command centre (its district) or a street
// centre (its street). Every edit is a new version, kept; alerts name the version that raised them.
import type { Actor } from '../../../platform/auth/actor.ts';
import type { Db, Queryable } from '../../../platform/db/index.ts';
import { AppError, notFound, unprocessable } from '../../../platform/errors.ts';
import { firstIssueZh } from '../../../platform/fields.ts';
import { appendEvent } from '../../../platform/events/index.ts';
import { regionScope } from '../../../platform/scope.ts';
import { riskPolicy } from '../policy.ts';
import { paramSchemas, type RuleDef, type RuleKind } from './kinds.ts';
import type { RuleCreateT, RulePatchT } from '../contracts.ts';

export interface RuleRow extends RuleDef { name: string; unitId: string | null; enabled: boolean; createdBy: number | null; updatedAt: Date }

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

export function toRule(r: any): RuleRow {
  return {
    id: Number(r.id), version: r.version, districtCode: r.district_code, regionCode: r.region_code, kind: r.kind, level: r.level, params: r.params,
    name: r.name, unitId: r.unit_id, enabled: r.enabled, createdBy: r.created_by == null ? null : Number(r.created_by), updatedAt: new Date(r.updated_at),
  };
}

function ruleView(r: any) {
  const rule = toRule(r);
  return { ...rule, regionName: r.region_name ?? null, unitName: r.unit_name ?? null, updatedAt: iso(r.updated_at), createdAt: iso(r.created_at) };
}

/** The parameters of a kind, checked by its schema, with its defaults filled in: a 422 naming each problem. */
export function checkParams(kind: RuleKind, params: unknown): Record<string, unknown> {
  const r = paramSchemas[kind].safeParse(params ?? {});
  if (r.success) return r.data as Record<string, unknown>;
  const errors = r.error.issues.slice(0, 20).map((i) => ({ path: ['params', ...i.path.map(String)].join('.'), message: i.message }));
  const zh = firstIssueZh(paramSchemas[kind], params ?? {});
  throw new AppError(422, 'invalid_rule_params', { zh: `${kind} 规则的参数无效：${zh ? `${zh.path} — ${zh.message}` : errors[0].path}`, en: `The ${kind} rule's parameters are not valid: ${errors[0].path} — ${errors[0].message}` }, { errors });
}

/** Rules the actor may read: those of its region and below, and those of the regions above that apply to it. */
function visibleSql(actor: Actor, params: unknown[]): string {
  params.push(`${actor.regionCode}%`, actor.regionCode);
  return `(r.region_code LIKE $${params.length - 1} OR $${params.length} LIKE r.region_code || '%')`;
}

const SELECT = `SELECT r.*, g.name AS region_name, u.name AS unit_name FROM alert_rule r
  LEFT JOIN region g ON g.code = r.region_code LEFT JOIN unit u ON u.id = r.unit_id`;

export async function listRules(db: Queryable, actor: Actor, q: { kind?: string; enabled?: string }) {
  riskPolicy.assert(actor, 'risk.rule.read');
  const params: unknown[] = [];
  const where = [visibleSql(actor, params)];
  if (q.kind) { params.push(q.kind); where.push(`r.kind = $${params.length}`); }
  if (q.enabled) where.push(q.enabled === 'true' ? 'r.enabled' : 'NOT r.enabled');
  const rows = await db.query<any>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY r.region_code, r.id LIMIT 1000`, params);
  return { items: rows.map((r) => ({ ...ruleView(r), editable: regionScope(actor).within(r.region_code) && riskPolicy.can(actor, 'risk.rule.write') })) };
}

async function loadRule(q: Queryable, actor: Actor, id: number, lock = false): Promise<any> {
  const params: unknown[] = [id];
  const [row] = await q.query<any>(lock ? `SELECT r.* FROM alert_rule r WHERE r.id = $1 AND ${visibleSql(actor, params)} FOR UPDATE`
    : `${SELECT} WHERE r.id = $1 AND ${visibleSql(actor, params)}`, params);
  if (!row) throw notFound({ zh: `规则 ${id}`, en: `Rule ${id}` });
  return row;
}

export async function getRule(db: Queryable, actor: Actor, id: number) {
  riskPolicy.assert(actor, 'risk.rule.read');
  const row = await loadRule(db, actor, id);
  const versions = await db.query<any>(
    `SELECT v.*, u.display_name AS actor_name FROM alert_rule_version v LEFT JOIN app_user u ON u.id = v.actor_id
     WHERE v.rule_id = $1 AND v.district_code = $2 ORDER BY v.version DESC`, [id, row.district_code]);
  return {
    ...ruleView(row), editable: regionScope(actor).within(row.region_code) && riskPolicy.can(actor, 'risk.rule.write'),
    versions: versions.map((v) => ({
      version: v.version, name: v.name, kind: v.kind, level: v.level, params: v.params, unitId: v.unit_id, enabled: v.enabled, note: v.note,
      actorId: v.actor_id == null ? null : Number(v.actor_id), actorName: v.actor_name ?? null, at: iso(v.at),
    })),
  };
}

async function assertRegion(q: Queryable, actor: Actor, code: string): Promise<void> {
  if (!regionScope(actor).within(code)) throw new AppError(404, 'not_found', { zh: `区划 ${code} 不存在。`, en: `Region ${code} was not found.` });
  const [r] = await q.query<{ level: string }>('SELECT level FROM region WHERE code = $1', [code]);
  if (!r) throw unprocessable('unknown_region', { zh: `区划 ${code} 不存在。`, en: `Region ${code} does not exist.` });
  if (!['district', 'street', 'community'].includes(r.level)) throw unprocessable('region_level', { zh: `规则只能适用于区县、街道或社区。`, en: 'A rule applies to a district, a street or a community.' });
}

async function assertUnit(q: Queryable, id: string | null | undefined): Promise<void> {
  if (!id) return;
  const [u] = await q.query('SELECT 1 FROM unit WHERE id = $1 AND active', [id]);
  if (!u) throw unprocessable('unknown_unit', { zh: `单位 ${id} 不存在。`, en: `Unit ${id} does not exist.` });
}

async function writeVersion(tx: Queryable, r: any, actorId: number, at: Date, note: string | null): Promise<void> {
  await tx.query(
    `INSERT INTO alert_rule_version (rule_id, district_code, version, name, kind, level, params, unit_id, enabled, note, actor_id, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12)`,
    [r.id, r.district_code, r.version, r.name, r.kind, r.level, JSON.stringify(r.params), r.unit_id, r.enabled, note, actorId, at]);
  await appendEvent(tx, { topic: 'alert_rule.changed', regionCode: r.region_code, payload: { ruleId: Number(r.id), version: r.version } });
}

export async function createRule(db: Db, actor: Actor, input: RuleCreateT, now: Date) {
  riskPolicy.assert(actor, 'risk.rule.write');
  const regionCode = input.regionCode ?? actor.regionCode;
  await assertRegion(db, actor, regionCode);
  await assertUnit(db, input.unitId);
  const params = checkParams(input.kind, input.params);
  const id = await db.transaction(async (tx) => {
    const [r] = await tx.query<any>(
      `INSERT INTO alert_rule (district_code, region_code, version, name, kind, level, params, unit_id, enabled, created_by, created_at, updated_at)
       VALUES ($1, $2, 1, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $10) RETURNING *`,
      [regionCode.slice(0, 6), regionCode, input.name, input.kind, input.level, JSON.stringify(params), input.unitId ?? null, input.enabled, actor.id, now]);
    await writeVersion(tx, r, actor.id, now, input.note ?? null);
    return Number(r.id);
  });
  return getRule(db, actor, id);
}

/** An edit: the next version (kind and region stay; a different kind is a different rule). */
export async function updateRule(db: Db, actor: Actor, id: number, patch: RulePatchT, now: Date) {
  riskPolicy.assert(actor, 'risk.rule.write');
  await db.transaction(async (tx) => {
    const cur = await loadRule(tx, actor, id, true);
    if (!regionScope(actor).within(cur.region_code)) throw new AppError(403, 'forbidden', { zh: `该规则属于您的上级区域，请联系上级修改。`, en: 'This rule belongs to a region above yours; ask that region to change it.' });
    if (patch.version != null && patch.version !== cur.version) {
      throw new AppError(409, 'rule_changed', { zh: `该规则已被他人修改（当前为第 ${cur.version} 版），请刷新后重新编辑。`, en: `The rule was changed meanwhile (now version ${cur.version}); reload it and edit again.` }, { version: cur.version });
    }
    const params = patch.params === undefined ? cur.params : checkParams(cur.kind, patch.params);
    if (patch.unitId) await assertUnit(tx, patch.unitId);
    const next = {
      ...cur, version: cur.version + 1, name: patch.name ?? cur.name, level: patch.level ?? cur.level, params,
      unit_id: patch.unitId === undefined ? cur.unit_id : patch.unitId, enabled: patch.enabled ?? cur.enabled,
    };
    await tx.query(
      `UPDATE alert_rule SET version = $3, name = $4, level = $5, params = $6::jsonb, unit_id = $7, enabled = $8, updated_at = $9
       WHERE id = $1 AND district_code = $2`,
      [id, cur.district_code, next.version, next.name, next.level, JSON.stringify(params), next.unit_id, next.enabled, now]);
    await writeVersion(tx, next, actor.id, now, patch.note ?? null);
  });
  return getRule(db, actor, id);
}

/** Every enabled rule (the live engine's set). */
export async function enabledRules(db: Queryable): Promise<RuleRow[]> {
  return (await db.query<any>('SELECT * FROM alert_rule WHERE enabled ORDER BY id')).map(toRule);
}

/** A rule as the back-test runs it: a saved rule (optionally one of its versions) the actor may read. */
export async function ruleForBacktest(db: Queryable, actor: Actor, id: number, version?: number): Promise<RuleRow> {
  riskPolicy.assert(actor, 'risk.rule.read');
  const row = await loadRule(db, actor, id);
  if (version == null || version === row.version) return toRule(row);
  const [v] = await db.query<any>('SELECT * FROM alert_rule_version WHERE rule_id = $1 AND district_code = $2 AND version = $3', [id, row.district_code, version]);
  if (!v) throw notFound({ zh: `规则 ${id} 的第 ${version} 版`, en: `Version ${version} of rule ${id}` });
  return toRule({ ...row, ...v, id: row.id, version: v.version });
}

/** Ready-made rules a district starts from (the console's "add from template"; the demo city's set). */
export const ruleTemplates: Array<{ key: string; name: { zh: string; en: string }; kind: RuleKind; level: string; params: Record<string, unknown> }> = [
  { key: 'similar_in_grid', name: { zh: '同一网格7天内同类事件≥3件', en: '3+ similar cases in a grid within 7 days' }, kind: 'case_threshold', level: 'yellow', params: { minCases: 3, days: 7, area: 'grid' } },
  { key: 'street_surge', name: { zh: '街道事件量较前四周均值翻倍', en: 'A street\'s cases double against the last four weeks' }, kind: 'case_surge', level: 'orange', params: { windowDays: 7, baselineWindows: 4, factor: 2, minCases: 10, area: 'street' } },
  { key: 'stability_words', name: { zh: '涉稳关键词', en: 'Words that signal instability' }, kind: 'keyword', level: 'red', params: { keywords: ['群体', '跳楼', '讨薪', '集访', '上访', '堵路', '自杀', '拉横幅', '聚集'] } },
  { key: 'repeat_caller', name: { zh: '同一人30天内反映≥3次', en: 'One person reports 3+ times in 30 days' }, kind: 'repeat', level: 'yellow', params: { by: 'reporter', minCases: 3, days: 30 } },
  { key: 'repeat_address', name: { zh: '同一地址30天内≥3件', en: 'One address 3+ times in 30 days' }, kind: 'repeat', level: 'yellow', params: { by: 'address', minCases: 3, days: 30 } },
  { key: 'urgent_overdue', name: { zh: '紧急件超期', en: 'An urgent case overdue' }, kind: 'urgent_overdue', level: 'orange', params: { urgencies: ['urgent', 'emergency'] } },
  { key: 'unit_overdue', name: { zh: '单位7天内超期≥5件', en: 'A unit lets 5+ steps run out in 7 days' }, kind: 'unit_overdue_surge', level: 'yellow', params: { minOverdue: 5, days: 7 } },
  { key: 'returned', name: { zh: '案件被退回≥2次', en: 'A case returned twice or more' }, kind: 'returned_repeatedly', level: 'yellow', params: { minReturns: 2 } },
  { key: 'hotspot', name: { zh: '热点问题涌现', en: 'A hotspot emerges' }, kind: 'hotspot', level: 'orange', params: { minCases: 3, days: 7, minHeat: 0 } },
  { key: 'followup_overdue', name: { zh: '重点人员跟踪帮扶超期', en: 'A key person\'s follow-up is overdue' }, kind: 'followup_overdue', level: 'orange', params: { graceDays: 0, intervalDays: 30 } },
  { key: 'dispute_risk', name: { zh: '矛盾纠纷民转刑风险高', en: 'A dispute at high risk of turning criminal' }, kind: 'dispute_risk', level: 'red', params: { minScore: 70 } },
  { key: 'gas', name: { zh: '可燃气体浓度超标', en: 'Combustible gas above its limit' }, kind: 'sensor_threshold', level: 'red', params: { sensorType: '02', metric: 'lel', op: 'gte', value: 20, quietMinutes: 30, autoCase: { categoryCode: '600301' } } },
  { key: 'water_level', name: { zh: '水位超警戒', en: 'Water above its warning level' }, kind: 'sensor_threshold', level: 'orange', params: { sensorType: '03', metric: 'level', op: 'gte', value: 2.5, quietMinutes: 60 } },
  { key: 'manhole', name: { zh: '井盖位移', en: 'Manhole cover displaced' }, kind: 'sensor_threshold', level: 'orange', params: { sensorType: '04', metric: 'tilt', op: 'gte', value: 15, quietMinutes: 60 } },
  { key: 'offline', name: { zh: '感知设备离线30分钟', en: 'A sensor silent for 30 minutes' }, kind: 'sensor_offline', level: 'blue', params: { minutes: 30 } },
];

/** Adds the templates as rules of a district (the demo city; a new district from the console). */
export async function addTemplateRules(db: Db, actor: Actor, keys: string[] | 'all', now: Date, regionCode = actor.regionCode) {
  const chosen = ruleTemplates.filter((t) => keys === 'all' || keys.includes(t.key));
  const out = [];
  for (const t of chosen) {
    out.push(await createRule(db, actor, { name: t.name.zh, kind: t.kind, level: t.level as RuleCreateT['level'], params: t.params, regionCode, enabled: true }, now));
  }
  return out;
}
