// Meetings over HTTP: thin handlers over the Meetings service. Who may read or hold a meeting is its kind's.
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { route } from '../http/route.ts';
import { idempotencyKeyOf } from '../http/idempotency.ts';
import type { Meetings } from './index.ts';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const Params = z.object({ id }).strict();
const text = (max: number) => z.string().trim().min(1).max(max);
const kind = z.string().regex(/^[a-z]+\.[a-z_]+$/, 'meeting kinds are "module.kind"');
const unitId = z.string().trim().min(1).max(64).regex(/^[\w.-]+$/);
const region = z.string().regex(/^\d{6,16}$/, 'region codes are 6–16 digits');
const caseType = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/);
const date = z.iso.date();
const link = z.url({ protocol: /^https?$/ }).max(500);

export const MeetingCreate = z.object({
  kind, title: text(200), scheduledAt: z.iso.datetime({ offset: true }), regionCode: region,
  place: text(200).optional(), onlineLink: link.optional(),
  agenda: z.array(z.object({ title: text(300), note: z.string().trim().max(2000).optional(), caseId: id.optional() }).strict()).min(1).max(50),
  attendees: z.array(z.object({
    name: text(50), organisation: z.string().trim().max(100).optional(), userId: id.optional(), unitId: unitId.optional(),
  }).strict()).max(200).default([]),
}).strict().refine((v) => v.place || v.onlineLink, { message: 'give a place or an online link', path: ['place'] });

export const DecisionCreate = z.object({
  text: text(2000),
  responsibleUnitId: unitId.optional(),
  dueOn: date.optional(),
  /** The case the decision becomes (through the case engine's intake). */
  case: z.object({
    type: caseType, categoryCode: z.string().regex(/^\d{2,12}$/), title: text(200), description: text(5000), regionCode: region.optional(),
    urgency: z.enum(['normal', 'urgent', 'emergency']).optional(),
  }).strict().optional(),
}).strict();

export function meetingRoutes(app: FastifyInstance, meetings: Meetings): void {
  const tags = ['meetings'];
  route(app, {
    method: 'GET', url: '/api/v1/meeting-kinds', tags, summary: 'The kinds of meeting I may read (and whether I may hold them)',
    handler: async ({ actor }) => ({ items: meetings.kindsFor(actor) }),
  });
  route(app, {
    method: 'GET', url: '/api/v1/meetings', tags, summary: 'Meetings in my territory, of the kinds I may read, newest first',
    query: z.object({ kind: kind.optional(), page: z.coerce.number().int().min(1).max(1000).default(1), pageSize: z.coerce.number().int().min(1).max(100).default(20) }).strict(),
    handler: async ({ actor, query }) => meetings.list(actor, query),
  });
  route(app, {
    method: 'POST', url: '/api/v1/meetings', tags, status: 201, summary: 'Convene a meeting: agenda, attendees, time and place or online link; honours Idempotency-Key',
    body: MeetingCreate,
    handler: async ({ actor, body, req, reply }) => {
      const r = await meetings.createOnce(actor, body, idempotencyKeyOf(req.headers));
      if (r.replayed) reply.header('idempotent-replayed', 'true');
      return meetings.get(actor, r.id);
    },
  });
  route(app, {
    method: 'GET', url: '/api/v1/meetings/:id', tags, summary: 'A meeting with its agenda, attendance, minutes and decisions', params: Params,
    handler: async ({ actor, params }) => meetings.get(actor, params.id),
  });
  route(app, {
    method: 'PUT', url: '/api/v1/meetings/:id/attendance', tags, summary: 'Take attendance', params: Params,
    body: z.object({ marks: z.array(z.object({ attendeeId: id, present: z.boolean() }).strict()).min(1).max(200) }).strict(),
    handler: async ({ actor, params, body }) => { await meetings.attendance(actor, params.id, body.marks); return meetings.get(actor, params.id); },
  });
  route(app, {
    method: 'PUT', url: '/api/v1/meetings/:id/minutes', tags, summary: 'Write the minutes (the meeting is then held)', params: Params,
    body: z.object({ minutes: text(20000) }).strict(),
    handler: async ({ actor, params, body }) => { await meetings.minutes(actor, params.id, body.minutes); return meetings.get(actor, params.id); },
  });
  route(app, {
    method: 'POST', url: '/api/v1/meetings/:id/cancel', tags, summary: 'Cancel a meeting not yet held', params: Params,
    body: z.object({}).strict(),
    handler: async ({ actor, params }) => { await meetings.cancel(actor, params.id); return meetings.get(actor, params.id); },
  });
  route(app, {
    method: 'POST', url: '/api/v1/meetings/:id/decisions', tags, status: 201, params: Params,
    summary: 'Record a decision of a held meeting; with `case`, it becomes a case through the case engine',
    body: DecisionCreate,
    handler: async ({ actor, params, body }) => meetings.decide(actor, params.id, body),
  });
  route(app, {
    method: 'GET', url: '/api/v1/meetings/:id/minutes.pdf', tags, summary: 'The minutes as a printable PDF (Chinese)', params: Params,
    handler: async ({ actor, params, reply }) => {
      const { filename, pdf } = await meetings.minutesPdf(actor, params.id);
      reply.header('content-type', 'application/pdf').header('content-disposition', `inline; filename="${filename}"`);
      return reply.send(pdf);
    },
  });
}
