// The grid worker's day (网格员的一天): 今日 in due order, visits to registry households with checklists,
// photos and location ("发现问题" files a case), patrols with their GPS track and grid coverage, and
// finding residents by name, surname, address or ID number. This file is the module's public surface.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.ts';
import type { CaseDeps } from '../cases/index.ts';
import { tableHouseholds, type RegionService } from '../regions/index.ts';
import { registryDeps } from '../registry/index.ts';
import type { FieldworkDeps } from './common.ts';
import { fieldworkRoutes } from './routes.ts';

export interface FieldworkOptions {
  ctx: AppContext;
  cases: CaseDeps;
  regions: RegionService;
  reload: () => Promise<void>;
}

export function fieldworkModule(app: FastifyInstance, opts: FieldworkOptions): FieldworkDeps {
  const deps: FieldworkDeps = {
    ctx: opts.ctx, cases: opts.cases, regions: opts.regions, registry: registryDeps(opts.ctx),
    grid: { ctx: opts.ctx, regions: opts.regions, reload: opts.reload, households: tableHouseholds(opts.ctx.db) },
  };
  fieldworkRoutes(app, deps);
  return deps;
}

export { fieldworkPolicy } from './policy.ts';
// Grid splits and merges carry open visit plans with their household or person (regions' GridCarrier).
export { visitPlanCarrier } from './carrier.ts';
export type { FieldworkDeps } from './common.ts';
export { today } from './today.ts';
export { createFieldVisit, fileVisitCase, fieldVisitPages } from './visits.ts';
export { startPatrol, addPoints, stopPatrol } from './patrols.ts';
export { VisitCreate, VisitCase, PatrolPoints, PatrolStart, PatrolStop } from './contracts.ts';
