// Any case list as an XLSX workbook (the command centre's 导出): the same filters, scope and order as
// GET /api/v1/cases, up to EXPORT_LIMIT rows, with the period and the count on a first sheet.
import ExcelJS from 'exceljs';
import type { Actor } from '../../platform/auth/actor.ts';
import { listCases } from './list.ts';
import type { ListQueryT } from './contracts.ts';
import type { CaseDeps } from './deps.ts';
import { inboxGroups } from './definition.ts';

export const EXPORT_LIMIT = 10_000;

const APPEAL: Record<string, [string, string]> = {
  consult: ['咨询', 'Enquiry'], help: ['求助', 'Help'], complaint: ['投诉', 'Complaint'], report: ['举报', 'Report'], suggestion: ['建议', 'Suggestion'], praise: ['表扬', 'Praise'],
};

export async function exportCases(deps: CaseDeps, actor: Actor, q: ListQueryT, lang: 'zh' | 'en'): Promise<{ buffer: Buffer; rows: number; truncated: boolean }> {
  const items = [];
  let truncated = false;
  for (let page = 1; ; page++) {
    const r = await listCases(deps, actor, { ...q, page, pageSize: 200, count: undefined });
    items.push(...r.items);
    if (!r.hasMore) break;
    if (items.length >= EXPORT_LIMIT) { truncated = true; break; }
  }
  const cats = new Map((await deps.ctx.db.query<{ code: string; name_zh: string; name_en: string }>('SELECT code, name_zh, name_en FROM category')).map((c) => [c.code, c]));
  // the full path of each case's region below the district: 街道 / 社区 / 网格
  const levels = (code: string) => [9, 12, 14].filter((n) => n <= code.length).map((n) => code.slice(0, n));
  const regionCodes = [...new Set(items.flatMap((i) => levels(i.regionCode)))];
  const names = new Map((await deps.ctx.db.query<{ code: string; name: string; short_name: string | null }>(
    'SELECT code, name, short_name FROM region WHERE code = ANY($1::text[])', [regionCodes])).map((r) => [r.code, r.short_name || r.name]));
  const regions = new Map(items.map((i) => [i.regionCode, levels(i.regionCode).map((c) => names.get(c) ?? c).join(' / ') || i.regionCode]));
  const units = new Map((await deps.ctx.db.query<{ id: string; name: string }>('SELECT id, name FROM unit')).map((u) => [u.id, u.name]));
  const zh = lang === 'zh';
  const wb = new ExcelJS.Workbook();
  const about = wb.addWorksheet(zh ? '说明' : 'About');
  about.columns = [{ width: 18 }, { width: 60 }];
  const time = (iso: string | null | undefined) => (iso ? beijing(iso) : '');
  const filters = await describeFilters(deps, q, zh, cats);
  for (const row of [
    [zh ? '导出时间' : 'Exported at', `${beijing(deps.ctx.now().toISOString())}${zh ? '（北京时间）' : ' (Beijing time)'}`],
    [zh ? '导出人' : 'Exported by', actor.displayName],
    [zh ? '期间（上报时间）' : 'Period (reported)', `${time(q.from) || (zh ? '不限' : 'any')} ~ ${time(q.to) || (zh ? '不限' : 'any')}`],
    [zh ? '筛选条件' : 'Filters', filters || (zh ? '无' : 'none')],
    [zh ? '案件数' : 'Cases', truncated ? `${items.length}+（${zh ? '仅导出前' : 'first'} ${items.length}）` : items.length],
  ]) about.addRow(row);
  const ws = wb.addWorksheet(zh ? '案件' : 'Cases');
  const cols: Array<[string, string, number]> = [
    ['工单编号', 'Case no.', 20], ['标题', 'Title', 36], ['类型', 'Type', 12], ['状态', 'State', 10], ['诉求类型', 'Request kind', 10],
    ['事项分类', 'Category', 16], ['所属区域', 'Region', 24], ['地址', 'Address', 30], ['主办单位', 'Lead unit', 22], ['督办', 'Supervised', 6],
    ['上报时间', 'Reported', 18], ['环节时限', 'Step due', 18], ['超期', 'Overdue', 6], ['结案时间', 'Closed', 18],
  ];
  ws.columns = cols.map(([z, e, width]) => ({ header: zh ? z : e, width }));
  ws.getRow(1).font = { bold: true };
  for (const c of items) {
    const cat = cats.get(c.categoryCode);
    ws.addRow([
      c.caseNo, c.title, zh ? c.typeName.zh : c.typeName.en, zh ? c.stateLabel.zh : c.stateLabel.en,
      c.appealKind ? APPEAL[c.appealKind]?.[zh ? 0 : 1] ?? c.appealKind : '', cat ? (zh ? cat.name_zh : cat.name_en) : c.categoryCode,
      regions.get(c.regionCode) ?? c.regionCode, c.address ?? '', c.leadUnitId ? units.get(c.leadUnitId) ?? c.leadUnitId : '',
      c.supervised ? (zh ? '是' : 'yes') : '', time(c.createdAt), c.isOpen ? time(c.sla.dueAt) : '',
      c.isOpen && c.sla.light === 'red' ? (zh ? '是' : 'yes') : '', time(c.closedAt),
    ]);
  }
  return { buffer: Buffer.from(await wb.xlsx.writeBuffer()), rows: items.length, truncated };
}

