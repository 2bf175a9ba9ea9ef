// Request schemas of the knowledge base (知识库) and their inferred types.
import { z } from 'zod';
import { pathId, queryInt } from '../../platform/http/params.ts';

const day = z.iso.date();
const keyword = z.string().trim().min(1).max(30);

const ArticleFields = {
  regionCode: z.string().regex(/^\d{6,16}$/, 'region codes are 6–16 digits'),
  categoryCode: z.string().trim().regex(/^\d{2,12}$/, 'category codes are 2–12 digits').nullable(),
  title: z.string().trim().min(1).max(200),
  question: z.string().trim().max(2000).nullable(),
  answer: z.string().trim().min(1).max(4000),
  keywords: z.array(keyword).max(30),
  source: z.string().trim().max(300).nullable(),
  validFrom: day.nullable(),
  validTo: day.nullable(),
};
const validRange = (v: { validFrom?: string | null; validTo?: string | null }) => !v.validFrom || !v.validTo || v.validTo >= v.validFrom;
const rangeMessage = { message: 'validTo is before validFrom', path: ['validTo'] };

export const ArticleCreate = z.object({
  ...ArticleFields,
  regionCode: ArticleFields.regionCode.optional(),
  categoryCode: ArticleFields.categoryCode.optional(),
  question: ArticleFields.question.optional(),
  keywords: ArticleFields.keywords.default([]),
  source: ArticleFields.source.optional(),
  validFrom: ArticleFields.validFrom.optional(),
  validTo: ArticleFields.validTo.optional(),
}).strict().refine(validRange, rangeMessage);
export type ArticleCreateT = z.infer<typeof ArticleCreate>;

export const ArticlePatch = z.object({
  categoryCode: ArticleFields.categoryCode.optional(),
  title: ArticleFields.title.optional(),
  question: ArticleFields.question.optional(),
  answer: ArticleFields.answer.optional(),
  keywords: ArticleFields.keywords.optional(),
  source: ArticleFields.source.optional(),
  validFrom: ArticleFields.validFrom.optional(),
  validTo: ArticleFields.validTo.optional(),
  active: z.boolean().optional(),
}).strict().refine(validRange, rangeMessage);
export type ArticlePatchT = z.infer<typeof ArticlePatch>;

export const ArticleQuery = z.object({
  /** What the operator types (a question, the caller's description): matched against titles, texts and keywords. */
  q: z.string().trim().min(1).max(500).optional(),
  category: z.string().regex(/^\d{2,12}$/, 'category codes are 2–12 digits').optional(),
  /** Also articles out of their validity dates or retired (the editors' view). */
  all: z.enum(['true', 'false']).optional(),
  page: queryInt(1, 10_000, 1),
  pageSize: queryInt(1, 100, 20),
}).strict();
export type ArticleQueryT = z.infer<typeof ArticleQuery>;

export const ArticleParams = z.object({ id: pathId }).strict();
