// 实有人口 use cases: persons with their personal fields sealed, exact lookup by ID number or phone
// through the keyed hash, labels for special populations and their follow-up logs, reveal.
import type { Actor } from '../../platform/auth/actor.ts';
import type { Queryable } from '../../platform/db/index.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { regionPrefixSql } from '../../platform/scope.ts';
import {
  audit, invalid, isUniqueViolation, iso, likeEscape, pageOf, prepareEnv, regionColumns, resolveGrid, type RegistryDeps,
} from './common.ts';
import type { FollowupCreateT, LabelCreateT, LabelEndT, LabelPatchT, ListBaseT, RevealBodyT } from './contracts.ts';
import type { Issue } from './kinds.ts';
import {
  isLabelType, labelTypes, personFields, populationTypeNames, type LabelType, type PopulationType,
} from './persons-model.ts';
import { assertDeleter, assertLabelEnder, assertRegistryUser, scopeSql } from './policy.ts';
import { documentHash, preparePerson, prepareLabel, type PersonRow } from './prepare.ts';
import { auditReveal, pickFields, revealPermission, revealSubject, unseal } from './protect.ts';
import { duplicateOf } from './duplicates.ts';
import { nameLike, nameMatchSql } from './person-search.ts';
import { revealTargetName } from './oversight.ts';

const personSelect = `SELECT t.id, t.region_code, r.name AS region_name, t.population_type, t.id_type, t.id_masked, t.name_masked, t.former_name_masked,
  t.phone_masked, ${personFields.map((f) => (f.pg === 'date' ? `to_char(t.${f.col}, 'YYYY-MM-DD') AS ${f.col}` : `t.${f.col}`)).join(', ')},
  t.house_id, t.household_id, t.details, t.masked, t.created_at, t.updated_at,
  ph.address AS house_title, coalesce(phh.household_no, phh.address, phd.name_masked || '户') AS household_title, (phh.head_person_id = t.id) AS is_head,
  ARRAY(SELECT l.type FROM person_label l WHERE l.person_id = t.id AND l.active ORDER BY l.id) AS labels`;
const personFrom = `person t LEFT JOIN region r ON r.code = t.region_code
  LEFT JOIN house ph ON ph.id = t.house_id LEFT JOIN household phh ON phh.id = t.household_id LEFT JOIN person phd ON phd.id = phh.head_person_id`;

const num = (v: unknown) => (v == null ? null : Number(v));

export function personView(row: any) {
  const type = row.population_type as PopulationType;
  const out: Record<string, unknown> = {
    id: Number(row.id), regionCode: row.region_code, regionName: row.region_name ?? null,
    populationType: type, populationTypeName: populationTypeNames[type],
    idType: row.id_type, idNumberMasked: row.id_masked, nameMasked: row.name_masked, formerNameMasked: row.former_name_masked ?? null, phoneMasked: row.phone_masked,
  };
  for (const f of personFields) out[f.api] = row[f.col] ?? null;
  Object.assign(out, {
    houseId: num(row.house_id), householdId: num(row.household_id), houseTitle: row.house_title ?? null,
    householdTitle: row.household_title ?? null, isHouseholdHead: row.is_head === true,
    details: row.details ?? {}, detailsMasked: row.masked ?? {}, labels: row.labels ?? [],
    createdAt: iso(row.created_at), updatedAt: iso(row.updated_at),
  });
  return out;
}

// Persons are scoped by a prefix of region_code (one text_pattern_ops index, migration 0008), not by
// equality on the leveled columns: a bulk import then maintains one scope index instead of three.
const LEVELED = false;

async function loadPerson(q: Queryable, actor: Actor, id: number, lock = false): Promise<any> {
  const params: unknown[] = [id];
  const scope = scopeSql(actor, 't', params, LEVELED);
  const [row] = await q.query<any>(lock
    ? `SELECT t.*, to_char(t.birth_date, 'YYYY-MM-DD') AS birth_date FROM person t WHERE t.id = $1 AND ${scope} FOR UPDATE`
    : `${personSelect}, t.sealed FROM ${personFrom} WHERE t.id = $1 AND ${scope}`, params);
  if (!row) throw notFound({ zh: `人员 ${id}`, en: `Person ${id}` });
  return row;
}

