// Hostile requests generated from the OpenAPI document (/openapi.json), so that every write endpoint,
// including ones added later, is attacked without anyone writing a test for it: fast-check
// arbitraries over each operation's request schema, with astral-plane text, lone surrogates, NUL in
// values and keys, 1 MB strings, deep nesting and wrong types mixed into otherwise well-shaped input;
// multipart uploads with hostile files and names. Used by test/api/hostile-generated.test.ts (quick,
// in `npm test`) and bench/hostile.ts (the long run).
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import type { Queryable } from '../../src/platform/db/index.ts';

type Schema = Record<string, any>;
export type Method = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Operation {
  method: Method;
  path: string;
  pathParams: Array<{ name: string; schema: Schema }>;
  query: Schema | null;
  body: { type: 'json' | 'multipart'; schema: Schema } | null;
}

const WRITE = new Set(['post', 'put', 'patch', 'delete']);

/** Every write operation of the document, with what it takes. */
export function writeOperations(doc: any): Operation[] {
  const ops: Operation[] = [];
  for (const [path, byMethod] of Object.entries<any>(doc.paths)) {
    for (const [m, op] of Object.entries<any>(byMethod)) {
      if (!WRITE.has(m)) continue;
      const params: any[] = op.parameters ?? [];
      const queryParams = params.filter((p) => p.in === 'query');
      const content = op.requestBody?.content ?? {};
      const json = content['application/json']?.schema;
      const multipart = content['multipart/form-data']?.schema;
      ops.push({
        method: m.toUpperCase() as Method,
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        query: queryParams.length ? {
          type: 'object',
          properties: Object.fromEntries(queryParams.map((p) => [p.name, p.schema ?? { type: 'string' }])),
          required: queryParams.filter((p) => p.required).map((p) => p.name),
        } : null,
        body: json ? { type: 'json', schema: json } : multipart ? { type: 'multipart', schema: multipart } : null,
      });
    }
  }
  return ops;
}

// ---------------------------------------------------------------------------------------------
// Hostile text

const MB = 1024 * 1024;
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const nasty = fc.constantFrom(
  '\u0000', 'a\u0000b', '\ud800', 'x\udc00y', '\udbff\udbff', '𠮷田', '𠮷', '\u202e\u202d', '\ufeff', '\uffff', '\r\n', '\t',
  "'; DROP TABLE \"case\"; --", '<script>alert(1)</script>', '{{7*7}}', '${jndi:ldap://x}', '../../etc/passwd', '%00', ' ', '',
  '__proto__', 'constructor', '0x10', '1e308', '-0', 'NaN', 'null', 'true', '[]', '{}',
);
/** Any text: the full range of code points (astral plane included), lone surrogates, NUL and friends. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 3, arbitrary: nasty },
  { weight: 2, arbitrary: fc.string({ unit: fc.oneof(loneSurrogate, fc.constantFrom('\u0000', 'a', '𠮷', '\u00e9')), maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(MB), '𠮷'.repeat(MB / 4), 'a\u0000'.repeat(MB / 2)) },
);
/** Keys an object should not take: NUL, lone surrogates, prototype names, very long ones. */
const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('a\u0000b', '\ud800', '__proto__', 'constructor', 'prototype', '𠮷', '', 'k'.repeat(5000)),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

/** Nesting n levels deep, in objects or arrays. */
export const deepNesting = (n: number, inArrays = false): unknown => {
  let v: unknown = 'bottom';
  for (let i = 0; i < n; i++) v = inArrays ? [v] : { a: v };
  return v;
};

const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom(deepNesting(40), deepNesting(200, true), deepNesting(1000, true), [], {}, null) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 0, 0.5, 2 ** 53, -(2 ** 63), 1e308, -1e308, Number.MIN_VALUE) },
);

// ---------------------------------------------------------------------------------------------
// Values for a schema: mostly well-shaped (so that validation lets them through to the code behind
// it), with hostile leaves, extra keys and wrong types mixed in.

