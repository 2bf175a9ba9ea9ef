// Resident portal API, without staff login: thin handlers over service.ts.
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { route } from '../../platform/http/route.ts';
import { AppError } from '../../platform/errors.ts';
import { multipartFileBody, readUpload } from '../../platform/http/uploads.ts';
import type { RegionService } from '../regions/index.ts';
import type { AddressService } from '../addresses/index.ts';
import { pathId } from '../../platform/http/params.ts';
import { joinReport, nearbyReports, publicPhoto, trackWithCode } from './join.ts';
import { ratings, type CaseDeps } from '../cases/index.ts';
import { line, prose } from '../../platform/http/text.ts';
import {
  portalActorLoader, publicCategories, rateCase, reportCase, storeUpload, type PortalDeps,
} from './service.ts';

// Free text from the public: line breaks are fine in a description; a title or a name is one line.
const text = (max: number) => prose(max, 1);

export const PortalReportBody = z.object({
  categoryCode: z.string().regex(/^\d{2,12}$/, 'category codes are 2–12 digits'),
  title: line(200),
  description: text(5000),
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  address: line(300).optional(),
  contact: z.object({
    name: line(50).optional(),
    phone: z.string().trim().regex(/^\+?[\d-]{5,20}$/, 'phone numbers are 5–20 digits').optional(),
  }).strict().optional(),
  attachments: z.array(z.object({
    id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    token: z.string().min(1).max(100),
  }).strict()).max(10).optional(),
}).strict();

/** A case number in any letter case (rx2026… is RX2026…); O/0 and I/1 (l) confused after the two-letter prefix are read as the digits: only digits may stand there. */
export const tolerateCaseNo = (v: unknown): unknown => (typeof v === 'string'
  ? v.trim().replace(/^([A-Za-z]{2})(.*)$/, (_m, pre: string, rest: string) => pre + rest.replace(/[Oo]/g, '0').replace(/[IiLl]/g, '1'))
  : v);
const caseNo = z.preprocess(tolerateCaseNo, z.string().trim().regex(/^[A-Za-z]{2}\d{8,20}$/, 'case numbers look like RX202611160000001 (工单编号形如 RX202611160000001)').transform((s) => s.toUpperCase()));
const Tracking = {
  params: z.object({ caseNo }).strict(),
  query: z.object({ token: z.string().trim().min(1).max(100) }).strict(),
};
const decimal = (min: number, max: number) => z.string().trim().regex(/^-?\d{1,3}(\.\d+)?$/, 'a decimal number of degrees (十进制度数)').transform(Number).pipe(z.number().min(min).max(max));
const PointQuery = z.object({ lat: decimal(-90, 90), lng: decimal(-180, 180) }).strict();
const NearbyQuery = z.object({
  lat: decimal(-90, 90), lng: decimal(-180, 180),
  category: z.string().regex(/^\d{2,12}$/, 'category codes are 2–12 digits (分类代码为 2–12 位数字)').optional(),
  radius: z.string().regex(/^\d{1,4}$/, 'radius in whole metres (半径为整数米)').transform(Number).pipe(z.number().int().min(50).max(2000)).default(500),
}).strict();
export const JoinBody = z.object({
  contact: z.object({
    name: line(50).optional(),
    phone: z.string().trim().regex(/^\+?[\d-]{5,20}$/, 'phone numbers are 5–20 digits (手机号码为 5–20 位数字)').optional(),
  }).strict().optional(),
}).strict();
const GEOCODE_LIMIT = { max: 120, timeWindow: 60_000 };

export const RateBody = z.object({
  rating: z.enum(ratings),
  comment: text(1000).optional(),
}).strict();

/** Per client address (@fastify/rate-limit; shared through Redis when configured). */
const INTAKE_LIMIT = { max: 10, timeWindow: 10 * 60_000 };
const UPLOAD_LIMIT = { max: 30, timeWindow: 10 * 60_000 };

