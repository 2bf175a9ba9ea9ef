// Finding residents in one's own territory by name, surname, former name (曾用名), address or ID number
// while names stay sealed (DESIGN rule 6): person_search_key holds keyed hashes (HMAC) of each person's
// full name, surname and former name. Keys are refreshed from the sealed record for persons changed since their key was made, in
// the territory searched, just before the search; so persons added or edited in any way (console,
// import, API) are found without every writer knowing about the keys.
import type { Actor } from '../../platform/auth/actor.ts';
import type { Queryable } from '../../platform/db/index.ts';
import type { PersonalDataCipher } from '../../platform/crypto.ts';
import { regionPrefixSql } from '../../platform/scope.ts';
import { likeEscape, type RegistryDeps } from './common.ts';
import { assertRegistryUser, scopeSql } from './policy.ts';
import { documentHash } from './prepare.ts';
import { surnameOf, unseal } from './protect.ts';
import { labelTypes, populationTypeNames, type PopulationType } from './persons-model.ts';

export { surnameOf };

const nameKey = (cipher: PersonalDataCipher, s: string) => cipher.lookupHash(`person-name:${s.normalize('NFKC').replace(/\s+/g, '')}`);
const surnameKey = (cipher: PersonalDataCipher, s: string) => cipher.lookupHash(`person-surname:${s.normalize('NFKC').trim()}`);

/** Makes or renews the search keys of persons under `prefix` changed since their key was made. */
export async function refreshSearchKeys(db: Queryable, cipher: PersonalDataCipher, prefix: string, max = 50_000): Promise<number> {
  const params: unknown[] = [];
  const scope = regionPrefixSql(prefix, 't', params, false);
  const stale = await db.query<{ id: number; region_code: string; sealed: string; updated_at: Date }>(
    `SELECT t.id, t.region_code, t.sealed, t.updated_at FROM person t LEFT JOIN person_search_key k ON k.person_id = t.id
     WHERE ${scope} AND (k.person_id IS NULL OR k.source_updated_at < t.updated_at OR k.region_code <> t.region_code) LIMIT ${max}`, params);
  if (!stale.length) return 0;
  const ids: number[] = []; const regions: string[] = []; const names: string[] = []; const surnames: string[] = []; const formers: Array<string | null> = []; const at: Date[] = [];
  for (const r of stale) {
    const personal = unseal(cipher, r.sealed);
    const name = String(personal.name ?? '');
    if (!name) continue;
    const former = typeof personal.formerName === 'string' && personal.formerName.trim() ? personal.formerName : null;
    ids.push(Number(r.id)); regions.push(r.region_code); names.push(nameKey(cipher, name)); surnames.push(surnameKey(cipher, surnameOf(name)));
    formers.push(former ? nameKey(cipher, former) : null); at.push(r.updated_at);
  }
  await db.query(
    `INSERT INTO person_search_key (person_id, region_code, name_hash, surname_hash, former_name_hash, source_updated_at)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
     ON CONFLICT (person_id) DO UPDATE SET region_code = excluded.region_code, name_hash = excluded.name_hash,
       surname_hash = excluded.surname_hash, former_name_hash = excluded.former_name_hash, source_updated_at = excluded.source_updated_at`,
    [ids, regions, names, surnames, formers, at]);
  return ids.length;
}

/** Whether a search term may be a name or surname (up to six Han characters): then keyed hashes serve it. */
export const nameLike = (text: string) => [...text].length <= 6 && /^\p{Script=Han}+$/u.test(text);

/**
 * SQL for "person t has this full name, former name or surname", by keyed hashes (the keys of the persons
 * under `prefix` are brought up to date first). For lists and pickers that search by name.
 */
export async function nameMatchSql(db: Queryable, cipher: PersonalDataCipher, prefix: string, term: string, params: unknown[], alias = 't'): Promise<string> {
  await refreshSearchKeys(db, cipher, prefix);
  const text = term.normalize('NFKC').trim();
  params.push(nameKey(cipher, text), surnameKey(cipher, text));
  const n = `$${params.length - 1}`;
  return `EXISTS (SELECT 1 FROM person_search_key k WHERE k.person_id = ${alias}.id AND (k.name_hash = ${n} OR k.former_name_hash = ${n} OR k.surname_hash = $${params.length}))`;
}

