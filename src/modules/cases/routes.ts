// HTTP routes of the case engine: thin handlers over service.ts.
import { z } from 'zod';
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { route } from '../../platform/http/route.ts';
import { AppError, badRequest, forbidden, notFound } from '../../platform/errors.ts';
import { multipartFileBody, readUpload } from '../../platform/http/uploads.ts';
import { visibilitySql, createCase, detailView, getCase, listCases, revealReporter, routingSuggestion, timeline, transition, type CaseDeps } from './service.ts';
import { ActionInput, ActionParams, CaseIdParams, CaseListResponse, Intake, ListQuery } from './contracts.ts';
import { actionNames } from './workflow.ts';

const idempotencyKey = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'Idempotency-Key must be printable ASCII');

export function caseRoutes(app: FastifyInstance, deps: CaseDeps): void {
  route(app, {
    method: 'POST', url: '/api/v1/cases', tags: ['cases'], status: 201,
    summary: 'Report a case (any channel); honours Idempotency-Key',
    body: Intake,
    handler: async ({ body, actor, req, reply }) => {
      const raw = req.headers['idempotency-key'];
      let key: string | undefined;
      if (raw != null) {
        const parsed = idempotencyKey.safeParse(Array.isArray(raw) ? raw[0] : raw);
        if (!parsed.success) throw badRequest('invalid_idempotency_key', parsed.error.issues[0].message);
        key = parsed.data;
      }
      const r = await createCase(deps, actor, body, key);
      // a new case has no assignments yet: its view comes from the row the intake statement returned
      const view = r.row && !r.movedOn ? detailView(deps, actor, r.row, []) : await getCase(deps, actor, r.caseId);
      reply.header('location', `/api/v1/cases/${r.caseId}`);
      if (r.replayed) reply.header('idempotent-replayed', 'true');
      return { ...view, routing: r.suggestion };
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/cases', tags: ['cases'],
    summary: 'List cases in scope with filters (state, type, category, region, SLA light, time, text), paging and sorting; inbox=true for what waits for me',
    query: ListQuery,
    response: CaseListResponse,
    handler: async ({ query, actor }) => listCases(deps, actor, query),
  });

  route(app, {
    method: 'GET', url: '/api/v1/cases/:id', tags: ['cases'],
    summary: 'One case with its SLA light, assignments and the actions open to me',
    params: CaseIdParams,
    handler: async ({ params, actor }) => getCase(deps, actor, params.id),
  });

  route(app, {
    method: 'GET', url: '/api/v1/cases/:id/timeline', tags: ['cases'],
    summary: 'The immutable flow records of a case, in order',
    params: CaseIdParams,
    handler: async ({ params, actor }) => ({ items: await timeline(deps, actor, params.id) }),
  });

  route(app, {
    method: 'GET', url: '/api/v1/cases/:id/routing', tags: ['cases'],
    summary: 'Dispatch suggestion from the responsibility list (权责清单) with 属地兜底 fallback',
    params: CaseIdParams,
    handler: async ({ params, actor }) => routingSuggestion(deps, actor, params.id),
  });

  route(app, {
    method: 'POST', url: '/api/v1/cases/:id/reporter/reveal', tags: ['cases'],
    summary: 'Reveal the reporter\'s name and phone for a stated purpose (audited)',
    params: CaseIdParams,
    body: z.object({ purpose: z.string().trim().min(2).max(200) }).strict(),
    handler: async ({ params, body, actor }) => revealReporter(deps, actor, params.id, body.purpose),
  });

  route(app, {
    method: 'POST', url: '/api/v1/cases/:id/actions/:action', tags: ['cases'],
    summary: `Act on a case: ${actionNames.filter((a) => a !== 'redo').join(', ')}`,
    params: ActionParams,
    body: ActionInput,
    handler: async ({ params, body, actor }) => {
      if (!(actionNames as readonly string[]).includes(params.action) || params.action === 'redo') {
        throw badRequest('unknown_action', `"${params.action.slice(0, 40)}" is not an action. Known: ${actionNames.filter((a) => a !== 'redo').join(', ')}.`);
      }
      const r = await transition(deps, actor, params.id, params.action, body);
      return { ...r, case: await getCase(deps, actor, params.id) };
    },
  });

  // Attachments: upload first (multipart, one file), then reference the id from a report or an action.
  app.post('/api/v1/attachments', { schema: { summary: 'Upload a photo or document (≤ 10 MB; JPEG, PNG, WebP, PDF)', tags: ['cases'], consumes: ['multipart/form-data'], body: multipartFileBody() } }, async (req, reply) => {
    const actor = req.actor;
    if (!actor) throw new AppError(401, 'unauthenticated', 'Log in first.');
    if (actor.role === 'admin') throw forbidden('Administrators do not upload case material.');
    const { content: buf, filename, mime } = await readUpload(req);
    const [row] = await deps.ctx.db.query<{ id: number }>(
      `INSERT INTO attachment (uploaded_by, filename, mime, size, sha256, content) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [actor.id, filename, mime, buf.length, createHash('sha256').update(buf).digest('hex'), buf]);
    return reply.code(201).send({ id: Number(row.id), filename, mime, size: buf.length });
  });

  route(app, {
    method: 'GET', url: '/api/v1/attachments/:id', tags: ['cases'],
    summary: 'Download an attachment of a case in scope (or one you uploaded)',
    params: CaseIdParams,
    handler: async ({ params, actor, reply }) => {
      const vis: unknown[] = [params.id, actor.id];
      const [row] = await deps.ctx.db.query<any>(
        `SELECT a.filename, a.mime, a.content FROM attachment a LEFT JOIN "case" c ON c.id = a.case_id
         WHERE a.id = $1 AND (a.uploaded_by = $2 OR (c.id IS NOT NULL AND ${visibilitySql(actor, vis)}))`, vis);
      if (!row) throw notFound(`Attachment ${params.id}`);
      reply.header('content-type', row.mime);
      reply.header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(row.filename)}`);
      reply.header('x-content-type-options', 'nosniff');
      return reply.send(Buffer.from(row.content));
    },
  });
}
