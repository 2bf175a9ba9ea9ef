// 权责清单 routing: category × region → lead and assisting units, the most specific rule winning;
// no rule → 属地兜底, the street centre of the case's street (or the district's command centre).
import type { Queryable } from '../../platform/db/index.ts';

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

/** Pure: the most specific rule by category code length first, then region prefix length. */
export function suggestRoute(table: RoutingTable, categoryCode: string, regionCode: string): RoutingSuggestion {
  let best: ResponsibilityRule | null = null;
  for (const r of table.rules) {
    if (!categoryCode.startsWith(r.categoryCode) || !regionCode.startsWith(r.regionPrefix)) continue;
    if (!best || r.categoryCode.length > best.categoryCode.length
      || (r.categoryCode.length === best.categoryCode.length && r.regionPrefix.length > best.regionPrefix.length)) best = r;
  }
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
