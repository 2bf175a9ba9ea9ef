// Chinese to Chinese users (issue 12, item 7). Every refusal the source can raise, every field a route
// takes and every message a schema writes itself is read from the source and the OpenAPI document, so
// a new problem code, field or message without its Chinese fails here. Then the API itself is asked, in
// both languages and without Accept-Language (Chinese is the default).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { connect, type AddressInfo } from 'node:net';
import { z } from 'zod';
import { fieldNamesZh, schemaMessagesZh, zodZh } from '../../src/platform/fields.ts';
import { fastifyMessagesZh } from '../../src/platform/http/server.ts';
import { roleNames } from '../../src/platform/errors.ts';

const CHINESE = /[\u4e00-\u9fff]/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const f = join(dir, n);
    if (statSync(f).isDirectory()) return sourceFiles(f);
    return f.endsWith('.ts') && !f.endsWith('.test.ts') ? [f] : [];
  });
}
const files = sourceFiles('src').map((f) => ({ f, s: readFileSync(f, 'utf8') }));

// A small scanner for call arguments: strings, templates (with nested ${…}), brackets and comments.
function skipString(s: string, i: number): number {
  const q = s[i++];
  while (i < s.length) {
    const c = s[i];
    if (c === '\\') { i += 2; continue; }
    if (c === q) return i + 1;
    if (q === '`' && c === '$' && s[i + 1] === '{') { i = skipBracket(s, i + 1); continue; }
    i++;
  }
  throw new Error('unterminated string');
}
function skipBracket(s: string, i: number): number {
  let depth = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '"' || c === "'" || c === '`') { i = skipString(s, i); continue; }
    if (c === '/' && s[i + 1] === '/') { i = s.indexOf('\n', i); continue; }
    if (c === '/' && s[i + 1] === '*') { i = s.indexOf('*/', i) + 2; continue; }
    if ('({['.includes(c)) depth++;
    if (')}]'.includes(c) && --depth === 0) return i + 1;
    i++;
  }
  throw new Error('unbalanced');
}
/** The top-level, comma-separated parts of the bracketed text starting at s[i] ("(" or "{"). */
function parts(s: string, i: number): string[] {
  const out: string[] = [];
  let j = i + 1, start = j;
  for (;;) {
    const c = s[j];
    if (c === '"' || c === "'" || c === '`') { j = skipString(s, j); continue; }
    if ('({['.includes(c)) { j = skipBracket(s, j); continue; }
    if (c === '/' && s[j + 1] === '/') { j = s.indexOf('\n', j); continue; }
    if (c === ',' || c === ')' || c === '}') {
      if (s.slice(start, j).trim()) out.push(s.slice(start, j).trim());
      if (c !== ',') return out;
      start = ++j;
      continue;
    }
    j++;
  }
}
const isLiteral = (t: string) => /^['"`]/.test(t) && skipString(t, 0) === t.length;
/** The text of a literal with its ${…} parts blanked: what a reader sees around the values. */
const textOf = (t: string) => t.slice(1, -1).replace(/\$\{[^}]*\}/g, '…');

interface Site { where: string; code: string; message: string }
const messageAt: Record<string, number> = { 'new AppError': 2, badRequest: 1, conflict: 1, unprocessable: 1, forbidden: 0, unauthorized: 0, notFound: 0 };
const sites: Site[] = [];
for (const { f, s } of files) {
  if (f.endsWith(join('platform', 'errors.ts'))) continue;
  const re = /(new AppError|\b(?:badRequest|conflict|unprocessable|forbidden|unauthorized|notFound))\s*\(/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    if (/(function |const |\.)\s*$/.test(s.slice(Math.max(0, m.index - 10), m.index))) continue;
    const args = parts(s, m.index + m[0].length - 1);
    const kind = m[1];
    const code = kind === 'new AppError' ? args[1] : ['badRequest', 'conflict', 'unprocessable'].includes(kind) ? args[0] : kind === 'notFound' ? "'not_found'" : `'${kind}'`;
    const message = args[messageAt[kind]];
    if (message === undefined && (kind === 'forbidden' || kind === 'unauthorized')) continue; // their defaults, checked below
    sites.push({ where: `${f}:${s.slice(0, m.index).split('\n').length}`, code: code && isLiteral(code) ? textOf(code) : '(a variable)', message: message ?? '' });
  }
}

