// A thin route helper: zod schemas validate input and feed the OpenAPI document; handlers get typed
// input and the actor. Fastify's own validator is switched off so zod is the single source of truth.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, type Bilingual } from '../errors.ts';
import { fieldPathZh, schemaMessageZh, zhWhere, zodZh } from '../fields.ts';
import type { Actor } from '../auth/actor.ts';
import { textFault, type TextFault } from '../text.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Auth = 'required' | 'optional' | 'none';

export interface RouteDef<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: Method;
  url: string;
  summary: string;
  tags: string[];
  auth?: Auth;
  params?: P;
  query?: Q;
  body?: B;
  /** HTTP status of a successful response (default 200). */
  status?: number;
  response?: z.ZodType;
  /** Parses the body instead of the generic validation (which still documents `body`), e.g. to name missing fields. */
  parseBody?: (raw: unknown) => z.infer<B>;
  /** A limit per client address (@fastify/rate-limit): at most `max` requests per `timeWindow`; 429 with Retry-After beyond. */
  rateLimit?: { max: number; timeWindow: number | string };
  handler: (input: {
    params: z.infer<P>;
    query: z.infer<Q>;
    body: z.infer<B>;
    /** The authenticated actor; on auth 'none'/'optional' routes it may be null despite the type. */
    actor: Actor;
    req: FastifyRequest;
    reply: FastifyReply;
  }) => Promise<unknown>;
}

const empty = z.object({}).strict();

export function toJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const s = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  delete s.$schema;
  return s;
}

/** Deeper JSON than this is no legitimate input, and JSON.stringify of a much deeper value overflows the stack. */
export const MAX_INPUT_DEPTH = 32;

const faultMessages: Record<TextFault, Bilingual> = {
  nul: { zh: '不能包含 NUL 字符', en: 'NUL characters are not allowed' },
  lone_surrogate: { zh: 'Unicode 编码有误（孤立的 UTF-16 代理项）', en: 'malformed Unicode: a lone UTF-16 surrogate' },
};

/** A path that is safe to echo: the offending characters shown as U+FFFD. */
const printable = (key: string) => key.replace(/[\u0000\uD800-\uDFFF]/g, '\uFFFD');

/** Where a value sits in the input: its parent's place and its key (a path is spelled out only for a fault). */
interface Place { parent: Place | null; key: string }
const pathOf = (place: Place | null, where: string): string => {
  const keys: string[] = [];
  for (let p = place; p; p = p.parent) keys.push(printable(p.key));
  return [where, ...keys.reverse()].join('.');
};

/**
 * The first value or key that PostgreSQL text and jsonb cannot hold (NUL, a lone surrogate), or nesting
 * deeper than MAX_INPUT_DEPTH; null when the input is clean. Iterative, so no input can exhaust the stack;
 * it runs on every request, so a clean input costs no more than a look at each string.
 */
export function inputFault(value: unknown, where: string): { path: string; message: string; zh: string } | null {
  const stack: Array<[unknown, Place | null, number]> = [[value, null, 0]];
  while (stack.length) {
    const [v, place, depth] = stack.pop()!;
    if (typeof v === 'string') {
      const fault = textFault(v);
      if (fault) return { path: pathOf(place, where), message: faultMessages[fault].en, zh: faultMessages[fault].zh };
      continue;
    }
    if (v == null || typeof v !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) return { path: pathOf(place, where), message: `nested deeper than ${MAX_INPUT_DEPTH} levels`, zh: `嵌套超过 ${MAX_INPUT_DEPTH} 层` };
    for (const key in v) {
      if (!Object.hasOwn(v, key)) continue;
      const fault = textFault(key);
      if (fault) return { path: pathOf({ parent: place, key }, where), message: `a key: ${faultMessages[fault].en}`, zh: `键名${faultMessages[fault].zh}` };
      const child = (v as Record<string, unknown>)[key];
      // only what can hold text goes on the stack (numbers, booleans and nulls are clean)
      if (typeof child === 'string' ? child.length > 0 : child !== null && typeof child === 'object') stack.push([child, { parent: place, key }, depth + 1]);
    }
  }
  return null;
}

function assertClean(value: unknown, where: string): void {
  const fault = inputFault(value, where);
  if (fault) {
    throw new AppError(400, 'validation_failed', { zh: `${zhWhere(where)}无效：${fieldPathZh(fault.path, where)} — ${fault.zh}。`, en: `Invalid ${where}: ${fault.path} — ${fault.message}.` },
      { errors: [{ path: fault.path, message: fault.message }] });
  }
}

/** zod's own messages in Chinese (its zh-CN locale); a schema's own English message is looked up in schemaMessagesZh. */
const zhErrors = zodZh;

/**
 * Chinese is the default (政务 users): a request in Chinese, one without Accept-Language, or one that takes any
 * language gets the Chinese text; a request whose first language is another (en, …) gets the English.
 */
