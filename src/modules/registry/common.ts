// Pieces every registry use case shares: dependencies, the check environment, grid resolution,
// turning issues into problem details, audit rows, paging.
import type { Actor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors.ts';
import { fieldPathZh, fieldZh, zhWhere } from '../../platform/fields.ts';
import { zhReason } from './import/messages.ts';
import { regionLevels } from '../../platform/scope.ts';
import type { Dictionaries } from './dictionaries.ts';
import type { Issue } from './kinds.ts';
import { inScope } from './policy.ts';
import type { PrepareEnv } from './prepare.ts';
import { gridIssue, type RegionDirectory } from './region-directory.ts';

export interface RegistryDeps {
  ctx: AppContext;
  dictionaries: Dictionaries;
  regions: RegionDirectory;
  /** Names of audit targets other modules own, by kind (case:12 → its case number), given by the composition root. */
  targetNames?: Record<string, (ids: number[]) => Promise<Map<number, string>>>;
}

export async function prepareEnv(deps: RegistryDeps): Promise<PrepareEnv> {
  const dict = await deps.dictionaries.fresh();
  return { has: (d, c) => dict.has(d, c), today: deps.ctx.now(), cipher: deps.ctx.cipher };
}

/** An issue's reason in Chinese (the column by its Chinese name; an unknown code quotes the value). */
function issueZh(i: Issue): string {
  const name = fieldZh(i.path.split('.').filter((p) => !/^\d+$/.test(p)).pop() ?? '');
  return zhReason(i, name, i.code === 'unknown_code' ? i.message.split(' ')[0].replace(/^"|"$/g, '') : '');
}

/** 422 with every issue (paths as in the request body), each in both languages; the first issue's code is the problem's code. */
export function invalid(issues: Issue[], where = 'body'): AppError {
  const first = issues[0];
  return new AppError(422, first.code, { zh: `${zhWhere(where)}无效：${fieldPathZh(first.path)} — ${issueZh(first)}`, en: `Invalid ${where}.${first.path}: ${first.message}` }, {
    errors: issues.slice(0, 50).map((i) => ({ path: `${where}.${i.path}`, code: i.code, message: i.message, zh: issueZh(i) })),
  });
}

/**
 * The grid a new or moved record goes to: an existing grid in the actor's scope. Inside a transaction
 * pass refresh: false (and ensure the code beforehand): PGlite's one connection is held by the transaction.
 */
export async function resolveGrid(deps: RegistryDeps, actor: Actor, code: string | undefined, refresh = true): Promise<string> {
  if (code && refresh) await deps.regions.ensure(code);
  const issue = gridIssue(code, (c) => deps.regions.level(c), (c) => inScope(actor, c));
  if (!issue) return code!;
  if (issue.code === 'outside_scope') throw new AppError(403, 'outside_scope', { zh: `网格 ${code} 不在您的工作区域内。`, en: `Grid ${code} is outside the region you work in.` });
  throw invalid([issue]);
}

export function regionColumns(code: string): { region_code: string; district_code: string; street_code: string | null; community_code: string | null } {
  const l = regionLevels(code);
  return { region_code: code, district_code: l.district, street_code: l.street, community_code: l.community };
}

export async function audit(q: Queryable, actor: Actor, action: string, target: string, regionCode: string | null, detail: Record<string, unknown>): Promise<void> {
  await q.query(
    'INSERT INTO audit_log (actor_id, action, target, region_code, detail) VALUES ($1, $2, $3, $4, $5::jsonb)',
    [actor.id, action, target, regionCode, JSON.stringify(detail)]);
}

export const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);
export const likeEscape = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);
export const isUniqueViolation = (err: any) => err?.code === '23505';
export const isForeignKeyViolation = (err: any) => err?.code === '23503';

export interface Page<T> { items: T[]; page: number; pageSize: number; hasMore: boolean; total?: number }

/** Runs a list query newest first with LIMIT n+1 paging, and counts when asked. */
export async function pageOf<T>(
  q: Queryable, select: string, from: string, whereSql: string, params: unknown[],
  opts: { page: number; pageSize: number; count?: string }, map: (row: any) => T,
): Promise<Page<T>> {
  const offset = (opts.page - 1) * opts.pageSize;
  const rows = await q.query<any>(`${select} FROM ${from} WHERE ${whereSql} ORDER BY t.id DESC LIMIT ${opts.pageSize + 1} OFFSET ${offset}`, params);
  let total: number | undefined;
  if (opts.count === 'true') {
    const [r] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${from} WHERE ${whereSql}`, params);
    total = r.n;
  }
  return {
    items: rows.slice(0, opts.pageSize).map(map), page: opts.page, pageSize: opts.pageSize, hasMore: rows.length > opts.pageSize,
    ...(total !== undefined ? { total } : {}),
  };
}
