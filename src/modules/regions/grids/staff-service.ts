// Grid staff (网格长, 专职/兼职网格员, 网格指导员, 网格警, 法律顾问 …) and party members registered to a
// grid (党员到网格报到) with the services they render. Phones are personal data (DESIGN rule 6):
// encrypted, looked up by keyed hash, shown masked; revealing one states a purpose and is audited.
import type { Queryable } from '../../../platform/db/index.ts';
import type { Actor } from '../../../platform/auth/actor.ts';
import { conflict, notFound, unprocessable } from '../../../platform/errors.ts';
import { maskPhone } from '../../../platform/crypto.ts';
import { regionScope } from '../../../platform/scope.ts';
import { assertCan, assertUnder, assertVisible } from './policy.ts';
import { audit, chinaDate, iso } from './common.ts';
import type { PartyMemberCreateT, PartyServiceCreateT, StaffCreateT } from './contracts.ts';
import type { GridDeps } from './grid-service.ts';

const ROLE_ORDER = ['grid_leader', 'full_time', 'part_time', 'instructor', 'police', 'legal_adviser', 'building_leader', 'other'];

const staffView = (s: any) => ({
  id: Number(s.id), gridCode: s.region_code, role: s.role, name: s.name,
  user: s.user_id == null ? null : { id: Number(s.user_id), username: s.username ?? null },
  phone: s.phone_masked ?? null, startedOn: s.started_on, endedAt: iso(s.ended_at), note: s.note ?? null,
});

const memberView = (m: any, services: any[]) => ({
  id: Number(m.id), gridCode: m.region_code, name: m.name, branch: m.branch, workplace: m.workplace ?? null,
  phone: m.phone_masked ?? null, registeredOn: m.registered_on, endedAt: iso(m.ended_at),
  services: {
    count: services.length,
    hours: Math.round(services.reduce((s, x) => s + Number(x.hours ?? 0), 0) * 10) / 10,
    patrols: services.filter((x) => x.kind === 'patrol').length,
    recent: services.slice(0, 10).map(serviceView),
  },
});

const serviceView = (s: any) => ({ id: Number(s.id), kind: s.kind as 'service' | 'patrol', servedOn: s.served_on, hours: s.hours == null ? null : Number(s.hours), description: s.description });

async function gridExists(q: Queryable, code: string, current: boolean): Promise<void> {
  const [g] = await q.query<{ retired_at: Date | null }>(`SELECT retired_at FROM region WHERE code = $1 AND level = 'grid'`, [code]);
  if (!g) throw notFound({ zh: `网格 ${code}`, en: `Grid ${code}` });
  if (current && g.retired_at) throw conflict('grid_retired', { zh: `网格 ${code} 已撤销，请将人员配置到接替它的网格。`, en: `Grid ${code} was retired; assign people to the grids that replaced it.` });
}

export async function listStaff(deps: GridDeps, actor: Actor, code: string, includeEnded = false) {
  assertCan(actor, 'grid.staff.read');
  assertVisible(actor, code, { zh: `网格 ${code}`, en: `Grid ${code}` });
  const { db } = deps.ctx;
  await gridExists(db, code, false);
  const activeOnly = (alias: string) => (includeEnded ? '' : ` AND ${alias}ended_at IS NULL`);
  const staff = await db.query<any>(
    `SELECT s.id, s.region_code, s.role, s.name, s.user_id, u.username, s.phone_masked, s.started_on::text AS started_on, s.ended_at, s.note
     FROM grid_staff s LEFT JOIN app_user u ON u.id = s.user_id WHERE s.region_code = $1${activeOnly('s.')} ORDER BY s.started_on, s.id`, [code]);
  staff.sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role));
  const members = await db.query<any>(
    `SELECT id, region_code, name, branch, workplace, phone_masked, registered_on::text AS registered_on, ended_at
     FROM grid_party_member WHERE region_code = $1${activeOnly('')} ORDER BY registered_on, id`, [code]);
  const services = await db.query<any>(
    `SELECT id, member_id, kind, served_on::text AS served_on, hours, description FROM grid_party_service
     WHERE member_id = ANY($1::bigint[]) ORDER BY served_on DESC, id DESC`, [members.map((m) => m.id)]);
  return {
    gridCode: code,
    staff: staff.map(staffView),
    partyMembers: members.map((m) => memberView(m, services.filter((s) => Number(s.member_id) === Number(m.id)))),
  };
}

