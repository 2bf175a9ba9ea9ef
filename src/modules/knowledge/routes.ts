// The knowledge base's API: thin handlers over service.ts.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.ts';
import { route } from '../../platform/http/route.ts';
import { ArticleCreate, ArticleParams, ArticlePatch, ArticleQuery } from './contracts.ts';
import { createArticle, getArticle, listArticles, patchArticle } from './service.ts';

const tags = ['knowledge'];

export function knowledgeRoutes(app: FastifyInstance, ctx: AppContext): void {
  route(app, {
    method: 'GET', url: '/api/v1/knowledge/articles', tags, query: ArticleQuery,
    summary: 'Knowledge-base articles that apply to your region and are in force today, best match first for q (what the operator types)',
    handler: async ({ query, actor }) => listArticles(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/v1/knowledge/articles/:id', tags, params: ArticleParams,
    summary: 'One knowledge-base article',
    handler: async ({ params, actor }) => getArticle(ctx, actor, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/v1/knowledge/articles', tags, status: 201, body: ArticleCreate,
    summary: 'Write a knowledge-base article for your region (or one within it)',
    handler: async ({ body, actor }) => createArticle(ctx, actor, body),
  });
  route(app, {
    method: 'PATCH', url: '/api/v1/knowledge/articles/:id', tags, params: ArticleParams, body: ArticlePatch,
    summary: 'Edit a knowledge-base article, change its dates, or retire it (active: false)',
    handler: async ({ params, body, actor }) => patchArticle(ctx, actor, params.id, body),
  });
}
