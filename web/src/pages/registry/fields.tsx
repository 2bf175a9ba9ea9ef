// The field sets of population types and special-population labels as the API describes them
// (GET /api/v1/registry/field-sets): the name of each field in the user's language, how its value is
// shown (a code as its dictionary label: 缓刑, not 2) and the control that enters it.
import { useEffect, useState } from 'react';
import { DatePicker, Input, InputNumber, Select, Switch } from 'antd';
import dayjs from 'dayjs';
import { useI18n } from '../../i18n/index.tsx';
import { api } from '../../api/client.ts';
import { useDictOptions, useDicts } from './shared.tsx';

export type FieldKind = 'text' | 'prose' | 'date' | 'bool' | 'int' | 'number' | 'code' | 'codes' | 'name' | 'phone' | 'idNumber';
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

export const PERSONAL_KINDS: FieldKind[] = ['name', 'phone', 'idNumber'];
export const dictsOfSets = (sets: FieldSets | null) =>
  [...new Set((sets ? [{ fields: sets.person }, ...sets.populationTypes, ...sets.labelTypes] : []).flatMap((s) => s.fields.flatMap((f) => (f.dict ? [f.dict] : []))))];

/** Field name and value display for one set of fields. */
export function useFieldDisplay(sets: FieldSets | null) {
  const { t, locale } = useI18n();
  const dict = useDicts(dictsOfSets(sets));
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
