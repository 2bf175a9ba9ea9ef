// Case lists and the inbox: filters, paging and sorting over the cases the actor may see.
import { normalizePhone } from '../../platform/text.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { regionPrefixSql, scopePrefixes } from '../../platform/scope.ts';
import type { ListQueryT } from './contracts.ts';
import { inboxSql, scopeBranches, visibilitySql } from './visibility.ts';
import { LIST_COLUMNS, toListItem } from './views.ts';
import type { CaseDeps } from './deps.ts';
import type { CaseRow } from './rows.ts';

/** A full phone number (7–20 digits), as a search text. */
const PHONE = /^\+?\d[\d\s-]{6,23}$/;

/** SQL for "the case waits in a state of this inbox group", over every type that has such states. */
function groupSql(deps: CaseDeps, group: string, params: unknown[]): string {
  const parts = deps.types.statesInGroup(group).map(([type, states]) => {
    params.push(type, states);
    return `(c.type = $${params.length - 1} AND c.state = ANY($${params.length}::text[]))`;
  });
  return parts.length ? `(${parts.join(' OR ')})` : 'false';
}

/**
 * @param opts.branches use the union of scopeBranches for an unfiltered newest/oldest-first page, or a
 *   soonest-due inbox page, of an actor with a small territory (default);
 *   false forces the single OR query (bench/proposals/compare-listcases.ts checks both give the same pages)
 */