function stringFor(s: Schema): fc.Arbitrary<string> {
  if (Array.isArray(s.enum)) return fc.constantFrom(...s.enum.map(String));
  const max = Math.min(s.maxLength ?? 60, 200);
  const min = Math.min(s.minLength ?? 0, max);
  let valid: fc.Arbitrary<string>;
  if (s.format === 'date-time') valid = fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  else if (s.format === 'date') valid = fc.date({ min: new Date('1950-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  else if (s.pattern) {
    try { valid = fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length <= Math.max(max, 1) * 2); } catch { valid = fc.string({ minLength: min, maxLength: max }); }
  } else valid = fc.string({ unit: 'grapheme', minLength: min, maxLength: max });
  return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 2, arbitrary: hostileString });
}

function numberFor(s: Schema, integer: boolean): fc.Arbitrary<number> {
  const lo = s.minimum ?? (s.exclusiveMinimum != null ? s.exclusiveMinimum + (integer ? 1 : 1e-9) : -1e6);
  const hi = Math.min(s.maximum ?? 1e6, 1e12);
  const valid = integer
    ? fc.integer({ min: Math.max(Math.ceil(lo), -(2 ** 31)), max: Math.max(Math.min(Math.floor(hi), 2 ** 31), Math.max(Math.ceil(lo), -(2 ** 31))) })
    : fc.double({ min: lo, max: Math.max(hi, lo), noNaN: true, noDefaultInfinity: true });
  return fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: fc.constantFrom(-1, 0, 0.5, 2 ** 53, 1e308, -1e308, lo - 1, hi + 1) });
}

export function valueFor(s: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!s || depth > 6) return anyJson;
  const shaped = wellTyped(s, depth);
  return fc.oneof({ weight: 8, arbitrary: shaped }, { weight: 1, arbitrary: anyJson });
}

function wellTyped(s: Schema, depth: number): fc.Arbitrary<unknown> {
  if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) return fc.oneof(...(s.anyOf ?? s.oneOf).map((x: Schema) => valueFor(x, depth + 1)));
  if (Array.isArray(s.enum)) return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...s.enum) }, { weight: 1, arbitrary: hostileString });
  if ('const' in s) return fc.constant(s.const);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  const nullable = s.nullable || (Array.isArray(s.type) && s.type.includes('null'));
  const base = baseFor(s, type, depth);
  return nullable ? fc.oneof({ weight: 5, arbitrary: base }, { weight: 1, arbitrary: fc.constant(null) }) : base;
}

function baseFor(s: Schema, type: string | undefined, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string': return stringFor(s);
    case 'integer': return numberFor(s, true);
    case 'number': return numberFor(s, false);
    case 'boolean': return fc.boolean();
    case 'null': return fc.constant(null);
    case 'array': {
      const max = Math.min(s.maxItems ?? 4, 4);
      const items = fc.array(valueFor(s.items, depth + 1), { minLength: Math.min(s.minItems ?? 0, max), maxLength: max });
      return fc.oneof({ weight: 5, arbitrary: items }, { weight: 1, arbitrary: fc.array(fc.constant(1), { minLength: (s.maxItems ?? 1000) + 1, maxLength: (s.maxItems ?? 1000) + 1 }) });
    }
    case 'object': return objectFor(s, depth);
    default: return anyJson;
  }
}

