// The regions module's public surface: the region tree (市-区-街道-社区-网格) and its codes, the point→grid
// index, the official division data for setting up a district, and grid management (网格管理, grids/:
// outlines and their versions, professional layers, grid staff and party members, patrols and visits).
// Other modules, the CLI and the seeds import only from here.
export { RegionService, type RegionView, type PlacedAddress } from './service.ts';
export { regionRoutes } from './routes.ts';
export {
  buildDivisionTree, cityCodeOf, districtsFor, existingRegionCodes, insertRegions, placeholderGridCode, regionCount,
  UnknownDivisionError, type RegionSeed,
} from './division-tree.ts';
export type { DivisionCounty } from './china-division-source.ts';
// places written by name (籍贯 in an import) → their GB/T 2260 code
export { divisionCodeOf } from './china-division-source.ts';
export { buildDemoRegions, DEMO_DISTRICT_CODE, type DemoRegion } from './demo-region-data.ts';
export {
  gridModule, gridPolicy, seedGridBase, demoHouseholds, tableHouseholds, type HouseholdSource, type GridDeps,
  addStaff, addPartyMember, addPartyService, checkIn, createPatrol, createVisit, moveVisits,
  StaffCreate, PartyMemberCreate, PartyServiceCreate, CheckIn, PatrolCreate, VisitCreate,
} from './grids/index.ts';
export { pointInPolygon, type Ring } from './grids/geometry.ts';
export { gridOutline, cellCoverage, countGridOutlines, type CellCoverage, type AreaGeometry, type Position } from './grids/index.ts';
export type { GridCarrier, CarryChange, CarryResult, CarryItem, GridLoad } from './grids/index.ts';
export { accountMoves } from './grids/index.ts';
// For participation: a resident who signed in by phone finds their 党员到网格报到 record and records their patrols.
export { partyMemberByPhoneHash, recordPartyPatrol, type PartyMembership, type PartyService } from './grids/party-reads.ts';
