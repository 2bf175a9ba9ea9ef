// Grid lifecycle: import from GeoJSON, new geometry versions, split and merge, history. Every change
// retires polygon versions (valid_to) rather than overwriting them, keeps retired grids in the region
// tree (cases and visits keep pointing at them), records a grid_change fact, refreshes the layer
// mappings and publishes an event in one transaction; the point → grid index is rebuilt after commit.
import type { Db, Queryable } from '../../../platform/db/index.ts';
import type { Actor } from '../../../platform/auth/actor.ts';
import type { AppContext } from '../../../platform/context.ts';
import { AppError, conflict, notFound, unprocessable } from '../../../platform/errors.ts';
import { appendEvent } from '../../../platform/events/index.ts';
import type { RegionService } from '../service.ts';
import { assertCan, assertUnder, assertVisible, underScope } from './policy.ts';
import { audit, iso, isUniqueViolation } from './common.ts';
import {
  areaM2, bboxOf, haversineM, labelPoint, pointInGeometry, polygonsOf,
  type AreaGeometry, type GeometryProblem, type Position,
} from './geometry.ts';
import { geometryWorker } from './geometry-pool.ts';
import {
  GridFeatureProps, type FeatureCollectionT, type GeometryPutT, type GridFeaturePropsT, type MergeBodyT, type SplitBodyT,
} from './contracts.ts';
import type { HouseholdSource } from './households.ts';
import { refreshLayerMappings } from './layer-service.ts';
import { carryAll, forgetMovedActors, gridLoads, placer, type GridCarrier } from './carry.ts';

export interface GridDeps {
  ctx: AppContext;
  regions: RegionService;
  /** Rebuilds the point → grid index (the platform's reload) after polygons changed. */
  reload: () => Promise<void>;
  households: HouseholdSource;
  /** Modules whose records live on grids (the registry) and move with a split or merge (carry.ts). */
  carriers?: GridCarrier[];
  /** What a visit's house or household reference names (registry-household-1 → its address), for the visit list. */
  refNames?: (refs: string[]) => Promise<Map<string, string>>;
  /** The fieldwork visit (its page, /visits/:id) of each household_visit id recorded through it, for the visit list. */
  visitPages?: (gridVisitIds: number[]) => Promise<Map<number, number>>;
}

export interface FeatureError { index: number; code: string | null; path: string; reason: string; message: string }

/** Split parts and merged outlines may stray this far (metres) outside the grids they come from. */
const TOLERANCE_M = 1;
/** Split parts must add up to the grid's area, merged outlines to the grids' areas, within this share. */
const AREA_TOLERANCE = 0.01;
/** Coordinate reference systems whose [lng, lat] the platform stores as they are. */
const ACCEPTED_CRS = /^(urn:ogc:def:crs:OGC:1\.3:CRS84|urn:ogc:def:crs:EPSG::(4326|4490)|EPSG:(4326|4490))$/i;

interface GridRow {
  code: string; parent_code: string; kind: string; name: string; short_name: string; retired_at: Date | null;
  version: number | null; valid_from: Date | null; geometry: AreaGeometry | null;
}

async function loadGrid(q: Queryable, code: string): Promise<GridRow | null> {
  const [row] = await q.query<GridRow>(
    `SELECT r.code, r.parent_code, r.kind, r.name, r.short_name, r.retired_at, g.version, g.valid_from, g.geometry
     FROM region r LEFT JOIN grid_polygon g ON g.region_code = r.code AND g.valid_to IS NULL
     WHERE r.code = $1 AND r.level = 'grid'`, [code]);
  return row ?? null;
}

async function currentGrid(q: Queryable, actor: Actor, code: string): Promise<GridRow & { geometry: AreaGeometry; version: number }> {
  const g = await liveGrid(q, actor, code);
  if (!g.geometry || g.version == null) {
    throw conflict('grid_without_outline', { zh: `网格 ${code} 还没有边界，请先绘制或导入。`, en: `Grid ${code} has no outline yet; draw or import one first.` });
  }
  return g as GridRow & { geometry: AreaGeometry; version: number };
}

/** A grid that is not retired; a placeholder (no outline yet: `gongzhi init` makes one per community) counts. */
async function liveGrid(q: Queryable, actor: Actor, code: string): Promise<GridRow> {
  assertUnder(actor, code, { zh: `网格 ${code}`, en: `Grid ${code}` });
  const g = await loadGrid(q, code);
  if (!g) throw notFound({ zh: `网格 ${code}`, en: `Grid ${code}` });
  if (g.retired_at) {
    throw conflict('grid_retired', { zh: `网格 ${code} 已于 ${iso(g.retired_at)} 撤销，接替它的网格请查看其变更历史。`, en: `Grid ${code} was retired on ${iso(g.retired_at)}; see its history for the grids that replaced it.` });
  }
  return g;
}

// ---------------------------------------------------------------------------------------------
// Reads

