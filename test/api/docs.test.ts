// The API documents itself: OpenAPI 3 at /openapi.json and a docs page at /docs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';

let p: TestPlatform;
beforeAll(async () => { p = await testPlatform(); });
afterAll(async () => { await p?.close(); });

describe('OpenAPI', () => {
  it('documents every case, region and auth endpoint with its request schema', async () => {
    const r = await p.as(null).get('/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toMatch(/^3\./);
    const paths = Object.keys(r.body.paths);
    for (const path of ['/api/v1/cases', '/api/v1/cases/{id}', '/api/v1/cases/{id}/timeline', '/api/v1/workflows',
      '/api/v1/regions/locate', '/api/v1/regions/{code}/children', '/api/v1/auth/login', '/api/v1/events', '/api/v1/attachments']) {
      expect(paths, path).toContain(path);
    }
    const intake = r.body.paths['/api/v1/cases'].post;
    const schema = intake.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['categoryCode', 'title', 'description']));
    expect(schema.properties.title.maxLength).toBe(200);
    expect(r.body.components.securitySchemes.bearer.scheme).toBe('bearer');
  });

  it('documents each case action with its own body, as its definition declares it', async () => {
    const r = await p.as(null).get('/openapi.json');
    const body = (action: string) => r.body.paths[`/api/v1/cases/{id}/actions/${action}`]?.post?.requestBody?.content['application/json'].schema;
    expect(Object.keys(r.body.paths)).not.toContain('/api/v1/cases/{id}/actions/{action}');
    expect(body('dispatch').required).toEqual(['leadUnitId']);
    expect(Object.keys(body('dispatch').properties).sort()).toEqual(['assistUnitIds', 'leadUnitId', 'note']);
    expect(body('request_extension').required.sort()).toEqual(['extensionMinutes', 'reason']);
    expect(body('sign').required ?? []).toEqual([]);
    expect(body('sign').additionalProperties).toBe(false);
    // every action a user can take in a built-in type has its route
    const workflows = (await p.as(await p.login('zhihui')).get('/api/v1/workflows')).body;
    const names = new Set(workflows.items.flatMap((d: any) => d.actions.filter((a: any) => a.roles !== 'system').map((a: any) => a.name)));
    for (const name of names) expect(body(name as string), name as string).toBeTruthy();
  });

  it('declares a request schema for every write operation, multipart uploads and bodiless writes included', async () => {
    const doc = (await p.as(null).get('/openapi.json')).body;
    const missing: string[] = [];
    let multipart = 0;
    for (const [path, byMethod] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(byMethod)) {
        if (!['post', 'put', 'patch', 'delete'].includes(method)) continue;
        const content = op.requestBody?.content ?? {};
        const schema = content['application/json']?.schema ?? content['multipart/form-data']?.schema;
        if (!schema || schema.type !== 'object') missing.push(`${method.toUpperCase()} ${path}`);
        if (content['multipart/form-data']) {
          multipart++;
          expect(schema.properties.file, path).toMatchObject({ type: 'string', format: 'binary' });
        }
      }
    }
    expect(missing).toEqual([]);
    expect(multipart).toBeGreaterThanOrEqual(3); // attachments, portal attachments, imports
  });

  it('serves a docs page', async () => {
    const r = await p.http.inject({ method: 'GET', url: '/docs/' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('swagger');
  });

  it('reports health with the engine in use', async () => {
    const r = await p.as(null).get('/healthz');
    expect(r.body).toEqual({ status: 'ok', engine: p.ctx.db.engine });
  });
});
