// `gongzhi init --district CODE | --city CODE`: sets up a real district (or every district of a city) on
// an empty database — the region tree from the official division data with one placeholder grid per
// community, the territorial units that 属地兜底 routing needs, the standard category tree, and the
// first administrator. Each part is written by the module that owns it; this file only orchestrates.
import type { Db } from '../platform/db/index.ts';
import { ensureAdmin, type AdminBootstrap } from '../platform/auth/bootstrap.ts';
import { setPlatformRoot } from '../platform/auth/platform-admin.ts';
import { loadCatalog, type CatalogLoad } from '../modules/cases/index.ts';
import { insertUnits, type UnitSeed } from '../modules/admin/index.ts';
import {
  buildDivisionTree, districtsFor, existingRegionCodes, insertRegions, regionCount, type RegionSeed,
  type DivisionCounty,
} from '../modules/regions/index.ts';

export { UnknownDivisionError } from '../modules/regions/index.ts';

export interface InitOptions {
  district?: string;
  city?: string;
  /** GONGZHI_ADMIN_PASSWORD; without it a password is generated, shown once and must be changed */
  adminPassword?: string;
}

export interface InitResult {
  /** 'already': these districts were set up before; nothing was written */
  status: 'created' | 'already';
  districts: Array<{ code: string; name: string }>;
  counts: { streets: number; communities: number; grids: number; units: number };
  catalog: CatalogLoad;
  admin: AdminBootstrap;
}

/** The database holds other regions: init sets up an empty database only. `message` in English, `zh` in Chinese. */
export class InitRefusedError extends Error {
  readonly zh: string;
  constructor(m: { zh: string; en: string }) { super(m.en); this.zh = m.zh; }
}

// Territorial unit ids, the same scheme as the demo city's (cmd-500117, sc-500117001, cm-500117001005).
export const commandCentreId = (regionCode: string) => `cmd-${regionCode}`;
export const hotlineCentreId = (districtCode: string) => `hotline-${districtCode}`;
export const streetCentreId = (streetCode: string) => `sc-${streetCode}`;
export const communityUnitId = (communityCode: string) => `cm-${communityCode}`;

const committeeEn: Record<string, string> = { community: "Residents' committee", village: "Villagers' committee" };

/**
 * The units 属地兜底 routing and the first accounts need: the district's command centre (指挥中心) and
 * 12345 hotline centre, a 综治中心 per street/town, a 居委会/村委会 per community/village (and a city
 * command centre when a whole city is set up). Departments come from the units import.
 */
export function territorialUnits(tree: RegionSeed[], city: RegionSeed | null): UnitSeed[] {
  const units: UnitSeed[] = [];
  if (city) {
    units.push({ id: commandCentreId(city.code), name: `${city.shortName}社会治理指挥中心`, nameEn: `City command centre ${city.code}`, kind: 'command_centre', regionCode: city.code, parentId: null });
  }
  for (const d of tree.filter((r) => r.level === 'district')) {
    const parentId = city ? commandCentreId(city.code) : null;
    units.push(
      { id: commandCentreId(d.code), name: `${d.shortName}社会治理指挥中心`, nameEn: `District command centre ${d.code}`, kind: 'command_centre', regionCode: d.code, parentId },
      { id: hotlineCentreId(d.code), name: `${d.shortName}12345热线服务中心`, nameEn: `12345 hotline centre ${d.code}`, kind: 'hotline', regionCode: d.code, parentId: commandCentreId(d.code) },
    );
  }
  for (const s of tree.filter((r) => r.level === 'street')) {
    units.push({ id: streetCentreId(s.code), name: `${s.shortName}综治中心`, nameEn: `Street governance centre ${s.code}`, kind: 'street_centre', regionCode: s.code, parentId: commandCentreId(s.code.slice(0, 6)) });
  }
  for (const c of tree.filter((r) => r.level === 'community')) {
    units.push({ id: communityUnitId(c.code), name: c.name, nameEn: `${committeeEn[c.kind] ?? 'Community'} ${c.code}`, kind: 'community', regionCode: c.code, parentId: streetCentreId(c.parentCode!) });
  }
  return units;
}

const levelCount = (tree: RegionSeed[], level: string) => tree.filter((r) => r.level === level).length;