export async function getGrid(deps: GridDeps, actor: Actor, code: string) {
  assertCan(actor, 'grid.read');
  assertVisible(actor, code, { zh: `网格 ${code}`, en: `Grid ${code}` });
  const { db } = deps.ctx;
  const g = await loadGrid(db, code);
  if (!g) throw notFound({ zh: `网格 ${code}`, en: `Grid ${code}` });
  const [profile] = await db.query<{ dedicated_type: string | null }>('SELECT dedicated_type FROM grid_profile WHERE region_code = $1', [code]);
  const households = (await deps.households.countsUnder(code)).get(code) ?? null;
  let hostGrids: string[] = [];
  let dedicatedGrids: string[] = [];
  if (g.geometry) {
    // 专属网格 lie inside 综合网格 (the locate index prefers the smaller polygon); name both directions.
    const siblings = await db.query<{ code: string; kind: string; geometry: AreaGeometry }>(
      `SELECT r.code, r.kind, p.geometry FROM region r JOIN grid_polygon p ON p.region_code = r.code AND p.valid_to IS NULL
       WHERE r.parent_code = $1 AND r.code <> $2 AND r.kind <> $3`, [g.parent_code, code, g.kind]);
    const here = labelPoint(g.geometry);
    if (g.kind === 'dedicated') hostGrids = siblings.filter((s) => pointInGeometry(s.geometry, here)).map((s) => s.code);
    else dedicatedGrids = siblings.filter((s) => pointInGeometry(g.geometry!, labelPoint(s.geometry))).map((s) => s.code);
  }
  const names = await gridNames(db, [...hostGrids, ...dedicatedGrids]);
  return {
    code: g.code, name: g.name, shortName: g.short_name, kind: g.kind, dedicatedType: profile?.dedicated_type ?? null,
    communityCode: g.parent_code, retiredAt: iso(g.retired_at), version: g.version, validFrom: iso(g.valid_from),
    areaM2: g.geometry ? Math.round(areaM2(g.geometry)) : null, households,
    labelPoint: g.geometry ? labelPoint(g.geometry) : null, hostGrids, dedicatedGrids,
    // the same grids by name, as a person reads them
    hostGridRefs: hostGrids.map(names), dedicatedGridRefs: dedicatedGrids.map(names), geometry: g.geometry,
  };
}

/** Grids named as a person reads them ({code, name}); a retired grid keeps its region row, so its name too. */
async function gridNames(q: Queryable, codes: string[]): Promise<(code: string) => { code: string; name: string }> {
  const rows = codes.length ? await q.query<{ code: string; name: string }>('SELECT code, name FROM region WHERE code = ANY($1::text[])', [[...new Set(codes)]]) : [];
  const names = new Map(rows.map((r) => [r.code, r.name]));
  return (code) => ({ code, name: names.get(code) ?? code });
}

export async function gridHistory(deps: GridDeps, actor: Actor, code: string, withGeometry = false) {
  assertCan(actor, 'grid.read');
  assertVisible(actor, code, { zh: `网格 ${code}`, en: `Grid ${code}` });
  const { db } = deps.ctx;
  const g = await loadGrid(db, code);
  if (!g) throw notFound({ zh: `网格 ${code}`, en: `Grid ${code}` });
  const versions = await db.query<any>(
    'SELECT version, valid_from, valid_to, geometry FROM grid_polygon WHERE region_code = $1 ORDER BY version', [code]);
  const changes = await db.query<any>(
    `SELECT c.id, c.kind, c.from_codes, c.to_codes, c.at, c.note, c.detail, c.actor_id, u.display_name
     FROM grid_change c LEFT JOIN app_user u ON u.id = c.actor_id
     WHERE c.from_codes @> ARRAY[$1]::text[] OR c.to_codes @> ARRAY[$1]::text[] ORDER BY c.at, c.id`, [code]);
  const structural = (c: any) => c.kind === 'split' || c.kind === 'merge';
  const predecessors: string[] = changes.filter((c) => structural(c) && c.to_codes.includes(code)).flatMap((c) => c.from_codes);
  const successors: string[] = changes.filter((c) => structural(c) && c.from_codes.includes(code)).flatMap((c) => c.to_codes);
  const named = await gridNames(db, changes.flatMap((c) => [...c.from_codes, ...c.to_codes]));
  return {
    code: g.code, name: g.name, kind: g.kind, communityCode: g.parent_code, retiredAt: iso(g.retired_at),
    versions: versions.map((v) => ({
      version: v.version, validFrom: iso(v.valid_from), validTo: iso(v.valid_to), areaM2: Math.round(areaM2(v.geometry)),
      ...(withGeometry ? { geometry: v.geometry } : {}),
    })),
    changes: changes.map((c) => ({
      id: Number(c.id), kind: c.kind, at: iso(c.at), fromCodes: c.from_codes, toCodes: c.to_codes,
      fromGrids: (c.from_codes as string[]).map(named), toGrids: (c.to_codes as string[]).map(named), note: c.note,
      actor: c.actor_id == null ? null : { id: Number(c.actor_id), name: c.display_name }, detail: c.detail,
    })),
    predecessors, successors, predecessorGrids: predecessors.map(named), successorGrids: successors.map(named),
  };
}

// ---------------------------------------------------------------------------------------------
// Community extents: a grid never crosses its community's boundary (GB/T 30428.1). Communities have
// no polygon of their own here, so the extent is the box around their current comprehensive grids
// (with a margin for redrawn boundaries), or failing that a radius around the community's centroid.

interface Extent { box: [number, number, number, number] | null; centroid: Position | null }
const MARGIN_SHARE = 0.25;
const MARGIN_MIN_DEG = 0.002; // ≈ 200 m
const CENTROID_RADIUS_M = 20_000;

