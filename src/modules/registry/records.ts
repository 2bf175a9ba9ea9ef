// Create, read, update, delete, list and reveal for the record kinds of kinds.ts (buildings, houses,
// rooms, households, places, facilities, things, organisations). Every read and write goes through
// the region scope; a record outside it is as absent as a record that does not exist.
import type { Actor } from '../../platform/auth/actor.ts';
import type { Queryable } from '../../platform/db/index.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { regionPrefixSql } from '../../platform/scope.ts';
import {
  audit, invalid, isForeignKeyViolation, isUniqueViolation, iso, likeEscape, pageOf, prepareEnv, regionColumns, resolveGrid,
  type RegistryDeps,
} from './common.ts';
import type { ListBaseT, RevealBodyT } from './contracts.ts';
import { kinds, type FieldDef, type KindDef, type KindName } from './kinds.ts';
import { assertDeleter, assertRegistryUser, scopeSql } from './policy.ts';
import { prepareRecord } from './prepare.ts';
import { revealTargetName } from './oversight.ts';
import { auditReveal, maskedView, pickFields, revealPermission, revealSubject, unseal } from './protect.ts';

const colExpr = (fd: FieldDef, alias = 't') => (fd.pg === 'date' ? `to_char(${alias}.${fd.col}, 'YYYY-MM-DD') AS ${fd.col}` : `${alias}.${fd.col}`);

function selectList(k: KindDef): string {
  const cols = ['t.id', 't.region_code', 't.created_at', 't.updated_at', 'r.name AS region_name', ...k.fields.map((fd) => colExpr(fd))];
  if (k.parent) cols.push(`t.${k.parent.col}`, `pt.${kinds[k.parent.kind].title} AS parent_title`);
  if (k.sensitive.length) cols.push('t.masked');
  k.extra?.forEach((x, i) => cols.push(`${x.select} AS extra_${i}`));
  return `SELECT ${cols.join(', ')}`;
}
/** The record with its grid's name, its parent (named in lists: 楼栋 · 3号楼, not #12) and the extra columns' joins. */
const fromOf = (k: KindDef) => [
  `${k.table} t LEFT JOIN region r ON r.code = t.region_code`,
  ...(k.parent ? [`LEFT JOIN ${kinds[k.parent.kind].table} pt ON pt.id = t.${k.parent.col}`] : []),
  ...(k.extra ?? []).flatMap((x) => (x.join ? [x.join] : [])),
].join(' ');

const num = (v: unknown) => (v == null ? null : Number(v));

export function recordView(k: KindDef, row: any): Record<string, unknown> {
  const out: Record<string, unknown> = { id: Number(row.id), regionCode: row.region_code, regionName: row.region_name ?? null };
  if (k.parent) {
    out[k.parent.api] = num(row[k.parent.col]);
    out[`${k.parent.api.replace(/Id$/, '')}Title`] = row.parent_title ?? null;
  }
  for (const fd of k.fields) out[fd.api] = fd.pg === 'int8' ? num(row[fd.col]) : row[fd.col] ?? null;
  Object.assign(out, maskedView(k.sensitive, row.masked));
  k.extra?.forEach((x, i) => { out[x.api] = row[`extra_${i}`] ?? null; });
  out.createdAt = iso(row.created_at);
  out.updatedAt = iso(row.updated_at);
  return out;
}

/** A record in the actor's scope (FOR UPDATE in a write), or 404. */
async function loadInScope(q: Queryable, actor: Actor, k: KindDef, id: number, lock = false): Promise<any> {
  const params: unknown[] = [id];
  const scope = scopeSql(actor, 't', params);
  const cols = selectList(k) + (k.sensitive.length ? ', t.sealed' : '');
  const sql = lock
    ? `${cols} FROM ${fromOf(k)} WHERE t.id = $1 AND ${scope} FOR UPDATE OF t`
    : `${cols} FROM ${fromOf(k)} WHERE t.id = $1 AND ${scope}`;
  const [row] = await q.query<any>(sql, params);
  if (!row) throw notFound({ zh: `编号为 ${id} 的${k.zh}`, en: `${k.resource[0].toUpperCase()}${k.resource.slice(1)} ${id}` });
  return row;
}

/** The grid of a parent record the actor can see; 422 when it is absent or outside scope. */
async function parentRegion(q: Queryable, actor: Actor, k: KindDef, parentId: number): Promise<string> {
  const pk = kinds[k.parent!.kind];
  const params: unknown[] = [parentId];
  const [row] = await q.query<{ region_code: string }>(`SELECT t.region_code FROM ${pk.table} t WHERE t.id = $1 AND ${scopeSql(actor, 't', params)}`, params);
  if (!row) throw invalid([{ path: k.parent!.api, code: `unknown_${pk.resource}`, message: `${pk.zh} ${parentId} does not exist in your region` }]);
  return row.region_code;
}

