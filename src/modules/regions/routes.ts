// Region tree, grid polygons and point → grid lookup.
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { route } from '../../platform/http/route.ts';
import { unprocessable } from '../../platform/errors.ts';
import type { RegionService } from './service.ts';
import { divisionTree } from './china-division-source.ts';

const Code = z.object({ code: z.string().regex(/^\d{2,16}$/, 'region codes are 2–16 digits') }).strict();

export function regionRoutes(app: FastifyInstance, regions: RegionService): void {
  route(app, {
    method: 'GET', url: '/api/v1/regions/locate', tags: ['regions'],
    summary: 'Point → grid lookup (lat, lng in WGS-84 degrees)',
    query: z.object({ lat: z.coerce.number().min(-90).max(90), lng: z.coerce.number().min(-180).max(180) }).strict(),
    handler: async ({ query }) => {
      const code = regions.locate(query.lng, query.lat);
      if (!code) throw unprocessable('outside_area', { zh: `该点不在本平台任何网格内。`, en: 'The point is outside every grid of this platform.' });
      return { gridCode: code, name: regions.nameOf(code) ?? null, communityCode: code.slice(0, 12), streetCode: code.slice(0, 9) };
    },
  });
  route(app, {
    method: 'GET', url: '/api/v1/divisions', tags: ['regions'],
    summary: 'The administrative divisions of China (GB/T 2260): provinces, prefectures and counties with their 6-digit codes, as a tree (籍贯, 户籍地 and 现住地 pick from it)',
    handler: async () => ({ items: divisionTree() }),
  });
  route(app, {
    method: 'GET', url: '/api/v1/regions/mine', tags: ['regions'],
    summary: 'The region you work in (the root of your scope)',
    handler: async ({ actor }) => regions.get(actor, actor.regionCode),
  });
  route(app, {
    method: 'GET', url: '/api/v1/regions/:code', tags: ['regions'], summary: 'One region by code', params: Code,
    handler: async ({ params, actor }) => regions.get(actor, params.code),
  });
  route(app, {
    method: 'GET', url: '/api/v1/regions/:code/children', tags: ['regions'], summary: 'Child regions', params: Code,
    handler: async ({ params, actor }) => ({ items: await regions.children(actor, params.code) }),
  });
  route(app, {
    method: 'GET', url: '/api/v1/regions/:code/ancestors', tags: ['regions'], summary: 'Ancestors, from the top', params: Code,
    handler: async ({ params, actor }) => ({ items: await regions.ancestors(actor, params.code) }),
  });
  route(app, {
    method: 'GET', url: '/api/v1/regions/:code/outlines', tags: ['regions'],
    summary: 'Street and community outlines (dissolved from their grids) with names and label points, as GeoJSON', params: Code,
    handler: async ({ params, actor }) => regions.outlines(actor, params.code),
  });
  route(app, {
    method: 'GET', url: '/api/v1/regions/:code/grids', tags: ['regions'],
    summary: 'Grid polygons under a region as GeoJSON', params: Code,
    handler: async ({ params, actor }) => regions.grids(actor, params.code),
  });
}
