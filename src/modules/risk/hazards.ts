// The risk register (隐患 and 不稳定因素): what the case engine does not keep about a hazard — where it came
// from, its kind and level, the responsible unit and person, the control measures — beside a read model
// of its case (number, title, state, lead unit) that case events keep current. A hazard enters the
// register when it is reported as one, when a grid event or ticket is changed into one, or from an alert.
import type { Actor } from '../../platform/auth/actor.ts';
import type { Queryable } from '../../platform/db/index.ts';
import { notFound, unprocessable } from '../../platform/errors.ts';
import { regionLevels, regionPrefixSql } from '../../platform/scope.ts';
import {
  caseItems, categoriesChanged, createCase, findCategory, insertCategory, type CaseDeps, type CaseListItem, type IntakeInput,
} from '../cases/index.ts';
import { riskPolicy, scopeOrUnitSql } from './policy.ts';
import type { HazardCreateT, HazardListQueryT, HazardPatchT } from './contracts.ts';

export const HAZARD_TYPE = 'hazard';
export const levels = ['red', 'orange', 'yellow', 'blue'] as const;
export type Level = (typeof levels)[number];
export const hazardSources = ['daily_check', 'grid_report', 'alert', 'hotline', 'sensor', 'inspection', 'petition', 'weekly_review', 'other'] as const;
export type HazardSource = (typeof hazardSources)[number];

/**
 * The register's categories (a hazard's type), added to the case engine's category tree at start when
 * missing: 安全隐患 and 不稳定因素 as the field reports sort them, and the kinds of alarm sensors raise.
 * Time limits are working hours, like the catalogue's.
 */
export const hazardCategories: Array<{ code: string; zh: string; en: string; hours?: number }> = [
  { code: '60', zh: '风险隐患', en: 'Risks and hazards' },
  { code: '6001', zh: '安全隐患', en: 'Safety hazards' },
  { code: '600101', zh: '消防安全隐患', en: 'Fire safety hazard', hours: 35 },
  { code: '600102', zh: '燃气安全隐患', en: 'Gas safety hazard', hours: 14 },
  { code: '600103', zh: '房屋结构安全隐患', en: 'Structural safety hazard', hours: 70 },
  { code: '600104', zh: '用电安全隐患', en: 'Electrical safety hazard', hours: 35 },
  { code: '600105', zh: '安全生产隐患', en: 'Workplace safety hazard', hours: 70 },
  { code: '600106', zh: '危爆物品隐患', en: 'Dangerous goods hazard', hours: 14 },
  { code: '600107', zh: '地质灾害与防汛隐患', en: 'Geological and flood hazard', hours: 35 },
  { code: '600199', zh: '其他安全隐患', en: 'Other safety hazard', hours: 70 },
  { code: '6002', zh: '不稳定因素', en: 'Factors of instability' },
  { code: '600201', zh: '群体性事件苗头', en: 'Signs of a mass incident', hours: 14 },
  { code: '600202', zh: '欠薪讨薪', en: 'Unpaid wages', hours: 35 },
  { code: '600203', zh: '涉稳矛盾纠纷', en: 'Dispute affecting stability', hours: 70 },
  { code: '600204', zh: '重点人员异常', en: 'Key person of concern', hours: 14 },
  { code: '600299', zh: '其他不稳定因素', en: 'Other factor of instability', hours: 70 },
  { code: '6003', zh: '物联感知告警', en: 'Sensor alarms' },
  { code: '600301', zh: '监测数值越限', en: 'Reading beyond its threshold', hours: 7 },
  { code: '600302', zh: '监测设备离线', en: 'Sensor offline', hours: 14 },
];
const INSTABILITY = '6002';

/** Adds the register's categories the tree lacks (administrators may rename or retime them; they stay as edited). */
export async function ensureHazardCategories(db: Queryable): Promise<number> {
  let added = 0;
  for (const c of hazardCategories) {
    if (await findCategory(db, c.code)) continue;
    await insertCategory(db, {
      code: c.code, parentCode: c.code.length > 2 ? c.code.slice(0, c.code.length - 2) : null as unknown as string, nameZh: c.zh, nameEn: c.en,
      caseTypes: c.hours ? [HAZARD_TYPE] : [], limitMinutes: c.hours ? c.hours * 60 : null, filingCondition: null,
      closingCondition: c.hours ? '隐患已消除或管控措施落实到位，经属地核查确认' : null, defaultUnitKey: c.hours ? 'street' : null,
    });
    added++;
  }
  if (added) categoriesChanged();
  return added;
}

