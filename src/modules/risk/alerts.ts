// Alerts: the platform's one alert mechanism (DESIGN §3). A rule's candidate becomes an alert when its
// subject is not in a quiet period; the alert, its first fact and its event are written in one
// transaction, and the event reaches the responsible unit's and the command centre's consoles over SSE.
// Handling — acknowledge, assign, turn into a case, dismiss with a reason — is recorded step by step.
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db, Queryable } from '../../platform/db/index.ts';
import { conflict, notFound, unprocessable } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/index.ts';
import { regionLevels, regionPrefixSql } from '../../platform/scope.ts';
import { riskPolicy, scopeOrUnitSql } from './policy.ts';
import type { Candidate, RuleDef } from './rules/kinds.ts';
import type { AlertListQueryT } from './contracts.ts';

export const alertStatuses = ['open', 'acknowledged', 'assigned', 'converted', 'dismissed'] as const;
export type AlertStatus = (typeof alertStatuses)[number];
/** Statuses in which an alert still wants someone's attention. */
export const pendingStatuses: AlertStatus[] = ['open', 'acknowledged', 'assigned'];

export interface RaisedAlert {
  id: number; districtCode: string; regionCode: string; ruleId: number; ruleVersion: number; kind: string; level: string; subject: string;
  responsibleUnitId: string | null; triggeredAt: Date; raisedAt: Date;
}

/** The unit an alert goes to when its rule names none: the street's 综治中心, else the district's command centre. */
export async function territorialUnit(q: Queryable, regionCode: string): Promise<string | null> {
  const street = regionCode.length >= 9 ? regionCode.slice(0, 9) : null;
  const rows = await q.query<{ id: string; kind: string }>(
    `SELECT id, kind FROM unit WHERE active AND ((kind = 'street_centre' AND region_code = $1) OR (kind = 'command_centre' AND region_code = $2))
     ORDER BY kind = 'street_centre' DESC, id LIMIT 1`, [street, regionCode.slice(0, 6)]);
  return rows[0]?.id ?? null;
}

const unitCache = new Map<string, { id: string | null; until: number }>();
async function responsibleUnit(q: Queryable, rule: RuleDef & { unitId?: string | null }, regionCode: string): Promise<string | null> {
  if (rule.unitId) return rule.unitId;
  const hit = unitCache.get(regionCode.slice(0, 9));
  if (hit && hit.until > Date.now()) return hit.id;
  const id = await territorialUnit(q, regionCode);
  unitCache.set(regionCode.slice(0, 9), { id, until: Date.now() + 60_000 });
  return id;
}

/**
 * Raises the candidate unless its subject is quiet. The quiet period is claimed by an upsert that only
 * succeeds once it has passed, so processes evaluating the same event raise one alert between them. The
 * claim, the alert, its first fact and its event are one statement (one round trip, one implicit
 * transaction): an alert is there whole or not at all, and reaches the consoles as fast as the database
 * answers once.
 */
