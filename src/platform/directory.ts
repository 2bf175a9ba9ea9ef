// Directory reads the console and API clients need: units (for dispatch and whistles).
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { route } from './http/route.ts';
import type { AppContext } from './context.ts';
import type { Queryable } from './db/index.ts';

export interface UnitRef { id: string; name: string; kind: string }

/** Units by id (names and kinds), for modules that show who handles what. */
export async function unitsByIds(db: Queryable, ids: string[]): Promise<UnitRef[]> {
  if (!ids.length) return [];
  return db.query<UnitRef>('SELECT id, name, kind FROM unit WHERE id = ANY($1::text[])', [ids]);
}

export function directoryRoutes(app: FastifyInstance, ctx: AppContext): void {
  route(app, {
    method: 'GET', url: '/api/v1/units', tags: ['directory'],
    summary: 'Units in your district (departments, centres, communities) for dispatch and whistles',
    query: z.object({ kind: z.enum(['command_centre', 'street_centre', 'community', 'department', 'hotline', 'grid_team', 'district_gov', 'city_gov']).optional() }).strict(),
    handler: async ({ query, actor }) => {
      // Units are organisational facts, visible across the actor's district so cases can be routed.
      const district = actor.regionCode.slice(0, 6);
      const params: unknown[] = [`${district}%`, actor.regionCode.length < 6 ? `${actor.regionCode}%` : `${district}%`];
      let sql = 'SELECT id, name, name_en, kind, region_code, parent_id FROM unit WHERE active AND (region_code LIKE $1 OR region_code LIKE $2 OR length(region_code) < 6)';
      if (query.kind) { params.push(query.kind); sql += ` AND kind = $${params.length}`; }
      const rows = await ctx.db.query<any>(`${sql} ORDER BY kind, id LIMIT 5000`, params);
      return { items: rows.map((u) => ({ id: u.id, name: u.name, nameEn: u.name_en, kind: u.kind, regionCode: u.region_code, parentId: u.parent_id })) };
    },
  });
}