/** A moment as Beijing time, to the minute: 2026-12-07 09:14. */
export const beijing = (iso: string): string => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

const SLA: Record<string, [string, string]> = { green: ['绿灯', 'green'], yellow: ['黄灯', 'yellow'], red: ['红灯', 'red'] };

/** The list's filters in words: 区域 南津街街道；仅在办；时间 2026-12-01 08:00 至 2026-12-07 08:00 (not region=…; open=true). */
async function describeFilters(deps: CaseDeps, q: ListQueryT, zh: boolean, cats: Map<string, { name_zh: string; name_en: string }>): Promise<string> {
  const parts: string[] = [];
  const say = (z: string, e: string) => parts.push(zh ? z : e);
  const one = async <T>(sql: string, arg: string) => (await deps.ctx.db.query<T>(sql, [arg]))[0];
  if (q.region) {
    const r = await one<{ name: string }>('SELECT name FROM region WHERE code = $1', q.region);
    say(`区域 ${r?.name ?? q.region}`, `region ${r?.name ?? q.region}`);
  }
  if (q.open === 'true') say('仅在办', 'open only');
  if (q.open === 'false') say('仅已办结', 'closed only');
  if (q.inbox === 'true') say('仅我的待办', 'my inbox');
  if (q.group) say(`待办分组 ${inboxGroups[q.group].zh}`, `inbox group ${inboxGroups[q.group].en}`);
  if (q.category) { const c = cats.get(q.category); say(`事项分类 ${c?.name_zh ?? q.category}`, `category ${c?.name_en ?? q.category}`); }
  if (q.unit) { const u = await one<{ name: string }>('SELECT name FROM unit WHERE id = $1', q.unit); say(`单位 ${u?.name ?? q.unit}`, `unit ${u?.name ?? q.unit}`); }
  if (q.sla) say(`时限 ${SLA[q.sla][0]}`, `SLA ${SLA[q.sla][1]}`);
  if (q.type?.length) say(`类型 ${q.type.join('、')}`, `type ${q.type.join(', ')}`);
  if (q.state?.length) say(`状态 ${q.state.join('、')}`, `state ${q.state.join(', ')}`);
  if (q.appealKind?.length) say(`诉求类型 ${q.appealKind.map((k) => APPEAL[k]?.[0] ?? k).join('、')}`, `request kind ${q.appealKind.map((k) => APPEAL[k]?.[1] ?? k).join(', ')}`);
  if (q.overdueHours != null) say(`超期 ${q.overdueHours} 小时以上`, `overdue ${q.overdueHours}+ hours`);
  if (q.from || q.to) say(`时间 ${q.from ? beijing(q.from) : '不限'} 至 ${q.to ? beijing(q.to) : '不限'}`, `time ${q.from ? beijing(q.from) : 'any'} to ${q.to ? beijing(q.to) : 'any'}`);
  if (q.q) say(`关键词「${q.q}」`, `keyword "${q.q}"`);
  return parts.join(zh ? '；' : '; ');
}