async function communityExtents(q: Queryable, communities: string[]): Promise<Map<string, Extent>> {
  const out = new Map<string, Extent>();
  const regions = await q.query<{ code: string; centroid_lng: number | null; centroid_lat: number | null }>(
    `SELECT code, centroid_lng, centroid_lat FROM region WHERE code = ANY($1::text[])`, [communities]);
  for (const r of regions) out.set(r.code, { box: null, centroid: r.centroid_lng == null ? null : [r.centroid_lng, r.centroid_lat!] });
  const grids = await q.query<{ parent_code: string; geometry: AreaGeometry }>(
    `SELECT r.parent_code, p.geometry FROM region r JOIN grid_polygon p ON p.region_code = r.code AND p.valid_to IS NULL
     WHERE r.parent_code = ANY($1::text[]) AND r.kind = 'comprehensive'`, [communities]);
  for (const g of grids) {
    const e = out.get(g.parent_code);
    if (!e) continue;
    const b = bboxOf(g.geometry);
    e.box = e.box ? [Math.min(e.box[0], b[0]), Math.min(e.box[1], b[1]), Math.max(e.box[2], b[2]), Math.max(e.box[3], b[3])] : b;
  }
  return out;
}

function withinExtent(extent: Extent | undefined, g: AreaGeometry): boolean {
  if (!extent) return true;
  if (extent.box) {
    const [x0, y0, x1, y1] = extent.box;
    const mx = Math.max(MARGIN_SHARE * (x1 - x0), MARGIN_MIN_DEG);
    const my = Math.max(MARGIN_SHARE * (y1 - y0), MARGIN_MIN_DEG);
    const [a0, b0, a1, b1] = bboxOf(g);
    return a0 >= x0 - mx && b0 >= y0 - my && a1 <= x1 + mx && b1 <= y1 + my;
  }
  if (extent.centroid) return haversineM(labelPoint(g), extent.centroid) <= CENTROID_RADIUS_M;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Import

interface ParsedFeature { index: number; props: GridFeaturePropsT; geometry: AreaGeometry }

function featureErrors(index: number, code: string | null, problems: GeometryProblem[]): FeatureError[] {
  return problems.map((p) => ({ index, code, path: p.path, reason: p.reason, message: p.message }));
}

function checkCrs(body: Record<string, unknown>): void {
  const crs = body.crs as any;
  if (crs === undefined || crs === null) return;
  const name = crs?.properties?.name;
  if (typeof name !== 'string' || !ACCEPTED_CRS.test(name)) {
    throw unprocessable('unsupported_crs', { zh: `坐标须为 WGS-84 或 CGCS2000 经纬度（CRS84、EPSG:4326、EPSG:4490），请先转换投影；GCJ-02 和 BD-09 坐标也须先转换。`, en: 'Coordinates must be WGS-84 or CGCS2000 longitude/latitude (CRS84, EPSG:4326, EPSG:4490); reproject first. GCJ-02 and BD-09 map coordinates must be converted too.' });
  }
}

/**
 * Validates every feature, then writes all of them or none. mode 'create' wants new codes; 'upsert'
 * gives existing current grids a new geometry version. Errors come back as one list, per feature.
 */
export async function importGrids(deps: GridDeps, actor: Actor, body: FeatureCollectionT, mode: 'create' | 'upsert') {
  assertCan(actor, 'grid.write');
  checkCrs(body as Record<string, unknown>);
  const { db } = deps.ctx;
  const errors: FeatureError[] = [];
  const parsed: ParsedFeature[] = [];
  const seen = new Map<string, number>();
  const outside: number[] = [];
  // the geometries are checked together in the worker thread, the properties here
  const checked = await geometryWorker.validateMany(body.features.map((f: any, index) => ({ input: f?.geometry, path: `features.${index}.geometry` })));
  body.features.forEach((f: any, index) => {
    if (typeof f !== 'object' || f === null || Array.isArray(f) || f.type !== 'Feature') {
      errors.push({ index, code: null, path: `features.${index}`, reason: 'not_a_feature', message: 'each item must be a GeoJSON Feature' });
      return;
    }
    const props = GridFeatureProps.safeParse(f.properties ?? {});
    const code = typeof f.properties?.code === 'string' ? f.properties.code.slice(0, 20) : null;
    if (!props.success) {
      for (const issue of props.error.issues.slice(0, 5)) {
        errors.push({ index, code, path: ['features', index, 'properties', ...issue.path.map(String)].join('.'), reason: 'invalid_property', message: issue.message });
      }
    } else {
      if (!underScope(actor, props.data.code)) outside.push(index);
      const first = seen.get(props.data.code);
      if (first !== undefined) {
        errors.push({ index, code, path: `features.${index}.properties.code`, reason: 'duplicate_code', message: `code ${props.data.code} is also used by feature ${first}` });
      } else seen.set(props.data.code, index);
    }
    const geometry = checked[index];
    if (!geometry.ok) errors.push(...featureErrors(index, code, geometry.problems));
    if (props.success && geometry.ok) parsed.push({ index, props: props.data, geometry: geometry.geometry });
  });
  if (outside.length) {
    throw new AppError(403, 'outside_scope', { zh: `要素 ${outside.slice(0, 20).join('、')} 不在您管理的区域内，未导入任何数据。`, en: `Features ${outside.slice(0, 20).join(', ')} lie outside the region you manage; nothing was imported.` }, { indexes: outside.slice(0, 200) });
  }

  const codes = parsed.map((p) => p.props.code);
  const communities = [...new Set(codes.map((c) => c.slice(0, 12)))];
  const existing = new Map((await db.query<{ code: string; level: string; retired_at: Date | null; kind: string }>(
    'SELECT code, level, retired_at, kind FROM region WHERE code = ANY($1::text[])', [[...codes, ...communities]])).map((r) => [r.code, r]));
  const extents = await communityExtents(db, communities);
  for (const p of parsed) {
    const { code } = p.props;
    const at = (reason: string, message: string, path = `features.${p.index}.properties.code`) => errors.push({ index: p.index, code, path, reason, message });
    const community = existing.get(code.slice(0, 12));
    if (!community || community.level !== 'community') { at('unknown_community', `community ${code.slice(0, 12)} does not exist`); continue; }
    const old = existing.get(code);
    p.props.kind ??= (old?.kind as 'comprehensive' | 'dedicated' | undefined) ?? 'comprehensive';
    if (p.props.kind === 'comprehensive' && p.props.dedicatedType !== undefined) {
      at('invalid_property', 'only dedicated grids have a dedicatedType', `features.${p.index}.properties.dedicatedType`);
    }
    if (old && mode === 'create') at('code_exists', `grid ${code} already exists; import with mode=upsert to give it a new geometry version`);
    else if (old?.retired_at) at('code_retired', `grid ${code} was retired; codes of retired grids are not reused`);
    if (!withinExtent(extents.get(code.slice(0, 12)), p.geometry)) {
      at('outside_community', `the polygon lies outside community ${code.slice(0, 12)}'s extent`, `features.${p.index}.geometry`);
    }
  }
  if (errors.length) {
    errors.sort((a, b) => a.index - b.index);
    const bad = new Set(errors.map((e) => e.index)).size;
    throw unprocessable('invalid_features', { zh: `${body.features.length} 个要素中有 ${bad} 个无效，未导入任何数据。`, en: `${bad} of ${body.features.length} features are invalid; nothing was imported.` }, { errors: errors.slice(0, 200), invalidCount: bad });
  }

  const now = deps.ctx.now();
  const result = await writing(db, async (tx) => {
    await lockCommunities(tx, communities);
    const created: string[] = [];
    const updated: Array<{ code: string; version: number }> = [];
    for (const p of parsed) {
      const { code } = p.props;
      const props = { ...p.props, kind: p.props.kind! };
      if (existing.has(code)) updated.push({ code, version: await newVersion(tx, actor, code, p.geometry, now, { source: 'import' }, props) });
      else {
        await insertGrid(tx, code, props, p.geometry, now);
        await tx.query(`INSERT INTO grid_change (kind, region_code, to_codes, actor_id, at, detail) VALUES ('create', $1, $2, $3, $4, $5::jsonb)`,
          [code.slice(0, 12), [code], actor.id, now, JSON.stringify({ source: 'import', version: 1 })]);
        created.push(code);
      }
      if (p.props.households !== undefined) await setCount(tx, code, p.props.households, 'import', now);
      // A dedicated grid keeps its type unless the file names one; a grid that became comprehensive loses it.
      if (props.kind === 'dedicated' && (p.props.dedicatedType !== undefined || !existing.has(code))) await setProfile(tx, code, p.props.dedicatedType ?? 'other', now);
      else if (props.kind === 'comprehensive' && existing.has(code)) await setProfile(tx, code, null, now);
    }
    await refreshLayerMappings(tx, codes, []);
    for (const community of communities) {
      await appendEvent(tx, { topic: 'grid.changed', regionCode: community, payload: { kind: 'import', codes: codes.filter((c) => c.startsWith(community)) } });
    }
    await audit(tx, actor, 'grid.import', `community:${communities.join(',')}`.slice(0, 500), commonPrefix(communities), { mode, created: created.length, updated: updated.length });
    return { created, updated };
  });
  await deps.reload();
  return { ...result, count: parsed.length };
}

/** A transaction whose unique violations (someone created the same grid meanwhile) answer 409. */
async function writing<T>(db: Db, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(fn);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('concurrent_change', { zh: `您编辑期间网格已被修改，请刷新后重试。`, en: 'The grids changed while you were editing them; reload and try again.' });
    throw err;
  }
}

