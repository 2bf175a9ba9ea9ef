// 权责清单 routing: category × region → lead and assisting units, the most specific rule winning;
// no rule → 属地兜底, the street centre of the case's street (or the district's command centre).
import type { Queryable } from '../../platform/db/index.ts';
import type { ResponsibleRule } from './reach.ts';

export interface ResponsibilityRule { categoryCode: string; regionPrefix: string; leadUnitId: string; assistUnitIds: string[] }
export interface RoutingSuggestion {
  leadUnitId: string | null;
  assistUnitIds: string[];
  source: 'responsibility_list' | 'territorial_fallback' | 'none';
}

export interface RoutingTable {
  rules: ResponsibilityRule[];
  /** region code (street or district) → territorial unit id */
  territorial: Map<string, string>;
}

/** The rules by category code, in list order; built once per table (a table is not changed once loaded). */
const byCategory = new WeakMap<ResponsibilityRule[], Map<string, ResponsibilityRule[]>>();
function rulesByCategory(rules: ResponsibilityRule[]): Map<string, ResponsibilityRule[]> {
  let index = byCategory.get(rules);
  if (!index) {
    index = new Map();
    for (const r of rules) {
      const list = index.get(r.categoryCode);
      if (list) list.push(r); else index.set(r.categoryCode, [r]);
    }
    byCategory.set(rules, index);
  }
  return index;
}

/**
 * Pure: the most specific rule by category code length first, then region prefix length (the first in the
 * list among equals). Only the rules of the category's own code and its ancestors' codes are looked at.
 */
export function bestRule(table: RoutingTable, categoryCode: string, regionCode: string): ResponsibilityRule | null {
  const index = rulesByCategory(table.rules);
  for (let len = categoryCode.length; len >= 0; len--) {
    const rules = index.get(categoryCode.slice(0, len));
    if (!rules) continue;
    let best: ResponsibilityRule | null = null;
    for (const r of rules) {
      if (regionCode.startsWith(r.regionPrefix) && (!best || r.regionPrefix.length > best.regionPrefix.length)) best = r;
    }
    if (best) return best;
  }
  return null;
}

/** The rule that decides (bestRule), or 属地兜底: the street centre of the case's street, else the district's. */
export function suggestRoute(table: RoutingTable, categoryCode: string, regionCode: string): RoutingSuggestion {
  const best = bestRule(table, categoryCode, regionCode);
  if (best) return { leadUnitId: best.leadUnitId, assistUnitIds: best.assistUnitIds, source: 'responsibility_list' };
  for (const len of [9, 6]) {
    const unit = table.territorial.get(regionCode.slice(0, len));
    if (unit) return { leadUnitId: unit, assistUnitIds: [], source: 'territorial_fallback' };
  }
  return { leadUnitId: null, assistUnitIds: [], source: 'none' };
}

export async function loadRoutingTable(db: Queryable): Promise<RoutingTable> {
  const rules = await db.query<any>('SELECT category_code, region_prefix, lead_unit_id, assist_unit_ids FROM responsibility');
  const units = await db.query<{ id: string; region_code: string; kind: string }>(
    `SELECT id, region_code, kind FROM unit WHERE active AND kind IN ('street_centre','command_centre') ORDER BY id`);
  const territorial = new Map<string, string>();
  for (const u of units) if (!territorial.has(u.region_code)) territorial.set(u.region_code, u.id);
  return {
    rules: rules.map((r) => ({ categoryCode: r.category_code, regionPrefix: r.region_prefix, leadUnitId: r.lead_unit_id, assistUnitIds: r.assist_unit_ids ?? [] })),
    territorial,
  };
}

/**
 * The rule of the responsibility list that names the units for a case (its lead and assisting units) and the
 * region it was made for; null under 属地兜底.
 */
export function responsibleUnits(table: RoutingTable, c: { category_code: string; region_code: string }): ResponsibleRule | null {
  const r = bestRule(table, c.category_code, c.region_code);
  return r ? { units: [r.leadUnitId, ...r.assistUnitIds], regionPrefix: r.regionPrefix } : null;
}
