/**
 * The category tree as the demo city 重庆市合川区, its case-text generator and the benchmarks see it.
 * The tree itself is the case engine's data file (src/modules/cases/data/categories.json, read through
 * src/modules/cases/catalog.ts, which also loads it into databases); what is the demo's own here are the
 * names of 合川区's departments for each responsibility hint.
 *
 * Three-level codes: top level 2 digits ('01'), middle 4 digits ('0101'),
 * leaves 6 digits ('010101'). Every code starts with its parent's code.
 *
 *  01 管理部件   — GB/T 30428.2 部件 大类 → 小类 (数字城管, case type `urban`)
 *  02 管理事件   — GB/T 30428.2 事件 大类 → 小类 (数字城管 + 网格事件)
 *  03..12        — 12345 热线 / 网格事件 categories as residents phrase them
 *
 * Time limits (`limitHours`) are WORKING hours with 7-hour working days:
 * the usual 12345 handling limit of 5 working days is 35 h; urgent items
 * (燃气泄漏, 供水管道破裂, 路面塌陷 …) get 2–4 h.
 */
import { readCatalog } from '../modules/cases/index.ts';

export type CaseType = 'grid_event' | 'hotline' | 'urban';

export interface CategoryDef {
  code: string;
  parentCode: string | null;
  nameZh: string;
  nameEn: string;
  /** which case types use it */
  caseTypes: Array<CaseType>;
  /** handling time limit in WORKING hours (leaves only) */
  limitHours?: number;
  /** 立案条件 (zh), for 部件/事件 leaves */
  filingCondition?: string;
  /** 结案条件 (zh) */
  closingCondition?: string;
  /** responsible department key, one of UNIT_KEYS */
  defaultUnit: string;
}

/** Responsibility hint keys (the data file's `units`) and the names of 合川区's departments for them. */
export const UNITS = {
  chengguan: '合川区城市管理局',
  zhujian: '合川区住房和城乡建设委员会',
  shengtai: '合川区生态环境局',
  gongan: '合川区公安分局',
  shuiwu: '合川区供排水公司',
  jiaotong: '合川区交通局',
  shichang: '合川区市场监督管理局',
  renshe: '合川区人力资源和社会保障局',
  jiaowei: '合川区教育委员会',
  weijian: '合川区卫生健康委员会',
  minzheng: '合川区民政局',
  ranqi: '合川区燃气公司',
  dianli: '国网合川供电公司',
  wuye: '小区物业服务企业',
  street: '属地街道办事处',
} as const;

export type UnitKey = keyof typeof UNITS;
export const UNIT_KEYS = Object.keys(UNITS) as UnitKey[];

/** 7 working hours per working day. */
export const WORK_HOURS_PER_DAY = 7;
/** Standard 12345 handling limit: 5 working days. */
export const HOTLINE_LIMIT_HOURS = 5 * WORK_HOURS_PER_DAY;

/** The built-in types the demo generates cases for; other types' categories (disputes, petitions) belong to their modules. */
const DEMO_TYPES: ReadonlySet<string> = new Set<CaseType>(['grid_event', 'hotline', 'urban']);
export const categories: CategoryDef[] = readCatalog().categories.filter((c) => c.caseTypes.some((t) => DEMO_TYPES.has(t))) as CategoryDef[];

const byCode = new Map(categories.map((c) => [c.code, c]));
const parents = new Set(categories.map((c) => c.parentCode).filter((p): p is string => p !== null));

/** Category by code, or undefined. */
export function getCategory(code: string): CategoryDef | undefined {
  return byCode.get(code);
}

/** True when no other category has this code as parent. */
export function isLeaf(code: string): boolean {
  return byCode.has(code) && !parents.has(code);
}

/** All leaf categories, in tree order. */
export const leafCategories: CategoryDef[] = categories.filter((c) => !parents.has(c.code));

/** Ancestors from the top level down to (and including) the given code. */
export function categoryPath(code: string): CategoryDef[] {
  const path: CategoryDef[] = [];
  for (let c = byCode.get(code); c; c = c.parentCode ? byCode.get(c.parentCode) : undefined) path.unshift(c);
  return path;
}