/** What a case that becomes a hazard without register details gets: its kind from its category, its level from its urgency. */
export function registerDefaults(item: Pick<CaseListItem, 'categoryCode' | 'urgency' | 'channel'>): { kind: 'hazard' | 'instability'; level: Level; source: HazardSource } {
  const level: Level = item.urgency === 'emergency' ? 'red' : item.urgency === 'urgent' ? 'orange' : 'yellow';
  const source: HazardSource = item.channel === 'hotline' ? 'hotline' : item.channel === 'grid_patrol' ? 'grid_report'
    : item.channel === 'sensor' ? 'sensor' : item.channel === 'petition' ? 'petition' : 'other';
  return { kind: item.categoryCode.startsWith(INSTABILITY) ? 'instability' : 'hazard', level, source };
}

export interface RegisterDetails {
  kind?: 'hazard' | 'instability'; source?: HazardSource; level?: Level; location?: string | null;
  responsibleUnitId?: string | null; responsibleUserId?: number | null; responsibleName?: string | null;
  measures?: string | null; rectifyBy?: string | null; alertId?: number | null;
}

/**
 * The register entry of a hazard case: created from the case (and the details given) when missing, its
 * read model of the case refreshed when present. Idempotent, so every process may run it for an event.
 */
export async function upsertRegisterEntry(q: Queryable, item: CaseListItem, details: RegisterDetails, actorId: number | null, now: Date): Promise<boolean> {
  const given = Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined)) as RegisterDetails;
  const d = { ...registerDefaults(item), ...given };
  const lv = regionLevels(item.regionCode);
  const rows = await q.query<{ inserted: boolean }>(
    `INSERT INTO hazard (case_id, district_code, region_code, street_code, community_code, case_no, title, state, is_open, lead_unit_id, kind, source,
       hazard_type, level, location, lat, lng, responsible_unit_id, responsible_user_id, responsible_name, measures, rectify_by, alert_id,
       created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $25)
     ON CONFLICT (case_id, district_code) DO UPDATE SET case_no = EXCLUDED.case_no, title = EXCLUDED.title, state = EXCLUDED.state,
       is_open = EXCLUDED.is_open, lead_unit_id = EXCLUDED.lead_unit_id, region_code = EXCLUDED.region_code, street_code = EXCLUDED.street_code,
       community_code = EXCLUDED.community_code, hazard_type = EXCLUDED.hazard_type
     RETURNING (xmax = 0) AS inserted`,
    [item.id, lv.district, item.regionCode, lv.street, lv.community, item.caseNo, item.title, item.state, item.isOpen, item.leadUnitId,
      d.kind, d.source, item.categoryCode, d.level, d.location ?? item.address, item.lat, item.lng, d.responsibleUnitId ?? null,
      d.responsibleUserId ?? null, d.responsibleName ?? null, d.measures ?? null, d.rectifyBy ?? null, d.alertId ?? null, actorId, now]);
  const inserted = !!rows[0]?.inserted;
  if (inserted) await recordChange(q, item.id, lv.district, actorId, now, 'registered', { ...d, categoryCode: item.categoryCode });
  return inserted;
}

export async function recordChange(q: Queryable, caseId: number, district: string, actorId: number | null, at: Date, what: string, changes: Record<string, unknown>): Promise<void> {
  await q.query('INSERT INTO hazard_change (case_id, district_code, actor_id, at, what, changes) VALUES ($1, $2, $3, $4, $5, $6::jsonb)',
    [caseId, district, actorId, at, what, JSON.stringify(changes)]);
}

/** Refreshes the register's read model of these cases from the engine (after case events). */
export async function syncRegister(cases: CaseDeps, ids: number[]): Promise<number> {
  const items = await caseItems(cases, ids);
  let n = 0;
  for (const item of items.values()) {
    if (item.type !== HAZARD_TYPE) continue;
    await upsertRegisterEntry(cases.ctx.db, item, {}, null, cases.ctx.now());
    n++;
  }
  return n;
}

/**
 * 登记隐患: a hazard case through the engine's intake, and its register entry with the details given, as
 * one 'registered' fact. (Intake's subscribers are not run: the register is written here, and the rules
 * over reports do not watch hazards.)
 */