/** Sets up the districts on an empty database; idempotent for the same districts; refuses other data. */
export async function initDistricts(db: Db, opts: InitOptions): Promise<InitResult> {
  const counties: DivisionCounty[] = districtsFor(opts);
  const tree = buildDivisionTree(counties);
  const districts = counties.map((c) => ({ code: c.code, name: c.name }));
  const counts = {
    streets: levelCount(tree, 'street'), communities: levelCount(tree, 'community'), grids: levelCount(tree, 'grid'), units: 0,
  };
  const catalog = await loadCatalog(db);
  if ((await regionCount(db)) > 0) {
    const present = await existingRegionCodes(db, counties.map((c) => c.code));
    if (present.length === counties.length) return { status: 'already', districts, counts, catalog, admin: { created: false } };
    const [{ n, sample }] = await db.query<{ n: number; sample: string }>(
      `SELECT count(*)::int AS n, string_agg(code || ' ' || name, ', ' ORDER BY code) FILTER (WHERE level = 'district') AS sample FROM region`);
    throw new InitRefusedError({
      zh: `此数据库已有 ${n} 个区划（区县：${sample ?? '无'}）。init 只在空数据库上建立区县；其他区县请使用新的数据库（DATABASE_URL）或数据目录（GONGZHI_DATA_DIR）。`,
      en: `This database already holds ${n} regions (districts: ${sample ?? 'none'}). init sets up an empty database; `
        + 'use a new database (DATABASE_URL) or data folder (GONGZHI_DATA_DIR) for another district.',
    });
  }
  const city = opts.city ? tree.find((r) => r.level === 'city') ?? null : null;
  const units = territorialUnits(tree, city);
  counts.units = units.length;
  // the administrator's territory is what was set up: the district, or the whole city (not the province
  // above it, which the tree holds only as the districts' ancestors)
  const scope = city?.code ?? counties[0].code;
  const admin = await db.transaction(async (tx) => {
    await insertRegions(tx, tree);
    await insertUnits(tx, units);
    await setPlatformRoot(tx, scope);
    return ensureAdmin(tx, opts.adminPassword, { regionCode: scope });
  });
  return { status: 'created', districts, counts, catalog, admin };
}

/** What to do after init, for the command line: the Chinese lines, then the English ones, or the language asked for. */
export function nextSteps(admin: AdminBootstrap, lang: 'zh' | 'en' | 'both' = 'both'): string[] {
  const zh = [
    '下一步：',
    '  1. 职能部门和其他单位：  npx gongzhi template units units.xlsx',
    '                          npx gongzhi import units units.xlsx --as admin',
    '  2. 用户账号：            npx gongzhi template users users.xlsx',
    '                          npx gongzhi import users users.xlsx --as admin   （生成的初始密码写入文件，仅此一次）',
    '  3. 权责清单：            npx gongzhi template responsibilities responsibilities.xlsx   （“事项分类”表列出全部分类代码）',
    '                          npx gongzhi import responsibilities responsibilities.xlsx --as admin',
    '  4. 网格边界（GeoJSON）： 控制台 → 网格管理 → 导入，或 POST /api/v1/grids/import?mode=upsert。',
    '     导入之前每个社区/村有一个占位网格（社区代码 + 01），事件按区划代码定位。',
    '  5. 启动：                npx gongzhi start',
    admin.created
      ? `以 admin 登录，密码${admin.generated ? ` ${admin.password}（仅显示这一次；首次登录须修改）` : '为 GONGZHI_ADMIN_PASSWORD 中设置的密码'}。`
      : '以 admin 及其密码登录（忘记密码：npx gongzhi reset-password admin 生成新密码）。',
    '单位、用户和权责清单之后仍可在控制台（系统管理）中修改。',
  ];
  const en = [
    'Next steps:',
    '  1. Departments and other units:  npx gongzhi template units units.xlsx',
    '                                   npx gongzhi import units units.xlsx --as admin',
    '  2. Accounts:                     npx gongzhi template users users.xlsx',
    '                                   npx gongzhi import users users.xlsx --as admin   (generated passwords go to a file, once)',
    '  3. Responsibility list (权责清单): npx gongzhi template responsibilities responsibilities.xlsx   (its 事项分类 sheet lists every category code)',
    '                                   npx gongzhi import responsibilities responsibilities.xlsx --as admin',
    '  4. Grid outlines (GeoJSON): console → 网格管理 → 导入, or POST /api/v1/grids/import?mode=upsert.',
    '     Until then each community has one placeholder grid (community code + 01) and cases are placed by region code.',
    '  5. Start:                        npx gongzhi start',
    admin.created
      ? `Log in as admin with ${admin.generated ? `the password ${admin.password} (shown once; it must be changed at the first login)` : 'the password in GONGZHI_ADMIN_PASSWORD'}.`
      : 'Log in as admin with its password (npx gongzhi reset-password admin makes a new one).',
    'Units, users and the responsibility list stay editable in the console (系统管理).',
  ];
  return lang === 'zh' ? zh : lang === 'en' ? en : [...zh, '', ...en];
}
