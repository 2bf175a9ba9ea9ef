// One row of an import file → the literals of a database row, or the reasons it is refused. Pure
// and free of the database, so worker threads run it too: cells become API values (labels → codes,
// dates and numbers parsed), the API's own zod schema and prepare.ts checks run, the grid is checked
// against the region directory and the importer's scope, personal fields are sealed and masked.
import type { z } from 'zod';
import type { PersonalDataCipher } from '../../../platform/crypto.ts';
import { inPrefixes, regionLevels } from '../../../platform/scope.ts';
import type { ImportKind } from '../contracts.ts';
import type { DictionarySnapshot } from '../dictionaries.ts';
import { createSchema, kinds, type Issue, type PgType } from '../kinds.ts';
import { PersonCreate, personFields, populationDetails, type PopulationType } from '../persons-model.ts';
import { PERSON_COLUMNS, preparePerson, prepareRecord, type PrepareEnv } from '../prepare.ts';
import { mask } from '../protect.ts';
import { truncateCodePoints } from '../../../platform/text.ts';
import { gridIssue } from '../region-directory.ts';
import { headerTitle, type HeaderMap, type ImportColumn } from './columns.ts';
import { notApplicable, zhReason } from './messages.ts';
import { divisionCodeOf } from '../../regions/index.ts';

export interface RowEnvData {
  kind: ImportKind;
  dict: DictionarySnapshot;
  regions: Array<[string, string]>;
  scope: string[];
  today: string;
  actorId: number;
  jobId: number;
}

export interface RowEnv {
  kind: ImportKind;
  prepare: PrepareEnv;
  dict: DictionarySnapshot;
  codeSets: Record<string, Set<string>>;
  levels: Map<string, string>;
  scope: string[];
  actorId: number;
  jobId: number;
}

export function rowEnv(data: RowEnvData, cipher: PersonalDataCipher): RowEnv {
  const codeSets: Record<string, Set<string>> = {};
  for (const [name, codes] of Object.entries(data.dict.codes)) codeSets[name] = new Set(codes);
  return {
    kind: data.kind, dict: data.dict, codeSets, levels: new Map(data.regions), scope: data.scope, actorId: data.actorId, jobId: data.jobId,
    prepare: { has: (d, c) => codeSets[d]?.has(c) === true, today: new Date(data.today), cipher },
  };
}

/** A refused cell (or row): the reason in English and Chinese; `cells`, the row as it was in the file, on one error of the row. */
export interface RowError { row: number; column: string; value: string; reason: string; zh?: string; cells?: string[] }
/** A cell ignored in an accepted row (a column that does not apply to the row's population type). */
export interface RowWarning { row: number; column: string; value: string; reason: string; zh: string }
/** A row accepted: its duplicate key (document hash, credit code …) and the literals of its columns. */
export interface RowOk {
  row: number;
  key: string | null;
  /** the column and (masked) value the key comes from, for the error report of a duplicate */
  keyOf?: { column: string; value: string };
  literals: (string | null)[];
  warnings?: RowWarning[];
  /** the row as it was in the file (inline checks only), for the report of a duplicate */
  cells?: string[];
}

export interface TableSpec { table: string; columns: string[]; types: PgType[]; keyColumn: string | null }

const regionCols = ['region_code', 'district_code', 'street_code', 'community_code'];
const personTypes: PgType[] = [
  'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text',
  ...personFields.map((f) => f.pg), 'jsonb', 'jsonb', 'text',
];

export function tableSpec(kind: ImportKind): TableSpec {
  if (kind === 'persons') {
    return {
      table: 'person', columns: [...regionCols, ...PERSON_COLUMNS, 'created_by', 'import_job_id'],
      types: ['text', 'text', 'text', 'text', ...personTypes, 'int8', 'int8'], keyColumn: 'id_hash',
    };
  }
  const k = kinds[kind];
  const columns = [...regionCols, ...k.fields.map((f) => f.col)];
  const types: PgType[] = ['text', 'text', 'text', 'text', ...k.fields.map((f) => f.pg)];
  if (k.sensitive.length) { columns.push('sealed', 'masked'); types.push('text', 'jsonb'); }
  columns.push('created_by');
  types.push('int8');
  const keyColumn = kind === 'houses' ? null : kind === 'organisations' ? 'credit_code' : 'code';
  return { table: k.table, columns, types, keyColumn };
}

