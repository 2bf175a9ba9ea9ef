// Professional grid layers (专业网格: 城管, 安监, 环保, 消防, 警务 …) and their mapping onto comprehensive
// grids (多网合一). A layer grid maps onto the comprehensive grids given explicitly, or else onto those
// it overlaps by label points: the grid's interior point lies in the layer grid, or the layer grid's
// interior point lies in the grid. Mappings are recomputed whenever comprehensive grids change.
import type { Queryable } from '../../../platform/db/index.ts';
import type { Actor } from '../../../platform/auth/actor.ts';
import { AppError, conflict, notFound, unprocessable } from '../../../platform/errors.ts';
import { appendEvent } from '../../../platform/events/index.ts';
import { regionScope } from '../../../platform/scope.ts';
import { assertCan, assertUnder, assertVisible, scopeLike } from './policy.ts';
import { audit, iso, isUniqueViolation } from './common.ts';
import { bboxOf, labelPoint, pointInGeometry, type AreaGeometry, type Position } from './geometry.ts';
import { geometryWorker } from './geometry-pool.ts';
import { LayerCellProps, type FeatureCollectionT, type LayerCellPropsT, type LayerCreateT } from './contracts.ts';
import type { FeatureError, GridDeps } from './grid-service.ts';

const layerView = (l: any) => ({
  id: l.id, kind: l.kind, name: l.name, regionCode: l.region_code, unitId: l.unit_id, unitName: l.unit_name ?? null,
  cells: l.cells == null ? undefined : Number(l.cells), createdAt: iso(l.created_at),
});

async function loadLayer(q: Queryable, id: string) {
  const [l] = await q.query<any>('SELECT l.*, u.name AS unit_name FROM grid_layer l LEFT JOIN unit u ON u.id = l.unit_id WHERE l.id = $1', [id]);
  return l ?? null;
}

async function visibleLayer(q: Queryable, actor: Actor, id: string) {
  const l = await loadLayer(q, id);
  if (!l || !regionScope(actor).sees(l.region_code)) throw notFound({ zh: `网格图层 ${id}`, en: `Grid layer ${id}` });
  return l;
}

export async function listLayers(deps: GridDeps, actor: Actor) {
  assertCan(actor, 'grid.layer.read');
  const rows = await deps.ctx.db.query<any>(
    `SELECT l.*, u.name AS unit_name, (SELECT count(*) FROM grid_layer_cell c WHERE c.layer_id = l.id)::int AS cells
     FROM grid_layer l LEFT JOIN unit u ON u.id = l.unit_id
     WHERE l.region_code LIKE $1 OR $2 LIKE l.region_code || '%' ORDER BY l.id`, [scopeLike(actor.regionCode), actor.regionCode]);
  return { items: rows.map(layerView) };
}

export async function createLayer(deps: GridDeps, actor: Actor, input: LayerCreateT) {
  assertCan(actor, 'grid.layer.write');
  const { db } = deps.ctx;
  if (!regionScope(actor).within(input.regionCode)) throw new AppError(403, 'outside_scope', { zh: `区划 ${input.regionCode} 不在您管理的区域内。`, en: `Region ${input.regionCode} is outside the region you manage.` });
  const [region] = await db.query('SELECT code FROM region WHERE code = $1', [input.regionCode]);
  if (!region) throw unprocessable('unknown_region', { zh: `区划 ${input.regionCode} 不存在。`, en: `Region ${input.regionCode} does not exist.` });
  if (input.unitId) {
    const [u] = await db.query<{ region_code: string; active: boolean }>('SELECT region_code, active FROM unit WHERE id = $1', [input.unitId]);
    if (!u || !u.active || !regionScope(actor).sees(u.region_code)) throw unprocessable('unknown_unit', { zh: `单位 ${input.unitId} 不存在或已停用。`, en: `Unit ${input.unitId} does not exist or is inactive.` });
  }
  const now = deps.ctx.now();
  try {
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO grid_layer (id, kind, name, region_code, unit_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [input.id, input.kind, input.name, input.regionCode, input.unitId ?? null, actor.id, now]);
      await audit(tx, actor, 'grid_layer.create', `grid_layer:${input.id}`, input.regionCode, { kind: input.kind, name: input.name });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('layer_exists', { zh: `编码为 ${input.id} 的网格图层已存在。`, en: `A grid layer with id ${input.id} exists already.` });
    throw err;
  }
  return layerView({ ...(await loadLayer(db, input.id)), cells: 0 });
}

