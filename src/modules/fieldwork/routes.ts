// The grid worker's day API: thin handlers over the use cases; every use case checks the policy and
// the region scope itself.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { route } from '../../platform/http/route.ts';
import { followUpsDue, followUpSchedule, householdsOf, searchResidents } from '../registry/index.ts';
import { notFound } from '../../platform/errors.ts';
import { regionScope } from '../../platform/scope.ts';
import { purposes, targets } from './checklists.ts';
import { assertCan, idempotencyKeyOf, type FieldworkDeps } from './common.ts';
import {
  FollowUpQuery, HouseholdQuery, IdParams, PatrolPoints, PatrolStart, PatrolStop, PlanCancel, PlanCreate, PlanListQuery, PlanPatch,
  ResidentQuery, VisitCase, VisitCreate, VisitListQuery,
} from './contracts.ts';
import { cancelPlan, createPlan, getPlan, listPlans, patchPlan, planAssignees } from './plans.ts';
import { addPoints, currentPatrol, getPatrolSession, startPatrol, stopPatrol } from './patrols.ts';
import { today } from './today.ts';
import { createFieldVisit, fileVisitCase, getFieldVisit, listFieldVisits } from './visits.ts';

const tags = ['fieldwork'];

function replayed<T extends object>(reply: FastifyReply, out: T & { replayed?: true }): T {
  if (out.replayed) reply.header('idempotent-replayed', 'true');
  const { replayed: _r, ...rest } = out;
  return rest as T;
}

