// What a region picker shows for a chosen region: staff read names, not codes (the code stays the value).

/**
 * Each region's label: its name, and where another region of the tree has the same name (第1网格 in two
 * communities) its parent's name before it — unless the name already starts with it (营盘街社区第1网格).
 */
export function regionLabels(nodes: Array<{ id: string; pId: string | null; title: string }>): Map<string, string> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const count = new Map<string, number>();
  for (const n of nodes) count.set(n.title, (count.get(n.title) ?? 0) + 1);
  return new Map(nodes.map((n): [string, string] => {
    const parent = n.pId ? byId.get(n.pId) : undefined;
    if (!parent || (count.get(n.title) ?? 0) < 2 || n.title.startsWith(parent.title)) return [n.id, n.title];
    return [n.id, `${parent.title} · ${n.title}`];
  }));
}
