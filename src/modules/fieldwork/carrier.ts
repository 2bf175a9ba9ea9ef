// Visit plans move with grid changes (regions' carry.ts calls this in the change's transaction, after the
// registry's carrier): an open plan goes to the grid its household (else its first person) lies in now; a
// merge moves every open plan to the merged grid. A plan whose household waits on the review list stays
// until the review places the household, then follows it. Plans done or cancelled are history and stay.
import type { Queryable } from '../../platform/db/index.ts';
import { regionsOf } from '../registry/index.ts';

interface Change { from: string[]; to: Array<{ code: string }> }

async function move(tx: Queryable, placed: Map<number, string>): Promise<number> {
  if (!placed.size) return 0;
  await tx.query('UPDATE visit_plan v SET region_code = x.code FROM unnest($1::bigint[], $2::text[]) AS x(id, code) WHERE v.id = x.id',
    [[...placed.keys()], [...placed.values()]]);
  return placed.size;
}

export const visitPlanCarrier = {
  name: 'fieldwork',
  kinds: [] as string[],
  async carry(tx: Queryable, change: Change): Promise<{ moved: Record<string, number>; review: [] }> {
    const open = await tx.query<{ id: number; household_id: number | null; person_ids: number[] }>(
      'SELECT id, household_id, person_ids FROM visit_plan WHERE region_code = ANY($1::text[]) AND done_at IS NULL AND cancelled_at IS NULL', [change.from]);
    if (!open.length) return { moved: { visitPlans: 0 }, review: [] };
    const placed = new Map<number, string>();
    if (change.to.length === 1) {
      for (const p of open) placed.set(Number(p.id), change.to[0].code);
    } else {
      const successors = new Set(change.to.map((s) => s.code));
      const households = await regionsOf(tx, 'household', open.flatMap((p) => (p.household_id != null ? [Number(p.household_id)] : [])));
      const persons = await regionsOf(tx, 'person', open.flatMap((p) => (p.household_id == null && p.person_ids?.length ? [Number(p.person_ids[0])] : [])));
      for (const p of open) {
        const code = p.household_id != null ? households.get(Number(p.household_id)) : persons.get(Number(p.person_ids?.[0]));
        if (code && successors.has(code)) placed.set(Number(p.id), code);
      }
    }
    return { moved: { visitPlans: await move(tx, placed) }, review: [] };
  },
  async resolve(): Promise<boolean> { return false; },
  /** A household or person placed from the review list takes its open visit plans along. */
  async follow(tx: Queryable, kind: string, refId: number, to: string): Promise<void> {
    if (kind === 'household') {
      await tx.query('UPDATE visit_plan SET region_code = $2 WHERE household_id = $1 AND done_at IS NULL AND cancelled_at IS NULL', [refId, to]);
    } else if (kind === 'person') {
      await tx.query('UPDATE visit_plan SET region_code = $2 WHERE household_id IS NULL AND person_ids[1] = $1 AND done_at IS NULL AND cancelled_at IS NULL', [refId, to]);
    }
  },
};