export interface ResidentHit {
  id: number; regionCode: string; regionName: string | null; nameMasked: string; idNumberMasked: string; phoneMasked: string | null;
  sex: string | null; birthDate: string | null; populationType: PopulationType; populationTypeName: { zh: string; en: string };
  currentAddress: string | null; houseId: number | null; householdId: number | null;
  labels: Array<{ type: string; name: { zh: string; en: string } }>;
  /** How the query matched: 'name', 'former_name' (曾用名), 'surname', 'id_number' or 'address'. */
  matched: 'name' | 'former_name' | 'surname' | 'id_number' | 'address';
}

const ID_LIKE = /^[0-9]{15}$|^[0-9]{17}[0-9Xx]$/;

/**
 * Persons in the actor's territory (or the region given inside it) matching `q`: an ID number (exact, by
 * its keyed hash), a full name or a surname (by keyed hash; masked names come back), or part of an
 * address. Names first, then addresses; at most `limit`.
 */
export async function searchResidents(deps: RegistryDeps, actor: Actor, q: { q: string; regionCode?: string; limit?: number }): Promise<{ items: ResidentHit[] }> {
  assertRegistryUser(actor);
  const { db, cipher } = deps.ctx;
  const text = q.q.normalize('NFKC').trim();
  const limit = q.limit ?? 50;
  const prefix = q.regionCode ?? actor.regionCode;
  const params: unknown[] = [];
  const where = [scopeSql(actor, 't', params, false)];
  if (q.regionCode) where.push(regionPrefixSql(q.regionCode, 't', params, false));
  const select = `SELECT t.id, t.region_code, r.name AS region_name, t.name_masked, t.id_masked, t.phone_masked, t.sex,
      to_char(t.birth_date, 'YYYY-MM-DD') AS birth_date, t.population_type, t.current_address, t.house_id, t.household_id,
      ARRAY(SELECT l.type FROM person_label l WHERE l.person_id = t.id AND l.active ORDER BY l.id) AS labels`;
  const from = 'person t LEFT JOIN region r ON r.code = t.region_code';
  const hits: Array<[any, ResidentHit['matched']]> = [];
  if (ID_LIKE.test(text)) {
    params.push(documentHash(cipher, '111', text));
    for (const r of await db.query<any>(`${select} FROM ${from} WHERE ${where.join(' AND ')} AND t.id_hash = $${params.length} LIMIT ${limit}`, params)) hits.push([r, 'id_number']);
  } else {
    if (nameLike(text)) {
      await refreshSearchKeys(db, cipher, prefix);
      const p2 = [...params, nameKey(cipher, text), surnameKey(cipher, text)];
      const n = `$${p2.length - 1}`;
      const rows = await db.query<any>(
        `${select}, (k.name_hash = ${n}) AS full, (k.former_name_hash = ${n}) AS former FROM ${from} JOIN person_search_key k ON k.person_id = t.id
         WHERE ${where.join(' AND ')} AND (k.name_hash = ${n} OR k.former_name_hash = ${n} OR k.surname_hash = $${p2.length})
         ORDER BY (k.name_hash = ${n}) DESC, (k.former_name_hash = ${n}) DESC NULLS LAST, t.id LIMIT ${limit}`, p2);
      for (const r of rows) hits.push([r, r.full ? 'name' : r.former ? 'former_name' : 'surname']);
    }
    if (hits.length < limit && [...text].length >= 2) {
      const p3 = [...params, `%${likeEscape(text)}%`];
      const seen = new Set(hits.map(([r]) => Number(r.id)));
      const rows = await db.query<any>(
        `${select} FROM ${from} WHERE ${where.join(' AND ')} AND (t.current_address ILIKE $${p3.length} OR t.registered_address ILIKE $${p3.length})
         ORDER BY t.id LIMIT ${limit - hits.length}`, p3);
      for (const r of rows) if (!seen.has(Number(r.id))) hits.push([r, 'address']);
    }
  }
  return {
    items: hits.map(([r, matched]) => ({
      id: Number(r.id), regionCode: r.region_code, regionName: r.region_name ?? null, nameMasked: r.name_masked, idNumberMasked: r.id_masked,
      phoneMasked: r.phone_masked, sex: r.sex, birthDate: r.birth_date, populationType: r.population_type,
      populationTypeName: populationTypeNames[r.population_type as PopulationType], currentAddress: r.current_address,
      houseId: r.house_id == null ? null : Number(r.house_id), householdId: r.household_id == null ? null : Number(r.household_id),
      labels: (r.labels ?? []).map((type: string) => ({ type, name: (labelTypes as Record<string, { zh: string; en: string }>)[type] ?? { zh: type, en: type } })),
      matched,
    })),
  };
}

