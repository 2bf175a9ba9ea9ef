// A sweep over every write operation the OpenAPI document lists (so endpoints added later are covered
// without anyone remembering to): malformed, oversized and hostile bodies and path parameters, sent by
// an administrator (who gets furthest past the permission checks), a resident and an anonymous caller.
// Whatever the answer, it is never a 5xx, and every refusal is application/problem+json with a code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdmin } from '../../src/platform/auth/bootstrap.ts';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';

const ADMIN_PASSWORD = 'sweep-admin-2026';
const MB = 'x'.repeat(1024 * 1024);
type Method = 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface Operation { method: Method; path: string; properties: string[] }

// The platform is opened while the file is collected, so that each operation becomes a test of its own.
const p: TestPlatform = await testPlatform('2026-11-16T01:30:00Z');
const ops = await writeOperations();
const tokens: Record<string, string | null> = { anonymous: null };

function deepNesting(levels: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}

/** Bodies that no schema should take, or that must at least not break anything. */
function hostileBodies(properties: string[]): Array<[string, string]> {
  const bodies: Array<[string, string]> = [
    ['no body', ''],
    ['malformed JSON', '{"title": '],
    ['a JSON string', '"just a string"'],
    ['a JSON number', '42'],
    ['JSON null', 'null'],
    ['an array', '[{}, {}]'],
    ['an empty object', '{}'],
    ['prototype pollution', '{"__proto__": {"role": "admin"}, "constructor": {"prototype": {"role": "admin"}}}'],
    ['500 levels of nesting', JSON.stringify(deepNesting(500))],
    ['a 1 MB unknown field', JSON.stringify({ junk: MB })],
  ];
  for (const prop of properties.slice(0, 12)) {
    bodies.push(
      [`${prop}: a 1 MB string`, JSON.stringify({ [prop]: MB })],
      [`${prop}: an operator object`, JSON.stringify({ [prop]: { $gt: '', $ne: null } })],
      [`${prop}: a huge number`, JSON.stringify({ [prop]: -1e308 })],
      [`${prop}: a NUL character`, JSON.stringify({ [prop]: 'a\u0000b' })],
      [`${prop}: SQL`, JSON.stringify({ [prop]: "x'); DROP TABLE \"case\"; --" })],
    );
  }
  return bodies;
}

const hostileIds = ['0', '-1', '99999999999999999999', '1e3', 'abc', "1' OR '1'='1", '%00', '..%2F..%2Fetc%2Fpasswd', '%E0%A4%A', 'x'.repeat(2000)];

function fill(path: string, value: string): string {
  return path.replace(/\{[^}]+\}/g, value);
}

async function send(who: string, method: Method, url: string, payload: string) {
  const token = tokens[who];
  const r = await p.http.inject({
    method, url, payload: payload === '' ? undefined : payload,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(payload === '' ? {} : { 'content-type': 'application/json' }) },
  });
  return r;
}

function expectCleanAnswer(r: { statusCode: number; headers: Record<string, unknown>; body: string }, what: string) {
  expect(r.statusCode, `${what} → ${r.statusCode} ${r.body.slice(0, 300)}`).toBeLessThan(500);
  if (r.statusCode >= 400) {
    expect(String(r.headers['content-type']), what).toContain('application/problem+json');
    const body = JSON.parse(r.body);
    expect(typeof body.code, what).toBe('string');
    expect(typeof body.detail, what).toBe('string');
  }
}

async function writeOperations(): Promise<Operation[]> {
  const doc = (await p.as(null).get('/openapi.json')).body;
  const found: Operation[] = [];
  for (const [path, byMethod] of Object.entries<any>(doc.paths)) {
    for (const [m, op] of Object.entries<any>(byMethod)) {
      const method = m.toUpperCase();
      if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) continue;
      if (path === '/api/v1/auth/logout') continue; // would end the sweep's own sessions
      const content = op.requestBody?.content ?? {};
      const schema = content['application/json']?.schema;
      found.push({ method: method as Method, path, properties: Object.keys(schema?.properties ?? {}) });
    }
  }
  return found;
}

beforeAll(async () => {
  await ensureAdmin(p.ctx.db, ADMIN_PASSWORD);
  tokens.admin = await p.login('admin', ADMIN_PASSWORD);
  tokens.resident = await p.login('jumin');
}, 120_000);
afterAll(async () => { await p?.close(); });

describe('hostile input on every write operation in the OpenAPI document', () => {
  it('finds the write operations to sweep', () => {
    // the case engine, attachments, administration, registries and grids all write
    expect(ops.length).toBeGreaterThan(30);
    for (const path of ['/api/v1/cases', '/api/v1/cases/{id}/actions/dispatch', '/api/v1/cases/{id}/actions/whistle', '/api/v1/attachments']) {
      expect(ops.map((o) => o.path)).toContain(path);
    }
  });

  it.each(ops.map((op) => [`${op.method} ${op.path}`, op] as const))('%s: hostile bodies get a 4xx problem (or a harmless success), never a 5xx', async (_name, op) => {
    const url = fill(op.path, '1');
    for (const [name, payload] of hostileBodies(op.properties)) {
      for (const who of ['admin', 'resident', 'anonymous']) {
        if (who !== 'admin' && name.includes(':')) continue; // per-field payloads only where validation is reached
        expectCleanAnswer(await send(who, op.method, url, payload), `${who} ${op.method} ${op.path} with ${name}`);
      }
    }
    if (op.path.includes('{')) {
      for (const id of hostileIds) {
        const hostileUrl = fill(op.path, encodeURIComponent(id).replace(/%25/g, '%'));
        expectCleanAnswer(await send('admin', op.method, hostileUrl, '{}'), `admin ${op.method} ${hostileUrl.slice(0, 120)}`);
      }
    }
  });

  it('leaves the case engine untouched by anonymous and resident attempts on staff operations', async () => {
    const [before] = await p.ctx.db.query<any>(`SELECT (SELECT count(*) FROM flow_record)::int AS flows, (SELECT count(*) FROM "case")::int AS cases`);
    for (const op of ops.filter((o) => o.path.startsWith('/api/v1/cases/'))) {
      for (const who of ['anonymous', 'resident']) {
        const r = await send(who, op.method, fill(op.path, '1'), '{"note":"x"}');
        expectCleanAnswer(r, `${who} ${op.method} ${op.path}`);
        expect(r.statusCode, `${who} ${op.method} ${op.path}`).toBeGreaterThanOrEqual(400);
      }
    }
    const [after] = await p.ctx.db.query<any>(`SELECT (SELECT count(*) FROM flow_record)::int AS flows, (SELECT count(*) FROM "case")::int AS cases`);
    expect(after).toEqual(before);
  });
});
