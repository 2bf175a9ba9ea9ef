// Oversight of personal data: per-user reveal grants (administrators) and the audit of reveals —
// who revealed what, when and why — scoped to the viewer's region (administrators, command centres).
import type { Actor } from '../../platform/auth/actor.ts';
import { AppError, notFound, roleZh } from '../../platform/errors.ts';
import { audit, iso, likeEscape, type RegistryDeps } from './common.ts';
import { documentHash } from './prepare.ts';
import { nameHash, surnameHash } from './protect.ts';
import { nameLike, nameMatchSql } from './person-search.ts';
import type { AuditRevealQueryT, GrantCreateT } from './contracts.ts';
import { assertAdmin, assertAuditReader, REGISTRY_ROLES, registryPolicy, scopeSql } from './policy.ts';
import { regionPrefixSql, regionScope } from '../../platform/scope.ts';

/** Reveals of the registries and of case reporters' contacts (cases module) are one audit trail. */
export const REVEAL_ACTIONS = ['registry.reveal', 'reveal_reporter'];

const grantView = (r: any) => ({
  id: Number(r.id), userId: Number(r.user_id), username: r.username, displayName: r.display_name, role: r.role, regionCode: r.region_code,
  reason: r.reason, grantedBy: Number(r.granted_by), expiresAt: iso(r.expires_at), revokedAt: iso(r.revoked_at), createdAt: iso(r.created_at),
});
const grantSelect = `SELECT g.*, u.username, u.display_name, u.role, u.region_code FROM reveal_grant g JOIN app_user u ON u.id = g.user_id`;

export async function listGrants(deps: RegistryDeps, actor: Actor) {
  assertAdmin(actor);
  const rows = await deps.ctx.db.query<any>(`${grantSelect} WHERE u.region_code LIKE $1 ORDER BY g.id DESC LIMIT 500`, [`${actor.regionCode}%`]);
  return { items: rows.map(grantView) };
}

export async function createGrant(deps: RegistryDeps, actor: Actor, input: GrantCreateT) {
  assertAdmin(actor);
  const { db } = deps.ctx;
  const [u] = await db.query<any>('SELECT id, role, region_code, active, is_system FROM app_user WHERE id = $1', [input.userId]);
  if (!u || !regionScope(actor).within(u.region_code) || u.is_system) throw new AppError(422, 'unknown_user', { zh: `您的区域内没有用户 ${input.userId}。`, en: `User ${input.userId} does not exist in your region.` });
  if (!u.active) throw new AppError(422, 'user_inactive', { zh: `该用户已停用。`, en: 'The user is deactivated.' });
  if (!REGISTRY_ROLES.has(u.role)) throw new AppError(422, 'role_cannot_read_registry', { zh: `${roleZh(u.role)}用户不使用人口房屋信息，授予查看权限没有意义。`, en: `A ${u.role} user does not work with the registries; a reveal grant would do nothing.` });
  if (registryPolicy.rolesWith('registry.reveal').includes(u.role)) throw new AppError(422, 'role_reveals_already', { zh: `${roleZh(u.role)}用户已按角色拥有查看权限。`, en: `A ${u.role} user may reveal by role already.` });
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt.getTime() <= deps.ctx.now().getTime()) throw new AppError(422, 'expired', { zh: `到期时间（expiresAt）已过。`, en: 'expiresAt is in the past.' });
  const id = await db.transaction(async (tx) => {
    const [g] = await tx.query<{ id: number }>(
      'INSERT INTO reveal_grant (user_id, granted_by, reason, expires_at) VALUES ($1, $2, $3, $4) RETURNING id',
      [input.userId, actor.id, input.reason, expiresAt]);
    await audit(tx, actor, 'registry.grant', `user:${input.userId}`, u.region_code, { grantId: Number(g.id), reason: input.reason, expiresAt: iso(expiresAt) });
    return Number(g.id);
  });
  const [row] = await db.query<any>(`${grantSelect} WHERE g.id = $1`, [id]);
  return grantView(row);
}

export async function revokeGrant(deps: RegistryDeps, actor: Actor, id: number) {
  assertAdmin(actor);
  await deps.ctx.db.transaction(async (tx) => {
    const [g] = await tx.query<any>(`${grantSelect} WHERE g.id = $1 FOR UPDATE OF g`, [id]);
    if (!g || !regionScope(actor).within(g.region_code)) throw notFound({ zh: `授权 ${id}`, en: `Grant ${id}` });
    if (g.revoked_at) return;
    await tx.query('UPDATE reveal_grant SET revoked_at = $2 WHERE id = $1', [id, deps.ctx.now()]);
    await audit(tx, actor, 'registry.grant_revoke', `user:${g.user_id}`, g.region_code, { grantId: id });
  });
}

