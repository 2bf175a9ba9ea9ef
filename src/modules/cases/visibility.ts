// Who sees which case, written once (STYLE habit 6): a case is visible by territory (the region scope),
// through the actor's unit's assignments, or to the person who reported it. The same parts yield the SQL
// of lists (as one OR, or as index-friendly branches) and the check of a single record, so they cannot
// drift. The inbox is the visible cases that wait for the actor, derived from the case-type definitions.
import type { Actor } from '../../platform/auth/actor.ts';
import { inPrefixes, regionPrefixSql, scopePrefixes } from '../../platform/scope.ts';
import type { CaseTypeRegistry } from './registry.ts';

/**
 * SQL that is true for the cases the actor may see.
 * `probeAssignments`: check the unit's assignments row by row (an index probe for each case that is not in
 * the territory) instead of letting PostgreSQL hash all of the unit's assignments first — for a walk that
 * stops after a page (a street centre's unfiltered list: ≈ 300 probes against hashing 5,900 rows per query).
 * `OFFSET 0` keeps the planner from turning the EXISTS into a hashed subplan; the result is the same.
 */
export function visibilitySql(actor: Actor, params: unknown[], alias = 'c', probeAssignments = false): string {
  return `(${visibilityParts(actor, params, alias, probeAssignments ? 'probe' : 'exists').join(' OR ')})`;
}

/**
 * The parts of visibility, each on its own index: the territory's prefixes, the unit's assignments,
 * the reporter. `assignments`: 'exists' (EXISTS …), 'probe' (EXISTS … OFFSET 0) or 'in' (id IN …).
 */
function visibilityParts(actor: Actor, params: unknown[], alias: string, assignments: 'exists' | 'probe' | 'in'): string[] {
  const parts: string[] = [];
  for (const prefix of scopePrefixes(actor)) parts.push(regionPrefixSql(prefix, alias, params));
  if (actor.unitId) {
    params.push(actor.unitId);
    const u = `$${params.length}`;
    parts.push(assignments === 'in'
      ? `${alias}.id IN (SELECT a.case_id FROM case_assignment a WHERE a.unit_id = ${u})`
      : `EXISTS (SELECT 1 FROM case_assignment a WHERE a.case_id = ${alias}.id AND a.unit_id = ${u}${assignments === 'probe' ? ' OFFSET 0' : ''})`);
  }
  params.push(actor.id);
  parts.push(`${alias}.reporter_user_id = $${params.length}`);
  // a case filed by a staff member (a grid worker's 上报) has no reporter_user_id: its author is its reporter,
  // as in the inbox (coalesce(reporter_user_id, created_by)) — they open it wherever the grid went
  parts.push(`(${alias}.reporter_user_id IS NULL AND ${alias}.created_by = $${params.length})`);
  return parts;
}

/** The single-record form of visibilitySql: the same parts, over a loaded row and its assignments. */
export function caseVisibleTo(actor: Actor, c: { region_code: string; reporter_user_id: number | null; created_by?: number | null }, assignmentUnitIds: string[]): boolean {
  if (inPrefixes(c.region_code, scopePrefixes(actor))) return true;
  if (actor.unitId && assignmentUnitIds.includes(actor.unitId)) return true;
  if (c.reporter_user_id != null) return Number(c.reporter_user_id) === actor.id;
  return c.created_by != null && Number(c.created_by) === actor.id;
}

/**
 * What waits for the actor among visible cases: per type, the states where their role has forward work,
 * for each way a case can be theirs (territory, lead unit, own report), and active summons of their unit.
 * `false` when nothing can ever wait for them.
 */
export function inboxSql(types: CaseTypeRegistry, actor: Actor, params: unknown[], alias = 'c'): string {
  const parts: string[] = [];
  const pairs = (type: string, states: string[]) => {
    params.push(type, states);
    return `${alias}.type = $${params.length - 1} AND ${alias}.state = ANY($${params.length}::text[])`;
  };
  let summoned = false;
  for (const [type, st] of types.inboxStatesByType(actor.role)) {
    if (st.scope.length) parts.push(`(${pairs(type, st.scope)})`);
    if (st.leadUnit.length && actor.unitId) {
      const p = pairs(type, st.leadUnit);
      params.push(actor.unitId);
      parts.push(`(${p} AND ${alias}.lead_unit_id = $${params.length})`);
    }
    if (st.reporter.length) {
      const p = pairs(type, st.reporter);
      params.push(actor.id);
      parts.push(`(${p} AND coalesce(${alias}.reporter_user_id, ${alias}.created_by) = $${params.length})`);
    }
    if (st.dispatcher.length && actor.unitId) {
      const p = pairs(type, st.dispatcher);
      params.push(actor.unitId);
      parts.push(`(${p} AND ${alias}.dispatcher_unit_id = $${params.length})`);
    }
    summoned ||= st.summoned;
  }
  if (summoned && actor.unitId) {
    params.push(actor.unitId);
    parts.push(`EXISTS (SELECT 1 FROM case_assignment a WHERE a.case_id = ${alias}.id AND a.unit_id = $${params.length} AND a.role = 'summoned' AND a.status = 'active')`);
  }
  return parts.length ? `${alias}.is_open AND (${parts.join(' OR ')})` : 'false';
}

/**
 * The scope of a list (and, for the inbox, what waits for the actor) as branches whose union is exactly
 * visibilitySql (AND inboxSql): each branch is sargable on its own index in list order, where their OR is
 * not (a grid worker's inbox walked every open case for a few matches). The inbox adds two branches that
 * reach cases outside the territory through the lead unit and active summons, each on its own index.
 */
export function scopeBranches(types: CaseTypeRegistry, actor: Actor, inbox: boolean, params: unknown[]): string[] {
  const vis = visibilityParts(actor, params, 'c', 'in');
  if (!inbox) return vis;
  const waiting = inboxSql(types, actor, params);
  if (waiting === 'false') return [];
  const anyVis = `(${vis.join(' OR ')})`;
  const out = vis.map((v) => `${v} AND ${waiting}`);
  if (actor.unitId) {
    params.push(actor.unitId);
    const u = `$${params.length}`;
    out.push(`c.lead_unit_id = ${u} AND ${waiting} AND ${anyVis}`);
    out.push(`c.id IN (SELECT a.case_id FROM case_assignment a WHERE a.unit_id = ${u} AND a.role = 'summoned' AND a.status = 'active') AND ${waiting} AND ${anyVis}`);
  }
  return out;
}
