// Mediation organisations (调委会, 调解室, 矛调中心) and mediators: level, specialties, members, 品牌 and 金牌
// designations, workload and success rate, and assignment by specialty and workload (靶向分流).
import type { Actor } from '../../platform/auth/actor.ts';
import type { Queryable } from '../../platform/db/index.ts';
import { notFound, unprocessable } from '../../platform/errors.ts';
import { maskPhone } from '../../platform/crypto.ts';
import { regionLevels, regionScope } from '../../platform/scope.ts';
import type { MediationDeps } from './deps.ts';
import { mediationPolicy } from './policy.ts';

const LEVEL_OF_LENGTH: Record<number, 'district' | 'street' | 'community'> = { 6: 'district', 9: 'street', 12: 'community' };

export async function createOrg(deps: MediationDeps, actor: Actor, b: any): Promise<number> {
  mediationPolicy.assert(actor, 'mediation.orgs.manage');
  if (!regionScope(actor).has(b.regionCode)) throw unprocessable('outside_scope', { zh: `调解组织只能在您的辖区内登记。`, en: 'An organisation is registered in your territory.' });
  if (LEVEL_OF_LENGTH[b.regionCode.length] !== b.level) throw unprocessable('level_mismatch', { zh: `${b.level}级调解组织须设在${b.level}级区域（区划编码为 ${Object.entries(LEVEL_OF_LENGTH).find(([, l]) => l === b.level)?.[0]} 位）。`, en: `A ${b.level}-level organisation sits in a ${b.level} region (region codes of ${Object.entries(LEVEL_OF_LENGTH).find(([, l]) => l === b.level)?.[0]} digits).` });
  const [r] = await deps.ctx.db.query('SELECT 1 FROM region WHERE code = $1', [b.regionCode]);
  if (!r) throw unprocessable('unknown_region', { zh: `区划 ${b.regionCode} 不存在。`, en: `Region ${b.regionCode} does not exist.` });
  try {
    const [row] = await deps.ctx.db.query<{ id: number }>(
      `INSERT INTO mediation_org (district_code, region_code, level, kind, name, specialties, brand, brand_name, address, phone)
       VALUES ($1, $2, $3, $4, $5, $6::text[], $7, $8, $9, $10) RETURNING id`,
      [regionLevels(b.regionCode).district, b.regionCode, b.level, b.kind, b.name, b.specialties, b.brand, b.brandName ?? null, b.address ?? null, b.phone ?? null]);
    return Number(row.id);
  } catch (err: any) {
    if (err?.code === '23505') throw unprocessable('duplicate_name', { zh: `本区县已登记名为“${b.name}”的调解组织。`, en: `An organisation named ${b.name} is already registered in this district.` });
    throw err;
  }
}

export async function orgInScope(q: Queryable, actor: Actor, id: number): Promise<any> {
  const [o] = await q.query<any>('SELECT * FROM mediation_org WHERE id = $1', [id]);
  if (!o || !regionScope(actor).has(o.region_code)) throw notFound({ zh: `调解组织 ${id}`, en: `Organisation ${id}` });
  return o;
}

export async function createMediator(deps: MediationDeps, actor: Actor, b: any): Promise<number> {
  mediationPolicy.assert(actor, 'mediation.orgs.manage');
  const o = await orgInScope(deps.ctx.db, actor, b.orgId);
  if (b.userId != null) {
    const [u] = await deps.ctx.db.query<{ region_code: string }>('SELECT region_code FROM app_user WHERE id = $1 AND active', [b.userId]);
    if (!u || !regionScope(actor).has(u.region_code)) throw unprocessable('unknown_user', { zh: `您的辖区内没有用户 ${b.userId}。`, en: `User ${b.userId} does not exist in your territory.` });
  }
  const [row] = await deps.ctx.db.query<{ id: number }>(
    `INSERT INTO mediator (district_code, region_code, org_id, user_id, name, title, phone_sealed, phone_masked, specialties, gold, max_load)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text[], $10, $11) RETURNING id`,
    [o.district_code, o.region_code, o.id, b.userId ?? null, b.name, b.title ?? null, b.phone ? deps.ctx.cipher.encrypt(b.phone) : null,
      b.phone ? maskPhone(b.phone) : null, b.specialties, b.gold, b.maxLoad]);
  return Number(row.id);
}

