// Cases move with a grid split or merge (regions' carry.ts calls this in the change's transaction), as the
// registry's records and the visits do: a merge moves every case of the retired grids to the new grid; a split
// places each case by its point in the successor that contains it. A case without a point, or outside every
// successor, waits on the review list for a person to place it. Its author still opens it meanwhile (a
// reporter always sees the cases they filed: visibility.ts). The flow records stay as written — they are
// facts of where each step happened; the assignments and attachments follow their case.
import type { Queryable } from '../../platform/db/index.ts';

interface Change { from: string[]; to: Array<{ code: string }>; place(lng: number, lat: number): string | null }
interface Item { kind: string; refId: number; label: string; reason: 'no_location' | 'outside_successors' | 'no_recent_work' }

async function move(tx: Queryable, placed: Map<number, string>): Promise<number> {
  if (!placed.size) return 0;
  const ids = [...placed.keys()];
  const codes = [...placed.values()];
  await tx.query('UPDATE "case" c SET region_code = x.code FROM unnest($1::bigint[], $2::text[]) AS x(id, code) WHERE c.id = x.id', [ids, codes]);
  await tx.query('UPDATE case_assignment a SET region_code = x.code FROM unnest($1::bigint[], $2::text[]) AS x(id, code) WHERE a.case_id = x.id', [ids, codes]);
  await tx.query('UPDATE attachment t SET region_code = x.code FROM unnest($1::bigint[], $2::text[]) AS x(id, code) WHERE t.case_id = x.id', [ids, codes]);
  return placed.size;
}

export const caseGridCarrier = {
  name: 'cases',
  kinds: ['case'],
  async carry(tx: Queryable, change: Change): Promise<{ moved: Record<string, number>; review: Item[] }> {
    const rows = await tx.query<{ id: number; case_no: string; title: string; lat: number | null; lng: number | null }>(
      'SELECT id, case_no, title, lat, lng FROM "case" WHERE region_code = ANY($1::text[])', [change.from]);
    const placed = new Map<number, string>();
    const review: Item[] = [];
    for (const c of rows) {
      const hasPoint = c.lat != null && c.lng != null;
      const code = change.to.length === 1 ? change.to[0].code : hasPoint ? change.place(Number(c.lng), Number(c.lat)) : null;
      if (code) placed.set(Number(c.id), code);
      else review.push({ kind: 'case', refId: Number(c.id), label: `${c.case_no} ${c.title ?? ''}`.trim(), reason: hasPoint ? 'outside_successors' : 'no_location' });
    }
    return { moved: { cases: await move(tx, placed) }, review };
  },
  async resolve(tx: Queryable, kind: string, refId: number, to: string): Promise<boolean> {
    if (kind !== 'case') return false;
    const [c] = await tx.query<{ id: number }>('SELECT id FROM "case" WHERE id = $1', [refId]);
    if (!c) return false;
    await move(tx, new Map([[refId, to]]));
    return true;
  },
};