/** Replaces all grids of a layer from a GeoJSON FeatureCollection (properties code, name, grids?); all or nothing. */
export async function putLayerCells(deps: GridDeps, actor: Actor, id: string, body: FeatureCollectionT) {
  assertCan(actor, 'grid.layer.write');
  const { db } = deps.ctx;
  const layer = await loadLayer(db, id);
  if (!layer) throw notFound({ zh: `网格图层 ${id}`, en: `Grid layer ${id}` });
  assertUnder(actor, layer.region_code, { zh: `网格图层 ${id}`, en: `Grid layer ${id}` });
  const errors: FeatureError[] = [];
  const cells: Array<{ index: number; props: LayerCellPropsT; geometry: AreaGeometry }> = [];
  const seen = new Map<string, number>();
  // Professional grids can be larger than comprehensive ones (a police beat, an environmental zone).
  const checked = await geometryWorker.validateMany(body.features.map((f: any, index) => ({
    input: f?.geometry, path: `features.${index}.geometry`, opts: { maxSpanDegrees: 3 },
  })));
  body.features.forEach((f: any, index) => {
    if (typeof f !== 'object' || f === null || Array.isArray(f) || f.type !== 'Feature') {
      errors.push({ index, code: null, path: `features.${index}`, reason: 'not_a_feature', message: 'each item must be a GeoJSON Feature' });
      return;
    }
    const code = typeof f.properties?.code === 'string' ? f.properties.code.slice(0, 40) : null;
    const props = LayerCellProps.safeParse(f.properties ?? {});
    if (!props.success) {
      for (const issue of props.error.issues.slice(0, 5)) {
        errors.push({ index, code, path: ['features', index, 'properties', ...issue.path.map(String)].join('.'), reason: 'invalid_property', message: issue.message });
      }
    } else if (seen.has(props.data.code)) {
      errors.push({ index, code, path: `features.${index}.properties.code`, reason: 'duplicate_code', message: `code ${props.data.code} is also used by feature ${seen.get(props.data.code)}` });
    } else seen.set(props.data.code, index);
    const g = checked[index];
    if (!g.ok) errors.push(...g.problems.map((p) => ({ index, code, path: p.path, reason: p.reason, message: p.message })));
    if (props.success && g.ok) cells.push({ index, props: props.data, geometry: g.geometry });
  });
  const named = [...new Set(cells.flatMap((c) => c.props.grids ?? []))];
  if (named.length) {
    const outside = named.filter((g) => !g.startsWith(layer.region_code) || !regionScope(actor).within(g));
    if (outside.length) throw new AppError(403, 'outside_scope', { zh: `网格 ${outside.slice(0, 10).join('、')} 不在该图层的区域或您的管理区域内。`, en: `Grids ${outside.slice(0, 10).join(', ')} lie outside the layer's region or yours.` });
    const current = new Set((await db.query<{ code: string }>(
      `SELECT r.code FROM region r JOIN grid_polygon p ON p.region_code = r.code AND p.valid_to IS NULL
       WHERE r.code = ANY($1::text[]) AND r.kind = 'comprehensive'`, [named])).map((r) => r.code));
    for (const c of cells) {
      for (const g of c.props.grids ?? []) {
        if (!current.has(g)) errors.push({ index: c.index, code: c.props.code, path: `features.${c.index}.properties.grids`, reason: 'unknown_grid', message: `${g} is not a current comprehensive grid` });
      }
    }
  }
  if (errors.length) {
    errors.sort((a, b) => a.index - b.index);
    const bad = new Set(errors.map((e) => e.index)).size;
    throw unprocessable('invalid_features', { zh: `${body.features.length} 个要素中有 ${bad} 个无效，未导入任何数据。`, en: `${bad} of ${body.features.length} features are invalid; nothing was imported.` }, { errors: errors.slice(0, 200), invalidCount: bad });
  }
  const now = deps.ctx.now();
  const mapped = await db.transaction(async (tx) => {
    await tx.query('SELECT id FROM grid_layer WHERE id = $1 FOR UPDATE', [id]);
    await tx.query('DELETE FROM grid_layer_cell WHERE layer_id = $1', [id]);
    for (const c of cells) {
      await tx.query('INSERT INTO grid_layer_cell (layer_id, code, name, region_code, geometry, updated_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6)',
        [id, c.props.code, c.props.name, layer.region_code, JSON.stringify(c.geometry), now]);
      for (const g of c.props.grids ?? []) {
        await tx.query(`INSERT INTO grid_layer_map (layer_id, cell_code, grid_code, source) VALUES ($1, $2, $3, 'explicit')`, [id, c.props.code, g]);
      }
    }
    const mapped = await recomputeLayer(tx, { id, region_code: layer.region_code });
    await tx.query(`INSERT INTO grid_change (kind, region_code, actor_id, at, detail) VALUES ('layer_import', $1, $2, $3, $4::jsonb)`,
      [layer.region_code, actor.id, now, JSON.stringify({ layer: id, cells: cells.length, mappings: mapped })]);
    await appendEvent(tx, { topic: 'grid_layer.changed', regionCode: layer.region_code, payload: { layer: id, cells: cells.length } });
    await audit(tx, actor, 'grid_layer.import', `grid_layer:${id}`, layer.region_code, { cells: cells.length, mappings: mapped });
    return mapped;
  });
  return { layer: id, cells: cells.length, mappings: mapped };
}