export interface PersonListQuery extends ListBaseT {
  populationType?: PopulationType; label?: string; idType?: string; idNumber?: string; phone?: string; houseId?: number; householdId?: number;
}

export async function listPersons(deps: RegistryDeps, actor: Actor, q: PersonListQuery) {
  assertRegistryUser(actor);
  const { cipher } = deps.ctx;
  const params: unknown[] = [];
  const where = [scopeSql(actor, 't', params, LEVELED)];
  if (q.regionCode) where.push(regionPrefixSql(q.regionCode, 't', params, LEVELED));
  const eq = (col: string, v: unknown) => { params.push(v); where.push(`t.${col} = $${params.length}`); };
  // exact lookups go through the keyed hash: the number itself is never compared or stored in clear
  if (q.idNumber) eq('id_hash', documentHash(cipher, q.idType ?? '111', q.idNumber));
  else if (q.idType) eq('id_type', q.idType);
  if (q.phone) eq('phone_hash', cipher.lookupHash(q.phone.trim()));
  if (q.populationType) eq('population_type', q.populationType);
  if (q.houseId) eq('house_id', q.houseId);
  if (q.householdId) eq('household_id', q.householdId);
  if (q.label) {
    params.push(q.label);
    where.push(`EXISTS (SELECT 1 FROM person_label l WHERE l.person_id = t.id AND l.active AND l.type = $${params.length})`);
  }
  if (q.q) {
    // names are sealed: a name, former name or surname is matched by its keyed hash (pickers find 罗 or
    // 罗小明), any text by addresses, occupation and employer
    const term = q.q.normalize('NFKC').trim();
    const byName = nameLike(term) ? await nameMatchSql(deps.ctx.db, cipher, q.regionCode ?? actor.regionCode, term, params) : null;
    params.push(`%${likeEscape(q.q)}%`);
    const p = `$${params.length}`;
    where.push(`(${byName ? `${byName} OR ` : ''}t.current_address ILIKE ${p} OR t.registered_address ILIKE ${p} OR t.occupation ILIKE ${p} OR t.employer ILIKE ${p})`);
  }
  return pageOf(deps.ctx.db, personSelect, personFrom, where.join(' AND '), params, q, personView);
}

export async function getPerson(deps: RegistryDeps, actor: Actor, id: number) {
  assertRegistryUser(actor);
  return personView(await loadPerson(deps.ctx.db, actor, id));
}

/** The grid of a person: given, or that of the house or household they are linked to (which must agree). */
async function placePerson(deps: RegistryDeps, q: Queryable, actor: Actor, rec: Record<string, any>, refresh = true): Promise<string> {
  const grids: Array<[string, string]> = [];
  for (const [api, table, what] of [['houseId', 'house', 'house'], ['householdId', 'household', 'household']] as const) {
    if (rec[api] == null) continue;
    const params: unknown[] = [rec[api]];
    const [row] = await q.query<{ region_code: string }>(`SELECT t.region_code FROM ${table} t WHERE t.id = $1 AND ${scopeSql(actor, 't', params)}`, params);
    if (!row) throw invalid([{ path: api, code: `unknown_${what}`, message: `${what} ${rec[api]} does not exist in your region` }]);
    grids.push([api, row.region_code]);
  }
  const code = rec.regionCode ?? grids[0]?.[1];
  for (const [api, g] of grids) {
    if (g !== code) throw invalid([{ path: api, code: 'region_mismatch', message: `the ${api === 'houseId' ? 'house' : 'household'} is in grid ${g}, not ${code}` }]);
  }
  return resolveGrid(deps, actor, code, refresh);
}

function personColumns(row: PersonRow): Record<string, unknown> {
  return { ...row, details: JSON.stringify(row.details), masked: JSON.stringify(row.masked) };
}