async function lockCommunities(tx: Queryable, communities: string[]): Promise<void> {
  await tx.query('SELECT code FROM region WHERE code = ANY($1::text[]) ORDER BY code FOR UPDATE', [communities]);
}

/**
 * The name a map labels a grid by: its name without the community's (营盘街社区第1网格北片 → 第1网格北片), as
 * the seeded grids are labelled (第1网格); a full name rarely fits its polygon, so the map would drop it.
 */
export function gridShortName(name: string, community: { name: string; short_name: string | null } | undefined): string {
  for (const prefix of [community?.name, community?.short_name]) {
    if (prefix && name.startsWith(prefix) && name.length > prefix.length) return name.slice(prefix.length).trim() || name;
  }
  return name;
}

async function insertGrid(tx: Queryable, code: string, p: { name: string; shortName?: string; kind: string }, geometry: AreaGeometry, now: Date) {
  const [lng, lat] = labelPoint(geometry);
  const [community] = p.shortName ? [] : await tx.query<{ name: string; short_name: string | null }>('SELECT name, short_name FROM region WHERE code = $1', [code.slice(0, 12)]);
  await tx.query(
    `INSERT INTO region (code, parent_code, level, kind, name, short_name, official_code, centroid_lng, centroid_lat, created_at)
     VALUES ($1, $2, 'grid', $3, $4, $5, NULL, $6, $7, $8)`,
    [code, code.slice(0, 12), p.kind, p.name, p.shortName ?? gridShortName(p.name, community), lng, lat, now]);
  await tx.query('INSERT INTO grid_polygon (region_code, version, valid_from, geometry) VALUES ($1, 1, $2, $3::jsonb)', [code, now, JSON.stringify(geometry)]);
}

