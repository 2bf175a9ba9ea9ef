// Form controls shared by the intake forms: the searchable category tree and the region cascader
// (street → community → grid), the non-map way to give a location.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Cascader, TreeSelect } from 'antd';
import { useI18n } from '../i18n/index.tsx';
import { categoryTree, useCategories } from '../lib/lookups.ts';
import { api } from '../api/client.ts';
import type { Region } from '../api/types.ts';
import { regionLabels } from '../lib/region-labels.ts';

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

interface TreeNode { id: string; pId: string | null; value: string; title: string; isLeaf: boolean }

/**
 * One region of the user's territory, picked from its tree (district → street → community → grid) by name,
 * loaded a level at a time; the value is the region code (found by typing it too, but never shown). An
 * existing value is opened down to it.
 */
export function RegionTreeSelect({ id, rootCode, value, onChange, placeholder }: {
  id?: string; rootCode: string; value?: string; onChange?(v: string | undefined): void; placeholder?: string;
}) {
  const { t } = useI18n();
  const [nodes, setNodes] = useState<TreeNode[]>([]);
  const [expanded, setExpanded] = useState<string[]>([]);
  const loaded = useRef(new Set<string>());
  const toNode = (r: Region): TreeNode => ({ id: r.code, pId: r.parentCode, value: r.code, title: r.name, isLeaf: r.level === 'grid' });
  const add = (more: TreeNode[]) => setNodes((had) => {
    const seen = new Set(had.map((n) => n.id));
    return [...had, ...more.filter((n) => !seen.has(n.id))];
  });
  const loadChildren = async (code: string): Promise<Region[]> => {
    if (loaded.current.has(code)) return [];
    loaded.current.add(code);
    const kids = await api<{ items: Region[] }>(`/api/v1/regions/${code}/children`);
    add(kids.items.map(toNode));
    if (!kids.items.length) setNodes((had) => had.map((n) => (n.id === code ? { ...n, isLeaf: true } : n)));
    return kids.items;
  };
  useEffect(() => {
    let live = true;
    (async () => {
      const root = await api<Region>(`/api/v1/regions/${rootCode}`);
      if (!live) return;
      add([{ ...toNode(root), pId: null }]);
      // open the tree down to where it branches (a province → its one city → its one district → the
      // streets), so that the first choices are in view and searchable
      const open = [root.code];
      let kids = root.level === 'grid' ? [] : await loadChildren(root.code);
      while (live && kids.length === 1 && kids[0].level !== 'grid') { open.push(kids[0].code); kids = await loadChildren(kids[0].code); }
      // an existing value: load the levels between the root and it, so that its name shows
      if (value && value !== rootCode && value.startsWith(rootCode)) {
        const chain = (await api<{ items: Region[] }>(`/api/v1/regions/${value}/ancestors`)).items.map((r) => r.code);
        for (const code of chain.filter((c) => c.length >= rootCode.length && c !== value)) { if (live) { await loadChildren(code); open.push(code); } }
      }
      if (live) setExpanded([...new Set(open)]);
    })().catch(() => undefined);
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rootCode]);
  const labels = useMemo(() => regionLabels(nodes), [nodes]);
  return (
    <TreeSelect
      id={id}
      value={value}
      onChange={(v) => onChange?.(v as string | undefined)}
      treeDataSimpleMode
      treeData={nodes.map((n) => ({ ...n, label: labels.get(n.id) ?? n.title, ...(n.pId != null && !nodes.some((m) => m.id === n.pId) ? { pId: null } : {}) }))}
      treeNodeLabelProp="label"
      loadData={async (node) => { await loadChildren(String(node.value)); }}
      treeLoadedKeys={[...loaded.current]}
      treeExpandedKeys={expanded}
      onTreeExpand={(keys) => setExpanded(keys.map(String))}
      // by name; digits also find a region by its code (from a document), though the code is never shown
      showSearch={{ filterTreeNode: (input: string, node: { title?: unknown; value?: unknown }) => {
        const q = input.trim();
        return String(node.title ?? '').includes(q) || (/^\d+$/.test(q) && String(node.value ?? '').startsWith(q));
      } }}
      allowClear
      popupMatchSelectWidth={false}
      placeholder={placeholder ?? t('form.regionPickPlaceholder')}
      notFoundContent={t('list.empty')}
      style={{ width: '100%' }}
    />
  );
}
