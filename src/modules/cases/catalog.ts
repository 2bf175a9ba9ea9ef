// The case engine's reference data (DESIGN rule 5): the category tree (GB/T 30428.2 部件 and 事件, the
// 12345 categories) with default time limits and responsibility hints, loaded from the versioned data
// file data/categories.json, and the responsibility list (权责清单). This file is the only writer of
// the `category`, `catalog_file` and `responsibility` tables; administration and set-up call it.
//
// Loading is idempotent and version-aware, like the registry's dictionaries: the file is applied only
// when its version is newer than the database's; categories an administrator edited stay as edited;
// categories dropped from the file are deactivated, never deleted (cases refer to them).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Db, Queryable } from '../../platform/db/index.ts';
import { forgetCategory } from './intake.ts';

export const catalogFilePath = join(dirname(fileURLToPath(import.meta.url)), 'data', 'categories.json');
const LOCK_ID = 7_351_020;
const FILE_NAME = 'categories';

const Label = z.object({ zh: z.string().min(1), en: z.string().min(1) }).strict();
const Row = z.object({
  code: z.string().regex(/^(\d{2}){1,3}$/, 'codes are 2, 4 or 6 digits'),
  zh: z.string().min(1),
  en: z.string().min(1),
  /** leaves only: the case types that use it */
  types: z.array(z.string().regex(/^[a-z_]+$/)).min(1).optional(),
  /** leaves only: handling time limit in WORKING hours */
  limitHours: z.number().positive().optional(),
  /** leaves only: the responsibility hint, a key of `units` */
  unit: z.string().optional(),
  filing: z.string().optional(),
  closing: z.string().optional(),
  /** everyday words and synonyms callers use for it (井盖, 坑, 垃圾 …) */
  keywords: z.array(z.string().min(1).max(20)).optional(),
}).strict();
const FileSchema = z.object({
  name: z.literal(FILE_NAME),
  version: z.number().int().min(1),
  title: Label,
  standard: z.string(),
  note: z.string().optional(),
  workHoursPerDay: z.number().positive(),
  units: z.record(z.string().regex(/^[a-z_]+$/), Label),
  categories: z.array(Row).min(1),
}).strict();

export interface CatalogCategory {
  code: string;
  parentCode: string | null;
  nameZh: string;
  nameEn: string;
  /** which case types use it (a group: those of its leaves) */
  caseTypes: string[];
  /** handling time limit in WORKING hours (leaves only) */
  limitHours?: number;
  /** 立案条件 */
  filingCondition?: string;
  /** 结案条件 */
  closingCondition?: string;
  /** responsibility hint: a key of Catalog.units (a group: the most common among its leaves) */
  defaultUnit: string;
  /** everyday words and synonyms (the picker and the keyword suggestions find the category by them) */
  keywords?: string[];
}

export interface Catalog {
  version: number;
  title: { zh: string; en: string };
  standard: string;
  workHoursPerDay: number;
  /** responsibility hints: the kinds of department that usually lead ('street' = 属地兜底) */
  units: Record<string, { zh: string; en: string }>;
  /** parents before children */
  categories: CatalogCategory[];
}

/** Reads and checks the data file: hierarchical codes, parents present and first, leaves complete. */
export function readCatalog(file = catalogFilePath): Catalog {
  const parsed = FileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`Catalogue file ${file}: ${i.path.join('.')}: ${i.message}`);
  }
  const d = parsed.data;
  const problem = (msg: string) => new Error(`Catalogue file ${file}: ${msg}`);
  const codes = new Set<string>();
  const parents = new Set(d.categories.map((r) => parentOf(r.code)).filter((p): p is string => p !== null));
  for (const r of d.categories) {
    if (codes.has(r.code)) throw problem(`code ${r.code} appears twice`);
    const parent = parentOf(r.code);
    if (parent && !codes.has(parent)) throw problem(`${r.code} comes before its parent ${parent}, or the parent is missing`);
    codes.add(r.code);
    const leaf = !parents.has(r.code);
    if (leaf && (r.limitHours == null || !r.types || !r.unit)) throw problem(`leaf ${r.code} needs types, limitHours and unit`);
    if (!leaf && (r.limitHours != null || r.types || r.unit)) throw problem(`group ${r.code} takes types, limitHours and unit from its leaves`);
    if (r.unit && !(r.unit in d.units)) throw problem(`${r.code}: unit "${r.unit}" is not one of units`);
  }
  return {
    version: d.version, title: d.title, standard: d.standard, workHoursPerDay: d.workHoursPerDay, units: d.units,
    categories: derive(d.categories),
  };
}

function parentOf(code: string): string | null {
  return code.length <= 2 ? null : code.slice(0, -2);
}

