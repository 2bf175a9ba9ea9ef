// Form controls shared by the intake forms: the searchable category tree and the region cascader
// (street → community → grid), the non-map way to give a location.
import { useEffect, useMemo, useState } from 'react';
import { Cascader, TreeSelect } from 'antd';
import { useI18n } from '../i18n/index.tsx';
import { categoryTree, useCategories } from '../lib/lookups.ts';
import { api } from '../api/client.ts';
import type { Region } from '../api/types.ts';

export function CategoryPicker({ id, value, onChange, caseType, source = 'staff', placeholder }: {
  id?: string; value?: string; onChange?(v: string): void; caseType?: string; source?: 'staff' | 'portal'; placeholder?: string;
}) {
  const { t, pick } = useI18n();
  const cats = useCategories(source);
  const tree = useMemo(() => (cats ? categoryTree(cats.list, (c) => pick(c.name), caseType) : []), [cats, pick, caseType]);
  return (
    <TreeSelect
      id={id}
      value={value}
      onChange={onChange}
      treeData={tree}
      // found by name, code or everyday word (井盖, 坑, 垃圾清运 …)
      showSearch={{ filterTreeNode: (input: string, node: { search?: string; title?: unknown }) => (node.search ?? String(node.title ?? '').toLowerCase()).includes(input.trim().toLowerCase()) }}
      placeholder={placeholder ?? t('form.categoryPlaceholder')}
      loading={!cats}
      allowClear
      treeDefaultExpandAll={false}
      popupMatchSelectWidth={false}
      style={{ width: '100%' }}
      notFoundContent={t('list.empty')}
    />
  );
}

interface Opt { value: string; label: string; isLeaf?: boolean; children?: Opt[]; level: string }

/** Street → community → grid under the user's region; value is the list of codes, last one the chosen region. */
export function RegionCascader({ id, rootCode, value, onChange }: { id?: string; rootCode: string; value?: string[]; onChange?(v: string[]): void }) {
  const { t } = useI18n();
  const [options, setOptions] = useState<Opt[]>([]);
  const toOpt = (r: Region): Opt => ({ value: r.code, label: r.shortName || r.name, isLeaf: r.level === 'grid', level: r.level });
  useEffect(() => {
    let live = true;
    (async () => {
      const root = await api<Region>(`/api/v1/regions/${rootCode}`);
      if (root.level === 'grid') { if (live) setOptions([toOpt(root)]); return; }
      const kids = await api<{ items: Region[] }>(`/api/v1/regions/${rootCode}/children`);
      if (live) setOptions(kids.items.map(toOpt));
    })().catch(() => undefined);
    return () => { live = false; };
  }, [rootCode]);
  const loadData = async (selected: any[]) => {
    const target = selected[selected.length - 1] as Opt;
    const kids = await api<{ items: Region[] }>(`/api/v1/regions/${target.value}/children`);
    target.children = kids.items.map(toOpt);
    if (!target.children.length) target.isLeaf = true;
    setOptions((o) => [...o]);
  };
  return (
    <Cascader
      id={id}
      options={options as any}
      loadData={loadData as any}
      value={value}
      onChange={(v) => onChange?.((v ?? []) as string[])}
      changeOnSelect
      placeholder={t('form.regionPlaceholder')}
      style={{ width: '100%' }}
    />
  );
}
