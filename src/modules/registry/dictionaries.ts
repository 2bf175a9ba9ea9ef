// Dictionaries are data (DESIGN rule 5): code tables ship as versioned JSON files beside this module and
// are loaded into `dictionary` / `dictionary_entry` at start. Loading is idempotent and version-aware:
// a file is applied only when its version is newer than the one in the database; entries an
// administrator edited stay as edited, entries dropped from the file are deactivated, never deleted
// (rows keep referring to them).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db, Queryable } from '../../platform/db/index.ts';
import { AppError, notFound } from '../../platform/errors.ts';

export const dictionariesDir = join(dirname(fileURLToPath(import.meta.url)), 'dictionaries');
const LOCK_ID = 7_351_005;

/** [code, zh, en, parent?, aliases?] */
type EntryTuple = [string, string, string?, (string | null)?, string[]?];

export interface DictionaryFile {
  name: string;
  version: number;
  title: { zh: string; en: string };
  standard: string | null;
  note?: string;
  entries: EntryTuple[];
}

export interface DictionaryEntry {
  code: string;
  labelZh: string;
  labelEn: string | null;
  parentCode: string | null;
  aliases: string[];
  active: boolean;
}

export function readDictionaryFiles(dir = dictionariesDir): DictionaryFile[] {
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => {
    const d = JSON.parse(readFileSync(join(dir, f), 'utf8')) as DictionaryFile;
    if (`${d.name}.json` !== f || !Number.isInteger(d.version) || d.version < 1 || !Array.isArray(d.entries)) {
      throw new Error(`Dictionary file ${f}: needs name (= file name), an integer version ≥ 1 and entries.`);
    }
    return d;
  });
}

/** Applies every file whose version is newer than the database's; returns the names applied. */
export async function loadDictionaries(db: Db, files = readDictionaryFiles()): Promise<string[]> {
  const current = new Map((await db.query<{ name: string; version: number }>('SELECT name, version FROM dictionary'))
    .map((r) => [r.name, r.version]));
  if (files.every((f) => (current.get(f.name) ?? 0) >= f.version)) return [];
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_ID]);
    const seen = new Map((await tx.query<{ name: string; version: number }>('SELECT name, version FROM dictionary'))
      .map((r) => [r.name, r.version]));
    const applied: string[] = [];
    for (const f of files) {
      if ((seen.get(f.name) ?? 0) >= f.version) continue;
      await applyFile(tx, f);
      applied.push(f.name);
    }
    return applied;
  });
}

async function applyFile(tx: Queryable, f: DictionaryFile): Promise<void> {
  await tx.query(
    `INSERT INTO dictionary (name, title_zh, title_en, standard, note, version) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (name) DO UPDATE SET title_zh = EXCLUDED.title_zh, title_en = EXCLUDED.title_en, standard = EXCLUDED.standard,
       note = EXCLUDED.note, version = EXCLUDED.version, loaded_at = now(), updated_at = now()`,
    [f.name, f.title.zh, f.title.en, f.standard ?? null, f.note ?? null, f.version]);
  const codes = f.entries.map((e) => e[0]);
  await tx.query(
    `INSERT INTO dictionary_entry (dictionary, code, label_zh, label_en, parent_code, aliases, sort)
     SELECT $1, e.code, e.zh, e.en, e.parent, coalesce(e.aliases, '{}'), e.sort
     FROM jsonb_to_recordset($2::jsonb) AS e(code text, zh text, en text, parent text, aliases text[], sort int)
     ON CONFLICT (dictionary, code) DO UPDATE SET label_zh = EXCLUDED.label_zh, label_en = EXCLUDED.label_en,
       parent_code = EXCLUDED.parent_code, aliases = EXCLUDED.aliases, sort = EXCLUDED.sort, active = true, updated_at = now()
     WHERE NOT dictionary_entry.edited`,
    [f.name, JSON.stringify(f.entries.map((e, i) => ({ code: e[0], zh: e[1], en: e[2] ?? null, parent: e[3] ?? null, aliases: e[4] ?? [], sort: i })))]);
  await tx.query(
    `UPDATE dictionary_entry SET active = false, updated_at = now()
     WHERE dictionary = $1 AND origin = 'file' AND NOT edited AND active AND NOT (code = ANY($2::text[]))`,
    [f.name, codes]);
}

