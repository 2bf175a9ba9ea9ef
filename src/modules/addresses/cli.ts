// `gongzhi import addresses FILE --as USER`: imports a CSV, XLSX or GeoJSON file into the standard
// address library in USER's scope, printing how many rows were added, updated and refused (and why).
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { getActor } from '../../platform/auth/service.ts';
import { AppError } from '../../platform/errors.ts';
import type { AddressService } from './service.ts';

interface Opened { ctx: { db: { query<T>(sql: string, params?: unknown[]): Promise<T[]> } }; addresses: AddressService; close(): Promise<void> }

export function formatOf(file: string): 'csv' | 'xlsx' | 'geojson' | null {
  const ext = extname(file).toLowerCase();
  return ext === '.csv' ? 'csv' : ext === '.xlsx' ? 'xlsx' : ext === '.geojson' || ext === '.json' ? 'geojson' : null;
}

export async function importAddressesCommand(file: string, opts: { as: string; mode?: string }, open: () => Promise<Opened>): Promise<number> {
  const format = formatOf(file);
  if (!format) { console.error('地址文件须为 .csv、.xlsx 或 .geojson (address files are .csv, .xlsx or .geojson)'); return 2; }
  const bytes = readFileSync(file);
  const p = await open();
  try {
    const [u] = await p.ctx.db.query<{ id: number; active: boolean }>('SELECT id, active FROM app_user WHERE username = $1', [opts.as]);
    const actor = u?.active ? await getActor(p.ctx.db as any, Number(u.id)) : null;
    if (!actor) { console.error(`没有名为 "${opts.as}" 的有效用户 (no active user "${opts.as}")`); return 2; }
    const mode = opts.mode === 'valid_rows' ? 'valid_rows' : 'all_or_nothing';
    const content = format === 'xlsx' ? bytes.toString('base64') : bytes.toString('utf8');
    const r = await p.addresses.importFile(actor, { format, content, mode });
    console.log(`标准地址导入完成：新增 ${r.inserted} 条，更新 ${r.updated} 条，拒绝 ${r.errors.length} 条 (added ${r.inserted}, updated ${r.updated}, refused ${r.errors.length})`);
    for (const e of r.errors.slice(0, 50)) console.log(`  第 ${e.row} 行: ${e.messageZh} (${e.message})`);
    return r.errors.length ? 1 : 0;
  } catch (err) {
    if (err instanceof AppError) {
      console.error(`${err.zh} (${err.message})`);
      for (const e of ((err.extra.errors as any[]) ?? []).slice(0, 50)) console.error(`  第 ${e.row} 行: ${e.messageZh} (${e.message})`);
      return 1;
    }
    throw err;
  } finally {
    await p.close();
  }
}