/** A member whose relation to the head is 户主 (02) heads a household that has no head yet. */
async function headOfHousehold(q: Queryable, personId: number, householdId: number | null, relation: string | null): Promise<void> {
  if (householdId == null || relation !== '02') return;
  await q.query('UPDATE household SET head_person_id = $2, updated_at = now() WHERE id = $1 AND head_person_id IS NULL', [householdId, personId]);
}

/**
 * A member of a household lives in the household's house (以房管人) unless given a house of their own:
 * the household's house, when it has one, for a person added to a household or moved to another.
 */
async function householdHouse(q: Queryable, actor: Actor, householdId: number): Promise<number | null> {
  const params: unknown[] = [householdId];
  const [row] = await q.query<{ house_id: number | null }>(`SELECT t.house_id FROM household t WHERE t.id = $1 AND ${scopeSql(actor, 't', params)}`, params);
  return row?.house_id == null ? null : Number(row.house_id);
}

export async function createPerson(deps: RegistryDeps, actor: Actor, input: Record<string, any>) {
  assertRegistryUser(actor);
  const env = await prepareEnv(deps);
  const { db } = deps.ctx;
  if (input.householdId != null && input.houseId === undefined) {
    const house = await householdHouse(db, actor, input.householdId);
    if (house != null) input = { ...input, houseId: house };
  }
  const regionCode = await placePerson(deps, db, actor, input);
  const p = preparePerson(input, env);
  if (!p.ok) throw invalid(p.issues);
  const duplicate = await duplicateOf(db, actor, p.value.id_hash);
  try {
    const id = await db.transaction(async (tx) => {
      const cols: Record<string, unknown> = {
        ...regionColumns(regionCode), ...personColumns(p.value), house_id: input.houseId ?? null, household_id: input.householdId ?? null, created_by: actor.id,
        duplicate_of: duplicate,
      };
      const names = Object.keys(cols);
      const [row] = await tx.query<{ id: number }>(
        `INSERT INTO person (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`, names.map((n) => cols[n]));
      await audit(tx, actor, 'registry.create', `person:${row.id}`, regionCode, { fields: Object.keys(input) });
      await headOfHousehold(tx, Number(row.id), cols.household_id as number | null, p.value.relation_to_head as string | null);
      return Number(row.id);
    });
    return getPerson(deps, actor, id);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('duplicate_person', { zh: `该身份证号码的人员已登记。`, en: 'A person with this ID number is registered already.' });
    throw err;
  }
}

/** The stored person as API input, personal fields decrypted, to merge a patch into. */
function personInput(deps: RegistryDeps, row: any): Record<string, any> {
  const personal = unseal(deps.ctx.cipher, row.sealed);
  const rec: Record<string, any> = {
    regionCode: row.region_code, houseId: num(row.house_id), householdId: num(row.household_id), populationType: row.population_type,
    idType: row.id_type, idNumber: personal.idNumber, name: personal.name, formerName: personal.formerName ?? null, phone: personal.phone ?? null,
    details: { ...(row.details ?? {}), ...(personal.details ?? {}) },
  };
  for (const f of personFields) rec[f.api] = row[f.col];
  return rec;
}

