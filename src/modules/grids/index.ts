// Grid management (网格管理): grid polygons and their lifecycle (import, versions, split, merge, history),
// dedicated grids, professional layers mapped onto comprehensive grids (多网合一), grid staff and party
// members (党员到网格报到), check-ins, patrols, household visits and 巡查覆盖率.
// This file is the module's public surface.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.ts';
import type { RegionService } from '../regions/service.ts';
import { gridRoutes } from './routes.ts';
import { tableHouseholds, type HouseholdSource } from './households.ts';
import type { GridDeps } from './grid-service.ts';

export { seedGridBase, demoHouseholds, tableHouseholds, type HouseholdSource } from './households.ts';
export type { GridDeps } from './grid-service.ts';

export interface GridModuleOptions {
  ctx: AppContext;
  regions: RegionService;
  /** The platform's reload(): re-reads grid polygons into the point → grid index. */
  reload: () => Promise<void>;
  /** Households per grid; defaults to the grid_household_count table. */
  households?: HouseholdSource;
}

export function gridModule(app: FastifyInstance, opts: GridModuleOptions): void {
  let lastReload = 0;
  const deps: GridDeps = {
    ctx: opts.ctx,
    regions: opts.regions,
    households: opts.households ?? tableHouseholds(opts.ctx.db),
    reload: async () => {
      lastReload = Date.now();
      await opts.reload();
    },
  };
  // Another API process changed grids: rebuild this process's index too (API processes are
  // stateless; the outbox reaches every process). Changes made here were reloaded already.
  opts.ctx.events.subscribe((e) => {
    if (e.topic === 'grid.changed' && new Date(e.createdAt).getTime() > lastReload) {
      lastReload = Date.now();
      opts.reload().catch((err) => opts.ctx.log.error({ err }, 'grid index reload failed'));
    }
  });
  gridRoutes(app, deps);
}
// Use cases and request schemas for callers inside the platform (the demo seed).
export { addStaff, addPartyMember, addPartyService } from './staff-service.ts';
export { checkIn, createPatrol, createVisit } from './patrol-service.ts';
export { StaffCreate, PartyMemberCreate, PartyServiceCreate, CheckIn, PatrolCreate, VisitCreate } from './contracts.ts';
export { gridPolicy } from './policy.ts';