/** Ids of other records a field refers to (the head of a household) must be visible and in the same grid. */
async function checkRefs(q: Queryable, actor: Actor, k: KindDef, rec: Record<string, any>, regionCode: string): Promise<void> {
  for (const fd of k.fields) {
    if (!fd.ref || rec[fd.api] == null) continue;
    const params: unknown[] = [rec[fd.api]];
    const [row] = await q.query<{ region_code: string }>(`SELECT t.region_code FROM person t WHERE t.id = $1 AND ${scopeSql(actor, 't', params, false)}`, params);
    if (!row) throw invalid([{ path: fd.api, code: 'unknown_person', message: `person ${rec[fd.api]} does not exist in your region` }]);
    if (row.region_code !== regionCode) throw invalid([{ path: fd.api, code: 'region_mismatch', message: `person ${rec[fd.api]} lives in another grid` }]);
  }
}

/** Where a record goes: under its parent (and the parent's grid), or in the grid given. */
async function placeRecord(deps: RegistryDeps, q: Queryable, actor: Actor, k: KindDef, rec: Record<string, any>, refresh = true): Promise<string> {
  const parentId = k.parent ? rec[k.parent.api] : null;
  if (parentId != null) {
    const region = await parentRegion(q, actor, k, parentId);
    if (rec.regionCode && rec.regionCode !== region) {
      throw invalid([{ path: 'regionCode', code: 'region_mismatch', message: `the ${kinds[k.parent!.kind].resource} is in grid ${region}` }]);
    }
    return region;
  }
  return resolveGrid(deps, actor, rec.regionCode, refresh);
}

function mapWriteError(k: KindDef, err: any): never {
  if (isUniqueViolation(err) && k.conflict) throw conflict(k.conflict.code, { zh: k.conflict.zh, en: k.conflict.message });
  if (isForeignKeyViolation(err)) throw conflict('in_use', { zh: `该${k.zh}仍被其他记录引用，请先删除或调整这些记录。`, en: `This ${k.resource} is referred to by other records; remove or move them first.` });
  throw err;
}

/** The next free 部件 code of a district and class: 6 region + 2 大类 + 2 小类 + 6 serial. */
async function nextFacilityCode(q: Queryable, regionCode: string, major: string, minor: string): Promise<string> {
  const prefix = `${regionCode.slice(0, 6)}${major}${minor}`;
  await q.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`facility:${prefix}`]);
  const [r] = await q.query<{ code: string | null }>(`SELECT max(code) AS code FROM facility WHERE district_code = $1 AND code LIKE $2`, [regionCode.slice(0, 6), `${prefix}%`]);
  const serial = r.code ? Number(r.code.slice(10)) + 1 : 1;
  if (serial > 999_999) throw conflict('facility_serials_exhausted', { zh: `${prefix} 的流水号已用完。`, en: `No serial numbers left for ${prefix}.` });
  return `${prefix}${String(serial).padStart(6, '0')}`;
}

export async function listRecords(deps: RegistryDeps, actor: Actor, name: KindName, q: ListBaseT & Record<string, any>) {
  assertRegistryUser(actor);
  const k = kinds[name];
  const params: unknown[] = [];
  const where = [scopeSql(actor, 't', params)];
  if (q.regionCode) where.push(regionPrefixSql(q.regionCode, 't', params));
  where.push(...k.filters(q, params, 't'));
  if (q.q) {
    params.push(`%${likeEscape(q.q)}%`);
    where.push(`(${k.search.map((c) => `t.${c} ILIKE $${params.length}`).join(' OR ')})`);
  }
  return pageOf(deps.ctx.db, selectList(k), fromOf(k), where.join(' AND '), params, q, (r) => recordView(k, r));
}

export async function getRecord(deps: RegistryDeps, actor: Actor, name: KindName, id: number) {
  assertRegistryUser(actor);
  const k = kinds[name];
  return recordView(k, await loadInScope(deps.ctx.db, actor, k, id));
}

