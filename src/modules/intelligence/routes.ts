// HTTP routes of the intelligence module: thin handlers over service.ts.
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { route } from '../../platform/http/route.ts';
import { queryInt } from '../../platform/http/params.ts';
import { CaseIdParams } from '../cases/index.ts';
import { duplicatesOfCase, hotspots, modelInfo, retrain, suggestCategories, suggestionsForCase, type IntelligenceDeps } from './service.ts';

const int = queryInt;

export const DuplicatesQuery = z.object({
  radius: int(10, 5000, 500),
  days: int(1, 90, 14),
  limit: int(1, 50, 10),
}).strict();

export const HotspotsQuery = z.object({
  days: int(1, 365, 30),
  limit: int(1, 100, 20),
  minCases: int(2, 50, 3),
  // a city's code is 4 digits (the city level's hotspot panel), a province's 2
  region: z.string().regex(/^\d{2,16}$/, 'region codes are 2–16 digits').optional(),
}).strict();

export const SuggestBody = z.object({
  text: z.string().trim().min(1).max(5000),
  type: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'case types are lower-case letters, digits and underscores').optional(),
}).strict();

export function intelligenceRoutes(app: FastifyInstance, deps: IntelligenceDeps): void {
  route(app, {
    method: 'POST', url: '/api/v1/intelligence/suggest', tags: ['intelligence'],
    summary: 'Top-3 categories for a text as it is typed (the intake forms), with confidence and the words that matched: from the text model once it has learnt from enough closed cases, before that from the category tree\'s names and keywords (source says which)',
    body: SuggestBody,
    handler: async ({ body, actor }) => suggestCategories(deps, actor, body),
  });

  route(app, {
    method: 'GET', url: '/api/v1/cases/:id/routing/suggestions', tags: ['intelligence'],
    summary: 'Top-3 categories predicted from the case text, with confidence, key words and the unit the responsibility list names for each; plus the responsibility-list suggestion for the case\'s own category',
    params: CaseIdParams,
    handler: async ({ params, actor }) => suggestionsForCase(deps, actor, params.id),
  });

  route(app, {
    method: 'GET', url: '/api/v1/cases/:id/duplicates', tags: ['intelligence'],
    summary: 'Open cases nearby and recent that may report the same problem (重复件), with a score and its parts (text, distance, time) and the merge action to use',
    params: CaseIdParams,
    query: DuplicatesQuery,
    handler: async ({ params, query, actor }) => duplicatesOfCase(deps, actor, params.id, query),
  });

  route(app, {
    method: 'GET', url: '/api/v1/intelligence/model', tags: ['intelligence'],
    summary: 'The text model in force: version, size, training date, training size, number of labels; and the auto-dispatch threshold',
    handler: async ({ actor }) => modelInfo(deps, actor),
  });

  route(app, {
    method: 'POST', url: '/api/v1/intelligence/model/retrain', tags: ['intelligence'],
    summary: 'Retrain the text model from the closed cases (title + description → category), save it as the next version and put it in force (administrators, command centre)',
    body: z.object({}).strict(),
    handler: async ({ actor }) => retrain(deps, actor),
  });

  route(app, {
    method: 'GET', url: '/api/v1/intelligence/hotspots', tags: ['intelligence'],
    summary: 'Hotspots (热点问题): repeated complaints about the same problem in one community, with a heat index from count, recency and distinct reporters; in my territory',
    query: HotspotsQuery,
    handler: async ({ query, actor }) => hotspots(deps, actor, query),
  });
}