/** Groups take their case types (in the order types first appear in the file) and hint from their leaves. */
function derive(rows: Array<z.infer<typeof Row>>): CatalogCategory[] {
  const leaves = rows.filter((r) => r.limitHours != null);
  const typeOrder = [...new Set(leaves.flatMap((l) => l.types!))];
  return rows.map((r): CatalogCategory => {
    const base = { code: r.code, parentCode: parentOf(r.code), nameZh: r.zh, nameEn: r.en, ...(r.keywords?.length ? { keywords: r.keywords } : {}) };
    if (r.limitHours != null) {
      return {
        ...base, caseTypes: [...r.types!], limitHours: r.limitHours, defaultUnit: r.unit!,
        ...(r.filing ? { filingCondition: r.filing } : {}), ...(r.closing ? { closingCondition: r.closing } : {}),
      };
    }
    const below = leaves.filter((l) => l.code.startsWith(r.code));
    const types = new Set(below.flatMap((l) => l.types!));
    const counts = new Map<string, number>();
    for (const l of below) counts.set(l.unit!, (counts.get(l.unit!) ?? 0) + 1);
    let unit = 'street';
    let best = 0;
    for (const [k, n] of counts) if (n > best) { best = n; unit = k; } // first wins ties
    return { ...base, caseTypes: typeOrder.filter((t) => types.has(t)), defaultUnit: unit };
  });
}

// ---------------------------------------------------------------------------------------------
// Loading

export interface CatalogLoad { applied: boolean; version: number }

/** Applies the file when it is newer than what the database holds; keeps administrators' edits. */
export async function loadCatalog(db: Db, catalog: Catalog = readCatalog()): Promise<CatalogLoad> {
  const held = async (q: Queryable) =>
    (await q.query<{ version: number }>('SELECT version FROM catalog_file WHERE name = $1', [FILE_NAME]))[0]?.version ?? 0;
  if ((await held(db)) >= catalog.version) return { applied: false, version: await held(db) };
  const applied = await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_ID]);
    if ((await held(tx)) >= catalog.version) return false; // another process got there first
    await applyCatalog(tx, catalog);
    return true;
  });
  forgetCategory();
  return { applied, version: catalog.version };
}

async function applyCatalog(tx: Queryable, catalog: Catalog): Promise<void> {
  const rows = catalog.categories.map((c) => ({
    code: c.code, parent: c.parentCode, zh: c.nameZh, en: c.nameEn, types: c.caseTypes,
    minutes: c.limitHours != null ? Math.round(c.limitHours * 60) : null,
    filing: c.filingCondition ?? null, closing: c.closingCondition ?? null, unit: c.defaultUnit, keywords: c.keywords ?? [],
  }));
  await tx.query(
    `INSERT INTO category (code, parent_code, name_zh, name_en, case_types, limit_minutes, filing_condition, closing_condition, default_unit_key, keywords)
     SELECT r.code, r.parent, r.zh, r.en, r.types, r.minutes, r.filing, r.closing, r.unit, r.keywords
     FROM jsonb_to_recordset($1::jsonb) AS r(code text, parent text, zh text, en text, types text[], minutes int, filing text, closing text, unit text, keywords text[])
     ON CONFLICT (code) DO UPDATE SET parent_code = EXCLUDED.parent_code, name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en,
       case_types = EXCLUDED.case_types, limit_minutes = EXCLUDED.limit_minutes, filing_condition = EXCLUDED.filing_condition,
       closing_condition = EXCLUDED.closing_condition, default_unit_key = EXCLUDED.default_unit_key, keywords = EXCLUDED.keywords, active = true
     WHERE NOT category.edited`,
    [JSON.stringify(rows)]);
  await tx.query(
    `UPDATE category SET active = false WHERE origin = 'file' AND NOT edited AND active AND NOT (code = ANY($1::text[]))`,
    [rows.map((r) => r.code)]);
  await tx.query(
    `INSERT INTO catalog_file (name, version, loaded_at) VALUES ($1, $2, now())
     ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version, loaded_at = EXCLUDED.loaded_at`,
    [FILE_NAME, catalog.version]);
}

// ---------------------------------------------------------------------------------------------
// Categories: reads and administrators' changes

export interface CategoryRecord {
  code: string; parent_code: string | null; name_zh: string; name_en: string; case_types: string[];
  limit_minutes: number | null; filing_condition: string | null; closing_condition: string | null;
  default_unit_key: string | null; active: boolean; origin: 'file' | 'admin'; edited: boolean; keywords: string[];
}

