// The field sets of population types and special-population labels as the API describes them
// (GET /api/v1/registry/field-sets): the name of each field in the user's language, how its value is
// shown (a code as its dictionary label: 缓刑, not 2) and the control that enters it.
import { useEffect, useMemo, useState } from 'react';
import { Cascader, DatePicker, Input, InputNumber, Select, Switch, Typography } from 'antd';
import dayjs from 'dayjs';
import { useI18n } from '../../i18n/index.tsx';
import { api } from '../../api/client.ts';
import { useDictOptions, useDicts } from './shared.tsx';

export type FieldKind = 'text' | 'prose' | 'date' | 'bool' | 'int' | 'number' | 'code' | 'codes' | 'name' | 'phone' | 'idNumber' | 'place';
export interface FieldSpec { key: string; zh: string; en: string; kind: FieldKind; required?: boolean; dict?: string; max?: number; min?: number }
export interface FieldSetView { type: string; zh: string; en: string; fields: FieldSpec[] }
export interface FieldSets { person: FieldSpec[]; populationTypes: FieldSetView[]; labelTypes: FieldSetView[] }

let cache: Promise<FieldSets> | null = null;

/** The field sets, fetched once per page load. */
export function useFieldSets(): FieldSets | null {
  const [sets, setSets] = useState<FieldSets | null>(null);
  useEffect(() => {
    let live = true;
    cache ??= api<FieldSets>('/api/v1/registry/field-sets').catch((e) => { cache = null; throw e; });
    cache.then((s) => { if (live) setSets(s); }).catch(() => undefined);
    return () => { live = false; };
  }, []);
  return sets;
}

