// Key persons referred to counsellors (心理人才库). The register of counsellors is kept by the street and
// district centres; communities and above refer a labelled person to one; the referral is visible in the
// referrer's territory, but the counselling notes — sealed like personal data — only to the counsellor
// the referral names and that counsellor's supervisor. Anyone else gets 404 for them, whatever their role.
import type { Actor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/index.ts';
import { conflict, notFound, unprocessable } from '../../platform/errors.ts';
import { regionLevels, regionScope } from '../../platform/scope.ts';
import { personPlace, personsMasked, registryPolicy, revealPersonContact, searchResidents, type RegistryDeps } from '../registry/index.ts';
import { riskPolicy } from './policy.ts';
import type { CounsellorCreateT, CounsellorPatchT, NoteCreateT, ReferralCreateT } from './contracts.ts';

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

function counsellorView(r: any) {
  return {
    id: Number(r.id), userId: Number(r.user_id), name: r.user_name ?? null, unitName: r.unit_name ?? null, regionCode: r.region_code,
    regionName: r.region_name ?? null, supervisorUserId: r.supervisor_user_id == null ? null : Number(r.supervisor_user_id),
    supervisorName: r.supervisor_name ?? null, qualification: r.qualification, specialties: r.specialties ?? [], active: r.active,
    openReferrals: r.open_referrals == null ? undefined : Number(r.open_referrals),
  };
}

const COUNSELLORS = `SELECT c.*, u.display_name AS user_name, un.name AS unit_name, s.display_name AS supervisor_name, g.name AS region_name,
    (SELECT count(*) FROM referral f WHERE f.counsellor_id = c.id AND f.district_code = c.district_code AND f.status = 'open') AS open_referrals
  FROM counsellor c JOIN app_user u ON u.id = c.user_id LEFT JOIN unit un ON un.id = u.unit_id
  LEFT JOIN app_user s ON s.id = c.supervisor_user_id LEFT JOIN region g ON g.code = c.region_code`;

/** Counsellors serving the actor's region (or a region above it): whom a referral may name. */
export async function listCounsellors(q: Queryable, actor: Actor) {
  if (!riskPolicy.can(actor, 'risk.keyperson.refer')) riskPolicy.assert(actor, 'risk.counsellor.manage');
  const rows = await q.query<any>(
    `${COUNSELLORS} WHERE c.district_code = $1 AND (c.region_code LIKE $2 OR $3 LIKE c.region_code || '%') ORDER BY c.id`,
    [actor.regionCode.slice(0, 6), `${actor.regionCode}%`, actor.regionCode]);
  return { items: rows.map(counsellorView) };
}

/** Staff accounts of the actor's district a counsellor or supervisor may be chosen from (by name). */
export async function counsellorCandidates(q: Queryable, actor: Actor, query: { q?: string }) {
  riskPolicy.assert(actor, 'risk.counsellor.manage');
  const params: unknown[] = [`${actor.regionCode.slice(0, 6)}%`];
  let where = `u.active AND u.role <> 'resident' AND u.region_code LIKE $1`;
  if (query.q) { params.push(`%${query.q.replace(/[%_\\]/g, '\\$&')}%`); where += ` AND u.display_name ILIKE $${params.length}`; }
  const rows = await q.query<any>(
    `SELECT u.id, u.display_name, u.role, un.name AS unit_name FROM app_user u LEFT JOIN unit un ON un.id = u.unit_id WHERE ${where} ORDER BY u.display_name, u.id LIMIT 50`, params);
  return { items: rows.map((u) => ({ id: Number(u.id), name: u.display_name, role: u.role, unitName: u.unit_name ?? null })) };
}

async function staffUser(q: Queryable, id: number): Promise<{ id: number; role: string; region_code: string }> {
  const [u] = await q.query<any>(`SELECT id, role, region_code FROM app_user WHERE id = $1 AND active AND role <> 'resident'`, [id]);
  if (!u) throw unprocessable('unknown_user', { zh: `用户 ${id} 不是在用的工作人员账号。`, en: `User ${id} is not an active staff account.` });
  return u;
}

export async function createCounsellor(q: Queryable, actor: Actor, input: CounsellorCreateT, now: Date) {
  riskPolicy.assert(actor, 'risk.counsellor.manage');
  const region = input.regionCode ?? actor.regionCode;
  if (!regionScope(actor).within(region)) throw notFound({ zh: `区划 ${region}`, en: `Region ${region}` });
  await staffUser(q, input.userId);
  if (input.supervisorUserId != null) {
    if (input.supervisorUserId === input.userId) throw unprocessable('own_supervisor', { zh: `心理咨询员不能督导自己。`, en: 'A counsellor cannot supervise themselves.' });
    await staffUser(q, input.supervisorUserId);
  }
  try {
    const [r] = await q.query<{ id: number }>(
      `INSERT INTO counsellor (district_code, region_code, user_id, supervisor_user_id, qualification, specialties, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [region.slice(0, 6), region, input.userId, input.supervisorUserId ?? null, input.qualification ?? null, input.specialties, actor.id, now]);
    const [row] = await q.query<any>(`${COUNSELLORS} WHERE c.id = $1`, [r.id]);
    return counsellorView(row);
  } catch (err: any) {
    if (err?.code === '23505') throw conflict('duplicate_counsellor', { zh: `该账号已登记为心理咨询员。`, en: 'This account is registered as a counsellor already.' });
    throw err;
  }
}

export async function patchCounsellor(q: Queryable, actor: Actor, id: number, patch: CounsellorPatchT) {
  riskPolicy.assert(actor, 'risk.counsellor.manage');
  const [cur] = await q.query<any>('SELECT * FROM counsellor WHERE id = $1', [id]);
  if (!cur || !regionScope(actor).within(cur.region_code)) throw notFound({ zh: `心理咨询员 ${id}`, en: `Counsellor ${id}` });
  if (patch.supervisorUserId != null) {
    if (patch.supervisorUserId === Number(cur.user_id)) throw unprocessable('own_supervisor', { zh: `心理咨询员不能督导自己。`, en: 'A counsellor cannot supervise themselves.' });
    await staffUser(q, patch.supervisorUserId);
  }
  await q.query(
    `UPDATE counsellor SET supervisor_user_id = $2, qualification = $3, specialties = $4, active = $5 WHERE id = $1 AND district_code = $6`,
    [id, patch.supervisorUserId === undefined ? cur.supervisor_user_id : patch.supervisorUserId, patch.qualification === undefined ? cur.qualification : patch.qualification,
      patch.specialties ?? cur.specialties, patch.active ?? cur.active, cur.district_code]);
  const [row] = await q.query<any>(`${COUNSELLORS} WHERE c.id = $1`, [id]);
  return counsellorView(row);
}

// ---------------------------------------------------------------------------------------------
// Referrals

type PersonShown = { nameMasked: string; regionName: string | null; labels: string[] };

function referralView(r: any, person?: PersonShown) {
  return {
    id: Number(r.id), personId: Number(r.person_id), labelId: r.label_id == null ? null : Number(r.label_id), regionCode: r.region_code,
    /** the person as whoever sees the referral may see them: the masked name (revealed for a purpose), where they live, their labels */
    person: person ?? null,
    counsellorId: Number(r.counsellor_id), counsellorName: r.counsellor_name ?? null, referredBy: Number(r.referred_by), referredByName: r.referrer_name ?? null,
    reason: r.reason, status: r.status, createdAt: iso(r.created_at), endedAt: iso(r.ended_at), notes: r.notes == null ? undefined : Number(r.notes),
  };
}

/** The referrals' persons, masked (the registry's read: the referral's visibility is the check). */
async function withPersons(q: Queryable, rows: any[]) {
  const persons = await personsMasked(q, rows.map((r) => Number(r.person_id)));
  const shown = (id: number): PersonShown | undefined => {
    const p = persons.get(id);
    return p && { nameMasked: p.nameMasked, regionName: p.regionName, labels: p.labels };
  };
  return rows.map((r) => referralView(r, shown(Number(r.person_id))));
}

const REFERRALS = `SELECT f.*, cu.display_name AS counsellor_name, ru.display_name AS referrer_name, c.user_id AS counsellor_user_id,
    c.supervisor_user_id, (SELECT count(*) FROM counselling_note n WHERE n.referral_id = f.id AND n.district_code = f.district_code) AS notes
  FROM referral f JOIN counsellor c ON c.id = f.counsellor_id AND c.district_code = f.district_code
  JOIN app_user cu ON cu.id = c.user_id LEFT JOIN app_user ru ON ru.id = f.referred_by`;

/** Who sees a referral: the referrer's territory, the counsellor, and the counsellor's supervisor. */
function referralVisibleSql(actor: Actor, params: unknown[]): string {
  params.push(actor.id);
  const me = `$${params.length}`;
  return `(${regionScope(actor).sql('f', params)} OR c.user_id = ${me} OR c.supervisor_user_id = ${me})`;
}

export async function createReferral(q: Queryable, actor: Actor, input: ReferralCreateT, now: Date) {
  riskPolicy.assert(actor, 'risk.keyperson.refer');
  const place = await personPlace(q, input.personId, input.labelId);
  // a person outside the territory is as absent as one who does not exist
  if (!place || !regionScope(actor).has(place.regionCode)) throw notFound(input.labelId != null ? { zh: `人员 ${input.personId} 的标签 ${input.labelId}`, en: `Label ${input.labelId} of person ${input.personId}` } : { zh: `人员 ${input.personId}`, en: `Person ${input.personId}` });
  const [c] = await q.query<any>('SELECT * FROM counsellor WHERE id = $1 AND active AND district_code = $2', [input.counsellorId, place.regionCode.slice(0, 6)]);
  if (!c || !(place.regionCode.startsWith(c.region_code) || c.region_code.startsWith(actor.regionCode))) {
    throw unprocessable('unknown_counsellor', { zh: `心理咨询员 ${input.counsellorId} 不负责该人员所在区域。`, en: `Counsellor ${input.counsellorId} does not serve this person's area.` });
  }
  const lv = regionLevels(place.regionCode);
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO referral (district_code, region_code, street_code, community_code, person_id, label_id, counsellor_id, referred_by, reason, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [lv.district, place.regionCode, lv.street, lv.community, input.personId, input.labelId ?? null, input.counsellorId, actor.id, input.reason, now]);
  return getReferral(q, actor, Number(r.id));
}

export async function listReferrals(q: Queryable, actor: Actor, query: { personId?: number; status?: string; mine?: string }) {
  const params: unknown[] = [];
  const where = [referralVisibleSql(actor, params)];
  if (query.personId) { params.push(query.personId); where.push(`f.person_id = $${params.length}`); }
  if (query.status) { params.push(query.status); where.push(`f.status = $${params.length}`); }
  if (query.mine === 'true') { params.push(actor.id); where.push(`(c.user_id = $${params.length} OR c.supervisor_user_id = $${params.length})`); }
  const rows = await q.query<any>(`${REFERRALS} WHERE ${where.join(' AND ')} ORDER BY f.id DESC LIMIT 500`, params);
  return { items: await withPersons(q, rows) };
}

async function loadReferral(q: Queryable, actor: Actor, id: number): Promise<any> {
  const params: unknown[] = [id];
  const [row] = await q.query<any>(`${REFERRALS} WHERE f.id = $1 AND ${referralVisibleSql(actor, params)}`, params);
  if (!row) throw notFound({ zh: `转介 ${id}`, en: `Referral ${id}` });
  return row;
}

export async function getReferral(q: Queryable, actor: Actor, id: number) {
  const row = await loadReferral(q, actor, id);
  const [view] = await withPersons(q, [row]);
  return {
    ...view, mayReadNotes: mayReadNotes(actor, row),
    /** the counsellor and the supervisor (to reach the person), or whoever may reveal the registry's personal data there */
    mayRevealPerson: mayReadNotes(actor, row) || (registryPolicy.can(actor, 'registry.reveal') && regionScope(actor).has(row.region_code)),
  };
}

/** The counsellor of the referral and their supervisor: nobody else, whatever their role or territory. */
const mayReadNotes = (actor: Actor, row: any) => Number(row.counsellor_user_id) === actor.id || (row.supervisor_user_id != null && Number(row.supervisor_user_id) === actor.id);

/**
 * The referred person's name and phone, for a stated purpose (audited by the registry). The counsellor and the
 * supervisor may: the referral is what entitles them. Anyone else who sees the referral asks the registry's own
 * reveal right in their territory (role or grant), as on the person's page.
 */
export async function revealReferralPerson(registry: RegistryDeps, actor: Actor, id: number, purpose: string) {
  const row = await loadReferral(registry.ctx.db, actor, id);
  const vouchedBy = mayReadNotes(actor, row) ? { kind: 'referral', id } : undefined;
  return revealPersonContact(registry, actor, Number(row.person_id), { purpose, vouchedBy });
}

/**
 * 转介 by name: persons of the actor's territory found by full name, surname, address or ID number (the
 * registry's search over keyed hashes; names come back masked), with their labels, to choose whom to refer.
 */
export async function referralCandidates(registry: RegistryDeps, actor: Actor, q: string) {
  riskPolicy.assert(actor, 'risk.keyperson.refer');
  const found = await searchResidents(registry, actor, { q, limit: 20 });
  return {
    items: found.items.map((p) => ({
      id: p.id, nameMasked: p.nameMasked, idNumberMasked: p.idNumberMasked, regionName: p.regionName, currentAddress: p.currentAddress,
      labels: p.labels, matched: p.matched,
    })),
  };
}

export async function endReferral(q: Queryable, actor: Actor, id: number, now: Date) {
  const row = await loadReferral(q, actor, id);
  if (!mayReadNotes(actor, row) && !(riskPolicy.can(actor, 'risk.keyperson.refer') && regionScope(actor).has(row.region_code))) throw notFound({ zh: `转介 ${id}`, en: `Referral ${id}` });
  if (row.status === 'ended') throw conflict('referral_ended', { zh: `该转介已结束。`, en: 'The referral has ended already.' });
  await q.query(`UPDATE referral SET status = 'ended', ended_at = $2 WHERE id = $1 AND district_code = $3`, [id, now, row.district_code]);
  return getReferral(q, actor, id);
}

// ---------------------------------------------------------------------------------------------
// Notes: sealed, for the counsellor and the supervisor only

async function notesReferral(q: Queryable, actor: Actor, id: number): Promise<any> {
  riskPolicy.assert(actor, 'risk.counselling.note');
  const [row] = await q.query<any>(
    `SELECT f.*, c.user_id AS counsellor_user_id, c.supervisor_user_id FROM referral f JOIN counsellor c ON c.id = f.counsellor_id AND c.district_code = f.district_code
     WHERE f.id = $1`, [id]);
  if (!row || !mayReadNotes(actor, row)) throw notFound({ zh: `转介 ${id} 的记录`, en: `The notes of referral ${id}` });
  return row;
}

export async function listNotes(ctx: AppContext, actor: Actor, referralId: number) {
  const row = await notesReferral(ctx.db, actor, referralId);
  const rows = await ctx.db.query<any>(
    `SELECT n.id, n.author_id, u.display_name AS author_name, n.sealed, n.at FROM counselling_note n LEFT JOIN app_user u ON u.id = n.author_id
     WHERE n.referral_id = $1 AND n.district_code = $2 ORDER BY n.id`, [referralId, row.district_code]);
  return { items: rows.map((n) => ({ id: Number(n.id), authorId: Number(n.author_id), authorName: n.author_name ?? null, text: ctx.cipher.decrypt(n.sealed), at: iso(n.at) })) };
}

/** A note is written by the counsellor (a supervisor reads and may add guidance). */
export async function addNote(ctx: AppContext, actor: Actor, referralId: number, input: NoteCreateT) {
  const row = await notesReferral(ctx.db, actor, referralId);
  if (row.status === 'ended') throw conflict('referral_ended', { zh: `该转介已结束，记录保持原样，不能修改。`, en: 'The referral has ended; its notes are kept as they are.' });
  const [n] = await ctx.db.query<{ id: number }>(
    'INSERT INTO counselling_note (district_code, referral_id, author_id, sealed, at) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [row.district_code, referralId, actor.id, ctx.cipher.encrypt(input.text), ctx.now()]);
  return { id: Number(n.id), authorId: actor.id, authorName: actor.displayName, text: input.text, at: ctx.now().toISOString() };
}