/** SQL: the layer grid is in the actor's scope by its region or by a comprehensive grid it maps onto. */
const cellVisibleSql = (alias: string, p: string) =>
  `(${alias}.region_code LIKE ${p} OR EXISTS (SELECT 1 FROM grid_layer_map vm WHERE vm.layer_id = ${alias}.layer_id AND vm.cell_code = ${alias}.code AND vm.grid_code LIKE ${p}))`;

export async function layerCells(deps: GridDeps, actor: Actor, id: string) {
  assertCan(actor, 'grid.layer.read');
  const { db } = deps.ctx;
  const layer = await visibleLayer(db, actor, id);
  const like = scopeLike(actor.regionCode);
  const rows = await db.query<any>(
    `SELECT c.code, c.name, c.region_code, c.geometry,
       coalesce((SELECT array_agg(m.grid_code ORDER BY m.grid_code) FROM grid_layer_map m
                 WHERE m.layer_id = c.layer_id AND m.cell_code = c.code AND m.grid_code LIKE $2), '{}') AS grids
     FROM grid_layer_cell c WHERE c.layer_id = $1 AND ${cellVisibleSql('c', '$2')} ORDER BY c.code LIMIT 20000`, [id, like]);
  return {
    type: 'FeatureCollection',
    layer: layerView(layer),
    features: rows.map((r) => ({
      type: 'Feature', id: r.code, geometry: r.geometry,
      properties: { code: r.code, name: r.name, layer: id, kind: layer.kind, regionCode: r.region_code, grids: r.grids },
    })),
  };
}

export async function layerMapping(deps: GridDeps, actor: Actor, id: string, grid?: string) {
  assertCan(actor, 'grid.layer.read');
  const { db } = deps.ctx;
  await visibleLayer(db, actor, id);
  const params: unknown[] = [id, scopeLike(actor.regionCode)];
  let where = 'm.layer_id = $1 AND m.grid_code LIKE $2';
  if (grid) { params.push(grid); where += ` AND m.grid_code = $${params.length}`; }
  const rows = await db.query<any>(
    `SELECT m.cell_code, c.name AS cell_name, m.grid_code, r.name AS grid_name, m.source
     FROM grid_layer_map m JOIN grid_layer_cell c ON c.layer_id = m.layer_id AND c.code = m.cell_code JOIN region r ON r.code = m.grid_code
     WHERE ${where} ORDER BY m.cell_code, m.grid_code LIMIT 50000`, params);
  return { layer: id, items: rows.map((r) => ({ cellCode: r.cell_code, cellName: r.cell_name, gridCode: r.grid_code, gridName: r.grid_name, source: r.source })) };
}

/** Every professional grid a comprehensive grid belongs to (多网合一 seen from the grid). */
export async function layersOfGrid(deps: GridDeps, actor: Actor, code: string) {
  assertCan(actor, 'grid.read');
  assertVisible(actor, code, { zh: `网格 ${code}`, en: `Grid ${code}` });
  const { db } = deps.ctx;
  const [g] = await db.query('SELECT code FROM region WHERE code = $1 AND level = $2', [code, 'grid']);
  if (!g) throw notFound({ zh: `网格 ${code}`, en: `Grid ${code}` });
  const rows = await db.query<any>(
    `SELECT l.id, l.kind, l.name, l.unit_id, c.code AS cell_code, c.name AS cell_name, m.source
     FROM grid_layer_map m JOIN grid_layer l ON l.id = m.layer_id JOIN grid_layer_cell c ON c.layer_id = m.layer_id AND c.code = m.cell_code
     WHERE m.grid_code = $1 ORDER BY l.kind, l.id, c.code`, [code]);
  return {
    gridCode: code,
    items: rows.map((r) => ({ layerId: r.id, layerKind: r.kind, layerName: r.name, unitId: r.unit_id, cellCode: r.cell_code, cellName: r.cell_name, source: r.source })),
  };
}

// ---------------------------------------------------------------------------------------------
// Mapping computation