export async function raiseAlert(db: Db, rule: RuleDef & { unitId?: string | null }, c: Candidate, now: Date): Promise<{ alert: RaisedAlert | null; quietUntil: Date | null }> {
  const unitId = await responsibleUnit(db, rule, c.regionCode);
  const lv = regionLevels(c.regionCode);
  const eventUnits = [unitId, c.unitId].filter((u): u is string => !!u);
  const payload = { kind: rule.kind, level: rule.level, ruleId: rule.id, regionCode: c.regionCode, facts: c.facts, triggeredAt: c.at.toISOString() };
  const rows = await db.query<{ id: number }>(
    `WITH claim AS (
       INSERT INTO alert_subject (rule_id, district_code, subject, raised_at, quiet_until) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (rule_id, subject, district_code) DO UPDATE SET raised_at = EXCLUDED.raised_at, quiet_until = EXCLUDED.quiet_until
       WHERE alert_subject.quiet_until IS NOT NULL AND alert_subject.quiet_until <= EXCLUDED.raised_at
       RETURNING 1
     ), a AS (
       INSERT INTO alert (district_code, region_code, street_code, community_code, rule_id, rule_version, kind, level, subject, facts, case_ids, device_id,
         label_id, unit_id, responsible_unit_id, triggered_at, raised_at, updated_at)
       SELECT $2::text, $6::text, $7::text, $8::text, $1::bigint, $9::int, $10::text, $11::text, $3::text, $12::jsonb, $13::bigint[], $14::bigint,
         $15::bigint, $16::text, $17::text, $4::timestamptz, $18::timestamptz, $18::timestamptz FROM claim
       RETURNING id
     ), act AS (
       INSERT INTO alert_action (alert_id, district_code, action, actor_id, unit_id, data, at)
       SELECT a.id, $2::text, 'raise', NULL::bigint, $17::text, jsonb_build_object('ruleId', $1::bigint, 'ruleVersion', $9::int), $18::timestamptz FROM a
     ), ev AS (
       INSERT INTO outbox (topic, region_code, unit_ids, user_ids, payload)
       SELECT 'alert.raised', $6::text, $19::text[], '{}'::bigint[], jsonb_build_object('alertId', a.id) || $20::jsonb FROM a
     )
     SELECT id FROM a`,
    [rule.id, rule.districtCode, c.subject, c.at, c.quietUntil, c.regionCode, lv.street, lv.community, rule.version, rule.kind, rule.level,
      JSON.stringify(c.facts), c.caseIds ?? [], c.deviceId ?? null, c.labelId ?? null, c.unitId ?? null, unitId, now, eventUnits, JSON.stringify(payload)]);
  if (!rows.length) {
    const [q] = await db.query<{ quiet_until: Date | null }>('SELECT quiet_until FROM alert_subject WHERE rule_id = $1 AND subject = $2 AND district_code = $3',
      [rule.id, c.subject, rule.districtCode]);
    return { alert: null, quietUntil: q?.quiet_until ? new Date(q.quiet_until) : null };
  }
  return {
    quietUntil: c.quietUntil,
    alert: {
      id: Number(rows[0].id), districtCode: rule.districtCode, regionCode: c.regionCode, ruleId: rule.id, ruleVersion: rule.version, kind: rule.kind,
      level: rule.level, subject: c.subject, responsibleUnitId: unitId, triggeredAt: c.at, raisedAt: now,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Reading and handling

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

/** An alert a rule turned into a case by itself (autoCase): its convert step says so. */
const AUTO_CONVERTED = `EXISTS (SELECT 1 FROM alert_action x WHERE x.alert_id = a.id AND x.district_code = a.district_code AND x.action = 'convert' AND x.data->>'auto' = 'true')`;
/** How long an alert turned into a case by its rule stays in the inbox, beside those waiting for a person. */
export const AUTO_CONVERTED_INBOX_DAYS = 7;

const SELECT = `SELECT a.*, r.name AS region_name, ru.name AS rule_name, u.name AS unit_name, au.name AS assigned_unit_name,
    h.case_no, ${AUTO_CONVERTED} AS auto_converted
  FROM alert a LEFT JOIN region r ON r.code = a.region_code
  LEFT JOIN hazard h ON h.case_id = a.case_id AND h.district_code = a.district_code
  LEFT JOIN alert_rule ru ON ru.id = a.rule_id AND ru.district_code = a.district_code
  LEFT JOIN unit u ON u.id = a.responsible_unit_id LEFT JOIN unit au ON au.id = a.assigned_unit_id`;

function alertView(r: any) {
  return {
    id: Number(r.id), regionCode: r.region_code, regionName: r.region_name ?? null, ruleId: Number(r.rule_id), ruleVersion: r.rule_version,
    ruleName: r.rule_name ?? null, kind: r.kind, level: r.level, subject: r.subject, facts: r.facts ?? {}, caseIds: (r.case_ids ?? []).map(Number),
    deviceId: r.device_id == null ? null : Number(r.device_id), labelId: r.label_id == null ? null : Number(r.label_id), unitId: r.unit_id,
    status: r.status as AlertStatus, responsibleUnitId: r.responsible_unit_id, responsibleUnitName: r.unit_name ?? null,
    assignedUnitId: r.assigned_unit_id, assignedUnitName: r.assigned_unit_name ?? null, caseId: r.case_id == null ? null : Number(r.case_id),
    /** the number of the case it was turned into, and whether its rule did that by itself (规则自动转案件) */
    caseNo: r.case_no ?? null, autoConverted: r.auto_converted === true,
    triggeredAt: iso(r.triggered_at), raisedAt: iso(r.raised_at), updatedAt: iso(r.updated_at),
  };
}
export type AlertView = ReturnType<typeof alertView>;

const UNIT_COLUMNS = ['responsible_unit_id', 'assigned_unit_id'];

export async function listAlerts(db: Queryable, actor: Actor, q: AlertListQueryT, now: Date) {
  riskPolicy.assert(actor, 'risk.read');
  const params: unknown[] = [];
  const where = [scopeOrUnitSql(actor, 'a', params, UNIT_COLUMNS)];
  if (q.region) where.push(regionPrefixSql(q.region, 'a', params, true));
  if (q.status?.length) { params.push(q.status); where.push(`a.status = ANY($${params.length}::text[])`); }
  if (q.pending === 'true') where.push(`a.status IN ('open', 'acknowledged', 'assigned')`);
  // the inbox: what waits for a person, and what a rule turned into a case by itself lately (so the command
  // centre sees it happened and can follow the case)
  if (q.inbox === 'true') {
    params.push(new Date(now.getTime() - AUTO_CONVERTED_INBOX_DAYS * 86_400_000));
    where.push(`(a.status IN ('open', 'acknowledged', 'assigned') OR (a.status = 'converted' AND a.updated_at >= $${params.length} AND ${AUTO_CONVERTED}))`);
  }
  if (q.level?.length) { params.push(q.level); where.push(`a.level = ANY($${params.length}::text[])`); }
  if (q.kind?.length) { params.push(q.kind); where.push(`a.kind = ANY($${params.length}::text[])`); }
  if (q.ruleId) { params.push(q.ruleId); where.push(`a.rule_id = $${params.length}`); }
  if (q.deviceId) { params.push(q.deviceId); where.push(`a.device_id = $${params.length}`); }
  if (q.from) { params.push(new Date(q.from)); where.push(`a.raised_at >= $${params.length}`); }
  if (q.to) { params.push(new Date(q.to)); where.push(`a.raised_at < $${params.length}`); }
  const whereSql = where.join(' AND ');
  const rows = await db.query<any>(`${SELECT} WHERE ${whereSql} ORDER BY a.raised_at DESC, a.id DESC LIMIT ${q.pageSize + 1} OFFSET ${(q.page - 1) * q.pageSize}`, params);
  const [{ n, pending }] = await db.query<{ n: number; pending: number }>(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE a.status IN ('open', 'acknowledged', 'assigned'))::int AS pending FROM alert a WHERE ${whereSql}`, params);
  return { items: rows.slice(0, q.pageSize).map(alertView), page: q.page, pageSize: q.pageSize, hasMore: rows.length > q.pageSize, total: n, pending };
}

async function loadAlert(q: Queryable, actor: Actor, id: number, lock = false): Promise<any> {
  const params: unknown[] = [id];
  const [row] = await q.query<any>(
    lock ? `SELECT a.* FROM alert a WHERE a.id = $1 AND ${scopeOrUnitSql(actor, 'a', params, UNIT_COLUMNS)} FOR UPDATE`
      : `${SELECT} WHERE a.id = $1 AND ${scopeOrUnitSql(actor, 'a', params, UNIT_COLUMNS)}`, params);
  if (!row) throw notFound({ zh: `预警 ${id}`, en: `Alert ${id}` });
  return row;
}

/** The cases' numbers by id, from the case engine (risk reads no case table itself). */
export type CaseNumbers = (ids: number[]) => Promise<Map<number, string>>;

export async function getAlert(db: Queryable, actor: Actor, id: number, caseNumbers?: CaseNumbers) {
  riskPolicy.assert(actor, 'risk.read');
  const row = await loadAlert(db, actor, id);
  const actions = await db.query<any>(
    `SELECT x.id, x.action, x.actor_id, u.display_name AS actor_name, x.unit_id, x.note, x.data, x.at FROM alert_action x
     LEFT JOIN app_user u ON u.id = x.actor_id WHERE x.alert_id = $1 AND x.district_code = $2 ORDER BY x.id`, [id, row.district_code]);
  const ids = (row.case_ids ?? []).map(Number).slice(0, 30);
  const caseNo = ids.length && caseNumbers ? await caseNumbers(ids) : new Map<number, string>();
  return {
    ...alertView(row),
    /** the cases it is about (the first 30), each by its number, as the console links them */
    cases: ids.map((cid: number) => ({ id: cid, caseNo: caseNo.get(cid) ?? null })),
    actions: actions.map((a) => ({
      id: Number(a.id), action: a.action, actorId: a.actor_id == null ? null : Number(a.actor_id), actorName: a.actor_name ?? null,
      unitId: a.unit_id, note: a.note, data: a.data, at: iso(a.at),
    })),
  };
}

export type Handling =
  | { action: 'acknowledge'; note?: string }
  | { action: 'assign'; unitId: string; note?: string }
  | { action: 'dismiss'; reason: string }
  | { action: 'convert'; caseId: number; note?: string; auto?: boolean };

/** Which handling steps each status allows (a converted or dismissed alert is done). */
const allowed: Record<AlertStatus, Handling['action'][]> = {
  open: ['acknowledge', 'assign', 'convert', 'dismiss'],
  acknowledged: ['assign', 'convert', 'dismiss'],
  assigned: ['acknowledge', 'assign', 'convert', 'dismiss'],
  converted: [],
  dismissed: [],
};
const nextStatus: Record<Handling['action'], AlertStatus> = { acknowledge: 'acknowledged', assign: 'assigned', convert: 'converted', dismiss: 'dismissed' };

/**
 * One handling step, recorded, with its event. `convert` is called by the service that made the case
 * (the case is written first; the alert then names it). A null actor is the system (a rule's own case).
 */
export async function handleAlert(db: Db, actor: Actor | null, id: number, h: Handling, now: Date): Promise<void> {
  if (actor) riskPolicy.assert(actor, 'risk.alert.handle');
  await db.transaction(async (tx) => {
    const row = actor ? await loadAlert(tx, actor, id, true)
      : (await tx.query<any>('SELECT a.* FROM alert a WHERE a.id = $1 FOR UPDATE', [id]))[0];
    if (!row) throw notFound({ zh: `预警 ${id}`, en: `Alert ${id}` });
    const status = row.status as AlertStatus;
    if (!allowed[status].includes(h.action)) {
      throw conflict('alert_closed', { zh: `该预警当前状态为“${status}”，现在不能执行此操作。`, en: `The alert is ${status}; it cannot be ${h.action === 'dismiss' ? 'dismissed' : `${h.action}d`} now.` }, { status });
    }
    const set: string[] = ['status = $2', 'updated_at = $3'];
    const params: unknown[] = [id, nextStatus[h.action], now];
    if (h.action === 'assign') {
      const [u] = await tx.query<{ id: string }>('SELECT id FROM unit WHERE id = $1 AND active', [h.unitId]);
      if (!u) throw unprocessable('unknown_unit', { zh: `单位 ${h.unitId} 不存在。`, en: `Unit ${h.unitId} does not exist.` });
      params.push(h.unitId); set.push(`assigned_unit_id = $${params.length}`);
    }
    if (h.action === 'convert') { params.push(h.caseId); set.push(`case_id = $${params.length}`); }
    // an acknowledgement after an assignment keeps the alert with the assigned unit
    if (h.action === 'acknowledge' && status === 'assigned') params[1] = 'assigned';
    params.push(row.district_code);
    await tx.query(`UPDATE alert SET ${set.join(', ')} WHERE id = $1 AND district_code = $${params.length}`, params);
    const note = 'reason' in h ? h.reason : h.note ?? null;
    const data = h.action === 'assign' ? { unitId: h.unitId } : h.action === 'convert' ? { caseId: h.caseId, ...(h.auto ? { auto: true } : {}) } : {};
    await tx.query(`INSERT INTO alert_action (alert_id, district_code, action, actor_id, unit_id, note, data, at) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)`,
      [id, row.district_code, h.action, actor?.id ?? null, actor?.unitId ?? null, note, JSON.stringify(data), now]);
    await appendEvent(tx, {
      topic: 'alert.handled', regionCode: row.region_code,
      unitIds: [row.responsible_unit_id, row.assigned_unit_id, h.action === 'assign' ? h.unitId : null].filter((u): u is string => !!u),
      payload: { alertId: id, action: h.action, status: params[1], level: row.level, kind: row.kind, ...(h.action === 'convert' ? { caseId: h.caseId, auto: !!h.auto } : {}) },
    });
  });
}

/** The alert as its handler needs it to make a case of it (scope-checked). */
export async function alertForCase(db: Queryable, actor: Actor, id: number) {
  riskPolicy.assert(actor, 'risk.alert.handle');
  return alertView(await loadAlert(db, actor, id));
}

/** Pending alerts under a region, by level (dashboard counters, the weekly agenda, the daily report). */
export async function alertCounts(q: Queryable, regionPrefix: string, from: Date, to: Date) {
  const params: unknown[] = [from, to];
  const where = regionPrefixSql(regionPrefix, 'a', params, true);
  return q.query<{ kind: string; level: string; raised: number; pending: number }>(
    `SELECT a.kind, a.level, count(*)::int AS raised, count(*) FILTER (WHERE a.status IN ('open', 'acknowledged', 'assigned'))::int AS pending
     FROM alert a WHERE a.raised_at >= $1 AND a.raised_at < $2 AND ${where} GROUP BY 1, 2 ORDER BY 1, 2`, params);
}
