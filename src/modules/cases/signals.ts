// Reads the risk module's early-warning rules need from the case engine, so that no module reads the
// engine's tables itself: the reports of a period under a region (with their text, place and reporter
// key), the step facts that rules watch (a step gone overdue, a case returned by its unit), and the
// list items of given cases (the risk register shows each hazard's state and light).
import { regionPrefixSql } from '../../platform/scope.ts';
import { LIST_COLUMNS, toListItem, type CaseListItem } from './views.ts';
import type { CaseDeps } from './deps.ts';
import type { CaseRow } from './rows.ts';

export interface CaseReportSignal {
  id: number; caseNo: string; type: string; at: Date; regionCode: string; streetCode: string | null; communityCode: string | null;
  categoryCode: string; title: string; description: string; urgency: string;
  /** Who reported: the keyed hash of the caller's phone, or the resident's account; null when unknown. */
  reporterKey: string | null;
  address: string | null;
}

export interface CaseStepSignal {
  caseId: number; caseNo: string; at: Date; fact: 'overdue' | 'returned';
  /** overdue: the lead unit whose step ran out; returned: the unit that returned it. */
  unitId: string | null;
  urgency: string; regionCode: string; streetCode: string | null; communityCode: string | null; categoryCode: string;
}

export interface SignalQuery {
  regionPrefix: string; from: Date; to: Date; categoryPrefix?: string; limit?: number;
  /** Only reports by this reporter (the reporterKey of a report). */
  reporterKey?: string;
  /** Only reports at this address, compared without spaces and punctuation (lower case). */
  address?: string;
}

/** The address comparison of `address` filters, in SQL: the same characters dropped as normaliseAddress in the risk rules. */
const ADDRESS_SQL = `regexp_replace(lower(c.address), '[[:space:],，。.、()（）—_#-]', '', 'g')`;

const MAX_SIGNALS = 100_000;

/** Cases reported in (from, to] under the region, oldest first (every outcome: what was known when they came). */
export async function caseReportsBetween(deps: CaseDeps, q: SignalQuery): Promise<CaseReportSignal[]> {
  const params: unknown[] = [q.from, q.to];
  const where = ['c.created_at > $1', 'c.created_at <= $2', regionPrefixSql(q.regionPrefix, 'c', params, true)];
  if (q.categoryPrefix) { params.push(`${q.categoryPrefix}%`); where.push(`c.category_code LIKE $${params.length}`); }
  if (q.reporterKey) {
    params.push(q.reporterKey);
    where.push(q.reporterKey.startsWith('user:')
      ? `('user:' || c.reporter_user_id::text) = $${params.length} AND c.reporter_phone_hash IS NULL`
      : `c.reporter_phone_hash = $${params.length}`);
  }
  if (q.address) { params.push(q.address); where.push(`${ADDRESS_SQL} = $${params.length}`); }
  const rows = await deps.ctx.db.query<any>(
    `SELECT c.id, c.case_no, c.type, c.created_at, c.region_code, c.street_code, c.community_code, c.category_code, c.title, c.description,
       c.urgency, c.reporter_phone_hash, c.reporter_user_id, c.address FROM "case" c
     WHERE ${where.join(' AND ')} ORDER BY c.created_at, c.id LIMIT ${Math.min(q.limit ?? MAX_SIGNALS, MAX_SIGNALS)}`, params);
  return rows.map((r) => ({
    id: Number(r.id), caseNo: r.case_no, type: r.type, at: new Date(r.created_at), regionCode: r.region_code, streetCode: r.street_code,
    communityCode: r.community_code, categoryCode: r.category_code, title: r.title, description: r.description, urgency: r.urgency,
    reporterKey: r.reporter_phone_hash ?? (r.reporter_user_id != null ? `user:${r.reporter_user_id}` : null), address: r.address,
  }));
}

/** The actions of any case type that hand a case back (their effect is unassign), named by the definitions. */
function returnActions(deps: CaseDeps): string[] {
  return [...new Set(deps.types.all().flatMap((d) => d.actions.filter((a) => a.effect === 'unassign').map((a) => a.name)))];
}

/** Steps gone overdue and cases returned in (from, to] under the region, oldest first. */
export async function caseStepsBetween(deps: CaseDeps, q: SignalQuery): Promise<CaseStepSignal[]> {
  const params: unknown[] = [q.from, q.to, returnActions(deps)];
  const where = ['f.at > $1', 'f.at <= $2', `(f.action = 'overdue' OR f.action = ANY($3::text[]))`, regionPrefixSql(q.regionPrefix, 'c', params, true)];
  const rows = await deps.ctx.db.query<any>(
    `SELECT f.case_id, c.case_no, f.at, f.action, f.data->>'leadUnitId' AS overdue_unit, f.actor_unit_id, c.urgency, c.region_code,
       c.street_code, c.community_code, c.category_code
     FROM flow_record f JOIN "case" c ON c.id = f.case_id AND c.district_code = f.district_code
     WHERE ${where.join(' AND ')} ORDER BY f.at, f.id LIMIT ${Math.min(q.limit ?? MAX_SIGNALS, MAX_SIGNALS)}`, params);
  return rows.map((r) => {
    const overdue = r.action === 'overdue';
    return {
      caseId: Number(r.case_id), caseNo: r.case_no, at: new Date(r.at), fact: overdue ? 'overdue' : 'returned',
      unitId: overdue ? r.overdue_unit : r.actor_unit_id, urgency: r.urgency, regionCode: r.region_code, streetCode: r.street_code,
      communityCode: r.community_code, categoryCode: r.category_code,
    };
  });
}

/** Whether a case event's action is a step fact the rules watch (for the live path, from the event's topic). */
export function stepFactOf(deps: CaseDeps, action: string): CaseStepSignal['fact'] | null {
  if (action === 'overdue') return 'overdue';
  return returnActions(deps).includes(action) ? 'returned' : null;
}

/** The latest step fact of that kind on a case (the live path: the event names the case, the record holds the facts). */
export async function latestCaseStep(deps: CaseDeps, caseId: number, fact: CaseStepSignal['fact']): Promise<CaseStepSignal | null> {
  const actions = fact === 'overdue' ? ['overdue'] : returnActions(deps);
  const [f] = await deps.ctx.db.query<{ at: Date; district_code: string }>(
    'SELECT at, district_code FROM flow_record WHERE case_id = $1 AND action = ANY($2::text[]) ORDER BY seq DESC LIMIT 1', [caseId, actions]);
  if (!f) return null;
  const [c] = await deps.ctx.db.query<{ region_code: string }>('SELECT region_code FROM "case" WHERE id = $1 AND district_code = $2', [caseId, f.district_code]);
  const at = new Date(f.at);
  const steps = await caseStepsBetween(deps, { regionPrefix: c.region_code, from: new Date(at.getTime() - 1), to: at });
  return steps.find((s) => s.caseId === caseId && s.fact === fact) ?? null;
}

/** List items of the given cases (system read: the caller has checked who may see what). */
export async function caseItems(deps: CaseDeps, ids: number[]): Promise<Map<number, CaseListItem>> {
  if (!ids.length) return new Map();
  const rows = await deps.ctx.db.query<CaseRow>(`SELECT ${LIST_COLUMNS} FROM "case" c WHERE c.id = ANY($1::bigint[])`, [ids]);
  const now = deps.ctx.now();
  return new Map(rows.map((r) => [Number(r.id), toListItem(deps, r, now)]));
}