/** Closes the current version and adds the next one; returns its number. */
async function newVersion(
  tx: Queryable, actor: Actor, code: string, geometry: AreaGeometry, now: Date, detail: Record<string, unknown>,
  props?: { name: string; shortName?: string; kind: string }, expectedVersion?: number, note?: string,
): Promise<number> {
  const [cur] = await tx.query<{ version: number }>('SELECT version FROM grid_polygon WHERE region_code = $1 AND valid_to IS NULL FOR UPDATE', [code]);
  // No current polygon: a placeholder grid getting its first outline (a retired grid was refused before).
  const [region] = cur ? [] : await tx.query<{ retired_at: Date | null }>('SELECT retired_at FROM region WHERE code = $1 FOR UPDATE', [code]);
  if (!cur && region?.retired_at) throw conflict('grid_retired', { zh: `网格 ${code} 没有当前有效的边界。`, en: `Grid ${code} has no current polygon.` });
  const currentVersion = cur?.version ?? 0;
  if (expectedVersion !== undefined && currentVersion !== expectedVersion) {
    throw conflict('version_conflict', { zh: `网格 ${code} 当前为第 ${currentVersion} 版，不是第 ${expectedVersion} 版，请刷新后重试。`, en: `Grid ${code} is at version ${currentVersion}, not ${expectedVersion}; reload it and try again.` }, { currentVersion });
  }
  const version = currentVersion + 1;
  if (cur) await tx.query('UPDATE grid_polygon SET valid_to = $2 WHERE region_code = $1 AND valid_to IS NULL', [code, now]);
  await tx.query('INSERT INTO grid_polygon (region_code, version, valid_from, geometry) VALUES ($1, $2, $3, $4::jsonb)', [code, version, now, JSON.stringify(geometry)]);
  const [lng, lat] = labelPoint(geometry);
  if (props) {
    await tx.query('UPDATE region SET centroid_lng = $2, centroid_lat = $3, name = $4, short_name = $5, kind = $6 WHERE code = $1',
      [code, lng, lat, props.name, props.shortName ?? props.name, props.kind]);
  } else {
    await tx.query('UPDATE region SET centroid_lng = $2, centroid_lat = $3 WHERE code = $1', [code, lng, lat]);
  }
  await tx.query(`INSERT INTO grid_change (kind, region_code, from_codes, to_codes, actor_id, at, note, detail) VALUES ('geometry', $1, $2, $2, $3, $4, $5, $6::jsonb)`,
    [code.slice(0, 12), [code], actor.id, now, note ?? null, JSON.stringify({ ...detail, fromVersion: cur?.version ?? null, toVersion: version })]);
  return version;
}

async function setCount(tx: Queryable, code: string, households: number, source: string, now: Date) {
  await tx.query(
    `INSERT INTO grid_household_count (region_code, households, source, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (region_code) DO UPDATE SET households = EXCLUDED.households, source = EXCLUDED.source, updated_at = EXCLUDED.updated_at`,
    [code, households, source, now]);
}

async function setProfile(tx: Queryable, code: string, dedicatedType: string | null, now: Date) {
  await tx.query(
    `INSERT INTO grid_profile (region_code, dedicated_type, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (region_code) DO UPDATE SET dedicated_type = EXCLUDED.dedicated_type, updated_at = EXCLUDED.updated_at`,
    [code, dedicatedType, now]);
}

function commonPrefix(codes: string[]): string {
  if (!codes.length) return '';
  let p = codes[0];
  for (const c of codes) while (!c.startsWith(p)) p = p.slice(0, -1);
  return p;
}

// ---------------------------------------------------------------------------------------------
// Edit geometry

export async function putGeometry(deps: GridDeps, actor: Actor, code: string, input: GeometryPutT) {
  assertCan(actor, 'grid.write');
  const { db } = deps.ctx;
  const grid = await liveGrid(db, actor, code); // a placeholder grid gets its first outline here
  const v = await geometryWorker.validate(input.geometry, 'geometry');
  if (!v.ok) throw unprocessable('invalid_geometry', { zh: `边界无效：${v.problems[0].message}。`, en: `The geometry is invalid: ${v.problems[0].message}.` }, { errors: v.problems });
  const geometry = v.geometry;
  const extents = await communityExtents(db, [grid.parent_code]);
  if (!withinExtent(extents.get(grid.parent_code), geometry)) {
    throw unprocessable('outside_community', { zh: `该边界超出了社区 ${grid.parent_code} 的范围。`, en: `The polygon lies outside community ${grid.parent_code}'s extent.` });
  }
  // Overlaps with neighbours of the same kind are allowed (the neighbour is usually edited next) but reported.
  const neighbours = await db.query<{ code: string; geometry: AreaGeometry }>(
    `SELECT r.code, p.geometry FROM region r JOIN grid_polygon p ON p.region_code = r.code AND p.valid_to IS NULL
     WHERE r.parent_code = $1 AND r.code <> $2 AND r.kind = $3`, [grid.parent_code, code, grid.kind]);
  const overlapping = await geometryWorker.overlapping(geometry, neighbours);
  const now = deps.ctx.now();
  const version = await writing(db, async (tx) => {
    const version = await newVersion(tx, actor, code, geometry, now, { source: 'edit' }, undefined, input.expectedVersion, input.note);
    await refreshLayerMappings(tx, [code], []);
    await appendEvent(tx, { topic: 'grid.changed', regionCode: grid.parent_code, payload: { kind: 'geometry', codes: [code], version } });
    await audit(tx, actor, 'grid.geometry', `grid:${code}`, code, { version, overlapping });
    return version;
  });
  await deps.reload();
  return {
    code, version, validFrom: now.toISOString(), areaM2: Math.round(areaM2(geometry)),
    warnings: overlapping.map((c) => ({ code: 'overlaps_neighbour', gridCode: c, message: `The new polygon overlaps grid ${c}.` })),
  };
}

