// Reads other modules need from the case engine (intelligence: training texts, duplicate candidates,
// hotspots; names of categories), so that no module reads the engine's tables itself.
import type { Actor } from '../../platform/auth/actor.ts';
import { regionPrefixSql, scopePrefixes } from '../../platform/scope.ts';
import { visibilitySql } from './visibility.ts';
import { stateLabel } from './views.ts';
import type { CaseDeps } from './deps.ts';

/** Title, description and category of resolved cases, newest first: what a text model trains on. */
export async function resolvedCaseTexts(deps: CaseDeps, limit: number) {
  return deps.ctx.db.query<{ title: string; description: string; category_code: string }>(
    `SELECT title, description, category_code FROM "case" WHERE outcome = 'resolved' ORDER BY closed_at DESC NULLS LAST, id DESC LIMIT $1`, [limit]);
}

/** How many cases ended resolved: when a text model is due for retraining. */
export async function resolvedCaseCount(deps: CaseDeps): Promise<number> {
  const [r] = await deps.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "case" WHERE outcome = 'resolved'`);
  return r.n;
}

export interface NearbyQuery {
  excludeId: number; from: Date; to: Date;
  /** A point and a radius in metres; without a point, the community instead. */
  near: { lat: number; lng: number; radius: number } | null;
  communityCode: string;
  limit: number;
}

export interface CaseText {
  id: number; case_no: string; title: string; description: string; state: string; stateLabel: { zh: string; en: string }; category_code: string;
  lat: number | null; lng: number | null; created_at: Date;
}

/** Open cases the actor may see, reported in a period near a point (or, without one, in the community). */
export async function openCasesNear(deps: CaseDeps, actor: Actor, q: NearbyQuery): Promise<CaseText[]> {
  const params: unknown[] = [q.excludeId, q.from, q.to];
  const where = ['c.id <> $1', 'c.is_open', 'c.created_at BETWEEN $2 AND $3', visibilitySql(actor, params)];
  if (q.near) {
    const dLat = q.near.radius / 111_320;
    const dLng = q.near.radius / (111_320 * Math.max(0.01, Math.cos((q.near.lat * Math.PI) / 180)));
    params.push(q.near.lat - dLat, q.near.lat + dLat, q.near.lng - dLng, q.near.lng + dLng, `${q.communityCode}%`);
    const n = params.length;
    // near the point, or (without a location) in the same community
    where.push(`((c.lat BETWEEN $${n - 4} AND $${n - 3} AND c.lng BETWEEN $${n - 2} AND $${n - 1}) OR (c.lat IS NULL AND c.region_code LIKE $${n}))`);
  } else {
    where.push(regionPrefixSql(q.communityCode, 'c', params));
  }
  const rows = await deps.ctx.db.query<CaseText & { type: string; workflow_version: number }>(
    `SELECT c.id, c.case_no, c.title, c.description, c.type, c.workflow_version, c.state, c.category_code, c.lat, c.lng, c.created_at FROM "case" c
     WHERE ${where.join(' AND ')} ORDER BY c.created_at DESC LIMIT ${Math.max(1, Math.min(q.limit, 5000))}`, params);
  return rows.map((r) => ({ ...r, stateLabel: stateLabel(deps.types, deps.types.get(r.type, r.workflow_version), r.state) }));
}

/**
 * Cases reported since `since` in the actor's territory (or the part of it under `region`), except
 * those not accepted: what hotspots are found in. Null when the actor has no territory.
 */
export async function recentTerritoryCases(deps: CaseDeps, actor: Actor, since: Date, region?: string) {
  const prefixes = scopePrefixes(actor);
  if (!prefixes.length) return null;
  const params: unknown[] = [since];
  const where = ['c.created_at >= $1', `c.outcome IS DISTINCT FROM 'declined'`, `(${prefixes.map((p) => regionPrefixSql(p, 'c', params)).join(' OR ')})`];
  if (region) {
    if (!prefixes.some((p) => region.startsWith(p))) return [];
    where.push(regionPrefixSql(region, 'c', params, true));
  }
  return deps.ctx.db.query<any>(
    `SELECT c.id, c.title, c.description, c.region_code, c.community_code, c.category_code, c.created_at,
       c.reporter_phone_hash, c.reporter_user_id FROM "case" c
     WHERE ${where.join(' AND ')} ORDER BY c.created_at DESC LIMIT 5000`, params);
}

export interface CategoryInfo { code: string; name: { zh: string; en: string }; active: boolean; leaf: boolean }

/** Categories by code (names, whether active and a leaf). */
export async function categoriesByCode(deps: CaseDeps, codes: string[]): Promise<Map<string, CategoryInfo>> {
  if (!codes.length) return new Map();
  const rows = await deps.ctx.db.query<{ code: string; name_zh: string; name_en: string; active: boolean; limit_minutes: number | null }>(
    'SELECT code, name_zh, name_en, active, limit_minutes FROM category WHERE code = ANY($1::text[])', [codes]);
  return new Map(rows.map((c) => [c.code, { code: c.code, name: { zh: c.name_zh, en: c.name_en }, active: c.active, leaf: c.limit_minutes != null }]));
}
