// HTTP routes of the mediation module: thin handlers over the services. The workflow's steps themselves
// are the case engine's action routes (POST /api/v1/cases/:id/actions/…), built from the definitions.
import { idempotencyKeyOf } from '../../platform/http/idempotency.ts';
import { z } from 'zod';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { route } from '../../platform/http/route.ts';
import { badRequest } from '../../platform/errors.ts';
import type { MediationDeps } from './deps.ts';
import * as C from './contracts.ts';
import * as D from './disputes.ts';
import * as P from './petitions.ts';
import * as O from './orgs.ts';
import { caseFilePdf, disputeDocument, documentKinds } from './documents.ts';
import { disputeStats, petitionStats, statsWorkbook } from './stats.ts';
import { mediationPolicy } from './policy.ts';
import { getCase } from '../cases/index.ts';

const Sub = (name: string) => z.object({ id: C.id, [name]: C.id }).strict();
const pdf = (reply: FastifyReply, out: { filename: string; pdf: Buffer }) =>
  reply.header('content-type', 'application/pdf').header('content-disposition', `inline; filename="${out.filename}"`).send(out.pdf);

export function mediationRoutes(app: FastifyInstance, deps: MediationDeps): void {
  const tags = ['mediation'];
  const ok = { ok: true };

  // ------------------------------------------------------------------ disputes
  route(app, {
    method: 'POST', url: '/api/v1/disputes', tags, status: 201, body: C.DisputeCreate,
    summary: 'Register a dispute (矛盾纠纷): the GB/T 31000 record and its parties; honours Idempotency-Key',
    handler: async ({ actor, body, req, reply }) => {
      const id = await D.registerDispute(deps, actor, body, idempotencyKeyOf(req.headers));
      reply.header('location', `/api/v1/disputes/${id}`);
      // a grid worker reports disputes without keeping their records: they get the case they reported
      return mediationPolicy.can(actor, 'mediation.read') ? D.disputeDetail(deps, actor, id) : { case: await getCase(deps.cases, actor, id) };
    },
  });
  route(app, {
    method: 'GET', url: '/api/v1/disputes', tags, query: C.DisputeListQuery,
    summary: 'Disputes in scope with their 民转刑 risk, organisation and mediator; risk=high lists open disputes by risk',
    handler: async ({ actor, query }) => D.listDisputes(deps, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/v1/disputes/follow-ups', tags, summary: 'Follow-up visits (回访) due by today, of open disputes in scope',
    handler: async ({ actor }) => D.dueFollowUps(deps, actor),
  });
  route(app, {
    method: 'GET', url: '/api/v1/disputes/sessions', tags, summary: 'Mediation sessions scheduled from now on, in scope',
    handler: async ({ actor }) => D.upcomingSessions(deps, actor),
  });
  route(app, {
    method: 'GET', url: '/api/v1/disputes/:id', tags, params: C.IdParams,
    summary: 'A dispute: its case, GB/T 31000 record, parties (masked), 四包, risk with reasons, sessions, agreements, performance, follow-ups, dockings',
    handler: async ({ actor, params }) => D.disputeDetail(deps, actor, params.id),
  });
  route(app, {
    method: 'PATCH', url: '/api/v1/disputes/:id/record', tags, params: C.IdParams, body: C.DisputeRecordPatch,
    summary: 'Complete the GB/T 31000 record (化解情况, 考评 …)',
    handler: async ({ actor, params, body }) => { await D.patchRecord(deps, actor, params.id, body); return D.disputeDetail(deps, actor, params.id); },
  });
  route(app, {
    method: 'POST', url: '/api/v1/disputes/:id/parties', tags, status: 201, params: C.IdParams, body: C.PartiesAdd,
    summary: 'Add parties (persons or organisations); contacts are sealed and shown masked',
    handler: async ({ actor, params, body }) => ({ ids: await D.addParties(deps, actor, params.id, body.parties) }),
  });
  route(app, {
    method: 'POST', url: '/api/v1/disputes/:id/parties/:partyId/reveal', tags, params: Sub('partyId'), body: C.Reveal,
    summary: 'Reveal a party\'s name, ID number, phone and address for a stated purpose (audited)',
    handler: async ({ actor, params, body }) => D.revealDisputeParty(deps, actor, params.id, params.partyId, body.purpose),
  });
  route(app, {
    method: 'GET', url: '/api/v1/disputes/:id/assignment/suggestion', tags, params: C.IdParams,
    summary: '靶向分流: the level, the organisations that serve the dispute and their mediators by specialty and workload, the proposed assignment (organisation, lead mediator, 四包) and why',
    handler: async ({ actor, params }) => D.assignmentSuggestion(deps, actor, params.id),
  });
  route(app, {
    method: 'PUT', url: '/api/v1/disputes/:id/assignment', tags, params: C.IdParams, body: C.Assignment,
    summary: 'Name the organisation, the lead mediator and the 四包 roles (包调查, 包调处, 包办结, 包回访)',
    handler: async ({ actor, params, body }) => { await D.setAssignment(deps, actor, params.id, body); return D.disputeDetail(deps, actor, params.id); },
  });
  route(app, {
    method: 'POST', url: '/api/v1/disputes/:id/investigations', tags, status: 201, params: C.IdParams, body: C.InvestigationCreate,
    summary: 'Record an investigation (调查笔录)',
    handler: async ({ actor, params, body }) => ({ id: await D.addInvestigation(deps, actor, params.id, body) }),
  });
  route(app, {
    method: 'POST', url: '/api/v1/disputes/:id/sessions', tags, status: 201, params: C.IdParams, body: C.SessionCreate,
    summary: 'Schedule a mediation session with participants and a place or an online link',
    handler: async ({ actor, params, body }) => ({ id: await D.scheduleSession(deps, actor, params.id, body) }),
  });
  route(app, {
    method: 'PUT', url: '/api/v1/disputes/:id/sessions/:sessionId/minutes', tags, params: Sub('sessionId'), body: C.SessionMinutes,
    summary: 'Record a held session\'s minutes (调解笔录)',
    handler: async ({ actor, params, body }) => { await D.recordSession(deps, actor, params.id, params.sessionId, body.minutes); return ok; },
  });
  route(app, {
    method: 'POST', url: '/api/v1/disputes/:id/sessions/:sessionId/cancel', tags, params: Sub('sessionId'), body: z.object({}).strict(),
    summary: 'Cancel a scheduled session',
    handler: async ({ actor, params }) => { await D.cancelSession(deps, actor, params.id, params.sessionId); return ok; },
  });
  route(app, {
    method: 'POST', url: '/api/v1/disputes/:id/agreements', tags, status: 201, params: C.IdParams, body: C.AgreementDraft,
    summary: 'Draft the agreement (调解协议书) with its obligations and due dates and the planned follow-up; the workflow\'s step concludes it once every party has signed',
    handler: async ({ actor, params, body }) => ({ id: await D.draftAgreement(deps, actor, params.id, body) }),
  });
  route(app, {
    method: 'POST', url: '/api/v1/disputes/:id/agreements/:agreementId/signatures', tags, status: 201, params: Sub('agreementId'), body: C.SignatureCreate,
    summary: 'A party\'s (or the mediator\'s) signature drawn on a phone or tablet, as a PNG',
    handler: async ({ actor, params, body }) => D.signAgreement(deps, actor, params.id, params.agreementId, body),
  });
  route(app, {
    method: 'GET', url: '/api/v1/disputes/:id/signatures/:signatureId', tags, params: Sub('signatureId'),
    summary: 'A drawn signature on the dispute\'s agreement, as the PNG that was signed',
    handler: async ({ actor, params, reply }) => {
      const s = await D.signatureImage(deps, actor, params.id, params.signatureId);
      return reply.header('content-type', 'image/png').header('cache-control', 'private, max-age=3600').header('etag', `"${s.sha256}"`)
        .header('x-content-type-options', 'nosniff').send(s.png);
    },
  });
  route(app, {
    method: 'PUT', url: '/api/v1/disputes/:id/obligations/:obligationId', tags, params: Sub('obligationId'), body: C.ObligationRecord,
    summary: 'Record the performance of one obligation (performed or breached)',
    handler: async ({ actor, params, body }) => { await D.recordObligation(deps, actor, params.id, params.obligationId, body); return ok; },
  });
  route(app, {
    method: 'PUT', url: '/api/v1/disputes/:id/follow-ups/:followUpId', tags, params: Sub('followUpId'), body: C.FollowUpRecord,
    summary: 'Record a due follow-up visit (回访记录)',
    handler: async ({ actor, params, body }) => { await D.recordFollowUp(deps, actor, params.id, params.followUpId, body); return ok; },
  });
  route(app, {
    method: 'POST', url: '/api/v1/disputes/:id/dockings', tags, status: 201, params: C.IdParams, body: C.DockingDraft,
    summary: 'Prepare a docking of a failed mediation (诉调, 仲调, 访调, 检调, 警调); the workflow\'s step transfers it with the case file',
    handler: async ({ actor, params, body }) => ({ id: await D.draftDocking(deps, actor, params.id, body) }),
  });
  route(app, {
    method: 'GET', url: '/api/v1/disputes/:id/documents/:kind', tags,
    params: z.object({ id: C.id, kind: z.enum(documentKinds) }).strict(),
    summary: 'A document as a printable Chinese PDF: registration (受理登记表), investigation, session (调解笔录), agreement (调解协议书, with signatures), follow_up',
    handler: async ({ actor, params, reply }) => pdf(reply, await disputeDocument(deps, actor, params.id, params.kind)),
  });
  route(app, {
    method: 'GET', url: '/api/v1/disputes/:id/case-file.pdf', tags, params: C.IdParams,
    summary: 'The case file: every document of the dispute in one PDF (what a docking transfers)',
    handler: async ({ actor, params, reply }) => pdf(reply, await caseFilePdf(deps, actor, params.id)),
  });

  // ------------------------------------------------------------------ organisations and mediators
  route(app, {
    method: 'GET', url: '/api/v1/mediation/orgs', tags, query: C.OrgListQuery,
    summary: '调委会, 调解室 and 矛调中心 serving my territory, with their mediators, workload and success rate',
    handler: async ({ actor, query }) => O.listOrgs(deps, actor, query.region),
  });
  route(app, {
    method: 'POST', url: '/api/v1/mediation/orgs', tags, status: 201, body: C.OrgCreate,
    summary: 'Register a mediation organisation (level, specialties, 品牌)',
    handler: async ({ actor, body }) => ({ id: await O.createOrg(deps, actor, body) }),
  });
  route(app, {
    method: 'POST', url: '/api/v1/mediation/mediators', tags, status: 201, body: C.MediatorCreate,
    summary: 'Register a mediator in an organisation (specialties, 金牌, capacity)',
    handler: async ({ actor, body }) => ({ id: await O.createMediator(deps, actor, body) }),
  });
  route(app, {
    method: 'PATCH', url: '/api/v1/mediation/mediators/:id', tags, params: C.IdParams, body: C.MediatorPatch,
    summary: 'Change a mediator\'s designation, specialties, capacity or activity',
    handler: async ({ actor, params, body }) => { await O.patchMediator(deps, actor, params.id, body); return ok; },
  });

  // ------------------------------------------------------------------ statistics
  route(app, {
    method: 'GET', url: '/api/v1/mediation/stats', tags, query: C.StatsQuery,
    summary: 'Disputes (received, resolved, success rate, 化解率, average days, backlog and its weekly trend) by a dimension, and petitions (volume, forms, repeats, 积案)',
    handler: async ({ actor, query }) => {
      const [disputes, petitions] = await Promise.all([disputeStats(deps, actor, query), petitionStats(deps, actor, query)]);
      return { disputes, petitions };
    },
  });
  route(app, {
    method: 'GET', url: '/api/v1/mediation/stats.xlsx', tags, query: C.StatsQuery, summary: 'The statistics as an XLSX workbook',
    handler: async ({ actor, query, reply }) => reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="mediation-stats-${query.by}.xlsx"`)
      .send(await statsWorkbook(deps, actor, query)),
  });

  // ------------------------------------------------------------------ petitions
  route(app, {
    method: 'POST', url: '/api/v1/petitions', tags: ['petitions'], status: 201, body: C.PetitionCreate,
    summary: 'Register a petition (letter, visit, call, online) with its petitioners; repeats are detected and 重复信访 marked',
    handler: async ({ actor, body, req, reply }) => {
      const id = await P.registerPetition(deps, actor, body, idempotencyKeyOf(req.headers));
      reply.header('location', `/api/v1/petitions/${id}`);
      return P.petitionDetail(deps, actor, id);
    },
  });
  route(app, {
    method: 'GET', url: '/api/v1/petitions', tags: ['petitions'], query: C.PetitionListQuery,
    summary: 'Petitions in scope (departments: those assigned to them) with their deadlines; repeat=true or backlog=true for 重复信访 or 积案',
    handler: async ({ actor, query }) => P.listPetitions(deps, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/v1/petitions/:id', tags: ['petitions'], params: C.IdParams,
    summary: 'A petition: its case, record, calendar-day deadlines, petitioners (masked), repeats, 包案 leaders and bookings',
    handler: async ({ actor, params }) => P.petitionDetail(deps, actor, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/v1/petitions/:id/parties/:partyId/reveal', tags: ['petitions'], params: Sub('partyId'), body: C.Reveal,
    summary: 'Reveal a petitioner\'s contacts for a stated purpose (audited)',
    handler: async ({ actor, params, body }) => P.revealPetitionParty(deps, actor, params.id, params.partyId, body.purpose),
  });
  route(app, {
    method: 'POST', url: '/api/v1/petitions/:id/backlog', tags: ['petitions'], params: C.IdParams, body: C.BacklogMark,
    summary: 'Mark a petition as a backlog case (积案)',
    handler: async ({ actor, params, body }) => { await P.markBacklog(deps, actor, params.id, body.reason); return P.petitionDetail(deps, actor, params.id); },
  });
  route(app, {
    method: 'GET', url: '/api/v1/petitions/:id/leader-candidates', tags: ['petitions'], params: C.IdParams, query: C.LeaderCandidateQuery,
    summary: '领导包案: the users who may be named leaders of this petition (its region\'s line in the district), with their unit; search by name or unit',
    handler: async ({ actor, params, query }) => P.leaderCandidates(deps, actor, params.id, query),
  });
  route(app, {
    method: 'PUT', url: '/api/v1/petitions/:id/leaders', tags: ['petitions'], params: C.IdParams, body: C.LeaderAssignment,
    summary: '领导包案: a county-level leader, a department, a township and a police officer, each a user of the platform (userId), with their responsibility',
    handler: async ({ actor, params, body }) => { await P.assignLeaders(deps, actor, params.id, body.leaders); return P.petitionDetail(deps, actor, params.id); },
  });
  route(app, {
    method: 'GET', url: '/api/v1/reception-days', tags: ['petitions'], summary: 'Leader reception days (领导接访日) from today, with bookings',
    handler: async ({ actor }) => P.listReceptionDays(deps, actor),
  });
  route(app, {
    method: 'POST', url: '/api/v1/reception-days', tags: ['petitions'], status: 201, body: C.ReceptionDayCreate,
    summary: 'Schedule a leader reception day',
    handler: async ({ actor, body }) => ({ id: await P.createReceptionDay(deps, actor, body) }),
  });
  route(app, {
    method: 'POST', url: '/api/v1/reception-days/:id/bookings', tags: ['petitions'], status: 201, params: C.IdParams, body: C.BookingCreate,
    summary: 'Book a petitioner on a reception day (within its capacity)',
    handler: async ({ actor, params, body }) => ({ id: await P.bookReception(deps, actor, params.id, body) }),
  });
  route(app, {
    method: 'PUT', url: '/api/v1/reception-bookings/:id', tags: ['petitions'], params: C.IdParams, body: C.BookingUpdate,
    summary: 'Record that a booked petitioner was received (with the outcome), or cancel the booking',
    handler: async ({ actor, params, body }) => { await P.updateBooking(deps, actor, params.id, body); return ok; },
  });
  route(app, {
    method: 'GET', url: '/api/v1/petition-limits', tags: ['petitions'], summary: 'The time limits of 《信访工作条例》 in force (calendar days)',
    handler: async ({ actor }) => { mediationPolicy.assert(actor, 'petition.read'); return deps.limits; },
  });
}
