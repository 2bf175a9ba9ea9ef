// Reads other modules need from the registries, so that no module reads the registry's tables itself:
// the key-person follow-ups that are due (the risk module's overdue-follow-up alerts) and the sensors
// (the risk module ingests their readings). Ids, label types and places only: no personal data.
import type { Queryable } from '../../platform/db/index.ts';
import { regionPrefixSql } from '../../platform/scope.ts';
import type { PersonalDataCipher } from '../../platform/crypto.ts';
import { unseal } from './protect.ts';

export interface FollowupDue {
  labelId: number; personId: number; labelType: string; regionCode: string;
  /** The date the next follow-up was due (YYYY-MM-DD). */
  dueOn: string;
  lastFollowupAt: Date | null;
}

/**
 * Labels of key persons whose next follow-up was due on or before `asOf` (a date in China time), as the
 * records stood then: the next-due date of the last follow-up before it, else `intervalDays` after that
 * follow-up, or after the label started. A label counts while active, or until the day it ended.
 */
export async function followupsDue(db: Queryable, q: { regionPrefix: string; asOf: Date; intervalDays: number; labelTypes?: string[] }): Promise<FollowupDue[]> {
  const asOfDate = new Date(q.asOf.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const params: unknown[] = [q.asOf, asOfDate, q.intervalDays, q.labelTypes?.length ? q.labelTypes : null];
  const scope = regionPrefixSql(q.regionPrefix, 'l', params, true);
  const rows = await db.query<any>(
    `WITH lab AS (
       SELECT l.id, l.person_id, l.type, l.region_code, coalesce(l.started_on, (l.created_at AT TIME ZONE 'Asia/Shanghai')::date) AS start_on
       FROM person_label l
       WHERE ${scope} AND (l.active OR (l.ended_on IS NOT NULL AND l.ended_on > $2::date))
         AND ($4::text[] IS NULL OR l.type = ANY($4::text[]))
     ), last AS (
       SELECT DISTINCT ON (f.label_id) f.label_id, f.occurred_at, f.next_due_on
       FROM person_followup f JOIN lab ON lab.id = f.label_id
       WHERE f.occurred_at <= $1
       ORDER BY f.label_id, f.occurred_at DESC, f.id DESC
     ), due AS (
       SELECT lab.id, lab.person_id, lab.type, lab.region_code, lab.start_on, last.occurred_at,
         coalesce(last.next_due_on, coalesce((last.occurred_at AT TIME ZONE 'Asia/Shanghai')::date, lab.start_on) + $3::int) AS due_on
       FROM lab LEFT JOIN last ON last.label_id = lab.id
       WHERE lab.start_on <= $2::date
     )
     SELECT id, person_id, type, region_code, to_char(due_on, 'YYYY-MM-DD') AS due_on, occurred_at FROM due WHERE due_on <= $2::date ORDER BY due_on, id`,
    params);
  return rows.map((r) => ({
    labelId: Number(r.id), personId: Number(r.person_id), labelType: r.type, regionCode: r.region_code, dueOn: r.due_on,
    lastFollowupAt: r.occurred_at ? new Date(r.occurred_at) : null,
  }));
}

export interface SensorDevice {
  id: number; deviceCode: string; districtCode: string; regionCode: string; sensorType: string | null; name: string;
  status: string; lat: number | null; lng: number | null; address: string | null;
}

/** Registered sensors that are not retired: all, one district's, or those with the given ids. */
export async function sensorDevices(db: Queryable, q: { districtCode?: string; regionPrefix?: string; ids?: number[]; deviceCode?: string } = {}): Promise<SensorDevice[]> {
  const params: unknown[] = [];
  const where = [`t.kind = 'sensor'`, `t.status <> 'retired'`];
  if (q.districtCode) { params.push(q.districtCode); where.push(`t.district_code = $${params.length}`); }
  if (q.regionPrefix) where.push(regionPrefixSql(q.regionPrefix, 't', params, true));
  if (q.ids) { params.push(q.ids); where.push(`t.id = ANY($${params.length}::bigint[])`); }
  if (q.deviceCode) { params.push(q.deviceCode); where.push(`t.device_code = $${params.length}`); }
  const rows = await db.query<any>(
    `SELECT t.id, t.device_code, t.district_code, t.region_code, t.sensor_type, t.name, t.status, t.lat, t.lng, t.address FROM thing t
     WHERE ${where.join(' AND ')} ORDER BY t.id LIMIT 200000`, params);
  return rows.map((r) => ({
    id: Number(r.id), deviceCode: r.device_code, districtCode: r.district_code, regionCode: r.region_code, sensorType: r.sensor_type,
    name: r.name, status: r.status, lat: r.lat, lng: r.lng, address: r.address,
  }));
}

/** Where a person is registered, and the type of one of their labels when a label is named (null: no such person or label). */
export async function personPlace(db: Queryable, personId: number, labelId?: number): Promise<{ regionCode: string; labelType: string | null } | null> {
  const [p] = await db.query<{ region_code: string }>('SELECT region_code FROM person WHERE id = $1', [personId]);
  if (!p) return null;
  if (labelId == null) return { regionCode: p.region_code, labelType: null };
  const [l] = await db.query<{ type: string }>('SELECT type FROM person_label WHERE id = $1 AND person_id = $2', [labelId, personId]);
  return l ? { regionCode: p.region_code, labelType: l.type } : null;
}

/** The grids of households or persons by id (a visit plan follows its household or person when grids change). */
export async function regionsOf(db: Queryable, kind: 'household' | 'person', ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows = await db.query<{ id: number; region_code: string }>(`SELECT id, region_code FROM ${kind} WHERE id = ANY($1::bigint[])`, [[...new Set(ids)]]);
  return new Map(rows.map((r) => [Number(r.id), r.region_code]));
}

/** Persons by id as another module shows them: masked name, where they are registered, their active labels (no personal data beyond the mask). */
export async function personsMasked(db: Queryable, ids: number[]): Promise<Map<number, { nameMasked: string; regionCode: string; regionName: string | null; labels: string[] }>> {
  if (!ids.length) return new Map();
  const rows = await db.query<any>(
    `SELECT t.id, t.name_masked, t.region_code, r.name AS region_name,
       ARRAY(SELECT l.type FROM person_label l WHERE l.person_id = t.id AND l.active ORDER BY l.id) AS labels
     FROM person t LEFT JOIN region r ON r.code = t.region_code WHERE t.id = ANY($1::bigint[])`, [[...new Set(ids)]]);
  return new Map(rows.map((r) => [Number(r.id), { nameMasked: r.name_masked, regionCode: r.region_code, regionName: r.region_name ?? null, labels: r.labels ?? [] }]));
}

/** A registry person as the participation module needs them: where they live, their household, a masked name. */
export interface Participant { personId: number; regionCode: string; householdId: number | null; nameMasked: string; adult: boolean }

const participantSelect = `SELECT id, region_code, household_id, name_masked,
  (birth_date IS NULL OR birth_date <= (now() - interval '18 years')::date) AS adult FROM person`;
const toParticipant = (r: any): Participant => ({
  personId: Number(r.id), regionCode: r.region_code, householdId: r.household_id == null ? null : Number(r.household_id), nameMasked: r.name_masked, adult: r.adult === true,
});

/** The person with this id (no personal data beyond the masked name), or null. */
export async function participant(db: Queryable, personId: number): Promise<Participant | null> {
  const [r] = await db.query<any>(`${participantSelect} WHERE id = $1`, [personId]);
  return r ? toParticipant(r) : null;
}

/** The person registered with this ID number and this phone, both matched by their keyed hashes (a resident linking their account). */
export async function participantByIdentity(db: Queryable, hashes: { idHash: string; phoneHash: string }): Promise<Participant | null> {
  const [r] = await db.query<any>(`${participantSelect} WHERE id_hash = $1 AND phone_hash = $2 LIMIT 2`, [hashes.idHash, hashes.phoneHash]);
  return r ? toParticipant(r) : null;
}

/** How many adults (person) or households are registered under a region: a vote's electorate. */
export async function countParticipants(db: Queryable, regionPrefix: string, unit: 'person' | 'household'): Promise<number> {
  const params: unknown[] = [];
  const scope = regionPrefixSql(regionPrefix, 't', params, true);
  const [r] = await db.query<{ n: number }>(unit === 'person'
    ? `SELECT count(*)::int AS n FROM person t WHERE ${scope} AND (t.birth_date IS NULL OR t.birth_date <= (now() - interval '18 years')::date)`
    : `SELECT count(*)::int AS n FROM household t WHERE ${scope}`, params);
  return Number(r.n);
}

/** Adults registered under a region, those in a household first (the demo's voters and residents). */
export async function participantsIn(db: Queryable, regionPrefix: string, limit: number): Promise<Participant[]> {
  const params: unknown[] = [];
  const scope = regionPrefixSql(regionPrefix, 'person', params, true);
  params.push(limit);
  const rows = await db.query<any>(`${participantSelect} WHERE ${scope} AND (birth_date IS NULL OR birth_date <= (now() - interval '18 years')::date)
    ORDER BY household_id IS NULL, household_id, id LIMIT $${params.length}`, params);
  return rows.map(toParticipant);
}

/**
 * What the grid module's visit records name by a registry reference (registry-household-1, registry-house-2,
 * registry-person-3) as a person reads it: a household by its address (its house's, else its number), a house
 * by its address, a person by the masked name. References of other forms are left out.
 */
export async function registryRefNames(db: Queryable, refs: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const ids = (kind: string) => [...new Set(refs.flatMap((r) => { const m = new RegExp(`^registry-${kind}-(\\d+)$`).exec(r); return m ? [Number(m[1])] : []; }))];
  const households = ids('household');
  if (households.length) {
    for (const h of await db.query<{ id: number; label: string | null; household_no: string | null }>(
      `SELECT h.id, COALESCE(h.address, ho.address) AS label, h.household_no FROM household h LEFT JOIN house ho ON ho.id = h.house_id
       WHERE h.id = ANY($1::bigint[])`, [households])) {
      const label = h.label ?? (h.household_no ? `户号 ${h.household_no}` : null);
      if (label) out.set(`registry-household-${h.id}`, label);
    }
  }
  const houses = ids('house');
  if (houses.length) {
    for (const h of await db.query<{ id: number; address: string }>('SELECT id, address FROM house WHERE id = ANY($1::bigint[])', [houses])) {
      out.set(`registry-house-${h.id}`, h.address);
    }
  }
  const persons = ids('person');
  if (persons.length) {
    for (const x of await db.query<{ id: number; name_masked: string }>('SELECT id, name_masked FROM person WHERE id = ANY($1::bigint[])', [persons])) {
      out.set(`registry-person-${x.id}`, x.name_masked);
    }
  }
  return out;
}

/**
 * Adult party members (政治面貌 中共党员, GB/T 4762 code 01) registered under a region, those in a household
 * first, with their name and phone unsealed: the demo seed links its party member account (dangyuan) to one.
 */
export async function partyMembersIn(db: Queryable, cipher: PersonalDataCipher, regionPrefix: string, limit: number): Promise<Array<Participant & { name: string; phone: string | null }>> {
  const params: unknown[] = [];
  const scope = regionPrefixSql(regionPrefix, 'person', params, true);
  params.push(limit);
  const rows = await db.query<any>(`${participantSelect.replace('name_masked,', 'name_masked, sealed,')} WHERE ${scope} AND political_status = '01'
    AND (birth_date IS NULL OR birth_date <= (now() - interval '18 years')::date) ORDER BY household_id IS NULL, id LIMIT $${params.length}`, params);
  return rows.map((r) => { const personal = unseal(cipher, r.sealed); return { ...toParticipant(r), name: String(personal.name ?? ''), phone: personal.phone ?? null }; });
}