export async function findCategory(q: Queryable, code: string): Promise<CategoryRecord | null> {
  const [c] = await q.query<CategoryRecord>('SELECT * FROM category WHERE code = $1', [code]);
  return c ?? null;
}

export async function listCategoryRecords(q: Queryable, filter: { type?: string; active?: boolean } = {}): Promise<CategoryRecord[]> {
  const params: unknown[] = [];
  const where: string[] = ['true'];
  if (filter.type) { params.push(filter.type); where.push(`$${params.length} = ANY(case_types)`); }
  if (filter.active !== undefined) where.push(filter.active ? 'active' : 'NOT active');
  return q.query<CategoryRecord>(`SELECT * FROM category WHERE ${where.join(' AND ')} ORDER BY code`, params);
}

export interface CategoryChanges {
  nameZh?: string; nameEn?: string; limitMinutes?: number; filingCondition?: string | null;
  closingCondition?: string | null; active?: boolean;
}

const categoryColumns: Record<keyof CategoryChanges, string> = {
  nameZh: 'name_zh', nameEn: 'name_en', limitMinutes: 'limit_minutes', filingCondition: 'filing_condition',
  closingCondition: 'closing_condition', active: 'active',
};

/** An administrator's change: the category is marked edited, so newer file versions leave it as it is. Call categoriesChanged after commit. */
export async function updateCategory(tx: Queryable, code: string, changes: CategoryChanges): Promise<void> {
  const set: string[] = ['edited = true'];
  const params: unknown[] = [code];
  for (const [field, col] of Object.entries(categoryColumns) as Array<[keyof CategoryChanges, string]>) {
    if (changes[field] === undefined) continue;
    params.push(changes[field]);
    set.push(`${col} = $${params.length}`);
  }
  await tx.query(`UPDATE category SET ${set.join(', ')} WHERE code = $1`, params);
}

/** After the transaction that changed categories commits: intake stops using its cached copy at once. */
export function categoriesChanged(code?: string): void {
  forgetCategory(code);
}

export interface NewCategory {
  code: string; parentCode: string; nameZh: string; nameEn: string; caseTypes: string[]; limitMinutes: number | null;
  filingCondition: string | null; closingCondition: string | null; defaultUnitKey: string | null;
}

/** A category an administrator added: never touched or deactivated by a file version. Call categoriesChanged after commit. */
export async function insertCategory(tx: Queryable, c: NewCategory): Promise<void> {
  await tx.query(
    `INSERT INTO category (code, parent_code, name_zh, name_en, case_types, limit_minutes, filing_condition, closing_condition,
       default_unit_key, origin, edited)
     VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8, $9, 'admin', true)`,
    [c.code, c.parentCode, c.nameZh, c.nameEn, c.caseTypes, c.limitMinutes, c.filingCondition, c.closingCondition, c.defaultUnitKey]);
}

// ---------------------------------------------------------------------------------------------
// The responsibility list (权责清单): category (prefix) × region (prefix) → lead and assisting units

export interface ResponsibilityRuleInput {
  categoryCode: string; regionPrefix: string; leadUnitId: string; assistUnitIds: string[]; note: string | null;
}

export interface ResponsibilityRecord {
  id: number; category_code: string; region_prefix: string; lead_unit_id: string; assist_unit_ids: string[]; note: string | null;
}

