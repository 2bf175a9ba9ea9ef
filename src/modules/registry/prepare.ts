// From validated input to the columns of a row: the checks that need data (ID checksums against
// today, dictionary codes, cross-field rules), derived fields (birth date and sex from the ID number),
// sealing and masking. Plain functions over plain data: the API, the bulk import and its worker
// threads all call these, so a row is accepted or refused for the same reasons everywhere.
import type { PersonalDataCipher } from '../../platform/crypto.ts';
import { checkIdNumber, idNumberReason } from './id-number.ts';
import { checkDictFields, checkSensitive, type CheckEnv, type Issue, type KindDef } from './kinds.ts';
import {
  checkFieldSet, labelTypes, personFields, populationDetails, RESIDENT_ID_TYPES, type FieldSet, type LabelType, type PopulationType,
} from './persons-model.ts';
import { mask, seal, splitSensitive } from './protect.ts';

export interface PrepareEnv extends CheckEnv {
  cipher: PersonalDataCipher;
}

export type Prepared<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };

/** The keyed lookup hash of a document: 公民身份号码 by the number alone, other documents with their type. */
export function documentHash(cipher: PersonalDataCipher, idType: string, number: string): string {
  const v = number.trim().toUpperCase();
  return cipher.lookupHash(RESIDENT_ID_TYPES.has(idType) ? v : `${idType}:${v}`);
}

export interface PersonRow {
  population_type: string;
  id_type: string;
  id_hash: string;
  id_masked: string;
  name_masked: string;
  former_name_masked: string | null;
  phone_hash: string | null;
  phone_masked: string | null;
  sealed: string;
  details: Record<string, unknown>;
  masked: Record<string, string>;
  [col: string]: unknown;
}

/** Columns of a person row that preparePerson fills, in COPY order (region and links are added by the caller). */
export const PERSON_COLUMNS = [
  'population_type', 'id_type', 'id_hash', 'id_masked', 'name_masked', 'phone_hash', 'phone_masked', 'sealed',
  ...personFields.map((f) => f.col), 'details', 'masked', 'former_name_masked',
] as const;

/**
 * A complete person (create, or the record after a patch with its personal fields decrypted) → row.
 * `input` has passed PersonCreate; here come the checks that need data.
 */
export function preparePerson(input: Record<string, any>, env: PrepareEnv): Prepared<PersonRow> {
  const issues: Issue[] = [];
  const idType: string = input.idType ?? '111';
  if (!env.has('id_type', idType)) issues.push({ path: 'idType', code: 'unknown_code', message: `${idType} is not a code of id_type` });
  let idNumber = String(input.idNumber).trim().toUpperCase();
  let birthDate: string | null = input.birthDate ?? null;
  let sex: string | null = input.sex ?? null;
  if (RESIDENT_ID_TYPES.has(idType)) {
    const c = checkIdNumber(idNumber, env.today);
    if (!c.ok) {
      issues.push({ path: 'idNumber', code: 'invalid_id_number', message: idNumberReason(c.problem) });
    } else {
      idNumber = c.facts.value;
      if (birthDate && birthDate !== c.facts.birthDate) issues.push({ path: 'birthDate', code: 'birth_date_mismatch', message: `the ID number says ${c.facts.birthDate}` });
      if (sex && (sex === '1' || sex === '2') && sex !== c.facts.sex) issues.push({ path: 'sex', code: 'sex_mismatch', message: 'the sex does not match the ID number (17th digit: odd male, even female)' });
      birthDate = c.facts.birthDate;
      sex = sex ?? c.facts.sex;
    }
  }
  const rec: Record<string, any> = input;
  checkDictFields(personFields, rec, env, issues, '', { sex, birthDate });
  const type = input.populationType as PopulationType;
  const details = checkFieldSet(populationDetails[type], input.details, env, 'details');
  issues.push(...details.issues);
  if (issues.length) return { ok: false, issues };

  const set = populationDetails[type];
  const { personal: detailsPersonal, masked } = set.sensitive.length ? splitSensitive(set.sensitive, details.value) : { personal: {}, masked: {} };
  const plainDetails = set.sensitive.length ? omit(details.value, Object.keys(detailsPersonal)) : details.value;
  const personal: Record<string, unknown> = { idNumber, name: String(input.name).trim() };
  if (input.phone) personal.phone = String(input.phone).trim();
  if (input.formerName) personal.formerName = String(input.formerName).trim();
  if (Object.keys(detailsPersonal).length) personal.details = detailsPersonal;
  const row: PersonRow = {
    population_type: type,
    id_type: idType,
    id_hash: documentHash(env.cipher, idType, idNumber),
    id_masked: mask('id', idNumber),
    name_masked: mask('name', String(input.name)),
    former_name_masked: input.formerName ? mask('name', String(input.formerName).trim()) : null,
    phone_hash: input.phone ? env.cipher.lookupHash(String(input.phone).trim()) : null,
    phone_masked: input.phone ? mask('phone', String(input.phone)) : null,
    sealed: seal(env.cipher, personal)!,
    details: plainDetails,
    masked,
  };
  for (const fd of personFields) row[fd.col] = rec[fd.api] ?? null;
  row.sex = sex;
  row.birth_date = birthDate;
  return { ok: true, value: row };
}

export interface RecordCols { cols: Record<string, unknown>; sealed: string | null; masked: Record<string, string> }

/** A complete record of a generic kind → its columns (without region and parent, added by the caller). */
export function prepareRecord(kind: KindDef, rec: Record<string, any>, env: PrepareEnv): Prepared<RecordCols> {
  const issues: Issue[] = [];
  checkDictFields(kind.fields, rec, env, issues);
  checkSensitive(kind.sensitive, rec, env, issues);
  kind.check?.(rec, env, issues);
  if (issues.length) return { ok: false, issues };
  const cols: Record<string, unknown> = {};
  for (const fd of kind.fields) {
    const v = rec[fd.api] ?? fd.default ?? null;
    cols[fd.col] = fd.pg === 'jsonb' && v != null ? JSON.stringify(v) : v;
  }
  if (kind.name === 'organisations' && typeof cols.credit_code === 'string') cols.credit_code = cols.credit_code.toUpperCase();
  const { personal, masked } = splitSensitive(kind.sensitive, rec);
  return { ok: true, value: { cols, sealed: seal(env.cipher, personal), masked } };
}

export interface LabelCols { type: LabelType; fields: Record<string, unknown>; sealed: string | null; masked: Record<string, string> }

/** A label's fields, validated by its type. */
export function prepareLabel(type: LabelType, fields: unknown, env: PrepareEnv): Prepared<LabelCols> {
  const set: FieldSet = labelTypes[type];
  const r = checkFieldSet(set, fields, env, 'fields');
  if (r.issues.length) return { ok: false, issues: r.issues };
  const { personal, masked } = splitSensitive(set.sensitive, r.value);
  return { ok: true, value: { type, fields: omit(r.value, Object.keys(personal)), sealed: seal(env.cipher, personal), masked } };
}

function omit(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  if (!keys.length) return o;
  const out = { ...o };
  for (const k of keys) delete out[k];
  return out;
}