function objectFor(s: Schema, depth: number): fc.Arbitrary<unknown> {
  const props: Record<string, Schema> = s.properties ?? {};
  const required = new Set<string>(s.required ?? []);
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, v] of Object.entries(props)) shape[k] = valueFor(v, depth + 1);
  const known = Object.keys(shape).length
    ? fc.record(shape, { requiredKeys: [...required].filter((k) => k in shape) })
    : fc.constant({});
  const open = s.additionalProperties && typeof s.additionalProperties === 'object'
    ? fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), hostileKey), valueFor(s.additionalProperties, depth + 1), { maxKeys: 4 })
    : fc.constant({});
  const extra = fc.oneof(
    { weight: 6, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: fc.dictionary(hostileKey, anyJson, { minKeys: 1, maxKeys: 2 }) },
  );
  return fc.tuple(known, open, extra).map(([a, b, c]) => {
    const out: Record<string, unknown> = {};
    // defineProperty, not assignment: a generated "__proto__" key must become an own property as JSON.parse would make it
    for (const part of [b, c, a] as Array<Record<string, unknown>>) for (const k of Object.keys(part)) Object.defineProperty(out, k, { value: part[k], enumerable: true, writable: true, configurable: true });
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// Requests

/** Percent-encodes the UTF-8 bytes (a lone surrogate cannot travel in a URL; it arrives as U+FFFD). */
export const encodeSegment = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

export interface Sample { who: string; url: string; payload?: unknown; multipart?: Array<[string, string | { bytes: Uint8Array; name: string; type: string }]> }

/** Known ids per path parameter position, discovered from list endpoints, so that requests reach real records. */
export type KnownIds = (path: string, param: string) => string[];

const fileBytes = fc.oneof(
  fc.uint8Array({ maxLength: 256 }),
  fc.uint8Array({ maxLength: 64 }).map((b) => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...b])),
  fc.uint8Array({ maxLength: 64 }).map((b) => new Uint8Array([0xff, 0xd8, 0xff, ...b])),
  fc.constant(new Uint8Array(Buffer.from('%PDF-1.4\n%\u00e2\u00e3\n1 0 obj<<>>endobj\n'))),
  fc.constant(new Uint8Array(Buffer.from('身份证号,姓名\n500117199001011234,张三\n'))),
  fc.constant(new Uint8Array(11 * MB)),
);
const multipartParts = fc.tuple(
  fc.oneof({ weight: 5, arbitrary: fc.constant('file') }, { weight: 1, arbitrary: hostileString.filter((k) => k.length < 100) }),
  fileBytes,
  fc.oneof(fc.constantFrom('photo.png', 'a.csv', '../../etc/passwd', 'x\u0000.png', '𠮷.pdf', '', 'n'.repeat(1000)), hostileString.filter((k) => k.length < 300)),
  fc.array(fc.tuple(hostileString.filter((k) => k.length < 100), hostileString.filter((k) => k.length < 1000)), { maxLength: 3 }),
).map(([field, bytes, name, fields]) => [
  ...fields.map(([k, v]) => [k, v] as [string, string]),
  [field, { bytes, name, type: 'application/octet-stream' }] as [string, { bytes: Uint8Array; name: string; type: string }],
]);

