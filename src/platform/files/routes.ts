// Attachments over HTTP: upload first (multipart, one file), then reference the id from a report or an
// action; download when you uploaded it or may see its case.
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { route } from '../http/route.ts';
import { AppError } from '../errors.ts';
import type { Actor } from '../auth/actor.ts';
import { multipartFileBody, readUpload } from '../http/uploads.ts';
import type { Attachments, CaseVisible } from './service.ts';

const AttachmentIdParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }).strict();

/**
 * `mayUpload` is the case engine's policy (case.attach): who may upload case material; `caseVisible`
 * its visibility, for downloads of a linked attachment.
 */
export function fileRoutes(app: FastifyInstance, attachments: Attachments, caseVisible: CaseVisible, mayUpload: (actor: Actor) => void): void {
  app.post('/api/v1/attachments', { schema: { summary: 'Upload a photo or document (≤ 10 MB; JPEG, PNG, WebP, PDF)', tags: ['cases'], consumes: ['multipart/form-data'], body: multipartFileBody() } }, async (req, reply) => {
    const actor = req.actor;
    if (!actor) throw new AppError(401, 'unauthenticated', { zh: `请先登录后再操作。`, en: 'Log in first.' });
    mayUpload(actor);
    const upload = await readUpload(req);
    const saved = await attachments.save({ uploadedBy: actor.id, ...upload });
    return reply.code(201).send({ id: saved.id, filename: saved.filename, mime: saved.mime, size: saved.size });
  });

  route(app, {
    method: 'GET', url: '/api/v1/attachments/:id', tags: ['cases'],
    summary: 'Download an attachment of a case in scope (or one you uploaded)',
    params: AttachmentIdParams,
    handler: async ({ params, actor, reply }) => {
      const file = await attachments.open(actor, params.id, caseVisible);
      reply.header('content-type', file.mime);
      reply.header('content-length', file.size);
      reply.header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.filename)}`);
      reply.header('x-content-type-options', 'nosniff');
      return reply.send(file.body);
    },
  });
}