export function wantsChinese(req: FastifyRequest): boolean {
  const first = String(req.headers['accept-language'] ?? '').split(',')[0].trim();
  return first === '' || first.startsWith('*') || /^zh\b/i.test(first);
}

function parse<T extends z.ZodType>(schema: T, value: unknown, where: string, zh = false): z.infer<T> {
  assertClean(value, where);
  const input = value === undefined ? {} : value;
  // Messages are only written for a refusal: the input is checked without the Chinese error map (passing it
  // made zod's check of an intake body 2.5 times as slow), and checked again with it when refused.
  const en = schema.safeParse(input);
  if (en.success) return en.data;
  // the refusal carries both languages; its issue list is in the request's
  const checkedZh = schema.safeParse(input, { error: zhErrors });
  if (checkedZh.success) return checkedZh.data; // cannot happen: an error map changes messages, not outcomes
  const issues = (list: readonly z.core.$ZodIssue[], inZh: boolean) => list.slice(0, 20).map((i) => {
    const path = [where, ...i.path.map((p) => printable(String(p)))].join('.');
    // `field`: the field's name for a person (the console shows it, never the raw path)
    return { path, field: inZh ? fieldPathZh(path, where) : path.split('.').slice(1).join('.') || where, message: inZh ? schemaMessageZh(i.message) : i.message };
  });
  const zhIssues = issues(checkedZh.error.issues, true);
  const enIssues = issues(en.error.issues, false);
  const [zhIssue, enIssue] = [zhIssues[0], enIssues[0]];
  throw new AppError(400, 'validation_failed', {
    zh: where === 'path' ? pathFaultZh(fieldPathZh(zhIssue.path, where), zhIssue.message)
      : `${zhWhere(where)}无效：${fieldPathZh(zhIssue.path, where)} — ${zhIssue.message}`,
    en: `Invalid ${where}: ${enIssue.path} — ${enIssue.message}`,
  }, { errors: zh ? zhIssues : enIssues });
}

/** A bad path parameter in user words: 「地址中的编号不正确」, with the schema's hint when it says more than that. */
function pathFaultZh(field: string, message: string): string {
  const bare = /^(编号)?须为十进制整数$|^格式不正确$|^必填$|^应为/.test(message);
  return bare ? `地址中的${field}不正确。` : `地址中的${field}不正确，${message}。`;
}

const writeMethods: ReadonlySet<Method> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function route<P extends z.ZodType = typeof empty, Q extends z.ZodType = typeof empty, B extends z.ZodType = typeof empty>(
  app: FastifyInstance,
  def: RouteDef<P, Q, B>,
): void {
  const auth = def.auth ?? 'required';
  // Every write declares what it takes, even nothing: a body it does not expect is refused, not ignored.
  const bodySchema = def.body ?? (writeMethods.has(def.method) ? empty : undefined);
  const schema: Record<string, unknown> = { summary: def.summary, tags: def.tags };
  if (def.params) schema.params = toJsonSchema(def.params);
  if (def.query) schema.querystring = toJsonSchema(def.query);
  if (bodySchema) schema.body = toJsonSchema(bodySchema);
  if (def.response) schema.response = { [def.status ?? 200]: toJsonSchema(def.response) };
  if (auth !== 'none') schema.security = [{ bearer: [] }, { cookie: [] }];
  app.route({
    method: def.method,
    url: def.url,
    schema,
    ...(def.rateLimit ? { config: { rateLimit: def.rateLimit } } : {}),
    handler: async (req, reply) => {
      const actor = req.actor ?? null;
      if (auth === 'required' && !actor) throw new AppError(401, 'unauthenticated', { zh: `请先登录（登录已失效时请重新登录）。`, en: 'Log in first: send the session cookie or an Authorization: Bearer token.' });
      const zh = wantsChinese(req);
      const params = parse((def.params ?? empty) as P, req.params, 'path', zh);
      // without a query schema the parameters are ignored (anyQuery's answer is always {}): only checked for text PostgreSQL refuses
      const query = def.query ? parse(def.query, req.query, 'query', zh) : (assertClean(req.query, 'query'), {} as z.infer<Q>);
      if (bodySchema && req.isMultipart()) {
        // A form from another site can post multipart without a preflight; this route takes JSON only.
        throw new AppError(415, 'unsupported_media_type', { zh: `请以 application/json 格式发送此请求。`, en: 'Send this request as application/json.' });
      }
      const body = !bodySchema ? ({} as z.infer<B>)
        : def.parseBody ? (assertClean(req.body, 'body'), def.parseBody(req.body ?? {})) : parse(bodySchema as B, req.body, 'body', zh);
      const out = await def.handler({ params, query, body, actor: actor as Actor, req, reply });
      if (reply.sent) return reply;
      reply.code(def.status ?? 200);
      return out;
    },
  });
}