const schemas: Record<ImportKind, z.ZodType> = {
  persons: PersonCreate,
  houses: createSchema(kinds.houses),
  organisations: createSchema(kinds.organisations),
  facilities: createSchema(kinds.facilities),
};

// ---------------------------------------------------------------------------------------------
// Cells → API values

const TRUE = new Set(['是', 'true', '1', 'y', 'yes', 't']);
const FALSE = new Set(['否', 'false', '0', 'n', 'no', 'f']);

function normaliseDate(s: string): string {
  const m = /^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$/.exec(s);
  return m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : s;
}

/** A cell of a coded column → its code: the code itself, or a label, short form or alias of it (中共党员 → 01). */
export function codeOf(env: Pick<RowEnv, 'codeSets' | 'dict'>, dict: string | undefined, v: string): string {
  if (!dict || env.codeSets[dict]?.has(v)) return v;
  return env.dict.byLabel[dict]?.[v.toLowerCase()] ?? env.dict.byLabel[dict]?.[v.replace(/\s+/g, '').toLowerCase()] ?? v;
}
const code = codeOf;
const isCode = (env: RowEnv, dict: string | undefined, v: unknown) => !dict || typeof v !== 'string' || env.codeSets[dict]?.has(v) === true;

function cellValue(env: RowEnv, c: ImportColumn, raw: string): unknown {
  if (c.labels) return c.labels[raw] ?? c.labels[raw.toLowerCase()] ?? raw;
  if (c.place) return divisionCodeOf(raw) ?? raw;
  switch (c.type) {
    case 'int': case 'number': return /^[+-]?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
    case 'bool': return TRUE.has(raw.toLowerCase()) ? true : FALSE.has(raw.toLowerCase()) ? false : raw;
    case 'date': return normaliseDate(raw);
    case 'list': return raw.split(/[,;、|，；]/).map((s) => s.trim()).filter(Boolean).map((s) => code(env, c.dict, s));
    default: return code(env, c.dict, raw);
  }
}

/** Where a column's value goes in the API input: ['name'] or ['details', 'nationality'], split once per column. */
const targetPaths = new WeakMap<ImportColumn, [string, string?]>();
function targetPath(c: ImportColumn): [string, string?] {
  let path = targetPaths.get(c);
  if (!path) {
    const target = c.target ?? c.key;
    const dot = target.indexOf('.');
    targetPaths.set(c, path = dot < 0 ? [target] : [target.slice(0, dot), target.slice(dot + 1)]);
  }
  return path;
}

interface RowInput { input: Record<string, any>; issues: Issue[]; warnings: Array<{ column: ImportColumn; raw: string; reason: { en: string; zh: string } }> }

/**
 * Cells → API input. A coded cell that is neither a code nor a label of its dictionary is an issue of its
 * own (and left out, so the row's other checks still run); a person's column that does not apply to the
 * row's population type (户号 of a 流动人口) is ignored with a warning.
 */