export function fieldworkRoutes(app: FastifyInstance, deps: FieldworkDeps): void {
  route(app, { method: 'GET', url: '/api/v1/fieldwork/today', tags, summary: 'The day plan (今日) in due order: cases, own open reports, follow-ups, visits, the patrol target',
    handler: async ({ actor }) => today(deps, actor) });

  route(app, { method: 'GET', url: '/api/v1/fieldwork/residents', tags, summary: 'Find residents in your territory by full name, surname, address or ID number (masked)', query: ResidentQuery,
    handler: async ({ query, actor }) => {
      assertCan(actor, 'fieldwork.residents');
      if (query.region && !regionScope(actor).has(query.region)) throw notFound({ zh: `区划 ${query.region}`, en: `Region ${query.region}` });
      return searchResidents(deps.registry, actor, { q: query.q, regionCode: query.region });
    } });
  route(app, { method: 'GET', url: '/api/v1/fieldwork/households', tags, summary: 'Households of your grid with their members (masked), for visits', query: HouseholdQuery,
    handler: async ({ query, actor }) => {
      assertCan(actor, 'fieldwork.visit');
      if (query.region && !regionScope(actor).has(query.region)) throw notFound({ zh: `区划 ${query.region}`, en: `Region ${query.region}` });
      return { items: await householdsOf(deps.registry, actor, { regionCode: query.region ?? actor.regionCode, q: query.q, limit: 100 }) };
    } });
  route(app, { method: 'GET', url: '/api/v1/fieldwork/households/:id', tags, summary: 'One household with its members (masked)', params: IdParams,
    handler: async ({ params, actor }) => {
      assertCan(actor, 'fieldwork.visit');
      const [h] = await householdsOf(deps.registry, actor, { id: params.id });
      if (!h) throw notFound({ zh: `户 ${params.id}`, en: `Household ${params.id}` });
      return h;
    } });

  route(app, { method: 'GET', url: '/api/v1/fieldwork/follow-ups', tags, summary: 'Key-person follow-ups due (or overdue) under a region, by the follow-up schedule', query: FollowUpQuery,
    handler: async ({ query, actor }) => {
      assertCan(actor, 'fieldwork.followups');
      const region = query.region ?? actor.regionCode;
      if (!regionScope(actor).within(region)) throw notFound({ zh: `区划 ${region}`, en: `Region ${region}` });
      const items = await followUpsDue(deps.ctx.db, { regionPrefix: region, asOf: deps.ctx.now(), overdueOnly: query.overdue === 'true', withinDays: targets.followUpLookaheadDays });
      return { items, schedule: followUpSchedule() };
    } });

  route(app, { method: 'GET', url: '/api/v1/fieldwork/visit-purposes', tags, summary: 'Visit purposes and their checklists',
    handler: async ({ actor }) => { assertCan(actor, 'fieldwork.visit'); return { items: purposes }; } });
  route(app, { method: 'POST', url: '/api/v1/fieldwork/visits', tags, status: 201, summary: 'Record a visit to a registry household or persons; honours Idempotency-Key', body: VisitCreate,
    handler: async ({ body, actor, req, reply }) => replayed(reply, await createFieldVisit(deps, actor, body, idempotencyKeyOf(req.headers))) });
  route(app, { method: 'GET', url: '/api/v1/fieldwork/visits', tags, summary: 'Recent visits in your territory (yours with mine=true)', query: VisitListQuery,
    handler: async ({ query, actor }) => listFieldVisits(deps, actor, query) });
  route(app, { method: 'GET', url: '/api/v1/fieldwork/visits/:id', tags, summary: 'One visit with its household, checklist and case', params: IdParams,
    handler: async ({ params, actor }) => getFieldVisit(deps, actor, params.id) });
  route(app, { method: 'POST', url: '/api/v1/fieldwork/visits/:id/case', tags, status: 201, summary: '发现问题: file a case from the visit; honours Idempotency-Key', params: IdParams, body: VisitCase,
    handler: async ({ params, body, actor, req, reply }) => replayed(reply, await fileVisitCase(deps, actor, params.id, body, idempotencyKeyOf(req.headers))) });

  route(app, { method: 'POST', url: '/api/v1/fieldwork/plans', tags, status: 201, summary: 'Plan a visit (走访计划) to a registry household or persons on a day; the 网格长 may plan for field staff of the territory; honours Idempotency-Key', body: PlanCreate,
    handler: async ({ body, actor, req, reply }) => replayed(reply, await createPlan(deps, actor, body, idempotencyKeyOf(req.headers))) });
  route(app, { method: 'GET', url: '/api/v1/fieldwork/plans', tags, summary: 'Visit plans in your territory, by day (open ones unless status is given; yours with mine=true)', query: PlanListQuery,
    handler: async ({ query, actor }) => listPlans(deps, actor, query) });
  route(app, { method: 'GET', url: '/api/v1/fieldwork/plans/:id', tags, summary: 'One visit plan with its household and persons (masked)', params: IdParams,
    handler: async ({ params, actor }) => getPlan(deps, actor, params.id) });
  route(app, { method: 'PATCH', url: '/api/v1/fieldwork/plans/:id', tags, summary: 'Move an open plan to another day, change its purpose, note or worker', params: IdParams, body: PlanPatch,
    handler: async ({ params, body, actor }) => patchPlan(deps, actor, params.id, body) });
  route(app, { method: 'POST', url: '/api/v1/fieldwork/plans/:id/cancel', tags, summary: 'Cancel an open plan (it stays in the list as cancelled)', params: IdParams, body: PlanCancel,
    handler: async ({ params, body, actor }) => cancelPlan(deps, actor, params.id, body) });
  route(app, { method: 'GET', url: '/api/v1/fieldwork/plan-assignees', tags, summary: 'Field staff of your territory whom you may plan visits for (the 网格长)',
    handler: async ({ actor }) => planAssignees(deps, actor) });

  route(app, { method: 'POST', url: '/api/v1/fieldwork/patrols', tags, status: 201, summary: 'Start a patrol (or get the one already open)', body: PatrolStart,
    handler: async ({ body, actor }) => startPatrol(deps, actor, body) });
  route(app, { method: 'GET', url: '/api/v1/fieldwork/patrols/current', tags, summary: 'Your open patrol, or null',
    handler: async ({ actor }) => ({ patrol: await currentPatrol(deps, actor) }) });
  route(app, { method: 'GET', url: '/api/v1/fieldwork/patrols/:id', tags, summary: 'A patrol with its track, its grid and the grid cells it covered', params: IdParams,
    handler: async ({ params, actor }) => getPatrolSession(deps, actor, params.id) });
  route(app, { method: 'POST', url: '/api/v1/fieldwork/patrols/:id/points', tags, summary: 'Add GPS points to your open patrol (repeated points are dropped)', params: IdParams, body: PatrolPoints,
    handler: async ({ params, body, actor }) => addPoints(deps, actor, params.id, body) });
  route(app, { method: 'POST', url: '/api/v1/fieldwork/patrols/:id/stop', tags, summary: 'Stop your patrol: its track becomes a patrol record', params: IdParams, body: PatrolStop,
    handler: async ({ params, body, actor }) => stopPatrol(deps, actor, params.id, body) });
}
