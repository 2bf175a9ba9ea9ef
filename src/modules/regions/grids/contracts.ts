// Request schemas of the grid API and their inferred types, side by side. Geometry is checked twice:
// its outline here (so the OpenAPI document shows it), its content by validateAreaGeometry.
import { z } from 'zod';

import { line as name, prose } from '../../../platform/http/text.ts';

export { name, prose };

/** GB/T 30428.1 unit-grid code: community (12 digits) + a 2-digit number 01–99. */
export const gridCode = z.string().regex(/^\d{12}(0[1-9]|[1-9]\d)$/, 'grid codes are 14 digits: the 12-digit community code and a number 01–99');
export const regionCode = z.string().regex(/^\d{2,16}$/, 'region codes are 2–16 digits');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a calendar date');
const instant = z.iso.datetime({ offset: true });
const lat = z.number().min(-90).max(90);
const lng = z.number().min(-180).max(180);
const phone = z.string().trim().regex(/^\+?[\d-]{5,20}$/, 'phone numbers are 5–20 digits');
const id = z.string().regex(/^\d{1,15}$/, 'ids are whole numbers').transform(Number);
const page = z.string().regex(/^\d{1,5}$/, 'expected a whole number').transform(Number).pipe(z.number().int().min(1).max(10_000));
const pageSize = z.string().regex(/^\d{1,3}$/, 'expected a whole number').transform(Number).pipe(z.number().int().min(1).max(500));
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const dedicatedTypes = ['school', 'hospital', 'industrial_park', 'park', 'government', 'enterprise', 'market', 'scenic', 'other'] as const;
export const gridKinds = ['comprehensive', 'dedicated'] as const;
export const layerKinds = ['urban_management', 'work_safety', 'environment', 'fire', 'police', 'market', 'emergency', 'other'] as const;
export const staffRoles = ['grid_leader', 'full_time', 'part_time', 'instructor', 'police', 'legal_adviser', 'building_leader', 'other'] as const;
export const visitResults = ['visited', 'not_home', 'refused', 'issue_found'] as const;

/** The outline of a GeoJSON Polygon/MultiPolygon; its content is validated by the geometry module. */
export const Geometry = z.object({
  type: z.enum(['Polygon', 'MultiPolygon']),
  coordinates: z.array(z.any()).min(1).max(10_000),
}).strict();

/** A GeoJSON FeatureCollection (RFC 7946). Foreign members such as `name` or `crs` are tolerated. */
export const FeatureCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.unknown()).min(1, 'give at least one feature').max(2000, 'at most 2,000 features per import'),
}).loose();
export type FeatureCollectionT = z.infer<typeof FeatureCollection>;

/** Properties of one grid feature; other attributes from GIS exports are ignored. */
export const GridFeatureProps = z.object({
  code: gridCode,
  name: name(100),
  shortName: name(50).optional(),
  /** comprehensive 综合网格 (default for new grids) or dedicated 专属网格; an upsert keeps the grid's kind unless given. */
  kind: z.enum(gridKinds).optional(),
  dedicatedType: z.enum(dedicatedTypes).optional(),
  households: z.number().int().min(0).max(100_000).optional(),
}).loose();
export type GridFeaturePropsT = z.infer<typeof GridFeatureProps>;

export const ImportQuery = z.object({
  /** create: every code must be new; upsert: existing current grids get a new geometry version. */
  mode: z.enum(['create', 'upsert']).default('create'),
}).strict();

export const GridParams = z.object({ code: gridCode }).strict();

export const GeometryPut = z.object({
  geometry: Geometry,
  /** The version being replaced; a different current version means someone else changed it (409). */
  expectedVersion: z.number().int().min(1).optional(),
  note: prose(500).optional(),
}).strict();
export type GeometryPutT = z.infer<typeof GeometryPut>;

const households = z.number().int().min(0).max(100_000);

export const SplitBody = z.object({
  parts: z.array(z.object({
    geometry: Geometry,
    name: name(100),
    shortName: name(50).optional(),
    households: households.optional(),
  }).strict()).min(2, 'a split needs at least two parts').max(20),
  note: prose(500).optional(),
}).strict();
export type SplitBodyT = z.infer<typeof SplitBody>;

export const MergeBody = z.object({
  codes: z.array(gridCode).min(2, 'a merge needs at least two grids').max(20),
  name: name(100),
  shortName: name(50).optional(),
  geometry: Geometry.optional(),
  households: households.optional(),
  note: prose(500).optional(),
}).strict().refine((b) => new Set(b.codes).size === b.codes.length, { message: 'the same grid is listed twice', path: ['codes'] });
export type MergeBodyT = z.infer<typeof MergeBody>;

export const HistoryQuery = z.object({ geometry: bool.optional() }).strict();

export const HouseholdsPut = z.object({ households, note: prose(200).optional() }).strict();

// ---------------------------------------------------------------------------------------------
// Layers (多网合一)

export const layerId = z.string().regex(/^[a-z][a-z0-9-]{1,47}$/, 'layer ids are 2–48 lower-case letters, digits or dashes, starting with a letter');

