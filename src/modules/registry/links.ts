// 以房管人: the links between persons, houses, households and tenancies, read from both ends. A house
// shows its residents, households and tenants; a person shows their house, household and tenancies; a
// household the houses it rents. Tenants are registry persons (a tenancy row), not free text (a note is
// the only free text); a tenancy ends rather than vanishing.
import type { Actor } from '../../platform/auth/actor.ts';
import type { Queryable } from '../../platform/db/index.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { audit, invalid, iso, prepareEnv, regionColumns, type RegistryDeps } from './common.ts';
import type { TenancyCreateT } from './contracts.ts';
import { assertRegistryUser, scopeSql } from './policy.ts';

const tenancyView = (r: any) => ({
  id: Number(r.id), houseId: Number(r.house_id), houseTitle: r.house_title ?? null, roomId: r.room_id == null ? null : Number(r.room_id),
  roomTitle: r.room_title ?? null, personId: Number(r.person_id), personNameMasked: r.name_masked ?? null, personIdNumberMasked: r.id_masked ?? null,
  householdId: r.household_id == null ? null : Number(r.household_id), householdTitle: r.household_title ?? null,
  rentalUse: r.rental_use, leaseStart: r.lease_start, leaseEnd: r.lease_end, endedOn: r.ended_on, active: r.ended_on == null,
  note: r.note, regionCode: r.region_code, createdAt: iso(r.created_at),
});
const tenancySelect = `SELECT y.id, y.house_id, y.room_id, y.person_id, y.household_id, y.rental_use, y.note, y.region_code, y.created_at,
  to_char(y.lease_start, 'YYYY-MM-DD') AS lease_start, to_char(y.lease_end, 'YYYY-MM-DD') AS lease_end, to_char(y.ended_on, 'YYYY-MM-DD') AS ended_on,
  h.address AS house_title, rm.name AS room_title, p.name_masked, p.id_masked,
  coalesce(hh.household_no, hh.address, hp.name_masked || '户') AS household_title
  FROM tenancy y JOIN house h ON h.id = y.house_id LEFT JOIN room rm ON rm.id = y.room_id LEFT JOIN person p ON p.id = y.person_id
  LEFT JOIN household hh ON hh.id = y.household_id LEFT JOIN person hp ON hp.id = hh.head_person_id`;

async function houseInScope(q: Queryable, actor: Actor, id: number): Promise<{ region_code: string }> {
  const params: unknown[] = [id];
  const [h] = await q.query<{ region_code: string }>(`SELECT t.region_code FROM house t WHERE t.id = $1 AND ${scopeSql(actor, 't', params)}`, params);
  if (!h) throw notFound({ zh: `房屋 ${id}`, en: `House ${id}` });
  return h;
}

async function personInScope(q: Queryable, actor: Actor, id: number): Promise<{ household_id: number | null } | null> {
  const params: unknown[] = [id];
  const [p] = await q.query<{ household_id: number | null }>(`SELECT t.household_id FROM person t WHERE t.id = $1 AND ${scopeSql(actor, 't', params, false)}`, params);
  return p ?? null;
}

async function householdInScope(q: Queryable, actor: Actor, id: number): Promise<boolean> {
  const params: unknown[] = [id];
  const [h] = await q.query(`SELECT 1 FROM household t WHERE t.id = $1 AND ${scopeSql(actor, 't', params)}`, params);
  return !!h;
}

/** The houses a household rents or rented (and the tenant of each), current first. */
export async function listHouseholdTenancies(deps: RegistryDeps, actor: Actor, householdId: number) {
  assertRegistryUser(actor);
  if (!(await householdInScope(deps.ctx.db, actor, householdId))) throw notFound({ zh: `户 ${householdId}`, en: `Household ${householdId}` });
  const params: unknown[] = [householdId];
  const rows = await deps.ctx.db.query<any>(
    `${tenancySelect} WHERE y.household_id = $1 AND ${scopeSql(actor, 'y', params)} ORDER BY y.ended_on NULLS FIRST, y.id DESC`, params);
  return { items: rows.map(tenancyView) };
}

export async function listHouseTenancies(deps: RegistryDeps, actor: Actor, houseId: number) {
  assertRegistryUser(actor);
  await houseInScope(deps.ctx.db, actor, houseId);
  const rows = await deps.ctx.db.query<any>(`${tenancySelect} WHERE y.house_id = $1 ORDER BY y.ended_on NULLS FIRST, y.id DESC`, [houseId]);
  return { items: rows.map(tenancyView) };
}

export async function listPersonTenancies(deps: RegistryDeps, actor: Actor, personId: number) {
  assertRegistryUser(actor);
  if (!(await personInScope(deps.ctx.db, actor, personId))) throw notFound({ zh: `人员 ${personId}`, en: `Person ${personId}` });
  const params: unknown[] = [personId];
  // the houses the actor can see: a tenancy in another territory shows as absent
  const rows = await deps.ctx.db.query<any>(
    `${tenancySelect} WHERE y.person_id = $1 AND ${scopeSql(actor, 'y', params)} ORDER BY y.ended_on NULLS FIRST, y.id DESC`, params);
  return { items: rows.map(tenancyView) };
}