function toInput(env: RowEnv, map: HeaderMap, cells: string[]): RowInput {
  const input: Record<string, any> = {};
  const issues: Issue[] = [];
  const warnings: RowInput['warnings'] = [];
  const typeIndex = env.kind === 'persons' ? map.columns.findIndex((c) => c.key === 'populationType') : -1;
  const typeCell = typeIndex >= 0 ? cells[map.index[typeIndex]]?.trim() : undefined;
  const typeColumn = typeIndex >= 0 ? map.columns[typeIndex] : undefined;
  const type = typeCell && typeColumn ? cellValue(env, typeColumn, typeCell) as string : undefined;
  const set = type && Object.hasOwn(populationDetails, type) ? populationDetails[type as PopulationType] : undefined;
  for (let i = 0; i < map.columns.length; i++) {
    const raw = cells[map.index[i]]?.trim();
    if (!raw) continue;
    const c = map.columns[i];
    if (c.dictOf) continue; // after the values it depends on
    const [top, sub] = targetPath(c);
    if (top === 'details' && set && !set.fields.some((f) => f.key === sub)) {
      warnings.push({ column: c, raw, reason: notApplicable(c.zh, set.zh) });
      continue;
    }
    const v = cellValue(env, c, raw);
    const bad = c.dict && (Array.isArray(v) ? v.find((x) => !isCode(env, c.dict, x)) : !isCode(env, c.dict, v) ? v : undefined);
    if (bad !== undefined && bad !== false) {
      issues.push({ path: c.target ?? c.key, code: 'unknown_code', message: `"${bad}" is neither a code nor a label of ${c.dict}` });
      continue;
    }
    if (sub === undefined) input[top] = v;
    else (input[top] ??= {})[sub] = v;
  }
  for (let i = 0; i < map.columns.length; i++) {
    const c = map.columns[i];
    const raw = cells[map.index[i]]?.trim();
    if (c.dictOf && raw) input[c.key] = code(env, c.dictOf(input), raw);
  }
  return { input, issues, warnings };
}

/** Removes the values at the paths of issues ('name', 'details.arrivedOn'), so the other checks can run on the rest. */
function without(input: Record<string, any>, paths: string[]): Record<string, any> {
  const out: Record<string, any> = { ...input, ...(input.details ? { details: { ...input.details } } : {}) };
  for (const p of paths) {
    const [top, sub] = p.split('.');
    if (sub !== undefined && out[top] && typeof out[top] === 'object') delete out[top][sub];
    else delete out[top];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Literals (PostgreSQL text input format) and COPY lines

const arrayItem = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function literal(v: unknown): string | null {
  if (v == null) return null;
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `{${v.map((x) => arrayItem(String(x))).join(',')}}`;
  return JSON.stringify(v);
}

const COPY_ESCAPE = /[\\\t\n\r]/g;
const copyEscapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
/** One line of COPY text input. Built with one join (a flat string) rather than `+=` (a rope flattened later). */
export function copyLine(literals: (string | null)[]): string {
  const n = literals.length;
  const parts: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = literals[i];
    parts[i] = v === null ? '\\N' : COPY_ESCAPE.test(v) ? v.replace(COPY_ESCAPE, (m) => copyEscapes[m]) : v;
    COPY_ESCAPE.lastIndex = 0;
  }
  parts[n - 1] += '\n';
  return parts.join('\t');
}

// ---------------------------------------------------------------------------------------------
// One row

function reportIssues(map: HeaderMap, cells: string[], row: number, issues: Issue[]): RowError[] {
  const out = issues.map((i): RowError => {
    const k = map.columns.findIndex((c) => (c.target ?? c.key) === i.path);
    if (k < 0) return { row, column: i.path, value: '', reason: i.message, zh: zhReason(i, i.path, '') };
    const c = map.columns[k];
    const raw = cells[map.index[k]]?.trim() ?? '';
    const value = c.personal && raw ? mask(c.personal, raw) : truncateCodePoints(raw, 200);
    return { row, column: headerTitle(c), value, reason: i.message, zh: zhReason(i, c.zh, value) };
  });
  if (out.length) out[0].cells = cells;
  return out;
}

/** Issues by path, the first of each path only (a cell refused by its schema is not refused again by a later check). */
function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const covered = [...seen].some((p) => p === i.path || i.path.startsWith(`${p}.`));
    seen.add(i.path);
    return !covered;
  });
}

const zodIssues = (issues: readonly z.core.$ZodIssue[]): Issue[] => issues.slice(0, 30).flatMap((i): Issue[] => (i.code === 'unrecognized_keys'
  ? i.keys.map((k) => ({ path: [...i.path.map(String), k].join('.'), code: 'validation_failed', message: `${k} is not a field here` }))
  : [{ path: i.path.map(String).join('.'), code: 'validation_failed', message: i.message }]));

