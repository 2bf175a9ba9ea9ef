// The registry's records move with a grid split or merge (regions' carry.ts calls this in the change's
// transaction): a merge moves everything to the new grid; a split places each record where it lies —
// buildings, houses, places, facilities, things and organisations by their coordinates (a house or a
// place without them by its building), rooms and households with their house, persons with their house
// or household — and returns what it could not place for the review list. Labels follow their person;
// follow-up records are facts of where they happened and stay as written.
import type { Queryable } from '../../platform/db/index.ts';
import { followUpsDue } from './follow-up-schedule.ts';

interface Change { from: string[]; to: Array<{ code: string }>; place(lng: number, lat: number): string | null }
interface Item { kind: string; refId: number; label: string; reason: 'no_location' | 'outside_successors' | 'no_recent_work' }

const TABLES = ['building', 'house', 'room', 'household', 'person', 'place', 'facility', 'thing', 'organisation'] as const;
type Table = (typeof TABLES)[number];
const PLURAL: Record<Table, string> = {
  building: 'buildings', house: 'houses', room: 'rooms', household: 'households', person: 'persons', place: 'places', facility: 'facilities', thing: 'things', organisation: 'organisations',
};

async function move(tx: Queryable, table: Table, placed: Map<number, string>): Promise<number> {
  if (!placed.size) return 0;
  await tx.query(`UPDATE ${table} t SET region_code = x.code FROM unnest($1::bigint[], $2::text[]) AS x(id, code) WHERE t.id = x.id`,
    [[...placed.keys()], [...placed.values()]]);
  return placed.size;
}

async function followLabels(tx: Queryable, from: string[]): Promise<void> {
  await tx.query('UPDATE person_label l SET region_code = p.region_code FROM person p WHERE l.person_id = p.id AND l.region_code = ANY($1::text[]) AND p.region_code <> l.region_code', [from]);
}

export const registryCarrier = {
  name: 'registry',
  kinds: [...TABLES],
  async carry(tx: Queryable, change: Change): Promise<{ moved: Record<string, number>; review: Item[] }> {
    const moved: Record<string, number> = {};
    const review: Item[] = [];
    const from = change.from;
    if (change.to.length === 1) {
      for (const t of TABLES) {
        const rows = await tx.query<{ id: number }>(`UPDATE ${t} SET region_code = $2 WHERE region_code = ANY($1::text[]) RETURNING id`, [from, change.to[0].code]);
        moved[PLURAL[t]] = rows.length;
      }
      await followLabels(tx, from);
      return { moved, review };
    }
    const at = (r: { lat: number | null; lng: number | null }) => (r.lat != null && r.lng != null ? change.place(r.lng, r.lat) : undefined);
    const pending = (kind: Table, id: number, label: string, hasPoint: boolean) => review.push({ kind, refId: id, label, reason: hasPoint ? 'outside_successors' : 'no_location' });
    const placeAll = async (table: Table, rows: any[], parentOf: (r: any) => string | null | undefined, label: (r: any) => string) => {
      const placed = new Map<number, string>();
      for (const r of rows) {
        const own = at(r);
        const code = own ?? parentOf(r);
        if (code) placed.set(Number(r.id), code);
        else pending(table, Number(r.id), label(r), own === null);
      }
      moved[PLURAL[table]] = await move(tx, table, placed);
      return placed;
    };
    const q = (sql: string) => tx.query<any>(sql, [from]);
    const buildings = await placeAll('building', await q('SELECT id, name, lat, lng FROM building WHERE region_code = ANY($1::text[])'), () => null, (r) => r.name);
    const houses = await placeAll('house', await q('SELECT id, address, lat, lng, building_id FROM house WHERE region_code = ANY($1::text[])'),
      (r) => (r.building_id != null ? buildings.get(Number(r.building_id)) : null), (r) => r.address);
    await placeAll('room', await q('SELECT id, name, house_id, NULL::float8 AS lat, NULL::float8 AS lng FROM room WHERE region_code = ANY($1::text[])'),
      (r) => houses.get(Number(r.house_id)), (r) => r.name);
    const households = await placeAll('household', await q(`SELECT h.id, h.household_no, COALESCE(h.address, ho.address) AS address, h.house_id, NULL::float8 AS lat, NULL::float8 AS lng
        FROM household h LEFT JOIN house ho ON ho.id = h.house_id WHERE h.region_code = ANY($1::text[])`),
      (r) => (r.house_id != null ? houses.get(Number(r.house_id)) : null), (r) => r.address ?? `户号 ${r.household_no ?? r.id}`);
    await placeAll('person', await q('SELECT id, name_masked, house_id, household_id, NULL::float8 AS lat, NULL::float8 AS lng FROM person WHERE region_code = ANY($1::text[])'),
      (r) => (r.house_id != null ? houses.get(Number(r.house_id)) : null) ?? (r.household_id != null ? households.get(Number(r.household_id)) : null), (r) => r.name_masked);
    await placeAll('place', await q('SELECT id, name, lat, lng, building_id FROM place WHERE region_code = ANY($1::text[])'),
      (r) => (r.building_id != null ? buildings.get(Number(r.building_id)) : null), (r) => r.name);
    for (const t of ['facility', 'thing', 'organisation'] as const) {
      await placeAll(t, await q(`SELECT id, name, lat, lng FROM ${t} WHERE region_code = ANY($1::text[])`), () => null, (r) => r.name);
    }
    await followLabels(tx, from);
    return { moved, review };
  },
  async resolve(tx: Queryable, kind: string, refId: number, to: string): Promise<boolean> {
    if (!(TABLES as readonly string[]).includes(kind)) return false;
    const rows = await tx.query(`UPDATE ${kind} SET region_code = $2 WHERE id = $1 RETURNING id`, [refId, to]);
    if (kind === 'person') await tx.query('UPDATE person_label SET region_code = $2 WHERE person_id = $1', [refId, to]);
    return rows.length > 0;
  },
  /**
   * What lies on each grid now, for the notes a grid change leaves (新网格 X 暂无网格员: N 名重点人员需随访，
   * M 名已逾期; the moved worker's 今日): households, key persons with a follow-up schedule, and those overdue.
   */
  async summarize(q: Queryable, codes: string[], at: Date): Promise<Map<string, { households: number; keyPersons: number; overdueFollowUps: number }>> {
    const out = new Map(codes.map((c) => [c, { households: 0, keyPersons: 0, overdueFollowUps: 0 }]));
    if (!codes.length) return out;
    const rows = await q.query<{ region_code: string; n: number }>(
      'SELECT region_code, count(*)::int AS n FROM household WHERE region_code = ANY($1::text[]) GROUP BY region_code', [codes]);
    for (const r of rows) out.get(r.region_code)!.households = Number(r.n);
    for (const code of codes) {
      // every active label has a schedule (followUpInterval): all of them fall due within a century
      const due = await followUpsDue(q, { regionPrefix: code, asOf: at, withinDays: 36_500 });
      const s = out.get(code)!;
      s.keyPersons = new Set(due.filter((f) => f.regionCode === code).map((f) => f.personId)).size;
      s.overdueFollowUps = new Set(due.filter((f) => f.regionCode === code && f.overdueDays > 0).map((f) => f.personId)).size;
    }
    return out;
  },
};