/** Recomputes the mappings of every layer whose region covers one of the changed grids. */
export async function refreshLayerMappings(tx: Queryable, changed: string[], retired: string[]): Promise<void> {
  const codes = [...changed, ...retired];
  if (!codes.length) return;
  const layers = await tx.query<{ id: string; region_code: string }>(
    `SELECT id, region_code FROM grid_layer l WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) AS c(code) WHERE c.code LIKE l.region_code || '%')
     ORDER BY id`, [codes]);
  for (const layer of layers) await recomputeLayer(tx, layer);
}

interface Shaped { code: string; geometry: AreaGeometry; box: [number, number, number, number]; point: Position }
const shaped = (code: string, geometry: AreaGeometry): Shaped => ({ code, geometry, box: bboxOf(geometry), point: labelPoint(geometry) });
const inBox = (b: [number, number, number, number], p: Position) => p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3];

/** True when a layer grid and a comprehensive grid overlap by their interior points. */
export function layerGridCovers(cell: Shaped, grid: Shaped): boolean {
  return (inBox(cell.box, grid.point) && pointInGeometry(cell.geometry, grid.point))
    || (inBox(grid.box, cell.point) && pointInGeometry(grid.geometry, cell.point));
}

/**
 * Rewrites a layer's mapping: explicit mappings to current grids stay; a layer grid without explicit
 * mappings, or whose explicit grids were retired, gets the computed ones. Each layer grid's
 * region_code becomes the common prefix of its grids. Returns the number of mappings.
 */
async function recomputeLayer(tx: Queryable, layer: { id: string; region_code: string }): Promise<number> {
  const cells = await tx.query<{ code: string; geometry: AreaGeometry }>('SELECT code, geometry FROM grid_layer_cell WHERE layer_id = $1', [layer.id]);
  if (!cells.length) return 0;
  const explicit = await tx.query<{ cell_code: string; grid_code: string }>(
    `SELECT cell_code, grid_code FROM grid_layer_map WHERE layer_id = $1 AND source = 'explicit'`, [layer.id]);
  const grids = (await tx.query<{ code: string; geometry: AreaGeometry }>(
    `SELECT r.code, p.geometry FROM region r JOIN grid_polygon p ON p.region_code = r.code AND p.valid_to IS NULL
     WHERE r.code LIKE $1 AND r.level = 'grid' AND r.kind = 'comprehensive'`, [`${layer.region_code}%`])).map((g) => shaped(g.code, g.geometry));
  const current = new Set(grids.map((g) => g.code));
  const explicitBy = new Map<string, string[]>();
  for (const e of explicit) explicitBy.set(e.cell_code, [...(explicitBy.get(e.cell_code) ?? []), e.grid_code]);
  const rows: Array<[string, string, string]> = [];
  const regions: Array<[string, string]> = [];
  for (const cell of cells) {
    const given = explicitBy.get(cell.code) ?? [];
    const kept = given.filter((g) => current.has(g));
    const mapping = new Map<string, string>(kept.map((g) => [g, 'explicit']));
    if (!kept.length || kept.length < given.length) {
      const s = shaped(cell.code, cell.geometry);
      for (const g of grids) if (!mapping.has(g.code) && layerGridCovers(s, g)) mapping.set(g.code, 'computed');
    }
    for (const [g, source] of mapping) rows.push([cell.code, g, source]);
    regions.push([cell.code, mapping.size ? commonPrefix([...mapping.keys()]) : layer.region_code]);
  }
  await tx.query('DELETE FROM grid_layer_map WHERE layer_id = $1', [layer.id]);
  if (rows.length) {
    await tx.query(
      `INSERT INTO grid_layer_map (layer_id, cell_code, grid_code, source) SELECT $1, c, g, s FROM unnest($2::text[], $3::text[], $4::text[]) AS t(c, g, s)`,
      [layer.id, rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])]);
  }
  await tx.query(
    `UPDATE grid_layer_cell c SET region_code = t.r FROM unnest($2::text[], $3::text[]) AS t(code, r) WHERE c.layer_id = $1 AND c.code = t.code`,
    [layer.id, regions.map((r) => r[0]), regions.map((r) => r[1])]);
  return rows.length;
}

/** The deepest region code (grid 14, community 12, street 9, district 6 …) that all codes lie under. */
function commonPrefix(codes: string[]): string {
  let p = codes[0];
  for (const c of codes) while (!c.startsWith(p)) p = p.slice(0, -1);
  const level = [14, 12, 9, 6, 4, 2].find((n) => n <= p.length) ?? 0;
  return p.slice(0, level);
}