export async function patchPerson(deps: RegistryDeps, actor: Actor, id: number, patch: Record<string, any>) {
  assertRegistryUser(actor);
  const env = await prepareEnv(deps);
  if (patch.regionCode) await deps.regions.ensure(patch.regionCode);
  try {
    await deps.ctx.db.transaction(async (tx) => {
      const row = await loadPerson(tx, actor, id, true);
      const before = personInput(deps, row);
      const rec = { ...before, ...patch };
      // details change by key (null clears one); a new population type starts from the details given
      if (patch.details !== undefined || (patch.populationType && patch.populationType !== before.populationType)) {
        const details: Record<string, unknown> = patch.populationType && patch.populationType !== before.populationType ? {} : { ...before.details };
        for (const [k, v] of Object.entries(patch.details ?? {})) { if (v === null) delete details[k]; else details[k] = v; }
        rec.details = details;
      }
      // a new ID number re-derives sex and birth date unless they are given too
      if (patch.idNumber !== undefined || patch.idType !== undefined) {
        if (patch.sex === undefined) rec.sex = null;
        if (patch.birthDate === undefined) rec.birthDate = null;
      }
      // moved to another household without a house named: into that household's house (when it has one)
      if (patch.householdId != null && patch.houseId === undefined && patch.householdId !== before.householdId) {
        const house = await householdHouse(tx, actor, patch.householdId);
        if (house != null) rec.houseId = house;
      }
      if (patch.regionCode === undefined && (patch.houseId != null || patch.householdId != null)) delete rec.regionCode;
      const regionCode = await placePerson(deps, tx, actor, rec, false);
      const p = preparePerson(rec, env);
      if (!p.ok) throw invalid(p.issues);
      const duplicate = p.value.id_hash !== row.id_hash ? await duplicateOf(tx, actor, p.value.id_hash, id) : row.duplicate_of;
      const cols: Record<string, unknown> = {
        ...regionColumns(regionCode), ...personColumns(p.value), house_id: rec.houseId ?? null, household_id: rec.householdId ?? null,
        duplicate_of: duplicate ?? null,
      };
      const names = Object.keys(cols);
      await tx.query(`UPDATE person SET ${names.map((n, i) => `${n} = $${i + 2}`).join(', ')}, updated_at = now() WHERE id = $1`,
        [id, ...names.map((n) => cols[n])]);
      // labels move with the person; follow-ups keep the grid they happened in (they are facts)
      await tx.query(`UPDATE person_label SET region_code = $2, district_code = $3, street_code = $4, community_code = $5 WHERE person_id = $1`,
        [id, cols.region_code, cols.district_code, cols.street_code, cols.community_code]);
      await audit(tx, actor, 'registry.update', `person:${id}`, regionCode, { fields: Object.keys(patch) });
      await headOfHousehold(tx, id, cols.household_id as number | null, p.value.relation_to_head as string | null);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('duplicate_person', { zh: `该身份证号码的人员已登记。`, en: 'A person with this ID number is registered already.' });
    throw err;
  }
  return getPerson(deps, actor, id);
}

export async function deletePerson(deps: RegistryDeps, actor: Actor, id: number): Promise<void> {
  assertDeleter(actor);
  await deps.ctx.db.transaction(async (tx) => {
    const row = await loadPerson(tx, actor, id, true);
    await tx.query('UPDATE household SET head_person_id = NULL WHERE head_person_id = $1', [id]);
    await tx.query('DELETE FROM person WHERE id = $1', [id]);
    await audit(tx, actor, 'registry.delete', `person:${id}`, row.region_code, {});
  });
}

const PERSON_REVEALABLE = ['idNumber', 'name', 'formerName', 'phone', 'details', 'labels'];

/** The person's ID number, name, phone and the personal fields of their details and labels, for a stated purpose. */
export async function revealPerson(deps: RegistryDeps, actor: Actor, id: number, body: RevealBodyT) {
  assertRegistryUser(actor);
  const { db, cipher } = deps.ctx;
  const permission = await revealPermission(db, actor, deps.ctx.now());
  const row = await loadPerson(db, actor, id);
  const personal = unseal(cipher, row.sealed);
  const labels = await db.query<{ id: number; type: string; sealed: string | null }>(
    'SELECT id, type, sealed FROM person_label WHERE person_id = $1 AND sealed IS NOT NULL ORDER BY id', [id]);
  const all = {
    idNumber: personal.idNumber, name: personal.name, formerName: personal.formerName ?? null, phone: personal.phone ?? null, details: personal.details ?? {},
    labels: labels.map((l) => ({ id: Number(l.id), type: l.type, fields: unseal(cipher, l.sealed) })),
  };
  const values = pickFields(all, PERSON_REVEALABLE, body.fields);
  await auditReveal(db, actor, `person:${id}`, row.region_code, {
    purpose: body.purpose, targetName: revealTargetName('person', row), fields: Object.keys(values), via: permission.via, ...(permission.via === 'grant' ? { grantId: permission.grantId } : {}),
    subject: revealSubject(cipher, [personal.name, personal.formerName], [personal.idNumber]),
  });
  return { id, ...values };
}

/**
 * A person's name and phone for a stated purpose, for another module that has decided the actor may know
 * them (the risk module: the counsellor a person was referred to, and that counsellor's supervisor). With
 * `vouchedBy` the registry's own reveal right and territory are not asked (the caller's relationship is
 * the permission, named in the audit row); without it they are, as for revealPerson. Audited either way.
 */
export async function revealPersonContact(deps: RegistryDeps, actor: Actor, id: number, input: { purpose: string; vouchedBy?: { kind: string; id: number } }) {
  const { db, cipher } = deps.ctx;
  let row: { sealed: string; region_code: string } | undefined;
  let via: Record<string, unknown>;
  if (input.vouchedBy) {
    [row] = await db.query<{ sealed: string; region_code: string }>('SELECT sealed, region_code FROM person WHERE id = $1', [id]);
    if (!row) throw notFound({ zh: `人员 ${id}`, en: `Person ${id}` });
    via = { via: input.vouchedBy.kind, [`${input.vouchedBy.kind}Id`]: input.vouchedBy.id };
  } else {
    assertRegistryUser(actor);
    const permission = await revealPermission(db, actor, deps.ctx.now());
    row = await loadPerson(db, actor, id);
    via = { via: permission.via, ...(permission.via === 'grant' ? { grantId: permission.grantId } : {}) };
  }
  const personal = unseal(cipher, row!.sealed);
  await auditReveal(db, actor, `person:${id}`, row!.region_code, {
    purpose: input.purpose, fields: ['name', 'phone'], ...via, subject: revealSubject(cipher, [personal.name], [personal.idNumber]),
  });
  return { id, name: personal.name as string, phone: (personal.phone as string | undefined) ?? null };
}

// ---------------------------------------------------------------------------------------------
// Labels (特殊人群) and their follow-up logs (跟踪/帮扶记录)

function labelView(row: any) {
  const type = row.type as LabelType;
  const set = isLabelType(type) ? labelTypes[type] : null;
  return {
    id: Number(row.id), personId: Number(row.person_id), type, typeName: set ? { zh: set.zh, en: set.en } : { zh: type, en: type },
    customName: row.custom_name, attentionLevel: row.attention_level, fields: row.fields ?? {}, fieldsMasked: row.masked ?? {},
    active: row.active, startedOn: row.started_on, endedOn: row.ended_on, endKind: row.end_kind ?? null, endReason: row.end_reason ?? null,
    createdAt: iso(row.created_at), updatedAt: iso(row.updated_at),
  };
}

/** One fact of a label's life cycle (start, change, end, lift, resume). */
async function labelEvent(q: Queryable, actor: Actor, label: { id: number; person_id: number; region_code: string },
  action: 'start' | 'change' | 'end' | 'lift' | 'resume', onDate: string | null, reason: string | null, changes: string[] = []): Promise<void> {
  await q.query(
    `INSERT INTO person_label_event (label_id, person_id, region_code, district_code, action, on_date, reason, changes, actor_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9)`,
    [label.id, label.person_id, label.region_code, regionColumns(label.region_code).district_code, action, onDate, reason, JSON.stringify(changes), actor.id]);
}
const chinaToday = (now: Date) => new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const labelSelect = `SELECT l.id, l.person_id, l.type, l.custom_name, l.attention_level, l.fields, l.masked, l.active,
  to_char(l.started_on, 'YYYY-MM-DD') AS started_on, to_char(l.ended_on, 'YYYY-MM-DD') AS ended_on, l.created_at, l.updated_at, l.region_code,
  l.end_kind, l.end_reason`;

export async function listLabels(deps: RegistryDeps, actor: Actor, personId: number) {
  assertRegistryUser(actor);
  await loadPerson(deps.ctx.db, actor, personId);
  const rows = await deps.ctx.db.query<any>(`${labelSelect} FROM person_label l WHERE l.person_id = $1 ORDER BY l.id`, [personId]);
  return { items: rows.map(labelView) };
}

function checkLabelHeader(type: string, customName: string | null | undefined, attentionLevel: string | null | undefined,
  startedOn: string | null | undefined, endedOn: string | null | undefined, has: (d: string, c: string) => boolean): Issue[] {
  const issues: Issue[] = [];
  if (!isLabelType(type)) issues.push({ path: 'type', code: 'unknown_label_type', message: `label types: ${Object.keys(labelTypes).join(', ')}` });
  if (type === 'custom' && !customName) issues.push({ path: 'customName', code: 'custom_name_required', message: 'a custom label needs its name' });
  if (type !== 'custom' && customName) issues.push({ path: 'customName', code: 'not_custom', message: 'only custom labels have a name of their own' });
  if (attentionLevel && !has('attention_level', attentionLevel)) issues.push({ path: 'attentionLevel', code: 'unknown_code', message: `${attentionLevel} is not a code of attention_level` });
  if (startedOn && endedOn && endedOn < startedOn) issues.push({ path: 'endedOn', code: 'date_order', message: 'the label ends before it starts' });
  return issues;
}

async function loadLabel(q: Queryable, actor: Actor, personId: number, labelId: number, lock = false) {
  await loadPerson(q, actor, personId);
  const [row] = await q.query<any>(`${labelSelect}, l.sealed FROM person_label l WHERE l.id = $1 AND l.person_id = $2${lock ? ' FOR UPDATE' : ''}`, [labelId, personId]);
  if (!row) throw notFound({ zh: `标签 ${labelId}`, en: `Label ${labelId}` });
  return row;
}

export async function createLabel(deps: RegistryDeps, actor: Actor, personId: number, input: LabelCreateT) {
  assertRegistryUser(actor);
  const env = await prepareEnv(deps);
  const { db } = deps.ctx;
  const person = await loadPerson(db, actor, personId);
  const issues = checkLabelHeader(input.type, input.customName, input.attentionLevel, input.startedOn, input.endedOn, env.has);
  if (issues.length) throw invalid(issues);
  const p = prepareLabel(input.type as LabelType, input.fields, env);
  if (!p.ok) throw invalid(p.issues);
  try {
    const id = await db.transaction(async (tx) => {
      const rc = regionColumns(person.region_code);
      const [row] = await tx.query<{ id: number }>(
        `INSERT INTO person_label (person_id, region_code, district_code, street_code, community_code, type, custom_name, attention_level,
           fields, sealed, masked, started_on, ended_on, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11::jsonb, $12, $13, $14) RETURNING id`,
        [personId, rc.region_code, rc.district_code, rc.street_code, rc.community_code, input.type, input.customName ?? null,
          input.attentionLevel ?? null, JSON.stringify(p.value.fields), p.value.sealed, JSON.stringify(p.value.masked),
          input.startedOn ?? null, input.endedOn ?? null, actor.id]);
      await audit(tx, actor, 'registry.label', `person:${personId}`, person.region_code, { labelId: Number(row.id), type: input.type });
      await labelEvent(tx, actor, { id: Number(row.id), person_id: personId, region_code: person.region_code }, 'start',
        input.startedOn ?? chinaToday(deps.ctx.now()), null, Object.keys(input.fields ?? {}));
      return Number(row.id);
    });
    return labelView(await loadLabel(db, actor, personId, id));
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('duplicate_label', { zh: `该人员已有此标签，请修改或先结束原标签。`, en: 'The person has this label already; change it or end it first.' });
    throw err;
  }
}

export async function patchLabel(deps: RegistryDeps, actor: Actor, personId: number, labelId: number, patch: LabelPatchT) {
  assertRegistryUser(actor);
  const env = await prepareEnv(deps);
  try {
    await deps.ctx.db.transaction(async (tx) => {
      const row = await loadLabel(tx, actor, personId, labelId, true);
      if (patch.active === false && row.active) assertLabelEnder(actor);
      const next = {
        customName: patch.customName ?? row.custom_name, attentionLevel: patch.attentionLevel === undefined ? row.attention_level : patch.attentionLevel,
        startedOn: patch.startedOn === undefined ? row.started_on : patch.startedOn, endedOn: patch.endedOn === undefined ? row.ended_on : patch.endedOn,
        active: patch.active ?? row.active,
      };
      const issues = checkLabelHeader(row.type, next.customName, next.attentionLevel, next.startedOn, next.endedOn, env.has);
      if (issues.length) throw invalid(issues);
      // fields change by key; null clears one; personal ones not named stay sealed as they were
      const fields: Record<string, unknown> = { ...(row.fields ?? {}), ...unseal(deps.ctx.cipher, row.sealed) };
      for (const [k, v] of Object.entries(patch.fields ?? {})) { if (v === null) delete fields[k]; else fields[k] = v; }
      const p = prepareLabel(row.type, fields, env);
      if (!p.ok) throw invalid(p.issues);
      await tx.query(
        `UPDATE person_label SET custom_name = $2, attention_level = $3, started_on = $4, ended_on = $5, active = $6, fields = $7::jsonb,
           sealed = $8, masked = $9::jsonb, updated_at = now() WHERE id = $1`,
        [labelId, next.customName, next.attentionLevel, next.startedOn, next.endedOn, next.active, JSON.stringify(p.value.fields),
          p.value.sealed, JSON.stringify(p.value.masked)]);
      await audit(tx, actor, 'registry.label', `person:${personId}`, row.region_code, { labelId, fields: Object.keys(patch) });
      const was: Record<string, unknown> = { customName: row.custom_name, attentionLevel: row.attention_level, startedOn: row.started_on, endedOn: row.ended_on };
      const changed = Object.keys(patch).filter((k) => k in was && (patch as Record<string, unknown>)[k] !== was[k])
        .concat(patch.fields ? Object.keys(patch.fields).filter((k) => JSON.stringify(patch.fields![k]) !== JSON.stringify(row.fields?.[k])) : []);
      const ref = { id: labelId, person_id: personId, region_code: row.region_code };
      if (changed.length) await labelEvent(tx, actor, ref, 'change', chinaToday(deps.ctx.now()), patch.reason ?? null, changed);
      if (next.active !== row.active) {
        await labelEvent(tx, actor, ref, next.active ? 'resume' : 'end', next.active ? chinaToday(deps.ctx.now()) : next.endedOn ?? chinaToday(deps.ctx.now()), patch.reason ?? null);
      }
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('duplicate_label', { zh: `该人员已有此标签且仍有效。`, en: 'The person has this label already and it is active.' });
    throw err;
  }
  return labelView(await loadLabel(deps.ctx.db, actor, personId, labelId));
}

const followupView = (r: any) => ({
  id: Number(r.id), labelId: Number(r.label_id), personId: Number(r.person_id), kind: r.kind, method: r.method, content: r.content,
  occurredAt: iso(r.occurred_at), nextDueOn: r.next_due_on, actorId: Number(r.actor_id), actorName: r.actor_name ?? null, createdAt: iso(r.created_at),
});

export async function listFollowups(deps: RegistryDeps, actor: Actor, personId: number, labelId: number) {
  assertRegistryUser(actor);
  await loadLabel(deps.ctx.db, actor, personId, labelId);
  const rows = await deps.ctx.db.query<any>(
    `SELECT f.*, to_char(f.next_due_on, 'YYYY-MM-DD') AS next_due_on, u.display_name AS actor_name
     FROM person_followup f LEFT JOIN app_user u ON u.id = f.actor_id WHERE f.label_id = $1 ORDER BY f.occurred_at DESC, f.id DESC`, [labelId]);
  return { items: rows.map(followupView) };
}

export async function createFollowup(deps: RegistryDeps, actor: Actor, personId: number, labelId: number, input: FollowupCreateT) {
  assertRegistryUser(actor);
  const { db } = deps.ctx;
  const label = await loadLabel(db, actor, personId, labelId);
  if (!label.active) throw new AppError(409, 'label_ended', { zh: `该标签已结束，跟进记录只能添加在有效标签上。`, en: 'The label has ended; follow-ups go on active labels.' });
  const at = new Date(input.occurredAt);
  if (at.getTime() > deps.ctx.now().getTime() + 5 * 60_000) throw invalid([{ path: 'occurredAt', code: 'in_future', message: 'a follow-up cannot have happened in the future' }]);
  const rc = regionColumns(label.region_code);
  const [row] = await db.query<any>(
    `INSERT INTO person_followup (label_id, person_id, region_code, district_code, street_code, community_code, kind, method, content, occurred_at, next_due_on, actor_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *, to_char(next_due_on, 'YYYY-MM-DD') AS next_due_on`,
    [labelId, personId, rc.region_code, rc.district_code, rc.street_code, rc.community_code, input.kind, input.method, input.content, at,
      input.nextDueOn ?? null, actor.id]);
  return followupView({ ...row, actor_name: actor.displayName });
}

/**
 * Ends a label (end: the term is over, 解矫 / 期满) or lifts it (lift: 解除, no longer a key person), on a
 * date and for a reason; fields given are set as it ends (社区矫正: terminationType). The label and its
 * follow-ups stay, with the history of its life cycle.
 */
export async function endLabel(deps: RegistryDeps, actor: Actor, personId: number, labelId: number, body: LabelEndT) {
  assertRegistryUser(actor);
  assertLabelEnder(actor);
  const env = await prepareEnv(deps);
  await deps.ctx.db.transaction(async (tx) => {
    const row = await loadLabel(tx, actor, personId, labelId, true);
    if (!row.active) throw new AppError(409, 'label_ended', { zh: `该标签已结束。`, en: 'The label has ended already.' });
    if (row.started_on && body.on < row.started_on) throw invalid([{ path: 'on', code: 'date_order', message: 'the label ends before it started' }]);
    if (body.on > chinaToday(deps.ctx.now())) throw invalid([{ path: 'on', code: 'in_future', message: 'a label cannot end in the future' }]);
    const fields = { ...(row.fields ?? {}), ...unseal(deps.ctx.cipher, row.sealed), ...(body.fields ?? {}) };
    const p = prepareLabel(row.type, fields, env);
    if (!p.ok) throw invalid(p.issues);
    await tx.query(
      `UPDATE person_label SET active = false, ended_on = $2, end_kind = $3, end_reason = $4, fields = $5::jsonb, sealed = $6, masked = $7::jsonb,
         updated_at = now() WHERE id = $1`,
      [labelId, body.on, body.kind, body.reason, JSON.stringify(p.value.fields), p.value.sealed, JSON.stringify(p.value.masked)]);
    await audit(tx, actor, 'registry.label_end', `person:${personId}`, row.region_code, { labelId, kind: body.kind, on: body.on });
    await labelEvent(tx, actor, { id: labelId, person_id: personId, region_code: row.region_code }, body.kind, body.on, body.reason, Object.keys(body.fields ?? {}));
  });
  return labelView(await loadLabel(deps.ctx.db, actor, personId, labelId));
}

/** The life cycle of a label, oldest first: who started, changed, ended or lifted it, when and why. */
export async function labelHistory(deps: RegistryDeps, actor: Actor, personId: number, labelId: number) {
  assertRegistryUser(actor);
  await loadLabel(deps.ctx.db, actor, personId, labelId);
  const rows = await deps.ctx.db.query<any>(
    `SELECT e.id, e.action, to_char(e.on_date, 'YYYY-MM-DD') AS on_date, e.reason, e.changes, e.at, e.actor_id, u.display_name
     FROM person_label_event e LEFT JOIN app_user u ON u.id = e.actor_id WHERE e.label_id = $1 ORDER BY e.id`, [labelId]);
  return {
    items: rows.map((r) => ({
      id: Number(r.id), action: r.action, on: r.on_date, reason: r.reason, changes: r.changes ?? [], at: iso(r.at),
      actorId: r.actor_id == null ? null : Number(r.actor_id), actorName: r.display_name ?? null,
    })),
  };
}