// ---------------------------------------------------------------------------------------------
// Split and merge

async function validParts<T extends { geometry: unknown }>(parts: T[], path: string): Promise<Array<T & { shape: AreaGeometry }>> {
  const errors: FeatureError[] = [];
  const out: Array<T & { shape: AreaGeometry }> = [];
  const checked = await geometryWorker.validateMany(parts.map((p, i) => ({ input: p.geometry, path: `${path}.${i}.geometry` })));
  parts.forEach((p, i) => {
    const v = checked[i];
    if (v.ok) out.push({ ...p, shape: v.geometry });
    else errors.push(...featureErrors(i, null, v.problems));
  });
  // parts are counted from 1, as the console lists them (第 1 部分); `errors` keeps the array index for tools
  if (errors.length) throw unprocessable('invalid_geometry', { zh: `第 ${errors[0].index + 1} 部分的边界无效。`, en: `Part ${errors[0].index + 1}: ${errors[0].message}.` }, { errors });
  return out;
}

/** New 14-digit codes after the highest number the community has ever used (retired numbers are never reused). */
async function allocateCodes(tx: Queryable, community: string, n: number): Promise<string[]> {
  const [row] = await tx.query<{ top: number | null }>(
    `SELECT max(substr(code, 13, 2)::int) AS top FROM region WHERE parent_code = $1 AND level = 'grid' AND code ~ '^[0-9]{14}$'`, [community]);
  const first = Number(row?.top ?? 0) + 1;
  if (first + n - 1 > 99) throw conflict('grid_numbers_exhausted', { zh: `社区 ${community} 已没有可用的网格编号（01–99）。`, en: `Community ${community} has no free grid numbers left (01–99).` });
  return Array.from({ length: n }, (_, i) => community + String(first + i).padStart(2, '0'));
}

/** Integer shares of total proportional to weights (largest remainder). */
function shareOut(total: number, weights: number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (sum > 0 ? (total * w) / sum : total / weights.length));
  const out = exact.map(Math.floor);
  let left = total - out.reduce((s, v) => s + v, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k++, left--) out[order[k % order.length][1]]++;
  return out;
}

/** Active grid staff (网格员, 网格长 …) per grid, after a change carried them: a new grid with none needs someone assigned. */
async function staffCounts(q: Queryable, codes: string[]): Promise<Map<string, number>> {
  const rows = await q.query<{ region_code: string; n: number }>(
    'SELECT region_code, count(*)::int AS n FROM grid_staff WHERE region_code = ANY($1::text[]) AND ended_at IS NULL GROUP BY region_code', [codes]);
  return new Map(rows.map((r) => [r.region_code, Number(r.n)]));
}

async function accountsOn(q: Queryable, codes: string[]) {
  const rows = await q.query<{ id: number; username: string; display_name: string | null }>(
    'SELECT id, username, display_name FROM app_user WHERE region_code = ANY($1::text[]) AND active ORDER BY username', [codes]);
  // named as a person reads them: the display name with the username
  return rows.map((r) => ({ id: Number(r.id), username: r.username, displayName: r.display_name ?? null }));
}

/** Ends the current versions of grids checked outside the transaction; 409 when one changed meanwhile. */
async function retire(tx: Queryable, grids: Array<{ code: string; version: number }>, now: Date): Promise<void> {
  const codes = grids.map((g) => g.code);
  const closed = await tx.query<{ region_code: string; version: number }>(
    'UPDATE grid_polygon SET valid_to = $2 WHERE region_code = ANY($1::text[]) AND valid_to IS NULL RETURNING region_code, version', [codes, now]);
  const seen = new Map(closed.map((r) => [r.region_code, r.version]));
  if (grids.some((g) => seen.get(g.code) !== g.version)) {
    throw conflict('version_conflict', { zh: `其中一个网格已被修改，请刷新后重试。`, en: 'One of the grids changed meanwhile; reload it and try again.' });
  }
  await tx.query('UPDATE region SET retired_at = $2 WHERE code = ANY($1::text[])', [codes, now]);
}

/**
 * Splits a grid into parts that tile it: each part lies inside the grid (within 1 m), parts do not
 * overlap, and together they cover its area (±1 %). The parts get new codes in the same community;
 * the grid is retired. Households are shared by area unless given.
 */
