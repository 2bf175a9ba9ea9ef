// HTTP routes of grid management: thin handlers over the services. Who may call what is in policy.ts.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { route } from '../../../platform/http/route.ts';
import {
  CheckIn, FeatureCollection, GeometryPut, GridParams, HistoryQuery, HouseholdsPut, IdParams, ImportQuery, LayerCreate,
  LayerParams, ListQuery, MappingQuery, MergeBody, PartyMemberCreate, PartyServiceCreate, PatrolCreate, PeriodQuery,
  RevealBody, SplitBody, StaffCreate, StaffListQuery, StaffParams, VisitCreate,
} from './contracts.ts';
import { getGrid, gridHistory, importGrids, mergeGrids, putGeometry, putHouseholds, splitGrid, type GridDeps } from './grid-service.ts';
import { createLayer, layerCells, layerMapping, layersOfGrid, listLayers, putLayerCells } from './layer-service.ts';
import { addPartyMember, addPartyService, addStaff, endStaff, listStaff, revealStaffPhone } from './staff-service.ts';
import { checkIn, coverage, createPatrol, createVisit, getPatrol, listCheckIns, listPatrols, listVisits } from './patrol-service.ts';
import { idempotencyKeyOf } from './common.ts';
import { listReview, resolveReview } from './carry.ts';
import { ReviewParams, ReviewQuery, ReviewResolve } from './contracts.ts';

const replayed = <T extends { replayed?: true }>(reply: FastifyReply, out: T) => {
  if (out.replayed) reply.header('idempotent-replayed', 'true');
  const { replayed: _, ...rest } = out;
  return rest;
};