function sealPhone(deps: GridDeps, phone: string | undefined) {
  if (!phone) return [null, null, null];
  const { cipher } = deps.ctx;
  return [cipher.encrypt(phone), cipher.lookupHash(phone), maskPhone(phone)];
}

export async function addStaff(deps: GridDeps, actor: Actor, code: string, input: StaffCreateT) {
  assertCan(actor, 'grid.staff.write');
  assertUnder(actor, code, { zh: `网格 ${code}`, en: `Grid ${code}` });
  const { db } = deps.ctx;
  await gridExists(db, code, true);
  let name = input.name;
  if (input.userId !== undefined) {
    // An account in the actor's region, or above it (a 网格警 from the district police sub-bureau).
    const [u] = await db.query<any>('SELECT id, display_name, region_code, active, is_system FROM app_user WHERE id = $1', [input.userId]);
    if (!u || !u.active || u.is_system || !regionScope(actor).sees(u.region_code)) throw unprocessable('unknown_user', { zh: `用户 ${input.userId} 不存在或不在您的区域内。`, en: `User ${input.userId} does not exist or is not in your region.` });
    const [dup] = await db.query('SELECT id FROM grid_staff WHERE region_code = $1 AND user_id = $2 AND role = $3 AND ended_at IS NULL', [code, input.userId, input.role]);
    if (dup) throw conflict('already_assigned', { zh: `用户 ${input.userId} 已以该身份配置到网格 ${code}。`, en: `User ${input.userId} is already assigned to grid ${code} in this role.` });
    name ??= u.display_name;
  }
  const now = deps.ctx.now();
  const [enc, hash, masked] = sealPhone(deps, input.phone);
  const id = await db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO grid_staff (region_code, role, user_id, name, phone, phone_hash, phone_masked, started_on, note, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [code, input.role, input.userId ?? null, name, enc, hash, masked, input.startedOn ?? chinaDate(now), input.note ?? null, actor.id, now]);
    await audit(tx, actor, 'grid_staff.add', `grid_staff:${row.id}`, code, { role: input.role, userId: input.userId ?? null });
    return Number(row.id);
  });
  return staffView((await db.query<any>(
    `SELECT s.*, s.started_on::text AS started_on, u.username FROM grid_staff s LEFT JOIN app_user u ON u.id = s.user_id WHERE s.id = $1`, [id]))[0]);
}

async function staffRow(q: Queryable, actor: Actor, code: string, id: number) {
  assertUnder(actor, code, { zh: `网格 ${code}`, en: `Grid ${code}` });
  const [s] = await q.query<any>('SELECT * FROM grid_staff WHERE id = $1 AND region_code = $2', [id, code]);
  if (!s) throw notFound({ zh: `人员配置 ${id}`, en: `Staff assignment ${id}` });
  return s;
}

export async function endStaff(deps: GridDeps, actor: Actor, code: string, id: number) {
  assertCan(actor, 'grid.staff.write');
  const { db } = deps.ctx;
  const s = await staffRow(db, actor, code, id);
  if (s.ended_at) throw conflict('already_ended', { zh: `人员配置 ${id} 已于 ${iso(s.ended_at)} 结束。`, en: `Staff assignment ${id} ended on ${iso(s.ended_at)}.` });
  const now = deps.ctx.now();
  await db.transaction(async (tx) => {
    const done = await tx.query('UPDATE grid_staff SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL RETURNING id', [id, now]);
    if (!done.length) throw conflict('already_ended', { zh: `人员配置 ${id} 已结束。`, en: `Staff assignment ${id} has ended.` });
    await audit(tx, actor, 'grid_staff.end', `grid_staff:${id}`, code, {});
  });
  return { id, gridCode: code, endedAt: now.toISOString() };
}

