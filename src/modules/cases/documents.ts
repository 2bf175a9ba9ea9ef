// Case types as data documents: a district adds a type of its own (物业投诉, …) by dropping a JSON file
// into GONGZHI_CASE_TYPES_DIR, with the definition and the categories it uses. No code changes: the
// engine, inboxes, SLA lights, statistics, the portal and the console read the definition like a
// built-in one. A document that does not validate stops the start with a message naming the file.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Queryable } from '../../platform/db/index.ts';
import type { CaseTypeDef } from './definition.ts';

const label = z.object({ zh: z.string().min(1).max(200), en: z.string().min(1).max(200) }).strict();

/** A category a document brings; parents first, a code starts with its parent's code. */
const CategoryDoc = z.object({
  code: z.string().regex(/^\d{2,12}$/),
  parentCode: z.string().regex(/^\d{2,12}$/).nullable().default(null),
  name: label,
  /** Working minutes to handle a case of this category; absent for a group. */
  limitMinutes: z.number().int().min(1).max(60 * 24 * 365).optional(),
  filingCondition: z.string().max(2000).optional(),
  closingCondition: z.string().max(2000).optional(),
}).strict();

export const CaseTypeDocument = z.object({
  /** The definition (see docs/case-types.md); checked in full by the engine when it is registered. */
  definition: z.object({ type: z.string(), version: z.number().int().min(1) }).passthrough(),
  categories: z.array(CategoryDoc).max(5000).default([]),
}).strict();
export type CaseTypeDocumentT = z.infer<typeof CaseTypeDocument>;

export interface LoadedDocument { file: string; definition: CaseTypeDef; categories: CaseTypeDocumentT['categories'] }

/** The *.json documents of a folder, in file-name order. */
export function readCaseTypeDocuments(dir: string): LoadedDocument[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  return files.map((file) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (err) {
      throw new Error(`Case type document ${file} is not valid JSON: ${(err as Error).message}`);
    }
    const r = CaseTypeDocument.safeParse(parsed);
    if (!r.success) throw new Error(`Case type document ${file} is invalid: ${r.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return { file, definition: r.data.definition as unknown as CaseTypeDef, categories: r.data.categories };
  });
}

/**
 * Adds a document's categories for its type: new codes are inserted; an existing code gains the type
 * in its case types and is active again unless an administrator edited it. Administrators' later edits
 * (names, limits, active) are kept.
 */
export async function ensureDocumentCategories(db: Queryable, doc: LoadedDocument): Promise<void> {
  for (const c of doc.categories) {
    await db.query(
      `INSERT INTO category (code, parent_code, name_zh, name_en, case_types, limit_minutes, filing_condition, closing_condition)
       VALUES ($1, $2, $3, $4, ARRAY[$5::text], $6, $7, $8)
       ON CONFLICT (code) DO UPDATE SET case_types = CASE WHEN $5 = ANY(category.case_types) THEN category.case_types
         ELSE array_append(category.case_types, $5) END,
         -- a newer catalogue file deactivates the codes it does not list, a document's among them: the document brings them back
         active = CASE WHEN category.edited THEN category.active ELSE true END`,
      [c.code, c.parentCode, c.name.zh, c.name.en, doc.definition.type, c.limitMinutes ?? null, c.filingCondition ?? null, c.closingCondition ?? null]);
  }
}
