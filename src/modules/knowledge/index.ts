// The knowledge base's public surface (知识库): the hotline centre's articles, searched as the operator
// types and used as the answer of a ticket closed on the call.
export { knowledgeRoutes as knowledgeModule } from './routes.ts';
export { knowledgePolicy } from './policy.ts';
export { createArticle, listArticles, type Article } from './service.ts';
export { ArticleCreate, type ArticleCreateT } from './contracts.ts';