export async function patchMediator(deps: MediationDeps, actor: Actor, id: number, b: any): Promise<void> {
  mediationPolicy.assert(actor, 'mediation.orgs.manage');
  const [m] = await deps.ctx.db.query<any>('SELECT region_code FROM mediator WHERE id = $1', [id]);
  if (!m || !regionScope(actor).has(m.region_code)) throw notFound({ zh: `调解员 ${id}`, en: `Mediator ${id}` });
  const cols: Record<string, string> = { gold: 'gold', active: 'active', specialties: 'specialties', maxLoad: 'max_load' };
  const keys = Object.keys(b).filter((k) => k in cols);
  await deps.ctx.db.query(`UPDATE mediator SET ${keys.map((k, i) => `${cols[k]} = $${i + 2}${k === 'specialties' ? '::text[]' : ''}`).join(', ')} WHERE id = $1`, [id, ...keys.map((k) => b[k])]);
}

/** Organisations and their mediators with workload (open disputes in any 四包 role) and success rate. */
export async function listOrgs(deps: MediationDeps, actor: Actor, region?: string) {
  mediationPolicy.assert(actor, 'mediation.orgs.read');
  const scope = regionScope(actor);
  // an actor sees the organisations of their territory and those above it that serve it (the street's centre, the district's)
  const frame = region && scope.within(region) ? region : actor.regionCode;
  const orgs = await deps.ctx.db.query<any>(
    `SELECT * FROM mediation_org WHERE active AND (region_code LIKE $1 || '%' OR $1 LIKE region_code || '%') ORDER BY level, region_code, name`, [frame]);
  const ids = orgs.map((o) => Number(o.id));
  const mediators = ids.length ? await mediatorStats(deps.ctx.db, ids) : [];
  return {
    items: orgs.map((o) => ({
      id: Number(o.id), regionCode: o.region_code, level: o.level, kind: o.kind, name: o.name, specialties: o.specialties, brand: o.brand,
      brandName: o.brand_name, address: o.address, phone: o.phone,
      mediators: mediators.filter((m) => m.orgId === Number(o.id)),
    })),
  };
}

export interface MediatorStat {
  id: number; orgId: number; name: string; title: string | null; phoneMasked: string | null; userId: number | null; specialties: string[];
  gold: boolean; active: boolean; maxLoad: number; workload: number; concluded: number; succeeded: number; successRate: number | null;
}

export async function mediatorStats(q: Queryable, orgIds: number[]): Promise<MediatorStat[]> {
  const rows = await q.query<any>(
    `SELECT m.*,
       (SELECT count(*)::int FROM dispute d WHERE d.is_open AND m.id IN (d.lead_mediator_id, d.investigate_by, d.mediate_by, d.conclude_by, d.follow_up_by)) AS workload,
       (SELECT count(*)::int FROM dispute d WHERE d.lead_mediator_id = m.id AND d.success IS NOT NULL) AS concluded,
       (SELECT count(*)::int FROM dispute d WHERE d.lead_mediator_id = m.id AND d.success) AS succeeded
     FROM mediator m WHERE m.org_id = ANY($1::bigint[]) ORDER BY m.gold DESC, m.name`, [orgIds]);
  return rows.map((m) => ({
    id: Number(m.id), orgId: Number(m.org_id), name: m.name, title: m.title, phoneMasked: m.phone_masked, userId: m.user_id == null ? null : Number(m.user_id),
    specialties: m.specialties, gold: m.gold, active: m.active, maxLoad: m.max_load, workload: m.workload, concluded: m.concluded, succeeded: m.succeeded,
    successRate: m.concluded ? Math.round((m.succeeded / m.concluded) * 1000) / 10 : null,
  }));
}

/** Categories that go to the street however small (宅基地、征地拆迁、医疗 …: 大事不出镇). */
const STREET_CATEGORIES = /^1302(02|03|04|06)$/;