export async function listCases(deps: CaseDeps, actor: Actor, q: ListQueryT, opts: { branches?: boolean } = {}) {
  deps.policy.assert(actor, 'case.read');
  if (q.inbox === 'true') deps.policy.assert(actor, 'case.inbox');
  const now = deps.ctx.now();
  const unfiltered = !(q.state?.length || q.type?.length || q.group || q.category || q.region || q.open || q.unit || q.from || q.to || q.q || q.sla || q.appealKind?.length || q.overdueHours != null);
  const params: unknown[] = [];
  const where: string[] = [];
  // Pages that walk an index in list order and stop after the page: newest/oldest first over all cases
  // (case_created_idx), the inbox soonest-due first over open cases (case_open_due_idx).
  const ordered = q.sort.endsWith('created_at') || (q.sort === 'due_at' && q.inbox === 'true');
  // unfiltered pages stop after a short walk: probe the assignments row by row (see visibilitySql)
  const probeAssignments = unfiltered && ordered;
  // A department's list starts from its assignments; everyone else's from their territory.
  if (actor.role === 'department' && actor.unitId) {
    params.push(actor.unitId);
    where.push(`c.id IN (SELECT case_id FROM case_assignment WHERE unit_id = $${params.length})`);
  } else {
    where.push(visibilitySql(actor, params, 'c', probeAssignments));
  }
  if (q.inbox === 'true') where.push(inboxSql(deps.types, actor, params));
  if (q.state?.length) { params.push(q.state); where.push(`c.state = ANY($${params.length}::text[])`); }
  if (q.type?.length) { params.push(q.type); where.push(`c.type = ANY($${params.length}::text[])`); }
  if (q.group) where.push(groupSql(deps, q.group, params));
  if (q.category) { params.push(`${q.category}%`); where.push(`c.category_code LIKE $${params.length}`); }
  if (q.region) where.push(regionPrefixSql(q.region, 'c', params, true));
  if (q.open) { where.push(q.open === 'true' ? 'c.is_open' : 'NOT c.is_open'); }
  if (q.unit) { params.push(q.unit); where.push(`c.lead_unit_id = $${params.length}`); }
  if (q.from) { params.push(new Date(q.from)); where.push(`c.created_at >= $${params.length}`); }
  if (q.to) { params.push(new Date(q.to)); where.push(`c.created_at < $${params.length}`); }
  if (q.overdueHours != null) {
    params.push(new Date(now.getTime() - q.overdueHours * 3_600_000));
    where.push(`c.is_open AND c.due_at < $${params.length}`);
  }
  if (q.appealKind?.length) { params.push(q.appealKind); where.push(`c.appeal_kind = ANY($${params.length}::text[])`); }
  if (q.q) {
    params.push(`%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    const p = `$${params.length}`;
    // a full phone number finds the caller's cases by the keyed hash (the phone itself is sealed)
    let phone = '';
    if (PHONE.test(q.q.trim())) { params.push(deps.ctx.cipher.lookupHash(normalizePhone(q.q))); phone = ` OR c.reporter_phone_hash = $${params.length}`; }
    where.push(`(c.title ILIKE ${p} OR c.description ILIKE ${p} OR c.case_no ILIKE ${p} OR c.address ILIKE ${p}${phone})`);
  }
  if (q.sla) {
    params.push(now);
    const n = `$${params.length}`;
    // a paused or clockless step has no due instant, so it has no light
    const light = {
      red: `c.due_at < ${n}`,
      yellow: `c.yellow_at <= ${n} AND c.due_at >= ${n}`,
      green: `c.due_at >= ${n} AND (c.yellow_at IS NULL OR c.yellow_at > ${n})`,
    }[q.sla];
    where.push(`c.is_open AND ${light}`);
  }
  const order = {
    'created_at': 'c.created_at ASC, c.id ASC', '-created_at': 'c.created_at DESC, c.id DESC',
    'due_at': 'c.due_at ASC NULLS LAST, c.id ASC', '-due_at': 'c.due_at DESC NULLS LAST, c.id DESC',
  }[q.sort];
  const whereSql = where.join(' AND ');
  const limit = q.pageSize;
  const offset = (q.page - 1) * limit;
  let rows: CaseRow[];
  // Branches win for small territories (community, grid: the OR walked every open case of the district
  // for a few matches) and lose for a street or district, whose OR query already walks a short way.
  const smallTerritory = scopePrefixes(actor).every((prefix) => prefix.length >= 12);
  if ((opts.branches ?? true) && unfiltered && smallTerritory && actor.role !== 'department' && ordered && offset + limit <= 1000) {
    // Each branch walks its index in list order and stops after the page; the union holds at most
    // branches × (offset + limit + 1) ids, which are then ordered and paged (ties broken by id, as today).
    const bp: unknown[] = [];
    const branches = scopeBranches(deps.types, actor, q.inbox === 'true', bp);
    const k = offset + limit + 1;
    const union = branches.map((b) => `(SELECT c.id FROM "case" c WHERE ${b} ORDER BY ${order} LIMIT ${k})`).join(' UNION ALL ');
    rows = await deps.ctx.db.query<CaseRow>(
      `SELECT ${LIST_COLUMNS} FROM "case" c WHERE ${branches.length ? `c.id IN (${union})` : 'false'} ORDER BY ${order} LIMIT ${limit + 1} OFFSET ${offset}`, bp);
  } else {
    // The first pages of a street's or the district's unfiltered list and inbox walk an index in list order,
    // whichever street: one plan fits every such actor, and planning the OR/EXISTS query cost PostgreSQL
    // more than running it (0.4–0.6 ms against 0.1–2.5 ms), so those statements are prepared (named).
    // Not for departments (a generic plan fits 城管's 269k assignments and a small unit's 100 alike badly),
    // filtered lists (too many shapes) or deep pages (LIMIT and OFFSET are part of the text).
    const prepare = probeAssignments && actor.role !== 'department' && q.page <= 5;
    rows = await deps.ctx.db.query<CaseRow>(
      `SELECT ${LIST_COLUMNS} FROM "case" c WHERE ${whereSql} ORDER BY ${order} LIMIT ${limit + 1} OFFSET ${offset}`, params, { prepare });
  }
  let total: number | undefined;
  if (q.count === 'true') {
    // The count walks every match, where the hashed assignment subplan wins: the same scope without the
    // probe (same parameters, so the same placeholders).
    const countScope = probeAssignments && actor.role !== 'department' ? visibilitySql(actor, [], 'c', false) : where[0];
    const countWhere = [countScope, ...where.slice(1)].join(' AND ');
    const [r] = await deps.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "case" c WHERE ${countWhere}`, params);
    total = r.n;
  }
  return {
    items: rows.slice(0, limit).map((r) => toListItem(deps, r, now)),
    page: q.page, pageSize: limit, hasMore: rows.length > limit, ...(total != null ? { total } : {}),
  };
}
