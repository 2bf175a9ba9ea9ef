// The file formats of imports, exports and templates: for each importable kind, its columns (English
// key, Chinese title, how a cell turns into an API value), and how a header row maps onto them.
// Headers may be the key (idNumber), the title (公民身份号码) or both as in the templates
// (公民身份号码(idNumber)). Cells may carry a dictionary code or its label (男 / 男性 / 1).
import type { ImportKind } from '../contracts.ts';
import { kinds, type FieldDef, type SensitiveDef } from '../kinds.ts';
import { personFields, populationDetails, populationTypeNames, type FieldKind } from '../persons-model.ts';

export type CellType = 'string' | 'int' | 'number' | 'bool' | 'date' | 'list';

export interface ImportColumn {
  key: string;
  zh: string;
  type: CellType;
  /** where the value goes in the API input ('details.nationality'); defaults to key */
  target?: string;
  dict?: string;
  /** a dictionary chosen by another value of the row (an organisation's type by its kind) */
  dictOf?: (input: Record<string, any>) => string | undefined;
  /** zh/en labels → API token */
  labels?: Record<string, string>;
  /** personal: masked in error reports and exports */
  personal?: SensitiveDef['kind'];
  required?: boolean;
  /** a place (籍贯 …): a GB/T 2260 code, or the place's name (重庆市合川区), which becomes its code */
  place?: boolean;
}

const cellType = (fd: FieldDef): CellType =>
  fd.pg === 'int4' || fd.pg === 'int8' ? 'int' : fd.pg === 'float8' ? 'number' : fd.pg === 'bool' ? 'bool' : fd.pg === 'date' ? 'date' : fd.pg === 'text[]' ? 'list' : 'string';

const fromField = (fd: FieldDef, extra: Partial<ImportColumn> = {}): ImportColumn =>
  ({ key: fd.api, zh: fd.zh, type: cellType(fd), dict: fd.dict, required: fd.required, ...(fd.place ? { place: true } : {}), ...extra });
const fromSensitive = (s: SensitiveDef): ImportColumn => ({ key: s.api, zh: s.zh, type: 'string', personal: s.kind });

const regionColumn: ImportColumn = { key: 'regionCode', zh: '网格编码', type: 'string', required: true };

const populationLabels: Record<string, string> = {};
for (const [token, n] of Object.entries(populationTypeNames)) {
  populationLabels[n.zh] = token;
  populationLabels[n.zh.slice(0, 2)] = token; // 户籍, 流动, 境外, 留守
  populationLabels[n.en.toLowerCase()] = token;
}

const detail = (key: string, zh: string, type: CellType, dict?: string): ImportColumn => ({ key, zh, type, dict, target: `details.${key}` });

const specType: Record<FieldKind, CellType> = {
  text: 'string', prose: 'string', date: 'date', bool: 'bool', int: 'int', number: 'number', code: 'string', codes: 'list', name: 'string', phone: 'string', idNumber: 'string', place: 'string',
};
const personalKind = { name: 'name', phone: 'phone', idNumber: 'id' } as const;

/** The columns of every population type's own fields (户号, 流入原因, 国籍 …), each once, in the types' order. */
function detailColumns(): ImportColumn[] {
  const out = new Map<string, ImportColumn>();
  for (const set of Object.values(populationDetails)) {
    for (const f of set.fields) {
      if (out.has(f.key)) continue;
      const c = detail(f.key, f.zh, specType[f.kind], f.dict);
      if (f.kind in personalKind) c.personal = personalKind[f.kind as 'name'];
      out.set(f.key, c);
    }
  }
  return [...out.values()];
}

/** Which of the detail columns each population type fills (the template's note per 人口类型). */
export function populationColumnNotes(): Array<{ type: string; zh: string; en: string; columns: ImportColumn[]; required: string[] }> {
  const cols = new Map(personColumns.map((c) => [c.key, c]));
  return Object.entries(populationDetails).map(([type, set]) => ({
    type, zh: set.zh, en: set.en, columns: set.fields.map((f) => cols.get(f.key)!).filter(Boolean), required: set.fields.filter((f) => f.required).map((f) => f.key),
  }));
}

const personColumns: ImportColumn[] = [
  regionColumn,
  { key: 'populationType', zh: '人口类型', type: 'string', labels: populationLabels, required: true },
  { key: 'idType', zh: '证件代码', type: 'string', dict: 'id_type' },
  { key: 'idNumber', zh: '证件号码', type: 'string', personal: 'id', required: true },
  { key: 'name', zh: '姓名', type: 'string', personal: 'name', required: true },
  { key: 'formerName', zh: '曾用名', type: 'string', personal: 'name' },
  { key: 'phone', zh: '联系方式', type: 'string', personal: 'phone' },
  ...personFields.filter((f) => f.api !== 'relationToHead').map((f) => fromField(f)),
  ...detailColumns(),
];

const generic = (name: 'houses' | 'organisations' | 'facilities', labels: Record<string, Record<string, string>> = {}): ImportColumn[] => {
  const k = kinds[name];
  return [
    regionColumn,
    ...k.fields.filter((fd) => fd.pg !== 'jsonb').map((fd) => fromField(fd, labels[fd.api] ? { labels: labels[fd.api] } : {})),
    ...k.sensitive.map(fromSensitive),
  ];
};

const orgTypeDict: Record<string, string> = { enterprise: 'enterprise_type', social: 'social_org_type', party: 'party_org_type' };

export const importColumns: Record<ImportKind, ImportColumn[]> = {
  persons: personColumns,
  houses: generic('houses'),
  organisations: generic('organisations', { kind: { 企业: 'enterprise', 非公有制经济组织: 'enterprise', 社会组织: 'social', 党组织: 'party' } })
    .map((c) => (c.key === 'typeCode' ? { ...c, dictOf: (input) => orgTypeDict[input.kind as string] } : c)),
  facilities: generic('facilities', { state: { 完好: 'intact', 破损: 'damaged', 丢失: 'lost', 废弃: 'scrapped' } }),
};

export const headerTitle = (c: ImportColumn) => `${c.zh}(${c.key})`;

export type HeaderMap = { index: number[]; columns: ImportColumn[] } ;

/** Maps a header row onto the columns of a kind; problems make the file unusable. */
export function mapHeader(kind: ImportKind, header: string[]): { ok: true; map: HeaderMap } | { ok: false; problems: string[] } {
  const cols = importColumns[kind];
  const problems: string[] = [];
  const index: number[] = [];
  const columns: ImportColumn[] = [];
  const seen = new Set<string>();
  header.forEach((raw, i) => {
    const h = raw.replace(/^\uFEFF/, '').trim();
    // the reasons column of a file of refused rows (pipeline.ts): the corrected file imports as it is
    if (!h || /^(错误说明|errors\b)/i.test(h)) return;
    const inParens = /\(([A-Za-z][A-Za-z0-9]*)\)\s*$/.exec(h)?.[1];
    const c = cols.find((x) => x.key === inParens) ?? cols.find((x) => x.key.toLowerCase() === h.toLowerCase() || x.zh === h);
    if (!c) { problems.push(`unknown column "${h.slice(0, 40)}"`); return; }
    if (seen.has(c.key)) { problems.push(`column ${c.key} appears twice`); return; }
    seen.add(c.key);
    index.push(i);
    columns.push(c);
  });
  for (const c of cols) if (c.required && !seen.has(c.key)) problems.push(`required column ${headerTitle(c)} is missing`);
  return problems.length ? { ok: false, problems } : { ok: true, map: { index, columns } };
}