export async function revealStaffPhone(deps: GridDeps, actor: Actor, code: string, id: number, purpose: string) {
  assertCan(actor, 'grid.staff.reveal');
  const { db } = deps.ctx;
  const s = await staffRow(db, actor, code, id);
  await audit(db, actor, 'reveal_staff_phone', `grid_staff:${id}`, code, { purpose });
  return { id, phone: s.phone ? deps.ctx.cipher.decrypt(s.phone) : null };
}

export async function addPartyMember(deps: GridDeps, actor: Actor, code: string, input: PartyMemberCreateT) {
  assertCan(actor, 'grid.staff.write');
  assertUnder(actor, code, { zh: `网格 ${code}`, en: `Grid ${code}` });
  const { db } = deps.ctx;
  await gridExists(db, code, true);
  const now = deps.ctx.now();
  const registeredOn = input.registeredOn ?? chinaDate(now);
  if (registeredOn > chinaDate(now)) throw unprocessable('in_the_future', { zh: `报到日期（registeredOn）不能晚于今天。`, en: 'registeredOn lies in the future.' });
  const [enc, hash, masked] = sealPhone(deps, input.phone);
  const row = await db.transaction(async (tx) => {
    const [row] = await tx.query<any>(
      `INSERT INTO grid_party_member (region_code, name, branch, workplace, phone, phone_hash, phone_masked, registered_on, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       RETURNING id, region_code, name, branch, workplace, phone_masked, registered_on::text AS registered_on, ended_at`,
      [code, input.name, input.branch, input.workplace ?? null, enc, hash, masked, registeredOn, actor.id, now]);
    await audit(tx, actor, 'party_member.register', `party_member:${row.id}`, code, { branch: input.branch });
    return row;
  });
  return memberView(row, []);
}

export async function addPartyService(deps: GridDeps, actor: Actor, code: string, memberId: number, input: PartyServiceCreateT) {
  assertCan(actor, 'grid.party_service');
  assertUnder(actor, code, { zh: `网格 ${code}`, en: `Grid ${code}` });
  const { db } = deps.ctx;
  const [m] = await db.query<any>('SELECT id, registered_on::text AS registered_on, ended_at FROM grid_party_member WHERE id = $1 AND region_code = $2', [memberId, code]);
  if (!m) throw notFound({ zh: `党员 ${memberId}`, en: `Party member ${memberId}` });
  if (m.ended_at) throw conflict('member_ended', { zh: `党员 ${memberId} 已不在网格 ${code} 报到。`, en: `Party member ${memberId} is no longer registered to grid ${code}.` });
  const now = deps.ctx.now();
  if (input.servedOn > chinaDate(now)) throw unprocessable('in_the_future', { zh: `服务日期（servedOn）不能晚于今天。`, en: 'servedOn lies in the future.' });
  if (input.servedOn < m.registered_on) throw unprocessable('before_registration', { zh: `服务日期（servedOn）早于该党员报到日期（${m.registered_on}）。`, en: `servedOn is before the member registered (${m.registered_on}).` });
  const row = await db.transaction(async (tx) => {
    const [row] = await tx.query<any>(
      `INSERT INTO grid_party_service (member_id, region_code, kind, served_on, hours, description, recorded_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, kind, served_on::text AS served_on, hours, description`,
      [memberId, code, input.kind ?? 'service', input.servedOn, input.hours ?? null, input.description, actor.id, now]);
    await audit(tx, actor, 'party_member.service', `party_member:${memberId}`, code, { kind: input.kind ?? 'service', servedOn: input.servedOn, hours: input.hours ?? null });
    return row;
  });
  return { memberId, ...serviceView(row) };
}