export async function createTenancy(deps: RegistryDeps, actor: Actor, houseId: number, input: TenancyCreateT) {
  assertRegistryUser(actor);
  const { db } = deps.ctx;
  const env = await prepareEnv(deps);
  const house = await houseInScope(db, actor, houseId);
  const issues = [];
  const tenant = await personInScope(db, actor, input.personId);
  if (!tenant) issues.push({ path: 'personId', code: 'unknown_person', message: `person ${input.personId} does not exist in your region` });
  if (input.householdId != null && !(await householdInScope(db, actor, input.householdId))) {
    issues.push({ path: 'householdId', code: 'unknown_household', message: `household ${input.householdId} does not exist in your region` });
  }
  // the household renting with the tenant: the one named, else the tenant's own
  const householdId = input.householdId ?? (tenant?.household_id == null ? null : Number(tenant.household_id));
  if (input.roomId != null) {
    const [room] = await db.query('SELECT 1 FROM room WHERE id = $1 AND house_id = $2', [input.roomId, houseId]);
    if (!room) issues.push({ path: 'roomId', code: 'unknown_room', message: `room ${input.roomId} is not a room of this house` });
  }
  if (input.rentalUse && !env.has('rental_use', input.rentalUse)) issues.push({ path: 'rentalUse', code: 'unknown_code', message: `${input.rentalUse} is not a code of rental_use` });
  if (input.leaseStart && input.leaseEnd && input.leaseEnd < input.leaseStart) issues.push({ path: 'leaseEnd', code: 'lease_order', message: 'the lease ends before it starts' });
  if (issues.length) throw invalid(issues);
  const [open] = await db.query('SELECT 1 FROM tenancy WHERE house_id = $1 AND person_id = $2 AND ended_on IS NULL', [houseId, input.personId]);
  if (open) throw new AppError(409, 'duplicate_tenancy', { zh: `该人员已租住此房屋，请先结束原租住关系。`, en: 'The person rents this house already; end that tenancy first.' });
  const id = await db.transaction(async (tx) => {
    const rc = regionColumns(house.region_code);
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO tenancy (region_code, district_code, street_code, community_code, house_id, room_id, person_id, household_id, rental_use, lease_start, lease_end, note, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      [rc.region_code, rc.district_code, rc.street_code, rc.community_code, houseId, input.roomId ?? null, input.personId, householdId, input.rentalUse ?? null,
        input.leaseStart ?? null, input.leaseEnd ?? null, input.note ?? null, actor.id]);
    // a house (or room) with a tenant is let
    await tx.query('UPDATE house SET rented = true, updated_at = now() WHERE id = $1 AND NOT rented', [houseId]);
    if (input.roomId != null) await tx.query('UPDATE room SET rented = true, updated_at = now() WHERE id = $1 AND NOT rented', [input.roomId]);
    await audit(tx, actor, 'registry.tenancy', `house:${houseId}`, house.region_code, { tenancyId: Number(row.id), personId: input.personId });
    return Number(row.id);
  });
  const [row] = await db.query<any>(`${tenancySelect} WHERE y.id = $1`, [id]);
  return tenancyView(row);
}

export async function endTenancy(deps: RegistryDeps, actor: Actor, houseId: number, tenancyId: number, endedOn: string) {
  assertRegistryUser(actor);
  const { db } = deps.ctx;
  const house = await houseInScope(db, actor, houseId);
  const [t] = await db.query<any>(
    `SELECT id, ended_on, to_char(lease_start, 'YYYY-MM-DD') AS lease_start FROM tenancy WHERE id = $1 AND house_id = $2`, [tenancyId, houseId]);
  if (!t) throw notFound({ zh: `租住关系 ${tenancyId}`, en: `Tenancy ${tenancyId}` });
  if (t.ended_on) throw new AppError(409, 'tenancy_ended', { zh: `该租住关系已结束。`, en: 'The tenancy has ended already.' });
  if (t.lease_start && endedOn < t.lease_start) {
    throw invalid([{ path: 'endedOn', code: 'date_order', message: 'the tenancy ends before it started' }]);
  }
  await db.transaction(async (tx) => {
    await tx.query('UPDATE tenancy SET ended_on = $2, updated_at = now() WHERE id = $1', [tenancyId, endedOn]);
    await audit(tx, actor, 'registry.tenancy_end', `house:${houseId}`, house.region_code, { tenancyId, endedOn });
  });
  const [row] = await db.query<any>(`${tenancySelect} WHERE y.id = $1`, [tenancyId]);
  return tenancyView(row);
}