export interface HouseholdCard {
  id: number; householdNo: string | null; address: string | null; regionCode: string; houseId: number | null;
  members: Array<{ id: number; nameMasked: string; relationToHead: string | null; head: boolean; labels: string[] }>;
}

/** Households of a grid (or one by id) with their members, masked: what a visit is recorded against. */
export async function householdsOf(deps: RegistryDeps, actor: Actor, q: { regionCode?: string; id?: number; ids?: number[]; q?: string; limit?: number }): Promise<HouseholdCard[]> {
  assertRegistryUser(actor);
  const params: unknown[] = [];
  const where = [scopeSql(actor, 'h', params, true)];
  if (q.regionCode) where.push(regionPrefixSql(q.regionCode, 'h', params, true));
  if (q.id != null) { params.push(q.id); where.push(`h.id = $${params.length}`); }
  if (q.ids) { if (!q.ids.length) return []; params.push(q.ids); where.push(`h.id = ANY($${params.length}::bigint[])`); }
  if (q.q) { params.push(`%${likeEscape(q.q)}%`); where.push(`(h.address ILIKE $${params.length} OR h.household_no ILIKE $${params.length})`); }
  const rows = await deps.ctx.db.query<any>(
    `SELECT h.id, h.household_no, h.address, h.region_code, h.house_id, h.head_person_id FROM household h
     WHERE ${where.join(' AND ')} ORDER BY h.id LIMIT ${q.limit ?? 200}`, params);
  if (!rows.length) return [];
  const members = await deps.ctx.db.query<any>(
    `SELECT t.id, t.household_id, t.name_masked, t.relation_to_head,
       ARRAY(SELECT l.type FROM person_label l WHERE l.person_id = t.id AND l.active ORDER BY l.id) AS labels
     FROM person t WHERE t.household_id = ANY($1::bigint[]) ORDER BY t.household_id, t.relation_to_head NULLS LAST, t.id`, [rows.map((r) => r.id)]);
  return rows.map((h) => ({
    id: Number(h.id), householdNo: h.household_no, address: h.address, regionCode: h.region_code, houseId: h.house_id == null ? null : Number(h.house_id),
    members: members.filter((m) => Number(m.household_id) === Number(h.id)).map((m) => ({
      id: Number(m.id), nameMasked: m.name_masked, relationToHead: m.relation_to_head, head: Number(m.id) === Number(h.head_person_id), labels: m.labels ?? [],
    })),
  }));
}

/** The active labels of persons (ids, types): a visit to them counts as their follow-up. */
export async function activeLabelsOf(db: Queryable, personIds: number[]): Promise<Array<{ labelId: number; personId: number; type: string }>> {
  if (!personIds.length) return [];
  const rows = await db.query<any>('SELECT id, person_id, type FROM person_label WHERE person_id = ANY($1::bigint[]) AND active ORDER BY id', [personIds]);
  return rows.map((r) => ({ labelId: Number(r.id), personId: Number(r.person_id), type: r.type }));
}

/** Persons by id in the actor's territory (masked; ids outside it are absent). */
export async function personsBrief(deps: RegistryDeps, actor: Actor, ids: number[]): Promise<Array<{ id: number; regionCode: string; nameMasked: string; householdId: number | null; houseId: number | null; labels: string[] }>> {
  assertRegistryUser(actor);
  if (!ids.length) return [];
  const params: unknown[] = [ids];
  const rows = await deps.ctx.db.query<any>(
    `SELECT t.id, t.region_code, t.name_masked, t.household_id, t.house_id,
       ARRAY(SELECT l.type FROM person_label l WHERE l.person_id = t.id AND l.active ORDER BY l.id) AS labels
     FROM person t WHERE t.id = ANY($1::bigint[]) AND ${scopeSql(actor, 't', params, false)} ORDER BY t.id`, params);
  return rows.map((r) => ({
    id: Number(r.id), regionCode: r.region_code, nameMasked: r.name_masked, householdId: r.household_id == null ? null : Number(r.household_id),
    houseId: r.house_id == null ? null : Number(r.house_id), labels: r.labels ?? [],
  }));
}
