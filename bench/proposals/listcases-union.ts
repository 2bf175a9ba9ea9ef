// PROPOSAL for the lead, not used by the app: listCases with the OR of scope branches split into a UNION of
// index-ordered, LIMITed branches. Same filters, order and page as today's listCases (checked by
// compare-listcases.ts on 90 queries at 1M cases: identical pages). See bench/README.md for its timings: it fixes
// small territorial scopes (grid worker inbox 790 → 3 ms) but is slower than today with some filters
// (category, sla), and its count=true query (OR of the branches) took 245 s for a department: keep today's
// count query. A starting point, not a drop-in.
import type { Actor } from '../../src/platform/auth/actor.ts';
import { regionPrefixSql, scopePrefixes } from '../../src/platform/scope.ts';
import { toView, visibilitySql, type CaseDeps, type CaseRow } from '../../src/modules/cases/service.ts';
import type { ListQueryT } from '../../src/modules/cases/contracts.ts';

/** Visibility as separate sargable branches (their OR is visibilitySql). */
function visibilityBranches(actor: Actor, params: unknown[]): string[] {
  if (actor.role === 'department' && actor.unitId) {
    params.push(actor.unitId);
    return [`c.id IN (SELECT case_id FROM case_assignment WHERE unit_id = $${params.length})`];
  }
  const parts: string[] = [];
  for (const prefix of scopePrefixes(actor)) parts.push(regionPrefixSql(prefix, 'c', params));
  if (actor.unitId) {
    params.push(actor.unitId);
    parts.push(`EXISTS (SELECT 1 FROM case_assignment a WHERE a.case_id = c.id AND a.unit_id = $${params.length})`);
  }
  params.push(actor.id);
  parts.push(`c.reporter_user_id = $${params.length}`);
  return parts;
}

function visibilityAll(actor: Actor, params: unknown[]): string {
  if (actor.role === 'department' && actor.unitId) return visibilityBranches(actor, params)[0];
  return visibilitySql(actor, params);
}

/**
 * The inbox as separate branches, each sargable and each implying visibility or carrying it as a filter:
 * scope states inside the actor's territory (scope party = territory, as partyHolds says), lead unit,
 * active summons, resident call-backs.
 */
function inboxBranches(deps: CaseDeps, actor: Actor, params: unknown[]): string[] {
  const out: string[] = [];
  const prefixes = scopePrefixes(actor);
  const typeStates: string[] = [];
  for (const [type, states] of deps.workflows.inboxStatesByType(actor.role)) {
    if (!states.length) continue;
    params.push(type, states);
    typeStates.push(`(c.type = $${params.length - 1} AND c.state = ANY($${params.length}::text[]))`);
  }
  if (typeStates.length) {
    for (const prefix of prefixes) out.push(`c.is_open AND ${regionPrefixSql(prefix, 'c', params)} AND (${typeStates.join(' OR ')})`);
  }
  if (actor.unitId) {
    params.push(actor.unitId);
    const u = `$${params.length}`;
    out.push(`c.is_open AND c.lead_unit_id = ${u} AND c.state IN ('dispatched','handling') AND ${visibilityAll(actor, params)}`);
    out.push(`c.is_open AND c.id IN (SELECT a.case_id FROM case_assignment a WHERE a.unit_id = ${u} AND a.role = 'summoned' AND a.status = 'active') AND ${visibilityAll(actor, params)}`);
  }
  if (actor.role === 'resident') {
    params.push(actor.id);
    out.push(`c.is_open AND c.reporter_user_id = $${params.length} AND c.state = 'awaiting_callback'`);
  }
  return out;
}

export async function listCasesProposed(deps: CaseDeps, actor: Actor, q: ListQueryT, explain?: (plan: string) => void) {
  const now = deps.ctx.now();
  const params: unknown[] = [];
  const filters: string[] = [];
  if (q.state?.length) { params.push(q.state); filters.push(`c.state = ANY($${params.length}::text[])`); }
  if (q.type?.length) { params.push(q.type); filters.push(`c.type = ANY($${params.length}::text[])`); }
  if (q.category) { params.push(`${q.category}%`); filters.push(`c.category_code LIKE $${params.length}`); }
  if (q.region) filters.push(regionPrefixSql(q.region, 'c', params, true));
  if (q.open) { filters.push(q.open === 'true' ? 'c.is_open' : 'NOT c.is_open'); }
  if (q.unit) { params.push(q.unit); filters.push(`c.lead_unit_id = $${params.length}`); }
  if (q.from) { params.push(new Date(q.from)); filters.push(`c.created_at >= $${params.length}`); }
  if (q.to) { params.push(new Date(q.to)); filters.push(`c.created_at < $${params.length}`); }
  if (q.q) {
    params.push(`%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    const p = `$${params.length}`;
    filters.push(`(c.title ILIKE ${p} OR c.description ILIKE ${p} OR c.case_no ILIKE ${p} OR c.address ILIKE ${p})`);
  }
  if (q.sla) {
    params.push(now);
    const n = `$${params.length}`;
    const light = {
      red: `c.due_at < ${n}`,
      yellow: `c.yellow_at <= ${n} AND c.due_at >= ${n}`,
      green: `c.due_at >= ${n} AND (c.yellow_at IS NULL OR c.yellow_at > ${n})`,
    }[q.sla];
    filters.push(`c.is_open AND c.state <> 'suspended' AND ${light}`);
  }
  const order = {
    'created_at': 'c.created_at ASC, c.id ASC', '-created_at': 'c.created_at DESC, c.id DESC',
    'due_at': 'c.due_at ASC NULLS LAST, c.id ASC', '-due_at': 'c.due_at DESC NULLS LAST, c.id DESC',
  }[q.sort];
  const branches = q.inbox === 'true' ? inboxBranches(deps, actor, params) : visibilityBranches(actor, params);
  const limit = q.pageSize;
  const offset = (q.page - 1) * limit;
  const rest = filters.length ? ` AND ${filters.join(' AND ')}` : '';
  let sql: string;
  if (!branches.length) {
    sql = 'SELECT c.* FROM "case" c WHERE false';
  } else if (branches.length === 1) {
    sql = `SELECT c.* FROM "case" c WHERE ${branches[0]}${rest} ORDER BY ${order} LIMIT ${limit + 1} OFFSET ${offset}`;
  } else {
    // Each branch walks its own index in list order and stops after the page; the union is at most
    // branches × (offset + limit + 1) ids, de-duplicated by IN, then ordered and paged.
    const k = offset + limit + 1;
    const union = branches.map((b) => `(SELECT c.id FROM "case" c WHERE ${b}${rest} ORDER BY ${order} LIMIT ${k})`).join(' UNION ALL ');
    sql = `SELECT c.* FROM "case" c WHERE c.id IN (${union}) ORDER BY ${order} LIMIT ${limit + 1} OFFSET ${offset}`;
  }
  if (explain) {
    const rows = await deps.ctx.db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
    explain(rows.map((r) => r['QUERY PLAN']).join('\n'));
  }
  const rows = await deps.ctx.db.query<CaseRow>(sql, params);
  let total: number | undefined;
  if (q.count === 'true') {
    const [r] = await deps.ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "case" c WHERE (${branches.length ? branches.map((b) => `(${b})`).join(' OR ') : 'false'})${rest}`, params);
    total = r.n;
  }
  return {
    items: rows.slice(0, limit).map((r) => toView(deps, r, now)),
    page: q.page, pageSize: limit, hasMore: rows.length > limit, ...(total != null ? { total } : {}),
  };
}
