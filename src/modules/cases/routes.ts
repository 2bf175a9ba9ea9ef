// HTTP routes of the case engine: thin handlers over service.ts.
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { route } from '../../platform/http/route.ts';
import { AppError, badRequest, notFound } from '../../platform/errors.ts';
import { createCase } from './intake.ts';
import { checkedInput, transition } from './transition.ts';
import { detailView, dispatchTargets, getCase, revealReporter, routingSuggestion, timeline } from './views.ts';
import { listCases } from './list.ts';
import { actionSchema, fieldKinds, inboxGroups, outcomes, systemFacts } from './definition.ts';
import type { CaseDeps } from './deps.ts';
import { CallerHistoryBody, CaseIdParams, CaseListResponse, Intake, ListQuery } from './contracts.ts';
import { callerHistory } from './callers.ts';
import { exportCases } from './export.ts';

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
        if (!parsed.success) throw badRequest('invalid_idempotency_key', { zh: '幂等键（Idempotency-Key）须为 1–200 个可打印 ASCII 字符。', en: parsed.error.issues[0].message });
        key = parsed.data;
      }
      const r = await createCase(deps, actor, body, key);
      // a new case has no assignments yet: its view comes from the row the intake statement returned
      const view = r.row && !r.movedOn ? detailView(deps, actor, r.row, []) : await getCase(deps, actor, r.caseId);
      reply.header('location', `/api/v1/cases/${r.caseId}`);
      if (r.replayed) reply.header('idempotent-replayed', 'true');
      return Object.assign(view, { routing: r.suggestion });
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
    method: 'GET', url: '/api/v1/cases/export.xlsx', tags: ['cases'],
    summary: 'The case list as an XLSX workbook: the same filters and scope as GET /api/v1/cases (paging ignored), up to 10,000 cases, with the period, the filters and the count on its first sheet; headers in the request\'s language',
    query: ListQuery,
    handler: async ({ query, actor, req, reply }) => {
      const lang = /^en\b/i.test(String(req.headers['accept-language'] ?? '')) ? 'en' : 'zh';
      const x = await exportCases(deps, actor, query, lang);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="cases.xlsx"; filename*=UTF-8''${encodeURIComponent(lang === 'zh' ? '案件列表.xlsx' : 'cases.xlsx')}`)
        .header('x-total-rows', String(x.rows))
        .send(x.buffer);
    },
  });

  route(app, {
    method: 'POST', url: '/api/v1/callers/history', tags: ['cases'],
    summary: 'A caller\'s earlier tickets by phone (found by its keyed hash), newest first, with a repeat-caller mark; the phone goes in the body, never in a URL',
    body: CallerHistoryBody,
    handler: async ({ body, actor }) => callerHistory(deps, actor, body.phone),
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
    method: 'GET', url: '/api/v1/cases/:id/targets', tags: ['cases'],
    summary: 'The units I may name as lead or assisting unit of an action on the case (派遣的范围: a community within its own community, '
      + 'a street centre within its street and to district departments, the district anywhere in it, and units the responsibility list names)',
    params: CaseIdParams,
    query: z.object({ action: z.string().min(1).max(40) }).strict(),
    handler: async ({ params, query, actor }) => dispatchTargets(deps, actor, params.id, query.action),
  });

  route(app, {
    method: 'POST', url: '/api/v1/cases/:id/reporter/reveal', tags: ['cases'],
    summary: 'Reveal the reporter\'s name and phone for a stated purpose (audited)',
    params: CaseIdParams,
    body: z.object({ purpose: z.string().trim().min(2).max(200) }).strict(),
    handler: async ({ params, body, actor }) => revealReporter(deps, actor, params.id, body.purpose),
  });

  route(app, {
    method: 'GET', url: '/api/v1/categories', tags: ['directory'],
    summary: 'The category tree (部件/事件 per GB/T 30428.2, 12345 诉求分类) with time limits',
    query: z.object({ type: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'case types are lower-case letters, digits and underscores').optional() }).strict(),
    handler: async ({ query }) => {
      const rows = await deps.ctx.db.query<any>(
        `SELECT code, parent_code, name_zh, name_en, case_types, limit_minutes, filing_condition, closing_condition, keywords
         FROM category WHERE active ${query.type ? 'AND $1 = ANY(case_types)' : ''} ORDER BY code`, query.type ? [query.type] : []);
      return {
        items: rows.map((c) => ({
          code: c.code, parentCode: c.parent_code, name: { zh: c.name_zh, en: c.name_en }, caseTypes: c.case_types,
          limitMinutes: c.limit_minutes, filingCondition: c.filing_condition, closingCondition: c.closing_condition,
          keywords: c.keywords ?? [],
        })),
      };
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/workflows', tags: ['cases'],
    summary: 'The case types in force, every version: states (open or terminal, clock, public, inbox group, labels) and actions '
      + '(fields, who may act, public or not); the console builds its inboxes, lights and action dialogs from these',
    handler: async () => ({
      items: deps.types.all(),
      // every topic a case event can have on /api/v1/events: case.<action or system fact>, and case.reported for a new case
      topics: [...new Set(['case.reported', ...Object.keys(systemFacts).map((f) => `case.${f}`),
        ...deps.types.all().flatMap((d) => d.actions.map((a) => `case.${a.name}`))])],
      latest: Object.fromEntries(deps.types.types().map((d) => [d.type, d.version])),
      inboxGroups, outcomes, fieldKinds, systemFacts,
    }),
  });

  // One documented route per action, with exactly the body its definition declares.
  for (const [name, a] of deps.types.actionsByName()) {
    route(app, {
      method: 'POST', url: `/api/v1/cases/:id/actions/${name}`, tags: ['case actions'],
      summary: `${a.label.zh} ${a.label.en} (${a.types.join(', ')})`,
      params: CaseIdParams,
      body: actionSchema(a.fields),
      parseBody: (raw) => checkedInput({ name, fields: a.fields }, raw),
      handler: async ({ params, body, actor }) => {
        const r = await transition(deps, actor, params.id, name, body);
        return { ...r, case: await getCase(deps, actor, params.id) };
      },
    });
  }
  // Any other name is no action of any type (hidden from the documentation).
  app.post('/api/v1/cases/:id/actions/:action', { schema: { hide: true } }, async (req) => {
    if (!req.actor) throw new AppError(401, 'unauthenticated', { zh: `请先登录（登录已失效时请重新登录）。`, en: 'Log in first: send the session cookie or an Authorization: Bearer token.' });
    const { action } = req.params as { action: string };
    throw badRequest('unknown_action', { zh: `“${String(action).slice(0, 40)}”不是有效的操作。可用操作：${[...deps.types.actionsByName().keys()].join('、')}。`, en: `"${String(action).slice(0, 40)}" is not an action. Known: ${[...deps.types.actionsByName().keys()].join(', ')}.` });
  });
}