export async function registerHazard(cases: CaseDeps, actor: Actor, input: HazardCreateT) {
  riskPolicy.assert(actor, 'risk.register.write');
  const { kind, source, level, responsibleUnitId, responsibleUserId, responsibleName, measures, rectifyBy, ...intake } = input;
  const urgency = level === 'red' ? 'emergency' : level === 'orange' ? 'urgent' : 'normal';
  const details: RegisterDetails = { kind, source, level, responsibleUnitId, responsibleUserId, responsibleName, measures, rectifyBy, location: intake.address };
  const db = cases.ctx.db;
  if (responsibleUnitId) await assertUnit(db, responsibleUnitId);
  if (responsibleUserId) await assertUser(db, responsibleUserId);
  // the register entry is written here, with its details, rather than by the intake's subscriber
  const result = await createCase(cases, actor, { ...intake, type: HAZARD_TYPE, urgency } as IntakeInput, undefined, { followUps: false });
  const item = (await caseItems(cases, [result.caseId])).get(result.caseId)!;
  await upsertRegisterEntry(db, item, details, actor.id, cases.ctx.now());
  return getHazard(cases, actor, result.caseId);
}

const columnOf: Record<string, string> = {
  kind: 'kind', source: 'source', level: 'level', location: 'location', responsibleUnitId: 'responsible_unit_id',
  responsibleUserId: 'responsible_user_id', responsibleName: 'responsible_name', measures: 'measures', rectifyBy: 'rectify_by',
};

async function applyDetails(tx: Queryable, caseId: number, district: string, details: RegisterDetails, actorId: number, now: Date): Promise<void> {
  const set: string[] = [];
  const params: unknown[] = [caseId, district, now];
  const changed: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) {
    if (v === undefined || !columnOf[k]) continue;
    params.push(v);
    set.push(`${columnOf[k]} = $${params.length}`);
    changed[k] = v;
  }
  if (details.responsibleUnitId) await assertUnit(tx, details.responsibleUnitId);
  if (details.responsibleUserId) await assertUser(tx, details.responsibleUserId);
  if (!set.length) return;
  await tx.query(`UPDATE hazard SET ${set.join(', ')}, updated_at = $3 WHERE case_id = $1 AND district_code = $2`, params);
  await recordChange(tx, caseId, district, actorId, now, 'edited', changed);
}

async function assertUnit(q: Queryable, id: string): Promise<void> {
  const [u] = await q.query('SELECT 1 FROM unit WHERE id = $1 AND active', [id]);
  if (!u) throw unprocessable('unknown_unit', { zh: `单位 ${id} 不存在。`, en: `Unit ${id} does not exist.` });
}

async function assertUser(q: Queryable, id: number): Promise<void> {
  const [u] = await q.query('SELECT 1 FROM app_user WHERE id = $1 AND active', [id]);
  if (!u) throw unprocessable('unknown_user', { zh: `用户 ${id} 不存在。`, en: `User ${id} does not exist.` });
}

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);
const day = (d: unknown) => (d ? (d instanceof Date ? new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 10) : String(d).slice(0, 10)) : null);

function hazardView(r: any, item?: CaseListItem) {
  return {
    caseId: Number(r.case_id), caseNo: r.case_no, title: r.title, regionCode: r.region_code, regionName: r.region_name ?? null,
    kind: r.kind, source: r.source, hazardType: r.hazard_type, level: r.level, location: r.location, lat: r.lat, lng: r.lng,
    responsibleUnitId: r.responsible_unit_id, responsibleUnitName: r.unit_name ?? null, responsibleUserId: r.responsible_user_id == null ? null : Number(r.responsible_user_id),
    responsibleName: r.responsible_name, measures: r.measures, rectifyBy: r.rectify_by_text ?? day(r.rectify_by), alertId: r.alert_id == null ? null : Number(r.alert_id),
    writtenOffAt: iso(r.written_off_at), createdAt: iso(r.created_at), updatedAt: iso(r.updated_at),
    state: item?.state ?? r.state, stateLabel: item?.stateLabel ?? null, isOpen: item?.isOpen ?? r.is_open, leadUnitId: item?.leadUnitId ?? r.lead_unit_id,
    sla: item?.sla ?? null, supervised: item?.supervised ?? false,
  };
}

const SELECT = `SELECT h.*, to_char(h.rectify_by, 'YYYY-MM-DD') AS rectify_by_text, r.name AS region_name, u.name AS unit_name
  FROM hazard h LEFT JOIN region r ON r.code = h.region_code LEFT JOIN unit u ON u.id = h.responsible_unit_id`;

