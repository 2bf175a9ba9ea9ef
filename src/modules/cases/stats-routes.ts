// HTTP routes for the dashboard, the map layers and the duplicate warning: thin handlers over stats.ts.
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { route } from '../../platform/http/route.ts';
import type { CaseDeps } from './deps.ts';
import { casePoints, gridStats, overview, recentActivity, similarCases } from './stats.ts';

const region = z.string().regex(/^\d{2,16}$/, 'region codes are 2–16 digits');
/** A decimal number in a query string; unlike z.coerce, an empty value is an error rather than 0. */
const decimal = (min: number, max: number) => z.string().trim().regex(/^-?\d{1,3}(\.\d{1,20})?$/, 'expected a decimal number')
  .transform(Number).pipe(z.number().min(min).max(max));
const int = (min: number, max: number, dflt: number) => z.string().regex(/^\d{1,6}$/, 'expected a whole number')
  .transform(Number).pipe(z.number().int().min(min).max(max)).default(dflt);

export const OverviewQuery = z.object({ region: region.optional(), days: int(1, 90, 14) }).strict();
export const ActivityQuery = z.object({ region: region.optional(), limit: int(1, 50, 12) }).strict();
export const GridStatsQuery = z.object({ region: region.optional() }).strict();
export const PointsQuery = z.object({
  region: region.optional(),
  open: z.enum(['true', 'false']).optional(),
  limit: int(1, 5000, 2000),
}).strict();
export const SimilarQuery = z.object({
  lat: decimal(-90, 90),
  lng: decimal(-180, 180),
  categoryCode: z.string().regex(/^\d{2,12}$/, 'category codes are 2–12 digits').optional(),
  text: z.string().max(2000).optional(),
  days: int(1, 90, 7),
  radius: int(1, 5000, 500),
  limit: int(1, 50, 20),
}).strict();

export function statsRoutes(app: FastifyInstance, deps: CaseDeps): void {
  route(app, {
    method: 'GET', url: '/api/v1/stats/overview', tags: ['stats'],
    summary: 'Dashboard indicators for a region in scope over the last `days` Asia/Shanghai days: today, open, overdue; '
      + 'the period\'s rates with the counts behind them (按时办结率, 12345 三率: 响应率, 解决率, 满意率; docs/kpi.md); '
      + 'by day (intake, closures, open overdue at the day\'s end), by top-level category, by lead unit and by child region (staff only)',
    query: OverviewQuery,
    handler: async ({ query, actor }) => overview(deps, actor, query),
  });

  route(app, {
    method: 'GET', url: '/api/v1/stats/activity', tags: ['stats'],
    summary: 'The latest steps on cases in scope, newest first (the big screen\'s live feed): the action and its label, the unit, '
      + 'the case, where (street, community and grid by name) and when (staff only)',
    query: ActivityQuery,
    handler: async ({ query, actor }) => recentActivity(deps, actor, query),
  });

  route(app, {
    method: 'GET', url: '/api/v1/stats/grids', tags: ['stats'],
    summary: 'Open and overdue cases per grid under a region in scope, for colouring grid polygons (staff only)',
    query: GridStatsQuery,
    handler: async ({ query, actor }) => gridStats(deps, actor, query),
  });

  route(app, {
    method: 'GET', url: '/api/v1/cases/points', tags: ['cases'],
    summary: 'Located cases in scope (id, number, position, state, SLA light, title) for the clustered map layer, newest first',
    query: PointsQuery,
    handler: async ({ query, actor }) => casePoints(deps, actor, query),
  });

  route(app, {
    method: 'GET', url: '/api/v1/cases/similar', tags: ['cases'],
    summary: 'Open cases in scope within `radius` metres of a point, of the same top-level category, reported in the last `days` days; '
      + 'ranked by distance, and by character-bigram overlap with `text` when given',
    query: SimilarQuery,
    handler: async ({ query, actor }) => similarCases(deps, actor, query),
  });
}
