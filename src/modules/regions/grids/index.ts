// Grid management (网格管理): grid polygons and their lifecycle (import, versions, split, merge, history),
// dedicated grids, professional layers mapped onto comprehensive grids (多网合一), grid staff and party
// members (党员到网格报到), check-ins, patrols, household visits and 巡查覆盖率.
// This file is the module's public surface.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../platform/context.ts';
import type { RegionService } from '../service.ts';
import { gridRoutes } from './routes.ts';
import { tableHouseholds, type HouseholdSource } from './households.ts';
import type { GridDeps } from './grid-service.ts';
import type { GridCarrier } from './carry.ts';

export { seedGridBase, demoHouseholds, tableHouseholds, type HouseholdSource } from './households.ts';
export type { GridDeps } from './grid-service.ts';

export interface GridModuleOptions {
  ctx: AppContext;
  regions: RegionService;
  /** The platform's reload(): re-reads grid polygons into the point → grid index. */
  reload: () => Promise<void>;
  /** Households per grid; defaults to the grid_household_count table. */
  households?: HouseholdSource;
  /** Other modules' records that move with a split or merge (the registry's). */
  carriers?: GridCarrier[];
  /** What a visit's house or household reference names (the registry's records by address), for the visit list. */
  refNames?: (refs: string[]) => Promise<Map<string, string>>;
  /** The fieldwork visit of each household_visit id (the fieldwork module's fieldVisitPages), so the list links its page. */
  visitPages?: (gridVisitIds: number[]) => Promise<Map<number, number>>;
}

export function gridModule(app: FastifyInstance, opts: GridModuleOptions): void {
  const deps: GridDeps = {
    ctx: opts.ctx,
    regions: opts.regions,
    households: opts.households ?? tableHouseholds(opts.ctx.db),
    reload: opts.reload,
    carriers: opts.carriers ?? [],
    refNames: opts.refNames,
    visitPages: opts.visitPages,
  };
  // Every process rebuilds its point → grid index from grid.changed events, whichever process changed
  // the grids (API processes are stateless). The hub delivers every event in commit order; events that
  // expired before this process read them arrive as a gap, after which the index is rebuilt all the same.
  // Changes made in this process were reloaded at once already (read-your-writes); the event reloads again.
  const reload = coalesced(() => opts.reload().catch((err) => opts.ctx.log.error({ err }, 'grid index reload failed')));
  opts.ctx.events.subscribe({
    onEvent: (e) => { if (e.topic === 'grid.changed') reload(); },
    onGap: () => reload(),
  });
  gridRoutes(app, deps);
}

/** Runs fn; calls while it runs make one more run after it, so a burst of events costs at most two. */
function coalesced(fn: () => Promise<unknown>): () => void {
  let running = false;
  let again = false;
  const run = (): void => {
    if (running) { again = true; return; }
    running = true;
    void fn().finally(() => {
      running = false;
      if (again) { again = false; run(); }
    });
  };
  return run;
}

// Use cases and request schemas for callers inside the platform (the demo seed).
export { addStaff, addPartyMember, addPartyService } from './staff-service.ts';
export { checkIn, createPatrol, createVisit, moveVisits } from './patrol-service.ts';
export { StaffCreate, PartyMemberCreate, PartyServiceCreate, CheckIn, PatrolCreate, VisitCreate } from './contracts.ts';
export { gridPolicy } from './policy.ts';
// Patrol coverage of a grid by cells (the fieldwork module's patrols).
export { gridOutline, cellCoverage, countGridOutlines, type CellCoverage } from './cells.ts';
export type { AreaGeometry, Position } from './geometry.ts';
export type { GridCarrier, CarryChange, CarryResult, CarryItem, GridLoad } from './carry.ts';
// The grid changes that moved an account (the worker's 今日 tells them).
export { accountMoves } from './carry.ts';
