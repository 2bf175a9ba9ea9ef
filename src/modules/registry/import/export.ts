// Exports and templates in the import format. Exports are masked: personal columns carry the masked
// forms (500117********1234, 张*, 138****5678), never the sealed values; each export is audited.
import type { Actor } from '../../../platform/auth/actor.ts';
import { regionPrefixSql } from '../../../platform/scope.ts';
import { audit, type RegistryDeps } from '../common.ts';
import type { ImportKind } from '../contracts.ts';
import { kinds } from '../kinds.ts';
import { assertRegistryUser, scopeSql } from '../policy.ts';
import { headerTitle, importColumns, type ImportColumn } from './columns.ts';
import { BOM, csvLine } from './sources.ts';

export function templateCsv(kind: ImportKind): string {
  return BOM + csvLine(importColumns[kind].map(headerTitle));
}

export const exportHeader = (kind: ImportKind) => ['id', ...importColumns[kind].map(headerTitle)];

const tables: Record<ImportKind, string> = { persons: 'person', houses: 'house', organisations: 'organisation', facilities: 'facility' };

function cell(kind: ImportKind, c: ImportColumn, row: any): unknown {
  if (c.key === 'regionCode') return row.region_code;
  if (kind === 'persons') {
    if (c.key === 'idNumber') return row.id_masked;
    if (c.key === 'name') return row.name_masked;
    if (c.key === 'phone') return row.phone_masked;
    if (c.key === 'idType') return row.id_type;
    if (c.key === 'populationType') return row.population_type;
    if (c.target?.startsWith('details.')) return row.details?.[c.key] ?? row.masked?.[c.key] ?? '';
    const f = c.key.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);
    return row[f];
  }
  if (c.personal) return row.masked?.[c.key] ?? '';
  const fd = kinds[kind as 'houses'].fields.find((x) => x.api === c.key);
  const v = fd ? row[fd.col] : '';
  return Array.isArray(v) ? v.join(',') : typeof v === 'boolean' ? (v ? 'true' : 'false') : v;
}

/** The records of a kind in the actor's scope (optionally under a region), as CSV lines with a BOM and header. */
export async function* exportCsv(deps: RegistryDeps, actor: Actor, kind: ImportKind, regionCode?: string): AsyncGenerator<string> {
  assertRegistryUser(actor);
  const { db } = deps.ctx;
  await audit(db, actor, 'registry.export', `export:${kind}`, regionCode ?? actor.regionCode, { kind, regionCode: regionCode ?? null });
  yield BOM + csvLine(exportHeader(kind));
  const cols = importColumns[kind];
  const dateCols = kind === 'persons' ? ['birth_date'] : kinds[kind].fields.filter((f) => f.pg === 'date').map((f) => f.col);
  const select = `SELECT t.*${dateCols.map((c) => `, to_char(t.${c}, 'YYYY-MM-DD') AS ${c}`).join('')}`;
  let last = 0;
  for (;;) {
    const params: unknown[] = [last];
    // persons are scoped by region_code prefix (their one scope index, migration 0008)
    const leveled = kind !== 'persons';
    const where = [`t.id > $1`, scopeSql(actor, 't', params, leveled)];
    if (regionCode) where.push(regionPrefixSql(regionCode, 't', params, leveled));
    const rows = await db.query<any>(`${select} FROM ${tables[kind]} t WHERE ${where.join(' AND ')} ORDER BY t.id LIMIT 2000`, params);
    if (!rows.length) return;
    let chunk = '';
    for (const r of rows) chunk += csvLine([Number(r.id), ...cols.map((c) => cell(kind, c, r))]);
    yield chunk;
    last = Number(rows[rows.length - 1].id);
  }
}
