// Parties of disputes and petitions: persons or organisations with their roles and contacts. A person's
// name, ID number, phone and address are sealed together (one AES-256-GCM ciphertext), shown masked, looked
// up by keyed hash (repeat detection: the same person by ID number or phone, an organisation by name) and
// revealed only for a stated purpose, with an audit row (DESIGN rule 6).
import { usablePhone } from '../../platform/text.ts';
import type { Queryable } from '../../platform/db/index.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { PersonalDataCipher } from '../../platform/crypto.ts';
import { maskIdNumber, maskName, maskPhone } from '../../platform/crypto.ts';
import { unprocessable } from '../../platform/errors.ts';
import type { PartyInputT } from './contracts.ts';

export interface PartyView {
  id: number; role: string; kind: string; nameMasked: string; idMasked: string | null; phoneMasked: string | null;
  idType: string | null; sex: string | null; ethnicity: string | null; education: string | null; personType: string | null;
  birthYear: number | null; vulnerable: string[]; orgCode: string | null;
}

/** Names are compared without spaces and full-width variants, so 张 三 and 张三 are one name. */
export const normaliseName = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

export function partyRow(cipher: PersonalDataCipher, p: PartyInputT) {
  const name = normaliseName(p.name);
  const personal = { name: p.name, idNumber: p.idNumber ?? null, phone: p.phone ?? null, address: p.address ?? null };
  const person = p.kind === 'person';
  return {
    role: p.role, kind: p.kind,
    sealed: cipher.encrypt(JSON.stringify(personal)),
    name_masked: person ? maskName(p.name) : p.name,
    id_masked: p.idNumber ? maskIdNumber(p.idNumber) : null,
    phone_masked: p.phone ? maskPhone(p.phone) : null,
    // persons are matched by ID number and phone; organisations (and persons without either) by name
    name_hash: !person || (!p.idNumber && !p.phone) ? cipher.lookupHash(`${p.kind}:${name}`) : null,
    id_hash: p.idNumber ? cipher.lookupHash(`id:${p.idNumber.toUpperCase()}`) : null,
    phone_hash: p.phone ? cipher.lookupHash(`phone:${p.phone.replace(/[\s-]/g, '')}`) : null,
    id_type: p.idType ?? null, sex: p.sex ?? null, ethnicity: p.ethnicity ?? null, education: p.education ?? null,
    person_type: p.personType ?? null, birth_year: p.birthYear ?? null, vulnerable: p.vulnerable ?? [], org_code: p.orgCode ?? null,
  };
}


/** Refuses, before anything is written, a party whose phone is neither a mobile number nor a fixed line. */
export function assertPhones(parties: Array<{ phone?: string; name?: string }>): void {
  const bad = parties.find((p) => p.phone && !usablePhone(p.phone));
  if (bad) {
    throw unprocessable('phone_invalid', {
      zh: `联系电话「${bad.phone}」无效：请填写11位手机号码，或带区号的固定电话（如 023-42812345）。`,
      en: `The phone number "${bad.phone}" is not usable: give an 11-digit mobile number or a fixed line with its area code (e.g. 023-42812345).`,
    }, { phone: bad.phone });
  }
}

export async function insertParties(tx: Queryable, cipher: PersonalDataCipher, c: { caseId: number; districtCode: string; kind: 'dispute' | 'petition' }, parties: PartyInputT[]): Promise<number[]> {
  const ids: number[] = [];
  for (const p of parties) {
    const r = partyRow(cipher, p);
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO mediation_party (district_code, case_id, case_kind, role, kind, sealed, name_masked, id_masked, phone_masked, name_hash, id_hash,
         phone_hash, id_type, sex, ethnicity, education, person_type, birth_year, vulnerable, org_code)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19::text[], $20) RETURNING id`,
      [c.districtCode, c.caseId, c.kind, r.role, r.kind, r.sealed, r.name_masked, r.id_masked, r.phone_masked, r.name_hash, r.id_hash, r.phone_hash,
        r.id_type, r.sex, r.ethnicity, r.education, r.person_type, r.birth_year, r.vulnerable, r.org_code]);
    ids.push(Number(row.id));
  }
  return ids;
}

export const partyView = (r: any): PartyView => ({
  id: Number(r.id), role: r.role, kind: r.kind, nameMasked: r.name_masked, idMasked: r.id_masked, phoneMasked: r.phone_masked,
  idType: r.id_type, sex: r.sex, ethnicity: r.ethnicity, education: r.education, personType: r.person_type,
  birthYear: r.birth_year == null ? null : Number(r.birth_year), vulnerable: r.vulnerable ?? [], orgCode: r.org_code,
});

export async function partiesOf(q: Queryable, caseId: number): Promise<any[]> {
  return q.query<any>('SELECT * FROM mediation_party WHERE case_id = $1 ORDER BY id', [caseId]);
}

/** The sealed contacts of one party, for a stated purpose; the reveal is written to the audit log. */
export async function revealParty(q: Queryable, cipher: PersonalDataCipher, actor: Actor, row: any, regionCode: string, purpose: string) {
  const personal = JSON.parse(cipher.decrypt(row.sealed)) as { name: string; idNumber: string | null; phone: string | null; address: string | null };
  await q.query(
    `INSERT INTO audit_log (actor_id, action, target, region_code, detail) VALUES ($1, 'mediation.party.reveal', $2, $3, $4::jsonb)`,
    [actor.id, `mediation_party:${row.id}`, regionCode, JSON.stringify({ purpose, caseId: Number(row.case_id), fields: Object.keys(personal).filter((k) => (personal as any)[k]) })]);
  return personal;
}