/** Why the suggestion is what it is: a code the console words, with what it refers to. */
export type SuggestionReason =
  | { code: 'scale'; scale: string; level: string }
  | { code: 'category'; categoryCode: string; level: string }
  | { code: 'ordinary'; level: string }
  | { code: 'specialist_org'; org: string }
  | { code: 'brand_org'; org: string }
  | { code: 'nearest_org'; org: string; level: string }
  | { code: 'no_org_at_level'; level: string; org: string; orgLevel: string }
  | { code: 'lead'; mediator: string; specialist: boolean; gold: boolean; workload: number; maxLoad: number }
  | { code: 'shared_roles'; mediators: string[] };

/**
 * 靶向分流: the level a dispute goes to (by its scale and category: 小事不出村, 大事不出镇, 矛盾不上交), the
 * organisations there that serve its region (specialists first), and in each the mediators by specialty,
 * then by free capacity (workload against their maximum), 金牌 first on a tie. `proposal` is the assignment
 * the console fills in — the first organisation with a mediator free, its first mediator leading (包调处,
 * 包办结), the next ones investigating and visiting (包调查, 包回访) so the 四包 are shared — and `reasons`
 * says why, step by step.
 */
export async function suggestAssignment(q: Queryable, d: { region_code: string; category_code: string; scale: string }) {
  const level = d.scale === 'major' || d.scale === 'especially_major' ? 'district'
    : d.scale === 'larger' || STREET_CATEGORIES.test(d.category_code) ? 'street' : 'community';
  const orgs = await q.query<any>(
    `SELECT * FROM mediation_org WHERE active AND $1 LIKE region_code || '%' ORDER BY length(region_code) DESC, brand DESC, id`, [d.region_code]);
  const matches = (specialties: string[]) => specialties.some((s) => d.category_code.startsWith(s));
  const ordered = [...orgs.filter((o) => o.level === level), ...orgs.filter((o) => o.level !== level)]
    .sort((a, b) => Number(b.level === level) - Number(a.level === level) || Number(matches(b.specialties)) - Number(matches(a.specialties)));
  const mediators = ordered.length ? (await mediatorStats(q, ordered.map((o) => Number(o.id)))).filter((m) => m.active) : [];
  const out = ordered.map((o) => ({
    id: Number(o.id), name: o.name as string, level: o.level as string, brand: o.brand as boolean, specialist: matches(o.specialties),
    mediators: mediators.filter((m) => m.orgId === Number(o.id))
      .sort((a, b) => Number(matches(b.specialties)) - Number(matches(a.specialties))
        || a.workload / a.maxLoad - b.workload / b.maxLoad || Number(b.gold) - Number(a.gold))
      .map((m) => ({ ...m, specialist: matches(m.specialties), free: m.workload < m.maxLoad })),
  }));
  const reasons: SuggestionReason[] = [
    d.scale !== 'ordinary' ? { code: 'scale', scale: d.scale, level }
      : level === 'street' ? { code: 'category', categoryCode: d.category_code, level } : { code: 'ordinary', level },
  ];
  // the organisation: the first with a mediator who has room, else the first with any mediator
  const org = out.find((o) => o.mediators.some((m) => m.free)) ?? out.find((o) => o.mediators.length) ?? null;
  let proposal: { orgId: number; leadMediatorId: number; investigateBy: number; mediateBy: number; concludeBy: number; followUpBy: number } | null = null;
  if (org) {
    if (org.level !== level) reasons.push({ code: 'no_org_at_level', level, org: org.name, orgLevel: org.level });
    else if (org.specialist) reasons.push({ code: 'specialist_org', org: org.name });
    else if (org.brand) reasons.push({ code: 'brand_org', org: org.name });
    else reasons.push({ code: 'nearest_org', org: org.name, level: org.level });
    const people = [...org.mediators.filter((m) => m.free), ...org.mediators.filter((m) => !m.free)];
    const [lead, second = lead, third = second] = people;
    proposal = { orgId: org.id, leadMediatorId: lead.id, investigateBy: second.id, mediateBy: lead.id, concludeBy: lead.id, followUpBy: third.id };
    reasons.push({ code: 'lead', mediator: lead.name, specialist: lead.specialist, gold: lead.gold, workload: lead.workload, maxLoad: lead.maxLoad });
    if (people.length < 3) reasons.push({ code: 'shared_roles', mediators: people.map((m) => m.name) });
  }
  return { level, proposal, reasons, orgs: out };
}
