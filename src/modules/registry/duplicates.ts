// One record per person and ID number, without an oracle (SECURITY.md, "ID numbers"). A registration
// whose number is registered inside the user's scope is refused (409): the user can see that record
// anyway. One whose number is registered outside it is stored like any new record, so the user learns
// nothing, and marked as a duplicate of the existing record; supervisors whose scope covers both
// records review it: `move` takes the existing record (and its history) to the new place, `discard`
// drops the new one. Until then the new record is an ordinary record to the user who made it.
import type { Actor } from '../../platform/auth/actor.ts';
import type { Queryable } from '../../platform/db/index.ts';
import { conflict, forbidden, notFound } from '../../platform/errors.ts';
import { audit, iso, isUniqueViolation, regionColumns, type RegistryDeps } from './common.ts';
import { inScope, scopeSql } from './policy.ts';

/** Who reviews duplicates: the supervisors of a territory. */
const REVIEW_ROLES: ReadonlySet<string> = new Set(['command_centre', 'street_centre']);

export function assertReviewer(actor: Actor): void {
  if (!REVIEW_ROLES.has(actor.role)) throw forbidden({ zh: `重复登记由街道综治中心和指挥中心审核。`, en: 'Duplicate registrations are reviewed by street centres and command centres.' });
}

/**
 * The record this ID number is registered as already (not counting `exceptId` and records under
 * review): null when none; throws 409 when it is in the actor's scope; else the id to mark the new
 * record a duplicate of. Nothing in the answer differs from a new registration's.
 */
export async function duplicateOf(q: Queryable, actor: Actor, idHash: string, exceptId?: number): Promise<number | null> {
  const [row] = await q.query<{ id: number; region_code: string }>(
    'SELECT id, region_code FROM person WHERE id_hash = $1 AND id <> $2 AND duplicate_of IS NULL LIMIT 1', [idHash, exceptId ?? 0]);
  if (!row) return null;
  if (inScope(actor, row.region_code)) throw conflict('duplicate_person', { zh: `该身份证号码的人员已登记。`, en: 'A person with this ID number is registered already.' });
  return Number(row.id);
}

const reviewView = (r: any) => ({
  id: Number(r.id), regionCode: r.region_code, regionName: r.region_name ?? null, idNumberMasked: r.id_masked, nameMasked: r.name_masked,
  createdAt: iso(r.created_at), createdBy: r.created_by_name ?? null,
  existing: { id: Number(r.existing_id), regionCode: r.existing_region_code, regionName: r.existing_region_name ?? null, nameMasked: r.existing_name_masked },
});

const reviewFrom = `person n JOIN person e ON e.id = n.duplicate_of
  LEFT JOIN region rn ON rn.code = n.region_code LEFT JOIN region re ON re.code = e.region_code LEFT JOIN app_user u ON u.id = n.created_by`;
const reviewSelect = `SELECT n.id, n.region_code, rn.name AS region_name, n.id_masked, n.name_masked, n.created_at, u.display_name AS created_by_name,
  e.id AS existing_id, e.region_code AS existing_region_code, re.name AS existing_region_name, e.name_masked AS existing_name_masked`;

/** The duplicates waiting for this supervisor: both records in their scope. */
export async function listDuplicateReviews(deps: RegistryDeps, actor: Actor) {
  assertReviewer(actor);
  const params: unknown[] = [];
  const rows = await deps.ctx.db.query<any>(
    `${reviewSelect} FROM ${reviewFrom} WHERE ${scopeSql(actor, 'n', params, false)} AND ${scopeSql(actor, 'e', params, false)}
     ORDER BY n.created_at, n.id LIMIT 200`, params);
  return { items: rows.map(reviewView) };
}

export type Resolution = 'move' | 'discard';

/** Settles one duplicate: the existing record moves to the new one's place (with the new one's labels), or the new one goes. */
export async function resolveDuplicate(deps: RegistryDeps, actor: Actor, id: number, resolution: Resolution, note?: string) {
  assertReviewer(actor);
  try {
    return await deps.ctx.db.transaction(async (tx) => {
      const params: unknown[] = [id];
      const [r] = await tx.query<any>(
        `SELECT n.id, n.region_code, n.house_id, n.household_id, n.duplicate_of, e.region_code AS existing_region_code FROM ${reviewFrom}
         WHERE n.id = $1 AND ${scopeSql(actor, 'n', params, false)} AND ${scopeSql(actor, 'e', params, false)} FOR UPDATE OF n, e`, params);
      if (!r) throw notFound({ zh: `重复登记 ${id}`, en: `Duplicate registration ${id}` });
      const existing = Number(r.duplicate_of);
      if (resolution === 'move') {
        const rc = regionColumns(r.region_code);
        await tx.query(
          `UPDATE person SET region_code = $2, district_code = $3, street_code = $4, community_code = $5, house_id = $6, household_id = $7, updated_at = now()
           WHERE id = $1`, [existing, rc.region_code, rc.district_code, rc.street_code, rc.community_code, r.house_id, r.household_id]);
        await tx.query(`UPDATE person_label SET person_id = $2 WHERE person_id = $1`, [id, existing]);
        await tx.query(`UPDATE person_followup SET person_id = $2 WHERE person_id = $1`, [id, existing]);
        await tx.query(`UPDATE person_label SET region_code = $2, district_code = $3, street_code = $4, community_code = $5 WHERE person_id = $1`,
          [existing, rc.region_code, rc.district_code, rc.street_code, rc.community_code]);
        await tx.query('UPDATE household SET head_person_id = $2 WHERE head_person_id = $1', [id, existing]);
      } else {
        await tx.query('UPDATE household SET head_person_id = NULL WHERE head_person_id = $1', [id]);
        await tx.query('DELETE FROM person_followup WHERE person_id = $1', [id]);
        await tx.query('DELETE FROM person_label WHERE person_id = $1', [id]);
      }
      await tx.query('DELETE FROM person WHERE id = $1', [id]);
      await audit(tx, actor, 'registry.duplicate', `person:${existing}`, r.region_code, { resolution, duplicate: id, from: r.existing_region_code, note: note ?? null });
      return { resolution, personId: existing, regionCode: resolution === 'move' ? r.region_code : r.existing_region_code };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('label_conflict', { zh: `两条记录有相同的有效标签，请先结束其中一条。`, en: 'Both records carry the same active label; end one of them first.' });
    throw err;
  }
}