/** One hostile request to the operation, by one of the users. */
export function requestFor(op: Operation, users: string[], known: KnownIds): fc.Arbitrary<Sample> {
  const params = op.pathParams.map((p) => {
    const ids = known(op.path, p.name);
    const fromSchema = stringFor(p.schema.type === 'integer' ? { type: 'string', pattern: '^[1-9]\\d{0,6}$' } : p.schema);
    return fc.oneof(
      ...(ids.length ? [{ weight: 6, arbitrary: fc.constantFrom(...ids) }] : []),
      { weight: 2, arbitrary: fromSchema },
      { weight: 1, arbitrary: fc.oneof(hostileString.filter((x) => x.length < 3000), fc.constantFrom('0x10', '1e3', '-1', '0', '99999999999999999999', '%', '..')) },
    );
  });
  const query = op.query ? valueFor(op.query) : fc.constant(null);
  const body: fc.Arbitrary<unknown> = op.body?.type === 'json'
    ? fc.oneof({ weight: 12, arbitrary: valueFor(op.body.schema) }, { weight: 1, arbitrary: fc.constant(undefined) })
    : op.body?.type === 'multipart' ? multipartParts : fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: anyJson });
  return fc.record({ who: fc.constantFrom(...users), params: fc.tuple(...params), query, body }).map((r) => {
    let i = 0;
    let url = op.path.replace(/\{[^}]+\}/g, () => encodeSegment(String((r.params as unknown[])[i++])));
    if (r.query && typeof r.query === 'object' && !Array.isArray(r.query)) {
      const qs = Object.entries(r.query as Record<string, unknown>).filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${encodeSegment(k)}=${encodeSegment(typeof v === 'string' ? v : JSON.stringify(v) ?? '')}`).join('&');
      if (qs) url += `?${qs}`;
    }
    if (op.body?.type === 'multipart') return { who: r.who, url, multipart: r.body as Sample['multipart'] };
    return { who: r.who, url, payload: r.body };
  });
}

/** The inject() options of a sample: JSON bodies serialised as a client would (lone surrogates as \ud800 escapes). */
export function injectOptions(op: Operation, s: Sample, token: string | null): InjectOptions {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (s.multipart) {
    const form = new FormData();
    for (const [k, v] of s.multipart) {
      if (typeof v === 'string') form.append(k, v);
      else form.append(k, new Blob([new Uint8Array(v.bytes)], { type: v.type }), v.name);
    }
    return { method: op.method, url: s.url, headers, payload: form as any };
  }
  if (s.payload === undefined) return { method: op.method, url: s.url, headers };
  return { method: op.method, url: s.url, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(s.payload) };
}

// ---------------------------------------------------------------------------------------------
// What must hold

export interface Answer { statusCode: number; headers: Record<string, unknown>; body: string }

/** Never a 5xx; a 4xx is application/problem+json with a code and a detail. Returns what is wrong, or null. */
export function answerProblem(r: Answer): string | null {
  if (r.statusCode >= 500) return `${r.statusCode}: ${r.body.slice(0, 300)}`;
  if (r.statusCode < 400) return null;
  if (!String(r.headers['content-type']).includes('application/problem+json')) return `${r.statusCode} is not problem+json: ${String(r.headers['content-type'])}`;
  let body: any;
  try { body = JSON.parse(r.body); } catch { return `${r.statusCode} body is not JSON`; }
  if (typeof body.code !== 'string' || typeof body.detail !== 'string') return `${r.statusCode} problem without code or detail: ${r.body.slice(0, 200)}`;
  if (r.statusCode === 429 && !r.headers['retry-after']) return '429 without Retry-After';
  return null;
}

/** Row count and largest id of every table: what a refused write must leave exactly as it was. */
/**
 * Reads the row count and largest id of every table. The statement is built once per database: the tables
 * do not change while a run goes on (a partition created by a write is counted in its parent's count), and
 * reading information_schema before every request cost more than the counts themselves.
 */
export function stateSnapshotter(db: Queryable): () => Promise<Record<string, string>> {
  // One query over every table, planned once: a PL/pgSQL function keeps its plan for the session, where the same
  // few-hundred-way UNION ALL sent as text would be planned again on every one of the run's thousands of calls.
  let ready: Promise<void> | null = null;
  const build = async () => {
    const tables = await db.query<{ table_name: string; has_id: boolean }>(
      `SELECT t.table_name, EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = 'public' AND c.table_name = t.table_name AND c.column_name = 'id') AS has_id
       FROM information_schema.tables t WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE'
         AND NOT EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE n.nspname = 'public' AND c.relname = t.table_name)
       ORDER BY t.table_name`);
    const union = tables.map((t) => `SELECT '${t.table_name}'::text AS t, count(*)::text || '/' || ${t.has_id ? 'coalesce(max(id)::text, \'-\')' : `'-'`} AS v FROM public."${t.table_name}"`).join(' UNION ALL ');
    await db.query(`CREATE OR REPLACE FUNCTION public.hostile_state_snapshot() RETURNS TABLE (t text, v text) LANGUAGE plpgsql STABLE AS $fn$
      BEGIN RETURN QUERY ${union}; END $fn$`);
  };
  return async () => {
    ready ??= build();
    await ready;
    const rows = await db.query<{ t: string; v: string }>('SELECT t, v FROM public.hostile_state_snapshot()');
    return Object.fromEntries(rows.map((r) => [r.t, r.v]));
  };
}

/** The tables whose count or largest id differ. */
export function stateDiff(a: Record<string, string>, b: Record<string, string>): string[] {
  return Object.keys({ ...a, ...b }).filter((k) => a[k] !== b[k]).map((k) => `${k}: ${a[k]} → ${b[k]}`);
}