export async function createRecord(deps: RegistryDeps, actor: Actor, name: KindName, input: Record<string, any>) {
  assertRegistryUser(actor);
  const k = kinds[name];
  const env = await prepareEnv(deps);
  const { db } = deps.ctx;
  const regionCode = await placeRecord(deps, db, actor, k, input);
  await checkRefs(db, actor, k, input, regionCode);
  const p = prepareRecord(k, { ...input, regionCode }, env);
  if (!p.ok) throw invalid(p.issues);
  try {
    const id = await db.transaction(async (tx) => {
      const cols: Record<string, unknown> = { ...regionColumns(regionCode), ...p.value.cols, created_by: actor.id };
      if (k.parent) cols[k.parent.col] = input[k.parent.api] ?? null;
      if (k.sensitive.length) { cols.sealed = p.value.sealed; cols.masked = JSON.stringify(p.value.masked); }
      if (name === 'facilities' && !cols.code) cols.code = await nextFacilityCode(tx, regionCode, input.major, input.minor);
      const names = Object.keys(cols);
      const [row] = await tx.query<{ id: number }>(
        `INSERT INTO ${k.table} (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
        names.map((n) => cols[n]));
      await audit(tx, actor, `registry.create`, `${k.resource}:${row.id}`, regionCode, { fields: Object.keys(input) });
      return Number(row.id);
    });
    return getRecord(deps, actor, name, id);
  } catch (err) {
    mapWriteError(k, err);
  }
}

/** The record as API input (personal fields decrypted), to merge a patch into. */
function recordInput(deps: RegistryDeps, k: KindDef, row: any): Record<string, any> {
  const rec: Record<string, any> = { regionCode: row.region_code };
  if (k.parent) rec[k.parent.api] = num(row[k.parent.col]);
  for (const fd of k.fields) rec[fd.api] = fd.pg === 'int8' ? num(row[fd.col]) : row[fd.col];
  if (k.sensitive.length) Object.assign(rec, unseal(deps.ctx.cipher, row.sealed));
  return rec;
}

export async function patchRecord(deps: RegistryDeps, actor: Actor, name: KindName, id: number, patch: Record<string, any>) {
  assertRegistryUser(actor);
  const k = kinds[name];
  const env = await prepareEnv(deps);
  if (patch.regionCode) await deps.regions.ensure(patch.regionCode);
  try {
    await deps.ctx.db.transaction(async (tx) => {
      const row = await loadInScope(tx, actor, k, id, true);
      const rec = { ...recordInput(deps, k, row), ...patch };
      // moving under another parent moves the record to the parent's grid
      if (k.parent && patch[k.parent.api] !== undefined && patch.regionCode === undefined && patch[k.parent.api] !== null) delete rec.regionCode;
      if (k.parent && patch[k.parent.api] === null && patch.regionCode === undefined) rec.regionCode = row.region_code;
      const regionCode = await placeRecord(deps, tx, actor, k, rec, false);
      await checkRefs(tx, actor, k, rec, regionCode);
      // a facility that changes class or district gets the next code of its new class, unless one is given
      const renumber = name === 'facilities' && patch.code === undefined
        && (rec.major !== row.major || rec.minor !== row.minor || regionCode.slice(0, 6) !== row.region_code.slice(0, 6));
      if (renumber) rec.code = null;
      const p = prepareRecord(k, { ...rec, regionCode }, env);
      if (!p.ok) throw invalid(p.issues);
      const cols: Record<string, unknown> = { ...regionColumns(regionCode), ...p.value.cols };
      if (k.parent) cols[k.parent.col] = rec[k.parent.api] ?? null;
      if (k.sensitive.length) { cols.sealed = p.value.sealed; cols.masked = JSON.stringify(p.value.masked); }
      if (renumber) cols.code = await nextFacilityCode(tx, regionCode, rec.major, rec.minor);
      else if (name === 'facilities' && !cols.code) cols.code = row.code;
      const names = Object.keys(cols);
      await tx.query(`UPDATE ${k.table} SET ${names.map((n, i) => `${n} = $${i + 2}`).join(', ')}, updated_at = now() WHERE id = $1`,
        [id, ...names.map((n) => cols[n])]);
      await audit(tx, actor, 'registry.update', `${k.resource}:${id}`, regionCode, { fields: Object.keys(patch) });
    });
  } catch (err) {
    mapWriteError(k, err);
  }
  return getRecord(deps, actor, name, id);
}

export async function deleteRecord(deps: RegistryDeps, actor: Actor, name: KindName, id: number): Promise<void> {
  assertDeleter(actor);
  const k = kinds[name];
  try {
    await deps.ctx.db.transaction(async (tx) => {
      const row = await loadInScope(tx, actor, k, id, true);
      if (name === 'houses') await tx.query('DELETE FROM room WHERE house_id = $1', [id]);
      await tx.query(`DELETE FROM ${k.table} WHERE id = $1`, [id]);
      await audit(tx, actor, 'registry.delete', `${k.resource}:${id}`, row.region_code, {});
    });
  } catch (err) {
    mapWriteError(k, err);
  }
}

export async function revealRecord(deps: RegistryDeps, actor: Actor, name: KindName, id: number, body: RevealBodyT) {
  assertRegistryUser(actor);
  const k = kinds[name];
  if (!k.sensitive.length) throw new AppError(404, 'not_found', { zh: `${k.zh}没有可查看的个人信息字段。`, en: `A ${k.resource} has no personal fields to reveal.` });
  const { db } = deps.ctx;
  const permission = await revealPermission(db, actor, deps.ctx.now());
  const row = await loadInScope(db, actor, k, id);
  const all = unseal(deps.ctx.cipher, row.sealed);
  const values = pickFields(all, k.sensitive.map((s) => s.api), body.fields);
  await auditReveal(db, actor, `${k.resource}:${id}`, row.region_code, {
    purpose: body.purpose, targetName: revealTargetName(k.resource, row, k.title), fields: Object.keys(values), via: permission.via, ...(permission.via === 'grant' ? { grantId: permission.grantId } : {}),
    subject: revealSubject(deps.ctx.cipher, k.sensitive.filter((s) => s.kind === 'name').map((s) => all[s.api]), k.sensitive.filter((s) => s.kind === 'id').map((s) => all[s.api])),
  });
  return { id, ...values };
}