export function portalRoutes(app: FastifyInstance, cases: CaseDeps, regions: RegionService, addresses?: AddressService): void {
  const deps: PortalDeps = {
    cases,
    actor: portalActorLoader(cases.ctx.db),
  };
  const tags = ['portal'];
  // The portal account is made at start-up when regions exist, so that no request (a refused one
  // least of all) is what creates it; without regions yet, the first report does.
  app.addHook('onReady', async () => { await deps.actor().catch(() => undefined); });

  route(app, {
    method: 'GET', url: '/api/v1/portal/grids', tags: ['portal'], auth: 'none',
    summary: 'Grid outlines with their public names, for the resident portal\'s map (GeoJSON)',
    handler: async ({ reply }) => {
      reply.header('cache-control', 'public, max-age=300');
      return regions.publicGrids();
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/portal/outlines', tags: ['portal'], auth: 'none',
    summary: 'Street and community outlines with their public names, for the resident portal\'s map (GeoJSON)',
    handler: async ({ reply }) => {
      reply.header('cache-control', 'public, max-age=300');
      return regions.outlinesUnder('');
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/portal/locate', tags: ['portal'], auth: 'none',
    summary: 'Which grid a map point lies in, for the resident portal',
    query: z.object({ lat: z.coerce.number().min(-90).max(90), lng: z.coerce.number().min(-180).max(180) }).strict(),
    handler: async ({ query }) => {
      const code = regions.locate(query.lng, query.lat);
      if (!code) throw new AppError(422, 'outside_area', { zh: `该点不在本平台任何网格内。`, en: 'The point is outside every grid of this platform.' });
      return { gridCode: code, name: regions.nameOf(code) ?? null };
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/portal/categories', tags, auth: 'none',
    summary: 'Hotline categories for the public report form',
    handler: async () => publicCategories(deps),
  });

  route(app, {
    method: 'POST', url: '/api/v1/portal/cases', tags, auth: 'none', status: 201,
    summary: 'Report a problem without an account (12345 web channel). Returns the case number and the tracking token, '
      + 'shown only once. Limited to 10 reports per 10 minutes per address.',
    body: PortalReportBody, rateLimit: INTAKE_LIMIT,
    handler: async ({ body }) => reportCase(deps, body),
  });

  route(app, {
    method: 'GET', url: '/api/v1/portal/cases/:caseNo', tags, auth: 'none',
    summary: 'Follow a case with its tracking token: state, public timeline, the reply given to the public',
    params: Tracking.params, query: Tracking.query,
    handler: async ({ params, query }) => trackWithCode(deps, params.caseNo, query.token),
  });

  route(app, {
    method: 'GET', url: '/api/v1/portal/cases/:caseNo/photos/:id', tags, auth: 'none',
    summary: 'A photo of a public step of a tracked case (the after-photo of the reply), with the tracking code',
    params: z.object({ caseNo, id: pathId }).strict(), query: Tracking.query,
    handler: async ({ params, query, reply }) => {
      const file = await publicPhoto(deps, params.caseNo, query.token, params.id);
      reply.header('content-type', file.mime);
      reply.header('content-length', file.size);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('cache-control', 'private, max-age=300');
      return reply.send(file.body);
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/portal/nearby', tags, auth: 'none',
    summary: 'Open reports of a category near a point (within radius metres, last 30 days), to join instead of filing a duplicate',
    query: NearbyQuery, rateLimit: GEOCODE_LIMIT,
    handler: async ({ query }) => nearbyReports(deps, query, regions.locate(query.lng, query.lat)),
  });

  route(app, {
    method: 'POST', url: '/api/v1/portal/cases/:caseNo/join', tags, auth: 'none', status: 201,
    summary: 'Join an open report (+1, 附议): counted as a caller on it; returns a tracking code of your own, shown once',
    params: Tracking.params, body: JoinBody, rateLimit: INTAKE_LIMIT,
    handler: async ({ params, body }) => joinReport(deps, params.caseNo, body.contact),
  });

  if (addresses) {
    route(app, {
      method: 'GET', url: '/api/v1/portal/geocode', tags, auth: 'none', rateLimit: GEOCODE_LIMIT,
      summary: 'Address search for the public report form (the standard address library)',
      query: z.object({ q: z.string().trim().min(1).max(200), limit: z.string().regex(/^\d{1,2}$/).transform(Number).pipe(z.number().int().min(1).max(10)).default(6) }).strict(),
      handler: async ({ query }) => ({ candidates: addresses.search(query.q, undefined, query.limit) }),
    });
    route(app, {
      method: 'GET', url: '/api/v1/portal/geocode/reverse', tags, auth: 'none', rateLimit: GEOCODE_LIMIT,
      summary: 'The nearest standard address of a point and its region path, for "use my location"',
      query: PointQuery,
      handler: async ({ query }) => addresses.reverse(query.lat, query.lng),
    });
  }

  route(app, {
    method: 'POST', url: '/api/v1/portal/cases/:caseNo/rate', tags, auth: 'none',
    summary: 'Rate the handling of a case reported through the portal, once it awaits the rating (评价); 不满意 sends it back for redo',
    params: Tracking.params, query: Tracking.query, body: RateBody,
    handler: async ({ params, query, body }) => rateCase(deps, params.caseNo, query.token, body),
  });

  // Uploads: multipart, one file, the same limits and byte sniffing as staff uploads.
  app.post('/api/v1/portal/attachments', {
    schema: {
      summary: 'Upload a photo or document for a portal report (≤ 10 MB; JPEG, PNG, WebP, PDF). Returns an id and a claim token.',
      tags, consumes: ['multipart/form-data'], body: multipartFileBody(),
    },
    config: { rateLimit: UPLOAD_LIMIT },
  }, async (req, reply) => {
    return reply.code(201).send(await storeUpload(deps, await readUpload(req)));
  });
}