export function gridRoutes(app: FastifyInstance, deps: GridDeps): void {
  const tags = ['grids'];

  route(app, {
    method: 'POST', url: '/api/v1/grids/import', tags, status: 201,
    summary: 'Import grid polygons from a GeoJSON FeatureCollection (properties code, name, kind, dedicatedType?, households?); all or nothing, with a per-feature error list',
    query: ImportQuery, body: FeatureCollection,
    handler: async ({ query, body, actor }) => importGrids(deps, actor, body, query.mode),
  });
  route(app, {
    method: 'GET', url: '/api/v1/grids/coverage', tags,
    summary: '巡查覆盖率 per grid: distinct households visited ÷ households in the grid, over whole China-time days (default: this month)',
    query: PeriodQuery,
    handler: async ({ query, actor }) => coverage(deps, actor, query),
  });
  route(app, {
    method: 'POST', url: '/api/v1/grids/merge', tags, status: 201,
    summary: 'Merge grids of one community into a new grid (geometry computed from shared edges unless given); the old grids are retired',
    body: MergeBody,
    handler: async ({ body, actor }) => mergeGrids(deps, actor, body),
  });
  route(app, {
    method: 'GET', url: '/api/v1/grids/:code', tags,
    summary: 'One grid: current version, area, households, host grid (专属网格) or dedicated grids inside, geometry',
    params: GridParams,
    handler: async ({ params, actor }) => getGrid(deps, actor, params.code),
  });
  route(app, {
    method: 'PUT', url: '/api/v1/grids/:code/geometry', tags,
    summary: 'New geometry version for a grid (the old version ends now); overlaps with neighbours come back as warnings',
    params: GridParams, body: GeometryPut,
    handler: async ({ params, body, actor }) => putGeometry(deps, actor, params.code, body),
  });
  route(app, {
    method: 'POST', url: '/api/v1/grids/:code/split', tags, status: 201,
    summary: 'Split a grid into parts that tile it; the parts get new codes in the same community and the grid is retired',
    params: GridParams, body: SplitBody,
    handler: async ({ params, body, actor }) => splitGrid(deps, actor, params.code, body),
  });
  route(app, {
    method: 'GET', url: '/api/v1/grids/:code/history', tags,
    summary: 'Geometry versions with validity dates and the facts (created, geometry, split, merge) about a grid',
    params: GridParams, query: HistoryQuery,
    handler: async ({ params, query, actor }) => gridHistory(deps, actor, params.code, query.geometry ?? false),
  });
  route(app, {
    method: 'PUT', url: '/api/v1/grids/:code/households', tags,
    summary: 'Set the number of households in a grid (the denominator of 巡查覆盖率)',
    params: GridParams, body: HouseholdsPut,
    handler: async ({ params, body, actor }) => putHouseholds(deps, actor, params.code, body),
  });
  route(app, {
    method: 'GET', url: '/api/v1/grids/:code/layers', tags,
    summary: 'The professional grids (城管, 消防, 警务 …) a comprehensive grid belongs to (多网合一)',
    params: GridParams,
    handler: async ({ params, actor }) => layersOfGrid(deps, actor, params.code),
  });

  // Staff and party members
  route(app, {
    method: 'GET', url: '/api/v1/grids/:code/staff', tags,
    summary: 'Staff of a grid (网格长, 网格员, 网格警, 法律顾问 …) and party members registered to it, phones masked',
    params: GridParams, query: StaffListQuery,
    handler: async ({ params, query, actor }) => listStaff(deps, actor, params.code, query.includeEnded ?? false),
  });
  route(app, {
    method: 'POST', url: '/api/v1/grids/:code/staff', tags, status: 201,
    summary: 'Assign a person to a grid: an account (userId) or a name, with an optional phone (stored encrypted)',
    params: GridParams, body: StaffCreate,
    handler: async ({ params, body, actor }) => addStaff(deps, actor, params.code, body),
  });
  route(app, {
    method: 'POST', url: '/api/v1/grids/:code/staff/:id/end', tags,
    summary: 'End a staff assignment (kept in the history)',
    params: StaffParams,
    handler: async ({ params, actor }) => endStaff(deps, actor, params.code, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/v1/grids/:code/staff/:id/reveal', tags,
    summary: 'Reveal a staff member’s phone number for a stated purpose (audited)',
    params: StaffParams, body: RevealBody,
    handler: async ({ params, body, actor }) => revealStaffPhone(deps, actor, params.code, params.id, body.purpose),
  });
  route(app, {
    method: 'POST', url: '/api/v1/grids/:code/party-members', tags, status: 201,
    summary: '党员到网格报到: register a party member to a grid',
    params: GridParams, body: PartyMemberCreate,
    handler: async ({ params, body, actor }) => addPartyMember(deps, actor, params.code, body),
  });
  route(app, {
    method: 'POST', url: '/api/v1/grids/:code/party-members/:id/services', tags, status: 201,
    summary: 'Record a service a registered party member rendered in the grid',
    params: StaffParams, body: PartyServiceCreate,
    handler: async ({ params, body, actor }) => addPartyService(deps, actor, params.code, params.id, body),
  });

  // Layers (多网合一)
  const layerTags = ['grid layers'];
  route(app, {
    method: 'GET', url: '/api/v1/grid-layers', tags: layerTags,
    summary: 'Professional grid layers in your region',
    handler: async ({ actor }) => listLayers(deps, actor),
  });
  route(app, {
    method: 'POST', url: '/api/v1/grid-layers', tags: layerTags, status: 201,
    summary: 'Create a professional grid layer (城管, 安监, 环保, 消防, 警务 …)',
    body: LayerCreate,
    handler: async ({ body, actor }) => createLayer(deps, actor, body),
  });
  route(app, {
    method: 'PUT', url: '/api/v1/grid-layers/:id/grids', tags: layerTags,
    summary: 'Replace a layer’s grids from GeoJSON (properties code, name, grids?); mapping to comprehensive grids is explicit or computed',
    params: LayerParams, body: FeatureCollection,
    handler: async ({ params, body, actor }) => putLayerCells(deps, actor, params.id, body),
  });
  route(app, {
    method: 'GET', url: '/api/v1/grid-layers/:id/grids', tags: layerTags,
    summary: 'A layer’s grids in your region as GeoJSON, each with the comprehensive grids it maps onto',
    params: LayerParams,
    handler: async ({ params, actor }) => layerCells(deps, actor, params.id),
  });
  route(app, {
    method: 'GET', url: '/api/v1/grid-layers/:id/mapping', tags: layerTags,
    summary: 'Layer grid → comprehensive grid mapping in your region',
    params: LayerParams, query: MappingQuery,
    handler: async ({ params, query, actor }) => layerMapping(deps, actor, params.id, query.grid),
  });

  // Patrols and visits
  const patrolTags = ['patrols'];
  route(app, {
    method: 'POST', url: '/api/v1/patrols/check-in', tags: patrolTags, status: 201,
    summary: 'Check in with your location: which grid, and whether it is inside your own grid; honours Idempotency-Key',
    body: CheckIn,
    handler: async ({ body, actor, req, reply }) => replayed(reply, await checkIn(deps, actor, body, idempotencyKeyOf(req.headers))),
  });
  route(app, {
    method: 'GET', url: '/api/v1/patrols/check-ins', tags: patrolTags,
    summary: 'Check-ins of the workers in your region over a period',
    query: ListQuery,
    handler: async ({ query, actor }) => listCheckIns(deps, actor, query),
  });
  route(app, {
    method: 'POST', url: '/api/v1/patrols', tags: patrolTags, status: 201,
    summary: 'Record a patrol: start, end, GPS track, notes; honours Idempotency-Key',
    body: PatrolCreate,
    handler: async ({ body, actor, req, reply }) => replayed(reply, await createPatrol(deps, actor, body, idempotencyKeyOf(req.headers))),
  });
  route(app, {
    method: 'GET', url: '/api/v1/patrols', tags: patrolTags,
    summary: 'Patrols in your region over a period (without tracks)',
    query: ListQuery,
    handler: async ({ query, actor }) => listPatrols(deps, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/v1/patrols/:id', tags: patrolTags, summary: 'One patrol with its track',
    params: IdParams,
    handler: async ({ params, actor }) => getPatrol(deps, actor, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/v1/visits', tags: patrolTags, status: 201,
    summary: 'Record a household visit (入户走访) by house or household reference; honours Idempotency-Key',
    body: VisitCreate,
    handler: async ({ body, actor, req, reply }) => replayed(reply, await createVisit(deps, actor, body, idempotencyKeyOf(req.headers))),
  });
  route(app, {
    method: 'GET', url: '/api/v1/visits', tags: patrolTags,
    summary: 'Household visits in your region over a period',
    query: ListQuery,
    handler: async ({ query, actor }) => listVisits(deps, actor, query),
  });
  // what a split could not place (carry.ts)
  route(app, {
    method: 'GET', url: '/api/v1/grid-reviews', tags,
    summary: 'Staff, accounts, party members and registry records a grid split could not place (open ones; open=false for all)',
    query: ReviewQuery,
    handler: async ({ query, actor }) => listReview(deps.ctx.db, actor, { region: query.region, open: query.open !== 'false' }),
  });
  route(app, {
    method: 'POST', url: '/api/v1/grid-reviews/:id/resolve', tags,
    summary: 'Place a review item on one of the grids that replaced its grid',
    params: ReviewParams, body: ReviewResolve,
    handler: async ({ params, body, actor }) => resolveReview(deps.ctx.db, actor, params.id, body.gridCode, deps.carriers ?? [], deps.ctx.now()),
  });
}
