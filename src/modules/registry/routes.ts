// HTTP routes of the registries: thin handlers over the use cases. Every record kind gets list,
// create, read, patch and delete; kinds with personal fields get reveal.
import type { FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { route, toJsonSchema } from '../../platform/http/route.ts';
import { AppError, badRequest } from '../../platform/errors.ts';
import { fieldPathZh, firstIssueZh } from '../../platform/fields.ts';
import { MAX_UPLOAD_BYTES } from '../../platform/http/server.ts';
import { multipartFileBody } from '../../platform/http/uploads.ts';
import { listDuplicateReviews, resolveDuplicate } from './duplicates.ts';
import type { RegistryDeps } from './common.ts';
import {
  AuditRevealQuery, DictionaryParams, DuplicateResolveBody, DictionaryPatch, DictionaryQuery, ExportQuery, FollowupCreate, GrantCreate, IdParams,
  ImportQuery, LabelCreate, LabelEnd, LabelParams, LabelPatch, listQueries, RevealBody, importKinds, TenancyCreate, TenancyEnd, TenancyParams,
  type ImportKind,
} from './contracts.ts';
import { createTenancy, endTenancy, listHouseholdTenancies, listHouseTenancies, listPersonTenancies } from './links.ts';
import { getDictionary, listDictionaries, patchDictionary } from './dictionaries.ts';
import { createSchema, kinds, patchSchema, type KindName } from './kinds.ts';
import { fieldSets, PersonCreate, PersonPatch } from './persons-model.ts';
import * as persons from './persons.ts';
import * as records from './records.ts';
import { createGrant, listGrants, listReveals, revokeGrant } from './oversight.ts';
import { assertPlatformAdmin, assertRegistryUser } from './policy.ts';
import { csvOf, exportKinds, exportRows, templateCsv, templateXlsx, xlsxOf, type ExportKind } from './import/export.ts';
import { getImport, importErrorReport, listImports, rejectedRows, startImport } from './import/pipeline.ts';
import { langOf, type Lang } from './import/messages.ts';
import { csvRecords, estimateRecords, xlsxRecords } from './import/sources.ts';

const TemplateParams = z.object({
  file: z.string().regex(new RegExp(`^(${importKinds.join('|')})\\.(csv|xlsx)$`), `files are ${importKinds.map((k) => `${k}.xlsx`).join(', ')} (or .csv)`)
    .transform((s) => ({ kind: s.slice(0, s.lastIndexOf('.')) as ImportKind, format: s.slice(s.lastIndexOf('.') + 1) as 'csv' | 'xlsx' })),
}).strict();
const ExportParams = z.object({
  file: z.string().regex(new RegExp(`^(${exportKinds.join('|')})\\.(csv|xlsx)$`), `files are ${exportKinds.map((k) => `${k}.csv`).join(', ')} (or .xlsx)`)
    .transform((s) => ({ kind: s.slice(0, s.lastIndexOf('.')) as ExportKind, format: s.slice(s.lastIndexOf('.') + 1) as 'csv' | 'xlsx' })),
}).strict();
const RejectedParams = z.object({
  id: z.string().regex(/^\d{1,15}$/, 'ids are whole numbers').transform(Number),
  format: z.enum(['csv', 'xlsx']),
}).strict();
const LangQuery = z.object({ lang: z.enum(['zh', 'en']).optional() }).strict();
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The reader's language: ?lang=, else Accept-Language. */
const langFrom = (req: { headers: Record<string, unknown> }, q?: { lang?: Lang }): Lang => q?.lang ?? langOf(req.headers['accept-language'] as string | undefined);

function sendXlsx(reply: any, name: string, body: Buffer | Readable) {
  reply.header('content-type', XLSX_TYPE);
  reply.header('content-disposition', `attachment; filename="${name}"`);
  reply.header('cache-control', 'no-store');
  return reply.send(body);
}

function sendCsv(reply: any, name: string, body: string | Readable) {
  reply.header('content-type', 'text/csv; charset=utf-8');
  reply.header('content-disposition', `attachment; filename="${name}"`);
  reply.header('cache-control', 'no-store');
  return reply.send(body);
}

function kindRoutes(app: FastifyInstance, deps: RegistryDeps, name: KindName): void {
  const k = kinds[name];
  const tags = ['registry'];
  const base = `/api/v1/${name}`;
  route(app, {
    method: 'GET', url: base, tags, summary: `List ${name} (${k.zh}) in your region: filters, paging; personal fields masked`,
    query: k.listQuery,
    handler: async ({ query, actor }) => records.listRecords(deps, actor, name, query as any),
  });
  route(app, {
    method: 'POST', url: base, tags, status: 201, summary: `Register a ${k.resource} (${k.zh}) in a grid of your region`,
    body: createSchema(k),
    handler: async ({ body, actor, reply }) => {
      const out = await records.createRecord(deps, actor, name, body as Record<string, any>);
      reply.header('location', `${base}/${out.id}`);
      return out;
    },
  });
  route(app, {
    method: 'GET', url: `${base}/:id`, tags, summary: `One ${k.resource}`, params: IdParams,
    handler: async ({ params, actor }) => records.getRecord(deps, actor, name, params.id),
  });
  route(app, {
    method: 'PATCH', url: `${base}/:id`, tags, summary: `Change a ${k.resource}; null clears an optional field`, params: IdParams,
    body: patchSchema(k),
    handler: async ({ params, body, actor }) => records.patchRecord(deps, actor, name, params.id, body as Record<string, any>),
  });
  route(app, {
    method: 'DELETE', url: `${base}/:id`, tags, status: 204, summary: `Remove a ${k.resource} (communities and above)`, params: IdParams,
    handler: async ({ params, actor, reply }) => { await records.deleteRecord(deps, actor, name, params.id); return reply.code(204).send(); },
  });
  if (k.sensitive.length) {
    route(app, {
      method: 'POST', url: `${base}/:id/reveal`, tags,
      summary: `Reveal the personal fields of a ${k.resource} (${k.sensitive.map((s) => s.api).join(', ')}) for a stated purpose; audited`,
      params: IdParams, body: RevealBody,
      handler: async ({ params, body, actor }) => records.revealRecord(deps, actor, name, params.id, body),
    });
  }
}

export function registryRoutes(app: FastifyInstance, deps: RegistryDeps): void {
  const tags = ['registry'];

  // Persons (实有人口), labels (特殊人群) and follow-ups
  route(app, {
    method: 'GET', url: '/api/v1/persons', tags,
    summary: 'List persons in your region; idNumber (with idType) and phone look up by keyed hash; filter by population type, label, house, household',
    query: listQueries.persons,
    handler: async ({ query, actor }) => persons.listPersons(deps, actor, query),
  });
  route(app, {
    method: 'POST', url: '/api/v1/persons', tags, status: 201,
    summary: 'Register a person: ID number checked (GB 11643) and sealed with name and phone; one record per ID number',
    body: PersonCreate,
    handler: async ({ body, actor, reply }) => {
      const out = await persons.createPerson(deps, actor, body);
      reply.header('location', `/api/v1/persons/${out.id}`);
      return out;
    },
  });
  route(app, {
    method: 'GET', url: '/api/v1/persons/duplicate-reviews', tags,
    summary: 'Registrations whose ID number was registered already outside the registering user\'s scope, waiting for a supervisor whose scope covers both records',
    handler: async ({ actor }) => listDuplicateReviews(deps, actor),
  });
  route(app, {
    method: 'POST', url: '/api/v1/persons/duplicate-reviews/:id/resolve', tags,
    summary: 'Settle a duplicate registration: move the existing record to the new place (with the new record\'s labels), or discard the new record; audited',
    params: IdParams, body: DuplicateResolveBody,
    handler: async ({ params, body, actor }) => resolveDuplicate(deps, actor, params.id, body.resolution, body.note),
  });
  route(app, {
    method: 'GET', url: '/api/v1/persons/:id', tags, summary: 'One person (personal fields masked)', params: IdParams,
    handler: async ({ params, actor }) => persons.getPerson(deps, actor, params.id),
  });
  route(app, {
    method: 'PATCH', url: '/api/v1/persons/:id', tags, summary: 'Change a person; null clears an optional field', params: IdParams, body: PersonPatch,
    handler: async ({ params, body, actor }) => persons.patchPerson(deps, actor, params.id, body),
  });
  route(app, {
    method: 'DELETE', url: '/api/v1/persons/:id', tags, status: 204, summary: 'Remove a person with their labels and follow-ups (communities and above)', params: IdParams,
    handler: async ({ params, actor, reply }) => { await persons.deletePerson(deps, actor, params.id); return reply.code(204).send(); },
  });
  route(app, {
    method: 'POST', url: '/api/v1/persons/:id/reveal', tags,
    summary: 'Reveal ID number, name, phone and the personal fields of details and labels, for a stated purpose; needs the role or a grant; audited',
    params: IdParams, body: RevealBody,
    handler: async ({ params, body, actor }) => persons.revealPerson(deps, actor, params.id, body),
  });
  route(app, {
    method: 'GET', url: '/api/v1/persons/:id/labels', tags, summary: "A person's labels (special populations), with their fields", params: IdParams,
    handler: async ({ params, actor }) => persons.listLabels(deps, actor, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/v1/persons/:id/labels', tags, status: 201,
    summary: 'Label a person: released_prisoner, community_correction, severe_mental_disorder, drug_user, key_youth, hiv_risk, petitioner or custom; fields validated per type',
    params: IdParams, body: LabelCreate,
    handler: async ({ params, body, actor }) => persons.createLabel(deps, actor, params.id, body),
  });
  route(app, {
    method: 'PATCH', url: '/api/v1/persons/:id/labels/:labelId', tags, summary: 'Change or end a label (active: false)', params: LabelParams, body: LabelPatch,
    handler: async ({ params, body, actor }) => persons.patchLabel(deps, actor, params.id, params.labelId, body),
  });
  route(app, {
    method: 'POST', url: '/api/v1/persons/:id/labels/:labelId/end', tags,
    summary: 'End a label (end: the term is over, 解矫) or lift it (lift: 解除), on a date and for a reason; communities and above; kept in its history',
    params: LabelParams, body: LabelEnd,
    handler: async ({ params, body, actor }) => persons.endLabel(deps, actor, params.id, params.labelId, body),
  });
  route(app, {
    method: 'GET', url: '/api/v1/persons/:id/labels/:labelId/history', tags, summary: 'The life cycle of a label: started, changed, ended or lifted, when, by whom and why',
    params: LabelParams,
    handler: async ({ params, actor }) => persons.labelHistory(deps, actor, params.id, params.labelId),
  });
  route(app, {
    method: 'GET', url: '/api/v1/persons/:id/tenancies', tags, summary: 'The houses a person rents or rented (以房管人)', params: IdParams,
    handler: async ({ params, actor }) => listPersonTenancies(deps, actor, params.id),
  });
  route(app, {
    method: 'GET', url: '/api/v1/households/:id/tenancies', tags, summary: 'The houses a household rents or rented, with their tenants (以房管人)', params: IdParams,
    handler: async ({ params, actor }) => listHouseholdTenancies(deps, actor, params.id),
  });
  route(app, {
    method: 'GET', url: '/api/v1/houses/:id/tenancies', tags, summary: 'The tenants of a house, registry persons, current first', params: IdParams,
    handler: async ({ params, actor }) => listHouseTenancies(deps, actor, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/v1/houses/:id/tenancies', tags, status: 201,
    summary: 'Let a house (or one of its rooms) to a registered person, with the lease; the house becomes rented', params: IdParams, body: TenancyCreate,
    handler: async ({ params, body, actor }) => createTenancy(deps, actor, params.id, body),
  });
  route(app, {
    method: 'POST', url: '/api/v1/houses/:id/tenancies/:tenancyId/end', tags, summary: 'End a tenancy on a date (the record stays)',
    params: TenancyParams, body: TenancyEnd,
    handler: async ({ params, body, actor }) => endTenancy(deps, actor, params.id, params.tenancyId, body.endedOn),
  });
  route(app, {
    method: 'GET', url: '/api/v1/persons/:id/labels/:labelId/followups', tags, summary: 'The follow-up log (跟踪/帮扶记录) of a label', params: LabelParams,
    handler: async ({ params, actor }) => persons.listFollowups(deps, actor, params.id, params.labelId),
  });
  route(app, {
    method: 'POST', url: '/api/v1/persons/:id/labels/:labelId/followups', tags, status: 201,
    summary: 'Add a follow-up (track or assist); follow-ups are immutable', params: LabelParams, body: FollowupCreate,
    handler: async ({ params, body, actor }) => persons.createFollowup(deps, actor, params.id, params.labelId, body),
  });

  route(app, {
    method: 'GET', url: '/api/v1/registry/field-sets', tags,
    summary: 'The fields of each population type and each special-population label, as data: key, 中文 and English name, kind, dictionary, required',
    handler: async ({ actor }) => { assertRegistryUser(actor); return fieldSets(); },
  });

  for (const name of Object.keys(kinds) as KindName[]) kindRoutes(app, deps, name);

  // Dictionaries (code tables)
  route(app, {
    method: 'GET', url: '/api/v1/dictionaries', tags: ['dictionaries'], summary: 'The code tables, with their standard and version',
    handler: async () => listDictionaries(deps.ctx.db),
  });
  route(app, {
    method: 'GET', url: '/api/v1/dictionaries/:name', tags: ['dictionaries'], summary: 'One code table (active entries; all=true for every entry)',
    params: DictionaryParams, query: DictionaryQuery,
    handler: async ({ params, query }) => getDictionary(deps.ctx.db, params.name, query.all === 'true'),
  });
  route(app, {
    method: 'PATCH', url: '/api/v1/dictionaries/:name', tags: ['dictionaries'],
    summary: 'Change labels, aliases or the active flag of entries, or add entries (administrators of the top region); later file versions keep these edits',
    params: DictionaryParams, body: DictionaryPatch,
    handler: async ({ params, body, actor }) => {
      await assertPlatformAdmin(deps.ctx.db, actor);
      await patchDictionary(deps.ctx.db, actor.id, params.name, body.entries);
      deps.dictionaries.invalidate();
      return getDictionary(deps.ctx.db, params.name, true);
    },
  });

  // Oversight: reveal grants and the reveal audit
  route(app, {
    method: 'GET', url: '/api/v1/registry/reveal-grants', tags: ['audit'], summary: 'Per-user reveal grants in your region (administrators)',
    handler: async ({ actor }) => listGrants(deps, actor),
  });
  route(app, {
    method: 'POST', url: '/api/v1/registry/reveal-grants', tags: ['audit'], status: 201,
    summary: 'Let a grid worker reveal personal data (with a reason, optionally until a time); administrators',
    body: GrantCreate,
    handler: async ({ body, actor }) => createGrant(deps, actor, body),
  });
  route(app, {
    method: 'DELETE', url: '/api/v1/registry/reveal-grants/:id', tags: ['audit'], status: 204, summary: 'Revoke a reveal grant', params: IdParams,
    handler: async ({ params, actor, reply }) => { await revokeGrant(deps, actor, params.id); return reply.code(204).send(); },
  });
  route(app, {
    method: 'GET', url: '/api/v1/audit/reveals', tags: ['audit'],
    summary: 'Who revealed which personal data, when and why (registries and case reporters); administrators, command centres and street centres, in their region',
    query: AuditRevealQuery,
    handler: async ({ query, actor }) => listReveals(deps, actor, query),
  });

  // Files: templates, exports, imports
  route(app, {
    method: 'GET', url: '/api/v1/registry/templates/:file', tags: ['imports'],
    summary: 'The import template of a kind: persons.xlsx (and houses, organisations, facilities) — the columns, example rows, a note on which columns each 人口类型 fills, and the code lists; .csv gives the header row alone',
    params: TemplateParams,
    handler: async ({ params, reply }) => (params.file.format === 'xlsx'
      ? sendXlsx(reply, `${params.file.kind}-template.xlsx`, await templateXlsx(deps, params.file.kind))
      : sendCsv(reply, `${params.file.kind}-template.csv`, templateCsv(params.file.kind))),
  });
  route(app, {
    method: 'GET', url: '/api/v1/registry/exports/:file', tags: ['imports'],
    summary: 'Export the records of a kind in your region (persons, houses, organisations, facilities, buildings, rooms, households, places, things) as CSV or XLSX, each code with its label beside it; personal fields masked; audited',
    params: ExportParams, query: ExportQuery,
    handler: async ({ params, query, actor, reply }) => {
      assertRegistryUser(actor);
      const rows = exportRows(deps, actor, params.file.kind, query.regionCode);
      return params.file.format === 'xlsx'
        ? sendXlsx(reply, `${params.file.kind}.xlsx`, xlsxOf(rows, params.file.kind))
        : sendCsv(reply, `${params.file.kind}.csv`, Readable.from(csvOf(rows)));
    },
  });

  app.post('/api/v1/imports', {
    schema: {
      summary: 'Import a CSV (or XLSX) file of persons, houses, organisations or facilities: multipart field "file"; mode all_or_nothing (default) or valid_rows; 202 with the job to poll, or the finished job with wait=true',
      tags: ['imports'], consumes: ['multipart/form-data'], querystring: toJsonSchema(ImportQuery), security: [{ bearer: [] }, { cookie: [] }],
      body: multipartFileBody('a UTF-8 CSV file in the import template\'s columns, or an XLSX workbook (≤ 10 MB)'),
    },
  }, async (req, reply) => {
    const actor = req.actor;
    if (!actor) throw new AppError(401, 'unauthenticated', { zh: `请先登录后再操作。`, en: 'Log in first.' });
    const parsed = ImportQuery.safeParse(req.query ?? {});
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new AppError(400, 'validation_failed', { zh: `查询参数无效：${fieldPathZh(i.path.map(String).join('.'))} — ${firstIssueZh(ImportQuery, req.query ?? {})?.message ?? i.message}`, en: `Invalid query: ${['query', ...i.path.map(String)].join('.')} — ${i.message}` });
    }
    assertRegistryUser(actor);
    if (!req.isMultipart()) throw new AppError(415, 'not_multipart', { zh: `请以 multipart/form-data 格式上传文件，字段名为“file”。`, en: 'Send the file as multipart/form-data in a field named "file".' });
    const file = await req.file();
    if (!file) throw badRequest('missing_file', { zh: `请求中没有文件。`, en: 'No file in the request.' });
    const buf = await file.toBuffer();
    if (file.file.truncated || buf.length > MAX_UPLOAD_BYTES) throw new AppError(413, 'payload_too_large', { zh: `导入文件不能超过 10 MB，更大的文件请使用命令行导入。`, en: 'Import files are limited to 10 MB; use the command line for bigger files.' });
    if (!buf.length) throw badRequest('malformed_file', { zh: `上传的文件为空，请重新选择文件。`, en: 'The file is empty.' });
    const isXlsx = buf.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    if (!isXlsx && buf.includes(0)) throw new AppError(415, 'unsupported_media_type', { zh: `请上传 UTF-8 编码的 CSV 文件（或 XLSX 文件）。`, en: 'Send a UTF-8 CSV file (or XLSX).' });
    const source = isXlsx ? await xlsxRecords(buf) : csvRecords(buf);
    const q = parsed.data;
    const started = await startImport(deps, actor, {
      kind: q.kind, mode: q.mode, fileName: file.filename, source, estimatedTotal: isXlsx ? undefined : estimateRecords(buf),
    });
    reply.header('location', `/api/v1/imports/${started.jobId}`);
    if (q.wait === 'true') { await started.done; return reply.code(200).send(await getImport(deps, actor, started.jobId, langFrom(req))); }
    started.done.catch((err) => deps.ctx.log.error({ err }, 'import failed'));
    return reply.code(202).send(await getImport(deps, actor, started.jobId, langFrom(req)));
  });
  route(app, {
    method: 'GET', url: '/api/v1/imports', tags: ['imports'], summary: 'Your latest imports', query: LangQuery,
    handler: async ({ actor, req, query }) => listImports(deps, actor, langFrom(req, query)),
  });
  route(app, {
    method: 'GET', url: '/api/v1/imports/:id', tags: ['imports'], summary: 'An import job: status and processed/total counts, for polling; warnings in your language',
    params: IdParams, query: LangQuery,
    handler: async ({ params, actor, req, query }) => getImport(deps, actor, params.id, langFrom(req, query)),
  });
  route(app, {
    method: 'GET', url: '/api/v1/imports/:id/errors.csv', tags: ['imports'],
    summary: 'The error report of an import: row, column, value (masked when personal), reason in your language (lang, else Accept-Language) — every refused cell of every refused row',
    params: IdParams, query: LangQuery,
    handler: async ({ params, actor, reply, req, query }) =>
      sendCsv(reply, `import-${params.id}-errors.csv`, `\uFEFF${await importErrorReport(deps, actor, params.id, langFrom(req, query))}`),
  });
  route(app, {
    method: 'GET', url: '/api/v1/imports/:id/rejected.:format', tags: ['imports'],
    summary: 'The refused rows of your import as they were in the file, with a last column of their reasons: correct them and import the file again as it is',
    params: RejectedParams, query: LangQuery,
    handler: async ({ params, actor, reply, req, query }) => {
      const { header, rows } = await rejectedRows(deps, actor, params.id, langFrom(req, query));
      return params.format === 'xlsx'
        ? sendXlsx(reply, `import-${params.id}-rejected.xlsx`, xlsxOf([header, ...rows], langFrom(req, query) === 'en' ? 'Rejected rows' : '错误行'))
        : sendCsv(reply, `import-${params.id}-rejected.csv`, Readable.from(csvOf([header, ...rows])));
    },
  });
}
