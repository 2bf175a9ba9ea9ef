// Directory data the console needs everywhere (category tree, units), fetched once per session.
import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import type { Category, Unit } from '../api/types.ts';

const cache = new Map<string, Promise<any>>();
function once<T>(key: string, load: () => Promise<T>): Promise<T> {
  if (!cache.has(key)) cache.set(key, load().catch((e) => { cache.delete(key); throw e; }));
  return cache.get(key)!;
}
export function forgetLookups(): void { cache.clear(); }

export interface Categories { list: Category[]; byCode: Map<string, Category> }

function useOnce<T>(key: string | null, load: () => Promise<T>): T | null {
  const [v, setV] = useState<T | null>(null);
  useEffect(() => {
    if (!key) return;
    let live = true;
    once(key, load).then((x) => { if (live) setV(x); }, () => undefined);
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return v;
}

const toCategories = (list: Category[]): Categories => ({ list, byCode: new Map(list.map((c) => [c.code, c])) });

export function useCategories(source: 'staff' | 'portal' = 'staff'): Categories | null {
  const url = source === 'portal' ? '/api/v1/portal/categories' : '/api/v1/categories';
  return useOnce(`categories:${source}`, async () => {
    const items = (await api<{ items: Array<Category & { leaf?: boolean }> }>(url)).items;
    // the portal list says `leaf` instead of carrying staff details such as time limits
    return toCategories(items.map((c) => ({
      ...c, caseTypes: c.caseTypes ?? ['hotline'], limitMinutes: c.limitMinutes !== undefined ? c.limitMinutes : c.leaf ? 1 : null,
      filingCondition: c.filingCondition ?? null, closingCondition: c.closingCondition ?? null,
    })));
  });
}

export function useUnits(): Map<string, Unit> | null {
  return useOnce('units', async () => new Map((await api<{ items: Unit[] }>('/api/v1/units')).items.map((u) => [u.id, u])));
}

/** A unit's name: an ellipsis while the directory loads (never its id flashing by), its id only when no unit has it. */
export function unitLabel(units: Map<string, Unit> | null, id: string): string {
  return units ? units.get(id)?.name ?? id : '…';
}

export interface DictionaryLabels { byCode: Map<string, { zh: string; en: string | null }>; options: Array<{ code: string; zh: string; en: string | null }> }

/** A code table (字典) of the registry, fetched once per session: its labels by code, and its entries in order. */
export function useDictionary(name: string): DictionaryLabels | null {
  return useOnce(`dictionary:${name}`, async () => {
    const d = await api<{ entries: Array<{ code: string; labelZh: string; labelEn: string | null }> }>(`/api/v1/dictionaries/${name}`);
    const options = d.entries.map((e) => ({ code: e.code, zh: e.labelZh, en: e.labelEn }));
    return { options, byCode: new Map(options.map((o) => [o.code, { zh: o.zh, en: o.en }])) };
  });
}

export interface TreeNode {
  value: string; title: string; children?: TreeNode[]; selectable?: boolean; key: string;
  /** what a search finds the node by: its name in both languages, its code and its keywords (and its group's) */
  search?: string;
}

/** The category list as a tree for TreeSelect; only leaves (with a time limit) are selectable. */
export function categoryTree(list: Category[], label: (c: Category) => string, caseType?: string): TreeNode[] {
  const usable = caseType ? list.filter((c) => c.caseTypes.includes(caseType)) : list;
  const byParent = new Map<string | null, Category[]>();
  const codes = new Set(usable.map((c) => c.code));
  for (const c of usable) {
    const parent = c.parentCode && codes.has(c.parentCode) ? c.parentCode : null;
    if (!byParent.has(parent)) byParent.set(parent, []);
    byParent.get(parent)!.push(c);
  }
  const build = (parent: string | null): TreeNode[] => (byParent.get(parent) ?? []).map((c) => {
    const children = build(c.code);
    const group = c.parentCode ? usable.find((p) => p.code === c.parentCode) : undefined;
    const search = [c.name.zh, c.name.en, c.code, ...(c.keywords ?? []), ...(group?.keywords ?? [])].join(' ').toLowerCase();
    return { value: c.code, key: c.code, title: label(c), search, selectable: c.limitMinutes != null, ...(children.length ? { children } : {}) };
  }).filter((n) => n.selectable || n.children?.length);
  return build(null);
}