// ---------------------------------------------------------------------------------------------
// Reading: a per-process cache, refreshed after an edit here and every 30 s for edits made elsewhere.

export interface DictionarySnapshot {
  /** active codes per dictionary */
  codes: Record<string, string[]>;
  /** label or alias (lower-case) → code, per dictionary: imports accept 男 or 男性 for 1 */
  byLabel: Record<string, Record<string, string>>;
}

export class Dictionaries {
  private entries = new Map<string, Map<string, DictionaryEntry>>();
  private until = 0;

  constructor(private readonly db: Queryable, private readonly ttlMs = 30_000) {}

  async refresh(): Promise<void> {
    const rows = await this.db.query<any>(
      'SELECT dictionary, code, label_zh, label_en, parent_code, aliases, active FROM dictionary_entry ORDER BY dictionary, sort, code');
    const next = new Map<string, Map<string, DictionaryEntry>>();
    for (const r of rows) {
      if (!next.has(r.dictionary)) next.set(r.dictionary, new Map());
      next.get(r.dictionary)!.set(r.code, {
        code: r.code, labelZh: r.label_zh, labelEn: r.label_en, parentCode: r.parent_code, aliases: r.aliases ?? [], active: r.active,
      });
    }
    this.entries = next;
    this.until = Date.now() + this.ttlMs;
  }

  async fresh(): Promise<this> {
    if (Date.now() >= this.until) await this.refresh();
    return this;
  }

  invalidate(): void { this.until = 0; }

  /** An active code of the dictionary. */
  has(name: string, code: string): boolean {
    return this.entries.get(name)?.get(code)?.active === true;
  }

  entry(name: string, code: string): DictionaryEntry | undefined {
    return this.entries.get(name)?.get(code);
  }

  /** Plain data for validation off the main thread (import workers). */
  snapshot(): DictionarySnapshot {
    const codes: DictionarySnapshot['codes'] = {};
    const byLabel: DictionarySnapshot['byLabel'] = {};
    for (const [name, m] of this.entries) {
      codes[name] = [];
      const labels: Record<string, string> = {};
      for (const e of m.values()) {
        if (!e.active) continue;
        codes[name].push(e.code);
        for (const l of [e.labelZh, e.labelEn, ...e.aliases]) if (l && !(l.toLowerCase() in labels)) labels[l.toLowerCase()] = e.code;
      }
      byLabel[name] = labels;
    }
    return { codes, byLabel };
  }
}

// ---------------------------------------------------------------------------------------------
// Use cases: read (any signed-in user: forms need the codes), edit (administrators of the top region)

export async function listDictionaries(db: Queryable) {
  const rows = await db.query<any>(
    `SELECT d.name, d.title_zh, d.title_en, d.standard, d.note, d.version, d.updated_at,
       (SELECT count(*)::int FROM dictionary_entry e WHERE e.dictionary = d.name AND e.active) AS entries
     FROM dictionary d ORDER BY d.name`);
  return {
    items: rows.map((r) => ({
      name: r.name, title: { zh: r.title_zh, en: r.title_en }, standard: r.standard, note: r.note, version: r.version,
      entries: r.entries, updatedAt: new Date(r.updated_at).toISOString(),
    })),
  };
}

/** The labels of a dictionary's active entries, by code (for other modules' texts: a metric's name in a case's description). */
export async function dictionaryLabels(db: Queryable, name: string): Promise<Map<string, { zh: string; en: string | null }>> {
  const rows = await db.query<{ code: string; label_zh: string; label_en: string | null }>(
    'SELECT code, label_zh, label_en FROM dictionary_entry WHERE dictionary = $1 AND active', [name]);
  return new Map(rows.map((r) => [r.code, { zh: r.label_zh, en: r.label_en }]));
}

