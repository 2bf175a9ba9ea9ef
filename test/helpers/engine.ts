// Which database engine the integration tests run on, and how to reach the PostgreSQL server.
export const engine = (process.env.GONGZHI_TEST_ENGINE ?? 'pglite') as 'pglite' | 'postgres';
export const pgAdminUrl = process.env.GONGZHI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const dbUrl = (name: string) => pgAdminUrl.replace(/\/[^/]*$/, `/${name}`);
export const templateName = () => `gz_template_${process.env.GONGZHI_TEST_RUN_ID}`;
export const pgliteTemplateFile = () => `.tmp/pglite-template-${process.env.GONGZHI_TEST_RUN_ID}.tar`;