export async function splitGrid(deps: GridDeps, actor: Actor, code: string, input: SplitBodyT) {
  assertCan(actor, 'grid.write');
  const { db } = deps.ctx;
  const grid = await currentGrid(db, actor, code);
  const parts = await validParts(input.parts, 'parts');
  const problem = await geometryWorker.splitProblem(grid.geometry, parts.map((p) => p.shape), TOLERANCE_M);
  if (problem?.reason === 'part_outside_grid') {
    // counted from 1 and named as the console shows them (第 1 部分, the grid's name), not array indexes and codes
    throw unprocessable('part_outside_grid', { zh: `第 ${problem.index + 1} 部分超出了网格「${grid.name}」的范围。`, en: `Part ${problem.index + 1} reaches outside grid ${grid.name} (${code}).` }, { index: problem.index });
  }
  if (problem?.reason === 'parts_overlap') {
    throw unprocessable('parts_overlap', { zh: `第 ${problem.indexes[0] + 1} 部分与第 ${problem.indexes[1] + 1} 部分重叠。`, en: `Parts ${problem.indexes[0] + 1} and ${problem.indexes[1] + 1} overlap.` }, { indexes: problem.indexes });
  }
  const areas = parts.map((p) => areaM2(p.shape));
  const whole = areaM2(grid.geometry);
  const sum = areas.reduce((s, a) => s + a, 0);
  if (Math.abs(sum - whole) > AREA_TOLERANCE * whole) {
    throw unprocessable('parts_do_not_cover', { zh: `拆分后各部分面积合计 ${Math.round(sum)} 平方米，网格面积为 ${Math.round(whole)} 平方米，各部分须恰好覆盖整个网格。`, en: `The parts cover ${Math.round(sum)} m² of the grid's ${Math.round(whole)} m²; they must tile it.` });
  }
  const now = deps.ctx.now();
  const community = grid.parent_code;
  const out = await writing(db, async (tx) => {
    await lockCommunities(tx, [community]);
    const codes = await allocateCodes(tx, community, parts.length);
    await retire(tx, [grid], now);
    const [count] = await tx.query<{ households: number }>('SELECT households FROM grid_household_count WHERE region_code = $1', [code]);
    const byArea = count ? shareOut(Number(count.households), areas) : null;
    const shares = parts.map((p, i) => p.households ?? byArea?.[i] ?? null);
    const [profile] = await tx.query<{ dedicated_type: string | null }>('SELECT dedicated_type FROM grid_profile WHERE region_code = $1', [code]);
    for (let i = 0; i < parts.length; i++) {
      await insertGrid(tx, codes[i], { name: parts[i].name, shortName: parts[i].shortName, kind: grid.kind }, parts[i].shape, now);
      if (shares[i] != null) await setCount(tx, codes[i], shares[i]!, parts[i].households !== undefined ? 'manual' : 'split', now);
      if (profile) await setProfile(tx, codes[i], profile.dedicated_type, now);
    }
    const [change] = await tx.query<{ id: number }>(
      `INSERT INTO grid_change (kind, region_code, from_codes, to_codes, actor_id, at, note, detail) VALUES ('split', $1, $2, $3, $4, $5, $6, $7::jsonb) RETURNING id`,
      [community, [code], codes, actor.id, now, input.note ?? null, JSON.stringify({ fromVersion: grid.version, areasM2: areas.map(Math.round) })]);
    await refreshLayerMappings(tx, codes, [code]);
    // the people and records of the grid go with it, each to the part where it lies
    const to = codes.map((c, i) => ({ code: c, geometry: parts[i].shape }));
    const carried = await carryAll(tx, community, { changeId: Number(change.id), kind: 'split', from: [code], to, place: placer(to), at: now }, deps.carriers ?? []);
    await appendEvent(tx, { topic: 'grid.changed', regionCode: community, payload: { kind: 'split', from: [code], to: codes } });
    await audit(tx, actor, 'grid.split', `grid:${code}`, code, { to: codes, carried });
    return { codes, changeId: Number(change.id), shares, carried, staff: await staffCounts(tx, codes) };
  });
  await deps.reload();
  forgetMovedActors(out.carried.users);
  // what each new grid holds now: a grid with key persons and nobody to follow them up must be staffed first
  const loads = await gridLoads(db, deps.carriers ?? [], out.codes, now);
  return {
    changeId: out.changeId, retired: [code], retiredAt: now.toISOString(),
    created: out.codes.map((c, i) => ({
      code: c, name: parts[i].name, version: 1, areaM2: Math.round(areas[i]), households: out.shares[i], staff: out.staff.get(c) ?? 0,
      keyPersons: loads.get(c)!.keyPersons, overdueFollowUps: loads.get(c)!.overdueFollowUps,
    })),
    carried: out.carried.moved, toReview: out.carried.review,
    accountsOnRetiredGrids: await accountsOn(db, [code]),
  };
}

/**
 * Merges grids of one community and kind into a new grid. Without a geometry the union of the grids
 * is computed (they must share edges); a given geometry must lie on them and match their total area.
 */