export function processRow(env: RowEnv, spec: TableSpec, map: HeaderMap, cells: string[], row: number, headerLength: number): RowOk | RowError[] {
  if (cells.length !== headerLength) {
    const reason = `the row has ${cells.length} fields; the header has ${headerLength}`;
    return [{ row, column: '', value: '', reason, zh: zhReason({ code: 'row_length', message: reason }, '', ''), cells }];
  }
  const { input, issues, warnings } = toInput(env, map, cells);
  // every problem of the row: the schema's, and the data checks' on what the schema let through
  const parsed = schemas[env.kind].safeParse(input);
  if (!parsed.success) issues.push(...zodIssues(parsed.error.issues));
  const value = (parsed.success ? parsed.data : without(input, issues.map((i) => i.path))) as Record<string, any>;
  const gi = gridIssue(value.regionCode, (c) => env.levels.get(c), (c) => inPrefixes(c, env.scope));
  if (gi && !issues.some((i) => i.path === 'regionCode')) issues.push(gi);
  let literals: (string | null)[] | null = null;
  let key: string | null = null;
  let keyOfRow: RowOk['keyOf'];
  const region = gi ? null : regionLevels(value.regionCode);
  const head = region ? [value.regionCode, region.district, region.street, region.community] : [];
  if (env.kind === 'persons') {
    const ok = issues.length === 0;
    const p = preparePerson(ok ? value : { populationType: 'registered', ...value, idNumber: value.idNumber ?? '', name: value.name ?? '' }, env.prepare);
    if (!p.ok) issues.push(...p.issues.filter((i) => ok || (i.path !== 'idNumber' || value.idNumber !== undefined)));
    else if (ok) {
      literals = [...head, ...PERSON_COLUMNS.map((c) => literal(p.value[c])), String(env.actorId), String(env.jobId)];
      key = p.value.id_hash;
      keyOfRow = keyOf(map, 'idNumber', p.value.id_masked);
    }
  } else {
    const k = kinds[env.kind];
    const p = prepareRecord(k, value, env.prepare);
    if (!p.ok) issues.push(...p.issues);
    else if (!issues.length) {
      literals = [...head, ...k.fields.map((f) => literal(p.value.cols[f.col]))];
      if (k.sensitive.length) literals.push(p.value.sealed, JSON.stringify(p.value.masked));
      literals.push(String(env.actorId));
      key = spec.keyColumn ? (p.value.cols[spec.keyColumn] as string | null) ?? null : `${value.regionCode}|${value.address}`;
      const keyField = env.kind === 'houses' ? 'address' : env.kind === 'organisations' ? 'creditCode' : 'code';
      keyOfRow = keyOf(map, keyField, env.kind === 'houses' ? value.address : key ?? '');
    }
  }
  if (issues.length || !literals) return reportIssues(map, cells, row, dedupe(issues));
  const out: RowOk = { row, key, keyOf: keyOfRow, literals };
  if (warnings.length) {
    out.warnings = warnings.map((w) => ({ row, column: headerTitle(w.column), value: w.column.personal ? mask(w.column.personal, w.raw) : truncateCodePoints(w.raw, 200), reason: w.reason.en, zh: w.reason.zh }));
  }
  return out;
}

/** The column title of a key field, once per header map (it is asked for every accepted row). */
const keyTitles = new WeakMap<HeaderMap, Map<string, string>>();
function keyOf(map: HeaderMap, key: string, value: string): RowOk['keyOf'] {
  let titles = keyTitles.get(map);
  if (!titles) keyTitles.set(map, titles = new Map());
  let column = titles.get(key);
  if (column === undefined) {
    const c = map.columns.find((x) => x.key === key);
    titles.set(key, column = c ? headerTitle(c) : key);
  }
  return { column, value };
}