export async function listReveals(deps: RegistryDeps, actor: Actor, q: AuditRevealQueryT) {
  assertAuditReader(actor);
  const params: unknown[] = [REVEAL_ACTIONS];
  // audit_log carries only the deepest region: the prefix range on region_code
  const where = ['a.action = ANY($1::text[])', scopeSql(actor, 'a', params, false)];
  if (q.regionCode) where.push(regionPrefixSql(q.regionCode, 'a', params, false));
  const eq = (expr: string, v: unknown) => { params.push(v); where.push(`${expr} $${params.length}`); };
  if (q.actorId) eq('a.actor_id =', q.actorId);
  if (q.viewer) {
    params.push(q.viewer, `%${likeEscape(q.viewer)}%`);
    where.push(`(u.username = $${params.length - 1} OR u.display_name ILIKE $${params.length})`);
  }
  if (q.person) where.push(await personCondition(deps, actor, q.person, params));
  if (q.target) eq('a.target =', q.target);
  if (q.from) eq('a.at >=', new Date(q.from));
  if (q.to) eq('a.at <', new Date(q.to));
  const offset = (q.page - 1) * q.pageSize;
  const rows = await deps.ctx.db.query<any>(
    `SELECT a.id, a.at, a.action, a.target, a.region_code, a.detail, a.actor_id, u.username, u.display_name, u.role, rg.name AS region_name
     FROM audit_log a LEFT JOIN app_user u ON u.id = a.actor_id LEFT JOIN region rg ON rg.code = a.region_code
     WHERE ${where.join(' AND ')} ORDER BY a.at DESC, a.id DESC LIMIT ${q.pageSize + 1} OFFSET ${offset}`, params);
  const names = await targetNames(deps, rows.slice(0, q.pageSize).map((r) => r.target));
  // a record removed since is named as it was when revealed (masked), where the reveal kept its name
  return {
    items: rows.slice(0, q.pageSize).map((r) => ({
      id: Number(r.id), at: iso(r.at), action: r.action, target: r.target, regionCode: r.region_code, regionName: r.region_name ?? null,
      targetKind: String(r.target).split(':')[0], targetId: Number(String(r.target).split(':')[1]) || null,
      targetName: names.get(r.target) ?? (typeof r.detail?.targetName === 'string' ? r.detail.targetName : null),
      /** false when the record is gone (removed since the reveal) */
      targetExists: names.has(r.target),
      actor: { id: r.actor_id == null ? null : Number(r.actor_id), username: r.username, displayName: r.display_name, role: r.role },
      purpose: r.detail?.purpose ?? null, fields: r.detail?.fields ?? null, via: r.detail?.via ?? null,
    })),
    page: q.page, pageSize: q.pageSize, hasMore: rows.length > q.pageSize,
  };
}

/**
 * Reveals of one person, by full name, surname (one character, or a 复姓) or ID number: the keyed hashes
 * the reveal recorded (registry.reveal since issue 13; surnames since they were added), and also the
 * registry persons in the reader's region with that name, surname or number (older reveals). Neither the
 * name nor the number is compared in clear.
 */
async function personCondition(deps: RegistryDeps, actor: Actor, term: string, params: unknown[]): Promise<string> {
  const { cipher } = deps.ctx;
  const v = term.trim();
  if (/^[0-9A-Za-z-]{6,30}$/.test(v) && /\d/.test(v)) {
    const h = documentHash(cipher, '111', v);
    params.push(h);
    const hp = params.length;
    params.push(JSON.stringify([h]));
    const jp = params.length;
    const scope = scopeSql(actor, 'p', params, false);
    return `(a.target IN (SELECT 'person:' || p.id FROM person p WHERE p.id_hash = $${hp} AND ${scope}) OR a.detail->'subject'->'idHashes' @> $${jp}::jsonb)`;
  }
  params.push(JSON.stringify([nameHash(cipher, v)]));
  const any = [`a.detail->'subject'->'nameHashes' @> $${params.length}::jsonb`];
  if (nameLike(v)) {
    params.push(JSON.stringify([surnameHash(cipher, v)]));
    any.push(`a.detail->'subject'->'surnameHashes' @> $${params.length}::jsonb`);
    const scope = scopeSql(actor, 'p', params, false);
    any.push(`a.target IN (SELECT 'person:' || p.id FROM person p WHERE ${scope} AND ${await nameMatchSql(deps.ctx.db, cipher, actor.regionCode, v, params, 'p')})`);
  }
  return `(${any.join(' OR ')})`;
}

const TARGET_TABLES: Record<string, { table: string; select: string }> = {
  person: { table: 'person', select: `t.name_masked || ' · ' || t.id_masked` },
  house: { table: 'house', select: 't.address' },
  room: { table: 'room', select: 't.name' },
  place: { table: 'place', select: 't.name' },
  organisation: { table: 'organisation', select: 't.name' },
  household: { table: 'household', select: 'coalesce(t.household_no, t.address)' },
};

/**
 * Names of audit targets (person:234 → 罗** · 500117********1234, house:5 → its address, case:7 → its case
 * number through the composition root), masked where personal.
 */
async function targetNames(deps: RegistryDeps, targets: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const byKind = new Map<string, number[]>();
  for (const t of targets) {
    const [kind, id] = String(t).split(':');
    if ((TARGET_TABLES[kind] || deps.targetNames?.[kind]) && /^\d+$/.test(id ?? '')) byKind.set(kind, [...(byKind.get(kind) ?? []), Number(id)]);
  }
  for (const [kind, ids] of byKind) {
    const def = TARGET_TABLES[kind];
    if (!def) {
      for (const [id, name] of await deps.targetNames![kind]([...new Set(ids)])) if (name) out.set(`${kind}:${id}`, name);
      continue;
    }
    const rows = await deps.ctx.db.query<{ id: number; name: string | null }>(`SELECT t.id, ${def.select} AS name FROM ${def.table} t WHERE t.id = ANY($1::bigint[])`, [ids]);
    for (const r of rows) if (r.name) out.set(`${kind}:${r.id}`, r.name);
  }
  return out;
}

/** How a revealed record is named in the audit, kept with the reveal so that it outlives the record (masked). */
export function revealTargetName(kind: string, row: Record<string, any>, titleColumn = 'name'): string | null {
  if (kind === 'person') return row.name_masked ? `${row.name_masked}${row.id_masked ? ` · ${row.id_masked}` : ''}` : null;
  return typeof row[titleColumn] === 'string' ? row[titleColumn] : null;
}