export async function mergeGrids(deps: GridDeps, actor: Actor, input: MergeBodyT) {
  assertCan(actor, 'grid.write');
  const { db } = deps.ctx;
  const grids: Array<Awaited<ReturnType<typeof currentGrid>>> = [];
  for (const code of input.codes) grids.push(await currentGrid(db, actor, code));
  const community = grids[0].parent_code;
  if (grids.some((g) => g.parent_code !== community)) throw unprocessable('different_communities', { zh: `只能合并同一社区的网格（网格不跨社区）。`, en: 'Only grids of the same community can be merged (grids never cross community boundaries).' });
  if (grids.some((g) => g.kind !== grids[0].kind)) throw unprocessable('different_kinds', { zh: `综合网格与专属网格不能相互合并。`, en: 'Comprehensive and dedicated grids cannot be merged with each other.' });
  const total = grids.reduce((s, g) => s + areaM2(g.geometry), 0);
  let geometry: AreaGeometry;
  if (input.geometry) {
    const v = await geometryWorker.validate(input.geometry, 'geometry');
    if (!v.ok) throw unprocessable('invalid_geometry', { zh: `边界无效：${v.problems[0].message}。`, en: `The geometry is invalid: ${v.problems[0].message}.` }, { errors: v.problems });
    geometry = v.geometry;
    if (!(await geometryWorker.liesOn(geometry, grids.map((g) => g.geometry), TOLERANCE_M))) {
      throw unprocessable('geometry_outside_grids', { zh: `合并后的边界超出了被合并网格的范围。`, en: 'The merged geometry reaches outside the grids being merged.' });
    }
    if (Math.abs(areaM2(geometry) - total) > AREA_TOLERANCE * total) {
      throw unprocessable('geometry_area_mismatch', { zh: `合并后的边界面积为 ${Math.round(areaM2(geometry))} 平方米，而被合并网格合计 ${Math.round(total)} 平方米。`, en: `The merged geometry covers ${Math.round(areaM2(geometry))} m², the grids ${Math.round(total)} m².` });
    }
  } else {
    const union = await geometryWorker.union(grids.map((g) => g.geometry));
    if (!union) throw unprocessable('grids_not_adjacent', { zh: `这些网格没有通过共用边连成一片，请明确提供合并后的边界。`, en: 'The grids do not form one connected piece with shared edges; give the merged geometry explicitly.' });
    geometry = union;
  }
  const codesIn = grids.map((g) => g.code);
  const now = deps.ctx.now();
  const out = await writing(db, async (tx) => {
    await lockCommunities(tx, [community]);
    const [code] = await allocateCodes(tx, community, 1);
    await retire(tx, grids, now);
    await insertGrid(tx, code, { name: input.name, shortName: input.shortName, kind: grids[0].kind }, geometry, now);
    const counts = await tx.query<{ households: number }>('SELECT households FROM grid_household_count WHERE region_code = ANY($1::text[])', [codesIn]);
    const households = input.households ?? (counts.length ? counts.reduce((s, c) => s + Number(c.households), 0) : null);
    if (households != null) await setCount(tx, code, households, input.households !== undefined ? 'manual' : 'merge', now);
    const [profile] = await tx.query<{ dedicated_type: string | null }>('SELECT dedicated_type FROM grid_profile WHERE region_code = $1', [codesIn[0]]);
    if (profile) await setProfile(tx, code, profile.dedicated_type, now);
    const [change] = await tx.query<{ id: number }>(
      `INSERT INTO grid_change (kind, region_code, from_codes, to_codes, actor_id, at, note, detail) VALUES ('merge', $1, $2, $3, $4, $5, $6, $7::jsonb) RETURNING id`,
      [community, codesIn, [code], actor.id, now, input.note ?? null, JSON.stringify({ fromVersions: grids.map((g) => g.version), geometry: input.geometry ? 'given' : 'union' })]);
    await refreshLayerMappings(tx, [code], codesIn);
    // everything on the merged grids moves to the new one
    const to = [{ code, geometry }];
    const carried = await carryAll(tx, community, { changeId: Number(change.id), kind: 'merge', from: codesIn, to, place: placer(to), at: now }, deps.carriers ?? []);
    await appendEvent(tx, { topic: 'grid.changed', regionCode: community, payload: { kind: 'merge', from: codesIn, to: [code] } });
    await audit(tx, actor, 'grid.merge', `grid:${code}`, code, { from: codesIn, carried });
    return { code, changeId: Number(change.id), households, carried, staff: await staffCounts(tx, [code]) };
  });
  await deps.reload();
  forgetMovedActors(out.carried.users);
  const load = (await gridLoads(db, deps.carriers ?? [], [out.code], now)).get(out.code)!;
  return {
    changeId: out.changeId, retired: codesIn, retiredAt: now.toISOString(),
    created: [{
      code: out.code, name: input.name, version: 1, areaM2: Math.round(areaM2(geometry)), households: out.households, staff: out.staff.get(out.code) ?? 0,
      keyPersons: load.keyPersons, overdueFollowUps: load.overdueFollowUps,
    }],
    carried: out.carried.moved, toReview: out.carried.review,
    accountsOnRetiredGrids: await accountsOn(db, codesIn),
  };
}

export async function putHouseholds(deps: GridDeps, actor: Actor, code: string, input: { households: number; note?: string }) {
  assertCan(actor, 'grid.households');
  const { db } = deps.ctx;
  await currentGrid(db, actor, code);
  const now = deps.ctx.now();
  await db.transaction(async (tx) => {
    const [before] = await tx.query<{ households: number }>('SELECT households FROM grid_household_count WHERE region_code = $1 FOR UPDATE', [code]);
    await setCount(tx, code, input.households, 'manual', now);
    await audit(tx, actor, 'grid.households', `grid:${code}`, code, { from: before ? Number(before.households) : null, to: input.households, note: input.note ?? null });
  });
  return { code, households: input.households, source: 'manual', updatedAt: now.toISOString() };
}