// ---- places (籍贯, 户籍地, 现住地): GB/T 2260 division codes, picked from the division tree
export interface DivisionNode { value: string; label: string; children?: DivisionNode[] }
let divisions: Promise<DivisionNode[]> | null = null;
/** The division tree (provinces → prefectures → counties), fetched once per page load. */
export function useDivisions(enabled = true): DivisionNode[] | null {
  const [tree, setTree] = useState<DivisionNode[] | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    divisions ??= api<{ items: DivisionNode[] }>('/api/v1/divisions').then((r) => r.items).catch((e) => { divisions = null; throw e; });
    divisions.then((x) => { if (live) setTree(x); }).catch(() => undefined);
    return () => { live = false; };
  }, [enabled]);
  return tree;
}
/** The path of a division code in the tree ([province, prefecture, county] as far as the code goes), or null. */
export function divisionPath(tree: DivisionNode[] | null, code: unknown): DivisionNode[] | null {
  if (!tree || typeof code !== 'string' || !/^\d{6}$/.test(code)) return null;
  const p = tree.find((x) => x.value === `${code.slice(0, 2)}0000`);
  if (!p) return null;
  if (code === p.value) return [p];
  const c = p.children?.find((x) => x.value === `${code.slice(0, 4)}00`);
  if (!c) return null;
  if (code === c.value) return [p, c];
  const k = c.children?.find((x) => x.value === code);
  return k ? [p, c, k] : null;
}
/** Names that stand for no level of their own (a municipality's 市辖区, 县): left out of names and the picker. */
const FILLER = /^(市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$/;
const isFiller = (n: DivisionNode, i: number) => i === 1 && FILLER.test(n.label);
/** A place as people read it: 重庆市 合川区 (市辖区 left out); a value that is no known code (an old free-text entry) as it is. */
export function placeName(tree: DivisionNode[] | null, code: unknown): string {
  const path = divisionPath(tree, code);
  if (!path) return String(code ?? '');
  return path.filter((n, i) => !isFiller(n, i)).map((n) => n.label).join(' ');
}
/** The tree as the picker offers it: a filler level's counties hang on the province itself (重庆市 → 合川区). */
export function pickerTree(tree: DivisionNode[]): DivisionNode[] {
  return tree.map((p) => (p.children?.some((c) => isFiller(c, 1))
    ? { ...p, children: p.children.flatMap((c) => (isFiller(c, 1) ? c.children ?? [] : [c])) }
    : p));
}

/** Picks a place from the division tree; the form's value is the 6-digit code of the deepest level chosen. */
export function PlacePicker({ id, value, onChange }: { id?: string; value?: string; onChange?(v: string | undefined): void }) {
  const { t } = useI18n();
  const tree = useDivisions();
  const path = divisionPath(tree, value)?.filter((n, i) => !isFiller(n, i));
  const options = useMemo(() => (tree ? pickerTree(tree) : []), [tree]);
  // an old value that is no division code stays readable until another place is picked
  const legacy = value && tree && !path ? value : null;
  return (
    <>
      <Cascader id={id} options={options} loading={!tree} changeOnSelect showSearch={{ filter: (input, p) => p.some((o) => String(o.label).includes(input)) }}
        value={path?.map((n) => n.value)} placeholder={legacy ?? t('rw.place.pick')} style={{ width: '100%' }}
        onChange={(v) => onChange?.(v?.length ? String(v[v.length - 1]) : undefined)} />
      {legacy && <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="place-legacy">{t('rw.place.legacy', { value: legacy })}</Typography.Text>}
    </>
  );
}

export const PERSONAL_KINDS: FieldKind[] = ['name', 'phone', 'idNumber'];
export const dictsOfSets = (sets: FieldSets | null) =>
  [...new Set((sets ? [{ fields: sets.person }, ...sets.populationTypes, ...sets.labelTypes] : []).flatMap((s) => s.fields.flatMap((f) => (f.dict ? [f.dict] : []))))];

/** Field name and value display for one set of fields. */
export function useFieldDisplay(sets: FieldSets | null) {
  const { t, locale } = useI18n();
  const dict = useDicts(dictsOfSets(sets));
  const tree = useDivisions(!!sets && [sets.person, ...sets.populationTypes.map((x) => x.fields)].some((fs) => fs.some((f) => f.kind === 'place')));
  const specOf = (set: FieldSetView | undefined, key: string) => set?.fields.find((f) => f.key === key);
  return {
    /** the field's name; a key no set knows (a custom label's own field) as it is */
    name: (set: FieldSetView | undefined, key: string) => {
      const f = specOf(set, key);
      return f ? (locale === 'en' ? f.en : f.zh) : key;
    },
    value: (set: FieldSetView | undefined, key: string, v: unknown): string => {
      if (v == null || v === '') return '';
      const f = specOf(set, key);
      if (typeof v === 'boolean') return v ? t('rg.yes') : t('rg.no');
      if (f?.kind === 'place') return placeName(tree, v);
      if (f?.dict) return (Array.isArray(v) ? v : [v]).map((c) => dict(f.dict!, c)).join('、');
      if (Array.isArray(v)) return v.join('、');
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
    },
  };
}

function CodeSelect({ dict, multiple, ...rest }: { dict: string; multiple?: boolean; id?: string; value?: unknown; onChange?(v: unknown): void }) {
  const options = useDictOptions(dict);
  return <Select {...rest} allowClear mode={multiple ? 'multiple' : undefined} options={options} showSearch={{ optionFilterProp: 'label' }} />;
}

/** The control that enters a field of a set. */
export function FieldControl({ spec, ...rest }: { spec: FieldSpec; id?: string; value?: any; onChange?(v: any): void }) {
  switch (spec.kind) {
    case 'date': return <DatePicker {...rest} style={{ width: '100%' }} />;
    case 'bool': return <Switch id={rest.id} checked={!!rest.value} onChange={rest.onChange} />;
    case 'int': case 'number':
      return <InputNumber {...rest} min={spec.min} max={spec.max} precision={spec.kind === 'int' ? 0 : undefined} style={{ width: '100%' }} />;
    case 'place': return <PlacePicker {...rest} />;
    case 'code': case 'codes': return <CodeSelect {...rest} dict={spec.dict!} multiple={spec.kind === 'codes'} />;
    case 'prose': return <Input.TextArea {...rest} rows={2} maxLength={spec.max ?? 1000} />;
    default: return <Input {...rest} maxLength={spec.max ?? (spec.kind === 'phone' ? 20 : spec.kind === 'idNumber' ? 30 : 100)} autoComplete="off" />;
  }
}

/** Form values of a field set → API values (dates as YYYY-MM-DD, text trimmed, empty left out). */
export function fieldValues(set: FieldSetView | undefined, values: Record<string, any> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of set?.fields ?? []) {
    let v = values?.[f.key];
    if (dayjs.isDayjs(v)) v = v.format('YYYY-MM-DD');
    if (typeof v === 'string') v = v.trim();
    if (v === '' || v == null || (Array.isArray(v) && !v.length)) continue;
    out[f.key] = v;
  }
  return out;
}

/** API values of a field set → form values (dates as dayjs). */
export function formValues(set: FieldSetView | undefined, values: Record<string, any> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of set?.fields ?? []) {
    const v = values?.[f.key];
    if (v == null) continue;
    out[f.key] = f.kind === 'date' ? dayjs(v) : v;
  }
  return out;
}
