// The knowledge base (知识库): the centre's articles — a question callers ask and its answer, by category,
// valid between two dates — searched as the operator types and used as the 直接答复 of a ticket answered
// on the call. An article belongs to a region and applies there and below (a city's article reaches every
// district; a district's, its streets); its editors work within their own territory.
import type { Actor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { notFound, unprocessable } from '../../platform/errors.ts';
import { regionScope } from '../../platform/scope.ts';
import { findCategory } from '../cases/index.ts';
import { knowledgePolicy } from './policy.ts';
import type { ArticleCreateT, ArticlePatchT, ArticleQueryT } from './contracts.ts';

export interface Article {
  id: number; regionCode: string; categoryCode: string | null; title: string; question: string | null; answer: string;
  keywords: string[]; source: string | null; validFrom: string | null; validTo: string | null; active: boolean;
  /** In force today: active and within its dates. */
  inForce: boolean;
  /** How well it matches the search text (keywords found in it count most); absent without a search. */
  score?: number;
  updatedAt: string;
}

/** Today in China (the validity dates are calendar days there). */
const chinaDay = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const isoDay = (v: unknown) => (v == null ? null : v instanceof Date ? chinaDay(v) : String(v).slice(0, 10));

/** The region codes above a code (and the code itself): a county is 6 digits, a street 9, a community 12, a grid 14. */
function ancestors(code: string): string[] {
  return [2, 4, 6, 9, 12, 14, 16].filter((n) => n <= code.length).map((n) => code.slice(0, n));
}

function toArticle(r: any, today: string): Article {
  const validFrom = isoDay(r.valid_from);
  const validTo = isoDay(r.valid_to);
  return {
    id: Number(r.id), regionCode: r.region_code, categoryCode: r.category_code, title: r.title, question: r.question, answer: r.answer,
    keywords: r.keywords ?? [], source: r.source, validFrom, validTo, active: r.active,
    inForce: r.active && (!validFrom || validFrom <= today) && (!validTo || validTo >= today),
    ...(r.score != null ? { score: Number(r.score) } : {}),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/** SQL true for the articles that apply to the actor's region: those of a region above it or within it. */
function applicableSql(actor: Actor, params: unknown[]): string {
  params.push(ancestors(actor.regionCode));
  const up = `$${params.length}`;
  params.push(`${actor.regionCode}%`);
  return `(a.region_code = ANY(${up}::text[]) OR a.region_code LIKE $${params.length})`;
}

export async function listArticles(ctx: AppContext, actor: Actor, q: ArticleQueryT) {
  knowledgePolicy.assert(actor, 'knowledge.read');
  if (q.all === 'true') knowledgePolicy.assert(actor, 'knowledge.write');
  const today = chinaDay(ctx.now());
  const params: unknown[] = [];
  const where = [applicableSql(actor, params)];
  if (q.all !== 'true') {
    params.push(today);
    const d = `$${params.length}::date`;
    where.push(`a.active AND (a.valid_from IS NULL OR a.valid_from <= ${d}) AND (a.valid_to IS NULL OR a.valid_to >= ${d})`);
  }
  if (q.category) { params.push(`${q.category}%`); where.push(`a.category_code LIKE $${params.length}`); }
  let score = 'NULL::int';
  if (q.q) {
    // a keyword found in what was typed counts 3, the text found in the title 2, in the question or answer 1
    params.push(q.q);
    const text = `$${params.length}`;
    params.push(`%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    const like = `$${params.length}`;
    score = `(3 * (SELECT count(*) FROM unnest(a.keywords) k WHERE strpos(${text}, k) > 0)
      + CASE WHEN a.title ILIKE ${like} OR strpos(${text}, a.title) > 0 THEN 2 ELSE 0 END
      + CASE WHEN a.question ILIKE ${like} OR a.answer ILIKE ${like} THEN 1 ELSE 0 END)::int`;
    where.push(`${score} > 0`);
  }
  const offset = (q.page - 1) * q.pageSize;
  const rows = await ctx.db.query<any>(
    `SELECT a.*, ${score} AS score FROM kb_article a WHERE ${where.join(' AND ')}
     ORDER BY ${q.q ? 'score DESC, ' : ''}a.updated_at DESC, a.id DESC LIMIT ${q.pageSize + 1} OFFSET ${offset}`, params);
  return {
    items: rows.slice(0, q.pageSize).map((r) => toArticle(q.q ? r : { ...r, score: null }, today)),
    page: q.page, pageSize: q.pageSize, hasMore: rows.length > q.pageSize,
  };
}

async function loadApplicable(ctx: AppContext, actor: Actor, id: number): Promise<any> {
  const params: unknown[] = [id];
  const [row] = await ctx.db.query<any>(`SELECT a.* FROM kb_article a WHERE a.id = $1 AND ${applicableSql(actor, params)}`, params);
  if (!row) throw notFound({ zh: `知识库文章 ${id}`, en: `Article ${id}` });
  return row;
}

export async function getArticle(ctx: AppContext, actor: Actor, id: number): Promise<Article> {
  knowledgePolicy.assert(actor, 'knowledge.read');
  return toArticle(await loadApplicable(ctx, actor, id), chinaDay(ctx.now()));
}

async function checkCategory(ctx: AppContext, code: string | null | undefined): Promise<void> {
  if (code == null) return;
  const c = await findCategory(ctx.db, code);
  if (!c || !c.active) throw unprocessable('unknown_category', { zh: `事项分类 ${code} 不存在。`, en: `Category ${code} does not exist.` });
}

export async function createArticle(ctx: AppContext, actor: Actor, body: ArticleCreateT): Promise<Article> {
  knowledgePolicy.assert(actor, 'knowledge.write');
  const regionCode = body.regionCode ?? actor.regionCode;
  if (!regionScope(actor).within(regionCode)) throw unprocessable('outside_scope', { zh: `文章只能属于您本级区域或下级区域。`, en: 'An article belongs to your own region or one within it.' });
  const [region] = await ctx.db.query<{ code: string }>('SELECT code FROM region WHERE code = $1', [regionCode]);
  if (!region) throw unprocessable('unknown_region', { zh: `区划 ${regionCode} 不存在。`, en: `Region ${regionCode} does not exist.` });
  await checkCategory(ctx, body.categoryCode);
  const now = ctx.now();
  const [row] = await ctx.db.query<any>(
    `INSERT INTO kb_article (region_code, category_code, title, question, answer, keywords, source, valid_from, valid_to, created_by, updated_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $11) RETURNING *`,
    [regionCode, body.categoryCode ?? null, body.title, body.question ?? null, body.answer, [...new Set(body.keywords)], body.source ?? null,
      body.validFrom ?? null, body.validTo ?? null, actor.id, now]);
  return toArticle(row, chinaDay(now));
}

export async function patchArticle(ctx: AppContext, actor: Actor, id: number, body: ArticlePatchT): Promise<Article> {
  knowledgePolicy.assert(actor, 'knowledge.write');
  const row = await loadApplicable(ctx, actor, id);
  // an article of the city (above the editor's territory) is read here, edited there
  if (!regionScope(actor).within(row.region_code)) throw notFound({ zh: `知识库文章 ${id}`, en: `Article ${id}` });
  if (body.categoryCode !== undefined) await checkCategory(ctx, body.categoryCode);
  const next = {
    category_code: body.categoryCode !== undefined ? body.categoryCode : row.category_code,
    title: body.title ?? row.title, question: body.question !== undefined ? body.question : row.question,
    answer: body.answer ?? row.answer, keywords: body.keywords ? [...new Set(body.keywords)] : row.keywords,
    source: body.source !== undefined ? body.source : row.source,
    valid_from: body.validFrom !== undefined ? body.validFrom : isoDay(row.valid_from),
    valid_to: body.validTo !== undefined ? body.validTo : isoDay(row.valid_to),
    active: body.active ?? row.active,
  };
  if (next.valid_from && next.valid_to && next.valid_to < next.valid_from) {
    throw unprocessable('invalid_dates', { zh: `有效期结束日期（validTo）不能早于开始日期（validFrom）。`, en: 'The article cannot end before it starts (validTo is before validFrom).' });
  }
  const now = ctx.now();
  const [updated] = await ctx.db.query<any>(
    `UPDATE kb_article SET category_code = $2, title = $3, question = $4, answer = $5, keywords = $6, source = $7, valid_from = $8,
       valid_to = $9, active = $10, updated_by = $11, updated_at = $12 WHERE id = $1 RETURNING *`,
    [id, next.category_code, next.title, next.question, next.answer, next.keywords, next.source, next.valid_from, next.valid_to, next.active, actor.id, now]);
  return toArticle(updated, chinaDay(now));
}