/** The zh and en of a `{ zh: …, en: … }` or `both(zh, en)` argument, when they are literals. */
function bilingual(message: string): { zh?: string; en?: string; literal: boolean } | null {
  if (message.startsWith('{')) {
    const props = Object.fromEntries(parts(message, 0).map((p) => {
      const k = /^(\w+)\s*:\s*/.exec(p);
      return k ? [k[1], p.slice(k[0].length)] : [p, p];
    }));
    if (!('zh' in props) || !('en' in props)) return null;
    return isLiteral(props.zh) && isLiteral(props.en) ? { zh: textOf(props.zh), en: textOf(props.en), literal: true } : { literal: false };
  }
  const both = /^both\(/.exec(message);
  if (both) {
    const [zh, en] = parts(message, both[0].length - 1);
    return isLiteral(zh) && isLiteral(en) ? { zh: textOf(zh), en: textOf(en), literal: true } : { literal: false };
  }
  return { literal: false }; // a variable or expression: TypeScript holds it to Bilingual
}

describe('every refusal in the source', () => {
  it('finds the throw sites and their problem codes', () => {
    expect(sites.length).toBeGreaterThan(500);
    expect(new Set(sites.map((x) => x.code)).size).toBeGreaterThan(150);
  });

  it('says each one in both languages: the Chinese is Chinese and not the English', () => {
    const wrong: string[] = [];
    for (const site of sites) {
      if (isLiteral(site.message)) { wrong.push(`${site.where} ${site.code}: a plain string`); continue; }
      const b = bilingual(site.message);
      if (!b) { wrong.push(`${site.where} ${site.code}: not {zh, en}`); continue; }
      if (!b.literal) continue;
      if (!CHINESE.test(b.zh!)) wrong.push(`${site.where} ${site.code}: no Chinese in "${b.zh}"`);
      if (b.zh === b.en) wrong.push(`${site.where} ${site.code}: the Chinese is the English`);
      if (CHINESE.test(b.en!) && !/[A-Za-z]{3}/.test(b.en!)) wrong.push(`${site.where} ${site.code}: the English is Chinese`);
    }
    expect(wrong).toEqual([]);
  });

  it('has every code checked in Chinese at least once (a new code written only through a variable is read too)', () => {
    const literalCodes = new Set(sites.filter((x) => bilingual(x.message)?.literal).map((x) => x.code));
    const unchecked = [...new Set(sites.map((x) => x.code))].filter((c) => !literalCodes.has(c) && /^[a-z_]+$/.test(c));
    // these codes are raised only with a message built elsewhere (a variable typed Bilingual)
    expect(unchecked.sort()).toEqual(unchecked.filter((c) => knownIndirect.has(c)).sort());
  });

  it('names the roles and Fastify\'s own refusals in Chinese', () => {
    for (const [role, name] of Object.entries(roleNames)) {
      expect(name.zh, role).toMatch(CHINESE);
      expect(name.zh, role).not.toBe(name.en);
    }
    for (const [code, zh] of Object.entries(fastifyMessagesZh)) expect(zh, code).toMatch(CHINESE);
  });
});
/** Codes whose message is always passed through a variable (checked where the variable is made). */
const knownIndirect = new Set<string>(['too_many_attempts', 'already_voted', 'step_would_fail', 'unit_not_dispatchable', 'unit_out_of_reach']);

describe('every message a schema writes itself', () => {
  it('has its Chinese in src/platform/fields.ts', () => {
    const missing = new Set<string>();
    const re = /(?:\.(?:regex|refine|min|max|length)\((?:[^()'"`]|\([^()]*\))*?,\s*|\b(?:message|error):\s*)('[^'\n]*'|"[^"\n]*")/g;
    for (const { f, s } of files) {
      if (!/from 'zod'/.test(s)) continue;
      for (let m = re.exec(s); m; m = re.exec(s)) {
        const text = m[1].slice(1, -1);
        // English sentences only (a word, a space, a word): codes and Chinese labels are not messages
        if (!/[A-Za-z]+ [A-Za-z]+/.test(text)) continue;
        if (!Object.hasOwn(schemaMessagesZh, text)) missing.add(`${f}: ${text}`);
      }
    }
    expect([...missing]).toEqual([]);
    for (const [en, zh] of Object.entries(schemaMessagesZh)) {
      expect(zh, en).toMatch(CHINESE);
      expect(zh).not.toBe(en);
    }
  });
});

let p: TestPlatform;
let token: string;
beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  token = await p.login('rexian');
});
afterAll(async () => { await p?.close(); });

/** The input field names of every route: path and query parameters and the request bodies' properties, at any depth. */
function inputFields(doc: any): Set<string> {
  const names = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (s: any) => {
    if (!s || typeof s !== 'object' || seen.has(s)) return;
    seen.add(s);
    for (const [k, v] of Object.entries<any>(s.properties ?? {})) { names.add(k); walk(v); }
    for (const key of ['items', 'additionalProperties', 'not']) if (s[key] && typeof s[key] === 'object') walk(s[key]);
    for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems']) for (const x of s[key] ?? []) walk(x);
    if (s.content) for (const media of Object.values<any>(s.content)) walk(media.schema);
  };
  for (const ops of Object.values<any>(doc.paths)) {
    for (const op of Object.values<any>(ops)) {
      for (const prm of op.parameters ?? []) names.add(prm.name);
      walk(op.requestBody);
    }
  }
  return names;
}

describe('every field a route takes', () => {
  it('has a Chinese name that is not the field\'s own name', async () => {
    const doc = JSON.parse((await p.http.inject({ method: 'GET', url: '/openapi.json' })).body);
    const fields = inputFields(doc);
    expect(fields.size).toBeGreaterThan(300);
    const wrong = [...fields].filter((f) => !Object.hasOwn(fieldNamesZh, f) || !CHINESE.test(fieldNamesZh[f]) || fieldNamesZh[f] === f);
    expect(wrong).toEqual([]);
  });
});

describe('the API answers in the request\'s language, Chinese by default', () => {
  type Ask = { method: 'GET' | 'POST' | 'PATCH'; url: string; payload?: unknown; headers?: Record<string, string>; auth?: boolean };
  const ask = async (a: Ask, lang?: string) => {
    const r = await p.http.inject({
      method: a.method, url: a.url, payload: a.payload as any,
      headers: { ...(a.auth === false ? {} : { authorization: `Bearer ${token}` }), ...(lang ? { 'accept-language': lang } : {}), ...a.headers },
    });
    return { status: r.statusCode, body: JSON.parse(r.body) };
  };
  const cases: Array<[string, Ask, number, string, RegExp?]> = [
    ['a validation failure names the field in Chinese', { method: 'POST', url: '/api/v1/callers/history', payload: { phone: 13911112222 } }, 400, 'validation_failed', /请求内容无效：电话 — /],
    ['a schema\'s own message', { method: 'GET', url: '/api/v1/portal/cases/nonsense?token=ABCDEFGH', auth: false }, 400, 'validation_failed', /^地址中的工单编号不正确，应形如 RX202611160000001。$/],
    ['a wrong id in the address', { method: 'GET', url: '/api/v1/cases/abc' }, 400, 'validation_failed', /^地址中的编号不正确。$/],
    ['a record that does not exist', { method: 'GET', url: '/api/v1/cases/999999' }, 404, 'not_found', /不存在/],
    ['no such route', { method: 'GET', url: '/api/v1/no-such-thing' }, 404, 'not_found', /没有 GET/],
    ['malformed JSON', { method: 'POST', url: '/api/v1/callers/history', payload: '{"phone":', headers: { 'content-type': 'application/json' } }, 400, 'malformed_body', /不是有效的 JSON/],
    ['an unsupported media type', { method: 'POST', url: '/api/v1/callers/history', payload: 'phone=1', headers: { 'content-type': 'text/csv' } }, 415, 'unsupported_media_type'],
    ['not logged in', { method: 'GET', url: '/api/v1/cases', auth: false }, 401, 'unauthenticated', /请先登录/],
    ['a write from another site', { method: 'POST', url: '/api/v1/auth/login', payload: { username: 'x', password: 'y' }, headers: { origin: 'https://evil.example' }, auth: false }, 403, 'cross_site_request'],
    ['a refusal by role names what the role may not do', { method: 'GET', url: '/api/v1/admin/users' }, 403, 'forbidden', /^当前角色（12345话务员）无权管理用户、单位、事项分类、权责清单和工作日历。$/],
  ];
  for (const [what, a, status, code, zhText] of cases) {
    it(what, async () => {
      const none = await ask(a);
      const zh = await ask(a, 'zh-CN,zh;q=0.9,en;q=0.8');
      const en = await ask(a, 'en-US,en;q=0.9');
      for (const r of [none, zh, en]) { expect(r.status, JSON.stringify(r.body)).toBe(status); expect(r.body.code).toBe(code); }
      expect(none.body.detail).toBe(zh.body.detail);
      expect(zh.body.detail).toMatch(CHINESE);
      if (zhText) expect(zh.body.detail).toMatch(zhText);
      expect(en.body.detail).toMatch(/[A-Za-z]{3,} [A-Za-z]{2,}/);
      if (zhText) expect(en.body.detail).not.toMatch(zhText);
      expect(en.body.detail).not.toBe(zh.body.detail);
    });
  }
});

describe('zod\'s refusals in plain Chinese (issue 12 item 7)', () => {
  const say = (schema: z.ZodType, value: unknown) => {
    const r = schema.safeParse(value, { error: zodZh });
    if (r.success) throw new Error('expected a refusal');
    return r.error.issues[0].message;
  };
  const developerWords = /string|number|undefined|期望|实际接收|正则|\/\^|key|ISO/i;
  it('says 必填, 应为文本, 应为数字 — never "期望 string，实际接收 undefined"', () => {
    const o = z.object({ name: z.string(), n: z.number() });
    expect(say(o, {})).toBe('必填');
    expect(say(o, { name: 1, n: 1 })).toBe('应为文本');
    expect(say(o, { name: 'a', n: 'x' })).toBe('应为数字');
  });
  it('says 格式不正确 for a pattern, not the regex; a schema\'s own hint still wins', () => {
    expect(say(z.string().regex(/^\d{2,16}$/), 'abc')).toBe('格式不正确');
    expect(say(z.string().regex(/^\d{2,16}$/, 'region codes are 2–16 digits'), 'abc')).toBe('region codes are 2–16 digits');
  });
  it('names enum values by their Chinese labels, or says they are out of range', () => {
    expect(say(z.enum(['normal', 'urgent']), 'x')).toBe('应为以下之一：普通、紧急');
    expect(say(z.enum(['wgy_patrol', 'hotline']), 'x')).toBe('取值不在允许范围内');
  });
  it('says which field is not accepted, and that a date-time is malformed', () => {
    expect(say(z.object({ a: z.string() }).strict(), { a: 'x', extra: 1 })).toBe('不接受的字段：extra');
    expect(say(z.iso.datetime(), '2026-13-01')).toBe('日期时间格式不正确');
  });
  it('carries no developer words through the API either', async () => {
    const r = await p.http.inject({ method: 'POST', url: '/api/v1/callers/history', payload: { phone: '13911112222', extra: 1 }, headers: { authorization: `Bearer ${token}` } });
    const body = JSON.parse(r.body);
    expect(r.statusCode).toBe(400);
    expect(body.detail).toMatch(/不接受的字段：extra/);
    expect(body.detail).not.toMatch(developerWords);
    for (const e of body.errors) expect(e.message).not.toMatch(developerWords);
  });
});

describe('the problem itself in the request\'s language', () => {
  it('titles it in Chinese by default and in English when asked', async () => {
    const zh = await p.http.inject({ method: 'GET', url: '/api/v1/cases' });
    expect(JSON.parse(zh.body).title).toBe('未登录');
    const en = await p.http.inject({ method: 'GET', url: '/api/v1/cases', headers: { 'accept-language': 'en' } });
    expect(JSON.parse(en.body).title).toBe('Unauthorized');
    const bad = await p.http.inject({ method: 'GET', url: '/api/v1/cases/abc', headers: { authorization: `Bearer ${token}` } });
    expect(JSON.parse(bad.body).title).toBe('错误的请求');
    const none = await p.http.inject({ method: 'GET', url: '/api/v1/no-such-thing' });
    expect(JSON.parse(none.body).title).toBe('未找到');
  });
  it('says "log in" without Cookie or Authorization: Bearer', async () => {
    const r = await p.http.inject({ method: 'GET', url: '/api/v1/cases' });
    expect(JSON.parse(r.body).detail).not.toMatch(/Cookie|Bearer|Authorization/);
  });
  it('tolerates O/0 and I/1 confused in a portal case number', async () => {
    const r = await p.http.inject({ method: 'GET', url: '/api/v1/portal/cases/RX2O26III6OOOOOO1?token=ABCDEFGH' });
    expect(r.statusCode, r.body).not.toBe(400);
  });
  it('answers raw unencoded UTF-8 in the address with a Chinese problem, not Fastify\'s "Client Error"', async () => {
    await p.http.listen({ port: 0, host: '127.0.0.1' });
    const { port } = p.http.server.address() as AddressInfo;
    const raw = await new Promise<string>((resolve, reject) => {
      const sock = connect(port, '127.0.0.1', () => {
        sock.write(Buffer.concat([Buffer.from('GET /api/v1/cases?q='), Buffer.from('南津街', 'utf8'), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')]));
      });
      let out = '';
      sock.on('data', (d) => { out += d.toString('utf8'); });
      sock.on('end', () => resolve(out)); sock.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect(raw).toMatch(/application\/problem\+json/);
    const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
    expect(body).toMatchObject({ status: 400, code: 'bad_url', title: '错误的请求' });
    expect(body.detail).toMatch(/网址无效/);
  });
});

describe('the console\'s one-line error (web/src/lib/forms.ts errorText)', () => {
  it('names the second and later fields in Chinese, never by their raw path', async () => {
    // the console's own modules (JSX, web's tsconfig): loaded by name so the API's type check does not follow them
    const web = (f: string) => import(/* @vite-ignore */ `../../web/src/${f}`);
    const { errorText } = await web('lib/forms.ts');
    const { ApiError } = await web('api/client.ts');
    const r = await p.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: {} });
    const body = JSON.parse(r.body);
    expect(r.statusCode).toBe(400);
    expect(body.errors.length).toBeGreaterThan(1);
    expect(body.errors.map((e: { field: string }) => e.field)).toEqual(body.errors.map((e: { path: string }) => fieldNamesZh[e.path.split('.').at(-1)!]));
    const line = errorText(new ApiError(r.statusCode, body.code, body.detail, body));
    expect(line).not.toMatch(/body\./);
    expect(line).toMatch(/ · 密码：必填/);
  });
});

describe('the big screen\'s clock', () => {
  it('says when the data was refreshed in Beijing time, like its header, whatever the browser\'s zone', async () => {
    const { formatClock } = await import(/* @vite-ignore */ `../../web/src/lib/${'format.ts'}`);
    expect(formatClock('2026-12-07T01:14:45.400Z', 'zh-CN')).toBe('09:14:45');
    expect(formatClock('2026-12-07T17:05:09Z', 'en')).toBe('01:05:09');
  });
});

describe('the case list\'s filters from the address (web/src/lib/urlFilters.ts)', () => {
  it('finds the values the API would refuse, so the console drops them instead of showing a regex or "Invalid Date"', async () => {
    const { invalidFilters } = await import(/* @vite-ignore */ `../../web/src/lib/${'urlFilters.ts'}`);
    expect(invalidFilters(new URLSearchParams('region=abc&from=nonsense&sla=purple&open=true&q=路灯'))).toEqual(['region', 'from', 'sla']);
    expect(invalidFilters(new URLSearchParams('region=500117003&from=2026-12-01T00:00:00%2B08:00&sla=red&state=dispatched,handling'))).toEqual([]);
    // the API agrees about what is valid
    const ok = await p.http.inject({ method: 'GET', url: '/api/v1/cases?region=500117003&from=2026-12-01T00:00:00%2B08:00&sla=red&state=dispatched,handling', headers: { authorization: `Bearer ${token}` } });
    expect(ok.statusCode, ok.body).toBe(200);
    const bad = await p.http.inject({ method: 'GET', url: '/api/v1/cases?region=abc', headers: { authorization: `Bearer ${token}` } });
    expect(bad.statusCode).toBe(400);
  });
});