export async function getDictionary(db: Queryable, name: string, all = false) {
  const [d] = await db.query<any>('SELECT name, title_zh, title_en, standard, note, version, updated_at FROM dictionary WHERE name = $1', [name]);
  if (!d) throw notFound({ zh: `数据字典 ${name}`, en: `Dictionary ${name}` });
  const rows = await db.query<any>(
    `SELECT code, label_zh, label_en, parent_code, aliases, active, origin, edited FROM dictionary_entry
     WHERE dictionary = $1${all ? '' : ' AND active'} ORDER BY sort, code`, [name]);
  return {
    name: d.name, title: { zh: d.title_zh, en: d.title_en }, standard: d.standard, note: d.note, version: d.version,
    updatedAt: new Date(d.updated_at).toISOString(),
    entries: rows.map((r) => ({
      code: r.code, labelZh: r.label_zh, labelEn: r.label_en, parentCode: r.parent_code, aliases: r.aliases ?? [],
      active: r.active, origin: r.origin, edited: r.edited,
    })),
  };
}

export interface DictionaryEdit {
  code: string; labelZh?: string; labelEn?: string | null; parentCode?: string | null; aliases?: string[]; active?: boolean;
}

/**
 * Changes labels, aliases, parents or the active flag of entries, or adds entries. Edited entries are
 * kept as edited when a newer file version is loaded. Codes are never deleted: records refer to them.
 */
export async function patchDictionary(db: Db, actorId: number, name: string, edits: DictionaryEdit[]): Promise<void> {
  const codes = edits.map((e) => e.code);
  if (new Set(codes).size !== codes.length) throw new AppError(422, 'duplicate_code', { zh: `一次修改中每个代码只能出现一次。`, en: 'Each code may appear once in a change.' });
  await db.transaction(async (tx) => {
    const [d] = await tx.query('SELECT name FROM dictionary WHERE name = $1 FOR UPDATE', [name]);
    if (!d) throw notFound({ zh: `数据字典 ${name}`, en: `Dictionary ${name}` });
    const existing = new Map((await tx.query<any>('SELECT code, parent_code FROM dictionary_entry WHERE dictionary = $1', [name]))
      .map((r) => [r.code, r]));
    const [{ n: maxSort }] = await tx.query<{ n: number }>('SELECT coalesce(max(sort), 0)::int AS n FROM dictionary_entry WHERE dictionary = $1', [name]);
    const known = new Set([...existing.keys(), ...codes]);
    let sort = maxSort;
    for (const e of edits) {
      if (e.parentCode && !known.has(e.parentCode)) throw new AppError(422, 'unknown_parent', { zh: `上级代码 ${e.parentCode} 不在字典 ${name} 中。`, en: `Parent code ${e.parentCode} is not in ${name}.` });
      if (existing.has(e.code)) {
        const set: string[] = [];
        const params: unknown[] = [name, e.code];
        const put = (col: string, v: unknown) => { params.push(v); set.push(`${col} = $${params.length}`); };
        if (e.labelZh !== undefined) put('label_zh', e.labelZh);
        if (e.labelEn !== undefined) put('label_en', e.labelEn);
        if (e.parentCode !== undefined) put('parent_code', e.parentCode);
        if (e.aliases !== undefined) put('aliases', e.aliases);
        if (e.active !== undefined) put('active', e.active);
        if (!set.length) continue;
        await tx.query(`UPDATE dictionary_entry SET ${set.join(', ')}, edited = true, updated_at = now() WHERE dictionary = $1 AND code = $2`, params);
      } else {
        if (!e.labelZh) throw new AppError(422, 'label_required', { zh: `新代码（${e.code}）须填写中文名称（labelZh）。`, en: `A new code (${e.code}) needs labelZh.` });
        await tx.query(
          `INSERT INTO dictionary_entry (dictionary, code, label_zh, label_en, parent_code, aliases, sort, active, origin, edited)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'admin', true)`,
          [name, e.code, e.labelZh, e.labelEn ?? null, e.parentCode ?? null, e.aliases ?? [], ++sort, e.active ?? true]);
      }
    }
    await tx.query('UPDATE dictionary SET updated_at = now() WHERE name = $1', [name]);
    await tx.query(
      'INSERT INTO audit_log (actor_id, action, target, region_code, detail) VALUES ($1, $2, $3, NULL, $4::jsonb)',
      [actorId, 'dictionary.update', `dictionary:${name}`, JSON.stringify({ entries: edits })]);
  });
}
