// Key-person follow-up schedules (重点人员走访频次): each special-population label type has a number of
// days between follow-ups by attention level (data/follow-up-schedule.json). The due list of a region
// puts every labelled person whose next follow-up falls on or before a day: the next-due date the last
// follow-up set, else the last follow-up (or the label's start) plus the scheduled interval. Visits to a
// labelled person are written as follow-ups (fieldwork module), so "last follow-up" is also "last visit".
import type { Queryable } from '../../platform/db/index.ts';
import { regionPrefixSql } from '../../platform/scope.ts';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labelTypes, type LabelType } from './persons-model.ts';

interface TypeSchedule { byLevel: Record<string, number>; byRiskLevel?: Record<string, number> }
const schedule = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'data', 'follow-up-schedule.json'), 'utf8')) as {
  defaultLevel: string; types: Record<string, TypeSchedule>;
};
const types = schedule.types;

/** Days between follow-ups of one label (the schedule's default level when the label has none). */
export function followUpInterval(type: string, attentionLevel: string | null, fields: Record<string, unknown> = {}): number {
  const s = types[type] ?? types.custom;
  const risk = fields.riskLevel;
  if (s.byRiskLevel && risk != null && s.byRiskLevel[String(risk)] != null) return s.byRiskLevel[String(risk)];
  return s.byLevel[attentionLevel ?? schedule.defaultLevel] ?? s.byLevel[schedule.defaultLevel];
}

/** The schedule as data, for the console and the docs. */
export function followUpSchedule() {
  return Object.entries(types).map(([type, s]) => ({
    type, name: (labelTypes as Record<string, { zh: string; en: string }>)[type] ?? { zh: type, en: type }, byLevel: s.byLevel, byRiskLevel: s.byRiskLevel ?? null,
  }));
}

export interface FollowUpDue {
  labelId: number; personId: number; labelType: LabelType | string; labelName: { zh: string; en: string };
  attentionLevel: string | null; regionCode: string; nameMasked: string; address: string | null;
  /** The day the next follow-up is due (YYYY-MM-DD, China time). */
  dueOn: string;
  intervalDays: number;
  lastFollowUpAt: string | null;
  /** Days past due on `asOf` (0: due that day; negative: due later, within the window). */
  overdueDays: number;
}

const DAY = 86_400_000;
const chinaDay = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY);

/**
 * Active key-person labels under a region whose next follow-up is due on or before `asOf` plus
 * `withinDays` (0: due today or overdue), soonest first. Masked names and addresses only.
 */
export async function followUpsDue(db: Queryable, q: { regionPrefix: string; asOf: Date; withinDays?: number; overdueOnly?: boolean; limit?: number }): Promise<FollowUpDue[]> {
  const today = chinaDay(q.asOf);
  const params: unknown[] = [q.asOf];
  const scope = regionPrefixSql(q.regionPrefix, 'l', params, true);
  const rows = await db.query<any>(
    `SELECT l.id, l.person_id, l.type, l.attention_level, l.fields, l.region_code, p.name_masked, p.current_address,
       to_char(coalesce(l.started_on, (l.created_at AT TIME ZONE 'Asia/Shanghai')::date), 'YYYY-MM-DD') AS start_on,
       f.occurred_at, to_char(f.next_due_on, 'YYYY-MM-DD') AS next_due_on
     FROM person_label l JOIN person p ON p.id = l.person_id
     LEFT JOIN LATERAL (SELECT occurred_at, next_due_on FROM person_followup f WHERE f.label_id = l.id AND f.occurred_at <= $1
                        ORDER BY f.occurred_at DESC, f.id DESC LIMIT 1) f ON true
     WHERE ${scope} AND l.active ORDER BY l.id LIMIT 20000`, params);
  const horizon = addDays(today, q.overdueOnly ? -1 : q.withinDays ?? 0);
  const out: FollowUpDue[] = [];
  for (const r of rows) {
    const interval = followUpInterval(r.type, r.attention_level, r.fields ?? {});
    const dueOn: string = r.next_due_on ?? addDays(r.occurred_at ? chinaDay(new Date(r.occurred_at)) : r.start_on, interval);
    if (dueOn > horizon) continue;
    out.push({
      labelId: Number(r.id), personId: Number(r.person_id), labelType: r.type,
      labelName: (labelTypes as Record<string, { zh: string; en: string }>)[r.type] ?? { zh: r.type, en: r.type },
      attentionLevel: r.attention_level, regionCode: r.region_code, nameMasked: r.name_masked, address: r.current_address ?? null,
      dueOn, intervalDays: interval, lastFollowUpAt: r.occurred_at ? new Date(r.occurred_at).toISOString() : null,
      overdueDays: daysBetween(dueOn, today),
    });
  }
  out.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.labelId - b.labelId);
  return q.limit ? out.slice(0, q.limit) : out;
}
