// Visit plans move with grid changes (regions' carry.ts calls this in the change's transaction, after the
// registry's carrier): an open plan goes to the grid its household (else its first person) lies in now; a
// merge moves every open plan to the merged grid. A plan whose household waits on the review list stays
// until the review places the household, then follows it. Plans done or cancelled are history and stay.
// Visits recorded (入户走访) go the same way — to their household's grid, else their first person's, else
// where they were recorded — so that the successor grid's staff, and their author, still open them; the
// grid module's record of each visit (coverage, the 巡查走访 list) moves with it.
import type { Queryable } from '../../platform/db/index.ts';
import { regionsOf } from '../registry/index.ts';
import { moveVisits } from '../regions/index.ts';

interface Change { from: string[]; to: Array<{ code: string }>; place?(lng: number, lat: number): string | null }

/** Moves the visits placed, with the grid module's record of each. */
async function moveFieldVisits(tx: Queryable, placed: Map<number, string>): Promise<number> {
  if (!placed.size) return 0;
  const rows = await tx.query<{ grid_visit_id: number; code: string }>(
    `UPDATE field_visit v SET region_code = x.code FROM unnest($1::bigint[], $2::text[]) AS x(id, code) WHERE v.id = x.id
     RETURNING v.grid_visit_id, x.code`, [[...placed.keys()], [...placed.values()]]);
  await moveVisits(tx, new Map(rows.map((r) => [Number(r.grid_visit_id), r.code])));
  return rows.length;
}

async function carryVisits(tx: Queryable, change: Change): Promise<number> {
  const visits = await tx.query<{ id: number; household_id: number | null; person_ids: number[]; lat: number | null; lng: number | null }>(
    'SELECT id, household_id, person_ids, lat, lng FROM field_visit WHERE region_code = ANY($1::text[])', [change.from]);
  if (!visits.length) return 0;
  const placed = new Map<number, string>();
  if (change.to.length === 1) {
    for (const v of visits) placed.set(Number(v.id), change.to[0].code);
  } else {
    const successors = new Set(change.to.map((s) => s.code));
    const households = await regionsOf(tx, 'household', visits.flatMap((v) => (v.household_id != null ? [Number(v.household_id)] : [])));
    const persons = await regionsOf(tx, 'person', visits.flatMap((v) => (v.person_ids?.length ? [Number(v.person_ids[0])] : [])));
    for (const v of visits) {
      const byRecord = v.household_id != null ? households.get(Number(v.household_id)) : persons.get(Number(v.person_ids?.[0]));
      const code = byRecord && successors.has(byRecord) ? byRecord
        : v.lat != null && v.lng != null ? change.place?.(v.lng, v.lat) ?? null : null;
      if (code) placed.set(Number(v.id), code);
    }
  }
  return moveFieldVisits(tx, placed);
}

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
    const fieldVisits = await carryVisits(tx, change);
    if (!open.length) return { moved: { visitPlans: 0, fieldVisits }, review: [] };
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
    return { moved: { visitPlans: await move(tx, placed), fieldVisits }, review: [] };
  },
  async resolve(): Promise<boolean> { return false; },
  /** A household or person placed from the review list takes its open visit plans along. */
  async follow(tx: Queryable, kind: string, refId: number, to: string): Promise<void> {
    if (kind === 'household') {
      await tx.query('UPDATE visit_plan SET region_code = $2 WHERE household_id = $1 AND done_at IS NULL AND cancelled_at IS NULL', [refId, to]);
      const visits = await tx.query<{ id: number }>('SELECT id FROM field_visit WHERE household_id = $1 AND region_code <> $2 AND region_code IN (SELECT code FROM region WHERE retired_at IS NOT NULL)', [refId, to]);
      await moveFieldVisits(tx, new Map(visits.map((v) => [Number(v.id), to])));
    } else if (kind === 'person') {
      await tx.query('UPDATE visit_plan SET region_code = $2 WHERE household_id IS NULL AND person_ids[1] = $1 AND done_at IS NULL AND cancelled_at IS NULL', [refId, to]);
      const visits = await tx.query<{ id: number }>('SELECT id FROM field_visit WHERE household_id IS NULL AND person_ids[1] = $1 AND region_code <> $2 AND region_code IN (SELECT code FROM region WHERE retired_at IS NOT NULL)', [refId, to]);
      await moveFieldVisits(tx, new Map(visits.map((v) => [Number(v.id), to])));
    }
  },
};