export async function listHazards(cases: CaseDeps, actor: Actor, q: HazardListQueryT) {
  riskPolicy.assert(actor, 'risk.read');
  const params: unknown[] = [];
  const where = [scopeOrUnitSql(actor, 'h', params, ['responsible_unit_id', 'lead_unit_id'])];
  if (q.region) where.push(regionPrefixSql(q.region, 'h', params, true));
  for (const [key, col] of [['level', 'level'], ['kind', 'kind'], ['source', 'source']] as const) {
    if (q[key]?.length) { params.push(q[key]); where.push(`h.${col} = ANY($${params.length}::text[])`); }
  }
  if (q.open) where.push(q.open === 'true' ? 'h.is_open' : 'NOT h.is_open');
  if (q.hazardType) { params.push(`${q.hazardType}%`); where.push(`h.hazard_type LIKE $${params.length}`); }
  const whereSql = where.join(' AND ');
  const rows = await cases.ctx.db.query<any>(
    `${SELECT} WHERE ${whereSql}
     ORDER BY array_position(ARRAY['red','orange','yellow','blue'], h.level), h.case_id DESC LIMIT ${q.pageSize + 1} OFFSET ${(q.page - 1) * q.pageSize}`, params);
  const page = rows.slice(0, q.pageSize);
  const items = await caseItems(cases, page.map((r) => Number(r.case_id)));
  const [{ n }] = await cases.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM hazard h WHERE ${whereSql}`, params);
  const [counts] = await cases.ctx.db.query<Record<Level, number>>(
    `SELECT ${levels.map((l) => `count(*) FILTER (WHERE h.level = '${l}')::int AS ${l}`).join(', ')} FROM hazard h WHERE ${whereSql}`, params);
  return { items: page.map((r) => hazardView(r, items.get(Number(r.case_id)))), page: q.page, pageSize: q.pageSize, hasMore: rows.length > q.pageSize, total: n, byLevel: counts };
}

async function loadHazard(q: Queryable, actor: Actor, caseId: number): Promise<any> {
  const params: unknown[] = [caseId];
  const [row] = await q.query<any>(`${SELECT} WHERE h.case_id = $1 AND ${scopeOrUnitSql(actor, 'h', params, ['responsible_unit_id', 'lead_unit_id'])}`, params);
  if (!row) throw notFound({ zh: `隐患 ${caseId}`, en: `Hazard ${caseId}` });
  return row;
}

export async function getHazard(cases: CaseDeps, actor: Actor, caseId: number) {
  riskPolicy.assert(actor, 'risk.read');
  const row = await loadHazard(cases.ctx.db, actor, caseId);
  const item = (await caseItems(cases, [caseId])).get(caseId);
  const changes = await cases.ctx.db.query<any>(
    `SELECT c.id, c.actor_id, u.display_name AS actor_name, c.at, c.what, c.changes FROM hazard_change c LEFT JOIN app_user u ON u.id = c.actor_id
     WHERE c.case_id = $1 AND c.district_code = $2 ORDER BY c.id`, [caseId, row.district_code]);
  return {
    ...hazardView(row, item),
    history: changes.map((c) => ({ id: Number(c.id), actorId: c.actor_id == null ? null : Number(c.actor_id), actorName: c.actor_name ?? null, at: iso(c.at), what: c.what, changes: c.changes })),
  };
}

/** Edits the register entry (level, responsible person, measures …); each edit is a recorded change. */
export async function patchHazard(cases: CaseDeps, actor: Actor, caseId: number, patch: HazardPatchT) {
  riskPolicy.assert(actor, 'risk.register.write');
  await cases.ctx.db.transaction(async (tx) => {
    const params: unknown[] = [caseId];
    // only the territory edits the register; the responsible unit reports measures through the case
    const [row] = await tx.query<any>(`SELECT h.case_id, h.district_code FROM hazard h WHERE h.case_id = $1 AND ${scopeOrUnitSql(actor, 'h', params, [])} FOR UPDATE`, params);
    if (!row) throw notFound({ zh: `隐患 ${caseId}`, en: `Hazard ${caseId}` });
    await applyDetails(tx, caseId, row.district_code, patch, actor.id, cases.ctx.now());
  });
  return getHazard(cases, actor, caseId);
}

/** Open hazards by level and kind under a region (for the weekly assessment's agenda and the daily report). */
export async function hazardCounts(q: Queryable, regionPrefix: string) {
  const params: unknown[] = [];
  const where = regionPrefixSql(regionPrefix, 'h', params, true);
  return q.query<{ level: Level; kind: string; open: number; total: number }>(
    `SELECT h.level, h.kind, count(*) FILTER (WHERE h.is_open)::int AS open, count(*)::int AS total FROM hazard h WHERE ${where} GROUP BY 1, 2`, params);
}