export const LayerCreate = z.object({
  id: layerId,
  kind: z.enum(layerKinds),
  name: name(100),
  regionCode,
  unitId: z.string().trim().min(1).max(64).regex(/^[\w.-]+$/, 'unit ids are letters, digits, dot, dash or underscore').optional(),
}).strict();
export type LayerCreateT = z.infer<typeof LayerCreate>;

export const LayerParams = z.object({ id: layerId }).strict();

export const LayerCellProps = z.object({
  code: z.string().trim().regex(/^[\w.-]{1,40}$/, 'layer grid codes are 1–40 letters, digits, dot, dash or underscore'),
  name: name(100),
  /** Comprehensive grids this layer grid maps onto; computed from the polygons when absent. */
  grids: z.array(gridCode).min(1).max(200).optional(),
}).loose();
export type LayerCellPropsT = z.infer<typeof LayerCellProps>;

export const MappingQuery = z.object({ grid: gridCode.optional() }).strict();

// ---------------------------------------------------------------------------------------------
// Staff and party members

export const StaffCreate = z.object({
  role: z.enum(staffRoles),
  /** An account the person logs in with; their name is taken from it unless given. */
  userId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  name: name(50).optional(),
  phone: phone.optional(),
  startedOn: day.optional(),
  note: prose(500).optional(),
}).strict().refine((s) => s.userId !== undefined || s.name !== undefined, { message: 'give the person’s account (userId) or name', path: ['name'] });
export type StaffCreateT = z.infer<typeof StaffCreate>;

export const StaffParams = z.object({ code: gridCode, id }).strict();
export const StaffListQuery = z.object({ includeEnded: bool.optional() }).strict();
export const RevealBody = z.object({ purpose: name(200).refine((s) => s.length >= 2, 'state the purpose') }).strict();

export const PartyMemberCreate = z.object({
  name: name(50),
  branch: name(100),
  workplace: name(100).optional(),
  phone: phone.optional(),
  registeredOn: day.optional(),
}).strict();
export type PartyMemberCreateT = z.infer<typeof PartyMemberCreate>;

export const PartyServiceCreate = z.object({
  servedOn: day,
  /** what the member did: a service (the default), or a patrol of the grid (党员巡逻) */
  kind: z.enum(['service', 'patrol']).optional(),
  hours: z.number().min(0).max(24).multipleOf(0.5).optional(),
  description: prose(500).pipe(z.string().min(1, 'describe the service')),
}).strict();
export type PartyServiceCreateT = z.infer<typeof PartyServiceCreate>;

// ---------------------------------------------------------------------------------------------
// Patrols and visits

/** GPS accuracy in metres, kept to the centimetre: the column is a float4, which cannot hold a value as small as 1e-300. */
const accuracyM = z.number().min(0).max(10_000).transform((m) => Math.round(m * 100) / 100);
export const CheckIn = z.object({ lat, lng, accuracy: accuracyM.optional() }).strict();
export type CheckInT = z.infer<typeof CheckIn>;

export const PatrolCreate = z.object({
  startedAt: instant,
  endedAt: instant,
  track: z.array(z.object({ lat, lng, at: instant }).strict()).max(5000, 'at most 5,000 track points'),
  note: prose(2000).optional(),
}).strict();
export type PatrolCreateT = z.infer<typeof PatrolCreate>;

export const VisitCreate = z.object({
  /** The house (房屋): an address like 3栋2单元501 or a registry id. */
  houseRef: name(100).optional(),
  /** The household (户): a name like 张三户 or a registry id. */
  householdRef: name(100).optional(),
  lat: lat.optional(),
  lng: lng.optional(),
  /** The grid, when there is no location; grid workers default to their own grid. */
  gridCode: gridCode.optional(),
  visitedAt: instant.optional(),
  result: z.enum(visitResults),
  note: prose(1000).optional(),
}).strict()
  .refine((v) => v.houseRef !== undefined || v.householdRef !== undefined, { message: 'give houseRef or householdRef', path: ['householdRef'] })
  .refine((v) => (v.lat === undefined) === (v.lng === undefined), { message: 'give both lat and lng, or neither', path: ['lng'] });
export type VisitCreateT = z.infer<typeof VisitCreate>;

export const PeriodQuery = z.object({
  region: regionCode.optional(),
  from: day.optional(),
  to: day.optional(),
}).strict();
export type PeriodQueryT = z.infer<typeof PeriodQuery>;

export const ListQuery = z.object({
  region: regionCode.optional(),
  from: day.optional(),
  to: day.optional(),
  /** The actor's own records wherever they lie now (a grid split moves visits to the successor grids). */
  mine: z.enum(['true', 'false']).optional(),
  page: page.default(1),
  pageSize: pageSize.default(50),
}).strict();
export type ListQueryT = z.infer<typeof ListQuery>;

export const IdParams = z.object({ id }).strict();

/** The review list of grid changes: what a split could not place. */
export const ReviewQuery = z.object({ region: regionCode.optional(), open: z.enum(['true', 'false']).optional() }).strict();
export const ReviewParams = z.object({ id: z.string().regex(/^[1-9]\d{0,15}$/, 'ids are whole numbers').transform(Number) }).strict();
export const ReviewResolve = z.object({ gridCode }).strict();