/** Writes rules in one statement; returns their ids in input order. A (category, region) pair exists once. */
export async function insertResponsibilities(tx: Queryable, rules: ResponsibilityRuleInput[]): Promise<number[]> {
  if (!rules.length) return [];
  const rows = await tx.query<{ id: number }>(
    `INSERT INTO responsibility (category_code, region_prefix, lead_unit_id, assist_unit_ids, note)
     SELECT r.category_code, r.region_prefix, r.lead_unit_id, r.assist_unit_ids, r.note
     FROM jsonb_to_recordset($1::jsonb) AS r(n int, category_code text, region_prefix text, lead_unit_id text, assist_unit_ids text[], note text)
     ORDER BY r.n RETURNING id`,
    [JSON.stringify(rules.map((r, n) => ({
      n, category_code: r.categoryCode, region_prefix: r.regionPrefix, lead_unit_id: r.leadUnitId, assist_unit_ids: r.assistUnitIds, note: r.note,
    })))]);
  // identity values follow the order the SELECT produced the rows in
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/** Every rule's (category, region prefix): the key of the responsibility list. */
export async function responsibilityKeys(q: Queryable): Promise<Array<[string, string]>> {
  const rows = await q.query<{ category_code: string; region_prefix: string }>('SELECT category_code, region_prefix FROM responsibility');
  return rows.map((r) => [r.category_code, r.region_prefix]);
}

export async function findResponsibility(q: Queryable, id: number, lock = false): Promise<ResponsibilityRecord | null> {
  const [r] = await q.query<ResponsibilityRecord>(`SELECT * FROM responsibility WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return r ? { ...r, id: Number(r.id) } : null;
}

/** The rule for exactly this category and region prefix, if any. */
export async function findResponsibilityFor(q: Queryable, categoryCode: string, regionPrefix: string): Promise<number | null> {
  const [r] = await q.query<{ id: number }>('SELECT id FROM responsibility WHERE category_code = $1 AND region_prefix = $2', [categoryCode, regionPrefix]);
  return r ? Number(r.id) : null;
}

export async function updateResponsibilityRule(tx: Queryable, id: number, r: ResponsibilityRuleInput): Promise<void> {
  await tx.query(
    'UPDATE responsibility SET category_code = $2, region_prefix = $3, lead_unit_id = $4, assist_unit_ids = $5, note = $6 WHERE id = $1',
    [id, r.categoryCode, r.regionPrefix, r.leadUnitId, r.assistUnitIds, r.note]);
}

export async function deleteResponsibilityRule(tx: Queryable, id: number): Promise<void> {
  await tx.query('DELETE FROM responsibility WHERE id = $1', [id]);
}

/** How many rules name the unit as lead or assistant (a unit they name cannot stop handling cases). */
export async function rulesNamingUnit(q: Queryable, unitId: string): Promise<number> {
  const [{ n }] = await q.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM responsibility WHERE lead_unit_id = $1 OR $1 = ANY(assist_unit_ids)', [unitId]);
  return n;
}

const ruleSelect = `SELECT r.id, r.category_code, c.name_zh, c.name_en, r.region_prefix, g.name AS region_name,
  r.lead_unit_id, lu.name AS lead_name, r.assist_unit_ids, r.note,
  (SELECT coalesce(json_agg(json_build_object('id', a.id, 'name', a.name) ORDER BY a.id), '[]'::json)
     FROM unit a WHERE a.id = ANY(r.assist_unit_ids)) AS assists
  FROM responsibility r JOIN category c ON c.code = r.category_code LEFT JOIN region g ON g.code = r.region_prefix
  LEFT JOIN unit lu ON lu.id = r.lead_unit_id`;

export interface ResponsibilityView {
  id: number; categoryCode: string; categoryName: { zh: string; en: string }; regionPrefix: string; regionName: string | null;
  leadUnitId: string; leadUnit: { id: string; name: string | null }; assistUnitIds: string[];
  assistUnits: Array<{ id: string; name: string }>; note: string | null;
}

const ruleView = (r: any): ResponsibilityView => ({
  id: Number(r.id), categoryCode: r.category_code, categoryName: { zh: r.name_zh, en: r.name_en },
  regionPrefix: r.region_prefix, regionName: r.region_name, leadUnitId: r.lead_unit_id,
  leadUnit: { id: r.lead_unit_id, name: r.lead_name }, assistUnitIds: r.assist_unit_ids ?? [],
  assistUnits: typeof r.assists === 'string' ? JSON.parse(r.assists) : r.assists ?? [], note: r.note,
});

/** "Under or above": a rule for a prefix applies to everything under it, so both directions matter. */
const relatedSql = (col: string, p: string) => `(${col} LIKE ${p} || '%' OR ${p} LIKE ${col} || '%')`;

/** Rules related to the scope prefix (and to a category or region, when given), with names for display. */
export async function listResponsibilityViews(q: Queryable, scope: string, filter: { category?: string; region?: string } = {}): Promise<ResponsibilityView[]> {
  const params: unknown[] = [scope];
  const where = [relatedSql('r.region_prefix', '$1')];
  if (filter.category) { params.push(filter.category); where.push(relatedSql('r.category_code', `$${params.length}`)); }
  if (filter.region) { params.push(filter.region); where.push(relatedSql('r.region_prefix', `$${params.length}`)); }
  const rows = await q.query(`${ruleSelect} WHERE ${where.join(' AND ')} ORDER BY r.category_code, r.region_prefix LIMIT 5000`, params);
  return rows.map(ruleView);
}

/** How many rules of the responsibility list relate to the scope prefix (the set-up checklist's 权责清单 step). */
export async function countResponsibilityRules(q: Queryable, scope: string): Promise<number> {
  const [{ n }] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM responsibility r WHERE ${relatedSql('r.region_prefix', '$1')}`, [scope]);
  return n;
}

export async function responsibilityView(q: Queryable, id: number): Promise<ResponsibilityView | null> {
  const [r] = await q.query(`${ruleSelect} WHERE r.id = $1`, [id]);
  return r ? ruleView(r) : null;
}
